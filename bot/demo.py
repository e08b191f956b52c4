"""`tuanbot demo`: one group's day in a simulated chat, on a fresh SQLite file.

The day: the bot posts the deals; about thirty neighbours order by 接龙 and by free text (one
changes an order, one cancels, some just chat); the leader orders for two elderly neighbours;
the leader closes ordering and the bot posts the supplier summary.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.app import App, build_app
from bot.catalog_file import read_catalog_file
from bot.clock import ManualClock
from bot.config import GroupSettings, Settings
from bot.jobs import daily_deals, run_group_job
from bot.rendering import qty, yuan
from bot.simulation import SimulatedGroup
from bot.transcript import print_transcript
from models.campaigns import current_campaign
from models.catalog import upsert_products
from models.groups import ensure_group
from models.orders import campaign_buyers, product_totals

DEMO_CATALOG = Path(__file__).resolve().parent / "demo_data" / "catalog.csv"
GROUP_ID = "demo-group@chatroom"
GROUP_NAME = "幸福小区团购群"
LEADER = "李团长"
CHAIN_HEADER = "#接龙\n11月22日 幸福小区水果鸡蛋团 晚8点截单\n例 3栋502 王姐 红富士苹果2斤\n"


@dataclass(frozen=True)
class Step:
    at: str  # HH:MM on the demo day
    speaker: str
    text: str


# Each 接龙 member reposts the whole list with their own line added.
CHAIN_LINES = [
    ("张三", "张三 红富士苹果3斤"),
    ("李四", "李四 4号x1"),
    ("王姐", "3栋502 王姐 鸡蛋1板 香蕉1把"),
    ("赵六", "赵六 西红柿两斤"),
    ("小美", "小美 1号5斤"),
    ("陈阿姨", "陈阿姨 脐橙一箱"),
    ("老周", "老周 大米1袋"),
    ("刘姐", "2-1-301 刘姐 富士2斤 西红柿3斤"),
    ("孙叔", "孙叔 7号1箱"),
    ("阿强", "阿强 香蕉2把"),
    ("林林", "林林 鸡蛋两板"),
    ("周周", "周周 五常大米一袋"),
]


def chain_steps() -> list[Step]:
    steps = []
    lines: list[str] = []
    for minute, (speaker, line) in enumerate(CHAIN_LINES):
        lines.append(f"{len(lines) + 1}. {line}")
        steps.append(Step(f"08:{10 + minute * 3:02d}", speaker, CHAIN_HEADER + "\n" + "\n".join(lines)))
    # 张三 edits their own line in the next repost: 3斤 becomes 5斤.
    edited = [lines[0].replace("3斤", "5斤"), *lines[1:]]
    steps.append(Step("09:05", "张三", CHAIN_HEADER + "\n" + "\n".join(edited)))
    return steps


FREE_TEXT = [
    Step("09:20", "钱大爷", "苹果两斤"),
    Step("09:21", "钱大爷", "1"),
    Step("09:30", "吴婶", "3栋502 吴婶 鸡蛋1板"),
    Step("09:35", "郑哥", "香蕉一把"),
    Step("09:40", "冯姐", "来2斤西红柿"),
    Step("09:45", "马叔", "脐橙1箱"),
    Step("10:02", "何姐", "鸡蛋3板"),
    Step("10:10", "许阿姨", "青苹果3斤"),
    Step("10:15", "韩哥", "大米2袋"),
    Step("10:20", "杨杨", "西红柿5斤 香蕉1把"),
    Step("10:30", "朱奶奶的孙女", "2号x2"),
    Step("10:40", "秦姐", "富士苹果4斤"),
    Step("11:00", "郑哥", "香蕉改成2把"),
    Step("11:05", "韩哥", "不要了"),
    Step("11:10", "杨杨", "我的订单"),
    Step("11:30", "许阿姨", "收到"),
    Step("11:31", "马叔", "👌"),
    Step("11:40", "冯姐", "明天几点到货？"),
    Step("12:00", "阿强", "截单"),
    Step("15:00", LEADER, "代 王奶奶 鸡蛋2板"),
    Step("15:02", LEADER, "代下单 3栋502李爷爷 红富士3斤"),
    Step("20:00", LEADER, "截单"),
]


def run_demo(settings: Settings, *, db_file: str | None, out: TextIO) -> App:
    path = Path(db_file) if db_file else Path(tempfile.mkdtemp(prefix="tuanbot-demo-")) / "demo.sqlite3"
    if path.exists():
        path.unlink()
    zone = ZoneInfo(settings.timezone)
    day = datetime.now(zone).date()
    clock = ManualClock(datetime.combine(day, time(7, 55), tzinfo=zone))
    group_config = GroupSettings(
        name=GROUP_NAME,
        chat_id=GROUP_ID,
        leaders=(SimulatedGroup.wechat_id(LEADER),),
        pickup_place="小区北门菜鸟驿站",
    )
    settings = replace(settings, database_url=f"sqlite:///{path}", groups=(group_config,))
    app = build_app(settings, clock=clock, instant_outbox=True)
    out.write(f"数据库: {path}\n\n")
    group = SimulatedGroup(app, chat_id=GROUP_ID, name=GROUP_NAME)
    group_id = _stock_group(app)

    def at(hhmm: str) -> None:
        hours, minutes = (int(x) for x in hhmm.split(":"))
        clock.set(datetime.combine(day, time(hours, minutes), tzinfo=zone))

    at("08:00")
    run_group_job(app, group_id, daily_deals)
    group.flush()
    for step in [*chain_steps(), *FREE_TEXT]:
        at(step.at)
        group.say(step.speaker, step.text)
    print_transcript(group.transcript, out, shorten_reposts=True, spaced=True)
    _print_summary(app, group_id, out)
    return app


def _stock_group(app: App) -> int:
    with Session(app.engine) as session:
        group = ensure_group(
            session=session,
            chat_id=GROUP_ID,
            name=GROUP_NAME,
            now=app.clock(),
            enabled=True,
            pickup_place="小区北门菜鸟驿站",
        )
        assert group.id is not None
        upsert_products(session=session, group_id=group.id, specs=read_catalog_file(DEMO_CATALOG))
        session.commit()
        return group.id


def _print_summary(app: App, group_id: int, out: TextIO) -> None:
    with Session(app.engine) as session:
        campaign = current_campaign(session=session, group_id=group_id)
        if campaign is None or campaign.id is None:
            return
        totals = product_totals(session=session, campaign_id=campaign.id)
        buyers = campaign_buyers(session=session, campaign_id=campaign.id)
    out.write("=" * 60 + "\n")
    out.write(f"汇总：{campaign.title}（{campaign.status}）\n\n")
    out.write(f"{'商品':<14}{'数量':>8}  {'金额':>10}  人数\n")
    for total in totals:
        name = total.name + (f"（{total.variant}）" if total.variant else "")
        out.write(
            f"{name:<14}{qty(total.qty) + total.unit:>8}  ¥{yuan(total.amount_fen):>9}  {total.buyers}\n"
        )
    out.write(f"\n{len(buyers)} 户下单，合计 ¥{yuan(sum(t.amount_fen for t in totals))}\n\n")
    for buyer in buyers:
        items = "、".join(f"{line.product_name}{qty(line.qty)}{line.unit}" for line in buyer.lines)
        proxy = "(代)" if buyer.order.is_proxy else ""
        out.write(f"  {buyer.member.display_name}{proxy}: {items}  ¥{yuan(buyer.amount_fen)}\n")
