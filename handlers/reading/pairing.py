"""Pass 2 of reading a line: products and quantities paired up.

Products, codes and free product words are paired with the quantities around them (`苹果2斤`,
`五斤西瓜`, `1+2+3`, `11x2`, `红和黄 各一斤`), flavours attached to their code or name. What pairs
with nothing is a note, or a doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from handlers.reading import reasons
from handlers.reading.context import Mode, ReadContext
from handlers.reading.findings import Issue, LineReading
from handlers.reading.matching import match_in
from handlers.reading.model import CatalogEntry
from handlers.reading.naming import coded_count, codes_in_range
from handlers.reading.numbers import QTY_CAP, is_absurd, parse_number
from handlers.reading.people import PRONOUNS, is_household, looks_like_goods, looks_like_person
from handlers.reading.tokens import Token
from handlers.reading.units import UNIT_PATTERN, is_weight
from handlers.reading.variants import FlavourPick, read_flavours
from handlers.reading.words import (
    ADD_ON,
    ADD_WORDS,
    GIFT_WORDS,
    NOTE_MARK,
    OPTIONS,
    PREFERENCE,
    REMARK,
    WEIGHED,
    WISH,
    is_verb_phrase,
)

# A unitless number this big after a product is more often a room number (502) than a count.
_ROOM_LIKE = Decimal(100)
# A count in a meal remark: 2少饭, 其中一份, 1份换南瓜.
_REMARK_NUMBER = re.compile(r"(\d+|[一两二三四五六七八九十])\s*份?")
# What a meal remark number may count without adding anything: less rice, no chili, a box, a swap.
_MEAL_MODIFIER = re.compile(r"饭|辣|盒|袋|换|汤|少|多|免|不要|已付|主食|菜")


def _portions_get_add_on(token: Token, state: _Pairing) -> bool:
    """`2份 一份加蛋`: a count of 份, no more than the portions, right before 加X, says how many
    portions get the add-on (unlike `3加包子`, which may be portion 3 or three buns)."""
    if token.unit != "份" or token.value is None:
        return False
    portions = sum(
        (m.qty for m in state.mentions if m.implicit and m.qty is not None and not m.add_on), Decimal(0)
    )
    if state.pending is not None and state.pending[0] is not None and state.pending[1] == "份":
        portions += state.pending[0]
    return 0 < token.value <= portions and ADD_ON.match(state.text[token.end :].lstrip()) is not None


def _counts_add_on(following: str) -> bool:
    """Whether the words after a remark number count something extra (加包子, 2黑凉粉)."""
    word = following.lstrip(" 份个")[:8]
    if not word:
        return False
    added = word.find("加")
    if added >= 0 and ADD_ON.match(word[added:]):
        return True  # 加包子, 饭盒加黑凉粉
    return not (_MEAL_MODIFIER.search(word) or REMARK.search(word))


@dataclass(slots=True)
class Mention:
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
    # 我和我老婆各一份: the day's offer for this many people, each getting the count after 各.
    people: int = 1


@dataclass(slots=True)
class _Pairing:
    """The state of pairing products with quantities while walking the tokens of one line."""

    mentions: list[Mention] = field(default_factory=list)
    current: Mention | None = None
    pending: tuple[Decimal | None, str | None, int, int] | None = None
    hard_since: bool = False
    each: bool = False
    # Index into mentions where the current 各 scope starts (after the last quantity).
    scope_start: int = 0
    bare: list[Token] = field(default_factory=list)
    # Numbers inside a meal line's remarks: (as written, value, whether it counts an add-on).
    remark_numbers: list[tuple[str, Decimal | None, bool]] = field(default_factory=list)
    pre_flavour: tuple[str, int] | None = None
    mode: Mode = "chain"
    # Tokens before this offset were consumed by a flavour pick.
    skip_until: int = 0
    # The product a `+` followed, for `苹果+1`.
    plus_after: Mention | None = None
    # A meal add-on word (加) was followed by a quantity: the next words are the add-on.
    add_on_next: bool = False
    # The line being read, for looking at the words after a token.
    text: str = ""
    # Menu codes written with their count glued on (A2 B1).
    coded_counts: int = 0
    # The line orders for people other than the sender's household (张三和李四各2斤).
    others: bool = False
    # `一份加蛋`: how many of the portions get the add-on that follows.
    portions_with_add_on: Decimal | None = None
    # `2份 改为3份`: the next count replaces the last one.
    revise: bool = False


def read_order(
    text: str, tokens: list[Token], ctx: ReadContext, reading: LineReading, *, mode: Mode
) -> list[Mention]:
    state = _Pairing(mode=mode, text=text)
    meal = ctx.offer.kind == "meal"
    for i, token in enumerate(tokens):
        if token.start < state.skip_until:
            continue  # already read as part of a flavour pick
        kind = token.kind
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind in ("hard", "plus"):
            state.hard_since = True
            if kind == "hard" and not state.each:
                _flush_pending(state)  # 帮我留3份，下午取: a quantity never reaches past a comma
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
            _start(state, Mention(token.start, token.end, entry=entry, by_code=True))
        elif kind == "num":
            _on_number(token, _significant_before(tokens, i), after, ctx, state, reading)
        elif kind == "codeno":
            entry = ctx.index.code(str(token.value))
            if entry is not None:
                _start(state, Mention(token.start, token.end, entry=entry, by_code=True, explicit=True))
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
                state, Mention(token.start, token.end, text=token.label, qty=token.value, label=token.label)
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
        elif kind == "addr" and coded_count(token, ctx) is not None:
            entry, count = coded_count(token, ctx) or (None, None)
            state.coded_counts += 1
            _start(state, Mention(token.start, token.end, entry=entry, by_code=True, qty=count))
        elif kind in ("addr", "phone", "time", "date", "other"):
            reading.notes.append(token.text)
    _flush_pending(state)
    if state.others:
        reading.issues.append(Issue(reasons.AMBIGUOUS_PRODUCT, "给几个人一起订的，要分开记吗?"))
    if state.coded_counts and any(m.by_code and m.qty is None for m in state.mentions):
        # 张三 H3 C: with C written bare, is H3 three of H, or building H3?
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, "字母加数字是份数还是楼号?"))
    if state.mentions or state.bare:
        reading.order_like = True
    _settle_bare_numbers(state, text, ctx, reading, meal=meal)
    doubtful = _doubtful_remark_numbers(state)
    if doubtful:
        reading.issues.append(
            Issue(reasons.REMARK_NUMBERS, f"备注里的数字 {'、'.join(doubtful)} 是份数还是第几份?")
        )
    return state.mentions


def _doubtful_remark_numbers(state: _Pairing) -> list[str]:
    """`11份 2少饭 2免辣 1饭盒`: remark numbers that say how many of the portions get the remark
    leave the count alone. Doubtful are add-ons (`3加包子`: each of portion 3, or 3 buns?), numbers
    above the portion count, and any remark number where no portion count is written."""
    portions = sum(
        (m.qty for m in state.mentions if m.implicit and m.qty is not None and not m.add_on), Decimal(0)
    )
    return [
        written
        for written, value, add_on in state.remark_numbers
        if add_on or value is None or portions == 0 or value > portions
    ]


def _flush_pending(state: _Pairing) -> None:
    """A quantity that found no product is a quantity of the day's offer (`2份`)."""
    if state.pending is not None:
        value, unit, start, end = state.pending
        state.mentions.append(Mention(start, end, qty=value, unit=unit, implicit=True))
        state.pending = None


