"""tuanbot's numbers, measured on this machine. Prints figures; asserts nothing.

Run it with `./scripts/bench` (which sets up the venv and a throwaway PostgreSQL). Sections:
- raw sqlite3: single-row inserts, one commit each, WAL + synchronous=NORMAL (the ceiling);
- dispatcher throughput: order messages through the real dispatcher (read, route, parse, save,
  commit, render and queue the confirmation), on SQLite and on PostgreSQL over loopback;
- the storage floor: the statements those messages ran, replayed through the driver alone;
- where a message's time goes: reading its text (no database), and one prepared SELECT through
  SQLAlchemy against the same SELECT through sqlite3 itself;
- 接龙 storm: 500 members each reposting the whole list with their line added;
- `tuanbot --help` wall time.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bot.app import App, build_app  # noqa: E402
from bot.catalog_file import read_catalog_file  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import GroupSettings, Settings  # noqa: E402
from bot.events import IncomingMessage  # noqa: E402
from models.catalog import upsert_products  # noqa: E402
from models.groups import ensure_group  # noqa: E402

CATALOG = ROOT / "bot" / "demo_data" / "catalog.csv"
ZONE = ZoneInfo("Asia/Shanghai")
GROUP = "bench-group@chatroom"
LEADER = "wxid_leader"
ORDERS = ["红富士苹果2斤", "香蕉1把", "西红柿3斤", "1号x2", "青苹果两斤", "脐橙1箱", "大米1袋", "5号4斤"]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def raw_sqlite_rate(rows: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "raw.sqlite3", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, member TEXT, qty INTEGER)")
        start = time.perf_counter()
        for i in range(rows):
            connection.execute("BEGIN")
            connection.execute("INSERT INTO t (member, qty) VALUES (?, ?)", (f"m{i}", i))
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - start
        connection.close()
    return rows / elapsed


def bench_app(url: str, clock: ManualClock) -> App:
    settings = Settings(
        database_url=url,
        groups=(GroupSettings(name="压测群", chat_id=GROUP, leaders=(LEADER,)),),
        data_dir=tempfile.mkdtemp(prefix="tuanbot-bench-"),
    )
    app = build_app(settings, clock=clock, instant_outbox=True)
    with Session(app.engine) as session:
        group = ensure_group(session=session, chat_id=GROUP, name="压测群", now=clock(), enabled=True)
        assert group.id is not None
        specs = [replace(spec, stock=None, limit_per_person=None) for spec in read_catalog_file(CATALOG)]
        upsert_products(session=session, group_id=group.id, specs=specs)
        session.commit()
    return app


def message(n: int, sender: str, text: str, clock: ManualClock) -> IncomingMessage:
    return IncomingMessage(
        message_id=f"bench-{n}",
        chat_id=GROUP,
        chat_name="压测群",
        sender_id=sender,
        sender_name=sender.removeprefix("wxid_"),
        text=text,
        sent_at=clock(),
    )


def next_order(n: int, members: int, clock: ManualClock) -> IncomingMessage:
    """The bench's `n`th order message, 10 ms after the one before, from one of `members` members."""
    clock.advance(seconds=0.01)
    return message(n, f"wxid_m{n % members}", ORDERS[n % len(ORDERS)], clock)


def dispatcher_throughput(url: str, messages: int, members: int) -> tuple[float, float, float]:
    """Order messages per second, and the p50 / p99 time per message in ms."""
    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=ZONE))
    app = bench_app(url, clock)
    app.dispatcher.handle(message(0, LEADER, "开团", clock))
    samples: list[float] = []
    start = time.perf_counter()
    for n in range(1, messages + 1):
        sent = next_order(n, members, clock)
        began = time.perf_counter()
        outcome = app.dispatcher.handle(sent)
        samples.append(time.perf_counter() - began)
        if outcome.status != "handled":
            raise RuntimeError(f"message {n} was {outcome.status}")
    elapsed = time.perf_counter() - start
    app.engine.dispose()
    return messages / elapsed, percentile(samples, 0.5) * 1000, percentile(samples, 0.99) * 1000


