"""What reading one line finds: the person, the items, the note, and every doubt about them."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.reading.model import CatalogEntry, ReadItem


@dataclass(slots=True)
class Issue:
    """One doubt: a code from `reasons`, the words a leader reads, and the products it may mean."""

    code: str
    detail: str
    candidates: tuple[CatalogEntry, ...] = ()
    # Only "which product?" for a quantity that names none: an edit (改成3斤) answers it itself.
    which_product: bool = False


@dataclass(slots=True)
class LineReading:
    """What one line says: the person, the items, the note, and every doubt."""

    name: str | None = None
    notes: list[str] = field(default_factory=list)
    items: list[ReadItem] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # Whether anything in the line looked like an order (a number, a code, a product).
    order_like: bool = False
    # The name ends in a Chinese numeral quantity (王半斤): a name, or a name and a quantity?
    numeral_in_name: bool = False
    # Products read as meal add-ons (加包子), which come on top of a portion.
    add_ons: set[str] = field(default_factory=set)
    # Words in the order's place that name nothing in the catalog (麦辣鸡腿堡 + 麦辣鸡翅).
    unmatched: list[str] = field(default_factory=list)
    # Options of how an item is made (大杯 少冰) were written: the words before them are an item.
    options: bool = False

    @property
    def note(self) -> str | None:
        parts = dict.fromkeys(" ".join(n.split()) for n in self.notes)
        text = " ".join(part for part in parts if part)
        return text or None
