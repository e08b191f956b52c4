"""tally_text on pasted chat logs and chains, and the tally's JSON, text and chain renderings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.reading import CatalogEntry, format_tally_text, render_rows_as_chain, tally_text, tally_to_json

from .helpers import FRUIT, d

CHAT_LOG = """2026年5月3日 20:01 1. 周芳 3份
20:02 好的
🌹
2、5栋刘姐 2
吴磊要2份
郑红+1
周芳改成4份
陈伟不要了
"""


def people(
    text: str, catalog: tuple[CatalogEntry, ...] = ()
) -> list[tuple[str | None, str, list[tuple[str, Decimal]]]]:
    tally = tally_text(text, catalog)
    return [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows]


def test_a_chat_log_with_timestamps_edits_and_cancels() -> None:
    tally = tally_text(CHAT_LOG)
    assert tally.source == "chat"
    assert people(CHAT_LOG) == [
        ("周芳", "ok", [("(本团商品)", d(4))]),
        (None, "chatter", []),
        (None, "chatter", []),
        ("5栋刘姐", "ok", [("(本团商品)", d(2))]),
        ("吴磊", "ok", [("(本团商品)", d(2))]),
        ("郑红", "ok", [("(本团商品)", d(1))]),
        ("陈伟", "ok", [("(本团商品)", d(0))]),
    ]
    assert [(t.product, t.qty, t.unit) for t in tally.totals] == [("(本团商品)", d(9), "份")]


def test_an_edit_keeps_the_history_in_raw() -> None:
    tally = tally_text(CHAT_LOG)
    assert tally.rows[0].raw == "2026年5月3日 20:01 1. 周芳 3份\n周芳改成4份"


def test_senders_named_before_the_message() -> None:
    log = "周芳：苹果2斤\n吴磊: 我要3斤香蕉\n郑红 20:15\n要1斤苹果\n吴磊：香蕉改成2斤\n周芳：不要了"
    assert people(log) == [
        ("周芳", "ok", [("苹果", d(0))]),
        ("吴磊", "ok", [("香蕉", d(2))]),
        ("郑红", "ok", [("苹果", d(1))]),
    ]


def test_doubtful_chat_lines_are_reviewed() -> None:
    log = "要2斤\n周芳：苹果2斤\n吴磊：+1\n郑红：苹果改成3斤\n周芳：+1"
    assert [(r.name, r.status, r.reason) for r in tally_text(log).rows] == [
        (None, "review", "no_name"),
        ("周芳", "ok", None),
        ("吴磊", "review", "ambiguous_product"),  # +1 of which product?
        ("郑红", "review", "nothing_to_change"),
        ("周芳", "review", "repeated_plus_one"),
    ]


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        # After orders that name their products, a bare count says not which one it is of.
        (
            "林妈妈：鸡蛋两板\n小美：那我要一板",
            [("林妈妈", "ok", None), ("小美", "review", "ambiguous_product")],
        ),
        ("老周：土豆5斤\n王芳：来两箱", [("老周", "ok", None), ("王芳", "review", "ambiguous_product")]),
        # Only bare counts, as on a single-product day: each is the day's offer.
        ("张三：2份\n李四：来两份", [("张三", "ok", None), ("李四", "ok", None)]),
    ],
)
def test_a_bare_count_among_named_products_is_reviewed(
    log: str, expected: list[tuple[str, str, str | None]]
) -> None:
    assert [(r.name, r.status, r.reason) for r in tally_text(log).rows] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A numbered list of goods under an announcing line, no one's name on it: the leader's list.
        (
            "明天到货：\n1. 苹果 10斤\n2. 香蕉 5斤\n请大家明天下午来取",
            [(None, "review", [("苹果", d(10))]), (None, "review", [("香蕉", d(5))])],
        ),
        # The same shape with rooms on the lines is members ordering.
        (
            "半个南瓜 明天到\n1.295-909 6份\n2.295-910 8份",
            [(None, "ok", [("(本团商品)", d(6))]), (None, "ok", [("(本团商品)", d(8))])],
        ),
        # A leader's summary: its heading names no sender, and its total is no one's order.
        (
            "统计一下：\n张三 2份\n李四 1份\n共3份",
            [
                (None, "chatter", []),
                ("张三", "ok", [("(本团商品)", d(2))]),
                ("李四", "ok", [("(本团商品)", d(1))]),
                (None, "review", [("(本团商品)", d(3))]),
            ],
        ),
    ],
)
def test_a_leaders_list_is_no_order(text: str, expected: list[object]) -> None:
    assert people(text) == expected


def test_a_list_of_who_has_not_collected_orders_nothing_but_others_still_order() -> None:
    reminder = "【取货提醒】\n今天的鸡蛋还有以下几户没拿：\n3栋502 王阿姨 2板\n7栋 小刘 1板\n今晚9点前拿走哦"
    assert all(status == "chatter" for _, status, _ in people(reminder))
    log = "团长：鸡蛋还有这几户没拿\n团长：王阿姨 2板\n张三：我要两板鸡蛋"
    assert people(log) == [
        ("团长", "chatter", []),
        ("团长", "chatter", []),
        ("张三", "ok", [("鸡蛋", d(2))]),
    ]
    unpaid = "@所有人 车厘子团还有以下几位没付款，今晚12点前付一下\n5栋 刘 2盒 136元\n小燕子 1盒 68元"
    assert all(status == "chatter" for _, status, _ in people(unpaid))
    # A member saying they have not collected yet still orders afterwards.
    assert people("张三：我还没拿到货\n张三：再要两板鸡蛋") == [
        ("张三", "chatter", []),
        ("张三", "ok", [("鸡蛋", d(2))]),
    ]


def test_a_sender_with_a_building_and_a_leader_called_by_name() -> None:
    log = "9栋老李：西瓜一个\n王阿姨 10:02\n小李 明天的土鸡蛋给我留两板"
    assert people(log) == [
        ("9栋老李", "ok", [("西瓜", d(1))]),
        ("王阿姨", "ok", [("土鸡蛋", d(2))]),
    ]
    assert people("4栋-王大哥 18:07\n两箱") == [("4栋-王大哥", "ok", [("(本团商品)", d(2))])]


def test_a_sender_with_a_dashed_address_before_the_name() -> None:
    assert people("12-1-301 小王：五斤") == [("12-1-301 小王", "ok", [("(本团商品)", d(5))])]
    # Glued to the name, after the leader spoke: the member's own message, not the leader's.
    log = "[19:02] 团长小美：明早的土鸡蛋还有人要吗？今晚9点截\n[19:03] 3-602周：我要2盒"
    assert people(log) == [("团长小美", "chatter", []), ("3-602周", "ok", [("(本团商品)", d(2))])]


def test_the_leaders_answers_in_a_chat_log_order_nothing() -> None:
    log = (
        "团长小芳：今天到了草莓 3斤一盒69元，要的直接群里说\n王阿姨：还有吗？\n团长小芳：有的，还有20盒\n"
        "王阿姨：给我来两盒\n阿梅团长：三斤起哦\n团长：帮刘奶奶报一盒"
    )
    assert [row for row in people(log) if row[1] != "chatter"] == [
        ("王阿姨", "ok", [("(本团商品)", d(2))]),
        ("刘奶奶", "ok", [("(本团商品)", d(1))]),  # an order the leader places for a member
    ]


def test_changes_pasted_under_a_list_change_the_rows_of_who_wrote_them() -> None:
    text = (
        "#接龙 水果\n1. 小红 苹果2斤\n2. 大刘 香蕉1把\n3. 阿花 苹果3斤 香蕉1把\n\n"
        "大刘：香蕉不要了\n阿花：苹果改成5斤\n路人：苹果改成9斤"
    )
    assert people(text) == [
        ("小红", "ok", [("苹果", d(2))]),
        ("大刘", "ok", [("香蕉", d(0))]),
        ("阿花", "ok", [("苹果", d(5)), ("香蕉", d(1))]),
    ]


def test_a_row_saying_same_as_above_orders_what_the_row_above_ordered() -> None:
    tally = tally_text(
        "#接龙 水果\n1. 红富士苹果 5元/斤\n2. 香蕉 12元/把\n\n"
        "1. 同上\n2. 5栋 周 1号2斤 2号1\n3. 阿芳 同上\n4. 同上 5号楼1单元 老李\n"
        "5. 小吴 苹果半箱\n6. 小郑 同上\n7. 小钱 同上 再加1把香蕉"
    )
    assert [(r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows] == [
        ("chatter", []),  # nothing above it to copy
        ("ok", [("红富士苹果", d(2)), ("香蕉", d(1))]),
        ("ok", [("红富士苹果", d(2)), ("香蕉", d(1))]),
        ("ok", [("红富士苹果", d(2)), ("香蕉", d(1))]),
        ("review", [("红富士苹果", d("0.5"))]),
        ("review", [("红富士苹果", d("0.5"))]),  # as doubtful as the row it copies
        ("ok", [("香蕉", d(1))]),  # a row with its own order is read as written
    ]
    assert [r.name for r in tally.rows[2:4]] == ["阿芳", None]
    assert tally.rows[3].note == "5号楼1单元 老李"


def test_a_row_copies_the_row_it_names_by_number_or_member() -> None:
    tally = tally_text(
        "#接龙 周六水果团\n\n"
        "1. 幺妹儿 苹果3斤\n2. 老周 香蕉2把\n3. 胖娃儿 跟幺妹儿一样\n4. 小吴 同2号\n5. 小郑 同9号"
    )
    assert [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows[2:]] == [
        ("胖娃儿", "ok", [("苹果", d(3))]),
        ("小吴", "ok", [("香蕉", d(2))]),
        ("小郑", "chatter", []),  # no row 9 to copy
    ]


def test_a_later_row_changing_a_members_order_changes_their_row_and_adds_nothing() -> None:
    tally = tally_text(
        "#接龙 土鸡蛋 30枚/板 36元\n1. 土鸡蛋 36元/板\n2. 大米 58元/袋\n\n"
        "1. 刘翠花 鸡蛋两板\n2. 渝北 刘哥 大米1袋 鸡蛋1板\n3. 刘翠花 改成三板\n4. 刘哥 鸡蛋不要了\n"
        "5. 小周 改成2袋"
    )
    assert [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows] == [
        ("刘翠花", "ok", [("土鸡蛋", d(3))]),
        ("渝北 刘哥", "ok", [("大米", d(1)), ("土鸡蛋", d(0))]),
        ("小周", "review", [("(本团商品)", d(2))]),  # nothing above to change: asked about
    ]
    assert "改成三板" in tally.rows[0].raw  # the change stays on record


def test_a_change_by_a_name_two_rows_share_is_asked_about() -> None:
    tally = tally_text("#接龙 水果\n\n1. 1栋 王姐 苹果2斤\n2. 5栋 王姐 苹果1斤\n3. 王姐 不要了")
    assert [(r.status, [i.qty for i in r.items]) for r in tally.rows] == [
        ("ok", [d(2)]),
        ("ok", [d(1)]),
        ("review", []),
    ]


def test_a_later_row_swapping_one_of_several_portions_is_asked_about() -> None:
    tally = tally_text(
        "#接龙 午饭\nA 回锅肉饭 18元/份\nC 素三鲜饭 15元/份\n\n1. 阿强 A两份\n2. 阿强 不要辣那份改成C"
    )
    assert [(r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows] == [
        ("ok", [("回锅肉饭", d(2))]),
        ("review", []),
    ]


def test_same_as_number_under_numbered_products_is_asked_about() -> None:
    tally = tally_text("#接龙\n1. 红富士苹果 5元/斤\n2. 香蕉 12元/把\n\n1. 老周 苹果2斤\n2. 小吴 同2号")
    assert tally.rows[1].status == "review"


def test_a_message_over_several_lines_keeps_its_sender() -> None:
    assert people("周芳：苹果2斤\n香蕉1把") == [
        ("周芳", "ok", [("苹果", d(2))]),
        ("周芳", "ok", [("香蕉", d(1))]),
    ]


def test_catalog_precedence() -> None:
    post = "#接龙\n1. 红富士苹果 5元/斤\n2. 香蕉 12元/把\n\n1. 团长 1+2\n2. 周芳 2x3"
    printed = tally_text(post)
    assert [(e.code, e.name) for e in printed.catalog] == [("1", "红富士苹果"), ("2", "香蕉")]
    assert [(t.product, t.qty) for t in printed.totals] == [("香蕉", d(3))]
    given = tally_text(post, FRUIT)
    assert given.catalog == FRUIT
    assert [(t.product, t.qty) for t in given.totals] == [("青苹果", d(3))]
    free = tally_text("#接龙\n1. 周芳 苹果2斤\n2. 吴磊 苹果1斤 梨3斤")
    assert [(t.product, t.qty, t.unit) for t in free.totals] == [("苹果", d(3), "斤"), ("梨", d(3), "斤")]


def test_totals_count_only_confident_rows() -> None:
    tally = tally_text("#接龙\n1. 周芳 苹果2斤\n2. 吴磊 苹果2-3斤\n3. 郑红 苹果1斤", ())
    assert [r.status for r in tally.rows] == ["ok", "review", "ok"]
    assert [(t.product, t.qty) for t in tally.totals] == [("苹果", d(3))]


def test_json_shape() -> None:
    tally = tally_text("#接龙\n1. 红富士苹果 5.5元/斤\n2. 香蕉 12元/把\n\n1. 3栋 周芳 1 2斤\n2. 吴磊 2x1.5")
    data = tally_to_json(tally)
    assert set(data) == {"catalog", "rows", "totals"}
    assert data["catalog"][0] == {"code": "1", "name": "红富士苹果", "unit": "斤", "price": 5.5}
    assert data["catalog"][1]["price"] == 12 and isinstance(data["catalog"][1]["price"], int)
    row = data["rows"][0]
    assert set(row) == {"seq", "name", "note", "status", "reason", "raw", "items"}
    assert row == {
        "seq": 1,
        "name": "周芳",
        "note": "3栋",
        "status": "ok",
        "reason": None,
        "raw": "1. 3栋 周芳 1 2斤",
        "items": [
            {"product": "红富士苹果", "variant": None, "code": "1", "qty": 2, "unit": "斤", "raw": "1 2斤"}
        ],
    }
    assert data["rows"][1]["items"][0]["qty"] == 1.5
    assert data["totals"] == [
        {"product": "红富士苹果", "variant": None, "qty": 2, "unit": "斤"},
        {"product": "香蕉", "variant": None, "qty": 1.5, "unit": "把"},
    ]


def test_text_report() -> None:
    text = format_tally_text(tally_text("#接龙 周六水果\n1. 周芳 苹果2斤\n2. 吴磊 苹果2-3斤\n3. 郑红"))
    assert "接龙：周六水果" in text
    assert "苹果  2斤" in text
    assert "1. 周芳：苹果 2斤" in text
    assert "【待确认】1 行" in text and "2-3斤" in text


def test_render_rows_as_chain() -> None:
    tally = tally_text("#接龙\n1. 周芳 苹果2斤（3栋）\n2. 吴磊 苹果2-3斤\n3. 郑红\n4. 陈伟 苹果1斤")
    assert render_rows_as_chain(tally.rows) == (
        "#接龙\n1. 周芳 苹果2斤（备注：3栋）\n2. 吴磊 苹果2-3斤\n3. 郑红\n4. 陈伟 苹果1斤"
    )
    again = tally_text(render_rows_as_chain(tally.rows))
    assert again.totals == tally.totals


def test_a_huge_paste_is_read_in_part() -> None:
    text = "\n".join(f"用户{i}：要1份" for i in range(6000))
    tally = tally_text(text)
    assert tally.rows[-1].reason == "too_long"
    assert tally.totals[0].qty == 5000


def test_a_menu_posted_in_the_chat_then_orders_as_messages() -> None:
    log = (
        "老陈：#开团\n  春节预购\n  1) 水饺（50个装）120元\n  2) 鱼头火锅 98元\n"
        "小明：#1\n机器人：✅ 小明【1】水饺 +1份\n小华：#1 2\n小明：#2 小美\n"
        "机器人：已登记\n   小计：3 份\n老陈：结团"
    )
    tally = tally_text(log)
    assert tally.source == "chat" and tally.title == "春节预购"
    assert [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows if r.items] == [
        ("小明", "ok", [("水饺（50个装）", d(1))]),
        ("小华", "ok", [("水饺（50个装）", d(2))]),
        ("小美", "ok", [("鱼头火锅", d(1))]),  # 小明 ordering for 小美
    ]


def test_flavours_and_mixed_boxes_survive_a_round_trip() -> None:
    post = (
        "#接龙\n1. 蛋黄酥一盒六个（原味/抹茶/紫薯）38/42/40\n"
        "2. 马卡龙一盒四个（玫瑰/开心果/柠檬）26\n3. 提拉米苏 28/盒\n\n"
        "1. 小周 3+1\n2. 小吴 1抹茶x2+2（玫瑰/柠檬*3）\n"
        "3. 小郑 2（开心果）+1（原味+紫薯）\n4. 小王 紫薯的1 2 玫瑰开心果"
    )
    tally = tally_text(post)
    assert [r.status for r in tally.rows] == ["ok", "ok", "ok", "ok"]
    again = tally_text(render_rows_as_chain(tally.rows), tally.catalog)
    assert again.totals == tally.totals
