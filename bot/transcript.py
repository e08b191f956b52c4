"""Printing a simulated chat as a readable transcript."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from bot.simulation import Line


def format_line(line: Line) -> str:
    where = f"[{line.chat}] " if line.chat.startswith("私聊") else ""
    marker = "🤖 " if line.from_bot else ""
    body = line.text.replace("\n", "\n    ")
    return f"{where}{marker}{line.speaker}: {body}"


def print_transcript(lines: Sequence[Line], out: TextIO, *, only_bot: bool = False) -> None:
    for line in lines:
        if only_bot and not line.from_bot:
            continue
        out.write(format_line(line) + "\n")
