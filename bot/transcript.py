"""Printing a simulated chat as a readable transcript."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from bot.simulation import Line

CHAIN_MARK = "#接龙"


def format_line(line: Line, shown_text: str | None = None) -> str:
    where = f"[{line.chat}] " if line.chat.startswith("私聊") else ""
    marker = "🤖 " if line.from_bot else ""
    body = (shown_text if shown_text is not None else line.text).replace("\n", "\n      ")
    when = f"{line.at} " if line.at else ""
    return f"{when}{where}{marker}{line.speaker}: {body}"


def shorten_repost(text: str, previous: str | None) -> str:
    """A 接龙 repost shown as its first line, the count of lines already seen, and what is new."""
    if previous is None or not text.startswith(CHAIN_MARK):
        return text
    seen = set(previous.split("\n"))
    lines = text.split("\n")
    new = [line for line in lines[1:] if line not in seen]
    unchanged = len(lines) - 1 - len(new)
    if unchanged < 3:
        return text
    return "\n".join([lines[0], f"…（同上 {unchanged} 行）", *new])


def print_transcript(
    lines: Sequence[Line],
    out: TextIO,
    *,
    only_bot: bool = False,
    shorten_reposts: bool = False,
    spaced: bool = False,
) -> None:
    previous_chain: str | None = None
    previous_day = ""
    for line in lines:
        if line.day and previous_day and line.day != previous_day:
            out.write(f"—— {line.day} ——\n\n" if spaced else f"—— {line.day} ——\n")
        previous_day = line.day or previous_day
        if only_bot and not line.from_bot:
            continue
        shown = None
        if shorten_reposts and not line.from_bot and line.text.startswith(CHAIN_MARK):
            shown = shorten_repost(line.text, previous_chain)
            previous_chain = line.text
        out.write(format_line(line, shown) + ("\n\n" if spaced else "\n"))
