"""Numerals: Arabic and Chinese numbers as `Decimal`, and the cap past which a number is no order."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Past this a quantity is a typo, an address or a prank, never an order a leader would count.
QTY_CAP = Decimal(999)
_TINY = Decimal("0.01")
# Where numbers too big to mean anything are clamped, so arithmetic on them stays safe.
_HUGE = Decimal("1e16")

_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "兩": 2, "倆": 2}
_DIGITS.update({"三": 3, "叁": 3, "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6})
_DIGITS.update({"七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9})
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN = {"万": 10_000, "萬": 10_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_WAN)
HALF = "半"


# The Chinese numerals a member writes a count with (两斤, 十个); the rarer forms (壹, 百) are read
# but do not mark a count by themselves.
COUNT_NUMERALS = "一二两三四五六七八九十"
_COUNT_CHARACTER = re.compile(f"[0-9{COUNT_NUMERALS}{HALF}]")


def writes_a_count(text: str) -> bool:
    """Whether the words hold a number at all (2斤, 两板, 半斤), as opposed to a product alone."""
    return _COUNT_CHARACTER.search(text) is not None


def parse_chinese_integer(text: str) -> int | None:
    """Read 十五, 二十, 一百零五, 两千, 三万 or a digit string such as 一二 (12). None if not a number."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _WAN for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        # 七八 is "seven or eight"; digit-by-digit numbers (一二 = 12) do not occur in orders.
        return _DIGITS[text] if len(text) == 1 else None
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                return None  # 三四十: a range, not a number
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * _WAN[ch]
            section = 0
            digit = None
    return total + section + (digit or 0)


def parse_number(text: str) -> Decimal | None:
    """Read an Arabic or Chinese number: `2`, `1.5`, `两`, `二十`, `半` (0.5), `一半`. None otherwise."""
    text = text.strip()
    if not text:
        return None
    if text == HALF or text == "一半":
        return Decimal("0.5")
    if text[0].isascii():
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
        if not value.is_finite():
            return None
        # 1e309, 99999999999999999999: absurd whatever the size; keep it small enough to compute with.
        return _HUGE if value.adjusted() > 15 else value
    integer = parse_chinese_integer(text)
    return None if integer is None else Decimal(integer)


def is_absurd(qty: Decimal) -> bool:
    """True for quantities no careful leader would count as an order: huge, tiny, zero or negative."""
    return not qty.is_finite() or qty < _TINY or qty > QTY_CAP


def tidy(qty: Decimal) -> Decimal:
    """`qty` without trailing zeros or exponent: 2.50 → 2.5, 1E+1 → 10. Huge numbers stay as they are."""
    if not qty.is_finite() or qty.adjusted() > 16:
        return qty
    if qty == qty.to_integral_value():
        return qty.quantize(Decimal(1))
    return qty.normalize()


def plain(qty: Decimal) -> int | float:
    """A quantity as JSON wants it: an int when whole, else a float."""
    if qty == qty.to_integral_value():
        return int(qty)
    return float(qty)
