"""Orders and order lines: one order per member per campaign, one line per product and variant."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from models.campaigns import Offer
from models.tables import Member, Order, OrderLine, Product
from models.types import whole_fen

PICKUP_CODE_DIGITS = 4


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
class OrderBook:
    """A member's order in a campaign and its lines, read once per message and changed in place."""

    campaign_id: int
    member_id: int
    order: Order | None
    lines: dict[tuple[int, str], OrderLine]

    def qty(self, product_id: int, variant: str = "") -> Decimal:
        line = self.lines.get((product_id, variant))
        return line.qty if line is not None else Decimal(0)

    def product_qty(self, product_id: int) -> Decimal:
        """All variants of one product together, as a per-person limit counts them."""
        return sum((line.qty for (pid, _), line in self.lines.items() if pid == product_id), Decimal(0))

    def product_ids(self) -> set[int]:
        return {product_id for product_id, _ in self.lines}


# Built once: every order message reads its sender's order book.
_ORDER_BOOK = (
    select(Order, OrderLine)
    .outerjoin(OrderLine, col(OrderLine.order_id) == Order.id)
    .where(Order.campaign_id == bindparam("campaign_id"), Order.member_id == bindparam("member_id"))
    .order_by(col(OrderLine.id))
)


def load_order_book(*, session: Session, campaign_id: int, member_id: int) -> OrderBook:
    """The order and its lines in one query (every order message needs both)."""
    rows = session.exec(_ORDER_BOOK, params={"campaign_id": campaign_id, "member_id": member_id}).all()
    order = rows[0][0] if rows else None
    lines = {(line.product_id, line.variant): line for _, line in rows if line is not None}
    return OrderBook(campaign_id=campaign_id, member_id=member_id, order=order, lines=lines)


def open_order(
    *,
    session: Session,
    book: OrderBook,
    member: Member,
    entered_by: Member,
    now: datetime,
    source_message_id: str,
) -> Order:
    """The book's order, created with a fresh pickup code if the member has none yet."""
    if book.order is not None:
        return book.order
    assert entered_by.id is not None
    book.order = Order(
        campaign_id=book.campaign_id,
        member_id=book.member_id,
        entered_by_id=entered_by.id,
        is_proxy=member.is_proxy or entered_by.id != member.id,
        source_message_id=source_message_id,
        pickup_code=_new_pickup_code(session=session, campaign_id=book.campaign_id),
        created_at=now,
        updated_at=now,
    )
    session.add(book.order)
    session.flush()
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
    assert book.order is not None and book.order.id is not None
    key = (offer.product_id, variant)
    line = book.lines.get(key)
    book.order.updated_at = now
    if qty <= 0:
        if line is not None:
            session.delete(line)
            del book.lines[key]
        return Decimal(0)
    if line is None:
        line = OrderLine(
            order_id=book.order.id,
            product_id=offer.product_id,
            variant=variant,
            qty=qty,
            unit=offer.unit,
            price_fen=offer.price_fen,
            source_message_id=source_message_id,
            raw=raw[:500],
        )
        session.add(line)
        book.lines[key] = line
    else:
        line.qty = qty
        if source_message_id:
            line.source_message_id = source_message_id
        if raw:
            line.raw = raw[:500]
    return qty


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
            session.delete(line)
            del book.lines[key]
            removed.append(key[0])
    if book.order is not None and removed:
        book.order.updated_at = now
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
