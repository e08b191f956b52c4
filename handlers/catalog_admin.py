"""Changing products on the fly: 上架, 下架, 改价, 库存, 限购.

A change applies to the catalog and to the open campaign at once; lines already ordered keep the
price they were ordered at.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from handlers.base import Context, Reply, Route
from handlers.reading import match_product
from handlers.reading.model import CatalogEntry
from models.campaigns import OPEN, add_offer, withdraw_offer
from models.catalog import ProductSpec, list_products, next_free_code, upsert_products
from models.tables import Product

# 上架 麒麟西瓜 2.5/斤 库存100 限购2: the price is the number right before the unit and the
# optional stock and limit, so digits inside the name (8424西瓜) stay part of the name.
_NEW_PRODUCT = re.compile(
    r"^(?P<name>.+?[^\d\s.¥￥])\s*[¥￥]?(?P<price>\d+(?:\.\d{1,2})?)\s*元?\s*(?:/\s*(?P<unit>[^\s\d/]{1,3}))?"
    r"(?P<rest>(?:\s+(?:库存|限购).*)?)$"
)
_STOCK_IN_TEXT = re.compile(r"库存\s*(\d+(?:\.\d+)?)")
_LIMIT_IN_TEXT = re.compile(r"限购\s*(\d+(?:\.\d+)?)")
UNLIMITED_WORDS = frozenset({"不限", "无限", "取消", "无"})


def _find_product(ctx: Context, query: str) -> Product | list[Product] | None:
    """The product a leader names by code or name; a list when the name fits several."""
    products = list_products(session=ctx.session, group_id=ctx.group_id, active_only=False)
    for product in products:
        if product.code.lower() == query.lower() or product.name == query:
            return product
    entries = tuple(
        CatalogEntry(name=p.name, code=p.code, aliases=tuple(a for a in p.aliases.split("|") if a))
        for p in products
    )
    match = match_product(query, entries)
    if match.entry is not None:
        return next(p for p in products if p.code == match.entry.code)
    candidates = [p for p in products if any(c.code == p.code for c in match.candidates)]
    return candidates or None


def _split(args: str) -> tuple[str, str]:
    parts = args.split(maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (args.strip(), "")


def _refresh_offer(ctx: Context, product: Product) -> None:
    campaign = ctx.campaign()
    if campaign is not None and campaign.id is not None and campaign.status == OPEN and product.active:
        add_offer(session=ctx.session, campaign=campaign, product=product)
        ctx.forget_campaign()


def handle_listing_on(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    found = _find_product(ctx, call.args.strip()) if call.args.strip() else None
    if isinstance(found, Product):
        found.active = True
        _refresh_offer(ctx, found)
        return [Reply("product_listed", _product_data(found))]
    match = _NEW_PRODUCT.match(call.args.strip())
    if match is None:
        return [Reply("listing_usage", {})]
    rest = match.group("rest")
    stock = _STOCK_IN_TEXT.search(rest)
    limit = _LIMIT_IN_TEXT.search(rest)
    spec = ProductSpec(
        code=next_free_code(session=ctx.session, group_id=ctx.group_id),
        name=match.group("name").strip(),
        unit=match.group("unit") or "份",
        price_fen=int(Decimal(match.group("price")) * 100),
        stock=Decimal(stock.group(1)) if stock else None,
        limit_per_person=Decimal(limit.group(1)) if limit else None,
    )
    product = upsert_products(session=ctx.session, group_id=ctx.group_id, specs=[spec])[0]
    _refresh_offer(ctx, product)
    return [Reply("product_listed", _product_data(product))]


def handle_listing_off(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    found = _find_product(ctx, call.args.strip())
    if not isinstance(found, Product):
        return [_not_found(call.args, found)]
    found.active = False
    campaign = ctx.campaign()
    if campaign is not None and found.id is not None:
        withdraw_offer(session=ctx.session, campaign=campaign, product_id=found.id)
        ctx.forget_campaign()
    return [Reply("product_unlisted", _product_data(found))]


def _set_field(ctx: Context, field: str) -> list[Reply]:
    call = ctx.command
    assert call is not None
    query, value_text = _split(call.args)
    found = _find_product(ctx, query)
    if not isinstance(found, Product):
        return [_not_found(query, found)]
    value_text = value_text.replace("元", "").replace("¥", "").strip()
    if field != "price" and value_text in UNLIMITED_WORDS:
        value: Decimal | None = None
    else:
        try:
            value = Decimal(value_text)
        except InvalidOperation:
            return [Reply("value_usage", {"field": field})]
        if value < 0 or value > 1_000_000:
            return [Reply("value_usage", {"field": field})]
    if field == "price":
        assert value is not None
        found.price_fen = int(value * 100)
    elif field == "stock":
        found.stock = value
    else:
        found.limit_per_person = value
    _refresh_offer(ctx, found)
    return [Reply("product_changed", {**_product_data(found), "field": field})]


def _not_found(query: str, found: list[Product] | None) -> Reply:
    names = [p.name for p in found] if isinstance(found, list) else []
    return Reply("product_not_found", {"query": query, "candidates": names})


def _product_data(product: Product) -> dict[str, object]:
    return {
        "code": product.code,
        "name": product.name,
        "unit": product.unit,
        "price_fen": product.price_fen,
        "stock": product.stock,
        "limit": product.limit_per_person,
    }


ROUTES = [
    Route("listing_on", lambda ctx: ctx.is_command("listing_on"), handle_listing_on, leader_only=True),
    Route(
        "listing_off",
        lambda ctx: ctx.is_command("listing_off"),
        handle_listing_off,
        leader_only=True,
    ),
    Route(
        "set_price",
        lambda ctx: ctx.is_command("set_price"),
        lambda ctx: _set_field(ctx, "price"),
        leader_only=True,
    ),
    Route(
        "set_stock",
        lambda ctx: ctx.is_command("set_stock"),
        lambda ctx: _set_field(ctx, "stock"),
        leader_only=True,
    ),
    Route(
        "set_limit",
        lambda ctx: ctx.is_command("set_limit"),
        lambda ctx: _set_field(ctx, "limit"),
        leader_only=True,
    ),
]
