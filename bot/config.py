"""Settings: documented defaults, overridden by a TOML file, overridden by environment variables.

Precedence, lowest first: the defaults below, the file named by `--config` or `TUANBOT_CONFIG`
(default `tuanbot.toml` in the working directory, if present), then `TUANBOT_*` variables.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_FILE = "tuanbot.toml"


@dataclass(frozen=True)
class OutboxSettings:
    """How the bot paces sending, so a personal WeChat account is not restricted as a spammer."""

    # At most this many messages a minute from the whole account.
    per_minute: int = 40
    # At least this long between two messages to the same group, plus up to `jitter_seconds`.
    group_interval_seconds: float = 3.0
    jitter_seconds: float = 2.0
    # Confirmations queued within this window for the same group are merged into one message.
    merge_window_seconds: float = 8.0
    # WeChat cuts long texts; split below its limit.
    max_chars: int = 1500
    # At most this many @mentions in one message; longer lists go out in batches.
    max_mentions: int = 20


@dataclass(frozen=True)
class WechatySettings:
    """Where the Wechaty puppet service for the leader's account is."""

    endpoint: str = ""
    token: str = ""
    qr_png: str = "var/login-qr.png"
    # Seconds to wait for the puppet service before saying it is unreachable.
    connect_timeout_seconds: float = 30.0
    # The leader runs the bot on their own WeChat account: what they type on its phone in a room
    # is handled as the leader's (the bot's own sends still are not). No environment variable:
    # a string "false" would read as true.
    handle_own_messages: bool = False


@dataclass(frozen=True)
class GroupSettings:
    """A WeChat group the bot serves, matched by room id or by topic."""

    name: str
    chat_id: str = ""
    leaders: tuple[str, ...] = ()
    pickup_place: str = ""
    deal_post_time: str = "08:00"
    cutoff_time: str = "20:00"
    pickup_reminder_time: str = "19:00"
    catalog: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything the bot can be told, with a default for each."""

    database_url: str = "sqlite:///var/tuanbot.sqlite3"
    # Names this bot process when several (one per WeChat account) share one database.
    instance: str = "default"
    timezone: str = "Asia/Shanghai"
    # A leader's own folder of templates; a file there overrides the shipped one of the same name.
    templates_dir: str = ""
    # Where exports (XLSX) and saved images go.
    data_dir: str = "var"
    # Commission the leader earns, in basis points of sales (100 = 1%), unless a product says otherwise.
    commission_bp: int = 1000
    # A different rate for a category of products (the `category` column of the catalog), e.g.
    # [commission_categories] 水果 = 800. A product's own rate, when set, wins over both.
    commission_categories: dict[str, int] = field(default_factory=dict)
    # WeChat ids that may enable the bot in any room; they lead the rooms they enable.
    admins: tuple[str, ...] = ()
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    wechaty: WechatySettings = field(default_factory=WechatySettings)
    groups: tuple[GroupSettings, ...] = ()

    def group_config(self, chat_id: str, name: str) -> GroupSettings | None:
        """The configured group for a room: by its id, or by its topic when no id is configured."""
        for group in self.groups:
            if (group.chat_id and group.chat_id == chat_id) or (not group.chat_id and group.name == name):
                return group
        return None

    def leaders_for(self, chat_id: str, name: str) -> tuple[str, ...]:
        """The WeChat ids that lead a room by configuration: its leaders and the admins."""
        configured = self.group_config(chat_id, name)
        return (configured.leaders if configured else ()) + self.admins


_ENV_OVERRIDES: dict[str, tuple[str, ...]] = {
    "TUANBOT_DB_URL": ("database_url",),
    "TUANBOT_TIMEZONE": ("timezone",),
    "TUANBOT_INSTANCE": ("instance",),
    "TUANBOT_TEMPLATES_DIR": ("templates_dir",),
    "TUANBOT_DATA_DIR": ("data_dir",),
    "TUANBOT_WECHATY_ENDPOINT": ("wechaty", "endpoint"),
    "TUANBOT_WECHATY_TOKEN": ("wechaty", "token"),
    # The names python-wechaty itself reads are honoured too, so existing setups keep working.
    "WECHATY_PUPPET_SERVICE_ENDPOINT": ("wechaty", "endpoint"),
    "WECHATY_PUPPET_SERVICE_TOKEN": ("wechaty", "token"),
}


class ConfigError(ValueError):
    """The configuration file or an environment variable says something we cannot use."""


def load_settings(path: str | Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings from defaults, the TOML file and the environment."""
    env = dict(os.environ if environ is None else environ)
    config_path = Path(path or env.get("TUANBOT_CONFIG") or DEFAULT_CONFIG_FILE)
    raw: dict[str, Any] = {}
    if config_path.is_file():
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: {exc}") from exc
    elif path is not None:
        raise ConfigError(f"config file not found: {config_path}")
    settings = _settings_from_mapping(raw)
    for variable, target in _ENV_OVERRIDES.items():
        if env.get(variable):
            settings = _override(settings, target, env[variable])
    return settings


def _settings_from_mapping(raw: dict[str, Any]) -> Settings:
    top = {k: v for k, v in raw.items() if k not in {"outbox", "wechaty", "groups"}}
    categories = top.get("commission_categories", {})
    if not isinstance(categories, dict) or not all(isinstance(v, int) for v in categories.values()):
        raise ConfigError("[commission_categories] maps a category to a whole number of basis points")
    _reject_unknown(Settings, top, "top level")
    outbox = raw.get("outbox", {})
    wechaty = raw.get("wechaty", {})
    _reject_unknown(OutboxSettings, outbox, "[outbox]")
    _reject_unknown(WechatySettings, wechaty, "[wechaty]")
    groups = []
    for entry in raw.get("groups", []):
        _reject_unknown(GroupSettings, entry, "[[groups]]")
        if "name" not in entry:
            raise ConfigError("every [[groups]] entry needs a name")
        groups.append(GroupSettings(**{**entry, "leaders": tuple(entry.get("leaders", ()))}))
    if "admins" in top:
        top["admins"] = tuple(top["admins"])
    return Settings(
        **top,
        outbox=OutboxSettings(**outbox),
        wechaty=WechatySettings(**wechaty),
        groups=tuple(groups),
    )


def _reject_unknown(cls: type, mapping: dict[str, Any], where: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = set(mapping) - known
    if unknown:
        raise ConfigError(f"unknown setting(s) in {where}: {', '.join(sorted(unknown))}")


def _override(settings: Settings, target: tuple[str, ...], value: str) -> Settings:
    changes: dict[str, Any]
    if len(target) == 1:
        changes = {target[0]: value}
    else:
        section_name, key = target
        changes = {section_name: replace(getattr(settings, section_name), **{key: value})}
    return replace(settings, **changes)
