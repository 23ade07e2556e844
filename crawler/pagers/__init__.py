"""Listing pagers: per CMS family, what a page leads to that its plain links do not show.

Adding a family = one module defining a ``PAGER`` (see ``base.Pager``) + one line in PAGERS.
"""

from __future__ import annotations

from collections.abc import Collection, Container

from nianbao.crawler.pagers import generic, gkmlpt, hanweb, iframe, onclick, trs, trsapi
from nianbao.crawler.pagers.base import MAX_PAGES, Follow, Pager

# Order matters only for which pager's meta a URL asked for by two pagers carries.
PAGERS: tuple[Pager, ...] = (
    trs.PAGER,
    hanweb.PAGER,
    gkmlpt.PAGER,
    iframe.PAGER,
    onclick.PAGER,
    trsapi.PAGER,
    generic.PAGER,
)
FAMILIES: tuple[str, ...] = tuple(p.name for p in PAGERS)

__all__ = [
    "FAMILIES",
    "MAX_PAGES",
    "PAGERS",
    "Follow",
    "Pager",
    "follow_all",
    "pager_named",
    "select",
]


def select(enabled: Collection[str] | None = None) -> tuple[Pager, ...]:
    """The pagers named in ``enabled`` (all when None), in registry order."""
    if enabled is None:
        return PAGERS
    unknown = sorted(set(enabled) - set(FAMILIES))
    if unknown:
        raise ValueError(
            f"unknown pager families: {', '.join(unknown)} (known: {', '.join(FAMILIES)})"
        )
    return tuple(p for p in PAGERS if p.name in enabled)


def pager_named(name: str) -> Pager | None:
    """The registered pager called ``name``."""
    return next((p for p in PAGERS if p.name == name), None)


def follow_all(
    url: str,
    text: str,
    enabled: Collection[str] | None = None,
    seen: Container[str] = frozenset(),
) -> list[tuple[str, Follow]]:
    """(pager name, follow) for every enabled pager whose fingerprint this page shows."""
    found: list[tuple[str, Follow]] = []
    for pager in select(enabled):
        if pager.fingerprint(url, text):
            found.extend((pager.name, f) for f in pager.follow(url, text, seen))
    return found
