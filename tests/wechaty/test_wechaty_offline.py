"""The Wechaty pieces that need no gateway: configuration, connect failures, the shims, the QR code."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import struct
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.transports import wechaty_compat
from bot.transports.wechaty import (
    WechatyConfigError,
    WechatyConnectError,
    WechatyTransport,
    _sent_at,
    show_login_qr,
)
from tests.wechaty.support import Inbox

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_endpoint_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without one, python-wechaty would ask a public discovery service and hang.
    monkeypatch.delenv("WECHATY_PUPPET_SERVICE_ENDPOINT", raising=False)
    with pytest.raises(WechatyConfigError, match="endpoint is required"):
        WechatyTransport(token="t")


def test_a_token_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WECHATY_PUPPET_SERVICE_TOKEN", raising=False)
    with pytest.raises(WechatyConfigError, match="token is required"):
        WechatyTransport(endpoint="127.0.0.1:8788")


def test_the_endpoint_must_be_host_and_port() -> None:
    with pytest.raises(WechatyConfigError, match="host:port"):
        WechatyTransport(endpoint="puppet.example", token="t")


def test_endpoint_and_token_may_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WECHATY_PUPPET_SERVICE_ENDPOINT", "127.0.0.1:8788")
    monkeypatch.setenv("WECHATY_PUPPET_SERVICE_TOKEN", "t")
    assert WechatyTransport().endpoint == "127.0.0.1:8788"


def test_an_unreachable_service_fails_start_at_once() -> None:
    async def scenario() -> None:
        transport = WechatyTransport(endpoint=f"127.0.0.1:{closed_port()}", token="t")
        with pytest.raises(WechatyConnectError, match="cannot reach"):
            await transport.start(Inbox().receive)
        assert not transport.running

    asyncio.run(scenario())


def test_a_service_that_accepts_but_never_answers_fails_start_after_the_connect_timeout() -> None:
    async def scenario() -> None:
        accepted: list[asyncio.StreamWriter] = []

        async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted.append(writer)

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        transport = WechatyTransport(endpoint=f"127.0.0.1:{port}", token="t", connect_timeout=1.0)
        try:
            with pytest.raises(WechatyConnectError, match="no answer within 1s"):
                await transport.start(Inbox().receive)
        finally:
            server.close()
            for writer in accepted:
                writer.close()
            await server.wait_closed()

    asyncio.run(scenario())


def test_python_wechaty_imports_cleanly_once_the_shims_are_applied(tmp_path: Path) -> None:
    # In a fresh interpreter, with every warning an error, from a scratch working directory.
    code = (
        "from bot.transports import wechaty_compat; wechaty_compat.apply()\n"
        "import wechaty, urllib3\n"
        "from wechaty import Wechaty, WechatyOptions\n"
        "WechatyOptions()\n"
        "assert urllib3.get_host('http://puppet.local:8788/x') == ('http', 'puppet.local', 8788)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("CACHE_DIR", None)
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # python-wechaty's INFO chatter no longer goes to stderr
    assert not (tmp_path / ".wechaty").exists()
    assert (tmp_path / "cache" / "tuanbot" / "wechaty").is_dir()


def test_the_endpoint_probe_closes_its_socket() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert wechaty_compat.endpoint_is_reachable(f"127.0.0.1:{listener.getsockname()[1]}")
    assert not wechaty_compat.endpoint_is_reachable(f"127.0.0.1:{closed_port()}")


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        (1_718_000_000, datetime(2024, 6, 10, 6, 13, 20, tzinfo=UTC)),
        (1_718_000_000_250, datetime(2024, 6, 10, 6, 13, 20, 250_000, tzinfo=UTC)),
    ],
    ids=["seconds", "milliseconds"],
)
def test_puppet_timestamps_in_seconds_or_milliseconds_become_aware_datetimes(
    timestamp: int, expected: datetime
) -> None:
    assert _sent_at(timestamp) == expected


def read_gray_png(data: bytes) -> list[bytes]:
    """Rows of an 8-bit grayscale, unfiltered PNG (as write_qr_png makes them)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    assert (depth, color) == (8, 0)
    chunks, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body)
        if kind == b"IDAT":
            chunks += body
        offset += 12 + length
    raw = zlib.decompress(chunks)
    rows = [raw[y * (width + 1) : (y + 1) * (width + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return [row[1:] for row in rows]


def test_the_login_qr_code_is_printed_and_saved_as_a_png(tmp_path: Path) -> None:
    terminal = io.StringIO()
    saved = show_login_qr("https://login.weixin.qq.com/l/abc", tmp_path / "qr" / "login.png", out=terminal)
    assert saved == tmp_path / "qr" / "login.png"
    assert "https://login.weixin.qq.com/l/abc" in terminal.getvalue()
    rows = read_gray_png(saved.read_bytes())
    assert len(rows) == len(rows[0])
    # Eight pixels per module, a two-module white border, then the dark finder pattern's corner.
    assert rows[0][0] == 255
    assert rows[16][16] == 0


def test_cancelling_start_while_it_connects_leaves_nothing_open() -> None:
    # Run with warnings as errors: a connection left open would surface as a ResourceWarning.
    async def scenario() -> None:
        accepted: list[asyncio.StreamWriter] = []

        async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted.append(writer)

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        transport = WechatyTransport(endpoint=f"127.0.0.1:{server.sockets[0].getsockname()[1]}", token="t")
        starting = asyncio.create_task(transport.start(Inbox().receive))
        try:
            await asyncio.sleep(0.3)
            starting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await starting
            assert not transport.running
        finally:
            server.close()
            for writer in accepted:
                writer.close()
            await server.wait_closed()

    asyncio.run(scenario())
