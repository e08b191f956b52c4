"""Arrival and pickup: 到货 notices that @mention every buyer, 已取/核销/取了, 未取 and reminders.

Buyers are mentioned in batches no larger than the outbox allows in one message. Proxy orders go
to the leaders instead, with the address, because an elderly neighbour cannot be @-mentioned and
usually gets the goods brought round.
"""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from handlers.base import Context, Reply, Route
from models import orders as order_rows
from models.campaigns import ARRIVED, CLOSED, OPEN, campaigns_in, close_campaign, mark_arrived
from models.orders import BuyerView
from models.settlement import finish_settled_campaigns
from models.tables import Campaign

_PICKUP_CODE = re.compile(r"^\d{4,6}$")
# A member saying they collected their goods: 取了, 已取, 我拿到了，谢谢团长, 已提货, 取货了 (but not a
# bare 取, nor 拿到了吗, which asks).
_SELF_PICKUP = re.compile(
    r"^(?:我|俺|我们|我家)?(?:也|都)?"
    r"(?:(?:已经?|刚刚?)(?:取|拿|领|提)(?:到|好|走)?货?了?|(?:取|拿|领|提)(?:到|好|走)?货?了)"
    r"(?:[\s，,。.!！~～]*(?:谢谢|谢啦|多谢|感谢|辛苦)(?:团长|你|了|啦)*)?[\s，,。.!！~～🙏👍]*$"
)


def _buyer_data(buyer: BuyerView) -> dict[str, Any]:
    return {
        "name": buyer.member.display_name,
        "address": buyer.member.address,
        "pickup_code": buyer.order.pickup_code,
        "lines": [
            {"product": line.product_name, "variant": line.variant, "qty": line.qty, "unit": line.unit}
            for line in buyer.lines
        ],
        "amount_fen": buyer.amount_fen,
    }


def arrival_replies(
    session: Session, campaign: Campaign, *, batch_size: int, pickup_place: str, unpicked_only: bool = False
) -> list[Reply]:
    """The notices for a campaign's buyers: group messages in mention batches, proxies to the leaders."""
    assert campaign.id is not None
    buyers = order_rows.campaign_buyers(session=session, campaign_id=campaign.id)
    if unpicked_only:
        buyers = [b for b in buyers if b.order.picked_up_at is None]
    direct = [b for b in buyers if b.member.wechat_id and not b.member.is_proxy]
    proxies = [b for b in buyers if not (b.member.wechat_id and not b.member.is_proxy)]
    template = "pickup_reminder" if unpicked_only else "arrival_notice"
    replies = []
    batches = [direct[i : i + batch_size] for i in range(0, len(direct), batch_size)]
    for number, batch in enumerate(batches, start=1):
        replies.append(
            Reply(
                template,
                {
                    "title": campaign.title,
                    "pickup_place": pickup_place,
                    "buyers": [_buyer_data(b) for b in batch],
                    "batch": number,
                    "batches": len(batches),
                },
                mentions=tuple(b.member.id for b in batch if b.member.id is not None),
            )
        )
    if proxies:
        replies.append(
            Reply(
                "proxy_delivery",
                {
                    "title": campaign.title,
                    "buyers": [_buyer_data(b) for b in proxies],
                    "reminder": unpicked_only,
                },
                audience="leaders",
            )
        )
    return replies


def handle_arrival(ctx: Context) -> list[Reply]:
    """到货: the goods of the oldest campaign closed and waiting have come (yesterday's, while today's
    campaign is open); with none waiting, the open campaign is closed and arrives at once."""
    waiting = campaigns_in(session=ctx.session, group_id=ctx.group_id, statuses=(CLOSED,))
    campaign = waiting[0] if waiting else ctx.campaign()
    if campaign is None or campaign.status not in (OPEN, CLOSED):
        return [Reply("no_campaign_to_arrive", {})]
    if campaign.status == OPEN:
        # Closing today's campaign by 到货 is only for a leader who skipped 截单; a second 到货 after
        # yesterday's goods were announced, or one before anyone ordered, must leave it open.
        announced = campaigns_in(session=ctx.session, group_id=ctx.group_id, statuses=(ARRIVED,))
        ordered = campaign.id is not None and order_rows.campaign_buyers(
            session=ctx.session, campaign_id=campaign.id
        )
        if announced or not ordered:
            titles = [c.title for c in announced]
            return [Reply("no_campaign_to_arrive", {"announced": titles, "open_title": campaign.title})]
        close_campaign(campaign=campaign, now=ctx.now)
    mark_arrived(campaign=campaign, now=ctx.now)
    ctx.forget_campaign()
    place = campaign.pickup_place or ctx.group.pickup_place
    replies = arrival_replies(
        ctx.session, campaign, batch_size=ctx.settings.outbox.max_mentions, pickup_place=place
    )
    return replies or [Reply("arrival_no_orders", {"title": campaign.title})]


