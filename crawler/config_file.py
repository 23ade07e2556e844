"""`nianbao crawl --config FILE`: a crawl's options in a TOML file, for cron and systemd.

The keys are the command's long options without their dashes in front (``out``,
``registry``, ``region``, ``max-warc-mb``…); options given on the command line win over
the file. A ``[settings]`` table holds Scrapy settings (``DOWNLOAD_DELAY = 2``). Relative
paths are read from the file's folder, not the folder the scheduler starts in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.archive.errors import PlaceError

# file key -> (crawl command parameter, kind): kind "path" is resolved beside the file,
# "list" may be one string or a list of them
KEYS: dict[str, tuple[str, str]] = {
    "out": ("out", "path"),
    "registry": ("registry_path", "path"),
    "portal": ("portal_names", "list"),
    "region": ("regions", "list"),
    "contact": ("contact", "str"),
    "proxy": ("proxy", "str"),
    "prefix": ("prefix", "str"),
    "max-warc-mb": ("max_warc_mb", "int"),
    "max-pages": ("max_pages", "int"),
    "loopback": ("loopback", "bool"),
    "redis": ("redis", "str"),
}
_TYPES = {"path": str, "str": str, "int": int, "bool": bool}
_SAID = {
    "path": "a path (a string)",
    "str": "a string",
    "int": "a whole number",
    "bool": "true or false",
}


class BadConfig(PlaceError):
    """A config file that cannot be read, or holds a key or value the crawl does not take."""


@dataclass(frozen=True)
class CrawlFile:
    """What a config file sets: command parameters by name, and Scrapy settings."""

    options: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def read_crawl_file(path: Path) -> CrawlFile:
    """The options and settings of the TOML file at ``path``; ``BadConfig`` names the fix."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise BadConfig(f"cannot read config file {path}: {err.strerror or err}") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise BadConfig(f"config file {path} is not valid TOML: {err}") from err
    settings = data.pop("settings", {})
    if not isinstance(settings, dict):
        raise BadConfig(f"{path}: [settings] must be a table of Scrapy settings")
    options = {}
    for key, value in data.items():
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise BadConfig(f"{path}: unknown key {key!r}; the keys are {known} and [settings]")
        name, kind = KEYS[key]
        options[name] = _value(path, key, kind, value)
    return CrawlFile(options, settings)


def _value(path: Path, key: str, kind: str, value: object) -> object:
    if kind == "list":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise BadConfig(f"{path}: {key} must be a string or a list of strings")
        return tuple(items)
    wanted = _TYPES[kind]
    # bool is an int in Python: `max-pages = true` must not pass as 1
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise BadConfig(f"{path}: {key} must be {_SAID[kind]}, not {value!r}")
    if kind == "path":
        return Path(path).resolve().parent / Path(str(value)).expanduser()
    return value
