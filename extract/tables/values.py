"""Cell text → number: full-width digits and signs, separators, not-applicable marks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Printed marks for "not applicable": kept apart from 0 (value None, raw kept).
NOT_APPLICABLE = frozenset(
    ("", "/", "／", "\\", "-", "－", "--", "—", "——", "–", "−", "─", "无", "無", "N/A", "n/a")
)
_TRIM = " \t\r\n\u00a0\u3000\u2002\u2003\u200b"
_PLAIN_INT = re.compile(r"\d{1,15}")
_NUMBER = re.compile(r"([+-]?)(\d{1,15}(?:,\d{3})*|\d{1,15})(?:\.(\d{1,8}))?")
# Units editors sometimes print inside the cell; the number is still readable.
_UNITS = re.compile(r"(?:件|个|项|条|次|人次|家|万元|元|%)$")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "﹢": "+", "﹣": "-"})


@dataclass(frozen=True, slots=True)
class CellValue:
    """A parsed cell: its number (None when not applicable or unreadable), text, any problem."""

    value: int | float | None
    raw: str
    problem: str | None = None


def parse_value(text: str) -> CellValue:
    """Read one cell's text as an int, a float (money) or None for a not-applicable mark."""
    raw = text.strip(_TRIM)
    if _PLAIN_INT.fullmatch(raw):  # the common case, kept cheap
        return CellValue(int(raw), raw)
    if raw in NOT_APPLICABLE:
        return CellValue(None, raw)
    number = _number(raw)
    if number is None:
        return CellValue(None, raw, f"not a number: {raw[:40]!r}")
    return CellValue(number, raw)


def is_value_text(text: str) -> bool:
    """True when the text reads as a number or a not-applicable mark (empty excluded)."""
    raw = text.strip(_TRIM)
    if not raw:
        return False
    if _PLAIN_INT.fullmatch(raw) or raw in NOT_APPLICABLE:
        return True
    return _number(raw) is not None


def _number(raw: str) -> int | float | None:
    if len(raw) > 40:
        return None
    text = unicodedata.normalize("NFKC", raw).translate(_MINUS).replace(" ", "")
    text = text.replace("，", ",")
    text = _UNITS.sub("", text)
    match = _NUMBER.fullmatch(text)
    if not match:
        return None
    sign, digits, decimals = match.groups()
    digits = digits.replace(",", "")
    if decimals is not None:
        return float(f"{sign}{digits}.{decimals}")
    return int(f"{sign}{digits}")
