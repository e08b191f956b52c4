"""Tally a pasted text for `tuanbot tally FILE`: a 接龙 post, or a chat log of order messages.

A chat log is read message by message, in order, the way a leader scrolls it:
- a timestamp in front (`2026年10月3日 22:14`, `22:15`) is dropped; `张三: …` and a `张三 22:14`
  line above a message name the sender;
- numbered lines (`2、3栋王姐 1`) are read as 接龙 rows, other lines as chat messages;
- `张三改成3份` replaces the quantity of 张三's earlier row, `李四不要了` sets it to 0 (or adds a
  0 row when 李四 ordered nothing earlier), a second `+1` from the same person goes to review;
- chatter (`收到`, `👌`, questions) is kept as `chatter` rows, so the leader sees every line was read.

Catalog precedence: the catalog passed in, else the one printed in the text, else free product
names as written. Totals count `ok` rows only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from handlers.reading import reasons
from handlers.reading.chain import _NUMBERED, ChainLine, read_chain_row, read_layout, split_chain
from handlers.reading.chat import read_chat_message
from handlers.reading.intents import (
    CancelOrder,
    ChangeOrder,
    ChatIntent,
    Chatter,
    PlaceOrder,
    PlusOne,
    ShowMyOrder,
    Unclear,
)
from handlers.reading.model import CatalogEntry, ReadItem, ReadRow
from handlers.reading.numbers import plain, tidy
from handlers.reading.offer import UNNAMED_OFFER
from handlers.reading.same_row import RowReference, copied_order, row_reference
from handlers.reading.text import bare, normalize_text
from handlers.reading.units import convert
from handlers.reading.words import NOTE_MARK

MAX_TEXT = 200_000
MAX_MESSAGES = 5_000

_DATE = r"(?:\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*日)"
_CLOCK = r"(?:(?:上午|下午|晚上|凌晨|中午|早上)\s*)?\d{1,2}:\d{2}(?::\d{2})?"
_STAMP_FIRST = re.compile(rf"^\[?\s*(?:{_DATE}\s*)?{_CLOCK}\s*\]?\s*|^\[?{_DATE}\]?\s+")
# A sender's name starts with no digit, unless with a building: `9栋老李`, `4栋-王大哥`,
# `12-1-301 小王`.
_NAME_START = r"(?:[^\d\s:：]|\d{1,3}\s*(?:栋|幢|号楼)|\d{1,3}(?:-\d{1,4}){1,2}\s*(?=[^\d\s:：-]))"
_SENDER_LINE = re.compile(rf"^(?P<name>{_NAME_START}[^:：]{{0,23}}?)\s+(?:{_DATE}\s*)?{_CLOCK}\s*$")
# `2024-06-12 18:20:11 陈晨` over the message: how exported chat logs name the sender.
_STAMP_THEN_SENDER = re.compile(rf"^\[?{_DATE}\s*{_CLOCK}\s*\]?\s+(?P<name>[^\d\s:：][^:：]{{0,23}}?)\s*$")
# What a message has and a name does not: a quantity, a count, a plus.
_ORDERISH = re.compile(r"(?<![A-Za-z0-9])\d|[+＋➕]|[一二两三四五六七八九十半](?:份|个|斤|箱|盒|袋)")
_SENDER_ALONE = re.compile(r"^(?P<name>[^\s:：\d][^:：]{0,19}?)\s*[:：]$")
# `张三：…`, and `9栋老李：…`.
_SENDER_PREFIX = re.compile(rf"^(?P<name>{_NAME_START}[^:：]{{0,19}}?)\s*[:：]\s*(?P<msg>\S.*)$")
# `今天的鸡蛋还有以下几户没拿：`, `还有以下几位没付款`: the leader listing who has not collected or
# paid. The lines after it, until someone else speaks, are goods already ordered, not new orders.
# (`我还没拿到` is a member's report, not a list.)
_NOT_COLLECTED = re.compile(
    r"取货提醒|提货提醒|取货通知|付款提醒|还有.{0,8}(?:户|家|位|人|个).{0,4}没(?:拿|取|提|付|转)"
    r"|以下.{0,8}没(?:拿|取|提|付|转)|[没未](?:拿|取|提|付|转)(?:货|款|账)?的(?:有|名单|如下)"
)
# `【到货通知】`, `📢截单啦！`: a leader's notice, whose lines of counts and times order nothing.
_NOTICE_HEAD = re.compile(
    r"^\W{0,3}(?:【[^】]{0,12}(?:通知|公告|提醒|说明|预告)[^】]{0,12}】"
    r"|📢|(?:截单|截团|到货|取货|提货|退款|自提)(?:啦|了|通知|提醒|公告))"
)
_NOT_SENDERS = re.compile(
    r"^(?:备注|地址|电话|时间|地点|价格|例|格式|注|说明|要求|提醒|取货|自提|付款|[A-Za-z])$"
    r"|团购|通知|接龙|今天|明天|今日|今晚|明晚|本周|菜单|价格|公告|到货|截单|小计|小計|合计|合計|总计|總計|共计"
    r"|统计|統計|汇总|匯總|清单|名单|[没未](?:付|转|取|拿)"
)
_LEADER = re.compile(r"团长|群主")
_WXID = re.compile(r"^wxid_\w+$")
_BOTS = re.compile(r"^bot$|机器人|小助手|助理", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Total:
    """One product's total over the confident (`ok`) rows."""

    product: str
    variant: str | None
    qty: Decimal
    unit: str | None


