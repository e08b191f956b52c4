"""接龙 lists: cut a post into title, description, printed catalog and member lines, then read each line.

`read_chain` is exactly `split_chain` plus `read_chain_row` for each member line, so the live bot,
which re-reads only the lines a repost changed, gets the same rows as a full read. Reading a row
looks at that row, the catalog and the title's offer, never at other rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from handlers.reading import reasons
from handlers.reading.catalog import has_price, letter_menu_line, read_catalog_entry
from handlers.reading.context import ReadContext, context_for, implicit_portion
from handlers.reading.findings import Issue, LineReading
from handlers.reading.flavour_list import flavour_catalog
from handlers.reading.lines import read_line
from handlers.reading.model import CatalogEntry, ChainReading, ReadItem, ReadRow, RowStatus
from handlers.reading.offer import NO_OFFER, Offer, read_offer
from handlers.reading.resolving import HEADCOUNT
from handlers.reading.text import normalize_text
from handlers.reading.units import UNIT_PATTERN

# Past these a post is not a group's list but a flood; the rest is left unread (and said so).
MAX_TEXT = 200_000
MAX_LINES = 2_000

_HEADER = re.compile(r"#\s*(?:接龙|接龍|group\s*note|开团|開團|团购|團購)", re.IGNORECASE)
_EXAMPLE = re.compile(r"^\s*(?:例如|示例|举例|例子|格式|例)\s*[:：.、]?\s*")
# `1. 示例：3栋502 张三 2袋`: a numbered line can be the leader's example too, when it says so.
_NUMBERED_EXAMPLE = re.compile(r"^\s*(?:(?:例如|示例|举例|例子|格式)\s*[:：.、]?|例\s*[:：])\s*")
_NUMBERED = re.compile(
    r"^\s*(?:(?P<n>\d{1,4})\s*(?P<p>[.、)）])|[（(]\s*(?P<n2>\d{1,4})\s*[)）]|(?P<c>[\u2460-\u2473]))(?P<body>.*)$"
)
# `3. ` inside a line: the next member of a list that arrived on one line.
_INLINE_NUMBER = re.compile(r"(?:^|\s)(\d{1,4})\s*[.、](?=\s|$)")
_INLINE_LIST_START = re.compile(r"(?:^|\s)1\s*[.、]\s+\S.*?\s2\s*[.、](?:\s|$)")
_DATE_AFTER_DOT = re.compile(r"^\d{1,2}(?!\d)\s*(?:号|日|月|星期|周)")
_CODED_PRODUCT = re.compile(r"^\s*(\d{1,3})\s*号\s+(\S.*)$")
# `赵六 1份（取消）`, `赵六 1份 不要了`: a member line its writer has withdrawn (but `香菜不要了` is a
# remark about the dish).
_WITHDRAWN = re.compile(r"取消|作废|退单|撤单|不买了|(?:^|[\s，,（(])(?:不要了|不要啦)")
# `半箱可以吗`, `还能加一箱吗?`: a member asking whether they may order, which the leader answers.
_ASKS = re.compile(r"[?？]|吗\s*[。.!！~～]*$|能不能|可不可以|行不行")
# `红薯1袋 可能要多一袋，晚点确认`: the member has not decided; the leader confirms later.
_UNSURE = re.compile(r"可能|也许|说不定|待定|不确定|再确认|晚点确认|看看再说|看情况")
# `时间：周日下午`, `地点：Atelier`: a labelled detail of the post, never its title.
_LABELLED = re.compile(r"^[^\s:：]{1,6}\s*[:：]")
# `小明：#1`: a chat message after a posted menu, not more of the menu's last line.
_CHAT_LINE = re.compile(r"^[^\s:：#\d()（）]{1,12}[:：]\s*\S")
_TRAILER = re.compile(
    r"截单|截止|截团|结束|快点|大家|谢谢|感谢|团长|统计|付款|自提|提货|到货|送达|发货|群里|通知|接龙|抓紧|为止|之前"
)


@dataclass(frozen=True, slots=True)
class ChainLine:
    """One member line of a 接龙: its printed number (None for a 例 line) and its text, with any
    continuation lines joined by newlines."""

    seq: int | None
    text: str
    # The line as printed, number included, for the row's `raw`.
    raw: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class ChainLayout:
    """A 接龙 post cut into its parts, before any member line is read."""

    title: str | None
    description: tuple[str, ...] = ()
    catalog: tuple[CatalogEntry, ...] = ()
    lines: tuple[ChainLine, ...] = ()
    trailer: tuple[str, ...] = ()
    # What the title sells, for lines that name no product; pass it to `read_chain_row`.
    offer: Offer = NO_OFFER
    # A numbered catalog was printed above the member lines (their first row is often a demo).
    catalog_first: bool = False
    has_header: bool = False
    # Lines past MAX_LINES that were not read.
    unread: int = 0


@dataclass(slots=True)
class _Entry:
    seq: int | None
    lines: list[str]
    raw: list[str]
    example: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def split_chain(text: str) -> ChainLayout | None:
    """The parts of a 接龙 post, or None when the text is not a chain list. Never raises."""
    return _split_chain(text[: MAX_TEXT * 2])


# The bot splits each repost twice (to see that it is a chain, then to diff it); layouts are
# immutable, so the last few are kept.
@lru_cache(maxsize=8)
def _split_chain(text: str) -> ChainLayout | None:
    text = normalize_text(text)[:MAX_TEXT]
    lines = text.split("\n")
    header_at = max((i for i, line in enumerate(lines) if _HEADER.search(line)), default=None)
    title: str | None = None
    if header_at is not None:
        header = _HEADER.search(lines[header_at])
        assert header is not None
        title = lines[header_at][header.end() :].strip() or None
        lines = lines[header_at + 1 :]
        listed = _INLINE_LIST_START.search(title or "")
        if title and listed is not None:
            # `#接龙 3. 周年庆 1. 门店+型号 2. 倪彩霞`: the whole list came on the header line.
            lines.insert(0, title[listed.start() :].strip())
            title = title[: listed.start()].strip() or None
    unread = max(0, len(lines) - MAX_LINES)
    entries, title, description, menu, trailer = _parse_lines(lines[:MAX_LINES], title)
    numbered = [e for e in entries if not e.example]
    if header_at is None and not _looks_like_list(numbered, entries, lines):
        return None
    catalog_block, members = _catalog_and_members(numbered)
    offer = read_offer(title, tuple(description))
    catalog: list[CatalogEntry | None] = []
    for entry in catalog_block:
        # `3. 草莓 88元` then `散称：砂糖橘 5元/斤` under it: a second product, not more of the first.
        extra = {i: _priced_goods(line) for i, line in enumerate(entry.lines) if i > 0}
        kept = [line for i, line in enumerate(entry.lines) if extra.get(i) is None]
        catalog.append(read_catalog_entry(str(entry.seq), "\n".join(kept)))
        catalog += [goods for goods in extra.values() if goods is not None]
    catalog += [read_catalog_entry(code, body) for code, body in menu]
    if catalog:
        # `散称：砂糖橘 5元/斤` between the catalog and the members reads like a chat line.
        catalog += [goods for goods in map(_priced_goods, trailer) if goods is not None]
    if not catalog:
        # A meal's title prices the meal itself (午餐 15元/份), which is the one offer.
        catalog = _priced_lines([*([] if offer.kind == "meal" else [title or ""]), *description])
    if not catalog and offer.kind != "meal":
        catalog = list(flavour_catalog(title, description, offer.unit, offer.price_fen))
    if offer.kind == "meal":
        # A meal relay's menu sells portions: C 牛肋条 is one 份 of it.
        catalog = [replace(e, unit=e.unit or "份") if e is not None else None for e in catalog]
        if catalog:
            catalog += _priced_add_ons(description)
    member_ids = {id(e) for e in members}
    chain_lines = tuple(
        ChainLine(seq=e.seq, text=e.text, raw="\n".join(e.raw))
        for e in entries
        if e.example or id(e) in member_ids
    )
    return ChainLayout(
        title=title,
        description=tuple(description),
        catalog=tuple(entry for entry in catalog if entry is not None),
        lines=chain_lines,
        trailer=tuple(trailer),
        offer=offer,
        catalog_first=bool(catalog_block),
        has_header=header_at is not None,
        unread=unread,
    )


def _priced_lines(lines: list[str]) -> list[CatalogEntry | None]:
    """`鲜肉包 2元/个` and `豆浆 3元/杯`, unnumbered, on the title or under it: the day's price list.
    Only when two or more goods carry a price and every one of them reads as goods and a price;
    one priced line describes the day's single product, and `原价39元` or `满50元免运费` are no goods."""
    parts = [_as_price_line(part) for line in lines for part in _PARTS.split(line)]
    priced = [part for part in parts if has_price(part)]
    if len(priced) < 2:
        return []
    entries = [_goods_and_price(part) for part in priced]
    return entries if all(entry is not None for entry in entries) else []


