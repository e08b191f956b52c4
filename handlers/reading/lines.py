"""Items in a line: who wrote it, what they ordered, and what a careful leader would doubt.

One line is read in three passes over the lexer's tokens (`tokens.py`):
1. the name (`naming.py`): the words before the first thing that orders;
2. the order (`pairing.py`): products, codes and free product words paired with quantities;
3. the verdict (`resolving.py`): items in the sale unit, every doubt recorded as an issue, so the
   row goes to review instead of being silently wrong.
Everything that is neither name nor order (addresses, times, remarks, prices) becomes the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from handlers.reading import reasons
from handlers.reading.codes import spell_out_codes
from handlers.reading.context import Mode, ReadContext
from handlers.reading.findings import Issue, LineReading
from handlers.reading.model import ReadItem
from handlers.reading.naming import split_name
from handlers.reading.numbers import COUNT_NUMERALS, parse_number, writes_a_count
from handlers.reading.pairing import read_order
from handlers.reading.people import is_household
from handlers.reading.resolving import resolve
from handlers.reading.tokens import scan
from handlers.reading.units import UNIT_PATTERN, canonical_unit, is_weight
from handlers.reading.words import REMARK

# The longest line worth reading, and the most continuation lines of one member (a basket of
# products, one a line); past them the rest is left to the leader.
MAX_LINE = 400
MAX_CONTINUATIONS = 40
# `姓名：张敏 份数：2 地址：3-502`: a template's field names, not words of the order.
_FIELD_LABEL = re.compile(
    r"(?:姓名|名字|称呼|昵称|份数|数量|件数|地址|楼号|房号|门牌号?|电话|手机号?|联系方式)\s*[:：]"
)


def read_line(text: str, ctx: ReadContext, *, mode: Mode = "chain") -> LineReading:
    """Read one line (continuation lines separated by newlines) into name, items, note and issues."""
    reading = LineReading()
    head, *continuations = text.split("\n")
    if len(continuations) > MAX_CONTINUATIONS or any(len(line) > MAX_LINE for line in (head, *continuations)):
        reading.issues.append(
            Issue(reasons.TOO_LONG, f"太长，每行只读前{MAX_LINE}个字、前{MAX_CONTINUATIONS}行")
        )
        head = head[:MAX_LINE]
        continuations = [line[:MAX_LINE] for line in continuations[:MAX_CONTINUATIONS]]
    head = _FIELD_LABEL.sub(" ", spell_out_codes(head, ctx.index)).strip()
    head = _REMARK_AFTER_NAME.sub(r"\g<name> （\g<remark>） ", head)
    head = _ONE_AND_A_HALF.sub(r"一\1半", _set_aside_no_orders(head, reading))
    continuations = [
        _set_aside_no_orders(spell_out_codes(line, ctx.index), reading) for line in continuations
    ]
    head, total = _set_aside_total(head)
    tokens = scan(head, ctx.index)
    order_start = split_name(head, tokens, ctx, mode, reading)
    for mention in read_order(head, tokens[order_start:], ctx, reading, mode=mode):
        resolve(mention, head, ctx, reading)
    for line in continuations:
        if line.strip():
            for mention in read_order(line, scan(line, ctx.index), ctx, reading, mode=mode):
                resolve(mention, line, ctx, reading)
    _named_by_a_later_word(reading)
    _half_and_half(reading, ctx)
    _more_for_the_household(reading, text, ctx)
    _ask_about_a_count_for_someone_else(reading, head)
    if total is not None:
        _check_total(reading, total)
    return reading


# `我一箱，我公公也带一箱，一共两箱`: the sum of the counts before it, said again at the end.
_TOTAL = re.compile(
    r"[，,。;；\s]*(?:一共|总共|合计|共计|总计|共)\s*(?:是|要)?\s*"
    rf"(?P<qty>\d+(?:\.\d+)?|[{COUNT_NUMERALS}]+)\s*(?P<unit>{UNIT_PATTERN})?[的了吧啊哦呀。.!！~～\s]*$"
)


@dataclass(frozen=True, slots=True)
class _Total:
    qty: Decimal
    unit: str | None
    words: str


def _set_aside_total(head: str) -> tuple[str, _Total | None]:
    """Take a stated total off the end of the line, when other counts come before it (`一共要3份`
    alone is the order itself)."""
    found = _TOTAL.search(head)
    if found is None or not writes_a_count(head[: found.start()]):
        return head, None
    qty = parse_number(found.group("qty"))
    if qty is None:
        return head, None
    unit = canonical_unit(found.group("unit")) if found.group("unit") else None
    return head[: found.start()].strip(), _Total(qty, unit, found.group(0).strip(" ，,。;；"))


def _check_total(reading: LineReading, total: _Total) -> None:
    """The counts must add up to the total said after them; when they do not, the leader asks."""
    counted = sum((item.qty for item in reading.items if total.unit in (None, item.unit)), Decimal(0))
    if reading.items and counted != total.qty:
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"写了「{total.words}」，和前面的数量对不上"))


# `赵大爷（闺女代报）2箱`, `王奶奶（4号楼）`: a bracket glued to the name saying who entered it or
# where they live is a remark; the words before it are the name. (A bracket after goods, such as
# 芝芝葡萄（大杯）, says which kind and stays.)
_REMARK_AFTER_NAME = re.compile(
    r"^(?P<name>[^\s\d（()）]{1,10})[（(]"
    r"(?P<remark>[^（）()]{0,16}(?:代|帮|替|报|订|号楼|栋|幢|单元|室|楼)[^（）()]{0,8})[)）]\s*"
)


# 给我女儿也带3斤, 老公也要1板, 帮我妈带一板: more of the item before, for someone at home.
_FOR_THE_HOUSEHOLD = re.compile(
    r"^(?:给|帮|替)?(?:我|我们|俺)?(?:家)?(?:的)?(?:妈|妈妈|爸|爸爸|老婆|老公|爱人|媳妇|家里|婆婆|公公|"
    r"女儿|儿子|闺女|孩子|娃|父母|爸妈|奶奶|爷爷|外婆|姥姥|姐|哥|弟|妹|老人)(?:也|再|也再)?(?:带|要|来|订|买|留)?$"
)


def _more_for_the_household(reading: LineReading, text: str, ctx: ReadContext) -> None:
    """`番茄3斤 给我女儿也带3斤`: the second count is more of the same goods for the household, so
    the one item grows (the household's orders are the sender's). `鲜肉1袋 帮我妈带一袋蛋黄肉`
    names other goods after the count: those are what the household gets."""
    for item in list(reading.items):
        if item.code is not None or item.implicit or not _FOR_THE_HOUSEHOLD.match(item.product):
            continue
        index = reading.items.index(item)
        after = _text_after(item, text)
        counted = _uncounted_item_after(item, reading, after)
        goods = _goods_named_after(reading, after) if counted is None else None
        before = [i for i in reading.items[:index] if not i.implicit and i.unit == item.unit]
        if counted is not None:
            # 帮我妈带一板土鸡蛋, with 土鸡蛋 on the menu: the count is the eggs'.
            reading.items[reading.items.index(counted)] = replace(
                counted, qty=item.qty, raw=item.raw + counted.raw
            )
            reading.items.remove(item)
        elif goods is not None:
            reading.items[index] = replace(item, product=goods)
            reading.notes.remove(goods)
            if ctx.catalog:
                reading.issues.append(Issue(reasons.UNKNOWN_PRODUCT, f"菜单上没有 {goods}"))
        elif before:
            grown = replace(before[-1], qty=before[-1].qty + item.qty)
            reading.items = [grown if i is before[-1] else i for i in reading.items if i is not item]
        else:
            continue
        reading.issues = [i for i in reading.issues if item.product not in i.detail]


# `3份 帮楼上带两份`: a count for someone outside the household, beside the row's own count.
_FOR_SOMEONE_ELSE = re.compile(
    r"(?:(?:帮|给|替|代)(?!我|忙)(?P<who>[^\s，,。\d]{1,6}?)|(?P<near>楼上|楼下|邻居|隔壁|对门|对面|同事|(?<!小)朋友))"
    r"(?:也|再)?(?P<verb>带|要|订|买|留|拿|报)"
)
_COUNTED = re.compile(rf"(?:\d+(?:\.\d+)?|[{COUNT_NUMERALS}]+)\s*(?P<unit>{UNIT_PATTERN})")


def _ask_about_a_count_for_someone_else(reading: LineReading, text: str) -> None:
    """Whether the neighbour's count is part of the member's own or more than it, only the member
    knows (`3份 帮楼上带两份` is three or five); a household's is more (`_more_for_the_household`)."""
    found = _FOR_SOMEONE_ELSE.search(text)
    who = found.group("who") or found.group("near") if found is not None else None
    if found is None or who is None or not reading.items or is_household(who):
        return
    counted = _COUNTED.search(text[: found.start()])
    if counted is None or _COUNTED.search(text[found.end() :]) is None:
        return
    # The words 帮楼上带 are read as goods nobody sells; they are who the count is for.
    phrase = found.group()
    reading.items = [item for item in reading.items if item.product not in phrase]
    reading.issues = [issue for issue in reading.issues if phrase not in issue.detail]
    unit = canonical_unit(counted.group("unit")) or "份"
    reading.issues.insert(0, Issue(reasons.AMBIGUOUS_QUANTITY, f"{phrase}的算在里面吗，一共要几{unit}?"))


