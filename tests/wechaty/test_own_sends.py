"""Telling the echoes of the bot's own sends from messages typed on the phone of the same account."""

from __future__ import annotations

from bot.transports.wechaty import _OwnSends

ROOM = "r1@chatroom"


def test_an_echo_that_arrives_before_the_send_returns_is_known_by_its_text() -> None:
    sends = _OwnSends()
    sends.expect(ROOM, ["@张三\u2005✅ 张三 已记下", "✅ 张三 已记下"])
    assert sends.claim("m1", ROOM, "@张三\u2005✅ 张三 已记下")
    # Claimed once: the same words typed afterwards are a person's.
    assert not sends.claim("m2", ROOM, "@张三\u2005✅ 张三 已记下")


def test_an_echo_is_known_by_its_id_once_the_send_returned_it() -> None:
    sends = _OwnSends()
    sends.expect(ROOM, ["开团啦"]).message_id = "m1"
    assert sends.claim("m1", ROOM, "a puppet may echo other words")


def test_an_echo_of_the_body_alone_or_with_other_spacing_is_known() -> None:
    sends = _OwnSends()
    sends.expect(ROOM, ["@张三\u2005✅ 张三 已记下", "✅ 张三 已记下"])
    assert sends.claim("m1", ROOM, "✅  张三 已记下 ")


def test_the_same_words_typed_in_another_room_are_a_persons() -> None:
    sends = _OwnSends()
    sends.expect(ROOM, ["截单"])
    assert not sends.claim("m1", "r2@chatroom", "截单")


def test_a_send_is_forgotten_after_its_time() -> None:
    sends = _OwnSends(ttl=0)
    sends.expect(ROOM, ["截单"])
    assert not sends.claim("m1", ROOM, "截单")
