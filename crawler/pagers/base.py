"""The pager protocol: what one CMS family adds to the plain links of a page."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol
from urllib.parse import urldefrag, urljoin

Kind = Literal["listing", "page"]
# A hostile or broken page may claim millions of pages; no real listing has this many.
MAX_PAGES = 5000


@dataclass(frozen=True)
class Follow:
    """One request a pager asks for: a further listing page/API call, or a page it lists."""

    url: str
    method: str = "GET"
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    kind: Kind = "listing"


class Pager(Protocol):
    """A CMS family: recognised by fingerprints on a page, it finds what plain links miss.

    ``follow`` gets the text of a page the pager fingerprinted or of an answer to one of its
    own listing requests (XML/JSON too); ``seen`` holds every URL the crawl already knows, so
    a pager can stop when a page only repeats what it has seen (out-of-range page traps).
    ``missing`` is asked when a listing URL answers 404.
    """

    @property
    def name(self) -> str:
        """The family's name, as NIANBAO_PAGERS lists it (read-only: pagers are frozen)."""
        ...

    def fingerprint(self, url: str, text: str) -> bool:
        """True when ``text`` (fetched from ``url``) looks like this family's listing."""
        ...

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """Requests this page leads to through the family's mechanism."""
        ...

    def missing(self, url: str) -> list[Follow]:
        """Requests to try instead when ``url`` answered 404."""
        ...


def absolute(base: str, href: str) -> str:
    """``href`` resolved against ``base``, without fragment."""
    return urldefrag(urljoin(base, href.strip())).url


def pages(base: str, hrefs: Iterable[str]) -> list[Follow]:
    """Unique "page" follows for hrefs found on the page at ``base``, in order."""
    urls = dict.fromkeys(absolute(base, h) for h in hrefs if h.strip())
    return [Follow(u, kind="page") for u in urls]


def all_seen(items: list[Follow], seen: Container[str]) -> bool:
    """True when a page listed nothing new: empty, or every item already known."""
    return all(item.url in seen for item in items)