# `香肠4斤 一半麻辣一半广味`: one count shared equally between two flavours.
_HALF_AND_HALF = re.compile(
    r"一半(?P<first>[^\s，,。一]{1,6}?)(?:的)?[，,\s]*一半(?P<second>[^\s，,。]{1,6}?)(?:的)?(?=$|[\s，,。])"
)


def _half_and_half(reading: LineReading, ctx: ReadContext) -> None:
    """Split the one item in no flavour into the two flavours of it the note halves it between."""
    found = _HALF_AND_HALF.search(" ".join(reading.notes))
    plain = [item for item in reading.items if item.variant is None and not item.implicit]
    if found is None or len(plain) != 1:
        return
    item = plain[0]
    entry = next((e for e in ctx.catalog if e.name == item.product), None)
    halves = (found.group("first"), found.group("second"))
    if entry is None or not all(half in entry.variants for half in halves):
        return
    if item.qty % 2 and not is_weight(item.unit):
        return  # 3袋 一半…一半…: a bag is not split; the count stands, with the note for the leader
    at = reading.items.index(item)
    reading.items[at : at + 1] = [replace(item, qty=item.qty / 2, variant=half) for half in halves]
    reading.notes = [note for note in reading.notes if note not in found.group()]


def _text_after(item: ReadItem, text: str) -> str | None:
    """What the line says right after `item`'s own words, or None when they cannot be found."""
    at = text.find(item.raw)
    return text[at + len(item.raw) :] if at >= 0 else None