def _priced_add_ons(description: Sequence[str]) -> list[CatalogEntry | None]:
    """`加煎蛋2元/个 红糖冰粉5元/碗` under a meal's menu: extras a member may add to a dish, as
    products of their own, found by their short names too (`加蛋`, `冰粉`). Only under a menu: a
    meal sold alone is the one offer, and its add-ons never make a catalog of their own."""
    extras: list[CatalogEntry | None] = []
    for line in description:
        label = _ADD_ON_LABEL.match(line)
        if label is None:
            continue
        parts = [_as_price_line(part) for part in _PARTS.split(line[label.end() :]) if part.strip()]
        goods = [_goods_and_price(_ADD_ON_WORD.sub("", part)) for part in parts if has_price(part)]
        if goods and all(entry is not None for entry in goods):
            extras += [replace(entry, aliases=_add_on_aliases(entry.name)) for entry in goods if entry]
    return extras


def _add_on_aliases(name: str) -> tuple[str, ...]:
    """加蛋 for 煎蛋, 冰粉 and 加冰粉 for 红糖冰粉: how a member asks for an extra."""
    short = name[-2:] if len(name) > 2 else name[-1]
    return tuple(dict.fromkeys((f"加{name}", short, f"加{short}")))


# `加购：米饭2元/份`, `加煎蛋2元/个`, `另加：可乐4元/罐`: a line of extras, priced one by one.
_ADD_ON_LABEL = re.compile(r"^\s*(?:(?:加购|加料|加菜|另加|可加|小料|配菜|加)\s*[:：]?\s*)(?=\S)")
_ADD_ON_WORD = re.compile(r"^\s*加")


