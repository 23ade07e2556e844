"""What runs once every record of a crawl or a reindex is stored, in one transaction."""

from __future__ import annotations

from nianbao.archive.ingest.attachment_pages import link_attachment_pages, take_sheet_tables
from nianbao.archive.ingest.capture import Extractor
from nianbao.archive.ingest.revisits import Locate, resolve_revisits
from nianbao.archive.ingest.segments import resolve_segments
from nianbao.archive.ingest.sightings import refresh_sightings
from nianbao.archive.restore.words import restore_all
from nianbao.archive.store.database import Store


def complete(store: Store, locate: Locate, extractor: Extractor | None = None) -> int:
    """Revisits and segmented records read whole, spam-replaced words restored, attachments'
    reports given their pages' metadata, sightings counted; the words restored."""
    with store.transaction():
        resolve_revisits(store, locate, extractor)
        resolve_segments(store, locate, extractor)
        restored = restore_all(store.db)
        link_attachment_pages(store)  # before sightings: both read reports, not each other
        take_sheet_tables(store)
        refresh_sightings(store)
    return restored
