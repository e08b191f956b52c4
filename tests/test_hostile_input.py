"""Whatever a group throws at the bot: it never crashes, never evaluates user text as a template,
and never turns an absurd number into an order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.app import App, build_app
from bot.clock import ManualClock
from bot.events import MessageKind
from bot.simulation import SimulatedGroup
from models.db import make_engine
from models.tables import OrderLine
from tests import dbview
from tests.conftest import (
    GROUP_CHAT,
    GROUP_NAME,
    LEADER,
    SHANGHAI,
    create_schema,
    make_settings,
    stock_catalog,
)

NASTY_PIECES = [
    "\u202e",  # right-to-left override
    "\u200d",  # zero-width joiner
    "\u200b",
    "\ufff0",
    "👨‍👩‍👧‍👦",  # an emoji ZWJ sequence
    "🏃‍♀️",
    "{{ 7*7 }}",
    "{% for x in range(9) %}x{% endfor %}",
    "'; DROP TABLE member; --",
    "\x00",
    "\x1b[31m",
    "1e309",
    "99999999",
    "#接龙\n1.",
    "\n1. ",
    "苹果",
    "2斤",
    "+1",
    "x2",
    "✖️3",
    "一斤半",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(NASTY_PIECES), st.text(max_size=30)),
    max_size=12,
).map("".join)


@pytest.fixture(scope="module")
def module_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One SQLite-backed bot for the many generated examples (a database per example is too slow)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'bot.sqlite3'}")
    create_schema(engine)
    clock = ManualClock(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
    app = build_app(make_settings(), clock=clock, engine=engine, instant_outbox=True, migrate=False)
    stock_catalog(app)
    SimulatedGroup(app, chat_id=GROUP_CHAT, name=GROUP_NAME).say(LEADER, "开团")
    yield app
    engine.dispose()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=hostile_text,
    speaker=st.text(min_size=1, max_size=12),
    kind=st.sampled_from(["text", "text", "text", "voice", "transfer", "recalled", "other"]),
)
def test_the_dispatcher_never_raises_and_orders_stay_sane(
    module_app: App, text: str, speaker: str, kind: MessageKind
) -> None:
    group = SimulatedGroup(module_app, chat_id=GROUP_CHAT, name=GROUP_NAME)
    group.say(speaker, text, kind=kind)
    assert group.last_outcome is not None
    assert group.last_outcome.status in {"handled", "ignored", "refused", "duplicate"}
    with Session(module_app.engine) as session:
        for line in session.exec(select(OrderLine)):
            assert Decimal(0) < line.qty <= Decimal(999)


@pytest.mark.parametrize(
    "nickname", ["{{ 7*7 }}", "{% raw %}王{% endraw %}", "{{ lipsum }}", "'; DROP TABLE member; --"]
)
def test_a_nickname_is_printed_as_written_never_evaluated(open_group: SimulatedGroup, nickname: str) -> None:
    [reply] = open_group.texts(open_group.say(nickname, "红富士苹果2斤"))
    assert f"✅ {nickname} 已记下" in reply
    assert "49" not in reply
    assert dbview.members(open_group.app)[nickname].display_name == nickname


def test_a_product_name_with_template_syntax_is_printed_as_written(open_group: SimulatedGroup) -> None:
    [listed] = open_group.texts(open_group.say(LEADER, "上架 {{7*7}}西瓜 2.5/斤"))
    assert "{{7*7}}西瓜" in listed and "49西瓜" not in listed


@pytest.mark.parametrize(
    "text", ["红富士苹果99999999斤", "红富士苹果1e309斤", "红富士苹果0斤", "红富士苹果1000斤"]
)
def test_absurd_quantities_are_asked_about_not_ordered(open_group: SimulatedGroup, text: str) -> None:
    replies = open_group.texts(open_group.say("王五", text))
    assert dbview.orders(open_group.app) == {}
    assert len(replies) <= 1
    if replies:
        assert "数量" in replies[0] or "没看明白" in replies[0]


@pytest.mark.parametrize(
    "text",
    [
        "红富士苹果2斤" * 15_000,  # 105,000 characters
        "#接龙\n水果团\n" + "".join(f"{n}. 邻居{n} 香蕉1把\n" for n in range(1, 8_000)),
    ],
    ids=["100 KB of orders", "an 8,000-line 接龙"],
)
def test_a_message_of_100_kb_is_logged_and_left_alone(open_group: SimulatedGroup, text: str) -> None:
    assert len(text) > 100_000
    sent = open_group.say("王五", text)
    assert sent == []
    assert open_group.last_outcome is not None and open_group.last_outcome.status == "ignored"
    assert dbview.orders(open_group.app) == {}
    [logged] = dbview.inbound(open_group.app)[-1:]
    assert (logged.outcome, logged.handler) == ("ignored", "unreadable")
    # The bot carries on as before.
    [reply] = open_group.texts(open_group.say("王五", "香蕉1把"))
    assert "海南香蕉 现在共1把" in reply


def test_logs_never_carry_addresses_or_phone_numbers(
    open_group: SimulatedGroup, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    with caplog.at_level("DEBUG"):
        open_group.say("吴婶", "3栋502 吴婶 鸡蛋1板 13812345678")
        open_group.say(LEADER, "代下单 7栋1101李爷爷 红富士3斤")
        open_group.say("阿强", "截单")
        open_group.say("王五", "\x00\x01\x02" * 100)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for private in ("3栋502", "13812345678", "7栋1101"):
        assert private not in logged


def test_a_title_longer_than_its_column_is_kept_to_its_first_200_characters(group: SimulatedGroup) -> None:
    title = "今天给大家带来的是" + "新鲜水果蔬菜鸡蛋大米" * 25
    sent = group.texts(group.say(LEADER, f"开团 {title}"))
    assert not any("没处理好" in text for text in sent)
    [campaign] = dbview.campaigns(group.app)
    assert campaign.title == title[:200]


def test_a_long_remark_on_a_jielong_line_is_no_address(open_group: SimulatedGroup) -> None:
    note = "备注" + "麻烦放在门口的鞋柜上面谢谢" * 20
    chain = "#接龙\n水果鸡蛋团 晚8点截单\n\n" + f"1. 小何 鸡蛋1板 {note}\n2. 何妈妈 鸡蛋1板"
    sent = open_group.texts(open_group.say("何姐", chain))
    assert not any("没处理好" in text or "鞋柜" in text for text in sent)
    assert dbview.orders(open_group.app) == {"何姐": {"土鸡蛋": Decimal(2)}}  # her household's lines
    assert dbview.members(open_group.app)["何姐"].address == ""
