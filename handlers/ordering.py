"""Putting read items into a member's order, with the campaign's stock and per-person limits.

Every way of ordering (chat, 接龙, a leader's proxy order, an answer to a question) ends here,
so the rules are the same whichever way a member orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from handlers.base import Context
from handlers.catalog_view import catalog_of, is_implicit, offer_for
from handlers.reading import match_product
from handlers.reading.model import ReadItem
from models import orders as order_rows
from models.campaigns import Offer, lock_listing, takes_orders
from models.orders import BookedOrder, OrderBook
from models.tables import Member


@dataclass(frozen=True)
class LineResult:
    """What happened to one product in an order."""

    code: str
    product: str
    variant: str
    unit: str
    qty_now: Decimal
    qty_change: Decimal


@dataclass(frozen=True)
class Refusal:
    """A product that could not be ordered as asked, and why (worded by the template)."""

    product: str
    reason: str  # sold_out | over_limit | not_offered | unit_mismatch
    unit: str = ""
    available: Decimal | None = None
    limit: Decimal | None = None
    # For unit_mismatch: the unit the member wrote, which the product is not sold by.
    asked_unit: str = ""


@dataclass
class ApplyResult:
    order: BookedOrder | None = None
    changed: list[LineResult] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unmatched: list[ReadItem] = field(default_factory=list)


def order_book(ctx: Context, member: Member) -> OrderBook | None:
    """The member's order in the current campaign, read once per message and shared by handlers."""
    campaign = ctx.campaign()
    if campaign is None or campaign.id is None or member.id is None:
        return None
    key = f"order_book:{member.id}"
    if key not in ctx.memo:
        ctx.memo[key] = order_rows.load_order_book(
            session=ctx.session, campaign_id=campaign.id, member_id=member.id
        )
    book: OrderBook = ctx.memo[key]
    return book


def apply_items(
    ctx: Context,
    *,
    member: Member,
    items: Sequence[ReadItem],
    additive: bool,
    entered_by: Member | None = None,
) -> ApplyResult:
    """Add (or set) each item in the member's order in the current campaign.

    Items whose product the campaign does not offer come back in `unmatched`; items that would
    break stock or a per-person limit come back in `refused` and change nothing.
    """
    campaign = ctx.campaign()
    result = ApplyResult()
    book = order_book(ctx, member)
    if campaign is None or not takes_orders(campaign, ctx.now) or book is None:
        result.unmatched.extend(items)
        return result
    offers = ctx.offers()
    for item in items:
        offer = offer_for(item, offers) or _only_product_ordered(book, item, offers)
        if offer is None:
            result.unmatched.append(item)
            continue
        if item.unit and item.unit != offer.unit:
            result.refused.append(
                Refusal(product=offer.name, reason="unit_mismatch", unit=offer.unit, asked_unit=item.unit)
            )
            continue
        _apply_one(ctx, result, book, member, offer, item, additive, entered_by or member)
    return result


def _only_product_ordered(book: OrderBook, item: ReadItem, offers: Sequence[Offer]) -> Offer | None:
    """What `改成3斤` or `苹果改成3斤` means when the words alone do not say: the one product the
    member has ordered, or the one of their products the words fit."""
    ordered = [offer for offer in offers if offer.product_id in book.product_ids()]
    if is_implicit(item):
        return ordered[0] if len(ordered) == 1 else None
    match = match_product(item.product, catalog_of(ordered))
    if match.entry is None:
        return None
    return next((offer for offer in ordered if offer.code == match.entry.code), None)


def _apply_one(
    ctx: Context,
    result: ApplyResult,
    book: OrderBook,
    member: Member,
    offer: Offer,
    item: ReadItem,
    additive: bool,
    entered_by: Member,
) -> None:
    variant = item.variant or ""
    current = book.qty(offer.product_id, variant)
    target = current + item.qty if additive else item.qty
    increase = target - current
    refusal = _check_limits(ctx, book, offer, increase)
    if refusal is not None:
        result.refused.append(refusal)
        return
    result.order = order_rows.open_order(
        session=ctx.session,
        book=book,
        member=member,
        entered_by=entered_by,
        now=ctx.now,
        source_message_id=ctx.message.message_id,
    )
    now_qty = order_rows.set_quantity(
        session=ctx.session,
        book=book,
        offer=offer,
        variant=variant,
        qty=target,
        now=ctx.now,
        source_message_id=ctx.message.message_id,
        raw=item.raw,
    )
    result.changed.append(
        LineResult(
            code=offer.code,
            product=offer.name,
            variant=variant,
            unit=offer.unit,
            qty_now=now_qty,
            qty_change=now_qty - current,
        )
    )


def _check_limits(ctx: Context, book: OrderBook, offer: Offer, increase: Decimal) -> Refusal | None:
    """Refuse an increase that would sell more than the stock or more than one person may buy."""
    if increase <= 0:
        return None
    if offer.limit_per_person is not None:
        mine = book.product_qty(offer.product_id)
        if mine + increase > offer.limit_per_person:
            return Refusal(
                product=offer.name,
                reason="over_limit",
                unit=offer.unit,
                limit=offer.limit_per_person,
                available=max(offer.limit_per_person - mine, Decimal(0)),
            )
    if offer.stock is not None:
        lock_listing(session=ctx.session, listing_id=offer.listing_id)
        # Pending changes in this session are flushed first, so the sum includes this message's.
        taken = order_rows.ordered_quantity(
            session=ctx.session, campaign_id=book.campaign_id, product_id=offer.product_id
        )
        if taken + increase > offer.stock:
            return Refusal(
                product=offer.name,
                reason="sold_out",
                unit=offer.unit,
                available=max(offer.stock - taken, Decimal(0)),
            )
    return None
