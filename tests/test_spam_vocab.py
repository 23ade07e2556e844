"""The spam generator's vocabularies stay apart from the detector's (issue 11).

simweb measures the detector; if its spam were drawn from the detector's lexicon, recall
would only say that the lexicon knows its own words. These tests read the lexicon here, in
the tests, never in simweb.
"""

from __future__ import annotations

import re
from pathlib import Path

from nianbao.extract.spam_lexicon import (
    LEGITIMATE,
    STRONG_TERMS,
    SWAP_WORDS,
    TEMPLATE_PHRASES,
    WEAK_TERMS,
    WEB_TERMS,
)
from nianbao.simweb import build_world, spam_vocab
from nianbao.simweb.spam import KNOWN

LEXICON = STRONG_TERMS | WEAK_TERMS | WEB_TERMS | set(LEGITIMATE)
SIMWEB = Path(spam_vocab.__file__).resolve().parent


def _known_words() -> frozenset[str]:
    return frozenset(
        KNOWN.words + KNOWN.sites + KNOWN.swap_heads + KNOWN.swap_tails + KNOWN.stuffed
    )


def test_held_out_words_are_not_lexicon_words():
    assert spam_vocab.heldout_words().isdisjoint(LEXICON)


def test_no_held_out_word_contains_a_lexicon_word():
    # Stricter than disjoint: 鸿运网 would share 网 with the lexicon's site words.
    for word in spam_vocab.heldout_words():
        for known in LEXICON:
            assert known.lower() not in word.lower(), (word, known)


def test_held_out_and_known_vocabularies_are_disjoint():
    assert spam_vocab.heldout_words().isdisjoint(_known_words())
    assert not set(spam_vocab.HELDOUT_DIGITS) & set(KNOWN.digits)


def test_held_out_brand_words_are_varied():
    words = spam_vocab.HELDOUT_WORDS
    assert sum(w.isascii() and w.isalpha() and w.islower() for w in words) >= 3  # pinyin
    assert sum(bool(re.fullmatch(r"[A-Za-z]+\d+", w)) for w in words) >= 2  # Latin+digits
    assert sum(bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w)) for w in words) >= 5  # compounds


def test_held_out_swap_terms_never_hold_the_words_they_replace():
    for head in spam_vocab.HELDOUT_SWAP_HEADS:
        for tail in spam_vocab.HELDOUT_SWAP_TAILS:
            assert not any(w in head + tail for w in SWAP_WORDS)
            assert not any(head + tail in phrase for phrase in TEMPLATE_PHRASES)


def test_simweb_imports_no_extractor_spam_module():
    pattern = re.compile(r"(?:from|import)\s+nianbao\.extract(?:\.spam\w*)?\b|extract\.spam")
    offenders = [
        path.name
        for path in SIMWEB.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_held_out_world_injects_only_held_out_words():
    world = build_world(seed=3, reports=60, families=False, spam_vocabulary="heldout")
    injected = [s.injected for t in world.reports if t.url != "" for s in t.spam]
    assert injected
    held = spam_vocab.heldout_words() | set(spam_vocab.HELDOUT_WORDS)
    for text in injected:
        if text.startswith("(") or text == "滚球体育app_188篮球比分-直播|官网:":
            continue  # pinyin readings, and seed 004's own brand (a real page)
        assert not any(k.lower() in text.lower() for k in LEXICON if len(k) > 1), text
        assert any(w in text for w in held), text


def test_the_extractor_never_names_a_held_out_word():
    # Code or a comment holding one means a rule was written against the held-out set.
    # Latin words whole and of 3 letters or more ("go" is English too), CJK words of 2 or more
    # characters (a swap tail such as 堂 is one); digits are too common to tell.
    extract = SIMWEB.parent / "extract"
    sources = {path.name: path.read_text(encoding="utf-8") for path in extract.rglob("*.py")}
    found = []
    for word in spam_vocab.heldout_words():
        if len(word) < (3 if word.isascii() else 2):
            continue
        if word.isascii():
            pattern = re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", re.IGNORECASE)
        else:
            pattern = re.compile(re.escape(word))
        found += [(name, word) for name, text in sources.items() if pattern.search(text)]
    assert found == []
