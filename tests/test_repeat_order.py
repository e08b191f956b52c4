"""`老样子`: a regular (or a leader for an elderly neighbour) orders what they ordered last time."""

from __future__ import annotations

from decimal import Decimal

from bot.simulation import SimulatedGroup
from tests import dbview
from tests.conftest import LEADER


def _next_day(group: SimulatedGroup) -> int:
    """Yesterday's campaign closed, today's opened; returns today's campaign id."""
    group.say(LEADER, "截单")
    group.app.clock.advance(hours=24)
    group.say(LEADER, "开团")
    today = dbview.campaigns(group.app)[-1]
    assert today.id is not None and today.status == "open"
    return today.id


def test_a_regular_gets_last_times_order_and_saying_it_twice_orders_nothing_twice(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", "富士2斤 鸡蛋1板")
    today = _next_day(open_group)
    [confirmed] = open_group.texts(open_group.say("张三", "老样子"))
    assert "红富士苹果 现在共2斤" in confirmed and "土鸡蛋 现在共1板" in confirmed
    open_group.say("张三", "和上次一样吧")
    assert dbview.orders(open_group.app, today) == {"张三": {"红富士苹果": Decimal(2), "土鸡蛋": Decimal(1)}}


def test_what_today_does_not_offer_is_named_and_the_rest_ordered(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "富士2斤 鸡蛋1板")
    open_group.say(LEADER, "下架 4")
    today = _next_day(open_group)
    texts = open_group.texts(open_group.say("张三", "老样子"))
    assert any("红富士苹果 现在共2斤" in text for text in texts)
    assert any("上次的土鸡蛋今天没有团" in text for text in texts)
    assert dbview.orders(open_group.app, today) == {"张三": {"红富士苹果": Decimal(2)}}


def test_someone_who_never_ordered_is_told_how_to_order(open_group: SimulatedGroup) -> None:
    [answer] = open_group.texts(open_group.say("李四", "老样子"))
    assert "没找到您上次的订单" in answer and "1. 红富士苹果 ¥5.9/斤" in answer
    assert dbview.orders(open_group.app) == {}


def test_a_leader_orders_an_elderly_neighbours_usual(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "代 5栋101 刘奶奶 鸡蛋1板 大米1袋")
    today = _next_day(open_group)
    [confirmed] = open_group.texts(open_group.say(LEADER, "代 刘奶奶 老样子"))
    assert "已代刘奶奶下单（5栋101）" in confirmed
    assert dbview.orders(open_group.app, today) == {"刘奶奶": {"土鸡蛋": Decimal(1), "五常大米": Decimal(1)}}


def test_after_the_cutoff_the_usual_is_refused_like_any_order(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    _next_day(open_group)
    open_group.say(LEADER, "截单")
    [answer] = open_group.texts(open_group.say("张三", "老样子"))
    assert "已截单" in answer


def test_the_usual_for_a_neighbour_never_seen_creates_no_one(open_group: SimulatedGroup) -> None:
    [answer] = open_group.texts(open_group.say(LEADER, "代 王奶奶 老样子"))
    assert "王奶奶 没找到TA上次的订单" in answer
    assert "王奶奶" not in dbview.members(open_group.app)
