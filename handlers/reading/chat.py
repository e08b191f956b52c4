"""One free-text group message → what it asks for (`ChatIntent`).

The order of the checks is the order of a leader's reading: stickers and questions are chatter
(`苹果还有吗` is not an order), then the fixed phrases (我的订单, 不要了, 改成, +1), and only then
the general order reader, which must find a product and a quantity and may still ask back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from handlers.reading import reasons
from handlers.reading.context import ReadContext, context_for
from handlers.reading.findings import LineReading
from handlers.reading.intents import (
    CancelOrder,
    ChangeOrder,
    ChatIntent,
    Chatter,
    PlaceOrder,
    PlusOne,
    ShowMyOrder,
    Unclear,
)
from handlers.reading.lines import read_line
from handlers.reading.matching import match_in
from handlers.reading.model import CatalogEntry, ReadItem
from handlers.reading.numbers import COUNT_NUMERALS, HALF, is_absurd, parse_number, writes_a_count
from handlers.reading.offer import Offer
from handlers.reading.people import (
    PRONOUNS,
    is_household,
    looks_like_goods,
    looks_like_person,
    without_proxy_word,
)
from handlers.reading.text import normalize_text
from handlers.reading.units import UNIT_PATTERN
from handlers.reading.words import INTERJECTION, PREFERENCE, REMARK, calls_the_leader, is_verb_phrase

MAX_MESSAGE = 500

_MENTION = re.compile(r"^(?:@\S+[\s\u2005]+)+")
_STICKER = re.compile(r"^(?:\[[^\[\]]{1,10}\]\s*)+$")
_END = r"[\s。.!！~～]*$"
_SHOW = re.compile(
    r"^(?:我的订单|我的单|查订单|查询订单|订单查询|查一下订单|查下订单|看看订单|看看我的订单|我订了什么|我订了啥|"
    r"我买了什么|我买了啥|我定了什么|我定了啥|我要了什么|我要了啥|我的接龙)[?？]?" + _END
)
_QUESTION = re.compile(
    r"[?？]\s*$|[吗嘛呢么]\s*[?？。!！~～]*$|几点|多少钱|什么时候|啥时候|有没有|还有吗|还有没有|有冇|怎么|哪里|在哪|"
    r"能不能|可不可以|可以吗|是不是|要不要|几号|多久|为什么|咋|([\u4e00-\u9fff])不\1(?!了)"
    r"|有不\s*(?:[?？]|$)"
)
# A leader announcing (今天的团购…, 明天到货, 八点截单), not a member ordering.
# `要的报名`, `需要的直接群里报数量`: a call to whoever wants it, which only the leader makes.
_NOTICE = re.compile(
    r"团购|开团|開團|到货|截单|截团|通知|公告|特价|秒杀|上新|预售|接龙|价格|开抢|(?:^|[\s，,。：:])(?:想|需)?要的"
    # 明早的土鸡蛋还有人要吗, 谁要: asking who wants it, which only the seller asks.
    r"|有人要吗|有人要没|有没有人要|谁要|哪个要"
    # 需要订的家长在群里说一下: a call to whoever wants it.
    r"|的(?:家长|邻居|朋友|亲们|宝妈|同事|业主)(?:们)?(?:在群里|请|麻烦)?(?:说|报|接龙|留言)"
    r"|还剩|仅剩|只剩|剩余|库存|剩下|剩\s*[\d一二两三四五六七八九十]|最后\s*[\d一二两三四五六七八九十]"
    # 有的，还有20盒: the leader answering 还有吗 with the stock left.
    rf"|^(?:有的?|嗯|有呢|有哦)[，,\s]+还(?:有|剩)\s*\d+\s*(?:{UNIT_PATTERN})[哦的呢啊呀]*[。.!！~～]*$"
    # 2斤起订, 2箱起包邮: the least one may order, which only the leader sets.
    r"|起订|起送|起卖|起批|包邮"
    # 还没付款的：@老杨 @孙大爷, 没取的有: the leader's list of who still has to pay or collect.
    r"|[没未](?:付款?|转账?|取|拿)的\s*(?:[:：]|有|名单|如下)"
)
# Goods already handed over, received or still at home: what happened, not an order.
_REPORT = re.compile(
    r"收到了|已收到|拿到了|取到了|已取|取走了|拿走了|送到了|已送|已放|放(?:在|到)?\S{0,8}了$|没吃完|吃不完|还没吃"
)
# `李四不要了`, and with a reason after it: `不要了，家里还有`, `不要了 谢谢团长`.
_CANCEL_TAIL = re.compile(
    r"^(?P<who>.*?)\s*(?:的订单|的单|订单)?\s*(?:不要了|不要啦|不买了|不订了|不定了|别要了?|不用了|(?<=\S)不要(?=[\s。.!！~～]*$)|取消了?|退了|算了|撤了|删了|删掉|退掉)"
    r"(?:[，,。.!！~～\s]+(?P<why>.*?))?" + _END
)
_CANCEL_HEAD = re.compile(r"^(?:取消|退出|退掉|删掉|删除|撤销|不要(?![了啦]))\s*(?P<what>.+?)了?" + _END)
# A reason after a cancel that orders something instead (`不要了，换成香蕉`, `不要了，2斤就行`) is not
# a plain cancel; `不要了，下次再买` is.
_ORDERS_INSTEAD = re.compile(rf"换|改|\d|[一二两三四五六七八九十半]\s*(?:{UNIT_PATTERN})")
# `苹果不要了，换成梨2斤`: the product before the change is dropped.
_DROPPED = re.compile(r"\s*(?:不要了|不要啦|不要|不买了|取消)\s*[，,]?$")
# 改成3斤, and 改一箱吧 (改 right before the count).
_CHANGE = re.compile(
    r"^(?P<who>.*?)\s*(?:改成|改为|改到|换成|修改为|修改成|更改为|更改成|改(?=\s*[\d一二两三四五六七八九十半]))"
    r"\s*(?P<what>.+)$"
)
_PLUS = re.compile(
    r"^(?P<who>[^+＋➕]*?)\s*(?:[+＋➕]\ufe0f?\s*(?P<n>\d{1,3})|加\s*(?P<cn>[一二两三四五六七八九十]))\s*(?:份|个)?"
    + _END
)
_TIMES = re.compile(r"^(?P<who>\D*?\S)\s*(?:[xX×✖*]\ufe0f?)\s*(?P<n>\d{1,3})" + _END)
# `张三：2份`: a speaker named before the message.
_SPEAKER = re.compile(r"^(?P<who>[^:：\d\s]{1,12})\s*[:：]\s*(?P<rest>\S.*)$")
# `2. 香蕉1把`, `3、张三 2份`: a list number before words (but `2、3各一份` lists codes).
_LIST_NUMBER = re.compile(r"^\d{1,3}\s*[.、．]\s*(?=[^\W\d_])")
# `接龙 +1`, `我也接龙一份`, `帮我接一个`: joining the list with a count, which only a member writes.
_JOIN = re.compile(
    rf"^(?:帮我|给我)?(?:我也|也|我)?(?:接龙|接)了?\s*(?=[+＋➕]\s*\d|\d|[一二两三四五六七八九十半]\s*(?:{UNIT_PATTERN}))"
)
_CLAUSE_BREAK = re.compile(r"[，,。；;]+")
# 那就, 那, 还是 before the count or the verb: words leading to the order, never a name or goods.
_FILLER = re.compile(
    r"^(?:那就|那么|那我就|那我|那|还是)\s*(?=(?:要|来|给我|帮我)?\s*[0-9一二两三四五六七八九十半])"
)
# 算了, 不好意思, 哎呀 in front of a cancel or a change: how it is said, not who or what.
_SOFTENER = re.compile(
    r"^(?:算了吧?|不好意思|抱歉|对不起|哎呀?|唉|呃|sorry|sry|soga)[，,。\s!！~～…]*(?=\S)", re.IGNORECASE
)
# Asking to be allowed an order: 能不能来…, …可以吗, 还有2板吗 (but never a price question).
_ASKS_TO_ORDER = re.compile(r"能不能|可不可以|可以吗|行吗|行不行|还有(?=.*吗)")
_ASKING_WORDS = re.compile(
    r"^团长[，,\s]*|能不能|可不可以|可以吗|行吗|行不行|还有(?=.*吗)|吗(?=[\s?？。]*$)|[?？]"
)
_PRICE_QUESTION = re.compile(r"多少钱|几块|什么价|啥价|价格")
# The same breaks, kept by `split` so that the clauses can be joined again as they were written.
_CLAUSE_SPLIT = re.compile(f"({_CLAUSE_BREAK.pattern})")
_PAST = re.compile(r"上次|上回|上周|昨天|前天|之前|以前|那次")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_CHANGE_WORD = re.compile(r"换|改")
_CODE_WORD = re.compile(r"^(?:#\s*([0-9A-Za-z]{1,3})|(\d{1,3})\s*号(?:商品)?)$")
_ADDRESS_ONLY = re.compile(r"^[\d\s\-—#栋幢号楼单元室座区层]+$")
# 先不要了, 那我暂时不要了: "for now" says when, not what; the whole order goes.
_FOR_NOW = re.compile(r"^(?:那我|那|我|俺)?(?:就|还是)?(?:先|暂时)(?!生)")
# 我那只鸡不要了, 我那份不要了: the sender's own, pointed at; what follows (if anything) is the goods.
_THAT_ONE_OF_MINE = re.compile(r"^(?:我|俺)(?:那|这)[一两]?[只个份箱袋盒把条板]")
# 今天不要了, 我这次不要了, 我们不要了: the whole of this time's order, or of the household's.
_THIS_TIME = {
    "今天",
    "今天的",
    "这次",
    "这次的",
    "这回",
    "这周",
    "这周的",
    "这边",
    "我这次",
    "我这回",
    "我这周",
    "我这边",
}
_HOUSEHOLD = {"我们", "我们的", "咱们", "俺们", "我家", "我们家", "咱家", "俺家"}
_WHOLE_ORDER = frozenset(
    {"", "订单", "我的订单", "单", "全部", "所有", "都", "我的", "我", "我都"} | _THIS_TIME | _HOUSEHOLD
)


# 同上, 跟楼上一样, 我也要: "the same as the message above". What that was only the chat knows, so the
# reader reads it as chatter and says it is one (`says_same_as_above`) for the handler to look up.
# A bare 一样 is left out: it answers chat questions (价格一样吗?) far more often than it orders.
_SAME_AS_ABOVE = re.compile(
    r"^(?:(?:我也?)?(?:同上|同楼上|(?:跟|和|同|照)(?:楼上|上面|上边)(?:的)?(?:一样|一样的|那样|的)?)"
    r"|我?也(?:要|一样|要一样的|要一份一样的)|我一样的?)"
    r"(?:[，,\s]*(?:谢谢|麻烦了?)?(?:团长)?)?[吧呀哈啊的]*[\s。.!！~～👍🙏]*$"
)


def says_same_as_above(text: str) -> bool:
    """`同上`, `我跟楼上一样`, `我也要`: an order for whatever the message above ordered."""
    message = _MENTION.sub("", normalize_text(text)).strip()
    return bool(_SAME_AS_ABOVE.match(message))


# Cantonese words that order, change or ask, and traditional characters of counts, in the Mandarin
# the reader knows.
_CANTONESE = {
    "俾我": "给我",
    "畀我": "给我",
    "改做": "改成",
    "唔該": "谢谢",
    "唔该": "谢谢",
    "幾點": "几点",
    "几點": "几点",
    "幾時": "几时",
    "幾多錢": "多少钱",
    "几多钱": "多少钱",
    "聽日": "明天",
    "听日": "明天",
    "仲有冇": "还有没有",
    "仲有": "还有",
    "咁要": "那要",
    "咁就": "那就",
    "同我家姐": "和我姐",
    # Traditional characters of counts and times.
    "點": "点",
    "個": "个",
    "幾": "几",
    "兩": "两",
    "號": "号",
    "樓": "楼",
    "塊": "块",
    "隻": "只",
    "條": "条",
}
_CANTONESE_WORDS = re.compile("|".join(sorted(_CANTONESE, key=len, reverse=True)))


def _in_mandarin(message: str) -> str:
    return _CANTONESE_WORDS.sub(lambda m: _CANTONESE[m.group()], message)


def read_chat_message(
    text: str, catalog: Sequence[CatalogEntry] = (), *, offer: Offer | None = None
) -> ChatIntent:
    """What one group message asks for. Never raises; anything unreadable is `Chatter`."""
    message = _in_mandarin(_MENTION.sub("", normalize_text(text)).strip())
    if not message or _STICKER.match(message) or not any(ch.isalnum() for ch in message):
        return Chatter()
    ctx = context_for(catalog, offer)
    if len(message) > MAX_MESSAGE:
        reading = read_line(message, ctx, mode="chat")
        if reading.order_like:
            return Unclear(reasons.TOO_LONG, detail="消息太长，请团长看一下", items=tuple(reading.items))
        return Chatter()
    if _SHOW.match(message):
        return ShowMyOrder()
    joined = _JOIN.match(message)
    if joined is not None:
        message = message[joined.end() :]  # 接龙+1, 帮我也接一个: a member joining, not the leader
    if _NOTICE.search(message):
        return Chatter()
    if _REPORT.search(message) and not _ORDER_VERB.search(message):
        return Chatter()  # 昨天的两箱收到了, 5栋的两箱放门卫了: about goods already handed over
    if _UNIT_PRICE.search(message) and not _ORDER_VERB.search(message):
        # 土豆2.5一斤，青椒4块一斤: the leader's prices. With a count in it, the leader decides.
        reading = read_line(_PACK.sub(" ", message), ctx, mode="chat")
        if not reading.items:
            return Chatter()
        return Unclear(reasons.AMBIGUOUS_QUANTITY, detail="写了单价，是下单吗?", items=tuple(reading.items))
    if _QUESTION.search(message):
        return _question(message, ctx)
    speaker = _SPEAKER.match(message)
    if speaker is not None and _person_and_product(speaker.group("who"), ctx)[0] is not None:
        return _with_name(
            read_chat_message(speaker.group("rest"), catalog, offer=offer), speaker.group("who")
        )
    filler = _FILLER.match(message)
    if filler is not None:
        message = message[filler.end() :]  # 那就2板吧: the count, after the words that lead to it
    softened = _SOFTENER.match(message)
    if softened is not None:
        message = message[softened.end() :]  # 算了不要了, 不好意思 改一箱吧: the words that soften it
    numbered = _LIST_NUMBER.match(message)
    if numbered is not None:
        # `2. 香蕉1把`: a line copied out of a numbered list; its number counts lines, not product 2.
        return read_chat_message(message[numbered.end() :], catalog, offer=offer)
    if _BARE_NUMBER.match(message) and ctx.index.has_numeric_codes and len(ctx.catalog) > 1:
        return _code_alone(message, ctx)
    shared = _household_each(message, catalog, offer)
    if shared is not None:
        return shared
    for read in (_cancel, _change, _plus_one):
        intent = read(message, ctx)
        if intent is not None:
            return intent
    return _order(message, ctx)


# 我和我妈各要一板鸡蛋: people of the sender's household, then 各 and what each of them wants.
_EACH_OF_US = re.compile(
    rf"^(?P<people>[^各\d\s]{{1,16}}?)\s*各(?:自)?\s*(?=要|来|买|订|定|\d|[{COUNT_NUMERALS}{HALF}])"
)
_AND = re.compile(r"和|跟|与|、|还有|加")


def _household_each(message: str, catalog: Sequence[CatalogEntry], offer: Offer | None) -> ChatIntent | None:
    """`我和我妈各要一板鸡蛋` is two 板 on the sender's order: one for each person named."""
    found = _EACH_OF_US.match(message)
    if found is None:
        return None
    people = [p for p in _AND.split(found.group("people")) if p]
    if len(people) < 2 or not all(p in PRONOUNS or is_household(p) for p in people):
        return None
    intent = read_chat_message(message[found.end() :], catalog, offer=offer)
    if not isinstance(intent, PlaceOrder) or intent.name is not None:
        return intent
    return replace(intent, items=tuple(replace(item, qty=item.qty * len(people)) for item in intent.items))


