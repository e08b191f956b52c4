"""Which catalog product do these words mean? By code, name, alias, synonym, part of a name or a typo.

The rule a careful leader follows: take the one product that fits best, and never pick silently
between two that fit equally well (`苹果` when 红富士苹果 and 青苹果 are both on sale is a question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from handlers.reading.model import CatalogEntry
from handlers.reading.text import bare, strip_emoji

MatchKind = Literal["code", "exact", "alias", "synonym", "variant", "partial", "fuzzy", "ambiguous", "none"]

# Words that name the same produce. A one-character word is only ever matched as the whole query:
# 蛋 means 鸡蛋 when someone writes just 蛋, but 咸蛋黄 has nothing to do with eggs.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("西红柿", "番茄"), ("土豆", "马铃薯", "洋芋"), ("鸡蛋", "鸡子", "蛋"), ("红薯", "地瓜", "番薯", "山芋"),
    ("玉米", "苞米", "包谷"), ("香菜", "芫荽"), ("包菜", "卷心菜", "圆白菜", "洋白菜", "甘蓝"),
    ("黄瓜", "青瓜"), ("芋头", "芋艿"), ("花生", "落花生"), ("猕猴桃", "奇异果"), ("菠萝", "凤梨"),
    ("车厘子", "樱桃"), ("桂圆", "龙眼"), ("橘子", "桔子", "橘", "桔"), ("橙子", "橙"), ("柚子", "柚"),
    ("桃子", "桃"), ("梨子", "梨"), ("葡萄", "提子"), ("芒果", "杧果", "芒"), ("牛奶", "纯牛奶", "纯奶"),
    ("酸奶", "酸牛奶"), ("饺子", "水饺", "水餃"), ("馄饨", "云吞", "抄手"), ("汤圆", "元宵"),
    ("排骨", "肋排"), ("大米", "米"), ("面条", "挂面"), ("西兰花", "西蓝花", "绿花菜"),
    ("花菜", "菜花", "花椰菜"), ("豆角", "四季豆"), ("莴笋", "莴苣"), ("山药", "淮山"),
    ("青椒", "菜椒"), ("鸡", "鸡肉"), ("牛", "牛肉"), ("猪", "猪肉"), ("柑子", "柑"), ("柿子", "柿"),
    ("杏子", "杏"), ("茄子", "茄"), ("栗子", "板栗"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProductMatch:
    """The product the words mean (`entry`), or the equal candidates when they are ambiguous."""

    entry: CatalogEntry | None
    kind: MatchKind = "none"
    candidates: tuple[CatalogEntry, ...] = ()
    variant: str | None = None

    @property
    def ambiguous(self) -> bool:
        return self.kind == "ambiguous"


NO_MATCH = ProductMatch(entry=None)
_MEMO_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class CatalogIndex:
    """A catalog prepared for fast reading: codes, comparable names and one regex of all names."""

    entries: tuple[CatalogEntry, ...]
    by_code: dict[str, CatalogEntry]
    names: tuple[tuple[str, CatalogEntry, MatchKind], ...]
    mention_re: re.Pattern[str] | None
    mention_entries: dict[str, tuple[CatalogEntry, ...]]
    # Answers already given for this catalog: members write the same few words all day.
    memo: dict[str, ProductMatch] = field(default_factory=dict, compare=False, hash=False)

    @property
    def has_numeric_codes(self) -> bool:
        return any(code.isdigit() for code in self.by_code)

    def code(self, token: str) -> CatalogEntry | None:
        return self.by_code.get(token.strip().lower().lstrip("0") or token.strip())

    def is_letter_code(self, letter: str) -> bool:
        return len(letter) == 1 and letter.isascii() and letter.isalpha() and letter.lower() in self.by_code


def index_catalog(catalog: Sequence[CatalogEntry]) -> CatalogIndex:
    """The index of `catalog`, built once per distinct catalog."""
    return _index(tuple(catalog))


@lru_cache(maxsize=64)
def _index(entries: tuple[CatalogEntry, ...]) -> CatalogIndex:
    by_code: dict[str, CatalogEntry] = {}
    names: list[tuple[str, CatalogEntry, MatchKind]] = []
    mention_entries: dict[str, list[CatalogEntry]] = {}
    for entry in entries:
        if entry.code:
            code = entry.code.strip().lower()
            by_code.setdefault(code.lstrip("0") or code, entry)
        written_forms: list[tuple[str, MatchKind]] = [(entry.name, "exact")]
        written_forms.extend((alias, "alias") for alias in entry.aliases)
        for written, kind in written_forms:
            key = bare(written)
            if key:
                names.append((key, entry, kind))
            shown = " ".join(strip_emoji(written).split())
            if shown and (len(shown) >= 2 or not shown.isascii()):
                bucket = mention_entries.setdefault(shown, [])
                if entry not in bucket:
                    bucket.append(entry)
    mention_re = _mention_regex(tuple(mention_entries)) if mention_entries else None
    return CatalogIndex(
        entries=entries,
        by_code=by_code,
        names=tuple(names),
        mention_re=mention_re,
        mention_entries={k: tuple(v) for k, v in mention_entries.items()},
    )


def _mention_regex(written: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of every name, longest first, so 喜三鲜 wins over 三鲜 at the same place.

    A one-character name (牛) only counts standing alone; inside 牛肉饼 or 烤牛 it is not a mention.
    """
    parts = []
    for name in sorted(written, key=lambda n: (-len(n), n)):
        escaped = re.escape(name)
        if len(name) == 1:
            parts.append(rf"(?<![\u4e00-\u9fff]){escaped}(?![\u4e00-\u9fff])")
        elif name.isascii():
            parts.append(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])")
        else:
            parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


