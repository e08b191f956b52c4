"""What a chain's title and description say is on offer, for lines that name no product.

A meal relay (`今日菜单`, `晚餐预定接龙（30元）`) sells one set meal, so `张三 1份` or a bare name is one
portion of it. A single-product buy (`半个南瓜 等会送来 共20份`) names its product in the title.
A sign-up or check-in (`健康打卡`, an activity with 场地 and 限16人) sells nothing: its numbers are
headcounts or flags, never goods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from handlers.reading.text import strip_emoji
from handlers.reading.units import UNIT_PATTERN, canonical_unit

OfferKind = Literal["buy", "meal", "signup", "unknown"]

# The placeholder product for a quantity when nothing says what it is of.
UNNAMED_OFFER = "(本团商品)"
# The day's set meal in a meal relay whose title names no meal.
SET_MEAL = "套餐"
MEAL_WORDS = (
    "早餐", "午餐", "晚餐", "夜宵", "宵夜", "套餐", "便当", "便當", "盒饭", "盒飯", "工作餐",
    "早饭", "午饭", "晚饭", "早飯", "午飯", "晚飯",
)  # fmt: skip

_MEAL = re.compile(
    r"菜单|菜單|午餐|晚餐|早餐|午饭|晚饭|午飯|晚飯|订餐|訂餐|报餐|便当|便當|盒饭|盒飯|套餐|轻食|輕食|送餐|放餐|工作餐|饭菜"
)
_SIGNUP = re.compile(
    r"打卡|签到|报名|比赛|对抗|场地|timesheet|会议|出勤|考勤|健康|体温|约球|球赛|羽毛球|篮球|足球|"
    r"集合|参加|请假|值班|作业|早起|读书|活动|疫苗|接种|核酸|登记|投票|报到|限\d+人|"
    r"志愿|义工|值日|大扫除|团建|拼车|徒步|爬山|骑行|跑步|健身|瑜伽|运动|步数|签名|接送|体检|义诊|讲座|培训",
    re.IGNORECASE,
)
_BUY = re.compile(
    r"团购|團購|开团|開團|预定|预订|截单|截止|付款|配送|自取|自提|送货|到货|下单|价格|特价|秒杀|元|¥|￥|\$"
)
_WEIGHT = r"(?:斤|公斤|千克|kg|KG|Kg|克|g)(?![A-Za-z])"
_SIZE = re.compile(
    rf"(?:共|限|仅|只有|剩)\s*[\d一二两三四五六七八九十]+\s*({UNIT_PATTERN})"
    rf"|\d+\s*元\s*/?\s*({UNIT_PATTERN})|每({UNIT_PATTERN})"
    # 10斤/袋, 500g/份: so much in each bag or portion, which is what is sold.
    rf"|\d+(?:\.\d+)?\s*{_WEIGHT}\s*/\s*({UNIT_PATTERN})"
    # 鲜切牛肉 1kg 98元: the price of one kilo, so it sells by the kilo.
    rf"|(?<![\d.])[1一]\s*({_WEIGHT})\s*[¥￥]?\s*\d+(?:\.\d+)?\s*元"
)
_PRICE = re.compile(r"(\d+(?:\.\d+)?)\s*元")
_LEAD = re.compile(r"^[\s#@【\[(（]*")
_FIRST_PHRASE = re.compile(r"[^\s,，。;；:：!！?？（(【\[]+")
# Words around a product in a title (明天团购车厘子): dropped to find the product.
_TITLE_FILLER = re.compile(
    r"今日|今天|明天|后天|本周末?|下周|周末|周[一二三四五六日天]|今晚|明早|早上|下午|晚上|"
    r"团购|团|接龙|开团|预定|预订|新鲜|特价|秒杀|到货"
)
_NOT_A_PRODUCT = re.compile(r"通知|到货|截单|菜单|大家|请|各位|\d")


@dataclass(frozen=True, slots=True)
class Offer:
    """The chain's one product (when it has one) and what kind of list it is."""

    product: str | None = None
    unit: str | None = None
    price_fen: int | None = None
    kind: OfferKind = "unknown"


NO_OFFER = Offer()


def read_offer(title: str | None, description: tuple[str, ...] = ()) -> Offer:
    """The offer a chain's title and description describe; `NO_OFFER` when they say nothing."""
    head = strip_emoji(title or "")
    text = " ".join((head, *description))
    if not text.strip():
        return NO_OFFER
    price = _PRICE.search(head)
    price_fen = int(float(price.group(1)) * 100) if price else None
    meal_in_title = next((word for word in MEAL_WORDS if word in head), None)
    meal = Offer(product=meal_in_title or SET_MEAL, unit="份", price_fen=price_fen, kind="meal")
    if meal_in_title or _MEAL.search(head):
        return meal
    # `健步走打卡` over `每天晚饭后走起来`: the title says what the list is; the meal is only mentioned.
    if _SIGNUP.search(head) and not _BUY.search(head):
        return Offer(kind="signup")
    if _MEAL.search(text):
        return meal
    if _SIGNUP.search(text) and not _BUY.search(head):
        return Offer(kind="signup")
    size = _SIZE.search(head)
    product = title_product(head) if size else None
    if size or _BUY.search(text) or product:
        unit = canonical_unit(next((g for g in size.groups() if g), None)) if size else None
        return Offer(product=product, unit=unit, price_fen=price_fen, kind="buy")
    return NO_OFFER


def title_product(title: str) -> str | None:
    """The product a single-product title names first: 半个南瓜 in `半个南瓜 等会送来 共20份`,
    水蜜桃 in `周末团购 水蜜桃 每份10元`."""
    for phrase in _FIRST_PHRASE.finditer(_LEAD.sub("", title)):
        word = _TITLE_FILLER.sub("", phrase.group(0))
        if not word:
            continue  # 周末团购: only words around a product
        if 2 <= len(word) <= 10 and not _NOT_A_PRODUCT.search(word):
            return word
        return None
    return None
