"""Fixtures for the Wechaty tests: the Node test gateway, started once per session on free ports.

When the gateway cannot start, its tests skip with the reason, or fail when
TUANBOT_REQUIRE_SERVERS=1 (as ./scripts/test sets it): the gate never silently skips them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from bot.transports.wechaty import WechatyTransport
from tests.wechaty.support import Gateway, GatewayUnavailable, Inbox, start_gateway

REQUIRE_SERVERS = os.environ.get("TUANBOT_REQUIRE_SERVERS") == "1"

Connect = Callable[..., contextlib.AbstractAsyncContextManager[tuple[WechatyTransport, Inbox]]]
StartGateway = Callable[..., Gateway]


def unavailable(reason: str) -> NoReturn:
    if REQUIRE_SERVERS:
        pytest.fail(f"the Wechaty test gateway is required but unavailable: {reason}")
    pytest.skip(f"Wechaty test gateway unavailable: {reason}")


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """One gateway for the session; tests keep apart by creating their own rooms."""
    log_path = tmp_path_factory.mktemp("wechaty-gateway") / "gateway.log"
    try:
        running = start_gateway(secrets.token_hex(8), log_path)
    except GatewayUnavailable as exc:
        unavailable(str(exc))
    yield running
    running.stop()


@pytest.fixture
def start_own_gateway(tmp_path: Path) -> Iterator[StartGateway]:
    """Starts extra gateways a test may stop and restart (the session one must stay up)."""
    started: list[Gateway] = []

    def start(token: str, grpc_port: int = 0, *options: str) -> Gateway:
        try:
            running = start_gateway(token, tmp_path / f"gateway-{len(started)}.log", grpc_port, *options)
        except GatewayUnavailable as exc:
            unavailable(str(exc))
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def connect(gateway: Gateway, tmp_path: Path) -> Connect:
    """`async with connect() as (transport, inbox)`: a started transport whose sink is the inbox."""

    @contextlib.asynccontextmanager
    async def connected(
        target: Gateway = gateway, **options: Any
    ) -> AsyncIterator[tuple[WechatyTransport, Inbox]]:
        settings: dict[str, Any] = {
            "connect_timeout": 10.0,
            "login_timeout": 10.0,
            "qr_png_path": tmp_path / "login-qr.png",
            "attachment_dir": tmp_path / "attachments",
            **options,
        }
        transport = WechatyTransport(endpoint=target.endpoint, token=target.token, **settings)
        inbox = Inbox()
        await transport.start(inbox.receive)
        try:
            yield transport, inbox
        finally:
            await transport.stop()

    return connected
