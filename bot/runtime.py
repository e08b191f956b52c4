"""The running bot: a transport delivers messages, the dispatcher handles them, the outbox sends.

If the database cannot be reached, incoming messages go to the local spool instead of being lost,
and are handled in order once it answers again. Leaders are told (directly through the
transport, since the outbox itself lives in the database) if the outage lasts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.dispatcher import StorageUnavailable
from bot.events import IncomingMessage, OutgoingMessage
from bot.spool import Spool
from bot.transports import Transport

log = logging.getLogger(__name__)

STORAGE_RETRY_SECONDS = 5.0
OUTAGE_ALERT_AFTER = timedelta(minutes=5)
OUTAGE_TEMPLATE = "storage_outage"


class BotRuntime:
    """Connects one transport to the dispatcher and runs the outbox's sending loop beside it."""

    def __init__(self, app: App, transport: Transport, *, spool: Spool | None = None) -> None:
        self.app = app
        self.transport = transport
        self.stop_event = asyncio.Event()
        self.spool = spool or Spool(Path(app.settings.data_dir) / "spool.jsonl")
        self._spooled = len(self.spool)
        self._outage_since: datetime | None = None
        self._alerted = False

    @property
    def storage_down(self) -> bool:
        return self._outage_since is not None

    async def on_message(self, message: IncomingMessage) -> None:
        self.accept(message)
        if not self.storage_down:
            with contextlib.suppress(OperationalError):  # went down just now: the sending loop retries
                await self.app.outbox.send_due_async(self.transport)

    def accept(self, message: IncomingMessage) -> None:
        """Handle a message now, or keep it in the spool behind those already waiting there."""
        if self._spooled or self.storage_down:
            self._keep(message)
            self.retry_spool()
            return
        try:
            self.app.dispatcher.handle(message)
        except StorageUnavailable as exc:
            self._went_down(exc)
            self._keep(message)
        except Exception:
            # The dispatcher already refuses bad input; anything reaching here is logged, not fatal.
            log.exception("message %s could not be handled", message.message_id)

    def _keep(self, message: IncomingMessage) -> None:
        self.spool.append(message)
        self._spooled += 1

    def retry_spool(self) -> bool:
        """Handle what the spool kept; True once it is empty and the database answers."""
        try:
            self._spooled -= self.spool.drain(self.app.dispatcher.handle)
        except StorageUnavailable as exc:
            self._spooled = len(self.spool)
            self._went_down(exc)
            return False
        if self._outage_since is not None:
            log.warning(
                "database is back after %s; spooled messages handled", self.app.clock() - self._outage_since
            )
        self._outage_since, self._alerted = None, False
        return True

    def _went_down(self, exc: StorageUnavailable) -> None:
        if self._outage_since is None:
            self._outage_since = self.app.clock()
            log.error("database unreachable, keeping messages in %s: %s", self.spool.path, exc)

    async def check_storage(self) -> None:
        """Retry the spool; tell the leaders once if the database has been down too long."""
        if not (self._spooled or self.storage_down) or self.retry_spool():
            return
        assert self._outage_since is not None
        if not self._alerted and self.app.clock() - self._outage_since >= OUTAGE_ALERT_AFTER:
            self._alerted = True
            await self._alert_leaders()

    async def _alert_leaders(self) -> None:
        leaders = {leader for group in self.app.settings.groups for leader in group.leaders}
        leaders.update(self.app.settings.admins)
        text = self.app.renderer.render(OUTAGE_TEMPLATE, {"waiting": self._spooled})
        for leader in sorted(leaders):
            try:
                await self.transport.send(OutgoingMessage(chat_id=leader, text=text))
            except Exception as exc:  # the alert is best effort; the spool is what keeps the orders
                log.warning("could not tell a leader about the outage: %s", exc)

    async def _watch_storage(self) -> None:
        while not self.stop_event.is_set():
            await self.check_storage()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop_event.wait(), timeout=STORAGE_RETRY_SECONDS)

    async def run(self) -> None:
        """Run until `stop_event` is set; then stop the transport and the background loops."""
        sender = asyncio.create_task(self.app.outbox.run(self.transport, self.stop_event))
        watcher = asyncio.create_task(self._watch_storage())
        try:
            await self.transport.start(self.on_message)
            await self.stop_event.wait()
        finally:
            self.stop_event.set()
            await self.transport.stop()
            await asyncio.wait_for(asyncio.gather(sender, watcher), timeout=5)
