"""`tuanbot chat`: talk to the real bot in the terminal, as any member or as the leader."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from bot.app import build_app
from bot.catalog_file import stock_group
from bot.config import GroupSettings, Settings
from bot.runtime import BotRuntime
from bot.transports.console import GROUP_ID, ConsoleTransport, wechat_id

DEMO_CATALOG = Path(__file__).resolve().parent / "demo_data" / "catalog.csv"
GROUP_NAME = "幸福小区团购群"


def run_console(
    settings: Settings, *, catalog: str | None, speaker: str, leader: str, db: str | None
) -> None:
    group = GroupSettings(
        name=GROUP_NAME, chat_id=GROUP_ID, leaders=(wechat_id(leader),), pickup_place="小区北门"
    )
    settings = replace(settings, groups=(*settings.groups, group))
    app = build_app(settings, instant_outbox=True)
    # The given catalog, or the demo one when the group has no products yet.
    stock_group(
        app.engine,
        chat_id=GROUP_ID,
        name=GROUP_NAME,
        catalog=catalog or DEMO_CATALOG,
        now=app.clock(),
        pickup_place="小区北门",
        only_if_empty=catalog is None,
    )
    print(f"数据库: {settings.database_url}")
    print(f"你现在是「{speaker}」。输入「名字> 消息」换人说话，团长是「{leader}」。")
    print(f"试试「{leader}> 开团」，再说「苹果2斤」。Ctrl-D 退出。")
    runtime: BotRuntime
    transport = ConsoleTransport(
        speaker=speaker, group_name=GROUP_NAME, clock=app.clock, on_eof=lambda: runtime.stop_event.set()
    )
    runtime = BotRuntime(app, transport)
    try:
        asyncio.run(runtime.run())
    except KeyboardInterrupt:
        sys.stdout.write("\n")
