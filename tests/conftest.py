"""Shared fixtures: a real database per test (a SQLite file, or the PostgreSQL server started by
./scripts/test), an app on a manual clock, and a simulated group to talk to.

No test may reach the internet: any connection to a non-loopback address fails loudly.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from bot.app import App, build_app
from bot.catalog_file import stock_group
from bot.clock import ManualClock
from bot.config import GroupSettings, Settings
from bot.simulation import SimulatedGroup
from models.db import make_engine
from models.versioned import forget_engine

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_CATALOG = Path(__file__).resolve().parent.parent / "bot" / "demo_data" / "catalog.csv"
LEADER = "李团长"
GROUP_CHAT = "test-group@chatroom"
GROUP_NAME = "幸福小区团购群"
REQUIRE_SERVERS = os.environ.get("TUANBOT_REQUIRE_SERVERS") == "1"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    if isinstance(address, tuple) and address and address[0] not in {"127.0.0.1", "::1", "localhost"}:
        raise RuntimeError(f"a test tried to reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


def create_schema(engine: Engine) -> None:
    """Tables straight from the models, which is quicker than migrating for every test;
    tests/test_migrations.py proves the migrations build exactly the same schema."""
    SQLModel.metadata.create_all(engine)


def postgres_url() -> str:
    url = os.environ.get("TUANBOT_TEST_PG_URL", "")
    if not url:
        if REQUIRE_SERVERS:
            pytest.fail("TUANBOT_TEST_PG_URL is not set, but this run requires PostgreSQL")
        pytest.skip("no PostgreSQL server (run ./scripts/test to start one)")
    return url


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[Engine]:
    """A new, empty database on the test server, dropped afterwards (for tests that need their own)."""
    admin = make_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A database of this test run's own, so two runs against one server do not meet."""
    with fresh_postgres_database("tuanbot_test") as engine:
        create_schema(engine)
        yield engine


def _truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        # The scheduler's own table is not one of ours; a previous test's jobs must not linger.
        connection.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, empty database: a SQLite file in the test's folder, or the shared PostgreSQL server."""
    if request.param == "sqlite":
        sqlite_engine = make_engine(f"sqlite:///{tmp_path / 'tuanbot.sqlite3'}")
        create_schema(sqlite_engine)
        yield sqlite_engine
        sqlite_engine.dispose()
    else:
        pg_engine: Engine = request.getfixturevalue("postgres_engine")
        _truncate_all(pg_engine)
        forget_engine(pg_engine)  # ids start over, so what was cached for them is stale
        yield pg_engine


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 22, 8, 0, tzinfo=SHANGHAI))


def make_settings(**overrides: Any) -> Settings:
    group = GroupSettings(
        name=GROUP_NAME,
        chat_id=GROUP_CHAT,
        leaders=(SimulatedGroup.wechat_id(LEADER),),
        pickup_place="小区北门",
    )
    return Settings(database_url="unused://", groups=(group,), **overrides)


@pytest.fixture
def app(engine: Engine, clock: ManualClock, tmp_path: Path) -> App:
    settings = make_settings(data_dir=str(tmp_path / "data"))
    return build_app(settings, clock=clock, engine=engine, instant_outbox=True, migrate=False)


def stock_catalog(app: App, csv_path: Path = DEMO_CATALOG) -> None:
    stock_group(
        app.engine,
        chat_id=GROUP_CHAT,
        name=GROUP_NAME,
        catalog=csv_path,
        now=app.clock(),
        pickup_place="小区北门",
    )


@pytest.fixture
def group(app: App) -> SimulatedGroup:
    """A group with the demo catalog in stock and no campaign yet."""
    stock_catalog(app)
    return SimulatedGroup(app, chat_id=GROUP_CHAT, name=GROUP_NAME)


@pytest.fixture
def open_group(group: SimulatedGroup) -> SimulatedGroup:
    """A group whose leader has opened today's campaign with the whole demo catalog."""
    group.say(LEADER, "开团")
    return group
