"""Flavour picks written next to a product code: `1咸蛋黄`, `麻薯的1`, `8（2抹茶2焙茶）`.

Two ways of selling flavours exist and the catalog tells them apart:
- one flavour per pack, each with its own price (肉松小贝 原味 16.9 / 咸蛋黄 21.9): `1（原味+咸蛋黄）` is
  two packs;
- a mixed pack of N pieces at one price (牛油酥皮小泡芙一盒四个): `8（抹茶/黑芝麻/焙茶*2）` is ONE box
  holding those four pieces, and `8（黑芝麻）` is one box of four 黑芝麻, written `黑芝麻x4`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from handlers.reading.catalog import pack_size
from handlers.reading.model import CatalogEntry
from handlers.reading.numbers import parse_number
from handlers.reading.text import strip_emoji

_SEPARATORS = re.compile(r"[\s/+＋➕、,，&|｜;；]+|和|及|与|还有")
_COUNT_BEFORE = re.compile(r"(\d{1,2}|[一二两三四五六七八九十])\s*(?:个|只|颗|粒)?")
_COUNT_AFTER = re.compile(r"\s*(?:[*xX×✖]\ufe0f?\s*(\d{1,2})|(\d{1,2})\s*(?:个|只|颗|粒))")
# 玫瑰2开心果2: a bare count after each flavour, when the text does not lead with counts (2玫瑰2开心果).
_BARE_COUNT_AFTER = re.compile(r"(\d{1,2})(?!\d)")


@dataclass(frozen=True, slots=True)
class FlavourPick:
    """The flavours written for one product, with how many of each."""

    counts: tuple[tuple[str, int], ...]

    @property
    def pieces(self) -> int:
        return sum(count for _, count in self.counts)

    def expanded(self) -> list[str]:
        return [variant for variant, count in self.counts for _ in range(count)]


@lru_cache(maxsize=256)
def _forms(variants: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Every written form of each variant (with and without emoji), longest first."""
    forms: dict[str, str] = {}
    for variant in variants:
        for form in (variant, strip_emoji(variant).strip()):
            if form and form not in forms:
                forms[form] = variant
    return tuple(sorted(forms.items(), key=lambda item: -len(item[0])))


def read_flavours(text: str, entry: CatalogEntry) -> FlavourPick | None:
    """The flavours `text` picks from `entry`'s variants, or None unless the whole text is flavours."""
    if not entry.variants:
        return None
    forms = _forms(entry.variants)
    text = text.strip().removesuffix("的").removeprefix("的")
    partial = [variant for form, variant in forms if len(text) >= 2 and text in form]
    if len(set(partial)) == 1 and not any(text == form for form, _ in forms):
        return FlavourPick(counts=((partial[0], 1),))  # 鸡胸 for 鸡胸球: the one flavour it can be
    counts: list[tuple[str, int]] = []
    position = 0
    counts_lead = text[:1].isdigit()
    while position < len(text):
        gap = _SEPARATORS.match(text, position)
        if gap is not None:
            position = gap.end()
            continue
        count = 1
        before = _COUNT_BEFORE.match(text, position)
        if before is not None and _flavour_at(text, before.end(), forms) is not None:
            count = int(parse_number(before.group(1)) or 1)
            position = before.end()
        found = _flavour_at(text, position, forms)
        if found is None:
            return None
        variant, position = found
        after = _COUNT_AFTER.match(text, position) or (
            None if counts_lead else _BARE_COUNT_AFTER.match(text, position)
        )
        if after is not None:
            count *= int(after.group(1) or (after.group(2) if after.re is _COUNT_AFTER else 0) or 1)
            position = after.end()
        counts.append((variant, count))
    if not counts:
        return None
    return FlavourPick(counts=tuple(counts))


def _flavour_at(text: str, position: int, forms: tuple[tuple[str, str], ...]) -> tuple[str, int] | None:
    for form, variant in forms:
        if text.startswith(form, position):
            return variant, position + len(form)
    return None


def mixed_box(entry: CatalogEntry, pick: FlavourPick) -> tuple[str, bool] | None:
    """The variant string of one mixed box, and whether the flavours fill it; None if not a mixed box.

    Four flavours for a box of four → `抹茶/黑芝麻/巧克力/焙茶`; one flavour → `黑芝麻x4`;
    two → two of each; three for a box of four does not fill it and is doubted.
    """
    size = pack_size(entry)
    if size is None:
        return None
    flavours = pick.expanded()
    if len(set(flavours)) == 1 and (len(flavours) in (1, size)):
        return f"{flavours[0]}x{size}", True
    if all(count == 1 for _, count in pick.counts) and size % len(flavours) == 0:
        # 8（原味/抹茶） for a box of four: two of each, the way a leader packs it.
        share = size // len(flavours)
        return "/".join(f for f in flavours for _ in range(share)), True
    return "/".join(flavours), pick.pieces == size
