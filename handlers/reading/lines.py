"""Items in a line: who wrote it, what they ordered, and what a careful leader would doubt.

One line is read in three passes over the lexer's tokens (`tokens.py`):
1. the name: the words before the first thing that orders (a code, a product, a quantity);
2. the order: products, codes and free product words paired with the quantities around them
   (`苹果2斤`, `五斤西瓜`, `1+2+3`, `11x2`, `红和黄 各一斤`), flavours attached to their code;
3. the verdict: every doubt is recorded as an issue, so the row goes to review instead of being
   silently wrong.
Everything that is neither name nor order (addresses, times, remarks, prices) becomes the note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from handlers.reading import reasons
from handlers.reading.matching import CatalogIndex, index_catalog, match_in
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.reading.names import PRONOUNS, looks_like_person, without_proxy_word
from handlers.reading.numbers import QTY_CAP, is_absurd, tidy
from handlers.reading.offer import MEAL_WORDS, NO_OFFER, SET_MEAL, UNNAMED_OFFER, Offer
from handlers.reading.tokens import Token, scan
from handlers.reading.units import PORTION_UNITS, canonical_unit, convert, is_weight
from handlers.reading.variants import FlavourPick, mixed_box, read_flavours

Mode = Literal["chain", "chat"]

# The longest line worth reading, and the most continuation lines of one member (a basket of
# products, one a line); past them the rest is left to the leader.
MAX_LINE = 400
MAX_CONTINUATIONS = 40
HEADCOUNT = "人数"
# `（备注：3栋502）`: a bracket starting with this is a note, whatever numbers it holds.
NOTE_MARK = "备注"
GIFT = "赠品"

_VERBS = (
    "我要",
    "还要",
    "再要",
    "再来",
    "预定",
    "预订",
    "一共",
    "总共",
    "要",
    "买",
    "订",
    "定",
    "来",
    "拿",
    "共",
    "带",
)
_TRAILING_PARTICLES = re.compile(r"[的吧哦啊呀了哈噢滴呢嘛]+$")
_REMARK = re.compile(
    r"^(?:不|免|少|多|别|去|换|飞|备注|自备|打包|已|到付|谢谢|麻烦|辛苦|感谢|请)|换|不要|不加|已付|已转|已支付|称重|"
    r"付了|转了|饭少|饭多|[少多]$|送$|周[一二三四五六日天]送|^(?:取|自取|来取|去取|提|自提|到|拿|送)$"
)
_WEIGHED = re.compile(r"称重|按重|过秤")
_ADD_WORDS = frozenset({"加", "再加", "另加", "外加", "加个"})
_ADD_ON = re.compile(r"^加(?!饭|辣|菜|量|钱|急|油|一点|点)(.+)$")
_GIFT = re.compile(r"^(?:送|赠送|赠|附赠|加送)(.+)$")
_DASHES = frozenset("-—–~～")
_BRACKETS = frozenset("【】[]「」『』《》<>")
# Tokens that are never part of a name or an order: they go to the note.
_NOTE_KINDS = ("addr", "phone", "time", "date", "range", "price", "group", "spec", "codeno")
_NUMERAL_PORTION = re.compile(r"[一两二三四五六七八九十]份")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z'’._&-]*$")


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


@dataclass(slots=True)
class Issue:
    code: str
    detail: str
    candidates: tuple[CatalogEntry, ...] = ()
    # Only "which product?" for a quantity that names none: an edit (改成3斤) answers it itself.
    which_product: bool = False


@dataclass(slots=True)
class LineReading:
    """What one line says: the person, the items, the note, and every doubt."""

    name: str | None = None
    notes: list[str] = field(default_factory=list)
    items: list[ReadItem] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # Whether anything in the line looked like an order (a number, a code, a product).
    order_like: bool = False
    # The name ends in a Chinese numeral quantity (王半斤): a name, or a name and a quantity?
    numeral_in_name: bool = False
    # Products read as meal add-ons (加包子), which come on top of a portion.
    add_ons: set[str] = field(default_factory=set)
    # Words in the order's place that name nothing in the catalog (麦辣鸡腿堡 + 麦辣鸡翅).
    unmatched: list[str] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        parts = dict.fromkeys(" ".join(n.split()) for n in self.notes)
        text = " ".join(part for part in parts if part)
        return text or None


@dataclass(slots=True)
class _Mention:
    """A product named in the line (by code, name or free words), with its quantity so far."""

    start: int
    end: int
    entry: CatalogEntry | None = None
    text: str | None = None
    by_code: bool = False
    qty: Decimal | None = None
    unit: str | None = None
    pick: FlavourPick | None = None
    priced: bool = False
    price_unit: str | None = None
    label: str | None = None
    implicit: bool = False
    # An add-on in a meal relay (加包子): one of it unless a quantity is written.
    add_on: bool = False
    # An add-on whose quantity is written before it (加一个黑凉粉): it takes that quantity.
    counted: bool = False
    # A code written as one (#2, 2号): a bare number after it is its quantity, not another code.
    explicit: bool = False


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
    tokens = scan(head, ctx.index)
    order_start = _split_name(head, tokens, ctx, mode, reading)
    _read_order(head, tokens[order_start:], ctx, reading, mode=mode)
    for line in continuations:
        if line.strip():
            _read_order(line, scan(line, ctx.index), ctx, reading, mode=mode)
    return reading


# --- pass 1: the name ---------------------------------------------------------------------------


def _chunks(tokens: list[Token]) -> list[int]:
    """The chunk number of each token: chunks are what spaces and commas separate."""
    chunk, numbers = 0, []
    for token in tokens:
        numbers.append(chunk)  # a separator closes the chunk before it
        if token.kind == "hard" or (
            token.kind == "soft" and any(ch.isspace() or ch in _BRACKETS for ch in token.text)
        ):
            chunk += 1
    return numbers


def _is_order_atom(token: Token, ctx: ReadContext) -> bool:
    kind = token.kind
    if kind in ("product", "qty", "mult", "kind", "each"):
        return True
    if kind == "letter":
        return ctx.index.is_letter_code(token.text)
    if kind == "num":
        value = token.value
        if value is None:
            return False
        if value != value.to_integral_value() and value <= QTY_CAP:
            return False  # 1.5 in `Mobile 1.5`, 7.35 in `7.35起床`: never a bare quantity
        if ctx.index.has_numeric_codes:
            return ctx.index.code(token.text) is not None
        return True
    if kind == "codeno":
        return ctx.index.code(str(token.value)) is not None
    if kind == "range":
        return token.unit is not None or _range_codes(token, ctx) is not None
    return False


def _split_name(text: str, tokens: list[Token], ctx: ReadContext, mode: Mode, reading: LineReading) -> int:
    """Find the person's name; return the index of the first token of the order."""
    chunks = _chunks(tokens)
    leading_chunk = next(
        (chunks[i] for i, t in enumerate(tokens) if t.kind not in ("soft", "hard", *_NOTE_KINDS)), 0
    )
    candidates = [
        i
        for i, t in enumerate(tokens)
        if _is_order_atom(t, ctx) or (chunks[i] != leading_chunk and _names_a_product(t, ctx))
    ]
    first_is_name = len(candidates) > 1 and chunks[candidates[0]] == leading_chunk
    if mode == "chain" and first_is_name and _too_big_to_order(tokens[candidates[0]]):
        candidates = candidates[1:]  # `10000 2份`: a number in the name's place is the name
    if not candidates:
        return _name_without_order(text, tokens, chunks, reading, ctx)
    first = candidates[0]
    if tokens[first].kind == "each":
        first = _each_scope_start(tokens, first)
    chunk_start = next(i for i, c in enumerate(chunks) if c == chunks[first])
    glued_in_name = mode == "chain" and chunk_start < first and chunks[first] == leading_chunk
    if glued_in_name and _numeral_ends_name(tokens, first, chunks):
        # 王半斤: a Chinese numeral quantity ending the leading word belongs to the name.
        name_end = max(i for i, c in enumerate(chunks) if c == leading_chunk) + 1
        later = [i for i in candidates if i >= name_end and not _flag(tokens, i)]
        if not later:
            reading.numeral_in_name = True
            reading.order_like = True
            _take_name(text, tokens[:name_end], reading)
            return name_end
        first = later[0]
        chunk_start = next(i for i, c in enumerate(chunks) if c == chunks[first])
    start = first
    if chunk_start < first:
        glued = tokens[chunk_start:first]
        glued_text = text[glued[0].start : glued[-1].end]
        if not all(t.kind in ("cjk", "word", "letter", "emoji", "addr", "soft", "plus") for t in glued):
            start = chunk_start
        elif mode == "chain" and chunks[first] == leading_chunk:
            start = first  # 刘小西1斤: the name glued to its quantity
        elif mode == "chat" and _strip_verb(glued_text) != glued_text:
            start = first  # 李雷要3份
        else:
            start = chunk_start  # 苹果2斤: the words glued to a quantity are the product
    start = _product_before_quantity(tokens, chunks, start, leading_chunk, ctx, mode)
    _take_name(text, tokens[:start], reading, chat=mode == "chat")
    return start


