"""split_chain and read_chain: one test per shape of real 接龙 posts, in our own words."""

from __future__ import annotations

import pytest

from handlers.reading import ChainLine, read_chain, read_chain_row, split_chain

from .helpers import FRUIT, d, row_summary

FRUIT_POST = """#接龙
周六水果团，周五晚8点截单
自提点：小区东门
1. 红富士苹果 5元/斤
2. 青苹果 6元/斤
3. 香蕉 12元/把

1. 团长 1+2+3
2. 张三 1 3斤
3. 李四 香蕉x2
"""


def lines_of(text: str) -> list[tuple[int | None, str]]:
    layout = split_chain(text)
    assert layout is not None
    return [(line.seq, line.text) for line in layout.lines]


@pytest.mark.parametrize(
    "header",
    [
        "#接龙",
        "#接龍",
        "#Group Note",
        "@团长 #接龙",
        "[链接/文件] #接龙",
        "wxid_ab12cd34ef:\n#接龙",
        "#接龙 周五团",
    ],
)
def test_headers(header: str) -> None:
    layout = split_chain(f"{header}\n1. 张三 2份\n2. 李四 1份")
    assert layout is not None and layout.has_header
    assert [(line.seq, line.text) for line in layout.lines] == [(1, "张三 2份"), (2, "李四 1份")]


def test_title_description_example_and_trailer() -> None:
    layout = split_chain(
        "#接龙\n高山土豆 共50份\n每份5斤，明早到\n例 姓名 楼号 份数\n\n"
        "1. 张三 3栋 2份\n2. 李四 1份\n\n今晚八点截单"
    )
    assert layout is not None
    assert layout.title == "高山土豆 共50份"
    assert layout.description == ("每份5斤，明早到",)
    assert layout.trailer == ("今晚八点截单",)
    assert [(line.seq, line.text) for line in layout.lines] == [
        (None, "例 姓名 楼号 份数"),
        (1, "张三 3栋 2份"),
        (2, "李四 1份"),
    ]
    assert layout.offer.product == "高山土豆"


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        # A title that prices one kilo sells by the kilo: members' 500克 and 两斤 are kilos too.
        (
            "#接龙 鲜切牛肉 1kg 98元\n1. 老张 2公斤\n2. 方方 500克\n3. 大刘 两斤",
            [
                ("老张", "ok", [("鲜切牛肉", None, d(2), "公斤")]),
                ("方方", "ok", [("鲜切牛肉", None, d("0.5"), "公斤")]),
                ("大刘", "ok", [("鲜切牛肉", None, d(1), "公斤")]),
            ],
        ),
        # 10斤/袋: so much in each bag, which is what is sold.
        (
            "#接龙 东北五常大米 10斤/袋 55元\n1. 王叔 3袋\n2. Lucky 1",
            [
                ("王叔", "ok", [("东北五常大米", None, d(3), "袋")]),
                ("Lucky", "ok", [("东北五常大米", None, d(1), "袋")]),
            ],
        ),
        # 500g/份 sells portions; a member writing grams is asked, not counted as 500 of something.
        (
            "#接龙 宁夏滩羊肉 500g/份 69元\n1. Coco 500g",
            [("Coco", "review", [("宁夏滩羊肉", None, d(500), "克")])],
        ),
    ],
)
def test_the_titles_size_is_the_unit_of_sale(post: str, expected: list[object]) -> None:
    reading = read_chain(post)
    assert reading is not None
    assert [row_summary(row) for row in reading.rows] == expected


def test_title_on_the_header_line() -> None:
    layout = split_chain("#接龙 今日团购：阳光玫瑰葡萄\n1. 张三 2串")
    assert layout is not None and layout.title == "今日团购：阳光玫瑰葡萄"


@pytest.mark.parametrize(
    "numbering",
    [
        "1. 张三 2份\n2. 李四 1份",
        "1、张三 2份\n2、李四 1份",
        "1) 张三 2份\n2) 李四 1份",
        "（1）张三 2份\n（2）李四 1份",
        "(1) 张三 2份\n(2) 李四 1份",
        "① 张三 2份\n② 李四 1份",
        "１．张三 2份\n２．李四 1份",
        "1.张三 2份\n2.李四 1份",
    ],
)
def test_numbering_styles(numbering: str) -> None:
    assert lines_of(f"#接龙\n{numbering}") == [(1, "张三 2份"), (2, "李四 1份")]