# So much a unit (45元/斤, 2.5一斤, ¥18/kg): what the leader announces. A member quoting it orders
# with a verb (我要2盒，58元/盒).
# 8斤一箱, 30个一盒: what a pack holds, in the leader's description of the goods.
_PACK = re.compile(rf"\d+\s*(?:个|只|枚|斤|片|粒|颗)\s*(?:一|每|/)\s*(?:{UNIT_PATTERN})")
_UNIT_PRICE = re.compile(
    rf"(?:[¥￥$]\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:元|块钱?))\s*(?:/|每|一)\s*(?:{UNIT_PATTERN})"
    rf"|\d+(?:\.\d+)?\s*/\s*(?:{UNIT_PATTERN})(?![\u4e00-\u9fff])|\d\s*一(?:{UNIT_PATTERN})"
    rf"|\d+(?:\.\d+)?\s*(?:元|块钱?)\s*[\d一两二三四五]\s*(?:{UNIT_PATTERN})"  # 苹果10元3斤
    # 8斤一箱 $98, 30个一盒 35元: what a pack holds and what it costs.
    rf"|{_PACK.pattern}.*?(?:[¥￥$]\s*\d|\d\s*(?:元|块))"
)
# Words that order or change an order: with one, 吃不完 or 收到了 in the message is a reason.
_ORDER_VERB = re.compile(r"要|来|买|订|定|留|报|改|换|[+＋➕]")
_CLAUSES = re.compile(r"[，,。；;！!？?\s]+")


