"""Voice messages: many elderly members order by speaking. The bot cannot listen, so while a
campaign takes orders it puts the message on the leaders' 待确认 list and tells them, and tells
the member the leader will listen, instead of letting a spoken order vanish."""

from __future__ import annotations

from handlers.base import Context, Reply, Route
from models import reviews
from models.campaigns import takes_orders

VOICE_REASON = "voice"


def handle_voice(ctx: Context) -> list[Reply]:
    campaign = ctx.campaign()
    if ctx.is_leader or campaign is None or not takes_orders(campaign, ctx.now):
        return []  # a leader's own voice, or a voice chat on a quiet day, is just talk
    item = reviews.open_review(
        session=ctx.session,
        group_id=ctx.group_id,
        campaign_id=campaign.id,
        member_id=ctx.member.id,
        text="[语音]",
        reason=VOICE_REASON,
        now=ctx.now,
        source_message_id=ctx.message.message_id,
    )
    ctx.session.flush()  # the review's id goes into the leaders' notice
    data = {"name": ctx.member.display_name, "review_id": item.id}
    return [
        Reply("voice_received", data, mentions=ctx.me, merge_key="voice"),
        Reply("voice_for_leader", data, audience="leaders"),
    ]


ROUTES = [Route("voice", lambda ctx: ctx.message.kind == "voice", handle_voice)]
