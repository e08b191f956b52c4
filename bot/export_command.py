"""`tuanbot export`: a group's members, orders and returns as one spreadsheet for the leader."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.tables import Campaign, Group, Member, Order, OrderLine, Product, ReturnRequest
from models.types import whole_fen

ORDER_COLUMNS = [
    "团", "状态", "名字", "代下单", "取货码", "商品", "口味/规格",
    "数量", "单位", "单价(元)", "金额(元)", "已取", "已付",
]  # fmt: skip


class ExportError(RuntimeError):
    """The export could not be written; the message says why."""


def export_group(engine: Engine, group_name: str, out: Path) -> dict[str, int]:
    """Write the group's data to `out`; returns how many rows each sheet got."""
    with Session(engine) as session:
        group = session.exec(
            select(Group).where((Group.name == group_name) | (Group.chat_id == group_name))
        ).first()
        if group is None or group.id is None:
            raise ExportError(f"no group named {group_name!r}")
        workbook = Workbook()
        counts = {
            "成员": _members(session, group.id, workbook),
            "订单": _orders(session, group.id, workbook),
            "退货": _returns(session, group.id, workbook),
        }
    default = workbook.worksheets[0]
    if default.title == "Sheet":
        workbook.remove(default)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return counts


def _members(session: Session, group_id: int, workbook: Workbook) -> int:
    sheet = workbook.create_sheet("成员")
    sheet.append(["名字", "微信号", "地址", "电话", "备注", "团长", "代下单对象"])
    members = session.exec(select(Member).where(Member.group_id == group_id).order_by(col(Member.id))).all()
    for m in members:
        sheet.append(
            [
                m.display_name,
                m.wechat_id or "",
                m.address,
                m.phone,
                m.notes,
                _yes(m.is_leader),
                _yes(m.is_proxy),
            ]
        )
    return len(members)


def _orders(session: Session, group_id: int, workbook: Workbook) -> int:
    """One row per ordered product; returns how many orders (not rows) there are."""
    sheet = workbook.create_sheet("订单")
    sheet.append(
        [
            "团",
            "状态",
            "名字",
            "代下单",
            "取货码",
            "商品",
            "口味/规格",
            "数量",
            "单位",
            "单价(元)",
            "金额(元)",
            "已取",
            "已付",
        ]
    )
    campaigns = {
        c.id: c
        for c in session.exec(
            select(Campaign).where(Campaign.group_id == group_id).order_by(col(Campaign.id))
        )
    }
    rows = session.exec(
        select(Order, Member, OrderLine, Product)
        .join(Member, col(Member.id) == Order.member_id)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .where(col(Order.campaign_id).in_(list(campaigns)))
        .order_by(col(Order.campaign_id), col(Order.id), col(OrderLine.id))
    ).all()
    for order, member, line, product in rows:
        campaign = campaigns[order.campaign_id]
        sheet.append(
            [
                campaign.title,
                campaign.status,
                member.display_name,
                _yes(order.is_proxy),
                order.pickup_code,
                product.name,
                line.variant,
                float(line.qty),
                line.unit,
                line.price_fen / 100,
                whole_fen(line.qty * line.price_fen) / 100,
                _yes(order.picked_up_at is not None),
                _yes(order.paid_at is not None),
            ]
        )
    return len({order.id for order, _member, _line, _product in rows})


def _returns(session: Session, group_id: int, workbook: Workbook) -> int:
    sheet = workbook.create_sheet("退货")
    sheet.append(["编号", "名字", "商品", "数量", "原因", "照片", "状态", "退款(元)", "说明"])
    rows = session.exec(
        select(ReturnRequest, Member, Product)
        .join(Member, col(Member.id) == ReturnRequest.member_id)
        .join(OrderLine, col(OrderLine.id) == ReturnRequest.order_line_id)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .where(Product.group_id == group_id)
        .order_by(col(ReturnRequest.id))
    ).all()
    for request, member, product in rows:
        sheet.append(
            [
                request.id,
                member.display_name,
                product.name,
                float(request.qty),
                request.reason,
                request.photo_path,
                request.status,
                request.refund_fen / 100,
                request.decision_note,
            ]
        )
    return len(rows)


def _yes(flag: bool) -> str:
    return "是" if flag else ""
