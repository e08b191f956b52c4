"""Engines and schema for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, String, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session
from sqlmodel.sql.sqltypes import AutoString


def make_engine(url: str, **engine_options: Any) -> Engine:
    """An engine for `url`; a SQLite file gets WAL, synchronous=NORMAL and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **engine_options)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, **engine_options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is off; `_begin_immediate` starts every transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Two writers (the bot and a scheduled job, or two processes) wait instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock when a transaction starts, not at its first write.

    With the default deferred start, two writers (two bot processes, or a scheduled job beside a
    message) can both read, and the second one's first write then fails at once instead of
    waiting: a lost message. Starting immediate makes the second wait (busy_timeout) and then
    read what the first one wrote, so stock and cutoff checks see each other.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Session, "before_flush")
def _fit_text_to_columns(session: Session, _context: Any, _instances: Any) -> None:
    """Cut text written by people (a 259-character campaign title, a remark used as an address) to
    its column's length. SQLite would keep the whole text and PostgreSQL would refuse the whole
    message; a leader is better served by the first 200 characters on both."""
    for row in (*session.new, *session.dirty):
        columns = _bounded_text_columns(type(row))
        for name, limit in columns:
            value = getattr(row, name, None)
            if isinstance(value, str) and len(value) > limit:
                setattr(row, name, value[:limit])


_bounded: dict[str, tuple[tuple[str, int], ...]] = {}


def _bounded_text_columns(model: type) -> tuple[tuple[str, int], ...]:
    """The model's text columns that have a length, looked up once per model."""
    key = f"{model.__module__}.{model.__qualname__}"
    if key not in _bounded:
        table = getattr(model, "__table__", None)
        columns = table.columns if table is not None else ()
        _bounded[key] = tuple(
            (column.key, column.type.length)
            for column in columns
            if isinstance(column.type, (String, AutoString)) and column.type.length
        )
    return _bounded[key]