def _start(state: _Pairing, mention: Mention) -> None:
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
        extra = (current.entry.code or "").isalpha() and all(entry.code is None for entry in entries)
        # `B 微辣 冰粉1`: under a lettered menu, an extra with no letter of its own is more, not B's name.
        if not extra and (after is None or after.kind not in ("qty", "mult")):
            names = "、".join(e.name for e in entries)
            reading.issues.append(
                Issue(
                    reasons.CONFLICTING_CODE, f"{current.entry.code} 是 {current.entry.name}，但写着 {names}"
                )
            )
            current.end = token.end
            return
    if len(entries) == 1:
        _start(state, Mention(token.start, token.end, entry=entries[0]))
    else:
        _start(state, Mention(token.start, token.end, text=token.text))


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
    if meal and words in ADD_WORDS and after is not None and after.kind == "qty":
        state.add_on_next = True  # 加一个黑凉粉: the quantity and the words after it are an add-on
        return
    if _REVISE.match(words):
        state.revise = True  # 2份 改为3份: the next count replaces the one before
        return
    if is_verb_phrase(words):
        return
    glued = current is not None and current.end == token.start and current.qty is None
    if glued and current is not None and current.entry is not None:
        written = text[current.start : token.end]
        if written in current.entry.name or any(written in alias for alias in current.entry.aliases):
            current.end = token.end  # 富士 + 苹果: still one name, a part of 红富士苹果
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
    if meal and state.add_on_next:
        state.add_on_next = False
        _start(state, Mention(token.start, token.end, text=words, add_on=True, counted=True))
        return
    if meal:
        add_on = ADD_ON.match(words)
        if add_on is not None:
            _flush_pending(state)
            count, state.portions_with_add_on = state.portions_with_add_on, None
            _start(state, Mention(token.start, token.end, text=add_on.group(1), add_on=True, qty=count))
            return
    if OPTIONS.match(words):
        reading.notes.append(words)  # 珍珠奶茶 中杯 全糖 x2: the count after the options is the drink's
        reading.options = True
        return
    if current is not None and current.qty is None and WISH.match(words):
        reading.notes.append(words)  # 梭子蟹要母的 3斤: a wish about the crabs; the count is theirs
        return
    preference = state.pending is not None and PREFERENCE.search(words) is not None
    if preference or (REMARK.search(words) and not GIFT_WORDS.match(words)):
        if WEIGHED.search(words):
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
    if meal and not _menu_choice(words, ctx):
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
    start = token.start
    joined = _JOINED.match(words) if any(m.qty is not None for m in state.mentions) else None
    if joined is not None:
        rest = words[joined.end() :]
        if not rest or is_verb_phrase(rest):
            return  # 苹果2斤，另外要两箱橙子: words joining the next item to the last
        if len(rest) >= 2:
            words, start = rest, start + joined.end()  # 苹果2斤和香蕉1把: 和 joins, 香蕉 is ordered
    if _remark_after_count(words, token, ctx, state):
        reading.notes.append(words)  # 王 2份 老地方: a list of one product has no other to name
        return
    _start(state, Mention(start, token.end, text=words))