def test_numbering_starts_midway_jumps_and_repeats() -> None:
    text = "#接龙\n6. 张三 1份\n7. 李四 2份\n9. 王五 1份\n9. 赵六 3份"
    assert [seq for seq, _ in lines_of(text)] == [6, 7, 9, 9]


def test_empty_initiator_slot() -> None:
    assert lines_of("#接龙\n1.\n2. 张三 1份") == [(1, ""), (2, "张三 1份")]


def test_continuation_lines_join_the_member_above() -> None:
    text = "1. 小周\n🍎苹果 $3/斤 -要2斤\n🍌香蕉 $2/把\n\n2. 小吴\n🍇葡萄 $6/串"
    assert lines_of(text) == [(1, "小周\n🍎苹果 $3/斤 -要2斤\n🍌香蕉 $2/把"), (2, "小吴\n🍇葡萄 $6/串")]


def test_a_whole_list_on_one_line() -> None:
    assert lines_of("1. 2. 周芳 3份 3. 吴磊 4. 郑红 1份 白色") == [
        (1, ""),
        (2, "周芳 3份"),
        (3, "吴磊"),
        (4, "郑红 1份 白色"),
    ]


def test_a_pasted_list_without_header() -> None:
    layout = split_chain("5、刘一 2斤\n6、陈二 1斤")
    assert layout is not None and not layout.has_header
    assert [line.seq for line in layout.lines] == [5, 6]


@pytest.mark.parametrize(
    "title",
    ["4.17健康打卡", "6.8号星期一晚餐预定接龙（30元）", "5.20 水果团"],
)
def test_a_date_in_the_title_is_not_a_member_line(title: str) -> None:
    layout = split_chain(f"#接龙\n{title}\n\n1. 张三 1份")
    assert layout is not None
    assert layout.title == title
    assert [line.seq for line in layout.lines] == [1]


def test_a_number_glued_to_an_address() -> None:
    assert lines_of("#接龙\n1.3-502 2份\n2.5-101 1份") == [(1, "3-502 2份"), (2, "5-101 1份")]


def test_catalog_printed_first() -> None:
    layout = split_chain(FRUIT_POST)
    assert layout is not None and layout.catalog_first
    assert [(e.code, e.name, e.unit, e.price_fen) for e in layout.catalog] == [
        ("1", "红富士苹果", "斤", 500),
        ("2", "青苹果", "斤", 600),
        ("3", "香蕉", "把", 1200),
    ]
    assert [line.seq for line in layout.lines] == [1, 2, 3]


def test_letter_menu_is_a_catalog() -> None:
    layout = split_chain("#接龙 午餐\nA：红烧肉饭\nB: 番茄炒蛋饭\n请接龙：\n3. 张三 A\n4. 李四 b")
    assert layout is not None
    assert [(e.code, e.name) for e in layout.catalog] == [("A", "红烧肉饭"), ("B", "番茄炒蛋饭")]
    reading = read_chain("#接龙 午餐\nA：红烧肉饭\nB: 番茄炒蛋饭\n请接龙：\n3. 张三 A\n4. 李四 b")
    assert reading is not None
    assert [(r.name, [i.product for i in r.items]) for r in reading.rows] == [
        ("张三", ["红烧肉饭"]),
        ("李四", ["番茄炒蛋饭"]),
    ]


BREAKFAST = (
    "#接龙\n明天早餐预订🥟 7:30前送到各栋楼下\n鲜肉包 2元/个\n香菇菜包 1.5元/个\n现磨豆浆 3元/杯\n"
    "猪蹄 20一只\n今晚9点截单\n\n1. 🍀小林 鲜肉包3 豆浆1\n2. 8-302 鲜肉包×4 菜包×2\n3. 阿强 猪蹄2只"
)


def test_unnumbered_price_lines_under_the_title_are_the_catalog() -> None:
    layout = split_chain(BREAKFAST)
    assert layout is not None
    assert [(e.name, e.unit, e.price_fen) for e in layout.catalog] == [
        ("鲜肉包", "个", 200),
        ("香菇菜包", "个", 150),
        ("现磨豆浆", "杯", 300),
        ("猪蹄", "只", 2000),
    ]
    reading = read_chain(BREAKFAST)
    assert reading is not None
    assert [row_summary(r) for r in reading.rows] == [
        ("🍀小林", "ok", [("鲜肉包", None, d(3), "个"), ("现磨豆浆", None, d(1), "杯")]),
        (None, "ok", [("鲜肉包", None, d(4), "个"), ("香菇菜包", None, d(2), "个")]),
        ("阿强", "ok", [("猪蹄", None, d(2), "只")]),
    ]


