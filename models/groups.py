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


def apply_times(
    *, group: Group, deal_post_time: str, cutoff_time: str, pickup_reminder_time: str, pickup_place: str
) -> bool:
    """Take the group's daily times (and pickup place) from its configuration; True if any changed."""
    wanted = {
        "deal_post_time": deal_post_time,
        "cutoff_time": cutoff_time,
        "pickup_reminder_time": pickup_reminder_time,
        "pickup_place": pickup_place or group.pickup_place,
    }
    changed = False
    for field, value in wanted.items():
        if getattr(group, field) != value:
            setattr(group, field, value)
            changed = True
    return changed