def pickup_campaigns(session: Session, group_id: int) -> list[Campaign]:
    """Campaigns whose goods can be collected now: every arrived one, oldest first. Without any, the
    latest closed one, for a leader who hands goods out without announcing 到货."""
    arrived = campaigns_in(session=session, group_id=group_id, statuses=(ARRIVED,))
    if arrived:
        return arrived
    closed = campaigns_in(session=session, group_id=group_id, statuses=(CLOSED,))
    return closed[-1:]


def _buyers_of(session: Session, campaigns: list[Campaign]) -> list[BuyerView]:
    return [
        buyer
        for campaign in campaigns
        if campaign.id is not None
        for buyer in order_rows.campaign_buyers(session=session, campaign_id=campaign.id)
    ]


def handle_leader_pickup(ctx: Context) -> list[Reply]:
    """已取 张三 / 核销 1234: a leader marks a household's goods as collected."""
    call = ctx.command
    assert call is not None
    campaigns = pickup_campaigns(ctx.session, ctx.group_id)
    if not campaigns:
        return [Reply("nothing_to_pick_up", {})]
    wanted = [word.lstrip("@") for word in call.args.replace("\u2005", " ").replace("，", " ").split()]
    mentioned = set(ctx.message.mention_ids)
    if not wanted and not mentioned:
        return [Reply("pickup_usage", {})]
    buyers = _buyers_of(ctx.session, campaigns)
    marked, unknown = [], []
    for word in wanted or [""]:
        match = [
            b
            for b in buyers
            if (
                word
                and (
                    b.member.display_name == word
                    or (_PICKUP_CODE.match(word) and b.order.pickup_code == word)
                )
            )
            or (b.member.wechat_id in mentioned)
        ]
        if not match:
            unknown.append(word)
        for buyer in match:
            if buyer.order.picked_up_at is None:
                buyer.order.picked_up_at = ctx.now
            if buyer.member.display_name not in marked:
                marked.append(buyer.member.display_name)
    left = sum(1 for b in buyers if b.order.picked_up_at is None)
    finish_settled_campaigns(ctx.session, campaigns)
    return [Reply("picked_up", {"names": marked, "unknown": [u for u in unknown if u], "left": left})]


def _is_self_pickup(ctx: Context) -> bool:
    if ctx.is_leader and ctx.is_command("picked_up_by_leader"):
        return False  # a leader's 已取 is the command, which asks whose pickup it is
    return _SELF_PICKUP.match(ctx.text.strip()) is not None


def handle_self_pickup(ctx: Context) -> list[Reply]:
    campaigns = pickup_campaigns(ctx.session, ctx.group_id)
    mine = [b for b in _buyers_of(ctx.session, campaigns) if b.member.id == ctx.member.id]
    if not mine:
        return []
    for buyer in mine:
        if buyer.order.picked_up_at is None:
            buyer.order.picked_up_at = ctx.now
    finish_settled_campaigns(ctx.session, campaigns)
    return [
        Reply(
            "self_picked_up",
            {"name": ctx.member.display_name},
            mentions=(ctx.member.id,) if ctx.member.id is not None else (),
            merge_key="confirm",
        )
    ]


def handle_not_picked_up(ctx: Context) -> list[Reply]:
    campaigns = pickup_campaigns(ctx.session, ctx.group_id)
    if not campaigns:
        return [Reply("nothing_to_pick_up", {})]
    sections = []
    for campaign in campaigns:
        assert campaign.id is not None
        buyers = [
            b
            for b in order_rows.campaign_buyers(session=ctx.session, campaign_id=campaign.id)
            if b.order.picked_up_at is None
        ]
        if buyers:
            sections.append(
                {
                    "title": campaign.title,
                    "buyers": [{**_buyer_data(b), "proxy": b.member.is_proxy} for b in buyers],
                }
            )
    return [Reply("not_picked_up", {"campaigns": sections, "title": campaigns[-1].title})]


ROUTES = [
    Route("arrival", lambda ctx: ctx.is_command("arrival"), handle_arrival, leader_only=True),
    Route(
        "not_picked_up",
        lambda ctx: ctx.is_command("not_picked_up"),
        handle_not_picked_up,
        leader_only=True,
    ),
    Route("self_pickup", _is_self_pickup, handle_self_pickup),
    Route(
        "leader_pickup",
        lambda ctx: ctx.is_command("picked_up_by_leader"),
        handle_leader_pickup,
        leader_only=True,
    ),
]
