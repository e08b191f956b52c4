"""Returns and after-sales: 退货 苹果1斤 烂了 (optionally with a photo), 同意退货 12, 拒绝退货 12 原因."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from handlers.base import Context, Reply, Route
from handlers.catalog_view import catalog_of, offer_for
from handlers.reading import read_chat_message, split_chain
from handlers.reading.intents import CancelOrder, ChangeOrder, PlaceOrder, PlusOne
from handlers.reading.numbers import writes_a_count
from models import orders as order_rows
from models import returns as return_rows
from models.campaigns import ARRIVED, CLOSED, DONE, Offer, latest_campaign, list_offers
from models.orders import LineView
from models.tables import Member, OrderLine
from models.types import fen_from_yuan, whole_fen

# The quantity of a return that did not say how much (鸡蛋 碎了两个): the leader settles the refund.
UNSETTLED_QTY = Decimal(0)
_DECISION = re.compile(r"^#?(?P<id>\d+)\s*(?P<rest>.*)$", re.S)
_AMOUNT = re.compile(r"^(?:退|退款)?\s*(?P<yuan>\d+(?:\.\d{1,2})?)\s*元\s*(?P<rest>.*)$", re.S)


@dataclass(frozen=True)
class _Delivered:
    """The member's order in the latest campaign whose goods were ordered and closed."""

    offers: list[Offer]
    lines: list[LineView]

    def named_in(self, text: str) -> list[LineView]:
        """The ordered lines whose product the text names (鸡蛋 is the 土鸡蛋 ordered)."""
        words = {offer.product_id: (offer.name, *offer.aliases) for offer in self.offers}
        return [line for line in self.lines if any(w and w in text for w in words.get(line.product_id, ()))]


def _delivered(ctx: Context) -> _Delivered | None:
    """The sender's latest closed order, read once per message (the complaint check and its
    handler both need it)."""
    if "delivered" not in ctx.memo:
        ctx.memo["delivered"] = _load_delivered(ctx)
    found: _Delivered | None = ctx.memo["delivered"]
    return found


def _load_delivered(ctx: Context) -> _Delivered | None:
    if ctx.member.id is None:
        return None
    campaign = latest_campaign(session=ctx.session, group_id=ctx.group_id, statuses=(ARRIVED, CLOSED, DONE))
    if campaign is None or campaign.id is None:
        return None
    order = order_rows.get_order(session=ctx.session, campaign_id=campaign.id, member_id=ctx.member.id)
    if order is None or order.id is None:
        return None
    lines = order_rows.order_lines(session=ctx.session, order_id=order.id)
    offers = list_offers(session=ctx.session, campaign=campaign, active_only=False)
    return _Delivered(offers=offers, lines=lines) if lines else None


