"""Scheduled jobs: plain functions that open their own session and reply through the outbox.

Each takes the group's database id, so a job stored by the scheduler survives a restart. A job
that finds nothing to do (no campaign, already closed) does nothing and says so in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.app import App
from bot.delivery import address_replies, stage_in_transaction
from handlers.arrival import arrival_replies
from handlers.base import Reply
from handlers.campaign import cut_off, deals_reply, next_time_of_day
from handlers.money import period_start, stats_data
from models.campaigns import ARRIVED, OPEN, campaigns_in, current_campaign, open_campaign
from models.catalog import list_products
from models.stats import sales_stats
from models.tables import Campaign, Group

log = logging.getLogger(__name__)

GroupJob = Callable[[Session, Group, App], Sequence[Reply]]
CampaignJob = Callable[[Session, Group, Campaign, App], Sequence[Reply]]


def run_group_job(app: App, group_id: int, job: GroupJob) -> int:
    """Run `job` for one group in its own session, commit, then queue its replies. Returns how many."""
    return _run_and_queue(app, group_id, job.__name__, lambda session, group: job(session, group, app))


def run_campaign_job(app: App, campaign_id: int, job: CampaignJob) -> int:
    """Run `job` for one campaign, if it is still open when the job's session reads it."""
    with Session(app.engine) as session:
        found = session.get(Campaign, campaign_id)
        group_id = found.group_id if found is not None else None
    if group_id is None:
        log.info("job %s skipped: campaign %s is gone", job.__name__, campaign_id)
        return 0

    def for_campaign(session: Session, group: Group) -> Sequence[Reply]:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.status != OPEN:
            log.info("job %s skipped: campaign %s is no longer open", job.__name__, campaign_id)
            return []
        return job(session, group, campaign, app)

    return _run_and_queue(app, group_id, job.__name__, for_campaign)


def _run_and_queue(
    app: App, group_id: int, name: str, produce: Callable[[Session, Group], Sequence[Reply]]
) -> int:
    with Session(app.engine, expire_on_commit=False) as session:
        group = session.get(Group, group_id)
        if group is None or not group.enabled:
            log.info("job %s skipped: group %s is gone or disabled", name, group_id)
            return 0
        replies = list(produce(session, group))
        # The notice goes into the job's own transaction: a cutoff and its summary, or a new
        # campaign and its deal post, are saved together or not at all.
        queued = stage_in_transaction(
            session=session,
            outbox=app.outbox,
            label=f"job {name}",
            render=lambda: address_replies(
                session=session,
                renderer=app.renderer,
                group=group,
                replies=replies,
                leader_ids=app.settings.leaders_for(group.chat_id, group.name),
            ),
        )
        session.commit()
    if queued:
        app.outbox.wake()
    return len(queued)


def daily_deals(session: Session, group: Group, app: App) -> list[Reply]:
    """Post today's deals: the open campaign, or a new one with every active catalog product."""
    assert group.id is not None
    local_now = app.clock().astimezone(ZoneInfo(app.settings.timezone))
    campaign = current_campaign(session=session, group_id=group.id)
    if campaign is None or campaign.status != OPEN:
        products = list_products(session=session, group_id=group.id)
        if not products:
            log.info("daily deals skipped for group %s: the catalog is empty", group.id)
            return []
        campaign = open_campaign(
            session=session,
            group_id=group.id,
            title=f"{local_now.month}月{local_now.day}日团购",
            products=products,
            now=local_now,
            cutoff_at=next_time_of_day(local_now, group.cutoff_time),
            pickup_place=group.pickup_place,
        )
    return [deals_reply(session, campaign, group, local_now)]


def cutoff(session: Session, group: Group, campaign: Campaign, app: App) -> list[Reply]:
    """Close the campaign at its cutoff time, with the supplier summary and sorting list."""
    now = app.clock()
    return cut_off(session, campaign, group, now, now.astimezone(ZoneInfo(app.settings.timezone)))


def cutoff_reminder(session: Session, group: Group, campaign: Campaign, app: App) -> list[Reply]:
    """Half an hour before cutoff, remind the group that ordering closes soon."""
    zone = ZoneInfo(app.settings.timezone)
    closes = (
        campaign.cutoff_at.astimezone(zone).strftime("%H:%M") if campaign.cutoff_at else group.cutoff_time
    )
    return [Reply("cutoff_reminder", {"title": campaign.title, "cutoff": closes})]


def pickup_reminder(session: Session, group: Group, app: App) -> list[Reply]:
    """In the evening, mention only the buyers who have not collected yet."""
    assert group.id is not None
    return [
        reply
        for campaign in campaigns_in(session=session, group_id=group.id, statuses=(ARRIVED,))
        for reply in arrival_replies(
            session,
            campaign,
            batch_size=app.settings.outbox.max_mentions,
            pickup_place=campaign.pickup_place or group.pickup_place,
            unpicked_only=True,
        )
    ]


def weekly_report(session: Session, group: Group, app: App) -> list[Reply]:
    """Sunday evening: the week's sales, returns and commission, to the leaders only."""
    assert group.id is not None
    local_now = app.clock().astimezone(ZoneInfo(app.settings.timezone))
    stats = sales_stats(
        session=session,
        group_id=group.id,
        default_commission_bp=app.settings.commission_bp,
        category_commission_bp=app.settings.commission_categories,
        since=period_start(local_now, "week"),
    )
    return [
        Reply("weekly_report", {**stats_data(stats, label="本周"), "group": group.name}, audience="leaders")
    ]
