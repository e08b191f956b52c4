"""One member line → name, status and items: the quantity reader and its traps, line by line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.reading import CatalogEntry, ChainLine, Offer, read_chain_row

from .helpers import DESSERTS, FRUIT, MENU, d

Item = tuple[str, str | None, Decimal, str | None]
MEAL = Offer(product="套餐", unit="份", kind="meal")
DINNER = Offer(product="晚餐", unit="份", kind="meal")
PUMPKIN = Offer(product="半个南瓜", unit="份", kind="buy")
SIGNUP = Offer(kind="signup")


def read(line: str, catalog: tuple[CatalogEntry, ...] = (), offer: Offer | None = None) -> tuple:  # type: ignore[type-arg]
    row = read_chain_row(ChainLine(seq=1, text=line), catalog, offer=offer)
    return row.name, row.status, [(i.product, i.variant, i.qty, i.unit) for i in row.items]


def one(product: str, qty: str | int, unit: str | None = None, variant: str | None = None) -> Item:
    return (product, variant, d(qty), unit)


FREE_TEXT = [
    ("张三 苹果2斤", "张三", [one("苹果", 2, "斤")]),
    ("张三 苹果 2斤", "张三", [one("苹果", 2, "斤")]),
    ("李四 五斤西瓜，十斤苹果", "李四", [one("西瓜", 5, "斤"), one("苹果", 10, "斤")]),
    ("王五 苹果2斤 香蕉一把", "王五", [one("苹果", 2, "斤"), one("香蕉", 1, "把")]),
    ("赵六 红和黄 各一斤", "赵六", [one("红", 1, "斤"), one("黄", 1, "斤")]),
    ("钱七 苹果、香蕉各2斤", "钱七", [one("苹果", 2, "斤"), one("香蕉", 2, "斤")]),
    ("孙八 橙子4斤青岛啤酒24罐装一箱", "孙八", [one("橙子", 4, "斤"), one("青岛啤酒24罐装", 1, "箱")]),
    ("周九 啤酒600ml*24瓶4箱", "周九", [one("啤酒600ml*24瓶", 4, "箱")]),
    ("吴十 苹果x2", "吴十", [one("苹果", 2)]),
    # A wish about the goods written between them and the count is no part of the product name.
    ("郑二 草莓要大果的 两盒", "郑二", [one("草莓", 2, "盒")]),
    ("郑二 五花肉要瘦一点 2斤", "郑二", [one("五花肉", 2, "斤")]),
    # Words joining one item to the next (和, 还有, 另外要) belong to neither product.
    ("郑一 苹果2斤和香蕉1把", "郑一", [one("苹果", 2, "斤"), one("香蕉", 1, "把")]),
    ("郑一 2斤车厘子和1箱橙子", "郑一", [one("车厘子", 2, "斤"), one("橙子", 1, "箱")]),
    ("郑一 苹果2斤还有香蕉1把", "郑一", [one("苹果", 2, "斤"), one("香蕉", 1, "把")]),
    ("郑一 苹果2斤，另外要两箱橙子", "郑一", [one("苹果", 2, "斤"), one("橙子", 2, "箱")]),
    ("吴十 苹果 X2", "吴十", [one("苹果", 2)]),
    ("吴十 苹果*2", "吴十", [one("苹果", 2)]),
    ("吴十 苹果×2", "吴十", [one("苹果", 2)]),
    ("吴十 苹果✖️2", "吴十", [one("苹果", 2)]),
    ("郑一 一斤半葡萄", "郑一", [one("葡萄", "1.5", "斤")]),
    ("郑一 葡萄半斤", "郑一", [one("葡萄", "0.5", "斤")]),
    ("郑一 二十个饺子", "郑一", [one("饺子", 20, "个")]),
    ("刘小西1斤", "刘小西", [one("(本团商品)", 1, "斤")]),
    ("张三2大1小", "张三", [one("成人", 2), one("儿童", 1)]),
    ("李四大2小1", "李四", [one("成人", 2), one("儿童", 1)]),
    ("王五成人2儿童1", "王五", [one("成人", 2), one("儿童", 1)]),
    ("🍑桃子 要2份", "🍑桃子", [one("(本团商品)", 2, "份")]),
    # An emoji glued to the word makes it a nickname, even when the word is goods.
    ("🍑桃子 1", "🍑桃子", [one("(本团商品)", 1, "份")]),
    ("🍒小樱桃 2箱", "🍒小樱桃", [one("(本团商品)", 2, "箱")]),
    ("张三 苹果+1", "张三", [one("苹果", 1)]),
    ("李四 苹果1斤 一个西瓜", "李四", [one("苹果", 1, "斤"), one("西瓜", 1, "个")]),
    # Goods whose names start like an order verb keep their first character.
    ("张三 带鱼3条", "张三", [one("带鱼", 3, "条")]),
    ("张三 要带鱼2条", "张三", [one("带鱼", 2, "条")]),
    ("阿花 带皮五花肉2斤", "阿花", [one("带皮五花肉", 2, "斤")]),
    ("王五 拿铁2杯", "王五", [one("拿铁", 2, "杯")]),
    ("李四 海带2斤", "李四", [one("海带", 2, "斤")]),
    # 再, 也, 还能加: "more", not the goods; the line orders the day's one offer.
    ("老杨 再+1", "老杨", [one("(本团商品)", 1, "份")]),
    ("小周 也+1", "小周", [one("(本团商品)", 1, "份")]),
    ("小钱 还来一份", "小钱", [one("(本团商品)", 1, "份")]),
    # A name ending in 大 or 小 is a name: 大2 counts adults only glued to a count of people.
    ("🐻熊大 2袋", "🐻熊大", [one("(本团商品)", 2, "袋")]),
    ("老大2袋", "老大", [one("(本团商品)", 2, "袋")]),
    # For someone at home: more of the same goods, or the goods named right after the count.
    ("王姐 鸡蛋两板，帮我妈再带一板", "王姐", [one("鸡蛋", 3, "板")]),
    ("老孙 鲜肉1袋 帮我妈带一袋蛋黄肉", "老孙", [one("鲜肉", 1, "袋"), one("蛋黄肉", 1, "袋")]),
    ("晓东 安慕希一提 帮我姐带一提 她住8栋", "晓东", [one("安慕希", 2, "提")]),
    # 的 before a verb after the goods, and 大概 before a count, are no part of any name.
    ("老刘 五仁的来四盒", "老刘", [one("五仁", 4, "盒")]),
    ("胖哥 大概4斤", "胖哥", [one("(本团商品)", 4, "斤")]),
    # 俩 and 仨 count on their own; 斤 and 两 of one weight are one quantity.
    ("春花 俩", "春花", [one("(本团商品)", 2, "份")]),
    ("老孙头 白菜仨", "老孙头", [one("白菜", 3)]),
    ("小王 再来俩糖包", "小王", [one("糖包", 2)]),
    ("曾老师 腊肉1斤二两", "曾老师", [one("腊肉", "1.2", "斤")]),
    ("大军 三鲜一斤二两", "大军", [one("三鲜", "1.2", "斤")]),
    # A bracket glued to the name saying who entered it or where they live is a remark.
    ("赵大爷（闺女代报）2箱", "赵大爷", [one("(本团商品)", 2, "箱")]),
    ("王奶奶（4号楼）鸡蛋1箱 挂面两把", "王奶奶", [one("鸡蛋", 1, "箱"), one("挂面", 2, "把")]),
]


@pytest.mark.parametrize(("line", "name", "expected"), FREE_TEXT)
def test_free_text_orders(line: str, name: str, expected: list[Item]) -> None:
    assert read(line) == (name, "ok", expected)


NOT_QUANTITIES = [
    ("3栋502 王阿姨 2份", "王阿姨", [one("(本团商品)", 2, "份")]),
    ("2-1-301 李姐 1份", "李姐", [one("(本团商品)", 1, "份")]),
    ("295-909 3份", None, [one("(本团商品)", 3, "份")]),
    ("张三 送888 2份", "张三", [one("(本团商品)", 2, "份")]),
    ("Apollo8 2份", "Apollo8", [one("(本团商品)", 2, "份")]),
    # 小5 where the name goes, with no other 大/小 count: a nickname, not five children.
    ("小5 2份", "小5", [one("(本团商品)", 2, "份")]),
    ("🌸小7 1盒", "🌸小7", [one("(本团商品)", 1, "盒")]),
    ("apollo7 李雷 3份", "apollo7 李雷", [one("(本团商品)", 3, "份")]),
    ("Mobile 1.5 王芳 2份", "Mobile 1.5 王芳", [one("(本团商品)", 2, "份")]),
    ("10000 2份", "10000", [one("(本团商品)", 2, "份")]),
    ("王半斤 2份", "王半斤", [one("(本团商品)", 2, "份")]),
    ("Lqz13Th 1份", "Lqz13Th", [one("(本团商品)", 1, "份")]),
    ("陈怡H3 2份", "陈怡", [one("(本团商品)", 2, "份")]),
    ("张三 下午5.30取 2份", "张三", [one("(本团商品)", 2, "份")]),
    ("李四 7:20-8:45 2份", "李四", [one("(本团商品)", 2, "份")]),
    ("王五 13800138000 1份", "王五", [one("(本团商品)", 1, "份")]),
    ("赵六 1份 ¥25", "赵六", [one("(本团商品)", 1, "份")]),
    ("钱七 4.17号取 3份", "钱七", [one("(本团商品)", 3, "份")]),
    ("3栋王姐 1", "3栋王姐", [one("(本团商品)", 1, "份")]),
]


@pytest.mark.parametrize(("line", "name", "expected"), NOT_QUANTITIES)
def test_numbers_that_are_not_quantities(line: str, name: str | None, expected: list[Item]) -> None:
    assert read(line) == (name, "ok", expected)


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("3栋502 王阿姨 2份", "3栋502"),
        ("张三 送888 2份", "送888"),
        ("陈怡H3 2份", "H3"),
        ("邱杰-F区 1份", "F区"),
        ("王五 13800138000 1份", "13800138000"),
        ("张三 2份 不要辣", "不要辣"),
    ],
)
def test_addresses_and_remarks_go_to_the_note(line: str, note: str) -> None:
    row = read_chain_row(ChainLine(seq=1, text=line), ())
    assert row.note == note


# A count with another added to it (1+1, 2+1盒) and no product codes to read them as: one more for
# a neighbour, or a typo? The leader counts; the line is never silently one.
ADDED_COUNTS = [
    ("小红 1+1", "小红", one("(本团商品)", 1, "份")),
    ("小红 2+1", "小红", one("(本团商品)", 2, "份")),
    ("王 1+1盒", "王", one("(本团商品)", 1, "盒")),
]


@pytest.mark.parametrize(("line", "name", "item"), ADDED_COUNTS)
def test_a_count_plus_a_count_is_asked_about(line: str, name: str, item: Item) -> None:
    assert read(line, offer=Offer(kind="buy")) == (name, "review", [item])


def test_counts_with_units_added_up_are_one_count() -> None:
    assert read("王 1盒+1盒", offer=Offer(kind="buy")) == ("王", "ok", [one("(本团商品)", 2, "盒")])


# When and where to hand the goods over, and how to reach the member, after the count: remarks,
# never a product the count is of.
HANDOVER_REMARKS = [
    ("丽丽 3-2-601 1盒 晚点取", "丽丽", one("(本团商品)", 1, "盒"), "3-2-601 晚点取"),
    ("王叔 3袋 下班来拿", "王叔", one("(本团商品)", 3, "袋"), "下班来拿"),
    ("李 2箱 放门口", "李", one("(本团商品)", 2, "箱"), "放门口"),
    ("王叔 3袋 电话13600002222", "王叔", one("(本团商品)", 3, "袋"), "电话 13600002222"),
    ("何 1份 明天下午自提", "何", one("(本团商品)", 1, "份"), "明天 下午自提"),
    ("老周 1份 放3栋门卫", "老周", one("(本团商品)", 1, "份"), "放 3栋 门卫"),
    ("周 1份 电话后四位5678", "周", one("(本团商品)", 1, "份"), "电话后四位5678"),
    ("吴 2份 尾号1234", "吴", one("(本团商品)", 2, "份"), "尾号1234"),
    ("赵 2份 19:00后在家", "赵", one("(本团商品)", 2, "份"), "19:00 后在家"),
    ("褚 2份 第一次买", "褚", one("(本团商品)", 2, "份"), "第一次买"),
    # A count glued to a remark says how many of the portions get it, not more portions.
    ("杨 2份 一份要辣", "杨", one("(本团商品)", 2, "份"), "要辣"),
    ("杨 2份 1份不要葱", "杨", one("(本团商品)", 2, "份"), "不要葱"),
    # The size wanted, after the count, is a wish about the goods.
    ("老陈 2箱 要大果", "老陈", one("(本团商品)", 2, "箱"), "要大果"),
    ("小吴 3只 挑大个", "小吴", one("(本团商品)", 3, "只"), "挑大个"),
    # Where the goods go is no gift: 送到 is delivery, 送小零食 a present.
    ("阿亮 3个 送到村小学门口", "阿亮", one("(本团商品)", 3, "个"), "送到村小学门口"),
    # How a drink comes (冰, 热, 一冰一热) is no drink.
    ("周周 2杯 一冰一热", "周周", one("(本团商品)", 2, "杯"), "一冰一热"),
    ("张三 2箱 送货上门", "张三", one("(本团商品)", 2, "箱"), "送货上门"),
    ("李四 1箱 她下午自己来接", "李四", one("(本团商品)", 1, "箱"), "她下午自己来接"),
    ("6-3-401 1份 早上7点家里有人", None, one("(本团商品)", 1, "份"), "6-3-401 早上7点 家里有人"),
    # How many of the count are for someone: part of it, never more.
    ("高 3份 其中两份帮楼上带", "高", one("(本团商品)", 3, "份"), "其中两份帮楼上带"),
]


def test_a_count_for_a_neighbour_beside_the_members_own_is_asked_about() -> None:
    """Three, or three and two more? Only the member knows; a household's count is more."""
    row = read_chain_row(ChainLine(seq=1, text="9栋 高 3份 帮楼上带两份"), (), offer=Offer(kind="buy"))
    assert row.status == "review" and "帮楼上带的算在里面吗" in (row.reason_detail or "")


