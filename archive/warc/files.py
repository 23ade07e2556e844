"""WARC file names, and recovery of files left open by a crash."""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

OPEN_SUFFIX = ".warc.gz.open"
DONE_SUFFIX = ".warc.gz"
ARC_SUFFIXES = (".arc", ".arc.gz")
# what reindex reads in a folder: WARC and ARC files, compressed or not, and WARC files a
# writer left open (a crash; the records written before it are whole)
ARCHIVE_SUFFIXES = (DONE_SUFFIX, ".warc", *ARC_SUFFIXES, OPEN_SUFFIX)
_CHUNK = 1 << 20
_NAME = re.compile(r"^(?P<prefix>.+)-(?P<stamp>\d{14})-(?P<serial>\d{5})\.warc\.gz(?:\.open)?$")


@dataclass(frozen=True)
class RecoveredFile:
    """What recovery did to one ``.open`` file: kept records, dropped bytes, final path."""

    original: Path
    path: Path | None  # None when nothing worth keeping was left (file removed)
    records: int
    dropped_bytes: int


@dataclass(frozen=True)
class Member:
    """One gzip member of a file and whether it holds a complete WARC record."""

    offset: int
    length: int
    valid: bool
    reason: str = ""


def warc_name(prefix: str, when: datetime, serial: int) -> str:
    """The finished file name: ``<prefix>-<UTC yyyymmddHHMMSS>-<serial:05d>.warc.gz``."""
    return f"{prefix}-{when.strftime('%Y%m%d%H%M%S')}-{serial:05d}{DONE_SUFFIX}"


def parse_name(name: str) -> tuple[str, str, int] | None:
    """Split a WARC file name into (prefix, stamp, serial), or None if it is not ours."""
    match = _NAME.match(name)
    if not match:
        return None
    return match["prefix"], match["stamp"], int(match["serial"])


def prefix_of(name: str) -> str | None:
    """The writer prefix a WARC file name was made with."""
    parsed = parse_name(name)
    return parsed[0] if parsed else None


def next_serial(directory: Path, prefix: str) -> int:
    """One past the highest serial any file of this prefix already uses (0 if none)."""
    serials = [
        parsed[2]
        for entry in directory.iterdir()
        if (parsed := parse_name(entry.name)) and parsed[0] == prefix
    ]
    return max(serials, default=-1) + 1


def iter_members(fh: BinaryIO) -> Iterator[Member]:
    """Scan gzip members from the current position, streaming; stops after the first bad one."""
    offset = fh.tell()
    pending = b""
    while True:
        if not pending:
            pending = fh.read(_CHUNK)
            if not pending:
                return
        member, pending = _scan_one(fh, offset, pending)
        yield member
        if not member.valid:
            return
        offset += member.length


def _scan_one(fh: BinaryIO, offset: int, data: bytes) -> tuple[Member, bytes]:
    """Decompress one member starting with ``data``; return it and the bytes after it."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    record = _RecordCheck()
    consumed = 0
    while True:
        try:
            out = inflater.decompress(data, _CHUNK)
        except zlib.error as error:
            return Member(offset, consumed, False, f"corrupt gzip: {error}"), b""
        record.feed(out)
        while inflater.unconsumed_tail and not inflater.eof:
            tail = inflater.unconsumed_tail
            try:
                record.feed(inflater.decompress(tail, _CHUNK))
            except zlib.error as error:
                return Member(offset, consumed, False, f"corrupt gzip: {error}"), b""
        if inflater.eof:
            used = len(data) - len(inflater.unused_data)
            length = consumed + used
            reason = record.problem()
            return Member(offset, length, not reason, reason), inflater.unused_data
        consumed += len(data)
        data = fh.read(_CHUNK)
        if not data:
            return Member(offset, consumed, False, "truncated gzip member"), b""


class _RecordCheck:
    """Checks, without keeping the body, that decompressed bytes form one whole WARC record."""

    def __init__(self) -> None:
        self.head = b""
        self.total = 0
        self.tail = b""

    def feed(self, data: bytes) -> None:
        if len(self.head) < 65536 and b"\r\n\r\n" not in self.head:
            self.head += data[:65536]
        self.total += len(data)
        self.tail = (self.tail + data)[-4:]

    def problem(self) -> str:
        end = self.head.find(b"\r\n\r\n")
        if not self.head.startswith(b"WARC/") or end < 0:
            return "not a WARC record"
        length = None
        for line in self.head[:end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip()) if value.strip().isdigit() else None
        if length is None:
            return "WARC record without Content-Length"
        if self.total != end + 4 + length + 4 or self.tail != b"\r\n\r\n":
            return "incomplete WARC record"
        return ""


def recover(directory: Path, prefix: str | None = None) -> list[RecoveredFile]:
    """Close every ``*.warc.gz.open`` a crash left: keep whole records, truncate, rename."""
    recovered = []
    for path in sorted(Path(directory).glob(f"*{OPEN_SUFFIX}")):
        if prefix is not None and prefix_of(path.name) != prefix:
            continue
        recovered.append(_recover_file(path))
    return recovered


def _recover_file(path: Path) -> RecoveredFile:
    size = path.stat().st_size
    good_end, records = 0, 0
    with path.open("rb") as fh:
        for member in iter_members(fh):
            if not member.valid:
                break
            good_end, records = member.offset + member.length, records + 1
    if records == 0:
        path.unlink()
        return RecoveredFile(path, None, 0, size)
    final = path.with_name(path.name[: -len(".open")])
    if final.exists():
        raise FileExistsError(f"cannot recover {path.name}: {final.name} already exists")
    os.truncate(path, good_end)
    path.rename(final)
    return RecoveredFile(path, final, records, size - good_end)


def is_arc_name(name: str) -> bool:
    """Whether a file name is an ARC file's (.arc, .arc.gz), the format before WARC."""
    return name.lower().endswith(ARC_SUFFIXES)


def archives_in(directory: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The WARC and ARC files of a folder, sorted, and its other entries with why they are
    not read."""
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(Path(directory).iterdir()):
        if path.is_dir():
            skipped.append((path, "a folder: name it to read the archives inside"))
        elif path.name.lower().endswith(ARCHIVE_SUFFIXES):
            found.append(path)
        else:
            kinds = ", ".join(ARCHIVE_SUFFIXES)
            skipped.append((path, f"not an archive file name ({kinds})"))
    return found, skipped
