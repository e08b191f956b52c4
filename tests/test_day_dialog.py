"""A group's day as dialogs: member says X → the bot replies Y → the database holds Z."""

from __future__ import annotations

import gc
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from bot.simulation import SimulatedGroup
from models.tables import Member, Order, OrderLine
from tests import dbview
from tests.conftest import GROUP_CHAT, LEADER


def test_opening_a_campaign_posts_the_deals(group: SimulatedGroup) -> None:
    [deals] = group.texts(group.say(LEADER, "开团"))
    assert "1. 红富士苹果 ¥5.9/斤" in deals
    assert "4. 土鸡蛋（30枚一板） ¥28/板 每人限2板 共40板" in deals
    assert "截单" in deals and "小区北门" in deals
    [campaign] = dbview.campaigns(group.app)
    assert campaign.status == "open"


def test_a_short_title_is_a_title_not_product_codes(group: SimulatedGroup) -> None:
    [reply] = group.texts(group.say(LEADER, "开团 水果专场"))
    assert "🛒 水果专场" in reply
    assert [c.title for c in dbview.campaigns(group.app)] == ["水果专场"]


def test_opening_with_codes_offers_just_those(group: SimulatedGroup) -> None:
    [reply] = group.texts(group.say(LEADER, "开团 1 3"))
    assert "1. 红富士苹果" in reply and "3. 海南香蕉" in reply and "土鸡蛋" not in reply


def test_a_free_text_order_is_confirmed_after_it_is_saved(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say("王五", "红富士苹果2斤"))
    assert reply.startswith("@王五 ✅ 王五 已记下")
    assert "红富士苹果 现在共2斤" in reply
    assert "合计¥11.8" in reply
    assert dbview.orders(open_group.app) == {"王五": {"红富士苹果": Decimal(2)}}