def _uncounted_item_after(item: ReadItem, reading: LineReading, after: str | None) -> ReadItem | None:
    """The item glued after `item`'s count that wrote no count of its own, in the same unit."""
    index = reading.items.index(item)
    if after is None or index + 1 >= len(reading.items):
        return None
    following = reading.items[index + 1]
    glued = after.startswith(following.raw)
    same_unit = following.unit in (None, item.unit)
    return following if glued and same_unit and not writes_a_count(following.raw) else None


def _goods_named_after(reading: LineReading, after: str | None) -> str | None:
    """The words glued to a count that were set aside as a note, if they may be goods
    (`一袋蛋黄肉`; in `一提 她住8栋` the words after the space are a remark)."""
    if after is None:
        return None
    return next(
        (note for note in reading.notes if note and after.startswith(note) and not REMARK.search(note)),
        None,
    )


# 橙子一箱 不要大米, 富士2斤，别要青苹果: what is not wanted is never an item. Only a clause that
# starts with it: 1份不要葱 is a remark on one portion, a bare 不要了 withdraws, 要不要 asks.
_NEGATED = re.compile(
    r"(?:^|(?<=[\s，,。；;]))(?:不要|别要|不买|不需要|不用|不订)"
    r"(?![了啦]?(?:$|[\s，,。；;!！]))[^\s，,。；;!！?？0-9]{1,8}"
)