def _priced_goods(line: str) -> CatalogEntry | None:
    """The goods and price a whole line gives (`散称：砂糖橘 5元/斤`), or None."""
    part = _as_price_line(_LABEL.sub("", line.strip()))
    return _goods_and_price(part) if has_price(part) else None


def _as_price_line(part: str) -> str:
    """A priced part written the way `read_catalog_entry` reads it: choices after the name, the
    pack size dropped before a per-unit price, and `20一只` written `20/只`."""
    part = _SIZE_PER_UNIT.sub(r"\g<price>/\g<unit>", _with_choices_after_name(part.strip()))
    part = _COUNT_PER_PACK.sub(r"\g<price>/\g<unit>", part)
    return _PER_UNIT.sub(r"\1/\2", part)


def _goods_and_price(part: str) -> CatalogEntry | None:
    entry = read_catalog_entry(None, part)
    return entry if entry is not None and _GOODS_NAME.match(entry.name) else None


def _with_choices_after_name(part: str) -> str:
    """`香肠 42元/斤（麻辣/广味）` → `香肠（麻辣/广味） 42元/斤`: flavours printed after the price belong
    to the name; any other bracket after it (`（约3只一斤）`) is a remark and goes."""
    group = _TRAILING_GROUP.search(part)
    if group is None:
        return part
    rest = part[: group.start()]
    if not _CHOICES.search(group.group(0)):
        return rest
    name = re.match(r"\S+", rest)
    return rest if name is None else f"{name.group(0)}{group.group(0).strip()}{rest[name.end() :]}"


