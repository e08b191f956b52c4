"""Running the group itself: enabling the bot, naming leaders, the review list, and help."""

from __future__ import annotations

from handlers.base import Context, Reply, Route
from handlers.commands import looks_like_command
from models import members as member_rows
from models import reviews
from models.tables import Member


def handle_enable(ctx: Context) -> list[Reply]:
    already = ctx.group.enabled
    ctx.group.enabled = True
    return [Reply("group_enabled", {"group": ctx.group.name, "already": already})]


def _mentioned_members(ctx: Context, args: str) -> list[Member]:
    """Members named by real @mentions, or by "@名字" typed in the text."""
    found: list[Member] = []
    for wechat_id in ctx.message.mention_ids:
        member = member_rows.get_member_by_wechat(
            session=ctx.session, group_id=ctx.group_id, wechat_id=wechat_id
        )
        if member is not None:
            found.append(member)
    if not found:
        for word in args.replace("\u2005", " ").split():
            name = word.lstrip("@")
            found.extend(
                member_rows.find_members_by_name(session=ctx.session, group_id=ctx.group_id, name=name)[:1]
            )
    return found


def handle_set_leader(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    members = _mentioned_members(ctx, call.args)
    if not members:
        return [Reply("who_do_you_mean", {"text": call.args})]
    make_leader = call.name == "set_leader"
    # A leader named in the bot's configuration is a leader again at their next message, so
    # only the configuration can take that away; saying otherwise would mislead.
    configured = set(ctx.settings.leaders_for(ctx.message.chat_id, ctx.message.chat_name))
    kept = [m for m in members if not make_leader and m.wechat_id in configured]
    changed = [m for m in members if m not in kept]
    for member in changed:
        member_rows.set_leader(member=member, is_leader=make_leader)
    return [
        Reply(
            "leaders_changed",
            {
                "names": [m.display_name for m in changed],
                "leader": make_leader,
                "configured": [m.display_name for m in kept],
            },
        )
    ]


def handle_reviews(ctx: Context) -> list[Reply]:
    items = reviews.list_open_reviews(session=ctx.session, group_id=ctx.group_id)
    return [
        Reply(
            "review_list",
            {
                "items": [
                    {"id": i.id, "text": i.text[:80], "reason": i.reason, "who": _name(ctx, i.member_id)}
                    for i in items
                ]
            },
            audience="group",
        )
    ]


def _name(ctx: Context, member_id: int | None) -> str:
    member = ctx.session.get(Member, member_id) if member_id is not None else None
    return member.display_name if member else ""


def handle_dismiss(ctx: Context) -> list[Reply]:
    call = ctx.command
    assert call is not None
    ids = [int(word) for word in call.args.replace(",", " ").split() if word.isdigit()]
    dismissed = []
    for review_id in ids:
        item = reviews.get_review(session=ctx.session, group_id=ctx.group_id, review_id=review_id)
        if item is not None and item.status == reviews.OPEN:
            reviews.settle_review(session=ctx.session, item=item, now=ctx.now, status=reviews.DISMISSED)
            dismissed.append(review_id)
    return [Reply("reviews_dismissed", {"ids": dismissed})]


def handle_help(ctx: Context) -> list[Reply]:
    return [Reply("help", {"is_leader": ctx.is_leader})]


ROUTES = [
    Route("enable", lambda ctx: ctx.is_command("enable"), handle_enable, leader_only=True),
    Route(
        "set_leader",
        lambda ctx: ctx.is_command("set_leader", "unset_leader"),
        handle_set_leader,
        leader_only=True,
    ),
    Route("reviews", lambda ctx: ctx.is_command("reviews"), handle_reviews, leader_only=True),
    Route(
        "dismiss_review",
        lambda ctx: ctx.is_command("dismiss_review"),
        handle_dismiss,
        leader_only=True,
    ),
    Route("help", lambda ctx: ctx.is_command("help"), handle_help),
]

# Tried last: a slash word nobody handled gets the help text instead of silence.
FALLBACK_ROUTES = [Route("unknown_command", lambda ctx: looks_like_command(ctx.text), handle_help)]