def _set_aside_no_orders(text: str, reading: LineReading) -> str:
    """The text without what only sounds like an order: what is not wanted, a count from before,
    how many of a count are for whom. Each goes to the notes."""
    return _set_aside_earlier_counts(_set_aside_negations(text, reading), reading)


def _set_aside_negations(text: str, reading: LineReading) -> str:
    for negated in _NEGATED.findall(text):
        reading.notes.append(negated)
    return _NEGATED.sub(" ", text).strip() if reading.notes else text


# `我改成2只，本来报的1只`, `上次才28`: a count or price from before, said to explain; no order.
_EARLIER_COUNT = re.compile(
    rf"(?:^|(?<=[\s，,。；;]))(?:本来|原来|原先|之前|刚才|上次|上回|以前)(?:才|就|都)?(?:报|要|订|定|写|接|买)?"
    rf"(?:了|的)?(?:是|才)?\s*"
    rf"(?:\d+(?:\.\d+)?|[{COUNT_NUMERALS}]+)\s*(?:{UNIT_PATTERN})?"
)


# `3份 其中两份帮楼上带`: how many of the count are for whom; part of it, never more.
_OF_WHICH = re.compile(
    rf"其中\s*(?:\d+(?:\.\d+)?|[{COUNT_NUMERALS}]+)\s*(?:{UNIT_PATTERN})?[^\s，,。；;\d]*(?=$|[\s，,。；;])"
)


def _set_aside_earlier_counts(text: str, reading: LineReading) -> str:
    for pattern in (_EARLIER_COUNT, _OF_WHICH):
        found = pattern.search(text)
        if found is not None:
            reading.notes.append(found.group().strip())
            text = (text[: found.start()] + " " + text[found.end() :]).strip()
    if "其中" in text:
        # `土鸡3只其中1只要公的鸭蛋10个`: where the part ends and new goods begin, only the member knows.
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, "「其中」后面的是算在前面的数量里吗?"))
    return text


# 西红柿斤半: a 斤 and a half, said without the 一.
_ONE_AND_A_HALF = re.compile(r"(?<![0-9一二两三四五六七八九十半.\s])(公斤|斤)半")


def _named_by_a_later_word(reading: LineReading) -> None:
    """`苹果2斤 红富士`, `苹果2斤 青的`: a product word in doubt, and one of the products it may mean
    written beside it without a count, say which one; the count is the first's."""
    doubts = [i for i in reading.issues if i.code == reasons.AMBIGUOUS_PRODUCT and i.candidates]
    if len(doubts) != 1 or doubts[0].which_product:
        return
    names = {entry.name for entry in doubts[0].candidates}
    in_doubt = [item for item in reading.items if item.code is None and not item.implicit]
    choosers = [item for item in reading.items if item.product in names and not writes_a_count(item.raw)]
    if len(in_doubt) != 1 or len(choosers) != 1:
        return
    doubtful, chooser = in_doubt[0], choosers[0]
    unit = doubtful.unit or chooser.unit
    settled = replace(doubtful, product=chooser.product, code=chooser.code, unit=unit)
    reading.items = [settled if item is doubtful else item for item in reading.items if item is not chooser]
    reading.issues.remove(doubts[0])
