"""The stored state of a 接龙 list: what each line said when its items went into an order.

A repost is compared with this state line by line. The lines are rows of their own, so saving a
repost writes only the lines that changed; the lines are also kept in memory by list and version,
so reading the state costs one small query unless another process saved the list meanwhile.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.tables import JielongLine, JielongState
from models.versioned import VersionedCache


class ConcurrentUpdate(RuntimeError):
    """Someone else saved this list between our read and our write; handle the message again."""


@dataclass(frozen=True)
class StateLine:
    """One line of the list as last seen.

    `key` identifies the line across reposts (its text without the number, plus an occurrence
    count for identical lines). `applied` is the text whose items are in `owner`'s order now, or
    None when nothing of the line is in an order (an example, chatter, or a line under review).
    """

    key: str
    name: str | None
    owner: int | None
    applied: str | None
    status: str


@dataclass(frozen=True)
class StateVersion:
    """Which stored list was read, and at which version: the write checks it has not moved."""

    row_id: int
    version: int


_parsed: VersionedCache[tuple[StateLine, ...]] = VersionedCache()
_STATES = cast(Any, JielongState).__table__
_LINES = cast(Any, JielongLine).__table__


def key_hash(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def load_state(
    *, session: Session, campaign_id: int, chain_key: str
) -> tuple[StateVersion | None, tuple[StateLine, ...]]:
    found = session.exec(
        select(col(JielongState.id), col(JielongState.version)).where(
            JielongState.campaign_id == campaign_id, JielongState.chain_key == chain_key
        )
    ).first()
    if found is None:
        return None, ()
    row_id, version = found
    assert row_id is not None
    cached = _parsed.get(session, row_id, version)
    if cached is not None:
        return StateVersion(row_id, version), cached
    columns = (_LINES.c.key, _LINES.c.name, _LINES.c.owner_id, _LINES.c.applied, _LINES.c.status)
    rows = session.execute(sa_select(*columns).where(_LINES.c.state_id == row_id).order_by(_LINES.c.id))
    lines = tuple(StateLine(*row) for row in rows)
    _parsed.put(session, row_id, version, lines)
    return StateVersion(row_id, version), lines


def chain_sharing_lines(*, session: Session, campaign_id: int, keys: Sequence[str]) -> str | None:
    """The stored list of this campaign that a list with `keys` continues, if its title changed.

    A leader who edits the title (晚9点截单（延长1小时）) makes the next repost look like a new list;
    it is the same list when it repeats at least half of a stored list's lines.
    """
    if not keys:
        return None
    hashes = list({key_hash(key) for key in keys})
    lists = sa_select(_STATES.c.id).where(_STATES.c.campaign_id == campaign_id)
    of_campaign = _LINES.c.state_id.in_(lists)
    shared = (
        sa_select(_LINES.c.state_id, func.count().label("shared"))
        .where(of_campaign, _LINES.c.key_hash.in_(hashes))
        .group_by(_LINES.c.state_id)
        .subquery()
    )
    sizes = (
        sa_select(_LINES.c.state_id, func.count().label("size"))
        .where(of_campaign)
        .group_by(_LINES.c.state_id)
        .subquery()
    )
    rows = session.execute(
        sa_select(_STATES.c.chain_key, shared.c.shared, sizes.c.size)
        .join(shared, shared.c.state_id == _STATES.c.id)
        .join(sizes, sizes.c.state_id == _STATES.c.id)
        .order_by(shared.c.shared.desc(), _STATES.c.id.desc())
    ).all()
    for chain_key, shared_count, size in rows:
        if shared_count * 2 >= size:
            return str(chain_key)
    return None


def save_state(
    *,
    session: Session,
    read: StateVersion | None,
    campaign_id: int,
    chain_key: str,
    before: Sequence[StateLine],
    after: Sequence[StateLine],
    now: datetime,
) -> None:
    """Store the list as now seen, writing only the lines that differ from `before`.

    Raises `ConcurrentUpdate` if another writer saved the list since `read`.
    """
    row_id, version = _next_version(session, read, campaign_id, chain_key, now)
    old = {line.key: line for line in before}
    new = {line.key: line for line in after}
    gone = [key_hash(key) for key in old.keys() - new.keys()]
    if gone:
        session.execute(delete(_LINES).where(_LINES.c.state_id == row_id, _LINES.c.key_hash.in_(gone)))
    added = [_row(row_id, line) for key, line in new.items() if key not in old]
    if added:
        session.execute(insert(_LINES), added)
    for key, line in new.items():
        if key in old and old[key] != line:
            session.execute(
                update(_LINES)
                .where(_LINES.c.state_id == row_id, _LINES.c.key_hash == key_hash(key))
                .values(name=_name(line.name), owner_id=line.owner, applied=line.applied, status=line.status)
            )
    # Cached under the new version: if the transaction rolls back, the stored version differs and
    # the next load reads the stored lines again.
    _parsed.put(session, row_id, version, tuple(after))


def record_answered_line(
    *, session: Session, campaign_id: int, chain_key: str, line_key: str, applied: str | None, now: datetime
) -> None:
    """A line the bot asked about was settled by an answer: it now has `applied` in the order.

    The list's version moves on, so a repost being handled at the same moment starts again and
    sees the line as answered.
    """
    state_id = session.execute(
        sa_select(_STATES.c.id).where(_STATES.c.campaign_id == campaign_id, _STATES.c.chain_key == chain_key)
    ).scalar()
    if state_id is None:
        return
    session.execute(
        update(_LINES)
        .where(_LINES.c.state_id == state_id, _LINES.c.key_hash == key_hash(line_key))
        .values(applied=applied, status="ok")
    )
    session.execute(
        update(_STATES).where(_STATES.c.id == state_id).values(version=_STATES.c.version + 1, updated_at=now)
    )


def _next_version(
    session: Session, read: StateVersion | None, campaign_id: int, chain_key: str, now: datetime
) -> tuple[int, int]:
    if read is None:
        try:
            inserted = session.execute(
                insert(_STATES).values(
                    campaign_id=campaign_id, chain_key=chain_key, version=1, updated_at=now
                )
            )
        except IntegrityError as exc:
            # A second writer created the same list at the same moment: a race like any other.
            raise ConcurrentUpdate(f"接龙 state for campaign {campaign_id} was created meanwhile") from exc
        key = cast("CursorResult[Any]", inserted).inserted_primary_key
        assert key is not None
        return int(key[0]), 1
    updated = session.execute(
        update(_STATES)
        .where(_STATES.c.id == read.row_id, _STATES.c.version == read.version)
        .values(version=read.version + 1, updated_at=now)
    )
    if cast("CursorResult[Any]", updated).rowcount != 1:
        raise ConcurrentUpdate(f"接龙 state {read.row_id} moved past version {read.version}")
    return read.row_id, read.version + 1


def _row(state_id: int, line: StateLine) -> dict[str, object]:
    return {
        "state_id": state_id,
        "key": line.key,
        "key_hash": key_hash(line.key),
        "name": _name(line.name),
        "owner_id": line.owner,
        "applied": line.applied,
        "status": line.status,
    }


def _name(name: str | None) -> str | None:
    return name[:200] if name else name
