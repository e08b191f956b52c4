"""The product catalog of a group."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from models.tables import Product


@dataclass(frozen=True)
class ProductSpec:
    """A product as a catalog file or a leader's command describes it, before it is stored."""

    code: str
    name: str
    unit: str = "份"
    price_fen: int = 0
    aliases: tuple[str, ...] = ()
    stock: Decimal | None = None
    limit_per_person: Decimal | None = None
    spec: str = ""
    supplier: str = ""
    category: str = ""


def list_products(*, session: Session, group_id: int, active_only: bool = True) -> list[Product]:
    query = select(Product).where(Product.group_id == group_id)
    if active_only:
        query = query.where(col(Product.active))
    return list(session.exec(query.order_by(col(Product.id))))


def aliases_of(product: Product) -> tuple[str, ...]:
    """The product's other names, stored `|`-separated."""
    return tuple(a for a in product.aliases.split("|") if a)


def get_product_by_code(*, session: Session, group_id: int, code: str) -> Product | None:
    return session.exec(select(Product).where(Product.group_id == group_id, Product.code == code)).first()


def upsert_products(*, session: Session, group_id: int, specs: list[ProductSpec]) -> list[Product]:
    """Add new products and update existing ones, matched by code. Returns them in the given order."""
    products = []
    for spec in specs:
        product = get_product_by_code(session=session, group_id=group_id, code=spec.code)
        if product is None:
            product = Product(group_id=group_id, code=spec.code, name=spec.name)
            session.add(product)
        product.name = spec.name
        product.unit = spec.unit
        product.price_fen = spec.price_fen
        product.aliases = "|".join(spec.aliases)
        product.stock = spec.stock
        product.limit_per_person = spec.limit_per_person
        product.spec = spec.spec
        product.supplier = spec.supplier
        product.category = spec.category
        product.active = True
        products.append(product)
    session.flush()
    return products


def next_free_code(*, session: Session, group_id: int) -> str:
    """The next numeric code not used by any product of the group."""
    used = {p.code for p in list_products(session=session, group_id=group_id, active_only=False)}
    number = 1
    while str(number) in used:
        number += 1
    return str(number)


def place_products(*, session: Session, group_id: int, specs: list[ProductSpec]) -> list[Product]:
    """Put a deal post's products into the catalog under the post's own numbers.

    Members order by the numbers they see (3号x2), so each product takes its number from the post:
    one already in the catalog under the same name is renumbered and updated, a new one is added,
    and a product that held a number the post now uses moves to a free one.
    """
    products = list_products(session=session, group_id=group_id, active_only=False)
    wanted_codes = {spec.code for spec in specs}
    wanted_names = {spec.name for spec in specs}
    moving = [p for p in products if p.code in wanted_codes or p.name in wanted_names]
    for product in moving:
        # Codes are unique per group: park the products that change number first.
        product.code = f"~{product.id}"
    session.flush()
    by_name = {p.name: p for p in products}
    placed = []
    for spec in specs:
        known = by_name.get(spec.name)
        product = known if known is not None else Product(group_id=group_id, code=spec.code, name=spec.name)
        session.add(product)
        product.code = spec.code
        product.unit = spec.unit
        product.price_fen = spec.price_fen
        product.spec = spec.spec
        product.stock = spec.stock
        product.limit_per_person = spec.limit_per_person
        product.active = True
        placed.append(product)
    session.flush()
    for product in moving:
        if product.code.startswith("~"):
            product.code = next_free_code(session=session, group_id=group_id)
            session.flush()
    return placed
