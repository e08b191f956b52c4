"""Leader commands that run a campaign: 开团, 发布团购, 截单 and 汇总."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from handlers.base import Context, Reply, Route
from handlers.deal_text import DealPost, TimeOfDay, read_deal_post
from models import orders as order_rows
from models import reviews
from models.campaigns import OPEN, Offer, close_campaign, list_offers, open_campaign
from models.catalog import list_products, place_products
from models.tables import Campaign, Group, Product

_BUILDING = re.compile(r"\s*(\d+\s*(?:栋|幢|号楼|座|楼))")
_DASHED_ADDRESS = re.compile(r"\s*(\d+)-\d+")


def next_time_of_day(now: datetime, hhmm: str) -> datetime:
    """The next moment at hh:mm in `now`'s zone: today if still ahead, otherwise tomorrow."""
    hours, minutes = (int(part) for part in hhmm.split(":", 1))
    candidate = datetime.combine(now.date(), time(hours, minutes), tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


def deals_data(*, campaign: Campaign, offers: list[Offer], group: Group, tz_now: datetime) -> dict[str, Any]:
    cutoff = campaign.cutoff_at.astimezone(tz_now.tzinfo) if campaign.cutoff_at else None
    pickup = campaign.pickup_at.astimezone(tz_now.tzinfo) if campaign.pickup_at else None
    return {
        "title": campaign.title,
        "group": group.name,
        "cutoff": cutoff.strftime("%H:%M") if cutoff else "",
        "cutoff_day": _day_word(cutoff, tz_now) if cutoff else "",
        "pickup_place": campaign.pickup_place or group.pickup_place,
        "pickup": f"{_day_word(pickup, tz_now)}{pickup:%H:%M}" if pickup else "",
        "products": [
            {
                "code": offer.code,
                "name": offer.name,
                "spec": offer.spec,
                "unit": offer.unit,
                "price_fen": offer.price_fen,
                "limit": offer.limit_per_person,
                "stock": offer.stock,
            }
            for offer in offers
        ],
    }


def _day_word(moment: datetime, now: datetime) -> str:
    days = (moment.date() - now.date()).days
    return {0: "今天", 1: "明天", 2: "后天"}.get(days, moment.strftime("%m月%d日"))


def deals_reply(session: Session, campaign: Campaign, group: Group, tz_now: datetime) -> Reply:
    assert campaign.id is not None
    offers = list_offers(session=session, campaign=campaign)
    return Reply("deals", deals_data(campaign=campaign, offers=offers, group=group, tz_now=tz_now))


def handle_open(ctx: Context) -> list[Reply]:
    """开团: the whole catalog, some codes of it (开团 1 3 5), or a pasted deal post."""
    call = ctx.command
    assert call is not None
    current = ctx.campaign()
    if current is not None and current.status == OPEN:
        return [Reply("campaign_already_open", {"title": current.title})]
    if "\n" in call.args:
        return _open_from_post(ctx, read_deal_post(call.args))
    products = list_products(session=ctx.session, group_id=ctx.group_id)
    words = {word.upper() for word in call.args.replace(",", " ").replace("，", " ").split()}
    if words and words <= {p.code.upper() for p in products}:
        # 开团 1 3 5: just these products. Anything else (开团 水果专场) is the title.
        products = [p for p in products if p.code.upper() in words]
        title = ""
    else:
        title = call.args
    if not products:
        return [Reply("campaign_no_products", {})]
    return [_open(ctx, title, products, cutoff=None, pickup=None, place="")]


def _open_from_post(ctx: Context, post: DealPost) -> list[Reply]:
    if not post.listings:
        return [Reply("deal_post_unreadable", {"lines": post.unreadable})]
    specs = [listing.as_product(listing.code) for listing in post.listings]
    products = place_products(session=ctx.session, group_id=ctx.group_id, specs=specs)
    opened = _open(ctx, post.title, products, cutoff=post.cutoff, pickup=post.pickup, place=post.pickup_place)
    replies = [opened]
    if post.unreadable:
        replies.append(Reply("deal_post_unreadable", {"lines": post.unreadable}, audience="leaders"))
    return replies


def _open(
    ctx: Context,
    title: str,
    products: list[Product],
    *,
    cutoff: TimeOfDay | None,
    pickup: TimeOfDay | None,
    place: str,
) -> Reply:
    local_now = ctx.now.astimezone(ctx.tz)
    cutoff_at = at_time(local_now, cutoff) if cutoff else next_time_of_day(local_now, ctx.group.cutoff_time)
    campaign = open_campaign(
        session=ctx.session,
        group_id=ctx.group_id,
        title=title or f"{local_now.month}月{local_now.day}日团购",
        products=products,
        now=ctx.now,
        cutoff_at=cutoff_at,
        pickup_at=_pickup_at(local_now, cutoff_at, pickup) if pickup else None,
        pickup_place=place or ctx.group.pickup_place,
    )
    ctx.forget_campaign()
    return deals_reply(ctx.session, campaign, ctx.group, local_now)


def _pickup_at(local_now: datetime, cutoff_at: datetime, pickup: TimeOfDay) -> datetime:
    """Pickup as written; a 下午3点 that would come before the cutoff is the one after it."""
    moment = at_time(local_now, pickup)
    if moment < cutoff_at and pickup.days == 0:
        moment = at_time(cutoff_at.astimezone(local_now.tzinfo), pickup)
    return moment


def at_time(local_now: datetime, when: TimeOfDay) -> datetime:
    """The moment a leader's 今晚8点 or 明天下午3点 means, in `local_now`'s zone.

    A time with no day that has passed today is tomorrow's (a post at 21:00 saying 8点截单), and a
    bare 8点 is whichever of 08:00 and 20:00 comes first.
    """
    day = local_now.date() + timedelta(days=when.days)
    hours = (when.hour, when.hour + 12) if when.either_half else (when.hour,)
    moments = [datetime.combine(day, time(hour, when.minute), tzinfo=local_now.tzinfo) for hour in hours]
    if when.days == 0:
        upcoming = [moment for moment in moments if moment > local_now]
        return upcoming[0] if upcoming else moments[0] + timedelta(days=1)
    return moments[0]


def handle_deals(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if campaign is None or campaign.status != OPEN:
        return [Reply("no_open_campaign", {})]
    return [deals_reply(ctx.session, campaign, ctx.group, ctx.now.astimezone(ctx.tz))]


def cut_off(
    session: Session, campaign: Campaign, group: Group, now: datetime, tz_now: datetime
) -> list[Reply]:
    """Close ordering, then post the supplier summary and send the leaders the sorting list."""
    close_campaign(campaign=campaign, now=now)
    assert campaign.id is not None
    reviews.dismiss_questions(session=session, campaign_id=campaign.id, now=now)
    session.flush()
    return [
        Reply("cutoff_done", {"title": campaign.title}),
        supplier_summary(session, campaign),
        sorting_list(session, campaign),
    ]


def supplier_summary(session: Session, campaign: Campaign) -> Reply:
    assert campaign.id is not None
    totals = order_rows.product_totals(session=session, campaign_id=campaign.id)
    return Reply(
        "supplier_summary",
        {
            "title": campaign.title,
            "totals": [
                {
                    "code": t.code,
                    "name": t.name,
                    "variant": t.variant,
                    "qty": t.qty,
                    "unit": t.unit,
                    "amount_fen": t.amount_fen,
                    "buyers": t.buyers,
                }
                for t in totals
            ],
            "amount_fen": sum(t.amount_fen for t in totals),
        },
    )


def sorting_list(session: Session, campaign: Campaign) -> Reply:
    """The leader's packing list: each household's items, grouped by building where known."""
    assert campaign.id is not None
    buyers = order_rows.campaign_buyers(session=session, campaign_id=campaign.id)
    households: list[dict[str, Any]] = [
        {
            "name": b.member.display_name,
            "address": b.member.address,
            "building": building_of(b.member.address),
            "proxy": b.order.is_proxy,
            "pickup_code": b.order.pickup_code,
            "lines": [
                {"product": line.product_name, "variant": line.variant, "qty": line.qty, "unit": line.unit}
                for line in b.lines
            ],
            "amount_fen": b.amount_fen,
        }
        for b in buyers
    ]
    households.sort(key=lambda h: (h["building"] == "", h["building"], h["address"], h["name"]))
    buildings: dict[str, list[dict[str, Any]]] = {}
    for household in households:
        buildings.setdefault(household["building"], []).append(household)
    return Reply(
        "sorting_list",
        {
            "title": campaign.title,
            "buildings": [{"building": k, "households": v} for k, v in buildings.items()],
        },
        audience="leaders",
    )


def building_of(address: str) -> str:
    """The building part of an address: 3栋 of 3栋502, 2号楼 of 2号楼301, 2栋 of 2-1-301."""
    match = _BUILDING.match(address)
    if match:
        return match.group(1).replace(" ", "")
    match = _DASHED_ADDRESS.match(address)
    return f"{match.group(1)}栋" if match else ""


def handle_cutoff(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if campaign is None or campaign.status != OPEN:
        return [Reply("no_open_campaign", {})]
    return cut_off(ctx.session, campaign, ctx.group, ctx.now, ctx.now.astimezone(ctx.tz))


def handle_summary(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if campaign is None:
        return [Reply("no_open_campaign", {})]
    return [supplier_summary(ctx.session, campaign)]


ROUTES = [
    Route("open", lambda ctx: ctx.is_command("open"), handle_open, leader_only=True),
    Route("deals", lambda ctx: ctx.is_command("deals"), handle_deals, leader_only=True),
    Route("cutoff", lambda ctx: ctx.is_command("cutoff"), handle_cutoff, leader_only=True),
    Route("summary", lambda ctx: ctx.is_command("summary"), handle_summary, leader_only=True),
]
