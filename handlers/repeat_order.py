"""`老样子`, `和上次一样`: the member's last order again, as far as today's campaign offers it.

Regulars (and the elderly neighbours a leader orders for) often order the same things every
time. The quantities are set, not added, so saying it twice orders nothing twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handlers.base import REPEAT_ORDER_ROUTE, Context, Reply, Route
from handlers.catalog_view import catalog_of
from handlers.commands import strip_leading_mentions
from handlers.ordering import apply_items
from handlers.reading.model import ReadItem
from handlers.replies import candidate_list, confirmation
from models import orders as order_rows
from models.campaigns import takes_orders
from models.tables import Member

_REPEAT = re.compile(
    r"^(?:还是|就|也|我也|我)?\s*(?:老样子|照旧|老规矩|照老样子|(?:和|跟|同)上(?:次|回|一次|一回|周)一样|照上(?:次|回)的?)"
    r"\s*(?:来一份|的|吧|啊|呀|哈|哦|噢)*[\s，,。.!！~～]*(?:谢谢(?:团长)?)?[\s。.!！~～]*$"
)


def asks_for_last_order(text: str) -> bool:
    return _REPEAT.match(strip_leading_mentions(text)) is not None


def repeat_last_order(ctx: Context, member: Member, *, proxy: bool) -> list[Reply]:
    """Order for `member` what they ordered last time; what today does not offer is listed."""
    campaign = ctx.campaign()
    if campaign is None or campaign.id is None:
        return [Reply("no_campaign", {"name": member.display_name}, mentions=ctx.me)]
    if not takes_orders(campaign, ctx.now):
        closed = {"name": member.display_name, "title": campaign.title}
        return [Reply("campaign_closed", closed, mentions=ctx.me)]
    assert member.id is not None
    last = order_rows.last_order_lines(
        session=ctx.session, member_id=member.id, before_campaign_id=campaign.id
    )
    offers = {offer.product_id: offer for offer in ctx.offers()}
    items = tuple(
        ReadItem(
            product=offers[line.product_id].name,
            qty=line.qty,
            unit=offers[line.product_id].unit,
            raw=ctx.text,
            code=offers[line.product_id].code,
            variant=line.variant or None,
        )
        for line in last
        if line.product_id in offers
    )
    missing = [line.product_name for line in last if line.product_id not in offers]
    if not items:
        return [_not_repeated(ctx, member.display_name, proxy=proxy, had_order=bool(last), missing=missing)]
    result = apply_items(ctx, member=member, items=items, additive=False, entered_by=ctx.member)
    replies = [confirmation(ctx, member, result, proxy=proxy)]
    if missing:
        replies.append(_not_repeated(ctx, member.display_name, proxy=proxy, missing=missing, ordered=True))
    return replies


def nothing_to_repeat(ctx: Context, name: str, *, proxy: bool) -> Reply:
    """The reply to 老样子 from (or for) someone who never ordered before."""
    return _not_repeated(ctx, name, proxy=proxy, had_order=False)


def _not_repeated(
    ctx: Context,
    name: str,
    *,
    proxy: bool,
    had_order: bool = True,
    missing: Sequence[str] = (),
    ordered: bool = False,
) -> Reply:
    """What of the last order could not be repeated: all of it (with today's products listed),
    or the products today does not offer."""
    data = {
        "name": name,
        "proxy": proxy,
        "had_order": had_order,
        "missing": list(missing),
        "ordered": ordered,
        "candidates": candidate_list(catalog_of(ctx.offers())),
    }
    return Reply("repeat_nothing", data, mentions=ctx.me)


def handle_repeat(ctx: Context) -> list[Reply]:
    return repeat_last_order(ctx, ctx.member, proxy=False)


ROUTES = [Route(REPEAT_ORDER_ROUTE, lambda ctx: asks_for_last_order(ctx.text), handle_repeat)]
