"""The words of order text that are not products: verbs, remarks, add-ons, gifts.

`要3份` orders, `少饭` and `菜心换西红柿` are remarks, `加包子` adds one, `送小零食` is a gift; the readers
of names and orders both need to tell these apart from product words.
"""

from __future__ import annotations

import re

# `（备注：3栋502）`: a bracket starting with this is a note, whatever numbers it holds.
NOTE_MARK = "备注"
VERBS = (
    "我要",
    "还要",
    "再要",
    "再来",
    "再加",
    "预定",
    "预订",
    "一共",
    "总共",
    "要",
    "买",
    "订",
    "定",
    "来",
    "拿",
    "共",
    "带",
    "留",
    "报",  # 我报2份, 帮我妈报一盒: putting one's name down for it
)
# Who an order is for, in front of its verb: 帮我(留), 给我(来), 麻烦帮我(订), 我也(要).
_FOR_WHOM = re.compile(r"^(?:麻烦|请)?(?:帮我|给我|帮忙|替我|我也|我|帮|给)?$")
# An order verb after the goods, with whom it is for: 西瓜要, 苹果我要, 鸡蛋给我留.
_VERB_TAIL = re.compile(r"(?:麻烦|请)?(?:帮我|给我|替我|我也|我|帮|给)?(?:要|来|买|订|定|留|拿|报)$")
# Goods, then 要 and a wish about them (要大果的, 要熟一点, 要瘦一些).
_WISH_AFTER = re.compile(r"^(\S+?)要(\S*(?:的|一点|一點|点儿|一些|些))$")
_TRAILING_AND = re.compile(r"(?<=\S\S)(?:和|跟|还有|以及)$")
_TRAILING_PARTICLES = re.compile(r"[的吧哦啊呀了哈噢滴呢嘛]+$")
# 半箱可以吗, 两份行吗: asking leave to order, after the count; never part of the goods' name.
_ASKING_TAIL = re.compile(r"(?:可以|行|好|能|成)?吗[?？]?$|[?？]+$")
_WHEN = "晚点|晚些|晚上|早点|早上|上午|中午|下午|明天|明早|后天|下班|周末|周[一二三四五六日天]"
REMARK = re.compile(
    r"^(?:不|免|少|多|别|去|换|飞|备注|自备|打包|已|到付|谢谢|謝謝|多谢|麻烦|辛苦|感谢|請|请)|换|不要|不加|已付|已转|已支付|[未没待](?:付|转|交|给)|称重|"
    r"付了|转了|饭少|饭多|[少多]$|送$|周[一二三四五六日天]送|^(?:取|自取|来取|去取|提|自提|到|拿|送)$"
    # 晚点取, 下班来拿, 放门口, 电话138…: when and where to hand over, and how to reach the member.
    rf"|^(?:{_WHEN})(?:再|过来|来|去|自)?(?:取|拿|提|送)|^放(?:门口|门卫|快递柜|丰巢|驿站|楼下|前台|$)"
    r"|^(?:电话|手机|联系|微信|地址|车牌|第)|在家|(?:^|\s)要?[微中特重]?辣$|^送(?:到|去|至|上门|过来|回家|货)"
    # 她下午自己来接, 他来拿: about whoever collects, never goods; 家里有人: someone is home to take it.
    r"|^[她他]|^家里|[有没]人(?:在家?)?$"
)
# How a drink or a dish is made (大杯, 少冰, 半糖, 三分糖, 微辣): a choice about the item before it,
# never a product, and 半糖 is no half of anything.
_OPTION = (
    r"超大杯|大杯|中杯|小杯|[少去多正常无加]冰|常温|热饮|冰饮"
    r"|[全半无少微多]糖|[一二三四五六七八\d]分糖|正常糖|标准糖|[微中特]辣"
    # 冰 x2, 热 少甜, 2杯 一冰一热: how the drink comes, never a drink.
    r"|[冰热]|一冰一热|[一二两三四五\d][冰热]|少甜|半甜|不甜"
)
OPTIONS = re.compile(rf"^(?:{_OPTION})+$")
# `3箱 要挑熟一点的`, `2斤 大一些`: a wish about the goods after their quantity, not a product.
# `3箱 要大果`, `2只 挑大个`: the size wanted, said without 的.
_SIZE_WISH = r"^(?:要|挑|选)?[大小](?:果|个儿?|只|颗|粒|点)$"
PREFERENCE = re.compile(r"\S(?:的|一点|一點|点儿|點兒|一些|些)$|" + _SIZE_WISH)
# 要母的, 要大一点的, 挑大个: what the member wants the goods named just before to be like.
WISH = re.compile(r"^(?:要|挑|选)\S{0,4}(?:的|一点|一點|点儿|一些)$|" + _SIZE_WISH)
WEIGHED = re.compile(r"称重|按重|过秤")
ADD_WORDS = frozenset({"加", "再加", "另加", "外加", "加个"})
ADD_ON = re.compile(r"^加(?!饭|辣|菜|量|钱|急|油|一点|点)(.+)$")
# 送小零食 is a gift; 送到村口, 送上门, 送过来 say where the goods go.
GIFT_WORDS = re.compile(r"^(?:送(?![到去至过回家货上给])|赠送|赠|附赠|加送)(.+)$")


