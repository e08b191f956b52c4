"""接龙 reposts as dialogs: only new or changed lines touch orders, and only their own writer's."""

from __future__ import annotations

from decimal import Decimal

from bot.events import JielongEntry
from bot.simulation import SimulatedGroup
from tests import dbview
from tests.conftest import LEADER

HEADER = "#接龙\n幸福小区 11月22日 水果鸡蛋团 晚8点截单\n例 3栋502 王姐 红富士苹果2斤\n"


def chain(*lines: str) -> str:
    return HEADER + "\n" + "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def test_each_repost_adds_only_its_new_line(open_group: SimulatedGroup) -> None:
    [first] = open_group.texts(open_group.say("张三", chain("张三 红富士苹果3斤")))
    assert first.startswith("@张三 ✅ 张三 已记下")
    [second] = open_group.texts(open_group.say("李四", chain("张三 红富士苹果3斤", "李四 4号x1")))
    assert second.startswith("@李四") and "土鸡蛋 现在共1板" in second
    open_group.say("王姐", chain("张三 红富士苹果3斤", "李四 4号x1", "3栋502 王姐 鸡蛋1板 香蕉1把"))
    assert dbview.orders(open_group.app) == {
        "张三": {"红富士苹果": Decimal(3)},
        "李四": {"土鸡蛋": Decimal(1)},
        "王姐": {"土鸡蛋": Decimal(1), "海南香蕉": Decimal(1)},
    }
    assert dbview.members(open_group.app)["王姐"].address == "3栋502"


