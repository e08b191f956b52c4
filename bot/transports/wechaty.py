"""WeChat through a Wechaty puppet service, over python-wechaty's gRPC client.

We drive python-wechaty's `PuppetService` (the gRPC client) ourselves instead of its `Wechaty`
class, whose lifecycle does not fit a long-running bot: `Wechaty.start()` swallows connection and
auth errors (sleeping 60 s, or stopping the whole event loop), dedupes messages in a process-wide
set, keeps Room and Contact objects in process-wide pools bound to whichever connection loaded
them first, and starts a plugin web server, a scheduler and a SQLite job store at login. Here a
session is one gRPC connection; connect errors are raised, a lost connection is retried with
backoff, and message payloads are read raw, because python-wechaty's type mapping loses 群接龙.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import os
import re
import struct
import sys
import tempfile
import time
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TextIO, TypeVar

import qrcode

from bot.events import IncomingMessage, MessageKind, OutgoingMessage
from bot.transports import MessageSink, wechaty_compat
from bot.transports.jielong_xml import looks_like_jielong, parse_jielong_xml

wechaty_compat.apply()

from grpclib.const import Status  # noqa: E402
from grpclib.exceptions import GRPCError, StreamTerminatedError  # noqa: E402
from wechaty_puppet import FileBox, PuppetOptions  # noqa: E402
from wechaty_puppet_service import PuppetService  # noqa: E402

log = logging.getLogger(__name__)

ENDPOINT_ENV = "WECHATY_PUPPET_SERVICE_ENDPOINT"
TOKEN_ENV = "WECHATY_PUPPET_SERVICE_TOKEN"
MENTION_SEPARATOR = "\u2005"  # WeChat ends an @name with a four-per-em space
# WeChat cannot message the account itself; notes to self go to 文件传输助手, whose id this is.
FILE_HELPER_ID = "filehelper"
# The service puts wechaty-puppet's MessageType numbers on the wire (Text=7, Image=6,
# GroupNote=10, ...), not the numbers its .proto declares.
# Wechaty's MessageType numbers: 1 attachment, 2 audio (a voice message), 6 image, 7 text,
# 10 group note (群接龙), 11 transfer (a member paying in the group), 13 recalled (its text is the
# id of the message taken back).
WIRE_KINDS: dict[int, MessageKind] = {
    1: "file",
    2: "voice",
    6: "image",
    7: "text",
    10: "jielong",
    11: "transfer",
    13: "recalled",
}
_BASE64_FILEBOX = 1
_ARTWORK_IMAGE = 3
_SCAN_WAITING, _SCAN_SCANNED, _SCAN_TIMEOUT = 2, 3, 5
_CONNECT_EVENTS = ("heartbeat", "dong", "ready")
# Failures of one gRPC call or of the connection under it.
_CALL_ERRORS = (GRPCError, StreamTerminatedError, OSError, TimeoutError, ValueError, KeyError)

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class WechatyError(Exception):
    """A problem talking to the Wechaty puppet service."""


class WechatyConfigError(WechatyError, ValueError):
    """The transport was configured without what it needs (endpoint, token)."""


class WechatyConnectError(WechatyError, ConnectionError):
    """The puppet service could not be reached, refused us, or did not log in in time."""


class WechatySendError(WechatyError):
    """A message could not be sent; the caller may retry later."""


class WechatyTransport:
    """A `Transport` for one WeChat account behind a Wechaty puppet service."""

    name = "wechaty"
    can_send_files = True

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        token: str | None = None,
        connect_timeout: float = 15.0,
        login_timeout: float | None = None,
        call_timeout: float = 10.0,
        health_interval: float = 30.0,
        qr_png_path: str | Path | None = None,
        qr_out: TextIO | None = None,
        attachment_dir: str | Path | None = None,
        dedupe_size: int = 10_000,
        handle_own_messages: bool = False,
        on_login: Callable[[str], None] | None = None,
    ) -> None:
        """`handle_own_messages`: deliver room messages typed on the phone of the logged-in account
        (a leader running the bot on their own WeChat) instead of dropping them with the bot's own
        sends. `on_login` is called with the account's contact id at each login, before any
        message that follows it is delivered."""
        endpoint = endpoint or os.environ.get(ENDPOINT_ENV)
        token = token or os.environ.get(TOKEN_ENV)
        if not endpoint:
            # Without one, python-wechaty asks a public discovery service and hangs.
            raise WechatyConfigError(
                f"a puppet service endpoint is required (host:port, or set {ENDPOINT_ENV})"
            )
        if not token:
            raise WechatyConfigError(f"a puppet service token is required (or set {TOKEN_ENV})")
        try:
            wechaty_compat.split_endpoint(endpoint)
        except ValueError as exc:
            raise WechatyConfigError(str(exc)) from exc
        self.endpoint = endpoint
        self._token = token
        wechaty_compat.redact(token)
        self._connect_timeout = connect_timeout
        self._login_timeout = login_timeout
        self._call_timeout = call_timeout
        self._health_interval = health_interval
        self._qr_png_path = (
            Path(qr_png_path) if qr_png_path else Path(tempfile.gettempdir()) / "tuanbot-login-qr.png"
        )
        self._qr_out = qr_out
        self._attachment_dir = (
            Path(attachment_dir)
            if attachment_dir
            else Path(tempfile.gettempdir()) / "tuanbot-wechaty-attachments"
        )
        self._seen = _RecentIds(dedupe_size)
        self._handle_own_messages = handle_own_messages
        self._own_sends = _OwnSends()
        self._on_login_hook = on_login
        self._started_at = datetime.now(UTC)
        self._topics: _TtlCache[str, str] = _TtlCache()
        self._names: _TtlCache[tuple[str, str], str] = _TtlCache()
        self._sink: MessageSink | None = None
        self._session: _Session | None = None
        self._queue: asyncio.Queue[tuple[_Session, str]] | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._logged_in = asyncio.Event()
        self._self_id: str | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        """True between a successful `start()` and `stop()`."""
        return self._consumer is not None and not self._consumer.done()

    @property
    def logged_in(self) -> bool:
        return self._logged_in.is_set()

    @property
    def self_id(self) -> str | None:
        """The logged-in account's contact id."""
        return self._self_id

    async def start(self, sink: MessageSink) -> None:
        """Connect, wait until WeChat is logged in, then deliver messages to `sink`.

        Raises WechatyConnectError when the service is unreachable, rejects the token, or does
        not log in within `login_timeout`. Later connection losses are retried in the background.
        """
        if self._consumer is not None:
            raise RuntimeError("the Wechaty transport is already started")
        self._sink = sink
        self._stopping = False
        self._queue = asyncio.Queue()
        self._consumer = asyncio.create_task(self._consume(), name="wechaty-messages")
        try:
            await self._wait_for_login(await self._open_session())
        except BaseException:
            await self.stop()
            raise
        self._supervisor = asyncio.create_task(self._supervise(), name="wechaty-supervisor")

    async def send(self, message: OutgoingMessage) -> str | None:
        """Send text (with real @mentions) and/or a file; returns the last platform message id."""
        session = self._session
        if session is None or session.ended.is_set() or not self.logged_in:
            raise WechatySendError("not connected and logged in to WeChat")
        message_id: str | None = None
        try:
            if message.text:
                message_id = await self._send_text(session, message)
            if message.file_path:
                message_id = await self._send_file(session, message.chat_id, Path(message.file_path))
        except _CALL_ERRORS as exc:
            raise WechatySendError(f"sending to {message.chat_id} failed: {self._redacted(exc)}") from exc
        return message_id

    async def stop(self) -> None:
        """Disconnect and stop delivering; finishes within about 5 seconds, and is idempotent."""
        self._stopping = True
        await _finish([self._supervisor], timeout=0.5)
        session, self._session = self._session, None
        if session is not None:
            # Only a live connection is worth asking to stop the remote puppet.
            live = session.connected.is_set() and not session.ended.is_set()
            await self._close_session(session, graceful=live)
        await _finish([self._consumer], timeout=0.5)
        self._supervisor = self._consumer = None
        self._logged_in.clear()

    # -- sessions --------------------------------------------------------------------------

    async def _open_session(self) -> _Session:
        host, port = wechaty_compat.split_endpoint(self.endpoint)
        if not await _tcp_reachable(host, port, timeout=min(self._connect_timeout, 3.0)):
            raise WechatyConnectError(f"cannot reach the Wechaty puppet service at {self.endpoint}")
        options = PuppetOptions()
        options.end_point, options.token = self.endpoint, self._token
        # Tracked from the start, so stop() closes it even if it is cancelled while connecting.
        self._session = session = _Session(PuppetService(options))
        self._listen(session)
        # puppet.start() restarts the remote puppet, then reads events until the stream ends.
        session.watch(asyncio.create_task(session.puppet.start(), name="wechaty-events"))
        if not await session.wait_connected(self._connect_timeout):
            reason = (
                session.end_reason.replace(self._token, "***")
                or f"no answer within {self._connect_timeout:g}s"
            )
            self._session = None
            await self._close_session(session, graceful=False)
            raise WechatyConnectError(
                f"could not connect to the Wechaty puppet service at {self.endpoint}: {reason}"
            )
        session.health = asyncio.create_task(self._watch_health(session), name="wechaty-health")
        log.info("connected to the Wechaty puppet service at %s", self.endpoint)
        return session

    async def _wait_for_login(self, session: _Session) -> None:
        started = time.monotonic()
        while not self.logged_in:
            if session.ended.is_set():
                raise WechatyConnectError(
                    f"the puppet service closed the connection before login: {session.end_reason}"
                )
            if self._login_timeout is not None and time.monotonic() - started > self._login_timeout:
                raise WechatyConnectError(f"WeChat did not log in within {self._login_timeout:g}s")
            waited = [asyncio.create_task(self._logged_in.wait()), asyncio.create_task(session.ended.wait())]
            await asyncio.wait(
                waited, timeout=min(self._login_timeout or 60.0, 60.0), return_when=asyncio.FIRST_COMPLETED
            )
            await _finish(waited, timeout=0.5)
            if not self.logged_in and not session.ended.is_set():
                log.warning("still waiting for WeChat to log in; scan the QR code (%s)", self._qr_png_path)

    async def _close_session(self, session: _Session, *, graceful: bool) -> None:
        session.closing = True
        await _finish([session.health], timeout=0.5)
        channel = getattr(session.puppet, "channel", None)
        if graceful:
            try:
                # Stops the remote puppet and closes the channel, as python-wechaty's stop does.
                await asyncio.wait_for(session.puppet.stop(), timeout=1.5)
            except _CALL_ERRORS as exc:
                log.debug("puppet stop did not finish cleanly: %r", exc)
        if channel is not None:
            channel.close()
        await _finish(session.tasks, timeout=1.0)
        # PuppetService.start() calls the service's start() in a `finally:` after its stop(), so
        # cancelling it during stop() opens a fresh connection (and swallows that first cancel).
        if channel is not None:
            channel.close()
        self._logged_in.clear()

    async def _supervise(self) -> None:
        delay = 1.0
        while True:  # until stop() cancels this task
            session = self._session
            if session is not None:
                await session.ended.wait()
                if self._stopping:
                    return
                log.warning(
                    "lost the Wechaty puppet service at %s (%s); reconnecting",
                    self.endpoint,
                    session.end_reason,
                )
                self._session = None
                await self._close_session(session, graceful=False)
            try:
                await self._open_session()
                delay = 1.0
            except WechatyConnectError as exc:
                log.error("%s; retrying in %gs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def _watch_health(self, session: _Session) -> None:
        """Ends the session when the service stops answering, so the supervisor reconnects."""
        while True:
            await asyncio.sleep(self._health_interval)
            try:
                await self._call(session.puppet.puppet_stub.ding(data="tuanbot-health"))
            except GRPCError as exc:
                log.debug("health check answered with %s; the service is up", exc.status.name)
            except Exception as exc:  # no answer at all: a dead or hung connection
                session.end(f"health check failed: {self._redacted(exc)}")
                return

    def _listen(self, session: _Session) -> None:
        """Wires the puppet's events to this transport; handlers are synchronous and never raise."""
        puppet = session.puppet

        def on(event: str, handler: Any) -> None:
            def guarded(payload: Any = None) -> None:
                if session.closing:
                    return
                try:
                    handler(payload)
                except Exception:
                    log.exception("handling the %s event failed", event)

            puppet.on(event, guarded)

        for event in _CONNECT_EVENTS:
            on(event, lambda _payload: session.connected.set())
        on("login", lambda payload: self._on_login(session, payload))
        on("logout", lambda payload: self._on_logout(payload))
        on("scan", lambda payload: self._on_scan(session, payload))
        on("message", lambda payload: self._on_message(session, payload))
        on(
            "error",
            lambda payload: log.warning("puppet service error: %s", getattr(payload, "data", payload)),
        )
        on("room-topic", lambda payload: self._topics.forget(payload.room_id))
        on("room-join", lambda payload: self._names.forget_where(lambda key: key[0] == payload.room_id))
        on("room-leave", lambda payload: self._names.forget_where(lambda key: key[0] == payload.room_id))

    def _on_login(self, session: _Session, payload: Any) -> None:
        session.connected.set()
        self._self_id = str(payload.contact_id)
        self._logged_in.set()
        log.info("logged in to WeChat as %s", self._self_id)
        if self._on_login_hook is not None:
            self._on_login_hook(self._self_id)

    def _on_logout(self, payload: Any) -> None:
        self._logged_in.clear()
        log.warning(
            "WeChat account %s logged out; waiting for a new login", getattr(payload, "contact_id", "?")
        )

    def _on_scan(self, session: _Session, payload: Any) -> None:
        session.connected.set()
        status = int(getattr(payload.status, "value", payload.status))
        if payload.qrcode and status in (_SCAN_WAITING, _SCAN_TIMEOUT):
            show_login_qr(payload.qrcode, self._qr_png_path, out=self._qr_out)
        elif status == _SCAN_SCANNED:
            log.info("QR code scanned; confirm the login on the phone")

    def _on_message(self, session: _Session, payload: Any) -> None:
        message_id = str(payload.message_id)
        if not self._seen.add(message_id):
            log.debug("dropped a repeated delivery of message %s", message_id)
            return
        if self._queue is not None:
            self._queue.put_nowait((session, message_id))

    # -- incoming --------------------------------------------------------------------------

    async def _consume(self) -> None:
        """Turns message ids into IncomingMessages one at a time, so the sink sees them in order."""
        assert self._queue is not None
        while True:
            session, message_id = await self._queue.get()
            try:
                incoming = await self._read_message(session, message_id)
            except Exception as exc:  # one unreadable message must not stop the others
                # Messages still queued when their connection closes fail to read; no news there.
                level = logging.DEBUG if session.closing else logging.WARNING
                log.log(level, "could not read message %s: %s", message_id, self._redacted(exc))
                self._seen.forget(message_id)  # a redelivery may succeed
                continue
            if incoming is None or self._sink is None:
                continue
            try:
                await self._sink(incoming)
            except Exception:
                log.exception("the message sink failed on message %s", message_id)

    async def _read_message(self, session: _Session, message_id: str) -> IncomingMessage | None:
        payload = await self._call(session.puppet.puppet_stub.message_payload(id=message_id))
        talker_id = str(payload.from_id)
        room_id = str(payload.room_id) or None
        text = str(payload.text or "")
        kind = WIRE_KINDS.get(int(payload.type), "other")
        sent_at = _sent_at(int(payload.timestamp or 0))
        if talker_id == self._self_id and not self._typed_on_own_phone(
            message_id, room_id, text if kind not in ("image", "file") else str(payload.filename), sent_at
        ):
            return None
        jielong = parse_jielong_xml(text) if kind == "jielong" or looks_like_jielong(text) else None
        if jielong is not None:
            kind, text = "jielong", jielong.text
        elif kind == "jielong":
            kind = "other"
        attachment = None
        if kind in ("image", "file"):
            attachment = await self._save_attachment(
                session, message_id, kind == "image", str(payload.filename)
            )
        if room_id:
            chat_name = await self._room_topic(session, room_id)
            sender_name = await self._member_name(session, room_id, talker_id) if talker_id else ""
        else:
            chat_name = sender_name = await self._contact_name(session, talker_id)
        mention_ids = tuple(str(i) for i in payload.mention_ids or ())
        return IncomingMessage(
            message_id=message_id,
            chat_id=room_id or talker_id,
            chat_name=chat_name,
            sender_id=talker_id,
            sender_name=sender_name,
            text=text,
            sent_at=sent_at,
            is_group=room_id is not None,
            kind=kind,
            mentions_bot=await self._mentions_bot(session, room_id, mention_ids, text),
            mention_ids=mention_ids,
            jielong_title=jielong.title if jielong else None,
            jielong_entries=jielong.entries if jielong else (),
            attachment_path=attachment,
        )

    def _typed_on_own_phone(
        self, message_id: str, room_id: str | None, content: str, sent_at: datetime
    ) -> bool:
        """Whether a message from the logged-in account is one a person typed, to be handled.

        WeChat echoes everything the account sends, the bot's sends included. With
        `handle_own_messages`, a room message is the person's unless it is the echo of one of our
        sends. Private messages stay dropped: they are the account owner's own conversations and
        notes to self. So are messages dated before this transport started, because the echoes
        of an earlier run's sends cannot be told apart from typing once that run is gone.
        """
        if not self._handle_own_messages or room_id is None or sent_at < self._started_at:
            return False
        return not self._own_sends.claim(message_id, room_id, content)

    async def _mentions_bot(
        self, session: _Session, room_id: str | None, mention_ids: tuple[str, ...], text: str
    ) -> bool:
        if room_id is None or self._self_id is None:
            return False
        if mention_ids:
            return self._self_id in mention_ids
        # Some puppets leave the id list empty; fall back to "@<bot's name in this room>".
        name = await self._member_name(session, room_id, self._self_id)
        return re.search(f"@{re.escape(name)}(?:{MENTION_SEPARATOR}| |$)", text) is not None

    async def _room_topic(self, session: _Session, room_id: str) -> str:
        topic = self._topics.get(room_id)
        if topic is None:
            payload = await self._call(session.puppet.puppet_stub.room_payload(id=room_id))
            topic = self._topics.put(room_id, str(payload.topic or ""))
        return topic

    async def _member_name(self, session: _Session, room_id: str, contact_id: str) -> str:
        """The member's alias in the room (群昵称), else their WeChat name, else their id."""
        name = self._names.get((room_id, contact_id))
        if name is None:
            try:
                payload = await self._call(
                    session.puppet.puppet_stub.room_member_payload(id=room_id, member_id=contact_id)
                )
                name = str(payload.room_alias or payload.name or "")
            except _CALL_ERRORS as exc:
                log.debug("no room member payload for %s in %s: %r", contact_id, room_id, exc)
            if not name:
                return await self._contact_name(session, contact_id)
            self._names.put((room_id, contact_id), name)
        return name

    async def _contact_name(self, session: _Session, contact_id: str) -> str:
        """The contact's WeChat name, else their id (not remembered, so a later lookup may succeed)."""
        name = self._names.get(("", contact_id))
        if name is None:
            try:
                payload = await self._call(session.puppet.puppet_stub.contact_payload(id=contact_id))
                name = str(payload.name or "")
            except _CALL_ERRORS as exc:
                log.debug("no contact payload for %s: %r", contact_id, exc)
            if not name:
                return contact_id
            self._names.put(("", contact_id), name)
        return name

    async def _save_attachment(
        self, session: _Session, message_id: str, image: bool, filename: str
    ) -> str | None:
        downloaded = await self._download(session, message_id, image)
        if downloaded is None:
            log.warning("could not fetch the attachment of message %s", message_id)
            return None
        data, name = downloaded
        self._attachment_dir.mkdir(parents=True, exist_ok=True)
        path = (
            self._attachment_dir / f"{_safe_name(message_id)}-{_safe_name(name or filename or 'attachment')}"
        )
        await asyncio.to_thread(path.write_bytes, data)
        return str(path)

    async def _download(self, session: _Session, message_id: str, image: bool) -> tuple[bytes, str] | None:
        stub = session.puppet.puppet_stub
        try:
            call = (
                stub.message_image(id=message_id, type=_ARTWORK_IMAGE)
                if image
                else stub.message_file(id=message_id)
            )
            box = json.loads((await self._call(call)).filebox)
            if box.get("type", box.get("boxType")) == _BASE64_FILEBOX:
                return base64.b64decode(box["base64"]), str(box.get("name") or "")
        except (*_CALL_ERRORS, binascii.Error) as exc:
            log.debug("unary download of %s failed: %r", message_id, exc)
        # Files over 20 KB come back as UUID references python-wechaty cannot resolve; the older
        # streaming call still sends their bytes.
        try:
            return await asyncio.wait_for(
                self._download_stream(stub, message_id, image), self._call_timeout * 3
            )
        except _CALL_ERRORS as exc:
            log.debug("streamed download of %s failed: %r", message_id, exc)
            return None

    @staticmethod
    async def _download_stream(stub: Any, message_id: str, image: bool) -> tuple[bytes, str]:
        stream = (
            stub.message_image_stream(id=message_id, type=_ARTWORK_IMAGE)
            if image
            else stub.message_file_stream(id=message_id)
        )
        name, parts = "", []
        async for response in stream:
            chunk = response.file_box_chunk  # a oneof: the name first, then the data
            if chunk.name:
                name = str(chunk.name)
            elif chunk.data:
                parts.append(bytes(chunk.data))
        return b"".join(parts), name

    # -- outgoing --------------------------------------------------------------------------

    async def _send_text(self, session: _Session, message: OutgoingMessage) -> str | None:
        """WeChat shows a mention only as "@name" in the text, so each mentioned member's name is
        put in front unless the text already has it; the ids make it a real, notifying mention."""
        mentions = message.mention_ids if message.chat_id.endswith("@chatroom") else ()
        prefix = ""
        for contact_id in mentions:
            name = await self._member_name(session, message.chat_id, contact_id)
            if name != contact_id and f"@{name}" not in message.text:
                prefix += f"@{name}{MENTION_SEPARATOR}"
        text = prefix + message.text
        conversation_id = self._conversation(message.chat_id)
        return await self._sending(
            session.puppet.puppet_stub.message_send_text(
                conversation_id=conversation_id, text=text, mentonal_ids=list(mentions)
            ),
            conversation_id,
            text,
            message.text,
        )

    async def _send_file(self, session: _Session, chat_id: str, path: Path) -> str | None:
        content = await asyncio.to_thread(path.read_bytes)
        file_box = FileBox.from_base64(base64.b64encode(content), name=path.name)
        conversation_id = self._conversation(chat_id)
        return await self._sending(
            session.puppet.puppet_stub.message_send_file(
                conversation_id=conversation_id, filebox=file_box.to_json_str()
            ),
            conversation_id,
            path.name,
        )

    def _conversation(self, chat_id: str) -> str:
        """Where a message to `chat_id` goes: a reply to the leader who is the account itself goes
        to the account's 文件传输助手, the only chat in which WeChat lets it write to itself."""
        return FILE_HELPER_ID if chat_id == self._self_id else chat_id

    async def _sending(self, call: Awaitable[Any], conversation_id: str, *contents: str) -> str | None:
        """Makes a send call. With `handle_own_messages` its echo must be recognised as ours by
        id, or by content: the echo can arrive before the answer, some puppets give no id, and a
        send that timed out may still have gone out (so a failed send is remembered too)."""
        expected = self._own_sends.expect(conversation_id, contents) if self._handle_own_messages else None
        response = await self._call(call)
        message_id = str(response.id) if response.id else None
        if expected is not None:
            expected.message_id = message_id
        if message_id is not None:
            # Its echo then needs no payload lookup to be recognised as our own.
            self._seen.add(message_id)
        return message_id

    # -- helpers ---------------------------------------------------------------------------

    async def _call(self, awaitable: Awaitable[T]) -> T:
        return await asyncio.wait_for(awaitable, self._call_timeout)

    def _redacted(self, exc: BaseException) -> str:
        return _describe(exc).replace(self._token, "***")


class _Session:
    """One gRPC connection: python-wechaty's puppet client, its event task and its health check."""

    def __init__(self, puppet: Any) -> None:
        self.puppet = puppet
        self.connected = asyncio.Event()
        self.ended = asyncio.Event()
        self.end_reason = ""
        self.closing = False
        self.events: asyncio.Task[None] | None = None
        self.health: asyncio.Task[None] | None = None

    @property
    def tasks(self) -> list[asyncio.Task[None] | None]:
        return [self.events, self.health]

    def watch(self, events: asyncio.Task[None]) -> None:
        self.events = events
        events.add_done_callback(self._events_done)

    def end(self, reason: str) -> None:
        if not self.ended.is_set():
            self.end_reason = reason
            self.ended.set()

    async def wait_connected(self, timeout: float) -> bool:
        waited = [asyncio.create_task(self.connected.wait()), asyncio.create_task(self.ended.wait())]
        await asyncio.wait(waited, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        await _finish(waited, timeout=0.5)
        return self.connected.is_set() and not self.ended.is_set()

    def _events_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            self.end("cancelled")
            return
        exc = task.exception()
        self.end(_describe(exc) if exc else "the service ended the event stream")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, GRPCError) and exc.status == Status.UNAUTHENTICATED:
        return f"the service rejected the token ({exc.message})"
    if isinstance(exc, GRPCError):
        return f"gRPC {exc.status.name}: {exc.message}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


async def _finish(tasks: Iterable[asyncio.Task[Any] | None], timeout: float) -> None:
    """Cancels `tasks` and waits for them, cancelling again if one swallows the first cancel()."""
    every = [task for task in tasks if task is not None]
    pending = {task for task in every if not task.done()}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while pending:
        for task in pending:
            task.cancel()
        remaining = deadline - loop.time()
        if remaining <= 0:
            log.warning("%d task(s) did not stop in time: %s", len(pending), [t.get_name() for t in pending])
            break
        _, pending = await asyncio.wait(pending, timeout=min(0.25, remaining))
    for task in every:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved, so asyncio does not log it as never retrieved


async def _tcp_reachable(host: str, port: int, timeout: float) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    await writer.wait_closed()
    return True


def _sent_at(timestamp: int) -> datetime:
    """Puppets report seconds or milliseconds since the epoch; 0 means unknown (now)."""
    if timestamp <= 0:
        return datetime.now(UTC)
    seconds = timestamp / 1000 if timestamp > 100_000_000_000 else timestamp
    return datetime.fromtimestamp(seconds, UTC)


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("._")[:100] or "file"


class _RecentIds:
    """The last `size` message ids seen, oldest forgotten first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, message_id: str) -> bool:
        """Records the id; False when it was already recorded."""
        if message_id in self._ids:
            self._ids.move_to_end(message_id)
            return False
        self._ids[message_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True

    def forget(self, message_id: str) -> None:
        self._ids.pop(message_id, None)


@dataclass
class _OwnSend:
    """A message this transport is sending or has sent: where, what, and its id once known."""

    conversation_id: str
    contents: frozenset[str]
    expires: float
    message_id: str | None = None


class _OwnSends:
    """Recent sends, so that their echoes are told apart from messages typed on the account's phone.

    A send matches its echo by id, or by conversation and content: the text as sent, or without
    the @names put in front, in case a puppet echoes only the body. The cost of matching leniently
    is that a person who types exactly what the bot sent to the same room within `ttl` is ignored.
    """

    def __init__(self, ttl: float = 120.0) -> None:
        self._ttl = ttl
        self._sends: list[_OwnSend] = []

    def expect(self, conversation_id: str, contents: Iterable[str]) -> _OwnSend:
        self._expire()
        comparable = frozenset(_comparable(content) for content in contents)
        send = _OwnSend(conversation_id, comparable, time.monotonic() + self._ttl)
        self._sends.append(send)
        return send

    def claim(self, message_id: str, conversation_id: str, content: str) -> bool:
        """True, once, when the message is the echo of one of the sends."""
        self._expire()
        content = _comparable(content)
        for send in self._sends:
            if send.message_id == message_id or (
                send.conversation_id == conversation_id and content in send.contents
            ):
                self._sends.remove(send)
                return True
        return False

    def _expire(self) -> None:
        now = time.monotonic()
        self._sends = [send for send in self._sends if send.expires > now]


def _comparable(content: str) -> str:
    # Puppets may normalise whitespace (the mention separator U+2005 included) in the echo.
    return " ".join(content.split())


class _TtlCache(Generic[K, V]):
    """A small map whose entries expire, so renamed rooms and members are picked up."""

    def __init__(self, ttl: float = 300.0) -> None:
        self._ttl = ttl
        self._items: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def put(self, key: K, value: V) -> V:
        self._items[key] = (time.monotonic() + self._ttl, value)
        return value

    def forget(self, key: K) -> None:
        self._items.pop(key, None)

    def forget_where(self, predicate: Any) -> None:
        for key in [key for key in self._items if predicate(key)]:
            del self._items[key]


def show_login_qr(
    qr_data: str, png_path: str | Path | None = None, *, out: TextIO | None = None
) -> Path | None:
    """Prints a login QR code in the terminal and, when `png_path` is given, saves it as a PNG."""
    qr = qrcode.QRCode(border=2)
    qr.add_data(qr_data)
    qr.make(fit=True)
    stream = out or sys.stdout
    qr.print_ascii(out=stream, invert=True)
    print(f"Scan with WeChat to log in: {qr_data}", file=stream, flush=True)
    if png_path is None:
        return None
    path = Path(png_path)
    write_qr_png(qr.get_matrix(), path)
    log.warning("login QR code saved to %s", path)
    return path


def write_qr_png(matrix: list[list[bool]], path: Path, scale: int = 8) -> None:
    """Writes a QR module matrix as a grayscale PNG, `scale` pixels per module (no Pillow needed)."""
    rows = []
    for row in matrix:
        line = b"\x00" + bytes(0 if dark else 255 for dark in row for _ in range(scale))
        rows.extend([line] * scale)
    header = struct.pack(">IIBBBBB", len(matrix[0]) * scale, len(matrix) * scale, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
    png += _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _png_chunk(b"IEND", b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(png)
    partial.replace(path)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
