"""What one free-text group message asks for: small frozen values the order handlers act on.

`name` is the person written in the message (`李四不要了`, `王五+1`, a pasted chat log), for the
leader ordering on someone's behalf; None when the message names no one, and the sender is meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from handlers.reading.model import CatalogEntry, ReadItem


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """An order: `苹果两斤`, `要3份`, `3栋502 王阿姨 鸡蛋1板` (name 王阿姨, note 3栋502)."""

    items: tuple[ReadItem, ...]
    name: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PlusOne:
    """`+1`, `+2`, `王五+1`, `加一`: more of the open product; the caller decides which one."""

    qty: Decimal = Decimal(1)
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeOrder:
    """`张三改成3份`, `苹果改成3斤`: replace the quantity ordered earlier. An item with
    `implicit=True` names no product: the one product the person ordered."""

    items: tuple[ReadItem, ...]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class CancelOrder:
    """`不要了`, `李四不要了`, `取消苹果`: `products` empty means the whole order."""

    products: tuple[str, ...] = ()
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ShowMyOrder:
    """`我的订单`, `查订单`, `我订了什么`."""


@dataclass(frozen=True, slots=True)
class Chatter:
    """`收到`, `👌`, `谢谢团长`, a question, a sticker: nothing to order."""


@dataclass(frozen=True, slots=True)
class Unclear:
    """An order a careful leader would ask back about. `reason` is a code from `reasons`;
    `candidates` the products it may mean; `items` the best reading so far."""

    reason: str
    candidates: tuple[CatalogEntry, ...] = ()
    items: tuple[ReadItem, ...] = ()
    detail: str = ""
    name: str | None = None


ChatIntent = PlaceOrder | PlusOne | ChangeOrder | CancelOrder | ShowMyOrder | Chatter | Unclear
