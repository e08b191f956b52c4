"""Pass 1 of reading a line: who wrote it. The name is the words before the first thing that
orders (a code, a product, a quantity), without the addresses, times and remarks around it."""

from __future__ import annotations

import re
from decimal import Decimal

from handlers.reading import reasons
from handlers.reading.context import Mode, ReadContext
from handlers.reading.findings import Issue, LineReading
from handlers.reading.matching import match_in
from handlers.reading.model import CatalogEntry
from handlers.reading.numbers import QTY_CAP
from handlers.reading.people import (
    PRONOUNS,
    is_household,
    is_surname,
    looks_like_goods,
    looks_like_person,
    without_proxy_word,
)
from handlers.reading.tokens import Token
from handlers.reading.words import (
    INTERJECTION,
    OPTIONS,
    REMARK,
    VERBS,
    calls_the_leader,
    is_verb_phrase,
    strip_verb,
    without_verb_tail,
)

_DASHES = frozenset("-—–~～")
_BRACKETS = frozenset("【】[]「」『』《》<>")
# Tokens that are never part of a name or an order: they go to the note.
_NOTE_KINDS = ("addr", "phone", "time", "date", "range", "price", "group", "spec", "codeno")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z'’._&-]*$")
_RANGE_PART = re.compile(r"\d+(?:\.\d+)?")


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
    if kind == "addr":
        return coded_count(token, ctx) is not None
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
        return token.unit is not None or codes_in_range(token, ctx) is not None
    return False


_CODED_COUNT = re.compile(r"^([A-Za-z])(\d{1,2})$")


def coded_count(token: Token, ctx: ReadContext) -> tuple[CatalogEntry, Decimal] | None:
    """`A2` under a menu with a code A: two of A (elsewhere A2 is a building, as H3 is)."""
    found = _CODED_COUNT.match(token.text)
    if found is None or not ctx.index.is_letter_code(found.group(1)):
        return None
    entry = ctx.index.code(found.group(1))
    count = Decimal(found.group(2))
    return (entry, count) if entry is not None and count > 0 else None


def codes_in_range(token: Token, ctx: ReadContext) -> list[tuple[str, tuple[int, int]]] | None:
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


def split_name(text: str, tokens: list[Token], ctx: ReadContext, mode: Mode, reading: LineReading) -> int:
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
        first = _each_scope_start(tokens, first, chunks, leading_chunk, ctx)
    chunk_start = next(i for i, c in enumerate(chunks) if c == chunks[first])
    glued_in_name = mode == "chain" and chunk_start < first and chunks[first] == leading_chunk
    slot = _name_slot(tokens[chunk_start:first], tokens[first], ctx) if glued_in_name else "name"
    if slot == "unknown" and _more_goods_after(tokens, first):
        slot = "goods"  # 花甲两斤 蛏子一斤: written the way the products after it are
    if slot == "goods":
        # 6-2-302 娃娃菜2颗, 脐橙一箱: no one's name, the product glued to its quantity.
        _take_name(text, tokens[:chunk_start], reading)
        return chunk_start
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
        elif (
            mode == "chat"
            and (strip_verb(glued_text) != glued_text or is_verb_phrase(glued_text))
            and not _goods_word(without_verb_tail(glued_text), ctx, chat=True)
        ):
            start = first  # 李雷要3份 (but 西瓜要一个 orders a watermelon)
        else:
            start = chunk_start  # 苹果2斤: the words glued to a quantity are the product
    start = _product_before_quantity(tokens, chunks, start, leading_chunk, ctx, mode)
    _take_name(text, tokens[:start], reading, chat=mode == "chat")
    if mode == "chain" and _name_or_goods_after_address(tokens, start, ctx):
        # 1栋1102 山药 2斤: after an address, the words before the quantity may be a name or the product.
        reading.issues.append(Issue(reasons.AMBIGUOUS_PRODUCT, f"{reading.name} 是名字还是商品?"))
    return start


def _name_or_goods_after_address(tokens: list[Token], start: int, ctx: ReadContext) -> bool:
    if start >= len(tokens):
        return False
    before = start - 1
    while before >= 0 and tokens[before].kind == "soft":
        before -= 1
    if before < 0 or not _after_notes_only(tokens, before):
        return False
    return _name_slot([tokens[before]], tokens[start], ctx) == "unknown"


