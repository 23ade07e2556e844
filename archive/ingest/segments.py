"""Segmented records: one record's block split over a first segment and ``continuation``
records (WARC 1.1 §5.8), often across files, as writers do to cap a file's size.

Each segment is stored as its own capture row. Once every record is in the database, each
first segment that is not yet a report is read whole: its payload part, then each
continuation's block in segment order, checked against the first segment's payload digest,
decoded, and extracted under the first segment's id. A set that cannot be completed is an
``errors`` row saying which segments are missing.
"""

from __future__ import annotations

import dataclasses

from nianbao.archive.ingest.capture import NOT_A_REPORT_YET, Extractor, apply_beside
from nianbao.archive.ingest.revisits import Locate
from nianbao.archive.store.database import Store
from nianbao.archive.warc.reader import (
    DIGEST_MISMATCH,
    ArchiveReadError,
    Capture,
    payload_of,
    read_capture,
)

Segment = tuple[int, str, int, int | None]  # number, WARC file, offset, total length if last


def resolve_segments(store: Store, locate: Locate, extractor: Extractor | None = None) -> int:
    """Read every segmented record not yet a report as one whole record; reports written."""
    firsts = store.db.execute(
        "select id from captures where segment_number = 1"
        " and record_type in ('response', 'resource')"
        f" and {NOT_A_REPORT_YET}"
        " order by id"
    ).fetchall()
    written = 0
    for (record_id,) in firsts:
        segments: list[Segment] = store.db.execute(
            "select segment_number, warc_file, offset, segment_total_length from captures"
            " where segment_origin_id = ? order by segment_number, id",
            [record_id],
        ).fetchall()
        written += apply_beside(store, record_id, "segments", _whole(locate, segments), extractor)
    return written


def missing_segments(segments: list[Segment]) -> str | None:
    """Why ``segments`` (ordered by number) are not one complete record, or None."""
    numbers = [number for number, *_ in segments]
    last = next((n for n, _, _, total in segments if total is not None), None)
    if last is None:
        return (
            f"segments {', '.join(map(str, numbers))} found, not the last one (with "
            "WARC-Segment-Total-Length): reindex with the WARC files holding the rest"
        )
    gaps = sorted(set(range(1, last + 1)) - set(numbers))
    if gaps or numbers != sorted(set(numbers)):
        return f"segments {', '.join(map(str, gaps)) or 'repeated'} of {last} missing or doubled"
    return None


def _whole(locate: Locate, segments: list[Segment]) -> Capture | str:
    """The first segment read with every continuation's bytes after it, or why it cannot be."""
    problem = missing_segments(segments)
    if problem is not None:
        return problem
    parts: list[Capture] = []
    for _, warc_file, offset, _ in segments:
        path = locate(warc_file)
        if path is None:
            return f"{warc_file} (a segment) is not among the archives read"
        try:
            parts.append(read_capture(path, offset))
        except ArchiveReadError as error:
            return str(error)
    first = parts[0]
    read = payload_of(
        first.record_type,
        first.body + b"".join(part.body for part in parts[1:]),
        first.payload_digest,
        first.header("Content-Encoding"),
        first.header("Transfer-Encoding"),
    )
    if read.error == DIGEST_MISMATCH:
        return f"{DIGEST_MISMATCH} over the reassembled segments"
    if read.error is not None:
        return read.error
    return dataclasses.replace(first, body=read.body, note=read.note, segment_number=None)
