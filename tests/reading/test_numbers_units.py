"""Numerals, quantities on their own, and unit conversion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.reading import read_quantity, read_quantity_unit
from handlers.reading.numbers import is_absurd, parse_chinese_integer, parse_number, plain
from handlers.reading.units import canonical_unit, convert

from .helpers import d


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1), ("两", 2), ("俩", 2), ("十", 10), ("十五", 15), ("二十", 20), ("二十三", 23),
        ("一百", 100), ("一百零五", 105), ("两百五十", 250), ("三千", 3000), ("一万", 10000),
        ("七八", None), ("三四十", None), ("苹果", None), ("", None),
    ],
)  # fmt: skip
def test_chinese_integers(text: str, value: int | None) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", "2"), ("1.5", "1.5"), ("两", "2"), ("半", "0.5"), ("一半", "0.5"), ("二十", "20"), ("x", None)],
)
def test_parse_number(text: str, value: str | None) -> None:
    assert parse_number(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3份", "3", "份"),
        ("两斤", "2", "斤"),
        ("一斤半", "1.5", "斤"),
        ("1斤半", "1.5", "斤"),
        ("半斤", "0.5", "斤"),
        ("十个", "10", "个"),
        ("二十个", "20", "个"),
        ("一箱", "1", "箱"),
        ("x2", "2", None),
        ("X2", "2", None),
        ("*2", "2", None),
        ("×2", "2", None),
        ("✖️2", "2", None),
        ("✖2", "2", None),
        ("2", "2", None),
        ("要3份", "3", "份"),
        ("来两斤吧", "2", "斤"),
        ("2kg", "2", "公斤"),
        ("500g", "500", "克"),
        ("3盒", "3", "盒"),
        ("1板", "1", "板"),
        ("两提", "2", "提"),
    ],
)
def test_read_quantity_unit(text: str, value: str, unit: str | None) -> None:
    quantity = read_quantity_unit(text)
    assert quantity is not None
    assert (quantity.value, quantity.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        "3栋502",
        "下午5.30",
        "7:20-8:45",
        "99999999",
        "1e309",
        "0",
        "1.5",
        "苹果2斤",
        "2份3斤",
        "",
        "收到",
        "送888",
        "4.17",
    ],
)
def test_not_a_quantity_on_its_own(text: str) -> None:
    assert read_quantity(text) is None


@pytest.mark.parametrize(
    ("qty", "from_unit", "to_unit", "result"),
    [
        ("1", "公斤", "斤", "2"),
        ("1", "kg", "斤", "2"),
        ("500", "克", "斤", "1"),
        ("500", "g", "斤", "1"),
        ("3", "斤", "公斤", "1.5"),
        ("2", "斤", "克", "1000"),
        ("2", "盒", "盒", "2"),
        ("2", "盒", "斤", None),
        ("2", "個", "个", "2"),
    ],
)
def test_convert(qty: str, from_unit: str, to_unit: str, result: str | None) -> None:
    assert convert(d(qty), from_unit, to_unit) == (None if result is None else Decimal(result))


@pytest.mark.parametrize(
    ("written", "unit"), [("KG", "公斤"), ("千克", "公斤"), ("G", "克"), ("個", "个"), (None, None)]
)
def test_canonical_unit(written: str | None, unit: str | None) -> None:
    assert canonical_unit(written) == unit


@pytest.mark.parametrize(
    ("qty", "absurd"), [("1", False), ("999", False), ("1000", True), ("0", True), ("-1", True)]
)
def test_absurd(qty: str, absurd: bool) -> None:
    assert is_absurd(d(qty)) is absurd


def test_plain_numbers_for_json() -> None:
    assert plain(d("2.0")) == 2 and isinstance(plain(d("2.0")), int)
    assert plain(d("1.5")) == 1.5
