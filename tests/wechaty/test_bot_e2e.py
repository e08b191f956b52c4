"""The whole bot over the real Wechaty protocol: a group's day, a restart, rooms that need 启用.

Members speak through the test gateway (a real PuppetServer hosting the mock puppet); the bot runs
as `tuanbot run` runs it (`serve` with the transport `build_transport` makes) on a SQLite file;
the tests read what the room received, text and mention ids, from the gateway's record of sends,
and the orders from the database. The app's clock is a manual one, so dates in the texts are
fixed and merged confirmations leave exactly when the test moves the clock past the merge window.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, build_app
from bot.clock import ManualClock
from bot.config import GroupSettings, OutboxSettings, Settings, WechatySettings
from bot.run_command import build_transport, keep_groups_in_line, serve
from bot.scheduler import build_scheduler, job_ids
from bot.transports.wechaty import FILE_HELPER_ID, WechatyTransport
from tests import dbview
from tests.wechaty.conftest import StartGateway
from tests.wechaty.support import Gateway

pytestmark = pytest.mark.wechaty

ROOT = Path(__file__).resolve().parents[2]
DEMO_CATALOG = ROOT / "bot" / "demo_data" / "catalog.csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 11, 22, 8, 0, tzinfo=SHANGHAI)
# Each reply leaves as soon as it is queued, so each step's reply can be read on its own.
UNPACED = OutboxSettings(per_minute=10**6, group_interval_seconds=0, jitter_seconds=0, merge_window_seconds=0)
# Confirmations wait for the merge window, which only passes when the test moves the clock.
MERGING = replace(UNPACED, merge_window_seconds=8)
CHAIN_HEADER = "#接龙\n11月22日 幸福小区水果团 晚8点截单\n例 3栋502 王姐 红富士苹果2斤\n"


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(scenario)


class RepliedTwice(AssertionError):
    """The bot sent the same message to the same chat more than once."""


@dataclass(frozen=True)
class Sent:
    text: str
    mention_ids: tuple[str, ...] = ()


@dataclass
class Room:
    id: str
    topic: str
    ids: dict[str, str]  # member's WeChat name -> contact id

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


def open_room(gateway: Gateway, topic: str, names: list[str]) -> Room:
    people = [{"id": f"wxid_{uuid.uuid4().hex[:10]}", "name": name} for name in names]
    room = gateway.create_room(topic, people)
    return Room(id=room["id"], topic=topic, ids={p["name"]: p["id"] for p in people})


@dataclass
class Chats:
    """What the bot sent from now on, per conversation, in order, as the gateway recorded it.

    A message sent again to the same chat is kept once and remembered as a repeat, so that the
    rest of a test still reads each step's replies; `check_no_repeats` then fails with RepliedTwice.
    """

    gateway: Gateway
    after: int = 0
    sent: dict[str, list[Sent]] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)
    repeats: list[tuple[str, Sent]] = field(default_factory=list)

    @classmethod
    def from_now(cls, gateway: Gateway) -> Chats:
        return cls(gateway, after=gateway.last_sent_seq())

    async def next(self, conversation_id: str, timeout: float = 20.0) -> Sent:
        """The next message sent to the conversation, waiting for it."""
        async with asyncio.timeout(timeout):
            while self.taken.get(conversation_id, 0) >= len(self.sent.get(conversation_id, [])):
                await self._fetch(wait_ms=500)
        index = self.taken.get(conversation_id, 0)
        self.taken[conversation_id] = index + 1
        return self.sent[conversation_id][index]

    async def _fetch(self, wait_ms: int) -> None:
        for record in await self.gateway.sent(self.after, wait_ms):
            self.after = int(record["seq"])
            message = Sent(str(record["text"]), tuple(record["mentionIds"]))
            kept = self.sent.setdefault(str(record["conversationId"]), [])
            if message in kept:
                self.repeats.append((str(record["conversationId"]), message))
            else:
                kept.append(message)

    async def check_no_repeats(self) -> None:
        await self._fetch(wait_ms=0)
        if self.repeats:
            raise RepliedTwice(f"{len(self.repeats)} message(s) were sent twice, e.g. {self.repeats[0]}")


def bot_settings(
    gateway: Gateway,
    tmp_path: Path,
    *,
    groups: tuple[GroupSettings, ...] = (),
    admins: tuple[str, ...] = (),
    outbox: OutboxSettings = UNPACED,
) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'tuanbot.sqlite3'}",
        data_dir=str(tmp_path / "data"),
        admins=admins,
        outbox=outbox,
        wechaty=WechatySettings(
            endpoint=gateway.endpoint,
            token=gateway.token,
            qr_png=str(tmp_path / "login-qr.png"),
            connect_timeout_seconds=10,
        ),
        groups=groups,
    )


def configured_group(room: Room, *leaders: str) -> GroupSettings:
    return GroupSettings(
        name=room.topic,
        chat_id=room.id,
        leaders=tuple(room[name] for name in leaders),
        pickup_place="小区北门",
        catalog=str(DEMO_CATALOG),
    )


def start_app(settings: Settings, clock: ManualClock) -> App:
    """The app as `tuanbot run` builds it, on the test's clock."""
    app = build_app(settings, clock=clock)
    keep_groups_in_line(app)
    return app