def test_a_second_message_adds_to_the_order(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉一把")
    [reply] = open_group.texts(open_group.say("王五", "香蕉1把"))
    assert "海南香蕉 现在共2把" in reply
    assert dbview.orders(open_group.app) == {"王五": {"海南香蕉": Decimal(2)}}


def test_two_products_in_one_message(open_group: SimulatedGroup) -> None:
    open_group.say("杨杨", "西红柿5斤 香蕉1把")
    assert dbview.orders(open_group.app) == {"杨杨": {"本地西红柿": Decimal(5), "海南香蕉": Decimal(1)}}


def test_an_order_written_as_a_numbered_list_is_the_writers_own(open_group: SimulatedGroup) -> None:
    [first] = open_group.texts(open_group.say("李四", "1. 红富士2斤\n2. 香蕉1把"))
    assert "@李四" in first
    [second] = open_group.texts(open_group.say("王五", "1. 红富士2斤\n2. 香蕉1把"))
    assert "@王五" in second  # the same list from a neighbour is her own order, not a repost
    open_group.say("赵六", "1、红富士2斤\n2、西红柿1斤")
    expected = {"红富士苹果": Decimal(2), "海南香蕉": Decimal(1)}
    assert dbview.orders(open_group.app) == {
        "李四": expected,
        "王五": expected,
        "赵六": {"红富士苹果": Decimal(2), "本地西红柿": Decimal(1)},
    }


def test_an_address_is_not_a_quantity(open_group: SimulatedGroup) -> None:
    open_group.say("吴婶", "3栋502 吴婶 鸡蛋1板")
    assert dbview.orders(open_group.app) == {"吴婶": {"土鸡蛋": Decimal(1)}}


def test_an_ambiguous_product_is_asked_back_and_the_answer_settles_it(open_group: SimulatedGroup) -> None:
    [question] = open_group.texts(open_group.say("钱大爷", "苹果两斤"))
    assert "哪一个" in question
    assert "1. 红富士苹果" in question and "2. 青苹果" in question
    assert dbview.orders(open_group.app) == {}
    assert [r.reason for r in dbview.open_reviews(open_group.app)] == ["ambiguous_product"]

    [confirmation] = open_group.texts(open_group.say("钱大爷", "2"))
    assert "青苹果 现在共2斤" in confirmation
    assert dbview.orders(open_group.app) == {"钱大爷": {"青苹果": Decimal(2)}}
    assert dbview.open_reviews(open_group.app) == []


def test_the_answer_settles_only_the_item_in_doubt(open_group: SimulatedGroup) -> None:
    [question] = open_group.texts(open_group.say("钱大爷", "苹果两斤 香蕉1把"))
    assert "哪一个" in question
    open_group.say("钱大爷", "1")
    assert dbview.orders(open_group.app) == {"钱大爷": {"红富士苹果": Decimal(2), "海南香蕉": Decimal(1)}}


def test_a_bare_yes_does_not_settle_a_question(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")
    [again] = open_group.texts(open_group.say("钱大爷", "好的"))
    assert "请回复编号" in again
    assert dbview.orders(open_group.app) == {}
    assert len(dbview.open_reviews(open_group.app)) == 1


def test_a_cancel_while_asked_is_no_answer_and_drops_the_question(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")
    open_group.say("钱大爷", "红富士苹果不要了")
    assert dbview.orders(open_group.app) == {}
    assert dbview.open_reviews(open_group.app) == []
    assert open_group.say("钱大爷", "好的") == []  # nothing is asked any more


def test_a_whole_new_order_while_asked_keeps_all_its_items(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")
    open_group.say("钱大爷", "青苹果3斤 香蕉1把")
    assert dbview.orders(open_group.app) == {"钱大爷": {"青苹果": Decimal(3), "海南香蕉": Decimal(1)}}
    assert dbview.open_reviews(open_group.app) == []


def test_an_answer_with_a_quantity_takes_that_quantity(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")
    [reply] = open_group.texts(open_group.say("钱大爷", "红富士3斤"))
    assert "红富士苹果 现在共3斤" in reply
    assert dbview.orders(open_group.app) == {"钱大爷": {"红富士苹果": Decimal(3)}}


def test_an_answer_to_a_quantity_question_is_the_quantity(open_group: SimulatedGroup) -> None:
    [question] = open_group.texts(open_group.say("钱大爷", "鸡蛋2-3板"))
    assert "回复数量就行" in question and "1. " not in question
    open_group.say("钱大爷", "2")
    assert dbview.orders(open_group.app) == {"钱大爷": {"土鸡蛋": Decimal(2)}}


def test_a_leaders_question_for_a_neighbour_is_answered_into_her_order(open_group: SimulatedGroup) -> None:
    [question] = open_group.texts(open_group.say(LEADER, "王奶奶 苹果两斤"))
    assert "哪一个" in question
    [reply] = open_group.texts(open_group.say(LEADER, "1"))
    assert "王奶奶" in reply
    assert dbview.orders(open_group.app) == {"王奶奶": {"红富士苹果": Decimal(2)}}


def test_a_question_always_lists_what_to_choose_from(open_group: SimulatedGroup) -> None:
    for text in open_group.texts(open_group.say("小李", "算了，要香蕉1把")):
        if "回复编号" in text:
            assert "1. " in text


def test_an_order_after_the_cutoff_time_is_late_even_before_the_cutoff_job_runs(
    open_group: SimulatedGroup,
) -> None:
    [campaign] = dbview.campaigns(open_group.app)
    assert campaign.cutoff_at is not None
    open_group.app.clock.set(campaign.cutoff_at)  # the job has not run: the bot was restarting
    [reply] = open_group.texts(open_group.say("郑哥", "香蕉1把"))
    assert "已截单" in reply
    assert dbview.orders(open_group.app) == {}


def test_an_answer_after_the_cutoff_time_is_late_and_ends_the_question(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")  # asked: which apple?
    [campaign] = dbview.campaigns(open_group.app)
    assert campaign.cutoff_at is not None
    open_group.app.clock.set(campaign.cutoff_at)  # before the cutoff job has run
    [reply] = open_group.texts(open_group.say("钱大爷", "1"))
    assert "已截单" in reply
    assert dbview.orders(open_group.app) == {}
    # He is no longer asked; the leader still has the item to look at, as after 截单.
    assert [(r.text, r.asked_member_id) for r in dbview.open_reviews(open_group.app)] == [("苹果两斤", None)]
    assert not dbview.members(open_group.app)["钱大爷"].awaiting_answer


def test_questions_are_dropped_at_cutoff(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")
    open_group.say(LEADER, "截单")
    [reply] = open_group.texts(open_group.say("钱大爷", "1"))  # no answer any more: too late to order
    assert "已截单" in reply
    assert dbview.orders(open_group.app) == {}
    assert not dbview.members(open_group.app)["钱大爷"].awaiting_answer


def test_plus_one_with_several_products_asks_which(open_group: SimulatedGroup) -> None:
    [question] = open_group.texts(open_group.say("王五", "+1"))
    assert "哪一个" in question
    open_group.say("王五", "海南香蕉")
    assert dbview.orders(open_group.app) == {"王五": {"海南香蕉": Decimal(1)}}


def test_change_and_cancel(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "香蕉一把")
    [changed] = open_group.texts(open_group.say("郑哥", "香蕉改成2把"))
    assert "海南香蕉 现在共2把" in changed
    [cancelled] = open_group.texts(open_group.say("郑哥", "不要了"))
    assert "已取消海南香蕉" in cancelled
    assert dbview.orders(open_group.app) == {}


def test_colloquial_change_and_cancel_never_add_to_the_order(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "土鸡蛋2板")
    [changed] = open_group.texts(open_group.say("郑哥", "不好意思 改一板吧"))
    assert "土鸡蛋 现在共1板" in changed
    assert dbview.orders(open_group.app) == {"郑哥": {"土鸡蛋": Decimal(1)}}
    [cancelled] = open_group.texts(open_group.say("郑哥", "算了不要了，家里还有"))
    assert "已取消土鸡蛋" in cancelled
    assert dbview.orders(open_group.app) == {}


def test_ge_without_a_number_orders_one(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say("王五", "来个香蕉"))
    assert "海南香蕉 现在共1把" in reply
    assert dbview.orders(open_group.app) == {"王五": {"海南香蕉": Decimal(1)}}


def test_a_change_that_calls_the_leader_changes_the_senders_order(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "土鸡蛋2板")
    [changed] = open_group.texts(open_group.say("郑哥", "团长，我改1板哈"))
    assert "土鸡蛋 现在共1板" in changed
    assert dbview.orders(open_group.app) == {"郑哥": {"土鸡蛋": Decimal(1)}}


def test_a_total_said_again_is_not_ordered_twice(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say("王五", "红富士苹果2斤 西红柿3斤 一共5斤"))
    assert reply.startswith("@王五 ✅")
    assert dbview.orders(open_group.app) == {"王五": {"红富士苹果": Decimal(2), "本地西红柿": Decimal(3)}}
    [asked] = open_group.texts(open_group.say("李四", "红富士苹果2斤 西红柿3斤 一共6斤"))
    assert "一共6斤" in asked and "@李四" in asked
    assert "李四" not in dbview.orders(open_group.app)


def test_cancelling_one_item_by_code_or_short_name_keeps_the_rest(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "香蕉1把 鸡蛋1板 红富士2斤")
    [by_code] = open_group.texts(open_group.say("郑哥", "取消4号"))  # 4 = 土鸡蛋
    assert "已取消土鸡蛋" in by_code and "还剩：" in by_code
    [by_name] = open_group.texts(open_group.say("郑哥", "苹果不要了"))
    assert "已取消红富士苹果" in by_name
    assert dbview.orders(open_group.app) == {"郑哥": {"海南香蕉": Decimal(1)}}


def test_cancelling_something_not_ordered_cancels_nothing(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "香蕉1把")
    [reply] = open_group.texts(open_group.say("郑哥", "鸡蛋不要了"))
    assert "没有订土鸡蛋，没有取消" in reply and "还剩：海南香蕉1把" in reply
    assert dbview.orders(open_group.app) == {"郑哥": {"海南香蕉": Decimal(1)}}


def test_cancelling_a_name_that_fits_two_ordered_products_asks_which(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "红富士苹果2斤 青苹果1斤")
    [reply] = open_group.texts(open_group.say("郑哥", "苹果不要了"))
    assert "苹果指的是哪一个" in reply
    assert dbview.orders(open_group.app) == {"郑哥": {"红富士苹果": Decimal(2), "青苹果": Decimal(1)}}


def test_a_change_naming_a_shared_word_means_the_product_ordered(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "青苹果2斤")
    [changed] = open_group.texts(open_group.say("王五", "苹果改成3斤"))
    assert "青苹果 现在共3斤" in changed
    assert dbview.orders(open_group.app) == {"王五": {"青苹果": Decimal(3)}}


def test_my_order_lists_the_order_with_its_pickup_code(open_group: SimulatedGroup) -> None:
    open_group.say("杨杨", "西红柿5斤")
    [mine] = open_group.texts(open_group.say("杨杨", "我的订单"))
    [order] = dbview.order_rows(open_group.app)
    assert "1. 本地西红柿5斤 ¥22.5" in mine
    assert f"取货码 {order.pickup_code}" in mine


def test_chatter_gets_no_reply_and_no_order(open_group: SimulatedGroup) -> None:
    for chatter in ("收到", "👌", "明天几点到货？", "谢谢团长"):
        assert open_group.say("许阿姨", chatter) == []
    assert dbview.orders(open_group.app) == {}


def test_per_person_limit_and_stock_are_enforced(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say("何姐", "鸡蛋3板"))
    assert "每人限购2板" in reply
    assert dbview.orders(open_group.app) == {}
    open_group.say("何姐", "鸡蛋2板")
    [reply] = open_group.texts(open_group.say("何姐", "鸡蛋1板"))
    assert "您已订满" in reply
    assert dbview.orders(open_group.app) == {"何姐": {"土鸡蛋": Decimal(2)}}


def test_a_leader_orders_for_an_elderly_neighbour(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say(LEADER, "代下单 3栋502李爷爷 红富士3斤"))
    assert "已代李爷爷下单（3栋502）" in reply
    assert "@" not in reply  # nobody to mention: 李爷爷 has no WeChat
    members = dbview.members(open_group.app)
    assert members["李爷爷"].is_proxy and members["李爷爷"].wechat_id is None
    assert members["李爷爷"].address == "3栋502"
    [order] = dbview.order_rows(open_group.app)
    assert order.is_proxy
    open_group.say(LEADER, "代 李爷爷 改成2斤")
    assert dbview.orders(open_group.app) == {"李爷爷": {"红富士苹果": Decimal(2)}}
    open_group.say(LEADER, "代 李爷爷 不要了")
    assert dbview.orders(open_group.app) == {}


def test_a_leader_changes_two_things_in_a_neighbours_order_at_once(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "代 3栋502李爷爷 红富士3斤 大米1袋")
    open_group.say(LEADER, "代 李爷爷 大米不要了，富士改成2斤")
    assert dbview.orders(open_group.app) == {"李爷爷": {"红富士苹果": Decimal(2)}}


def test_two_neighbours_of_one_name_in_two_buildings_are_two_people(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "代 3栋502王奶奶 鸡蛋2板")
    [second] = open_group.texts(open_group.say(LEADER, "代 5栋301王奶奶 鸡蛋1板"))
    assert "已代王奶奶下单（5栋301）" in second
    with Session(open_group.app.engine) as session:
        rows = session.exec(
            select(Member.address, OrderLine.qty)
            .join(Order, col(Order.member_id) == Member.id)
            .join(OrderLine, col(OrderLine.order_id) == Order.id)
        ).all()
    assert sorted(rows) == [("3栋502", Decimal(2)), ("5栋301", Decimal(1))]


def test_a_member_cannot_use_leader_commands(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤")
    [refusal] = open_group.texts(open_group.say("阿强", "截单"))
    assert "只有团长" in refusal
    assert dbview.campaigns(open_group.app)[0].status == "open"
    assert dbview.inbound(open_group.app)[-1].outcome == "refused"
    [refusal] = open_group.texts(open_group.say("阿强", "代 王奶奶 鸡蛋2板"))
    assert "只有团长" in refusal
    assert "王奶奶" not in dbview.members(open_group.app)


def test_cutoff_posts_the_supplier_summary_and_sends_the_leader_the_sorting_list(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("王五", "红富士苹果2斤")
    open_group.say("吴婶", "3栋502 吴婶 鸡蛋1板")
    open_group.say(LEADER, "代 王奶奶 鸡蛋2板")
    sent = open_group.say(LEADER, "截单")
    in_group = [m.text for m in sent if m.chat_id == GROUP_CHAT]
    private = [m.text for m in sent if m.chat_id == SimulatedGroup.wechat_id(LEADER)]
    assert any("已截单" in t for t in in_group)
    summary = next(t for t in in_group if "订货汇总" in t)
    assert "1. 红富士苹果 × 2斤  ¥11.8（1人）" in summary
    assert "4. 土鸡蛋 × 3板  ¥84（2人）" in summary
    [sorting] = private
    assert "王奶奶(代)" in sorting and "分拣单" in sorting
    assert dbview.campaigns(open_group.app)[0].status == "closed"
    [late] = open_group.texts(open_group.say("赵六", "西红柿两斤"))
    assert "已截单" in late
    assert "赵六" not in dbview.orders(open_group.app)


def test_replaying_the_same_message_changes_nothing(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "红富士苹果2斤", message_id="wx-msg-1")
    assert open_group.say("王五", "红富士苹果2斤", message_id="wx-msg-1") == []
    assert open_group.last_outcome is not None and open_group.last_outcome.status == "duplicate"
    assert dbview.orders(open_group.app) == {"王五": {"红富士苹果": Decimal(2)}}


def test_help_lists_every_leader_command_for_leaders_only(open_group: SimulatedGroup) -> None:
    [for_member] = open_group.texts(open_group.say("王五", "帮助"))
    [for_leader] = open_group.texts(open_group.say(LEADER, "帮助"))
    leader_words = ["开团", "截单", "代 ", "上架", "下架", "改价", "库存", "限购", "到货", "已取", "未取"]
    leader_words += ["已付", "未付", "同意退货", "拒绝退货", "统计", "导出", "设为团长", "取消团长", "待确认"]
    assert [word for word in leader_words if word not in for_leader] == []
    assert "团长命令" not in for_member and "退货" in for_member


def test_unknown_commands_get_help(open_group: SimulatedGroup) -> None:
    [help_text] = open_group.texts(open_group.say("王五", "/foo"))
    assert "我的订单" in help_text


def test_a_new_sender_is_registered_as_a_member(open_group: SimulatedGroup) -> None:
    open_group.say("新邻居", "收到")
    member = dbview.members(open_group.app)["新邻居"]
    assert member.wechat_id == SimulatedGroup.wechat_id("新邻居") and not member.is_leader


def test_empty_huge_and_garbage_messages_are_logged_and_ignored(open_group: SimulatedGroup) -> None:
    for text in ("", "   ", "苹果2斤" * 20_000, "\x00\x01\x02\x03\x04\x05\x06\x07\x08" * 50):
        assert open_group.say("捣乱的人", text) == []
        assert open_group.last_outcome is not None and open_group.last_outcome.status == "ignored"
    logged = dbview.inbound(open_group.app)[-4:]
    assert [m.outcome for m in logged] == ["ignored"] * 4
    assert dbview.orders(open_group.app) == {}


def test_a_line_copied_with_its_list_number_orders_only_what_it_names(open_group: SimulatedGroup) -> None:
    open_group.say("李四", "2. 香蕉1把")
    assert dbview.orders(open_group.app) == {"李四": {"海南香蕉": Decimal(1)}}


def test_a_count_after_a_comma_is_the_products_count_not_product_one(open_group: SimulatedGroup) -> None:
    open_group.say("李四", "香蕉,1")
    assert dbview.orders(open_group.app) == {"李四": {"海南香蕉": Decimal(1)}}


def test_a_room_number_after_a_product_is_asked_about_not_ordered(open_group: SimulatedGroup) -> None:
    replies = open_group.say("李四", "3栋 西红柿 502")
    assert dbview.orders(open_group.app) == {}
    assert any("502" in reply.text for reply in replies)


def test_a_leader_named_in_the_configuration_is_not_removed_by_a_chat_command(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("王五", "香蕉1把")
    [made] = open_group.texts(open_group.say(LEADER, "设为团长 @王五"))
    assert made == "已设 王五 为团长"
    [answer] = open_group.texts(open_group.say("王五", "取消团长 @李团长 @王五"))
    assert answer.splitlines() == [
        "已取消 王五 的团长身份",
        "李团长 是机器人配置里写的团长，要在配置文件的 leaders 里去掉",
    ]
    leaders = {name for name, m in dbview.members(open_group.app).items() if m.is_leader}
    assert leaders == {"李团长"}


def test_a_neighbour_made_leader_can_use_leader_commands_at_once(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "香蕉1把")  # the bot has seen 王五 as a member
    open_group.say(LEADER, "设为团长 @王五")
    gc.collect()  # whatever the handler loaded is gone, as it is in a long-running bot
    [summary] = open_group.texts(open_group.say("王五", "汇总"))
    assert "海南香蕉" in summary and "只有团长" not in summary


def test_a_message_with_two_instructions_carries_out_both(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "鸡蛋两板，大米一袋，橙子一箱")
    [done] = open_group.texts(open_group.say("王五", "大米不要了，橙子改成2箱"))
    assert dbview.orders(open_group.app) == {"王五": {"土鸡蛋": Decimal(2), "赣南脐橙": Decimal(2)}}
    assert done.count("合计") == 1 and "还剩" not in done  # one summary: the order as it now stands
    assert "订单：土鸡蛋2板、赣南脐橙2箱，合计¥155.8" in done


def test_a_clear_change_of_two_products_sets_both_and_adds_nothing(open_group: SimulatedGroup) -> None:
    open_group.say("王五", "富士2斤 香蕉1把")
    open_group.say("王五", "改成富士3斤，香蕉2把")
    assert dbview.orders(open_group.app) == {"王五": {"红富士苹果": Decimal(3), "海南香蕉": Decimal(2)}}


def test_more_of_the_one_thing_ordered_needs_no_product_name(open_group: SimulatedGroup) -> None:
    open_group.say("赵六", "1号3斤")
    [more] = open_group.texts(open_group.say("赵六", "再来1斤"))
    assert "红富士苹果 现在共4斤" in more
    open_group.say("钱大爷", "富士1斤 西红柿1斤")
    [asked] = open_group.texts(open_group.say("钱大爷", "再来1斤"))  # apples or tomatoes?
    assert "哪一个" in asked
    assert dbview.orders(open_group.app) == {
        "赵六": {"红富士苹果": Decimal(4)},
        "钱大爷": {"红富士苹果": Decimal(1), "本地西红柿": Decimal(1)},
    }


def test_a_unit_only_one_product_is_sold_by_names_it(open_group: SimulatedGroup) -> None:
    open_group.say("孙叔", "要2板")  # only the eggs come by the 板
    open_group.say("吴婶", "要2斤")  # apples, green apples and tomatoes all come by the 斤
    assert dbview.orders(open_group.app) == {"孙叔": {"土鸡蛋": Decimal(2)}}


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [
        ("红的", "红富士苹果"),
        ("青的那个", "青苹果"),
        ("第二个", "青苹果"),
        ("第2个", "青苹果"),
        ("要第一个吧", "红富士苹果"),
    ],
)
def test_an_answer_may_name_the_choice_by_a_word_or_its_place(
    open_group: SimulatedGroup, answer: str, chosen: str
) -> None:
    open_group.say("张三", "苹果两斤")  # asked: 1. 红富士苹果 2. 青苹果
    open_group.say("张三", answer)
    assert dbview.orders(open_group.app) == {"张三": {chosen: Decimal(2)}}
    assert dbview.open_reviews(open_group.app) == []


def test_a_word_in_no_or_both_choices_answers_nothing(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "苹果两斤")
    assert open_group.say("张三", "甜的") == []
    open_group.say("张三", "苹果的")  # both are apples
    assert dbview.orders(open_group.app) == {}


def test_a_voice_message_while_ordering_is_open_goes_to_the_leaders(open_group: SimulatedGroup) -> None:
    sent = open_group.say("王奶奶", "", kind="voice")
    in_group = [m.text for m in sent if m.chat_id == GROUP_CHAT]
    to_leader = [m.text for m in sent if m.chat_id == SimulatedGroup.wechat_id(LEADER)]
    assert len(in_group) == 1 and "收到您的语音" in in_group[0]
    assert len(to_leader) == 1 and "王奶奶 在群里发了语音" in to_leader[0]
    [review] = dbview.open_reviews(open_group.app)
    assert (review.reason, review.text) == ("voice", "[语音]")
    assert f"忽略 {review.id}" in to_leader[0]
    assert dbview.orders(open_group.app) == {}


def test_a_voice_message_with_no_campaign_open_is_left_alone(group: SimulatedGroup) -> None:
    assert group.say("王奶奶", "", kind="voice") == []
    assert dbview.open_reviews(group.app) == []


def test_a_transfer_in_the_group_from_a_buyer_tells_the_leaders(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    sent = open_group.say("张三", "", kind="transfer")
    to_leader = [m.text for m in sent if m.chat_id == SimulatedGroup.wechat_id(LEADER)]
    assert to_leader == ["💰 张三 在群里转账了（应付¥12.8），核对后发「已付 张三」"]
    assert open_group.say("李四", "", kind="transfer") == []  # owes nothing: not about an order
    assert all(o.paid_at is None for o in dbview.order_rows(open_group.app))  # the leader checks first


def test_taking_back_an_order_message_shows_what_is_still_ordered(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把", message_id="m-order")
    open_group.say("张三", "收到", message_id="m-chatter")
    open_group.say("李四", "西红柿2斤", message_id="m-other")
    [shown] = open_group.texts(open_group.say("张三", "m-order", kind="recalled"))
    assert shown.splitlines() == [
        "@张三 张三 您撤回了一条消息，之前记下的订单还在：海南香蕉1把，合计¥12.8",
        "要改直接说，比如「不要了」「改成2斤」",
    ]
    assert open_group.say("张三", "m-chatter", kind="recalled") == []  # it ordered nothing
    assert open_group.say("张三", "m-other", kind="recalled") == []  # not his message
    assert dbview.orders(open_group.app) == {
        "张三": {"海南香蕉": Decimal(1)},
        "李四": {"本地西红柿": Decimal(2)},
    }


def test_choices_are_numbered_by_product_code_even_after_a_product_is_taken_off(
    open_group: SimulatedGroup,
) -> None:
    open_group.say(LEADER, "下架 4")
    [asked] = open_group.texts(open_group.say("张三", "+1"))
    assert "\n5. 本地西红柿" in asked and "\n4. " not in asked  # the codes of the deal post
    [again] = open_group.texts(open_group.say("张三", "4"))  # no longer a choice: asked again
    assert "请回复编号或商品名" in again
    open_group.say("张三", "5")
    assert dbview.orders(open_group.app) == {"张三": {"本地西红柿": Decimal(1)}}
    open_group.say("李四", "+1")
    open_group.say("李四", "第5个")  # the fifth listed (6. 五常大米), as 第五个 would be
    assert dbview.orders(open_group.app)["李四"] == {"五常大米": Decimal(1)}


def test_a_product_word_before_bu_yao_le_never_cancels_the_whole_order(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把")
    [answer] = open_group.texts(open_group.say("张三", "榴莲不要了"))  # nobody sells 榴莲 here
    assert "没有订榴莲" in answer
    assert dbview.orders(open_group.app) == {"张三": {"海南香蕉": Decimal(1)}}


def test_taking_a_product_off_tells_the_leader_who_ordered_it_and_she_cancels_them(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", "鸡蛋1板 香蕉1把")
    open_group.say("李四", "鸡蛋2板")
    [unlisted] = open_group.texts(open_group.say(LEADER, "下架 4"))
    assert unlisted.splitlines()[:2] == [
        "已下架 4. 土鸡蛋",
        "已经订了的2人共3板还在订单里；不能供货的话，请用「代 名字 土鸡蛋不要了」逐个取消",
    ]
    open_group.say(LEADER, "代 张三 土鸡蛋不要了")  # 张三 is the group member, not a new neighbour
    open_group.say(LEADER, "代 李四 鸡蛋不要了")
    assert dbview.orders(open_group.app) == {"张三": {"海南香蕉": Decimal(1)}}
    assert not dbview.members(open_group.app)["张三"].is_proxy


def test_after_a_limit_refusal_a_smaller_count_in_the_unit_orders_it(open_group: SimulatedGroup) -> None:
    [refused] = open_group.texts(open_group.say("李四", "鸡蛋3板"))
    assert "每人限购2板" in refused
    [ordered] = open_group.texts(open_group.say("李四", "那就2板吧"))
    assert "土鸡蛋 现在共2板" in ordered
    assert dbview.orders(open_group.app) == {"李四": {"土鸡蛋": Decimal(2)}}


def test_a_number_alone_asks_whether_it_is_that_product(open_group: SimulatedGroup) -> None:
    [asked] = open_group.texts(open_group.say("张三", "3"))
    assert asked.splitlines() == [
        "@张三 张三 您是要这个吗？是的话回复「3」或「是」：",
        "3. 海南香蕉 ¥12.8/把",
    ]
    assert dbview.orders(open_group.app) == {}
    open_group.say("张三", "是")
    assert dbview.orders(open_group.app) == {"张三": {"海南香蕉": Decimal(1)}}
    open_group.say("李四", "5")
    open_group.app.clock.advance(hours=1)
    open_group.say("李四", "好的")  # an hour later, said to someone else: no tomatoes
    assert "李四" not in dbview.orders(open_group.app)


def test_a_number_after_a_settled_question_orders_nothing_by_itself(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", "苹果两斤")
    open_group.say("钱大爷", "1")  # the answer: 红富士苹果
    open_group.say("钱大爷", "1")  # said again: asked about, not a second order
    assert dbview.orders(open_group.app) == {"钱大爷": {"红富士苹果": Decimal(2)}}


def test_taking_back_an_order_after_the_cutoff_does_not_invite_changes(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "香蕉1把", message_id="m-order")
    open_group.say(LEADER, "截单")
    [shown] = open_group.texts(open_group.say("张三", "m-order", kind="recalled"))
    assert shown.splitlines()[-1] == "已经截单了，要改请联系团长"


def test_what_a_member_does_not_want_is_not_ordered(open_group: SimulatedGroup) -> None:
    open_group.say("蒋哥", "大米1袋")
    open_group.say("蒋哥", "橙子一箱 不要大米")
    open_group.say("张三", "富士甜不甜")
    assert dbview.orders(open_group.app) == {"蒋哥": {"五常大米": Decimal(1), "赣南脐橙": Decimal(1)}}
    open_group.say("蒋哥", "大米不要")
    assert dbview.orders(open_group.app) == {"蒋哥": {"赣南脐橙": Decimal(1)}}


def test_a_leaders_answer_about_a_proxy_order_goes_into_the_neighbours_order(
    open_group: SimulatedGroup,
) -> None:
    [asked] = open_group.texts(open_group.say(LEADER, "代 5栋101 刘奶奶 苹果2斤"))
    assert "哪一个" in asked and "1. 红富士苹果" in asked
    [confirmed] = open_group.texts(open_group.say(LEADER, "1"))
    assert "已代刘奶奶下单" in confirmed
    assert dbview.orders(open_group.app) == {"刘奶奶": {"红富士苹果": Decimal(2)}}


def test_pieces_of_goods_sold_by_the_tray_or_weight_are_asked_about(open_group: SimulatedGroup) -> None:
    [asked] = open_group.texts(open_group.say("张三", "鸡蛋2个"))
    assert "土鸡蛋按板卖，「鸡蛋2个」要几板？" in asked
    assert dbview.orders(open_group.app) == {}
    open_group.say("张三", "1板")
    open_group.say("李四", "西红柿斤半")
    assert dbview.orders(open_group.app) == {
        "张三": {"土鸡蛋": Decimal(1)},
        "李四": {"本地西红柿": Decimal("1.5")},
    }


def test_ordering_a_product_taken_off_says_it_is_off(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, "下架 3")
    [answer] = open_group.texts(open_group.say("王五", "香蕉1把"))
    assert answer == "@王五 王五 不好意思，海南香蕉这次没有团（已下架），发「我的订单」可以看已经订的"
    assert dbview.orders(open_group.app) == {} and dbview.open_reviews(open_group.app) == []


def test_less_of_something_ordered_lowers_it_by_that_much(open_group: SimulatedGroup) -> None:
    open_group.say("沈姐", "西红柿5斤")
    [lowered] = open_group.texts(open_group.say("沈姐", "西红柿少要2斤"))
    assert "本地西红柿 现在共3斤" in lowered
    open_group.say("沈姐", "西红柿减5斤")  # more than she has: none left
    assert dbview.orders(open_group.app) == {}


def test_a_correction_replaces_the_order_just_written(open_group: SimulatedGroup) -> None:
    open_group.say("郑大姐", "香蕉1把")
    open_group.say("郑大姐", "红富士2斤")
    [fixed] = open_group.texts(open_group.say("郑大姐", "不对，是青苹果2斤"))
    assert "订单：海南香蕉1把、青苹果2斤" in fixed
    assert dbview.orders(open_group.app) == {"郑大姐": {"海南香蕉": Decimal(1), "青苹果": Decimal(2)}}


def test_a_correction_after_nothing_to_take_back_is_an_order(open_group: SimulatedGroup) -> None:
    open_group.say("郑大姐", "收到")
    open_group.say("郑大姐", "不对，是青苹果2斤")
    assert dbview.orders(open_group.app) == {"郑大姐": {"青苹果": Decimal(2)}}


def test_a_correction_after_a_refused_order_takes_nothing_back(open_group: SimulatedGroup) -> None:
    open_group.say("何姐", "鸡蛋1板")
    open_group.say("何姐", "鸡蛋3板")  # refused: the limit is 2
    open_group.say("何姐", "不对，是香蕉1把")
    assert dbview.orders(open_group.app) == {"何姐": {"土鸡蛋": Decimal(1), "海南香蕉": Decimal(1)}}


def test_a_correction_after_an_mention_replaces_the_order_before(open_group: SimulatedGroup) -> None:
    open_group.say("郑大姐", "红富士2斤")
    open_group.say("郑大姐", "@团购助手 说错了，是青苹果2斤")
    assert dbview.orders(open_group.app) == {"郑大姐": {"青苹果": Decimal(2)}}


def test_each_of_a_household_is_counted_on_the_senders_order(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say("吴婶", "我和我妈各要一板鸡蛋"))
    assert "土鸡蛋 现在共2板" in reply
    assert dbview.orders(open_group.app) == {"吴婶": {"土鸡蛋": Decimal(2)}}


def test_a_count_with_a_mistyped_unit_is_asked_and_the_answer_orders(open_group: SimulatedGroup) -> None:
    [asked] = open_group.texts(open_group.say("钱十", "大米两代"))
    assert "「大米两代」里的数字我拿不准" in asked
    assert dbview.orders(open_group.app) == {}
    [confirmed] = open_group.texts(open_group.say("钱十", "2"))
    assert "五常大米 现在共2袋" in confirmed
    assert dbview.orders(open_group.app) == {"钱十": {"五常大米": Decimal(2)}}


def test_not_now_cancels_the_whole_order(open_group: SimulatedGroup) -> None:
    open_group.say("郑哥", "土鸡蛋2板 香蕉1把")
    [cancelled] = open_group.texts(open_group.say("郑哥", "先不要了 下次吧"))
    assert "已取消" in cancelled
    assert dbview.orders(open_group.app) == {}


def test_the_leaders_answer_with_the_stock_left_orders_nothing(open_group: SimulatedGroup) -> None:
    assert open_group.texts(open_group.say(LEADER, "有的，还有20盒")) == []
    assert dbview.orders(open_group.app) == {}


def test_the_leader_puts_a_neighbours_name_down_with_bao(open_group: SimulatedGroup) -> None:
    [reply] = open_group.texts(open_group.say(LEADER, "帮刘奶奶报2把香蕉"))
    assert "刘奶奶" in reply and "海南香蕉 现在共2把" in reply
    assert dbview.orders(open_group.app) == {"刘奶奶": {"海南香蕉": Decimal(2)}}


def test_a_count_for_a_neighbour_beside_the_members_own_is_asked_not_added(
    open_group: SimulatedGroup,
) -> None:
    [asked] = open_group.texts(open_group.say("郑哥", "香蕉3把 帮楼上带两把"))
    assert "@郑哥" in asked and "要几份" in asked
    assert dbview.orders(open_group.app) == {}
    [reply] = open_group.texts(open_group.say("郑哥", "5"))
    assert "海南香蕉 现在共5把" in reply
    assert dbview.orders(open_group.app) == {"郑哥": {"海南香蕉": Decimal(5)}}


def test_calling_the_leader_before_an_order_for_tomorrow_orders_for_the_sender(
    open_group: SimulatedGroup,
) -> None:
    [reply] = open_group.texts(open_group.say("李二嫂", "老板 明天给我留2把香蕉"))
    assert reply.startswith("@李二嫂") and "海南香蕉 现在共2把" in reply
    assert dbview.orders(open_group.app) == {"李二嫂": {"海南香蕉": Decimal(2)}}