def test_two_goods_priced_on_one_line_with_choices_after_the_price() -> None:
    text = (
        "【腊味接龙】\n腊肉 45元/斤，香肠 42元/斤（麻辣/广味），按实际重量算\n\n"
        "1. 红梅 腊肉2斤 香肠麻辣2斤\n2. 德华 腊肉五斤，香肠麻辣三斤 广味两斤"
    )
    layout = split_chain(text)
    assert layout is not None
    assert [(e.name, e.variants, e.price_fen) for e in layout.catalog] == [
        ("腊肉", (), 4500),
        ("香肠", ("麻辣", "广味"), 4200),
    ]
    reading = read_chain(text)
    assert reading is not None
    assert [row_summary(r) for r in reading.rows] == [
        ("红梅", "ok", [("腊肉", None, d(2), "斤"), ("香肠", "麻辣", d(2), "斤")]),
        (
            "德华",
            "ok",
            [("腊肉", None, d(5), "斤"), ("香肠", "麻辣", d(3), "斤"), ("香肠", "广味", d(2), "斤")],
        ),
    ]


def test_goods_priced_on_the_title_line_with_their_pack_size() -> None:
    text = (
        "#接龙\n蒙牛纯牛奶 250ml*24盒/箱 52元；安慕希 205g*12瓶/箱 48元\n写清楚门牌号\n\n"
        "1. 3-2-502 安慕希2箱\n2. 9栋 小雪 纯牛奶 1"
    )
    layout = split_chain(text)
    assert layout is not None
    assert [(e.name, e.unit, e.price_fen) for e in layout.catalog] == [
        ("蒙牛纯牛奶", "箱", 5200),
        ("安慕希", "箱", 4800),
    ]
    reading = read_chain(text)
    assert reading is not None
    assert [row_summary(r) for r in reading.rows] == [
        (None, "ok", [("安慕希", None, d(2), "箱")]),
        ("小雪", "ok", [("蒙牛纯牛奶", None, d(1), "箱")]),
    ]


def test_keycap_digits_number_a_catalog() -> None:
    text = "#接龙 日用品\n1️⃣ 清风抽纸 39.9\n2️⃣ 垃圾袋 9.9\n\n1. 晓彤 1号1提 2号2\n2. 阿珍 垃圾袋x3"
    layout = split_chain(text)
    assert layout is not None
    assert [(e.code, e.name) for e in layout.catalog] == [("1", "清风抽纸"), ("2", "垃圾袋")]
    reading = read_chain(text)
    assert reading is not None
    assert [row_summary(r) for r in reading.rows] == [
        ("晓彤", "ok", [("清风抽纸", None, d(1), "提"), ("垃圾袋", None, d(2), None)]),
        ("阿珍", "ok", [("垃圾袋", None, d(3), None)]),
    ]


def test_a_priced_line_after_a_numbered_catalog_is_one_more_product() -> None:
    text = (
        "#接龙\n1. 赣南脐橙 10斤/箱 59元\n2. 金煌芒果 5斤/箱 45元\n散称：砂糖橘 5元/斤\n"
        "送货上门加2元\n\n1. 小甜甜 芒果1箱 砂糖橘3斤"
    )
    layout = split_chain(text)
    assert layout is not None
    assert [(e.code, e.name, e.unit) for e in layout.catalog] == [
        ("1", "赣南脐橙", "箱"),
        ("2", "金煌芒果", "箱"),
        (None, "砂糖橘", "斤"),
    ]
    reading = read_chain(text)
    assert reading is not None
    assert [row_summary(r) for r in reading.rows] == [
        ("小甜甜", "ok", [("金煌芒果", None, d(1), "箱"), ("砂糖橘", None, d(3), "斤")]),
    ]


def test_goods_priced_side_by_side_with_only_spaces_between() -> None:
    layout = split_chain("#接龙 早餐\n肉包 2元/个  菜包 1.5元/个\n豆浆 3元/杯 茶叶蛋 2元/个\n\n1. 小周 菜包2")
    assert layout is not None
    assert [(e.name, e.unit) for e in layout.catalog] == [
        ("肉包", "个"),
        ("菜包", "个"),
        ("豆浆", "杯"),
        ("茶叶蛋", "个"),
    ]


