"""The lexer: cut one line of chat text into typed spans, so the reader never guesses at raw text.

Catalog names are found first and protected (肉松小贝一盒三个 holds numerals that are not
quantities). Then one regular expression, tried in a fixed order at each place, labels the rest:
the spans that look like numbers but are not quantities (prices, specs, times, dates, addresses,
phone numbers) come before quantities, so `600ml*24瓶4箱` is a spec and then 4 箱, and `3栋502`
is an address, never 3 of anything.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from handlers.reading.matching import CatalogIndex
from handlers.reading.model import CatalogEntry
from handlers.reading.numbers import CHINESE_NUMERAL_CHARS, parse_number
from handlers.reading.text import EMOJI_CHARS
from handlers.reading.units import UNIT_PATTERN, canonical_unit


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int
    value: Decimal | None = None
    unit: str | None = None
    entries: tuple[CatalogEntry, ...] = ()
    # The people-kind word of a `kind` token (成人/儿童), or the inner text of a bracket group.
    label: str | None = None


_U = UNIT_PATTERN
_CN = CHINESE_NUMERAL_CHARS
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NUM = r"\d+(?:\.\d+)?"
_DAYPART = "上午|下午|晚上|早上|中午|凌晨|傍晚|今晚|明早|早晨"
_PEOPLE = "成人|大人|儿童|小孩|小朋友|孩子"
_CN_D = "一二两三四五六七八九壹贰叁肆伍陆柒捌玖俩兩倆仨"
# 白菜仨, 春花 俩, 再来俩糖包: 俩 and 仨 count on their own, without a unit (never part of a name).
_PAIR_TRIO = rf"[俩倆仨](?![{_HAN}])|(?<=[来要买订拿])[俩倆仨]"
# 来个西瓜, 我要个基围虾, 给我来个: 个 right after an order verb is one, said without the 一.
_ONE_PIECE = rf"(?<=[来要买订拿])个(?=[{_HAN}]|$)(?!人)"
# 1斤二两, 一斤二两: jin and liang of one weight, 1.2 斤.
_JIN_LIANG = rf"(?:\d+|[{_CN_D}十]+)\s*斤\s*[一二三四五六七八九\d]\s*两(?!\s*(?:{_U}))"
# A well-formed Chinese number up to the hundreds, so 张三两斤 reads as 张三 + 两斤, not 三两 + 斤.
_CN_NUMBER = (
    rf"[{_CN_D}][百佰](?:零[{_CN_D}]|[{_CN_D}][十拾][{_CN_D}]?)?|[{_CN_D}]?[十拾][{_CN_D}]?|[{_CN_D}]"
)
# 二两, 三两, 半两: the weight 两 (50 g). Never 两 alone (两斤 is two jin), nor 三两个 (a few).
_LIANG = rf"(?:[一二三四五六七八九十半]|\d+(?:\.\d+)?)两(?!\s*(?:{_U})|[一二三四五六七八九十天年次下位人])"
_CN_QTY = rf"(?:{_CN_NUMBER})\s*(?:{_U})半?|半\s*(?:{_U})|{_LIANG}"
# 三点, 十点半: a time; but 熟一点, 大一点的 say "a bit", not one o'clock.
_CN_TIME = (
    r"(?<![熟大小多少甜辣软硬快慢好鲜肥瘦厚薄轻重淡咸贵早晚])[一二三四五六七八九十两]{1,3}点(?![的儿兒])"
    r"(?:半|[一二三四五六七八九十]{1,3}分|一刻)?"
)
# 大2小1: two adults and a child, in a meal or ticket order. Only glued to a count of people: in
# `熊大 2袋` or `老大2袋` the 大 ends a name and the count is of goods.
_BIG_SMALL = rf"[大小]\d+(?![\d.]|\s*(?!位|人|名|张|个)(?:{_U}))"
# Where a run of Chinese text must stop because something with meaning starts.
_STOP = (
    rf"(?=[{_CN}半成大儿小孩上下晚早中凌傍今明周星礼各送满个])(?:"
    rf"{_JIN_LIANG}|{_CN_QTY}|{_PAIR_TRIO}|{_ONE_PIECE}|{_CN_TIME}|(?:{_PEOPLE})\s*\d|{_BIG_SMALL}|(?:{_DAYPART})\s*\d|(?:周|星期|礼拜)[一二三四五六日天末]"
    rf"|各\s*(?:\d|[{_CN}]|半)|送到?\s*\d|满\s*\d|一[盒包袋箱][{_CN}\d]{{1,3}}[个只粒块颗片枚]|[{_CN}]+件套)"
)

_ADDR_WORDS = r"Apt|APT|apt|Rm|RM|rm|Room|room|Unit|unit|Blk|blk|Flat|flat|No\."
# What may follow a building in an address: more numbered parts (1单元, 5楼), a room glued on (502),
# or a room of three or four digits after a space (`11栋2单元 401`). A short number after a space,
# or one glued to a unit, is the quantity: `5栋502 2箱`, `B栋3楼2份`.
_ADDR_MORE = (
    r"(?:\s*\d+\s*(?:栋|幢|号楼|楼|单元|座|层|室|号|房)"
    rf"|\d+(?!\d)(?!{_U})|\s+\d{{3,4}}(?![\d.])(?!\s*(?![张包])(?:{_U})(?![{_HAN}])))*"
)
# (kind, class of the first character, pattern). The lexer looks at the first character of what is
# left and tries only the rules of its class, in this order: d = digit, h = Chinese or kana,
# l = Latin letter, o = anything else. Order within a class is priority: specs, times, prices and
# addresses come before quantities, so a number is a quantity only when it is nothing else.
_RULES: tuple[tuple[str, str, str], ...] = (
    ("group", "o", r"[（(][^（）()\n]{0,80}[)）]"),
    ("phone", "d", r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    # 电话后四位5678, 尾号1234: the end of a phone number, never a count.
    ("phone", "h", r"(?:电话|手机号?|号码)?\s*(?:后四位|尾号|后4位)\s*[:：]?\s*\d{4}(?!\d)"),
    ("date", "d", r"\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*[日号]?"),
    ("time", "h", rf"(?:{_DAYPART})\s*\d{{1,2}}(?:[.:：]\d{{1,2}}|点(?:半|\d{{1,2}}分?)?)?(?:左右)?"),
    (
        "time",
        "d",
        r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[-~～至到]\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
        r"|\d{1,2}(?:\.\d{1,2})?\s*[-~～至到]\s*\d{1,2}(?:\.\d{1,2})?\s*[点时](?:半|\d{1,2}分?)?"
        r"|\d{1,2}\s*点(?:半|\d{1,2}分?|一刻)?",
    ),
    ("time", "h", _CN_TIME),
    (
        "date",
        "d",
        r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*月份?"
        r"|\d{1,2}[./]\d{1,2}\s*(?:[日号]|(?=\s*(?:星期|周|早|晚|上午|下午|中午|送|到|发)))",
    ),
    ("date", "h", r"(?:周|星期|礼拜)[一二三四五六日天末]|今天|明天|后天|今日|明日|本周|下周|这周|明晚"),
    ("price", "o", rf"[¥￥$]\s*{_NUM}(?:\s*/\s*[^\s,，;；]+|\s*[一每]\s*(?:{_U})(?![装裝]))?"),
    (
        "price",
        "d",
        # 土豆2.5一斤, 青椒4块一斤, 3元一个: so much a jin, a piece.
        rf"{_NUM}\s*(?:元|块钱?)?\s*[一每]\s*(?:{_U})(?![装裝])"
        # 3块5, 3块5一斤, 2块5毛: three and a half yuan, never three pieces and five of something (but
        # `豆腐2块 3栋502` is two pieces, then an address).
        rf"|\d+块\d(?![\d.])(?:毛)?(?!\s*(?:{_U}|号|栋|楼|单元|层|室|[-#]))(?:\s*[一每]\s*(?:{_U}))?"
        rf"|{_NUM}\s*(?:元|块钱|rmb|RMB)(?:\s*/\s*(?:{_U}))?|{_NUM}\s*/\s*(?:{_U})(?![A-Za-z{_HAN}])",
    ),
    (
        "spec",
        "d",
        rf"{_NUM}\s*(?:ml|mL|ML|毫升|[lL]|升|g|G|克|cm|CM|mm|寸|度|%|mAh)\s*[*×xX✖]\s*\d+\s*(?:{_U})"
        rf"|{_NUM}\s*(?:{_U}|ml|mL|ML|毫升|[lL]|升)\s*[装裝]"
        rf"|{_NUM}\s*(?:ml|mL|ML|毫升|[lL]|升|cm|CM|mm|寸|度|%|mAh)(?![A-Za-z])"
        rf"|1[盒包袋箱][{_CN}\d]{{1,3}}[个只粒块颗片枚]",
    ),
    (
        "spec",
        "h",
        rf"一[盒包袋箱][{_CN}\d]{{1,3}}[个只粒块颗片枚]|[{_CN}]+\s*(?:{_U})\s*[装裝]|满\s*\d+\s*元?"
        rf"|[{_CN}]+件套",
    ),
    ("addr", "d", rf"\d+\s*(?:栋|幢|号楼|楼|单元|座|期|层|号院|号门|室|号房|房|弄|巷){_ADDR_MORE}"),
    # 2-1-301, 8-1-602, 15-2单元-1201: building, unit and room; never a range (8-1-602 张 is not 8
    # to 602 sheets).
    ("addr", "d", r"\d{1,4}\s*-\s*\d{1,4}\s*(?:单元|栋|号楼|号)?\s*-\s*\d{1,5}(?:\s*-\s*\d{1,5})?(?![\d.])"),
    # 5-6号楼, 3-2栋502: a building numbered with a dash, then the building word.
    ("addr", "d", rf"\d{{1,3}}\s*-\s*\d{{1,3}}\s*(?:栋|幢|号楼|楼|单元|座){_ADDR_MORE}"),
    ("addr", "h", r"(?:送到?|住|地址[:：]?)\s*\d+(?:\s*[-#]\s*\d+)*|[东南西北中]区"),
    (
        "addr",
        "l",
        rf"(?<![A-Za-z])(?:{_ADDR_WORDS})\s*\d+[A-Za-z]?(?:\s*[-#]\s*\d+[A-Za-z]?)*"
        rf"|(?<![A-Za-z])[A-Za-z]\s*(?:栋|幢|座|号楼){_ADDR_MORE}"  # A栋, B座1108, C栋5楼
        r"|(?<![A-Za-z])[A-Z]\s*区"
        r"|(?<![A-Za-z0-9])[A-WYZ]\d{1,3}(?:区|栋|座|号)?(?![A-Za-z0-9])",  # H3, J1 (X2 is times two)
    ),
    # 4#3单元, 5#502: a building with # for 号, then its unit or room.
    ("addr", "d", r"\d{1,3}\s*#\s*(?:\d{1,4}\s*(?:单元|栋|楼|层|室)[\d\-]*|\d{3,4}(?!\d))"),
    (
        "codeno",
        "o",
        r"#\s*\d{1,3}(?![\d\-#A-Za-z]|\s*(?:单元|栋|楼|层|室))",
    ),  # #2: product 2, as LINE group buys write it
    ("addr", "o", r"#\s*\d+[A-Za-z]?(?:\s*[-#]\s*\d+[A-Za-z]?)*"),
    ("kind", "h", rf"(?:{_PEOPLE})\s*\d+|{_BIG_SMALL}"),
    ("kind", "d", rf"\d+\s*(?:{_PEOPLE}|大(?![{_HAN}])|小(?![{_HAN}]))"),
    ("range", "d", rf"\d+(?:\.\d+)?(?:\s*[-~～]\s*\d+(?:\.\d+)?)+(?:\s*(?:{_U}))?"),
    ("codeno", "d", r"\d{1,3}\s*号(?!楼|房|室|院|线|门|床|场|地|车|机)"),
    # 1e309斤 is a quantity too (an absurd one, to be asked about), not a number beside a word.
    ("qty", "d", rf"(?<![\d.])[1-3]\s*/\s*[24](?![\d.])\s*(?:{_U})"),  # 南瓜1/2个: half of one
    # `502 张三`, `401 张`: 张 and 包 after a space are a surname, not a unit.
    ("qty", "dh", _JIN_LIANG),
    ("qty", "d", rf"{_NUM}(?:[eE][+-]?\d+)?(?!\s+[张包])\s*(?:{_U})半?|{_LIANG}"),
    ("qty", "h", _CN_QTY),
    ("qty", "h", _PAIR_TRIO),
    ("qty", "h", _ONE_PIECE),
    ("mult", "l", rf"(?<![A-Za-z])[xX]\s*{_NUM}(?:\s*(?:{_U}))?"),
    ("mult", "o", rf"[×✖*]\ufe0f?\s*{_NUM}(?:\s*(?:{_U}))?"),
    ("each", "h", rf"各(?=\s*(?:\d|[{_CN}]|半))"),
    # 各一, 各两: the count after 各 with no unit, as members write it under numbered products.
    ("num", "h", r"(?<=各)[一二两三四五六七八九十](?![\u3400-\u9fff])"),
    ("plus", "o", "[+＋➕]\ufe0f?"),
    ("num", "d", r"\d+(?:\.\d+)?[eE][+-]?\d+(?![A-Za-z])"),
    # Latin words, digits allowed inside (Lqz13Th, gt7, Apollo8); but 2x3 is 2 times 3, not a word.
    ("word", "d", r"\d+(?![xX]\d)[A-Za-z_][A-Za-z0-9_'’&-]*"),
    # A hyphen joins Latin words (Jean-Luc) but not an area (苏su-D区, Amy-H3).
    (
        "word",
        "l",
        r"(?:[A-Za-z](?:[A-Za-z0-9_'’&]|-(?![A-Z](?:区|\d)))*[A-Za-z0-9]|[A-Za-z]{2,})"
        r"(?:[A-Za-z0-9_'’&]|-(?![A-Z](?:区|\d)))*",
    ),
    ("num", "d", _NUM),
    ("letter", "l", r"[A-Za-z]"),
    ("emoji", "o", f"[{EMOJI_CHARS}]+"),
    ("hard", "o", r"[，,；;、。\n！!？?]+"),
    ("soft", "o", r"[\s\-—–~～/\\|【】\[\]「」『』<>《》:：=…·•\"“”'‘’]+"),
    ("cjk", "h", rf"(?:(?!{_STOP})[{_HAN}\u3040-\u30ff々〇])+"),
)


def _class_pattern(first: str) -> tuple[re.Pattern[str], dict[str, str]]:
    rules = [(kind, pattern) for kind, classes, pattern in _RULES if first in classes]
    rules.append(("other", r"."))
    groups = {f"{kind}_{i}": kind for i, (kind, _) in enumerate(rules)}
    alternation = "|".join(f"(?P<{kind}_{i}>{pattern})" for i, (kind, pattern) in enumerate(rules))
    return re.compile(alternation, re.DOTALL), groups


_BY_CLASS = {first: _class_pattern(first) for first in "dhlo"}


def _class_of(ch: str) -> str:
    if "0" <= ch <= "9":
        return "d"
    if ch < "\x80":
        return "l" if ch.isalpha() else "o"
    chinese = "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3040" <= ch <= "\u30ff"
    return "h" if chinese or ch in "々〇" else "o"


_DIGITS = re.compile(r"\d+")
_JIN_LIANG_PARTS = re.compile(r"^(.+?)\s*斤\s*(.)\s*两$")
_FRACTION = re.compile(rf"^(\d)\s*/\s*(\d)\s*({_U})$")
_QTY_PARTS = re.compile(rf"^(?P<n>{_NUM}(?:[eE][+-]?\d+)?|[{_CN}]+|半)?\s*(?P<u>{_U})?(?P<h>半)?$")
_MULT_PARTS = re.compile(rf"({_NUM})\s*({_U})?$")
_KIND_PARTS = re.compile(rf"(?:({_PEOPLE}|大|小)\s*(\d+)|(\d+)\s*({_PEOPLE}|大|小))")
_RANGE_UNIT = re.compile(rf"({_U})$")
_PRICE_UNIT = re.compile(rf"/\s*({_U})(?![A-Za-z])")

PEOPLE_WORDS = {
    "成人": "成人",
    "大人": "成人",
    "大": "成人",
    "儿童": "儿童",
    "小孩": "儿童",
    "小朋友": "儿童",
}
PEOPLE_WORDS.update({"孩子": "儿童", "小": "儿童"})


def scan(text: str, index: CatalogIndex | None) -> list[Token]:
    """Every span of `text`, in order, each labelled with what it is."""
    tokens: list[Token] = []
    position = 0
    if index is not None and index.mention_re is not None:
        for mention in index.mention_re.finditer(text):
            if mention.start() > position:
                _scan_gap(text, position, mention.start(), tokens)
            written = mention.group(0)
            entries = index.mention_entries.get(written) or _entries_ignoring_case(index, written)
            tokens.append(Token("product", written, mention.start(), mention.end(), entries=entries))
            position = mention.end()
    if position < len(text):
        _scan_gap(text, position, len(text), tokens)
    return _lone_size_word(tokens)


def _lone_size_word(tokens: list[Token]) -> list[Token]:
    """`大2小1` counts adults and children; a lone `小5` or `大1` where the name goes, with no other
    such count in the line, is a nickname (小5 2份), not five children."""
    kinds = [i for i, t in enumerate(tokens) if t.kind == "kind"]
    first = next((i for i, t in enumerate(tokens) if t.kind not in ("soft", "hard", "emoji")), None)
    if len(kinds) != 1 or kinds[0] != first:
        return tokens
    token = tokens[kinds[0]]
    parts = _KIND_PARTS.search(token.text)
    if parts is None or (parts.group(1) or parts.group(4)) not in ("大", "小"):
        return tokens
    tokens[kinds[0]] = Token("word", token.text, token.start, token.end)
    return tokens


def _entries_ignoring_case(index: CatalogIndex, written: str) -> tuple[CatalogEntry, ...]:
    lowered = written.lower()
    for name, entries in index.mention_entries.items():
        if name.lower() == lowered:
            return entries
    return ()


def _scan_gap(text: str, start: int, end: int, tokens: list[Token]) -> None:
    position = start
    append = tokens.append
    while position < end:
        pattern, groups = _BY_CLASS[_class_of(text[position])]
        match = pattern.match(text, position, end)
        assert match is not None  # every class ends in a rule for any one character
        after = match.end()
        append(_typed(groups[match.lastgroup or ""], match.group(), position, after))
        position = after


_PLAIN_KINDS = frozenset(
    {"soft", "hard", "cjk", "word", "letter", "emoji", "plus", "other", "addr", "time", "date"}
)


def _typed(kind: str, written: str, start: int, end: int) -> Token:
    if kind in _PLAIN_KINDS:
        return Token(kind, written, start, end)
    if kind == "qty":
        return _quantity(written, start, end)
    if kind == "mult":
        parts = _MULT_PARTS.search(written)
        if parts is not None:
            return Token(
                "mult", written, start, end, parse_number(parts.group(1)), canonical_unit(parts.group(2))
            )
    if kind == "num":
        return Token("num", written, start, end, parse_number(written))
    if kind == "kind":
        parts = _KIND_PARTS.search(written)
        if parts is not None:
            word = parts.group(1) or parts.group(4)
            count = parts.group(2) or parts.group(3)
            return Token("kind", written, start, end, parse_number(count), label=PEOPLE_WORDS.get(word, word))
    if kind == "range":
        unit = _RANGE_UNIT.search(written)
        return Token("range", written, start, end, unit=canonical_unit(unit.group(1)) if unit else None)
    if kind == "codeno":
        digits = _DIGITS.search(written)
        return Token("codeno", written, start, end, parse_number(digits.group() if digits else ""))
    if kind == "group":
        return Token("group", written, start, end, label=written[1:-1])
    if kind == "price":
        unit = _PRICE_UNIT.search(written)
        return Token("price", written, start, end, unit=canonical_unit(unit.group(1)) if unit else None)
    return Token(kind, written, start, end)


def _quantity(written: str, start: int, end: int) -> Token:
    fraction = _FRACTION.match(written)
    if fraction is not None:
        part = Decimal(fraction.group(1)) / Decimal(fraction.group(2))
        return Token("qty", written, start, end, part, canonical_unit(fraction.group(3)))
    if written == "个":
        return Token("qty", written, start, end, Decimal(1), None)
    jin_liang = _JIN_LIANG_PARTS.match(written)
    if jin_liang is not None:
        jin, liang = parse_number(jin_liang.group(1)), parse_number(jin_liang.group(2))
        weight = jin + liang / 10 if jin is not None and liang is not None else None
        return Token("qty", written, start, end, weight, "斤")
    if written.endswith("两"):
        number = written[:-1].strip()
        liang = Decimal("0.5") if number == "半" else parse_number(number)
        return Token("qty", written, start, end, liang, "两")
    parts = _QTY_PARTS.match(written.replace(" ", ""))
    if parts is None:
        return Token("qty", written, start, end)
    number = parts.group("n")
    value: Decimal | None = None
    if number == "半":
        value = Decimal("0.5")
    elif number is not None:
        value = parse_number(number)
    if value is not None and parts.group("h"):
        value += Decimal("0.5")
    return Token("qty", written, start, end, value, canonical_unit(parts.group("u")))
