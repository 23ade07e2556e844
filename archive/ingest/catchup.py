"""Records a killed crawl archived but never stored: found by place, ingested before the next.

A crawl stores a record some moments after archiving it; a kill in between leaves records
in the WARC files (repaired by ``archive.warc.files.recover``) that the database lacks. They
are the members of the folder's files whose (file name, offset) no captures row has.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nianbao.archive.ingest.capture import Extractor, analyze, apply
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import error_row
from nianbao.archive.warc.files import iter_members
from nianbao.archive.warc.reader import ArchiveReadError, read_capture, warc_file_name


def catch_up(store: Store, paths: Sequence[Path], extractor: Extractor | None = None) -> int:
    """Ingest every record of ``paths`` the database has no capture of; records ingested."""
    ingested = 0
    for path in paths:
        name = warc_file_name(path)
        stored = {
            offset
            for (offset,) in store.db.execute(
                "select offset from captures where warc_file = ?", [name]
            ).fetchall()
        }
        with path.open("rb") as fh:
            missing = [m.offset for m in iter_members(fh) if m.valid and m.offset not in stored]
        with store.transaction():
            for offset in missing:
                try:
                    capture = read_capture(path, offset)
                except ArchiveReadError as problem:
                    store.put_error(error_row(None, "archive", None, str(problem)))
                    continue
                apply(store, analyze(capture, extractor))
                ingested += 1
    return ingested
