"""Printed catalogs: product lines a leader posts above the member list, read into `CatalogEntry`.

Shapes read here, all from real posts:
- `1. 肉松小贝一盒三个（原味/咸蛋黄/芋泥）16.9/21.9/19.9`: variants in brackets, one price each;
- `7. 焦糖脆壳提拉米苏小泡芙 24.9/盒`, `14. 满50可选蛋糕盲盒 5/个`: price per unit;
- `1) 水餃（50顆裝）220元／2包420元`, `(2)砂鍋魚頭火鍋` + `一包230元`: 元 prices, bundle prices;
- `C：牛肋条`, `A:特色便当（双拼/金枪鱼）`: letter-code menus;
- `🐮小条金钱腱 $18/kg`: currency before the number.
"""

from __future__ import annotations

import re
from decimal import Decimal

from handlers.reading.model import CatalogEntry
from handlers.reading.numbers import parse_number
from handlers.reading.text import strip_emoji
from handlers.reading.units import UNIT_PATTERN, canonical_unit

_NUM = r"\d+(?:\.\d+)?"
_CURRENCY_PRICE = re.compile(rf"[¥￥$]\s*({_NUM})(?:\s*/\s*({UNIT_PATTERN})(?![A-Za-z]))?")
# 元内/元以内/元左右 describe a budget, not a price.
_YUAN_PRICE = re.compile(
    rf"({_NUM})\s*(?:元|块钱|rmb|RMB)(?!内|以内|左右|起|以上|以下)(?:\s*/\s*({UNIT_PATTERN}))?"
)
# A price list at the end of the line: 16.9/21.9/19.9, 24.9/盒, 5/个, 22.9, 10.
_TRAILING_PRICES = re.compile(
    rf"(?<![\d.A-Za-z])({_NUM}(?:\s*/\s*{_NUM})*)\s*(?:/\s*({UNIT_PATTERN})(?![A-Za-z]))?\s*$"
)
# 24.9 （限量7块）: a remark after the price about how many there are.
_TRAILING_REMARK = re.compile(r"\s*[（(][^（）()]*(?:限|仅|剩|约|每|预定|预订)[^（）()]*[)）]\s*$")
_DECIMAL_OR_PER_UNIT = re.compile(rf"\d\.\d{{1,2}}\s*(?:/\s*\S+)?\s*$|\d\s*/\s*(?:{UNIT_PATTERN})\s*$")
# 一盒三个 / 一包 / 一組2條: the unit a product is sold in, as its name or price line says.
_SALE_UNIT = re.compile(rf"[一1]\s*({UNIT_PATTERN})")
# The same phrase just before a price (`一包230元`, `一組2條150元`): it belongs to the price, not the name.
_SALE_UNIT_TAIL = re.compile(rf"[一1]\s*(?:{UNIT_PATTERN})(?:\s*\d+\s*(?:{UNIT_PATTERN}))?\s*$")
_VARIANT_GROUP = re.compile(r"[（(]([^（）()]*[/、|｜][^（）()]*)[)）]")
_ANY_GROUP = re.compile(r"[（(][^（）()]*[)）]")
_VARIANT_SPLIT = re.compile(r"\s*[/、|｜]\s*")
# 一盒三个, 一盒4个, 6个装: the size of a pack inside which buyers may mix flavours.
_PACK_SIZE = re.compile(r"[一1][盒包袋箱份组套]([一二两三四五六七八九十\d]{1,3})[个只粒块颗枚片]")
_PACK_SIZE_ZHUANG = re.compile(r"(\d{1,2})\s*[个只粒块颗枚片]\s*[装裝]")
_WEIGHT_OR_COUNT = r"(?:斤|公斤|千克|kg|KG|Kg|g|G|克|两|L|升|ml|mL|ML|毫升|枚|个|只|片|根|粒|颗|条)"
# The pack's size after the name, set apart by a space: `10斤/袋`, `30枚/板`, `500g*2袋`, `2.5kg`,
# `一个约8斤`. It says what one unit holds; the name is what comes before it.
_PACK_SPEC = re.compile(
    rf"\s+(?:{_NUM}(?:\s*[-~～]\s*{_NUM})?\s*{_WEIGHT_OR_COUNT}(?:\s*[*×xX]\s*\d+\s*(?:{UNIT_PATTERN}))?"
    rf"(?:\s*/\s*(?P<per>{UNIT_PATTERN}))?"
    rf"|[一1]\s*(?P<one>{UNIT_PATTERN})\s*约?\s*{_NUM}(?:\s*[-~～]\s*{_NUM})?\s*(?:斤|公斤|kg|两|克|g)半?)"
    rf"(?=\s|$)"
)
_EDGE_JUNK = re.compile(r"^[\s:：,，.。、;；\-—–~～*]+|[\s:：,，.。、;；\-—–~～*/]+$")
_LETTER_MENU = re.compile(r"^\s*([A-Za-z])\s*[:：]\s*(\S.*)$")
# `A 红烧肉套餐 18`, `B. 宫保鸡丁`, `C、素菜`: a capital, then a dish (never 区, 栋, 座: those are places).
_LETTER_MENU_LOOSE = re.compile(
    r"^\s*([A-Z])\s*(?:[.、)）]\s*|\s+)(?![区栋座楼幢号站])([\u4e00-\u9fff\U0001f300-\U0001faff].*)$"
)


