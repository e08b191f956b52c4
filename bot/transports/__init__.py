"""Transports: the only code that knows a chat platform.

Each transport delivers `IncomingMessage`s to a sink and sends `OutgoingMessage`s. The memory
transport records what was sent (tests), the console transport is a terminal simulator, and the
Wechaty transport talks to a real Wechaty puppet service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.events import IncomingMessage, OutgoingMessage

MessageSink = Callable[[IncomingMessage], Awaitable[None]]


class Transport(Protocol):
    """The small interface every platform implements."""

    name: str
    can_send_files: bool

    async def start(self, sink: MessageSink) -> None:
        """Begin delivering incoming messages to `sink`; returns once the transport is running."""

    async def send(self, message: OutgoingMessage) -> str | None:
        """Send one message; returns the platform's id for it when the platform gives one."""

    async def stop(self) -> None:
        """Stop delivering and release the connection."""
