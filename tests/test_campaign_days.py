"""Day after day: yesterday's goods are collected and paid for while today's are being ordered.

Arrival, pickup and money each find the campaign they are about, never simply the newest one, and
a campaign whose buyers have all collected and paid is done and no longer reminded about.
"""

from __future__ import annotations

from decimal import Decimal

from bot.jobs import daily_deals, pickup_reminder, run_group_job
from bot.simulation import SimulatedGroup
from tests import dbview
from tests.conftest import LEADER


def _group_id(group: SimulatedGroup) -> int:
    [row] = dbview.groups(group.app)
    assert row.id is not None
    return row.id


def _statuses(group: SimulatedGroup) -> list[str]:
    return [c.status for c in dbview.campaigns(group.app)]


def test_arrival_of_yesterdays_goods_leaves_todays_campaign_open(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.app.clock.advance(hours=24)
    run_group_job(open_group.app, _group_id(open_group), daily_deals)
    open_group.flush()
    open_group.say("李四", "西红柿2斤")
    [notice] = open_group.texts(open_group.say(LEADER, "到货"))
    assert "@张三" in notice and "李四" not in notice
    assert _statuses(open_group) == ["arrived", "open"]
    open_group.say("王五", "香蕉1把")  # today's campaign still takes orders
    assert set(dbview.orders(open_group.app)) == {"张三", "李四", "王五"}


def test_pickups_go_to_the_campaign_whose_goods_have_come(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say("李四", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    open_group.app.clock.advance(hours=24)
    open_group.say(LEADER, "开团")
    open_group.say("张三", "西红柿1斤")
    open_group.app.clock.advance(hours=12)
    open_group.say(LEADER, "截单")  # today's goods are ordered but not here yet

    [thanks] = open_group.texts(open_group.say("张三", "取了"))
    assert "张三 已取货" in thanks
    [marked] = open_group.texts(open_group.say(LEADER, "已取 李四"))
    assert "已取货：李四" in marked
    picked = {
        (o.campaign_id, o.member_id, o.picked_up_at is not None) for o in dbview.order_rows(open_group.app)
    }
    members = dbview.members(open_group.app)
    zhang, li = members["张三"].id, members["李四"].id
    assert picked == {(1, zhang, True), (1, li, True), (2, zhang, False)}


def test_unpaid_lists_every_campaign_still_owed_for(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    open_group.app.clock.advance(hours=24)
    open_group.say(LEADER, "开团")
    open_group.say("李四", "西红柿2斤")
    [unpaid] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "张三" in unpaid and "李四" in unpaid
    assert unpaid.count("户未付") == 2  # one section per campaign
    [paid] = open_group.texts(open_group.say(LEADER, "已付 张三"))
    assert "已收款：张三" in paid
    [unpaid] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "张三" not in unpaid and "李四" in unpaid


def test_a_campaign_collected_and_paid_for_is_done_and_no_longer_reminded(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say("李四", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    open_group.say(LEADER, "已付 张三 李四")
    open_group.say("张三", "取了")
    run_group_job(open_group.app, _group_id(open_group), pickup_reminder)
    reminder = open_group.texts(open_group.flush())
    assert len(reminder) == 1 and "@李四" in reminder[0] and "张三" not in reminder[0]
    open_group.say(LEADER, "已取 李四")
    assert _statuses(open_group) == ["done"]
    run_group_job(open_group.app, _group_id(open_group), pickup_reminder)
    assert open_group.flush() == []


def test_a_campaign_still_owed_for_stays_open_to_reminders_of_money(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    open_group.say("张三", "取了")
    assert _statuses(open_group) == ["arrived"]  # collected, not paid
    [unpaid] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "张三" in unpaid
    open_group.say(LEADER, "已付 张三")
    assert _statuses(open_group) == ["done"]


def test_pickup_or_payment_without_a_name_asks_for_one(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    [pickup] = open_group.texts(open_group.say(LEADER, "已取，"))
    assert "请写上谁取了" in pickup
    [paid] = open_group.texts(open_group.say(LEADER, "已付"))
    assert "请写上谁付了" in paid
    assert all(o.picked_up_at is None and o.paid_at is None for o in dbview.order_rows(open_group.app))


def test_a_second_arrival_notice_leaves_todays_campaign_open(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    open_group.say(LEADER, "截单")
    open_group.app.clock.advance(hours=24)
    open_group.say(LEADER, "开团")
    open_group.say("李四", "鸡蛋1板")
    open_group.say(LEADER, "到货")  # yesterday's goods
    [again] = open_group.texts(open_group.say(LEADER, "到货"))
    assert again.splitlines()[0].endswith("已经通知过到货了，现在没有等着到货的团")
    assert _statuses(open_group) == ["arrived", "open"]
    open_group.say("李四", "鸡蛋改成2板")  # today's campaign still takes orders
    assert dbview.orders(open_group.app, 2) == {"李四": {"土鸡蛋": Decimal(2)}}


def test_arrival_before_anyone_ordered_closes_nothing(open_group: SimulatedGroup) -> None:
    [answer] = open_group.texts(open_group.say(LEADER, "到货"))
    assert "现在没有等着到货的团" in answer and "还在接单" in answer
    assert _statuses(open_group) == ["open"]


def test_a_paid_order_changed_afterwards_owes_only_the_difference(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "富士3斤")
    open_group.say(LEADER, "截单")
    open_group.app.clock.advance(hours=24)
    open_group.say(LEADER, "开团")
    open_group.say("张三", "鸡蛋1板")
    [paid] = open_group.texts(open_group.say(LEADER, "已付 张三"))
    assert paid.splitlines() == [
        "💰 已收款：张三",
        "张三：11月22日团购 ¥17.7、11月23日团购 ¥28，共¥45.7",
    ]
    open_group.say("张三", "鸡蛋改成2板")  # ¥28 more after paying
    [unpaid] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "张三 ¥28（付款后改了单，补差价）" in unpaid
    assert "11月22日团购" not in unpaid  # yesterday's stays paid
    open_group.say(LEADER, "已付 张三")
    [settled] = open_group.texts(open_group.say(LEADER, "未付"))
    assert "都付清了" in settled


def test_my_order_also_shows_yesterdays_goods_still_to_collect(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "鸡蛋2板")
    open_group.say(LEADER, "截单")
    open_group.say(LEADER, "到货")
    open_group.app.clock.advance(hours=24)
    open_group.say(LEADER, "开团")
    [mine] = open_group.texts(open_group.say("王五", "我的订单"))
    [code] = [o.pickup_code for o in dbview.order_rows(open_group.app)]
    assert mine.splitlines() == [
        "@王五 王五 这次还没有下单",
        f"📦 11月22日团购已到货，还没取：土鸡蛋2板，取货码 {code}",
    ]
    open_group.say("王五", "取了")
    [after] = open_group.texts(open_group.say("王五", "我的订单"))
    assert after == "@王五 王五 这次还没有下单哦"
