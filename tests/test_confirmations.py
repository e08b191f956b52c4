"""An order and its confirmation are saved in one transaction: both, or neither.

The dispatcher (and each scheduled job) renders the replies and writes them to the outbox before
it commits, so the sender can only ever see a confirmation whose order is saved, and a crash
cannot keep one without the other.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot import jobs
from bot.app import build_app
from bot.clock import ManualClock
from bot.simulation import SimulatedGroup
from models import inbound
from models.tables import OutboxMessage
from tests import dbview
from tests.conftest import GROUP_CHAT, GROUP_NAME, LEADER, make_settings, stock_catalog


def queued_replies(group: SimulatedGroup) -> int:
    with Session(group.app.engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage)).one()


def open_group_with_a_broken_template(
    engine: Engine, clock: ManualClock, tmp_path: Path, template: str
) -> SimulatedGroup:
    """A group whose leader overrode `template` with one that cannot render, with a campaign open."""
    own_templates = tmp_path / "templates"
    own_templates.mkdir()
    (own_templates / template).write_text("{{ no_such_value.name }}", encoding="utf-8")
    settings = make_settings(data_dir=str(tmp_path / "data"), templates_dir=str(own_templates))
    app = build_app(settings, clock=clock, engine=engine, instant_outbox=True, migrate=False)
    stock_catalog(app)
    group = SimulatedGroup(app, chat_id=GROUP_CHAT, name=GROUP_NAME)
    group.say(LEADER, "开团")
    return group


def test_an_order_and_its_confirmation_are_queued_together(open_group: SimulatedGroup) -> None:
    before = queued_replies(open_group)
    [reply] = open_group.texts(open_group.say("王五", "香蕉1把"))
    assert "海南香蕉 现在共1把" in reply
    assert dbview.orders(open_group.app) == {"王五": {"海南香蕉": Decimal(1)}}
    assert queued_replies(open_group) == before + 1


def test_a_message_another_worker_already_logged_leaves_no_order_and_no_confirmation(
    open_group: SimulatedGroup,
) -> None:
    """The other worker's commit wins the platform id; ours rolls back, confirmation included."""
    clock = open_group.app.clock
    with Session(open_group.app.engine) as session:
        inbound.log_inbound(
            session=session,
            platform_id="wx-msg-77",
            chat_id=GROUP_CHAT,
            sender_id=SimulatedGroup.wechat_id("王五"),
            sender_name="王五",
            text="香蕉1把",
            kind="text",
            sent_at=clock(),
            received_at=clock(),
            outcome="handled",
            handler="chat_order",
        )
        session.commit()
    before = queued_replies(open_group)

    sent = open_group.say("王五", "香蕉1把", message_id="wx-msg-77")

    assert sent == []
    assert open_group.last_outcome is not None and open_group.last_outcome.status == "duplicate"
    assert dbview.orders(open_group.app) == {}
    assert queued_replies(open_group) == before


def test_a_confirmation_that_cannot_be_worded_still_leaves_the_order_saved(
    engine: Engine, clock: ManualClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A leader's broken template loses the wording, never the order."""
    group = open_group_with_a_broken_template(engine, clock, tmp_path, "order_confirmed.j2")
    app = group.app
    before = queued_replies(group)

    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        sent = group.say("王五", "香蕉1把")

    assert sent == []
    assert dbview.orders(app) == {"王五": {"海南香蕉": Decimal(1)}}
    assert queued_replies(group) == before
    assert "rendering replies of chat_order failed" in caplog.text


def test_a_cutoff_whose_notice_cannot_be_worded_still_closes_the_campaign(
    engine: Engine, clock: ManualClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A scheduled job's notices go into its own transaction too; a broken one loses only itself."""
    group = open_group_with_a_broken_template(engine, clock, tmp_path, "cutoff_done.j2")
    app = group.app
    group.say("王五", "香蕉1把")
    [campaign] = dbview.campaigns(app)
    assert campaign.id is not None
    before = queued_replies(group)

    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        sent = jobs.run_campaign_job(app, campaign.id, jobs.cutoff)

    assert sent == 0
    assert [c.status for c in dbview.campaigns(app)] == ["closed"]
    assert queued_replies(group) == before
    assert "rendering replies of job cutoff failed" in caplog.text
    assert dbview.orders(app) == {"王五": {"海南香蕉": Decimal(1)}}


def test_a_private_message_is_logged_even_when_its_reply_cannot_be_worded(
    engine: Engine, clock: ManualClock, tmp_path: Path
) -> None:
    group = open_group_with_a_broken_template(engine, clock, tmp_path, "private_chat.j2")
    assert group.say("王五", "你好，想问问明天有鸡蛋吗", private=True) == []
    assert group.last_outcome is not None and group.last_outcome.status == "ignored"
    [logged] = dbview.inbound(group.app)[-1:]
    assert (logged.outcome, logged.handler) == ("ignored", "private_chat")