# `梭子蟹 68/斤（约3只一斤）`: a bracket after the price; `（麻辣/广味）` lists choices.
_TRAILING_GROUP = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")
_CHOICES = re.compile(r"[/、|｜]")
# `蒙牛纯牛奶 250ml*24盒/箱 52元`: the pack's size, then the price of one 箱; the size is no name.
_SIZE_PER_UNIT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:ml|ML|毫升|g|G|克|kg|KG|斤|L)(?:\s*[*×xX]\s*\d+\s*[盒瓶袋包个支罐听])?"
    rf"\s*/\s*(?P<unit>{UNIT_PATTERN})\s*(?P<price>\d+(?:\.\d+)?\s*元)"
)
# `白馒头 10个一袋 12元`, `花卷 8个/袋 15元`: how many come in the pack, then the price of the pack.
_COUNT_PER_PACK = re.compile(
    rf"\d+\s*[个只粒枚块颗片]\s*(?:/|一|每)\s*(?P<unit>{UNIT_PATTERN})\s*(?P<price>\d+(?:\.\d+)?\s*元)"
)
# `腊肉 45元/斤，香肠 42元/斤`: two goods priced on one line.
_PARTS = re.compile(r"[，,；;]|\s{2,}|(?<=元/[\u4e00-\u9fff])\s+|(?<=\d元)\s+(?=[^\d\s])")
# `猪蹄 20一只`, `带鱼 35每条`: a price per unit written with 一 or 每 instead of a slash.
_PER_UNIT = re.compile(rf"(\d+(?:\.\d+)?)\s*元?\s*[一每]\s*({UNIT_PATTERN})\s*$")
# A price list's goods: a short name with no digits, and no word of prices, fees or delivery in it.
_GOODS_NAME = re.compile(r"^(?!加)(?!.*(?:价|费|满|运|共|合计|优惠|折|起|元|送|邮))[^\d\s]{2,12}$")
# `散称：砂糖橘 5元/斤`: a short label before the goods.
_LABEL = re.compile(r"^[^\s:：]{1,4}[:：]\s*")


def _parse_lines(
    lines: list[str], title: str | None
) -> tuple[list[_Entry], str | None, list[str], list[tuple[str, str]], list[str]]:
    entries: list[_Entry] = []
    description: list[str] = []
    menu: list[tuple[str, str]] = []
    trailer: list[str] = []
    previous_seq: int | None = None
    last: _Entry | None = None
    gap = False
    members_started = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            gap = True
            continue
        if _EXAMPLE.match(stripped) and not _NUMBERED.match(stripped):
            entries.append(_Entry(None, [stripped], [stripped], example=True))
            last, gap = None, False
            continue
        numbered = _numbered(stripped, previous_seq)
        if numbered:
            for seq, body in numbered:
                entries.append(_Entry(seq, [body], [stripped] if len(numbered) == 1 else [f"{seq}. {body}"]))
                previous_seq = seq
            last, gap, members_started = entries[-1], False, True
            continue
        coded = None if members_started else _CODED_PRODUCT.match(stripped)
        if coded is not None and has_price(coded.group(2)):
            # 1号 云南小土豆 ¥6/斤: a catalog numbered with 号, before the member list.
            entries.append(_Entry(int(coded.group(1)), [coded.group(2)], [stripped]))
            previous_seq, last, gap = int(coded.group(1)), entries[-1], False
            continue
        if not members_started:
            letter = letter_menu_line(stripped)
            if letter is not None:
                menu.append(letter)
            elif title is None and not _LABELLED.match(stripped):
                title = stripped
            else:
                description.append(stripped)
            continue
        if last is not None and not gap and not _TRAILER.search(stripped) and not _CHAT_LINE.match(stripped):
            last.lines.append(stripped)
            last.raw.append(stripped)
            continue
        trailer.append(stripped)
        last = None
    return entries, title, description, menu, trailer