def _name_slot(words: list[Token], quantity: Token, ctx: ReadContext) -> str:
    """Words in the name's place right before the line's first quantity (`刘小西1斤`, `娃娃菜2颗`):
    "name", "goods" (a product: the line names no one) or "unknown" (either may be meant).

    A list of one offer (the title's product, a meal, a sign-up) has no product to write, so the
    words are a name. A code (`小贝 2` under numbered codes) is ordered by a person, too."""
    cores = [t.text for t in words if t.kind in ("cjk", "word")]
    if len(cores) != 1 or any(t.kind not in ("cjk", "word", "soft") for t in words):
        return "name"
    if ctx.implicit is not None or ctx.offer.kind in ("meal", "signup"):
        return "name"
    counted = quantity.kind in ("qty", "mult") or (quantity.kind == "num" and not ctx.index.has_numeric_codes)
    if not counted:
        return "name"
    word = cores[0]
    person = looks_like_person(word) or (len(word) == 1 and is_surname(word))
    if ctx.catalog:
        found = match_in(word, ctx.index)
        named = found.entry is not None or found.ambiguous
        return "name" if person or not named else "goods"
    if looks_like_goods(word):
        return "goods"
    return "name" if person else "unknown"


def _more_goods_after(tokens: list[Token], index: int) -> bool:
    """Whether words glued to a quantity (`蛏子一斤`) come later in the line: a list of products."""
    return any(
        token.kind == "cjk" and following.kind in ("qty", "mult") and following.start == token.end
        for token, following in zip(tokens[index + 1 :], tokens[index + 2 :], strict=False)
    )


def _after_notes_only(tokens: list[Token], index: int) -> bool:
    """Whether only notes (an address, a phone number) come before `tokens[index]`, and some do."""
    before = [t for t in tokens[:index] if t.kind not in ("soft", "hard")]
    return bool(before) and all(t.kind in _NOTE_KINDS for t in before)


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
    if token.kind != "cjk" or len(token.text) < 2 or not ctx.catalog or REMARK.search(token.text):
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
    if mode == "chat" and before > 0 and tokens[before].kind == "cjk" and is_verb_phrase(tokens[before].text):
        goods = _goods_before(tokens, before, ctx)
        if goods is not None:
            return goods  # 苹果 我要2斤, 鸡蛋，给我留两板: the goods first, then who orders them
    while before > 0 and tokens[before].kind == "cjk" and OPTIONS.match(tokens[before].text):
        before -= 1  # 珍珠奶茶 中杯 全糖 x2: the product is before its options
        while before >= 0 and tokens[before].kind == "soft":
            before -= 1
    if before < 0 or before == start - 1:
        return start  # glued to the quantity (`刘小西1斤`) or nothing before: not this shape
    if tokens[before].kind == "spec" and before > 0 and tokens[before - 1].end == tokens[before].start:
        before -= 1  # 小桃 水蜜桃5斤装 ×1: the product written with its size
    words = tokens[before]
    if words.kind != "cjk" or REMARK.search(words.text) or _interjection(words.text):
        return start
    if chunks[before] == leading_chunk and (mode == "chain" or looks_like_person(words.text)):
        # The whole glued word counts: `🍒小樱桃 1` is a nickname, though 樱桃 is goods.
        glued = [t for t, c in zip(tokens, chunks, strict=True) if c == chunks[before]]
        if mode == "chain" and _name_slot(glued, tokens[start], ctx) == "goods":
            return next(i for i, c in enumerate(chunks) if c == chunks[before])  # 3-1-101 黄瓜 3斤
        return start
    if strip_verb(words.text) in PRONOUNS or is_verb_phrase(words.text):
        return start
    if not ctx.catalog and looks_like_person(words.text):
        return start  # `apollo7 李雷 3份`: a team and a person, not a product
    return next(i for i, c in enumerate(chunks) if c == chunks[before])


