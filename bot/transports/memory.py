"""The in-memory transport: records what the bot sends. Used by tests, the demo and replay."""

from __future__ import annotations

from bot.events import OutgoingMessage
from bot.transports import MessageSink


class MemoryTransport:
    name = "memory"
    can_send_files = True

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []
        self.sink: MessageSink | None = None

    async def start(self, sink: MessageSink) -> None:
        self.sink = sink

    async def send(self, message: OutgoingMessage) -> str | None:
        return self.record(message)

    def record(self, message: OutgoingMessage) -> str:
        """Synchronous send, for callers that drive the outbox without an event loop."""
        self.sent.append(message)
        return f"memory-{len(self.sent)}"

    async def stop(self) -> None:
        self.sink = None

    def take(self) -> list[OutgoingMessage]:
        """What was sent since the last call."""
        sent, self.sent = self.sent, []
        return sent
