"""The portal registry: which portals to crawl, where to start, which hosts are theirs."""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeGuard
from urllib.parse import urlsplit

# The packaged registry of real portals (crawler/portals.toml, from PORTALS.md §2).
DEFAULT_REGISTRY_NAME = "portals.toml"


class RegistryError(ValueError):
    """A registry file that cannot be used as it is."""


@dataclass(frozen=True)
class Portal:
    """One portal: a name, its start URLs and the only hosts a crawl of it may touch."""

    name: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    title: str = ""
    region: str = ""
    level: str = ""
    family: str = ""
    source: str = ""

    def allows(self, url: str) -> bool:
        """True when ``url`` is an http(s) URL on one of this portal's hosts."""
        return on_hosts(url, self.allowed_hosts)


def on_hosts(url: str, hosts: Collection[str]) -> bool:
    """True when ``url`` is http(s) on one of ``hosts``, by exact name (never a suffix)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in hosts


def parse_registry(text: str, origin: str = "<registry>") -> list[Portal]:
    """Parse registry TOML text (``[[portal]]`` tables) into Portal values."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RegistryError(f"{origin}: not valid TOML: {err}") from err
    entries = data.get("portal", [])
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{origin}: no [[portal]] entries")
    portals = [_portal(entry, origin, i) for i, entry in enumerate(entries)]
    names = [p.name for p in portals]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise RegistryError(f"{origin}: duplicate portal names: {', '.join(dupes)}")
    return portals


def load_registry(path: Path) -> list[Portal]:
    """Read and parse a registry file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RegistryError(f"cannot read registry {path}: {err.strerror}") from err
    return parse_registry(text, str(path))


def default_registry() -> list[Portal]:
    """The packaged registry of real portals (``crawler/portals.toml``)."""
    source = resources.files("nianbao.crawler").joinpath(DEFAULT_REGISTRY_NAME)
    return parse_registry(source.read_text(encoding="utf-8"), f"crawler/{DEFAULT_REGISTRY_NAME}")


def select(
    portals: Iterable[Portal], names: Iterable[str] = (), regions: Iterable[str] = ()
) -> list[Portal]:
    """The portals named, plus those whose region contains a given substring; all if neither.

    Names are exact; regions match case-insensitively anywhere in ``Portal.region``
    (``"yunnan"`` selects ``"yunnan/kunming"``). Each name and each region must match
    something, so a typo is an error instead of an empty crawl.
    """
    portals = list(portals)
    wanted = list(names)
    areas = [r.strip().lower() for r in regions if r.strip()]
    if not wanted and not areas:
        return portals
    known = {p.name: p for p in portals}
    missing = [n for n in wanted if n not in known]
    if missing:
        raise RegistryError(
            f"unknown portal(s): {', '.join(missing)}; known: {', '.join(sorted(known))}"
        )
    unmatched = [a for a in areas if not any(a in p.region.lower() for p in portals)]
    if unmatched:
        regions_known = sorted({p.region for p in portals if p.region})
        raise RegistryError(
            f"no portal in region(s): {', '.join(unmatched)}; "
            f"regions: {', '.join(regions_known) or '(none: the registry names no regions)'}"
        )
    chosen = [known[n] for n in wanted]
    chosen += [p for p in portals if any(a in p.region.lower() for a in areas)]
    return list(dict.fromkeys(chosen))  # a portal both named and in a region is crawled once


def _portal(entry: object, origin: str, index: int) -> Portal:
    if not isinstance(entry, dict):
        raise RegistryError(f"{origin}: portal #{index + 1} is not a table")
    name = entry.get("name")
    starts = entry.get("start_urls")
    hosts = entry.get("allowed_hosts")
    if not isinstance(name, str) or not name:
        raise RegistryError(f"{origin}: portal #{index + 1} has no name")
    if not _strings(starts) or not _strings(hosts):
        raise RegistryError(f"{origin}: portal {name!r} needs start_urls and allowed_hosts lists")
    portal = Portal(
        name=name,
        start_urls=tuple(starts),
        allowed_hosts=tuple(h.lower() for h in hosts),
        **{k: str(entry.get(k, "")) for k in ("title", "region", "level", "family", "source")},
    )
    outside = [u for u in portal.start_urls if not portal.allows(u)]
    if outside:
        raise RegistryError(
            f"{origin}: portal {name!r} starts outside its allowed hosts: {', '.join(outside)}"
        )
    return portal


def _strings(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