def test_the_example_line_is_not_an_order(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    assert "王姐" not in dbview.orders(open_group.app)


def test_an_unchanged_repost_changes_nothing_and_says_nothing(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    text = chain("张三 红富士苹果3斤", "李四 4号x1")
    open_group.say("李四", text)
    assert open_group.say("王五", text) == []
    assert open_group.say("李四", text + "\n") == []
    assert dbview.orders(open_group.app) == {
        "张三": {"红富士苹果": Decimal(3)},
        "李四": {"土鸡蛋": Decimal(1)},
    }


def test_a_line_changed_by_its_writer_updates_their_order(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    open_group.say("李四", chain("张三 红富士苹果3斤", "李四 4号x1"))
    [update] = open_group.texts(open_group.say("张三", chain("张三 红富士苹果5斤", "李四 4号x1")))
    assert "红富士苹果 现在共5斤" in update
    assert dbview.orders(open_group.app)["张三"] == {"红富士苹果": Decimal(5)}
    assert dbview.orders(open_group.app)["李四"] == {"土鸡蛋": Decimal(1)}


def test_a_product_dropped_from_a_line_is_said_to_be_dropped(open_group: SimulatedGroup) -> None:
    open_group.say("李四", chain("李四 鸡蛋1板 香蕉1把"))
    [update] = open_group.texts(open_group.say("李四", chain("李四 鸡蛋2板")))
    assert update.splitlines()[1:] == ["+ 土鸡蛋 现在共2板", "- 海南香蕉 不要了", "订单：土鸡蛋2板，合计¥56"]
    assert dbview.orders(open_group.app)["李四"] == {"土鸡蛋": Decimal(2)}


def test_a_line_removed_by_its_writer_cancels_it(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    open_group.say("李四", chain("张三 红富士苹果3斤", "李四 4号x1"))
    open_group.say("李四", chain("张三 红富士苹果3斤"))
    assert "李四" not in dbview.orders(open_group.app)
    assert dbview.orders(open_group.app)["张三"] == {"红富士苹果": Decimal(3)}


def test_a_change_to_someone_elses_line_goes_to_the_leader_and_is_not_applied(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    sent = open_group.say("李四", chain("张三 红富士苹果30斤", "李四 4号x1"))
    to_leader = [m.text for m in sent if m.chat_id == SimulatedGroup.wechat_id(LEADER)]
    assert len(to_leader) == 1 and "李四 改了 张三 的一行" in to_leader[0]
    assert dbview.orders(open_group.app) == {
        "张三": {"红富士苹果": Decimal(3)},
        "李四": {"土鸡蛋": Decimal(1)},
    }
    assert [r.reason for r in dbview.open_reviews(open_group.app)] == ["others_line_changed"]
    # The same changed copy reposted again is not reported twice.
    assert open_group.say("王五", chain("张三 红富士苹果30斤", "李四 4号x1")) == []


def test_reposts_that_crossed_keep_both_lines(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    open_group.say("李四", chain("张三 红富士苹果3斤", "李四 4号x1"))
    # 王五 copied the list before 李四 posted: 李四's line is missing from his repost.
    open_group.say("王五", chain("张三 红富士苹果3斤", "王五 香蕉1把"))
    assert dbview.orders(open_group.app) == {
        "张三": {"红富士苹果": Decimal(3)},
        "李四": {"土鸡蛋": Decimal(1)},
        "王五": {"海南香蕉": Decimal(1)},
    }


def test_a_list_whose_title_was_edited_is_still_the_same_list(open_group: SimulatedGroup) -> None:
    edited = HEADER.replace("晚8点截单", "晚9点截单（延长1小时）")
    open_group.say("张三", HEADER + "\n1. 张三 红富士苹果3斤")
    open_group.say("李四", HEADER + "\n1. 张三 红富士苹果3斤\n2. 李四 香蕉1把")
    sent = open_group.say("王五", edited + "\n1. 张三 红富士苹果3斤\n2. 李四 香蕉1把\n3. 王五 西红柿2斤")
    assert [text for text in open_group.texts(sent) if "张三" in text or "李四" in text] == []
    assert dbview.orders(open_group.app) == {
        "张三": {"红富士苹果": Decimal(3)},
        "李四": {"海南香蕉": Decimal(1)},
        "王五": {"本地西红柿": Decimal(2)},
    }


def test_an_unclear_line_is_asked_back_to_its_writer(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    [question] = open_group.texts(open_group.say("钱大爷", chain("张三 红富士苹果3斤", "钱大爷 苹果两斤")))
    assert question.startswith("@钱大爷") and "1. 红富士苹果" in question
    assert "钱大爷" not in dbview.orders(open_group.app)
    open_group.say("钱大爷", "2")
    assert dbview.orders(open_group.app)["钱大爷"] == {"青苹果": Decimal(2)}


def test_a_question_about_a_line_quotes_that_line_and_its_answer_is_a_quantity(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    [question] = open_group.texts(open_group.say("钱大爷", chain("张三 红富士苹果3斤", "钱大爷 鸡蛋2-3板")))
    assert "鸡蛋2-3板" in question and "#接龙" not in question and "回复数量就行" in question
    open_group.say("钱大爷", "2")
    assert dbview.orders(open_group.app)["钱大爷"] == {"土鸡蛋": Decimal(2)}
    # The answered line is settled: reposting it unchanged orders nothing more.
    open_group.say("李四", chain("张三 红富士苹果3斤", "钱大爷 鸡蛋2-3板", "李四 香蕉1把"))
    assert dbview.orders(open_group.app)["钱大爷"] == {"土鸡蛋": Decimal(2)}


def test_correcting_the_line_asked_about_settles_the_question(open_group: SimulatedGroup) -> None:
    open_group.say("钱大爷", chain("钱大爷 苹果两斤"))
    open_group.say("钱大爷", chain("钱大爷 红富士苹果2斤"))
    assert dbview.open_reviews(open_group.app) == []
    assert open_group.say("钱大爷", "好的") == []
    assert dbview.orders(open_group.app) == {"钱大爷": {"红富士苹果": Decimal(2)}}


def test_a_line_refused_for_the_limit_and_corrected_is_ordered(open_group: SimulatedGroup) -> None:
    [refused] = open_group.texts(open_group.say("何姐", chain("何姐 鸡蛋3板")))
    assert "每人限购2板" in refused
    [reply] = open_group.texts(open_group.say("何姐", chain("何姐 鸡蛋2板")))
    assert "现在共2板" in reply
    assert dbview.orders(open_group.app) == {"何姐": {"土鸡蛋": Decimal(2)}}


def test_lowering_a_refused_line_keeps_what_was_ordered_by_chat(open_group: SimulatedGroup) -> None:
    open_group.say("何姐", "鸡蛋2板")
    open_group.say("何姐", chain("何姐 鸡蛋2板"))  # refused: she has her two already
    open_group.say("何姐", chain("何姐 鸡蛋1板"))
    assert dbview.orders(open_group.app) == {"何姐": {"土鸡蛋": Decimal(2)}}


def test_a_members_lines_for_unknown_names_are_her_household_and_share_her_limit(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("何姐", "鸡蛋2板")  # her limit
    [reply] = open_group.texts(open_group.say("何姐", chain("小何 鸡蛋2板", "何妈妈 鸡蛋2板")))
    assert "每人限购2板" in reply
    assert dbview.orders(open_group.app) == {"何姐": {"土鸡蛋": Decimal(2)}}
    assert not any(member.is_proxy for member in dbview.members(open_group.app).values())


def test_a_leaders_lines_for_neighbours_are_their_orders(open_group: SimulatedGroup) -> None:
    open_group.say(LEADER, chain("王奶奶 鸡蛋2板", "李爷爷 鸡蛋1板"))
    assert dbview.orders(open_group.app) == {
        "王奶奶": {"土鸡蛋": Decimal(2)},
        "李爷爷": {"土鸡蛋": Decimal(1)},
    }
    assert dbview.members(open_group.app)["王奶奶"].is_proxy


def test_a_redelivered_repost_is_a_no_op(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"), message_id="wx-1")
    assert open_group.say("张三", chain("张三 红富士苹果3斤"), message_id="wx-1") == []
    assert dbview.orders(open_group.app) == {"张三": {"红富士苹果": Decimal(3)}}


def test_wechat_jielong_card_entries_belong_to_their_authors(open_group: SimulatedGroup) -> None:
    open_group.say("张三", "收到")  # 张三 and 李四 are members the bot has seen
    open_group.say("李四", "收到")
    entries = (
        JielongEntry(seq=1, author_id=SimulatedGroup.wechat_id("张三"), text="张三 红富士苹果3斤"),
        JielongEntry(seq=2, author_id=SimulatedGroup.wechat_id("李四"), text="李四 4号x1"),
    )
    sent = open_group.say(
        "李四", "#接龙 水果团\n1. 张三 红富士苹果3斤\n2. 李四 4号x1", kind="jielong", jielong_entries=entries
    )
    [confirmations] = sent  # both confirmations, merged into one message that mentions both
    assert confirmations.mention_ids == (SimulatedGroup.wechat_id("张三"), SimulatedGroup.wechat_id("李四"))
    assert "✅ 张三 已记下" in confirmations.text and "✅ 李四 已记下" in confirmations.text
    assert dbview.orders(open_group.app) == {
        "张三": {"红富士苹果": Decimal(3)},
        "李四": {"土鸡蛋": Decimal(1)},
    }


def test_a_repost_after_cutoff_is_turned_away(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 红富士苹果3斤"))
    open_group.say(LEADER, "截单")
    [late] = open_group.texts(open_group.say("李四", chain("张三 红富士苹果3斤", "李四 4号x1")))
    assert "已截单" in late
    assert "李四" not in dbview.orders(open_group.app)


def test_a_change_line_under_the_writers_own_changes_their_order_and_adds_nothing(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", chain("张三 香蕉2把"))
    open_group.say("李四", chain("张三 香蕉2把", "李四 鸡蛋1板"))
    reposted = chain("张三 香蕉2把", "李四 鸡蛋1板", "张三 改成3把")
    [changed] = open_group.texts(open_group.say("张三", reposted))
    assert "海南香蕉 现在共3把" in changed
    assert dbview.orders(open_group.app)["张三"] == {"海南香蕉": Decimal(3)}
    # Taking the change line out takes the change back, as with any line.
    open_group.say("张三", chain("张三 香蕉2把", "李四 鸡蛋1板"))
    assert dbview.orders(open_group.app)["张三"] == {"海南香蕉": Decimal(2)}
    assert dbview.orders(open_group.app)["李四"] == {"土鸡蛋": Decimal(1)}


def test_a_change_line_with_more_besides_is_asked_about_and_changes_nothing(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", chain("张三 香蕉2把"))
    [asked] = open_group.texts(open_group.say("张三", chain("张三 香蕉2把", "张三 香蕉改成3把 再加1板鸡蛋")))
    assert asked.startswith("@张三")
    assert dbview.orders(open_group.app)["张三"] == {"海南香蕉": Decimal(2)}


def test_a_new_line_saying_same_as_above_orders_what_the_line_above_ordered(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("张三", chain("张三 香蕉2把 红富士苹果1斤"))
    [copied] = open_group.texts(open_group.say("王五", chain("张三 香蕉2把 红富士苹果1斤", "王五 同上")))
    assert copied.startswith("@王五") and "海南香蕉 现在共2把" in copied
    [again] = open_group.texts(
        open_group.say("赵六", chain("张三 香蕉2把 红富士苹果1斤", "王五 同上", "赵六 同上"))
    )
    assert again.startswith("@赵六") and "红富士苹果 现在共1斤" in again
    orders = dbview.orders(open_group.app)
    assert orders["王五"] == orders["赵六"] == {"海南香蕉": Decimal(2), "红富士苹果": Decimal(1)}


def test_a_cancel_line_under_the_list_cancels_its_writers_order(open_group: SimulatedGroup) -> None:
    open_group.say("张三", chain("张三 香蕉2把"))
    open_group.say("李四", chain("张三 香蕉2把", "李四 鸡蛋1板"))
    [cancelled] = open_group.texts(
        open_group.say("张三", chain("张三 香蕉2把", "李四 鸡蛋1板", "张三 不要了"))
    )
    assert cancelled.startswith("@张三") and "已取消海南香蕉" in cancelled
    assert dbview.orders(open_group.app) == {"李四": {"土鸡蛋": Decimal(1)}}


def test_a_leaders_change_line_for_a_neighbour_changes_the_neighbours_order(
    open_group: SimulatedGroup,
) -> None:
    open_group.say(LEADER, chain("王奶奶 香蕉2把", "李爷爷 鸡蛋1板"))
    [changed] = open_group.texts(
        open_group.say(LEADER, chain("王奶奶 香蕉2把", "李爷爷 鸡蛋1板", "王奶奶 改成3把"))
    )
    assert "王奶奶" in changed and "海南香蕉 现在共3把" in changed
    assert dbview.orders(open_group.app)["王奶奶"] == {"海南香蕉": Decimal(3)}
    # A member may not change a neighbour's order with a line: it is read as a line, and asked about.
    open_group.say("张三", chain("王奶奶 香蕉2把", "李爷爷 鸡蛋1板", "王奶奶 改成3把", "李爷爷 改成5板"))
    assert dbview.orders(open_group.app)["李爷爷"] == {"土鸡蛋": Decimal(1)}


def test_a_new_line_copying_a_named_or_numbered_line_orders_what_that_line_ordered(
    open_group: SimulatedGroup,
) -> None:
    open_group.say("幺妹儿", chain("幺妹儿 香蕉2把"))
    open_group.say("老周", chain("幺妹儿 香蕉2把", "老周 西红柿3斤"))
    [copied] = open_group.texts(
        open_group.say("胖娃儿", chain("幺妹儿 香蕉2把", "老周 西红柿3斤", "胖娃儿 跟幺妹儿一样"))
    )
    assert copied.startswith("@胖娃儿") and "海南香蕉 现在共2把" in copied
    assert dbview.orders(open_group.app)["胖娃儿"] == {"海南香蕉": Decimal(2)}
    # Under products numbered 1 to 7, 同2号 may be line 2 or product 2: asked, nothing ordered.
    [asked] = open_group.texts(
        open_group.say("小吴", chain("幺妹儿 香蕉2把", "老周 西红柿3斤", "胖娃儿 跟幺妹儿一样", "小吴 同2号"))
    )
    assert asked.startswith("@小吴")
    assert "小吴" not in dbview.orders(open_group.app)
