"""Column types that keep money, quantities and times exact on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator

QTY_SCALE = 1000


class Quantity(TypeDecorator[Decimal]):
    """A quantity such as 1.5 斤, stored as an integer count of thousandths.

    Integers sum exactly in SQL on every database, and SQLite has no decimal type of its own.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * QTY_SCALE).to_integral_value(rounding=ROUND_HALF_UP))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return plain_decimal(Decimal(int(value)) / QTY_SCALE)


def whole_fen(amount: Decimal) -> int:
    """An amount in fen rounded to a whole fen the way shops round (四舍五入: 0.5 goes up)."""
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def fen_from_yuan(yuan: Decimal) -> int:
    """`13.8` yuan as 1380 fen."""
    return whole_fen(yuan * 100)


def plain_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (10, not 1E+1)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC and always read back aware.

    SQLite drops the offset of an aware datetime, so we store UTC and put the zone back on read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
