"""Proxy orders: a leader orders for an elderly neighbour who has no WeChat.

Forms: `代 王奶奶 鸡蛋2板`, `代下单 3栋502李爷爷 苹果2斤`, `帮@王奶奶 订 鸡蛋2板`, and the same
with 改成…/不要了 to change or cancel. The neighbour becomes (or is found as) a proxy member with
a name and an address, and no WeChat id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.base import Context, Reply, Route
from handlers.catalog_view import catalog_of
from handlers.chat_context import carry_out, clause_by_clause, muddled
from handlers.ordering import apply_items
from handlers.orders import cancel_items, code_not_name
from handlers.questions import ask_back
from handlers.reading import read_chat_message
from handlers.reading.intents import CancelOrder, ChangeOrder, ChatIntent, PlaceOrder, PlusOne, Unclear
from handlers.reading.model import ReadItem
from handlers.repeat_order import asks_for_last_order, nothing_to_repeat, repeat_last_order
from handlers.replies import candidate_list, confirmation
from models import members as member_rows
from models.campaigns import takes_orders
from models.tables import Member

_ADDRESS = re.compile(
    r"^(?P<address>\d+\s*(?:栋|幢|号楼|座)\s*\d*(?:室|号)?|\d+(?:-\d+){1,2}(?:室|号)?)\s*(?P<rest>.*)$"
)
_ORDER_VERB = re.compile(r"^(?:订|要|下单|买)\s*")


@dataclass(frozen=True)
class ProxyTarget:
    name: str
    address: str
    order_text: str


def split_proxy_args(args: str) -> ProxyTarget | None:
    """Who the order is for and what they order: `3栋502李爷爷 苹果2斤` → 李爷爷, 3栋502, 苹果2斤."""
    parts = args.replace("\u2005", " ").split(maxsplit=1)
    if len(parts) < 2:
        return None
    person, rest = parts[0].lstrip("@"), parts[1].strip()
    address = ""
    match = _ADDRESS.match(person)
    if match:
        address, person = match.group("address").replace(" ", ""), match.group("rest")
        if not person:
            # "3栋502 李爷爷 苹果2斤": the name is the next word.
            more = rest.split(maxsplit=1)
            if len(more) < 2:
                return None
            person, rest = more
    rest = _ORDER_VERB.sub("", rest)
    if not person or not rest:
        return None
    return ProxyTarget(name=person, address=address, order_text=rest)


def _proxy_member(ctx: Context, target: ProxyTarget) -> Member:
    # A WeChat mention names a real member; otherwise the neighbour is a proxy member by name.
    mentioned = [m for m in ctx.message.mention_ids if m]
    for wechat_id in mentioned:
        member = member_rows.get_member_by_wechat(
            session=ctx.session, group_id=ctx.group_id, wechat_id=wechat_id
        )
        if member is not None and member.id != ctx.member.id:
            return member
    if not target.address:
        # 代 张三 土鸡蛋不要了: a group member the leader names (she asked by phone, say) is that
        # member, when the name is hers alone and no neighbour without WeChat goes by it.
        named = member_rows.find_members_by_name(session=ctx.session, group_id=ctx.group_id, name=target.name)
        in_group = [m for m in named if m.wechat_id and not m.is_proxy]
        if len(in_group) == 1 and len(named) == 1 and in_group[0].id != ctx.member.id:
            return in_group[0]
    return member_rows.ensure_proxy_member(
        session=ctx.session, group_id=ctx.group_id, name=target.name, address=target.address, now=ctx.now
    )


def handle_proxy(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    target = split_proxy_args(call.args)
    if target is None:
        return [Reply("proxy_usage", {})]
    campaign = ctx.campaign()
    if campaign is None or not takes_orders(campaign, ctx.now):
        return [Reply("no_open_campaign", {})]
    if asks_for_last_order(target.order_text):
        # 代 王奶奶 老样子: only someone the group knows has a last order to repeat.
        known = ctx.message.mention_ids or member_rows.find_members_by_name(
            session=ctx.session, group_id=ctx.group_id, name=target.name
        )
        if not known:
            return [nothing_to_repeat(ctx, target.name, proxy=True)]
        return repeat_last_order(ctx, _proxy_member(ctx, target), proxy=True)
    member = _proxy_member(ctx, target)
    catalog = catalog_of(ctx.offers())
    intent = read_chat_message(target.order_text, catalog)
    if muddled(intent, catalog):
        # 代 王奶奶 大米不要了，鸡蛋改成2板: two instructions, each clear on its own.
        steps = clause_by_clause(target.order_text, catalog) or []
        if steps:
            return carry_out(steps, lambda step: _act_for(ctx, member, target, step))
    return _act_for(ctx, member, target, intent)


def _act_for(ctx: Context, member: Member, target: ProxyTarget, intent: ChatIntent) -> list[Reply]:
    """Carry out one instruction of a leader's proxy order for `member`."""
    if isinstance(intent, CancelOrder):
        intent = code_not_name(intent)
        # 代 张三 土鸡蛋不要了: the person is named already, so a word the reader took for a name
        # (a product no longer on the list) is the product, never the whole order.
        products = intent.products or ((intent.name,) if intent.name else ())
        return [cancel_items(ctx, member, products, proxy=True)]
    if isinstance(intent, PlusOne):
        items: tuple[ReadItem, ...] = (
            ReadItem(product="(本团商品)", qty=intent.qty, unit=None, raw=target.order_text, implicit=True),
        )
        additive = True
    elif isinstance(intent, PlaceOrder | ChangeOrder):
        items, additive = intent.items, isinstance(intent, PlaceOrder)
    elif isinstance(intent, Unclear) and intent.items:
        # 代 刘奶奶 苹果2斤: which apple? The leader is asked, and her answer goes into 刘奶奶's order.
        question = ask_back(
            ctx,
            reason=intent.reason,
            candidates=intent.candidates,
            items=intent.items,
            text=target.order_text,
            for_member=member,
        )
        return [question]
    else:
        candidates = intent.candidates if isinstance(intent, Unclear) else catalog_of(ctx.offers())
        return [
            Reply(
                "proxy_unclear",
                {"name": target.name, "text": target.order_text, "candidates": candidate_list(candidates)},
            )
        ]
    result = apply_items(ctx, member=member, items=items, additive=additive, entered_by=ctx.member)
    if result.unmatched and not (result.changed or result.refused):
        return [
            Reply(
                "proxy_unclear",
                {
                    "name": target.name,
                    "text": target.order_text,
                    "candidates": candidate_list(catalog_of(ctx.offers())),
                },
            )
        ]
    return [confirmation(ctx, member, result, proxy=True)]


ROUTES = [
    Route("proxy", lambda ctx: ctx.is_command("proxy", "proxy_mention"), handle_proxy, leader_only=True),
]