@dataclass(frozen=True, slots=True)
class Tally:
    """Everything read from one pasted text."""

    catalog: tuple[CatalogEntry, ...]
    rows: tuple[ReadRow, ...]
    totals: tuple[Total, ...]
    title: str | None = None
    source: Literal["chain", "chat"] = "chain"


def tally_text(text: str, catalog: Sequence[CatalogEntry] = ()) -> Tally:
    """Tally a pasted 接龙 or chat log. Never raises."""
    text = normalize_text(text)[:MAX_TEXT]
    layout = split_chain(text)
    if layout is not None and layout.catalog and not layout.lines and layout.trailer:
        # A menu posted in the chat, then orders as messages (`小明：#1`): read them against it.
        chosen = tuple(catalog) or layout.catalog
        rows = _read_chat_log("\n".join(layout.trailer), chosen)
        return Tally(chosen, tuple(rows), totals(rows, chosen), layout.title, "chat")
    if layout is not None and (layout.has_header or layout.lines):
        reading = read_layout(layout, catalog)
        rows = _edits_within_the_list(_same_as_above(list(reading.rows)), reading.catalog)
        rows = _with_later_edits(rows, layout.trailer, reading.catalog)
        return Tally(reading.catalog, tuple(rows), totals(rows, reading.catalog), reading.title, "chain")
    chosen = tuple(catalog)
    rows = _read_chat_log(text, chosen)
    return Tally(chosen, tuple(rows), totals(rows, chosen), None, "chat")


def _same_as_above(rows: list[ReadRow]) -> list[ReadRow]:
    """A row that orders nothing but says 同上 orders what the row above it ordered; `同2号` and
    `跟幺妹儿一样` what row 2, or 幺妹儿's row, ordered. The copy is as sure as the row it copies:
    a doubtful row makes a doubtful copy."""
    copied: list[ReadRow] = []
    for row in rows:
        said = row_reference(_without_number(row.raw))
        if said is None or row.status == "example" or not copied:
            copied.append(row)
        elif said.may_mean_a_product(row.items):
            detail = f"「{said.word}」是第{said.seq}行的订单，还是{said.seq}号商品?"
            copied.append(_doubt(row, reasons.AMBIGUOUS_PRODUCT, detail))
        else:
            copied.append(_copy_of(row, _row_meant(copied, said), said))
    return copied