def storage_floor(url: str, messages: int, members: int, admin_url: str = "") -> tuple[float, float]:
    """The statements the same order messages run, replayed through the database driver alone.

    The bot handles `messages` orders while every statement it sends the driver is recorded; the
    record is then replayed, one transaction per message, on a copy of the database taken just
    before. Nothing above the driver runs: no SQLAlchemy, routing, reading or wording. It is the
    rate a message could reach if all of that cost nothing (msg/s, and p99 ms). PostgreSQL's
    connection ping is not replayed, so the floor there is slightly generous.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import make_url

    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=ZONE))
    app = bench_app(url, clock)
    app.dispatcher.handle(message(0, LEADER, "开团", clock))
    # Each member's first order creates the member and the order; the floor measures the steady state.
    for n in range(1, members + 1):
        app.dispatcher.handle(next_order(n, members, clock))
    app.engine.dispose()
    replay_url = _copy_database(url, admin_url)
    recorded: list[list[tuple[str, object, bool]]] = []
    event.listen(
        app.engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, parameters, _context, many: recorded[-1].append(
            (statement, parameters, many)
        ),
    )
    for n in range(members + 1, members + messages + 1):
        recorded.append([])
        app.dispatcher.handle(next_order(n, members, clock))
    app.engine.dispose()

    target = make_url(replay_url)
    connection: Any
    if target.get_backend_name() == "sqlite":
        connection = sqlite3.connect(str(target.database), isolation_level=None)
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
    else:
        import psycopg

        conninfo = target.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = psycopg.connect(conninfo)
    samples: list[float] = []
    start = time.perf_counter()
    for statements in recorded:
        began = time.perf_counter()
        cursor = connection.cursor()
        for statement, parameters, many in statements:
            if many:
                cursor.executemany(statement, parameters)
                continue
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
        cursor.close()
        connection.commit()
        samples.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    connection.close()
    return messages / elapsed, percentile(samples, 0.99) * 1000


def _copy_database(url: str, admin_url: str) -> str:
    """A copy of the database at `url` as it is now (nothing may be connected to it); its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from models.db import make_engine

    source = make_url(url)
    if source.get_backend_name() == "sqlite":
        copy = f"{source.database}.floor"
        original, duplicate = sqlite3.connect(str(source.database)), sqlite3.connect(copy)
        try:
            original.backup(duplicate)
        finally:
            original.close()
            duplicate.close()
        return f"sqlite:///{copy}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    # The copy lives and dies with the bench database: the same name with a suffix, dropped below.
    name = f"{source.database}_floor"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))
    admin.dispose()
    return source.set(database=name).render_as_string(hide_password=False)


def time_per_call(action: Callable[[], object], calls: int) -> float:
    """Median microseconds per call, over five rounds of `calls` calls."""
    rounds = []
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(calls):
            action()
        rounds.append((time.perf_counter() - began) / calls)
    return statistics.median(rounds) * 1e6


def where_the_time_goes(url: str) -> tuple[float, float, float]:
    """Per order message: µs spent reading its text, and µs for one SELECT of the current campaign
    through SQLAlchemy's ORM and through sqlite3 itself (the order path runs about six statements)."""
    from handlers.catalog_view import catalog_of
    from handlers.reading import read_chat_message
    from models.campaigns import current_campaign, list_offers

    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=ZONE))
    app = bench_app(url, clock)
    app.dispatcher.handle(message(0, LEADER, "开团", clock))
    with Session(app.engine) as session:
        campaign = current_campaign(session=session, group_id=1)
        assert campaign is not None
        catalog = catalog_of(list_offers(session=session, campaign=campaign))
        texts = iter(ORDERS * 1000)
        reading = time_per_call(lambda: read_chat_message(next(texts), catalog), 1000)
        orm = time_per_call(lambda: current_campaign(session=session, group_id=1), 1000)
    database = url.removeprefix("sqlite:///")
    connection = sqlite3.connect(database)
    sql = "SELECT * FROM campaign WHERE group_id = ? AND status != 'done' ORDER BY id DESC LIMIT 1"
    raw = time_per_call(lambda: connection.execute(sql, (1,)).fetchone(), 1000)
    connection.close()
    app.engine.dispose()
    return reading, orm, raw