def _goods_before(tokens: list[Token], index: int, ctx: ReadContext) -> int | None:
    """The index of goods set apart just before `tokens[index]` and first in the line, if any."""
    before = index - 1
    while before >= 0 and tokens[before].kind in ("soft", "hard"):
        before -= 1
    if before < 0 or tokens[before].kind != "cjk" or before == index - 1:
        return None
    if any(t.kind not in _NOTE_KINDS and t.kind not in ("soft", "hard") for t in tokens[:before]):
        return None
    return before if _goods_word(tokens[before].text, ctx, chat=True) else None


def _each_scope_start(
    tokens: list[Token], each: int, chunks: list[int], leading_chunk: int, ctx: ReadContext
) -> int:
    """`红和黄 各一斤`, `苹果、香蕉各2斤`, `孙 羊肉卷 牛肉卷 各2盒`: the products 各 spreads over start
    the order. Earlier words set apart by a comma or a space are products too, but not the name:
    the leading words stop it unless they name goods (`苹果 香蕉各一`)."""
    i = each - 1
    while i >= 0 and tokens[i].kind == "soft":
        i -= 1
    start = each
    while i >= 0:
        token = tokens[i]
        spaced = token.kind == "soft" and any(ch.isspace() for ch in token.text)
        if spaced or token.kind == "hard":
            j = i - 1
            while j >= 0 and tokens[j].kind in ("soft", "hard"):
                j -= 1
            if j < 0 or tokens[j].kind not in ("cjk", "product"):
                break
            if chunks[j] == leading_chunk and tokens[j].kind == "cjk":
                words = tokens[j].text
                if (spaced and not _goods_word(words, ctx)) or looks_like_person(words):
                    break
            i = j
            continue
        if token.kind == "soft":
            i -= 1
            continue
        if token.kind not in ("cjk", "word", "product"):
            break
        start = i
        i -= 1
    return start


def _goods_word(words: str, ctx: ReadContext, *, chat: bool = False) -> bool:
    if ctx.catalog:
        found = match_in(words, ctx.index)
        return found.entry is not None or found.ambiguous
    if chat:
        return looks_like_goods(words) and not looks_like_person(words)
    return looks_like_goods(words)


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
        remark = (
            bool(runs)
            and token.kind == "cjk"
            and bool(REMARK.search(token.text) or OPTIONS.match(token.text))
        )
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
    if chat:
        runs = [run for run in runs if not _interjection(text[run[0] : run[1]])]
        if not runs:
            return  # 好的，2份: an answer, not a name
    name = _clean_name(" ".join(text[start:end] for start, end in runs), reading)
    if chat and name is not None:
        name = _after_interjection(name)
        # 李雷要3份 names 李雷; 我要3份, 麻烦给我来两斤 name no one but the sender.
        called = calls_the_leader(name)
        name = None if is_verb_phrase(name) else without_proxy_word(strip_verb(name)) or None
        if name in PRONOUNS or name in VERBS or called:  # 一共要3份: 一共 is no one
            name = None
        elif name is not None and is_household(name):
            reading.notes.append(name)  # 帮我妈订2份: the sender's order, for the sender's mother
            name = None
    if name is not None:
        person, _, last = name.rpartition(" ")
        if person and is_household(without_proxy_word(last)):
            reading.notes.append(last)  # 李四 帮我妈留两板: 李四's order, for 李四's mother
            name = person
    reading.name = name


def _interjection(words: str) -> bool:
    found = INTERJECTION.match(words)
    return found is not None and found.end() == len(words)


def _after_interjection(name: str) -> str:
    """`那我要` → `我要`: an interjection in front of words that name no one goes."""
    found = INTERJECTION.match(name)
    if found is None:
        return name
    rest = name[found.end() :].strip(" ，,")
    if not rest or is_verb_phrase(rest) or rest in PRONOUNS or strip_verb(rest) in PRONOUNS:
        return rest
    return name


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
    later = tokens[name_end + 1 :]
    options = any(t.kind == "cjk" and OPTIONS.match(t.text) for t in later)
    if ctx.catalog or options:
        # 杨枝甘露 大杯 少冰: an item ordered, with no count.
        reading.options = options
        reading.unmatched.extend(
            t.text
            for t in later
            if t.kind == "cjk"
            and len(t.text) >= 2
            and not REMARK.search(t.text)
            and not OPTIONS.match(t.text)
        )
    return len(tokens)
