"""The catalog and offer a line is read against, prepared once and reused for every line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from handlers.reading.matching import CatalogIndex, index_catalog
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.reading.offer import MEAL_WORDS, NO_OFFER, SET_MEAL, Offer

# Where a line comes from: a member line of a 接龙, or one free chat message.
Mode = Literal["chain", "chat"]


@dataclass(frozen=True, slots=True)
class ReadContext:
    """A catalog and an offer prepared for reading many lines against them."""

    catalog: tuple[CatalogEntry, ...]
    index: CatalogIndex
    offer: Offer
    # The product a bare quantity means: the only catalog entry, or the offer in the title.
    implicit: CatalogEntry | None
    # Names in the index that are not catalog products but words for the day's offer (晚餐, 套餐).
    offer_words: frozenset[str]

    @property
    def has_codes(self) -> bool:
        return any(entry.code for entry in self.catalog)


def context_for(catalog: Sequence[CatalogEntry], offer: Offer | None = None) -> ReadContext:
    """The reading context for `catalog` and `offer`, built once and reused."""
    offer = offer or NO_OFFER
    # Rows of one repost come with the very same catalog object: find it by identity first,
    # because hashing a catalog of frozen entries costs more than reading a short line.
    known = _BY_IDENTITY.get(id(catalog))
    if known is not None and known[0] is catalog and known[1] == offer:
        return known[2]
    ctx = _context(tuple(catalog), offer)
    if len(_BY_IDENTITY) > 32:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[id(catalog)] = (catalog, offer, ctx)
    return ctx


_BY_IDENTITY: dict[int, tuple[Sequence[CatalogEntry], Offer, ReadContext]] = {}


@lru_cache(maxsize=64)
def _context(catalog: tuple[CatalogEntry, ...], offer: Offer) -> ReadContext:
    extra: list[CatalogEntry] = []
    words: set[str] = set()
    names = {entry.name for entry in catalog}
    if offer.product and offer.product not in names:
        extra.append(CatalogEntry(name=offer.product, unit=offer.unit, price_fen=offer.price_fen))
        words.add(offer.product)
    if offer.kind == "meal":
        for word in MEAL_WORDS:
            if word not in names and word not in words:
                extra.append(CatalogEntry(name=word, unit="份"))
                words.add(word)
    implicit: CatalogEntry | None = None
    if len(catalog) == 1:
        implicit = catalog[0]
    elif offer.product and not (offer.kind == "meal" and _menu_of_choices(catalog)):
        # A meal relay sells its one meal, unless its menu makes members choose (A 便当, B 意面).
        implicit = next((e for e in (*catalog, *extra) if e.name == offer.product), None)
    return ReadContext(
        catalog=catalog,
        index=index_catalog((*catalog, *extra)),
        offer=offer,
        implicit=implicit,
        offer_words=frozenset(words),
    )


def _menu_of_choices(catalog: tuple[CatalogEntry, ...]) -> bool:
    """A menu members pick from has letter codes or prices; a numbered dish list without prices
    (凉拌牛肉, 客家酿豆腐 …) describes the one set meal instead."""
    return any(entry.price_fen is not None or (entry.code or "").isalpha() for entry in catalog)


def implicit_portion(ctx: ReadContext) -> ReadItem:
    """One portion of the day's offer: what a bare name in a meal relay orders."""
    implicit = ctx.implicit or CatalogEntry(name=SET_MEAL, unit="份")
    return ReadItem(implicit.name, Decimal(1), implicit.unit, "", code=implicit.code, implicit=True)
