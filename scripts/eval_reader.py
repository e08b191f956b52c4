"""Measure the reading engine against a labelled corpus: recall, precision and review load.

Usage: scripts/eval-reader [CORPUS_DIR] [-v]
CORPUS_DIR holds *.txt texts and labels.json (default /work/shared/corpus/dev). `-v` lists every
expected item line that was missed and every confident item that was wrong.

What is counted
- Every text is read with `tally_text(text)` and no catalog, as `tuanbot tally FILE` would.
- An expected item line is one item of a labelled row whose note does not contain "exclude"
  (the leader's own example rows are excluded). It is (row person, product, quantity).
- Rows are matched one to one, in label order; a labelled row with items never matches a chatter or
  example row. A labelled row with a `seq` matches our first unused row with the same seq; without
  a seq, our first unused row without one. Names must agree: after dropping spaces, punctuation and
  emoji and lower-casing, one contains the other (names that are only emoji or punctuation, `🌑🌒🌓`
  or `..`, must be equal as written); a missing name on either side does not veto a match made by
  seq, but a row without seq must match by name.
- Inside a matched row, each expected item matches at most one of our items, with the same quantity
  (exactly, as a number) and a product that agrees:
  * the label's implicit products `(本团商品)`, `(接龙商品)` and `套餐` agree with any item the
    reader marked implicit (the line named no product) or one of those placeholders;
  * `E 牛` style labels (menu code, space, dish) agree with an item whose code is E;
  * otherwise the product names agree when, compared as above and without brackets, one contains
    the other; a label variant `产品（口味）` must then match our variant as a multiset of flavours
    (`黑芝麻x4` = four 黑芝麻; `焙茶*2`, `2焙茶` = two), or sit inside our product name when we
    read no variant. Units are not compared: labels infer some (份 for a meal code) that the text
    never states.
- recall(ok) = expected item lines matched by an item in an `ok` row / all expected item lines.
  recall(ok+review) also counts items in `review` rows (the best reading the leader is shown).
- precision(ok) = our items in `ok` rows that matched an expected item line / all our `ok` items.
  An `ok` item on an excluded example row, a notice or a sign-up list counts as wrong.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from handlers.reading import ReadItem, ReadRow, tally_text
from handlers.reading.text import bare

DEFAULT_CORPUS = Path("/work/shared/corpus/dev")
PLACEHOLDERS = frozenset({"(本团商品)", "(接龙商品)", "套餐", "（本团商品）", "（接龙商品）"})
_CODE_LABEL = re.compile(r"^([A-Za-z])\s+(.+)$")
_VARIANT_LABEL = re.compile(r"^(.*?)[（(]([^（）()]*)[)）]$")
_BRACKETS = re.compile(r"[（）()【】\[\]]")
_FLAVOUR_SPLIT = re.compile(r"[/+、,，\s]+")
_TIMES_AFTER = re.compile(r"^(.+?)\s*[xX×*](\d+)$")
_TIMES_BEFORE = re.compile(r"^(\d+)\s*(.+)$")


@dataclass
class FileScore:
    name: str
    expected: int = 0
    ok_hits: int = 0
    review_hits: int = 0
    ok_items: int = 0
    ok_right: int = 0
    review_rows: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _norm(text: str | None) -> str:
    return _BRACKETS.sub("", bare(text or ""))


def _names_agree(expected: str | None, ours: str | None) -> bool:
    if expected is None or ours is None:
        return True
    a, b = _norm(expected), _norm(ours)
    if not a or not b:  # all emoji or punctuation (`🌑🌒🌓`, `..`): compare as written
        return "".join(expected.split()) == "".join(ours.split())
    return a in b or b in a


def _flavours(variant: str) -> list[str]:
    pieces: list[str] = []
    for part in _FLAVOUR_SPLIT.split(variant.strip()):
        if not part:
            continue
        after, before = _TIMES_AFTER.match(part), _TIMES_BEFORE.match(part)
        if after:
            pieces += [after.group(1)] * int(after.group(2))
        elif before:
            pieces += [before.group(2)] * int(before.group(1))
        else:
            pieces.append(part)
    return sorted(_norm(p) for p in pieces)


def _product_agrees(expected: str, item: ReadItem) -> bool:
    if expected in PLACEHOLDERS:
        return item.implicit or item.product in PLACEHOLDERS
    code = _CODE_LABEL.match(expected)
    if code and item.code and item.code.lower() == code.group(1).lower():
        return True
    base, variant = expected, None
    split = _VARIANT_LABEL.match(expected)
    if split:
        base, variant = split.group(1), split.group(2)
    a, b = _norm(base), _norm(item.product)
    if not a or not b or not (a in b or b in a):
        return False
    if variant is None:
        return True
    if item.variant is not None:
        return _flavours(variant) == _flavours(item.variant)
    return _norm(variant) in _norm(item.product)


def _match_rows(expected_rows: list[dict[str, Any]], rows: tuple[ReadRow, ...]) -> list[ReadRow | None]:
    used: set[int] = set()
    matched: list[ReadRow | None] = []
    for label in expected_rows:
        found = None
        for i, row in enumerate(rows):
            if i in used:
                continue
            if label["items"] and row.status in ("chatter", "example"):
                continue  # a person's question or chatter before their order is not the order
            if label["seq"] is not None:
                if row.seq != label["seq"] or not _names_agree(label["name"], row.name):
                    continue
            elif row.seq is not None or row.name is None or not _names_agree(label["name"], row.name):
                continue
            found = i
            break
        if found is not None:
            used.add(found)
        matched.append(rows[found] if found is not None else None)
    return matched


def score_file(path: Path, label: dict[str, Any]) -> FileScore:
    score = FileScore(path.name)
    tally = tally_text(path.read_text(encoding="utf-8"))
    expected_rows = [r for r in label.get("expected", []) if "exclude" not in (r.get("note") or "").lower()]
    counted: set[tuple[int, int]] = set()  # (row id, item index) of our items matched so far
    for label_row, row in zip(expected_rows, _match_rows(expected_rows, tally.rows), strict=True):
        for wanted in label_row["items"]:
            score.expected += 1
            hit = None
            if row is not None and row.status in ("ok", "review"):
                for index, item in enumerate(row.items):
                    key = (id(row), index)
                    if key in counted or item.qty != Decimal(str(wanted["qty"])):
                        continue
                    if _product_agrees(wanted["product"], item):
                        hit = key
                        break
            if hit is None or row is None:
                score.missed.append(
                    f"{label_row['seq']} {label_row['name']}: {wanted['product']} {wanted['qty']}"
                )
                continue
            counted.add(hit)
            if row.status == "ok":
                score.ok_hits += 1
            else:
                score.review_hits += 1
    for row in tally.rows:
        if row.status == "review":
            score.review_rows += 1
        if row.status != "ok":
            continue
        for index, item in enumerate(row.items):
            score.ok_items += 1
            if (id(row), index) in counted:
                score.ok_right += 1
            else:
                score.wrong.append(f"{row.seq} {row.name}: {item.product} {item.variant or ''} {item.qty}")
    return score


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    - "


_SUMMED = ("expected", "ok_hits", "review_hits", "ok_right", "ok_items", "review_rows")


def _print_line(
    name: str, expected: int, ok_hits: int, review_hits: int, ok_right: int, ok_items: int, review_rows: int
) -> None:
    recall_ok, recall_all = _pct(ok_hits, expected), _pct(ok_hits + review_hits, expected)
    precision = _pct(ok_right, ok_items)
    print(f"{name:10} {expected:8} {recall_ok:>10} {recall_all:>10} {precision:>10} {review_rows:12}")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    labels = {
        entry["file"]: entry for entry in json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    }
    scores = [
        score_file(path, labels[path.name]) for path in sorted(corpus.glob("*.txt")) if path.name in labels
    ]
    header = ("file", "expected", "recall ok", "ok+review", "precision", "review rows")
    print("{:10} {:>8} {:>10} {:>10} {:>10} {:>12}".format(*header))
    for s in scores:
        _print_line(s.name, s.expected, s.ok_hits, s.review_hits, s.ok_right, s.ok_items, s.review_rows)
        if verbose:
            for line in s.missed:
                print(f"    missed: {line}")
            for line in s.wrong:
                print(f"    wrong:  {line}")
    print("-" * 66)
    totals = [sum(getattr(s, key) for s in scores) for key in _SUMMED]
    _print_line("overall", *totals)
    print(f"ok items: {totals[4]} ({totals[3]} right); expected item lines: {totals[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
