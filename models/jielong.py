"""The stored state of a 接龙 list: what each line said when its items went into an order.

A repost is compared with this state line by line, so it is read on every repost of a list that
may be hundreds of lines long. The parsed lines are kept in memory by row id and version; the
database is asked only for the version, and the JSON is parsed again only when it changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.tables import JielongState


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

    def as_json(self) -> list[object]:
        return [self.key, self.name, self.owner, self.applied, self.status]


@dataclass(frozen=True)
class StateVersion:
    """Which stored list was read, and at which version: the write checks it has not moved."""

    row_id: int
    version: int


_parsed: dict[int, tuple[int, tuple[StateLine, ...]]] = {}


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
    cached = _parsed.get(row_id)
    if cached is not None and cached[0] == version:
        return StateVersion(row_id, version), cached[1]
    text = session.exec(select(col(JielongState.lines)).where(JielongState.id == row_id)).one()
    lines = tuple(StateLine(*entry) for entry in json.loads(text))
    _parsed[row_id] = (version, lines)
    return StateVersion(row_id, version), lines


def save_state(
    *,
    session: Session,
    read: StateVersion | None,
    campaign_id: int,
    chain_key: str,
    lines: list[StateLine],
    now: datetime,
) -> None:
    """Store the list as now seen. Raises `ConcurrentUpdate` if it changed since `read`."""
    text = json.dumps([line.as_json() for line in lines], ensure_ascii=False, separators=(",", ":"))
    table = JielongState.__table__  # type: ignore[attr-defined]
    if read is None:
        try:
            inserted = session.execute(
                insert(table).values(
                    campaign_id=campaign_id, chain_key=chain_key, lines=text, version=1, updated_at=now
                )
            )
        except IntegrityError as exc:
            # A second writer created the same list at the same moment: a race like any other.
            raise ConcurrentUpdate(f"接龙 state for campaign {campaign_id} was created meanwhile") from exc
        key = cast("CursorResult[Any]", inserted).inserted_primary_key
        assert key is not None
        row_id, version = key[0], 1
    else:
        updated = session.execute(
            update(table)
            .where(table.c.id == read.row_id, table.c.version == read.version)
            .values(lines=text, version=read.version + 1, updated_at=now)
        )
        if cast("CursorResult[Any]", updated).rowcount != 1:
            raise ConcurrentUpdate(f"接龙 state {read.row_id} moved past version {read.version}")
        row_id, version = read.row_id, read.version + 1
    # Cached under the new version: if the transaction rolls back, the stored version differs and
    # the next load parses the stored lines again.
    _parsed[row_id] = (version, tuple(lines))