def test_goods_priced_by_the_bag_with_how_many_come_in_it() -> None:
    text = "#接龙 老面馒头\n白馒头 10个一袋 12元\n红糖馒头 10个/袋 15元\n\n1. 秦 白馒头1 红糖馒头一袋半"
    layout = split_chain(text)
    assert layout is not None
    assert [(e.name, e.unit, e.price_fen) for e in layout.catalog] == [
        ("白馒头", "袋", 1200),
        ("红糖馒头", "袋", 1500),
    ]
    reading = read_chain(text)
    assert reading is not None
    assert row_summary(reading.rows[0]) == (
        "秦",
        "ok",
        [("白馒头", None, d(1), "袋"), ("红糖馒头", None, d("1.5"), "袋")],
    )


def test_a_priced_meal_title_and_a_priced_add_on_make_no_catalog() -> None:
    layout = split_chain("#接龙\n明天午餐团餐 15元/份\n加卤蛋 2元/个\n\n1. 大刘 2份")
    assert layout is not None and layout.catalog == ()


@pytest.mark.parametrize(
    "description",
    [
        "苹果 5元/斤",  # one priced line: the day's one product
        "苹果 5元/斤\n原价 8元/斤",  # a price word is no goods
        "苹果 5元/斤\n满50元免运费",
    ],
)
def test_price_lines_that_are_not_a_price_list_make_no_catalog(description: str) -> None:
    layout = split_chain(f"#接龙 水果\n{description}\n\n1. 张三 2斤")
    assert layout is not None and layout.catalog == ()


def test_a_catalog_only_post_has_no_member_lines() -> None:
    layout = split_chain("#开团\n1) 水饺（50个装）120元\n(2) 鱼头火锅\n一包98元\n(3) 春卷 一组2条60元")
    assert layout is not None
    assert [e.name for e in layout.catalog] == ["水饺（50个装）", "鱼头火锅", "春卷"]
    assert layout.lines == ()


def test_a_repost_inside_one_text_is_not_a_catalog() -> None:
    layout = split_chain("#接龙\n1. 张三 2份\n2. 李四 1份\n1. 张三 2份\n2. 李四 1份\n3. 王五 3份")
    assert layout is not None and layout.catalog == ()
    assert [line.text for line in layout.lines] == ["张三 2份", "李四 1份", "王五 3份"]


@pytest.mark.parametrize("text", ["收到", "1. 张三 2份", "明天下午三点到货，大家记得来取", ""])
def test_not_a_chain(text: str) -> None:
    assert split_chain(text) is None and read_chain(text) is None


def test_the_sellers_demonstration_row_is_an_example() -> None:
    reading = read_chain(FRUIT_POST)
    assert reading is not None
    assert [row_summary(row) for row in reading.rows] == [
        (
            "团长",
            "example",
            [("红富士苹果", None, d(1), "斤"), ("青苹果", None, d(1), "斤"), ("香蕉", None, d(1), "把")],
        ),
        ("张三", "ok", [("红富士苹果", None, d(3), "斤")]),
        ("李四", "ok", [("香蕉", None, d(2), "把")]),
    ]


def test_only_the_first_row_in_catalog_order_is_a_demonstration() -> None:
    reading = read_chain(FRUIT_POST.replace("1. 团长 1+2+3", "1. 团长 1+3"))
    assert reading is not None and reading.rows[0].status == "ok"
    later = read_chain_row(ChainLine(seq=2, text="张三 1+2"), FRUIT)
    assert later.status == "ok"


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        # The products written out with their counts: the member's order, even in catalog order.
        (
            "1. 张三 红富士苹果1斤 青苹果1斤",
            [("红富士苹果", None, d(1), "斤"), ("青苹果", None, d(1), "斤")],
        ),
        (
            "1. 张三 红富士1斤 青苹果1斤 香蕉1把",
            [("红富士苹果", None, d(1), "斤"), ("青苹果", None, d(1), "斤"), ("香蕉", None, d(1), "把")],
        ),
    ],
)
def test_products_written_out_are_no_demonstration(first: str, expected: list[object]) -> None:
    reading = read_chain(FRUIT_POST.replace("1. 团长 1+2+3", first))
    assert reading is not None
    assert row_summary(reading.rows[0]) == ("张三", "ok", expected)


