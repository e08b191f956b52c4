"""Returns and after-sales: a member's request against an order line, and the leader's decision."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from models.tables import Order, OrderLine, Product, ReturnRequest

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def create_return(
    *,
    session: Session,
    order_line: OrderLine,
    member_id: int,
    qty: Decimal,
    reason: str,
    now: datetime,
    photo_path: str = "",
) -> ReturnRequest:
    assert order_line.id is not None
    request = ReturnRequest(
        order_line_id=order_line.id,
        member_id=member_id,
        qty=qty,
        reason=reason[:500],
        photo_path=photo_path,
        status=PENDING,
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request


def returned_quantity(*, session: Session, order_line_id: int) -> Decimal:
    """How much of a line is already asked back or refunded (pending and approved requests)."""
    rows = session.exec(
        select(col(ReturnRequest.qty)).where(
            ReturnRequest.order_line_id == order_line_id, col(ReturnRequest.status).in_((PENDING, APPROVED))
        )
    )
    return sum(rows, Decimal(0))


def latest_return_without_photo(*, session: Session, member_id: int, since: datetime) -> ReturnRequest | None:
    return session.exec(
        select(ReturnRequest)
        .where(
            ReturnRequest.member_id == member_id,
            ReturnRequest.photo_path == "",
            ReturnRequest.status == PENDING,
            col(ReturnRequest.created_at) >= since,
        )
        .order_by(col(ReturnRequest.id).desc())
    ).first()


def decide_return(
    *,
    request: ReturnRequest,
    approve: bool,
    decided_by_id: int,
    now: datetime,
    refund_fen: int = 0,
    note: str = "",
) -> None:
    request.status = APPROVED if approve else REJECTED
    request.refund_fen = refund_fen if approve else 0
    request.decided_by_id = decided_by_id
    request.decided_at = now
    request.decision_note = note[:500]


def return_with_line(
    *, session: Session, return_id: int, group_id: int
) -> tuple[ReturnRequest, OrderLine, Product, Order] | None:
    """A return request with its line, product and order, if it belongs to the group."""
    row = session.exec(
        select(ReturnRequest, OrderLine, Product, Order)
        .join(OrderLine, col(OrderLine.id) == ReturnRequest.order_line_id)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .where(ReturnRequest.id == return_id, Product.group_id == group_id)
    ).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def refunds_for_orders(*, session: Session, order_ids: list[int]) -> dict[int, int]:
    """Approved refunds in fen, by order id."""
    if not order_ids:
        return {}
    rows = session.exec(
        select(OrderLine.order_id, ReturnRequest.refund_fen)
        .join(OrderLine, col(OrderLine.id) == ReturnRequest.order_line_id)
        .where(col(OrderLine.order_id).in_(order_ids), ReturnRequest.status == APPROVED)
    )
    refunds: dict[int, int] = {}
    for order_id, refund in rows:
        refunds[order_id] = refunds.get(order_id, 0) + refund
    return refunds


RECENT_PHOTO_WINDOW = timedelta(minutes=30)
