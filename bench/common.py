"""What several benchmarks share: the machine line they print, and warcio as the peer reader."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def machine_line() -> str:
    """The machine, Python and the moment, printed first by every benchmark."""
    now = datetime.datetime.now().isoformat(timespec="seconds")
    return (
        f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, {now}"
    )


def warcio_records(warcs: list[Path]) -> int:
    """Read every record's content stream to the end with warcio; the record count."""
    count = 0
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                stream = record.content_stream()
                while stream.read(1 << 16):
                    pass
                count += 1
    return count
