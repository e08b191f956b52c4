"""Assembling the bot from settings: engine, renderer, outbox and dispatcher."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from sqlalchemy import Engine

from bot.clock import Clock, system_clock
from bot.config import OutboxSettings, Settings
from bot.dispatcher import Dispatcher
from bot.outbox import Outbox
from bot.rendering import Renderer
from handlers import all_routes
from models.db import make_engine
from models.schema import upgrade

# The simulator and tests send at once: no pacing, no merge wait, no jitter.
INSTANT_OUTBOX = OutboxSettings(
    group_interval_seconds=0, jitter_seconds=0, merge_window_seconds=0, per_minute=10**6
)


@dataclass
class App:
    settings: Settings
    engine: Engine
    renderer: Renderer
    outbox: Outbox
    dispatcher: Dispatcher
    clock: Clock


def build_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    auto_enable_groups: bool = False,
    instant_outbox: bool = False,
    rng: random.Random | None = None,
    migrate: bool = True,
) -> App:
    """Everything the bot needs to handle messages; the caller chooses the transport."""
    if instant_outbox:
        settings = replace(
            settings,
            outbox=replace(
                INSTANT_OUTBOX, max_chars=settings.outbox.max_chars, max_mentions=settings.outbox.max_mentions
            ),
        )
    clock = clock or system_clock(settings.timezone)
    engine = engine or make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    renderer = Renderer(settings.templates_dir or None)
    outbox = Outbox(engine, settings.outbox, clock, rng)
    dispatcher = Dispatcher(
        engine=engine,
        settings=settings,
        routes=all_routes(),
        renderer=renderer,
        outbox=outbox,
        clock=clock,
        auto_enable_groups=auto_enable_groups,
    )
    return App(
        settings=settings, engine=engine, renderer=renderer, outbox=outbox, dispatcher=dispatcher, clock=clock
    )
