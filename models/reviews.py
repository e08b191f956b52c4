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
    stop_asking(session=session, item=item)
    item.status = status
    item.settled_at = now


def stop_asking(*, session: Session, item: ReviewItem) -> None:
    """The member is no longer waiting to answer `item`; it stays open for the leader."""
    if item.asked_member_id is not None:
        asked = session.get(Member, item.asked_member_id)
        if asked is not None:
            asked.awaiting_answer = False
    item.asked_member_id = None


def review_context(item: ReviewItem) -> dict[str, Any]:
    loaded = json.loads(item.context or "{}")
    return loaded if isinstance(loaded, dict) else {}


def settle_line_reviews(*, session: Session, group_id: int, line_key: str, now: datetime) -> None:
    """Settle what was asked about one 接龙 line once its writer has corrected or removed it."""
    for item in list_open_reviews(session=session, group_id=group_id):
        if review_context(item).get("line_key") == line_key:
            settle_review(session=session, item=item, now=now)


def dismiss_questions(*, session: Session, campaign_id: int, now: datetime) -> int:
    """At cutoff nobody waits for answers any more: an answer could no longer change an order.
    The items stay for the leader to look through; returns how many questions were dropped."""
    asked = list(
        session.exec(
            select(ReviewItem).where(
                ReviewItem.campaign_id == campaign_id,
                ReviewItem.status == OPEN,
                col(ReviewItem.asked_member_id).is_not(None),
            )
        )
    )
    for item in asked:
        stop_asking(session=session, item=item)
    return len(asked)
