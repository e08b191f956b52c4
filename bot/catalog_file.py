"""Reading a catalog file: CSV or XLSX with the columns code,name,aliases,unit,price,stock,limit.

`aliases` is separated by `|`; `price` is in yuan; `stock` and `limit` may be empty (unlimited).
Optional extra columns: spec, supplier, category.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from handlers.reading.model import CatalogEntry
from models.catalog import ProductSpec, list_products, upsert_products
from models.groups import ensure_group
from models.types import fen_from_yuan

REQUIRED_COLUMNS = ("code", "name", "unit", "price")


class CatalogFileError(ValueError):
    """The catalog file cannot be read; the message says which row and why."""


def read_catalog_file(path: str | Path) -> list[ProductSpec]:
    path = Path(path)
    if not path.is_file():
        raise CatalogFileError(f"catalog file not found: {path}")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        rows = list(_xlsx_rows(path))
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    return [
        _spec(row, number)
        for number, row in enumerate(rows, start=2)
        if any((v or "").strip() for v in row.values())
    ]


def _xlsx_rows(path: Path) -> Iterable[dict[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip().lower() for cell in next(values, ())]
    for row in values:
        yield {header[i]: "" if cell is None else str(cell) for i, cell in enumerate(row) if i < len(header)}
    workbook.close()


def _spec(row: Mapping[str, str | None], number: int) -> ProductSpec:
    clean = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
    missing = [column for column in REQUIRED_COLUMNS if not clean.get(column)]
    if missing:
        raise CatalogFileError(f"row {number}: missing {', '.join(missing)}")
    return ProductSpec(
        code=clean["code"],
        name=clean["name"],
        unit=clean["unit"],
        price_fen=_fen(clean["price"], number),
        aliases=tuple(a.strip() for a in clean.get("aliases", "").split("|") if a.strip()),
        stock=_quantity(clean.get("stock", ""), number, "stock"),
        limit_per_person=_quantity(clean.get("limit", ""), number, "limit"),
        spec=clean.get("spec", ""),
        supplier=clean.get("supplier", ""),
        category=clean.get("category", ""),
    )


def _fen(text: str, number: int) -> int:
    try:
        value = Decimal(text.replace("¥", "").replace("元", ""))
    except InvalidOperation as exc:
        raise CatalogFileError(f"row {number}: price {text!r} is not a number") from exc
    if value < 0 or value > 1_000_000:
        raise CatalogFileError(f"row {number}: price {text!r} is out of range")
    return fen_from_yuan(value)


def _quantity(text: str, number: int, column: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise CatalogFileError(f"row {number}: {column} {text!r} is not a number") from exc
    if value < 0:
        raise CatalogFileError(f"row {number}: {column} cannot be negative")
    return value


def catalog_entries(specs: Iterable[ProductSpec]) -> tuple[CatalogEntry, ...]:
    """The reader's view of a catalog file, for `tuanbot tally --catalog`."""
    return tuple(
        CatalogEntry(name=s.name, code=s.code, unit=s.unit, price_fen=s.price_fen, aliases=s.aliases)
        for s in specs
    )


def stock_group(
    engine: Engine,
    *,
    chat_id: str,
    name: str,
    catalog: str | Path,
    now: datetime,
    pickup_place: str = "",
    only_if_empty: bool = False,
) -> int:
    """Make sure the group exists (enabled) and put the catalog file's products in it; returns its id.

    With `only_if_empty`, a group that already has products keeps them (a leader's own changes).
    """
    with Session(engine) as session:
        group = ensure_group(
            session=session, chat_id=chat_id, name=name, now=now, enabled=True, pickup_place=pickup_place
        )
        assert group.id is not None
        if not (only_if_empty and list_products(session=session, group_id=group.id, active_only=False)):
            upsert_products(session=session, group_id=group.id, specs=read_catalog_file(catalog))
        session.commit()
        return group.id
