"""The database tables. Data functions live in the sibling modules, one per part of the domain.

Money is integer fen. Quantities are exact decimals (see `models.types.Quantity`). Times are
timezone-aware. Rows never hold a transport object; platform ids are plain strings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import Quantity, UTCDateTime


class Group(SQLModel, table=True):
    """A WeChat room the bot serves."""

    __tablename__ = "chat_group"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(unique=True, max_length=128)
    name: str = Field(max_length=200)
    # The bot process (one per WeChat account) that serves this group; its scheduler runs the jobs.
    instance: str = Field(default="default", max_length=64, index=True)
    enabled: bool = True
    pickup_place: str = Field(default="", max_length=200)
    deal_post_time: str = Field(default="08:00", max_length=5)
    cutoff_time: str = Field(default="20:00", max_length=5)
    pickup_reminder_time: str = Field(default="19:00", max_length=5)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Member(SQLModel, table=True):
    """A person in a group. A proxy member (an elderly neighbour) has no WeChat id."""

    __table_args__ = (
        UniqueConstraint("group_id", "wechat_id", name="uq_member_wechat"),
        Index("ix_member_group_name", "group_id", "display_name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chat_group.id")
    wechat_id: str | None = Field(default=None, max_length=128)
    display_name: str = Field(max_length=200)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    notes: str = Field(default="", max_length=500)
    is_leader: bool = False
    is_proxy: bool = False
    # The bot asked this member a question and waits for the answer (an open review item
    # addressed to them). Kept on the member, which every message reads anyway.
    awaiting_answer: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)


class Product(SQLModel, table=True):
    """A catalog entry of a group."""

    __table_args__ = (UniqueConstraint("group_id", "code", name="uq_product_code"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chat_group.id")
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    # Other names members use, separated by "|".
    aliases: str = Field(default="", max_length=500)
    unit: str = Field(default="份", max_length=10)
    spec: str = Field(default="", max_length=100)
    price_fen: int = 0
    # None means unlimited.
    stock: Decimal | None = Field(default=None, sa_type=Quantity)
    limit_per_person: Decimal | None = Field(default=None, sa_type=Quantity)
    supplier: str = Field(default="", max_length=200)
    category: str = Field(default="", max_length=50)
    # Leader's commission in basis points of sales; None falls back to the configured rate.
    commission_bp: int | None = None
    active: bool = True


class Campaign(SQLModel, table=True):
    """A dated offer (开团) of products in a group. Status runs open → closed → arrived → done."""

    __table_args__ = (Index("ix_campaign_group_status", "group_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chat_group.id")
    title: str = Field(max_length=200)
    status: str = Field(default="open", max_length=10)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    cutoff_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    arrived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pickup_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pickup_place: str = Field(default="", max_length=200)
    # Bumped on every change to what the campaign offers, so cached offers know they are stale.
    offers_version: int = 0


class CampaignProduct(SQLModel, table=True):
    """A product offered in one campaign, with the price, stock and limit for that campaign."""

    __table_args__ = (UniqueConstraint("campaign_id", "product_id", name="uq_campaign_product"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    product_id: int = Field(foreign_key="product.id")
    price_fen: int
    stock: Decimal | None = Field(default=None, sa_type=Quantity)
    limit_per_person: Decimal | None = Field(default=None, sa_type=Quantity)
    active: bool = True


class Order(SQLModel, table=True):
    """One member's order in one campaign."""

    __tablename__ = "member_order"
    __table_args__ = (UniqueConstraint("campaign_id", "member_id", name="uq_order_member"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    member_id: int = Field(foreign_key="member.id")
    # Who typed it: the member themself, or a leader ordering on their behalf.
    entered_by_id: int = Field(foreign_key="member.id")
    is_proxy: bool = False
    source_message_id: str = Field(default="", max_length=128)
    pickup_code: str = Field(max_length=8)
    picked_up_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What the leader confirmed receiving (已付), so an order changed afterwards owes the difference.
    paid_fen: int | None = None
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class OrderLine(SQLModel, table=True):
    """A product × quantity in an order, with the price it was ordered at."""

    __tablename__ = "order_line"
    __table_args__ = (UniqueConstraint("order_id", "product_id", "variant", name="uq_line_product"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="member_order.id")
    product_id: int = Field(foreign_key="product.id")
    variant: str = Field(default="", max_length=100)
    qty: Decimal = Field(sa_type=Quantity)
    unit: str = Field(max_length=10)
    price_fen: int
    source_message_id: str = Field(default="", max_length=128)
    raw: str = Field(default="", max_length=500)


class ReturnRequest(SQLModel, table=True):
    """A member's after-sales request against an order line."""

    __tablename__ = "return_request"

    id: int | None = Field(default=None, primary_key=True)
    order_line_id: int = Field(foreign_key="order_line.id")
    member_id: int = Field(foreign_key="member.id")
    qty: Decimal = Field(sa_type=Quantity)
    reason: str = Field(default="", max_length=500)
    photo_path: str = Field(default="", max_length=500)
    status: str = Field(default="pending", max_length=10)
    refund_fen: int = 0
    decided_by_id: int | None = Field(default=None, foreign_key="member.id")
    decision_note: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewItem(SQLModel, table=True):
    """A message the bot could not read with confidence. It stays open until settled.

    When `asked_member_id` is set, the bot asked that member back and their next answer settles it.
    """

    __tablename__ = "review_item"
    __table_args__ = (
        Index("ix_review_open", "group_id", "status"),
        Index("ix_review_asked", "group_id", "asked_member_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="chat_group.id")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    asked_member_id: int | None = Field(default=None, foreign_key="member.id")
    source_message_id: str = Field(default="", max_length=128)
    text: str = Field(max_length=2000)
    reason: str = Field(max_length=50)
    # JSON: what the bot needs to settle it (candidate product ids, the quantity read, ...).
    context: str = Field(default="{}", max_length=4000)
    status: str = Field(default="open", max_length=10)
    created_at: datetime = Field(sa_type=UTCDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InboundMessage(SQLModel, table=True):
    """Every message the bot received, keyed by platform id. Replaying one is a no-op."""

    __tablename__ = "inbound_message"
    # A chat's latest messages (楼上 for 同上, a member's last order for 不对/撤回) are read by chat,
    # newest first; without it the lookup walks every group's messages.
    __table_args__ = (Index("ix_inbound_chat", "chat_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: str = Field(unique=True, max_length=160)
    chat_id: str = Field(max_length=128)
    sender_id: str = Field(max_length=128)
    sender_name: str = Field(max_length=200)
    text: str
    kind: str = Field(default="text", max_length=10)
    sent_at: datetime = Field(sa_type=UTCDateTime)
    received_at: datetime = Field(sa_type=UTCDateTime)
    # handled | ignored | refused | error
    outcome: str = Field(default="handled", max_length=10)
    handler: str = Field(default="", max_length=40)


class JielongState(SQLModel, table=True):
    """A 接龙 list as last seen in a campaign; its lines are `JielongLine` rows.

    A campaign can run more than one list at a time; `chain_key` tells them apart (their title).
    `version` moves on every repost that changed something, so a stale writer can be caught.
    """

    __tablename__ = "jielong_state"
    __table_args__ = (UniqueConstraint("campaign_id", "chain_key", name="uq_jielong_chain"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id")
    chain_key: str = Field(default="", max_length=64)
    version: int = 0
    updated_at: datetime = Field(sa_type=UTCDateTime)


class JielongLine(SQLModel, table=True):
    """One line of a 接龙 list, stored on its own so a repost writes only the lines that changed."""

    __tablename__ = "jielong_line"
    __table_args__ = (UniqueConstraint("state_id", "key_hash", name="uq_jielong_line"),)

    id: int | None = Field(default=None, primary_key=True)
    state_id: int = Field(foreign_key="jielong_state.id")
    # The line's identity across reposts (its text without the number); hashed for the index,
    # since a line can be longer than an index entry may be.
    key: str
    key_hash: str = Field(max_length=32)
    name: str | None = Field(default=None, max_length=200)
    owner_id: int | None = Field(default=None, foreign_key="member.id")
    # The text whose items are in the owner's order now, if any.
    applied: str | None = None
    status: str = Field(max_length=10)


class OutboxMessage(SQLModel, table=True):
    """A rendered reply waiting to be sent. Survives restarts; the outbox paces and merges them."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: str = Field(max_length=128)
    text: str
    # JSON list of platform ids to @mention.
    mention_ids: str = "[]"
    file_path: str = Field(default="", max_length=500)
    # Replies with the same merge key, queued close together for one chat, go out as one message.
    merge_key: str = Field(default="", max_length=40)
    # An answer to a leader's command goes out even if it repeats the last message word for word.
    answers_command: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
