"""The dispatcher: one incoming message, one database session, the first matching handler.

For each message it:
1. refuses what cannot be read (empty, huge, binary garbage) with a log line, never an exception;
2. logs it by platform id in the same transaction as its effects, so a message seen before fails
   to commit and changes nothing (a replay, a redelivery after a reconnect);
3. finds the group and registers the sender as a member on first sight;
4. routes to the first handler whose rule matches, refusing leader commands from non-leaders;
5. renders the replies and adds them to the outbox in the same transaction, then commits.

An order and its confirmation are saved together or not at all: the sender sees a queued reply
only once the transaction that wrote it has committed, so the bot never confirms what it has
not saved, and a crash at any point loses neither.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot.config import GroupSettings, Settings
from bot.delivery import address_replies, stage_in_transaction
from bot.events import IncomingMessage
from bot.outbox import Outbox, QueuedReply
from bot.rendering import Renderer
from handlers.base import Context, Reply, Route
from handlers.reading.text import normalize_text
from models import groups as group_rows
from models import inbound
from models import members as member_rows
from models.jielong import ConcurrentUpdate
from models.rowcache import RowCache, written_rows
from models.tables import Group, Member

log = logging.getLogger(__name__)

# A whole 500-member 接龙 is about 20 KB; anything far beyond that is not an order list.
MAX_TEXT_CHARS = 60_000
MAX_ATTEMPTS = 3
GARBAGE_SAMPLE_CHARS = 300
REFUSAL_TEMPLATE = "not_a_leader"
ERROR_TEMPLATE = "handler_error"
PRIVATE_TEMPLATE = "private_chat"


class StorageUnavailable(RuntimeError):
    """The database could not be reached; the message was not handled and must be kept for later."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one message, for logs, tests and the replay command."""

    status: str  # handled | duplicate | ignored | refused | error
    handler: str = ""
    replies: tuple[QueuedReply, ...] = ()


class Dispatcher:
    """Routes incoming messages to handlers, in one session each."""

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        routes: Sequence[Route],
        renderer: Renderer,
        outbox: Outbox,
        clock: Callable[[], datetime],
        auto_enable_groups: bool = False,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._routes = list(routes)
        self._renderer = renderer
        self._outbox = outbox
        self._clock = clock
        # The simulator and replay serve any group; the real bot waits for a leader to enable a room.
        self._auto_enable = auto_enable_groups
        self._groups: RowCache[Group] = RowCache()
        self._members: RowCache[Member] = RowCache()

    def add_admin(self, wechat_id: str) -> None:
        """Treat `wechat_id` as an admin from now on (an account known only at login)."""
        if wechat_id not in self._settings.admins:
            self._settings = replace(self._settings, admins=(*self._settings.admins, wechat_id))
            self._members.clear()

    def handle(self, message: IncomingMessage) -> Outcome:
        """Handle one message. Never raises, except `StorageUnavailable` when the database is down."""
        text = _readable_text(message)
        if text is None:
            log.info("ignored unreadable message %s (%d chars)", message.message_id, len(message.text))
            self._log_only(message, outcome="ignored", handler="unreadable")
            return Outcome(status="ignored", handler="unreadable")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self._handle(message, text)
            except (ConcurrentUpdate, IntegrityError):
                # Another worker wrote the same row first (the same new member, order or 接龙):
                # handling the message again reads what they wrote. A duplicate delivery ends here.
                if self._seen(message):
                    return Outcome(status="duplicate")
                log.info("message %s raced another writer (attempt %d)", message.message_id, attempt)
            except OperationalError as exc:
                if not _lost_a_race(exc):
                    raise StorageUnavailable(str(exc.orig) if exc.orig else str(exc)) from exc
                log.info(
                    "message %s was chosen to give way to another writer (attempt %d)",
                    message.message_id,
                    attempt,
                )
        return self._apologise(message, "concurrent_update")

    def _seen(self, message: IncomingMessage) -> bool:
        with Session(self._engine) as session:
            return inbound.already_received(session=session, platform_id=message.message_id)

    def _handle(self, message: IncomingMessage, text: str) -> Outcome:
        now = self._clock()
        # A message seen before is not looked up first: logging it again fails at the commit on its
        # unique platform id, which rolls back whatever the handler did (see `handle`). A lookup
        # on every message would cost more than handling the rare redelivery twice.
        with Session(self._engine, expire_on_commit=False) as session:
            if not message.is_group:
                return self._private_chat(session, message, now)
            group = self._group_for(session, message, now)
            if not group.enabled and not _is_enable_command(text):
                self._record(session, message, now, outcome="ignored", handler="disabled_group")
                return self._commit(session, message, "ignored", "disabled_group")
            member = self._member_for(session, group, message, now)
            context = Context(
                session=session,
                message=message,
                text=text,
                group=group,
                member=member,
                now=now,
                settings=self._settings,
            )
            route = next((r for r in self._routes if r.matches(context)), None)
            if route is None:
                self._record(session, message, now, outcome="ignored", handler="")
                return self._commit(session, message, "ignored", "")
            if route.leader_only and not member.is_leader:
                log.warning("refused leader command %r from non-leader member %s", route.name, member.id)
                self._record(session, message, now, outcome="refused", handler=route.name)
                replies = [Reply(REFUSAL_TEMPLATE, {"name": member.display_name}, mentions=(member.id or 0,))]
                return self._commit(session, message, "refused", route.name, replies, context)
            try:
                replies = route.handle(context)
            except (OperationalError, ConcurrentUpdate, IntegrityError):
                raise
            except Exception:
                log.exception("handler %s failed on message %s", route.name, message.message_id)
                failed = route.name
            else:
                self._record(session, message, now, outcome="handled", handler=route.name)
                return self._commit(
                    session,
                    message,
                    "handled",
                    route.name,
                    replies,
                    context,
                    answers_command=route.leader_only,
                )
        # The failed handler's session is rolled back and closed by now, so nothing it half-wrote
        # (or a cursor it left open) stands in the way of logging the message.
        return self._apologise(message, failed)

    def _apologise(self, message: IncomingMessage, handler: str) -> Outcome:
        self._log_only(message, outcome="error", handler=handler)
        apology = QueuedReply(chat_id=message.chat_id, text=self._renderer.render(ERROR_TEMPLATE, {}))
        self._outbox.enqueue([apology])
        return Outcome(status="error", handler=handler, replies=(apology,))

    def _commit(
        self,
        session: Session,
        message: IncomingMessage,
        status: str,
        handler: str,
        replies: Sequence[Reply] = (),
        context: Context | None = None,
        *,
        answers_command: bool = False,
    ) -> Outcome:
        queued = self._stage_replies(handler, replies, context, answers_command) if context else ()
        # An IntegrityError here (another worker logged the same platform id, or created the same
        # row, first) rolls back, replies included, and goes up to `handle`, which tells a
        # duplicate from a race.
        session.commit()
        self._remember_rows(session)
        if queued:
            self._outbox.wake()
        return Outcome(status=status, handler=handler, replies=queued)

    def _remember_rows(self, session: Session) -> None:
        """Keep the groups and members of a committed session for the next messages.

        Every instance in the session is as committed, so leaders named or addresses learnt by
        this message are what the next one sees.
        """
        for row in (*session.identity_map.values(), *written_rows(session)):
            if isinstance(row, Group):
                self._groups.keep(row.chat_id, row)
            elif isinstance(row, Member) and row.wechat_id:
                self._members.keep((row.group_id, row.wechat_id), row)

    def _stage_replies(
        self, handler: str, replies: Sequence[Reply], context: Context, answers_command: bool
    ) -> tuple[QueuedReply, ...]:
        """Render replies and add them to the message's own transaction.

        Rendering sees what the handler wrote, flushed but not yet committed; the outbox rows
        become visible to the sender with the orders they confirm, at the same commit.
        """
        return stage_in_transaction(
            session=context.session,
            outbox=self._outbox,
            label=handler,
            render=lambda: address_replies(
                session=context.session,
                renderer=self._renderer,
                group=context.group,
                replies=replies,
                sender_id=context.message.sender_id,
                known_ids=_sender_ids(context),
                leader_ids=self._configured_leaders(context.message),
                answers_command=answers_command,
            ),
        )

    def _private_chat(self, session: Session, message: IncomingMessage, now: datetime) -> Outcome:
        self._record(session, message, now, outcome="ignored", handler="private_chat")
        queued = stage_in_transaction(
            session=session,
            outbox=self._outbox,
            label="private_chat",
            render=lambda: [
                QueuedReply(chat_id=message.chat_id, text=self._renderer.render(PRIVATE_TEMPLATE, {}))
            ],
        )
        session.commit()
        if queued:
            self._outbox.wake()
        return Outcome(status="ignored", handler="private_chat", replies=queued)

    def _group_for(self, session: Session, message: IncomingMessage, now: datetime) -> Group:
        group = self._groups.attach(session, message.chat_id) or group_rows.get_group_by_chat(
            session=session, chat_id=message.chat_id
        )
        if group is not None:
            return group
        configured = self._configured_group(message)
        group = group_rows.ensure_group(
            session=session,
            chat_id=message.chat_id,
            name=(configured.name if configured else "") or message.chat_name,
            now=now,
            enabled=self._auto_enable or configured is not None,
            pickup_place=configured.pickup_place if configured else "",
            instance=self._settings.instance,
        )
        if configured is not None:
            apply_configuration(group, configured)
        return group

    def _configured_group(self, message: IncomingMessage) -> GroupSettings | None:
        return self._settings.group_config(message.chat_id, message.chat_name)

    def _member_for(self, session: Session, group: Group, message: IncomingMessage, now: datetime) -> Member:
        assert group.id is not None
        member = self._members.attach(session, (group.id, message.sender_id))
        if member is None or member.display_name != message.sender_name:
            member = member_rows.ensure_member(
                session=session,
                group_id=group.id,
                wechat_id=message.sender_id,
                display_name=message.sender_name,
                now=now,
            )
        if not member.is_leader and message.sender_id in self._configured_leaders(message):
            member.is_leader = True
        return member

    def _configured_leaders(self, message: IncomingMessage) -> tuple[str, ...]:
        return self._settings.leaders_for(message.chat_id, message.chat_name)

    def _record(
        self, session: Session, message: IncomingMessage, now: datetime, *, outcome: str, handler: str
    ) -> None:
        inbound.log_inbound(
            session=session,
            platform_id=message.message_id,
            chat_id=message.chat_id,
            sender_id=message.sender_id,
            sender_name=message.sender_name,
            text=_storable(message.text),
            kind=message.kind,
            sent_at=message.sent_at,
            received_at=now,
            outcome=outcome,
            handler=handler,
        )

    def _log_only(self, message: IncomingMessage, *, outcome: str, handler: str) -> None:
        """Log a message that is not handled, in its own transaction; a duplicate is left alone."""
        now = self._clock()
        with Session(self._engine) as session:
            if inbound.already_received(session=session, platform_id=message.message_id):
                return
            self._record(session, message, now, outcome=outcome, handler=handler)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()