@pytest.mark.parametrize(("line", "name", "item", "note"), HANDOVER_REMARKS)
def test_handover_remarks_after_the_count(line: str, name: str, item: Item, note: str) -> None:
    row = read_chain_row(ChainLine(seq=1, text=line), (), offer=Offer(kind="buy"))
    assert read(line, offer=Offer(kind="buy")) == (name, "ok", [item])
    assert row.note == note


CATALOG_LINES = [
    ("张三 1x2", FRUIT, [one("红富士苹果", 2, "斤")]),
    ("李四 3+4", FRUIT, [one("香蕉", 1, "把"), one("土鸡蛋", 1, "板")]),
    ("李四 3➕4", FRUIT, [one("香蕉", 1, "把"), one("土鸡蛋", 1, "板")]),
    ("王五 4-5", FRUIT, [one("土鸡蛋", 1, "板"), one("西红柿", 1, "斤")]),
    ("赵六 5 Apt 3-2", FRUIT, [one("西红柿", 1, "斤")]),
    ("钱七 番茄3斤", FRUIT, [one("西红柿", 3, "斤")]),
    ("孙八 西红柿1公斤", FRUIT, [one("西红柿", 2, "斤")]),
    ("周九 1号2斤", FRUIT, [one("红富士苹果", 2, "斤")]),
    ("吴十 香蕉 2", FRUIT, [one("香蕉", 2, "把")]),
    ("郑一 红富士 3斤", FRUIT, [one("红富士苹果", 3, "斤")]),
    ("Rain 3", FRUIT, [one("香蕉", 1, "把")]),
    ("10000 1+5", FRUIT, [one("红富士苹果", 1, "斤"), one("西红柿", 1, "斤")]),
    ("东东 3+4 fig 5", FRUIT, [one("香蕉", 1, "把"), one("土鸡蛋", 1, "板")]),
    ("野生. 1 825 South Hill St", FRUIT, [one("红富士苹果", 1, "斤")]),
    ("LBJ 23 红富土苹果", FRUIT, [one("红富士苹果", 1, "斤")]),
    ("… 3", FRUIT, [one("香蕉", 1, "把")]),
    ("Tom A", MENU, [one("红烧牛腩饭", 1)]),
    ("Amy b宫保鸡丁饭", MENU, [one("宫保鸡丁饭", 1)]),
    ("小王 C 鱼香肉丝饭", MENU, [one("鱼香肉丝饭", 1)]),
    ("老李 宫保鸡丁饭", MENU, [one("宫保鸡丁饭", 1)]),
    ("Henry C🐔🐷", MENU, [one("鱼香肉丝饭", 1)]),
    ("W A 2份", MENU, [one("红烧牛腩饭", 2, "份")]),
    # Codes written short: glued letter codes, lower case, a circled number, 2#3 for 2号3.
    ("老黄 B1C1", MENU, [one("宫保鸡丁饭", 1), one("鱼香肉丝饭", 1)]),
    ("阿秀 c2", MENU, [one("鱼香肉丝饭", 2)]),
    ("🍇葡萄控 a3b2 送上门", MENU, [one("红烧牛腩饭", 3), one("宫保鸡丁饭", 2)]),
    ("王阿姨 ①2斤 ③1", FRUIT, [one("红富士苹果", 2, "斤"), one("香蕉", 1, "把")]),
    ("王阿姨 2#3 4#1", FRUIT, [one("青苹果", 3, "斤"), one("土鸡蛋", 1, "板")]),
    ("花花 ac各一", MENU, [one("红烧牛腩饭", 1), one("鱼香肉丝饭", 1)]),
    # A wish about the goods just named (要母的) leaves the count to them.
    ("小吴 西红柿要大的 3斤", FRUIT, [one("西红柿", 3, "斤")]),
    ("小吴 蛋要土的 2板", FRUIT, [one("土鸡蛋", 2, "板")]),
]


