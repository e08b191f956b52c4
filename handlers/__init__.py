"""Every capability of the bot, wired in one place in priority order: the first match handles."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.base import Route


def all_routes() -> list[Route]:
    """The routes in priority order: commands first, then 接龙, answers to questions, free text."""
    # Imported here, not at module level, so that `handlers.reading` (the pure reader, used alone by
    # `tuanbot tally`) can be imported without loading the database layer.
    from handlers import (
        admin,
        arrival,
        campaign,
        catalog_admin,
        export,
        jielong,
        money,
        orders,
        proxy,
        questions,
        recall,
        repeat_order,
        returns,
        voice,
    )

    return [
        *recall.ROUTES,
        *admin.ROUTES,
        *campaign.ROUTES,
        *catalog_admin.ROUTES,
        *proxy.ROUTES,
        *arrival.ROUTES,
        *returns.ROUTES,
        *voice.ROUTES,
        *money.ROUTES,
        *export.ROUTES,
        *jielong.ROUTES,
        *questions.ROUTES,
        *admin.FALLBACK_ROUTES,
        *repeat_order.ROUTES,
        *orders.ROUTES,
    ]
