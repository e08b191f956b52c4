"""What a careful leader fills in from what she already knows when one message alone is unclear.

The reader sees a message by itself; the leader also knows the day's offers and what the member
has ordered. `再来1斤` from someone who ordered only apples is one more 斤 of apples; `2板` when
only the eggs come by the 板 is two 板 of eggs; `大米不要了，橙子改成2箱` is two instructions, each
clear on its own; `西红柿少要2斤` is 2斤 less than she has; `不对，是青苹果2斤` replaces the order she
just wrote. Anything still in doubt is asked about as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from handlers.base import ANSWER_ROUTE, CHAT_ORDER_ROUTE, JIELONG_ROUTE, Context, Reply
from handlers.catalog_view import is_implicit
from handlers.commands import strip_leading_mentions
from handlers.ordering import order_book
from handlers.reading import match_product, read_chain, read_chat_message, reasons, says_same_as_above
from handlers.reading.intents import CancelOrder, ChangeOrder, ChatIntent, PlaceOrder, Unclear
from handlers.reading.model import CatalogEntry, ReadItem
from models import inbound
from models.campaigns import Offer

# How far back 楼上 reaches: a message from longer ago is no longer the one above.
ABOVE_WITHIN = timedelta(minutes=15)
# 同上 under 同上 under an order: how many of them are followed up to the order.
_MAX_SAME_AS_ABOVE = 5

# 再来1斤, 还要2斤, 加1斤: more of something already ordered.
_MORE = re.compile(r"再|还要|还来|加")
_CLAUSE = re.compile(r"[，,。；;\n]+")
# A doubt the reader joins to another (`；`) is more than a missing product name.
_SEVERAL_DOUBTS = "；"


def product_from_context(ctx: Context, intent: Unclear) -> PlaceOrder | None:
    """The order an Unclear message means when only its product is missing and what the leader
    knows names it: the one product the sender ordered (for 再来/还要), or the one sold by the unit."""
    if (
        intent.reason != reasons.AMBIGUOUS_PRODUCT
        or intent.name is not None
        or not intent.items
        or not all(is_implicit(item) for item in intent.items)
        or _SEVERAL_DOUBTS in intent.detail
    ):
        return None
    offers = ctx.offers()
    book = order_book(ctx, ctx.member)
    ordered = [offer for offer in offers if book is not None and offer.product_id in book.product_ids()]
    more = _MORE.search(ctx.text) is not None
    settled: list[ReadItem] = []
    for item in intent.items:
        offer = _fits(item, ordered) if more else None
        offer = offer or _only_one_sold_by(item.unit, offers)
        if offer is None:
            return None
        settled.append(replace(item, product=offer.name, code=offer.code, unit=offer.unit, implicit=False))
    return PlaceOrder(items=tuple(settled))


def _fits(item: ReadItem, ordered: Sequence[Offer]) -> Offer | None:
    if len(ordered) != 1:
        return None
    offer = ordered[0]
    return offer if item.unit in (None, offer.unit) else None


def _only_one_sold_by(unit: str | None, offers: Sequence[Offer]) -> Offer | None:
    if unit is None or len(offers) < 2:
        return None
    sold_by = [offer for offer in offers if offer.unit == unit]
    return sold_by[0] if len(sold_by) == 1 else None


def muddled(intent: ChatIntent, catalog: tuple[CatalogEntry, ...]) -> bool:
    """Whether a message read as a whole leaves something unresolved that its clauses may not:
    a doubt, or a change or cancel of a product nobody sells (`大米不要了，橙子` read as one name).
    A change that reads cleanly (改成富士3斤，香蕉2把 sets both) is never split: its later clauses
    would become additions."""
    if isinstance(intent, Unclear):
        return True
    if isinstance(intent, ChangeOrder):
        named = [item for item in intent.items if not is_implicit(item)]
        return any(match_product(item.product, catalog).entry is None for item in named)
    if isinstance(intent, CancelOrder):
        return any(match_product(product, catalog).entry is None for product in intent.products)
    return False


def clause_by_clause(text: str, catalog: tuple[CatalogEntry, ...]) -> list[ChatIntent] | None:
    """`大米不要了，橙子改成2箱`: the instructions of a message whose clauses are each clear on their
    own and name their product; None when any clause is not (then the whole message is asked about)."""
    clauses = [c.strip() for c in _CLAUSE.split(strip_leading_mentions(text)) if c.strip()]
    if len(clauses) < 2:
        return None
    steps: list[ChatIntent] = []
    for clause in clauses:
        intent = read_chat_message(clause, catalog)
        if not _clear_on_its_own(intent):
            return None
        steps.append(intent)
    return steps


def _clear_on_its_own(intent: ChatIntent) -> bool:
    """A cancel or change or order of named products, for the sender."""
    if isinstance(intent, CancelOrder):
        return bool(intent.products) and intent.name is None
    if isinstance(intent, ChangeOrder | PlaceOrder):
        return intent.name is None and bool(intent.items) and not any(map(is_implicit, intent.items))
    return False


_SUMMARISED = frozenset({"order_confirmed", "order_cancelled"})


def carry_out(steps: Sequence[ChatIntent], act: Callable[[ChatIntent], list[Reply]]) -> list[Reply]:
    """The replies to a message's instructions, done in order; only the last one shows the order
    as it finally stands (an earlier 还剩… would already be out of date)."""
    replies: list[Reply] = []
    for number, step in enumerate(steps, start=1):
        done = act(step)
        if number < len(steps):
            done = [
                replace(r, data={**r.data, "lines": [], "total_fen": 0}) if r.template in _SUMMARISED else r
                for r in done
            ]
        replies.extend(done)
    return replies


# 西红柿少要2斤, 富士减1斤: less of something already ordered, by that much.
_LESS = re.compile(
    r"^(?P<what>[^\d，,。]+?)\s*(?:少要|少来|少订|减少|减掉|减去|减)\s*(?P<count>[0-9一二两三四五六七八九十半].*)$"
)


def less_of(ctx: Context, catalog: tuple[CatalogEntry, ...]) -> ChangeOrder | None:
    """`西红柿少要2斤`: the new quantity of the one product named, from what the member has."""
    found = _LESS.match(strip_leading_mentions(ctx.text))
    if found is None:
        return None
    intent = read_chat_message(found.group("what") + found.group("count"), catalog)
    if not isinstance(intent, PlaceOrder) or len(intent.items) != 1 or intent.name is not None:
        return None
    item = intent.items[0]
    offer = next((o for o in ctx.offers() if o.code == item.code), None)
    book = order_book(ctx, ctx.member)
    if offer is None or book is None or item.unit not in (None, offer.unit):
        return None
    now = book.qty(offer.product_id, item.variant or "")
    if now <= 0:
        return None
    return ChangeOrder(items=(replace(item, qty=max(now - item.qty, Decimal(0))),))


# 不对，是青苹果2斤 / 说错了 要香蕉: the order just written was a mistake; this one replaces it.
_CORRECTION = re.compile(
    r"^(?:不对|不是|错了|说错了|写错了|搞错了|打错了)[，,。！!\s]*(?:应该是|要的是|我要的是|是)?\s*"
)


def correction(ctx: Context, catalog: tuple[CatalogEntry, ...]) -> list[ChatIntent] | None:
    """`不对，是青苹果2斤` right after `红富士2斤`: take back what that message ordered, then order this.
    None when the message is no correction, or the one before it ordered nothing to take back."""
    text = strip_leading_mentions(ctx.text)
    found = _CORRECTION.match(text)
    if found is None or not text[found.end() :].strip():
        return None
    wanted = read_chat_message(text[found.end() :], catalog)
    before = inbound.last_message_from(
        session=ctx.session, chat_id=ctx.message.chat_id, sender_id=ctx.message.sender_id
    )
    if (
        not isinstance(wanted, PlaceOrder)
        or wanted.name
        or before is None
        or before.handler != CHAT_ORDER_ROUTE
    ):
        return None
    mistaken = read_chat_message(before.text, catalog)
    book = order_book(ctx, ctx.member)
    if not isinstance(mistaken, PlaceOrder) or mistaken.name or book is None:
        return None
    offers = {offer.code: offer for offer in ctx.offers()}
    undo: list[ReadItem] = []
    for item in mistaken.items:
        offer = offers.get(item.code or "")
        if offer is None:
            return None
        now = book.qty(offer.product_id, item.variant or "")
        if now < item.qty:
            return None  # that message did not order all of it (a limit refused it, say): no guessing
        undo.append(replace(item, qty=now - item.qty))
    return [ChangeOrder(items=tuple(undo)), wanted]


def order_above(ctx: Context, catalog: tuple[CatalogEntry, ...]) -> tuple[str, tuple[ReadItem, ...]] | None:
    """Who wrote the order a member's `同上` points at, and what it ordered.

    It is the latest message by someone else in the last quarter of an hour, passing over other
    同上 and the 是 that confirmed them (三楼同上 under 二楼同上 under the order). None when that
    message is no clear order of the day's goods: the member is then asked what they want.
    """
    before_id: int | None = None
    for _ in range(_MAX_SAME_AS_ABOVE):
        above = inbound.last_message_from_others(
            session=ctx.session,
            chat_id=ctx.message.chat_id,
            sender_id=ctx.message.sender_id,
            since=ctx.now - ABOVE_WITHIN,
            before_id=before_id,
        )
        if above is None:
            return None
        if above.handler != ANSWER_ROUTE and not says_same_as_above(above.text):
            items = _newest_line(above.text, catalog) if above.handler == JIELONG_ROUTE else None
            if items is None:
                intent = read_chat_message(above.text, catalog)
                items = intent.items if isinstance(intent, PlaceOrder) else None
            if not items or any(is_implicit(item) for item in items):
                return None
            return above.sender_name, items
        before_id = above.id
    return None


def _newest_line(chain: str, catalog: tuple[CatalogEntry, ...]) -> tuple[ReadItem, ...] | None:
    """The last line of a reposted 接龙, the one its writer added: `同上` under a repost means it."""
    reading = read_chain(chain, catalog)
    if reading is None or not reading.rows:
        return None
    last = reading.rows[-1]
    return last.items if last.status == "ok" and last.items else None