def _code_alone(message: str, ctx: ReadContext) -> ChatIntent:
    """`1` and nothing else, where products are numbered: product 1, or a reply to someone? Asked."""
    entry = ctx.index.code(message)
    if entry is None:
        return Chatter()
    item = ReadItem(entry.name, Decimal(1), entry.unit, message, code=entry.code)
    detail = f"{message} 是要{entry.code}号{entry.name}吗?"
    return Unclear(reasons.AMBIGUOUS_PRODUCT, candidates=(entry,), items=(item,), detail=detail)


def _question(message: str, ctx: ReadContext) -> ChatIntent:
    """`苹果还有吗` is chatter; `芒果一箱，榴莲什么时候有？` orders too, but the leader answers first;
    `富士2斤可以吗`, `能不能来2斤富士` ask to order, with the count: they are orders."""
    if _ASKS_TO_ORDER.search(message) and not _PRICE_QUESTION.search(message):
        wanted = _order(_ASKING_WORDS.sub(" ", message).strip(" ，,。？?"), ctx)
        counted = isinstance(wanted, PlaceOrder) and all(writes_a_count(item.raw) for item in wanted.items)
        if counted:
            return wanted
    clauses = [c for c in _CLAUSES.split(message) if c and not _QUESTION.search(c)]
    if len(clauses) == len(_CLAUSES.split(message.strip(" ，,。；;！!？?"))):
        return Chatter()  # the question mark is the only question: `2斤?` asks, it does not order
    for clause in clauses:
        reading = read_line(clause, ctx, mode="chat")
        if reading.items:
            detail = "下单时还问了问题，请团长确认"
            return Unclear(reasons.AMBIGUOUS_QUANTITY, detail=detail, items=tuple(reading.items))
    return Chatter()