@contextlib.asynccontextmanager
async def running(app: App, *, handle_own_messages: bool = False) -> AsyncIterator[WechatyTransport]:
    """The bot serving through the gateway, logged in, until the block ends."""
    status = io.StringIO()
    transport = build_transport(app, handle_own_messages=handle_own_messages, status=status, login_timeout=10)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(app, transport, stop=stop, status=status))
    try:
        try:
            async with asyncio.timeout(30):
                while not transport.logged_in:
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(f"the bot did not log in:\n{status.getvalue()}") from None
        yield transport
    finally:
        stop.set()
        await serving


async def eventually(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


def chain(*lines: str) -> str:
    return CHAIN_HEADER + "\n" + "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def mentioned(name: str, text: str) -> str:
    """A text as WeChat shows an @mention in front of it."""
    return f"@{name}\u2005{text}"


def test_a_group_day_over_wechaty(gateway: Gateway, tmp_path: Path) -> None:
    members = ["李团长", "张三", "李四", "王姐", "赵六", "钱大爷", "许阿姨", "阿强"]
    room = open_room(gateway, "幸福小区水果团", members)
    settings = bot_settings(gateway, tmp_path, groups=(configured_group(room, "李团长"),))
    app = start_app(settings, ManualClock(MORNING))
    leader = room["李团长"]

    async def say(name: str, text: str) -> str:
        return await gateway.say(room[name], text, room.id)

    async def scenario() -> None:
        async with running(app):
            chats = Chats.from_now(gateway)
            await say("李团长", "开团")
            deals = await chats.next(room.id)
            assert deals.text.startswith("🛒 11月22日团购\n1. 红富士苹果 ¥5.9/斤 共200斤\n")
            assert "⏰ 今天20:00截单，📍 小区北门自提" in deals.text
            assert deals.mention_ids == ()

            # 接龙: each member reposts the whole list with their own line added.
            lines = ["张三 红富士苹果3斤"]
            await say("张三", chain(*lines))
            assert await chats.next(room.id) == Sent(
                mentioned("张三", "✅ 张三 已记下\n+ 红富士苹果 现在共3斤\n订单：红富士苹果3斤，合计¥17.7"),
                (room["张三"],),
            )
            lines.append("李四 4号x1")
            await say("李四", chain(*lines))
            assert await chats.next(room.id) == Sent(
                mentioned("李四", "✅ 李四 已记下\n+ 土鸡蛋 现在共1板\n订单：土鸡蛋1板，合计¥28"),
                (room["李四"],),
            )
            lines.append("3栋502 王姐 鸡蛋1板 香蕉1把")
            await say("王姐", chain(*lines))
            assert await chats.next(room.id) == Sent(
                mentioned(
                    "王姐",
                    "✅ 王姐 已记下\n+ 土鸡蛋 现在共1板\n+ 海南香蕉 现在共1把\n"
                    "订单：土鸡蛋1板、海南香蕉1把，合计¥40.8",
                ),
                (room["王姐"],),
            )
            # A repost with nothing new, and chatter, get no reply: the next one is 赵六's.
            await say("许阿姨", chain(*lines))
            await say("许阿姨", "收到👌")
            await say("赵六", "西红柿两斤")
            assert await chats.next(room.id) == Sent(
                mentioned("赵六", "✅ 赵六 已记下\n+ 本地西红柿 现在共2斤\n订单：本地西红柿2斤，合计¥9"),
                (room["赵六"],),
            )
            await say("钱大爷", "苹果两斤")
            question = await chats.next(room.id)
            assert question.text.startswith(mentioned("钱大爷", "钱大爷 您要的是哪一个？"))
            assert question.mention_ids == (room["钱大爷"],)
            await say("钱大爷", "1")
            assert await chats.next(room.id) == Sent(
                mentioned(
                    "钱大爷", "✅ 钱大爷 已记下\n+ 红富士苹果 现在共2斤\n订单：红富士苹果2斤，合计¥11.8"
                ),
                (room["钱大爷"],),
            )

            await say("李团长", "代 王奶奶 鸡蛋2板")
            proxy = await chats.next(room.id)
            assert proxy.text.startswith("✅ 已代王奶奶下单\n+ 土鸡蛋 现在共2板")
            assert proxy.mention_ids == ()  # 王奶奶 has no WeChat to be mentioned on
            await say("阿强", "截单")
            refusal = await chats.next(room.id)
            assert refusal == Sent(
                mentioned("阿强", "阿强 这个命令只有团长能用哦，有需要请联系团长🙏"), (room["阿强"],)
            )

            await say("李团长", "截单")
            assert (
                await chats.next(room.id)
            ).text == "⏹ 11月22日团购已截单，谢谢大家！到货后会在群里通知取货"
            summary = await chats.next(room.id)
            assert "1. 红富士苹果 × 5斤  ¥29.5（2人）" in summary.text
            assert "4. 土鸡蛋 × 4板  ¥112（3人）" in summary.text
            sorting = await chats.next(leader)  # privately, to the leader
            assert "分拣单" in sorting.text and "王奶奶(代)" in sorting.text

            await say("李团长", "到货")
            arrival = await chats.next(room.id)
            assert arrival.text.startswith(
                mentioned(
                    "张三", mentioned("李四", mentioned("王姐", mentioned("赵六", mentioned("钱大爷", "📢"))))
                )
            )
            assert "请到小区北门取货" in arrival.text
            assert arrival.mention_ids == tuple(room[n] for n in ("张三", "李四", "王姐", "赵六", "钱大爷"))
            delivery = await chats.next(leader)
            assert "王奶奶" in delivery.text and "送上门" in delivery.text
            await chats.check_no_repeats()

        assert dbview.orders(app) == {
            "张三": {"红富士苹果": Decimal(3)},
            "李四": {"土鸡蛋": Decimal(1)},
            "王姐": {"土鸡蛋": Decimal(1), "海南香蕉": Decimal(1)},
            "赵六": {"本地西红柿": Decimal(2)},
            "钱大爷": {"红富士苹果": Decimal(2)},
            "王奶奶": {"土鸡蛋": Decimal(2)},
        }
        assert [c.status for c in dbview.campaigns(app)] == ["arrived"]
        app.engine.dispose()

    run(scenario())


def test_a_restart_mid_stream_and_a_redelivery_of_everything_keep_each_order_once(
    gateway: Gateway, tmp_path: Path
) -> None:
    room = open_room(gateway, "幸福小区鸡蛋团", ["李团长", "张三", "李四", "王五"])
    settings = bot_settings(gateway, tmp_path, groups=(configured_group(room, "李团长"),), outbox=MERGING)
    clock = ManualClock(MORNING)
    stream: list[str] = []

    async def say(name: str, text: str) -> None:
        stream.append(await gateway.say(room[name], text, room.id))

    async def scenario() -> None:
        chats = Chats.from_now(gateway)
        first = start_app(settings, clock)
        async with running(first):
            await say("李团长", "开团")
            assert (await chats.next(room.id)).text.startswith("🛒 11月22日团购")
            await say("张三", chain("张三 红富士苹果3斤"))
            await say("李四", chain("张三 红富士苹果3斤", "李四 鸡蛋1板"))
            await eventually(lambda: len(dbview.orders(first)) == 2)
        # Their confirmations are still queued (the clock has not passed the merge window).
        first.engine.dispose()
        # Said while the bot is down: nobody hears it until the gateway delivers it again.
        await say("王五", "西红柿两斤")

        second = start_app(settings, clock)
        async with running(second):
            for message_id in stream:
                await gateway.acall("POST", "/redeliver", {"messageId": message_id})
            await eventually(lambda: "王五" in dbview.orders(second))
            clock.advance(seconds=10)
            confirmations = await chats.next(room.id)
            assert confirmations.mention_ids == (room["张三"], room["李四"], room["王五"])
            assert confirmations.text == mentioned(
                "张三",
                mentioned(
                    "李四",
                    mentioned(
                        "王五",
                        "✅ 张三 已记下\n+ 红富士苹果 现在共3斤\n订单：红富士苹果3斤，合计¥17.7\n\n"
                        "✅ 李四 已记下\n+ 土鸡蛋 现在共1板\n订单：土鸡蛋1板，合计¥28\n\n"
                        "✅ 王五 已记下\n+ 本地西红柿 现在共2斤\n订单：本地西红柿2斤，合计¥9",
                    ),
                ),
            )
            # Nothing else came of the redelivery: the next message answers the leader's cutoff.
            await gateway.say(room["李团长"], "截单", room.id)
            assert (await chats.next(room.id)).text.startswith("⏹ 11月22日团购已截单")
            await chats.check_no_repeats()

        assert dbview.orders(second) == {
            "张三": {"红富士苹果": Decimal(3)},
            "李四": {"土鸡蛋": Decimal(1)},
            "王五": {"本地西红柿": Decimal(2)},
        }
        assert len(dbview.order_rows(second)) == 3
        logged = [m.platform_id for m in dbview.inbound(second)]
        assert sorted(logged[: len(stream)]) == sorted(stream)
        assert len(logged) == len(stream) + 1  # and the cutoff
        second.engine.dispose()

    run(scenario())


def test_an_unconfigured_room_is_ignored_until_an_admin_enables_it(gateway: Gateway, tmp_path: Path) -> None:
    room = open_room(gateway, "新小区团购", ["管理员", "张三"])
    app = start_app(bot_settings(gateway, tmp_path, admins=(room["管理员"],)), ManualClock(MORNING))

    async def say(name: str, text: str) -> None:
        await gateway.say(room[name], text, room.id)

    async def scenario() -> None:
        async with running(app):
            chats = Chats.from_now(gateway)
            await say("张三", "红富士苹果2斤")
            await say("张三", "启用")
            # The order got no answer; a member may not enable the bot.
            assert await chats.next(room.id) == Sent(
                mentioned("张三", "张三 这个命令只有团长能用哦，有需要请联系团长🙏"), (room["张三"],)
            )
            await say("管理员", "启用")
            assert await chats.next(room.id) == Sent(
                "👋 团购助手已在「新小区团购」开启，团长发「开团」就能开始"
            )
            await say("管理员", "上架 草莓 25元/盒")
            assert (await chats.next(room.id)).text == "🆕 已上架 1. 草莓 ¥25/盒"
            await say("管理员", "开团")
            assert "1. 草莓 ¥25/盒" in (await chats.next(room.id)).text
            await say("张三", "草莓2盒")
            assert await chats.next(room.id) == Sent(
                mentioned("张三", "✅ 张三 已记下\n+ 草莓 现在共2盒\n订单：草莓2盒，合计¥50"), (room["张三"],)
            )
            await chats.check_no_repeats()

        assert dbview.orders(app) == {"张三": {"草莓": Decimal(2)}}
        first = dbview.inbound(app)[0]
        assert (first.text, first.outcome, first.handler) == ("红富士苹果2斤", "ignored", "disabled_group")
        app.engine.dispose()

    run(scenario())


def test_a_room_enabled_while_running_gets_its_scheduled_jobs(gateway: Gateway, tmp_path: Path) -> None:
    room = open_room(gateway, "新小区团购", ["管理员"])
    app = start_app(bot_settings(gateway, tmp_path, admins=(room["管理员"],)), ManualClock(MORNING))
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)  # jobs are planned, never run

    async def scenario() -> None:
        async with running(app):
            chats = Chats.from_now(gateway)
            await gateway.say(room["管理员"], "启用", room.id)
            await chats.next(room.id)

    try:
        keep_groups_in_line(app, scheduler)
        assert job_ids(scheduler) == []
        run(scenario())
        keep_groups_in_line(app, scheduler)
        # The room's daily jobs; a cutoff is planned once a campaign opens there.
        kinds = {job.split(":")[0] for job in job_ids(scheduler)}
        assert kinds == {"deals", "pickup-reminder", "weekly-report"}
    finally:
        scheduler.shutdown(wait=False)
        app.engine.dispose()


