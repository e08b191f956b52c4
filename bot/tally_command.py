"""`tuanbot tally`: tally a pasted 接龙 or chat text without any database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from bot.catalog_file import CatalogFileError, catalog_entries, read_catalog_file
from handlers.reading import format_tally_text, tally_text, tally_to_json


@dataclass(frozen=True)
class TallyOutput:
    as_json: dict[str, Any]
    as_text: str


def run_tally(text: str, *, catalog: str | None, xlsx: str | None) -> TallyOutput:
    try:
        entries = catalog_entries(read_catalog_file(catalog)) if catalog else ()
    except CatalogFileError as exc:
        raise click.ClickException(str(exc)) from exc
    tally = tally_text(text, entries)
    data = tally_to_json(tally)
    if xlsx:
        write_tally_xlsx(data, Path(xlsx))
    return TallyOutput(as_json=data, as_text=format_tally_text(tally))


def write_tally_xlsx(data: dict[str, Any], path: Path) -> None:
    """Two sheets: per-product totals for the supplier, and one row per person and item."""
    from openpyxl import Workbook

    workbook = Workbook()
    totals = workbook.active
    totals.title = "汇总"
    totals.append(["商品", "口味/规格", "数量", "单位"])
    for total in data["totals"]:
        totals.append([total["product"], total["variant"] or "", total["qty"], total["unit"] or ""])
    people = workbook.create_sheet("明细")
    people.append(["序号", "姓名", "备注", "状态", "原因", "商品", "口味/规格", "数量", "单位", "原文"])
    for row in data["rows"]:
        items = row["items"] or [None]
        for item in items:
            people.append(
                [
                    row["seq"],
                    row["name"] or "",
                    row["note"] or "",
                    row["status"],
                    row["reason"] or "",
                    item["product"] if item else "",
                    (item["variant"] or "") if item else "",
                    item["qty"] if item else None,
                    (item["unit"] or "") if item else "",
                    row["raw"],
                ]
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
