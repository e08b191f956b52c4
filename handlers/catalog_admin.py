"""Changing products on the fly: 上架, 下架, 改价, 库存, 限购.

A change applies to the catalog and to the open campaign at once; lines already ordered keep the
price they were ordered at.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from handlers.base import Context, Reply, Route
from handlers.catalog_view import catalog_of_products
from handlers.deal_text import read_listing
from handlers.reading import match_product
from models import orders as order_rows
from models.campaigns import OPEN, add_offer, withdraw_offer
from models.catalog import aliases_of, list_products, next_free_code, upsert_products
from models.orders import ProductTotal
from models.tables import Product
from models.types import fen_from_yuan

UNLIMITED_WORDS = frozenset({"不限", "无限", "取消", "无"})


def _find_product(ctx: Context, query: str) -> Product | list[Product] | None:
    """The product a leader names by code or name; a list when the name fits several."""
    products = list_products(session=ctx.session, group_id=ctx.group_id, active_only=False)
    for product in products:
        if product.code.lower() == query.lower() or product.name == query:
            return product
    match = match_product(query, catalog_of_products(products))
    if match.entry is not None:
        return next(p for p in products if p.code == match.entry.code)
    candidates = [p for p in products if any(c.code == p.code for c in match.candidates)]
    return candidates or None


def _named_exactly(ctx: Context, name: str) -> Product | None:
    """The product with exactly this name or alias: a new listing never updates a look-alike."""
    for product in list_products(session=ctx.session, group_id=ctx.group_id, active_only=False):
        if product.name == name or name in aliases_of(product):
            return product
    return None


def _split(args: str) -> tuple[str, str]:
    parts = args.split(maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (args.strip(), "")


def _refresh_offer(ctx: Context, product: Product) -> None:
    campaign = ctx.campaign()
    if campaign is not None and campaign.id is not None and campaign.status == OPEN and product.active:
        add_offer(session=ctx.session, campaign=campaign, product=product)
        ctx.forget_campaign()


def handle_listing_on(ctx: Context) -> list[Reply]:
    """上架 西瓜 2.5/斤 (new, or the same product at a new price), or 上架 3 to put one back."""
    call = ctx.command
    assert call is not None
    listing = read_listing(call.args)
    if listing is None:
        found = _find_product(ctx, call.args.strip()) if call.args.strip() else None
        if not isinstance(found, Product):
            return [Reply("listing_usage", {})]
        found.active = True
        _refresh_offer(ctx, found)
        return [Reply("product_listed", _product_data(found))]
    product = _named_exactly(ctx, listing.name)
    if product is None:
        spec = listing.as_product(next_free_code(session=ctx.session, group_id=ctx.group_id))
        product = upsert_products(session=ctx.session, group_id=ctx.group_id, specs=[spec])[0]
    else:
        # The same product listed again: the new price, and stock or limit when they are given.
        product.price_fen, product.unit, product.active = listing.price_fen, listing.unit, True
        if listing.stock is not None:
            product.stock = listing.stock
        if listing.limit is not None:
            product.limit_per_person = listing.limit
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
    ordered: list[ProductTotal] = []
    if campaign is not None and campaign.id is not None and found.id is not None:
        withdraw_offer(session=ctx.session, campaign=campaign, product_id=found.id)
        ctx.forget_campaign()
        totals = order_rows.product_totals(session=ctx.session, campaign_id=campaign.id)
        ordered = [t for t in totals if t.product_id == found.id]
    # Orders already taken stay: the leader decides whether to fill or cancel them.
    data = {
        **_product_data(found),
        "buyers": sum(t.buyers for t in ordered),
        "ordered_qty": sum((t.qty for t in ordered), Decimal(0)),
    }
    return [Reply("product_unlisted", data)]


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
        # NaN and infinities parse as Decimals; a limit of 0 would refuse everyone (不限 lifts it).
        if not value.is_finite() or value < 0 or value > 1_000_000 or (field == "limit" and value == 0):
            return [Reply("value_usage", {"field": field})]
    if field == "price":
        assert value is not None
        found.price_fen = fen_from_yuan(value)
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