# A repost repeats every earlier line; reading each distinct line once keeps a repost's cost close
# to the lines it adds.
@lru_cache(maxsize=16_384)
def _numbered(line: str, previous_seq: int | None) -> tuple[tuple[int, str], ...]:
    """`1. 张三 2份` → ((1, "张三 2份"),); a whole list on one line (`1. 2. 倪彩霞 3. 莓心`) → one per
    number; `6.8号星期一…` or `4.17健康打卡` (a date) → ()."""
    match = _NUMBERED.match(line)
    if match is None:
        return ()
    circled = match.group("c")
    seq = ord(circled) - 0x2460 + 1 if circled else int(match.group("n") or match.group("n2"))
    body = match.group("body")
    if match.group("p") == "." and body[:1].isdigit():
        expected = 1 if previous_seq is None else previous_seq + 1
        if seq != expected or _DATE_AFTER_DOT.match(body):
            return ()
    parts = [(seq, body.strip())]
    if "." not in body and "、" not in body:
        return tuple(parts)  # the usual case: one member, no inline numbers to look for
    while True:
        current_seq, current_body = parts[-1]
        following = next(
            (m for m in _INLINE_NUMBER.finditer(current_body) if int(m.group(1)) == current_seq + 1), None
        )
        if following is None:
            return tuple(parts)
        parts[-1] = (current_seq, current_body[: following.start()].strip())
        parts.append((current_seq + 1, current_body[following.end() :].strip()))


def _looks_like_list(numbered: list[_Entry], entries: list[_Entry], lines: list[str]) -> bool:
    """Without a #接龙 header, a pasted numbered list: two or more numbered lines making up most of it."""
    if len(numbered) < 2:
        return False
    in_entries = sum(len(e.lines) for e in entries)
    non_empty = sum(1 for line in lines if line.strip())
    return in_entries * 2 >= non_empty


def _catalog_and_members(numbered: list[_Entry]) -> tuple[list[_Entry], list[_Entry]]:
    """Split numbered entries into a printed catalog (numbering restarts after it) and member lines."""
    blocks: list[list[_Entry]] = []
    for entry in numbered:
        assert entry.seq is not None
        if not blocks or (blocks[-1][-1].seq is not None and entry.seq < blocks[-1][-1].seq):
            blocks.append([])
        blocks[-1].append(entry)
    if not blocks:
        return [], []
    if len(blocks) == 1:
        return (blocks[0], []) if _catalog_like(blocks[0]) else ([], blocks[0])
    members = blocks[-1]
    # Everything numbered before the member list is catalog (a menu may restart its numbering, or
    # print lunch and dinner apart), except earlier copies of the member list itself.
    catalog = [entry for block in blocks[:-1] if not _repost(block, members) for entry in block]
    return catalog, members


# `水蜜桃5斤装 ×2 ¥119.8`: a count, then what it costs. A member's order as group-buy apps list it;
# a catalog prints a price per unit, not a count.
_COUNT_THEN_TOTAL = re.compile(r"[×xX✖*]\ufe0f?\s*\d{1,3}\s+[¥￥$]?\s*\d+(?:\.\d+)?\s*元?\s*$")