def _without_number(raw: str) -> str:
    """A list row as printed, without its number (`3. 阿芳 同上` → ` 阿芳 同上`)."""
    first, newline, rest = raw.partition("\n")
    numbered = _NUMBERED.match(first)
    return (numbered.group("body") if numbered else first) + newline + rest


def _copy_of(row: ReadRow, meant: ReadRow | None, said: RowReference) -> ReadRow:
    if row.items or meant is None or not meant.items or meant.status not in ("ok", "review"):
        return row
    return copied_order(
        row, said, meant.items, status=meant.status, reason=meant.reason, detail=meant.reason_detail
    )


def _row_meant(earlier: list[ReadRow], said: RowReference) -> ReadRow | None:
    if said.seq is not None:
        return next((r for r in earlier if r.seq == said.seq), None)
    if said.name is not None:
        found = _rows_of(earlier, said.name)
        return earlier[found[-1]] if found else None
    return earlier[-1]


# `10. 刘翠花 改成三板`, `刘哥 广味的改成3斤`: a member changing their own row further up the list.
_EDIT_WORDS = re.compile(r"改成|改为|改一下|换成|不要了|取消")


def _edits_within_the_list(rows: list[ReadRow], catalog: tuple[CatalogEntry, ...]) -> list[ReadRow]:
    """A row that changes or cancels the order of a member with a row above it changes that row,
    as `_with_later_edits` does for a message under the list; it orders nothing of its own. Left
    as a row of its own, `改成三板` would add three to the two already counted."""
    kept: list[ReadRow] = []
    for row in rows:
        body = _without_number(row.raw).strip()
        earlier = _rows_of(kept, row.name) if row.name and _EDIT_WORDS.search(body) else []
        if len({kept[i].note for i in earlier}) > 1:
            # `1栋 王姐` and `5栋 王姐`, then `王姐 不要了`: which 王姐, the leader asks.
            kept.append(_doubt(row, reasons.AMBIGUOUS_PRODUCT, f"上面有几位 {row.name}，改的是哪一位?"))
            continue
        if earlier:
            intent = read_chat_message(body.replace(row.name or "", "", 1).strip(), catalog)
            ordered = {item.product for i in earlier for item in kept[i].items}
            if isinstance(intent, ChangeOrder) and any(
                not item.implicit and item.product not in ordered for item in intent.items
            ):
                # `不要辣那份改成C` after `A两份`: a dish swapped for one of several, which only they know.
                kept.append(_doubt(row, reasons.AMBIGUOUS_PRODUCT, "改成的是之前没订的，换掉的是哪一份?"))
                continue
            if isinstance(intent, ChangeOrder | CancelOrder):
                # Whose order it is, the row already says (`广味的改成3斤` names no one).
                _apply(kept, replace(intent, name=None), row.raw, row.name, catalog)
                continue
        kept.append(row)
    return kept


def _with_later_edits(
    rows: list[ReadRow], trailer: Sequence[str], catalog: tuple[CatalogEntry, ...]
) -> list[ReadRow]:
    """`大刘：香蕉不要了`, `阿花：苹果改成5斤` pasted under the list: a member changing their own row.
    Only changes and cancels of someone on the list count; anything else below it stays unread."""
    for line in trailer:
        prefix = _SENDER_PREFIX.match(line)
        if prefix is None or _NOT_SENDERS.search(prefix.group("name").strip()):
            continue
        name = prefix.group("name").strip()
        intent = read_chat_message(prefix.group("msg"), catalog)
        if isinstance(intent, ChangeOrder | CancelOrder) and _rows_of(rows, intent.name or name):
            _apply(rows, intent, line, name, catalog)
    return rows


