"""A simulated WeChat group: people speak, the real dispatcher answers, the memory transport records.

The demo, `tuanbot chat`, `tuanbot replay` and the dialog tests all use this, so what they show
is what the bot would send to WeChat, merged and split by the same outbox.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import App
from bot.dispatcher import Outcome
from bot.events import IncomingMessage, JielongEntry, MessageKind, OutgoingMessage
from bot.transports.memory import MemoryTransport

BOT_NAME = "团购助手"


@dataclass(frozen=True)
class Line:
    """One line of the transcript: who said what, where."""

    speaker: str
    text: str
    chat: str
    from_bot: bool
    at: str = ""
    day: str = ""


class SimulatedGroup:
    """One group chat with named members; each member's WeChat id is derived from their name."""

    def __init__(
        self, app: App, *, chat_id: str = "sim-group@chatroom", name: str = "幸福小区团购群"
    ) -> None:
        self.app = app
        self.chat_id = chat_id
        self.name = name
        self.transport = MemoryTransport()
        self.transcript: list[Line] = []
        self._ids = itertools.count(1)
        self._names: dict[str, str] = {}
        self.last_outcome: Outcome | None = None

    @staticmethod
    def wechat_id(name: str) -> str:
        return f"wxid_{name}"

    def say(
        self,
        speaker: str,
        text: str,
        *,
        message_id: str | None = None,
        mentions: Sequence[str] = (),
        kind: MessageKind = "text",
        jielong_entries: Sequence[JielongEntry] = (),
        private: bool = False,
    ) -> list[OutgoingMessage]:
        """`speaker` says `text`; returns what the bot sent in reply (after the outbox)."""
        message = IncomingMessage(
            message_id=message_id or f"sim-{self.chat_id}-{next(self._ids)}",
            chat_id=self.wechat_id(speaker) if private else self.chat_id,
            chat_name="" if private else self.name,
            sender_id=self.wechat_id(speaker),
            sender_name=speaker,
            text=text,
            sent_at=self.app.clock(),
            is_group=not private,
            kind=kind,
            mention_ids=tuple(self.wechat_id(name) for name in mentions),
            jielong_entries=tuple(jielong_entries),
        )
        return self.deliver(message)

    def say_image(self, speaker: str, path: str) -> list[OutgoingMessage]:
        """`speaker` sends a photo the transport saved at `path`."""
        return self.deliver(
            IncomingMessage(
                message_id=f"sim-{self.chat_id}-{next(self._ids)}",
                chat_id=self.chat_id,
                chat_name=self.name,
                sender_id=self.wechat_id(speaker),
                sender_name=speaker,
                text="[图片]",
                sent_at=self.app.clock(),
                kind="image",
                attachment_path=path,
            )
        )

    def deliver(self, message: IncomingMessage) -> list[OutgoingMessage]:
        """Hand a ready-made message to the dispatcher, then flush the outbox."""
        self._names[message.sender_id] = message.sender_name
        chat = self.name if message.is_group else "私聊"
        self.transcript.append(
            Line(message.sender_name, message.text, chat, from_bot=False, at=self._now(), day=self._today())
        )
        self.last_outcome = self.app.dispatcher.handle(message)
        return self.flush()

    def flush(self) -> list[OutgoingMessage]:
        """Send whatever the outbox has due now and record it in the transcript."""
        self.app.outbox.send_due(self.transport.record)
        sent = self.transport.take()
        for message in sent:
            self.transcript.append(
                Line(
                    BOT_NAME,
                    self.render(message),
                    self._chat_label(message),
                    from_bot=True,
                    at=self._now(),
                    day=self._today(),
                )
            )
        return sent

    def _local(self) -> datetime:
        return self.app.clock().astimezone(ZoneInfo(self.app.settings.timezone))

    def _now(self) -> str:
        return self._local().strftime("%H:%M")

    def _today(self) -> str:
        local = self._local()
        return f"{local.month}月{local.day}日"

    def render(self, message: OutgoingMessage) -> str:
        """The text as WeChat shows it: the @mentions in front, then the message."""
        mentions = " ".join(f"@{self._names.get(wechat_id, wechat_id)}" for wechat_id in message.mention_ids)
        file_note = f"\n[文件] {message.file_path}" if message.file_path else ""
        return f"{mentions} {message.text}".strip() + file_note if mentions else message.text + file_note

    def _chat_label(self, message: OutgoingMessage) -> str:
        if message.chat_id == self.chat_id:
            return self.name
        return f"私聊 {self._names.get(message.chat_id, message.chat_id)}"

    def texts(self, messages: Sequence[OutgoingMessage]) -> list[str]:
        return [self.render(message) for message in messages]
