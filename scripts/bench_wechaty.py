"""The whole bot over the real Wechaty gRPC path: reply latency, and a burst of orders under pacing.

Both parts run the real bot (BotRuntime: WechatyTransport, dispatcher, handlers, outbox) on a
SQLite file, against the test gateway (a real wechaty-puppet-service PuppetServer hosting the
mock puppet, scripts/wechaty-gateway). Members speak through the gateway's control API.

(a) Round trip. Members order one at a time ("西红柿2斤"); one round trip runs from the control
    call that makes a member speak until the bot's reply has been recorded by the gateway (the
    send call has returned). Pacing and merging are off. "inside the bot" is the part from the
    message reaching the bot's sink to the send returning.

(b) Burst. `--orders` members (one order each, distinct members) speak at random moments spread
    uniformly over `--minutes`, with the default pacing settings (bot/config.py OutboxSettings).
    It reports how many messages the bot sent, the most it sent in any 60 s (the account, and
    the group), the shortest gap between two messages to the group, the longest any member
    waited for the message that @mentions them, and whether a pacing limit was exceeded.

--time-scale N (default 1, real time) runs the burst N times faster. Exactly this is scaled:
- the app's clock runs N times faster than real time (start + N x elapsed), and the outbox
  measures every pacing interval on that clock: the 60 s window of the per-minute limit, the
  gap between messages to a group and its jitter, and the merge window;
- the outbox's polling sleep (`seconds_until_next_check`) is divided by N, so it looks at its
  queue as often in app time as it does in real time;
- the members' orders are spread over minutes / N real minutes.
All burst figures are in app time: gateway timestamps and waits measured in real time are
multiplied by N. What cannot be scaled is the real cost of each step (gRPC, database, templates):
it counts N times over in app time, and the load per real second is N times higher, so a scaled
run can only look slower than real time, never faster.

Usage: ./scripts/bench-wechaty [--part roundtrip|burst|both] [--messages 200] [--orders 300]
       [--minutes 5] [--time-scale 1] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the gateway support shared with tests/wechaty

from sqlmodel import Session  # noqa: E402

from bot.app import INSTANT_OUTBOX, App, build_app  # noqa: E402
from bot.catalog_file import read_catalog_file  # noqa: E402
from bot.clock import Clock, system_clock  # noqa: E402
from bot.config import GroupSettings, OutboxSettings, Settings  # noqa: E402
from bot.events import IncomingMessage, OutgoingMessage  # noqa: E402
from bot.runtime import BotRuntime  # noqa: E402
from bot.transports import MessageSink  # noqa: E402
from bot.transports.wechaty import WechatyTransport  # noqa: E402
from models.catalog import upsert_products  # noqa: E402
from models.groups import ensure_group  # noqa: E402
from scripts.bench_wechaty_roundtrip import ControlClient, percentile  # noqa: E402
from tests.wechaty.support import Gateway, start_gateway  # noqa: E402

DEMO_CATALOG = ROOT / "bot" / "demo_data" / "catalog.csv"
# Orders the reader takes without a question, from products with no stock limit in the bench.
ORDERS = ("西红柿2斤", "红富士苹果3斤", "香蕉1把", "大米1袋", "脐橙1箱", "青苹果2斤", "鸡蛋1板")
MINUTE = 60.0


class TimedTransport:
    """A Wechaty transport that notes when each message reached the bot and when each send
    returned (the gateway records a message before it answers the send)."""

    name = "wechaty"
    can_send_files = True

    def __init__(self, inner: WechatyTransport) -> None:
        self.inner = inner
        self.received: asyncio.Queue[float] = asyncio.Queue()
        self.sent: asyncio.Queue[tuple[float, OutgoingMessage]] = asyncio.Queue()

    async def start(self, sink: MessageSink) -> None:
        async def timed_sink(message: IncomingMessage) -> None:
            self.received.put_nowait(time.perf_counter())
            await sink(message)

        await self.inner.start(timed_sink)

    async def send(self, message: OutgoingMessage) -> str | None:
        message_id = await self.inner.send(message)
        self.sent.put_nowait((time.perf_counter(), message))
        return message_id

    async def stop(self) -> None:
        await self.inner.stop()


@dataclass
class Bench:
    """A gateway, a room, and the bot serving it, torn down by `close`."""

    gateway: Gateway
    app: App
    transport: TimedTransport
    runtime: BotRuntime
    room_id: str
    member_ids: list[str]
    leader_id: str
    task: asyncio.Task[None] | None = field(default=None)

    async def start(self) -> None:
        self.task = asyncio.create_task(self.runtime.run())
        async with asyncio.timeout(30):
            while not self.transport.inner.logged_in:
                if self.task.done():
                    self.task.result()
                await asyncio.sleep(0.05)

    async def close(self) -> None:
        self.runtime.stop_event.set()
        if self.task is not None:
            await self.task
        self.app.engine.dispose()


def make_bench(
    gateway: Gateway,
    workdir: Path,
    topic: str,
    key: str,
    members: int,
    outbox: OutboxSettings,
    clock: Clock,
) -> Bench:
    ids = [f"wxid_{key}_{i}" for i in range(members)]
    people = [{"id": member_id, "name": f"邻居{i}"} for i, member_id in enumerate(ids)]
    leader = {"id": f"wxid_{key}_leader", "name": "团长"}
    room = gateway.create_room(topic, [leader, *people])
    group = GroupSettings(name=topic, chat_id=room["id"], leaders=(leader["id"],), pickup_place="小区北门")
    settings = Settings(
        database_url=f"sqlite:///{workdir / f'{key}.sqlite3'}", outbox=outbox, groups=(group,)
    )
    app = build_app(settings, clock=clock)
    _stock_without_limits(app, group)
    transport = TimedTransport(
        WechatyTransport(endpoint=gateway.endpoint, token=gateway.token, login_timeout=10)
    )
    return Bench(gateway, app, transport, BotRuntime(app, transport), room["id"], ids, str(leader["id"]))


def _stock_without_limits(app: App, group: GroupSettings) -> None:
    """The demo catalog with stock and per-person limits lifted, so every order is confirmed."""
    specs = [replace(s, stock=None, limit_per_person=None) for s in read_catalog_file(DEMO_CATALOG)]
    with Session(app.engine) as session:
        row = ensure_group(
            session=session, chat_id=group.chat_id, name=group.name, now=app.clock(), enabled=True
        )
        assert row.id is not None
        upsert_products(session=session, group_id=row.id, specs=specs)
        session.commit()


async def open_campaign(bench: Bench, control: ControlClient) -> None:
    await control.post("/say", {"talkerId": bench.leader_id, "text": "开团", "roomId": bench.room_id})
    await asyncio.wait_for(bench.transport.sent.get(), timeout=10)  # the deals


# -- (a) round trip ----------------------------------------------------------------------------


async def round_trip(gateway: Gateway, workdir: Path, messages: int, warmup: int) -> dict[str, Any]:
    # INSTANT_OUTBOX: no pacing, no merge window, no jitter; everything else as configured.
    clock = system_clock("Asia/Shanghai")
    bench = make_bench(gateway, workdir, "往返", "rtt", 20, INSTANT_OUTBOX, clock)
    control = ControlClient(gateway.control_port)
    await bench.start()
    timings: dict[str, list[float]] = {"round trip": [], "inside the bot": []}
    try:
        await open_campaign(bench, control)
        after = gateway.last_sent_seq()
        for i in range(warmup + messages):
            member = bench.member_ids[i % len(bench.member_ids)]
            _drain(bench.transport.received)
            _drain(bench.transport.sent)
            started = time.perf_counter()
            await control.post("/say", {"talkerId": member, "text": "西红柿2斤", "roomId": bench.room_id})
            finished = await _reply_to(bench.transport, member)
            reached = bench.transport.received.get_nowait()
            if i >= warmup:
                timings["round trip"].append(finished - started)
                timings["inside the bot"].append(finished - reached)
        await asyncio.sleep(0.5)  # a late second send of the last reply is counted too
        sent = [r for r in await gateway.sent(after) if r["conversationId"] == bench.room_id]
    finally:
        await control.close()
        await bench.close()
    return {"timings": timings, "sends per reply": len(sent) / (warmup + messages)}


async def _reply_to(transport: TimedTransport, member: str) -> float:
    """When the send of the reply that mentions `member` returned (a repeat of an earlier reply,
    sent late, is passed over)."""
    async with asyncio.timeout(10):
        while True:
            finished, reply = await transport.sent.get()
            if reply.mention_ids == (member,):
                return finished


def _drain(queue: asyncio.Queue[Any]) -> None:
    while not queue.empty():
        queue.get_nowait()


# -- (b) burst ---------------------------------------------------------------------------------


def scaled_clock(scale: float) -> Clock:
    """The real clock, running `scale` times faster from now on."""
    real = system_clock("Asia/Shanghai")
    started_at, started = real(), time.monotonic()
    return lambda: started_at + timedelta(seconds=(time.monotonic() - started) * scale)


@dataclass(frozen=True)
class Burst:
    orders: int
    spoke_at: dict[str, float]  # member id -> wall-clock time they spoke
    records: list[dict[str, Any]]  # what the gateway recorded as sent, to any chat
    room_id: str
    started: float  # wall-clock time the burst began
    scale: float

    def app_seconds(self, wall: float) -> float:
        return (wall - self.started) * self.scale


async def burst(gateway: Gateway, workdir: Path, args: argparse.Namespace) -> Burst:
    scale = float(args.time_scale)
    bench = make_bench(gateway, workdir, "爆单", "burst", args.orders, OutboxSettings(), scaled_clock(scale))
    default_poll = bench.app.outbox.seconds_until_next_check
    # The outbox's polling sleep is real time; scaled with the clock, as the docstring says.
    bench.app.outbox.seconds_until_next_check = lambda: default_poll() / scale  # type: ignore[method-assign]
    rng = random.Random(args.seed)
    span = args.minutes * MINUTE
    schedule = sorted((rng.uniform(0, span), member) for member in bench.member_ids)
    control = ControlClient(gateway.control_port)
    await bench.start()
    spoke_at: dict[str, float] = {}
    try:
        await open_campaign(bench, control)
        after = gateway.last_sent_seq()
        started = time.time()
        for offset, member in schedule:
            await asyncio.sleep(max(0.0, started + offset / scale - time.time()))
            spoke_at[member] = time.time()
            order: dict[str, object] = {
                "talkerId": member,
                "text": rng.choice(ORDERS),
                "roomId": bench.room_id,
            }
            await control.post("/say", order)
        records = await _wait_for_confirmations(gateway, after, set(bench.member_ids), scale)
    finally:
        await control.close()
        await bench.close()
    return Burst(args.orders, spoke_at, records, bench.room_id, started, scale)


async def _wait_for_confirmations(
    gateway: Gateway, after: int, members: set[str], scale: float
) -> list[dict[str, Any]]:
    """Everything sent after `after`, once every member is mentioned (or 5 app minutes have
    passed since the last order)."""
    deadline = time.time() + 5 * MINUTE / scale
    while time.time() < deadline:
        records = await gateway.sent(after)
        if members <= {m for r in records for m in r["mentionIds"]}:
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(10 / scale)  # what is still on its way, a late repeat say, is counted too
    return await gateway.sent(after)


def most_in_a_minute(times: list[float]) -> int:
    """The most of `times` (seconds, sorted) within any 60 s."""
    most, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= MINUTE:
            first += 1
        most = max(most, last - first + 1)
    return most


# -- printing ----------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def print_round_trip(result: dict[str, Any], messages: int, warmup: int) -> None:
    print(f"(a) Round trip: member message -> bot reply recorded by the gateway, {messages} messages")
    print(f"    after {warmup} warm-up; real dispatcher and outbox, pacing and merging off (ms):")
    print(f"    {'':16}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}{'mean':>8}")
    for name, samples in result["timings"].items():
        ms = [s * 1000 for s in samples]
        figures = [
            percentile(ms, 0.5),
            percentile(ms, 0.9),
            percentile(ms, 0.99),
            max(ms),
            statistics.mean(ms),
        ]
        print(f"    {name:16}" + "".join(f"{f:8.1f}" for f in figures))
    p50 = percentile([s * 1000 for s in result["timings"]["round trip"]], 0.5)
    print(f"    sends per reply: {result['sends per reply']:.2f} (1.00 expected)")
    print(f"    target p50 < 50 ms: {verdict(p50 < 50)}")


def print_burst(result: Burst, minutes: float, pacing: OutboxSettings) -> None:
    account_times = sorted(result.app_seconds(r["at"] / 1000) for r in result.records)
    in_room = [r for r in result.records if r["conversationId"] == result.room_id]
    times = sorted(result.app_seconds(r["at"] / 1000) for r in in_room)
    mentioned_at: dict[str, float] = {}
    for record in in_room:
        for member in record["mentionIds"]:
            mentioned_at.setdefault(member, record["at"] / 1000)
    waits = sorted(
        (mentioned_at[m] - spoke) * result.scale for m, spoke in result.spoke_at.items() if m in mentioned_at
    )
    gaps = [b - a for a, b in itertools.pairwise(times)]
    texts = [(r["text"], tuple(r["mentionIds"])) for r in in_room]
    repeats = len(texts) - len(set(texts))
    per_minute = most_in_a_minute(account_times)
    group_per_minute = most_in_a_minute(times)
    sent = len(times)
    scale = f", time scale {result.scale:g}x" if result.scale != 1 else ""
    print(f"(b) Burst: {result.orders} orders from {result.orders} members over {minutes:g} min{scale},")
    print(
        f"    default pacing: {pacing.per_minute}/min per account, {pacing.group_interval_seconds:g} s"
        f" + up to {pacing.jitter_seconds:g} s per group, {pacing.merge_window_seconds:g} s merge window"
    )
    ratio = result.orders / sent if sent else float("inf")
    print(f"    messages sent to the group: {sent} (1 per {ratio:.1f} orders), of which repeats: {repeats}")
    print(f"    most sent in any 60 s: {per_minute} by the account, {group_per_minute} to the group")
    if gaps:
        print(f"    shortest gap between two messages to the group: {min(gaps):.2f} s")
    confirmed = len(waits)
    print(f"    members confirmed: {confirmed} of {result.orders}")
    if waits:
        print(
            f"    wait for the confirmation: longest {waits[-1]:.1f} s, p50 {percentile(waits, 0.5):.1f} s,"
            f" p99 {percentile(waits, 0.99):.1f} s"
        )
    exceeded = per_minute > pacing.per_minute or any(g < pacing.group_interval_seconds for g in gaps)
    print(f"    pacing limits exceeded: {'YES' if exceeded else 'no'}")
    print(f"    target at most 1 message per 5 orders: {verdict(sent * 5 <= result.orders)}")
    every_member = confirmed == result.orders and bool(waits) and waits[-1] <= 60
    print(f"    target every member confirmed within 60 s: {verdict(every_member)}")
    print(f"    target pacing limits never exceeded: {verdict(not exceeded)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--part", choices=("roundtrip", "burst", "both"), default="both")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.time_scale <= 0:
        parser.error("--time-scale must be positive")
    workdir = Path(tempfile.mkdtemp(prefix="tuanbot-bench-"))
    gateway = start_gateway(secrets.token_hex(8), workdir / "gateway.log")
    try:
        if args.part in ("roundtrip", "both"):
            result = asyncio.run(round_trip(gateway, workdir, args.messages, args.warmup))
            print_round_trip(result, args.messages, args.warmup)
        if args.part in ("burst", "both"):
            print_burst(asyncio.run(burst(gateway, workdir, args)), args.minutes, OutboxSettings())
    finally:
        gateway.stop()


if __name__ == "__main__":
    main()