def _remark_after_count(words: str, token: Token, ctx: ReadContext, state: _Pairing) -> bool:
    """Words set apart after a count, in a list that sells one product, that name no goods."""
    if state.pending is None or ctx.implicit is None or len(ctx.catalog) > 1:
        return False
    between = state.text[state.pending[3] : token.start]
    return bool(between) and between.isspace() and not looks_like_goods(words)


def _menu_choice(words: str, ctx: ReadContext) -> bool:
    """`肉包` under a breakfast menu of 鲜肉包, 菜包, 豆浆: a choice from the menu, not a remark. Only
    where members choose (ctx.implicit is None); a set meal's dish list names what is in the meal."""
    if not ctx.catalog or ctx.implicit is not None:
        return False
    found = match_in(words, ctx.index)
    return found.entry is not None and found.entry.name not in ctx.offer_words


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


def _check_code_words(words: str, mention: Mention, ctx: ReadContext, reading: LineReading) -> bool:
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
    if state.each and _apply_each(state, value, None):
        return  # 3 4 各2: two of each, never product 2
    if state.revise and _revise(state, value, None):
        return
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
    mistyped_unit = (
        glued_ahead
        and after is not None
        and len(after.text) == 1
        and current is not None
        and not current.by_code
        and not current.implicit
        and current.qty is None
        and not current.add_on
        and not state.hard_since
        and ctx.offer.kind != "meal"
    )
    if mistyped_unit and current is not None and after is not None:
        # 大米2代: a count with a character where its unit goes (袋 mistyped), not product 2.
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text}{after.text} 是数量吗?"))
        current.qty, current.end = value, token.end
        return
    if follows_product and current is not None and not current.implicit:
        if value >= _ROOM_LIKE and not is_absurd(value):
            # 3栋 西红柿 502: a number that big with no unit is more likely a room than a count.
            reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 是数量还是门牌号?"))
        current.qty, current.end = value, token.end  # 苹果 2
        return
    if _count_after_comma(current, token, after, state):
        assert current is not None
        current.qty, current.end = value, token.end  # 香蕉,1: the count of the bananas, not product 1
        return
    plain_count = (
        current is not None and current.by_code and (current.explicit or not ctx.index.has_numeric_codes)
    )
    if plain_count and current is not None and current.qty is None and not state.hard_since:
        current.qty, current.end = value, token.end  # C 2
        return
    entry = ctx.index.code(token.text) if whole and ctx.index.has_numeric_codes else None
    if entry is not None and not state.mentions and before is not None and before.kind == "plus":
        entry = None  # 周八 +1: one more (of what, the leader asks when several are sold), not product 1
    if entry is not None and state.mentions and before is not None and before.kind == "word":
        reading.notes.append(token.text)  # 4+5 fig 8: a number after an English word is an address
        return
    if entry is not None:
        _start(state, Mention(token.start, token.end, entry=entry, by_code=True))
        return
    _flush_pending(state)
    state.bare.append(token)