def test_an_example_line_is_an_example() -> None:
    reading = read_chain("#接龙\n例：王姐 3栋 2份\n1. 张三 1份")
    assert reading is not None
    assert [row.status for row in reading.rows] == ["example", "ok"]


def test_a_catalog_passed_in_wins_over_the_printed_one() -> None:
    reading = read_chain(FRUIT_POST, FRUIT)
    assert reading is not None
    assert reading.catalog == FRUIT
    assert reading.rows[2].items[0].product == "香蕉" and reading.rows[2].items[0].unit == "把"


def test_read_chain_is_split_chain_plus_read_chain_row() -> None:
    layout = split_chain(FRUIT_POST)
    reading = read_chain(FRUIT_POST)
    assert layout is not None and reading is not None
    rows = [
        read_chain_row(line, layout.catalog, first_row=i == 0, offer=layout.offer)
        for i, line in enumerate(layout.lines)
    ]
    assert tuple(rows) == reading.rows


def test_raw_keeps_the_printed_line() -> None:
    reading = read_chain("#接龙\n1. 张三 2份\n2、李四\n🍎苹果 2斤")
    assert reading is not None
    assert [row.raw for row in reading.rows] == ["1. 张三 2份", "2、李四\n🍎苹果 2斤"]


LUNCH_MENU = """#接龙 周五轻食
A：特色便当（双拼/金枪鱼/鸡胸）
B：意面（奶油培根/番茄肉酱）
C：沙拉（三文鱼🥑/鸡胸球）

1. 小周
2. 小吴 B 番茄肉酱
3. 小郑 麦辣鸡腿堡 + 薯条
4. 小王 C 鸡胸
5. 小陈 凤梨板烧四件套
"""


def test_a_meal_menu_makes_members_choose() -> None:
    reading = read_chain(LUNCH_MENU)
    assert reading is not None
    assert [
        (r.name, r.status, r.reason, [(i.product, i.variant) for i in r.items]) for r in reading.rows
    ] == [
        ("小周", "chatter", None, []),  # a name alone picks nothing from a menu of choices
        ("小吴", "ok", None, [("意面", "番茄肉酱")]),
        ("小郑", "review", "unknown_product", []),  # an order, but not of anything on the menu
        ("小王", "ok", None, [("沙拉", "鸡胸球")]),  # 鸡胸 can only be 鸡胸球
        ("小陈", "review", "unknown_product", []),
    ]


def test_a_catalog_numbered_out_of_order() -> None:
    reading = read_chain(
        "#接龙\n9. 小泡芙（乌龙茶/香草）20.9/盒\n4. 布蕾切块 24.9\n12. 榛子泡芙 12.9\n2. 菠萝切块 24.9\n"
        "1. 示例 1\n2. 小丽 9香草+4\n3. 小强 2"
    )
    assert reading is not None
    assert [e.code for e in reading.catalog] == ["9", "4", "12", "2"]
    assert [(r.name, [(i.product, i.variant) for i in r.items]) for r in reading.rows[1:]] == [
        ("小丽", [("小泡芙", "香草"), ("布蕾切块", None)]),
        ("小强", [("菠萝切块", None)]),
    ]


def test_a_whole_list_on_the_header_line() -> None:
    layout = split_chain("#接龙 3. 周年庆 1. 门店+型号 2. 南京东路 周芳 3. 中山路 吴磊")
    assert layout is not None
    assert layout.title == "3. 周年庆"
    assert [(line.seq, line.text) for line in layout.lines] == [
        (1, "门店+型号"),
        (2, "南京东路 周芳"),
        (3, "中山路 吴磊"),
    ]


DUMPLINGS = """#接龙 周六手工水饺 20个一袋 25元
口味：猪肉白菜 / 韭菜鸡蛋 / 三鲜
例：3栋502 猪肉白菜1袋

1. 5栋301 猪肉白菜2袋 三鲜1袋
2. 猪肉1袋
3. 老周 韭菜鸡蛋水饺一袋
4. 12-1-301 三鲜2 韭菜1
"""