def _with_name(intent: ChatIntent, name: str) -> ChatIntent:
    """The intent of a message after `张三：`, for 张三 unless it names someone itself."""
    if isinstance(intent, Chatter | ShowMyOrder) or getattr(intent, "name", None):
        return intent
    return replace(intent, name=name)


def _cancel(message: str, ctx: ReadContext) -> ChatIntent | None:
    tail = _CANCEL_TAIL.match(message)
    head = None if tail else _CANCEL_HEAD.match(message)
    if tail is None and head is None:
        return None
    if head is not None and _CHANGE_WORD.search(head.group("what")):
        # `不要辣那份改成C`, `不要香蕉换成苹果`: what follows 不要 changes the order, never cancels it.
        return None
    why = (tail.group("why") or "").strip(" ，,。") if tail is not None else ""
    if (
        tail is not None
        and not tail.group("who").strip()
        and why
        and not _CHANGE_WORD.search(why)
        and (_CODE_WORD.match(why) is not None or not _ORDERS_INSTEAD.search(why))  # 不要了，2斤就行
        and (ctx.catalog or looks_like_goods(why))  # 不要了，家里还有: a reason, not a product
    ):
        named = _product(why, ctx)
        if named is not None:
            return CancelOrder(products=(named,))  # 取消 4号, 不要了 苹果: what follows is what goes
    if tail is not None and _ORDERS_INSTEAD.search(tail.group("why") or ""):
        if _CHANGE.match(message):
            return None  # 不要了，换成2斤: a change, for `_change`
        return Unclear(reasons.AMBIGUOUS_PRODUCT, detail="是取消，还是换成别的?")
    words = (tail.group("who") if tail else head.group("what") if head else "").strip(" ，,:：")
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(words) if c.strip()]
    # The words next to 不要了 (after 取消) are what is withdrawn; the other clauses may order.
    others = clauses[:-1] if tail else clauses[1:]
    ordered = read_line(" ".join(others), ctx, mode="chat").items if others else []
    if ordered:
        # 蓝莓2盒，车厘子不要了: an order and a withdrawal in one message; the leader sorts them out.
        return Unclear(reasons.AMBIGUOUS_PRODUCT, detail="又下单又取消，请团长确认", items=tuple(ordered))
    # 明天不在家，我的不要了: the clause next to 不要了 says what goes; another clause names whose
    # order it is (张三，苹果不要了) or gives a reason.
    near = (clauses[-1] if tail else clauses[0]) if clauses else ""
    name, product = _person_and_product(near, ctx)
    if name is None and len(others) == 1 and looks_like_person(others[0]) and _may_be_name(others[0]):
        name = _person(others[0])
    if product is None and name is None:
        return CancelOrder()
    return CancelOrder(products=(product,) if product else (), name=name)


