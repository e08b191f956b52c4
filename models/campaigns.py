"""Campaigns (开团): what a group offers today, and the campaign's life from open to done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from models.tables import Campaign, CampaignProduct, Product

OPEN, CLOSED, ARRIVED, DONE = "open", "closed", "arrived", "done"


@dataclass(frozen=True)
class Offer:
    """A product as offered in a campaign: the catalog entry plus this campaign's price, stock, limit."""

    product: Product
    listing: CampaignProduct

    @property
    def price_fen(self) -> int:
        return self.listing.price_fen

    @property
    def stock(self) -> Decimal | None:
        return self.listing.stock

    @property
    def limit_per_person(self) -> Decimal | None:
        return self.listing.limit_per_person


def current_campaign(*, session: Session, group_id: int) -> Campaign | None:
    """The group's latest campaign that is not done yet."""
    return session.exec(
        select(Campaign)
        .where(Campaign.group_id == group_id, Campaign.status != DONE)
        .order_by(col(Campaign.id).desc())
    ).first()


def latest_campaign(*, session: Session, group_id: int, statuses: tuple[str, ...]) -> Campaign | None:
    """The group's newest campaign in one of `statuses`: arrival, pickup and returns use this."""
    return session.exec(
        select(Campaign)
        .where(Campaign.group_id == group_id, col(Campaign.status).in_(statuses))
        .order_by(col(Campaign.id).desc())
    ).first()


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
        add_offer(session=session, campaign_id=campaign.id, product=product)
    session.flush()
    return campaign


def add_offer(*, session: Session, campaign_id: int, product: Product) -> CampaignProduct:
    """Offer `product` in the campaign (again), with the catalog's current price, stock and limit."""
    assert product.id is not None
    listing = session.exec(
        select(CampaignProduct).where(
            CampaignProduct.campaign_id == campaign_id, CampaignProduct.product_id == product.id
        )
    ).first()
    if listing is None:
        listing = CampaignProduct(campaign_id=campaign_id, product_id=product.id, price_fen=product.price_fen)
        session.add(listing)
    listing.price_fen = product.price_fen
    listing.stock = product.stock
    listing.limit_per_person = product.limit_per_person
    listing.active = True
    session.flush()
    return listing


def list_offers(*, session: Session, campaign_id: int, active_only: bool = True) -> list[Offer]:
    query = (
        select(CampaignProduct, Product)
        .join(Product, col(Product.id) == CampaignProduct.product_id)
        .where(CampaignProduct.campaign_id == campaign_id)
    )
    if active_only:
        query = query.where(col(CampaignProduct.active))
    return [Offer(product=p, listing=cp) for cp, p in session.exec(query.order_by(col(CampaignProduct.id)))]


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
