"""Rendering replies from the Jinja2 templates in `templates/`.

Messages are plain WeChat text, so autoescape is off; a missing variable is an error
(`StrictUndefined`) rather than a silent hole. A leader's own templates folder, when configured,
is searched first, so any message can be reworded without touching code. User text only ever
reaches a template as data, never as template source.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from models.types import plain_decimal

SHIPPED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def yuan(fen: int | None) -> str:
    """Integer fen as a price in yuan: 1290 → 12.9, 1200 → 12."""
    if fen is None:
        return ""
    value = plain_decimal(Decimal(fen) / 100)
    return f"{value}"


def qty(value: Decimal | int | float | None) -> str:
    """A quantity without trailing zeros: 2.000 → 2, 1.500 → 1.5."""
    if value is None:
        return ""
    return f"{plain_decimal(Decimal(str(value)))}"


class Renderer:
    """Renders a template name and its data to the text that will be sent."""

    def __init__(self, override_dir: str | Path | None = None) -> None:
        loaders = []
        if override_dir:
            loaders.append(FileSystemLoader(str(override_dir)))
        loaders.append(FileSystemLoader(str(SHIPPED_TEMPLATES)))
        self._env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=False,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            # Templates are read once; a leader who rewords one restarts the bot to see it.
            auto_reload=False,
        )
        self._env.filters["yuan"] = yuan
        self._env.filters["qty"] = qty

    def render(self, template: str, data: Mapping[str, Any]) -> str:
        name = template if template.endswith(".j2") else f"{template}.j2"
        return self._env.get_template(name).render(**data).strip()