def _change(message: str, ctx: ReadContext) -> ChatIntent | None:
    match = _CHANGE.match(message)
    if match is None:
        return None
    who = match.group("who").strip(" ，,:：")
    dropped = _DROPPED.search(who)
    if dropped is not None:
        who = who[: dropped.start()].strip(" ，,:：")
    if who in PRONOUNS or calls_the_leader(who) or is_verb_phrase(who):
        who = ""  # 团长，我改1盒, 我要改成2盒: the sender's own order, no one and nothing named
    name, product = _person_and_product(who, ctx)
    reading = read_line(match.group("what"), ctx, mode="chat")
    if not reading.items:
        if dropped is not None or product is not None:
            return Unclear(reasons.AMBIGUOUS_QUANTITY, detail="换成什么、要多少?", name=name)
        return None
    items = tuple(_with_product(item, product, ctx) for item in reading.items)
    # 改成3斤 names no product on purpose: the change is to what the person already ordered.
    reading.issues = [issue for issue in reading.issues if not issue.which_product]
    if reading.issues and product is None:
        return _unclear(reading, items, name)
    if dropped is not None and product is None:
        return Unclear(reasons.AMBIGUOUS_PRODUCT, detail="不要哪个商品，换成什么?", items=items, name=name)
    if product is not None and all(item.product != product for item in items):
        # 苹果换成梨2斤: the product named first is dropped, the new one takes its place.
        items = (ReadItem(product, Decimal(0), None, match.group("who").strip()), *items)
    return ChangeOrder(items=items, name=name)


