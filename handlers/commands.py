"""Command words: natural Chinese forms and short slash aliases, recognised at the start of a message."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    name: str
    words: tuple[str, ...]
    # Whether the word must be followed by a space, punctuation or the end, so that e.g. 代 in
    # 代糖蛋糕 is not taken for the proxy command.
    needs_break: bool = True


@dataclass(frozen=True)
class CommandCall:
    name: str
    args: str


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("enable", ("启用", "开启机器人", "/enable")),
    CommandSpec("open", ("开团", "/open")),
    CommandSpec("cutoff", ("截单", "结束接龙", "截止接龙", "/cutoff", "/close")),
    CommandSpec("proxy", ("代下单", "代订", "代", "/proxy")),
    CommandSpec("proxy_mention", ("帮@",), needs_break=False),
    CommandSpec("deals", ("发布团购", "今日团购", "/deals")),
    CommandSpec("summary", ("汇总", "订单汇总", "/summary")),
    CommandSpec("reviews", ("待确认", "待处理", "/review")),
    CommandSpec("dismiss_review", ("忽略", "/dismiss")),
    CommandSpec("set_leader", ("设为团长", "/leader")),
    CommandSpec("unset_leader", ("取消团长", "/unleader")),
    CommandSpec("listing_on", ("上架", "/on")),
    CommandSpec("listing_off", ("下架", "/off")),
    CommandSpec("set_price", ("改价", "/price")),
    CommandSpec("set_stock", ("库存", "/stock")),
    CommandSpec("set_limit", ("限购", "/limit")),
    CommandSpec("export", ("导出", "/export")),
    CommandSpec("arrival", ("到货", "/arrived")),
    CommandSpec("picked_up_by_leader", ("已取", "核销", "/pickup")),
    CommandSpec("not_picked_up", ("未取", "/unpicked")),
    # 谁还没取？, 还有谁没付款: the same lists asked as a question.
    CommandSpec("not_picked_up", ("还有谁没取", "谁还没取", "谁没取", "哪些人没取"), needs_break=False),
    CommandSpec("return", ("申请退货", "退货", "售后", "/return")),
    CommandSpec("approve_return", ("同意退货", "/approve")),
    CommandSpec("reject_return", ("拒绝退货", "/reject")),
    CommandSpec("mark_paid", ("已付", "已收款", "/paid")),
    CommandSpec("unpaid", ("未付", "/unpaid")),
    CommandSpec("unpaid", ("还有谁没付", "谁还没付", "谁没付", "哪些人没付"), needs_break=False),
    CommandSpec("stats", ("统计", "/stats")),
    CommandSpec("help", ("帮助", "命令", "/help")),
)

_LEADING_MENTIONS = re.compile(r"^(?:@\S+[\s\u2005]+)+")
_BREAK = re.compile(r"^($|[\s:：,，、!！。])")


def strip_leading_mentions(text: str) -> str:
    """Drop "@团购助手 " style mentions in front of a command (WeChat puts U+2005 after them)."""
    return _LEADING_MENTIONS.sub("", text.strip()).strip()


def parse_command(text: str) -> CommandCall | None:
    """The command a message starts with, and the rest of it as arguments."""
    body = strip_leading_mentions(text)
    lowered = body.lower()
    for spec in COMMANDS:
        for word in spec.words:
            if not lowered.startswith(word.lower()):
                continue
            rest = body[len(word) :]
            if spec.needs_break and not _BREAK.match(rest):
                continue
            return CommandCall(spec.name, rest.strip(" \t:：,，、!！。"))
    return None


def looks_like_command(text: str) -> bool:
    """A slash word the bot does not know, e.g. /foo: answered with help rather than ignored."""
    return strip_leading_mentions(text).startswith("/")
