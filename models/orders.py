"""Orders and order lines: one order per member per campaign, one line per product and variant."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import bindparam, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.campaigns import Offer
from models.tables import Member, Order, OrderLine, Product
from models.types import whole_fen

PICKUP_CODE_DIGITS = 4
# The lengths of the columns written without the ORM, which would otherwise cut them at flush.
MAX_ID_CHARS = 128
MAX_VARIANT_CHARS = 100
MAX_RAW_CHARS = 500


@dataclass(frozen=True)
class LineView:
    """An order line with the names a message needs."""

    line_id: int
    product_id: int
    product_name: str
    code: str
    variant: str
    qty: Decimal
    unit: str
    price_fen: int

    @property
    def amount_fen(self) -> int:
        return whole_fen(self.qty * self.price_fen)


def get_order(*, session: Session, campaign_id: int, member_id: int) -> Order | None:
    return session.exec(
        select(Order).where(Order.campaign_id == campaign_id, Order.member_id == member_id)
    ).first()


@dataclass
class BookedOrder:
    """A member's order row, as far as ordering needs it."""

    id: int
    pickup_code: str
    updated_at: datetime


@dataclass
class BookedLine:
    """One line of a member's order, as far as ordering needs it."""

    id: int
    product_id: int
    variant: str
    qty: Decimal
    unit: str
    price_fen: int


@dataclass
class OrderBook:
    """A member's order in a campaign and its lines, read once per message and changed in place.

    The book reads and writes with plain statements, not ORM objects: every order message goes
    through it, and the ORM's loading and flushing cost several times the statements themselves.
    Each change is written at once, so a later query in the same transaction (the stock left, the
    order lines for a confirmation) sees it.
    """

    campaign_id: int
    member_id: int
    order: BookedOrder | None
    lines: dict[tuple[int, str], BookedLine]

    def qty(self, product_id: int, variant: str = "") -> Decimal:
        line = self.lines.get((product_id, variant))
        return line.qty if line is not None else Decimal(0)

    def product_qty(self, product_id: int) -> Decimal:
        """All variants of one product together, as a per-person limit counts them."""
        return sum((line.qty for (pid, _), line in self.lines.items() if pid == product_id), Decimal(0))

    def product_ids(self) -> set[int]:
        return {product_id for product_id, _ in self.lines}


_ORDERS = cast(Any, Order).__table__
_LINES = cast(Any, OrderLine).__table__

# Built once, with bind parameters: building a statement costs as much as running it.
_ORDER_BOOK = (
    sa_select(
        _ORDERS.c.id,
        _ORDERS.c.pickup_code,
        _ORDERS.c.updated_at,
        _LINES.c.id,
        _LINES.c.product_id,
        _LINES.c.variant,
        _LINES.c.qty,
        _LINES.c.unit,
        _LINES.c.price_fen,
    )
    .outerjoin(_LINES, _LINES.c.order_id == _ORDERS.c.id)
    .where(_ORDERS.c.campaign_id == bindparam("campaign_id"), _ORDERS.c.member_id == bindparam("member_id"))
    .order_by(_LINES.c.id)
)
_NEW_ORDER = insert(_ORDERS).returning(_ORDERS.c.id)
_TOUCH_ORDER = (
    update(_ORDERS).where(_ORDERS.c.id == bindparam("order_id")).values(updated_at=bindparam("touched_at"))
)
_NEW_LINE = insert(_LINES).returning(_LINES.c.id)
# By whether the line's source message and raw text change too. The parameters are not named
# after columns: an UPDATE sets every column named in its parameters, wanted or not.
_SET_LINE = {
    (with_source, with_raw): update(_LINES)
    .where(_LINES.c.id == bindparam("line_id"))
    .values(
        qty=bindparam("new_qty"),
        **({"source_message_id": bindparam("new_source")} if with_source else {}),
        **({"raw": bindparam("new_raw")} if with_raw else {}),
    )
    for with_source in (False, True)
    for with_raw in (False, True)
}
_DELETE_LINE = delete(_LINES).where(_LINES.c.id == bindparam("line_id"))