@pytest.mark.parametrize(("line", "catalog", "expected"), CATALOG_LINES)
def test_orders_against_a_catalog(line: str, catalog: tuple[CatalogEntry, ...], expected: list[Item]) -> None:
    _name, status, found = read(line, catalog)
    assert (status, found) == ("ok", expected)


FLAVOURS = [
    ("小美 1抹茶+3", [one("蛋黄酥一盒六个", 1, "盒", "抹茶"), one("提拉米苏", 1, "盒")]),
    ("小红 紫薯的1", [one("蛋黄酥一盒六个", 1, "盒", "紫薯")]),
    ("小白 1（原味+抹茶）", [one("蛋黄酥一盒六个", 1, "盒", "原味"), one("蛋黄酥一盒六个", 1, "盒", "抹茶")]),
    ("小兰 2（玫瑰/开心果/柠檬*2）", [one("马卡龙一盒四个", 1, "盒", "玫瑰/开心果/柠檬/柠檬")]),
    ("小紫 2（2玫瑰2柠檬）", [one("马卡龙一盒四个", 1, "盒", "玫瑰/玫瑰/柠檬/柠檬")]),
    ("小黑 2 玫瑰开心果柠檬柠檬", [one("马卡龙一盒四个", 1, "盒", "玫瑰/开心果/柠檬/柠檬")]),
    ("小绿 2（柠檬）", [one("马卡龙一盒四个", 1, "盒", "柠檬x4")]),
    ("小新 2（玫瑰/柠檬）", [one("马卡龙一盒四个", 1, "盒", "玫瑰/玫瑰/柠檬/柠檬")]),
    ("小橙 2 柠檬x4", [one("马卡龙一盒四个", 1, "盒", "柠檬x4")]),
    ("小青 马卡龙 玫瑰2开心果2", [one("马卡龙一盒四个", 1, "盒", "玫瑰/玫瑰/开心果/开心果")]),
    ("小蓝 1x2（紫薯）", [one("蛋黄酥一盒六个", 2, "盒", "紫薯")]),
    ("小棕 抹茶蛋黄酥", [one("蛋黄酥一盒六个", 1, "盒", "抹茶")]),
    ("小粉 蛋黄酥紫薯+3", [one("蛋黄酥一盒六个", 1, "盒", "紫薯"), one("提拉米苏", 1, "盒")]),
    ("小黄 原味蛋黄", [one("蛋黄酥一盒六个", 1, "盒", "原味")]),
    (
        "小灰 1（抹茶）+2（玫瑰 开心果 柠檬 玫瑰）",
        [one("蛋黄酥一盒六个", 1, "盒", "抹茶"), one("马卡龙一盒四个", 1, "盒", "玫瑰/开心果/柠檬/玫瑰")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("line", "expected"), FLAVOURS)
def test_flavour_picks(line: str, expected: list[Item]) -> None:
    _name, status, found = read(line, DESSERTS)
    assert (status, found) == ("ok", expected)


def test_goods_for_the_household_named_after_the_count_take_the_count() -> None:
    line = "张三 红富士苹果2斤 帮我妈带两板土鸡蛋"
    assert read(line, FRUIT) == ("张三", "ok", [one("红富士苹果", 2, "斤"), one("土鸡蛋", 2, "板")])
    row = read_chain_row(ChainLine(seq=1, text="张三 红富士苹果2斤 帮我妈带一袋榴莲"), FRUIT)
    assert (row.status, row.reason) == ("review", "unknown_product")


@pytest.mark.parametrize(
    ("line", "catalog", "reason"),
    [
        ("孙八 苹果2斤", FRUIT, "ambiguous_product"),
        ("周九 榴莲1个", FRUIT, "unknown_product"),
        ("吴十 香蕉 1公斤", FRUIT, "unit_mismatch"),
        ("阿强 A 宫保鸡丁饭", MENU, "conflicting_code"),
        ("小新 2（玫瑰/柠檬/开心果）", DESSERTS, "variant_count"),
        ("王燕燕 512 白色", (), "ambiguous_quantity"),
        ("张三 苹果2-3斤", (), "ambiguous_quantity"),
        ("李四 苹果99999斤", (), "absurd_quantity"),
        ("李四 香蕉1e309把", FRUIT, "absurd_quantity"),
        ("王五 苹果0斤", (), "absurd_quantity"),
        ("赵六 2份", FRUIT, "ambiguous_product"),
        ("66", (), "ambiguous_quantity"),
        # Asking leave to order is for the leader to answer, and the question is no product.
        ("兰兰 半箱可以吗", (), "ambiguous_quantity"),
        ("小周 还能加一箱吗", (), "ambiguous_quantity"),
        ("老吴 2箱？", (), "ambiguous_quantity"),
        # Not decided yet: the leader confirms before counting it.
        ("华仔 红薯1袋 可能要多一袋，晚点确认", (), "ambiguous_quantity"),
    ],
)
def test_doubtful_lines_go_to_review(line: str, catalog: tuple[CatalogEntry, ...], reason: str) -> None:
    row = read_chain_row(ChainLine(seq=1, text=line), catalog)
    assert (row.status, row.reason) == ("review", reason)
    assert row.reason_detail
    assert not any("吗" in item.product for item in row.items)


@pytest.mark.parametrize(
    ("line", "name", "status", "expected"),
    [
        ("Leon H区 少饭", "Leon", "ok", [one("套餐", 1, "份")]),
        ("大治J1", "大治", "ok", [one("套餐", 1, "份")]),
        ("张鑫 E区2份 菜心换西红柿 莴笋换豆腐", "张鑫", "ok", [one("套餐", 2, "份")]),
        ("丫丫 ，H3，少饭", "丫丫", "ok", [one("套餐", 1, "份")]),
        ("大卫H3 炒河粉，多，已付", "大卫", "ok", [one("套餐", 1, "份")]),
        ("真真-F区 10份少饭 3加包子 4加包子", "真真", "review", [one("套餐", 10, "份"), one("包子", 2)]),
        # Remark numbers that say how many of the portions get the remark leave the count alone.
        ("刘展-J区 11份 2少饭 2免辣 1饭盒", "刘展", "ok", [one("套餐", 11, "份")]),
        ("郭蓓 B区5份，3少饭", "郭蓓", "ok", [one("套餐", 5, "份")]),
        ("王工-D区 3份 1份少饭", "王工", "ok", [one("套餐", 3, "份")]),
        ("陈湘—云谷 8份（2份少饭，1份换南瓜）", "陈湘", "ok", [one("套餐", 8, "份")]),
        # More than the portions, no portions written, or an add-on counted: ask.
        ("张三 D区 2份 3少饭", "张三", "review", [one("套餐", 2, "份")]),
        ("李四 H区 3少饭", "李四", "review", [one("套餐", 3, "份")]),
        ("刘展-J区 2份（1饭盒加黑凉粉）", "刘展", "review", [one("套餐", 2, "份")]),
        ("刘展-J区 6份（1饭盒 2黑凉粉）", "刘展", "review", [one("套餐", 6, "份")]),
        ("Tony E区+1", "Tony", "ok", [one("套餐", 1, "份")]),
        ("张三+H区", "张三", "ok", [one("套餐", 1, "份")]),
        ("小明H3+1", "小明", "ok", [one("套餐", 1, "份")]),
        ("Ivy(Feng xiaoling) H区 不要米饭", "Ivy(Feng xiaoling)", "ok", [one("套餐", 1, "份")]),
        ("苏su-D区 青瓜换茄盒", "苏su", "ok", [one("套餐", 1, "份")]),
        (
            "许多鱼 H区 飞米饭，加一个黑凉粉",
            "许多鱼",
            "review",
            [one("套餐", 1, "份"), one("黑凉粉", 1, "个")],
        ),
        ("小芳 2份 加一个黑凉粉", "小芳", "ok", [one("套餐", 2, "份"), one("黑凉粉", 1, "个")]),
    ],
)
def test_meal_relay_lines(line: str, name: str, status: str, expected: list[Item]) -> None:
    assert read(line, offer=MEAL) == (name, status, expected)


@pytest.mark.parametrize(
    ("line", "name", "expected"),
    [("苏月兰 晚餐一份", "苏月兰", [one("晚餐", 1, "份")]), ("桃子 8份晚餐", "桃子", [one("晚餐", 8, "份")])],
)
def test_named_meal(line: str, name: str, expected: list[Item]) -> None:
    assert read(line, offer=DINNER) == (name, "ok", expected)


def test_single_product_from_the_title() -> None:
    assert read("295-909 6份", offer=PUMPKIN) == (None, "ok", [one("半个南瓜", 6, "份")])
    assert read("李四", offer=PUMPKIN) == ("李四", "review", [one("半个南瓜", 1, "份")])


@pytest.mark.parametrize(
    ("line", "name", "status", "expected"),
    [
        ("Mvtm 张璐 4人", "Mvtm 张璐", "ok", [one("人数", 4, "人")]),
        ("China Mobile +Mobile 周亚 【12】", "China Mobile +Mobile 周亚", "review", [one("人数", 12, "人")]),
        ("林俊杰 - Jackie", "林俊杰 - Jackie", "chatter", []),
        ("张新,1", "张新", "chatter", []),
        ("王半斤,0", "王半斤", "chatter", []),
        ("王五 带2人", "王五", "ok", [one("人数", 2, "人")]),
        ("和尚 7-10，补觉", "和尚", "chatter", []),
    ],
)
def test_sign_up_lines(line: str, name: str, status: str, expected: list[Item]) -> None:
    assert read(line, offer=SIGNUP) == (name, status, expected)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Carrie🌿 7:20-8:45 起床，跳绳", "Carrie🌿"),
        ("forever 7.50-9.20 早餐、刷剧", "forever"),
        ("清川 7点半到九点半上厕所", "清川"),
        ("陈洋平 Carl", "陈洋平 Carl"),
        ("倪彩霞 gt7", "倪彩霞"),
        ("冰✡️saya 🫧", "冰✡️saya 🫧"),
    ],
)
def test_check_in_lines_are_chatter(line: str, name: str) -> None:
    assert read(line) == (name, "chatter", [])