def _too_big_to_order(token: Token) -> bool:
    return token.kind == "num" and token.value is not None and token.value > QTY_CAP


def _flag(tokens: list[Token], index: int) -> bool:
    """`王半斤,0`, `张新,1`: a 0 or 1 after a comma in a sign-up list is a flag, not an order."""
    token = tokens[index]
    before = tokens[index - 1] if index > 0 else None
    return (
        token.kind == "num"
        and token.value is not None
        and token.value <= 1
        and before is not None
        and before.kind == "hard"
        and before.text.strip() in (",", "，")
    )


def _names_a_product(token: Token, ctx: ReadContext) -> bool:
    """Words after the name that name a catalog product in part (苹果 for 红富士苹果) start the order."""
    if token.kind != "cjk" or len(token.text) < 2 or not ctx.catalog or _REMARK.search(token.text):
        return False
    found = match_in(token.text, ctx.index)
    return found.kind in ("exact", "alias", "synonym", "partial", "variant", "fuzzy", "ambiguous")


def _product_before_quantity(
    tokens: list[Token], chunks: list[int], start: int, leading_chunk: int, ctx: ReadContext, mode: Mode
) -> int:
    """`张三 苹果 2斤`: Chinese words set apart by a space just before the quantity are the product,
    not more of the name. Not in sign-up lists, where `Mvtm 张璐 4人` is a team and a person.
    A chat message has no name slot, so there `香蕉 1把` is a product unless it reads as a person."""
    if ctx.offer.kind == "signup" or start >= len(tokens) or tokens[start].kind not in ("qty", "mult", "num"):
        return start
    before = start - 1
    while before >= 0 and tokens[before].kind == "soft":
        before -= 1
    if before < 0 or before == start - 1:
        return start  # glued to the quantity (`刘小西1斤`) or nothing before: not this shape
    words = tokens[before]
    if words.kind != "cjk" or _REMARK.search(words.text):
        return start
    if chunks[before] == leading_chunk and (mode == "chain" or looks_like_person(words.text)):
        return start
    if _strip_verb(words.text) in PRONOUNS or words.text in _VERBS:
        return start
    if not ctx.catalog and looks_like_person(words.text):
        return start  # `apollo7 李雷 3份`: a team and a person, not a product
    return next(i for i, c in enumerate(chunks) if c == chunks[before])


