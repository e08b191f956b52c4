"""Times a text round trip over the real Wechaty gRPC path and prints percentiles.

One round trip: a member speaks in a room (the gateway's control API makes the mock puppet emit
it) -> the PuppetServer streams the event -> WechatyTransport reads the message over gRPC and
hands it to its sink -> the sink replies with transport.send -> the gateway records the reply
and answers the send. Messages go one at a time, after a warm-up that fills the name caches.
"control call" is the harness's own share: the HTTP request (one kept-alive connection) that
makes the member speak, which overlaps "say -> sink" (the gateway emits before it answers).

Usage: .venv/bin/python scripts/bench_wechaty_roundtrip.py [--messages 200] [--warmup 20]
Needs the gateway's packages (source scripts/_gateway.sh; ensure_gateway_installed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the gateway support shared with tests/wechaty

from bot.events import IncomingMessage, OutgoingMessage  # noqa: E402
from bot.transports.wechaty import WechatyTransport  # noqa: E402
from tests.wechaty.support import Gateway, start_gateway  # noqa: E402


class ControlClient:
    """POSTs to the gateway's control API over one kept-alive connection, on the event loop, so
    the harness adds as little as it can (no thread hop, no new TCP connection per message)."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict[str, object]) -> dict[str, object]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self._port)
        assert self._reader is not None
        data = json.dumps(body).encode()
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        self._writer.write(f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
        status = await self._reader.readline()
        headers = (await self._reader.readuntil(b"\r\n\r\n")).decode().lower()
        length = int(headers.split("content-length:")[1].split("\r\n")[0])
        answer: dict[str, object] = json.loads(await self._reader.readexactly(length))
        assert b" 200 " in status, answer
        return answer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(gateway: Gateway, messages: int, warmup: int) -> dict[str, list[float]]:
    room = gateway.create_room("压测群", [{"id": "wxid_bench", "name": "压测员"}])
    replied: dict[str, asyncio.Future[float]] = {}
    received_at: dict[str, float] = {}
    transport = WechatyTransport(endpoint=gateway.endpoint, token=gateway.token, login_timeout=10)

    async def echo(message: IncomingMessage) -> None:
        received_at[message.text] = time.perf_counter()
        await transport.send(OutgoingMessage(chat_id=message.chat_id, text=f"收到 {message.text}"))
        replied[message.text].set_result(time.perf_counter())

    control = ControlClient(gateway.control_port)
    await transport.start(echo)
    timings: dict[str, list[float]] = {
        "round trip": [],
        "say -> sink": [],
        "sink -> sent": [],
        "control call": [],
    }
    try:
        for i in range(warmup + messages):
            text = f"{i + 1}. 压测员 苹果 {i % 9 + 1}斤"
            replied[text] = asyncio.get_running_loop().create_future()
            started = time.perf_counter()
            await control.post("/say", {"talkerId": "wxid_bench", "text": text, "roomId": room["id"]})
            said = time.perf_counter()
            finished = await asyncio.wait_for(replied[text], timeout=10)
            if i >= warmup:
                timings["round trip"].append(finished - started)
                timings["say -> sink"].append(received_at[text] - started)
                timings["sink -> sent"].append(finished - received_at[text])
                timings["control call"].append(said - started)
    finally:
        await control.close()
        await transport.stop()
    recorded = [r["text"] for r in await gateway.sent() if r["conversationId"] == room["id"]]
    assert len(recorded) == warmup + messages, f"the gateway recorded {len(recorded)} replies"
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    log_path = Path(tempfile.mkdtemp(prefix="tuanbot-bench-")) / "gateway.log"
    gateway = start_gateway(secrets.token_hex(8), log_path)
    try:
        timings = asyncio.run(measure(gateway, args.messages, args.warmup))
    finally:
        gateway.stop()
    print(f"Wechaty text round trip over gRPC, {args.messages} messages after {args.warmup} warm-up (ms):")
    print(f"{'':14}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}{'mean':>8}")
    for name, samples in timings.items():
        ms = [s * 1000 for s in samples]
        figures = [
            percentile(ms, 0.5),
            percentile(ms, 0.9),
            percentile(ms, 0.99),
            max(ms),
            statistics.mean(ms),
        ]
        print(f"{name:14}" + "".join(f"{f:8.2f}" for f in figures))


if __name__ == "__main__":
    main()
