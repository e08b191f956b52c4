"""`tuanbot replay`: rebuild orders from an exported chat log."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import click

from bot.app import build_app
from bot.catalog_file import CatalogFileError, read_catalog_file
from bot.clock import ManualClock
from bot.config import Settings
from bot.replay import (
    ChatLogError,
    open_catalog_campaigns,
    orders_json,
    read_chat_log,
    replay_entries,
    settings_for_log,
)
from bot.transcript import print_transcript


def run_replay(
    settings: Settings, *, chatlog: str, catalog: str | None, as_json: bool, db: str | None, out: TextIO
) -> None:
    try:
        entries = read_chat_log(chatlog)
        specs = read_catalog_file(catalog) if catalog else []
    except (ChatLogError, CatalogFileError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not entries:
        raise click.ClickException(f"{chatlog}: no messages")
    if db is None:
        # A new database each run, unless --db says where to keep it.
        path = Path(tempfile.mkdtemp(prefix="tuanbot-replay-")) / "replay.sqlite3"
        settings = replace(settings, database_url=f"sqlite:///{path}")
    settings = settings_for_log(settings, entries)
    clock = ManualClock(entries[0].sent_at)
    app = build_app(settings, clock=clock, auto_enable_groups=True, instant_outbox=True)
    group_names = list(dict.fromkeys(entry.group for entry in entries))
    if specs:
        open_catalog_campaigns(app, group_names, specs, entries[0].sent_at)
    groups = replay_entries(app, clock, entries)
    if as_json:
        out.write(json.dumps(orders_json(app, group_names), ensure_ascii=False, indent=2) + "\n")
        return
    for group in groups:
        print_transcript(group.transcript, out, only_bot=True)
