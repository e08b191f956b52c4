"""A leader's own words: product listings and pasted deal posts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from handlers.campaign import at_time
from handlers.deal_text import Listing, TimeOfDay, read_deal_post, read_listing, read_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "麒麟西瓜 2.5/斤 库存100 限购10",
            Listing("麒麟西瓜", 250, "斤", stock=Decimal(100), limit=Decimal(10)),
        ),
        ("8424西瓜 3元/斤", Listing("8424西瓜", 300, "斤")),
        ("西瓜2.5元/斤", Listing("西瓜", 250, "斤")),
        ("土鸡蛋 28/板（30枚）", Listing("土鸡蛋", 2800, "板", spec="30枚")),
        # The size is said once, as the spec, not again in the name.
        ("五常大米10斤装 69元", Listing("五常大米", 6900, "份", spec="10斤装")),
        ("砂糖橘 5斤装 25/箱", Listing("砂糖橘", 2500, "箱", spec="5斤装")),
        ("土鸡 ¥58/只 每人限2", Listing("土鸡", 5800, "只", limit=Decimal(2))),
        ("{{7*7}}西瓜 2.5/斤", Listing("{{7*7}}西瓜", 250, "斤")),
    ],
)
def test_a_listing(text: str, expected: Listing) -> None:
    assert read_listing(text) == expected


@pytest.mark.parametrize("text", ["好吃的", "西瓜", "2.5/斤", "西瓜 0元/斤", "西瓜 999999/斤"])
def test_no_price_no_listing(text: str) -> None:
    assert read_listing(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今晚8点截单", TimeOfDay(0, 20, 0)),
        ("明天下午3点半", TimeOfDay(1, 15, 30)),
        ("20:30", TimeOfDay(0, 20, 30)),
        ("晚上八点半", TimeOfDay(0, 20, 30)),
        ("明早9点", TimeOfDay(1, 9, 0)),
        ("十点", TimeOfDay(0, 10, 0, either_half=True)),
        ("晚上12点", TimeOfDay(1, 0, 0)),
        ("中午12点", TimeOfDay(0, 12, 0)),
    ],
)
def test_a_time(text: str, expected: TimeOfDay) -> None:
    assert read_time(text) == expected


def test_a_deal_post() -> None:
    post = read_deal_post(
        "周末水果团 今晚8点截单 明天下午3点北门取货\n"
        "1. 红富士苹果 5.9元/斤\n"
        "2、海南香蕉 12.8/把 限购2\n"
        "（3）土鸡蛋 28/板（30枚）\n"
        "4. 好吃的\n"
        "欢迎大家接龙"
    )
    assert post.title == "周末水果团"
    assert (post.cutoff, post.pickup, post.pickup_place) == (TimeOfDay(0, 20, 0), TimeOfDay(1, 15, 0), "北门")
    assert [(item.code, item.name, item.price_fen, item.unit) for item in post.listings] == [
        ("1", "红富士苹果", 590, "斤"),
        ("2", "海南香蕉", 1280, "把"),
        ("3", "土鸡蛋", 2800, "板"),
    ]
    assert post.unreadable == ["4. 好吃的"]


SHANGHAI_TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("posted", "written", "expected"),
    [
        ("10:00", "8点", "11-22 20:00"),  # a bare 8点 in the morning is this evening
        ("21:00", "8点", "11-23 08:00"),  # and at night, tomorrow morning
        ("21:00", "今晚8点", "11-23 20:00"),  # an evening already past is tomorrow's
        ("21:00", "明天下午3点", "11-23 15:00"),
        ("10:00", "晚上12点", "11-23 00:00"),
    ],
)
def test_the_moment_a_time_means(posted: str, written: str, expected: str) -> None:
    hour, minute = map(int, posted.split(":"))
    now = datetime(2026, 11, 22, hour, minute, tzinfo=SHANGHAI_TZ)
    when = read_time(written)
    assert when is not None
    assert at_time(now, when).strftime("%m-%d %H:%M") == expected
