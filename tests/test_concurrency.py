"""Two bot workers on one database, with real concurrency: no IntegrityError reaches anyone, no order
is lost or counted twice, stock is never oversold, and no order slips in after the cutoff."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.app import App, build_app
from bot.clock import ManualClock
from bot.dispatcher import Outcome
from bot.events import IncomingMessage
from bot.jobs import cutoff, run_campaign_job
from bot.simulation import SimulatedGroup
from models.db import make_engine
from models.tables import Campaign, Group, OrderLine, OutboxMessage
from tests import dbview
from tests.conftest import GROUP_CHAT, GROUP_NAME, LEADER, SHANGHAI, make_settings, stock_catalog


@pytest.fixture
def workers(engine: Engine, tmp_path: Path) -> Iterator[tuple[App, App]]:
    """Two apps, each with its own engine (its own connections), like two bot processes."""
    url = engine.url.render_as_string(hide_password=False)
    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
    settings = replace(make_settings(), data_dir=str(tmp_path))
    apps = []
    for _ in range(2):
        worker_engine = make_engine(url)
        apps.append(
            build_app(settings, clock=clock, engine=worker_engine, instant_outbox=True, migrate=False)
        )
    stock_catalog(apps[0])
    SimulatedGroup(apps[0], chat_id=GROUP_CHAT, name=GROUP_NAME).say(LEADER, "开团")
    yield apps[0], apps[1]
    for app in apps:
        app.engine.dispose()


def message(n: str, sender: str, text: str) -> IncomingMessage:
    return IncomingMessage(
        message_id=n,
        chat_id=GROUP_CHAT,
        chat_name=GROUP_NAME,
        sender_id=f"wxid_{sender}",
        sender_name=sender,
        text=text,
        sent_at=datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI),
    )


def run_together(*jobs: Callable[[], list[Outcome]]) -> list[Outcome]:
    """Start every job at the same moment in its own thread; collect outcomes and any exception."""
    start = threading.Barrier(len(jobs))
    results: list[list[Outcome]] = [[] for _ in jobs]
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], list[Outcome]]) -> None:
        start.wait()
        try:
            results[index] = job()
        except BaseException as exc:  # collected and re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return [outcome for result in results for outcome in result]


def test_two_workers_handling_the_same_new_members_at_once(workers: tuple[App, App]) -> None:
    first, second = workers
    names = [f"邻居{i}" for i in range(20)]

    def worker(app: App, tag: str, text: str) -> Callable[[], list[Outcome]]:
        return lambda: [app.dispatcher.handle(message(f"{tag}-{name}", name, text)) for name in names]

    outcomes = run_together(worker(first, "a", "红富士苹果1斤"), worker(second, "b", "香蕉1把"))
    assert {o.status for o in outcomes} == {"handled"}
    orders = dbview.orders(first)
    assert orders == {name: {"红富士苹果": Decimal(1), "海南香蕉": Decimal(1)} for name in names}
    assert len(dbview.order_rows(first)) == 20  # one order per member, not one per worker


def test_a_redelivery_racing_the_original_is_counted_once(workers: tuple[App, App]) -> None:
    first, second = workers
    same = [message(f"wx-{i}", f"邻居{i}", "红富士苹果2斤") for i in range(15)]
    outcomes = run_together(
        lambda: [first.dispatcher.handle(m) for m in same],
        lambda: [second.dispatcher.handle(m) for m in same],
    )
    assert sorted(o.status for o in outcomes).count("handled") == 15
    assert {o.status for o in outcomes} <= {"handled", "duplicate"}
    assert all(order == {"红富士苹果": Decimal(2)} for order in dbview.orders(first).values())
    assert len(dbview.orders(first)) == 15


def test_stock_is_never_oversold(workers: tuple[App, App]) -> None:
    first, second = workers
    with Session(first.engine) as session:
        group = session.exec(select(Group)).one()
        assert group.id is not None
    first.dispatcher.handle(message("stock", LEADER, "库存 4 40"))

    def buyers(app: App, tag: str) -> Callable[[], list[Outcome]]:
        return lambda: [
            app.dispatcher.handle(message(f"{tag}-{i}", f"{tag}{i}", "鸡蛋1板")) for i in range(30)
        ]

    run_together(buyers(first, "甲"), buyers(second, "乙"))
    with Session(first.engine) as session:
        eggs = [line.qty for line in session.exec(select(OrderLine)) if line.unit == "板"]
    assert sum(eggs, Decimal(0)) == Decimal(40)


def test_no_order_slips_in_after_a_cutoff_running_beside_it(workers: tuple[App, App]) -> None:
    first, second = workers
    with Session(first.engine) as session:
        campaign_id = session.exec(select(Campaign.id)).one()
    assert campaign_id is not None

    def orders() -> list[Outcome]:
        return [first.dispatcher.handle(message(f"o-{i}", f"邻居{i}", "西红柿1斤")) for i in range(40)]

    def cut() -> list[Outcome]:
        run_campaign_job(second, campaign_id, cutoff)
        return []

    run_together(orders, cut)
    with Session(first.engine) as session:
        assert session.exec(select(Campaign.status)).one() == "closed"
        summary = next(row.text for row in session.exec(select(OutboxMessage)) if "订货汇总" in row.text)
    ordered = sum((o.get("本地西红柿", Decimal(0)) for o in dbview.orders(first).values()), Decimal(0))
    # The supplier was told exactly what is on order: nothing was added after the cutoff's count.
    told = re.search(r"本地西红柿 × (\d+)斤", summary)
    assert (Decimal(told.group(1)) if told else Decimal(0)) == ordered