def totals(rows: Sequence[ReadRow], catalog: Sequence[CatalogEntry] = ()) -> tuple[Total, ...]:
    """Per product (and variant and unit), the sum over `ok` rows, in catalog order (then in order of
    appearance), the way a supplier reads the list; products totalling 0 are left out."""
    sums: dict[tuple[str, str | None, str | None], Decimal] = {}
    for row in rows:
        if row.status != "ok":
            continue
        for item in row.items:
            key = (item.product, item.variant, item.unit)
            sums[key] = sums.get(key, Decimal(0)) + item.qty
    position = {entry.name: i for i, entry in reversed(list(enumerate(catalog)))}
    ordered = sorted(sums.items(), key=lambda kv: position.get(kv[0][0], len(position)))
    return tuple(Total(p, v, tidy(q), u) for (p, v, u), q in ordered if q != 0)


# --- chat logs ---------------------------------------------------------------------------------


def _read_chat_log(text: str, catalog: tuple[CatalogEntry, ...]) -> list[ReadRow]:
    rows: list[ReadRow] = []
    sender: str | None = None
    # Set to (the sender,) once a not-collected list starts; what that sender writes next is chatter.
    listing_from: tuple[str | None] | None = None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for at, line in enumerate(lines[:MAX_MESSAGES]):
        sender_line = _SENDER_LINE.match(line)
        if sender_line is not None and not _STAMP_FIRST.match(line):
            sender = sender_line.group("name").strip()
            continue
        stamped_sender = _STAMP_THEN_SENDER.match(line)
        if stamped_sender is not None and _names_sender(stamped_sender.group("name"), lines, at):
            sender = stamped_sender.group("name").strip()
            continue
        message = _STAMP_FIRST.sub("", line).strip()
        if not message:
            continue
        alone = _SENDER_ALONE.match(message)
        if alone is not None and not _NOT_SENDERS.search(alone.group("name").strip()):
            sender = alone.group("name").strip()  # `张三：` over a message of several lines
            continue
        prefix = _SENDER_PREFIX.match(message)
        if prefix is not None and not _NOT_SENDERS.search(prefix.group("name").strip()):
            name = prefix.group("name").strip()
            sender = None if _WXID.match(name) else name
            message = prefix.group("msg").strip()
        if sender is not None and _BOTS.search(sender):
            continue  # the bot's own confirmations repeat orders; they are not new ones
        if _NOT_COLLECTED.search(message):
            listing_from = (sender,)
        if at == 0 and sender is None and _NOTICE_HEAD.match(message):
            listing_from = (None,)  # 【到货通知】 over lines of times, counts and refunds: all one notice
        if listing_from == (sender,):
            rows.append(ReadRow(seq=None, name=sender, note=None, status="chatter", reason=None, raw=line))
            continue
        numbered = _NUMBERED.match(message)
        if numbered is not None and numbered.group("body").strip():
            seq = int(numbered.group("n") or numbered.group("n2") or 1) if not numbered.group("c") else None
            row = read_chain_row(ChainLine(seq=seq, text=numbered.group("body").strip(), raw=line), catalog)
            rows.append(row if row.name or sender is None else replace(row, name=sender))
            continue
        intent = read_chat_message(message, catalog)
        if _speaks_for_the_group(sender, intent):
            rows.append(ReadRow(seq=None, name=sender, note=None, status="chatter", reason=None, raw=line))
            continue
        _apply(rows, intent, line, sender, catalog)
    if len(lines) > MAX_MESSAGES:
        unread = len(lines) - MAX_MESSAGES
        rows.append(
            _review_row(None, f"（另有 {unread} 行未读）", reasons.TOO_LONG, f"后面 {unread} 行没有读")
        )
    return rows


def _speaks_for_the_group(sender: str | None, intent: ChatIntent) -> bool:
    """`团长小芳：有的，还有20盒`, `阿梅团长：三斤起哦`: the leader answering or announcing. A count in a
    leader's message is an order only for a member it names (`团长：王奶奶 2斤`)."""
    if sender is None or _LEADER.search(sender) is None:
        return False
    return isinstance(intent, PlaceOrder | PlusOne | Unclear) and not intent.name


