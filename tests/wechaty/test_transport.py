"""The Wechaty transport against a real PuppetServer hosting the mock puppet, over real gRPC.

Each test opens its own room in the session's gateway, makes members speak through the gateway's
control API, and checks what reached the transport's sink, or what the gateway recorded as sent.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import os
import signal
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.events import JielongEntry, OutgoingMessage
from bot.transports.wechaty import WechatyConnectError, WechatySendError, WechatyTransport, write_qr_png
from tests.wechaty.conftest import Connect, StartGateway
from tests.wechaty.support import Gateway, Inbox

pytestmark = pytest.mark.wechaty


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(scenario)


@dataclass
class Room:
    id: str
    topic: str
    ids: dict[str, str]  # member's WeChat name -> contact id


def open_room(gateway: Gateway, topic: str, members: list[tuple[str, str | None]]) -> Room:
    """A new room with the bot and these (name, room alias) members, under fresh contact ids."""
    people = [
        {"id": f"wxid_{uuid.uuid4().hex[:10]}", "name": name, "alias": alias} for name, alias in members
    ]
    room = gateway.create_room(topic, [{k: v for k, v in p.items() if v is not None} for p in people])
    return Room(id=room["id"], topic=topic, ids={str(p["name"]): str(p["id"]) for p in people})


async def eventually(condition: Callable[[], bool], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


def test_a_member_speaking_in_a_room_reaches_the_sink(gateway: Gateway, connect: Connect) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", "3栋张姐")])
    text = f"@{gateway.bot_name}\u2005苹果 2斤"

    async def scenario() -> None:
        async with connect() as (_, inbox):
            message_id = await gateway.say(room.ids["张三"], text, room.id, mentionBot=True)
            message = await inbox.wait_for_id(message_id)
        assert message.chat_id == room.id
        assert message.chat_name == "幸福里团购"
        assert message.is_group
        assert message.sender_id == room.ids["张三"]
        assert message.sender_name == "3栋张姐"
        assert message.text == text
        assert message.kind == "text"
        assert message.mentions_bot
        assert message.mention_ids == (gateway.bot_id,)
        assert abs(message.sent_at - datetime.now(UTC)) < timedelta(minutes=1)

    run(scenario())


@pytest.mark.parametrize(
    ("wire_type", "kind"), [("Audio", "voice"), ("Transfer", "transfer"), ("Recalled", "recalled")]
)
def test_voice_messages_transfers_and_recalls_arrive_as_their_kind(
    gateway: Gateway, connect: Connect, wire_type: str, kind: str
) -> None:
    room = open_room(gateway, "幸福里团购", [("王奶奶", None)])

    async def scenario() -> None:
        async with connect() as (_, inbox):
            message_id = await gateway.say(room.ids["王奶奶"], "", room.id, type=wire_type)
            message = await inbox.wait_for_id(message_id)
        assert (message.kind, message.sender_id, message.chat_id) == (kind, room.ids["王奶奶"], room.id)

    run(scenario())


def test_without_a_room_alias_the_sender_is_named_by_their_wechat_name(
    gateway: Gateway, connect: Connect
) -> None:
    room = open_room(gateway, "幸福里团购", [("李四", None)])

    async def scenario() -> None:
        async with connect() as (_, inbox):
            message = await inbox.wait_for_id(await gateway.say(room.ids["李四"], "+1", room.id))
        assert message.sender_name == "李四"
        assert not message.mentions_bot
        assert message.mention_ids == ()

    run(scenario())


def test_the_bots_own_messages_do_not_come_back(gateway: Gateway, connect: Connect) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", None)])

    async def scenario() -> None:
        async with connect() as (transport, inbox):
            assert await transport.send(OutgoingMessage(chat_id=room.id, text="今天的团购开始了")) is not None
            # Typed on the phone of the bot's own account: also the bot's own message.
            await gateway.say(gateway.bot_id, "我是团长，手机上发的", room.id)
            after = await gateway.say(room.ids["张三"], "收到", room.id)
            await inbox.wait_for_id(after)
        # Messages are delivered in order, so both of the bot's were seen and dropped by now.
        assert [m.message_id for m in inbox.messages] == [after]

    run(scenario())


def test_send_mentions_members_by_id_and_by_name(gateway: Gateway, connect: Connect) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", "3栋张姐"), ("李四", None)])
    zhang, li = room.ids["张三"], room.ids["李四"]

    async def scenario() -> None:
        async with connect() as (transport, _):
            seq = gateway.last_sent_seq()
            first = await transport.send(
                OutgoingMessage(chat_id=room.id, text="已登记：苹果 2斤", mention_ids=(zhang, li))
            )
            second = await transport.send(
                OutgoingMessage(chat_id=room.id, text="@3栋张姐 明天到货", mention_ids=(zhang,))
            )
            sent = await gateway.sent(after=seq)
        assert [
            (r["kind"], r["conversationId"], r["text"], r["mentionIds"], r["messageId"]) for r in sent
        ] == [
            ("text", room.id, "@3栋张姐\u2005@李四\u2005已登记：苹果 2斤", [zhang, li], first),
            ("text", room.id, "@3栋张姐 明天到货", [zhang], second),
        ]

    run(scenario())


def test_a_private_message_is_not_a_group_message(gateway: Gateway, connect: Connect) -> None:
    room = open_room(gateway, "幸福里团购", [("李四", "5栋李哥")])
    li = room.ids["李四"]

    async def scenario() -> None:
        async with connect() as (transport, inbox):
            message = await inbox.wait_for_id(await gateway.say(li, "团长，我明天不在家"))
            seq = gateway.last_sent_seq()
            reply_id = await transport.send(OutgoingMessage(chat_id=li, text="好的，帮你留着"))
            sent = await gateway.sent(after=seq)
        assert not message.is_group
        assert message.chat_id == li
        assert message.sender_id == li
        assert message.sender_name == message.chat_name == "李四"
        assert message.text == "团长，我明天不在家"
        assert [(r["conversationId"], r["text"], r["messageId"]) for r in sent] == [
            (li, "好的，帮你留着", reply_id)
        ]

    run(scenario())


def test_a_repeated_delivery_of_the_same_message_is_dropped(gateway: Gateway, connect: Connect) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", None)])
    zhang = room.ids["张三"]

    async def scenario() -> None:
        async with connect() as (_, inbox):
            first = await gateway.say(zhang, "1. 张三 苹果2斤", room.id)
            await gateway.acall("POST", "/redeliver", {"messageId": first})
            await gateway.acall("POST", "/redeliver", {"messageId": first})
            last = await gateway.say(zhang, "2. 张三 梨1斤", room.id)
            await inbox.wait_for_id(last)
        assert [m.message_id for m in inbox.messages] == [first, last]

    run(scenario())


def test_stop_disconnects_and_the_service_takes_a_new_connection(gateway: Gateway, tmp_path: Path) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", None)])

    async def scenario() -> None:
        transport = WechatyTransport(endpoint=gateway.endpoint, token=gateway.token, login_timeout=10)
        await transport.start(Inbox().receive)
        assert transport.running and transport.logged_in
        await transport.stop()
        assert not transport.running and not transport.logged_in
        with pytest.raises(WechatySendError):
            await transport.send(OutgoingMessage(chat_id=room.id, text="还在吗"))
        await transport.stop()  # stopping twice is harmless
        # The service accepts one event stream at a time: a new one means the old one was closed.
        inbox = Inbox()
        await transport.start(inbox.receive)
        try:
            await inbox.wait_for_id(await gateway.say(room.ids["张三"], "又来了", room.id))
        finally:
            await transport.stop()

    run(scenario())


def test_a_file_is_sent_with_its_bytes(gateway: Gateway, connect: Connect, tmp_path: Path) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", None)])
    sheet = tmp_path / "配货单.xlsx"
    sheet.write_bytes(os.urandom(30_000))

    async def scenario() -> None:
        async with connect() as (transport, _):
            seq = gateway.last_sent_seq()
            file_id = await transport.send(
                OutgoingMessage(chat_id=room.id, text="今天的配货单", file_path=str(sheet))
            )
            sent = await gateway.sent(after=seq)
        assert [r["kind"] for r in sent] == ["text", "file"]
        assert sent[0]["text"] == "今天的配货单"
        assert sent[1]["messageId"] == file_id
        assert sent[1]["file"] == {
            "name": "配货单.xlsx",
            "size": 30_000,
            "sha256": hashlib.sha256(sheet.read_bytes()).hexdigest(),
        }

    run(scenario())


@pytest.mark.parametrize(
    ("kind", "name", "size"),
    [("image", "退货.png", "small"), ("image", "退货.jpg", "large"), ("file", "订单.xlsx", "large")],
)
def test_an_image_or_file_arrives_saved_as_an_attachment(
    gateway: Gateway, connect: Connect, tmp_path: Path, kind: str, name: str, size: str
) -> None:
    # The service passes files of 20 KB or less inline and larger ones by reference.
    room = open_room(gateway, "幸福里团购", [("王五", None)])
    if size == "small":
        write_qr_png([[(x * y) % 3 == 0 for x in range(29)] for y in range(29)], tmp_path / "photo.png")
        content = (tmp_path / "photo.png").read_bytes()
    else:
        content = os.urandom(60_000)
    assert (len(content) <= 20 * 1024) == (size == "small")

    async def scenario() -> None:
        async with connect() as (_, inbox):
            reply = await gateway.acall(
                "POST",
                "/media",
                {
                    "roomId": room.id,
                    "talkerId": room.ids["王五"],
                    "kind": kind,
                    "name": name,
                    "base64": base64.b64encode(content).decode(),
                },
            )
            message = await inbox.wait_for_id(reply["messageId"])
        assert message.kind == kind
        assert message.attachment_path is not None
        assert Path(message.attachment_path).name.endswith(name)
        assert Path(message.attachment_path).read_bytes() == content

    run(scenario())


JIELONG_HEADER = "#接龙\n周六水果团 🍑 三点截单\n例 1. 名字 品名 数量"
JIELONG_TEXT = JIELONG_HEADER + "\n\n1. 张三 水蜜桃 2斤\n2. 3栋李哥 西瓜 1个\n备注：放门口"


def jielong_xml(text: str, entries: list[tuple[str, int, int]], creator: str) -> str:
    """A 群接龙 app message as WeChat sends it; ranges are "start-length" in UTF-16 units."""
    items = "".join(
        f"<i><u>{u}</u><h>0</h><s>.</s><t>1718000000</t><r>{s}-{n}</r></i>" for u, s, n in entries
    )
    solitaire = (
        f"<solitaire><tt>0-{_utf16_len(JIELONG_HEADER)}</tt><s>.</s>"
        f"<au>{creator}</au><content><s>{len(entries)}</s>{items}</content></solitaire>"
    )
    return (
        f'{creator}:\n<?xml version="1.0"?>\n<msg><appmsg appid="" sdkver="0">'
        f"<title>{_escape(text)}</title><des /><type>53</type>"
        f"<extinfo><solitaire_info><![CDATA[{solitaire}]]></solitaire_info></extinfo>"
        f"</appmsg><fromusername>{creator}</fromusername></msg>"
    )


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entry_span(text: str, entry: str) -> tuple[int, int]:
    return _utf16_len(text[: text.index(entry)]), _utf16_len(entry)


def test_a_jielong_card_arrives_with_its_entries_and_their_authors(
    gateway: Gateway, connect: Connect
) -> None:
    room = open_room(gateway, "幸福里团购", [("张三", None), ("李四", "3栋李哥")])
    zhang, li = room.ids["张三"], room.ids["李四"]
    first = _entry_span(JIELONG_TEXT, "张三 水蜜桃 2斤")
    second = _entry_span(JIELONG_TEXT, "3栋李哥 西瓜 1个\n备注：放门口")
    xml = jielong_xml(JIELONG_TEXT, [(zhang, *first), (li, *second)], creator=zhang)

    async def scenario() -> None:
        async with connect() as (_, inbox):
            reply = await gateway.acall("POST", "/jielong", {"roomId": room.id, "talkerId": li, "xml": xml})
            message = await inbox.wait_for_id(reply["messageId"])
        assert message.kind == "jielong"
        assert message.text == JIELONG_TEXT
        assert message.jielong_title == JIELONG_HEADER
        assert message.jielong_entries == (
            JielongEntry(seq=1, author_id=zhang, text="张三 水蜜桃 2斤"),
            JielongEntry(seq=2, author_id=li, text="3栋李哥 西瓜 1个\n备注：放门口"),
        )
        assert message.sender_name == "3栋李哥"

    run(scenario())


def test_a_login_qr_code_is_printed_and_saved(gateway: Gateway, connect: Connect, tmp_path: Path) -> None:
    terminal = io.StringIO()
    png = tmp_path / "qr" / "login.png"

    async def scenario() -> None:
        async with connect(qr_png_path=png, qr_out=terminal):
            await gateway.acall("POST", "/scan", {"qrcode": "https://login.weixin.qq.com/l/tuanbot-test"})
            await eventually(png.exists, timeout=10)

    run(scenario())
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "https://login.weixin.qq.com/l/tuanbot-test" in terminal.getvalue()
    assert "█" in terminal.getvalue()


def test_a_wrong_token_fails_start_with_a_clear_error(gateway: Gateway) -> None:
    async def scenario() -> None:
        transport = WechatyTransport(endpoint=gateway.endpoint, token="not-the-token", login_timeout=10)
        with pytest.raises(WechatyConnectError, match="rejected the token") as failure:
            await transport.start(Inbox().receive)
        assert "not-the-token" not in str(failure.value)
        assert not transport.running

    run(scenario())


def test_it_reconnects_when_the_service_restarts(start_own_gateway: StartGateway, connect: Connect) -> None:
    first = start_own_gateway("restart-token")

    async def scenario() -> None:
        async with connect(first) as (transport, inbox):
            await asyncio.to_thread(first.stop)
            await eventually(lambda: not transport.logged_in, timeout=10)
            with pytest.raises(WechatySendError):
                await transport.send(OutgoingMessage(chat_id="nobody", text="在吗"))
            second = await asyncio.to_thread(start_own_gateway, "restart-token", first.grpc_port)
            room = open_room(second, "重启后的群", [("张三", None)])
            await eventually(lambda: transport.logged_in, timeout=30)
            await inbox.wait_for_id(await second.say(room.ids["张三"], "还在吗", room.id))

    run(scenario())


def test_a_service_that_stops_answering_is_noticed_and_reconnected(
    start_own_gateway: StartGateway, connect: Connect
) -> None:
    frozen = start_own_gateway("freeze-token")

    async def scenario() -> None:
        async with connect(frozen, health_interval=0.3, call_timeout=1.0, connect_timeout=2.0) as (
            transport,
            inbox,
        ):
            os.kill(frozen.process.pid, signal.SIGSTOP)  # the connection stays open, nothing answers
            try:
                await eventually(lambda: not transport.logged_in, timeout=15)
            finally:
                os.kill(frozen.process.pid, signal.SIGCONT)
            await eventually(lambda: transport.logged_in, timeout=30)
            room = open_room(frozen, "解冻的群", [("张三", None)])
            await inbox.wait_for_id(await frozen.say(room.ids["张三"], "回来了", room.id))

    run(scenario())


def test_start_waits_for_the_qr_scan_login_and_notices_a_logout(
    start_own_gateway: StartGateway, connect: Connect, tmp_path: Path
) -> None:
    phone = start_own_gateway("login-token", 0, "--manual-login")
    png = tmp_path / "login.png"
    terminal = io.StringIO()

    async def scenario() -> None:
        transport = WechatyTransport(
            endpoint=phone.endpoint, token=phone.token, qr_png_path=png, qr_out=terminal, login_timeout=20
        )
        starting = asyncio.create_task(transport.start(Inbox().receive))
        try:
            await phone.acall("POST", "/scan", {"qrcode": "https://login.weixin.qq.com/l/scan-me"})
            await eventually(png.exists, timeout=10)
            assert not starting.done()  # still waiting for the scan to be confirmed
            await phone.acall("POST", "/login")
            await starting
            assert transport.logged_in and transport.self_id == phone.bot_id
            await phone.acall("POST", "/logout")
            await eventually(lambda: not transport.logged_in, timeout=10)
            with pytest.raises(WechatySendError):
                await transport.send(OutgoingMessage(chat_id=phone.bot_id, text="在吗"))
            await phone.acall("POST", "/login")
            await eventually(lambda: transport.logged_in, timeout=10)
        finally:
            await transport.stop()
        assert "https://login.weixin.qq.com/l/scan-me" in terminal.getvalue()

    run(scenario())


def test_start_gives_up_when_nobody_logs_in_within_the_login_timeout(start_own_gateway: StartGateway) -> None:
    phone = start_own_gateway("idle-token", 0, "--manual-login")

    async def scenario() -> None:
        transport = WechatyTransport(endpoint=phone.endpoint, token=phone.token, login_timeout=1.0)
        with pytest.raises(WechatyConnectError, match="did not log in within 1s"):
            await transport.start(Inbox().receive)
        assert not transport.running

    run(scenario())
