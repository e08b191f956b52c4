"""The local spool: messages kept on disk while the database cannot be reached.

When the database is down the bot cannot log a message, let alone handle it; dropping it would
lose an order. Each such message is appended to a JSON Lines file (flushed and fsynced) and
handled, in arrival order, once the database answers again. Handling is idempotent (the
dispatcher drops platform ids it has seen), so a message spooled twice is still handled once.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.events import IncomingMessage, JielongEntry

log = logging.getLogger(__name__)


def _encode(message: IncomingMessage) -> str:
    data = asdict(message)
    data["sent_at"] = message.sent_at.isoformat()
    return json.dumps(data, ensure_ascii=False)


def _decode(line: str) -> IncomingMessage:
    data: dict[str, Any] = json.loads(line)
    data["sent_at"] = datetime.fromisoformat(data["sent_at"])
    data["mention_ids"] = tuple(data.get("mention_ids", ()))
    data["jielong_entries"] = tuple(JielongEntry(**entry) for entry in data.get("jielong_entries", ()))
    return IncomingMessage(**data)


class Spool:
    """An append-only file of messages waiting for the database, drained front to back."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open(encoding="utf-8") as handle:
            return sum(1 for line in handle if line.strip())

    def append(self, message: IncomingMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(_encode(message) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def drain(self, handle: Callable[[IncomingMessage], object]) -> int:
        """Hand every kept message to `handle`, oldest first, until one raises.

        Returns how many were handled. What was handled leaves the file; the message that raised
        and everything after it stay for the next attempt.
        """
        if not self.path.exists():
            return 0
        lines = [line for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
        done = 0
        try:
            for line in lines:
                try:
                    message = _decode(line)
                except (ValueError, TypeError, KeyError):
                    log.error("spool: dropped an unreadable line (%d chars)", len(line))
                else:
                    handle(message)
                done += 1
        finally:
            self._keep(lines[done:])
        return done

    def _keep(self, lines: list[str]) -> None:
        if not lines:
            self.path.unlink(missing_ok=True)
            return
        partial = self.path.with_suffix(".tmp")
        partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        os.replace(partial, self.path)