def _plus_one(message: str, ctx: ReadContext) -> ChatIntent | None:
    match = _PLUS.match(message) or _TIMES.match(message)
    if match is None:
        return None
    groups = match.groupdict()
    count = parse_number(groups.get("n") or groups.get("cn") or "1") or Decimal(1)
    who = match.group("who").strip(" ，,:：")
    if "再" in who:
        return None  # 我再加一份: one more on top, for the order reader
    name, product = _person_and_product(who, ctx)
    if product is not None:
        return None  # `香蕉x2`, `苹果+1`: an order of a named product, for the order reader
    if who and name is None and who not in PRONOUNS:
        return None  # `1+1`, `3栋+1`: not a plain +1; let the order reader look at it
    if is_absurd(count):
        return Unclear(reasons.ABSURD_QUANTITY, detail=f"+{count} 不像是真的数量", name=name)
    return PlusOne(qty=count, name=name)


def _order(message: str, ctx: ReadContext) -> ChatIntent:
    message, past = _without_past_remarks(message)
    reading = read_line(message, ctx, mode="chat")
    reading.notes.extend(past)
    items = tuple(reading.items)
    if reading.issues:
        return _unclear(reading, items, reading.name)
    if items:
        name, note = reading.name, reading.note
        if name is not None and (
            _FOR_ME.search(name)
            or _FOR_ME.search(message.partition(name)[2])
            or _THE_SELLER.match(name)
            or any(_FOR_ME.search(item.raw) for item in items)
        ):
            # 小李 给我留两板, 老板 明天给我留两袋白面: whoever is called, the order is the sender's own.
            name = None
        if name is None and note is not None and looks_like_person(note) and _may_be_name(note):
            name, note = note, None  # `#2 小美`: ordering for the person named after the order
        glued = _count_in_a_name(message, items, name, note)
        if glued is not None:
            return Unclear(reasons.AMBIGUOUS_QUANTITY, items=items, detail=f"{glued} 是数量吗?")
        return PlaceOrder(items=items, name=name, note=note)
    return Chatter()


