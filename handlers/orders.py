"""Orders written as free text in the group: 苹果两斤, +1, 改成3斤, 不要了, 我的订单."""

from __future__ import annotations

import re
from typing import Any

from handlers.base import CHAT_ORDER_ROUTE, Context, Reply, Route
from handlers.catalog_view import catalog_of, catalog_of_products, is_implicit
from handlers.chat_context import (
    carry_out,
    clause_by_clause,
    correction,
    less_of,
    muddled,
    order_above,
    product_from_context,
)
from handlers.ordering import ApplyResult, apply_items, order_book
from handlers.people import member_named, remember_address, same_person
from handlers.questions import ask_back, drop_superseded_question
from handlers.reading import (
    match_product,
    read_chain_row,
    read_chat_message,
    reasons,
    says_same_as_above,
    split_chain,
)
from handlers.reading.intents import (
    CancelOrder,
    ChangeOrder,
    ChatIntent,
    Chatter,
    PlaceOrder,
    PlusOne,
    ShowMyOrder,
    Unclear,
)
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.replies import confirmation, order_snapshot, product_names
from models import catalog as catalog_rows
from models import members as member_rows
from models import orders as order_rows
from models.campaigns import ARRIVED, CLOSED, campaigns_in, list_offers, takes_orders
from models.orders import OrderBook
from models.tables import Campaign, Member

IMPLICIT = "(本团商品)"


def handle_chat_order(ctx: Context) -> list[Reply]:
    catalog = catalog_of(ctx.offers())
    intent = _own_list(ctx, catalog) or less_of(ctx, catalog) or read_chat_message(ctx.text, catalog)
    if isinstance(intent, ShowMyOrder):
        return [_my_order(ctx)]
    copying = isinstance(intent, Chatter) and says_same_as_above(ctx.text)
    if not copying and not isinstance(intent, PlaceOrder | PlusOne | ChangeOrder | CancelOrder | Unclear):
        return []
    campaign = ctx.campaign()
    if campaign is None:
        return (
            [Reply("no_campaign", {"name": ctx.member.display_name}, mentions=ctx.me)]
            if copying or _orders(intent)
            else []
        )
    if not takes_orders(campaign, ctx.now):
        return [
            Reply(
                "campaign_closed",
                {"name": ctx.member.display_name, "title": campaign.title},
                mentions=ctx.me,
            )
        ]
    if copying:
        return [_same_as_above(ctx, catalog)]
    fixed = correction(ctx, catalog)
    if fixed:
        return carry_out(fixed, lambda step: _act(ctx, step))
    if muddled(intent, catalog):
        # 大米不要了，橙子改成2箱: read as a whole it is one muddled change; clause by clause, two.
        steps = clause_by_clause(ctx.text, catalog)
        if steps:
            return carry_out(steps, lambda step: _act(ctx, step))
    if isinstance(intent, Unclear):
        intent = product_from_context(ctx, intent) or intent
    if isinstance(intent, Unclear) and intent.reason == reasons.UNKNOWN_PRODUCT:
        off = _not_on_sale(ctx, intent.items)
        if off:
            # 香蕉1把 after 下架 3: say bananas are off today, rather than "not found".
            data = {"name": ctx.member.display_name, "products": off}
            return [Reply("product_not_on_sale", data, mentions=ctx.me)]
    return _act(ctx, intent)


def _same_as_above(ctx: Context, catalog: tuple[CatalogEntry, ...]) -> Reply:
    """同上: asked, not ordered. 楼上 may be a different message by the time the bot reads it (two
    people wrote at once), so the member confirms what is copied with a 是."""
    above = order_above(ctx, catalog)
    if above is None:
        return Reply("nothing_above", {"name": ctx.member.display_name}, mentions=ctx.me)
    who, items = above
    return ask_back(ctx, reason=reasons.SAME_AS_ABOVE, candidates=(), items=items, about=who)


def _not_on_sale(ctx: Context, items: tuple[ReadItem, ...]) -> list[str]:
    """Names of the group's products, not on sale in this campaign, that the unknown items name."""
    offered = {offer.product_id for offer in ctx.offers()}
    others = [
        p
        for p in catalog_rows.list_products(session=ctx.session, group_id=ctx.group_id, active_only=False)
        if p.id not in offered
    ]
    catalog = catalog_of_products(others)
    named = [match_product(item.product, catalog).entry for item in items if not is_implicit(item)]
    return list(dict.fromkeys(entry.name for entry in named if entry is not None))