def _catalog_like(block: list[_Entry]) -> bool:
    """A numbered block with no member list after it is a catalog when most lines carry a price.

    A member's basket (a name, then product lines each with a price, as in `1. ZJ` + `🐮金钱腱 $18/kg`)
    has prices too, but on its continuation lines, one per product; an order copied from a group-buy
    app (`小桃 水蜜桃5斤装 ×1 ¥59.9`) prices its count.
    """
    if len(block) < 2 or not has_price(block[0].text):
        return False  # a printed catalog prices its first product too
    needed = -(-len(block) * 3 // 5)  # at least 60% of the lines
    priced = 0
    for checked, entry in enumerate(block):
        basket = sum(1 for line in entry.lines[1:] if has_price(line)) >= 2
        if has_price(entry.text) and not basket and not _COUNT_THEN_TOTAL.search(entry.text):
            priced += 1
        if priced >= needed:
            return True
        if priced + len(block) - checked - 1 < needed:
            return False  # a long member list: decided after the first few lines
    return False


def _repost(earlier: list[_Entry], later: list[_Entry]) -> bool:
    later_texts = {" ".join(e.text.split()) for e in later}
    same = sum(1 for e in earlier if " ".join(e.text.split()) in later_texts)
    return same * 5 >= len(earlier) * 3


def read_chain_row(
    line: ChainLine,
    catalog: Sequence[CatalogEntry],
    *,
    first_row: bool = False,
    offer: Offer | None = None,
) -> ReadRow:
    """Read one member line. `first_row`: the first member line under a printed catalog, where a
    seller's demonstration (`1+2+3`) is an example, not an order. `offer`: `ChainLayout.offer`, what
    a line that names no product orders. Never raises."""
    text = normalize_text(line.text)
    raw = line.raw or (f"{line.seq}. {text}" if line.seq is not None else text)
    ctx = context_for(catalog, offer)
    example = _EXAMPLE.match(text) if line.seq is None else _NUMBERED_EXAMPLE.match(text)
    if example is not None:
        reading = read_line(text[example.end() :], ctx, mode="chain")
        return _row(line.seq, reading, "example", raw)
    reading = read_line(text, ctx, mode="chain")
    if first_row and _demonstration(reading, ctx):
        return _row(line.seq, reading, "example", raw)
    if reading.items and _WITHDRAWN.search(text):
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, "这一行写了取消，还要吗?"))
    elif reading.items and _ASKS.search(text):
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, "这一行是在问，算下单吗?"))
    elif reading.items and _UNSURE.search(text):
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, "这一行说还没定，数量要确认"))
    return _row(line.seq, reading, _status(reading, ctx), raw)


def _demonstration(reading: LineReading, ctx: ReadContext) -> bool:
    """`1+2+3` or `1+2`: the first catalog codes in order, one each, is the seller showing the format.
    A member who writes the products out (`芒果1箱 丑橘1箱`) orders them, whatever their order."""
    codes = [item.code for item in reading.items]
    first_codes = [entry.code for entry in ctx.catalog[: len(codes)]]
    return (
        len(codes) >= 2
        and codes == first_codes
        and all(item.qty == 1 and item.variant is None for item in reading.items)
        and all(_BARE_CODE.match(item.raw) for item in reading.items)
    )


# How a demonstration writes a product: its code alone (`1`, `#2`, `3号`).
_BARE_CODE = re.compile(r"^\s*#?\s*(?:[A-Za-z]|\d{1,3})\s*号?\s*$")


def _status(reading: LineReading, ctx: ReadContext) -> RowStatus:
    if (
        ctx.offer.kind == "meal"
        and reading.items
        and all(i.product in reading.add_ons for i in reading.items)
    ):
        # 加一个黑凉粉 and nothing else: the add-on on top of the day's meal, or the add-on alone?
        reading.items.insert(0, implicit_portion(ctx))
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, "只写了加购，还要一份套餐吗?"))
    if not reading.items and reading.unmatched and ctx.catalog and reading.name:
        # 冰saya 麦辣鸡腿堡 + 麦辣鸡翅: an order, but of nothing on the menu. Ask, don't drop it.
        reading.issues.append(Issue(reasons.UNKNOWN_PRODUCT, f"菜单上没有 {'、'.join(reading.unmatched)}"))
    elif (
        not reading.items
        and reading.unmatched
        and reading.options
        and reading.name
        and ctx.offer.kind != "meal"
    ):
        # 小美 杨枝甘露 大杯 少冰: one, most likely; the leader confirms.
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{'、'.join(reading.unmatched)} 要几份?"))
        if len(reading.unmatched) == 1:
            reading.items.append(ReadItem(reading.unmatched[0], Decimal(1), None, reading.unmatched[0]))
    if ctx.offer.kind == "signup" and not ctx.catalog:
        goods = [item.product for item in reading.items if item.product != HEADCOUNT]
        if goods:
            # 配速6'30 in a running check-in: a sign-up sells nothing, so this is no order.
            reading.issues.append(
                Issue(reasons.AMBIGUOUS_PRODUCT, f"报名/打卡接龙，{'、'.join(goods)} 不像订单")
            )
    if reading.issues:
        return "review"
    if reading.items:
        return "ok"
    if reading.numeral_in_name and ctx.offer.kind in ("buy", "meal"):
        reading.issues.append(_numeral_issue(reading))
        return "review"
    if ctx.implicit is not None and reading.name and not reading.order_like:
        # A meal relay: a bare name (with area and remarks) is one portion of the day's meal.
        # A single-product buy: a bare name is most likely one, but the leader confirms.
        if ctx.offer.kind == "meal":
            reading.items.append(implicit_portion(ctx))
            return "ok"
        if ctx.offer.kind == "buy":
            reading.items.append(implicit_portion(ctx))
            reading.issues.append(
                Issue(reasons.AMBIGUOUS_QUANTITY, f"{reading.name} 只写了名字，是要 1 份吗?")
            )
            return "review"
    return "chatter"


