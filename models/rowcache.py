"""Rows that every message reads (its group, its sender) kept between sessions.

A cached row is attached to each new session with `merge(load=False)`, which costs no query;
changes a handler makes to it are written at commit as usual. Entries expire after `ttl`
seconds, so a change made by another process (a leader's tool, a second bot) is seen soon.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlmodel import Session, SQLModel

RowT = TypeVar("RowT", bound=SQLModel)

_WRITTEN = "rowcache.written"


@event.listens_for(Session, "before_flush")
def _hold_written_rows(session: Session, _context: Any, _instances: Any) -> None:
    """Hold every row a flush writes until the session ends.

    The identity map holds clean rows only weakly, so a row a handler changed and then let go of
    (a leader making 王五 a leader) may be gone from it by commit time; the cache must still learn
    the new state, or it would serve the old row until it expires.
    """
    session.info.setdefault(_WRITTEN, []).extend((*session.new, *session.dirty))


def written_rows(session: Session) -> list[object]:
    """The rows `session` has written, in flush order (a row may appear more than once)."""
    return list(session.info.get(_WRITTEN, ()))


class RowCache(Generic[RowT]):
    def __init__(self, ttl_seconds: float = 60.0, max_rows: int = 50_000) -> None:
        self._ttl = ttl_seconds
        self._max_rows = max_rows
        self._rows: dict[Hashable, tuple[float, RowT]] = {}
        self._lock = threading.Lock()

    def attach(self, session: Session, key: Hashable) -> RowT | None:
        """The cached row, as an instance of `session`; None when not cached or expired."""
        with self._lock:
            entry = self._rows.get(key)
        if entry is None or time.monotonic() - entry[0] > self._ttl:
            return None
        return session.merge(entry[1], load=False)

    def keep(self, key: Hashable, row: RowT) -> None:
        """Remember `row` as it was committed. Call only after a successful commit."""
        with self._lock:
            if len(self._rows) >= self._max_rows:
                self._rows.clear()
            self._rows[key] = (time.monotonic(), row)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._rows.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
