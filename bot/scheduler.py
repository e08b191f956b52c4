"""The schedule: APScheduler in Asia/Shanghai, with its jobs stored in the bot's own database.

Per enabled group: the daily deal post, the evening pickup reminder, and a weekly report to the
leaders. Per open campaign: a reminder half an hour before its cutoff, and the cutoff itself, at
the campaign's own time (a deal post may say 今晚9点截单 on a group that usually closes at 8).

Jobs are stored with their next run time, so a restart neither loses nor repeats one. A job
missed while the bot was down runs once if the bot is back within the grace period, and is
skipped (APScheduler logs it) if not, except a cutoff, which always happens: an open campaign
past its cutoff is closed at once. Jobs are only replaced when their times change, because
replacing one would forget a missed run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from sqlmodel import Session, col, select

from bot.app import App
from bot.jobs import (
    CampaignJob,
    GroupJob,
    cutoff,
    cutoff_reminder,
    daily_deals,
    pickup_reminder,
    run_campaign_job,
    run_group_job,
    weekly_report,
)
from models.campaigns import OPEN
from models.tables import Campaign, Group

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
MISFIRE_GRACE_SECONDS = 30 * 60
CUTOFF_REMINDER_BEFORE = timedelta(minutes=30)
WEEKLY = {"day_of_week": "sun", "hour": 20, "minute": 30}

_running_app: App | None = None
_running_scheduler: BaseScheduler | None = None


def _app() -> App:
    if _running_app is None:
        raise RuntimeError("no bot is registered with the scheduler")
    return _running_app


# Jobs are stored by reference to these module-level functions, with the group's id as argument.
def deals_job(group_id: int) -> None:
    _run(group_id, daily_deals)
    # The post may have opened a campaign: its cutoff is scheduled now, not at the next upkeep.
    if _running_scheduler is not None:
        sync_group_jobs(_running_scheduler, _app())


def cutoff_reminder_job(campaign_id: int) -> None:
    _run_for_campaign(campaign_id, cutoff_reminder)


def cutoff_job(campaign_id: int) -> None:
    _run_for_campaign(campaign_id, cutoff)


def pickup_reminder_job(group_id: int) -> None:
    _run(group_id, pickup_reminder)


def weekly_report_job(group_id: int) -> None:
    _run(group_id, weekly_report)


def _run_for_campaign(campaign_id: int, job: CampaignJob) -> None:
    try:
        queued = run_campaign_job(_app(), campaign_id, job)
        log.info("job %s for campaign %s queued %d message(s)", job.__name__, campaign_id, queued)
    except Exception:
        log.exception("job %s for campaign %s failed", job.__name__, campaign_id)


def _run(group_id: int, job: GroupJob) -> None:
    try:
        queued = run_group_job(_app(), group_id, job)
        log.info("job %s for group %s queued %d message(s)", job.__name__, group_id, queued)
    except Exception:
        log.exception("job %s for group %s failed", job.__name__, group_id)


@dataclass(frozen=True)
class PlannedJob:
    job_id: str
    func: Callable[[int], None]
    trigger: BaseTrigger
    arg: int


def _at(hhmm: str, zone: ZoneInfo) -> CronTrigger:
    hours, minutes = (int(part) for part in hhmm.split(":", 1))
    return CronTrigger(hour=hours, minute=minutes, timezone=zone)


def plan_for(group: Group, zone: ZoneInfo) -> list[PlannedJob]:
    assert group.id is not None
    gid = group.id
    return [
        PlannedJob(f"deals:{gid}", deals_job, _at(group.deal_post_time, zone), gid),
        PlannedJob(f"pickup-reminder:{gid}", pickup_reminder_job, _at(group.pickup_reminder_time, zone), gid),
        PlannedJob(f"weekly-report:{gid}", weekly_report_job, CronTrigger(timezone=zone, **WEEKLY), gid),
    ]


def plan_for_campaign(campaign: Campaign, now: datetime) -> list[PlannedJob]:
    """The cutoff at the campaign's own time; one already past (the bot was down) runs at once."""
    assert campaign.id is not None and campaign.cutoff_at is not None
    cid = campaign.id
    jobs = [PlannedJob(f"cutoff:c{cid}", cutoff_job, DateTrigger(run_date=max(campaign.cutoff_at, now)), cid)]
    remind_at = campaign.cutoff_at - CUTOFF_REMINDER_BEFORE
    if remind_at > now:
        jobs.append(
            PlannedJob(f"cutoff-reminder:c{cid}", cutoff_reminder_job, DateTrigger(run_date=remind_at), cid)
        )
    return jobs


def job_table(app: App) -> str:
    """Each bot process keeps its jobs in a table of its own, so processes never run each other's."""
    instance = "".join(ch for ch in app.settings.instance if ch.isalnum() or ch == "_")[:40]
    return JOB_TABLE if instance in {"", "default"} else f"{JOB_TABLE}_{instance}"


def build_scheduler(
    app: App, scheduler_class: type[BaseScheduler] = BackgroundScheduler, **scheduler_options: Any
) -> BaseScheduler:
    """A scheduler whose jobs live in the app's database; not started."""
    options: dict[str, Any] = {
        "jobstores": {"default": SQLAlchemyJobStore(engine=app.engine, tablename=job_table(app))},
        "executors": {"default": ThreadPoolExecutor(max_workers=1)},
        "job_defaults": {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        "timezone": ZoneInfo(app.settings.timezone),
        **scheduler_options,
    }
    return scheduler_class(**options)


def register(app: App) -> None:
    """Make `app` the bot that stored jobs run against."""
    global _running_app
    _running_app = app


def sync_group_jobs(scheduler: BaseScheduler, app: App) -> list[str]:
    """Add each enabled group's jobs and each open campaign's cutoff; leave unchanged ones alone;
    drop the jobs of groups and campaigns that went away."""
    zone = ZoneInfo(app.settings.timezone)
    now = app.clock()
    with Session(app.engine) as session:
        groups = list(
            session.exec(select(Group).where(col(Group.enabled), Group.instance == app.settings.instance))
        )
        group_ids = [group.id for group in groups]
        campaigns = list(
            session.exec(
                select(Campaign).where(
                    col(Campaign.group_id).in_(group_ids),
                    Campaign.status == OPEN,
                    col(Campaign.cutoff_at).is_not(None),
                )
            )
        )
    wanted = [job for group in groups for job in plan_for(group, zone)]
    wanted += [job for campaign in campaigns for job in plan_for_campaign(campaign, now)]
    changed = []
    for planned in wanted:
        existing = scheduler.get_job(planned.job_id)
        if existing is not None and str(existing.trigger) == str(planned.trigger):
            continue
        scheduler.add_job(
            planned.func, planned.trigger, args=[planned.arg], id=planned.job_id, replace_existing=True
        )
        changed.append(planned.job_id)
    wanted_ids = {job.job_id for job in wanted}
    for job in scheduler.get_jobs():
        if job.id not in wanted_ids:
            job.remove()
    return changed


def start(app: App, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    """Register the app, start the scheduler and bring its jobs in line with the groups."""
    global _running_scheduler
    register(app)
    scheduler = scheduler or build_scheduler(app)
    _running_scheduler = scheduler
    scheduler.start(paused=True)
    sync_group_jobs(scheduler, app)
    scheduler.resume()
    return scheduler


def job_ids(scheduler: BaseScheduler) -> Sequence[str]:
    return sorted(job.id for job in scheduler.get_jobs())
