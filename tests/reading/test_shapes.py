"""Shapes of real member lines that once read wrong, one table per shape."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.reading import (
    CancelOrder,
    CatalogEntry,
    ChainLine,
    ChangeOrder,
    Chatter,
    Offer,
    PlaceOrder,
    PlusOne,
    Unclear,
    read_chain_row,
    read_chat_message,
    split_chain,
    tally_text,
)
from handlers.reading.catalog import letter_menu_line

from .helpers import FRUIT, d

Item = tuple[str, Decimal, str | None]
BUY = Offer(kind="buy")
PUMPKIN = Offer(product="半个南瓜", unit="份", kind="buy")
MEAL = Offer(product="套餐", unit="份", kind="meal")


def read(line: str, catalog: tuple[CatalogEntry, ...] = (), offer: Offer | None = None) -> tuple:  # type: ignore[type-arg]
    row = read_chain_row(ChainLine(seq=1, text=line), catalog, offer=offer)
    return row.name, row.status, [(i.product, i.qty, i.unit) for i in row.items], row.note


def one(product: str, qty: str | int, unit: str | None = None) -> Item:
    return (product, d(qty), unit)


# A list that sells one product has no other to name: words set apart after the count that name
# no goods are a remark, and the count is of the day's product.
REMARKS_IN_A_ONE_PRODUCT_LIST = [
    ("王 2份 老地方", [one("半个南瓜", 2, "份")], "老地方"),
    ("张 1份 同事代拿", [one("半个南瓜", 1, "份")], "同事代拿"),
    ("周 2份 老规矩", [one("半个南瓜", 2, "份")], "老规矩"),
]


@pytest.mark.parametrize(("line", "expected", "note"), REMARKS_IN_A_ONE_PRODUCT_LIST)
def test_remarks_in_a_one_product_list(line: str, expected: list[Item], note: str) -> None:
    assert read(line, offer=PUMPKIN)[1:] == ("ok", expected, note)


# Building, unit and room, written every way members write them: the address is the note, and the
# quantity after it is never swallowed into it.
ADDRESSES = [
    ("5栋502 2箱", None, [one("(本团商品)", 2, "箱")], "5栋502"),
    ("5栋 502 2份", None, [one("(本团商品)", 2, "份")], "5栋 502"),
    ("11栋2单元 401 1", None, [one("(本团商品)", 1, "份")], "11栋2单元 401"),
    ("19栋 1单元 2202 3份", None, [one("(本团商品)", 3, "份")], "19栋 1单元 2202"),
    ("小鱼 2号楼 1箱", "小鱼", [one("(本团商品)", 1, "箱")], "2号楼"),
    ("8-1-602 张 两箱", "张", [one("(本团商品)", 2, "箱")], "8-1-602"),
    ("王浩 B栋3楼 2份", "王浩", [one("(本团商品)", 2, "份")], "B栋3楼"),
    ("B栋3楼2份", None, [one("(本团商品)", 2, "份")], "B栋3楼"),
    ("B座1108 1箱", None, [one("(本团商品)", 1, "箱")], "B座1108"),
    ("李娜 A栋 1份", "李娜", [one("(本团商品)", 1, "份")], "A栋"),
    ("3号楼402 两箱", None, [one("(本团商品)", 2, "箱")], "3号楼402"),
    ("Zoe 5-6号楼 1", "Zoe", [one("(本团商品)", 1, "份")], "5-6号楼"),
    ("李 3-2栋502 1份", "李", [one("(本团商品)", 1, "份")], "3-2栋502"),
]


@pytest.mark.parametrize(("line", "name", "expected", "note"), ADDRESSES)
def test_addresses_keep_their_quantity(line: str, name: str | None, expected: list[Item], note: str) -> None:
    assert read(line, offer=BUY) == (name, "ok", expected, note)


# Lists where members write an address instead of a name: the words before the quantity are the
# product when they name goods, a name when they name a person, and a question when they could be
# either. A list of one offer (the title's product) has no product to write: the words are a name.
NAME_OR_GOODS = [
    ("6-2-302 娃娃菜2颗 玉米4根", (), BUY, None, "ok", [one("娃娃菜", 2, "颗"), one("玉米", 4, "根")]),
    ("3-1-101 黄瓜 3斤", (), BUY, None, "ok", [one("黄瓜", 3, "斤")]),
    ("苹果2斤", (), BUY, None, "ok", [one("苹果", 2, "斤")]),
    ("15-1-601 香蕉一把 土鸡蛋1板", FRUIT, BUY, None, "ok", [one("香蕉", 1, "把"), one("土鸡蛋", 1, "板")]),
    ("刘小西1斤", (), BUY, "刘小西", "ok", [one("(本团商品)", 1, "斤")]),
    ("刘奶奶 1箱", (), BUY, "刘奶奶", "ok", [one("(本团商品)", 1, "箱")]),
    ("3-1-101 刘奶奶1箱", (), BUY, "刘奶奶", "ok", [one("(本团商品)", 1, "箱")]),
    ("8-1-602 张 两箱", (), BUY, "张", "ok", [one("(本团商品)", 2, "箱")]),
    ("7栋2单元1101 王阿姨 一箱", (), BUY, "王阿姨", "ok", [one("(本团商品)", 1, "箱")]),
    ("3-1-101 花花 2份", (), PUMPKIN, "花花", "ok", [one("半个南瓜", 2, "份")]),
    ("桃子 8份", (), MEAL, "桃子", "ok", [one("套餐", 8, "份")]),
    ("1栋1102 山药 2斤", (), BUY, "山药", "review", [one("(本团商品)", 2, "斤")]),
    ("19栋 1单元 2202 稻花香1袋", (), BUY, "稻花香", "review", [one("(本团商品)", 1, "袋")]),
]


@pytest.mark.parametrize(("line", "catalog", "offer", "name", "status", "expected"), NAME_OR_GOODS)
def test_words_before_a_quantity_after_an_address(
    line: str,
    catalog: tuple[CatalogEntry, ...],
    offer: Offer,
    name: str | None,
    status: str,
    expected: list[Item],
) -> None:
    assert read(line, catalog, offer)[:3] == (name, status, expected)


# Chat messages: answers and thanks are not names, a cancel may give its reason, 再加 is one more,
# a swap drops the first product, and an order asked together with a question goes to the leader.
CHAT = [
    ("好的，我要3斤", PlaceOrder(items=(), name=None), [one("(本团商品)", 3, "斤")]),
    ("嗯 来2份", PlaceOrder(items=(), name=None), [one("(本团商品)", 2, "份")]),
    ("好的 2份", PlaceOrder(items=(), name=None), [one("(本团商品)", 2, "份")]),
    ("那我要两箱芒果", PlaceOrder(items=(), name=None), [one("芒果", 2, "箱")]),
    ("2袋，谢谢", PlaceOrder(items=(), name=None), [one("(本团商品)", 2, "袋")]),
    ("我再加一盒", PlaceOrder(items=(), name=None), [one("(本团商品)", 1, "盒")]),
    ("再加一个", PlaceOrder(items=(), name=None), [one("(本团商品)", 1, "个")]),
    ("我也加一", PlusOne(qty=d(1), name=None), []),
    ("不要了，家里还有", CancelOrder(), []),
    ("李四不要了 谢谢团长", CancelOrder(name="李四"), []),
    ("不要了，下次再买", CancelOrder(), []),
    ("苹果换成梨2斤", ChangeOrder(items=()), [one("苹果", 0), one("梨", 2, "斤")]),
    ("苹果不要了，换成梨2斤", ChangeOrder(items=()), [one("苹果", 0), one("梨", 2, "斤")]),
    ("苹果改成3斤", ChangeOrder(items=()), [one("苹果", 3, "斤")]),
    ("不要了，2斤就行", Unclear(reason="ambiguous_product"), []),
    ("芒果一箱，榴莲什么时候有？", Unclear(reason="ambiguous_quantity"), [one("芒果", 1, "箱")]),
    ("苹果还有吗", Chatter(), []),
    ("2斤?", Chatter(), []),
    ("明天团购青团 6个一盒 25元，要的直接报数量", Chatter(), []),
]


@pytest.mark.parametrize(("message", "intent", "expected"), CHAT)
def test_chat_messages(message: str, intent: object, expected: list[Item]) -> None:
    found = read_chat_message(message)
    assert type(found) is type(intent)
    for field in ("name", "reason", "qty"):
        assert getattr(found, field, None) == getattr(intent, field, None)
    assert [(i.product, i.qty, i.unit) for i in getattr(found, "items", ())] == expected


# Chat logs: an exported log names the sender on the stamp line; +1 then `改成2箱` counts boxes.
EXPORTED_LOG = """2024-06-12 18:20:11 团长小美
今晚团：青团 6个一盒 25元 要的报名字+数量
2024-06-12 18:21:03 陈晨
陈晨 2盒
2024-06-12 18:21:40 Alice
1盒
2024-06-12 18:30:02 陈晨
我再加一盒
2024-06-12 18:35:44 Wendy
有豆沙的吗？
"""
PLUS_THEN_BOXES = "09:01 小红: +1\n09:06 小红: 我的改成2箱\n09:07 阿杰: 苹果2斤\n09:08 阿杰: 苹果换成梨3斤"


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        (
            EXPORTED_LOG,
            [
                ("团长小美", "chatter", []),
                ("陈晨", "ok", [one("(本团商品)", 2, "盒")]),
                ("Alice", "ok", [one("(本团商品)", 1, "盒")]),
                ("陈晨", "ok", [one("(本团商品)", 1, "盒")]),
                ("Wendy", "chatter", []),
            ],
        ),
        (
            PLUS_THEN_BOXES,
            [
                ("小红", "ok", [one("(本团商品)", 2, "箱")]),
                ("阿杰", "ok", [one("苹果", 0, "斤"), one("梨", 3, "斤")]),
            ],
        ),
    ],
)
def test_chat_logs(log: str, expected: list[tuple[str, str, list[Item]]]) -> None:
    rows = tally_text(log).rows
    assert [(r.name, r.status, [(i.product, i.qty, i.unit) for i in r.items]) for r in rows] == expected


# 各 gives its count to every product before it: a bare number after 各 is that count, never a
# product code, and products may be set apart by spaces (but the name is not one of them).
EACH = [
    ("小陈 3 4 各2", FRUIT, "小陈", [one("香蕉", 2, "把"), one("土鸡蛋", 2, "板")]),
    (
        "小陈 1 2 3各1",
        FRUIT,
        "小陈",
        [one("红富士苹果", 1, "斤"), one("青苹果", 1, "斤"), one("香蕉", 1, "把")],
    ),
    ("小陈 3 4 各两", FRUIT, "小陈", [one("香蕉", 2, "把"), one("土鸡蛋", 2, "板")]),
    ("小陈 1x2 3各一", FRUIT, "小陈", [one("红富士苹果", 2, "斤"), one("香蕉", 1, "把")]),
    ("孙 羊肉卷 牛肉卷 各2盒", (), "孙", [one("羊肉卷", 2, "盒"), one("牛肉卷", 2, "盒")]),
    ("苹果 香蕉各一斤", (), None, [one("苹果", 1, "斤"), one("香蕉", 1, "斤")]),
    ("钱七，苹果、香蕉各2斤", (), "钱七", [one("苹果", 2, "斤"), one("香蕉", 2, "斤")]),
    ("赵六 红和黄 各一斤", (), "赵六", [one("红", 1, "斤"), one("黄", 1, "斤")]),
]


@pytest.mark.parametrize(("line", "catalog", "name", "expected"), EACH)
def test_each(line: str, catalog: tuple[CatalogEntry, ...], name: str | None, expected: list[Item]) -> None:
    assert read(line, catalog, BUY)[:3] == (name, "ok", expected)


# A wish about the goods after their quantity is a note, not a product.
PREFERENCES = [
    ("陈妈妈 3箱 要挑熟一点的", "陈妈妈", [one("(本团商品)", 3, "箱")], "要挑熟一点的"),
    ("张 2斤 大一些", "张", [one("(本团商品)", 2, "斤")], "大一些"),
    ("王 2斤 苹果", "王", [one("苹果", 2, "斤")], None),
]


@pytest.mark.parametrize(("line", "name", "expected", "note"), PREFERENCES)
def test_preferences_after_a_quantity(line: str, name: str, expected: list[Item], note: str | None) -> None:
    assert read(line, offer=BUY) == (name, "ok", expected, note)


# A sign-up or check-in sells nothing: headcounts are counted, anything else that reads like goods
# is asked about, and a vaccination or testing list is a sign-up too.
@pytest.mark.parametrize(
    ("title", "line", "status"),
    [
        ("3月跑步打卡第12天", "Momo 3公里 配速6'30", "review"),
        ("3月跑步打卡第12天", "阿杰 5.2km", "chatter"),
        ("健康打卡", "Mvtm 张璐 4人", "ok"),
        ("明天上午9点 集中接种疫苗，需要的业主接龙", "3-2-601 赵 +1", "chatter"),
        ("周六核酸检测登记", "5-1-101 王大爷 1", "chatter"),
        # Volunteering, outings and exercise are sign-ups too.
        ("本周日小区大扫除志愿者", "张叔 1", "chatter"),
        ("本周日小区大扫除志愿者", "李老师 带2个学生", "review"),
        ("周六徒步 7点南门集合", "Mia 1", "chatter"),
        # The title says what the list is; a meal it mentions below is no meal relay.
        ("11月健步走打卡 第15天\n每天晚饭后走起来 写上今天步数", "老刘 10235步", "chatter"),
        ("周六上午社区免费体检（65岁以上老人）", "8-3-602 陈阿婆 1", "chatter"),
    ],
)
def test_sign_up_lists_order_nothing(title: str, line: str, status: str) -> None:
    tally = tally_text(f"#接龙\n{title}\n\n1. {line}")
    assert [r.status for r in tally.rows] == [status]


# A menu of letters may be printed without a colon (`A 红烧肉饭 18`); `A2` under it is two of A, and
# a count written after each choice (`A一份 B一份`) belongs to that choice.
LETTER_MENU_POST = "#接龙 周五午餐\nA 卤肉饭 16\nB 鸡腿饭 18\nC 素什锦 12\n\n"


@pytest.mark.parametrize(
    ("line", "status", "expected"),
    [
        ("小周 A", "ok", [one("卤肉饭", 1, "份")]),
        ("老陈 b 2份", "ok", [one("鸡腿饭", 2, "份")]),
        ("阿美 A2 B1", "ok", [one("卤肉饭", 2, "份"), one("鸡腿饭", 1, "份")]),
        ("小林 A一份 C一份", "ok", [one("卤肉饭", 1, "份"), one("素什锦", 1, "份")]),
        ("张三 A2 C", "review", [one("卤肉饭", 2, "份"), one("素什锦", 1, "份")]),
    ],
)
def test_letter_menu_without_colons(line: str, status: str, expected: list[Item]) -> None:
    [row] = tally_text(f"{LETTER_MENU_POST}1. {line}").rows
    assert (row.status, [(i.product, i.qty, i.unit) for i in row.items]) == (status, expected)


@pytest.mark.parametrize(
    ("line", "menu"),
    [
        ("A 红烧肉套餐 18", ("A", "红烧肉套餐 18")),
        ("B. 宫保鸡丁", ("B", "宫保鸡丁")),
        ("C、素菜", ("C", "素菜")),
        ("D：鸡腿", ("D", "鸡腿")),
        ("A 区的邻居请到北门取", None),
        ("B栋今天停水", None),
        ("a 小写不算菜单", None),
    ],
)
def test_letter_menu_lines(line: str, menu: tuple[str, str] | None) -> None:
    assert letter_menu_line(line) == menu


# Orders copied from a group-buy app: each line prices its count (`×2 ¥119.8`), so the list is the
# members' orders, not a catalog; the product is written with its size after the member's name.
APP_LIST = """【团购】阳山水蜜桃
1. 小桃 水蜜桃5斤装 ×1 ¥59.9
2. 陈** 水蜜桃5斤装 ×2 ¥119.8
3. 老杨 水蜜桃10斤装 ×1 ¥109"""
PRICE_LIST = "1. 水蜜桃5斤装 ¥59.9\n2. 水蜜桃10斤装 ¥109\n3. 黄桃 ¥39.9"


def test_an_app_order_list_is_no_catalog() -> None:
    tally = tally_text(APP_LIST)
    assert tally.catalog == ()
    assert [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows] == [
        ("小桃", "ok", [("水蜜桃5斤装", d(1))]),
        ("陈**", "ok", [("水蜜桃5斤装", d(2))]),
        ("老杨", "ok", [("水蜜桃10斤装", d(1))]),
    ]
    prices = split_chain(PRICE_LIST)
    assert prices is not None and [e.name for e in prices.catalog] == ["水蜜桃5斤装", "水蜜桃10斤装", "黄桃"]


# A quantity never reaches past a comma to the words after it; so much a jin (`2.5一斤`) is a price;
# a room number is never a count of 张 (the surname after it).
@pytest.mark.parametrize(
    ("message", "expected", "note"),
    [
        ("帮我留3份，下午取", [one("(本团商品)", 3, "份")], "下午取"),
        ("我要3盒，謝謝", [one("(本团商品)", 3, "盒")], "謝謝"),
        ("五斤西瓜，十斤苹果", [one("西瓜", 5, "斤"), one("苹果", 10, "斤")], None),
        ("有的，土豆2.5一斤，青椒4块一斤", [], None),
        ("土豆2斤 3元一斤 我要", [one("土豆", 2, "斤")], "3元一斤"),
    ],
)
def test_commas_and_prices_in_messages(message: str, expected: list[Item], note: str | None) -> None:
    found = read_chat_message(message)
    assert [(i.product, i.qty, i.unit) for i in getattr(found, "items", ())] == expected
    assert getattr(found, "note", None) == note


@pytest.mark.parametrize(
    ("line", "name", "expected", "note"),
    [
        ("3栋502 张三 2袋", "张三", [one("(本团商品)", 2, "袋")], "3栋502"),
        ("11栋2单元 401 张 1箱", "张", [one("(本团商品)", 1, "箱")], "11栋2单元 401"),
        ("李四 3张", "李四", [one("(本团商品)", 3, "张")], None),
    ],
)
def test_a_surname_after_a_room(line: str, name: str, expected: list[Item], note: str) -> None:
    assert read(line, offer=BUY) == (name, "ok", expected, note)


def test_a_numbered_example_row() -> None:
    rows = tally_text("#接龙\n明天团购：东北大米 ¥88\n1. 示例：3栋502 张三 2袋\n2. 5栋1203 刘 1袋").rows
    assert [(r.seq, r.status) for r in rows] == [(1, "example"), (2, "ok")]


# Written like the products after it, a first word glued to its quantity is a product too; a size
# glued to a product before a count is part of the product (two packs of five jin); 二两 weighs 100 g.
@pytest.mark.parametrize(
    ("line", "catalog", "name", "expected"),
    [
        ("12-2-601 花甲两斤 蛏子一斤", (), None, [one("花甲", 2, "斤"), one("蛏子", 1, "斤")]),
        ("张** 贵妃芒5斤 ×2", (), "张**", [one("贵妃芒5斤", 2)]),
        ("刘 贵妃芒5斤 ×1 贵妃芒10斤 ×1", (), "刘", [one("贵妃芒5斤", 1), one("贵妃芒10斤", 1)]),
        ("鸡蛋1板x2", (), None, [one("鸡蛋", 2, "板")]),
        ("张 红富士苹果2斤x2", FRUIT, "张", [one("红富士苹果", 4, "斤")]),
        ("华姐 红富士二两", FRUIT, "华姐", [one("红富士苹果", "0.2", "斤")]),
        ("华姐 牛肉二两", (), "华姐", [one("牛肉", 2, "两")]),
    ],
)
def test_sizes_and_weights(
    line: str, catalog: tuple[CatalogEntry, ...], name: str | None, expected: list[Item]
) -> None:
    assert read(line, catalog, BUY)[:3] == (name, "ok", expected)


# Under a meal menu members choose from, words naming a menu item are that item, not a remark.
BREAKFAST = "#接龙 明早早餐\n1. 鲜肉包 2元/个\n2. 菜包 1.5元/个\n3. 豆浆 3元/杯\n\n"


def test_a_menu_choice_by_part_of_its_name() -> None:
    [row] = tally_text(f"{BREAKFAST}1. 王阿姨 肉包2个 菜包2个").rows
    assert (row.status, [(i.product, i.qty) for i in row.items]) == ("ok", [("鲜肉包", d(2)), ("菜包", d(2))])


# How a drink is made (大杯, 少冰, 半糖) is about the item before it: a count after the options is the
# item's, 半糖 is no half, and an item written with options but no count is asked about.
@pytest.mark.parametrize(
    ("line", "offer", "status", "expected", "note"),
    [
        ("阿杰 珍珠奶茶 中杯 全糖 x2", BUY, "ok", [one("珍珠奶茶", 2)], "中杯 全糖"),
        ("小蔡 杨枝甘露 少冰半糖 2杯", BUY, "ok", [one("杨枝甘露", 2, "杯")], "少冰半糖"),
        ("小美 杨枝甘露 大杯 少冰 半糖", BUY, "review", [one("杨枝甘露", 1)], "杨枝甘露 大杯 少冰 半糖"),
        ("李四 微辣 2份", MEAL, "ok", [one("套餐", 2, "份")], "微辣"),
        ("李四 宫保鸡丁 微辣", MEAL, "ok", [one("套餐", 1, "份")], "宫保鸡丁 微辣"),
    ],
)
def test_options_of_an_item(line: str, offer: Offer, status: str, expected: list[Item], note: str) -> None:
    assert read(line, offer=offer)[1:] == (status, expected, note)


# Orders for the sender's household are the sender's; for other people named together, the leader
# decides; an apology or a wish is no name; a second person on one line is asked about; the
# leader's prices are no order; payment status is a note.
@pytest.mark.parametrize(
    ("message", "intent", "expected"),
    [
        ("帮我妈订2份", PlaceOrder(items=(), name=None), [one("(本团商品)", 2, "份")]),
        ("我和我老婆各一份", PlaceOrder(items=(), name=None), [one("(本团商品)", 2, "份")]),
        ("张三和李四各2斤", Unclear(reason="ambiguous_product"), [one("(本团商品)", 4, "斤")]),
        ("苹果和香蕉各2斤", PlaceOrder(items=(), name=None), [one("苹果", 2, "斤"), one("香蕉", 2, "斤")]),
        ("不好意思，再加1份", PlaceOrder(items=(), name=None), [one("(本团商品)", 1, "份")]),
        ("要一个小点的", PlaceOrder(items=(), name=None), [one("(本团商品)", 1, "个")]),
        (
            "张三 2份 李四 1份",
            Unclear(reason="ambiguous_product", name="张三"),
            [one("李四", 2, "份"), one("(本团商品)", 1, "份")],
        ),
        ("有的，土豆2.5一斤，青椒4块一斤", Chatter(), []),
        (
            "金枕 45元/斤，整个卖，一个4-6斤",
            Unclear(reason="ambiguous_quantity"),
            [one("(本团商品)", 1, "个")],
        ),
        ("我要2盒，58元/盒", PlaceOrder(items=(), name=None), [one("(本团商品)", 2, "盒")]),
    ],
)
def test_who_a_message_orders_for(message: str, intent: object, expected: list[Item]) -> None:
    found = read_chat_message(message)
    assert type(found) is type(intent)
    assert getattr(found, "name", None) == getattr(intent, "name", None)
    assert getattr(found, "reason", None) == getattr(intent, "reason", None)
    assert [(i.product, i.qty, i.unit) for i in getattr(found, "items", ())] == expected


@pytest.mark.parametrize(
    ("line", "offer", "status", "expected"),
    [
        ("何阿姨 2盒 未付", BUY, "ok", [one("(本团商品)", 2, "盒")]),
        ("阿琴 冬瓜半个 南瓜1/2个", BUY, "ok", [one("冬瓜", "0.5", "个"), one("南瓜", "0.5", "个")]),
        ("10-2-301 橙子5斤", BUY, "ok", [one("橙子", 5, "斤")]),
        ("杨柳 苹果5斤✖️2", BUY, "ok", [one("苹果", 10, "斤")]),
        ("李姐 2份 一份加蛋", MEAL, "ok", [one("套餐", 2, "份"), one("蛋", 1)]),
        ("张三 2份 2份加蛋", MEAL, "ok", [one("套餐", 2, "份"), one("蛋", 2)]),
        ("张三 2份 3份加蛋", MEAL, "review", [one("套餐", 2, "份"), one("蛋", 1)]),
    ],
)
def test_more_line_shapes(line: str, offer: Offer, status: str, expected: list[Item]) -> None:
    assert read(line, offer=offer)[1:3] == (status, expected)


def test_mango_varieties_are_mangoes() -> None:
    mangoes = (CatalogEntry(name="海南贵妃芒", code="1"), CatalogEntry(name="丹东草莓", code="2"))
    assert read("老杜 芒果1份", mangoes)[1:3] == ("ok", [one("海南贵妃芒", 1, "份")])


@pytest.mark.parametrize(
    ("line", "name", "status", "expected", "note"),
    [
        ("老马 要个15斤", "老马", "ok", [one("(本团商品)", 15, "斤")], None),
        ("王五 2份 改为3份", "王五", "ok", [one("(本团商品)", 3, "份")], None),
        ("王五 苹果2斤 改成3斤", "王五", "ok", [one("苹果", 3, "斤")], None),
        ("赵六 1份（取消）", "赵六", "review", [one("(本团商品)", 1, "份")], "取消"),
        ("赵六 1份 不要了", "赵六", "review", [one("(本团商品)", 1, "份")], "不要了"),
        ("张三 1份 香菜不要了", "张三", "ok", [one("(本团商品)", 1, "份")], "香菜不要了"),
        ("姓名：张敏 份数：2 地址：3-502", "张敏", "ok", [one("(本团商品)", 2, "份")], "3-502"),
        (
            "刘 15-2单元-1201 13800001111 60个",
            "刘",
            "ok",
            [one("(本团商品)", 60, "个")],
            "15-2单元-1201 13800001111",
        ),
    ],
)
def test_edits_cancels_and_templates_in_a_line(
    line: str, name: str, status: str, expected: list[Item], note: str | None
) -> None:
    assert read(line, offer=BUY) == (name, status, expected, note)


def test_a_catalog_numbered_with_hao() -> None:
    post = """#接龙 下周团购
1号 云南小土豆 ¥6/斤
2号 山东大葱 ¥3/斤
3号 东北黑木耳 ¥25/包

1. 小李 1号×2 3号×1
2. 周周 2号 3斤"""
    tally = tally_text(post)
    assert [e.name for e in tally.catalog] == ["云南小土豆", "山东大葱", "东北黑木耳"]
    assert [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in tally.rows] == [
        ("小李", "ok", [("云南小土豆", d(2)), ("东北黑木耳", d(1))]),
        ("周周", "ok", [("山东大葱", d(3))]),
    ]


def test_chat_senders_alone_stock_and_changes_by_product() -> None:
    log = "团长：有的，还剩5箱\n张三：\n苹果2斤\n香蕉1把\n张三：苹果改成3斤"
    rows = tally_text(log).rows
    assert [(r.name, r.status, [(i.product, i.qty) for i in r.items]) for r in rows] == [
        ("团长", "chatter", []),
        ("张三", "ok", [("苹果", d(3))]),
        ("张三", "ok", [("香蕉", d(1))]),
    ]