def chain_storm(url: str, members: int) -> tuple[float, float, float, float]:
    """500 reposts, the list growing by one line each: total s, p50 and p99 ms per repost, full re-read ms."""
    from handlers.catalog_view import catalog_of
    from handlers.reading import read_chain
    from models.campaigns import current_campaign, list_offers

    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=ZONE))
    app = bench_app(url, clock)
    app.dispatcher.handle(message(0, LEADER, "开团", clock))
    header = "#接龙\n幸福小区 11月22日 水果团 晚8点截单\n例 3栋502 王姐 红富士苹果2斤\n"
    lines: list[str] = []
    samples: list[float] = []
    for n in range(1, members + 1):
        lines.append(f"{n}. 邻居{n} {ORDERS[n % len(ORDERS)]}")
        clock.advance(seconds=1)
        text = header + "\n" + "\n".join(lines)
        began = time.perf_counter()
        # Each member writes their own nickname on their line, as people do.
        app.dispatcher.handle(message(n, f"wxid_邻居{n}", text, clock))
        samples.append(time.perf_counter() - began)
    with Session(app.engine) as session:
        campaign = current_campaign(session=session, group_id=1)
        assert campaign is not None and campaign.id is not None
        catalog = catalog_of(list_offers(session=session, campaign=campaign))
    began = time.perf_counter()
    read_chain(header + "\n" + "\n".join(lines), catalog)
    full_read = time.perf_counter() - began
    app.engine.dispose()
    return sum(samples), percentile(samples, 0.5) * 1000, percentile(samples, 0.99) * 1000, full_read * 1000


