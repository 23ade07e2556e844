"""Spam as mirror sites inject it: generated gambling brands, swaps, stuffed lines, pinyin.

Every brand and term is assembled per world from parts (no fixed list), so a detector that
learned one world's brands meets new ones in the next.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nianbao.simweb.spam_vocab import Vocabulary
from nianbao.simweb.truth import TruthSpam

KINDS = ("entity_hijack", "keyword_swap", "stuffed_header", "pinyin")
SPORTS = (
    "滚球",
    "体育",
    "篮球",
    "足球",
    "比分",
    "直播",
    "娱乐",
    "彩票",
    "竞猜",
    "电竞",
    "赛事",
    "真人",
    "棋牌",
)
APPS = ("app", "APP", "官网", "官方网站", "下载", "平台", "手机版")
DIGITS = ("188", "365", "9393", "888", "8868", "2828", "166", "99", "5566", "7788")
SEPARATORS = ("_", "|", "-", ":", "·")
# Swap terms end in words no brand uses, so a term never hides inside a brand.
SWAP_HEADS = ("买球", "赌球", "网投", "足球", "体育", "滚球", "电竞", "百家乐")
SWAP_TAILS = ("网站", "投注", "下注", "网址", "开户", "注册")
STUFFED = (
    "澳门新葡京",
    "真人百家乐",
    "皇冠体育",
    "六合彩开奖",
    "时时彩计划",
    "棋牌游戏",
    "在线赌场",
    "老虎机",
    "午夜福利",
    "成人影院",
    "美女直播",
    "亚洲色图",
    "av在线观看",
    "足球外围",
    "欧洲杯投注",
    "世界杯买球",
    "捕鱼游戏",
    "体育博彩",
)
STUFFED_JOINS = ("_", "|", "，", " | ")
# The vocabulary simweb always had; others (held out from the detector) in spam_vocab.
KNOWN = Vocabulary("known", SPORTS, APPS, DIGITS, SEPARATORS, SWAP_HEADS, SWAP_TAILS, STUFFED)
KEYWORDS = ("公开", "政府")

# Tone-marked readings of characters common in these reports (Traditional forms), written
# by hand; a copy gets pinyin after the characters of a 10–30 character subset.
PINYIN = {
    "國": "guó",
    "務": "wù",
    "規": "guī",
    "範": "fàn",
    "開": "kāi",
    "資": "zī",
    "訊": "xùn",
    "報": "bào",
    "關": "guān",
    "據": "jù",
    "條": "tiáo",
    "總": "zǒng",
    "體": "tǐ",
    "況": "kuàng",
    "請": "qǐng",
    "處": "chǔ",
    "政": "zhèng",
    "府": "fǔ",
    "信": "xìn",
    "息": "xī",
    "門": "mén",
    "區": "qū",
    "局": "jú",
    "年": "nián",
    "度": "dù",
    "作": "zuò",
    "會": "huì",
    "議": "yì",
    "審": "shěn",
    "查": "chá",
    "單": "dān",
    "網": "wǎng",
    "站": "zhàn",
    "發": "fā",
    "布": "bù",
    "統": "tǒng",
    "計": "jì",
    "數": "shù",
    "責": "zé",
    "任": "rèn",
    "領": "lǐng",
    "導": "dǎo",
    "組": "zǔ",
    "織": "zhī",
    "辦": "bàn",
    "答": "dá",
    "訴": "sù",
    "訟": "sòng",
    "費": "fèi",
    "減": "jiǎn",
    "免": "miǎn",
    "監": "jiān",
    "督": "dū",
    "培": "péi",
    "問": "wèn",
    "題": "tí",
    "進": "jìn",
    "改": "gǎi",
    "障": "zhàng",
    "護": "hù",
    "實": "shí",
    "施": "shī",
    "標": "biāo",
    "準": "zhǔn",
    "質": "zhì",
    "量": "liàng",
    "機": "jī",
    "構": "gòu",
    "職": "zhí",
    "能": "néng",
    "類": "lèi",
    "動": "dòng",
    "態": "tài",
    "營": "yíng",
    "商": "shāng",
    "環": "huán",
    "境": "jìng",
    "建": "jiàn",
    "設": "shè",
    "專": "zhuān",
    "項": "xiàng",
    "強": "qiáng",
    "決": "jué",
    "策": "cè",
    "預": "yù",
    "算": "suàn",
    "解": "jiě",
    "讀": "dú",
    "民": "mín",
    "眾": "zhòng",
    "服": "fú",
    "華": "huá",
    "共": "gòng",
    "和": "hé",
    "例": "lì",
    "稱": "chēng",
    "法": "fǎ",
    "律": "lǜ",
    "申": "shēn",
    "結": "jié",
    "果": "guǒ",
    "轉": "zhuǎn",
    "續": "xù",
    "維": "wéi",
    "持": "chí",
    "糾": "jiū",
    "其": "qí",
    "他": "tā",
    "未": "wèi",
    "經": "jīng",
    "起": "qǐ",
    "復": "fù",
    "市": "shì",
    "北": "běi",
    "財": "cái",
    "電": "diàn",
    "話": "huà",
    "檔": "dàng",
    "案": "àn",
    "館": "guǎn",
    "圖": "tú",
    "書": "shū",
    "閱": "yuè",
    "場": "chǎng",
    "所": "suǒ",
    "委": "wěi",
    "員": "yuán",
    "街": "jiē",
    "道": "dào",
    "鎮": "zhèn",
}


def make_brand(rng: random.Random, vocab: Vocabulary | None = None) -> str:
    """A gambling brand of the seed-004 shape, e.g. 滚球体育app_188篮球比分-直播|官网:."""
    vocab = vocab or KNOWN
    if vocab.shapes == "novel":
        return novel_brand(rng, vocab)
    apps, digits = vocab.sites, vocab.digits
    words = rng.sample(vocab.words, 5)
    seps = [rng.choice(vocab.separators) for _ in range(3)]
    shape = rng.randrange(4)
    if shape == 0:
        brand = (
            f"{words[0]}{words[1]}{rng.choice(apps)}{seps[0]}{rng.choice(digits)}"
            f"{words[2]}{words[3]}{seps[1]}{words[4]}{seps[2]}{rng.choice(apps)}"
        )
    elif shape == 1:
        brand = f"{rng.choice(digits)}{words[0]}{words[1]}{seps[0]}{rng.choice(apps)}"
    elif shape == 2:
        brand = (
            f"{words[0]}{rng.choice(digits)}{seps[0]}{words[1]}{words[2]}"
            f"{rng.choice(apps)}{seps[1]}{rng.choice(apps)}"
        )
    else:
        brand = f"{words[0]}{words[1]}{words[2]}{seps[0]}{rng.choice(apps)}{rng.choice(digits)}"
    return brand + (":" if rng.random() < 0.4 else "")


def novel_brand(rng: random.Random, vocab: Vocabulary) -> str:
    """A brand in a shape the detector was not written for: 丨, ~, spaces, brackets, none."""
    words = rng.sample(vocab.words, 3)
    site, digits = rng.choice(vocab.sites), rng.choice(vocab.digits)
    shape = rng.randrange(5)
    if shape == 0:
        return f"{words[0]}{digits}丨{words[1]}{site}丨"
    if shape == 1:
        return f"{words[0]}~{words[1]}{site}~{digits}"
    if shape == 2:
        return f"{words[0]}{digits} {words[1]}{site} "
    if shape == 3:
        return f"【{words[0]}{words[1]}{site}】"
    return f"{words[0]}{words[1]}{digits}{site}"


def make_swap_term(rng: random.Random, vocab: Vocabulary | None = None) -> str:
    """A gambling term that replaces 公开 or 政府 throughout, e.g. 买球网站."""
    vocab = vocab or KNOWN
    return rng.choice(vocab.swap_heads) + rng.choice(vocab.swap_tails)


def make_stuffed_line(rng: random.Random, vocab: Vocabulary | None = None) -> str:
    """A keyword-stuffed header line: gambling/porn phrases (and a brand) joined by _ | or ，."""
    vocab = vocab or KNOWN
    phrases = rng.sample(vocab.stuffed, rng.randint(4, 8))
    phrases.insert(rng.randrange(len(phrases) + 1), make_brand(rng, vocab).rstrip(":").strip())
    return rng.choice(STUFFED_JOINS).join(phrases)


@dataclass(frozen=True)
class SpamPlan:
    """What a mirror did to one copy; ``apply`` reproduces it on any piece of the page."""

    kinds: tuple[str, ...]
    traditional: bool
    hijack: tuple[str, str] | None = None  # (original name part, brand)
    swaps: tuple[tuple[str, str], ...] = ()  # (keyword as printed, term)
    pinyin: tuple[tuple[str, str], ...] = ()  # (character, "(wù)")
    stuffed: str = ""

    def apply(self, text: str) -> str:
        """The spammed form of one piece of (already script-converted) clean text."""
        if self.hijack is not None:
            text = text.replace(*self.hijack)
        for keyword, term in self.swaps:
            text = text.replace(keyword, term)
        for char, group in self.pinyin:
            text = text.replace(char, char + group)
        return text

    def main_lines(self, clean_lines: list[str]) -> list[str]:
        """The page's main text lines: the stuffed line (if any), then each piece spammed."""
        lines = [self.apply(line) for line in clean_lines]
        return [self.stuffed, *lines] if self.stuffed else lines

    def truth(self, clean_lines: list[str]) -> tuple[TruthSpam, ...] | None:
        """Ground truth for these lines; None when injections collide (the caller redraws)."""
        clean = "\n".join(clean_lines)
        printed = "\n".join(self.main_lines(clean_lines))
        expected: list[TruthSpam] = []
        if self.hijack is not None:
            original, brand = self.hijack
            expected.append(TruthSpam("entity_hijack", brand, original, clean.count(original)))
            clean = clean.replace(original, brand)
        for keyword, term in self.swaps:
            expected.append(TruthSpam("keyword_swap", term, keyword, clean.count(keyword)))
            clean = clean.replace(keyword, term)
        if self.stuffed:
            expected.append(TruthSpam("stuffed_header", self.stuffed, "", 1))
        for char, group in self.pinyin:
            expected.append(TruthSpam("pinyin", group, "", clean.count(char)))
        injected = [s.injected for s in expected]
        if len(set(injected)) != len(injected):
            return None
        for spam in expected:
            if spam.count == 0 or printed.count(spam.injected) != spam.count:
                return None
        return tuple(expected)


