"""Text lines → classified tokens (labels, values, headings, captions), broken labels rejoined."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.extract.tables.labels import Label, caption_table, heading_table, label_index, simplify
from nianbao.extract.tables.values import is_value_text

IMG_MARK = "\x00img "  # a line standing for an <img src=…> (cannot occur in page text)

EMPTY, VALUE, LABEL, HEADING, CAPTION, IMG, TEXT = range(7)
_TRIM = " \t\r\n\u00a0\u3000\u2002\u2003\u200b"
_SENTENCE = re.compile(r"[。，；！？,;!?]")
_MAX_PIECES = 14  # a header stacked one character per line: 本年收费金额（单位：万元） is 13
_MAX_PIECE_LEN = 24
_MAX_LINE = 4000  # longer lines are prose, never table rows


@dataclass(frozen=True, slots=True)
class Token:
    """One cell-sized piece of text and what it is."""

    kind: int
    text: str
    labels: tuple[Label, ...] = ()
    table: int | None = None  # for HEADING and CAPTION tokens


def tokenize(lines: list[str]) -> list[Token]:
    """Classify every cell of every line (pipe rows split, spaced rows split when clear)."""
    tokens: list[Token] = []
    for line in lines:
        if line.startswith(IMG_MARK):
            tokens.append(Token(IMG, line[len(IMG_MARK) :]))
            continue
        if len(line) > _MAX_LINE:
            tokens.append(Token(TEXT, line[:200]))
            continue
        parts = line.split("|") if "|" in line else _split_spaced(line.strip(_TRIM))
        tokens.extend(classify(part) for part in parts)
    return _rejoin(tokens)


def classify(text: str) -> Token:
    """The token for one piece of text."""
    text = text.strip(_TRIM)
    if not text:
        return Token(EMPTY, "")
    if is_value_text(text):
        return Token(VALUE, text)
    labels = label_index().lookup(text)
    if labels:
        return Token(LABEL, text, labels)
    table = heading_table(text)
    if table is not None:
        return Token(HEADING, text, table=table)
    table = caption_table(text)
    if table is not None:
        return Token(CAPTION, text, table=table)
    return Token(TEXT, text)


def is_cell_text(text: str) -> bool:
    """Short text without sentence punctuation: a cell that should have held a number."""
    return len(text) <= 12 and not _SENTENCE.search(text)


def _split_spaced(line: str) -> list[str]:
    # "规章 0 0 0" (cells joined by spaces when a table was flattened) → label, values.
    parts = line.split()
    if len(parts) < 2 or len(parts) > 40:
        return [line]
    k = len(parts)
    while k > 0 and is_value_text(parts[k - 1]):
        k -= 1
    if k == len(parts):
        return [line]
    if k == 0:
        return parts
    prefix = parts[:k]
    if label_index().lookup("".join(prefix)):
        return ["".join(prefix), *parts[k:]]
    if all(label_index().lookup(p) for p in prefix):
        return parts
    return [line]


def _rejoin(tokens: list[Token]) -> list[Token]:
    """Join labels broken over lines ("（三）不予" "公开", "结" "果" "维" "持")."""
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if (token.kind == TEXT and len(token.text) <= _MAX_PIECE_LEN) or (
            token.kind == LABEL and len(token.text) <= 4
        ):
            joined = _join_from(tokens, i)
            if joined is not None:
                label, end = joined
                out.append(label)
                i = end
                continue
            if token.kind == TEXT and _is_note_fragment(token.text) and _last_kind(out) == LABEL:
                i += 1  # the rest of a label's parenthetical note, printed on its own line
                continue
        out.append(token)
        i += 1
    return out


def _join_from(tokens: list[Token], start: int) -> tuple[Token, int] | None:
    """The longest label made of this piece and the next few ("其" "他" "结" "果" → 其他结果)."""
    text = tokens[start].text
    best: tuple[Token, int] | None = None
    pieces, j, n = 1, start + 1, len(tokens)
    while j < n and pieces < _MAX_PIECES:
        token = tokens[j]
        j += 1
        if token.kind == EMPTY:
            continue
        if token.kind not in (TEXT, LABEL) or len(token.text) > _MAX_PIECE_LEN:
            break
        text += token.text
        pieces += 1
        labels = label_index().lookup(text)
        if labels:
            best = Token(LABEL, text, labels), j
    return best


def _is_note_fragment(text: str) -> bool:
    simple = simplify(text)
    return ("(" in simple or ")" in simple) and not any(ch.isdigit() for ch in simple)


def _last_kind(tokens: list[Token]) -> int | None:
    for token in reversed(tokens):
        if token.kind != EMPTY:
            return token.kind
    return None