def _names_sender(name: str, lines: list[str], at: int) -> bool:
    """Whether `date time NAME` is a sender line: the next line is the unstamped message, and the
    words after the stamp read as a name, not a message (`22:15 收到`, `… 1. 张三 2份`)."""
    following = lines[at + 1] if at + 1 < len(lines) else ""
    return bool(following) and not _STAMP_FIRST.match(following) and not _ORDERISH.search(name)


def _apply(
    rows: list[ReadRow], intent: ChatIntent, raw: str, sender: str | None, catalog: tuple[CatalogEntry, ...]
) -> None:
    """Fold one chat message into the rows read so far."""
    if isinstance(intent, Chatter | ShowMyOrder):
        rows.append(ReadRow(seq=None, name=sender, note=None, status="chatter", reason=None, raw=raw))
        return
    if isinstance(intent, Unclear):
        rows.append(
            ReadRow(
                None, intent.name or sender, None, "review", intent.reason, raw, intent.items, intent.detail
            )
        )
        return
    name = intent.name or sender
    if isinstance(intent, PlaceOrder):
        row = ReadRow(None, name, intent.note, "ok", None, raw, intent.items)
        if not name:
            row = _doubt(row, reasons.NO_NAME, "不知道是谁的订单")
        elif _unnamed_among_named(intent.items, rows, catalog):
            # 那我要一板, after others ordered 鸡蛋 and 土豆 by name: a count of which product?
            row = _doubt(row, reasons.AMBIGUOUS_PRODUCT, "没写要哪个商品")
        rows.append(row)
        return
    if isinstance(intent, PlusOne):
        item = _implicit_item(intent.qty, raw, catalog)
        row = ReadRow(None, name, None, "ok", None, raw, (item,))
        if not name:
            row = _doubt(row, reasons.NO_NAME, "不知道是谁的 +1")
        elif _rows_of(rows, name):
            row = _doubt(row, reasons.REPEATED_PLUS_ONE, f"{name} 之前已经接过龙，这是再加一份吗?")
        elif len(catalog) != 1 and _named_products(rows):
            # After `张三：苹果2斤`, a +1 may mean "the same as 张三": ask which product.
            row = _doubt(row, reasons.AMBIGUOUS_PRODUCT, "+1 是要哪个商品?")
        rows.append(row)
        return
    if isinstance(intent, ChangeOrder):
        _change(rows, intent, name, raw)
        return
    _cancel(rows, intent, name, raw, catalog)


def _change(rows: list[ReadRow], intent: ChangeOrder, name: str | None, raw: str) -> None:
    earlier = _rows_of(rows, name) if name else []
    if not earlier:
        row = ReadRow(None, name, None, "review", None, raw, intent.items)
        rows.append(_doubt(row, reasons.NOTHING_TO_CHANGE, "要改的订单之前没有找到"))
        return
    named = {change.product for change in intent.items if not change.implicit}
    # 苹果改成3斤 after 苹果 and 香蕉 came in two messages: the row with 苹果, not the last one.
    at = next((i for i in reversed(earlier) if named & {item.product for item in rows[i].items}), earlier[-1])
    row = rows[at]
    items = list(row.items)
    problem = None
    for change in intent.items:
        same = [i for i, item in enumerate(items) if item.product == change.product]
        if change.implicit and len(items) == 1:
            same = [0]
        if not same:
            if change.implicit:
                problem = "没写改哪个商品"
            elif change.qty == 0:
                problem = f"之前没有订 {change.product}"  # 苹果换成梨: but no 苹果 was ordered
            else:
                items.append(change)
            continue
        old = items[same[0]]
        qty = convert(change.qty, change.unit, old.unit) if change.unit and old.unit else change.qty
        if qty is None and old.implicit and old.product == UNNAMED_OFFER:
            # +1, then 改成2箱: the day's unnamed offer, now counted in the unit the member wrote.
            items[same[0]] = replace(old, qty=tidy(change.qty), unit=change.unit, raw=change.raw)
            continue
        if qty is None:
            problem = f"{old.product} 的单位对不上"
            continue
        items[same[0]] = replace(old, qty=tidy(qty), raw=change.raw)
    changed = replace(row, items=tuple(items), raw=f"{row.raw}\n{raw}")
    rows[at] = _doubt(changed, reasons.AMBIGUOUS_PRODUCT, problem) if problem else changed


