"""nianbao archive: WARC writing and reading, the SQLite store, ingest and reindex."""

from archive.exchange import Exchange, RecordRef, WrittenExchange, WrittenRecord
from archive.ingest import Ingestion, IngestResult, analyze, ingest_capture
from archive.reader import ArchiveReadError, Capture, iter_captures, read_capture
from archive.reindex import ReindexSummary, reindex
from archive.store import Store
from archive.summary import Summary, summarize
from archive.warc import WarcWriter
from archive.warcfiles import RecoveredFile, recover

__all__ = [
    "ArchiveReadError",
    "Capture",
    "Exchange",
    "IngestResult",
    "Ingestion",
    "RecordRef",
    "RecoveredFile",
    "ReindexSummary",
    "Store",
    "Summary",
    "WarcWriter",
    "WrittenExchange",
    "WrittenRecord",
    "analyze",
    "ingest_capture",
    "iter_captures",
    "read_capture",
    "recover",
    "reindex",
    "summarize",
]
