"""Times a text round trip over the real Wechaty gRPC path and prints percentiles.

One round trip: a member speaks in a room (the gateway's control API makes the mock puppet emit
it) -> the PuppetServer streams the event -> WechatyTransport reads the message over gRPC and
hands it to its sink -> the sink replies with transport.send -> the gateway records the reply
and answers the send. Messages go one at a time, after a warm-up that fills the name caches.
"control call" is the test harness's own share: the HTTP request (from a worker thread) that
makes the member speak, which is inside "say -> sink" and "round trip".

Usage: .venv/bin/python scripts/bench_wechaty_roundtrip.py [--messages 200] [--warmup 20]
Needs the gateway's packages (source scripts/_gateway.sh; ensure_gateway_installed).
"""

from __future__ import annotations

import argparse
import asyncio
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
            await gateway.say("wxid_bench", text, room["id"])
            said = time.perf_counter()
            finished = await asyncio.wait_for(replied[text], timeout=10)
            if i >= warmup:
                timings["round trip"].append(finished - started)
                timings["say -> sink"].append(received_at[text] - started)
                timings["sink -> sent"].append(finished - received_at[text])
                timings["control call"].append(said - started)
    finally:
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
