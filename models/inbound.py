"""The inbound message log: every message received, by platform id, for audit and replay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.tables import InboundMessage

# Text beyond this is not kept; the bot never reads that far into a message anyway.
MAX_LOGGED_CHARS = 20_000


def already_received(*, session: Session, platform_id: str) -> bool:
    return (
        session.exec(select(InboundMessage.id).where(InboundMessage.platform_id == platform_id)).first()
        is not None
    )


def find_message(*, session: Session, platform_id: str) -> InboundMessage | None:
    return session.exec(select(InboundMessage).where(InboundMessage.platform_id == platform_id)).first()


def last_message_from(*, session: Session, chat_id: str, sender_id: str) -> InboundMessage | None:
    """The sender's latest message in the chat already handled (the one being handled is logged
    only once it is done)."""
    return session.exec(
        select(InboundMessage)
        .where(InboundMessage.chat_id == chat_id, InboundMessage.sender_id == sender_id)
        .order_by(col(InboundMessage.id).desc())
        .limit(1)
    ).first()


def last_message_from_others(
    *, session: Session, chat_id: str, sender_id: str, since: datetime, before_id: int | None = None
) -> InboundMessage | None:
    """The latest message in the chat (before message `before_id`, if given), sent at or after
    `since` by anyone but `sender_id`: what a member means by 楼上. The bot's own messages are
    never logged here."""
    query = select(InboundMessage).where(
        InboundMessage.chat_id == chat_id,
        InboundMessage.sender_id != sender_id,
        col(InboundMessage.sent_at) >= since,
    )
    if before_id is not None:
        query = query.where(col(InboundMessage.id) < before_id)
    return session.exec(query.order_by(col(InboundMessage.id).desc()).limit(1)).first()


_LOG = insert(InboundMessage.__table__)  # type: ignore[attr-defined]


def log_inbound(
    *,
    session: Session,
    platform_id: str,
    chat_id: str,
    sender_id: str,
    sender_name: str,
    text: str,
    kind: str,
    sent_at: datetime,
    received_at: datetime,
    outcome: str,
    handler: str,
) -> None:
    """Log a message in the caller's transaction.

    A plain INSERT, sent at once: every message pays for this, and an ORM object would cost
    more than the statement. A platform id logged before fails here with an IntegrityError.
    """
    session.execute(
        _LOG,
        {
            "platform_id": platform_id[:160],
            "chat_id": chat_id[:128],
            "sender_id": sender_id[:128],
            "sender_name": sender_name[:200],
            "text": text[:MAX_LOGGED_CHARS],
            "kind": kind,
            "sent_at": sent_at,
            "received_at": received_at,
            "outcome": outcome,
            "handler": handler[:40],
        },
    )
