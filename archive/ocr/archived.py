"""An archived record read by an OCR step, or why it could not be."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from nianbao.archive.warc.reader import ArchiveReadError, Capture, on_disk, read_capture
from nianbao.extract.errors import ExtractError
from nianbao.extract.ocr.engine import OcrUnavailable

T = TypeVar("T")


def read_archived(
    warc_dir: Path, warc_file: str, offset: int, read: Callable[[Capture], T | str]
) -> T | str:
    """``read`` of the record at ``offset`` of ``warc_file``, or why it failed: the archive
    (a missing or damaged file), the file itself, or Tesseract."""
    try:
        return read(read_capture(on_disk(warc_dir / warc_file), offset))
    except (ArchiveReadError, OSError) as problem:
        return f"archive: {problem}"
    except ExtractError as problem:
        return problem.message
    except OcrUnavailable as problem:
        return str(problem)
