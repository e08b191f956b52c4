"""One product in several flavours, listed on a line of their own under a 接龙's title.

`#接龙 明早手工包子 10个一袋 18元` over `口味：鲜肉 / 香菇青菜 / 豆沙`, or `端午嘉兴粽子 5个/袋` over
`口味：蛋黄肉25 鲜肉20 红枣15（元/袋）`: members then write only the flavour (`鲜肉2袋`, `蛋黄1袋`).
Each flavour becomes a catalog entry of its own, named `手工包子（鲜肉）` and found by the flavour
alone, so a member line is read against it like any printed menu: `蛋黄` is 蛋黄肉 and `鲜肉粽`
is 鲜肉, and a flavour at the start of a line is the goods, not the member's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handlers.reading.model import CatalogEntry
from handlers.reading.offer import title_product
from handlers.reading.units import UNIT_PATTERN, canonical_unit

_FLAVOUR_LINE = re.compile(
    r"^\s*(?:可选)?(?:口味|味道|款式|品种|种类)(?:选择|可选|有)?\s*[:：]\s*(?P<choices>\S.*)$"
)
_BRACKET = re.compile(r"[（(][^（）()]*[)）]")
_SEPARATORS = re.compile(r"[/、|｜，,;；\s]+")
# `可混搭`, `每袋只能一种口味`: how flavours may be chosen, not a flavour.
_REMARK = re.compile(r"可|只|每|随|选|混|搭|任")
_CHOICE = re.compile(r"^(?P<name>[\u4e00-\u9fff]{1,8})(?:(?P<price>\d+(?:\.\d+)?)元?)?$")
# 10个一袋, 5个/袋, 6只一盒: what one unit of the goods holds, so the goods sell by that unit.
_PACK = re.compile(rf"\d+\s*[个只粒枚块颗]\s*(?:/|一|每)\s*(?P<unit>{UNIT_PATTERN})")
_PRICED_UNIT = re.compile(rf"元\s*/\s*(?P<unit>{UNIT_PATTERN})")


def flavour_catalog(
    title: str | None, description: Sequence[str], unit: str | None, price_fen: int | None
) -> list[CatalogEntry]:
    """One entry per flavour the description lists for the title's product, at the title's price
    unless the flavour has its own; empty when it lists none (fewer than two), or when the title
    names no product."""
    found = next(filter(None, map(_FLAVOUR_LINE.match, description)), None)
    if found is None:
        return []
    product = title_product(title or "")
    choices = _choices(found.group("choices"))
    if product is None or choices is None:
        return []
    unit = unit or _unit_of(title or "", found.group("choices"))
    shortened = _shortened([flavour for flavour, _price in choices])
    return [
        CatalogEntry(
            name=f"{product}（{flavour}）",
            aliases=(flavour, *(flavour + tail for tail in _tails(product)), *shortened.get(flavour, ())),
            unit=unit,
            price_fen=own_price if own_price is not None else price_fen,
        )
        for flavour, own_price in choices
    ]


def _choices(written: str) -> list[tuple[str, int | None]] | None:
    """`鲜肉 / 豆沙` or `蛋黄肉25 鲜肉20（元/袋）` as (flavour, price in fen); None unless every part
    but a remark on choosing (`可混搭`) reads as one, and there are two or more."""
    parts = [
        part for part in _SEPARATORS.split(_BRACKET.sub(" ", written)) if part and not _REMARK.search(part)
    ]
    choices = []
    for part in parts:
        choice = _CHOICE.match(part)
        if choice is None:
            return None
        price = choice.group("price")
        choices.append((choice.group("name"), round(float(price) * 100) if price else None))
    return choices if len(choices) >= 2 else None


def _shortened(flavours: list[str]) -> dict[str, tuple[str]]:
    """蛋黄 for 蛋黄肉, 香菇 for 香菇青菜: a long flavour's first two characters, when no other
    flavour starts with them."""
    starts = [flavour[:2] for flavour in flavours]
    return {
        flavour: (flavour[:2],)
        for flavour in flavours
        if len(flavour) >= 3 and starts.count(flavour[:2]) == 1 and flavour[:2] not in flavours
    }


def _tails(product: str) -> tuple[str, ...]:
    """How a member names the goods after a flavour: 鲜肉粽 or 鲜肉粽子 for 嘉兴粽子, 五仁月饼 for
    广式月饼."""
    if len(product) < 2:
        return ()
    tail = product[-2:]
    return (tail, tail[0]) if tail.endswith("子") else (tail,)


def _unit_of(title: str, choices: str) -> str | None:
    found = _PACK.search(title) or _PRICED_UNIT.search(choices)
    return canonical_unit(found.group("unit")) if found else None
