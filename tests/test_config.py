"""Settings: documented defaults, a TOML file over them, environment variables over both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import build_app
from bot.clock import ManualClock
from bot.config import ConfigError, GroupSettings, Settings, load_settings
from bot.simulation import SimulatedGroup
from tests import dbview

CONFIG = """
database_url = "sqlite:///from-file.sqlite3"
commission_bp = 800

[outbox]
per_minute = 20

[wechaty]
endpoint = "127.0.0.1:8788"

[[groups]]
name = "幸福小区团购群"
leaders = ["wxid_lead"]
cutoff_time = "21:30"
"""


def test_defaults_need_no_file(tmp_path: Path) -> None:
    settings = load_settings(None, environ={"TUANBOT_CONFIG": str(tmp_path / "absent.toml")})
    assert settings == Settings()
    assert settings.database_url == "sqlite:///var/tuanbot.sqlite3"
    assert settings.outbox.per_minute == 40 and settings.timezone == "Asia/Shanghai"


def test_the_file_overrides_defaults_and_the_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tuanbot.toml"
    path.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(path, environ={"TUANBOT_DB_URL": "postgresql+psycopg://db/tuanbot"})
    assert settings.database_url == "postgresql+psycopg://db/tuanbot"
    assert settings.commission_bp == 800
    assert settings.outbox.per_minute == 20 and settings.outbox.max_mentions == 20
    assert settings.wechaty.endpoint == "127.0.0.1:8788"
    assert settings.groups == (
        GroupSettings(name="幸福小区团购群", leaders=("wxid_lead",), cutoff_time="21:30"),
    )


def test_python_wechatys_own_variables_are_honoured() -> None:
    settings = load_settings(
        None, environ={"WECHATY_PUPPET_SERVICE_ENDPOINT": "127.0.0.1:9", "WECHATY_PUPPET_SERVICE_TOKEN": "t"}
    )
    assert (settings.wechaty.endpoint, settings.wechaty.token) == ("127.0.0.1:9", "t")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("databse_url = 'x'", "unknown setting(s) in top level: databse_url"),
        ("[outbox]\nper_minit = 3", "unknown setting(s) in [outbox]: per_minit"),
        ("[[groups]]\nleaders = []", "every [[groups]] entry needs a name"),
        ("database_url = ", "tuanbot.toml"),
    ],
)
def test_a_mistake_in_the_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "tuanbot.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path, environ={})


def test_an_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_a_configured_groups_times_reach_its_group(engine: Engine, clock: ManualClock) -> None:
    group_config = GroupSettings(
        name="幸福小区团购群",
        chat_id="room@chatroom",
        cutoff_time="21:30",
        deal_post_time="07:45",
        pickup_reminder_time="18:30",
        pickup_place="东门",
    )
    app = build_app(
        Settings(groups=(group_config,)), clock=clock, engine=engine, instant_outbox=True, migrate=False
    )
    SimulatedGroup(app, chat_id="room@chatroom", name="幸福小区团购群").say("张三", "收到")
    [campaign_group] = dbview.groups(app)
    assert (
        campaign_group.deal_post_time,
        campaign_group.cutoff_time,
        campaign_group.pickup_reminder_time,
    ) == (
        "07:45",
        "21:30",
        "18:30",
    )
    assert campaign_group.pickup_place == "东门" and campaign_group.enabled
