"""Properties: the reader never raises, reads well-formed lists exactly, and re-reads its own output."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.reading import (
    CatalogEntry,
    format_tally_text,
    match_product,
    normalize_text,
    read_chain,
    read_chat_message,
    read_quantity,
    render_rows_as_chain,
    split_chain,
    tally_text,
    tally_to_json,
)

from .helpers import DESSERTS, FRUIT, MENU

FRAGMENTS = [
    "#接龙", "#Group Note", "\n", "\n1. ", "2、", "（3）", "①", "例 ", "张三", "Lumi Sweets", "🐷",
    "🏃\u200d♀️", "苹果", "红富士苹果", "两斤", "一斤半", "半", "x2", "✖️3", "*", "+", "➕", "-", "—",
    "3栋502", "2-1-301", "送888", "Apt 3-2", "H3", "F区", "下午5.30", "7:20-8:45", "4.17", "$18/kg",
    "16.9/21.9", "（原味/抹茶）", "各", "改成", "不要了", "+1", "加一", "99999999", "1e309", "0", "【12】",
    ",1", "\ufff0", "\u200b", "\u202e", "\x00", "\x1b", "{{ name }}", "'; DROP TABLE orders; --",
    "１２３", "ｋｇ", "　", "\r\n", "(", ")", "（", "）", "【", "】", "份", "斤", "个", "C", "h", "喜三鲜",
    "的", "1", "12", "888", "1.5", ".", "…", "：", ":",
]  # fmt: skip
chat_like = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=300), chat_like)
catalogs = st.sampled_from([(), FRUIT, MENU, DESSERTS, (CatalogEntry(name="苹果", unit="斤"),)])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=any_text, catalog=catalogs)
def test_the_reader_never_raises(text: str, catalog: tuple[CatalogEntry, ...]) -> None:
    normalize_text(text)
    split_chain(text)
    read_chain(text, catalog)
    read_chat_message(text, catalog)
    match_product(text, catalog)
    read_quantity(text)
    tally = tally_text(text, catalog)
    tally_to_json(tally)
    format_tally_text(tally)
    render_rows_as_chain(tally.rows)


def test_huge_and_hostile_inputs() -> None:
    for text in (
        "1. 张三 苹果2斤\n" * 6000,
        "苹" * 100_000,
        "1" * 100_000,
        "#接龙\n" + "".join(f"{i}. 用户{i} {i % 7 + 1}份\n" for i in range(1, 3000)),
        "\u202e" * 1000 + "#接龙\n1.",
        "(" * 5000 + "1份" + ")" * 5000,
    ):
        tally = tally_text(text)
        tally_to_json(tally)
        read_chat_message(text, FRUIT)


NAMES = ["周芳", "吴磊", "郑红", "Amy", "Lumi Sweets", "小王", "🐷Momo", "陈伟", "Apollo8", "王半斤"]
FREE_PRODUCTS = ["苹果", "香蕉", "西瓜", "土豆", "草莓", "猪肉", "大米", "火龙果"]
UNITS = ["斤", "个", "盒", "袋", "箱", "份"]
CHINESE = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


@st.composite
def free_orders(draw: st.DrawFn) -> list[tuple[str, list[tuple[str, int, str, bool]]]]:
    rows = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8, unique=True)):
        items = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(FREE_PRODUCTS),
                    st.integers(min_value=1, max_value=60),
                    st.sampled_from(UNITS),
                    st.booleans(),
                ),
                min_size=1,
                max_size=3,
            )
        )
        rows.append((name, items))
    return rows


def _written(product: str, qty: int, unit: str, chinese_before: bool) -> str:
    if chinese_before and qty in CHINESE:
        return f"{CHINESE[qty]}{unit}{product}"  # 五斤西瓜
    return f"{product}{qty}{unit}"


@settings(max_examples=150, deadline=None)
@given(orders=free_orders())
def test_a_well_formed_list_is_read_exactly(
    orders: list[tuple[str, list[tuple[str, int, str, bool]]]],
) -> None:
    text = "#接龙\n" + "\n".join(
        f"{seq}. {name} " + " ".join(_written(*item) for item in items)
        for seq, (name, items) in enumerate(orders, 1)
    )
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for _name, items in orders:
        for product, qty, unit, _chinese in items:
            expected[(product, unit)] += qty
    tally = tally_text(text)
    assert [row.status for row in tally.rows] == ["ok"] * len(orders), text
    assert [row.name for row in tally.rows] == [name for name, _ in orders]
    assert {(t.product, t.unit): t.qty for t in tally.totals} == dict(expected)


@st.composite
def catalog_orders(draw: st.DrawFn) -> list[tuple[str, list[tuple[CatalogEntry, int, str]]]]:
    rows = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8, unique=True)):
        items = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(FRUIT),
                    st.integers(min_value=1, max_value=30),
                    st.sampled_from(["code_times", "name_qty", "code_space_qty"]),
                ),
                min_size=1,
                max_size=3,
            )
        )
        rows.append((name, items))
    return rows


def _order_by(entry: CatalogEntry, qty: int, style: str) -> str:
    if style == "code_times":
        return f"{entry.code}x{qty}"
    if style == "code_space_qty":
        return f"{entry.code} {qty}{entry.unit}"
    return f"{entry.name}{qty}{entry.unit}"


@settings(max_examples=150, deadline=None)
@given(orders=catalog_orders())
def test_orders_by_code_and_name_against_a_catalog(
    orders: list[tuple[str, list[tuple[CatalogEntry, int, str]]]],
) -> None:
    text = "#接龙\n" + "\n".join(
        f"{seq}. {name} " + " + ".join(_order_by(*item) for item in items)
        for seq, (name, items) in enumerate(orders, 1)
    )
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for _name, items in orders:
        for entry, qty, _style in items:
            expected[entry.name] += qty
    tally = tally_text(text, FRUIT)
    assert [row.status for row in tally.rows] == ["ok"] * len(orders), text
    assert {t.product: t.qty for t in tally.totals} == dict(expected)


@settings(max_examples=100, deadline=None)
@given(orders=free_orders(), catalog_rows=catalog_orders())
def test_re_reading_the_rendered_chain_gives_the_same_totals(
    orders: list[tuple[str, list[tuple[str, int, str, bool]]]],
    catalog_rows: list[tuple[str, list[tuple[CatalogEntry, int, str]]]],
) -> None:
    free = "#接龙\n" + "\n".join(
        f"{seq}. {name} " + " ".join(_written(*item) for item in items)
        for seq, (name, items) in enumerate(orders, 1)
    )
    coded = "#接龙\n" + "\n".join(
        f"{seq}. {name} " + "+".join(_order_by(*item) for item in items)
        for seq, (name, items) in enumerate(catalog_rows, 1)
    )
    for text, catalog in ((free, ()), (coded, FRUIT)):
        tally = tally_text(text, catalog)
        again = tally_text(render_rows_as_chain(tally.rows), catalog)
        assert again.totals == tally.totals


@settings(max_examples=100, deadline=None)
@given(qty=st.integers(min_value=1000, max_value=10**12), name=st.sampled_from(NAMES))
def test_absurd_quantities_are_never_ok(qty: int, name: str) -> None:
    for line in (f"#接龙\n1. {name} 苹果{qty}斤", f"#接龙\n1. {name} {qty}份"):
        assert all(row.status != "ok" or not row.items for row in tally_text(line).rows), line