def has_price(text: str) -> bool:
    """True when the text carries a price a catalog line would print (¥5, 30元, 16.9, 5/个).

    A bare trailing integer (`Rain 13`) is not enough: member lines end in product codes too.
    """
    return bool(_CURRENCY_PRICE.search(text) or _YUAN_PRICE.search(text) or _DECIMAL_OR_PER_UNIT.search(text))


def letter_menu_line(line: str) -> tuple[str, str] | None:
    """`C：牛肋条`, `A 红烧肉套餐 18` → ("C", "牛肋条"), ("A", "红烧肉套餐 18"); None for any other line."""
    match = _LETTER_MENU.match(line) or _LETTER_MENU_LOOSE.match(line)
    if match is None:
        return None
    return match.group(1).upper(), match.group(2)


def read_catalog_entry(code: str | None, text: str) -> CatalogEntry | None:
    """Read one printed catalog line (continuation lines joined by newlines) into an entry."""
    text = _TRAILING_REMARK.sub("", " ".join(text.split()))
    name_part, prices, unit = _split_price(text)
    variants: tuple[str, ...] = ()
    group = _VARIANT_GROUP.search(name_part)
    if group is not None:
        variants = tuple(v for v in _VARIANT_SPLIT.split(group.group(1).strip()) if v)
        name_part = name_part[: group.start()] + name_part[group.end() :]
    spec = _PACK_SPEC.search(name_part)
    if spec is not None and spec.start() > 0 and (unit or spec.group("per") or spec.group("one")):
        # 笨鸡蛋 30枚/板, 五常大米 10斤/袋: what one unit holds; the unit is what is sold. Without
        # a unit to sell by (`玉米 10根 15元`), the size is the only unit there is: it stays.
        unit = unit or canonical_unit(spec.group("per") or spec.group("one"))
        name_part = name_part[: spec.start()] + name_part[spec.end() :]
    name = _EDGE_JUNK.sub("", strip_emoji(name_part)).strip()
    name = " ".join(name.split())
    if not name:
        return None
    if unit is None:
        sale_unit = _SALE_UNIT.search(name) or _SALE_UNIT.search(text)
        unit = canonical_unit(sale_unit.group(1)) if sale_unit else None
    price_fen = _fen(prices[0]) if prices else None
    variant_prices = (
        tuple(_fen(p) for p in prices) if len(prices) > 1 and len(prices) == len(variants) else ()
    )
    return CatalogEntry(
        name=name,
        code=code,
        unit=unit,
        price_fen=price_fen,
        aliases=_aliases(name),
        variants=variants,
        variant_prices_fen=variant_prices,
    )


def pack_size(entry: CatalogEntry) -> int | None:
    """How many pieces a mixed-flavour pack holds (牛油酥皮小泡芙一盒四个 → 4), or None.

    A product whose flavours carry different prices is sold one flavour per pack, so it has none.
    """
    if len(set(entry.variant_prices_fen)) > 1 or not entry.variants:
        return None
    match = _PACK_SIZE.search(entry.name) or _PACK_SIZE_ZHUANG.search(entry.name)
    if match is None:
        return None
    size = parse_number(match.group(1))
    return int(size) if size is not None and 1 < size <= 24 else None


def _split_price(text: str) -> tuple[str, list[Decimal], str | None]:
    """The text before the price, the prices (several for per-variant lists) and the sale unit."""
    for pattern in (_CURRENCY_PRICE, _YUAN_PRICE):
        match = pattern.search(text)
        if match is not None:
            before = text[: match.start()]
            unit = canonical_unit(match.group(2)) if match.group(2) else None
            if unit is None:
                sale_unit = _SALE_UNIT.search(before)
                unit = canonical_unit(sale_unit.group(1)) if sale_unit else None
            return _SALE_UNIT_TAIL.sub("", before), [Decimal(match.group(1))], unit
    match = _TRAILING_PRICES.search(text)
    if match is not None and match.start() > 0:
        prices = [Decimal(p) for p in re.split(r"\s*/\s*", match.group(1))]
        unit = canonical_unit(match.group(2)) if match.group(2) else None
        return text[: match.start()], prices, unit
    return text, [], None


def _aliases(name: str) -> tuple[str, ...]:
    """Shorter names members use, without the pack size or a bracketed remark: 肉松小贝一盒三个 → 肉松小贝."""
    aliases: list[str] = []
    core = _ANY_GROUP.sub("", name).strip()
    for candidate in (core, _PACK_SIZE.sub("", core).strip(), _PACK_SIZE_ZHUANG.sub("", core).strip()):
        if candidate and candidate != name and len(candidate) >= 2 and candidate not in aliases:
            aliases.append(candidate)
    return tuple(aliases)


def _fen(price: Decimal) -> int:
    return int((price * 100).to_integral_value())