def _each_scope_start(tokens: list[Token], each: int) -> int:
    """`红和黄 各一斤`, `苹果、香蕉各2斤`: the products 各 spreads over start the order."""
    i = each - 1
    while i >= 0 and tokens[i].kind == "soft":
        i -= 1
    start = each
    while i >= 0 and (tokens[i].kind in ("cjk", "word", "product", "hard") or tokens[i].kind == "soft"):
        if tokens[i].kind == "soft" and any(ch.isspace() for ch in tokens[i].text):
            break
        if tokens[i].kind != "hard":
            start = i
        i -= 1
    return start


def _numeral_ends_name(tokens: list[Token], index: int, chunks: list[int]) -> bool:
    """`王半斤`: a Chinese-numeral quantity glued to the end of the leading word is part of a name."""
    token = tokens[index]
    if token.kind != "qty" or any(ch.isdigit() for ch in token.text):
        return False
    after = index + 1
    return after >= len(tokens) or chunks[after] != chunks[index] or tokens[after].kind in ("soft", "hard")


def _take_name(text: str, tokens: list[Token], reading: LineReading, *, chat: bool = False) -> None:
    """Split the words before the order into the person's name and notes (address, remark, time)."""
    runs: list[list[int]] = []
    run: list[int] | None = None
    for i, token in enumerate(tokens):
        remark = bool(runs) and token.kind == "cjk" and _REMARK.search(token.text) is not None
        # Ivy(Feng xiaoling), Nancy(●––●): brackets glued to a name are part of the nickname.
        nickname = token.kind == "group" and run is not None and run[1] == token.start
        if (token.kind in _NOTE_KINDS and not nickname and not _address_before_name(tokens, i)) or remark:
            reading.notes.append(token.text)
            run = None
        elif token.kind == "hard":
            run = None
        elif token.kind != "soft":
            if run is None:
                run = [token.start, token.end]
                runs.append(run)
            else:
                run[1] = token.end
    if not runs:
        written = text[tokens[0].start : tokens[-1].end].strip() if tokens else ""
        if written and not any(t.kind in _NOTE_KINDS for t in tokens):
            reading.name = written  # `…`, `..`: punctuation can be a whole nickname
        return
    name = _clean_name(" ".join(text[start:end] for start, end in runs), reading)
    if chat and name is not None:
        name = without_proxy_word(_strip_verb(name)) or None
        if name in PRONOUNS:
            name = None
    reading.name = name


