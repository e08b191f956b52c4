"""`同上`, `跟楼上一样`, `我也要`: an order for what the message above ordered, confirmed before it counts.

楼上 may not be the message the member saw (two people wrote at once), so the bot says what it
would copy and a 是 settles it, as a careful leader would check before writing it down.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.simulation import SimulatedGroup
from tests import dbview
from tests.conftest import LEADER


def test_same_as_above_is_asked_and_a_yes_orders_the_same(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤 鸡蛋1板")

    [asked] = open_group.texts(open_group.say("赵六", "同上"))

    assert asked == (
        "@赵六 赵六 是跟王五一样，要红富士苹果2斤、土鸡蛋1板吗？是的话回复「是」，不是的话直接写您要的"
    )
    assert "赵六" not in dbview.orders(open_group.app)
    [review] = dbview.open_reviews(open_group.app)
    assert review.reason == "same_as_above"

    [confirmed] = open_group.texts(open_group.say("赵六", "是"))

    assert "✅ 赵六 已记下" in confirmed and "红富士苹果 现在共2斤" in confirmed
    assert dbview.orders(open_group.app)["赵六"] == {"红富士苹果": Decimal(2), "土鸡蛋": Decimal(1)}
    assert dbview.open_reviews(open_group.app) == []


@pytest.mark.parametrize("words", ["跟楼上一样", "我也要", "和上面一样的", "我同上"])
def test_other_ways_of_saying_the_same_are_asked_too(open_group: SimulatedGroup, words: str) -> None:
    open_group.say("王五", "香蕉1把")
    [asked] = open_group.texts(open_group.say("赵六", words))
    assert "是跟王五一样，要海南香蕉1把吗" in asked


def test_a_same_as_above_under_another_follows_them_up_to_the_order(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "西红柿3斤")
    open_group.say("赵六", "同上")
    open_group.say("赵六", "是")
    [asked] = open_group.texts(open_group.say("孙七", "同上"))
    assert "是跟王五一样，要本地西红柿3斤吗" in asked
    open_group.say("孙七", "好的")
    orders = dbview.orders(open_group.app)
    assert orders["赵六"] == orders["孙七"] == {"本地西红柿": Decimal(3)}


def test_no_declines_and_nothing_is_ordered(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉1把")
    open_group.say("赵六", "我也要")
    [reply] = open_group.texts(open_group.say("赵六", "不是"))
    assert reply == "@赵六 赵六 好的，您要什么直接写就行，比如：苹果2斤"
    assert "赵六" not in dbview.orders(open_group.app)
    assert dbview.open_reviews(open_group.app) == []


def test_writing_an_own_order_instead_answers_the_question(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉1把")
    open_group.say("赵六", "同上")
    [confirmed] = open_group.texts(open_group.say("赵六", "我要西红柿2斤"))
    assert "本地西红柿 现在共2斤" in confirmed
    assert dbview.orders(open_group.app)["赵六"] == {"本地西红柿": Decimal(2)}
    assert dbview.open_reviews(open_group.app) == []
    # A later 是, said to someone else, orders nothing.
    open_group.say("赵六", "是")
    assert dbview.orders(open_group.app)["赵六"] == {"本地西红柿": Decimal(2)}


def test_with_no_order_just_above_the_member_is_asked_to_write_it(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉1把")
    open_group.say("李四", "谢谢团长")
    [reply] = open_group.texts(open_group.say("赵六", "同上"))
    assert reply == "@赵六 赵六 没看到楼上的订单，您要什么直接写就行，比如：苹果2斤"
    assert "赵六" not in dbview.orders(open_group.app)
    assert dbview.open_reviews(open_group.app) == []


def test_an_order_from_long_ago_is_not_the_one_above(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉1把")
    open_group.app.clock.advance(minutes=20)
    [reply] = open_group.texts(open_group.say("赵六", "同上"))
    assert "没看到楼上的订单" in reply


def test_after_the_cutoff_same_as_above_is_told_the_order_is_closed(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉1把")
    open_group.say(LEADER, "截单")
    [reply] = open_group.texts(open_group.say("赵六", "同上"))
    assert "已截单了" in reply
    assert "赵六" not in dbview.orders(open_group.app)


def test_a_redelivered_yes_counts_once(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "鸡蛋1板")
    open_group.say("赵六", "同上")
    open_group.say("赵六", "是", message_id="wx-yes-1")
    assert open_group.say("赵六", "是", message_id="wx-yes-1") == []
    assert dbview.orders(open_group.app)["赵六"] == {"土鸡蛋": Decimal(1)}


def test_same_as_above_under_a_jielong_repost_means_the_line_its_writer_added(
    open_group: SimulatedGroup,
) -> None:
    header = "#接龙\n幸福小区 水果鸡蛋团 晚8点截单\n"
    open_group.say("张三", header + "1. 张三 香蕉1把")
    open_group.say("李四", header + "1. 张三 香蕉1把\n2. 李四 鸡蛋2板")

    [asked] = open_group.texts(open_group.say("王五", "同上"))

    assert "是跟李四一样，要土鸡蛋2板吗" in asked
    open_group.say("王五", "是")
    assert dbview.orders(open_group.app)["王五"] == {"土鸡蛋": Decimal(2)}
