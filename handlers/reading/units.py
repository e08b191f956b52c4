"""Units of sale: the measure words members write after a number, and weight conversion."""

from __future__ import annotations

from decimal import Decimal

from handlers.reading.numbers import tidy

# Measure words of sale, simplified form. 两 is left out on purpose: it is far more often the
# numeral "two" (两斤) than the weight unit (二两), and reading it as a unit would break both.
UNITS: tuple[str, ...] = (
    "斤", "公斤", "千克", "克", "个", "份", "箱", "盒", "板", "袋", "包", "瓶", "把", "串", "提",
    "条", "只", "罐", "听", "杯", "支", "根", "颗", "桶", "件", "组", "套", "人", "块", "片", "碗",
    "粒", "枚", "双", "对", "捆", "扎", "打", "卷", "张", "本", "位", "盆", "兜", "筐", "棵", "头",
    "斗", "桌", "排", "屉", "笼", "kg", "g",
)  # fmt: skip

# Other spellings of the same unit (traditional characters, Latin forms) and the unit they mean.
_ALIASES = {
    "KG": "公斤", "Kg": "公斤", "kg": "公斤", "千克": "公斤", "公斤": "公斤",
    "g": "克", "G": "克", "克": "克",
    "jin": "斤", "Jin": "斤", "JIN": "斤",  # pinyin, typed by those who skip choosing the character
    "個": "个", "顆": "颗", "組": "组", "條": "条", "隻": "只", "盒": "盒", "瓶": "瓶",
    "箱": "箱", "袋": "袋", "罐": "罐", "杯": "杯", "桶": "桶", "件": "件", "套": "套",
    "聽": "听", "捲": "卷", "張": "张", "雙": "双", "對": "对", "塊": "块", "粒": "粒",
}  # fmt: skip

# Every written form, longest first, for building regular expressions. Latin forms (kg, g) must
# not run into a word: 5g is five grams, 5gb is not.
UNIT_FORMS: tuple[str, ...] = tuple(sorted({*UNITS, *_ALIASES}, key=lambda u: (-len(u), u)))
# The lookahead on first characters lets a regex give up at once where no unit follows, instead of
# trying every spelling in turn: numbers are followed by something else far more often than not.
UNIT_PATTERN = "(?=[{}])(?:{})".format(
    "".join(sorted({u[0] for u in UNIT_FORMS})),
    "|".join(
        [u for u in UNIT_FORMS if not u.isascii()] + [f"{u}(?![A-Za-z])" for u in UNIT_FORMS if u.isascii()]
    ),
)

# Grams per unit, for the weights that convert exactly.
_GRAMS = {"斤": Decimal(500), "公斤": Decimal(1000), "克": Decimal(1), "两": Decimal(50)}

# Units that describe a person's share rather than goods: a headcount or a portion.
PORTION_UNITS = frozenset({"份", "人", "位"})


def canonical_unit(unit: str | None) -> str | None:
    """The one spelling the engine uses for a unit: `kg` → 公斤, `個` → 个. None stays None."""
    if unit is None:
        return None
    unit = unit.strip()
    if not unit:
        return None
    return _ALIASES.get(unit, unit)


def convert(qty: Decimal, from_unit: str | None, to_unit: str | None) -> Decimal | None:
    """`qty` of `from_unit` expressed in `to_unit`, or None when the two don't convert.

    Same units convert trivially; weights convert exactly (1 公斤 = 2 斤, 500 克 = 1 斤).
    """
    a, b = canonical_unit(from_unit), canonical_unit(to_unit)
    if a == b:
        return qty
    if a in _GRAMS and b in _GRAMS:
        return tidy(qty * _GRAMS[a] / _GRAMS[b])
    return None


def is_weight(unit: str | None) -> bool:
    return canonical_unit(unit) in _GRAMS