def match_product(query: str, catalog: Sequence[CatalogEntry]) -> ProductMatch:
    """The catalog entry `query` names: by code (`1`, `C`), name, alias, synonym, part of a name,
    a variant, or a one-character typo. Ambiguous when two or more fit equally well; never raises."""
    if not catalog or not isinstance(query, str):
        return NO_MATCH
    return match_in(query, index_catalog(catalog))


def match_in(query: str, index: CatalogIndex) -> ProductMatch:
    """`match_product` against a prepared index; results are remembered per index."""
    found = index.memo.get(query)
    if found is None:
        found = _match(query, index)
        if len(index.memo) < _MEMO_LIMIT:
            index.memo[query] = found
    return found


def _match(query: str, index: CatalogIndex) -> ProductMatch:
    query = query.strip()
    if not query or len(query) > 60:
        return NO_MATCH
    by_code = index.code(query)
    if by_code is not None and (query.isdigit() or index.is_letter_code(query)):
        return ProductMatch(entry=by_code, kind="code")
    key = bare(query)
    if not key:
        return NO_MATCH
    for candidate_key, how in _query_forms(key):
        found = _exact(candidate_key, index)
        if found:
            return _decide(found, "synonym" if how == "synonym" else None)
    variant = _variant_match(query, index)
    contained = _containing(key, index)
    if variant is not None and (not contained or variant.entry is not None):
        # 咸蛋黄 is a flavour of 肉松小贝 by name; 咸蛋黄巴斯克 only has the word in it.
        return variant
    flavoured = _flavour_and_name(query, index)
    if flavoured is not None and flavoured.entry is not None and flavoured.entry in [e for e, _ in contained]:
        return flavoured  # 抹茶蛋黄酥: the product, and which flavour of it
    if contained:
        return _decide(contained, "partial")
    for candidate_key, _how in _query_forms(key):
        if candidate_key != key:
            contained = _containing(candidate_key, index)
            if contained:
                return _decide(contained, "synonym")
    if flavoured is not None:
        return flavoured
    fuzzy = _fuzzy(key, index)
    return fuzzy if fuzzy.kind != "none" else _abbreviation(key, index)


_GROUP_OF = {word: group for group in _SYNONYM_GROUPS for word in group}
_SYNONYM_WORDS = re.compile(
    "|".join(sorted((re.escape(w) for w in _GROUP_OF if len(w) >= 2), key=lambda w: (-len(w), w)))
)


def _query_forms(key: str) -> list[tuple[str, str]]:
    """The query as written, then with each synonym swapped in."""
    forms = [(key, "as_written")]
    words = {m.group(0) for m in _SYNONYM_WORDS.finditer(key)}
    if key in _GROUP_OF:
        words.add(key)
    for word in sorted(words):
        forms.extend((key.replace(word, other), "synonym") for other in _GROUP_OF[word] if other != word)
    return forms


def _exact(key: str, index: CatalogIndex) -> list[tuple[CatalogEntry, MatchKind]]:
    found: list[tuple[CatalogEntry, MatchKind]] = []
    for name_key, entry, kind in index.names:
        if name_key == key and all(entry is not e for e, _ in found):
            found.append((entry, kind))
    return found


