"""The spam generator's vocabularies: one the detector may know, and ones it must never see.

``KNOWN`` is the vocabulary simweb always had (simweb/spam.py's lists, written by hand from
seed 004's brand and common gambling SEO words; the detector's lexicon lists many of them).
Measured on it alone, recall said nothing: every brand word was one the lexicon holds
(issue 11). ``HELDOUT`` is written by hand for this file and shares no word with
extract/spam_lexicon.py (tests/test_spam_vocab.py checks it, without simweb importing the
extractor): made-up Chinese compounds, pinyin, Latin/digit names and site words the lexicon
does not list, in the four brand shapes of ``KNOWN``. ``NOVEL`` takes the same words into
brand shapes the detector was not written for (丨 as a separator, brackets, spaces, no
separator at all); bench/spam.py reports it apart from the others.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """Where a world's brands, swap terms and stuffed lines draw their parts from."""

    name: str
    words: tuple[str, ...]  # brand words (SPORTS in the known vocabulary)
    sites: tuple[str, ...]  # site markers (APPS)
    digits: tuple[str, ...]
    separators: tuple[str, ...]
    swap_heads: tuple[str, ...]
    swap_tails: tuple[str, ...]
    stuffed: tuple[str, ...]
    shapes: str = "known"  # "known": make_brand's four shapes; "novel": novel_brand's


HELDOUT_WORDS = (
    "鑫磊汇",
    "金樽坊",
    "鸿运阁",
    "玖鼎",
    "銮驰",
    "琥珀湾",
    "星耀",
    "锦鲤池",
    "聚宝盆",
    "jinlong",
    "hongyun",
    "xingyao",
    "baoying",
    "tianhe",
    "K8",
    "m88",
    "QY77",
)
HELDOUT_SITES = ("导航", "直达", "主页", "备用地址", "通道", "专线", "首发", "hub", "go")
HELDOUT_DIGITS = ("8077", "316", "1122", "6262", "909", "52", "4399")
# Swap terms: heads and tails no brand word uses, so a swap never hides inside a brand.
HELDOUT_SWAP_HEADS = ("鸿福", "瑞祥", "金凤", "百乐", "银河", "御龙", "天禧")
HELDOUT_SWAP_TAILS = ("坊", "荟", "堂", "苑", "轩", "阁")
HELDOUT_STUFFED = (
    "金樽坊首存返利",
    "玖鼎线路检测",
    "星耀每日签到",
    "锦鲤池天天领",
    "hongyun备用线路",
    "K8主页直达",
    "銮驰极速版",
    "琥珀湾秒到账",
    "聚宝盆提款快",
    "鑫磊汇周周送",
    "xingyao专线",
    "baoying新人礼",
    "天禧连环夺宝",
    "御龙押大小",
)

HELDOUT = Vocabulary(
    "heldout",
    HELDOUT_WORDS,
    HELDOUT_SITES,
    HELDOUT_DIGITS,
    ("_", "|", "-", ":", "·"),
    HELDOUT_SWAP_HEADS,
    HELDOUT_SWAP_TAILS,
    HELDOUT_STUFFED,
)
NOVEL = Vocabulary(
    "novel",
    HELDOUT_WORDS,
    HELDOUT_SITES,
    HELDOUT_DIGITS,
    ("丨", "~", " ", "【】"),
    HELDOUT_SWAP_HEADS,
    HELDOUT_SWAP_TAILS,
    HELDOUT_STUFFED,
    shapes="novel",
)


def heldout_words() -> frozenset[str]:
    """Every word the held-out vocabularies draw from (for the disjointness test)."""
    return frozenset(
        HELDOUT_WORDS + HELDOUT_SITES + HELDOUT_SWAP_HEADS + HELDOUT_SWAP_TAILS + HELDOUT_STUFFED
    )
