"""The running bot: a transport delivers messages, the dispatcher handles them, the outbox sends."""

from __future__ import annotations

import asyncio
import logging

from bot.app import App
from bot.events import IncomingMessage
from bot.transports import Transport

log = logging.getLogger(__name__)


class BotRuntime:
    """Connects one transport to the dispatcher and runs the outbox's sending loop beside it."""

    def __init__(self, app: App, transport: Transport) -> None:
        self.app = app
        self.transport = transport
        self.stop_event = asyncio.Event()

    async def on_message(self, message: IncomingMessage) -> None:
        try:
            self.app.dispatcher.handle(message)
        except Exception:
            # The dispatcher already refuses bad input; anything reaching here is logged, not fatal.
            log.exception("message %s could not be handled", message.message_id)
        await self.app.outbox.send_due_async(self.transport)

    async def run(self) -> None:
        """Run until `stop_event` is set; then stop the transport and the sending loop."""
        sender = asyncio.create_task(self.app.outbox.run(self.transport, self.stop_event))
        try:
            await self.transport.start(self.on_message)
            await self.stop_event.wait()
        finally:
            self.stop_event.set()
            await self.transport.stop()
            await asyncio.wait_for(sender, timeout=5)
