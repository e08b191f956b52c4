"""normalize_text: one clean form of chat text."""

from __future__ import annotations

import pytest

from handlers.reading import normalize_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("张三\ufff0 苹果2斤", "张三 苹果2斤"),  # U+FFF0 from some clients
        ("张\u200b三\u200c", "张三"),  # zero-width space and non-joiner
        ("\ufeff#接龙", "#接龙"),  # byte-order mark
        ("李\u2060四", "李四"),  # word joiner
        ("王五\u200e\u200f\u202a\u202c", "王五"),  # bidi marks
        ("１２３ｋｇ", "123kg"),  # full-width digits and letters
        ("苹果＋香蕉＊２", "苹果+香蕉*2"),  # full-width operators
        ("张三\u3000苹果", "张三 苹果"),  # ideographic space
        ("a\r\nb\rc\u2028d", "a\nb\nc\nd"),  # every kind of line break
        ("价格：１６.９（原味）", "价格：16.9（原味）"),  # Chinese punctuation kept
        ("🏃\u200d♀️", "🏃\u200d♀️"),  # a joiner inside an emoji sequence stays
        ("a\x00b\x07c", "a b c"),  # control characters become spaces
        ("行尾空格   \n下一行", "行尾空格\n下一行"),
    ],
)
def test_normalize_text(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean
