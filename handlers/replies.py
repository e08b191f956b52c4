"""Reply data shared by several handlers: how an order, a change or a refusal is described."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select

from handlers.base import Context, Reply
from handlers.ordering import ApplyResult, order_book
from handlers.reading.model import CatalogEntry
from models.tables import Member, Product
from models.types import whole_fen

CONFIRM_MERGE_KEY = "confirm"


def order_snapshot(ctx: Context, member: Member) -> dict[str, Any]:
    """The member's whole current order, for confirmations and 我的订单."""
    book = order_book(ctx, member)
    if book is None or book.order is None:
        return {"lines": [], "total_fen": 0, "pickup_code": ""}
    names = product_names(ctx, {product_id for product_id, _ in book.lines})
    lines = [
        {
            "product": names.get(line.product_id, ""),
            "variant": line.variant,
            "qty": line.qty,
            "unit": line.unit,
            "amount_fen": whole_fen(line.qty * line.price_fen),
        }
        for line in book.lines.values()
    ]
    return {
        "lines": lines,
        "total_fen": sum(line["amount_fen"] for line in lines),
        "pickup_code": book.order.pickup_code,
    }


def product_names(ctx: Context, product_ids: set[int]) -> dict[int, str]:
    """Names of products by id: from the campaign's offers, and from the catalog for any withdrawn."""
    names = {offer.product_id: offer.name for offer in ctx.offers() if offer.product_id in product_ids}
    missing = product_ids - names.keys()
    if missing:
        rows = ctx.session.exec(select(Product.id, Product.name).where(col(Product.id).in_(missing)))
        names.update({product_id: name for product_id, name in rows if product_id is not None})
    return names


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


def numbered(candidates: Sequence[CatalogEntry]) -> list[tuple[str, CatalogEntry]]:
    """The numbers a question lists its choices by: the products' own codes, as the deal post
    shows them (so 4 is never one thing in the post and another in the question), or 1, 2, 3…
    when some product has no code."""
    if all(entry.code for entry in candidates):
        return [(str(entry.code), entry) for entry in candidates]
    return [(str(index), entry) for index, entry in enumerate(candidates, start=1)]


def chosen_by_number(candidates: Sequence[CatalogEntry], number: str) -> CatalogEntry | None:
    wanted = number.lstrip("0") or number
    return next((entry for shown, entry in numbered(candidates) if shown.lower() == wanted.lower()), None)


def candidate_list(candidates: Sequence[CatalogEntry]) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "code": entry.code or "",
            "name": entry.name,
            "unit": entry.unit or "",
            "price_fen": entry.price_fen,
        }
        for number, entry in numbered(candidates)
    ]