# 团长, 老板: the seller, called before an order; never whose order it is.
_THE_SELLER = re.compile(r"^(?:团长|群主|老板娘?|店长|掌柜的?)$")
# 给我, 帮我留: for the writer themself (but 帮我妈 is for someone at home).
_FOR_ME = re.compile(r"(?:给|帮|替)我(?![妈爸家老女儿姐哥弟妹们公婆])")


def _count_in_a_name(
    message: str, items: tuple[ReadItem, ...], name: str | None, note: str | None
) -> str | None:
    """`红富士2jing`, `大米两代`: a count glued to the goods with a mistyped unit after it, read as a
    name or a remark, leaves the goods with no count. It is asked about, never taken as 1."""
    if len(items) != 1 or writes_a_count(items[0].raw):
        return None
    if name is not None and name[0].isdigit():
        written = name
    elif note is not None and len(note) == 2 and note[0] in COUNT_NUMERALS:
        written = note
    else:
        return None
    return written if re.search(re.escape(items[0].raw) + r"\s*" + re.escape(written), message) else None


def _without_past_remarks(message: str) -> tuple[str, list[str]]:
    """`香蕉2把，上次的鸡蛋有点碎了`: a clause about an earlier time with no count in it speaks of
    goods already had, not goods ordered now; it is a remark."""
    parts = _CLAUSE_SPLIT.split(message)
    if len(parts) < 3:
        return message, []
    kept: list[str] = []
    past: list[str] = []
    for clause, separator in zip(parts[::2], [*parts[1::2], ""], strict=True):
        if _PAST.search(clause) and not writes_a_count(clause):
            past.append(clause.strip())
        else:
            kept.append(clause + separator)
    return ("".join(kept).strip(" ，,。；;") or message), past


