"""Rows that every message reads (its group, its sender) kept between sessions.

A cached row is attached to each new session with `merge(load=False)`, which costs no query;
changes a handler makes to it are written at commit as usual. Entries expire after `ttl`
seconds, so a change made by another process (a leader's tool, a second bot) is seen soon.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Generic, TypeVar

from sqlmodel import Session, SQLModel

RowT = TypeVar("RowT", bound=SQLModel)


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