def _count_after_comma(current: Mention | None, token: Token, after: Token | None, state: _Pairing) -> bool:
    """`香蕉,1` ending the line: a product named without a count, then its count after a comma."""
    return (
        after is None
        and current is not None
        and not current.by_code
        and not current.implicit
        and not current.add_on
        and current.qty is None
        and state.text[current.end : token.start].strip() in (",", "，")
    )


def _on_range(token: Token, ctx: ReadContext, state: _Pairing, reading: LineReading) -> None:
    codes = codes_in_range(token, ctx)
    if codes is not None:
        for code, (start, end) in codes:
            entry = ctx.index.code(code)
            _start(state, Mention(start, end, entry=entry, by_code=True))
        return
    if token.unit is not None:
        reading.issues.append(Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 是一个范围，到底要多少?"))
    reading.notes.append(token.text)


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
    if state.each and _apply_each(state, token.value, token.unit):
        return
    if state.revise and _revise(state, token.value, token.unit):
        return
    counted = state.pending is not None or any(m.qty is not None for m in state.mentions)
    chosen = current is not None and current.entry is not None and not current.implicit
    if chosen and current is not None and current.qty is None and not state.hard_since:
        # A一份 B一份: a menu choice takes the count written after it, even after another's count.
        current.qty, current.unit, current.end = token.value, token.unit, token.end
        state.scope_start = len(state.mentions)
        return
    if meal and counted and not state.add_on_next and _portions_get_add_on(token, state):
        # 2份 一份加蛋: that many of the portions get one each.
        state.portions_with_add_on = token.value
        return
    glued_remark = (
        after is not None
        and after.start == token.end
        and after.kind == "cjk"
        and bool(REMARK.search(after.text))
    )
    if counted and glued_remark and not meal:
        # 杨 2份 一份要辣: how many of the portions get the remark, not more portions.
        state.remark_numbers.append((token.text, token.value, False))
        return
    if meal and counted and not state.add_on_next:
        # 真真 10份少饭 3少饭: the portions are counted; this number belongs to a remark.
        state.remark_numbers.append((token.text, token.value, _counts_add_on(state.text[token.end :])))
        return
    # 要母鸡，再来30个咸鸭蛋: goods glued after the count are what it counts, not the words set
    # apart before it (苹果2斤和香蕉1把 glues 苹果 to its count, so that count is the apples').
    counts_the_goods_after = (
        current is not None
        and bool(state.text[current.end : token.start].strip())
        and after is not None
        and after.start == token.end
        and after.kind == "cjk"
        and looks_like_goods(after.text)
    )
    if (
        current is not None
        and current.qty is None
        and not current.implicit
        and not counts_the_goods_after
        and (not state.hard_since or _verb_after_comma(current, token, state))
    ):
        current.qty, current.unit, current.end = token.value, token.unit, token.end
        state.scope_start = len(state.mentions)
        return
    _flush_pending(state)
    state.pending = (token.value, token.unit, token.start, token.end)
    state.current = None


def _verb_after_comma(current: Mention, token: Token, state: _Pairing) -> bool:
    """`鸡蛋，我要两板`, `苹果，来2斤`: the goods, a comma, then the order verb and the count."""
    between = state.text[current.end : token.start].strip()
    if current.by_code or current.add_on or between[:1] not in (",", "，"):
        return False
    words = between[1:].strip()
    return bool(words) and is_verb_phrase(words)


def _apply_each(state: _Pairing, value: Decimal, unit: str | None) -> bool:
    """`苹果、香蕉各2斤`, `1 2 3各1`: the quantity after 各 goes to every product since the last
    quantity. False when there is none to give it to."""
    targets = _split_each(state, [m for m in state.mentions[state.scope_start :] if m.qty is None])
    for mention in targets:
        mention.qty, mention.unit = value * mention.people, unit
    state.each = False
    state.scope_start = len(state.mentions)
    return bool(targets)


_REVISE = re.compile(r"^(?:改为|改成|改到|更改为|更正为|修改为|改)$")


def _revise(state: _Pairing, value: Decimal | None, unit: str | None) -> bool:
    """`2份 改为3份`, `苹果2斤 改成3斤`: the count after 改为 replaces the last one written."""
    state.revise = False
    counted = next((m for m in reversed(state.mentions) if m.qty is not None), None)
    if counted is not None:
        counted.qty, counted.unit = value, unit or counted.unit
        return True
    if state.pending is not None:
        _old, old_unit, start, end = state.pending
        state.pending = (value, unit or old_unit, start, end)
        return True
    return False


_AND = re.compile(r"[和与跟及&]")


def _split_each(state: _Pairing, targets: list[Mention]) -> list[Mention]:
    """`红和黄 各一斤`: free words joined by 和 are several products, each getting the quantity."""
    result: list[Mention] = []
    for mention in targets:
        words = mention.text
        if mention.entry is None and words and _AND.search(words):
            parts = [p for p in _AND.split(words) if p.strip()]
            at = state.mentions.index(mention)
            if len(parts) > 1 and all(_a_person(p) for p in parts):
                # 我和我老婆各一份: one count per person of the sender's household, of the day's offer;
                # 张三和李四各2斤 orders for two people, whom the leader may want apart.
                state.others |= not all(p.strip() in PRONOUNS or is_household(p) for p in parts)
                people = Mention(mention.start, mention.end, implicit=True, people=len(parts))
                state.mentions[at] = people
                result.append(people)
                continue
            split = [Mention(mention.start, mention.end, text=p) for p in parts]
            state.mentions[at : at + 1] = split
            result.extend(split)
        else:
            result.append(mention)
    return result


def _a_person(words: str) -> bool:
    words = words.strip()
    return words in PRONOUNS or is_household(words) or (looks_like_person(words) and not words.isascii())


def _on_multiplier(token: Token, state: _Pairing) -> None:
    current = state.current
    value = token.value or Decimal(1)
    spaced = token.start > 0 and state.text[token.start - 1].isspace()
    if current is not None and not state.hard_since and spaced and _weighed_words(current):
        # 贵妃芒5斤 ×2: two packs of five jin, as an app lists them; the size is part of the product.
        # Written together (苹果5斤x2) it is ten jin, as members write it.
        current.text = "".join(state.text[current.start : current.end].split())
        current.qty, current.unit, current.end = value, token.unit, token.end
        return
    if current is not None and not state.hard_since:
        current.qty = value if current.qty is None else current.qty * value
        current.unit = current.unit or token.unit
        current.end = token.end
    elif state.pending is not None:
        pending_value, unit, start, _end = state.pending
        state.pending = ((pending_value or Decimal(1)) * value, unit, start, token.end)
    else:
        state.pending = (value, token.unit, token.start, token.end)


def _weighed_words(mention: Mention) -> bool:
    """Free product words with a weight written on (`贵妃芒5斤`), before a count."""
    return (
        mention.entry is None
        and mention.text is not None
        and mention.qty is not None
        and is_weight(mention.unit)
    )


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
    if meal:
        for number in _REMARK_NUMBER.finditer(inner):
            value = parse_number(number.group(1))
            state.remark_numbers.append((number.group(0), value, _counts_add_on(inner[number.end() :])))
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
                state.remark_numbers.append((token.text, value, _counts_add_on(text[token.end :])))
            elif _PLUS_AFTER_COUNT.search(text[: token.start]) or _PLUS_COUNT.match(text[token.end :]):
                # 1+1, 2+1盒: one more on top (for a neighbour?) or a typo: the leader counts.
                reading.issues.append(
                    Issue(reasons.AMBIGUOUS_QUANTITY, f"{token.text} 加在数量上，一共几份?")
                )
            reading.notes.append(token.text)
            continue
        if value != value.to_integral_value() and not is_absurd(value):
            reading.notes.append(token.text)
            continue
        if signup:
            if bracketed and 0 < value <= QTY_CAP:
                state.mentions.append(Mention(token.start, token.end, qty=value, unit="人", implicit=True))
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
        if meal and text[token.end : token.end + 1] > "\u3400":
            # 李四 3少饭: three portions with less rice, or one portion and a note? Ask.
            state.remark_numbers.append((token.text, value, True))
        state.mentions.append(Mention(token.start, token.end, qty=value, implicit=True))
        has_quantity = True


# Words joining one item to the next: 和香蕉, 还有香蕉.
_JOINED = re.compile(r"^(?:还有|以及|另外|加上|外加|和|跟|与|及)")


# A count, then a plus (1+ before the number); a plus, then a count (+1 after it).
_PLUS_AFTER_COUNT = re.compile(rf"\d\s*(?:{UNIT_PATTERN})?\s*[+＋➕]\ufe0f?\s*$")
_PLUS_COUNT = re.compile(r"\s*[+＋➕]\ufe0f?\s*\d")


def _is_bracketed(token: Token, text: str) -> bool:
    """`【12】`: a number alone in brackets, the way check-in lists write a headcount."""
    return text[token.start - 1 : token.start] in ("【", "[") and text[token.end : token.end + 1] in (
        "】",
        "]",
    )