def _act(ctx: Context, intent: ChatIntent) -> list[Reply]:
    """Carry out one instruction of a member's message (or ask about it)."""
    assert isinstance(intent, PlaceOrder | PlusOne | ChangeOrder | CancelOrder | Unclear)
    if isinstance(intent, CancelOrder):
        intent = person_or_product(ctx, code_not_name(intent))
    drop_superseded_question(ctx, intent)
    member, proxy = member_named(ctx, intent.name)
    if isinstance(intent, Unclear):
        return [
            ask_back(
                ctx,
                reason=intent.reason,
                candidates=intent.candidates,
                items=intent.items,
                for_member=member if proxy else None,
            )
        ]
    if isinstance(intent, PlaceOrder):
        remember_address(member, intent.note)
    if isinstance(intent, CancelOrder):
        return [cancel_items(ctx, member, intent.products, proxy=proxy)]
    if isinstance(intent, PlusOne):
        return _place(
            ctx,
            member,
            (ReadItem(product=IMPLICIT, qty=intent.qty, unit=None, raw=ctx.text, implicit=True),),
            additive=True,
            proxy=proxy,
        )
    return _place(ctx, member, intent.items, additive=isinstance(intent, PlaceOrder), proxy=proxy)


def _own_list(ctx: Context, catalog: tuple[CatalogEntry, ...]) -> PlaceOrder | None:
    """ "1. 红富士2斤 / 2. 香蕉1把": one person's order written as a numbered list (a list naming
    people is a 接龙 and never gets here). Each line is read as a 接龙 line, so its number is a
    line number, not a product code; a line in doubt leaves the message to the chat reader."""
    layout = split_chain(ctx.text)
    if layout is None or len(layout.lines) < 2 or layout.has_header or layout.title is not None:
        return None
    rows = [read_chain_row(line, catalog) for line in layout.lines]
    if any(row.status != "ok" or row.name for row in rows):
        return None
    return PlaceOrder(items=tuple(item for row in rows for item in row.items))


def _orders(intent: ChatIntent) -> bool:
    return isinstance(intent, PlaceOrder | PlusOne)


def _place(
    ctx: Context, member: Member, items: tuple[ReadItem, ...], *, additive: bool, proxy: bool
) -> list[Reply]:
    result = apply_items(ctx, member=member, items=items, additive=additive, entered_by=ctx.member)
    replies: list[Reply] = []
    if result.changed or result.refused:
        replies.append(confirmation(ctx, member, result, proxy=proxy))
    if result.unmatched:
        replies.append(_ask_about_unmatched(ctx, result))
    return replies


def _ask_about_unmatched(ctx: Context, result: ApplyResult) -> Reply:
    """A line that named no product, or one the campaign does not offer: ask rather than guess."""
    implicit = [item for item in result.unmatched if is_implicit(item)]
    candidates = catalog_of(ctx.offers())
    if implicit:
        return ask_back(ctx, reason=reasons.AMBIGUOUS_PRODUCT, candidates=candidates, items=tuple(implicit))
    return ask_back(ctx, reason=reasons.UNKNOWN_PRODUCT, candidates=candidates, items=tuple(result.unmatched))


def cancel_items(ctx: Context, member: Member, products: tuple[str, ...], *, proxy: bool) -> Reply:
    """Cancel the named products, or the whole order when none are named.

    Each name is looked for among the products this member ordered (苹果 is their 红富士苹果, 4号
    is product 4). A name that fits none, or several, cancels nothing: the member is told, never
    left with the whole order gone.
    """
    book = order_book(ctx, member)
    removed_ids: list[int] = []
    unknown: list[str] = []
    which: list[str] = []
    if book is not None:
        if not products:
            removed_ids = order_rows.remove_lines(session=ctx.session, book=book, now=ctx.now)
        for word in products:
            found = _ordered_products_named(ctx, book, word)
            if len(found) > 1:
                which.append(word)
            elif not found:
                unknown.append(word)
            for product_id in found if len(found) == 1 else ():
                removed_ids += order_rows.remove_lines(
                    session=ctx.session, book=book, now=ctx.now, product_id=product_id
                )
    names = product_names(ctx, set(removed_ids))
    removed = list(dict.fromkeys(names[product_id] for product_id in removed_ids if product_id in names))
    data = {
        "name": member.display_name,
        "proxy": proxy,
        "removed": removed,
        "unknown": unknown,
        "which": which,
        **order_snapshot(ctx, member),
    }
    return Reply("order_cancelled", data, mentions=() if proxy else ctx.me, merge_key="confirm")


