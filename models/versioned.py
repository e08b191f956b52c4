"""A cache of values read from the database, valid while a row's version number stays the same.

Entries are kept per database (per engine), since row ids repeat from one database to another
(a test run, a second bot on another file). A changed version means read again.
"""

from __future__ import annotations

import threading
import weakref
from typing import Generic, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

ValueT = TypeVar("ValueT")

_caches: weakref.WeakSet[VersionedCache[object]] = weakref.WeakSet()


def forget_engine(engine: Engine) -> None:
    """Drop everything cached for a database whose rows were replaced wholesale (restored from a
    backup, or emptied between tests), where ids and versions start over."""
    for cache in list(_caches):
        cache.forget(engine)


class VersionedCache(Generic[ValueT]):
    def __init__(self) -> None:
        self._by_engine: weakref.WeakKeyDictionary[Engine, dict[int, tuple[int, ValueT]]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        _caches.add(self)  # type: ignore[arg-type]

    def forget(self, engine: Engine) -> None:
        with self._lock:
            self._by_engine.pop(engine, None)

    def _entries(self, session: Session) -> dict[int, tuple[int, ValueT]]:
        engine = session.get_bind()
        assert isinstance(engine, Engine), "sessions are bound to an engine"
        with self._lock:
            return self._by_engine.setdefault(engine, {})

    def get(self, session: Session, key: int, version: int) -> ValueT | None:
        found = self._entries(session).get(key)
        return found[1] if found is not None and found[0] == version else None

    def put(self, session: Session, key: int, version: int, value: ValueT) -> None:
        self._entries(session)[key] = (version, value)
