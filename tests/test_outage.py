"""PostgreSQL goes down mid-stream: messages are kept locally and handled once it is back, the bot
does not crash, and the leader is told when the outage lasts."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import App, build_app
from bot.clock import ManualClock
from bot.events import IncomingMessage
from bot.runtime import OUTAGE_ALERT_AFTER, BotRuntime
from bot.simulation import SimulatedGroup
from bot.spool import Spool
from bot.transports.memory import MemoryTransport
from tests import dbview
from tests.conftest import (
    GROUP_CHAT,
    GROUP_NAME,
    LEADER,
    REQUIRE_SERVERS,
    SHANGHAI,
    fresh_postgres_database,
    make_settings,
    stock_catalog,
)


def pg_ctl(action: str) -> None:
    command = os.environ.get("TUANBOT_TEST_PG_CTL", "")
    if not command:
        if REQUIRE_SERVERS:
            pytest.fail("TUANBOT_TEST_PG_CTL is not set, but this run requires controlling PostgreSQL")
        pytest.skip("no way to stop and start the test PostgreSQL server (run ./scripts/test)")
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run([*shlex.split(command), "-w", "-t", "60", *extra, action], check=True, capture_output=True)


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A database of its own on the test server, dropped afterwards."""
    with fresh_postgres_database("outage") as engine:
        yield engine


def order(n: int, name: str, words: str, clock: ManualClock) -> IncomingMessage:
    return IncomingMessage(
        message_id=f"outage-{n}",
        chat_id=GROUP_CHAT,
        chat_name=GROUP_NAME,
        sender_id=SimulatedGroup.wechat_id(name),
        sender_name=name,
        text=words,
        sent_at=clock(),
    )


@pytest.mark.postgres
def test_messages_wait_in_the_spool_through_an_outage(pg_engine: Engine, tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
    settings = replace(make_settings(), data_dir=str(tmp_path))
    app: App = build_app(settings, clock=clock, engine=pg_engine, instant_outbox=True)
    stock_catalog(app)
    SimulatedGroup(app, chat_id=GROUP_CHAT, name=GROUP_NAME).say(LEADER, "开团")
    transport = MemoryTransport()
    runtime = BotRuntime(app, transport, spool=Spool(tmp_path / "spool.jsonl"))

    pg_ctl("stop")
    try:
        runtime.accept(order(1, "张三", "红富士苹果2斤", clock))
        runtime.accept(order(2, "李四", "香蕉1把", clock))
        assert runtime.storage_down and len(runtime.spool) == 2
        clock.advance(seconds=OUTAGE_ALERT_AFTER.total_seconds() + 1)
        runtime.accept(order(3, "王五", "鸡蛋1板", clock))
        asyncio.run(runtime.check_storage())
        [alert] = transport.take()
        assert alert.chat_id == SimulatedGroup.wechat_id(LEADER)
        assert "3条消息都先存在本机" in alert.text
        asyncio.run(runtime.check_storage())
        assert transport.take() == []  # told once per outage
    finally:
        pg_ctl("start")

    asyncio.run(runtime.check_storage())
    assert not runtime.storage_down and len(runtime.spool) == 0
    runtime.accept(order(4, "赵六", "西红柿3斤", clock))
    runtime.accept(order(1, "张三", "红富士苹果2斤", clock))  # redelivered after a reconnect: no change
    assert dbview.orders(app) == {
        "张三": {"红富士苹果": Decimal(2)},
        "李四": {"海南香蕉": Decimal(1)},
        "王五": {"土鸡蛋": Decimal(1)},
        "赵六": {"本地西红柿": Decimal(3)},
    }


def test_the_spool_survives_a_restart_and_keeps_arrival_order(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
    spool = Spool(tmp_path / "spool.jsonl")
    for n, words in enumerate(["红富士苹果2斤", "改成3斤", "不要了"], start=1):
        spool.append(order(n, "张三", words, clock))
    reopened = Spool(tmp_path / "spool.jsonl")
    seen: list[str] = []
    assert reopened.drain(lambda message: seen.append(message.text)) == 3
    assert seen == ["红富士苹果2斤", "改成3斤", "不要了"]
    assert len(reopened) == 0


def test_a_failing_message_stays_in_the_spool_with_everything_after_it(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
    spool = Spool(tmp_path / "spool.jsonl")
    for n in range(1, 5):
        spool.append(order(n, "张三", f"第{n}条", clock))

    def handle(message: IncomingMessage) -> None:
        if message.text == "第3条":
            raise RuntimeError("database went away again")

    with pytest.raises(RuntimeError):
        spool.drain(handle)
    left: list[str] = []
    spool.drain(lambda message: left.append(message.text))
    assert left == ["第3条", "第4条"]