def handle_return_request(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    name = ctx.member.display_name
    delivered = _delivered(ctx)
    if delivered is None:
        return [Reply("return_no_order", {"name": name}, mentions=ctx.me)]
    # Read against what she bought first: 苹果 is the 红富士苹果 she had, though 青苹果 was on sale;
    # then against everything on sale, so 香蕉 she never bought is refused as not ordered.
    bought_ids = {line.product_id for line in delivered.lines}
    bought = [offer for offer in delivered.offers if offer.product_id in bought_ids]
    intent = read_chat_message(call.args, catalog_of(bought))
    if not isinstance(intent, PlaceOrder):
        intent = read_chat_message(call.args, catalog_of(delivered.offers))
    wanted: list[tuple[LineView, Decimal | None]] = []
    refused: list[dict[str, object]] = []
    if isinstance(intent, PlaceOrder) and intent.items:
        reason = _reason(call.args, intent)
        lines = {line.product_id: line for line in delivered.lines}
        for item in intent.items:
            offer = offer_for(item, delivered.offers)
            line = lines.get(offer.product_id) if offer is not None else None
            if offer is None or line is None:
                refused.append({"product": item.product, "reason": "not_ordered"})
            else:
                # 鸡蛋2个 of eggs sold by the 板, or 西红柿 全烂了 with no count: the leader judges.
                counted = writes_a_count(item.raw) and item.unit in (None, line.unit)
                wanted.append((line, item.qty if counted else None))
    else:
        # 退货 鸡蛋 碎了两个: the product is clear, the quantity is not; with one product ordered,
        # 退货 坏了 is about that one.
        reason = " ".join(call.args.replace("，", " ").replace(",", " ").split())
        named = delivered.named_in(call.args) or (delivered.lines if len(delivered.lines) == 1 else [])
        if len(named) != 1:
            return [Reply("return_usage", {"name": name}, mentions=ctx.me)]
        wanted.append((named[0], None))
    created = [
        made for line, qty in wanted if (made := _create_return(ctx, line, qty, reason, refused)) is not None
    ]
    replies = [
        Reply("return_received", {"name": name, "created": created, "refused": refused}, mentions=ctx.me)
    ]
    if created:
        replies.append(Reply("return_for_leader", {"name": name, "created": created}, audience="leaders"))
    return replies


def _create_return(
    ctx: Context, line: LineView, qty: Decimal | None, reason: str, refused: list[dict[str, object]]
) -> dict[str, object] | None:
    """A return for `qty` of the line. With the quantity unclear it is recorded as 0 (quantity to
    be settled), which holds back nothing else of the line, and the leader sets the refund
    (同意退货 12 5元)."""
    already = return_rows.returned_quantity(session=ctx.session, order_line_id=line.line_id)
    left = line.qty - already
    if (qty is not None and (qty <= 0 or qty > left)) or left <= 0:
        refused.append(
            {"product": line.product_name, "reason": "too_many", "ordered": line.qty, "unit": line.unit}
        )
        return None
    order_line = ctx.session.get(OrderLine, line.line_id)
    assert order_line is not None and ctx.member.id is not None
    request = return_rows.create_return(
        session=ctx.session,
        order_line=order_line,
        member_id=ctx.member.id,
        qty=qty if qty is not None else UNSETTLED_QTY,
        reason=reason,
        now=ctx.now,
        photo_path=ctx.message.attachment_path or "",
    )
    return {
        "id": request.id,
        "product": line.product_name,
        "qty": request.qty,
        "unit": line.unit,
        "reason": request.reason,
        "qty_unclear": qty is None,
    }


# A member telling the group something they got is bad, without the word 退货.
# Said of what arrived (坏了, 碎了两个), unlike a wish in an order (要熟的，不要烂的).
_COMPLAINT = re.compile(
    r"坏了|烂了|碎了|破了|臭了|坏掉|烂掉|发霉|霉了|变质|不新鲜|蔫了|少了|缺了|少给|(?:能|可以|想|要)退"
)
_PUNCTUATION = re.compile(r"[\s，,。.!！?？~～]+")
_ASKS_TO_RETURN = re.compile(r"(?:能|可以|想|要)退(?:吗|嘛|不|一下)?")


def _is_complaint(ctx: Context) -> bool:
    """Something said of goods that arrived (鸡蛋碎了两个), naming something the member bought, in
    a message that orders nothing: `香蕉2把，上次的有点烂了` orders, and a 接龙 post is a list."""
    if ctx.command is not None or ctx.message.kind != "text" or not _COMPLAINT.search(ctx.text):
        return False
    if split_chain(ctx.text) is not None:
        return False
    intent = read_chat_message(ctx.text, catalog_of(ctx.offers()))
    if isinstance(intent, PlaceOrder | ChangeOrder | CancelOrder | PlusOne):
        return False
    delivered = _delivered(ctx)
    return delivered is not None and bool(delivered.named_in(ctx.text))


def handle_complaint(ctx: Context) -> list[Reply]:
    """`鸡蛋碎了两个`: not an order but a return in the making; show the member how to ask for it,
    in her own words (碎了两个, 少给了一板)."""
    delivered = _delivered(ctx)
    assert delivered is not None
    line = delivered.named_in(ctx.text)[0]
    offer = next((o for o in delivered.offers if o.product_id == line.product_id), None)
    said = ctx.text
    for word in sorted((line.product_name, *(offer.aliases if offer else ())), key=len, reverse=True):
        said = said.replace(word, " ")
    data = {
        "name": ctx.member.display_name,
        "product": line.product_name,
        "unit": line.unit,
        "why": _PUNCTUATION.sub(" ", _ASKS_TO_RETURN.sub(" ", said)).strip()[:20],
    }
    return [Reply("return_hint", data, mentions=ctx.me)]


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
    unsettled = request.qty == UNSETTLED_QTY
    # A return whose quantity was never said may refund up to the whole line, as the leader says.
    refund_fen = whole_fen((line.qty if unsettled else request.qty) * line.price_fen)
    amount = _AMOUNT.match(note) if approve else None
    if amount is not None:
        refund_fen = min(refund_fen, fen_from_yuan(Decimal(amount.group("yuan"))))
        note = amount.group("rest").strip()
    elif approve and unsettled:
        return [Reply("return_needs_amount", {"id": request.id, "product": product.name})]
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
        "qty_unclear": unsettled,
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
    Route("return_hint", _is_complaint, handle_complaint),
]
