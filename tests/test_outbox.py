"""The outbox paces, merges, splits and never repeats itself; queued messages survive a restart."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import Engine

from bot.clock import ManualClock
from bot.config import OutboxSettings
from bot.events import OutgoingMessage
from bot.outbox import MAX_BACKOFF_SECONDS, MAX_SEND_ATTEMPTS, Outbox, QueuedReply, split_text

PACED = OutboxSettings(
    per_minute=40,
    group_interval_seconds=3,
    jitter_seconds=0,
    merge_window_seconds=8,
    max_chars=100,
    max_mentions=3,
)


def make_outbox(engine: Engine, clock: ManualClock, settings: OutboxSettings = PACED) -> Outbox:
    return Outbox(engine, settings, clock, random.Random(7))


def drain(outbox: Outbox) -> list[OutgoingMessage]:
    sent: list[OutgoingMessage] = []
    outbox.send_due(sent.append)
    return sent


def test_split_text_cuts_at_line_breaks_below_the_limit() -> None:
    text = "\n".join(f"第{i}行：红富士苹果2斤" for i in range(30))
    parts = split_text(text, 50)
    assert all(len(part) <= 50 for part in parts)
    assert "\n".join(parts) == text


def test_split_text_cuts_a_single_overlong_line() -> None:
    parts = split_text("好" * 250, 100)
    assert [len(p) for p in parts] == [100, 100, 50]


def test_confirmations_close_together_go_out_as_one_message(engine: Engine, clock: ManualClock) -> None:
    outbox = make_outbox(engine, clock)
    for name in ("张三", "李四", "王五"):
        outbox.enqueue([QueuedReply("g1", f"✅ {name} 已记下", (f"wx_{name}",), merge_key="confirm")])
        clock.advance(seconds=1)
    assert drain(outbox) == []  # still inside the merge window of the first one
    clock.advance(seconds=6)
    sent = drain(outbox)
    assert len(sent) == 1
    assert sent[0].text == "✅ 张三 已记下\n\n✅ 李四 已记下\n\n✅ 王五 已记下"
    assert sent[0].mention_ids == ("wx_张三", "wx_李四", "wx_王五")
    assert outbox.pending_count() == 0


def test_one_group_gets_at_most_one_message_per_interval(engine: Engine, clock: ManualClock) -> None:
    outbox = make_outbox(engine, clock)
    outbox.enqueue([QueuedReply("g1", "第一条"), QueuedReply("g1", "第二条")])
    assert [m.text for m in drain(outbox)] == ["第一条"]
    clock.advance(seconds=2)
    assert drain(outbox) == []
    clock.advance(seconds=1)
    assert [m.text for m in drain(outbox)] == ["第二条"]


def test_the_account_never_exceeds_its_rate_per_minute(engine: Engine, clock: ManualClock) -> None:
    settings = OutboxSettings(
        per_minute=5, group_interval_seconds=0, jitter_seconds=0, merge_window_seconds=0
    )
    outbox = make_outbox(engine, clock, settings)
    outbox.enqueue([QueuedReply(f"group-{i}", f"消息{i}") for i in range(8)])
    assert len(drain(outbox)) == 5
    clock.advance(seconds=59)
    assert drain(outbox) == []
    clock.advance(seconds=1)
    assert len(drain(outbox)) == 3


def test_long_mention_lists_are_sent_in_batches(engine: Engine, clock: ManualClock) -> None:
    outbox = make_outbox(engine, clock)
    mentions = tuple(f"wx_{i}" for i in range(7))
    outbox.enqueue([QueuedReply("g1", "到货啦，请来取", mentions)])
    batches = []
    for _ in range(3):
        batches.extend(drain(outbox))
        clock.advance(seconds=3)
    assert [m.mention_ids for m in batches] == [mentions[0:3], mentions[3:6], mentions[6:7]]
    assert batches[0].text == "到货啦，请来取"


def test_the_same_text_is_not_sent_twice_in_a_row(engine: Engine, clock: ManualClock) -> None:
    outbox = make_outbox(engine, clock)
    outbox.enqueue([QueuedReply("g1", "已截单")])
    assert len(drain(outbox)) == 1
    clock.advance(seconds=5)
    outbox.enqueue([QueuedReply("g1", "已截单")])
    assert drain(outbox) == []
    assert outbox.pending_count() == 0


def test_queued_messages_and_pacing_survive_a_restart(engine: Engine, clock: ManualClock) -> None:
    first = make_outbox(engine, clock)
    first.enqueue([QueuedReply("g1", "第一条"), QueuedReply("g1", "第二条")])
    assert [m.text for m in drain(first)] == ["第一条"]
    restarted = make_outbox(engine, clock)
    assert restarted.pending_count() == 1
    assert drain(restarted) == []  # the restarted outbox remembers the group was just messaged
    clock.advance(seconds=3)
    assert [m.text for m in drain(restarted)] == ["第二条"]


class FlakyTransport:
    """A platform that fails the first `failures` sends."""

    name = "flaky"
    can_send_files = False

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.sent: list[OutgoingMessage] = []

    async def start(self, sink: object) -> None:
        """Nothing to receive."""

    async def send(self, message: OutgoingMessage) -> str | None:
        self.attempts += 1
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the puppet service dropped the call")
        self.sent.append(message)
        return f"sent-{len(self.sent)}"

    async def stop(self) -> None:
        """Nothing to stop."""


def test_a_failed_send_waits_longer_each_time_then_goes_out(engine: Engine, clock: ManualClock) -> None:
    outbox = make_outbox(engine, clock)
    transport = FlakyTransport(failures=2)
    outbox.enqueue([QueuedReply("g1", "第一条")])
    asyncio.run(outbox.send_due_async(transport))
    asyncio.run(outbox.send_due_async(transport))
    assert transport.attempts == 1  # backing off, not hammering the platform
    clock.advance(seconds=2)
    asyncio.run(outbox.send_due_async(transport))
    assert transport.attempts == 2
    clock.advance(seconds=4)
    asyncio.run(outbox.send_due_async(transport))
    assert [m.text for m in transport.sent] == ["第一条"]
    assert outbox.pending_count() == 0


def test_a_message_that_never_goes_out_is_given_up_and_stops_blocking_the_rest(
    engine: Engine, clock: ManualClock
) -> None:
    outbox = make_outbox(engine, clock)
    transport = FlakyTransport(failures=MAX_SEND_ATTEMPTS)
    outbox.enqueue([QueuedReply("g1", "发不出去的"), QueuedReply("g1", "后面的")])
    for _ in range(MAX_SEND_ATTEMPTS + 2):
        asyncio.run(outbox.send_due_async(transport))
        clock.advance(seconds=MAX_BACKOFF_SECONDS)
    assert transport.attempts == MAX_SEND_ATTEMPTS + 1
    assert [m.text for m in transport.sent] == ["后面的"]
    assert outbox.pending_count() == 0
