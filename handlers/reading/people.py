"""Is a word a person or goods? Needed where no catalog can tell `李雷 3份` from `苹果 3份`."""

from __future__ import annotations

import re

from handlers.reading.text import bare

_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧倪葛"
)
_KINSHIP = (
    "老师",
    "师傅",
    "阿姨",
    "叔",
    "姐",
    "哥",
    "妹",
    "弟",
    "姨",
    "妈",
    "爸",
    "奶奶",
    "爷爷",
    "先生",
    "女士",
    "宝",
)
# Goods whose names start like a surname (李子, 黄瓜) and the last characters goods names end in.
_GOODS = frozenset(
    {
        "李子",
        "杨梅",
        "黄瓜",
        "白菜",
        "金桔",
        "石榴",
        "马蹄",
        "黄桃",
        "白萝卜",
        "胡萝卜",
        "黄豆",
        "毛豆",
        "龙眼",
        "金针菇",
        # X子 foods: 子 alone ends names too (小胖子), so these are listed.
        "橙子",
        "桃子",
        "梨子",
        "柿子",
        "椰子",
        "栗子",
        "柚子",
        "橘子",
        "桔子",
        "茄子",
        "豆子",
        "包子",
        "饺子",
        "粽子",
        "蛏子",
        "鸽子",
        "瓜子",
        "杏子",
        "榛子",
        "松子",
        "莲子",
        "蚬子",
    }
)
_GOODS_ENDINGS = frozenset(
    "瓜果菜豆桃梨莓橙桔柑枣蕉柚柿肉蛋鱼虾蟹米面奶茶饭粥包饼糕酥卷饺丸肠鸡鸭鹅油酱醋糖盐粉薯笋菇耳"
)
# 帮王阿姨, 给李叔, 替老张: ordering for someone else; the person is the one after the word.
_PROXY = re.compile(r"^(?:帮|给|替|为|代)(?=\S)")
PRONOUNS = frozenset(
    {
        "我",
        "俺",
        "本人",
        "我们",
        "我家",
        "我们家",
        "俺家",
        "咱",
        "咱家",
        "咱们家",
        "自己",
        "我自己",
        "我也",
        "我也要",
    }
)
# 帮我妈订2份, 我和我老婆各一份: someone of the sender's own household, ordered on the sender's row.
HOUSEHOLD = re.compile(
    r"^(?:我|我们|俺|咱)(?:家)?(?:的)?(?:妈|妈妈|爸|爸爸|老婆|老公|爱人|媳妇|家人|家里|婆婆|公公|岳母|丈母娘|"
    r"女儿|儿子|闺女|孩子|娃|宝宝|父母|爸妈|奶奶|爷爷|外婆|姥姥|姐|哥|弟|妹|老人)也?$"
)


def is_household(word: str) -> bool:
    """`我妈`, `我老婆`, `我家孩子`: the sender's household, whose orders are the sender's."""
    return bool(HOUSEHOLD.match(bare(word)))


def looks_like_goods(word: str) -> bool:
    core = bare(word)
    if any(kin in core for kin in _KINSHIP if len(kin) > 1):
        return False  # 刘奶奶 ends in 奶 (milk), but is a grandmother
    return core in _GOODS or (len(core) >= 2 and core[-1] in _GOODS_ENDINGS)


def looks_like_person(word: str) -> bool:
    """A surname-led short name (李雷, 老王), a kinship word (王阿姨), or a Latin nickname."""
    core = bare(word)
    if not core or looks_like_goods(core):
        return False
    if core.isascii():
        return any(ch.isalpha() for ch in core)  # Amy, ZJ; but 3-2-501 and a phone number are no one
    if any(word in core for word in _KINSHIP):
        return True
    return 2 <= len(core) <= 3 and (core[0] in _SURNAMES or core[0] in "老小阿")


def looks_like_full_name(word: str) -> bool:
    """`李四`, `王阿姨`: a surname and a given name, or a kinship word; stricter than
    `looks_like_person`, for words where goods are expected (小零食, 老干妈 are goods)."""
    core = bare(word)
    if not core or core.isascii() or looks_like_goods(core):
        return False
    return any(kin in core for kin in _KINSHIP) or (2 <= len(core) <= 3 and core[0] in _SURNAMES)


def is_surname(word: str) -> bool:
    """`张`, `王`: a surname alone, the way many members sign a list."""
    return len(word) == 1 and word in _SURNAMES


def without_proxy_word(name: str) -> str:
    """`帮王阿姨` → `王阿姨`: the person ordered for."""
    return _PROXY.sub("", name)