# 好的，我要3斤 / 嗯 来2份 / 那我要两箱: words that answer or go on, never a person's name.
INTERJECTION = re.compile(
    r"^(?:好的|好滴|好哒|好嘞|好吧|好|嗯+|哦+|噢+|喔|哈+|那么|那|ok|okay|行|可以|对|是的|有的|不好意思|抱歉|sorry|谢谢|麻烦了|辛苦了"
    r"|收到了?|知道了)",
    re.IGNORECASE,
)


def strip_verb(text: str) -> str:
    for verb in VERBS:
        if text.endswith(verb) and len(text) > len(verb):
            return text[: -len(verb)].strip()
    return text


def is_verb_phrase(words: str) -> bool:
    """`要`, `帮我留`, `给我来`, `我也要`: words that order without naming anything."""
    stripped = strip_verb(words)
    return words in VERBS or (stripped != words and _FOR_WHOM.match(stripped) is not None)


def without_verb_tail(words: str) -> str:
    """`西瓜要` → `西瓜`, `鸡蛋给我留` → `鸡蛋`: the goods before an order verb written after them."""
    found = _VERB_TAIL.search(words)
    if found is None or found.start() == 0:
        return words
    return words[: found.start()].strip()


# 团长我要, 阿姨，我要: the words before 我 call the leader; the order is the sender's own.
_CALLS_LEADER = re.compile(
    r"^(?:团长|群主|老板娘?|阿姨|大?姐姐?|亲爱的|亲|美女|帅哥|老师|师傅|宝子?)[，,\s]*(?:我也|给我|帮我|我)(?:要|来|买|订|定|留|拿|报)?$"
)


def calls_the_leader(words: str) -> bool:
    return _CALLS_LEADER.match(words) is not None


# Goods whose name starts with an order verb's character: 带鱼 is a fish, not "bring 鱼".
_GOODS_STARTING_LIKE_A_VERB = ("带鱼", "带皮", "带骨", "带壳", "拿铁", "定胜糕", "来伊份")
# 再+1, 也+1, 还来一份, 还能加一箱: words that say "more", left over where goods would be named;
# 大概4斤, 差不多2斤: words that say "about".
_MORE_WORDS = re.compile(
    r"^(?:我|还|再|也|又|另)+(?:能|可以)?(?:加|来|要)?$|^(?:能|可以)(?:加|来|要)$"
    r"|^(?:大概|大约|约|差不多|左右)$"
)


def clean_product(words: str) -> str:
    # 明天的土鸡蛋: what is left of 的 once the time before it is set aside.
    words = words.strip(" \t-—–~～:：,，、;；/\\|.。").removeprefix("的")
    verbs = () if words.startswith(_GOODS_STARTING_LIKE_A_VERB) else VERBS
    for verb in verbs:
        if words.startswith(verb) and len(words) > len(verb):
            words = words[len(verb) :]
            break
    wish = _WISH_AFTER.match(words)
    if wish is not None:
        words = wish.group(1)  # 草莓要大果的: the strawberries; the wish is about them
    words = _ASKING_TAIL.sub("", words).strip()
    words = without_verb_tail(_TRAILING_PARTICLES.sub("", words).strip())
    words = _TRAILING_PARTICLES.sub("", words) or words  # 五仁的来四盒: 的 before the verb too
    words = _TRAILING_AND.sub("", words) or words  # 2斤车厘子和1箱橙子: 和 joins the next item
    return "" if _MORE_WORDS.match(words) else words
