"""What every handler sees (`Context`) and returns (`Reply`), and how it is wired (`Route`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.events import IncomingMessage
from handlers.commands import CommandCall, parse_command
from models.campaigns import Offer, current_campaign, list_offers
from models.tables import Campaign, Group, Member

Audience = Literal["group", "sender", "leaders"]


@dataclass(frozen=True)
class Reply:
    """A reply as data: the template that words it, and who it goes to.

    `mentions` are member ids; the dispatcher turns them into platform ids as it queues the reply.
    `merge_key` marks confirmations that the outbox may merge with others close in time.
    """

    template: str
    data: Mapping[str, Any] = field(default_factory=dict)
    mentions: tuple[int, ...] = ()
    audience: Audience = "group"
    merge_key: str = ""
    file_path: str = ""


@dataclass
class Context:
    """One incoming message and the rows it concerns, inside the dispatcher's single session."""

    session: Session
    message: IncomingMessage
    text: str
    group: Group
    member: Member
    now: datetime
    settings: Settings
    _campaign: Campaign | None = None
    _campaign_loaded: bool = False
    _offers: list[Offer] | None = None
    _command: CommandCall | None = None
    _command_parsed: bool = False
    # Readings of the text that several routes need (a 接龙 layout, say), computed once.
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def command(self) -> CommandCall | None:
        """The command the message starts with, parsed once for all the routes that ask."""
        if not self._command_parsed:
            self._command = parse_command(self.text)
            self._command_parsed = True
        return self._command

    def is_command(self, *names: str) -> bool:
        return self.command is not None and self.command.name in names

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def me(self) -> tuple[int, ...]:
        """The sender, as a reply's mentions: a confirmation @-mentions whoever asked."""
        return (self.member.id,) if self.member.id is not None else ()

    @property
    def is_leader(self) -> bool:
        return self.member.is_leader

    @property
    def group_id(self) -> int:
        assert self.group.id is not None
        return self.group.id

    def campaign(self) -> Campaign | None:
        """The group's current campaign, looked up once per message."""
        if not self._campaign_loaded:
            self._campaign = current_campaign(session=self.session, group_id=self.group_id, lock=True)
            self._campaign_loaded = True
        return self._campaign

    def offers(self) -> list[Offer]:
        """What the current campaign offers, looked up once per message."""
        if self._offers is None:
            campaign = self.campaign()
            self._offers = (
                list_offers(session=self.session, campaign=campaign) if campaign is not None else []
            )
        return self._offers

    def forget_campaign(self) -> None:
        """Drop the cached campaign after a handler opened or changed one."""
        self._campaign_loaded = False
        self._campaign = None
        self._offers = None


Matcher = Callable[[Context], bool]
HandlerFn = Callable[[Context], list[Reply]]


@dataclass(frozen=True)
class Route:
    """A rule and the function that handles what it matches. Routes are tried in priority order."""

    name: str
    matches: Matcher
    handle: HandlerFn
    leader_only: bool = False


# Routes that other handlers look for in the message log (`InboundMessage.handler`): what an
# earlier message did decides what 同上, 不对 or 撤回 mean.
CHAT_ORDER_ROUTE = "chat_order"
ANSWER_ROUTE = "answer"
JIELONG_ROUTE = "jielong"
REPEAT_ORDER_ROUTE = "repeat_order"
