"""`同上`, `同2号`, `跟幺妹儿一样` in a 接龙 row: the same order as another row of the list.

In a list the row meant is right there, unlike in a chat, where 楼上 may have moved on by the time
the bot reads it (so a chat message saying 同上 is asked about instead; see `says_same_as_above`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from handlers.reading.model import ReadItem, ReadRow, RowStatus

# `老孙 同上`, `同上 5号楼1单元 老李`: the row above, written as a word on its own; `同2号`,
# `跟幺妹儿一样`: the row with that number, or of that member.
_SAME_WORD = re.compile(
    r"(?:^|[\s，,])(?P<word>同上|同楼上|(?:跟|和|同)(?:楼上|上面)一样"
    r"|(?:同|跟|和)\s*(?:(?P<seq>\d{1,3})\s*(?:号|楼)|(?P<name>[^\s，,\d]{1,8}?))\s*(?(name)一样|(?:一样)?))"
    r"(?=$|[\s，,。!！])"
)


@dataclass(frozen=True, slots=True)
class RowReference:
    """The words that point at another row, and which: the one above, a number, or a member."""

    word: str
    seq: int | None = None
    name: str | None = None

    @property
    def above(self) -> bool:
        return self.seq is None and self.name is None

    def may_mean_a_product(self, items: Sequence[ReadItem]) -> bool:
        """Under products numbered 1, 2, 3, `同2号` read as one of product 2 may as well mean row 2."""
        return self.seq is not None and bool(items) and all(item.code == str(self.seq) for item in items)


def row_reference(text: str) -> RowReference | None:
    """What other row a row's text says it copies, or None."""
    said = _SAME_WORD.search(text)
    if said is None:
        return None
    seq = said.group("seq")
    return RowReference(word=said.group("word"), seq=int(seq) if seq else None, name=said.group("name"))


def copied_order(
    row: ReadRow,
    said: RowReference,
    items: tuple[ReadItem, ...],
    *,
    status: RowStatus = "ok",
    reason: str | None = None,
    detail: str | None = None,
) -> ReadRow:
    """`row`, which said `said`, ordering the `items` of the row it copies, as surely as that row
    did. The copying words are no name (`同上 5号楼1单元 老李` has none before them)."""
    return replace(
        row,
        name=None if row.name == said.word else row.name,
        items=items,
        status=status,
        reason=reason,
        reason_detail=detail,
    )
