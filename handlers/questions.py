"""Asking back: when a message is unclear the bot asks one short question, and the answer settles it.

The question is a review item addressed to the member. Their next message that reads as an
answer (a number from the list, a product name, a quantity) settles it; a bare 好/是/不 does not,
and anything else goes on to the other handlers with the question still open for the leader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers.base import ANSWER_ROUTE, Context, Reply, Route
from handlers.catalog_view import catalog_of, offer_for
from handlers.line_items import applied_quantities, decode_applied, difference, encode_applied, sum_applied
from handlers.ordering import apply_items
from handlers.reading import match_product, read_chat_message, read_quantity, reasons
from handlers.reading.intents import (
    CancelOrder,
    ChangeOrder,
    ChatIntent,
    Chatter,
    PlaceOrder,
    PlusOne,
    Unclear,
)
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.reading.numbers import writes_a_count
from handlers.replies import candidate_list, chosen_by_number, confirmation
from models import reviews
from models.campaigns import takes_orders
from models.jielong import record_answered_line
from models.tables import Member, ReviewItem

_YES_WORDS = frozenset({"好", "好的", "是", "是的", "对", "对的", "嗯", "嗯嗯", "行", "可以", "ok", "OK"})
BARE_NO = frozenset({"不", "不是", "不对", "没有", "否"})
# A bare yes or no settles no choice among several: the question is asked again.
BARE_YES_NO = _YES_WORDS | BARE_NO
# A yes to a question with one choice; 要 (I want it) says yes too.
BARE_YES = _YES_WORDS | {"要"}
# A bare 好的 long after a yes-or-no question is more likely said to someone else.
YES_ANSWERS_WITHIN = timedelta(minutes=30)
_CHOICE = re.compile(r"^\s*(?:选|要)?\s*(\d{1,2})\s*(?:号|个)?\s*$")
# 第一个, 要第二个: a choice by its place in the list asked about.
_ORDINAL = re.compile(
    r"^\s*(?:选|要)?第\s*([一二三四五六七八九十]|\d{1,2})\s*(?:个|种|样)?\s*(?:吧|啊|呀)?\s*$"
)
_ORDINALS = "一二三四五六七八九十"
# 红的, 青的那个, 要富士的吧: a word from one candidate's name, with the words around it.
_WORD_OF_NAME = re.compile(
    r"^\s*(?:要|就要|那就|还是)?(?P<word>[\u4e00-\u9fff]{1,4}?)(?:的|那个|那种|那样)*\s*(?:吧|啊|呀|哈)?\s*$"
)


# The answer 不 / 不是 to "the same as the order above?".
DECLINED = "declined"

QUANTITY_REASONS = frozenset({reasons.AMBIGUOUS_QUANTITY, reasons.ABSURD_QUANTITY, reasons.UNIT_MISMATCH})
PRODUCT_REASONS = frozenset({reasons.AMBIGUOUS_PRODUCT, reasons.UNKNOWN_PRODUCT})


@dataclass(frozen=True)
class LineInDoubt:
    """The 接龙 line a question is about, and what that line had in the order before."""

    chain_key: str
    line_key: str
    applied: str | None


def ask_back(
    ctx: Context,
    *,
    reason: str,
    candidates: Sequence[CatalogEntry],
    items: Sequence[ReadItem],
    text: str | None = None,
    for_member: Member | None = None,
    line: LineInDoubt | None = None,
    about: str = "",
) -> Reply:
    """Record the doubt as a review item addressed to the sender, and ask them one short question.

    `text` is what is in doubt (one line of a 接龙, not the whole list); `for_member` whose order
    the answer goes into when a leader ordered for a neighbour; `line` the 接龙 line asked about;
    `about` the member whose order a `同上` would copy.
    """
    if reason in QUANTITY_REASONS:
        candidates = ()
    elif not candidates and reason in PRODUCT_REASONS:
        candidates = catalog_of(ctx.offers())
    in_doubt = text if text is not None else ctx.text
    campaign = ctx.campaign()
    reviews.open_review(
        session=ctx.session,
        group_id=ctx.group_id,
        campaign_id=campaign.id if campaign else None,
        member_id=(for_member or ctx.member).id,
        asked_member_id=ctx.member.id,
        text=in_doubt,
        reason=reason,
        now=ctx.now,
        source_message_id=ctx.message.message_id,
        context={
            "candidates": [entry.code or entry.name for entry in candidates],
            "items": [_item_json(item) for item in items],
            "for_member_id": for_member.id if for_member is not None else None,
            **(
                {"chain_key": line.chain_key, "line_key": line.line_key, "applied_before": line.applied}
                if line is not None
                else {}
            ),
        },
    )
    offer = offer_for(items[0], ctx.offers()) if items else None
    data = {
        "name": ctx.member.display_name,
        "reason": reason,
        "text": in_doubt[:60],
        "candidates": candidate_list(candidates),
        "items": [_item_json(item) for item in items],
        # 鸡蛋2个 of eggs sold by the 板: the question says how it is sold.
        "product": offer.name if offer else "",
        "sale_unit": offer.unit if offer else "",
        "about": about,
    }
    return Reply("ask_back", data, mentions=ctx.me)


def _item_json(item: ReadItem) -> dict[str, Any]:
    return {
        "product": item.product,
        "qty": str(item.qty),
        "unit": item.unit,
        "variant": item.variant,
        "raw": item.raw,
        "code": item.code,
        "implicit": item.implicit,
    }


def _item_from_json(data: dict[str, Any]) -> ReadItem | None:
    try:
        qty = Decimal(str(data.get("qty", "1")))
    except InvalidOperation:
        return None
    return ReadItem(
        product=str(data.get("product", "")),
        qty=qty,
        unit=data.get("unit"),
        raw=str(data.get("raw", "")),
        code=data.get("code"),
        variant=data.get("variant"),
        implicit=bool(data.get("implicit", False)),
    )


def _open_question(ctx: Context) -> ReviewItem | None:
    if ctx.member.id is None:
        return None
    pending = reviews.pending_question(session=ctx.session, group_id=ctx.group_id, member_id=ctx.member.id)
    return pending[-1] if pending else None


def _is_answer(ctx: Context) -> bool:
    if not ctx.member.awaiting_answer:
        return False
    question = _open_question(ctx)
    return question is not None and _read_answer(ctx, question) is not None


def _read_answer(
    ctx: Context, question: ReviewItem
) -> tuple[CatalogEntry | None, Decimal | None] | str | None:
    """A chosen product and/or quantity; "yes_no" for a bare yes or no, or a number that is none
    of the choices (both are asked again); None for not an answer.

    Only a message that reads as nothing but the answer is one: a cancel, another product or a
    whole new order goes on to the order handlers.
    """
    text = ctx.text.strip()
    recent = ctx.now - question.created_at <= YES_ANSWERS_WITHIN
    if question.reason == reasons.SAME_AS_ABOVE:
        return _copy_answer(text, recent=recent)
    if text in BARE_YES and recent and question.reason not in QUANTITY_REASONS:
        only = _candidates(ctx, question)
        if len(only) == 1:
            return only[0], None  # 是: the one product asked about (`1` alone: is it product 1?)
    if text in BARE_YES_NO:
        return "yes_no"
    if question.reason in QUANTITY_REASONS:
        quantity = read_quantity(text)
        return (None, quantity) if quantity is not None and quantity > 0 else None
    candidates = _candidates(ctx, question)
    ordinal = _ORDINAL.match(text)
    if ordinal is not None:
        # 第五个, 第5个: the fifth choice listed, whatever its number (after 下架 they differ).
        written = ordinal.group(1)
        place = int(written) - 1 if written.isdigit() else _ORDINALS.index(written)
        return (candidates[place], None) if 0 <= place < len(candidates) else "yes_no"
    choice = _CHOICE.match(text)
    if choice:
        entry = chosen_by_number(candidates, choice.group(1))
        return (entry, None) if entry is not None else "yes_no"
    intent = read_chat_message(text, catalog_of(ctx.offers()))
    if isinstance(intent, PlaceOrder):
        if len(intent.items) != 1 or intent.name:
            return None
        item = intent.items[0]
        entry = next((c for c in candidates if item.code == c.code or item.product == c.name), None)
        if entry is None:
            return None
        return entry, (item.qty if _writes_a_quantity(item.raw, entry) else None)
    if isinstance(intent, Unclear | Chatter) and candidates:
        match = match_product(text, candidates)
        if match.entry is not None:
            return match.entry, None
        entry = _chosen_by_word(text, candidates)
        if entry is not None:
            return entry, None
    return None


def _copy_answer(text: str, *, recent: bool) -> tuple[None, None] | str | None:
    """是 to "the same as 王五?" takes the order asked about as it stands; 不 declines it. Anything
    else is no answer: a member who writes their own order has answered by ordering."""
    if text in BARE_YES and recent:
        return None, None
    if text in BARE_NO:
        return DECLINED
    return None


def _chosen_by_word(text: str, candidates: Sequence[CatalogEntry]) -> CatalogEntry | None:
    """红的: the one candidate whose name holds 红."""
    word = _WORD_OF_NAME.match(text)
    if word is None:
        return None
    holding = [c for c in candidates if any(word.group("word") in name for name in (c.name, *c.aliases))]
    return holding[0] if len(holding) == 1 else None


def _writes_a_quantity(raw: str, entry: CatalogEntry) -> bool:
    """Whether the words name a quantity besides the product (红富士3斤, not 五常大米)."""
    for name in sorted((entry.name, *entry.aliases), key=len, reverse=True):
        raw = raw.replace(name, "")
    return writes_a_count(raw)


def drop_superseded_question(ctx: Context, intent: ChatIntent) -> None:
    """A member asked which apple who then cancels apples or writes a new order for them has
    answered by doing so: the question is dropped rather than left to catch a later message."""
    if not ctx.member.awaiting_answer:
        return
    question = _open_question(ctx)
    if question is None:
        return
    ordered_instead = isinstance(intent, PlaceOrder | ChangeOrder | CancelOrder | PlusOne)
    if question.reason == reasons.SAME_AS_ABOVE and ordered_instead:
        # Asked whether they want the same as 王五, they wrote what they want instead.
        reviews.settle_review(session=ctx.session, item=question, now=ctx.now, status=reviews.DISMISSED)
        return
    asked_about = {entry.name for entry in _candidates(ctx, question)} | {
        str(raw.get("product", "")) for raw in reviews.review_context(question).get("items", [])
    }
    if isinstance(intent, CancelOrder):
        named = set(intent.products)
        if not named or any(n in a or a in n for n in named for a in asked_about if a):
            reviews.settle_review(session=ctx.session, item=question, now=ctx.now, status=reviews.DISMISSED)
    elif isinstance(intent, PlaceOrder | ChangeOrder):
        named = {item.product for item in intent.items}
        if named & asked_about:
            reviews.settle_review(session=ctx.session, item=question, now=ctx.now, status=reviews.DISMISSED)


def _candidates(ctx: Context, question: ReviewItem) -> tuple[CatalogEntry, ...]:
    wanted = [str(c) for c in reviews.review_context(question).get("candidates", [])]
    catalog = catalog_of(ctx.offers())
    return tuple(entry for key in wanted for entry in catalog if key in (entry.code, entry.name))


def handle_answer(ctx: Context) -> list[Reply]:
    question = _open_question(ctx)
    assert question is not None
    campaign = ctx.campaign()
    if campaign is None or not takes_orders(campaign, ctx.now):
        # The cutoff time passed while the question waited (its job may not have run yet): an
        # answer now would be a late order, so the question ends and the member is told why.
        reviews.stop_asking(session=ctx.session, item=question)  # the leader still sees it, as at 截单
        title = campaign.title if campaign is not None else ""
        return [Reply("campaign_closed", {"name": ctx.member.display_name, "title": title}, mentions=ctx.me)]
    answer = _read_answer(ctx, question)
    if answer == DECLINED:
        reviews.settle_review(session=ctx.session, item=question, now=ctx.now, status=reviews.DISMISSED)
        return [Reply("write_your_order", {"name": ctx.member.display_name}, mentions=ctx.me)]
    if answer == "yes_no" or not isinstance(answer, tuple):
        data = {"name": ctx.member.display_name, "candidates": candidate_list(_candidates(ctx, question))}
        return [Reply("ask_again", data, mentions=ctx.me)]
    entry, quantity = answer
    context = reviews.review_context(question)
    stored = [item for raw in context.get("items", []) if (item := _item_from_json(raw))] or [
        ReadItem(product="", qty=Decimal(1), unit=None, raw=question.text)
    ]
    offers = ctx.offers()
    items = tuple(
        _settled(item, entry, quantity, known=offer_for(item, offers) is not None) for item in stored
    )
    owner = _answer_for(ctx, context)
    before = decode_applied(context.get("applied_before")) or ()
    if context.get("line_key"):
        items = difference(items, before, ctx)
    result = apply_items(ctx, member=owner, items=items, additive=True, entered_by=ctx.member)
    if result.unmatched and not (result.changed or result.refused):
        data = {"name": ctx.member.display_name, "candidates": candidate_list(_candidates(ctx, question))}
        return [Reply("ask_again", data, mentions=ctx.me)]
    reviews.settle_review(session=ctx.session, item=question, now=ctx.now)
    if context.get("line_key") and campaign.id is not None:
        record_answered_line(
            session=ctx.session,
            campaign_id=campaign.id,
            chain_key=str(context.get("chain_key", "")),
            line_key=str(context["line_key"]),
            applied=encode_applied(sum_applied(applied_quantities(before, ctx), result.changed)),
            now=ctx.now,
        )
    return [confirmation(ctx, owner, result, proxy=owner.id != ctx.member.id)]


def _answer_for(ctx: Context, context: dict[str, Any]) -> Member:
    """Whose order the answer goes into: the neighbour a leader ordered for, else the sender."""
    member_id = context.get("for_member_id")
    if isinstance(member_id, int):
        member = ctx.session.get(Member, member_id)
        if member is not None and member.group_id == ctx.group_id:
            return member
    return ctx.member


def _settled(
    item: ReadItem, entry: CatalogEntry | None, quantity: Decimal | None, *, known: bool
) -> ReadItem:
    """The item as the answer settles it: the chosen product for the one in doubt (an item the
    message named clearly keeps its own), the answered quantity if one was asked for."""
    if entry is not None and not known:
        item = replace(
            item, product=entry.name, code=entry.code, unit=item.unit or entry.unit, implicit=False
        )
    # An answered quantity is in the unit of sale (鸡蛋2个 → 1板), whatever unit the message had.
    return replace(item, qty=quantity, unit=None) if quantity is not None else item


ROUTES = [Route(name=ANSWER_ROUTE, matches=_is_answer, handle=handle_answer)]
