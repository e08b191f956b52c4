"""The neutral events that cross the line between a chat platform and the bot.

A transport turns whatever its platform delivers into an `IncomingMessage`, and turns an
`OutgoingMessage` back into a platform call. Nothing past the transport knows which platform
it is talking to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

MessageKind = Literal["text", "image", "jielong", "file", "voice", "transfer", "recalled", "other"]


@dataclass(frozen=True, slots=True)
class JielongEntry:
    """One entry of WeChat's own 群接龙 card, with the id of the member who wrote it."""

    seq: int
    author_id: str | None
    text: str


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A message as the bot sees it, whatever platform it came from."""

    message_id: str
    chat_id: str
    sender_id: str
    sender_name: str
    text: str
    sent_at: datetime
    chat_name: str = ""
    is_group: bool = True
    kind: MessageKind = "text"
    mentions_bot: bool = False
    mention_ids: tuple[str, ...] = ()
    # The title and entries of a 群接龙 app message, when kind == "jielong".
    jielong_title: str | None = None
    jielong_entries: tuple[JielongEntry, ...] = ()
    # Where an image or file was saved by the transport, when kind is "image" or "file".
    attachment_path: str | None = None


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A rendered message ready to go out through a transport."""

    chat_id: str
    text: str
    mention_ids: tuple[str, ...] = ()
    file_path: str | None = None
    # Ids of the outbox rows this message carries, so the outbox can mark them sent.
    outbox_ids: tuple[int, ...] = field(default=(), compare=False)
