"""Reply data shared by several handlers: how an order, a change or a refusal is described."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers.base import Context, Reply
from handlers.ordering import ApplyResult
from handlers.reading.model import CatalogEntry
from models import orders as order_rows
from models.tables import Member

CONFIRM_MERGE_KEY = "confirm"


def order_snapshot(ctx: Context, member: Member) -> dict[str, Any]:
    """The member's whole current order, for confirmations and 我的订单."""
    campaign = ctx.campaign()
    lines: list[dict[str, Any]] = []
    pickup_code = ""
    if campaign is not None and campaign.id is not None and member.id is not None:
        order = order_rows.get_order(session=ctx.session, campaign_id=campaign.id, member_id=member.id)
        if order is not None and order.id is not None:
            pickup_code = order.pickup_code
            lines = [
                {
                    "product": line.product_name,
                    "variant": line.variant,
                    "qty": line.qty,
                    "unit": line.unit,
                    "amount_fen": line.amount_fen,
                }
                for line in order_rows.order_lines(session=ctx.session, order_id=order.id)
            ]
    return {
        "lines": lines,
        "total_fen": sum(line["amount_fen"] for line in lines),
        "pickup_code": pickup_code,
    }


def applied_data(result: ApplyResult) -> dict[str, Any]:
    return {
        "changed": [
            {
                "product": c.product,
                "variant": c.variant,
                "unit": c.unit,
                "qty_now": c.qty_now,
                "qty_change": c.qty_change,
            }
            for c in result.changed
        ],
        "refused": [
            {
                "product": r.product,
                "reason": r.reason,
                "unit": r.unit,
                "available": r.available,
                "limit": r.limit,
                "asked_unit": r.asked_unit,
            }
            for r in result.refused
        ],
        "unmatched": [item.product for item in result.unmatched],
    }


def confirmation(ctx: Context, member: Member, result: ApplyResult, *, proxy: bool = False) -> Reply:
    """The reply after an order changed: what changed, what was refused, and the order as it stands."""
    data = {
        "name": member.display_name,
        "proxy": proxy,
        "address": member.address,
        **applied_data(result),
        **order_snapshot(ctx, member),
    }
    mentions = () if proxy or member.id is None else (member.id,)
    return Reply("order_confirmed", data, mentions=mentions, merge_key=CONFIRM_MERGE_KEY)


def candidate_list(candidates: Sequence[CatalogEntry]) -> list[dict[str, Any]]:
    return [
        {
            "number": index,
            "code": entry.code or "",
            "name": entry.name,
            "unit": entry.unit or "",
            "price_fen": entry.price_fen,
        }
        for index, entry in enumerate(candidates, start=1)
    ]