def _containing(key: str, index: CatalogIndex) -> list[tuple[CatalogEntry, MatchKind]]:
    """Entries whose name holds the query (苹果 in 红富士苹果) or sits in it (红富士苹果 in 红富士苹果5斤装).

    Where the query holds names, only the longest count: 红富士苹果 beats 苹果 inside 红富士苹果5斤装.
    """
    holding: list[tuple[CatalogEntry, MatchKind]] = []
    held: list[tuple[int, CatalogEntry]] = []
    for name_key, entry, _kind in index.names:
        if key in name_key:
            if all(entry is not e for e, _ in holding):
                holding.append((entry, "partial"))
        elif name_key in key and (len(name_key) >= 2 or len(key) <= 2):
            held.append((len(name_key), entry))
    if holding:
        return holding
    if not held:
        return []
    longest = max(length for length, _ in held)
    best: list[tuple[CatalogEntry, MatchKind]] = []
    for length, entry in held:
        if length == longest and all(entry is not e for e, _ in best):
            best.append((entry, "partial"))
    return best


def _variant_match(query: str, index: CatalogIndex) -> ProductMatch | None:
    key = bare(query)
    owners = [
        (entry, variant)
        for entry in index.entries
        for variant in entry.variants
        if bare(variant) == key or variant.strip() == query
    ]
    if not owners:
        return None
    if len({id(entry) for entry, _ in owners}) > 1:
        return ProductMatch(entry=None, kind="ambiguous", candidates=_unique(entry for entry, _ in owners))
    return ProductMatch(entry=owners[0][0], kind="variant", variant=owners[0][1])


def _flavour_and_name(query: str, index: CatalogIndex) -> ProductMatch | None:
    """`原味小贝`, `肉松小贝原味`: a flavour written onto (part of) the name of the product it is of."""
    key = bare(query)
    found: list[tuple[CatalogEntry, str]] = []
    for entry in index.entries:
        for variant in entry.variants:
            flavour = bare(variant)
            if not flavour or flavour == key:
                continue
            rest = key.removeprefix(flavour) if key.startswith(flavour) else key.removesuffix(flavour)
            if rest != key and len(rest) >= 2 and any(rest in bare(n) for n in (entry.name, *entry.aliases)):
                found.append((entry, variant))
    entries = _unique(entry for entry, _ in found)
    if len(entries) == 1:
        return ProductMatch(entry=entries[0], kind="variant", variant=found[0][1])
    if entries:
        return ProductMatch(entry=None, kind="ambiguous", candidates=entries)
    return None


def _abbreviation(key: str, index: CatalogIndex) -> ProductMatch:
    """`焦糖小泡芙` for 焦糖脆壳香草小泡芙: the name with words left out, in order; it starts like the
    name or keeps at least half of it."""
    if len(key) < 4:
        return NO_MATCH
    close = _unique(
        entry
        for name_key, entry, _ in index.names
        if (len(key) * 2 >= len(name_key) or name_key.startswith(key[:2])) and _is_subsequence(key, name_key)
    )
    if len(close) == 1:
        return ProductMatch(entry=close[0], kind="fuzzy")
    if close:
        return ProductMatch(entry=None, kind="ambiguous", candidates=close)
    return NO_MATCH


def _is_subsequence(short: str, long: str) -> bool:
    remaining = iter(long)
    return all(ch in remaining for ch in short)


def _fuzzy(key: str, index: CatalogIndex) -> ProductMatch:
    if len(key) < 3:
        return NO_MATCH
    close = _unique(
        entry for name_key, entry, _ in index.names if len(name_key) >= 3 and _one_edit(key, name_key)
    )
    if len(close) == 1:
        return ProductMatch(entry=close[0], kind="fuzzy")
    if close:
        return ProductMatch(entry=None, kind="ambiguous", candidates=close)
    return NO_MATCH


def _decide(found: list[tuple[CatalogEntry, MatchKind]], kind: MatchKind | None) -> ProductMatch:
    entries = _unique(entry for entry, _ in found)
    if len(entries) > 1:
        return ProductMatch(entry=None, kind="ambiguous", candidates=entries)
    return ProductMatch(entry=entries[0], kind=kind or found[0][1])


def _unique(entries: Iterable[CatalogEntry]) -> tuple[CatalogEntry, ...]:
    seen: list[CatalogEntry] = []
    for entry in entries:
        if all(entry is not e for e in seen):
            seen.append(entry)
    return tuple(seen)


def _one_edit(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one insertion, deletion or substitution."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
