"""Review items: messages the bot could not read with confidence, kept until someone settles them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models.tables import Member, ReviewItem

OPEN, SETTLED, DISMISSED = "open", "settled", "dismissed"


def open_review(
    *,
    session: Session,
    group_id: int,
    campaign_id: int | None,
    member_id: int | None,
    text: str,
    reason: str,
    now: datetime,
    asked_member_id: int | None = None,
    source_message_id: str = "",
    context: dict[str, Any] | None = None,
) -> ReviewItem:
    if asked_member_id is not None:
        # A member has one open question at a time: the newest one is what their answer settles.
        for earlier in pending_question(session=session, group_id=group_id, member_id=asked_member_id):
            earlier.asked_member_id = None
        asked = session.get(Member, asked_member_id)
        if asked is not None:
            asked.awaiting_answer = True
    item = ReviewItem(
        group_id=group_id,
        campaign_id=campaign_id,
        member_id=member_id,
        asked_member_id=asked_member_id,
        source_message_id=source_message_id,
        text=text[:2000],
        reason=reason[:50],
        context=json.dumps(context or {}, ensure_ascii=False),
        status=OPEN,
        created_at=now,
    )
    session.add(item)
    session.flush()
    return item


def pending_question(*, session: Session, group_id: int, member_id: int) -> list[ReviewItem]:
    """The open review items on which the bot is waiting for this member's answer."""
    return list(
        session.exec(
            select(ReviewItem).where(
                ReviewItem.group_id == group_id,
                ReviewItem.asked_member_id == member_id,
                ReviewItem.status == OPEN,
            )
        )
    )


def list_open_reviews(*, session: Session, group_id: int) -> list[ReviewItem]:
    return list(
        session.exec(
            select(ReviewItem)
            .where(ReviewItem.group_id == group_id, ReviewItem.status == OPEN)
            .order_by(col(ReviewItem.id))
        )
    )


def get_review(*, session: Session, group_id: int, review_id: int) -> ReviewItem | None:
    item = session.get(ReviewItem, review_id)
    return item if item is not None and item.group_id == group_id else None


def settle_review(*, session: Session, item: ReviewItem, now: datetime, status: str = SETTLED) -> None:
    """Close the item; the member it asked no longer waits for their answer to it."""
    if item.asked_member_id is not None:
        asked = session.get(Member, item.asked_member_id)
        if asked is not None:
            asked.awaiting_answer = False
    item.status = status
    item.settled_at = now
    item.asked_member_id = None


def review_context(item: ReviewItem) -> dict[str, Any]:
    loaded = json.loads(item.context or "{}")
    return loaded if isinstance(loaded, dict) else {}
