"""A quantity on its own: the answer to "how many?" (`3份`, `两斤`, `一斤半`, `x2`, `2`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from handlers.reading.numbers import is_absurd, tidy
from handlers.reading.text import normalize_text
from handlers.reading.tokens import scan

# Words around a quantity that do not change it: 要3份, 来两斤吧, 就1个.
_FILLERS = frozenset(
    {"要", "来", "买", "订", "就", "我要", "吧", "了", "啊", "哦", "呀", "好", "共", "一共", "总共", "改成"}
)


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal
    unit: str | None


def read_quantity_unit(text: str) -> Quantity | None:
    """The one quantity `text` states, with its unit; None when it states none, several, one that
    is not a quantity (`3栋502`, `下午5.30`) or an absurd one (`99999999`). Never raises."""
    tokens = [t for t in scan(normalize_text(text)[:100], None) if t.kind not in ("soft", "hard", "emoji")]
    amounts = [t for t in tokens if t.kind in ("qty", "mult", "num")]
    others = [t for t in tokens if t.kind not in ("qty", "mult", "num")]
    if len(amounts) != 1 or any(t.kind != "cjk" or t.text not in _FILLERS for t in others):
        return None
    amount = amounts[0]
    if amount.value is None or is_absurd(amount.value):
        return None
    if amount.kind == "num" and amount.value != amount.value.to_integral_value():
        return None
    return Quantity(tidy(amount.value), amount.unit)


def read_quantity(text: str) -> Decimal | None:
    """Just the number of `read_quantity_unit`."""
    quantity = read_quantity_unit(text)
    return None if quantity is None else quantity.value
