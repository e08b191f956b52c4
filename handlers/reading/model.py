"""What the reading engine returns: plain, immutable values with no database or transport in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

RowStatus = Literal["ok", "review", "example", "chatter"]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A product the reader can match against: from the campaign, a catalog file, or the text itself."""

    name: str
    code: str | None = None
    unit: str | None = None
    price_fen: int | None = None
    aliases: tuple[str, ...] = ()
    # Flavours or variants offered under this product, e.g. 原味/咸蛋黄 in 肉松小贝（原味/咸蛋黄）.
    variants: tuple[str, ...] = ()
    # One price per variant when the catalog prints them (16.9/21.9/19.9), in the order of `variants`.
    # Distinct prices mean each flavour is its own pack; see `lines.py` on mixing flavours.
    variant_prices_fen: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadItem:
    """One product × quantity read from a line."""

    product: str
    qty: Decimal
    unit: str | None
    raw: str
    code: str | None = None
    variant: str | None = None
    # True when the line named no product and the item is the day's one offer (`2份`, `+1`).
    implicit: bool = False


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One member line of a chain list, or one order message, as a careful leader would tally it."""

    seq: int | None
    name: str | None
    note: str | None
    status: RowStatus
    # A machine code from `handlers.reading.reasons` (e.g. "ambiguous_product"), None when ok.
    reason: str | None
    raw: str
    items: tuple[ReadItem, ...] = ()
    # Every doubt about the row in words a leader reads, e.g. "苹果: 红富士苹果 还是 青苹果?".
    reason_detail: str | None = None


@dataclass(frozen=True, slots=True)
class ChainReading:
    """A whole 接龙 post: its title, the catalog printed in it, and the member rows."""

    title: str | None
    description: tuple[str, ...] = ()
    catalog: tuple[CatalogEntry, ...] = ()
    rows: tuple[ReadRow, ...] = field(default=())
    # Lines after the member list that are not orders, e.g. 三点截单.
    trailer: tuple[str, ...] = ()