def test_a_leader_running_the_bot_on_their_own_account_leads_from_its_phone(
    gateway: Gateway, tmp_path: Path
) -> None:
    room = open_room(gateway, "团长自己号的群", ["张三"])
    gateway.call("POST", "/contacts", {"id": FILE_HELPER_ID, "name": "文件传输助手"})
    app = start_app(bot_settings(gateway, tmp_path, groups=(configured_group(room),)), ManualClock(MORNING))
    account = gateway.bot_id

    async def scenario() -> None:
        async with running(app, handle_own_messages=True):
            chats = Chats.from_now(gateway)
            # Typed on the phone of the bot's own account: the leader's.
            await gateway.say(account, "开团", room.id)
            assert (await chats.next(room.id)).text.startswith("🛒 11月22日团购")
            await gateway.say(room["张三"], "红富士苹果2斤", room.id)
            assert (await chats.next(room.id)).mention_ids == (room["张三"],)
            # A note to self, privately: the owner's own business, not the bot's.
            await gateway.say(account, "记得买菜")
            await gateway.say(account, "代 王奶奶 鸡蛋2板", room.id)
            assert (await chats.next(room.id)).text.startswith("✅ 已代王奶奶下单")
            await gateway.say(account, "截单", room.id)
            assert (await chats.next(room.id)).text.startswith("⏹ 11月22日团购已截单")
            # The leader's sorting list goes to the account's own 文件传输助手.
            assert "王奶奶(代)" in (await chats.next(FILE_HELPER_ID)).text
            await chats.check_no_repeats()

        # Only what was typed was handled; none of the bot's own sends came back as a message.
        handled = [(m.sender_id, m.text) for m in dbview.inbound(app)]
        assert handled == [
            (account, "开团"),
            (room["张三"], "红富士苹果2斤"),
            (account, "代 王奶奶 鸡蛋2板"),
            (account, "截单"),
        ]
        assert dbview.orders(app) == {"张三": {"红富士苹果": Decimal(2)}, "王奶奶": {"土鸡蛋": Decimal(2)}}
        app.engine.dispose()

    run(scenario())