_PRODUCT_CODE = re.compile(r"^第?(\d{1,4})号?$")


def code_not_name(intent: CancelOrder) -> CancelOrder:
    """取消4号 names product 4, not a person called 4号 whose whole order would go."""
    if intent.name and _PRODUCT_CODE.match(intent.name):
        return CancelOrder(products=(*intent.products, intent.name), name=None)
    return intent


def person_or_product(ctx: Context, intent: CancelOrder) -> CancelOrder:
    """`李四不要了` withdraws a whole order only when 李四 is someone the sender may cancel for:
    herself, or, for a leader, a member the group knows. Any other word (榴莲不要了, or 土鸡蛋不要了
    once eggs are off the list) is a product, and cancels nothing but that product."""
    if not intent.name or intent.products:
        return intent
    if same_person(intent.name, ctx.member.display_name):
        return CancelOrder()
    if ctx.is_leader and member_rows.find_members_by_name(
        session=ctx.session, group_id=ctx.group_id, name=intent.name
    ):
        return intent
    return CancelOrder(products=(intent.name,))


def _ordered_products_named(ctx: Context, book: OrderBook, word: str) -> set[int]:
    """The products in `book` that `word` names: by code, by full name, else by a part of a name."""
    ordered = book.product_ids()
    campaign = ctx.campaign()
    # Taken-off products too: what was ordered before 下架 can still be cancelled by name.
    every_offer = list_offers(session=ctx.session, campaign=campaign, active_only=False) if campaign else []
    offers = [offer for offer in every_offer if offer.product_id in ordered]
    code = _PRODUCT_CODE.match(word)
    if code:
        return {offer.product_id for offer in offers if offer.code == code.group(1)}
    exact = {offer.product_id for offer in offers if word == offer.name or word in offer.aliases}
    if exact:
        return exact
    return {
        offer.product_id
        for offer in offers
        if word in offer.name or any(word in alias or alias in word for alias in offer.aliases)
    }


def _my_order(ctx: Context) -> Reply:
    campaign = ctx.campaign()
    data = {
        "name": ctx.member.display_name,
        "title": campaign.title if campaign else "",
        **order_snapshot(ctx, ctx.member),
        "waiting": _goods_waiting(ctx, exclude=campaign),
    }
    return Reply("my_order", data, mentions=ctx.me)


def _goods_waiting(ctx: Context, *, exclude: Campaign | None) -> list[dict[str, Any]]:
    """Earlier campaigns' goods the member has not collected yet (今天的在订, 昨天的还没取)."""
    waiting: list[dict[str, Any]] = []
    if ctx.member.id is None:
        return waiting
    for earlier in campaigns_in(session=ctx.session, group_id=ctx.group_id, statuses=(CLOSED, ARRIVED)):
        if earlier.id is None or (exclude is not None and earlier.id == exclude.id):
            continue
        order = order_rows.get_order(session=ctx.session, campaign_id=earlier.id, member_id=ctx.member.id)
        if order is None or order.id is None or order.picked_up_at is not None:
            continue
        lines = order_rows.order_lines(session=ctx.session, order_id=order.id)
        if lines:
            waiting.append(
                {
                    "title": earlier.title,
                    "arrived": earlier.status == ARRIVED,
                    "lines": [
                        {"product": ln.product_name, "variant": ln.variant, "qty": ln.qty, "unit": ln.unit}
                        for ln in lines
                    ],
                    "pickup_code": order.pickup_code,
                }
            )
    return waiting


ROUTES = [
    Route(name=CHAT_ORDER_ROUTE, matches=lambda ctx: True, handle=handle_chat_order),
]