def _address_before_name(tokens: list[Token], index: int) -> bool:
    """`3栋王姐`: a building glued in front of a name is part of how the person is known."""
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        token.kind == "addr"
        and following is not None
        and following.start == token.end
        and following.kind in ("cjk", "word")
    )


def _clean_name(name: str, reading: LineReading) -> str | None:
    # Punctuation around a name goes, unless it is the whole name (`..`, `…` are nicknames too).
    name = name.strip(" \t-—–~～:：,，、;；/\\|+＋➕") or name.strip()
    # 陈湘—云谷: a place after a dash between Chinese words goes to the note; 洋子-Ternence stays.
    for i, ch in enumerate(name):
        if ch in _DASHES and 0 < i < len(name) - 1:
            left, right = name[:i].strip(), name[i + 1 :].strip()
            if right and "\u4e00" <= right[0] <= "\u9fff" and left and "\u4e00" <= left[-1] <= "\u9fff":
                reading.notes.append(right)
                name = left
            break
    name = " ".join(name.split())
    return name or None


def _name_without_order(
    text: str, tokens: list[Token], chunks: list[int], reading: LineReading, ctx: ReadContext
) -> int:
    """A line with nothing to order: the name is its first word (with an English name or emoji after
    it, `陈洋平 Carl`, `冰✡️saya 🫧`); everything else is the note. Returns len(tokens).

    Under a catalog, words after the name that are not remarks may be an order of something the
    catalog lacks; they are kept as `unmatched` for the row's verdict."""
    significant = [i for i, t in enumerate(tokens) if t.kind not in ("soft", "hard")]
    leading = [i for i in significant if tokens[i].kind in _NOTE_KINDS]
    while significant and significant[0] in leading:
        reading.notes.append(tokens[significant.pop(0)].text)
    if not significant:
        return len(tokens)
    first_chunk = chunks[significant[0]]
    name_end = max(i for i in significant if chunks[i] == first_chunk)
    for chunk in range(first_chunk + 1, chunks[-1] + 1):
        members = [i for i in significant if chunks[i] == chunk]
        if not members:
            continue
        words = "".join(tokens[i].text for i in members)
        if all(tokens[i].kind == "emoji" for i in members) or _LATIN_NAME.match(words):
            name_end = members[-1]
        else:
            break
    _take_name(text, tokens[significant[0] : name_end + 1], reading)
    rest = text[tokens[name_end].end :].strip(" \t,，、;；-—–")
    if rest:
        reading.notes.append(rest)
    if ctx.catalog:
        reading.unmatched.extend(
            t.text
            for t in tokens[name_end + 1 :]
            if t.kind == "cjk" and len(t.text) >= 2 and not _REMARK.search(t.text)
        )
    return len(tokens)


def _strip_verb(text: str) -> str:
    for verb in _VERBS:
        if text.endswith(verb) and len(text) > len(verb):
            return text[: -len(verb)].strip()
    return text


# --- pass 2: the order --------------------------------------------------------------------------


@dataclass(slots=True)
class _Pairing:
    """The state of pairing products with quantities while walking the tokens of one line."""

    mentions: list[_Mention] = field(default_factory=list)
    current: _Mention | None = None
    pending: tuple[Decimal | None, str | None, int, int] | None = None
    hard_since: bool = False
    each: bool = False
    # Index into mentions where the current 各 scope starts (after the last quantity).
    scope_start: int = 0
    bare: list[Token] = field(default_factory=list)
    remark_numbers: list[str] = field(default_factory=list)
    pre_flavour: tuple[str, int] | None = None
    mode: Mode = "chain"
    # Tokens before this offset were consumed by a flavour pick.
    skip_until: int = 0
    # The product a `+` followed, for `苹果+1`.
    plus_after: _Mention | None = None
    # A meal add-on word (加) was followed by a quantity: the next words are the add-on.
    add_on_next: bool = False


