"""Replaying an exported chat log through the real dispatcher.

The log is JSON Lines, one message per line:
`{"ts": "2026-11-21T20:01:05+08:00", "group": "幸福小区团购群", "sender": "张三",
  "sender_id": "wxid_zs", "text": "...", "id": "optional platform id", "role": "leader"}`.
A message without an id gets one derived from its content and position, so replaying the same
log twice into the same database changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from bot.app import App
from bot.clock import ManualClock
from bot.config import GroupSettings, Settings
from bot.events import IncomingMessage
from bot.simulation import SimulatedGroup
from handlers.campaign import next_time_of_day
from models.campaigns import OPEN, current_campaign, open_campaign
from models.catalog import ProductSpec, upsert_products
from models.groups import ensure_group
from models.reviews import list_open_reviews
from models.tables import Campaign, Group, Member, Order, OrderLine, Product


class ChatLogError(ValueError):
    """A line of the chat log cannot be read; the message names the line."""


@dataclass(frozen=True)
class ChatLogEntry:
    sent_at: datetime
    group: str
    sender: str
    sender_id: str
    text: str
    message_id: str
    is_leader: bool


def read_chat_log(path: str | Path) -> list[ChatLogEntry]:
    entries = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                entries.append(_entry(line, number))
    return entries


def _entry(line: str, number: int) -> ChatLogEntry:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ChatLogError(f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(raw, dict):
        raise ChatLogError(f"line {number}: expected a JSON object")
    for key in ("ts", "group", "sender", "text"):
        if not isinstance(raw.get(key), str):
            raise ChatLogError(f"line {number}: missing {key!r}")
    try:
        sent_at = datetime.fromisoformat(raw["ts"])
    except ValueError as exc:
        raise ChatLogError(f"line {number}: ts {raw['ts']!r} is not an ISO time") from exc
    if sent_at.tzinfo is None:
        raise ChatLogError(f"line {number}: ts needs a UTC offset, e.g. +08:00")
    sender_id = str(raw.get("sender_id") or f"name:{raw['sender']}")
    digest = hashlib.sha256(
        f"{number}\x1f{raw['group']}\x1f{sender_id}\x1f{raw['ts']}\x1f{raw['text']}".encode()
    ).hexdigest()[:24]
    return ChatLogEntry(
        sent_at=sent_at,
        group=raw["group"],
        sender=raw["sender"],
        sender_id=sender_id,
        text=raw["text"],
        message_id=str(raw.get("id") or f"log-{digest}"),
        is_leader=raw.get("role") == "leader",
    )


def chat_id_for(group_name: str) -> str:
    return f"replay:{group_name}"


def settings_for_log(settings: Settings, entries: list[ChatLogEntry]) -> Settings:
    """The log's groups as configured groups, with the senders marked `role: leader` as leaders."""
    leaders: dict[str, list[str]] = {}
    for entry in entries:
        ids = leaders.setdefault(entry.group, [])
        if entry.is_leader and entry.sender_id not in ids:
            ids.append(entry.sender_id)
    groups = tuple(
        GroupSettings(name=name, chat_id=chat_id_for(name), leaders=tuple(ids))
        for name, ids in leaders.items()
    )
    return replace(settings, groups=settings.groups + groups)


def open_catalog_campaigns(app: App, group_names: list[str], specs: list[ProductSpec], now: datetime) -> None:
    """Open the catalog as each group's campaign, unless the group already has one open."""
    with Session(app.engine) as session:
        for name in group_names:
            group = ensure_group(session=session, chat_id=chat_id_for(name), name=name, now=now, enabled=True)
            assert group.id is not None
            existing = current_campaign(session=session, group_id=group.id)
            if existing is not None and existing.status == OPEN:
                continue
            products = upsert_products(session=session, group_id=group.id, specs=specs)
            open_campaign(
                session=session,
                group_id=group.id,
                title=f"{name} {now.month}月{now.day}日团购",
                products=products,
                now=now,
                cutoff_at=next_time_of_day(now, group.cutoff_time),
            )
        session.commit()


def replay_entries(app: App, clock: ManualClock, entries: list[ChatLogEntry]) -> list[SimulatedGroup]:
    """Feed every entry through the dispatcher at its own time; returns the groups with transcripts."""
    groups: dict[str, SimulatedGroup] = {}
    for entry in entries:
        group = groups.get(entry.group)
        if group is None:
            group = groups[entry.group] = SimulatedGroup(
                app, chat_id=chat_id_for(entry.group), name=entry.group
            )
        clock.set(entry.sent_at)
        group.deliver(
            IncomingMessage(
                message_id=entry.message_id,
                chat_id=group.chat_id,
                chat_name=entry.group,
                sender_id=entry.sender_id,
                sender_name=entry.sender,
                text=entry.text,
                sent_at=entry.sent_at,
            )
        )
    return list(groups.values())


def orders_json(app: App, group_names: list[str]) -> dict[str, Any]:
    """The orders and open review items of the log's groups, in the replay command's stable shape."""
    orders: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    with Session(app.engine) as session:
        for name in group_names:
            group = session.exec(select(Group).where(Group.chat_id == chat_id_for(name))).first()
            if group is None or group.id is None:
                continue
            orders.extend(_group_orders(session, group.id))
            for item in list_open_reviews(session=session, group_id=group.id):
                member = session.get(Member, item.member_id) if item.member_id else None
                review.append(
                    {
                        "member": member.display_name if member else None,
                        "text": item.text,
                        "reason": item.reason,
                    }
                )
    return {"orders": orders, "review": review}


def _group_orders(session: Session, group_id: int) -> list[dict[str, Any]]:
    result = []
    rows = session.exec(
        select(Order, Member, Campaign)
        .join(Member, col(Member.id) == Order.member_id)
        .join(Campaign, col(Campaign.id) == Order.campaign_id)
        .where(Campaign.group_id == group_id)
        .order_by(col(Order.id))
    )
    for order, member, _campaign in rows:
        lines = session.exec(
            select(OrderLine, Product)
            .join(Product, col(Product.id) == OrderLine.product_id)
            .where(OrderLine.order_id == order.id)
            .order_by(col(OrderLine.id))
        )
        items = [
            {
                "product": f"{product.name}（{line.variant}）" if line.variant else product.name,
                "qty": _number(line.qty),
                "unit": line.unit,
            }
            for line, product in lines
        ]
        status = "picked_up" if order.picked_up_at else ("ordered" if items else "cancelled")
        result.append(
            {"member": member.display_name, "proxy": order.is_proxy, "items": items, "status": status}
        )
    return result


def _number(value: Any) -> int | float:
    return int(value) if value == int(value) else float(value)
