"""nianbao archive: WARC writing and reading, the SQLite store, ingest and reindex."""

from nianbao.archive.ingest.capture import Ingestion, IngestResult, analyze, ingest_capture
from nianbao.archive.ingest.reindex import ReindexSummary, reindex
from nianbao.archive.store.database import Store
from nianbao.archive.store.summary import Summary, summarize
from nianbao.archive.warc.exchange import Exchange, RecordRef, WrittenExchange, WrittenRecord
from nianbao.archive.warc.files import RecoveredFile, recover
from nianbao.archive.warc.reader import ArchiveReadError, Capture, iter_captures, read_capture
from nianbao.archive.warc.writer import WarcWriter

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