def test_one_product_in_flavours_listed_under_the_title() -> None:
    """Members write only the flavour, shortened or with the goods after it; each is that flavour
    of the title's product, and a flavour first on a line is the goods, not a name."""
    reading = read_chain(DUMPLINGS)
    assert reading is not None
    assert [(e.name, e.unit) for e in reading.catalog] == [
        ("手工水饺（猪肉白菜）", "袋"),
        ("手工水饺（韭菜鸡蛋）", "袋"),
        ("手工水饺（三鲜）", "袋"),
    ]
    assert [row_summary(r) for r in reading.rows[1:]] == [
        (None, "ok", [("手工水饺（猪肉白菜）", None, d(2), "袋"), ("手工水饺（三鲜）", None, d(1), "袋")]),
        (None, "ok", [("手工水饺（猪肉白菜）", None, d(1), "袋")]),
        ("老周", "ok", [("手工水饺（韭菜鸡蛋）", None, d(1), "袋")]),
        (None, "ok", [("手工水饺（三鲜）", None, d(2), "袋"), ("手工水饺（韭菜鸡蛋）", None, d(1), "袋")]),
    ]


def test_flavours_priced_one_by_one() -> None:
    reading = read_chain(
        "#接龙 端午粽子 5个/袋\n口味：蛋黄肉25 鲜肉20 豆沙15（元/袋）\n\n1. 小周 蛋黄肉粽2袋 豆沙1袋"
    )
    assert reading is not None
    assert [(e.name, e.price_fen) for e in reading.catalog] == [
        ("端午粽子（蛋黄肉）", 2500),
        ("端午粽子（鲜肉）", 2000),
        ("端午粽子（豆沙）", 1500),
    ]
    assert row_summary(reading.rows[0]) == (
        "小周",
        "ok",
        [("端午粽子（蛋黄肉）", None, d(2), "袋"), ("端午粽子（豆沙）", None, d(1), "袋")],
    )


def test_how_flavours_may_be_chosen_is_no_flavour_and_the_title_prices_them() -> None:
    reading = read_chain(
        "#接龙 明早手工包子 10个一袋 18元\n口味：鲜肉 / 豆沙 可混搭，每袋只能一种口味\n\n1. 小周 鲜肉2袋"
    )
    assert reading is not None
    assert [(e.name, e.price_fen) for e in reading.catalog] == [
        ("手工包子（鲜肉）", 1800),
        ("手工包子（豆沙）", 1800),
    ]


@pytest.mark.parametrize(
    "description",
    [
        "口味：鲜肉",  # one flavour is no choice
        "口味：看图",  # not flavours
        "时间：周六上午",  # another detail of the post
    ],
)
def test_a_description_that_lists_no_flavours_makes_no_catalog(description: str) -> None:
    reading = read_chain(f"#接龙 周六手工包子 10个一袋\n{description}\n\n1. 小周 2袋")
    assert reading is not None
    assert reading.catalog == ()
    assert row_summary(reading.rows[0]) == ("小周", "ok", [("(本团商品)", None, d(2), "袋")])


def test_priced_extras_under_a_lettered_meal_menu_are_ordered_by_their_short_names() -> None:
    reading = read_chain(
        "#接龙 今天中午 盒饭\nA 回锅肉饭 18元/份\nB 宫保鸡丁饭 18元/份\n加煎蛋2元/个 红糖冰粉5元/碗\n\n"
        "1. 王姐 B 微辣 冰粉1\n2. 熊猫 A 加蛋 饭多点\n3. 小刘 再加一个冰粉"
    )
    assert reading is not None
    assert [(e.code, e.name, e.unit) for e in reading.catalog] == [
        ("A", "回锅肉饭", "份"),
        ("B", "宫保鸡丁饭", "份"),
        (None, "煎蛋", "个"),
        (None, "红糖冰粉", "碗"),
    ]
    assert [row_summary(r) for r in reading.rows] == [
        ("王姐", "ok", [("宫保鸡丁饭", None, d(1), "份"), ("红糖冰粉", None, d(1), "碗")]),
        ("熊猫", "ok", [("回锅肉饭", None, d(1), "份"), ("煎蛋", None, d(1), "个")]),
        ("小刘", "ok", [("红糖冰粉", None, d(1), "碗")]),
    ]


def test_a_meal_sold_alone_keeps_its_extras_out_of_the_catalog() -> None:
    layout = split_chain("#接龙 周三午饭 猪脚饭 22元/份\n加购：米饭2元/份 卤蛋3元/个\n\n1. 小王 1份")
    assert layout is not None and layout.catalog == ()
