"""`tuanbot run`: the bot in real WeChat groups, through a Wechaty puppet service.

The leader's WeChat account is logged in to a puppet service (padlocal, xp, ...). This command
connects to it, prints the login QR code when the service asks for a scan, and serves every room:
configured rooms (by room id or topic) at once, other rooms once a leader or admin says 启用. It
retries with backoff while the service cannot be reached, saying so on stderr, and stops within
about 5 seconds on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import click
from apscheduler.schedulers.base import BaseScheduler
from sqlmodel import Session, select

from bot import scheduler as bot_scheduler
from bot.app import App, build_app
from bot.catalog_file import CatalogFileError, read_catalog_file
from bot.config import GroupSettings, Settings
from bot.dispatcher import apply_configuration
from bot.runtime import BotRuntime
from bot.transports.wechaty import WechatyConnectError, WechatyTransport
from bot.transports.wechaty_compat import split_endpoint
from models.catalog import list_products, upsert_products
from models.groups import ensure_group
from models.tables import Group

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0
# What is left of the 5 s a stop may take once the transport and the sending loop are told.
STOP_TIMEOUT_SECONDS = 4.5
# How often rooms enabled while running get their scheduled jobs, and configured rooms first
# seen by topic get their catalog.
UPKEEP_SECONDS = 60.0


def run_bot(
    settings: Settings,
    *,
    qr_png: str | None,
    handle_own_messages: bool | None = None,
    status: TextIO | None = None,
) -> None:
    """Run the bot until Ctrl-C or SIGTERM; raises click.ClickException when it cannot start.

    `handle_own_messages`: the leader runs the bot on their own WeChat account, so what they type
    on that phone in a room is handled as the leader's, while the bot's own sends are not.
    """
    out = status or sys.stderr
    if handle_own_messages is None:
        handle_own_messages = settings.wechaty.handle_own_messages
    _check_settings(settings)
    app = build_app(settings, auto_enable_groups=False)
    keep_groups_in_line(app)
    transport = build_transport(app, qr_png=qr_png, handle_own_messages=handle_own_messages, status=out)
    scheduler = bot_scheduler.start(app)
    try:
        asyncio.run(_main(app, transport, scheduler, out))
    finally:
        scheduler.shutdown(wait=False)
        app.engine.dispose()
    print("tuanbot: stopped.", file=out, flush=True)


def _check_settings(settings: Settings) -> None:
    """Refuse, before anything starts, to run without a usable endpoint, token and catalogs."""
    wechaty = settings.wechaty
    if not wechaty.endpoint:
        raise click.ClickException(
            'no Wechaty puppet service endpoint: set `endpoint = "host:port"` under [wechaty] in '
            "tuanbot.toml, or TUANBOT_WECHATY_ENDPOINT (the puppet service of your WeChat account)"
        )
    if not wechaty.token:
        raise click.ClickException(
            "no Wechaty puppet service token: set `token` under [wechaty] in tuanbot.toml, "
            "or TUANBOT_WECHATY_TOKEN"
        )
    try:
        split_endpoint(wechaty.endpoint)
    except ValueError as exc:
        raise click.ClickException(f"the Wechaty endpoint in the settings is not usable: {exc}") from exc
    for group in settings.groups:
        if group.catalog:
            try:
                read_catalog_file(group.catalog)
            except CatalogFileError as exc:
                raise click.ClickException(f"group {group.name}: {exc}") from exc


def build_transport(
    app: App,
    *,
    qr_png: str | None = None,
    handle_own_messages: bool = False,
    status: TextIO | None = None,
    login_timeout: float | None = None,
) -> WechatyTransport:
    """The transport `tuanbot run` uses, from the app's settings; it waits for the QR scan
    for as long as it takes unless `login_timeout` is given."""
    wechaty = app.settings.wechaty
    lead = own_account_leader(app) if handle_own_messages else None
    out = status or sys.stderr
    return WechatyTransport(
        endpoint=wechaty.endpoint,
        token=wechaty.token,
        connect_timeout=wechaty.connect_timeout_seconds,
        login_timeout=login_timeout,
        qr_png_path=Path(qr_png or wechaty.qr_png),
        attachment_dir=Path(app.settings.data_dir) / "attachments",
        handle_own_messages=handle_own_messages,
        on_login=lambda account_id: _logged_in(account_id, lead, out),
    )


def _logged_in(account_id: str, lead: Callable[[str], None] | None, out: TextIO) -> None:
    if lead is not None:
        lead(account_id)
    print(
        f"tuanbot: logged in to WeChat as {account_id}; serving its groups. Ctrl-C stops.",
        file=out,
        flush=True,
    )


async def _main(app: App, transport: WechatyTransport, scheduler: BaseScheduler, out: TextIO) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _on_signal, stop, out)
    upkeep = asyncio.create_task(_upkeep(app, scheduler, stop), name="tuanbot-upkeep")
    try:
        await serve(app, transport, stop=stop, status=out)
    finally:
        upkeep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await upkeep
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _on_signal(stop: asyncio.Event, out: TextIO) -> None:
    if not stop.is_set():
        print("tuanbot: stopping…", file=out, flush=True)
    stop.set()


async def serve(
    app: App,
    transport: WechatyTransport,
    *,
    stop: asyncio.Event,
    status: TextIO | None = None,
    first_retry: float = FIRST_RETRY_SECONDS,
) -> None:
    """Run the bot on `transport` until `stop` is set, retrying the connection with backoff.

    Once logged in, lost connections are the transport's to retry; this retries the first connect
    and login, which fail when the service is down, refuses the token, or nobody scans the code.
    """
    out = status or sys.stderr
    delay = first_retry
    while not stop.is_set():
        print(
            f"tuanbot: connecting to the Wechaty puppet service at {transport.endpoint}…",
            file=out,
            flush=True,
        )
        runtime = BotRuntime(app, transport)
        running = asyncio.create_task(runtime.run(), name="tuanbot-runtime")
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not running.done():
            await _stop_runtime(runtime, running, transport)
            return
        error = running.exception()
        if not isinstance(error, WechatyConnectError):
            # Anything else is a bug, to be seen rather than retried.
            raise error or RuntimeError("the bot stopped without being asked to")
        print(f"tuanbot: {error}; retrying in {delay:g}s (Ctrl-C stops)", file=out, flush=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=delay)
        delay = min(delay * 2, MAX_RETRY_SECONDS)


async def _stop_runtime(
    runtime: BotRuntime, running: asyncio.Task[None], transport: WechatyTransport
) -> None:
    runtime.stop_event.set()
    if not transport.logged_in:
        # Still connecting or waiting for the QR scan, where the runtime does not look at its event.
        running.cancel()
    done, _ = await asyncio.wait({running}, timeout=STOP_TIMEOUT_SECONDS)
    if not done:
        log.warning("the bot did not stop within %gs; leaving anyway", STOP_TIMEOUT_SECONDS)
    elif not running.cancelled() and running.exception() is not None:
        log.error("the bot stopped with an error: %s", running.exception())


async def _upkeep(app: App, scheduler: BaseScheduler, stop: asyncio.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=UPKEEP_SECONDS)
        if not stop.is_set():
            try:
                await asyncio.to_thread(keep_groups_in_line, app, scheduler)
            except Exception:
                log.exception("keeping the groups' catalogs and jobs up to date failed")


def keep_groups_in_line(app: App, scheduler: BaseScheduler | None = None) -> None:
    """Give each configured group its configured times and, if it has none yet, its catalog; then
    bring the scheduled jobs in line with the enabled groups (rooms enabled with 启用 included).

    A catalog is loaded only into a group with no products, so the leader's own changes (上架,
    改价, ...) survive restarts. A group configured by topic is found once its room has spoken;
    one configured by room id is created, enabled, at once.
    """
    with Session(app.engine) as session:
        for configured in app.settings.groups:
            group = _configured_group(app, session, configured)
            if group is None or group.id is None:
                continue
            apply_configuration(group, configured)
            if configured.catalog:
                _stock_catalog(session, group.id, configured)
        session.commit()
    if scheduler is not None:
        bot_scheduler.sync_group_jobs(scheduler, app)


def _configured_group(app: App, session: Session, configured: GroupSettings) -> Group | None:
    if configured.chat_id:
        return ensure_group(
            session=session,
            chat_id=configured.chat_id,
            name=configured.name,
            now=app.clock(),
            enabled=True,
            pickup_place=configured.pickup_place,
            instance=app.settings.instance,
        )
    return session.exec(
        select(Group).where(Group.name == configured.name, Group.instance == app.settings.instance)
    ).first()


def _stock_catalog(session: Session, group_id: int, configured: GroupSettings) -> None:
    if list_products(session=session, group_id=group_id, active_only=False):
        return
    try:
        specs = read_catalog_file(configured.catalog)
    except CatalogFileError as exc:
        log.error("the catalog of group %s cannot be loaded: %s", configured.name, exc)
        return
    upsert_products(session=session, group_id=group_id, specs=specs)
    log.warning("loaded %d products from %s into group %s", len(specs), configured.catalog, configured.name)


def own_account_leader(app: App) -> Callable[[str], None]:
    """What to do at login when the leader runs the bot on their own account: that account
    becomes an admin, so what is typed on its phone counts as the leader's in every room.

    The account's id is known only at login, after the app is built (the transport calls this
    before delivering any message that follows the login).
    """

    def lead(account_id: str) -> None:
        if account_id in app.settings.admins:
            return
        app.settings = replace(app.settings, admins=(*app.settings.admins, account_id))
        app.dispatcher.add_admin(account_id)
        log.warning("messages typed on the phone of %s are handled as the leader's", account_id)

    return lead
