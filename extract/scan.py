"""Linear scans of markup written by strangers: comments, elements, tags, delimited spans.

A regex such as ``<!--.*?-->`` or ``<title>.*?</title>`` is quadratic on a page that opens
many and closes none: each opening scans to the end before failing (20,000 ``<!--`` took
14 s). These scans find each opening, then its closing with one search; a closing that is
missing after one opening is missing after every later one too, so the scan stops there
instead of trying again. Every function here is linear in the length of its text.

The same rule keeps a plain pattern linear: in ``X[^S]*Y``, the opening ``X`` must hold a
character of ``S``, so that a scan from one opening stops at the next (``<[^<>]*>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """One delimited span: ``text[start:end]`` whole, ``text[inner_start:inner_end]`` inside."""

    start: int
    inner_start: int
    inner_end: int
    end: int


def delimited(
    text: str, opening: re.Pattern[str], closing: re.Pattern[str], *, to_end: bool = False
) -> Iterator[Span]:
    """Spans from a match of ``opening`` to the next match of ``closing``, left to right,
    not overlapping. With ``to_end``, an opening never closed runs to the end of the text (as
    a browser reads an unclosed comment or script); without, it is no span and the scan
    stops, since no later opening can be closed either."""
    pos = 0
    while (start := opening.search(text, pos)) is not None:
        close = closing.search(text, start.end())
        if close is None:
            if to_end:
                yield Span(start.start(), start.end(), len(text), len(text))
            return
        yield Span(start.start(), start.end(), close.start(), close.end())
        pos = max(close.end(), start.end() + 1)


def replaced(text: str, pieces: Iterable[tuple[Span, str]]) -> str:
    """``text`` with each span (left to right, not overlapping) replaced by its string."""
    parts: list[str] = []
    pos = 0
    for span, replacement in pieces:
        parts.append(text[pos : span.start])
        parts.append(replacement)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def removed(text: str, spans: Iterable[Span], replacement: str = "") -> str:
    """``text`` with each span replaced by ``replacement``."""
    return replaced(text, ((span, replacement) for span in spans))


_COMMENT_OPEN = re.compile(r"<!--")
_COMMENT_CLOSE = re.compile(r"-->")


def without_comments(text: str) -> str:
    """The markup without ``<!-- … -->`` comments; an unclosed one runs to the end."""
    return removed(text, delimited(text, _COMMENT_OPEN, _COMMENT_CLOSE, to_end=True))


@dataclass(frozen=True)
class Element:
    """An element found by ``elements``: its name, opening tag's attributes and content."""

    name: str
    attributes: str
    content: str
    span: Span


def elements(text: str, names: tuple[str, ...], *, to_end: bool = False) -> Iterator[Element]:
    """Elements named ``names`` (any case) with their content, left to right, not nested.

    An element needs its closing tag unless ``to_end`` (then it runs to the end of the text);
    without, an element whose name is never closed again is skipped, and the scan goes on
    for the other names.
    """
    opening = re.compile(r"<(" + "|".join(map(re.escape, names)) + r")\b([^<>]*)>", re.I)
    unclosed: set[str] = set()  # names with no closing tag after some point: none later either
    closings: dict[str, re.Pattern[str]] = {}
    pos = 0
    while (start := opening.search(text, pos)) is not None:
        name = start.group(1).lower()
        if name in unclosed:
            pos = start.end()
            continue
        if name not in closings:
            closings[name] = re.compile(r"</" + re.escape(name) + r"\s*>", re.I)
        close = closings[name].search(text, start.end())
        if close is None:
            if to_end:
                span = Span(start.start(), start.end(), len(text), len(text))
                yield Element(name, start.group(2), text[start.end() :], span)
                return
            unclosed.add(name)
            pos = start.end()
            continue
        span = Span(start.start(), start.end(), close.start(), close.end())
        yield Element(name, start.group(2), text[start.end() : close.start()], span)
        pos = close.end()


# a "<" that a later "<" interrupts is text, not a tag: the scan from it stops there
_TAG = re.compile(r"<[^<>]*>")


def tags(text: str) -> list[str]:
    """Every tag of the markup (``<a href=…>``, ``</p>``), in order."""
    return _TAG.findall(text)


def without_tags(text: str, replacement: str = " ") -> str:
    """The markup with every tag replaced by ``replacement``."""
    return _TAG.sub(replacement, text)


def tag_named(tag: str, name: str) -> bool:
    """Whether ``tag`` (one of ``tags``) opens an element called ``name`` (any case)."""
    return re.match(r"<" + re.escape(name) + r"(?![\w:-])", tag, re.I) is not None