def load_order_book(*, session: Session, campaign_id: int, member_id: int) -> OrderBook:
    """The order and its lines in one query (every order message needs both)."""
    rows = session.execute(_ORDER_BOOK, {"campaign_id": campaign_id, "member_id": member_id}).all()
    order = BookedOrder(id=rows[0][0], pickup_code=rows[0][1], updated_at=rows[0][2]) if rows else None
    lines = {
        (line.product_id, line.variant): line
        for line in (BookedLine(*row[3:]) for row in rows if row[3] is not None)
    }
    return OrderBook(campaign_id=campaign_id, member_id=member_id, order=order, lines=lines)


def open_order(
    *,
    session: Session,
    book: OrderBook,
    member: Member,
    entered_by: Member,
    now: datetime,
    source_message_id: str,
) -> BookedOrder:
    """The book's order, created with a fresh pickup code if the member has none yet."""
    if book.order is not None:
        return book.order
    assert entered_by.id is not None
    pickup_code = _new_pickup_code(session=session, campaign_id=book.campaign_id)
    order_id = session.execute(
        _NEW_ORDER,
        {
            "campaign_id": book.campaign_id,
            "member_id": book.member_id,
            "entered_by_id": entered_by.id,
            "is_proxy": member.is_proxy or entered_by.id != member.id,
            "source_message_id": source_message_id[:MAX_ID_CHARS],
            "pickup_code": pickup_code,
            "note": "",
            "created_at": now,
            "updated_at": now,
        },
    ).scalar_one()
    book.order = BookedOrder(id=order_id, pickup_code=pickup_code, updated_at=now)
    return book.order


def set_quantity(
    *,
    session: Session,
    book: OrderBook,
    offer: Offer,
    variant: str,
    qty: Decimal,
    now: datetime,
    source_message_id: str = "",
    raw: str = "",
) -> Decimal:
    """Set the book's line for this product and variant to `qty`; zero or less removes the line."""
    assert book.order is not None
    variant = variant[:MAX_VARIANT_CHARS]
    key = (offer.product_id, variant)
    line = book.lines.get(key)
    _touch(session, book.order, now)
    if qty <= 0:
        if line is not None:
            session.execute(_DELETE_LINE, {"line_id": line.id})
            del book.lines[key]
        return Decimal(0)
    if line is None:
        line_id = session.execute(
            _NEW_LINE,
            {
                "order_id": book.order.id,
                "product_id": offer.product_id,
                "variant": variant,
                "qty": qty,
                "unit": offer.unit,
                "price_fen": offer.price_fen,
                "source_message_id": source_message_id[:MAX_ID_CHARS],
                "raw": raw[:MAX_RAW_CHARS],
            },
        ).scalar_one()
        book.lines[key] = BookedLine(
            id=line_id,
            product_id=offer.product_id,
            variant=variant,
            qty=qty,
            unit=offer.unit,
            price_fen=offer.price_fen,
        )
        return qty
    changes: dict[str, object] = {"line_id": line.id, "new_qty": qty}
    if source_message_id:
        changes["new_source"] = source_message_id[:MAX_ID_CHARS]
    if raw:
        changes["new_raw"] = raw[:MAX_RAW_CHARS]
    session.execute(_SET_LINE[bool(source_message_id), bool(raw)], changes)
    line.qty = qty
    return qty


def _touch(session: Session, order: BookedOrder, now: datetime) -> None:
    """Mark the order changed at `now`, once per message however many of its lines change."""
    if order.updated_at != now:
        session.execute(_TOUCH_ORDER, {"order_id": order.id, "touched_at": now})
        order.updated_at = now


def _new_pickup_code(*, session: Session, campaign_id: int) -> str:
    """A random code not yet used in the campaign; codes grow a digit once most are taken."""
    low, high = 10 ** (PICKUP_CODE_DIGITS - 1), 10**PICKUP_CODE_DIGITS
    for attempt in range(100):
        if attempt == 20:
            low, high = high, high * 10
        code = str(secrets.randbelow(high - low) + low)
        taken = session.exec(
            select(Order.id).where(Order.campaign_id == campaign_id, Order.pickup_code == code)
        ).first()
        if taken is None:
            return code
    raise RuntimeError(f"no free pickup code in campaign {campaign_id}")


def order_lines(*, session: Session, order_id: int) -> list[LineView]:
    rows = session.exec(
        select(OrderLine, Product)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .where(OrderLine.order_id == order_id)
        .order_by(col(OrderLine.id))
    )
    return [_view(line, product) for line, product in rows]