# -- `tuanbot run` as a leader starts it -------------------------------------------------------


def write_config(tmp_path: Path, wechaty: dict[str, Any], groups: tuple[dict[str, Any], ...] = ()) -> Path:
    def entries(table: dict[str, Any]) -> list[str]:
        # A JSON string or number is a TOML one too.
        return [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()]

    lines = entries(
        {"database_url": f"sqlite:///{tmp_path / 'tuanbot.sqlite3'}", "data_dir": str(tmp_path / "data")}
    )
    for group in groups:
        lines += ["[[groups]]", *entries(group)]
    lines += ["[wechaty]"]
    lines += entries({"qr_png": str(tmp_path / "login-qr.png"), "connect_timeout_seconds": 10, **wechaty})
    path = tmp_path / "tuanbot.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class TuanbotRun:
    """`tuanbot run` in its own process, with what it prints kept in files."""

    process: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"tuanbot run never showed {what}; it printed:\n{self.stderr()}")
            time.sleep(0.1)

    def stop(self, signum: int) -> int:
        """Sends the signal; returns the exit code (the wait only guards against a hang)."""
        self.process.send_signal(signum)
        return self.process.wait(timeout=60)


@contextlib.contextmanager
def tuanbot_run(tmp_path: Path, config: Path) -> Iterator[TuanbotRun]:
    # Only the config file speaks: no endpoint or token from the environment running the tests.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUANBOT_", "WECHATY_"))}
    stdout_path, stderr_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "--config", str(config), "run"],
            cwd=tmp_path,
            stdout=out,
            stderr=err,
            env={**env, "PYTHONPATH": str(ROOT)},
        )
    try:
        yield TuanbotRun(process, stdout_path, stderr_path)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_tuanbot_run_shows_the_login_qr_serves_its_groups_and_stops_on_sigterm(
    start_own_gateway: StartGateway, tmp_path: Path
) -> None:
    gateway = start_own_gateway(secrets.token_hex(8), 0, "--manual-login")
    room = open_room(gateway, "幸福小区团购群", ["李团长"])
    group = {
        "name": room.topic,
        "chat_id": room.id,
        "leaders": [room["李团长"]],
        "catalog": str(DEMO_CATALOG),
    }
    config = write_config(tmp_path, {"endpoint": gateway.endpoint, "token": gateway.token}, (group,))
    qr_png = tmp_path / "login-qr.png"

    def scan_shown() -> bool:
        # Asked again until the bot is connected to hear it.
        gateway.call("POST", "/scan", {"qrcode": "https://login.weixin.qq.com/l/tuanbot-e2e"})
        return qr_png.exists()

    with tuanbot_run(tmp_path, config) as bot:
        bot.wait_for(scan_shown, "the login QR code")
        gateway.call("POST", "/login")
        bot.wait_for(lambda: "logged in to WeChat as tuanbot-bot" in bot.stderr(), "the login")
        seq = gateway.last_sent_seq()
        gateway.call("POST", "/say", {"talkerId": room["李团长"], "text": "开团", "roomId": room.id})
        bot.wait_for(lambda: gateway.last_sent_seq() > seq, "a reply to 开团")
        deals = gateway.call("GET", f"/sent?after={seq}")["sent"][0]
        exit_code = bot.stop(signal.SIGTERM)

    assert deals["conversationId"] == room.id and deals["text"].startswith("🛒 ")
    assert "Scan with WeChat to log in: https://login.weixin.qq.com/l/tuanbot-e2e" in bot.stdout()
    assert qr_png.read_bytes().startswith(b"\x89PNG")
    assert exit_code == 0
    assert "tuanbot: stopping" in bot.stderr() and "tuanbot: stopped." in bot.stderr()
    assert "Traceback" not in bot.stderr()


