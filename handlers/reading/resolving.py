"""Pass 3 of reading a line: each paired mention becomes items, in the product's sale unit, with
every doubt recorded (two products fit, none fits, the unit does not convert, the count is absurd)."""

from __future__ import annotations

import re
from decimal import Decimal

from handlers.reading import reasons
from handlers.reading.context import ReadContext
from handlers.reading.findings import Issue, LineReading
from handlers.reading.matching import match_in
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.reading.numbers import is_absurd, tidy
from handlers.reading.offer import UNNAMED_OFFER
from handlers.reading.pairing import Mention
from handlers.reading.people import PRONOUNS, is_household, looks_like_full_name
from handlers.reading.units import PORTION_UNITS, UNITS, canonical_unit, convert
from handlers.reading.variants import FlavourPick, mixed_box
from handlers.reading.words import GIFT_WORDS, clean_product

HEADCOUNT = "人数"
GIFT = "赠品"


def resolve(mention: Mention, text: str, ctx: ReadContext, reading: LineReading) -> None:
    raw = text[mention.start : mention.end].strip()
    entry = mention.entry
    product_text = mention.text
    gift = False
    if entry is None and product_text is not None:
        gift_match = GIFT_WORDS.match(product_text)
        if gift_match is not None:
            product_text, gift = gift_match.group(1), True
        product_text = clean_product(product_text)
        if canonical_unit(product_text) in UNITS or product_text in ("个", "個"):
            product_text = ""  # 要个15斤: a measure word, not a product
        elif product_text in PRONOUNS or is_household(product_text):
            if product_text not in PRONOUNS:
                reading.notes.append(product_text)
            product_text = ""  # 我两箱, 我自己两箱, 我妈一份: who the count is for, not a product
        if not product_text:
            if mention.qty is None:
                return
            mention.implicit = True
        else:
            doubts = len(reading.issues)
            entry = _match_words(product_text, mention, ctx, reading)
            found_doubt = len(reading.issues) > doubts
            if (
                entry is None
                and mention.qty is None
                and not (mention.priced or mention.add_on or mention.label)
            ):
                reading.notes.append(mention.text or "")
                if not found_doubt:
                    reading.unmatched.append(product_text)
                return
    if entry is None and (mention.implicit or product_text is None):
        _resolve_implicit(mention, raw, ctx, reading)
        return
    if mention.add_on and product_text:
        reading.add_ons.add(product_text)
    qty = mention.qty if mention.qty is not None else Decimal(1)
    if entry is None:
        assert product_text is not None
        _add(reading, ReadItem(product_text, tidy(qty), mention.unit or mention.price_unit, raw,
                               variant=GIFT if gift else None))  # fmt: skip
        return
    qty, unit = _in_sale_unit(entry, qty, mention.unit or mention.price_unit, reading)
    if mention.pick is not None:
        _add_flavours(entry, mention.pick, qty, unit, raw, reading)
        return
    _add(reading, ReadItem(entry.name, tidy(qty), unit, raw, code=entry.code, variant=GIFT if gift else None))


def _match_words(words: str, mention: Mention, ctx: ReadContext, reading: LineReading) -> CatalogEntry | None:
    """The catalog entry free words name; records a doubt when they name two or none."""
    found = match_in(words, ctx.index)
    if found.entry is not None:
        if found.variant is not None:
            mention.pick = FlavourPick(counts=((found.variant, 1),))
        return found.entry
    if found.ambiguous:
        names = " 还是 ".join(c.name for c in found.candidates)
        reading.issues.append(Issue(reasons.AMBIGUOUS_PRODUCT, f"{words}: {names}?", found.candidates))
        return None
    if ctx.catalog and (mention.qty is not None or mention.priced):
        reading.issues.append(Issue(reasons.UNKNOWN_PRODUCT, f"没有找到商品 {words}"))
    elif not ctx.catalog and mention.qty is not None and looks_like_full_name(words):
        # 张三 2份 李四 1份: a second person on the line, not a product called 李四.
        reading.issues.append(Issue(reasons.AMBIGUOUS_PRODUCT, f"{words} 是商品，还是另一个人?"))
    return None


