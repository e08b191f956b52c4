"""Product codes written the short ways members write them, spelt out before a line is lexed.

Under a menu numbered 1, 2, 3 or lettered A, B, C, members write `①2份`, `2#3` or `A1B2`. The lexer
cannot tell these from an address or a word without the menu, so the line is rewritten first,
and only for codes the menu has: `①2份` → `1号2份`, `2#3` → `2号3`, `A1B2` → `A1 B2`, `ac各一` →
`A C各一`.
"""

from __future__ import annotations

import re

from handlers.reading.matching import CatalogIndex
from handlers.reading.numbers import CHINESE_NUMERAL_CHARS

_COUNT_START = rf"(?=\s*(?:\d|[{CHINESE_NUMERAL_CHARS}半]))"
# 4#3单元, b2-301: a building and its parts, never a code and a count.
_NOT_AN_ADDRESS = r"(?!\s*(?:单元|栋|幢|楼|层|室|座|号楼|[-#]))"
# ①2份, ② 两桶, ②③各1: a circled number before a count, another circled number or 各 is the
# product with that number.
_CIRCLED = re.compile(rf"[\u2460-\u2473](?:{_COUNT_START}|(?=\s*[\u2460-\u2473各]))")
# 2#3, 4#1: product 2, three of it. Not 5#502 or 3#楼, which are buildings: the count after # is
# at most two digits, or a Chinese numeral.
_HASH_CODE = re.compile(
    rf"(?<![\d#])(\d{{1,2}})\s*#(?=\s*(?:\d{{1,2}}(?![\d.])|[{CHINESE_NUMERAL_CHARS}]){_NOT_AN_ADDRESS})"
)
# A1B2, b1c1, c2: letter codes with their counts, glued together or written in lower case.
_LETTER_RUN = re.compile(rf"(?<![A-Za-z0-9])(?:[A-Za-z]\d{{1,2}})+(?![A-Za-z0-9]){_NOT_AN_ADDRESS}")
_LETTER_CODE = re.compile(r"([A-Za-z])(\d{1,2})")
# ac各一, BD各2: several letter codes written together before 各.
_LETTERS_EACH = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,4}(?=\s*各)")


def spell_out_codes(text: str, index: CatalogIndex) -> str:
    """`text` with the menu's codes written as the lexer reads them; unchanged without codes."""
    if not index.by_code:
        return text
    if index.has_numeric_codes:
        text = _CIRCLED.sub(lambda m: _numbered(m.group(), index), text)
        text = _HASH_CODE.sub(lambda m: f"{m.group(1)}号" if index.code(m.group(1)) else m.group(), text)
    text = _LETTER_RUN.sub(lambda m: _lettered(m.group(), index), text)
    return _LETTERS_EACH.sub(lambda m: _letters(m.group(), index), text)


def _numbered(circled: str, index: CatalogIndex) -> str:
    number = str(ord(circled) - 0x2460 + 1)
    return f"{number}号" if index.code(number) is not None else circled


def _letters(run: str, index: CatalogIndex) -> str:
    if not all(index.is_letter_code(letter) for letter in run):
        return run
    return " ".join(letter.upper() for letter in run)


def _lettered(run: str, index: CatalogIndex) -> str:
    codes = _LETTER_CODE.findall(run)
    if not all(index.is_letter_code(letter) for letter, _count in codes):
        return run
    return " ".join(f"{letter.upper()}{count}" for letter, count in codes)
