"""Groups: finding the group a message belongs to, and its settings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models.tables import Group


def get_group_by_chat(*, session: Session, chat_id: str) -> Group | None:
    return session.exec(select(Group).where(Group.chat_id == chat_id)).first()


def ensure_group(
    *,
    session: Session,
    chat_id: str,
    name: str,
    now: datetime,
    enabled: bool,
    pickup_place: str = "",
    instance: str = "default",
) -> Group:
    """The group for `chat_id`, created on first sight. A configured group is enabled from the start."""
    group = get_group_by_chat(session=session, chat_id=chat_id)
    if group is None:
        group = Group(
            chat_id=chat_id,
            name=name or chat_id,
            enabled=enabled,
            pickup_place=pickup_place,
            instance=instance,
            created_at=now,
        )
        session.add(group)
        session.flush()
    return group
