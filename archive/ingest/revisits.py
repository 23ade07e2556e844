"""Revisit records: a page archived again unchanged, its payload left with an earlier capture.

A revisit (WARC 1.1 §6.7, profiles identical-payload-digest and server-not-modified) holds
the HTTP head of the new fetch and the payload digest of the content; the content itself is
the earlier capture's with that digest. Once every record is in the database, each revisit
whose payload was first archived at another URL is read with that capture's payload under
its own URL, date and headers, so a report deduplicated at another URL is a report there
too. One fetched again at its own URL reads as its original did; sightings.py counts it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from nianbao.archive.ingest.capture import NOT_A_REPORT_YET, Extractor, apply_beside
from nianbao.archive.store.database import Store
from nianbao.archive.warc.reader import ArchiveReadError, Capture, read_capture

Locate = Callable[[str], Path | None]  # a WARC file name → where it is, if it was read


def resolve_revisits(store: Store, locate: Locate, extractor: Extractor | None = None) -> int:
    """Read every revisit not yet a report with the payload it revisits; reports written."""
    pending = store.db.execute(
        "select id, warc_file, offset, payload_digest from captures"
        " where record_type = 'revisit' and payload_digest is not null"
        f" and {NOT_A_REPORT_YET}"
        # fetched again at its own URL: it reads as its original did, report or not, and a
        # report's sightings are counted apart (sightings.py) -- no extraction again
        " and not exists (select 1 from captures o where o.url = captures.url"
        " and o.payload_digest = captures.payload_digest"
        " and o.record_type in ('response', 'resource'))"
        " order by id"
    ).fetchall()
    written = 0
    for record_id, warc_file, offset, digest in pending:
        original = store.db.execute(
            "select warc_file, offset from captures where payload_digest = ?"
            " and record_type in ('response', 'resource') order by date, id limit 1",
            [digest],
        ).fetchone()
        capture = _with_payload(locate, (warc_file, offset), original)
        written += apply_beside(store, record_id, "revisit", capture, extractor)
    return written


def _with_payload(
    locate: Locate, revisit: tuple[str, int], original: tuple[str, int] | None
) -> Capture | str:
    """The revisit read as a response carrying ``original``'s payload, or why it cannot be."""
    if original is None:
        return "the revisited payload is in no archive read: reindex with the WARC holding it"
    paths = locate(revisit[0]), locate(original[0])
    if paths[0] is None or paths[1] is None:
        return f"{original[0]} (the revisited capture) is not among the archives read"
    try:
        again, first = read_capture(paths[0], revisit[1]), read_capture(paths[1], original[1])
    except ArchiveReadError as problem:
        return str(problem)
    if first.error is not None:
        return f"the revisited capture cannot be read: {first.error}"
    return dataclasses.replace(
        again,
        record_type="response",
        body=first.body,
        # a revisit may keep only some headers: the first capture's fill what it lacks
        http_headers=again.http_headers or first.http_headers,
        status=again.status if again.status is not None else first.status,
        mime=again.mime or first.mime,
    )
