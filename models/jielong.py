"""The stored state of a 接龙 list: what each line said when its items went into an order."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel import Session, select

from models.tables import JielongState


@dataclass
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


def load_state(
    *, session: Session, campaign_id: int, chain_key: str
) -> tuple[JielongState | None, list[StateLine]]:
    row = session.exec(
        select(JielongState).where(
            JielongState.campaign_id == campaign_id, JielongState.chain_key == chain_key
        )
    ).first()
    if row is None:
        return None, []
    return row, [StateLine(**line) for line in json.loads(row.lines)]


def save_state(
    *,
    session: Session,
    row: JielongState | None,
    campaign_id: int,
    chain_key: str,
    lines: list[StateLine],
    now: datetime,
) -> JielongState:
    if row is None:
        row = JielongState(campaign_id=campaign_id, chain_key=chain_key, updated_at=now)
        session.add(row)
    row.lines = json.dumps([asdict(line) for line in lines], ensure_ascii=False)
    row.version += 1
    row.updated_at = now
    return row