def choose_kinds(rng: random.Random, index: int) -> tuple[str, ...]:
    """Kinds for the ``index``-th copy: a rotation (so every kind recurs) plus random extras."""
    chosen = {KINDS[index % 4]}
    if index < 4:
        chosen.add(KINDS[(index + 2) % 4])
    for kind in KINDS:
        if rng.random() < 0.2:
            chosen.add(kind)
    return tuple(k for k in KINDS if k in chosen)


def plan_spam(
    rng: random.Random,
    kinds: tuple[str, ...],
    traditional: bool,
    name_part: str,
    text: str,
    vocab: Vocabulary | None = None,
) -> SpamPlan:
    """Draw one copy's spam: ``name_part`` is the hijacked name, ``text`` the converted text."""
    vocab = vocab or KNOWN
    hijack = (name_part, make_brand(rng, vocab)) if "entity_hijack" in kinds else None
    swaps: tuple[tuple[str, str], ...] = ()
    if "keyword_swap" in kinds:
        keywords = [k for k in KEYWORDS if rng.random() < 0.7] or [rng.choice(KEYWORDS)]
        pool = [h + t for h in vocab.swap_heads for t in vocab.swap_tails]
        terms = rng.sample(pool, len(keywords))
        printed = ("公開", "政府") if traditional else KEYWORDS
        swaps = tuple(
            (printed[KEYWORDS.index(k)], term) for k, term in zip(keywords, terms, strict=True)
        )
    stuffed = make_stuffed_line(rng, vocab) if "stuffed_header" in kinds else ""
    pinyin: tuple[tuple[str, str], ...] = ()
    if "pinyin" in kinds:
        injected = "".join([hijack[1] if hijack else "", *(t for _, t in swaps), stuffed])
        # only characters still printed after the hijack and the swaps, never inside spam
        staged = SpamPlan(kinds, traditional, hijack, swaps).apply(text)
        present = [c for c in PINYIN if c in staged and c not in injected]
        picked: dict[str, str] = {}  # reading -> char: one character per reading
        target = rng.randint(10, 30)
        for char in rng.sample(present, len(present)):
            picked.setdefault(PINYIN[char], char)
            if len(picked) >= target:
                break
        pinyin = tuple(sorted((c, f"({r})") for r, c in picked.items()))
    return SpamPlan(kinds, traditional, hijack, swaps, pinyin, stuffed)
