"""Ingest: an archived capture in, its database rows out — the crawl and reindex share it.

``seam`` (RecordIngest: the crawl's WARC records read back and ingested), ``capture``
(analyze: extraction, database-free; apply: rows into the store), ``reindex`` (rebuild a
database from WARC files alone).
"""

from nianbao.archive.ingest.capture import Ingestion, IngestResult, analyze, apply, ingest_capture
from nianbao.archive.ingest.reindex import ReindexSummary, reindex
from nianbao.archive.ingest.seam import RecordIngest

__all__ = [
    "IngestResult",
    "Ingestion",
    "RecordIngest",
    "ReindexSummary",
    "analyze",
    "apply",
    "ingest_capture",
    "reindex",
]
