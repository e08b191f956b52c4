"""read_chat_message: one group message → what it asks for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.reading import (
    CancelOrder,
    CatalogEntry,
    ChangeOrder,
    Chatter,
    PlaceOrder,
    PlusOne,
    ReadItem,
    ShowMyOrder,
    Unclear,
    read_chat_message,
    says_same_as_above,
)

from .helpers import FRUIT, d, items

APPLES = (CatalogEntry(name="苹果", code="1", unit="斤"),)
EGGS = (CatalogEntry(name="土鸡蛋", code="1", unit="板"), CatalogEntry(name="香蕉", code="2", unit="把"))
TWO_APPLES = (
    CatalogEntry(name="红富士苹果", code="1", unit="斤", aliases=("富士",)),
    CatalogEntry(name="青苹果", code="2", unit="斤"),
)


@pytest.mark.parametrize(
    ("message", "catalog", "expected", "name", "note"),
    [
        ("苹果两斤", APPLES, [("苹果", None, d(2), "斤")], None, None),
        ("要3份", (), [("(本团商品)", None, d(3), "份")], None, None),
        ("要3份", APPLES, [("苹果", None, d(3), "斤")], None, None),
        ("3栋502 王阿姨 鸡蛋1板", EGGS, [("土鸡蛋", None, d(1), "板")], "王阿姨", "3栋502"),
        ("李雷要3份", (), [("(本团商品)", None, d(3), "份")], "李雷", None),
        ("苹果2斤 香蕉一把", (), [("苹果", None, d(2), "斤"), ("香蕉", None, d(1), "把")], None, None),
        ("红和黄 各一斤", (), [("红", None, d(1), "斤"), ("黄", None, d(1), "斤")], None, None),
        ("五斤西瓜", (), [("西瓜", None, d(5), "斤")], None, None),
        ("我要1公斤", APPLES, [("苹果", None, d(2), "斤")], None, None),
        ("@团长 香蕉x2", EGGS, [("香蕉", None, d(2), "把")], None, None),
        ("鸡蛋✖️2", EGGS, [("土鸡蛋", None, d(2), "板")], None, None),
        ("苹果+1", (), [("苹果", None, d(1), None)], None, None),
        ("帮我留一份西瓜", (), [("西瓜", None, d(1), "份")], None, None),
        ("麻烦给我来两斤苹果", (), [("苹果", None, d(2), "斤")], None, None),
        ("香蕉 1把", (), [("香蕉", None, d(1), "把")], None, None),
        ("帮王阿姨订一份", (), [("(本团商品)", None, d(1), "份")], "王阿姨", None),
        ("给李叔来2斤苹果", (), [("苹果", None, d(2), "斤")], "李叔", None),
        ("张三：2份", (), [("(本团商品)", None, d(2), "份")], "张三", None),
        # An alias and the rest of the name written together are still one name.
        ("富士苹果4斤", TWO_APPLES, [("红富士苹果", None, d(4), "斤")], None, None),
        # A line copied out of a numbered list: its number counts lines, it is not product 2.
        ("2. 香蕉1把", EGGS, [("香蕉", None, d(1), "把")], None, None),
        ("2、3各一份", FRUIT, [("青苹果", None, d(1), "斤"), ("香蕉", None, d(1), "把")], None, None),
        ("2. 香蕉1把", FRUIT, [("香蕉", None, d(1), "把")], None, None),
        # A count after a comma ends the line: one banana, not product 1 as well.
        ("香蕉,1", EGGS, [("香蕉", None, d(1), "把")], None, None),
        ("香蕉，2", EGGS, [("香蕉", None, d(2), "把")], None, None),
        # A clause about last time with no count in it is a remark, not more goods.
        (
            "香蕉2把，上次的鸡蛋有点碎了，这次小心点",
            FRUIT,
            [("香蕉", None, d(2), "把")],
            None,
            "这次小心点 上次的鸡蛋有点碎了",
        ),
        # More of the same goods for someone at home is one bigger item, the sender's.
        (
            "番茄3斤 给我女儿也带3斤",
            (*FRUIT, CatalogEntry(name="番茄", code="8", unit="斤")),
            [("番茄", None, d(6), "斤")],
            None,
            None,
        ),
        ("鸡蛋1板 老公也要1板", EGGS, [("土鸡蛋", None, d(2), "板")], None, None),
        # A word beside a product in doubt says which one it is.
        ("苹果2斤 青的", FRUIT, [("青苹果", None, d(2), "斤")], None, None),
        # Goods before the order verb are what is ordered, not who orders (李雷要3份 names 李雷).
        ("西瓜要一个", (), [("西瓜", None, d(1), "个")], None, None),
        ("西瓜我要一个", (), [("西瓜", None, d(1), "个")], None, None),
        ("鸡蛋给我留两板", (), [("鸡蛋", None, d(2), "板")], None, None),
        ("鸡蛋给我留两板", EGGS, [("土鸡蛋", None, d(2), "板")], None, None),
        ("王姐要2份", (), [("(本团商品)", None, d(2), "份")], "王姐", None),
        # Goods first, then (after a space or a comma) who orders them and the count.
        ("苹果 我要2斤", (), [("苹果", None, d(2), "斤")], None, None),
        ("西瓜 给我留一个", (), [("西瓜", None, d(1), "个")], None, None),
        ("鸡蛋，我要两板", (), [("鸡蛋", None, d(2), "板")], None, None),
        ("苹果，来2斤", (), [("苹果", None, d(2), "斤")], None, None),
        ("3栋502 鸡蛋 我要两板", (), [("鸡蛋", None, d(2), "板")], None, "3栋502"),
        ("李雷 我要2份", (), [("(本团商品)", None, d(2), "份")], "李雷", None),
        ("张三，来2份", (), [("(本团商品)", None, d(2), "份")], "张三", None),
        # Calling the leader before 我要 names no one: the order is the sender's.
        ("阿姨我要一板鸡蛋", (), [("鸡蛋", None, d(1), "板")], None, None),
        ("团长，我要两箱", (), [("(本团商品)", None, d(2), "箱")], None, None),
        ("老板给我来两斤苹果", (), [("苹果", None, d(2), "斤")], None, None),
        ("我也接龙一份", (), [("(本团商品)", None, d(1), "份")], None, None),
        ("收到了，再要两箱", (), [("(本团商品)", None, d(2), "箱")], None, None),
        ("帮我也接一个", (), [("(本团商品)", None, d(1), "个")], None, None),
        # A room or a phone number alone before the count is the note, never the person ordering.
        ("3-2-501 2箱", (), [("(本团商品)", None, d(2), "箱")], None, "3-2-501"),
        ("13812345678 两箱", (), [("(本团商品)", None, d(2), "箱")], None, "13812345678"),
        # The sender's own household (with 也) and the sender themself are who, never a product.
        ("给我爸也来两板鸡蛋", (), [("鸡蛋", None, d(2), "板")], None, "我爸也"),
        ("我自己两箱", (), [("(本团商品)", None, d(2), "箱")], None, None),
        ("我两箱", (), [("(本团商品)", None, d(2), "箱")], None, None),
        ("帮我闺女也订一箱，我自己两箱", (), [("(本团商品)", None, d(3), "箱")], None, "我闺女也"),
    ],
)
def test_orders(
    message: str,
    catalog: tuple[CatalogEntry, ...],
    expected: list[object],
    name: str | None,
    note: str | None,
) -> None:
    intent = read_chat_message(message, catalog)
    assert isinstance(intent, PlaceOrder), intent
    assert (items(intent.items), intent.name, intent.note) == (expected, name, note)


@pytest.mark.parametrize(
    ("message", "qty", "name"),
    [
        ("+1", 1, None),
        ("+2", 2, None),
        ("王五+1", 1, "王五"),
        ("加一", 1, None),
        ("孙七x2", 2, "孙七"),
        ("+1份", 1, None),
        # Joining the list with a count is a member's message, though it says 接龙.
        ("接龙 +1", 1, None),
        ("接龙+2", 2, None),
    ],
)
def test_plus_one(message: str, qty: int, name: str | None) -> None:
    assert read_chat_message(message, ()) == PlusOne(qty=Decimal(qty), name=name)


@pytest.mark.parametrize(
    ("message", "catalog", "expected", "name"),
    [
        ("张三改成3份", (), [("(本团商品)", None, d(3), "份")], "张三"),
        ("改成3斤", (), [("(本团商品)", None, d(3), "斤")], None),
        ("苹果改成3斤", APPLES, [("苹果", None, d(3), "斤")], None),
        ("香蕉改为2把", EGGS, [("香蕉", None, d(2), "把")], None),
        ("改成3斤", FRUIT, [("(本团商品)", None, d(3), "斤")], None),  # the product already ordered
    ],
)
def test_change(
    message: str, catalog: tuple[CatalogEntry, ...], expected: list[object], name: str | None
) -> None:
    intent = read_chat_message(message, catalog)
    assert isinstance(intent, ChangeOrder), intent
    assert (items(intent.items), intent.name) == (expected, name)


@pytest.mark.parametrize(
    ("message", "catalog", "products", "name"),
    [
        ("不要了", (), (), None),
        ("我不要了", (), (), None),
        ("李四不要了", (), (), "李四"),
        ("取消苹果", APPLES, ("苹果",), None),
        ("苹果不要了", APPLES, ("苹果",), None),
        ("苹果不要了", (), ("苹果",), None),
        ("取消订单", (), (), None),
        ("李四的香蕉不要了", EGGS, ("香蕉",), "李四"),
        ("张三，苹果不要了", (), ("苹果",), "张三"),
        # Where the order goes is neither a product nor a person: the sender's order is withdrawn.
        ("3栋502，不要了", (), (), None),
        ("3-2-501不要了", (), (), None),
        # A product by its code goes; a code nobody sells names nothing to cancel, never the order.
        ("取消4号", FRUIT, ("土鸡蛋",), None),
        ("取消 4号", FRUIT, ("土鸡蛋",), None),
        ("不要#2", FRUIT, ("青苹果",), None),
        ("取消9号", FRUIT, ("9号",), None),
        ("不要了 香蕉", FRUIT, ("香蕉",), None),
        ("取消了，下次再买", FRUIT, (), None),
        # This time's whole order, not a product called 今天.
        ("今天不要了", FRUIT, (), None),
        ("这次的不要了", FRUIT, (), None),
        # Without a catalog, only goods after 不要了 are what goes; a reason withdraws the order.
        ("不要了，家里还有", (), (), None),
        ("不要了 香蕉", (), ("香蕉",), None),
    ],
)
def test_cancel(
    message: str, catalog: tuple[CatalogEntry, ...], products: tuple[str, ...], name: str | None
) -> None:
    assert read_chat_message(message, catalog) == CancelOrder(products=products, name=name)


@pytest.mark.parametrize("message", ["我的订单", "查订单", "我订了什么", "查一下订单"])
def test_show_my_order(message: str) -> None:
    assert read_chat_message(message, FRUIT) == ShowMyOrder()


@pytest.mark.parametrize(
    "message",
    [
        "收到",
        "👌",
        "好的",
        "谢谢团长",
        "明天几点到",
        "[表情]",
        "[动画表情]",
        "苹果还有吗",
        "苹果多少钱一斤？",
        "今天到货了吗",
        "辛苦了🌹",
        "",
        "   ",
        "3栋502",
        "团长，接龙了吗",
        "接龙开始了",
        # About goods already handed over or still at home, and the leader's last portions.
        "昨天的两箱收到了",
        "5栋的两箱放门卫了",
        "我家还有2箱没吃完",
        "最后2份了",
    ],
)
def test_chatter(message: str) -> None:
    assert read_chat_message(message, FRUIT) == Chatter()


@pytest.mark.parametrize(
    ("message", "catalog", "reason", "candidates"),
    [
        ("苹果2斤", FRUIT, "ambiguous_product", {"红富士苹果", "青苹果"}),
        ("要3份", EGGS, "ambiguous_product", {"土鸡蛋", "香蕉"}),
        ("榴莲2个", FRUIT, "unknown_product", set()),
        ("502", (), "ambiguous_quantity", set()),
        ("苹果10元3斤", (), "ambiguous_quantity", set()),  # so much for so many jin: a price
        ("王燕燕 512", (), "ambiguous_quantity", set()),
        ("3栋 香蕉 502", EGGS, "ambiguous_quantity", set()),
        ("99999999", (), "absurd_quantity", set()),
        ("1e309", (), "absurd_quantity", set()),
        ("香蕉1000把", FRUIT, "absurd_quantity", set()),
        ("+99999", (), "absurd_quantity", set()),
    ],
)
def test_unclear(message: str, catalog: tuple[CatalogEntry, ...], reason: str, candidates: set[str]) -> None:
    intent = read_chat_message(message, catalog)
    assert isinstance(intent, Unclear), intent
    assert intent.reason == reason
    assert {c.name for c in intent.candidates} == candidates
    assert intent.detail


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # An order and a withdrawal in one message: the leader sorts them out, with the order shown.
        ("蓝莓2盒，车厘子不要了", [("蓝莓", None, d(2), "盒")]),
        ("取消蓝莓，车厘子2盒", [("车厘子", None, d(2), "盒")]),
    ],
)
def test_an_order_and_a_cancel_in_one_message(message: str, expected: list[object]) -> None:
    intent = read_chat_message(message)
    assert isinstance(intent, Unclear), intent
    assert items(intent.items) == expected


def test_the_best_reading_travels_with_a_question() -> None:
    intent = read_chat_message("苹果2斤", FRUIT)
    assert isinstance(intent, Unclear)
    assert items(intent.items) == [("苹果", None, d(2), "斤")]


def test_a_long_message_without_an_order_is_chatter() -> None:
    assert read_chat_message("通知：" + "明天团购的水果下午到，大家记得来拿。" * 40, FRUIT) == Chatter()


@pytest.mark.parametrize(
    "message",
    [
        "今天的团购：苹果5斤装 30元，香蕉 2把 15元",
        "明天到货，大家记得取",
        "今晚八点截单",
        "新一期接龙开始啦",
        # What is left in stock, not what anyone wants.
        "明天的货：土鸡蛋剩8板，草莓剩5盒",
        "鸡蛋剩两板了",
        # The least one may order.
        "【本周五 黑猪肉团】2斤起订",
        "2箱起包邮送到小区门口，1箱的自提",
        # The answer to 还有吗: the stock left.
        "有的，还有20盒",
        # A price said the spoken way: three and a half yuan.
        "3块5啊 上面写了",
        # Asking who wants it, and what a pack holds and costs.
        "明早的土鸡蛋还有人要吗？30个一盒 35元，今晚9点截",
        "有，8斤一箱 $98",
        # A price from before, to complain about this one.
        "有点贵啊 上次才28",
    ],
)
def test_the_leaders_announcements_are_not_orders(message: str) -> None:
    assert read_chat_message(message, ()) == Chatter()


@pytest.mark.parametrize("message", ["那就2板吧", "那2板吧", "那就要2板", "那我要两板"])
def test_words_leading_to_a_count_are_no_name_and_no_product(message: str) -> None:
    intent = read_chat_message(message, FRUIT)
    assert isinstance(intent, Unclear) and intent.name is None
    assert items(intent.items) == [("(本团商品)", None, d(2), "板")]


def test_a_number_alone_among_numbered_products_is_asked_about() -> None:
    intent = read_chat_message("3", FRUIT)
    assert isinstance(intent, Unclear) and intent.reason == "ambiguous_product"
    assert [c.name for c in intent.candidates] == ["香蕉"]
    assert read_chat_message("12", FRUIT) == Chatter()  # no product 12: a reply to someone


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("橙子一箱 不要大米", [("赣南脐橙", None, d(1), "箱")]),
        ("富士2斤，不要青苹果", [("红富士苹果", None, d(2), "斤")]),
    ],
)
def test_what_is_not_wanted_is_never_ordered(message: str, expected: list[object]) -> None:
    catalog = (
        *FRUIT,
        CatalogEntry(name="赣南脐橙", code="7", unit="箱"),
        CatalogEntry(name="大米", code="6", unit="袋"),
    )
    intent = read_chat_message(message, catalog)
    assert isinstance(intent, PlaceOrder) and items(intent.items) == expected


@pytest.mark.parametrize(("message", "product"), [("大米不要", "大米"), ("富士别要了", "红富士苹果")])
def test_not_wanting_something_named_cancels_it(message: str, product: str) -> None:
    catalog = (*TWO_APPLES, CatalogEntry(name="大米", code="6", unit="袋"))
    assert read_chat_message(message, catalog) == CancelOrder(products=(product,))


@pytest.mark.parametrize("message", ["富士甜不甜", "香蕉新不新鲜", "不要"])
def test_an_a_not_a_question_or_a_bare_no_orders_nothing(message: str) -> None:
    assert read_chat_message(message, FRUIT) == Chatter()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("能不能来2斤富士", [("红富士苹果", None, d(2), "斤")]),
        ("富士2斤可以吗", [("红富士苹果", None, d(2), "斤")]),
        ("鸡蛋还有2板吗", [("土鸡蛋", None, d(2), "板")]),
    ],
)
def test_asking_to_be_allowed_a_counted_order_is_the_order(message: str, expected: list[object]) -> None:
    intent = read_chat_message(message, FRUIT)
    assert isinstance(intent, PlaceOrder) and items(intent.items) == expected


@pytest.mark.parametrize("message", ["苹果还有吗", "富士2斤多少钱", "能不能便宜点"])
def test_questions_without_a_count_or_about_price_are_chatter(message: str) -> None:
    assert read_chat_message(message, FRUIT) == Chatter()


def test_a_count_with_a_mistyped_unit_is_asked_about_never_a_product_code() -> None:
    intent = read_chat_message("大米2代", (*FRUIT, CatalogEntry(name="大米", code="6", unit="袋")))
    assert isinstance(intent, Unclear) and intent.reason == "ambiguous_quantity"
    assert items(intent.items) == [("大米", None, d(2), "袋")]  # no 青苹果 (product 2)


@pytest.mark.parametrize(
    "message",
    [
        "同上",
        "同上。",
        "我同上",
        "跟楼上一样",
        "我跟楼上一样吧",
        "和上面一样的",
        "我也要",
        "我也要👍",
        "我一样",
        "@王五 同上",
    ],
)
def test_same_as_above_is_said_and_read_as_no_order_by_itself(message: str) -> None:
    assert says_same_as_above(message)
    assert read_chat_message(message, TWO_APPLES) == Chatter()


@pytest.mark.parametrize("message", ["我也是", "楼上", "一样", "一样吗", "我也要2斤", "和上次一样", "同上次"])
def test_words_that_are_not_same_as_above(message: str) -> None:
    assert not says_same_as_above(message)


@pytest.mark.parametrize(
    ("message", "qty"),
    [("我和我妈各要一板鸡蛋", 2), ("我跟我老婆各一板鸡蛋", 2), ("我、我妈、我爸各要1板鸡蛋", 3)],
)
def test_each_of_a_household_multiplies_the_count(message: str, qty: int) -> None:
    intent = read_chat_message(message, EGGS)
    assert isinstance(intent, PlaceOrder) and intent.name is None
    assert items(intent.items) == [("土鸡蛋", None, d(qty), "板")]


def test_each_of_people_outside_the_household_is_asked_about() -> None:
    # 老王 may order on his own: whether to split the order is for the member to say.
    assert isinstance(read_chat_message("我和老王各一板鸡蛋", EGGS), Unclear)


RICE = (CatalogEntry(name="五常大米", code="1", unit="袋", aliases=("大米",)),)


@pytest.mark.parametrize(
    ("message", "catalog", "doubt"),
    [
        ("大米两代", RICE, "两代 是数量吗?"),
        ("大米 二代", RICE, "二代 是数量吗?"),
        ("西红柿2jing", FRUIT, "2jing 是数量吗?"),
        ("西红柿 2abc", FRUIT, "2abc 是数量吗?"),
    ],
)
def test_a_count_with_a_mistyped_unit_is_asked_never_taken_as_one(
    message: str, catalog: tuple[CatalogEntry, ...], doubt: str
) -> None:
    intent = read_chat_message(message, catalog)
    assert isinstance(intent, Unclear) and intent.reason == "ambiguous_quantity"
    assert intent.detail == doubt


@pytest.mark.parametrize("message", ["西红柿2jin", "西红柿 2 jin", "2Jin西红柿"])
def test_jin_in_pinyin_is_the_unit(message: str) -> None:
    intent = read_chat_message(message, FRUIT)
    assert isinstance(intent, PlaceOrder)
    assert items(intent.items) == [("西红柿", None, d(2), "斤")]


def test_a_name_before_the_order_is_still_a_name() -> None:
    intent = read_chat_message("10000 西红柿2斤", FRUIT)
    assert isinstance(intent, PlaceOrder) and intent.name == "10000"


@pytest.mark.parametrize(
    "message", ["小李 给我留两板土鸡蛋", "王姐 帮我留两板土鸡蛋", "小李 明天的土鸡蛋给我留两板"]
)
def test_a_name_called_before_an_order_for_me_is_not_whose_order_it_is(message: str) -> None:
    intent = read_chat_message(message, FRUIT)
    assert isinstance(intent, PlaceOrder) and intent.name is None
    assert items(intent.items) == [("土鸡蛋", None, d(2), "板")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("给我公公也带一板，我自己要一板，一共两板", [("(本团商品)", None, d(2), "板")]),
        ("红富士苹果2斤 西红柿3斤 一共5斤", [("红富士苹果", None, d(2), "斤"), ("西红柿", None, d(3), "斤")]),
    ],
)
def test_a_total_said_again_at_the_end_is_not_more(message: str, expected: list[object]) -> None:
    intent = read_chat_message(message, FRUIT if "苹果" in message else ())
    assert isinstance(intent, PlaceOrder)
    assert items(intent.items) == expected


@pytest.mark.parametrize("message", ["再加一个 一共三个", "红富士苹果2斤 西红柿3斤 一共6斤"])
def test_a_total_that_does_not_add_up_is_asked_about(message: str) -> None:
    intent = read_chat_message(message, FRUIT if "苹果" in message else ())
    assert isinstance(intent, Unclear) and intent.reason == "ambiguous_quantity"
    assert intent.detail is not None and "一共" in intent.detail


def test_a_total_alone_is_the_order_and_no_name() -> None:
    intent = read_chat_message("一共要3份", ())
    assert isinstance(intent, PlaceOrder) and intent.name is None
    assert items(intent.items) == [("(本团商品)", None, d(3), "份")]


@pytest.mark.parametrize("message", ["改一箱吧", "不好意思 改一箱吧"])
def test_gai_before_a_count_changes_the_order_never_adds_to_it(message: str) -> None:
    intent = read_chat_message(message, ())
    assert isinstance(intent, ChangeOrder)
    assert items(intent.items) == [("(本团商品)", None, d(1), "箱")]


@pytest.mark.parametrize(
    "message",
    [
        "算了不要了，家里还有",
        "算了 不要了",
        "哎呀 不要了",
        "先不要了 下次吧",
        "那我暂时不要了",
        "我那份不要了",
    ],
)
def test_a_softened_cancel_withdraws_the_whole_order(message: str) -> None:
    assert read_chat_message(message, FRUIT) == CancelOrder()


def test_a_list_of_who_has_not_paid_is_no_order() -> None:
    assert read_chat_message("还没付款的：@老杨 @孙大爷 @刘会计，一共三位", ()) == Chatter()


def test_a_reason_clause_beside_a_cancel_is_no_name_and_no_product() -> None:
    assert read_chat_message("哎呀明天不在家，我的不要了", FRUIT) == CancelOrder()
    assert read_chat_message("张三，香蕉不要了", FRUIT) == CancelOrder(products=("香蕉",), name="张三")


def test_a_change_with_a_reason_about_eating_is_still_a_change() -> None:
    intent = read_chat_message("西红柿改一斤吧 吃不完", FRUIT)
    assert isinstance(intent, ChangeOrder)
    assert items(intent.items) == [("西红柿", None, d(1), "斤")]


def test_cantonese_you_mou_asks() -> None:
    assert read_chat_message("腊鸭还有冇？", ()) == Chatter()


def test_for_someones_mother_after_their_name_is_a_note_not_part_of_the_name() -> None:
    intent = read_chat_message("李四 帮我妈留两板土鸡蛋", FRUIT)
    assert isinstance(intent, PlaceOrder) and (intent.name, intent.note) == ("李四", "帮我妈")
    assert items(intent.items) == [("土鸡蛋", None, d(2), "板")]


def test_a_count_with_goods_glued_after_it_counts_those_goods() -> None:
    intent = read_chat_message("帮我留两只土鸡，要母鸡，再来30个咸鸭蛋", ())
    assert isinstance(intent, PlaceOrder)
    assert items(intent.items) == [("土鸡", None, d(2), "只"), ("咸鸭蛋", None, d(30), "个")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("我要个基围虾", [("基围虾", None, d(1), None)]),
        ("来个西瓜", [("西瓜", None, d(1), None)]),
        ("给我来个", [("(本团商品)", None, d(1), "份")]),
    ],
)
def test_ge_after_an_order_verb_is_one(message: str, expected: list[object]) -> None:
    intent = read_chat_message(message, ())
    assert isinstance(intent, PlaceOrder) and items(intent.items) == expected


def test_ge_is_no_count_where_it_is_no_order() -> None:
    assert read_chat_message("来个人帮忙", ()) == Chatter()


@pytest.mark.parametrize("message", ["我们家再加一袋", "俺家来一袋"])
def test_our_household_is_the_sender(message: str) -> None:
    intent = read_chat_message(message, ())
    assert isinstance(intent, PlaceOrder) and intent.name is None
    assert items(intent.items) == [("(本团商品)", None, d(1), "袋")]


@pytest.mark.parametrize("message", ["团长，我改1盒哈", "团长 我改成1盒", "我要改成1盒"])
def test_the_leader_called_and_i_before_a_change_name_no_one(message: str) -> None:
    intent = read_chat_message(message, ())
    assert isinstance(intent, ChangeOrder) and intent.name is None
    assert items(intent.items) == [("(本团商品)", None, d(1), "盒")]


def test_the_sender_pointing_at_their_own_goods_cancels_those_goods() -> None:
    catalog = (CatalogEntry(name="土鸡", code="1", unit="只"), CatalogEntry(name="鸭蛋", code="2", unit="个"))
    assert read_chat_message("我那只鸡不要了 家里还有", catalog) == CancelOrder(products=("土鸡",))


def test_a_price_said_the_spoken_way_is_no_count() -> None:
    intent = read_chat_message("3块5一斤 要2斤", ())
    assert isinstance(intent, PlaceOrder)
    assert items(intent.items) == [("(本团商品)", None, d(2), "斤")]


def test_the_count_before_a_change_is_no_order() -> None:
    intent = read_chat_message("我改成2只，本来报的1只", ())
    assert isinstance(intent, ChangeOrder)
    assert items(intent.items) == [("(本团商品)", None, d(2), "只")]


@pytest.mark.parametrize(
    ("message", "name"), [("我报2份", None), ("团长我报2份", None), ("帮刘奶奶报2份", "刘奶奶")]
)
def test_bao_puts_a_name_down_for_an_order(message: str, name: str | None) -> None:
    assert read_chat_message(message, ()) == PlaceOrder(
        items=(ReadItem("(本团商品)", d(2), "份", "2份", implicit=True),), name=name
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("咁要兩箱", PlaceOrder(items=(ReadItem("(本团商品)", d(2), "箱", "两箱", implicit=True),))),
        ("好，俾我留一箱", PlaceOrder(items=(ReadItem("(本团商品)", d(1), "箱", "一箱", implicit=True),))),
        ("sorry 改做兩箱", ChangeOrder(items=(ReadItem("(本团商品)", d(2), "箱", "两箱", implicit=True),))),
    ],
)
def test_cantonese_orders_and_changes(message: str, expected: object) -> None:
    assert read_chat_message(message, ()) == expected


def test_cantonese_asking_when_is_a_question() -> None:
    assert read_chat_message("幾點到？我3點後先喺屋企", ()) == Chatter()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # 4#3单元 and 5#502 are buildings; #3 and 4 are no products there.
        ("香蕉1把 4#3单元", [("香蕉", None, d(1), "把")]),
        ("香蕉1把 5#502", [("香蕉", None, d(1), "把")]),
        # 帮忙 asks a favour; it names no one to count for.
        ("红富士2斤 帮忙留一下 香蕉1把", [("红富士苹果", None, d(2), "斤"), ("香蕉", None, d(1), "把")]),
        # 还有 in a member's order is "and also", never the leader's stock.
        ("嗯，还有香蕉2把", [("香蕉", None, d(2), "把")]),
    ],
)
def test_words_near_counts_that_change_nothing(message: str, expected: list[object]) -> None:
    intent = read_chat_message(message, FRUIT)
    assert isinstance(intent, PlaceOrder) and items(intent.items) == expected


@pytest.mark.parametrize("message", ["我家报2袋 楼上报1袋", "土鸡3只其中1只要公的鸭蛋10个"])
def test_counts_whose_share_only_the_member_knows_are_asked_about(message: str) -> None:
    intent = read_chat_message(message, ())
    assert isinstance(intent, Unclear) and intent.reason == "ambiguous_quantity"


def test_pieces_then_an_address_are_no_price() -> None:
    intent = read_chat_message("豆腐2块 3栋502", ())
    assert isinstance(intent, PlaceOrder) and items(intent.items) == [("豆腐", None, d(2), "块")]


def test_this_week_is_no_product() -> None:
    assert read_chat_message("我这周不要了", ()) == CancelOrder()


def test_not_wanting_something_then_a_change_is_a_change_not_a_cancel() -> None:
    intent = read_chat_message("不要香蕉换成西红柿2斤", FRUIT)
    assert isinstance(intent, ChangeOrder)
    assert items(intent.items) == [("香蕉", None, d(0), None), ("西红柿", None, d(2), "斤")]


@pytest.mark.parametrize("message", ["老板 明天给我留两袋白面", "团长 明天给我留两袋白面"])
def test_calling_the_seller_before_an_order_names_no_one(message: str) -> None:
    assert read_chat_message(message, ()) == PlaceOrder(
        items=(ReadItem("白面", d(2), "袋", "两袋白面"),), note="明天"
    )


def test_asking_if_there_is_any_left_then_ordering_is_asked_about() -> None:
    intent = read_chat_message("上回那个豆油还有不？有的话整一桶", ())
    assert isinstance(intent, Unclear) and intent.reason == "ambiguous_quantity"


@pytest.mark.parametrize("message", ["不好意思 乐乐上次已经买了 我们不要了", "我家不要了"])
def test_we_cancel_the_whole_order(message: str) -> None:
    assert read_chat_message(message, ()) == CancelOrder()


def test_a_call_to_parents_who_want_one_is_no_order() -> None:
    message = "需要订《口算天天练》的家长在群里说一下，一本12.8元，周三前统计好"
    assert read_chat_message(message, ()) == Chatter()