def _cancel(
    rows: list[ReadRow], intent: CancelOrder, name: str | None, raw: str, catalog: tuple[CatalogEntry, ...]
) -> None:
    earlier = _rows_of(rows, name) if name else []
    if not earlier:
        products = intent.products or (None,)
        items = tuple(
            _implicit_item(Decimal(0), raw, catalog) if p is None else ReadItem(p, Decimal(0), None, raw)
            for p in products
        )
        row = ReadRow(None, name, None, "ok", None, raw, items)
        rows.append(row if name else _doubt(row, reasons.NO_NAME, "不知道是谁要取消"))
        return
    for at in earlier:
        row = rows[at]
        items = tuple(
            replace(item, qty=Decimal(0)) if not intent.products or item.product in intent.products else item
            for item in row.items
        )
        rows[at] = replace(row, items=items, raw=f"{row.raw}\n{raw}")


def _rows_of(rows: list[ReadRow], name: str | None) -> list[int]:
    """The earlier order rows of the person called `name`."""
    key = bare(name or "")
    if not key:
        return []
    return [
        i
        for i, row in enumerate(rows)
        if row.items and row.status in ("ok", "review") and key in _called(row.name)
    ]


def _called(name: str | None) -> set[str]:
    """What a row's member may be called later: the name, and its last word (`渝北 刘哥` is 刘哥)."""
    words = (name or "").split()
    return {bare(name or ""), bare(words[-1])} if words else set()


def _unnamed_among_named(
    items: tuple[ReadItem, ...], rows: list[ReadRow], catalog: tuple[CatalogEntry, ...]
) -> bool:
    """A count of the day's unnamed offer in a chat where orders name their products."""
    unnamed = any(item.implicit and item.product == UNNAMED_OFFER for item in items)
    return unnamed and len(catalog) != 1 and _named_products(rows)


def _named_products(rows: list[ReadRow]) -> bool:
    """Whether any earlier order named its product, rather than only counting the day's offer."""
    return any(not item.implicit for row in rows if row.status == "ok" for item in row.items)


def _implicit_item(qty: Decimal, raw: str, catalog: tuple[CatalogEntry, ...]) -> ReadItem:
    if len(catalog) == 1:
        entry = catalog[0]
        return ReadItem(entry.name, qty, entry.unit, raw, code=entry.code, implicit=True)
    return ReadItem(UNNAMED_OFFER, qty, "份", raw, implicit=True)


def _doubt(row: ReadRow, reason: str, detail: str) -> ReadRow:
    return replace(row, status="review", reason=reason, reason_detail=detail)


def _review_row(seq: int | None, raw: str, reason: str, detail: str) -> ReadRow:
    return ReadRow(
        seq=seq, name=None, note=None, status="review", reason=reason, raw=raw, reason_detail=detail
    )


# --- output ------------------------------------------------------------------------------------


