"""match_product: code, name, alias, synonym, part of a name, typo; never a silent pick."""

from __future__ import annotations

import pytest

from handlers.reading import CatalogEntry, match_product

from .helpers import DESSERTS, FRUIT, MENU

VEG = (
    CatalogEntry(name="番茄", code="1"),
    CatalogEntry(name="马铃薯", code="2"),
    CatalogEntry(name="土鸡蛋", code="3"),
    CatalogEntry(name="黄心猕猴桃", code="4"),
)


@pytest.mark.parametrize(
    ("query", "catalog", "name", "kind"),
    [
        ("1", FRUIT, "红富士苹果", "code"),
        ("3", FRUIT, "香蕉", "code"),
        ("c", MENU, "鱼香肉丝饭", "code"),
        ("C", MENU, "鱼香肉丝饭", "code"),
        ("香蕉", FRUIT, "香蕉", "exact"),
        ("红富士苹果", FRUIT, "红富士苹果", "exact"),
        ("蛋黄酥", DESSERTS, "蛋黄酥一盒六个", "alias"),
        ("西红柿", VEG, "番茄", "synonym"),
        ("土豆", VEG, "马铃薯", "synonym"),
        ("鸡蛋", VEG, "土鸡蛋", "partial"),
        ("蛋", VEG, "土鸡蛋", "partial"),
        ("奇异果", VEG, "黄心猕猴桃", "synonym"),
        ("红富士", FRUIT, "红富士苹果", "partial"),
        ("红富士苹果5斤装", FRUIT, "红富士苹果", "partial"),
        ("宫保鸡丁", MENU, "宫保鸡丁饭", "partial"),
        ("红烧牛脯饭", MENU, "红烧牛腩饭", "fuzzy"),
        ("抹茶", DESSERTS, "蛋黄酥一盒六个", "variant"),
        ("抹茶蛋黄酥", DESSERTS, "蛋黄酥一盒六个", "variant"),
        ("红烧牛饭", MENU, "红烧牛腩饭", "fuzzy"),
    ],
)
def test_match(query: str, catalog: tuple[CatalogEntry, ...], name: str, kind: str) -> None:
    found = match_product(query, catalog)
    assert found.entry is not None
    assert (found.entry.name, found.kind) == (name, kind)


@pytest.mark.parametrize(
    ("query", "catalog", "candidates"),
    [
        ("苹果", FRUIT, {"红富士苹果", "青苹果"}),  # two apples: ask, never pick
        ("饭", MENU, {"红烧牛腩饭", "宫保鸡丁饭", "鱼香肉丝饭"}),
    ],
)
def test_ambiguous(query: str, catalog: tuple[CatalogEntry, ...], candidates: set[str]) -> None:
    found = match_product(query, catalog)
    assert found.entry is None and found.ambiguous
    assert {c.name for c in found.candidates} == candidates


@pytest.mark.parametrize(
    ("query", "catalog"),
    [("榴莲", FRUIT), ("9", FRUIT), ("Z", MENU), ("", FRUIT), ("苹果", ()), ("香焦", FRUIT)],
)
def test_no_match(query: str, catalog: tuple[CatalogEntry, ...]) -> None:
    found = match_product(query, catalog)
    assert found.entry is None and not found.ambiguous


def test_typos_only_on_names_of_three_or_more() -> None:
    assert match_product("香焦", FRUIT).entry is None  # 2 characters: too short to forgive
    assert match_product("青平果", FRUIT).kind == "fuzzy"


def test_a_flavour_name_beats_a_name_that_contains_it() -> None:
    catalog = (
        CatalogEntry(name="肉松小贝", code="1", variants=("原味", "咸蛋黄")),
        CatalogEntry(name="咸蛋黄巴斯克", code="2"),
    )
    found = match_product("咸蛋黄", catalog)
    assert (found.entry, found.variant) == (catalog[0], "咸蛋黄")


def test_abbreviated_names() -> None:
    catalog = (
        CatalogEntry(name="焦糖脆壳香草小泡芙", code="1"),
        CatalogEntry(name="百香果榛子泡芙", code="2"),
    )
    assert match_product("焦糖小泡芙", catalog).entry == catalog[0]
    assert match_product("泡芙", catalog).ambiguous


@pytest.mark.parametrize(("word", "product"), [("柑子", "耙耙柑"), ("柿子", "火晶柿子"), ("茄子", "长茄")])
def test_the_zi_form_of_a_fruit_or_vegetable_names_it(word: str, product: str) -> None:
    catalog = (
        CatalogEntry(name="耙耙柑", code="1"),
        CatalogEntry(name="火晶柿子", code="2"),
        CatalogEntry(name="长茄", code="3"),
    )
    found = match_product(word, catalog)
    assert found.entry is not None and found.entry.name == product
