"""`tuanbot demo`: one group's day in a simulated chat, on a fresh SQLite file.

The day: the bot posts the deals; about thirty neighbours order by 接龙 and by free text (one
changes an order, one cancels, some just chat); the leader orders for two elderly neighbours;
the leader closes ordering and the bot posts the supplier summary. The next day the goods
arrive: the bot @mentions every buyer, people collect, one asks for a refund, the leader checks
who has not paid or collected, the evening reminder goes out, and the day's figures close it.
"""

from __future__ import annotations

import tempfile
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.app import App, build_app
from bot.catalog_file import stock_group
from bot.clock import ManualClock
from bot.config import GroupSettings, Settings
from bot.jobs import daily_deals, pickup_reminder, run_group_job
from bot.rendering import qty, yuan
from bot.simulation import SimulatedGroup
from bot.transcript import print_transcript
from models.campaigns import ARRIVED, CLOSED, DONE, OPEN, latest_campaign
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

# The next day: the goods arrive, people collect, one return, the money, the day's figures.
NEXT_DAY = [
    Step("10:00", LEADER, "到货"),
    Step("10:20", "张三", "取了"),
    Step("10:25", "李四", "取了"),
    Step("10:40", LEADER, "已取 王姐 吴婶 小美"),
    Step("11:00", "刘姐", "退货 西红柿1斤 烂了"),
    Step("11:05", LEADER, "同意退货 1"),
    Step("12:00", LEADER, "已付 张三 李四 王姐 赵六 小美 陈阿姨 老周 孙叔 阿强 林林 周周 钱大爷 吴婶"),
    Step("12:01", LEADER, "未付"),
    Step("18:00", LEADER, "未取"),
    Step("21:00", LEADER, "统计"),
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
    group_id = stock_group(
        app.engine,
        chat_id=GROUP_ID,
        name=GROUP_NAME,
        catalog=DEMO_CATALOG,
        now=app.clock(),
        pickup_place="小区北门菜鸟驿站",
    )

    def at(hhmm: str, *, days_later: int = 0) -> None:
        hours, minutes = (int(x) for x in hhmm.split(":"))
        clock.set(datetime.combine(day + timedelta(days=days_later), time(hours, minutes), tzinfo=zone))

    at("08:00")
    run_group_job(app, group_id, daily_deals)
    group.flush()
    for step in [*chain_steps(), *FREE_TEXT]:
        at(step.at)
        group.say(step.speaker, step.text)
    for step in NEXT_DAY[:-1]:
        at(step.at, days_later=1)
        group.say(step.speaker, step.text)
    at("19:00", days_later=1)
    run_group_job(app, group_id, pickup_reminder)
    group.flush()
    at(NEXT_DAY[-1].at, days_later=1)
    group.say(NEXT_DAY[-1].speaker, NEXT_DAY[-1].text)
    print_transcript(group.transcript, out, shorten_reposts=True, spaced=True)
    _print_summary(app, group_id, out)
    return app


def _print_summary(app: App, group_id: int, out: TextIO) -> None:
    with Session(app.engine) as session:
        campaign = latest_campaign(session=session, group_id=group_id, statuses=(OPEN, CLOSED, ARRIVED, DONE))
        if campaign is None or campaign.id is None:
            return
        totals = product_totals(session=session, campaign_id=campaign.id)
        buyers = campaign_buyers(session=session, campaign_id=campaign.id)
    out.write("=" * 60 + "\n")
    out.write(f"汇总：{campaign.title}（{campaign.status}）\n\n")
    out.write(f"{pad('商品', 14)}{pad('数量', 8, right=True)}  {pad('金额', 10, right=True)}  人数\n")
    for total in totals:
        name = total.name + (f"（{total.variant}）" if total.variant else "")
        amount = f"¥{yuan(total.amount_fen)}"
        out.write(
            f"{pad(name, 14)}{pad(qty(total.qty) + total.unit, 8, right=True)}  {pad(amount, 10, right=True)}"
            f"  {total.buyers}\n"
        )
    out.write(f"\n{len(buyers)} 户下单，合计 ¥{yuan(sum(t.amount_fen for t in totals))}\n\n")
    for buyer in buyers:
        items = "、".join(f"{line.product_name}{qty(line.qty)}{line.unit}" for line in buyer.lines)
        proxy = "(代)" if buyer.order.is_proxy else ""
        picked = "已取" if buyer.order.picked_up_at else "未取"
        paid = "已付" if buyer.order.paid_at else "未付"
        name = pad(buyer.member.display_name + proxy, 16)
        out.write(f"  {name}{pad(items, 34)} ¥{yuan(buyer.amount_fen):<6} {picked} {paid}\n")


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad to a terminal width, counting a Chinese character as two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill
