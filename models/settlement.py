"""What each buyer still owes, and when a campaign is finished with.

A group runs a campaign a day, so yesterday's goods are being collected and paid for while today's
are still being ordered. Money and pickup therefore look at every campaign that is not done, and a
campaign becomes done once every buyer has collected and paid: from then on nobody is reminded
about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models import orders as order_rows
from models.campaigns import ARRIVED, mark_done
from models.orders import BuyerView
from models.returns import refunds_for_orders
from models.tables import Campaign


@dataclass(frozen=True)
class AmountDue:
    """One buyer's order in one campaign with what they owe: the order less approved refunds."""

    campaign: Campaign
    buyer: BuyerView
    due_fen: int

    @property
    def paid_fen(self) -> int:
        """What was confirmed paid; an order marked paid before amounts were kept counts as paid."""
        order = self.buyer.order
        if order.paid_at is None:
            return 0
        return self.due_fen if order.paid_fen is None else order.paid_fen

    @property
    def outstanding_fen(self) -> int:
        """What is still owed: all of it, or the difference after an order changed once paid."""
        return max(self.due_fen - self.paid_fen, 0)

    @property
    def paid(self) -> bool:
        return self.buyer.order.paid_at is not None and self.outstanding_fen == 0

    @property
    def owes(self) -> bool:
        return self.outstanding_fen > 0


def amounts_due(session: Session, campaign: Campaign) -> list[AmountDue]:
    assert campaign.id is not None
    buyers = order_rows.campaign_buyers(session=session, campaign_id=campaign.id)
    refunds = refunds_for_orders(
        session=session, order_ids=[b.order.id for b in buyers if b.order.id is not None]
    )
    return [AmountDue(campaign, b, b.amount_fen - refunds.get(b.order.id or 0, 0)) for b in buyers]


def finish_settled_campaigns(session: Session, campaigns: list[Campaign]) -> list[Campaign]:
    """Mark done each arrived campaign whose buyers have all collected and paid; return those."""
    finished = []
    for campaign in campaigns:
        if campaign.status != ARRIVED:
            continue
        dues = amounts_due(session, campaign)
        if all(d.buyer.order.picked_up_at is not None and not d.owes for d in dues):
            mark_done(campaign=campaign)
            finished.append(campaign)
    return finished
