"""The bot process is killed with SIGKILL mid-stream, restarted, and the whole stream redelivered
(as a puppet does after a reconnect): the orders equal a clean single run, none lost or doubled."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from tests.conftest import DEMO_CATALOG

TUANBOT = str(Path(sys.executable).parent / "tuanbot")
ORDERS = [
    "红富士苹果2斤",
    "香蕉1把",
    "西红柿3斤",
    "1号x2",
    "青苹果两斤",
    "脐橙1箱",
    "大米1袋",
    "5号4斤",
    "+1",
]
FOLLOW_UPS = ["改成3斤", "不要了", "香蕉改成2把", "我的订单", "收到"]


def chat_log(path: Path, messages: int) -> Path:
    rng = random.Random(20261122)
    lines = []
    for n in range(messages):
        member = rng.randrange(150)
        text = rng.choice(FOLLOW_UPS) if n % 7 == 6 else rng.choice(ORDERS)
        minute, second = divmod(n, 60)
        lines.append(
            {
                "ts": f"2026-11-22T09:{minute:02d}:{second:02d}+08:00",
                "group": "幸福小区团购群",
                "sender": f"邻居{member}",
                "sender_id": f"wxid_n{member}",
                "text": text,
            }
        )
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )
    return path


def replay_command(db: Path, log: Path) -> list[str]:
    return [TUANBOT, "--db", f"sqlite:///{db}", "replay", str(log), "--catalog", str(DEMO_CATALOG), "--json"]


def handled(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(db, timeout=5)) as connection:
            return int(connection.execute("SELECT count(*) FROM inbound_message").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


def outbox_ids(db: Path) -> set[int]:
    with closing(sqlite3.connect(db, timeout=5)) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM outbox_message")}


def test_sigkill_mid_stream_and_full_redelivery_equal_a_clean_run(tmp_path: Path) -> None:
    messages = 400
    log = chat_log(tmp_path / "chat.jsonl", messages)
    clean = subprocess.run(
        replay_command(tmp_path / "clean.sqlite3", log), capture_output=True, text=True, check=True
    )

    crashed_db = tmp_path / "crashed.sqlite3"
    process = subprocess.Popen(
        replay_command(crashed_db, log), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while handled(crashed_db) < messages // 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    at_kill = handled(crashed_db)
    assert 0 < at_kill < messages, "the kill must land mid-stream"
    queued_before = outbox_ids(crashed_db)

    again = subprocess.run(replay_command(crashed_db, log), capture_output=True, text=True, check=True)
    assert json.loads(again.stdout) == json.loads(clean.stdout)
    assert handled(crashed_db) == messages
    assert queued_before <= outbox_ids(crashed_db)  # replies queued before the kill are still there
