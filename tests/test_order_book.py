"""The order book writes with plain statements, not the ORM: what it stores must be what the ORM
stored, and a change must be visible to the rest of the message's transaction at once."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from bot.simulation import SimulatedGroup
from models import orders as order_rows
from models.campaigns import Offer, list_offers
from models.tables import Campaign, Member, Order, OrderLine
from tests import dbview


def _book_and_apples(session: Session, name: str) -> tuple[order_rows.OrderBook, Offer]:
    """`name`'s order book in the open campaign, and the campaign's apples."""
    member = session.exec(select(Member).where(Member.display_name == name)).one()
    campaign = session.exec(select(Campaign)).one()
    assert member.id is not None and campaign.id is not None
    book = order_rows.load_order_book(session=session, campaign_id=campaign.id, member_id=member.id)
    offers = list_offers(session=session, campaign=campaign)
    return book, next(offer for offer in offers if offer.name == "红富士苹果")


def test_a_change_without_text_keeps_the_text_the_line_came_from(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤", message_id="wx-apple")
    with Session(open_group.app.engine) as session:
        book, apples = _book_and_apples(session, "王五")
        order_rows.set_quantity(
            session=session,
            book=book,
            offer=apples,
            variant="",
            qty=Decimal(3),
            now=open_group.app.clock(),
        )
        session.commit()
    with Session(open_group.app.engine) as session:
        line = session.exec(select(OrderLine)).one()
    assert line.qty == Decimal(3)
    assert line.source_message_id == "wx-apple"
    assert line.raw and "苹果" in line.raw


def test_a_change_is_seen_by_the_rest_of_the_transaction(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤")
    clock = open_group.app.clock
    clock.advance(minutes=5)
    with Session(open_group.app.engine) as session:
        book, apples = _book_and_apples(session, "王五")
        order_rows.set_quantity(
            session=session, book=book, offer=apples, variant="", qty=Decimal(7), now=clock()
        )
        taken = order_rows.ordered_quantity(
            session=session, campaign_id=book.campaign_id, product_id=apples.product_id
        )
        assert taken == Decimal(7)
        session.rollback()
    assert dbview.orders(open_group.app) == {"王五": {"红富士苹果": Decimal(2)}}


def test_the_order_is_marked_changed_when_a_line_is_removed(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤")
    [placed] = dbview.order_rows(open_group.app)
    open_group.app.clock.advance(minutes=5)
    open_group.say("王五", "取消苹果")
    [after] = dbview.order_rows(open_group.app)
    assert dbview.orders(open_group.app) == {}
    assert after.pickup_code == placed.pickup_code
    assert after.updated_at > placed.updated_at


def test_a_long_variant_is_cut_to_its_column_on_both_databases(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤")
    with Session(open_group.app.engine) as session:
        book, apples = _book_and_apples(session, "王五")
        order_rows.set_quantity(
            session=session,
            book=book,
            offer=apples,
            variant="大" * 300,
            qty=Decimal(1),
            now=open_group.app.clock(),
        )
        session.commit()
    with Session(open_group.app.engine) as session:
        variants = list(session.exec(select(OrderLine.variant).order_by(col(OrderLine.id))))
        orders = list(session.exec(select(Order)))
    assert variants == ["", "大" * order_rows.MAX_VARIANT_CHARS]
    assert len(orders) == 1
