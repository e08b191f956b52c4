"""The outbox table: rendered replies waiting to be sent, kept across restarts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.tables import OutboxMessage


@dataclass(frozen=True)
class NewMessage:
    chat_id: str
    text: str
    mention_ids: Sequence[str] = ()
    merge_key: str = ""
    file_path: str = ""
    answers_command: bool = False


_ENQUEUE = insert(OutboxMessage.__table__)  # type: ignore[attr-defined]


def enqueue(*, session: Session, messages: Sequence[NewMessage], now: datetime) -> None:
    """Add messages to the queue in one statement; the caller commits."""
    if not messages:
        return
    session.execute(
        _ENQUEUE,
        [
            {
                "chat_id": m.chat_id,
                "text": m.text,
                "mention_ids": json.dumps(list(m.mention_ids), ensure_ascii=False),
                "merge_key": m.merge_key,
                "file_path": m.file_path,
                "answers_command": m.answers_command,
                "created_at": now,
                "attempts": 0,
                "last_error": "",
            }
            for m in messages
        ],
    )


def pending(*, session: Session, limit: int = 500) -> list[OutboxMessage]:
    """Unsent messages, oldest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.sent_at).is_(None))
            .order_by(col(OutboxMessage.id))
            .limit(limit)
        )
    )


def recently_sent(*, session: Session, since: datetime) -> list[OutboxMessage]:
    """Messages sent since `since`, oldest first: the outbox rebuilds its pacing state from them."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.sent_at) >= since)
            .order_by(col(OutboxMessage.sent_at))
        )
    )


def mark_sent(*, session: Session, ids: Sequence[int], now: datetime) -> None:
    for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(list(ids)))):
        row.sent_at = now


def mark_failed(*, session: Session, ids: Sequence[int], error: str) -> int:
    """Count a failed attempt on each row; returns the most attempts any of them has had."""
    attempts = 0
    for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(list(ids)))):
        row.attempts += 1
        row.last_error = error[:500]
        attempts = max(attempts, row.attempts)
    return attempts


def purge_sent(*, session: Session, before: datetime) -> int:
    """Forget sent messages older than `before`; pacing only needs the last minute or so."""
    rows = list(session.exec(select(OutboxMessage).where(col(OutboxMessage.sent_at) < before)))
    for row in rows:
        session.delete(row)
    return len(rows)


def mention_list(row: OutboxMessage) -> list[str]:
    loaded = json.loads(row.mention_ids or "[]")
    return [str(x) for x in loaded] if isinstance(loaded, list) else []


KEEP_SENT_FOR = timedelta(days=2)