def _read_order(
    text: str, tokens: list[Token], ctx: ReadContext, reading: LineReading, *, mode: Mode
) -> None:
    state = _Pairing(mode=mode)
    meal = ctx.offer.kind == "meal"
    for i, token in enumerate(tokens):
        if token.start < state.skip_until:
            continue  # already read as part of a flavour pick
        kind = token.kind
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind in ("hard", "plus"):
            state.hard_since = True
            if kind == "plus":
                # 苹果+1: a plus right after a product without a quantity adds to it.
                current = state.current
                unquantified = current is not None and current.qty is None and not current.by_code
                state.plus_after = current if unquantified else None
                state.current = None
        elif kind == "soft":
            continue
        elif kind == "product":
            _on_product(token, after, ctx, state, reading)
        elif kind in ("cjk", "word") or (kind == "letter" and not ctx.index.is_letter_code(token.text)):
            _on_words(text, tokens, i, ctx, state, reading, meal=meal)
        elif kind == "letter":
            entry = ctx.index.code(token.text)
            _start(state, _Mention(token.start, token.end, entry=entry, by_code=True))
        elif kind == "num":
            _on_number(token, _significant_before(tokens, i), after, ctx, state, reading)
        elif kind == "codeno":
            entry = ctx.index.code(str(token.value))
            if entry is not None:
                _start(state, _Mention(token.start, token.end, entry=entry, by_code=True, explicit=True))
            else:
                reading.notes.append(token.text)
        elif kind == "range":
            _on_range(token, ctx, state, reading)
        elif kind == "qty":
            _on_quantity(token, after, state, reading, meal=meal)
        elif kind == "mult":
            _on_multiplier(token, state)
        elif kind == "each":
            state.each = True
        elif kind == "kind":
            _start(
                state, _Mention(token.start, token.end, text=token.label, qty=token.value, label=token.label)
            )
        elif kind == "group":
            _on_group(token, ctx, state, reading, meal=meal)
        elif kind == "price":
            # A product with its price on a member's line is one of it (`🐟金目鲈 $9.9`); in a chat
            # message a price is the leader announcing, not anyone ordering.
            if state.current is not None and state.mode == "chain":
                state.current.priced = True
                # $19/包 says the item comes in 包; $18/kg says only how it is priced.
                state.current.price_unit = None if is_weight(token.unit) else token.unit
                state.current.end = token.end
            else:
                reading.notes.append(token.text)
        elif kind == "spec":
            if state.current is not None and state.current.text is not None and not state.current.qty:
                state.current.text += token.text
                state.current.end = token.end
            else:
                reading.notes.append(token.text)
        elif kind in ("addr", "phone", "time", "date", "other"):
            reading.notes.append(token.text)
    _flush_pending(state)
    if state.mentions or state.bare:
        reading.order_like = True
    _settle_bare_numbers(state, text, ctx, reading, meal=meal)
    if state.remark_numbers:
        reading.issues.append(
            Issue(reasons.REMARK_NUMBERS, f"备注里的数字 {'、'.join(state.remark_numbers)} 是份数还是第几份?")
        )
    for mention in state.mentions:
        _resolve(mention, text, ctx, reading)


def _flush_pending(state: _Pairing) -> None:
    """A quantity that found no product is a quantity of the day's offer (`2份`)."""
    if state.pending is not None:
        value, unit, start, end = state.pending
        state.mentions.append(_Mention(start, end, qty=value, unit=unit, implicit=True))
        state.pending = None


def _start(state: _Pairing, mention: _Mention) -> None:
    """Begin a new product mention; a quantity written before it (`五斤西瓜`) is its quantity."""
    if state.pending is not None and mention.qty is None and (not mention.add_on or mention.counted):
        value, unit, start, _end = state.pending
        mention.qty, mention.unit, mention.start = value, unit, start
        state.pending = None
    if state.pre_flavour is not None and mention.entry is not None:
        words, start = state.pre_flavour
        mention.pick = read_flavours(words, mention.entry)
        mention.start = start
        state.pre_flavour = None
    state.mentions.append(mention)
    state.current = mention
    state.hard_since = False


def _on_product(
    token: Token, after: Token | None, ctx: ReadContext, state: _Pairing, reading: LineReading
) -> None:
    entries = token.entries
    current = state.current
    if current is not None and current.by_code and not state.hard_since and current.entry is not None:
        if current.entry in entries:
            current.end = token.end  # `C 牛肋条`, `h三鲜`: the code and its own name
            return
        if after is None or after.kind not in ("qty", "mult"):
            names = "、".join(e.name for e in entries)
            reading.issues.append(
                Issue(
                    reasons.CONFLICTING_CODE, f"{current.entry.code} 是 {current.entry.name}，但写着 {names}"
                )
            )
            current.end = token.end
            return
    if len(entries) == 1:
        _start(state, _Mention(token.start, token.end, entry=entries[0]))
    else:
        _start(state, _Mention(token.start, token.end, text=token.text))


