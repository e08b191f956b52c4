"""The outbox: queued replies go out paced like a person, not a spammer.

Replies are stored first (they survive a restart), then sent by `Outbox.send_due`:
- at most `per_minute` messages a minute from the account, and one message per group every
  `group_interval_seconds` plus jitter;
- confirmations (rows with a merge key) wait up to `merge_window_seconds` so that those arriving
  close together leave as one message;
- long texts are split below WeChat's limit and long mention lists are cut into batches when queued;
- the same text is never sent twice in a row to a group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.config import OutboxSettings
from bot.events import OutgoingMessage
from bot.transports import Transport
from models import outbox as outbox_rows
from models.tables import OutboxMessage

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MINUTE = timedelta(seconds=60)
MERGED_SEPARATOR = "\n\n"
MAX_SEND_ATTEMPTS = 6
REPEAT_WINDOW = timedelta(minutes=10)
MAX_BACKOFF_SECONDS = 300


@dataclass(frozen=True)
class QueuedReply:
    """A rendered reply on its way into the outbox."""

    chat_id: str
    text: str
    mention_ids: tuple[str, ...] = ()
    merge_key: str = ""
    file_path: str = ""
    answers_command: bool = False


@dataclass
class PacingState:
    """What the pacer remembers about recent sends. Rebuilt from the table after a restart."""

    next_allowed_at: dict[str, datetime] = field(default_factory=dict)
    account_sends: deque[datetime] = field(default_factory=deque)
    last_text: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def record(self, chat_id: str, text: str, at: datetime, gap: timedelta) -> None:
        self.next_allowed_at[chat_id] = at + gap
        self.account_sends.append(at)
        self.last_text[chat_id] = (text, at)

    def account_budget(self, now: datetime, per_minute: int) -> int:
        while self.account_sends and self.account_sends[0] <= now - MINUTE:
            self.account_sends.popleft()
        return per_minute - len(self.account_sends)


def split_text(text: str, max_chars: int) -> list[str]:
    """Cut a text into parts of at most `max_chars`, at line breaks where possible."""
    if len(text) <= max_chars:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > max_chars:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:max_chars])
            line = line[max_chars:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > max_chars:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def chunk_reply(reply: QueuedReply, settings: OutboxSettings) -> list[QueuedReply]:
    """One reply as the queue rows it needs: long texts split, long mention lists batched."""
    texts = split_text(reply.text, settings.max_chars)
    mention_batches = [
        reply.mention_ids[i : i + settings.max_mentions]
        for i in range(0, len(reply.mention_ids), settings.max_mentions)
    ] or [()]
    rows = []
    for index in range(max(len(texts), len(mention_batches))):
        rows.append(
            QueuedReply(
                chat_id=reply.chat_id,
                text=texts[index] if index < len(texts) else "",
                mention_ids=mention_batches[index] if index < len(mention_batches) else (),
                merge_key=reply.merge_key,
                file_path=reply.file_path if index == 0 else "",
                answers_command=reply.answers_command,
            )
        )
    return rows


def compose(
    rows: Sequence[OutboxMessage], settings: OutboxSettings
) -> tuple[list[OutboxMessage], str, list[str]]:
    """Take rows from the front of one chat's queue that fit in one message; merge their texts."""
    taken: list[OutboxMessage] = []
    texts: list[str] = []
    mentions: list[str] = []
    for row in rows:
        row_mentions = [m for m in outbox_rows.mention_list(row) if m not in mentions]
        merged_length = sum(len(t) for t in texts) + len(MERGED_SEPARATOR) * len(texts) + len(row.text)
        fits = (
            merged_length <= settings.max_chars and len(mentions) + len(row_mentions) <= settings.max_mentions
        )
        # A file travels alone, and only mergeable rows (confirmations) join a message already begun.
        if taken and (not fits or row.file_path or taken[0].file_path or not row.merge_key):
            break
        taken.append(row)
        if row.text:
            texts.append(row.text)
        mentions.extend(row_mentions)
        if not row.merge_key:
            break
    return taken, MERGED_SEPARATOR.join(texts), mentions


