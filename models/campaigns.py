"""Campaigns (开团): what a group offers today, and the campaign's life from open to done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from models.catalog import aliases_of
from models.tables import Campaign, CampaignProduct, Product
from models.versioned import VersionedCache

OPEN, CLOSED, ARRIVED, DONE = "open", "closed", "arrived", "done"


@dataclass(frozen=True)
class Offer:
    """A product as offered in a campaign: catalog facts plus this campaign's price, stock and limit.

    Plain values, not rows: offers are cached between messages (see `list_offers`).
    """

    listing_id: int
    product_id: int
    code: str
    name: str
    unit: str
    spec: str
    aliases: tuple[str, ...]
    price_fen: int
    stock: Decimal | None
    limit_per_person: Decimal | None


# Offers by campaign id, with the campaign's offers_version they were read at.
_offer_cache: VersionedCache[list[Offer]] = VersionedCache()


# Built once: every order message asks for its group's campaign, and building the statement
# costs as much as running it.
_CURRENT = (
    select(Campaign)
    .where(Campaign.group_id == bindparam("group_id"), Campaign.status != DONE)
    .order_by(col(Campaign.id).desc())
    .limit(1)
)
_CURRENT_LOCKED = _CURRENT.with_for_update(read=True)


def current_campaign(*, session: Session, group_id: int, lock: bool = False) -> Campaign | None:
    """The group's latest campaign that is not done yet.

    With `lock`, the row is read with a shared lock (PostgreSQL), so a cutoff committed by another
    worker is either seen here or waits until this transaction ends: no order slips in after it.
    """
    query = _CURRENT_LOCKED if lock else _CURRENT
    return session.exec(query, params={"group_id": group_id}).first()


def takes_orders(campaign: Campaign, now: datetime) -> bool:
    """Open and before its cutoff time: an order at 20:01 is late even if the cutoff job, which
    closes the campaign and posts the summary, has not run yet (the bot was restarting, say)."""
    if campaign.status != OPEN:
        return False
    return campaign.cutoff_at is None or now < campaign.cutoff_at


def lock_listing(*, session: Session, listing_id: int) -> None:
    """Hold a product's listing until the transaction ends, so two orders cannot both take the last
    of its stock (PostgreSQL; SQLite transactions already run one at a time)."""
    session.exec(select(CampaignProduct.id).where(CampaignProduct.id == listing_id).with_for_update()).first()


def latest_campaign(*, session: Session, group_id: int, statuses: tuple[str, ...]) -> Campaign | None:
    """The group's newest campaign in one of `statuses`: arrival, pickup and returns use this."""
    return session.exec(
        select(Campaign)
        .where(Campaign.group_id == group_id, col(Campaign.status).in_(statuses))
        .order_by(col(Campaign.id).desc())
    ).first()


def campaigns_in(*, session: Session, group_id: int, statuses: tuple[str, ...]) -> list[Campaign]:
    """The group's campaigns in one of `statuses`, oldest first: pickup and money span several."""
    return list(
        session.exec(
            select(Campaign)
            .where(Campaign.group_id == group_id, col(Campaign.status).in_(statuses))
            .order_by(col(Campaign.id))
        )
    )


def open_campaign(
    *,
    session: Session,
    group_id: int,
    title: str,
    products: list[Product],
    now: datetime,
    cutoff_at: datetime | None = None,
    pickup_at: datetime | None = None,
    pickup_place: str = "",
) -> Campaign:
    """Open a campaign offering `products` at their catalog price, stock and limit."""
    campaign = Campaign(
        group_id=group_id,
        title=title,
        status=OPEN,
        opened_at=now,
        cutoff_at=cutoff_at,
        pickup_at=pickup_at,
        pickup_place=pickup_place,
    )
    session.add(campaign)
    session.flush()
    assert campaign.id is not None
    for product in products:
        add_offer(session=session, campaign=campaign, product=product)
    session.flush()
    return campaign


def add_offer(*, session: Session, campaign: Campaign, product: Product) -> CampaignProduct:
    """Offer `product` in the campaign (again), with the catalog's current price, stock and limit."""
    assert product.id is not None and campaign.id is not None
    listing = session.exec(
        select(CampaignProduct).where(
            CampaignProduct.campaign_id == campaign.id, CampaignProduct.product_id == product.id
        )
    ).first()
    campaign.offers_version += 1
    if listing is None:
        listing = CampaignProduct(campaign_id=campaign.id, product_id=product.id, price_fen=product.price_fen)
        session.add(listing)
    listing.price_fen = product.price_fen
    listing.stock = product.stock
    listing.limit_per_person = product.limit_per_person
    listing.active = True
    session.flush()
    return listing


def list_offers(*, session: Session, campaign: Campaign, active_only: bool = True) -> list[Offer]:
    """What a campaign offers. Read once per change: every change bumps `offers_version`."""
    assert campaign.id is not None
    if active_only:
        cached = _offer_cache.get(session, campaign.id, campaign.offers_version)
        if cached is not None:
            return cached
    query = (
        select(CampaignProduct, Product)
        .join(Product, col(Product.id) == CampaignProduct.product_id)
        .where(CampaignProduct.campaign_id == campaign.id)
    )
    if active_only:
        query = query.where(col(CampaignProduct.active))
    offers = [_offer(cp, p) for cp, p in session.exec(query.order_by(col(CampaignProduct.id)))]
    if active_only:
        _offer_cache.put(session, campaign.id, campaign.offers_version, offers)
    return offers


def _offer(listing: CampaignProduct, product: Product) -> Offer:
    assert listing.id is not None and product.id is not None
    return Offer(
        listing_id=listing.id,
        product_id=product.id,
        code=product.code,
        name=product.name,
        unit=product.unit,
        spec=product.spec,
        aliases=aliases_of(product),
        price_fen=listing.price_fen,
        stock=listing.stock,
        limit_per_person=listing.limit_per_person,
    )


def withdraw_offer(*, session: Session, campaign: Campaign, product_id: int) -> None:
    """Stop offering a product in the campaign (下架); lines already ordered stay."""
    listing = session.exec(
        select(CampaignProduct).where(
            CampaignProduct.campaign_id == campaign.id, CampaignProduct.product_id == product_id
        )
    ).first()
    if listing is not None:
        listing.active = False
        campaign.offers_version += 1


def close_campaign(*, campaign: Campaign, now: datetime) -> None:
    campaign.status = CLOSED
    campaign.closed_at = now


def mark_arrived(*, campaign: Campaign, now: datetime) -> None:
    campaign.status = ARRIVED
    campaign.arrived_at = now
    if campaign.closed_at is None:
        campaign.closed_at = now


def mark_done(*, campaign: Campaign) -> None:
    campaign.status = DONE