def _on_words(
    text: str,
    tokens: list[Token],
    i: int,
    ctx: ReadContext,
    state: _Pairing,
    reading: LineReading,
    *,
    meal: bool,
) -> None:
    token = tokens[i]
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    words = token.text
    current = state.current
    if _strip_verb(words) == "" or words in _VERBS:
        return
    if current is not None and current.entry is not None and current.pick is None and not state.hard_since:
        # 8 抹茶黑芝麻, 玫瑰2开心果2, 柠檬x4: the flavours written after a product, counts included.
        for end in (_glued_run_end(tokens, i), token.end):
            pick = read_flavours(text[token.start : end], current.entry)
            if pick is not None:
                current.pick, current.end, state.skip_until = pick, end, end
                return
    if after is not None and after.start == token.end and after.kind in ("num", "codeno", "product"):
        if after.kind == "product":
            entry = after.entries[0] if len(after.entries) == 1 else None
        else:
            entry = ctx.index.code(str(after.value if after.kind == "codeno" else after.text))
        if entry is not None and read_flavours(words, entry) is not None:
            # 麻薯的1, 原味肉松小贝: the flavour comes before its code or name
            state.pre_flavour = (words, token.start)
            return
    if meal and words in _ADD_WORDS and after is not None and after.kind == "qty":
        state.add_on_next = True  # 加一个黑凉粉: the quantity and the words after it are an add-on
        return
    if meal and state.add_on_next:
        state.add_on_next = False
        _start(state, _Mention(token.start, token.end, text=words, add_on=True, counted=True))
        return
    if meal:
        add_on = _ADD_ON.match(words)
        if add_on is not None:
            _flush_pending(state)
            _start(state, _Mention(token.start, token.end, text=add_on.group(1), add_on=True))
            return
    if _REMARK.search(words) and not _GIFT.match(words):
        if _WEIGHED.search(words):
            reading.issues.append(Issue(reasons.WEIGHED, "称重商品，到货称重后才知道数量"))
        # 10份少饭: the remark takes no quantity; the portions stand on their own.
        _flush_pending(state)
        state.current = None
        reading.notes.append(words)
        return
    if current is not None and current.by_code and current.entry is not None and not state.hard_since:
        if _check_code_words(words, current, ctx, reading):
            current.end = token.end
        return
    if meal:
        reading.notes.append(words)  # a meal relay sells one meal: other words are remarks
        return
    if (
        current is not None
        and current.text is not None
        and current.entry is None
        and current.qty is None
        and current.end == token.start
    ):
        current.text += words
        current.end = token.end
        return
    _start(state, _Mention(token.start, token.end, text=words))


def _significant_before(tokens: list[Token], index: int) -> Token | None:
    for token in reversed(tokens[:index]):
        if token.kind != "soft":
            return token
    return None


def _glued_run_end(tokens: list[Token], start: int) -> int:
    """Where the words, numbers and multipliers written together from `start` end."""
    end = tokens[start].end
    for token in tokens[start + 1 :]:
        if token.start != end or token.kind not in ("cjk", "num", "mult", "emoji"):
            break
        end = token.end
    return end


def _check_code_words(words: str, mention: _Mention, ctx: ReadContext, reading: LineReading) -> bool:
    """Words after a code either name a dish (that code's: fine; another's: a conflict to ask about)
    or are a remark for the note. True when they belong to the item."""
    assert mention.entry is not None
    found = match_in(words, ctx.index)
    if found.entry is None:
        reading.notes.append(words)
        return False
    if found.entry is not mention.entry and found.entry.name not in ctx.offer_words:
        reading.issues.append(
            Issue(
                reasons.CONFLICTING_CODE,
                f"{mention.entry.code} 是 {mention.entry.name}，但写着 {words}",
                (mention.entry, found.entry),
            )
        )
    return True


