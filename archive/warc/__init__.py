"""WARC files: writing exchanges as WARC/1.1, reading them back as captures, crash recovery.

``writer`` (WarcWriter), ``reader`` (Capture, iter_captures, read_capture), ``files`` (names,
rotation, recovery of files left open), ``payload`` (undoing transfer and content encodings),
``exchange`` (the plain values passed to and returned by the writer).
"""

from nianbao.archive.warc.exchange import Exchange, RecordRef, WrittenExchange, WrittenRecord
from nianbao.archive.warc.files import RecoveredFile, recover
from nianbao.archive.warc.reader import ArchiveReadError, Capture, iter_captures, read_capture
from nianbao.archive.warc.writer import WarcWriter

__all__ = [
    "ArchiveReadError",
    "Capture",
    "Exchange",
    "RecordRef",
    "RecoveredFile",
    "WarcWriter",
    "WrittenExchange",
    "WrittenRecord",
    "iter_captures",
    "read_capture",
    "recover",
]
