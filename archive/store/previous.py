"""What earlier crawls archived at a URL: the validators to send back and the payload to refer to.

A re-crawl into an existing output folder asks each server "changed since?" with the last
capture's ETag and Last-Modified, and on an unchanged answer writes a revisit record that
points at the capture holding the payload. Both come from the captures table, read through
a read-only connection of its own (the crawl's ingest thread is the database's one writer).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from nianbao.archive.warc.exchange import Original

# the latest answer that showed the page: a full 200, or a 304 that confirmed it
_LATEST = (
    "select etag, last_modified, payload_digest from captures"
    " where url = ? and record_type in ('response', 'revisit') and status in (200, 304)"
    " and payload_digest is not null order by date desc, id desc limit 1"
)
# the capture that holds that payload at this URL: the first response with it
_ORIGINAL = (
    "select id, url, date, payload_digest, warc_file, offset from captures"
    " where url = ? and payload_digest = ? and record_type = 'response' and status = 200"
    " order by date, id limit 1"
)


@dataclass(frozen=True)
class Previous:
    """A URL's last archived state: validators, payload digest, and where the payload is."""

    etag: str | None
    last_modified: str | None
    original: Original  # the record a revisit of this URL refers to
    warc_file: str  # the original's file name and offset, to read its payload back
    offset: int

    @property
    def payload_digest(self) -> str:
        """The digest an unchanged answer's payload has."""
        return self.original.payload_digest


class PreviousCaptures:
    """Looks up a URL's previous capture in the database at ``db`` (None: no database yet)."""

    def __init__(self, db: Path | None) -> None:
        self._conn: sqlite3.Connection | None = None
        if db is not None and db.exists():
            # read-only: this connection never takes the write lock the ingest thread needs
            self._conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)

    def __bool__(self) -> bool:
        return self._conn is not None

    def of(self, url: str) -> Previous | None:
        """The previous capture of ``url`` answered 200, or None when there is none."""
        if self._conn is None:
            return None
        latest = self._conn.execute(_LATEST, [url]).fetchone()
        if latest is None:
            return None
        etag, last_modified, digest = latest
        found = self._conn.execute(_ORIGINAL, [url, digest]).fetchone()
        if found is None:  # its payload was first archived elsewhere: fetch it whole
            return None
        record_id, original_url, date, _, warc_file, offset = found
        return Previous(
            etag, last_modified, Original(record_id, original_url, date, digest), warc_file, offset
        )

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
