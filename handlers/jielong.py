"""接龙 lists: each member reposts the whole list with their line added; only what changed counts.

A repost is compared with the last list kept for the campaign, line by line, by content:
- an unchanged line costs nothing and is not even read;
- a new line goes into its writer's order (the sender, or for WeChat's 群接龙 card, the author);
- a line changed or removed by its own writer updates or cancels their order by the difference;
- a change to someone else's line is not applied: the leaders are asked to review it, because
  copy mistakes happen; a line missing from a repost made at the same time as another is kept.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from handlers.base import JIELONG_ROUTE, Context, Reply, Route
from handlers.catalog_view import catalog_of
from handlers.line_items import applied_quantities, decode_applied, difference, encode_applied, sum_applied
from handlers.ordering import ApplyResult, LineResult, apply_items
from handlers.orders import cancel_items
from handlers.people import address_in, remember_address, same_person
from handlers.questions import LineInDoubt, ask_back
from handlers.reading import (
    CancelOrder,
    ChainLayout,
    ChainLine,
    ChangeOrder,
    Offer,
    match_product,
    read_chain_row,
    read_chat_message,
    reasons,
    split_chain,
)
from handlers.reading.model import CatalogEntry, ReadItem, ReadRow
from handlers.reading.same_row import copied_order, row_reference
from handlers.replies import confirmation
from models import members as member_rows
from models import reviews
from models.campaigns import takes_orders
from models.jielong import StateLine, chain_sharing_lines, load_state, save_state
from models.tables import Member

OTHERS_LINE_CHANGED = "others_line_changed"
OTHERS_LINE_REMOVED = "others_line_removed"
# `张三 改成3板`: a line whose writer changes the order they already have, rather than adding to it.
_CHANGE_WORDS = ("改成", "改为", "换成")
# `香蕉改成3把 再加1板鸡蛋`: a change and more besides; its writer is asked what the order is now.
# `张三 不要了`, `王奶奶 取消`: a line with no goods withdrawing its writer's (or a neighbour's) order.
_CANCEL_WORDS = ("不要了", "不要啦", "取消", "不买了", "不订了")
_MORE_THAN_A_CHANGE = ("再", "加", "还要", "另外", "，", ",", "、", "+", "＋")


@dataclass(frozen=True)
class SeenLine:
    """A line of the incoming list with its identity and, when known, who wrote it."""

    key: str
    line: ChainLine
    author_id: str | None = None


def _layout(ctx: Context) -> ChainLayout | None:
    """The message read as a 接龙 list, once per message (the route's rule and handler both need it)."""
    if "chain_layout" not in ctx.memo:
        ctx.memo["chain_layout"] = split_chain(ctx.text)
    layout: ChainLayout | None = ctx.memo["chain_layout"]
    return layout


def _is_chain(ctx: Context) -> bool:
    if ctx.message.kind == "jielong" and ctx.message.jielong_entries:
        return True
    layout = _layout(ctx)
    if layout is None or not layout.lines:
        return False
    return layout.has_header or layout.title is not None or _names_anyone(ctx, layout)


def _names_anyone(ctx: Context, layout: ChainLayout) -> bool:
    """Whether a bare numbered list (no #接龙, no title) is a list of people's orders.

    "1. 红富士2斤 / 2. 香蕉1把" is one person's order written as a list, and two neighbours may
    well write the same one; "1. 张三 红富士2斤 / 2. 李四 香蕉1把" is a 接龙 reposted without its
    header.
    """
    catalog = catalog_of(ctx.offers())
    return any(read_chain_row(line, catalog).name for line in layout.lines)


def line_keys(lines: Sequence[ChainLine]) -> list[str]:
    """Identity of each line across reposts: its text, plus a count for identical lines."""
    seen: Counter[str] = Counter()
    keys = []
    for line in lines:
        text = " ".join(line.text.split())
        seen[text] += 1
        keys.append(text if seen[text] == 1 else f"{text}#{seen[text]}")
    return keys


def _incoming(ctx: Context) -> tuple[str, list[SeenLine]]:
    """The list's identity (from its title) and its member lines."""
    if ctx.message.kind == "jielong" and ctx.message.jielong_entries:
        entries = ctx.message.jielong_entries
        lines = [ChainLine(seq=e.seq, text=e.text) for e in entries]
        title = ctx.message.jielong_title or ""
        authors: list[str | None] = [e.author_id for e in entries]
    else:
        layout = _layout(ctx)
        assert layout is not None
        lines = list(layout.lines)
        title = layout.title or ""
        authors = [None] * len(lines)
    keys = line_keys(lines)
    chain_key = hashlib.sha256(" ".join(title.split()).encode()).hexdigest()[:16]
    return chain_key, [
        SeenLine(key=k, line=line, author_id=a) for k, line, a in zip(keys, lines, authors, strict=True)
    ]


def handle_chain(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if campaign is None or campaign.id is None:
        return [Reply("no_campaign", {"name": ctx.member.display_name}, mentions=ctx.me)]
    chain_key, seen = _incoming(ctx)
    read, state = load_state(session=ctx.session, campaign_id=campaign.id, chain_key=chain_key)
    if read is None:
        renamed = chain_sharing_lines(
            session=ctx.session, campaign_id=campaign.id, keys=[line.key for line in seen]
        )
        if renamed is not None:
            chain_key = renamed
            read, state = load_state(session=ctx.session, campaign_id=campaign.id, chain_key=chain_key)
    known = {line.key for line in state}
    if all(s.key in known for s in seen) and len(seen) >= len(state):
        return []  # an unchanged repost
    if not takes_orders(campaign, ctx.now):
        return [
            Reply(
                "campaign_closed",
                {"name": ctx.member.display_name, "title": campaign.title},
                mentions=ctx.me,
            )
        ]
    layout = _layout(ctx) if ctx.message.kind != "jielong" else None
    apply = _ChainApplier(
        ctx,
        catalog_of(ctx.offers()),
        chain_key=chain_key,
        first_version=not state,
        offer=layout.offer if layout else None,
    )
    new_state = apply.merge(state, seen)
    save_state(
        session=ctx.session,
        read=read,
        campaign_id=campaign.id,
        chain_key=chain_key,
        before=state,
        after=new_state,
        now=ctx.now,
    )
    return apply.replies()


def _applied_line(item: SeenLine, row: ReadRow, owner: Member, changes: list[LineResult]) -> StateLine:
    """A line kept with what it changed in its owner's order, so that editing or removing it later
    changes the order by the difference."""
    return StateLine(
        key=item.key,
        name=row.name,
        owner=owner.id,
        applied=encode_applied(sum_applied({}, changes)),
        status="ok",
    )


@dataclass
class _LinesAbove:
    """What each line above put in an order, by its number and its name, for a line copying one."""

    last: tuple[ReadItem, ...] = ()
    by_seq: dict[int, tuple[ReadItem, ...]] = field(default_factory=dict)
    by_name: dict[str, tuple[ReadItem, ...]] = field(default_factory=dict)

    def add(self, line: ChainLine, name: str | None, items: tuple[ReadItem, ...]) -> None:
        self.last = items
        if line.seq is not None:
            self.by_seq[line.seq] = items
        if name:
            self.by_name[name] = items

    def copied_by(self, row: ReadRow, item: SeenLine) -> ReadRow:
        """`王五 同上`, `小吴 同2号`, `胖娃儿 跟幺妹儿一样`: the same goods as the line meant, for
        whoever wrote it; the row as read when it orders anything itself or names no line above."""
        said = row_reference(item.line.text)
        if said is None or row.status == "example":
            return row
        if said.may_mean_a_product(row.items):
            return replace(row, status="review", reason=reasons.AMBIGUOUS_PRODUCT)
        if row.items:
            return row
        if said.seq is not None:
            items = self.by_seq.get(said.seq, ())
        elif said.name is not None:
            items = next((v for k, v in self.by_name.items() if same_person(k, said.name)), ())
        else:
            items = self.last
        if not items:
            return row
        return copied_order(row, said, items)


class _ChainApplier:
    """Works out one repost: which lines are new, changed or gone, and applies them."""

    def __init__(
        self,
        ctx: Context,
        catalog: tuple[CatalogEntry, ...],
        *,
        chain_key: str,
        first_version: bool,
        offer: Offer | None,
    ) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.chain_key = chain_key
        # What the list's title sells, for lines that name only a quantity (a meal relay, say).
        self.offer = offer
        self.first_version = first_version
        self.results: dict[int, tuple[Member, ApplyResult, bool]] = {}
        self.questions: list[Reply] = []
        self.cancellations: list[Reply] = []
        self.leader_notes: list[dict[str, str]] = []
        # Several new lines at once (a first post, or reposts that crossed) may be other people's.
        self._several_new_lines = False

    def merge(self, state: Sequence[StateLine], seen: list[SeenLine]) -> list[StateLine]:
        seen_keys = {s.key for s in seen}
        known = {line.key: line for line in state}
        missing = [line for line in state if line.key not in seen_keys]
        self._several_new_lines = sum(1 for s in seen if s.key not in known) > 1
        merged: list[StateLine] = []
        first_member_line = True
        above = _LinesAbove()
        for item in seen:
            old = known.get(item.key)
            if old is not None:
                merged.append(old)
                first_member_line = False
                items = self._applied_items(old.applied) if old.status == "ok" and old.applied else ()
                above.add(item.line, old.name, items)
                continue
            row = read_chain_row(
                item.line, self.catalog, first_row=self.first_version and first_member_line, offer=self.offer
            )
            first_member_line = False
            row = above.copied_by(row, item)
            above.add(item.line, row.name, row.items if row.status == "ok" else ())
            edited = self._edited_line(row, item, missing)
            if edited is not None:
                missing.remove(edited)
                merged.append(self._edit(edited, item, row))
            else:
                merged.append(self._add(item, row))
        for gone in missing:
            kept = self._remove(gone)
            if kept is not None:
                merged.append(kept)
        return merged

    def _edited_line(self, row: ReadRow, item: SeenLine, missing: list[StateLine]) -> StateLine | None:
        """The old line this new one replaces: the same name, or the same writer's only missing line."""
        if row.name:
            for old in missing:
                if old.name == row.name:
                    return old
        author = self._author(item)
        own = [old for old in missing if old.owner is not None and old.owner == author.id]
        return own[0] if len(own) == 1 else None

    def _author(self, item: SeenLine, row: ReadRow | None = None) -> Member:
        """Who wrote the line: the card's author when WeChat says, else whoever posted the list."""
        if not item.author_id:
            return self.ctx.member
        if item.author_id == self.ctx.message.sender_id:
            return self.ctx.member
        known = member_rows.get_member_by_wechat(
            session=self.ctx.session, group_id=self.ctx.group_id, wechat_id=item.author_id
        )
        if known is not None:
            return known
        return member_rows.ensure_member(
            session=self.ctx.session,
            group_id=self.ctx.group_id,
            wechat_id=item.author_id,
            display_name=(row.name if row is not None and row.name else item.author_id),
            now=self.ctx.now,
        )

    def _add(self, item: SeenLine, row: ReadRow) -> StateLine:
        changed = self._change_of_own_order(item, row)
        if changed is not None:
            return changed
        if row.status != "ok" and row.status != "review":
            return StateLine(key=item.key, name=row.name, owner=None, applied=None, status=row.status)
        owner = self._owner_of_new_line(item, row)
        if row.status == "review":
            self._doubt(owner, item, row)
            return StateLine(key=item.key, name=row.name, owner=owner.id, applied=None, status="review")
        remember_address(owner, row.note)
        on_behalf = not item.author_id and owner.id != self.ctx.member.id
        return _applied_line(item, row, owner, self._apply(owner, row.items, on_behalf=on_behalf))

    def _change_of_own_order(self, item: SeenLine, row: ReadRow) -> StateLine | None:
        """`张三 改成3板` or `张三 不要了` added under the list: the writer changing or cancelling
        their order (a leader may do so for a neighbour named on the line). Read as a line of its
        own, 改成3板 is asked about as goods nobody sells, and 不要了 does nothing at all."""
        text = item.line.text
        changing = any(word in text for word in _CHANGE_WORDS)
        cancelling = not row.items and any(word in text for word in _CANCEL_WORDS)
        if not changing and not cancelling:
            return None
        author = self._author(item)
        owner = self._whose_order(author, row)
        if owner is None:
            return None
        on_behalf = owner.id != author.id
        intent = read_chat_message(text.replace(row.name, "", 1) if row.name else text, self.catalog)
        if cancelling and isinstance(intent, CancelOrder) and not intent.name:
            self.cancellations.append(cancel_items(self.ctx, owner, intent.products, proxy=on_behalf))
            # A cancel is not undone by taking the line out again: the order is gone, as the reply says.
            return StateLine(key=item.key, name=row.name, owner=owner.id, applied=None, status="ok")
        if not isinstance(intent, ChangeOrder) or intent.name or any(w in text for w in _MORE_THAN_A_CHANGE):
            # Neither a plain change nor safely more of the order: the writer is asked.
            self._doubt(owner, item, replace(row, status="review", reason=reasons.AMBIGUOUS_QUANTITY))
            return StateLine(key=item.key, name=row.name, owner=owner.id, applied=None, status="review")
        changes = self._apply(owner, intent.items, on_behalf=on_behalf, additive=False)
        return _applied_line(item, row, owner, changes)

    def _whose_order(self, author: Member, row: ReadRow) -> Member | None:
        """The line's writer's own order, or, for a leader's line naming one neighbour who has
        ordered, that neighbour's; None when the line names someone else it may not change."""
        if not row.name or same_person(row.name, author.display_name):
            return author
        if not self.ctx.is_leader:
            return None
        named = member_rows.find_members_by_name(
            session=self.ctx.session, group_id=self.ctx.group_id, name=row.name
        )
        return named[0] if len(named) == 1 else None

    def _owner_of_new_line(self, item: SeenLine, row: ReadRow) -> Member:
        """Who a new line belongs to: its card author, else its writer, unless it names another
        member or is a leader's line for a neighbour."""
        if item.author_id:
            return self._author(item, row)
        if row.name and not same_person(row.name, self.ctx.member.display_name):
            named = member_rows.find_members_by_name(
                session=self.ctx.session, group_id=self.ctx.group_id, name=row.name
            )
            if named:
                return named[0]
            # Only a leader writes lines for neighbours without WeChat. A member's lines for
            # names nobody knows (小何, 何妈妈) are her household's and count toward her limits.
            if self._several_new_lines and self.ctx.is_leader:
                return member_rows.ensure_proxy_member(
                    session=self.ctx.session,
                    group_id=self.ctx.group_id,
                    name=row.name,
                    address=address_in(row.note),
                    now=self.ctx.now,
                )
        return self.ctx.member

    def _edit(self, old: StateLine, item: SeenLine, row: ReadRow) -> StateLine:
        author = self._author(item)
        if old.owner is not None and old.owner != author.id:
            self._note_for_leaders(OTHERS_LINE_CHANGED, old, item.line.text)
            return replace(old, key=item.key)
        owner = self.ctx.session.get(Member, old.owner) if old.owner is not None else author
        assert owner is not None
        if old.status == "review":
            # The writer fixed the line the bot asked about: the question is answered by the fix.
            reviews.settle_line_reviews(
                session=self.ctx.session, group_id=self.ctx.group_id, line_key=old.key, now=self.ctx.now
            )
        if row.status == "review":
            self._doubt(owner, item, row, old.applied)
            return replace(old, key=item.key, name=row.name, status="review")
        before = self._applied_items(old.applied)
        after = row.items if row.status == "ok" else ()
        change = self._apply(owner, difference(after, before, self.ctx), on_behalf=False)
        applied = sum_applied(applied_quantities(before, self.ctx), change)
        return StateLine(
            key=item.key,
            name=row.name,
            owner=owner.id,
            applied=encode_applied(applied),
            status=row.status,
        )

    def _remove(self, gone: StateLine) -> StateLine | None:
        """A line missing from the repost: its own writer removed it, or someone reposted an older copy."""
        author_id = self.ctx.member.id
        if gone.owner is None or gone.owner != author_id:
            if gone.owner is not None and self.ctx.is_leader:
                self._note_for_leaders(OTHERS_LINE_REMOVED, gone, "")
            return gone
        if gone.status == "review":
            reviews.settle_line_reviews(
                session=self.ctx.session, group_id=self.ctx.group_id, line_key=gone.key, now=self.ctx.now
            )
        negated = tuple(replace(i, qty=-i.qty) for i in self._applied_items(gone.applied))
        self._apply(self.ctx.member, negated, on_behalf=False)
        return None

    def _applied_items(self, stored: str | None) -> tuple[ReadItem, ...]:
        """What a line put in its owner's order, as items (a list saved by an older version kept the
        line's text, which is read again)."""
        items = decode_applied(stored)
        if items is not None:
            return items
        assert stored is not None
        return read_chain_row(ChainLine(seq=None, text=stored), self.catalog, offer=self.offer).items

    def _apply(
        self, owner: Member, items: Sequence[ReadItem], *, on_behalf: bool, additive: bool = True
    ) -> list[LineResult]:
        """Put items in the owner's order (or, not `additive`, set them to these quantities);
        `on_behalf` when the poster wrote someone else's line. Returns what changed, which is what
        the line now has in the order."""
        if not items:
            return []
        entered_by = self.ctx.member if on_behalf else owner
        result = apply_items(self.ctx, member=owner, items=items, additive=additive, entered_by=entered_by)
        assert owner.id is not None
        if owner.id in self.results:
            earlier = self.results[owner.id][1]
            earlier.changed.extend(result.changed)
            earlier.refused.extend(result.refused)
            earlier.unmatched.extend(result.unmatched)
        else:
            self.results[owner.id] = (owner, result, on_behalf)
        return list(result.changed)

    def _doubt(self, owner: Member, item: SeenLine, row: ReadRow, applied: str | None = None) -> None:
        """Ask the writer about their own line (one question per repost); anyone else's line in
        doubt waits for the leaders. Either is settled when the line is corrected."""
        if owner.id == self.ctx.member.id and not self.questions:
            self.questions.append(
                ask_back(
                    self.ctx,
                    reason=row.reason or "unclear",
                    candidates=self._candidates(row),
                    items=row.items,
                    text=item.line.text,
                    line=LineInDoubt(self.chain_key, item.key, applied),
                )
            )
        else:
            reviews.open_review(
                session=self.ctx.session,
                group_id=self.ctx.group_id,
                campaign_id=self._campaign_id(),
                member_id=owner.id,
                text=item.line.text,
                reason=row.reason or "unclear",
                now=self.ctx.now,
                source_message_id=self.ctx.message.message_id,
                context={"line_key": item.key},
            )

    def _candidates(self, row: ReadRow) -> tuple[CatalogEntry, ...]:
        """The products a line in doubt may mean: those its words fit, else the whole catalog."""
        fits = [
            entry
            for read in row.items
            for entry in match_product(read.product, self.catalog).candidates
            if not read.implicit
        ]
        return tuple(dict.fromkeys(fits)) or self.catalog

    def _campaign_id(self) -> int | None:
        campaign = self.ctx.campaign()
        return campaign.id if campaign is not None else None

    def _note_for_leaders(self, reason: str, old: StateLine, new_text: str) -> None:
        owner = self.ctx.session.get(Member, old.owner) if old.owner is not None else None
        reviews.open_review(
            session=self.ctx.session,
            group_id=self.ctx.group_id,
            campaign_id=self._campaign_id(),
            member_id=old.owner,
            text=new_text or old.key,
            reason=reason,
            now=self.ctx.now,
            source_message_id=self.ctx.message.message_id,
        )
        self.leader_notes.append(
            {
                "reason": reason,
                "owner": owner.display_name if owner else (old.name or ""),
                "editor": self.ctx.member.display_name,
                "old": old.key,
                "new": new_text,
            }
        )

    def replies(self) -> list[Reply]:
        replies = [
            confirmation(self.ctx, owner, result, proxy=on_behalf)
            for owner, result, on_behalf in self.results.values()
            if result.changed or result.refused
        ]
        replies.extend(self.cancellations)
        replies.extend(self.questions)
        if self.leader_notes:
            replies.append(Reply("jielong_review", {"notes": self.leader_notes}, audience="leaders"))
        return replies


ROUTES = [Route(name=JIELONG_ROUTE, matches=_is_chain, handle=handle_chain)]