def fresh_pg_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A new, empty database on the server at `admin_url`, and a function that drops it."""
    from sqlalchemy import text

    from models.db import make_engine

    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"tuanbot_bench_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}_floor" WITH (FORCE)'))
        admin.dispose()

    return admin.url.set(database=name).render_as_string(hide_password=False), drop


def idle_rss(groups: int, members: int) -> tuple[float, str]:
    """Resident memory (MB) of `tuanbot run` logged in and idle, serving `groups` groups whose
    `members` members are in its database; the second value says what it was measured against."""
    import secrets
    import signal
    import threading

    from sqlalchemy import insert

    from models.db import make_engine
    from models.schema import upgrade
    from models.tables import Group, Member
    from tests.wechaty.support import GatewayUnavailable, start_gateway

    workdir = Path(tempfile.mkdtemp(prefix="tuanbot-rss-"))
    try:
        gateway = start_gateway(secrets.token_hex(8), workdir / "gateway.log")
    except GatewayUnavailable as exc:
        return float("nan"), f"skipped: {exc}"
    try:
        url = f"sqlite:///{workdir / 'rss.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        now = datetime.now(ZONE)
        with engine.begin() as connection:
            connection.execute(
                insert(Group.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "chat_id": f"room{g}@chatroom",
                        "name": f"小区{g}群",
                        "instance": "default",
                        "enabled": True,
                        "pickup_place": "",
                        "deal_post_time": "08:00",
                        "cutoff_time": "20:00",
                        "pickup_reminder_time": "19:00",
                        "created_at": now,
                    }
                    for g in range(groups)
                ],
            )
            connection.execute(
                insert(Member.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "group_id": m % groups + 1,
                        "wechat_id": f"wxid_m{m}",
                        "display_name": f"邻居{m}",
                        "address": "",
                        "phone": "",
                        "notes": "",
                        "is_leader": False,
                        "is_proxy": False,
                        "created_at": now,
                    }
                    for m in range(members)
                ],
            )
        engine.dispose()
        config = workdir / "tuanbot.toml"
        config.write_text(
            f'database_url = "{url}"\ndata_dir = "{workdir}"\n[wechaty]\n'
            f'endpoint = "127.0.0.1:{gateway.grpc_port}"\ntoken = "{gateway.token}"\n',
            encoding="utf-8",
        )
        tuanbot = Path(sys.executable).parent / "tuanbot"
        process = subprocess.Popen(
            [str(tuanbot), "--config", str(config), "run"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        logged_in = threading.Event()

        def watch() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                if "logged in" in line:
                    logged_in.set()

        threading.Thread(target=watch, daemon=True).start()
        if not logged_in.wait(timeout=90):
            process.kill()
            process.wait()
            return float("nan"), "skipped: tuanbot run did not log in"
        time.sleep(5)  # idle: scheduled jobs synced, nothing to do
        status = Path(f"/proc/{process.pid}/status").read_text()
        rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        return rss_kb / 1024, f"{groups} groups, {members:,} members, logged in and idle"
    finally:
        gateway.stop()


def help_wall_time(runs: int) -> float:
    tuanbot = Path(sys.executable).parent / "tuanbot"
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([str(tuanbot), "--help"], check=True, capture_output=True)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def timed(label: str, action: Callable[[], str]) -> None:
    print(f"{label:<44} {action()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--pg-url", default=os.environ.get("TUANBOT_BENCH_PG_URL", ""))
    args = parser.parse_args()
    print(f"tuanbot bench on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")

    raw = raw_sqlite_rate(20_000)
    timed("raw sqlite3 single-row commits", lambda: f"{raw:,.0f} rows/s")
    with tempfile.TemporaryDirectory() as folder:
        rate, p50, p99 = dispatcher_throughput(
            f"sqlite:///{folder}/bench.sqlite3", args.messages, args.members
        )
    timed("dispatcher, SQLite", lambda: f"{rate:,.0f} msg/s  p50 {p50:.2f} ms  p99 {p99:.2f} ms")
    timed("  share of the raw commit rate", lambda: f"{rate / raw:.1%}")
    with tempfile.TemporaryDirectory() as folder:
        floor, floor_p99 = storage_floor(f"sqlite:///{folder}/floor.sqlite3", args.messages, args.members)
    timed("  its statements through sqlite3 alone", lambda: f"{floor:,.0f} msg/s  p99 {floor_p99:.2f} ms")
    with tempfile.TemporaryDirectory() as folder:
        reading, orm, raw_select = where_the_time_goes(f"sqlite:///{folder}/parts.sqlite3")
    timed("  reading one order message (no database)", lambda: f"{reading:.0f} µs")
    timed(
        "  one SELECT, SQLAlchemy ORM vs sqlite3",
        lambda: f"{orm:.0f} µs vs {raw_select:.0f} µs (an order runs about six statements)",
    )
    if args.pg_url:
        url, drop = fresh_pg_database(args.pg_url)
        try:
            rate, p50, p99 = dispatcher_throughput(url, args.messages, args.members)
        finally:
            drop()
        timed(
            "dispatcher, PostgreSQL (loopback)",
            lambda: f"{rate:,.0f} msg/s  p50 {p50:.2f} ms  p99 {p99:.2f} ms",
        )
        url, drop = fresh_pg_database(args.pg_url)
        try:
            floor, floor_p99 = storage_floor(url, args.messages, args.members, admin_url=args.pg_url)
        finally:
            drop()
        timed("  its statements through psycopg alone", lambda: f"{floor:,.0f} msg/s  p99 {floor_p99:.2f} ms")
    else:
        print("dispatcher, PostgreSQL: skipped (no --pg-url / TUANBOT_BENCH_PG_URL)")
    with tempfile.TemporaryDirectory() as folder:
        total, p50, p99, full = chain_storm(f"sqlite:///{folder}/storm.sqlite3", 500)
    timed(
        "接龙 storm, 500 reposts (SQLite)", lambda: f"total {total:.2f} s  p50 {p50:.2f} ms  p99 {p99:.2f} ms"
    )
    timed("  full re-read of the final 500-line list", lambda: f"{full:.2f} ms")
    rss, context = idle_rss(100, 10_000)
    timed("tuanbot run, idle resident memory", lambda: f"{rss:.0f} MB ({context})")
    timed("tuanbot --help (median of 5)", lambda: f"{help_wall_time(5) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
