"""Which code extracted a report: nianbao and each library whose output extraction depends on."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

# The distributions extract/ imports: a new release of any of them can change what is read.
LIBRARIES = ("trafilatura", "lxml", "opencc", "charset-normalizer")


def installed(distribution: str) -> str:
    """The installed version of ``distribution``, or "unknown"."""
    try:
        return version(distribution)
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


@functools.cache
def extractor_version() -> str:
    """``nianbao/0.1.0 trafilatura/2.3.1 lxml/6.1.3 …``: stored on every report row."""
    return " ".join(f"{name}/{installed(name)}" for name in ("nianbao", *LIBRARIES))
