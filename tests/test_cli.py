"""The command line: demo, replay, chat and tally, run the way a leader runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from bot.cli import main
from tests.conftest import DEMO_CATALOG

CHAT_LOG = [
    {
        "ts": "2026-11-21T08:00:00+08:00",
        "sender": "李团长",
        "sender_id": "wxid_lead",
        "text": "开团",
        "role": "leader",
    },
    {"ts": "2026-11-21T08:05:00+08:00", "sender": "张三", "sender_id": "wxid_zs", "text": "红富士苹果2斤"},
    {"ts": "2026-11-21T08:06:00+08:00", "sender": "李四", "sender_id": "wxid_ls", "text": "香蕉一把"},
    {"ts": "2026-11-21T08:07:00+08:00", "sender": "李四", "sender_id": "wxid_ls", "text": "收到"},
    {"ts": "2026-11-21T08:08:00+08:00", "sender": "王五", "sender_id": "wxid_ww", "text": "苹果2斤"},
    {"ts": "2026-11-21T08:09:00+08:00", "sender": "张三", "sender_id": "wxid_zs", "text": "改成3斤"},
    {
        "ts": "2026-11-21T08:10:00+08:00",
        "sender": "李团长",
        "sender_id": "wxid_lead",
        "text": "代 王奶奶 鸡蛋2板",
        "role": "leader",
    },
]


def write_log(path: Path, entries: list[dict[str, str]], group: str = "幸福小区团购群") -> Path:
    path.write_text("\n".join(json.dumps({**e, "group": group}, ensure_ascii=False) for e in entries) + "\n")
    return path


def test_demo_plays_the_day_and_prints_the_summary(tmp_path: Path) -> None:
    db_file = tmp_path / "demo.sqlite3"
    result = CliRunner().invoke(main, ["demo", "--db-file", str(db_file)])
    assert result.exit_code == 0, result.output
    assert f"数据库: {db_file}" in result.output
    for expected in ("🛒", "接龙", "已代王奶奶下单", "已截单", "订货汇总", "到货啦", "退款¥", "统计"):
        assert expected in result.output
    assert "23 户下单" in result.output
    assert db_file.exists()


def test_replay_prints_the_orders_as_json(tmp_path: Path) -> None:
    log = write_log(tmp_path / "chat.jsonl", CHAT_LOG)
    result = CliRunner().invoke(main, ["replay", str(log), "--catalog", str(DEMO_CATALOG), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["orders"] == [
        {
            "member": "张三",
            "proxy": False,
            "items": [{"product": "红富士苹果", "qty": 3, "unit": "斤"}],
            "status": "ordered",
        },
        {
            "member": "李四",
            "proxy": False,
            "items": [{"product": "海南香蕉", "qty": 1, "unit": "把"}],
            "status": "ordered",
        },
        {
            "member": "王奶奶",
            "proxy": True,
            "items": [{"product": "土鸡蛋", "qty": 2, "unit": "板"}],
            "status": "ordered",
        },
    ]
    assert data["review"] == [{"member": "王五", "text": "苹果2斤", "reason": "ambiguous_product"}]


def test_replaying_a_log_twice_into_one_database_changes_nothing(tmp_path: Path) -> None:
    log = write_log(tmp_path / "chat.jsonl", [{k: v for k, v in e.items() if k != "id"} for e in CHAT_LOG])
    url = f"sqlite:///{tmp_path / 'kept.sqlite3'}"
    runner = CliRunner()
    first = runner.invoke(main, ["--db", url, "replay", str(log), "--catalog", str(DEMO_CATALOG), "--json"])
    second = runner.invoke(main, ["--db", url, "replay", str(log), "--catalog", str(DEMO_CATALOG), "--json"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert json.loads(first.output) == json.loads(second.output)


def test_replay_prints_the_bots_replies(tmp_path: Path) -> None:
    log = write_log(tmp_path / "chat.jsonl", CHAT_LOG)
    result = CliRunner().invoke(main, ["replay", str(log), "--catalog", str(DEMO_CATALOG)])
    assert result.exit_code == 0, result.output
    assert "张三 已记下" in result.output and "哪一个" in result.output


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 1: not JSON"),
        ('{"ts": "2026-11-21T08:00:00", "group": "g", "sender": "a", "text": "x"}', "needs a UTC offset"),
    ],
)
def test_replay_names_the_bad_line(tmp_path: Path, line: str, message: str) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_text(line + "\n")
    result = CliRunner().invoke(main, ["replay", str(log)])
    assert result.exit_code != 0
    assert message in result.output


def test_chat_speaks_as_anyone_and_prints_what_wechat_would_get(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = "李团长> 开团\n张三> 红富士苹果2斤\n我的订单\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    result = CliRunner().invoke(main, ["--db", url, "chat"], input=typed)
    assert result.exit_code == 0, result.output
    assert "🛒" in result.output
    assert "@张三 ✅ 张三 已记下" in result.output
    assert "@张三 📋 张三 的订单" in result.output


def test_tally_prints_totals_and_writes_a_spreadsheet(tmp_path: Path) -> None:
    text = tmp_path / "list.txt"
    text.write_text("#接龙\n水果团\n1. 张三 红富士苹果2斤\n2. 李四 香蕉1把 苹果3斤\n", encoding="utf-8")
    out = tmp_path / "tally.xlsx"
    result = CliRunner().invoke(
        main, ["tally", str(text), "--catalog", str(DEMO_CATALOG), "--json", "--xlsx", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [row["name"] for row in data["rows"]] == ["张三", "李四"]
    assert {t["product"]: t["qty"] for t in data["totals"]}["红富士苹果"] == 2
    sheet = load_workbook(out)["汇总"]
    assert sheet.cell(row=1, column=1).value == "商品"
