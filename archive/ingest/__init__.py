"""Ingest: an archived capture in, its database rows out — the crawl and reindex share it.

``capture`` (analyze: extraction, database-free; apply: rows into the store), ``reindex``
(rebuild a database from WARC files alone).
"""

from nianbao.archive.ingest.capture import Ingestion, IngestResult, analyze, apply, ingest_capture
from nianbao.archive.ingest.reindex import ReindexSummary, reindex

__all__ = [
    "IngestResult",
    "Ingestion",
    "ReindexSummary",
    "analyze",
    "apply",
    "ingest_capture",
    "reindex",
]
