"""Reading a leader's own words: a product listing (上架 西瓜 2.5/斤 限购2) and a pasted deal post
(开团 + a title line with the cutoff and pickup + numbered products). Pure functions, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from handlers.reading import normalize_text
from models.catalog import ProductSpec
from models.types import fen_from_yuan

# 麒麟西瓜 2.5/斤 库存100 限购2, 土鸡蛋 28/板（30枚）: the price is the number right before the unit,
# an optional spec in brackets and the optional stock and limit, so digits inside the name
# (8424西瓜, 五常大米10斤装) stay part of the name.
_LISTING = re.compile(
    r"^(?P<name>.+?[^\d\s.¥￥])\s*[¥￥]?(?P<price>\d+(?:\.\d{1,2})?)\s*元?\s*(?:/\s*(?P<unit>[^\s\d/（()）]{1,3}))?"
    r"\s*(?:[（(](?P<spec>[^）)]{1,20})[）)])?(?P<rest>(?:\s*(?:库存|限购|每人限)\s*\d.*)?)$"
)
_STOCK = re.compile(r"库存\s*(\d+(?:\.\d+)?)")
_LIMIT = re.compile(r"(?:限购|每人限)\s*(\d+(?:\.\d+)?)")
_NUMBERED = re.compile(r"^\s*(?:(\d{1,3})\s*[.、)）]|[（(](\d{1,3})[）)])\s*(.+)$")
_SPEC_IN_NAME = re.compile(r"(\d+(?:\.\d+)?\s*(?:斤|公斤|kg|g|克|个|枚|只|瓶|包|袋)装)")

_CN_HOURS = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip
_DAY_WORDS = {"今天": 0, "今晚": 0, "今日": 0, "明天": 1, "明早": 1, "明晚": 1, "后天": 2}
_AFTERNOON = ("下午", "晚上", "晚", "今晚", "明晚", "傍晚")
_TIME = re.compile(
    r"(?P<day>今天|今晚|今日|明天|明早|明晚|后天)?\s*(?P<part>上午|中午|下午|傍晚|晚上|晚|早上|早)?\s*"
    r"(?:(?P<h>\d{1,2})|(?P<hc>十[一二]?|[一二两三四五六七八九十]))\s*(?:[点:：时]\s*(?P<m>\d{1,2}|半)?)"
)
_CUTOFF = re.compile(rf"(?P<time>{_TIME.pattern})\s*(?:前)?\s*(?:截单|截止|结束)")
_PICKUP = re.compile(
    rf"(?:(?P<time>{_TIME.pattern})\s*)?(?:在|到)?(?P<place>[^\s，,。；;]{{1,12}}?)\s*(?:取货|自提|提货)"
)


@dataclass(frozen=True)
class Listing:
    """A product as a leader writes it."""

    name: str
    price_fen: int
    unit: str
    spec: str = ""
    stock: Decimal | None = None
    limit: Decimal | None = None
    code: str = ""

    def as_product(self, code: str) -> ProductSpec:
        """The catalog product this listing puts on sale under `code`."""
        return ProductSpec(
            code=code,
            name=self.name,
            unit=self.unit,
            price_fen=self.price_fen,
            spec=self.spec,
            stock=self.stock,
            limit_per_person=self.limit,
        )


@dataclass(frozen=True)
class TimeOfDay:
    """A time a leader writes (今晚8点, 明天下午3点半): days from today, hour and minute."""

    days: int
    hour: int
    minute: int
    # 8点 with no 上午/晚上 and no day: 08:00 or 20:00, whichever comes next.
    either_half: bool = False


@dataclass
class DealPost:
    title: str
    cutoff: TimeOfDay | None = None
    pickup: TimeOfDay | None = None
    pickup_place: str = ""
    listings: list[Listing] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def read_listing(text: str, code: str = "") -> Listing | None:
    """`麒麟西瓜 2.5/斤 库存100 限购2` → the product; None when no price can be read."""
    match = _LISTING.match(normalize_text(text).strip())
    if match is None:
        return None
    name = match.group("name").strip(" ：:-")
    price = Decimal(match.group("price"))
    if not name or price <= 0 or price > 100_000:
        return None
    rest = match.group("rest") or ""
    stock, limit = _STOCK.search(rest), _LIMIT.search(rest)
    spec = match.group("spec") or ""
    packed = _SPEC_IN_NAME.search(name)
    if packed and name.replace(packed.group(1), "").strip():
        # 砂糖橘 5斤装 25/箱: the product is 砂糖橘, sold in boxes of 5斤 (said once, as its spec).
        name = " ".join(name.replace(packed.group(1), " ").split())
        spec = spec or packed.group(1)
    return Listing(
        name=name,
        price_fen=fen_from_yuan(price),
        unit=match.group("unit") or "份",
        spec=spec,
        stock=Decimal(stock.group(1)) if stock else None,
        limit=Decimal(limit.group(1)) if limit else None,
        code=code,
    )


def read_time(text: str) -> TimeOfDay | None:
    """The first time of day written in `text`: 今晚8点, 明天下午3点半, 20:30, 八点."""
    match = _TIME.search(text)
    return _time_of(match) if match else None


def _time_of(match: re.Match[str]) -> TimeOfDay | None:
    hour = int(match.group("h")) if match.group("h") else _CN_HOURS.get(match.group("hc") or "", -1)
    minute_text = match.group("m") or ""
    minute = 30 if minute_text == "半" else int(minute_text) if minute_text else 0
    part, day = match.group("part") or "", match.group("day") or ""
    days = _DAY_WORDS.get(day, 0)
    evening = part in _AFTERNOON or day in _AFTERNOON
    if hour == 12 and evening and part != "下午":
        hour, days = 0, days + 1  # 晚上12点 is midnight, the start of the next day
    elif hour < 12 and evening:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    either_half = not part and not day and 1 <= hour <= 11
    return TimeOfDay(days=days, hour=hour, minute=minute, either_half=either_half)


def read_deal_post(text: str) -> DealPost:
    """A pasted deal post: its first line says the title, cutoff and pickup; numbered lines are products."""
    lines = [line.strip() for line in normalize_text(text).split("\n") if line.strip()]
    head = lines[0] if lines and not _NUMBERED.match(lines[0]) else ""
    post = DealPost(title="")
    description: list[str] = [head] if head else []
    for line in lines[1 if head else 0 :]:
        numbered = _NUMBERED.match(line)
        if numbered is None:
            description.append(line)
            continue
        code = numbered.group(1) or numbered.group(2)
        listing = read_listing(numbered.group(3), code=code)
        if listing is None:
            post.unreadable.append(line)
        else:
            post.listings.append(listing)
    said = " ".join(description)
    cutoff = _CUTOFF.search(said)
    if cutoff is not None:
        post.cutoff = read_time(cutoff.group("time"))
    pickup = _PICKUP.search(said)
    if pickup is not None:
        post.pickup = read_time(pickup.group("time")) if pickup.group("time") else None
        post.pickup_place = pickup.group("place")
    post.title = _title(head, cutoff, pickup)
    return post


def _title(head: str, cutoff: re.Match[str] | None, pickup: re.Match[str] | None) -> str:
    """The head line without the cutoff and pickup phrases, which the deal post shows on its own."""
    title = head
    for found in (cutoff, pickup):
        if found is not None:
            title = title.replace(found.group(0), " ")
    return " ".join(title.split()).strip(" ，,。")
