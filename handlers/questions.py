"""Asking back: when a message is unclear the bot asks one short question, and the answer settles it.

The question is a review item addressed to the member. Their next message that reads as an
answer (a number from the list, a product name, a quantity) settles it; a bare 好/是/不 does not,
and anything else goes on to the other handlers with the question still open for the leader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers.base import Context, Reply, Route
from handlers.catalog_view import catalog_of, offer_for
from handlers.ordering import apply_items
from handlers.reading import match_product, read_quantity
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.replies import candidate_list, confirmation
from models import reviews
from models.tables import ReviewItem

BARE_YES_NO = frozenset(
    {
        "好",
        "好的",
        "是",
        "是的",
        "对",
        "对的",
        "嗯",
        "嗯嗯",
        "行",
        "可以",
        "ok",
        "OK",
        "不",
        "不是",
        "不对",
        "没有",
        "否",
    }
)
_CHOICE = re.compile(r"^\s*(?:选|要|第)?\s*(\d{1,2})\s*(?:号|个)?\s*$")


def ask_back(
    ctx: Context,
    *,
    reason: str,
    candidates: Sequence[CatalogEntry],
    items: Sequence[ReadItem],
) -> Reply:
    """Record the doubt as a review item addressed to the sender, and ask them one short question."""
    campaign = ctx.campaign()
    reviews.open_review(
        session=ctx.session,
        group_id=ctx.group_id,
        campaign_id=campaign.id if campaign else None,
        member_id=ctx.member.id,
        asked_member_id=ctx.member.id,
        text=ctx.text,
        reason=reason,
        now=ctx.now,
        source_message_id=ctx.message.message_id,
        context={
            "candidates": [entry.code or entry.name for entry in candidates],
            "items": [_item_json(item) for item in items],
        },
    )
    data = {
        "name": ctx.member.display_name,
        "reason": reason,
        "text": ctx.text[:60],
        "candidates": candidate_list(candidates),
        "items": [_item_json(item) for item in items],
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
    """A chosen product and/or quantity, "yes_no" for a bare yes or no, None for not an answer."""
    text = ctx.text.strip()
    if text in BARE_YES_NO:
        return "yes_no"
    candidates = _candidates(ctx, question)
    choice = _CHOICE.match(text)
    if choice and candidates and 1 <= int(choice.group(1)) <= len(candidates):
        return candidates[int(choice.group(1)) - 1], None
    if candidates:
        match = match_product(text, candidates)
        if match.entry is not None:
            return match.entry, None
    quantity = read_quantity(text)
    if quantity is not None and question.reason in {"ambiguous_quantity", "absurd_quantity"}:
        return None, quantity
    return None


def _candidates(ctx: Context, question: ReviewItem) -> tuple[CatalogEntry, ...]:
    wanted = [str(c) for c in reviews.review_context(question).get("candidates", [])]
    catalog = catalog_of(ctx.offers())
    return tuple(entry for key in wanted for entry in catalog if key in (entry.code, entry.name))


def handle_answer(ctx: Context) -> list[Reply]:
    question = _open_question(ctx)
    assert question is not None
    answer = _read_answer(ctx, question)
    if answer == "yes_no" or not isinstance(answer, tuple):
        data = {"name": ctx.member.display_name, "candidates": candidate_list(_candidates(ctx, question))}
        return [Reply("ask_again", data, mentions=ctx.me)]
    entry, quantity = answer
    stored = [
        item for raw in reviews.review_context(question).get("items", []) if (item := _item_from_json(raw))
    ] or [ReadItem(product="", qty=Decimal(1), unit=None, raw=question.text)]
    offers = ctx.offers()
    items = tuple(
        _settled(item, entry, quantity, known=offer_for(item, offers) is not None) for item in stored
    )
    result = apply_items(ctx, member=ctx.member, items=items, additive=True)
    if not (result.changed or result.refused):
        return []
    reviews.settle_review(session=ctx.session, item=question, now=ctx.now)
    return [confirmation(ctx, ctx.member, result)]


def _settled(
    item: ReadItem, entry: CatalogEntry | None, quantity: Decimal | None, *, known: bool
) -> ReadItem:
    """The item as the answer settles it: the chosen product for the one in doubt (an item the
    message named clearly keeps its own), the answered quantity if one was asked for."""
    if entry is not None and not known:
        item = replace(
            item, product=entry.name, code=entry.code, unit=item.unit or entry.unit, implicit=False
        )
    return replace(item, qty=quantity) if quantity is not None else item


ROUTES = [Route(name="answer", matches=_is_answer, handle=handle_answer)]
