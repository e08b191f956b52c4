"""Every leader command is refused, changing nothing, when sent by a member who is not a leader of
this group: a plain member, the leader of another group, or anyone in a private chat."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from bot.app import App
from bot.simulation import SimulatedGroup
from handlers import all_routes
from models.groups import ensure_group
from models.tables import Campaign, CampaignProduct, Member, Order, Product
from tests.conftest import LEADER

# One example of every leader command, each of which would change something for a leader.
LEADER_COMMANDS = {
    "enable": "启用",
    "set_leader": "设为团长 @王五",
    "reviews": "待确认",
    "dismiss_review": "忽略 1",
    "open": "开团",
    "deals": "发布团购",
    "cutoff": "截单",
    "summary": "汇总",
    "listing_on": "上架 西瓜 2.5/斤",
    "listing_off": "下架 1",
    "set_price": "改价 1 1",
    "set_stock": "库存 1 0",
    "set_limit": "限购 1 1",
    "proxy": "代 王奶奶 鸡蛋2板",
    "arrival": "到货",
    "not_picked_up": "未取",
    "leader_pickup": "已取 王五",
    "return_decision": "同意退货 1",
    "mark_paid": "已付 王五",
    "unpaid": "未付",
    "stats": "统计",
    "export": "导出",
}

OTHER_GROUP = "other-group@chatroom"


def test_the_table_covers_every_leader_route() -> None:
    leader_routes = {route.name for route in all_routes() if route.leader_only}
    assert leader_routes == set(LEADER_COMMANDS)


# A refusal is logged and answered, and an unknown sender is registered: those tables may grow.
EXPECTED_TO_GROW = {"inbound_message", "outbox_message", "member"}


def snapshot(app: App) -> dict[str, Any]:
    """Row counts of every table that a refused command must not touch, and the rows' state."""
    with Session(app.engine) as session:
        counts = {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables
            if table.name not in EXPECTED_TO_GROW
        }
        counts["campaigns"] = [(c.status, c.offers_version) for c in session.exec(select(Campaign))]
        counts["products"] = [
            (p.price_fen, p.stock, p.limit_per_person, p.active) for p in session.exec(select(Product))
        ]
        counts["listings"] = [(c.active, c.price_fen) for c in session.exec(select(CampaignProduct))]
        counts["leaders"] = sorted(m.display_name for m in session.exec(select(Member)) if m.is_leader)
        counts["orders"] = [(o.picked_up_at, o.paid_at) for o in session.exec(select(Order))]
    return counts


@pytest.fixture
def busy_group(open_group: SimulatedGroup) -> SimulatedGroup:
    """A group with an open campaign, an order and an open review item to tamper with."""
    open_group.say("王五", "红富士苹果2斤")
    open_group.say("王五", "苹果两斤")  # an open review item
    return open_group


@pytest.mark.parametrize("command", sorted(LEADER_COMMANDS))
def test_a_member_is_refused(busy_group: SimulatedGroup, command: str) -> None:
    before = snapshot(busy_group.app)
    [reply] = busy_group.texts(busy_group.say("阿强", LEADER_COMMANDS[command]))
    assert "只有团长" in reply
    assert snapshot(busy_group.app) == before


@pytest.mark.parametrize("command", sorted(LEADER_COMMANDS))
def test_the_leader_of_another_group_is_refused(busy_group: SimulatedGroup, command: str) -> None:
    with Session(busy_group.app.engine) as session:
        other = ensure_group(
            session=session, chat_id=OTHER_GROUP, name="隔壁小区群", now=busy_group.app.clock(), enabled=True
        )
        assert other.id is not None
        session.add(
            Member(
                group_id=other.id,
                wechat_id=SimulatedGroup.wechat_id("隔壁团长"),
                display_name="隔壁团长",
                is_leader=True,
                created_at=busy_group.app.clock(),
            )
        )
        session.commit()
    before = snapshot(busy_group.app)
    [reply] = busy_group.texts(busy_group.say("隔壁团长", LEADER_COMMANDS[command]))
    assert "只有团长" in reply
    assert snapshot(busy_group.app) == before


@pytest.mark.parametrize("command", sorted(LEADER_COMMANDS))
def test_a_private_chat_is_refused_even_from_the_leader(busy_group: SimulatedGroup, command: str) -> None:
    before = snapshot(busy_group.app)
    [reply] = busy_group.texts(busy_group.say(LEADER, LEADER_COMMANDS[command], private=True))
    assert "请在团购群里" in reply or "在群里发" in reply
    assert snapshot(busy_group.app) == before
    assert busy_group.last_outcome is not None and busy_group.last_outcome.status == "ignored"
