"""Printed catalog lines read into catalog entries."""

from __future__ import annotations

import pytest

from handlers.reading.catalog import has_price, letter_menu_line, pack_size, read_catalog_entry


@pytest.mark.parametrize(
    ("code", "line", "name", "unit", "price_fen", "variants"),
    [
        (
            "1",
            "蛋黄酥一盒六个（原味/抹茶/紫薯）38/42/40",
            "蛋黄酥一盒六个",
            "盒",
            3800,
            ("原味", "抹茶", "紫薯"),
        ),
        ("2", "奶油小方 22.9", "奶油小方", None, 2290, ()),
        ("3", "提拉米苏小泡芙 24.9/盒", "提拉米苏小泡芙", "盒", 2490, ()),
        ("4", "满50可选盲盒 5/个", "满50可选盲盒", "个", 500, ()),
        ("5", "泡芙（plus版） 12.9", "泡芙（plus版）", None, 1290, ()),
        ("6", "水饺（50个装）220元/2包420元", "水饺（50个装）", None, 22000, ()),
        ("7", "鱼头火锅\n一包230元", "鱼头火锅", "包", 23000, ()),
        ("8", "三丝卷 , 一组2条150元", "三丝卷", "组", 15000, ()),
        ("9", "🐮牛腱子 $18/kg", "牛腱子", "公斤", 1800, ()),
        ("C", "牛肋条", "牛肋条", None, None, ()),
        ("A", "便当🍚（双拼/金枪鱼/豆腐）", "便当", None, None, ("双拼", "金枪鱼", "豆腐")),
        ("I", "自选 50 元内项目", "自选 50 元内项目", None, None, ()),
        ("2", "椰椰菠萝切块 24.9 （限量7块）", "椰椰菠萝切块", None, 2490, ()),
        ("5", "黑松露流心巴斯克19.9", "黑松露流心巴斯克", None, 1990, ()),
        ("1", "桃子夏洛特 26.9/块（限量6块）", "桃子夏洛特", "块", 2690, ()),
        # What one unit holds, after the name: the unit is what is sold, and no part of the name.
        ("4", "笨鸡蛋 30枚/板 36元", "笨鸡蛋", "板", 3600, ()),
        ("2", "九三大豆油 5L/桶 79元", "九三大豆油", "桶", 7900, ()),
        ("3", "牛油火锅底料 500g*2袋 45元/份", "牛油火锅底料", "份", 4500, ()),
        ("2", "大黄鱼 一条约1斤半 45元/条", "大黄鱼", "条", 4500, ()),
        ("1", "丹东99草莓 3斤一盒69元", "丹东99草莓", "盒", 6900, ()),
        # With no unit to sell by, the size is the only unit there is: it stays in the name.
        ("5", "玉米 10根 15元", "玉米 10根", None, 1500, ()),
        ("1", "梭子蟹 4-5两/只 65元/斤", "梭子蟹", "斤", 6500, ()),
    ],
)
def test_read_catalog_entry(
    code: str, line: str, name: str, unit: str | None, price_fen: int | None, variants: tuple[str, ...]
) -> None:
    entry = read_catalog_entry(code, line)
    assert entry is not None
    assert (entry.code, entry.name, entry.unit, entry.price_fen, entry.variants) == (
        code,
        name,
        unit,
        price_fen,
        variants,
    )


def test_prices_per_variant_and_short_name() -> None:
    entry = read_catalog_entry("1", "蛋黄酥一盒六个（原味/抹茶/紫薯）38/42/40")
    assert entry is not None
    assert entry.variant_prices_fen == (3800, 4200, 4000)
    assert "蛋黄酥" in entry.aliases


@pytest.mark.parametrize(
    ("line", "size"),
    [
        ("马卡龙一盒四个（玫瑰/开心果/柠檬） 26.9", 4),
        ("蛋黄酥一盒六个（原味/抹茶/紫薯）38/42/40", None),  # one price per flavour: one flavour per box
        ("奶油小方 22.9", None),
    ],
)
def test_pack_size(line: str, size: int | None) -> None:
    entry = read_catalog_entry("1", line)
    assert entry is not None
    assert pack_size(entry) == size


@pytest.mark.parametrize(
    ("text", "priced"),
    [("奶油小方 22.9", True), ("盲盒 5/个", True), ("水饺 220元", True), ("$9.9", True), ("Rain 13", False)],
)
def test_has_price(text: str, priced: bool) -> None:
    assert has_price(text) is priced


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("C：牛肋条", ("C", "牛肋条")),
        ("a: 便当", ("A", "便当")),
        ("1. 苹果", None),
        ("CJ 少饭", None),
    ],
)
def test_letter_menu_line(line: str, parsed: tuple[str, str] | None) -> None:
    assert letter_menu_line(line) == parsed