def tally_to_json(tally: Tally) -> dict[str, Any]:
    """The tally in the stable shape the project's accuracy checks read. Do not change keys."""
    return {
        "catalog": [
            {
                "code": entry.code,
                "name": entry.name,
                "unit": entry.unit,
                "price": None if entry.price_fen is None else plain(Decimal(entry.price_fen) / 100),
            }
            for entry in tally.catalog
        ],
        "rows": [
            {
                "seq": row.seq,
                "name": row.name,
                "note": row.note,
                "status": row.status,
                "reason": row.reason,
                "raw": row.raw,
                "items": [
                    {
                        "product": item.product,
                        "variant": item.variant,
                        "code": item.code,
                        "qty": plain(item.qty),
                        "unit": item.unit,
                        "raw": item.raw,
                    }
                    for item in row.items
                ],
            }
            for row in tally.rows
        ],
        "totals": [
            {"product": t.product, "variant": t.variant, "qty": plain(t.qty), "unit": t.unit}
            for t in tally.totals
        ],
    }


def format_tally_text(tally: Tally) -> str:
    """Per-product totals, then one line per person, then what needs the leader: plain text."""
    lines = [f"接龙：{tally.title}" if tally.title else "统计", "", "【汇总】（只算确认的行）"]
    for total in tally.totals:
        lines.append(f"  {_product_label(total.product, total.variant)}  {_amount(total.qty, total.unit)}")
    if not tally.totals:
        lines.append("  （没有确认的订单）")
    lines += ["", "【明细】"]
    for row in tally.rows:
        if row.status in ("ok", "review"):
            mark = "" if row.status == "ok" else " ⚠"
            items = "，".join(
                f"{_product_label(i.product, i.variant)} {_amount(i.qty, i.unit)}" for i in row.items
            )
            note = f"  [{row.note}]" if row.note else ""
            lines.append(f"  {_seq(row)}{row.name or '（无名）'}：{items or '—'}{note}{mark}")
    review = [row for row in tally.rows if row.status == "review"]
    if review:
        lines += ["", f"【待确认】{len(review)} 行"]
        lines += [f"  {row.raw.splitlines()[0]}  ← {row.reason_detail or row.reason}" for row in review]
    skipped = sum(1 for row in tally.rows if row.status in ("chatter", "example"))
    if skipped:
        lines += ["", f"（另有 {skipped} 行是示例、报名或闲聊，未计入）"]
    return "\n".join(lines)


def render_rows_as_chain(rows: Sequence[ReadRow], title: str | None = None) -> str:
    """Write rows back as a 接龙 post, numbered from 1: confident rows as read (product names,
    quantities, `（备注：…）`), doubtful rows in the member's own words, sign-ups by name; examples,
    cancelled rows and unnamed chatter left out."""
    lines = ["#接龙" + (f" {title}" if title else "")]
    number = 0
    for row in rows:
        cancelled = bool(row.items) and all(item.qty == 0 for item in row.items)
        if row.status == "example" or cancelled or (row.status == "chatter" and not row.name):
            continue
        number += 1
        if row.status == "chatter":
            lines.append(f"{number}. {' '.join(p for p in (row.name, row.note) if p)}")
        elif row.status == "ok":
            body = " ".join(_written(item) for item in row.items)
            note = f"（{NOTE_MARK}：{row.note}）" if row.note else ""
            lines.append(f"{number}. {' '.join(p for p in (row.name or '', body) if p)}{note}")
        else:
            lines.append(f"{number}. {_member_words(row)}")
    return "\n".join(lines)


def _member_words(row: ReadRow) -> str:
    first = row.raw.split("\n")[0]
    numbered = _NUMBERED.match(first)
    body = numbered.group("body").strip() if numbered else first
    return " ".join(body.split()) or (row.name or "")


def _written(item: ReadItem) -> str:
    qty = plain(item.qty)
    label = (
        "" if item.implicit and item.product == UNNAMED_OFFER else _product_label(item.product, item.variant)
    )
    if item.unit:
        return f"{label}{qty}{item.unit}"
    return f"{label}x{qty}"


def _product_label(product: str, variant: str | None) -> str:
    return f"{product}（{variant}）" if variant else product


def _amount(qty: Decimal, unit: str | None) -> str:
    return f"{plain(qty)}{unit or ''}"


def _seq(row: ReadRow) -> str:
    return f"{row.seq}. " if row.seq is not None else ""