class Outbox:
    """Stores replies and sends them through a transport at a human pace."""

    def __init__(
        self,
        engine: Engine,
        settings: OutboxSettings,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._rng = rng or random.Random()
        self._state: PacingState | None = None
        self._wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sending: asyncio.Lock | None = None

    def enqueue(self, replies: Sequence[QueuedReply]) -> None:
        """Store replies in a transaction of their own, after the caller committed what they confirm."""
        if not replies:
            return
        with Session(self._engine) as session:
            self.stage(replies, session=session)
            session.commit()
        self.wake()

    def stage(self, replies: Sequence[QueuedReply], *, session: Session) -> None:
        """Add replies to the caller's transaction: they are queued if, and only if, it commits.

        The caller calls `wake` after its commit, so that the sender does not look for rows that
        are not there yet.
        """
        messages = [
            outbox_rows.NewMessage(
                chat_id=row.chat_id,
                text=row.text,
                mention_ids=row.mention_ids,
                merge_key=row.merge_key,
                file_path=row.file_path,
                answers_command=row.answers_command,
            )
            for reply in replies
            for row in chunk_reply(reply, self._settings)
        ]
        outbox_rows.enqueue(session=session, messages=messages, now=self._clock())

    def wake(self) -> None:
        """Wake the sending loop; scheduled jobs enqueue from the scheduler's thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wakeup.set()
        else:
            loop.call_soon_threadsafe(self._wakeup.set)

    def _pacing(self, session: Session, now: datetime) -> PacingState:
        if self._state is None:
            self._state = PacingState()
            for row in outbox_rows.recently_sent(session=session, since=now - MINUTE):
                assert row.sent_at is not None
                self._state.record(row.chat_id, row.text, row.sent_at, self._gap())
        return self._state

    def _gap(self) -> timedelta:
        jitter = self._rng.uniform(0, self._settings.jitter_seconds) if self._settings.jitter_seconds else 0.0
        return timedelta(seconds=self._settings.group_interval_seconds + jitter)

    def _due_batches(
        self, session: Session, now: datetime
    ) -> list[tuple[list[OutboxMessage], str, list[str]]]:
        state = self._pacing(session, now)
        budget = state.account_budget(now, self._settings.per_minute)
        by_chat: dict[str, list[OutboxMessage]] = {}
        for row in outbox_rows.pending(session=session):
            by_chat.setdefault(row.chat_id, []).append(row)
        merge_window = timedelta(seconds=self._settings.merge_window_seconds)
        batches = []
        for chat_id, rows in by_chat.items():
            if budget <= 0:
                break
            allowed_at = state.next_allowed_at.get(chat_id)
            if allowed_at is not None and now < allowed_at:
                continue
            if rows[0].merge_key and now < rows[0].created_at + merge_window:
                continue
            batches.append(compose(rows, self._settings))
            budget -= 1
        return batches

    def send_due(self, send: Callable[[OutgoingMessage], object]) -> int:
        """Send whatever pacing allows right now through a synchronous `send`; returns messages sent."""
        sent = 0
        now = self._clock()
        with Session(self._engine) as session:
            # Several rounds: with pacing off (the simulator), a group's second message is due at once.
            while batches := self._due_batches(session, now):
                for rows, text, mentions in batches:
                    message = self._outgoing(rows, text, mentions)
                    if self._is_repeat(message, rows, now):
                        log.info("outbox: dropped a repeat of the last message to %s", message.chat_id)
                    else:
                        send(message)
                        sent += 1
                    self._after_send(session, message, now)
                session.commit()
        return sent

    async def send_due_async(self, transport: Transport) -> int:
        """Like `send_due`, for an asynchronous transport. A failed send stays queued for a retry.

        The sending loop and the message handler both call this; one at a time, or both would
        read the same pending rows while a send is awaited and send them twice.
        """
        if self._sending is None:
            self._sending = asyncio.Lock()
        async with self._sending:
            return await self._send_due_async(transport)

    async def _send_due_async(self, transport: Transport) -> int:
        sent = 0
        now = self._clock()
        failed: set[str] = set()
        with Session(self._engine) as session:
            while batches := [b for b in self._due_batches(session, now) if b[0][0].chat_id not in failed]:
                for rows, text, mentions in batches:
                    message = self._outgoing(rows, text, mentions)
                    if self._is_repeat(message, rows, now):
                        log.info("outbox: dropped a repeat of the last message to %s", message.chat_id)
                    else:
                        try:
                            await transport.send(message)
                        except Exception as exc:  # the platform failed; keep the message and retry later
                            self._failed(session, message, exc, now)
                            failed.add(message.chat_id)
                            continue
                        sent += 1
                    self._after_send(session, message, now)
                    # Commit per message: a crash after a send must not resend everything before it.
                    session.commit()
        return sent

    def _failed(self, session: Session, message: OutgoingMessage, exc: Exception, now: datetime) -> None:
        """Retry later, waiting longer each time; after MAX_SEND_ATTEMPTS, give the message up so
        it stops holding back everything queued behind it for that chat."""
        attempts = outbox_rows.mark_failed(session=session, ids=message.outbox_ids, error=str(exc))
        if attempts >= MAX_SEND_ATTEMPTS:
            log.error("outbox: gave up a message to %s after %d attempts: %s", message.chat_id, attempts, exc)
            outbox_rows.mark_sent(session=session, ids=message.outbox_ids, now=now)
        else:
            log.warning("outbox: sending to %s failed (attempt %d): %s", message.chat_id, attempts, exc)
            backoff = timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))
            assert self._state is not None
            self._state.next_allowed_at[message.chat_id] = now + backoff
        session.commit()

    def _outgoing(self, rows: list[OutboxMessage], text: str, mentions: list[str]) -> OutgoingMessage:
        return OutgoingMessage(
            chat_id=rows[0].chat_id,
            text=text,
            mention_ids=tuple(mentions),
            file_path=rows[0].file_path or None,
            outbox_ids=tuple(row.id for row in rows if row.id is not None),
        )

    def _is_repeat(self, message: OutgoingMessage, rows: Sequence[OutboxMessage], now: datetime) -> bool:
        """The same words as the last message to this chat, a moment ago: a spammy echo, not news.

        A leader who asks again (汇总 twice) is answered; so is anything after REPEAT_WINDOW.
        """
        last = self._state.last_text.get(message.chat_id) if self._state is not None else None
        return (
            last is not None
            and last[0] == message.text
            and now - last[1] < REPEAT_WINDOW
            and not message.file_path
            and not message.mention_ids
            and not any(row.answers_command for row in rows)
        )

    def _after_send(self, session: Session, message: OutgoingMessage, now: datetime) -> None:
        assert self._state is not None
        self._state.record(message.chat_id, message.text, now, self._gap())
        outbox_rows.mark_sent(session=session, ids=message.outbox_ids, now=now)

    def seconds_until_next_check(self) -> float:
        """How long the sending loop may sleep before something could become due."""
        return max(0.2, min(1.0, self._settings.group_interval_seconds / 2))

    async def run(self, transport: Transport, stop: asyncio.Event) -> None:
        """Send queued messages until `stop` is set. Errors are logged; the loop keeps going."""
        self._loop = asyncio.get_running_loop()
        database_down = False
        while not stop.is_set():
            try:
                await self.send_due_async(transport)
                database_down = False
            except OperationalError as exc:
                # Said once per outage: the runtime's spool is what deals with it.
                if not database_down:
                    log.warning("outbox: database unreachable, sending paused: %s", exc)
                database_down = True
            except Exception:
                log.exception("outbox: sending loop failed; retrying")
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self.seconds_until_next_check())

    def pending_count(self) -> int:
        with Session(self._engine) as session:
            return len(outbox_rows.pending(session=session))