def apply_configuration(group: Group, configured: GroupSettings) -> None:
    """A configured group takes its daily times and pickup place from the configuration."""
    group_rows.apply_times(
        group=group,
        deal_post_time=configured.deal_post_time,
        cutoff_time=configured.cutoff_time,
        pickup_reminder_time=configured.pickup_reminder_time,
        pickup_place=configured.pickup_place,
    )


def _lost_a_race(exc: OperationalError) -> bool:
    """PostgreSQL broke a deadlock or a serialization conflict by aborting us: try again."""
    return getattr(exc.orig, "sqlstate", None) in {"40P01", "40001"}


def _sender_ids(context: Context) -> dict[int, str]:
    member = context.member
    return {member.id: member.wechat_id} if member.id is not None and member.wechat_id else {}


def _storable(text: str) -> str:
    # NUL cannot be stored in PostgreSQL text; nothing else of the raw text is changed.
    return text.replace("\x00", "")


SPOKEN_KINDS = {"voice": "[语音]", "transfer": "[转账]"}


def _readable_text(message: IncomingMessage) -> str | None:
    """The message text ready for handlers, or None when there is nothing a person wrote in it."""
    if message.kind == "jielong" and message.jielong_entries:
        return message.text or (message.jielong_title or "")
    if message.kind == "recalled":
        return message.text.strip() or None  # the id of the message taken back
    if message.kind in SPOKEN_KINDS:
        # What the platform carries for a voice message or a transfer is no one's words; the
        # handlers go by the kind.
        return SPOKEN_KINDS[message.kind]
    if len(message.text) > MAX_TEXT_CHARS:
        return None
    text = normalize_text(message.text).strip()
    if not text:
        return None
    if message.kind in {"image", "file"}:
        return text
    sample = text[:GARBAGE_SAMPLE_CHARS]
    printable = sum(1 for ch in sample if unicodedata.category(ch)[0] in "LNPSZ")
    # Binary garbage decodes to mostly unassigned and private-use characters; a sample tells.
    if printable < len(sample) * 0.7:
        return None
    return text


def _is_enable_command(text: str) -> bool:
    return text.strip() in {"启用", "开启机器人", "/enable"}