def _on_number(
    token: Token,
    before: Token | None,
    after: Token | None,
    ctx: ReadContext,
    state: _Pairing,
    reading: LineReading,
) -> None:
    value = token.value
    current = state.current
    if value is None:
        reading.notes.append(token.text)
        return
    whole = value == value.to_integral_value()
    plus_after, state.plus_after = state.plus_after, None
    if plus_after is not None and plus_after.qty is None and not ctx.index.has_numeric_codes:
        plus_after.qty, plus_after.end = value, token.end  # 苹果+1
        return
    # `4加包子`: a number glued to the words after it belongs to them, not to the product before.
    glued_ahead = after is not None and after.start == token.end and after.kind == "cjk"
    follows_product = (
        current is not None
        and not current.by_code
        and current.qty is None
        and not state.hard_since
        and not glued_ahead
        and not current.add_on
    )
    if follows_product and current is not None and not current.implicit:
        current.qty, current.end = value, token.end  # 苹果 2
        return
    plain_count = (
        current is not None and current.by_code and (current.explicit or not ctx.index.has_numeric_codes)
    )
    if plain_count and current is not None and current.qty is None and not state.hard_since:
        current.qty, current.end = value, token.end  # C 2
        return
    entry = ctx.index.code(token.text) if whole and ctx.index.has_numeric_codes else None
    if entry is not None and state.mentions and before is not None and before.kind == "word":
        reading.notes.append(token.text)  # 4+5 fig 8: a number after an English word is an address
        return
    if entry is not None:
        _start(state, _Mention(token.start, token.end, entry=entry, by_code=True))
        return
    _flush_pending(state)
    state.bare.append(token)


def _on_range(token: Token, ctx: ReadContext, state: _Pairing, reading: LineReading) -> None:
    codes = _range_codes(token, ctx)
    if codes is not None:
        for code, (start, end) in codes:
            entry = ctx.index.code(code)
            _start(state, _Mention(start, end, entry=entry, by_code=True))
        return
    if token.unit is not None:
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 是一个范围，到底要多少?"))
    reading.notes.append(token.text)


_RANGE_PART = re.compile(r"\d+(?:\.\d+)?")


def _range_codes(token: Token, ctx: ReadContext) -> list[tuple[str, tuple[int, int]]] | None:
    """`4-7` between product codes means items 4 and 7, not a range; anything else is not codes."""
    if token.unit is not None or not ctx.index.has_numeric_codes:
        return None
    parts = [
        (m.group(0), (token.start + m.start(), token.start + m.end()))
        for m in _RANGE_PART.finditer(token.text)
    ]
    if len(parts) != 2 or any("." in p or ctx.index.code(p) is None for p, _ in parts):
        return None
    return parts


def _on_quantity(
    token: Token, after: Token | None, state: _Pairing, reading: LineReading, *, meal: bool
) -> None:
    current = state.current
    if token.value is None:
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 是多少?"))
        reading.notes.append(token.text)
        return
    if (
        is_weight(token.unit)
        and after is not None
        and after.kind == "qty"
        and after.unit is not None
        and not is_weight(after.unit)
    ):
        # 牛肉饼 500g 2盒: a weight followed by a count is the size of each pack.
        if current is not None and current.text is not None:
            current.text += token.text
        else:
            reading.notes.append(token.text)
        return
    if state.each:
        targets = _split_each(state, [m for m in state.mentions[state.scope_start :] if m.qty is None])
        for mention in targets:
            mention.qty, mention.unit = token.value, token.unit
        state.each = False
        state.scope_start = len(state.mentions)
        if targets:
            return
    counted = state.pending is not None or any(m.qty is not None for m in state.mentions)
    if meal and counted and not state.add_on_next:
        state.remark_numbers.append(token.text)  # 真真 10份少饭 3少饭: portions already counted
        return
    if current is not None and current.qty is None and not state.hard_since and not current.implicit:
        current.qty, current.unit, current.end = token.value, token.unit, token.end
        state.scope_start = len(state.mentions)
        return
    _flush_pending(state)
    state.pending = (token.value, token.unit, token.start, token.end)
    state.current = None


_AND = re.compile(r"[和与跟及&]")


def _split_each(state: _Pairing, targets: list[_Mention]) -> list[_Mention]:
    """`红和黄 各一斤`: free words joined by 和 are several products, each getting the quantity."""
    result: list[_Mention] = []
    for mention in targets:
        words = mention.text
        if mention.entry is None and words and _AND.search(words):
            parts = [p for p in _AND.split(words) if p.strip()]
            at = state.mentions.index(mention)
            split = [_Mention(mention.start, mention.end, text=p) for p in parts]
            state.mentions[at : at + 1] = split
            result.extend(split)
        else:
            result.append(mention)
    return result


