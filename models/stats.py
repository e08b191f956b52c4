"""Sales figures for the leader: sales, orders, returns and commission over a period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.returns import APPROVED
from models.tables import Campaign, Order, OrderLine, Product, ReturnRequest
from models.types import whole_fen


@dataclass(frozen=True)
class SalesStats:
    campaigns: int
    orders: int
    lines: int
    sales_fen: int
    returns: int
    refund_fen: int
    commission_fen: int

    @property
    def return_rate(self) -> float:
        """Share of order lines that had a return approved or pending."""
        return self.returns / self.lines if self.lines else 0.0


def sales_stats(
    *,
    session: Session,
    group_id: int,
    default_commission_bp: int,
    category_commission_bp: Mapping[str, int] | None = None,
    since: datetime | None = None,
    campaign_id: int | None = None,
) -> SalesStats:
    # Six columns: more than sqlmodel's typed select takes, so this one is plain SQLAlchemy.
    query = (
        sa_select(
            col(Campaign.id),
            col(Order.id),
            col(OrderLine.id),
            col(OrderLine.qty),
            col(OrderLine.price_fen),
            col(Product.commission_bp),
            col(Product.category),
        )
        .join(Order, col(Order.campaign_id) == Campaign.id)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .where(col(Campaign.group_id) == group_id)
    )
    if campaign_id is not None:
        query = query.where(col(Campaign.id) == campaign_id)
    if since is not None:
        query = query.where(col(Campaign.opened_at) >= since)
    rows = list(session.execute(query).all())
    line_ids = [row[2] for row in rows]
    returns, refund_by_line = _returns(session, line_ids)
    campaigns, orders = set(), set()
    sales = commission = 0
    by_category = category_commission_bp or {}
    for campaign, order, line, qty, price, commission_bp, category in rows:
        amount = whole_fen(qty * price)
        campaigns.add(campaign)
        orders.add(order)
        sales += amount
        rate = (
            commission_bp if commission_bp is not None else by_category.get(category, default_commission_bp)
        )
        # The leader earns on what the member finally paid: refunds come off first.
        commission += max(amount - refund_by_line.get(line, 0), 0) * rate // 10_000
    refunds = sum(refund_by_line.values())
    return SalesStats(
        campaigns=len(campaigns),
        orders=len(orders),
        lines=len(line_ids),
        sales_fen=sales,
        returns=returns,
        refund_fen=refunds,
        commission_fen=commission,
    )


def _returns(session: Session, line_ids: list[int | None]) -> tuple[int, dict[int, int]]:
    """How many returns are open or approved on these lines, and the approved refund per line."""
    if not line_ids:
        return 0, {}
    count = 0
    refunds: dict[int, int] = {}
    for line_id, status, refund in session.exec(
        select(ReturnRequest.order_line_id, ReturnRequest.status, ReturnRequest.refund_fen).where(
            col(ReturnRequest.order_line_id).in_(line_ids), ReturnRequest.status != "rejected"
        )
    ):
        count += 1
        if status == APPROVED:
            refunds[line_id] = refunds.get(line_id, 0) + refund
    return count, refunds
