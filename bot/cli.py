"""The `tuanbot` command line.

Subcommands import what they need when they run, so `tuanbot --help` stays fast.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click


def _settings(ctx: click.Context) -> Any:
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings(ctx.obj.get("config"))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if ctx.obj.get("db"):
        from dataclasses import replace

        settings = replace(settings, database_url=ctx.obj["db"])
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), help="TOML config file (default: ./tuanbot.toml).")
@click.option(
    "--db", metavar="URL", help="Database URL, e.g. sqlite:///var/tuanbot.sqlite3 or postgresql+psycopg://…"
)
@click.option("-v", "--verbose", is_flag=True, help="Log what the bot does.")
@click.pass_context
def main(ctx: click.Context, config: str | None, db: str | None, verbose: bool) -> None:
    """tuanbot: a WeChat group-buying (社区团购) assistant."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.ensure_object(dict)
    ctx.obj.update(config=config, db=db, verbose=verbose)


@main.command()
@click.option(
    "--db-file", type=click.Path(dir_okay=False), help="SQLite file to create (default: a new temp file)."
)
@click.pass_context
def demo(ctx: click.Context, db_file: str | None) -> None:
    """Play one group's day in a simulated chat, on a fresh SQLite file."""
    from bot.demo import run_demo

    if not ctx.obj.get("verbose"):
        # The demo shows refusals in the chat itself; keep the log lines out of the transcript.
        logging.getLogger("bot.dispatcher").setLevel(logging.ERROR)
    run_demo(_settings(ctx), db_file=db_file, out=sys.stdout)


@main.command()
@click.option(
    "--catalog", type=click.Path(exists=True, dir_okay=False), help="Open this catalog as the campaign."
)
@click.option("--as", "speaker", default="张三", show_default=True, help="Who you speak as first.")
@click.option("--leader", default="李团长", show_default=True, help="The group's leader.")
@click.pass_context
def chat(ctx: click.Context, catalog: str | None, speaker: str, leader: str) -> None:
    """Chat with the bot as any member: type `名字> 消息`, or just the message."""
    from bot.chat_command import run_console

    run_console(_settings(ctx), catalog=catalog, speaker=speaker, leader=leader, db=ctx.obj.get("db"))


@main.command()
@click.argument("chatlog", type=click.Path(exists=True, dir_okay=False))
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False), help="Open this catalog first.")
@click.option("--json", "as_json", is_flag=True, help="Print only the resulting orders as JSON.")
@click.pass_context
def replay(ctx: click.Context, chatlog: str, catalog: str | None, as_json: bool) -> None:
    """Feed an exported chat log (JSON Lines) through the bot and print its replies."""
    from bot.replay_command import run_replay

    run_replay(
        _settings(ctx),
        chatlog=chatlog,
        catalog=catalog,
        as_json=as_json,
        db=ctx.obj.get("db"),
        out=sys.stdout,
    )


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--catalog", type=click.Path(exists=True, dir_okay=False), help="Catalog CSV/XLSX to match against."
)
@click.option("--json", "as_json", is_flag=True, help="Print the tally as JSON.")
@click.option("--xlsx", type=click.Path(dir_okay=False), help="Also write the tally to this spreadsheet.")
def tally(file: str, catalog: str | None, as_json: bool, xlsx: str | None) -> None:
    """Tally a pasted 接龙 or chat text: per-product totals and a per-person table."""
    from bot.tally_command import run_tally

    text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8", errors="replace")
    result = run_tally(text, catalog=catalog, xlsx=xlsx)
    if as_json:
        click.echo(json.dumps(result.as_json, ensure_ascii=False, indent=2))
    else:
        click.echo(result.as_text)


@main.command()
@click.option("--qr-png", type=click.Path(dir_okay=False), help="Where to save the login QR code (PNG).")
@click.option(
    "--own-account",
    is_flag=True,
    default=None,
    help="The bot runs on the leader's own WeChat: what they type on its phone counts as the leader's.",
)
@click.pass_context
def run(ctx: click.Context, qr_png: str | None, own_account: bool | None) -> None:
    """Run the bot in real WeChat groups through a Wechaty puppet service."""
    from bot.run_command import run_bot

    run_bot(_settings(ctx), qr_png=qr_png, handle_own_messages=own_account)


@main.group()
def db() -> None:
    """Database schema: create or upgrade it with the migrations."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create the schema, or bring it up to date; safe to run again."""
    from models.db import make_engine
    from models.schema import current_revision, upgrade

    engine = make_engine(_settings(ctx).database_url)
    try:
        upgrade(engine)
        click.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.pass_context
def backup(ctx: click.Context, out: str) -> None:
    """Write a consistent copy of the database (SQLite backup API, or pg_dump) while the bot runs."""
    from bot.backup import BackupError
    from bot.backup import backup as write_backup

    try:
        path = write_backup(_settings(ctx).database_url, Path(out))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written to {path}")


@main.command()
@click.option("--group", "group_name", required=True, help="The group's name (or room id).")
@click.argument("out", type=click.Path(dir_okay=False))
@click.pass_context
def export(ctx: click.Context, group_name: str, out: str) -> None:
    """Write a group's members, orders and returns to an XLSX spreadsheet."""
    from bot.export_command import ExportError, export_group
    from models.db import make_engine

    engine = make_engine(_settings(ctx).database_url)
    try:
        counts = export_group(engine, group_name, Path(out))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"{out}: " + ", ".join(f"{sheet} {n}" for sheet, n in counts.items()))
