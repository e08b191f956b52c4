"""Reading WeChat's 群接龙 card from its app-message XML; malformed input never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.events import JielongEntry
from bot.transports.jielong_xml import looks_like_jielong, parse_jielong_xml

HEADER = "#接龙\n4.17 周六水果团 🍑🍉\n例 1. 名字 品名 数量"
CARD = HEADER + "\n\n1. 张三 水蜜桃 2斤\n2. 3栋李哥 西瓜 1个\n备注：放门口\n3. 王五 葡萄 1串"


def utf16_span(text: str, part: str) -> str:
    """`part`'s "start-length" within `text`, counted in UTF-16 units as WeChat counts them."""
    start = len(text[: text.index(part)].encode("utf-16-le")) // 2
    return f"{start}-{len(part.encode('utf-16-le')) // 2}"


def entry(author: str, part: str, text: str = CARD) -> str:
    return f"<i><u>{author}</u><h>0</h><s>.</s><t>1718000000</t><r>{utf16_span(text, part)}</r></i>"


SOLITAIRE = (
    f"<solitaire><tt>{utf16_span(CARD, HEADER)}</tt><s>.</s><au>wxid_zhang</au><hrt>1</hrt><loss>0</loss>"
    "<content><s>3</s>"
    + entry("wxid_zhang", "张三 水蜜桃 2斤")
    + entry("wxid_li", "3栋李哥 西瓜 1个\n备注：放门口")
    + entry("wxid_wang", "王五 葡萄 1串")
    + "</content></solitaire>"
)


def card_xml(
    title: str = CARD, solitaire: str | None = SOLITAIRE, app_type: str = "53", cdata: bool = True
) -> str:
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if solitaire is None:
        extinfo = ""
    elif cdata:
        extinfo = f"<extinfo><solitaire_info><![CDATA[{solitaire}]]></solitaire_info></extinfo>"
    else:
        inner = solitaire.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        extinfo = f"<extinfo><solitaire_info>{inner}</solitaire_info></extinfo>"
    return (
        'wxid_wang:\n<?xml version="1.0"?>\n<msg>\n\t<appmsg appid="" sdkver="0">\n'
        f"\t\t<title>{escaped}</title>\n\t\t<des />\n\t\t<type>{app_type}</type>\n{extinfo}\n"
        "\t</appmsg>\n\t<fromusername>wxid_wang</fromusername>\n\t<scene>0</scene>\n</msg>\n"
    )


EXPECTED_ENTRIES = (
    JielongEntry(seq=1, author_id="wxid_zhang", text="张三 水蜜桃 2斤"),
    JielongEntry(seq=2, author_id="wxid_li", text="3栋李哥 西瓜 1个\n备注：放门口"),
    JielongEntry(seq=3, author_id="wxid_wang", text="王五 葡萄 1串"),
)


@pytest.mark.parametrize("cdata", [True, False], ids=["cdata", "escaped"])
def test_a_card_gives_its_header_entries_and_authors(cdata: bool) -> None:
    jielong = parse_jielong_xml(card_xml(cdata=cdata))
    assert jielong is not None
    assert jielong.title == HEADER
    assert jielong.text == CARD
    assert jielong.entries == EXPECTED_ENTRIES
    assert jielong.creator_id == "wxid_zhang"


def test_ranges_count_utf16_units_so_emoji_do_not_shift_entries() -> None:
    # 🍑 and 🍉 are two UTF-16 units each; counting code points would cut entries short.
    jielong = parse_jielong_xml(card_xml())
    assert jielong is not None
    assert jielong.entries[0].text == "张三 水蜜桃 2斤"


def test_without_solitaire_info_the_numbered_lines_are_the_entries() -> None:
    jielong = parse_jielong_xml(card_xml(solitaire=None))
    assert jielong is not None
    assert jielong.title == HEADER  # "4.17 …" is a date, not entry 4
    assert jielong.entries == tuple(JielongEntry(e.seq, None, e.text) for e in EXPECTED_ENTRIES)
    assert jielong.creator_id is None


def test_broken_solitaire_info_falls_back_to_the_numbered_lines() -> None:
    jielong = parse_jielong_xml(card_xml(solitaire="<solitaire><content><i><u>wxid_zhang"))
    assert jielong is not None
    assert [e.text for e in jielong.entries] == [e.text for e in EXPECTED_ENTRIES]


def test_an_entry_whose_range_is_out_of_bounds_keeps_its_author_and_reads_its_line() -> None:
    solitaire = SOLITAIRE.replace(utf16_span(CARD, "王五 葡萄 1串"), "9000-12")
    jielong = parse_jielong_xml(card_xml(solitaire=solitaire))
    assert jielong is not None
    assert jielong.entries[2] == JielongEntry(seq=3, author_id="wxid_wang", text="王五 葡萄 1串")


def test_an_appmsg_with_solitaire_info_but_another_type_is_still_a_jielong() -> None:
    assert parse_jielong_xml(card_xml(app_type="57")) is not None


@pytest.mark.parametrize(
    "content",
    [
        "",
        "1. 张三 苹果2斤",
        card_xml(solitaire=None, app_type="5"),  # a shared link
        card_xml()[:200],  # cut short
        "<msg><appmsg><type>53</type><title>x</title></appmsg>",  # unclosed
        '<?xml version="1.0"?><!DOCTYPE msg [<!ENTITY a "aaaa">]><msg><appmsg><type>53</type>'
        "<title>&a;</title></appmsg></msg>",
        "<msg><appmsg><type>53</type><title>" + "x" * 600_000 + "</title></appmsg></msg>",
    ],
    ids=["empty", "plain-text", "link", "truncated", "unclosed", "entities", "huge"],
)
def test_anything_else_is_not_a_jielong(content: str) -> None:
    assert parse_jielong_xml(content) is None


def test_the_cheap_check_spots_cards_and_ignores_chatter() -> None:
    assert looks_like_jielong(card_xml())
    assert looks_like_jielong(card_xml(solitaire=None))
    assert not looks_like_jielong("1. 张三 苹果2斤")
    assert not looks_like_jielong(card_xml(solitaire=None, app_type="5"))


@given(st.text())
def test_arbitrary_text_never_raises(content: str) -> None:
    parse_jielong_xml(content)


@given(st.integers(min_value=0, max_value=len(card_xml())), st.text(max_size=20))
def test_damaged_cards_never_raise(cut: int, noise: str) -> None:
    xml = card_xml()
    parse_jielong_xml(xml[:cut] + noise + xml[cut:])
