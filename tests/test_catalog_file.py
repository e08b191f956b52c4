"""Catalog files: CSV or XLSX with code,name,aliases,unit,price,stock,limit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.catalog_file import CatalogFileError, read_catalog_file
from models.catalog import ProductSpec

EXPECTED = [
    ProductSpec(
        code="1", name="红富士苹果", unit="斤", price_fen=590, aliases=("苹果", "富士"), stock=Decimal(200)
    ),
    ProductSpec(code="2", name="土鸡蛋", unit="板", price_fen=2800, limit_per_person=Decimal(2)),
]


def test_a_csv_catalog(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        "code,name,aliases,unit,price,stock,limit\n1,红富士苹果,苹果|富士,斤,5.9,200,\n\n2,土鸡蛋,,板,28,,2\n",
        encoding="utf-8-sig",
    )
    assert read_catalog_file(path) == EXPECTED


def test_an_xlsx_catalog(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Name", "Aliases", "Unit", "Price", "Stock", "Limit"])
    sheet.append([1, "红富士苹果", "苹果|富士", "斤", 5.9, 200, None])
    sheet.append([2, "土鸡蛋", None, "板", 28, None, 2])
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)
    assert read_catalog_file(path) == EXPECTED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name,unit,price\n1,苹果,斤,abc\n", "row 2: price 'abc' is not a number"),
        ("code,name,unit,price\n1,苹果,,5\n", "row 2: missing unit"),
        ("code,name,unit,price,stock\n1,苹果,斤,5,-3\n", "row 2: stock cannot be negative"),
    ],
)
def test_a_bad_row_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogFileError, match=message):
        read_catalog_file(path)
