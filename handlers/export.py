"""导出: the supplier summary and the sorting list as a spreadsheet, sent to the leaders."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook

from handlers.base import Context, Reply, Route
from models import orders as order_rows
from models.tables import Campaign

_UNSAFE_FILENAME = re.compile(r"[^\w\u4e00-\u9fff-]+")


def write_campaign_workbook(ctx: Context, campaign: Campaign, path: Path) -> None:
    assert campaign.id is not None
    workbook = Workbook()
    summary = workbook.active
    summary.title = "供货汇总"
    summary.append(["编号", "商品", "口味/规格", "数量", "单位", "金额(元)", "人数"])
    for total in order_rows.product_totals(session=ctx.session, campaign_id=campaign.id):
        summary.append(
            [
                total.code,
                total.name,
                total.variant,
                float(total.qty),
                total.unit,
                total.amount_fen / 100,
                total.buyers,
            ]
        )
    sorting = workbook.create_sheet("分拣单")
    sorting.append(
        ["姓名", "代下单", "地址", "取货码", "商品", "口味/规格", "数量", "单位", "金额(元)", "已取", "已付"]
    )
    for buyer in order_rows.campaign_buyers(session=ctx.session, campaign_id=campaign.id):
        for line in buyer.lines:
            sorting.append(
                [
                    buyer.member.display_name,
                    "是" if buyer.order.is_proxy else "",
                    buyer.member.address,
                    buyer.order.pickup_code,
                    line.product_name,
                    line.variant,
                    float(line.qty),
                    line.unit,
                    line.amount_fen / 100,
                    "是" if buyer.order.picked_up_at else "",
                    "是" if buyer.order.paid_at else "",
                ]
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def handle_export(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if campaign is None or campaign.id is None:
        return [Reply("no_open_campaign", {})]
    stamp = ctx.now.astimezone(ctx.tz).strftime("%Y%m%d-%H%M%S")
    name = _UNSAFE_FILENAME.sub("_", f"{ctx.group.name}-{campaign.title}")[:60]
    path = Path(ctx.settings.data_dir) / "exports" / f"{name}-{stamp}.xlsx"
    write_campaign_workbook(ctx, campaign, path)
    return [
        Reply(
            "export_ready",
            {"title": campaign.title, "path": str(path)},
            audience="leaders",
            file_path=str(path),
        )
    ]


ROUTES = [Route("export", lambda ctx: ctx.is_command("export"), handle_export, leader_only=True)]