def _resolve_implicit(mention: Mention, raw: str, ctx: ReadContext, reading: LineReading) -> None:
    qty = mention.qty if mention.qty is not None else Decimal(1)
    unit = canonical_unit(mention.unit)
    if ctx.offer.kind == "signup" and (unit in ("人", "位") or unit is None):
        _add(reading, ReadItem(HEADCOUNT, tidy(qty), "人", raw, implicit=True))
        return
    implicit = ctx.implicit
    if implicit is None:
        if len(ctx.catalog) > 1:
            reading.issues.append(
                Issue(reasons.AMBIGUOUS_PRODUCT, "没写要哪个商品", tuple(ctx.catalog), which_product=True)
            )
        # With nothing to say what it is of, a bare count is a count of portions.
        _add(reading, ReadItem(UNNAMED_OFFER, tidy(qty), unit or ctx.offer.unit or "份", raw, implicit=True))
        return
    qty, sale_unit = _in_sale_unit(implicit, qty, unit, reading)
    _add(reading, ReadItem(implicit.name, tidy(qty), sale_unit, raw, code=implicit.code, implicit=True))


# Units that hold many pieces, or weigh: 鸡蛋2个 is two eggs, not two 板; 西红柿2个 two tomatoes.
_SOLD_BY_MANY = re.compile(r"^(?:斤|公斤|千克|克|两|kg|g|板|箱|盒|袋|把|提|打|串|捆|筐|件)$")


def _in_sale_unit(
    entry: CatalogEntry, qty: Decimal, written: str | None, reading: LineReading
) -> tuple[Decimal, str | None]:
    """The quantity in the unit the product is sold in: 1公斤 of a 斤 product is 2 斤; 份 and 个 mean
    one unit of sale; a unit that does not convert (1箱 of a 斤 product) is kept, and doubted."""
    written = canonical_unit(written)
    if written is None or entry.unit is None:
        return qty, written or entry.unit
    converted = convert(qty, written, entry.unit)
    if converted is not None:
        return converted, entry.unit
    if written in PORTION_UNITS or (written == "个" and not _SOLD_BY_MANY.search(entry.unit)):
        return qty, entry.unit
    reading.issues.append(Issue(reasons.UNIT_MISMATCH, f"{entry.name} 按{entry.unit}卖，写的是{written}"))
    return qty, written


def _add_flavours(
    entry: CatalogEntry, pick: FlavourPick, qty: Decimal, unit: str | None, raw: str, reading: LineReading
) -> None:
    box = mixed_box(entry, pick)
    if box is not None:
        variant, fills = box
        if not fills:
            reading.issues.append(Issue(reasons.VARIANT_COUNT, f"{entry.name} 一盒装不下/装不满 {variant}"))
        _add(reading, ReadItem(entry.name, tidy(qty), unit, raw, code=entry.code, variant=variant))
        return
    for variant, count in pick.counts:
        _add(reading, ReadItem(entry.name, tidy(qty * count), unit, raw, code=entry.code, variant=variant))


def _add(reading: LineReading, item: ReadItem) -> None:
    """Add an item; the same product twice in one line (`加包子 … 加包子`, `1+1`) is one item."""
    for i, earlier in enumerate(reading.items):
        same = (earlier.product, earlier.variant, earlier.unit, earlier.code, earlier.implicit)
        if same == (item.product, item.variant, item.unit, item.code, item.implicit):
            merged = earlier.raw if item.raw == earlier.raw else f"{earlier.raw} + {item.raw}"
            item = ReadItem(item.product, earlier.qty + item.qty, item.unit, merged, item.code, item.variant,
                            item.implicit)  # fmt: skip
            reading.items[i] = item
            break
    else:
        reading.items.append(item)
    if is_absurd(item.qty):
        reading.issues.append(Issue(reasons.ABSURD_QUANTITY, f"{item.product} {item.qty} 不像是真的数量"))
