"""Chinese script: Simplified/Traditional conversion and detection."""

from __future__ import annotations

from functools import lru_cache

import opencc

# Share of CJK characters that t2s changes above which a text counts as Traditional;
# Simplified text changes almost none (measured 0 on the seeds), Traditional ~25%.
_HANT_SHARE = 0.04


@lru_cache(maxsize=4)
def converter(config: str) -> opencc.OpenCC:
    """Return the OpenCC converter for ``config`` ('t2s', 's2t'), built once per process."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified (Simplified text passes unchanged)."""
    if not text:
        return text
    return converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Convert Simplified characters to Traditional (OpenCC s2t: the standard forms)."""
    if not text:
        return text
    return converter("s2t").convert(text)


def script_forms(text: str) -> tuple[str, ...]:
    """``text`` as given, in Simplified and in Traditional, each form once, in that order."""
    return tuple(dict.fromkeys((text, to_simplified(text), to_traditional(text))))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def detect_script(text: str, simplified: str | None = None) -> str:
    """Return "Hant" when clearly more characters are Traditional-only, else "Hans"."""
    if simplified is None:
        simplified = to_simplified(text)
    cjk = sum(1 for ch in text if _is_cjk(ch))
    if cjk == 0:
        return "Hans"
    if len(simplified) == len(text):
        changed = sum(1 for a, b in zip(text, simplified, strict=True) if a != b)
    else:  # phrase conversion changed lengths; count characters t2s rewrites one by one
        t2s = converter("t2s")
        changed = sum(1 for ch in text if _is_cjk(ch) and t2s.convert(ch) != ch)
    return "Hant" if changed >= 5 and changed / cjk >= _HANT_SHARE else "Hans"


def same_span(original: str, simplified: str, start: int, end: int) -> str:
    """The part of ``original`` at [start, end) found in its Simplified form, when aligned."""
    if len(original) == len(simplified):
        return original[start:end]
    return simplified[start:end]
