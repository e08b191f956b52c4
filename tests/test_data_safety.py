"""Backups are consistent copies taken while the bot runs; exports give the leader their data."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import Engine, text
from sqlmodel import Session

from bot.app import build_app
from bot.backup import BackupError, backup
from bot.cli import main
from bot.clock import ManualClock
from bot.events import IncomingMessage
from bot.simulation import SimulatedGroup
from models.db import make_engine
from models.groups import ensure_group
from tests.conftest import (
    GROUP_CHAT,
    GROUP_NAME,
    LEADER,
    REQUIRE_SERVERS,
    create_schema,
    fresh_postgres_database,
    make_settings,
    stock_catalog,
)


def order_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM order_line").fetchone()[0])


@pytest.fixture
def sqlite_group(tmp_path: Path, clock: ManualClock) -> Iterator[SimulatedGroup]:
    """An open campaign on a SQLite file: what the SQLite backup is for."""
    engine = make_engine(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    create_schema(engine)
    app = build_app(make_settings(), clock=clock, engine=engine, instant_outbox=True, migrate=False)
    stock_catalog(app)
    group = SimulatedGroup(app, chat_id=GROUP_CHAT, name=GROUP_NAME)
    group.say(LEADER, "开团")
    yield group
    engine.dispose()


def test_a_sqlite_backup_taken_while_orders_come_in_is_consistent(
    sqlite_group: SimulatedGroup, tmp_path: Path
) -> None:
    source = Path(str(sqlite_group.app.engine.url.database))
    for n in range(10):
        sqlite_group.say(f"邻居{n}", "红富士苹果1斤")
    writing = threading.Thread(
        target=lambda: [sqlite_group.app.dispatcher.handle(_order(sqlite_group, n)) for n in range(10, 60)]
    )
    writing.start()
    copy = backup(f"sqlite:///{source}", tmp_path / "backup.sqlite3")
    writing.join()
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        lines = connection.execute("SELECT count(*) FROM order_line").fetchone()[0]
        orders = connection.execute("SELECT count(*) FROM member_order").fetchone()[0]
    assert 10 <= lines <= 60 and lines == orders  # a moment of the stream, never half a message
    assert order_count(source) == 60


def _order(group: SimulatedGroup, n: int) -> IncomingMessage:
    return IncomingMessage(
        message_id=f"backup-{n}",
        chat_id=group.chat_id,
        chat_name=group.name,
        sender_id=f"wxid_n{n}",
        sender_name=f"邻居{n}",
        text="红富士苹果1斤",
        sent_at=group.app.clock(),
    )


def test_backup_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no SQLite file"):
        backup(f"sqlite:///{tmp_path / 'missing.sqlite3'}", tmp_path / "out")


@pytest.fixture
def pg_database() -> Iterator[tuple[Engine, str]]:
    """A fresh database to back up, and the URL of an empty one to restore into."""
    with fresh_postgres_database("backup") as engine, fresh_postgres_database("restored") as restored:
        yield engine, restored.url.render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_postgres_backup_restores_to_the_same_orders(
    pg_database: tuple[Engine, str], tmp_path: Path
) -> None:
    engine, restore_url = pg_database
    if shutil.which("pg_restore") is None:
        if REQUIRE_SERVERS:
            pytest.fail("pg_restore is missing, but this run requires PostgreSQL's tools")
        pytest.skip("pg_restore is not installed")
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    assert runner.invoke(main, ["--db", url, "db", "upgrade"]).exit_code == 0
    with Session(engine) as session:
        ensure_group(session=session, chat_id="g@chatroom", name="群", now=datetime.now(UTC), enabled=True)
        session.commit()
    result = runner.invoke(main, ["--db", url, "backup", str(tmp_path / "tuanbot.dump")])
    assert result.exit_code == 0, result.output
    libpq_url = restore_url.replace("postgresql+psycopg", "postgresql")
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={libpq_url}", str(tmp_path / "tuanbot.dump")], check=True
    )
    restored = make_engine(restore_url)
    with restored.connect() as connection:
        assert connection.execute(text("SELECT name FROM chat_group")).scalars().all() == ["群"]
    restored.dispose()


def test_export_writes_members_orders_and_returns(open_group: SimulatedGroup, tmp_path: Path) -> None:
    open_group.say("吴婶", "3栋502 吴婶 鸡蛋1板 西红柿2斤")
    open_group.say(LEADER, "代下单 7栋1101李爷爷 红富士3斤")
    open_group.say(LEADER, "截单")
    open_group.say("吴婶", "退货 鸡蛋1板 碎了")
    out = tmp_path / "export.xlsx"
    url = open_group.app.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--db", url, "export", "--group", "幸福小区团购群", str(out)])
    assert result.exit_code == 0, result.output
    assert "订单 2" in result.output  # two orders, three rows
    workbook = load_workbook(out)
    members = {row[0]: row for row in workbook["成员"].iter_rows(min_row=2, values_only=True)}
    assert members["吴婶"][2] == "3栋502" and members["李爷爷"][6] == "是"
    orders = list(workbook["订单"].iter_rows(min_row=2, values_only=True))
    assert {(row[2], row[5], row[7], row[10]) for row in orders} == {
        ("吴婶", "土鸡蛋", 1, 28),
        ("吴婶", "本地西红柿", 2, 9),
        ("李爷爷", "红富士苹果", 3, 17.7),
    }
    [returned] = list(workbook["退货"].iter_rows(min_row=2, values_only=True))
    assert returned[1:5] == ("吴婶", "土鸡蛋", 1, "碎了")
    unknown = CliRunner().invoke(main, ["--db", url, "export", "--group", "没有这个群", str(out)])
    assert unknown.exit_code != 0 and "no group named" in unknown.output