def test_tuanbot_run_says_when_the_service_is_unreachable_and_keeps_trying(tmp_path: Path) -> None:
    # Bound but not listening: connections are refused, and no other process can take the port.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        endpoint = f"127.0.0.1:{taken.getsockname()[1]}"
        config = write_config(tmp_path, {"endpoint": endpoint, "token": "secret"})
        with tuanbot_run(tmp_path, config) as bot:
            bot.wait_for(lambda: "retrying in 2s" in bot.stderr(), "a second retry")
            exit_code = bot.stop(signal.SIGINT)

    assert f"cannot reach the Wechaty puppet service at {endpoint}; retrying in 1s" in bot.stderr()
    assert exit_code == 0
    assert "tuanbot: stopped." in bot.stderr() and "Traceback" not in bot.stderr()


def test_tuanbot_run_refuses_to_start_without_an_endpoint(tmp_path: Path) -> None:
    config = write_config(tmp_path, {"token": "secret"})

    with tuanbot_run(tmp_path, config) as bot:
        exit_code = bot.process.wait(timeout=60)

    assert exit_code == 1
    assert "no Wechaty puppet service endpoint" in bot.stderr()
    assert "Traceback" not in bot.stderr()
    assert not (tmp_path / "tuanbot.sqlite3").exists()