def _numeral_issue(reading: LineReading) -> Issue:
    return Issue(reasons.AMBIGUOUS_QUANTITY, f"{reading.name} 是名字，还是名字加数量?")


def _row(seq: int | None, reading: LineReading, status: RowStatus, raw: str) -> ReadRow:
    first = reading.issues[0] if reading.issues and status == "review" else None
    detail = "；".join(dict.fromkeys(issue.detail for issue in reading.issues)) if first else None
    return ReadRow(
        seq=seq,
        name=reading.name,
        note=reading.note,
        status=status,
        reason=first.code if first else None,
        raw=raw,
        items=tuple(reading.items),
        reason_detail=detail,
    )


# A title that announces (到货, 通知, 清单, 上新): the leader speaking, not a member list's header.
_ANNOUNCING = re.compile(r"到货|到了|通知|公告|清单|上新|预售|开团|今日|明日|今天|明天|特价|价格|菜单")


def _leaders_list(layout: ChainLayout, rows: list[ReadRow]) -> bool:
    """A numbered list pasted without #接龙 under an announcing title, whose lines name no one and
    give no address: the leader's list of goods."""
    ordered = [row for row in rows if row.items]
    return (
        not layout.has_header
        and bool(ordered)
        and _ANNOUNCING.search(" ".join((layout.title or "", *layout.description))) is not None
        and all(row.name is None and row.note is None for row in ordered)
    )


def read_chain(text: str, catalog: Sequence[CatalogEntry] = ()) -> ChainReading | None:
    """Read a whole 接龙 post; None when the text is not a chain list. A catalog passed in wins over
    the one printed in the text. Never raises."""
    layout = split_chain(text)
    return None if layout is None else read_layout(layout, catalog)


def read_layout(layout: ChainLayout, catalog: Sequence[CatalogEntry] = ()) -> ChainReading:
    """Read every member line of a split chain against `catalog`, or the printed one when empty."""
    chosen = tuple(catalog) or layout.catalog
    rows: list[ReadRow] = []
    first_member = True
    for line in layout.lines:
        rows.append(
            read_chain_row(line, chosen, first_row=layout.catalog_first and first_member, offer=layout.offer)
        )
        if line.seq is not None:
            first_member = False
    if _leaders_list(layout, rows):
        # 明天到货：1. 苹果 10斤 2. 香蕉 5斤: the leader listing the goods, with no one's name on them.
        detail = "像是团长列的货品清单，不是谁的订单"
        rows = [
            replace(row, status="review", reason=reasons.NO_NAME, reason_detail=detail)
            if row.status == "ok"
            else row
            for row in rows
        ]
    if layout.unread:
        rows.append(
            ReadRow(
                seq=None,
                name=None,
                note=None,
                status="review",
                reason=reasons.TOO_LONG,
                raw=f"（另有 {layout.unread} 行未读）",
                reason_detail=f"接龙太长，后面 {layout.unread} 行没有读",
            )
        )
    return ChainReading(
        title=layout.title,
        description=layout.description,
        catalog=chosen,
        rows=tuple(rows),
        trailer=layout.trailer,
    )
