"""``nianbao export``: the selected reports' datasets into CSV, JSON Lines and Parquet files."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.archive.errors import PlaceError
from nianbao.archive.export.datasets import DATASETS, dataset, rows_of
from nianbao.archive.export.writers import FORMATS, SUFFIXES, WRITERS
from nianbao.archive.places import open_read_only, writable_folder
from nianbao.archive.store.selection import Selection


class UnknownChoice(PlaceError):
    """A dataset or format this version does not write, or none at all."""


class NothingSelected(PlaceError):
    """A selection that matches no report: nothing is written (earlier files stay)."""


@dataclass(frozen=True)
class ExportRequest:
    """Which datasets of which reports, in which formats, from which database, into where."""

    db_path: Path
    folder: Path
    formats: tuple[str, ...] = ("csv",)
    datasets: tuple[str, ...] = DATASETS
    selection: Selection = field(default_factory=Selection)


@dataclass(frozen=True)
class ExportedFile:
    """One file written: what it holds, where, how many rows, how long it took."""

    dataset: str
    format: str
    path: Path
    rows: int
    seconds: float


@dataclass(frozen=True)
class ExportSummary:
    """Every file an export wrote, in the order written."""

    files: tuple[ExportedFile, ...]
    reports: int  # selected reports


def check_choices(formats: tuple[str, ...], datasets: tuple[str, ...]) -> None:
    """Refuse an unknown format or dataset, naming the known ones."""
    for kind, given, known in (("format", formats, FORMATS), ("dataset", datasets, DATASETS)):
        if not given:
            raise UnknownChoice(f"no {kind} given: choose from {', '.join(known)}")
        unknown = [name for name in given if name not in known]
        if unknown:
            raise UnknownChoice(
                f"unknown {kind} {', '.join(unknown)}: choose from {', '.join(known)}"
            )


def export_files(
    request: ExportRequest, progress: Callable[[str, str], None] | None = None
) -> ExportSummary:
    """Write each dataset in each format as ``folder/<dataset>.<suffix>``.

    ``progress(dataset, format)`` is told before each file. A file is written under a
    temporary name and renamed when whole: an interrupted export leaves the earlier file.
    """
    check_choices(request.formats, request.datasets)
    folder = writable_folder(request.folder, "export folder")
    written: list[ExportedFile] = []
    with open_read_only(request.db_path) as db:
        chosen, params = request.selection.where("r")
        (reports,) = db.execute(f"select count(*) from reports r where {chosen}", params).fetchone()
        if reports == 0 and not request.selection.empty:
            # header-only files would replace an earlier export's whole ones
            raise NothingSelected(
                "no report matches the selection (--year, --agency, --region, --cluster), so "
                "nothing was written: `nianbao reports` lists what the database holds"
            )
        for name in request.datasets:
            data = dataset(name)
            for fmt in request.formats:
                if progress is not None:
                    progress(name, fmt)
                path = folder / f"{name}{SUFFIXES[fmt]}"
                started = time.perf_counter()
                rows = WRITERS[fmt](path, data, rows_of(db, name, request.selection))
                elapsed = time.perf_counter() - started
                written.append(ExportedFile(name, fmt, path, rows, elapsed))
    return ExportSummary(tuple(written), reports)
