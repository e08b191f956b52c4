"""The pure reading engine: group-chat text in, orders out, as a careful group-buy leader reads them.

No database, no transport, no I/O. Everything here is a pure function of its arguments and never
raises on any input: what it cannot read confidently comes back as `review` (or `Unclear`).
"""

from handlers.reading.chain import ChainLayout, ChainLine, read_chain, read_chain_row, split_chain
from handlers.reading.chat import read_chat_message, says_same_as_above
from handlers.reading.intents import (
    CancelOrder,
    ChangeOrder,
    ChatIntent,
    Chatter,
    PlaceOrder,
    PlusOne,
    ShowMyOrder,
    Unclear,
)
from handlers.reading.matching import ProductMatch, match_product
from handlers.reading.model import CatalogEntry, ChainReading, ReadItem, ReadRow
from handlers.reading.offer import Offer
from handlers.reading.quantities import Quantity, read_quantity, read_quantity_unit
from handlers.reading.tally import (
    Tally,
    Total,
    format_tally_text,
    render_rows_as_chain,
    tally_text,
    tally_to_json,
)
from handlers.reading.text import normalize_text

__all__ = [
    "CancelOrder",
    "CatalogEntry",
    "ChainLayout",
    "ChainLine",
    "ChainReading",
    "ChangeOrder",
    "ChatIntent",
    "Chatter",
    "Offer",
    "PlaceOrder",
    "PlusOne",
    "ProductMatch",
    "Quantity",
    "ReadItem",
    "ReadRow",
    "ShowMyOrder",
    "Tally",
    "Total",
    "Unclear",
    "format_tally_text",
    "match_product",
    "normalize_text",
    "read_chain",
    "read_chain_row",
    "read_chat_message",
    "read_quantity",
    "read_quantity_unit",
    "render_rows_as_chain",
    "says_same_as_above",
    "split_chain",
    "tally_text",
    "tally_to_json",
]
