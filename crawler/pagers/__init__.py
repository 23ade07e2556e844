"""Listing pagers: each finds the further pages of a listing that plain links do not show.

A pager is a function ``(url, html) -> list[str]`` returning absolute URLs of the other
pages of the listing at ``url``; it returns nothing when its family's fingerprint is absent.
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.pagers.trs import trs_pages

Pager = Callable[[str, str], list[str]]

PAGERS: tuple[Pager, ...] = (trs_pages,)


def listing_pages(url: str, html: str) -> list[str]:
    """Every further listing page that any known pager finds on this page."""
    found: list[str] = []
    for pager in PAGERS:
        found.extend(pager(url, html))
    return found
