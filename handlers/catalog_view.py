"""The bridge between stored campaign offers and the reader's catalog entries."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.reading.model import CatalogEntry, ReadItem
from models.campaigns import Offer
from models.catalog import aliases_of
from models.tables import Product

# The reader's name for "the day's one offer" when a line names no product.
IMPLICIT_PRODUCTS = frozenset({"(本团商品)", "(接龙商品)"})


def catalog_of(offers: Sequence[Offer]) -> tuple[CatalogEntry, ...]:
    return tuple(
        CatalogEntry(
            name=offer.name,
            code=offer.code,
            unit=offer.unit,
            price_fen=offer.price_fen,
            aliases=offer.aliases,
        )
        for offer in offers
    )


def catalog_of_products(products: Sequence[Product]) -> tuple[CatalogEntry, ...]:
    """Catalog entries for stored products, on sale or not (to find one a leader or member names)."""
    return tuple(CatalogEntry(name=p.name, code=p.code, unit=p.unit, aliases=aliases_of(p)) for p in products)


def is_implicit(item: ReadItem) -> bool:
    """The item names no product (`要3份`, `改成2斤`): it means the day's one offer, or what was ordered."""
    return item.implicit or item.product in IMPLICIT_PRODUCTS


def offer_for(item: ReadItem, offers: Sequence[Offer]) -> Offer | None:
    """The offer a read item refers to: by code, then by name; the only offer for an implicit product."""
    if is_implicit(item):
        return offers[0] if len(offers) == 1 else None
    if item.code is not None:
        for offer in offers:
            if offer.code.lower() == item.code.lower():
                return offer
    for offer in offers:
        if offer.name == item.product:
            return offer
    return None
