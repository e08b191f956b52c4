"""Members: who is in a group, who leads it, and the proxy members leaders order for."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.tables import Member


def get_member_by_wechat(*, session: Session, group_id: int, wechat_id: str) -> Member | None:
    return session.exec(
        select(Member).where(Member.group_id == group_id, Member.wechat_id == wechat_id)
    ).first()


def ensure_member(
    *, session: Session, group_id: int, wechat_id: str, display_name: str, now: datetime
) -> Member:
    """The member with this WeChat id, registered on first sight; their display name is kept current."""
    member = get_member_by_wechat(session=session, group_id=group_id, wechat_id=wechat_id)
    if member is None:
        member = Member(group_id=group_id, wechat_id=wechat_id, display_name=display_name, created_at=now)
        session.add(member)
        session.flush()
    elif display_name and member.display_name != display_name:
        member.display_name = display_name
    return member


def find_members_by_name(*, session: Session, group_id: int, name: str) -> list[Member]:
    """Members whose display name is `name`, real members before proxy members."""
    return list(
        session.exec(
            select(Member)
            .where(Member.group_id == group_id, Member.display_name == name)
            .order_by(col(Member.is_proxy), col(Member.id))
        )
    )


def ensure_proxy_member(*, session: Session, group_id: int, name: str, address: str, now: datetime) -> Member:
    """A member without WeChat (an elderly neighbour), found by name or created with their address.

    Two 王奶奶 in two buildings are two people: a known neighbour is only the same one when the
    addresses agree or one of them is unknown (then the address written now is kept).
    """
    for member in find_members_by_name(session=session, group_id=group_id, name=name):
        if not (member.is_proxy or member.wechat_id is None):
            continue
        if address and member.address and member.address != address:
            continue
        if address and not member.address:
            member.address = address
        return member
    member = Member(
        group_id=group_id, wechat_id=None, display_name=name, address=address, is_proxy=True, created_at=now
    )
    session.add(member)
    session.flush()
    return member


def list_leaders(*, session: Session, group_id: int) -> list[Member]:
    return list(
        session.exec(
            select(Member).where(Member.group_id == group_id, col(Member.is_leader)).order_by(col(Member.id))
        )
    )


def set_leader(*, member: Member, is_leader: bool = True) -> None:
    member.is_leader = is_leader
