"""Deciding whose order a message is: the sender's own, or someone a leader orders for."""

from __future__ import annotations

import re

from handlers.base import Context
from models import members as member_rows
from models.tables import Member


def member_named(ctx: Context, name: str | None) -> tuple[Member, bool]:
    """The member a message is for, and whether it is a proxy order entered by a leader.

    A member who writes a name ("3栋王姐 1", "李雷要3份") is naming themself; only a leader orders
    for someone else. A leader naming a person gets that member, or a new proxy member.
    """
    if not name or not ctx.is_leader or same_person(name, ctx.member.display_name):
        return ctx.member, False
    found = member_rows.find_members_by_name(session=ctx.session, group_id=ctx.group_id, name=name)
    if found:
        return found[0], True
    proxy = member_rows.ensure_proxy_member(
        session=ctx.session, group_id=ctx.group_id, name=name, address="", now=ctx.now
    )
    return proxy, True


_ADDRESS = re.compile(r"\d+\s*(?:栋|幢|号楼|座|单元)\s*\d*\s*(?:室|号)?|\d+-\d+(?:-\d+)?")


def remember_address(member: Member, note: str | None) -> None:
    """Keep the building and room a member writes (3栋502, 2-1-301) for the sorting list."""
    if member.address or not note:
        return
    member.address = address_in(note)


def address_in(note: str | None) -> str:
    """The building and room in free text ("放门口 3栋502 谢谢" → 3栋502), or "" when it names none."""
    match = _ADDRESS.search(note or "")
    return match.group(0).replace(" ", "") if match else ""


def same_person(written: str, display_name: str) -> bool:
    """Whether a name written in a message plausibly is this display name (王姐 in 3栋王姐🌸)."""
    written, display_name = written.strip(), display_name.strip()
    return bool(written) and (written == display_name or written in display_name or display_name in written)
