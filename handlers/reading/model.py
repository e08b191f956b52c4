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


@dataclass(frozen=True, slots=True)
class ReadItem:
    """One product × quantity read from a line."""

    product: str
    qty: Decimal
    unit: str | None
    raw: str
    code: str | None = None
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One member line of a chain list, or one order message, as a careful leader would tally it."""

    seq: int | None
    name: str | None
    note: str | None
    status: RowStatus
    reason: str | None
    raw: str
    items: tuple[ReadItem, ...] = ()


@dataclass(frozen=True, slots=True)
class ChainReading:
    """A whole 接龙 post: its title, the catalog printed in it, and the member rows."""

    title: str | None
    description: tuple[str, ...] = ()
    catalog: tuple[CatalogEntry, ...] = ()
    rows: tuple[ReadRow, ...] = field(default=())
