"""Small helpers that turn readings into plain tuples, so test tables stay readable."""

from __future__ import annotations

from decimal import Decimal

from handlers.reading import CatalogEntry, ReadItem, ReadRow

FRUIT = (
    CatalogEntry(name="红富士苹果", code="1", unit="斤", price_fen=500),
    CatalogEntry(name="青苹果", code="2", unit="斤", price_fen=600),
    CatalogEntry(name="香蕉", code="3", unit="把", price_fen=1200),
    CatalogEntry(name="土鸡蛋", code="4", unit="板", price_fen=1500),
    CatalogEntry(name="西红柿", code="5", unit="斤", price_fen=400),
)
MENU = (
    CatalogEntry(name="红烧牛腩饭", code="A"),
    CatalogEntry(name="宫保鸡丁饭", code="B"),
    CatalogEntry(name="鱼香肉丝饭", code="C"),
)
DESSERTS = (
    CatalogEntry(
        name="蛋黄酥一盒六个",
        code="1",
        unit="盒",
        aliases=("蛋黄酥",),
        variants=("原味", "抹茶", "紫薯"),
        variant_prices_fen=(3800, 4200, 4000),
    ),
    CatalogEntry(
        name="马卡龙一盒四个", code="2", unit="盒", aliases=("马卡龙",), variants=("玫瑰", "开心果", "柠檬")
    ),
    CatalogEntry(name="提拉米苏", code="3", unit="盒"),
)


def items(found: tuple[ReadItem, ...] | list[ReadItem]) -> list[tuple[str, str | None, Decimal, str | None]]:
    return [(i.product, i.variant, i.qty, i.unit) for i in found]


def row_summary(row: ReadRow) -> tuple[str | None, str, list[tuple[str, str | None, Decimal, str | None]]]:
    return row.name, row.status, items(row.items)


def d(value: str | int) -> Decimal:
    return Decimal(str(value))
