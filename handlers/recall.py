"""A member taking back (撤回) a message that ordered: WeChat removes it from everyone's screen, but
what it ordered is already recorded. Guessing what to undo could lose an order, so the member is
shown what stands and how to change it."""

from __future__ import annotations

from handlers.base import (
    ANSWER_ROUTE,
    CHAT_ORDER_ROUTE,
    JIELONG_ROUTE,
    REPEAT_ORDER_ROUTE,
    Context,
    Reply,
    Route,
)
from handlers.catalog_view import catalog_of
from handlers.reading import read_chat_message
from handlers.reading.intents import CancelOrder, ChangeOrder, PlaceOrder, PlusOne
from handlers.replies import order_snapshot
from models import inbound
from models.campaigns import takes_orders

# Routes whose handling of a message changes the sender's own order.
_ORDERING_ROUTES = frozenset({JIELONG_ROUTE, ANSWER_ROUTE, REPEAT_ORDER_ROUTE})


def _took_back_an_order(ctx: Context) -> bool:
    original = inbound.find_message(session=ctx.session, platform_id=ctx.message.text.strip())
    if original is None or original.sender_id != ctx.message.sender_id or original.outcome != "handled":
        return False
    if original.handler in _ORDERING_ROUTES:
        return True
    intent = read_chat_message(original.text, catalog_of(ctx.offers()))
    return original.handler == CHAT_ORDER_ROUTE and isinstance(
        intent, PlaceOrder | PlusOne | ChangeOrder | CancelOrder
    )


def handle_recall(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if campaign is None or not _took_back_an_order(ctx):
        return []
    data = {
        "name": ctx.member.display_name,
        "open": takes_orders(campaign, ctx.now),
        **order_snapshot(ctx, ctx.member),
    }
    return [Reply("recalled_order", data, mentions=ctx.me)]


ROUTES = [Route("recall", lambda ctx: ctx.message.kind == "recalled", handle_recall)]
