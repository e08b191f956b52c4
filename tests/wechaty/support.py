"""The Node test gateway as the tests see it: a process, its control API, and an inbox.

The gateway (scripts/wechaty-gateway/gateway.mjs) is a real Wechaty PuppetServer hosting the mock
puppet; its HTTP control API creates rooms, makes members speak and records what the bot sent.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.events import IncomingMessage

GATEWAY_DIR = Path(__file__).resolve().parents[2] / "scripts" / "wechaty-gateway"
READY_TIMEOUT = 30.0


class GatewayUnavailable(Exception):
    """The gateway cannot run here (no node, packages not installed, or it failed to start)."""


@dataclass
class Gateway:
    """A running gateway process and a client for its control API."""

    process: subprocess.Popen[bytes]
    token: str
    grpc_port: int
    control_port: int
    bot_id: str
    bot_name: str
    log_path: Path

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.control_port}{path}",
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=35) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path} failed: {exc.code} {exc.read().decode()}") from exc

    async def acall(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """`call` off the event loop, so the transport keeps running while we wait."""
        return await asyncio.to_thread(self.call, method, path, body)

    def create_room(self, topic: str, members: list[dict[str, str]]) -> dict[str, Any]:
        room: dict[str, Any] = self.call("POST", "/rooms", {"topic": topic, "members": members})
        return room

    async def say(self, talker_id: str, text: str, room_id: str | None = None, **extra: Any) -> str:
        """A member speaks (in a room, or privately to the bot); returns the message id."""
        reply = await self.acall(
            "POST", "/say", {"talkerId": talker_id, "text": text, "roomId": room_id, **extra}
        )
        return str(reply["messageId"])

    async def sent(self, after: int = 0, wait_ms: int = 0) -> list[dict[str, Any]]:
        """What the bot sent after sequence number `after`, waiting up to `wait_ms` for one."""
        reply = await self.acall("GET", f"/sent?after={after}&wait_ms={wait_ms}")
        records: list[dict[str, Any]] = reply["sent"]
        return records

    def last_sent_seq(self) -> int:
        return int(self.call("GET", "/sent")["last"])

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the --lifeline: the gateway exits when its stdin closes
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_gateway(token: str, log_path: Path, grpc_port: int = 0, *options: str) -> Gateway:
    """Starts the gateway and waits for its ready line; raises GatewayUnavailable if it can't."""
    node = shutil.which("node")
    if node is None:
        raise GatewayUnavailable("node is not installed")
    if not (GATEWAY_DIR / "node_modules").is_dir():
        raise GatewayUnavailable(
            "the gateway's packages are not installed (run ./scripts/test, or npm ci there)"
        )
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [node, "gateway.mjs", "--token", token, "--grpc-port", str(grpc_port), "--lifeline", *options],
            cwd=GATEWAY_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env={**os.environ, "WECHATY_LOG": os.environ.get("WECHATY_LOG", "warn")},
        )
    try:
        ready = _read_ready_line(process, READY_TIMEOUT)
    except GatewayUnavailable as exc:
        process.kill()
        process.wait()
        _close_pipes(process)
        raise GatewayUnavailable(f"{exc}; gateway log:\n{_tail(log_path)}") from exc
    return Gateway(
        process=process,
        token=token,
        grpc_port=int(ready["grpc_port"]),
        control_port=int(ready["control_port"]),
        bot_id=str(ready["bot_id"]),
        bot_name=str(ready["bot_name"]),
        log_path=log_path,
    )


def _read_ready_line(process: subprocess.Popen[bytes], timeout: float) -> dict[str, Any]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([process.stdout], [], [], remaining)
        if not readable:
            break
        line = process.stdout.readline()
        if not line:
            raise GatewayUnavailable(f"the gateway exited with code {process.wait()}")
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("tuanbot_gateway") == "ready":
            return message
    raise GatewayUnavailable(f"no ready line within {timeout:g}s")


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            pipe.close()


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Inbox:
    """A message sink that remembers what it received and lets a test wait for it."""

    messages: list[IncomingMessage] = field(default_factory=list)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def receive(self, message: IncomingMessage) -> None:
        self.messages.append(message)
        self._arrived.set()

    async def wait_for(
        self, predicate: Callable[[IncomingMessage], bool], timeout: float = 10.0
    ) -> IncomingMessage:
        """The first message received (so far or later) that satisfies `predicate`."""
        async with asyncio.timeout(timeout):
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                self._arrived.clear()
                await self._arrived.wait()

    async def wait_for_id(self, message_id: str, timeout: float = 10.0) -> IncomingMessage:
        return await self.wait_for(lambda m: m.message_id == message_id, timeout)
