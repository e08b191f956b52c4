"""Reading the database back in tests: what a leader would see, in plain Python values."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from bot.app import App
from models.tables import Campaign, Group, InboundMessage, Member, Order, OrderLine, Product, ReviewItem


def orders(app: App, campaign_id: int | None = None) -> dict[str, dict[str, Decimal]]:
    """Each member's order lines as {display name: {product (variant): qty}}; empty orders left out.
    All campaigns together, or only `campaign_id`'s."""
    result: dict[str, dict[str, Decimal]] = {}
    with Session(app.engine) as session:
        query = (
            select(Member, OrderLine, Product)
            .join(Order, col(Order.member_id) == Member.id)
            .join(OrderLine, col(OrderLine.order_id) == Order.id)
            .join(Product, col(Product.id) == OrderLine.product_id)
            .order_by(col(OrderLine.id))
        )
        if campaign_id is not None:
            query = query.where(Order.campaign_id == campaign_id)
        rows = session.exec(query)
        for member, line, product in rows:
            name = f"{product.name}（{line.variant}）" if line.variant else product.name
            result.setdefault(member.display_name, {})[name] = line.qty
    return result


def order_rows(app: App) -> list[Order]:
    with Session(app.engine) as session:
        return list(session.exec(select(Order).order_by(col(Order.id))))


def members(app: App) -> dict[str, Member]:
    with Session(app.engine) as session:
        return {m.display_name: m for m in session.exec(select(Member))}


def groups(app: App) -> list[Group]:
    with Session(app.engine) as session:
        return list(session.exec(select(Group).order_by(col(Group.id))))


def campaigns(app: App) -> list[Campaign]:
    with Session(app.engine) as session:
        return list(session.exec(select(Campaign).order_by(col(Campaign.id))))


def open_reviews(app: App) -> list[ReviewItem]:
    with Session(app.engine) as session:
        return list(
            session.exec(select(ReviewItem).where(ReviewItem.status == "open").order_by(col(ReviewItem.id)))
        )


def inbound(app: App) -> list[InboundMessage]:
    with Session(app.engine) as session:
        return list(session.exec(select(InboundMessage).order_by(col(InboundMessage.id))))
