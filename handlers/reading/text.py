"""Text normalisation: one clean form of group-chat text for every later step to read.

WeChat text carries invisible characters (U+FFF0 from some clients, zero-width joiners left by
copy-paste, bidi marks), full-width digits from Chinese input methods, and three kinds of line
break. `normalize_text` removes or unifies those and nothing else: Chinese punctuation such as
，（）：【】 keeps its meaning and its form, because labels and leaders write it that way.
"""

from __future__ import annotations

import re

# Characters that carry no visible meaning in chat text. U+200D (zero-width joiner) is kept
# only inside emoji sequences, where it glues 🏃 and ♀ into one glyph; elsewhere it is noise.
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff0-\ufff8]"
)
_STRAY_ZWJ = re.compile(
    "(?<![\U0001f000-\U0001faff\u2600-\u27bf])\u200d|\u200d(?![\U0001f000-\U0001faff\u2600-\u27bf])"
)
# C0/C1 control characters other than tab and newline become spaces, so words stay apart.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
_TRAILING_SPACE = re.compile("[ \t\u3000]+\n")

# Full-width forms that parse better half-width: digits, Latin letters and the ASCII operators
# people type with a Chinese keyboard. Chinese punctuation (，。：（）【】、) is left alone.
_HALF_WIDTH = {
    **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
    **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "＋": "+",
    "－": "-",
    "＊": "*",
    "／": "/",
    "＝": "=",
    "＃": "#",
    "＠": "@",
    "％": "%",
    "＆": "&",
    "．": ".",
    "＄": "$",
    "\u3000": " ",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
}
_HALF_WIDTH_TABLE = str.maketrans(_HALF_WIDTH)
_NEEDS_HALF_WIDTH = re.compile("[" + "".join(re.escape(ch) for ch in _HALF_WIDTH) + "]")
# Any character one of the cleaning steps above would touch.
_NEEDS_CLEANING = re.compile(
    "[\r\u2028\u2029\x85\u200d\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u00ad\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff0-\ufff8]"
)

# Pictographs, dingbats, flags, variation selectors and skin tones: decoration, not words.
EMOJI_CHARS = (
    "\U0001f000-\U0001faff\U0001fc00-\U0001ffff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff"
    "\u2190-\u21ff\u25a0-\u25ff\ufe0f\ufe0e\u200d\u20e3\U000e0020-\U000e007f\u3030\u303d\u3297\u3299"
)
_EMOJI = re.compile(f"[{EMOJI_CHARS}]+")
_DECORATION = re.compile(f"[{EMOJI_CHARS}\\s~～!！?？。.,，、;；:：'\"“”‘’`·•…*#@_\\-—–]+")


# `1️⃣ 清风抽纸 39.9`: a keycap digit starting a line numbers it, as `1.` does.
_KEYCAP_NUMBER = re.compile("(?m)^[ \t]*([0-9])\ufe0f?\u20e3[ \t]*")


def normalize_text(text: str) -> str:
    """Return `text` with invisible characters removed, full-width ASCII made half-width, line
    breaks unified to `\\n` and a keycap digit starting a line written `1.`. Never raises."""
    # Each step runs only when the text needs it: a 500-member repost is normalised on every post.
    if "\u20e3" in text:
        text = _KEYCAP_NUMBER.sub(r"\1. ", text)
    if _NEEDS_CLEANING.search(text):
        text = _LINE_BREAKS.sub("\n", text)
        text = _INVISIBLE.sub("", text)
        text = _STRAY_ZWJ.sub("", text)
        text = _CONTROL.sub(" ", text)
    if _NEEDS_HALF_WIDTH.search(text):
        text = text.translate(_HALF_WIDTH_TABLE)
    return _TRAILING_SPACE.sub("\n", text)


def strip_emoji(text: str) -> str:
    return _EMOJI.sub("", text)


def bare(text: str) -> str:
    """The comparable core of a name: no emoji, spaces or punctuation, Latin letters lower-cased."""
    return _DECORATION.sub("", text).lower()
