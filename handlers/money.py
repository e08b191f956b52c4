"""Money: 已付 张三, 未付 (who still owes, and how much), and 统计 (sales, returns, commission)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from handlers.base import Context, Reply, Route
from models.campaigns import ARRIVED, CLOSED, OPEN, campaigns_in
from models.settlement import amounts_due, finish_settled_campaigns
from models.stats import SalesStats, sales_stats
from models.tables import Campaign


def money_campaigns(ctx: Context) -> list[Campaign]:
    """Campaigns still collecting money, oldest first: yesterday's buyers pay while today's order."""
    return campaigns_in(session=ctx.session, group_id=ctx.group_id, statuses=(OPEN, CLOSED, ARRIVED))


def handle_mark_paid(ctx: Context) -> list[Reply]:
    """已付 张三 / 已付 1234 / 已付 @李四: the leader has the money for every order they owe for."""
    call = ctx.command
    assert call is not None
    campaigns = money_campaigns(ctx)
    if not campaigns:
        return [Reply("no_open_campaign", {})]
    wanted = {w.lstrip("@") for w in call.args.replace("\u2005", " ").replace("，", " ").split()}
    mentioned = set(ctx.message.mention_ids)
    if not wanted and not mentioned:
        return [Reply("mark_paid_usage", {})]
    marked: list[str] = []
    # What each payment covered, so the leader sees it was yesterday's ¥17.7 and today's ¥28.
    covered: dict[str, list[dict[str, Any]]] = {}
    for campaign in campaigns:
        for due in amounts_due(ctx.session, campaign):
            order, member = due.buyer.order, due.buyer.member
            if member.display_name in wanted or order.pickup_code in wanted or member.wechat_id in mentioned:
                if due.owes:
                    covered.setdefault(member.display_name, []).append(
                        {"title": campaign.title, "due_fen": due.outstanding_fen}
                    )
                    order.paid_at = ctx.now
                    order.paid_fen = due.due_fen
                if member.display_name not in marked:
                    marked.append(member.display_name)
    finish_settled_campaigns(ctx.session, campaigns)
    unknown = sorted(wanted - set(marked) - {d for d in wanted if d.isdigit()})
    paid = [{"name": name, "orders": covered.get(name, [])} for name in marked]
    return [Reply("marked_paid", {"names": marked, "paid": paid, "unknown": unknown})]


MEMBER_PAID_WORDS = frozenset(
    {"已付", "付了", "已付款", "付款了", "已转", "转了", "已转账", "转账了", "已支付"}
)


def _member_says_paid(ctx: Context) -> bool:
    """A member's own 已付 (a leader writes 已付 张三): they say they paid; the leader checks."""
    if ctx.is_leader:
        return False
    if ctx.message.kind == "transfer":
        return True  # paid by WeChat transfer in the group
    said = ctx.text.strip()
    return said in MEMBER_PAID_WORDS or said.rstrip("!！。~～啊哈") in MEMBER_PAID_WORDS


def handle_member_paid(ctx: Context) -> list[Reply]:
    due = sum(
        d.outstanding_fen
        for campaign in money_campaigns(ctx)
        for d in amounts_due(ctx.session, campaign)
        if d.buyer.member.id == ctx.member.id and d.owes
    )
    transfer = ctx.message.kind == "transfer"
    if transfer and not due:
        return []  # a transfer from someone who owes nothing is not about an order
    data = {"name": ctx.member.display_name, "due_fen": due, "transfer": transfer}
    return [
        Reply("member_says_paid", data, mentions=ctx.me, merge_key="confirm"),
        Reply("member_says_paid_to_leader", data, audience="leaders"),
    ]


def handle_unpaid(ctx: Context) -> list[Reply]:
    campaigns = money_campaigns(ctx)
    if not campaigns:
        return [Reply("no_open_campaign", {})]
    sections = []
    for campaign in campaigns:
        unpaid = [d for d in amounts_due(ctx.session, campaign) if d.owes]
        if unpaid:
            sections.append(
                {
                    "title": campaign.title,
                    "people": [
                        {
                            "name": d.buyer.member.display_name,
                            "proxy": d.buyer.order.is_proxy,
                            "due_fen": d.outstanding_fen,
                            "difference": d.paid_fen > 0,
                        }
                        for d in unpaid
                    ],
                    "total_fen": sum(d.outstanding_fen for d in unpaid),
                }
            )
    return [Reply("unpaid", {"campaigns": sections, "title": campaigns[-1].title})]


PERIODS = {"今天": "today", "今日": "today", "本周": "week", "这周": "week", "本团": "campaign"}


def period_start(now: datetime, period: str) -> datetime | None:
    midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    if period == "today":
        return midnight
    if period == "week":
        return midnight - timedelta(days=now.weekday())
    return None


def stats_data(stats: SalesStats, *, label: str, title: str = "") -> dict[str, Any]:
    return {
        "label": label,
        "title": title,
        "campaigns": stats.campaigns,
        "orders": stats.orders,
        "sales_fen": stats.sales_fen,
        "returns": stats.returns,
        "return_rate": f"{stats.return_rate:.1%}",
        "refund_fen": stats.refund_fen,
        "commission_fen": stats.commission_fen,
    }


def handle_stats(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    period = PERIODS.get(call.args.strip(), "campaign" if not call.args.strip() else "")
    if not period:
        return [Reply("stats_usage", {})]
    local_now = ctx.now.astimezone(ctx.tz)
    campaign: Campaign | None = ctx.campaign() if period == "campaign" else None
    if period == "campaign" and campaign is None:
        return [Reply("no_open_campaign", {})]
    stats = sales_stats(
        session=ctx.session,
        group_id=ctx.group_id,
        default_commission_bp=ctx.settings.commission_bp,
        category_commission_bp=ctx.settings.commission_categories,
        since=period_start(local_now, period),
        campaign_id=campaign.id if campaign else None,
    )
    label = {"today": "今天", "week": "本周", "campaign": "本团"}[period]
    return [Reply("stats", stats_data(stats, label=label, title=campaign.title if campaign else ""))]


ROUTES = [
    Route("member_paid", _member_says_paid, handle_member_paid),
    Route("mark_paid", lambda ctx: ctx.is_command("mark_paid"), handle_mark_paid, leader_only=True),
    Route("unpaid", lambda ctx: ctx.is_command("unpaid"), handle_unpaid, leader_only=True),
    Route("stats", lambda ctx: ctx.is_command("stats"), handle_stats, leader_only=True),
]
