"""Scheduled jobs run at the group's times, on a clock the test moves, and survive restarts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from datetime import tzinfo as TzInfo
from typing import Any

import apscheduler.executors.base
import apscheduler.schedulers.base
import pytest
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot import scheduler as schedule
from bot.app import App, build_app
from bot.clock import ManualClock
from bot.simulation import SimulatedGroup
from models.tables import Group
from tests import dbview
from tests.conftest import GROUP_CHAT, GROUP_NAME, LEADER, SHANGHAI, make_settings, stock_catalog


class TickScheduler(BaseScheduler):
    """A scheduler with no thread of its own: the test calls `tick()` when the clock has moved."""

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def wakeup(self) -> None:
        """Nothing to wake: jobs run only when the test ticks."""

    def tick(self) -> None:
        self._process_jobs()


@pytest.fixture
def follow_clock(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> ManualClock:
    """APScheduler reads the time with datetime.now(); point it at the test's clock."""

    class ClockDatetime(datetime):
        @classmethod
        def now(cls, tz: TzInfo | None = None) -> Any:
            return clock().astimezone(tz)

    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", ClockDatetime)
    monkeypatch.setattr(apscheduler.executors.base, "datetime", ClockDatetime)
    return clock


class Bot:
    """One run of the bot process: an app and its scheduler on the shared database."""

    def __init__(self, engine: Engine, clock: ManualClock) -> None:
        self.app: App = build_app(
            make_settings(), clock=clock, engine=engine, instant_outbox=True, migrate=False
        )
        self.group = SimulatedGroup(self.app, chat_id=GROUP_CHAT, name=GROUP_NAME)
        self.scheduler = schedule.build_scheduler(
            self.app, scheduler_class=TickScheduler, executors={"default": DebugExecutor()}
        )
        schedule.start(self.app, self.scheduler)

    def tick(self) -> list[str]:
        assert isinstance(self.scheduler, TickScheduler)
        self.scheduler.tick()
        return self.group.texts(self.group.flush())

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


@pytest.fixture
def bot(engine: Engine, follow_clock: ManualClock) -> Iterator[Bot]:
    stock_catalog(build_app(make_settings(), clock=follow_clock, engine=engine, migrate=False))
    running = Bot(engine, follow_clock)
    yield running
    running.stop()


def at(clock: ManualClock, hour: int, minute: int = 0, days: int = 0) -> None:
    clock.set(datetime(2026, 11, 22, hour, minute, tzinfo=SHANGHAI) + timedelta(days=days))


def kinds(bot: Bot) -> list[str]:
    return sorted(job.split(":")[0] for job in schedule.job_ids(bot.scheduler))


def test_each_group_has_its_daily_jobs_and_each_open_campaign_its_cutoff(
    bot: Bot, follow_clock: ManualClock
) -> None:
    assert kinds(bot) == ["deals", "pickup-reminder", "weekly-report"]
    at(follow_clock, 8)
    bot.tick()  # the deal post opens today's campaign, closing at the group's 20:00
    assert kinds(bot) == ["cutoff", "cutoff-reminder", "deals", "pickup-reminder", "weekly-report"]


def test_a_campaign_closes_at_its_own_time_not_the_groups(bot: Bot, follow_clock: ManualClock) -> None:
    at(follow_clock, 9)
    bot.group.say(LEADER, "开团 周末团 今晚9点半截单\n1. 红富士苹果 5.9/斤")
    schedule.sync_group_jobs(bot.scheduler, bot.app)
    at(follow_clock, 20)
    assert not any("已截单" in text for text in bot.tick())
    at(follow_clock, 21)
    assert any("21:30截单" in text for text in bot.tick())  # (the Sunday report goes out too)
    at(follow_clock, 21, 30)
    assert any("已截单" in text for text in bot.tick())
    assert dbview.campaigns(bot.app)[0].status == "closed"


def test_a_cutoff_missed_while_down_still_happens(
    engine: Engine, bot: Bot, follow_clock: ManualClock
) -> None:
    at(follow_clock, 8)
    bot.tick()
    bot.stop()  # down from before 20:00 until the next morning
    at(follow_clock, 7, days=1)
    restarted = Bot(engine, follow_clock)
    assert any("已截单" in text for text in restarted.tick())
    assert dbview.campaigns(restarted.app)[0].status == "closed"
    restarted.stop()


def test_the_day_runs_on_schedule(bot: Bot, follow_clock: ManualClock) -> None:
    at(follow_clock, 8)
    [deals] = bot.tick()
    assert "🛒" in deals and "红富士苹果" in deals
    bot.group.say("王五", "红富士苹果2斤")
    at(follow_clock, 19, 30)
    [reminder] = bot.tick()
    assert "20:00截单" in reminder
    at(follow_clock, 20)
    sent = bot.tick()
    assert any("已截单" in text for text in sent)
    assert dbview.campaigns(bot.app)[0].status == "closed"


def test_a_restart_neither_loses_nor_repeats_a_job(
    engine: Engine, bot: Bot, follow_clock: ManualClock
) -> None:
    at(follow_clock, 8)
    assert len(bot.tick()) == 1
    bot.stop()
    at(follow_clock, 8, 1)
    restarted = Bot(engine, follow_clock)
    assert restarted.tick() == []  # today's deals went out before the restart
    assert len(dbview.campaigns(restarted.app)) == 1
    at(follow_clock, 8, days=1)
    assert len(restarted.tick()) == 1  # tomorrow's still comes
    restarted.stop()


def test_a_job_missed_while_down_runs_once_within_the_grace_period(
    engine: Engine, bot: Bot, follow_clock: ManualClock
) -> None:
    bot.stop()  # down from 08:00 until 08:20
    at(follow_clock, 8, 20)
    restarted = Bot(engine, follow_clock)
    [deals] = restarted.tick()
    assert "🛒" in deals
    assert restarted.tick() == []
    restarted.stop()


def test_a_job_missed_beyond_the_grace_period_is_skipped_and_logged(
    engine: Engine, bot: Bot, follow_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    bot.stop()
    at(follow_clock, 9, 30)
    restarted = Bot(engine, follow_clock)
    with caplog.at_level(logging.WARNING):
        assert restarted.tick() == []
    assert "was missed by" in caplog.text
    assert dbview.campaigns(restarted.app) == []
    restarted.stop()


def test_changing_a_groups_time_replaces_only_that_job(engine: Engine, bot: Bot) -> None:
    before = {job.id: str(job.trigger) for job in bot.scheduler.get_jobs()}
    with Session(engine) as session:
        group = session.exec(select(Group)).one()
        group.deal_post_time = "07:30"
        session.add(group)
        session.commit()
    changed = schedule.sync_group_jobs(bot.scheduler, bot.app)
    assert [job.split(":")[0] for job in changed] == ["deals"]
    after = {job.id: str(job.trigger) for job in bot.scheduler.get_jobs()}
    assert [k for k in before if before[k] != after[k]] == changed