def test_a_plus_one_on_a_line_is_one_more_not_product_one() -> None:
    assert read("周八 +1", FRUIT) == ("周八", "review", [one("(本团商品)", 1, "份")])
    assert read("周八 1+2", FRUIT)[1:] == ("ok", [one("红富士苹果", 1, "斤"), one("青苹果", 1, "斤")])


@pytest.mark.parametrize("line", ["张三 苹果2斤 红富士", "张三 红富士 苹果2斤"])
def test_a_word_beside_a_product_in_doubt_says_which_one(line: str) -> None:
    assert read(line, FRUIT) == ("张三", "ok", [one("红富士苹果", 2, "斤")])


def test_a_line_saying_what_is_not_wanted_orders_nothing() -> None:
    assert read("陈姐 不要大米了", FRUIT) == ("陈姐", "chatter", [])
    assert read("杨 2份 1份不要葱")[2] == [one("(本团商品)", 2, "份")]  # a remark on one portion


def test_pieces_of_goods_sold_by_many_are_doubted_and_a_jin_and_a_half_is_one_and_a_half() -> None:
    eggs = (CatalogEntry(name="土鸡蛋", code="4", unit="板"), CatalogEntry(name="西瓜", code="9", unit="个"))
    assert read("张三 鸡蛋2个", eggs)[1] == "review"
    assert read("张三 西瓜2个", eggs) == ("张三", "ok", [one("西瓜", 2, "个")])
    assert read("张三 西红柿斤半", FRUIT) == ("张三", "ok", [one("西红柿", "1.5", "斤")])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("嬢嬢 香肠4斤 一半麻辣一半广味", [("香肠", "麻辣", d(2), "斤"), ("香肠", "广味", d(2), "斤")]),
        (
            "嬢嬢 香肠3斤 一半麻辣 一半广味",
            [("香肠", "麻辣", d("1.5"), "斤"), ("香肠", "广味", d("1.5"), "斤")],
        ),
        # Not two of its flavours, or an odd count of what is not weighed: the count stands.
        ("嬢嬢 香肠4斤 一半麻辣一半五香", [("香肠", None, d(4), "斤")]),
        ("嬢嬢 香肠3袋 一半麻辣一半广味", [("香肠", None, d(3), "袋")]),
    ],
)
def test_one_count_halved_between_two_flavours(line: str, expected: list[Item]) -> None:
    sausage = (CatalogEntry(name="香肠", code="2", unit="斤", variants=("麻辣", "广味")),)
    assert read(line, sausage)[2] == expected