def _on_multiplier(token: Token, state: _Pairing) -> None:
    current = state.current
    value = token.value or Decimal(1)
    if current is not None and not state.hard_since:
        current.qty = value if current.qty is None else current.qty * value
        current.unit = current.unit or token.unit
        current.end = token.end
    elif state.pending is not None:
        pending_value, unit, start, _end = state.pending
        state.pending = ((pending_value or Decimal(1)) * value, unit, start, token.end)
    else:
        state.pending = (value, token.unit, token.start, token.end)


def _on_group(token: Token, ctx: ReadContext, state: _Pairing, reading: LineReading, *, meal: bool) -> None:
    inner = token.label or ""
    current = state.current
    if inner.startswith(NOTE_MARK):
        reading.notes.append(inner.removeprefix(NOTE_MARK).strip())
        return
    if current is not None and current.entry is not None and current.pick is None:
        pick = read_flavours(inner, current.entry)
        if pick is not None:
            current.pick = pick
            current.end = token.end
            return
    if meal and (any(ch.isdigit() for ch in inner) or _NUMERAL_PORTION.search(inner)):
        state.remark_numbers.append(inner)
    reading.notes.append(inner)


def _settle_bare_numbers(
    state: _Pairing, text: str, ctx: ReadContext, reading: LineReading, *, meal: bool
) -> None:
    """Numbers with no unit and no product: a quantity only when nothing else in the line is one.

    `3栋王姐 1` → 1 份 of the day's offer; `王燕燕 512 白色` → 512 is probably a room: ask;
    `张新,1` in a sign-up list is a flag; `888` after an order is a delivery note.
    """
    if not state.bare:
        return
    has_quantity = any(m.qty is not None or m.entry is not None for m in state.mentions)
    signup = ctx.offer.kind == "signup"
    for token in state.bare:
        value = token.value
        assert value is not None
        bracketed = _is_bracketed(token, text)
        if has_quantity:
            if meal:
                state.remark_numbers.append(token.text)
            reading.notes.append(token.text)
            continue
        if value != value.to_integral_value() and not is_absurd(value):
            reading.notes.append(token.text)
            continue
        if signup:
            if bracketed and 0 < value <= QTY_CAP:
                state.mentions.append(_Mention(token.start, token.end, qty=value, unit="人", implicit=True))
                reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"【{token.text}】是人数吗?"))
                has_quantity = True
            else:
                reading.notes.append(token.text)
            continue
        if value >= 100 and not is_absurd(value):
            reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 是数量还是门牌号?"))
            reading.notes.append(token.text)
            continue
        if reading.name is None and not reading.notes and state.mode == "chain":
            # `7. 66` and nothing else: a member called 66, or 66 of the day's offer?
            reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 是名字还是数量?"))
        state.mentions.append(_Mention(token.start, token.end, qty=value, implicit=True))
        has_quantity = True


def _is_bracketed(token: Token, text: str) -> bool:
    """`【12】`: a number alone in brackets, the way check-in lists write a headcount."""
    return text[token.start - 1 : token.start] in ("【", "[") and text[token.end : token.end + 1] in (
        "】",
        "]",
    )


# --- pass 3: products, quantities and doubts ------------------------------------------------------


def _resolve(mention: _Mention, text: str, ctx: ReadContext, reading: LineReading) -> None:
    raw = text[mention.start : mention.end].strip()
    entry = mention.entry
    product_text = mention.text
    gift = False
    if entry is None and product_text is not None:
        gift_match = _GIFT.match(product_text)
        if gift_match is not None:
            product_text, gift = gift_match.group(1), True
        product_text = _clean_product(product_text)
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


def _match_words(
    words: str, mention: _Mention, ctx: ReadContext, reading: LineReading
) -> CatalogEntry | None:
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
    return None


def _resolve_implicit(mention: _Mention, raw: str, ctx: ReadContext, reading: LineReading) -> None:
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


def implicit_portion(ctx: ReadContext) -> ReadItem:
    """One portion of the day's offer: what a bare name in a meal relay orders."""
    implicit = ctx.implicit or CatalogEntry(name=SET_MEAL, unit="份")
    return ReadItem(implicit.name, Decimal(1), implicit.unit, "", code=implicit.code, implicit=True)


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
    if written in PORTION_UNITS or written == "个":
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


def _clean_product(words: str) -> str:
    words = words.strip(" \t-—–~～:：,，、;；/\\|.。")
    for verb in _VERBS:
        if words.startswith(verb) and len(words) > len(verb):
            words = words[len(verb) :]
            break
    return _TRAILING_PARTICLES.sub("", words).strip()