def _may_be_name(note: str) -> bool:
    """`#2 小美` names 小美; `2袋，谢谢`, `1份 好的` and `要一个小点的` name no one."""
    return (
        " " not in note
        and not REMARK.search(note)
        and INTERJECTION.match(note) is None
        and PREFERENCE.search(note) is None
        and not is_household(note)
    )


def _unclear(reading: LineReading, items: tuple[ReadItem, ...], name: str | None) -> Unclear:
    issue = reading.issues[0]
    candidates = next((i.candidates for i in reading.issues if i.candidates), ())
    detail = "；".join(dict.fromkeys(i.detail for i in reading.issues))
    return Unclear(issue.code, candidates=candidates, items=items, detail=detail, name=name)


def _with_product(item: ReadItem, product: str | None, ctx: ReadContext) -> ReadItem:
    """The item with the product named elsewhere in the message (`苹果改成3斤`)."""
    if product is None or not item.implicit:
        return item
    entry = next((e for e in ctx.catalog if e.name == product), None)
    return ReadItem(
        product,
        item.qty,
        item.unit or (entry.unit if entry else None),
        item.raw,
        code=entry.code if entry else None,
    )


def _person_and_product(words: str, ctx: ReadContext) -> tuple[str | None, str | None]:
    """Split `李四`, `苹果`, `李四的苹果` or `张三 苹果` into (person, product)."""
    words = _THAT_ONE_OF_MINE.sub("", _FOR_NOW.sub("", words.strip())).strip()
    if words in _WHOLE_ORDER or words in PRONOUNS:
        return None, None
    for separator in ("的", " "):
        if separator in words:
            person, _, thing = words.rpartition(separator)
            if thing.strip() and (thing.strip() in _WHOLE_ORDER or thing.strip() in PRONOUNS):
                return None, None  # 乐乐上次已经买了 我们不要了: the words before say why
            product = _product(thing.strip(), ctx)
            if product is not None and person.strip():
                return _person(person.strip()), product
    product = _product(words, ctx)
    if product is not None:
        return None, product
    return _person(words), None


def _product(words: str, ctx: ReadContext) -> str | None:
    code = _CODE_WORD.match(words)
    entry = ctx.index.code(code.group(1) or code.group(2)) if code is not None and ctx.catalog else None
    if entry is not None:
        return entry.name  # 取消4号, 不要#2: a product by its code, though 4号 could be a door
    if code is not None and ctx.catalog:
        return words  # 取消9号 with no product 9: a product nobody sells, never the whole order
    if not words or _ADDRESS_ONLY.match(words):
        return None  # 3栋502，不要了: where the order goes, not what it is
    if ctx.catalog:
        found = match_in(words, ctx.index)
        if found.entry is not None and found.entry.name not in ctx.offer_words:
            return found.entry.name
        return words if found.ambiguous else None
    return None if looks_like_person(words) else words


def _person(words: str) -> str | None:
    words = without_proxy_word(words.strip(" ，,:：的"))
    if _ADDRESS_ONLY.match(words):
        return None
    return None if not words or words in PRONOUNS or words in _WHOLE_ORDER else words
