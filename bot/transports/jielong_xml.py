"""Reads WeChat's own 群接龙 card: an app message (appmsg type 53) whose XML carries the list.

The card's `<title>` holds the whole list as members see it. Its `<extinfo><solitaire_info>`
holds a second XML document describing that text: `<tt>` is the header's range, and each
`<content><i>` is one entry with its author's id (`<u>`) and its text's range (`<r>`). A range
is `start-length` in UTF-16 code units, since the WeChat client measures Java strings.

Parsing never raises: anything that is not a readable 群接龙 gives None, and a card whose
solitaire_info is missing or broken falls back to splitting the title's numbered lines.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from bot.events import JielongEntry

JIELONG_APP_TYPE = "53"
# A real card is a few KB; refuse anything absurd before handing it to the XML parser.
MAX_XML_CHARS = 512 * 1024
# "3. 王五 2份" starts entry 3; "4.17健康打卡" (a date) does not.
_NUMBERED_LINE = re.compile(r"^\s*(\d{1,4})\s*[.、．](?!\d)\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Jielong:
    """A parsed 群接龙 card: its header text, its entries, and who started it."""

    title: str
    text: str
    entries: tuple[JielongEntry, ...]
    creator_id: str | None = None


def looks_like_jielong(content: str) -> bool:
    """Cheap pre-check: could `content` be a 群接龙 app message at all?"""
    return "<appmsg" in content and ("solitaire_info" in content or "<type>53</type>" in content)


def parse_jielong_xml(content: str) -> Jielong | None:
    """The 群接龙 in an app message's XML, or None when it is not one (or cannot be read)."""
    appmsg = _find_appmsg(content)
    if appmsg is None:
        return None
    solitaire = _parse_fragment(appmsg.findtext("extinfo/solitaire_info") or "")
    if (appmsg.findtext("type") or "").strip() != JIELONG_APP_TYPE and solitaire is None:
        return None
    text = appmsg.findtext("title") or ""
    fallback_title, fallback_entries = _split_numbered_lines(text)
    if solitaire is None:
        return Jielong(title=fallback_title, text=text, entries=fallback_entries)
    title = _slice_range(text, solitaire.findtext("tt")) or fallback_title
    entries = _solitaire_entries(text, solitaire, fallback_entries)
    creator = (solitaire.findtext("au") or "").strip() or None
    return Jielong(title=title.strip(), text=text, entries=entries or fallback_entries, creator_id=creator)


def _find_appmsg(content: str) -> ET.Element | None:
    # Group messages may arrive as "wxid_sender:\n<?xml ...><msg>...".
    start = content.find("<")
    if start < 0:
        return None
    root = _parse_fragment(content[start:])
    if root is None:
        return None
    return root if root.tag == "appmsg" else root.find(".//appmsg")


def _parse_fragment(xml_text: str) -> ET.Element | None:
    xml_text = xml_text.strip()
    # WeChat's XML never declares entities; refusing DTDs rules out entity-expansion tricks.
    if not xml_text or len(xml_text) > MAX_XML_CHARS or "<!DOCTYPE" in xml_text or "<!ENTITY" in xml_text:
        return None
    try:
        return ET.fromstring(xml_text)
    except ET.ParseError:
        return None


def _solitaire_entries(
    text: str, solitaire: ET.Element, fallback: tuple[JielongEntry, ...]
) -> tuple[JielongEntry, ...]:
    by_seq = {entry.seq: entry.text for entry in fallback}
    entries = []
    for seq, item in enumerate(solitaire.findall("content/i"), start=1):
        author = (item.findtext("u") or "").strip() or None
        entry_text = _slice_range(text, item.findtext("r"))
        if entry_text is None:
            entry_text = by_seq.get(seq, "")
        entries.append(JielongEntry(seq=seq, author_id=author, text=entry_text.strip()))
    return tuple(entries)


def _slice_range(text: str, span: str | None) -> str | None:
    """`text[start:start+length]` for a "start-length" span in UTF-16 code units; None if invalid."""
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", span or "")
    if match is None:
        return None
    start, length = int(match.group(1)), int(match.group(2))
    units = text.encode("utf-16-le")
    if (start + length) * 2 > len(units):
        return None
    return units[start * 2 : (start + length) * 2].decode("utf-16-le", errors="replace")


def _split_numbered_lines(text: str) -> tuple[str, tuple[JielongEntry, ...]]:
    """Header lines before the first "N." line, then one entry per numbered line."""
    header: list[str] = []
    entries: list[tuple[int, list[str]]] = []
    for line in text.splitlines():
        match = _NUMBERED_LINE.match(line)
        if match:
            entries.append((int(match.group(1)), [match.group(2)]))
        elif entries:
            entries[-1][1].append(line)
        else:
            header.append(line)
    parsed = tuple(
        JielongEntry(seq=seq, author_id=None, text="\n".join(lines).strip()) for seq, lines in entries
    )
    return "\n".join(header).strip(), parsed
