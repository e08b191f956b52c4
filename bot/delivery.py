"""Turning handler replies into queued messages: render the template, address it, resolve mentions.

The dispatcher and the scheduled jobs both add them to the outbox inside the transaction of the
work they confirm (`stage_in_transaction`), so the two are saved together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from bot.outbox import Outbox, QueuedReply
from bot.rendering import Renderer
from handlers.base import Reply
from models import members as member_rows
from models.tables import Group, Member

log = logging.getLogger(__name__)


def stage_in_transaction(
    *, session: Session, outbox: Outbox, label: str, render: Callable[[], Sequence[QueuedReply]]
) -> tuple[QueuedReply, ...]:
    """Render replies and add them to the outbox in `session`'s transaction, not yet committed.

    A wording failure (a leader's broken template) is logged and sends nothing, but never undoes
    the work the replies confirm: the caller still commits. A database error goes up, as it must.
    The caller wakes the outbox after its commit.
    """
    try:
        queued = tuple(render())
    except SQLAlchemyError:
        raise
    except Exception:
        log.exception("rendering replies of %s failed", label)
        return ()
    outbox.stage(queued, session=session)
    return queued


def address_replies(
    *,
    session: Session,
    renderer: Renderer,
    group: Group,
    replies: Sequence[Reply],
    sender_id: str = "",
    known_ids: Mapping[int, str] | None = None,
    leader_ids: Sequence[str] = (),
    answers_command: bool = False,
) -> list[QueuedReply]:
    """`known_ids` maps member ids to WeChat ids already at hand (the sender's), to save a lookup;
    `leader_ids` are the configured leaders, who get leader-only replies even before they speak."""
    queued: list[QueuedReply] = []
    for reply in replies:
        text = renderer.render(reply.template, reply.data)
        for target in _targets(session, group, reply, sender_id, leader_ids):
            in_group = target == group.chat_id
            queued.append(
                QueuedReply(
                    chat_id=target,
                    text=text,
                    mention_ids=_wechat_ids(session, reply.mentions, known_ids or {}) if in_group else (),
                    merge_key=reply.merge_key,
                    file_path=reply.file_path,
                    answers_command=answers_command,
                )
            )
    return queued


def _targets(
    session: Session, group: Group, reply: Reply, sender_id: str, leader_ids: Sequence[str]
) -> list[str]:
    if reply.audience == "sender" and sender_id:
        return [sender_id]
    if reply.audience == "leaders":
        assert group.id is not None
        known = [
            m.wechat_id for m in member_rows.list_leaders(session=session, group_id=group.id) if m.wechat_id
        ]
        targets = list(dict.fromkeys([*known, *leader_ids]))
        if not targets:
            # Leader-only replies carry addresses and pickup codes: never to the whole group.
            log.warning("group %s has no leader to send a %s to", group.id, reply.template)
        return targets
    return [group.chat_id]


def _wechat_ids(session: Session, member_ids: Sequence[int], known: Mapping[int, str]) -> tuple[str, ...]:
    if not member_ids:
        return ()
    by_id: dict[int | None, str | None] = {}
    for member_id, wechat_id in known.items():
        by_id[member_id] = wechat_id
    unknown = [member_id for member_id in member_ids if member_id not in by_id]
    if unknown:
        rows = session.exec(select(Member.id, Member.wechat_id).where(col(Member.id).in_(unknown)))
        by_id.update({member_id: wechat_id for member_id, wechat_id in rows})
    ordered = [by_id.get(member_id) for member_id in member_ids]
    return tuple(dict.fromkeys(w for w in ordered if w))
