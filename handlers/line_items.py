"""What a 接龙 line has put in its owner's order, and the change that turns one reading into another.

A repost changes an order by the difference between what a line now says and what it had put in
the order before; an answer to a question about a line does the same.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from handlers.base import Context
from handlers.catalog_view import offer_for
from handlers.ordering import LineResult
from handlers.reading.model import ReadItem

Quantities = dict[tuple[str, str], Decimal]


def encode_applied(quantities: Quantities) -> str | None:
    """What a line has in its owner's order, stored as `[[code, variant, qty], ...]`.

    The state keeps what was actually ordered, not the line's text: a line refused for a limit
    has nothing in the order, and correcting it later orders the corrected amount in full.
    """
    rows = [[code, variant, str(qty)] for (code, variant), qty in quantities.items() if qty != 0]
    return json.dumps(rows, ensure_ascii=False) if rows else None


def decode_applied(stored: str | None) -> tuple[ReadItem, ...] | None:
    """The items of `encode_applied`; None when `stored` is a line's text from an older version."""
    if not stored:
        return ()
    if not stored.startswith("[["):
        return None
    return tuple(
        ReadItem(product=code, code=code, variant=variant or None, qty=Decimal(qty), unit=None, raw="")
        for code, variant, qty in json.loads(stored)
    )


def applied_quantities(items: Sequence[ReadItem], ctx: Context) -> Quantities:
    """Items added up per product code and variant."""
    offers = ctx.offers()
    quantities: Quantities = {}
    for item in items:
        offer = offer_for(item, offers)
        key = (offer.code if offer else item.code or item.product, item.variant or "")
        quantities[key] = quantities.get(key, Decimal(0)) + item.qty
    return quantities


def sum_applied(quantities: Quantities, changes: Sequence[LineResult]) -> Quantities:
    """`quantities` after the order changed by `changes`."""
    total = dict(quantities)
    for change in changes:
        key = (change.code, change.variant)
        total[key] = total.get(key, Decimal(0)) + change.qty_change
    return total


def difference(after: Sequence[ReadItem], before: Sequence[ReadItem], ctx: Context) -> tuple[ReadItem, ...]:
    """The items to add (negative to take away) to turn `before` into `after`, per product and variant."""
    offers = ctx.offers()
    totals: Quantities = {}
    sample: dict[tuple[str, str], ReadItem] = {}
    for sign, items in ((1, after), (-1, before)):
        for item in items:
            offer = offer_for(item, offers)
            key = (offer.code if offer else item.product, item.variant or "")
            totals[key] = totals.get(key, Decimal(0)) + sign * item.qty
            sample.setdefault(key, item)
    return tuple(replace(sample[key], qty=qty) for key, qty in totals.items() if qty != 0)
