"""Returns and after-sales: 退货 苹果1斤 烂了 (optionally with a photo), 同意退货 12, 拒绝退货 12 原因."""

from __future__ import annotations

import re
from decimal import Decimal

from handlers.base import Context, Reply, Route
from handlers.catalog_view import catalog_of, offer_for
from handlers.reading import read_chat_message
from handlers.reading.intents import PlaceOrder
from models import orders as order_rows
from models import returns as return_rows
from models.campaigns import ARRIVED, CLOSED, DONE, latest_campaign, list_offers
from models.tables import Member, OrderLine
from models.types import fen_from_yuan, whole_fen

_DECISION = re.compile(r"^#?(?P<id>\d+)\s*(?P<rest>.*)$", re.S)
_AMOUNT = re.compile(r"^(?:退|退款)?\s*(?P<yuan>\d+(?:\.\d{1,2})?)\s*元\s*(?P<rest>.*)$", re.S)


def handle_return_request(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    name = ctx.member.display_name
    campaign = latest_campaign(session=ctx.session, group_id=ctx.group_id, statuses=(ARRIVED, CLOSED, DONE))
    if campaign is None or campaign.id is None or ctx.member.id is None:
        return [Reply("return_no_order", {"name": name}, mentions=ctx.me)]
    order = order_rows.get_order(session=ctx.session, campaign_id=campaign.id, member_id=ctx.member.id)
    offers = list_offers(session=ctx.session, campaign=campaign, active_only=False)
    intent = read_chat_message(call.args, catalog_of(offers))
    if order is None or order.id is None:
        return [Reply("return_no_order", {"name": name}, mentions=ctx.me)]
    if not isinstance(intent, PlaceOrder) or not intent.items:
        return [Reply("return_usage", {"name": name}, mentions=ctx.me)]
    lines = {line.product_id: line for line in order_rows.order_lines(session=ctx.session, order_id=order.id)}
    reason = _reason(call.args, intent)
    created: list[dict[str, object]] = []
    refused: list[dict[str, object]] = []
    for item in intent.items:
        offer = offer_for(item, offers)
        line = lines.get(offer.product_id) if offer is not None else None
        if offer is None or line is None:
            refused.append({"product": item.product, "reason": "not_ordered"})
            continue
        already = return_rows.returned_quantity(session=ctx.session, order_line_id=line.line_id)
        if item.qty <= 0 or item.qty + already > line.qty:
            refused.append(
                {"product": line.product_name, "reason": "too_many", "ordered": line.qty, "unit": line.unit}
            )
            continue
        order_line = ctx.session.get(OrderLine, line.line_id)
        assert order_line is not None
        request = return_rows.create_return(
            session=ctx.session,
            order_line=order_line,
            member_id=ctx.member.id,
            qty=item.qty,
            reason=reason,
            now=ctx.now,
            photo_path=ctx.message.attachment_path or "",
        )
        created.append(
            {
                "id": request.id,
                "product": line.product_name,
                "qty": item.qty,
                "unit": line.unit,
                "reason": request.reason,
            }
        )
    replies = [
        Reply("return_received", {"name": name, "created": created, "refused": refused}, mentions=ctx.me)
    ]
    if created:
        replies.append(Reply("return_for_leader", {"name": name, "created": created}, audience="leaders"))
    return replies


def _is_photo_for_return(ctx: Context) -> bool:
    if ctx.message.kind != "image" or not ctx.message.attachment_path or ctx.member.id is None:
        return False
    since = ctx.now - return_rows.RECENT_PHOTO_WINDOW
    return (
        return_rows.latest_return_without_photo(session=ctx.session, member_id=ctx.member.id, since=since)
        is not None
    )


def handle_return_photo(ctx: Context) -> list[Reply]:
    assert ctx.member.id is not None and ctx.message.attachment_path
    since = ctx.now - return_rows.RECENT_PHOTO_WINDOW
    request = return_rows.latest_return_without_photo(
        session=ctx.session, member_id=ctx.member.id, since=since
    )
    assert request is not None
    request.photo_path = ctx.message.attachment_path
    return [Reply("return_photo_saved", {"name": ctx.member.display_name, "id": request.id}, mentions=ctx.me)]


def handle_decision(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    approve = call.name == "approve_return"
    match = _DECISION.match(call.args)
    if match is None:
        return [Reply("return_decision_usage", {"approve": approve})]
    found = return_rows.return_with_line(
        session=ctx.session, return_id=int(match.group("id")), group_id=ctx.group_id
    )
    if found is None:
        return [Reply("return_not_found", {"id": match.group("id")})]
    request, line, product, _order = found
    if request.status != return_rows.PENDING:
        return [Reply("return_already_decided", {"id": request.id, "status": request.status})]
    note = match.group("rest").strip()
    refund_fen = whole_fen(request.qty * line.price_fen)
    amount = _AMOUNT.match(note) if approve else None
    if amount is not None:
        refund_fen = min(refund_fen, fen_from_yuan(Decimal(amount.group("yuan"))))
        note = amount.group("rest").strip()
    assert ctx.member.id is not None
    return_rows.decide_return(
        request=request,
        approve=approve,
        decided_by_id=ctx.member.id,
        now=ctx.now,
        refund_fen=refund_fen,
        note=note,
    )
    member = ctx.session.get(Member, request.member_id)
    assert member is not None
    data = {
        "id": request.id,
        "name": member.display_name,
        "product": product.name,
        "qty": request.qty,
        "unit": line.unit,
        "approve": approve,
        "refund_fen": request.refund_fen,
        "note": note,
    }
    mentions = (member.id,) if member.id is not None and member.wechat_id else ()
    return [Reply("return_decided", data, mentions=mentions)]


def _reason(text: str, intent: PlaceOrder) -> str:
    """What is left of the request once the items are taken out: 烂了, 坏了两个, 少了."""
    for item in intent.items:
        text = text.replace(item.raw, " ", 1)
    return " ".join(text.replace("，", " ").replace(",", " ").split())


ROUTES = [
    Route(
        "return_decision",
        lambda ctx: ctx.is_command("approve_return", "reject_return"),
        handle_decision,
        leader_only=True,
    ),
    Route("return_request", lambda ctx: ctx.is_command("return"), handle_return_request),
    Route("return_photo", _is_photo_for_return, handle_return_photo),
]