def last_order_lines(*, session: Session, member_id: int, before_campaign_id: int) -> list[LineView]:
    """What the member ordered in their latest earlier campaign that still has lines (a cancelled
    order has none), for `老样子`; empty when they never ordered before."""
    order_id = session.exec(
        select(Order.id)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .where(Order.member_id == member_id, col(Order.campaign_id) < before_campaign_id)
        .order_by(col(Order.campaign_id).desc())
        .limit(1)
    ).first()
    return order_lines(session=session, order_id=order_id) if order_id is not None else []


def _view(line: OrderLine, product: Product) -> LineView:
    assert line.id is not None and product.id is not None
    return LineView(
        line_id=line.id,
        product_id=product.id,
        product_name=product.name,
        code=product.code,
        variant=line.variant,
        qty=line.qty,
        unit=line.unit,
        price_fen=line.price_fen,
    )


def remove_lines(
    *, session: Session, book: OrderBook, now: datetime, product_id: int | None = None
) -> list[int]:
    """Remove the lines of one product, or every line when `product_id` is None; returns the product ids.

    The order row itself stays, with its pickup code, in case the member orders again.
    """
    removed = []
    for key, line in list(book.lines.items()):
        if product_id is None or key[0] == product_id:
            session.execute(_DELETE_LINE, {"line_id": line.id})
            del book.lines[key]
            removed.append(key[0])
    if book.order is not None and removed:
        _touch(session, book.order, now)
    return removed


def ordered_quantity(
    *, session: Session, campaign_id: int, product_id: int, member_id: int | None = None
) -> Decimal:
    """How much of a product is on order in the campaign, in all or for one member."""
    query = (
        select(func.sum(OrderLine.qty))
        .join(Order, col(Order.id) == OrderLine.order_id)
        .where(Order.campaign_id == campaign_id, OrderLine.product_id == product_id)
    )
    if member_id is not None:
        query = query.where(Order.member_id == member_id)
    # The sum keeps the column's type, so it comes back as an exact quantity (None when no rows).
    total = session.exec(query).one()
    return total if total is not None else Decimal(0)


@dataclass(frozen=True)
class BuyerView:
    """One member's order in a campaign, for arrival notices, sorting lists and summaries."""

    order: Order
    member: Member
    lines: list[LineView]

    @property
    def amount_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


def campaign_buyers(*, session: Session, campaign_id: int) -> list[BuyerView]:
    """Every order in the campaign that still has lines, in the order they were placed."""
    rows = session.exec(
        select(Order, Member, OrderLine, Product)
        .join(Member, col(Member.id) == Order.member_id)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .where(Order.campaign_id == campaign_id)
        .order_by(col(Order.id), col(OrderLine.id))
    )
    buyers: dict[int, BuyerView] = {}
    for order, member, line, product in rows:
        assert order.id is not None
        if order.id not in buyers:
            buyers[order.id] = BuyerView(order=order, member=member, lines=[])
        buyers[order.id].lines.append(_view(line, product))
    return list(buyers.values())


@dataclass(frozen=True)
class ProductTotal:
    """The supplier's view: one product and variant, with the total quantity and amount."""

    product_id: int
    code: str
    name: str
    variant: str
    unit: str
    qty: Decimal
    amount_fen: int
    buyers: int


def product_totals(*, session: Session, campaign_id: int) -> list[ProductTotal]:
    totals: dict[tuple[int, str], ProductTotal] = {}
    for buyer in campaign_buyers(session=session, campaign_id=campaign_id):
        for line in buyer.lines:
            key = (line.product_id, line.variant)
            seen = totals.get(key)
            totals[key] = ProductTotal(
                product_id=line.product_id,
                code=line.code,
                name=line.product_name,
                variant=line.variant,
                unit=line.unit,
                qty=(seen.qty if seen else Decimal(0)) + line.qty,
                amount_fen=(seen.amount_fen if seen else 0) + line.amount_fen,
                buyers=(seen.buyers if seen else 0) + 1,
            )
    return sorted(totals.values(), key=lambda t: (_code_key(t.code), t.variant))


def _code_key(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (10**9, code)
