"""``nianbao export``: datasets as CSV, JSON Lines and Parquet, or a replayable WACZ."""

from __future__ import annotations

from pathlib import Path

import click

from nianbao.archive.export.datasets import DATASETS
from nianbao.archive.export.writers import FORMATS
from nianbao.archive.store.selection import Selection
from nianbao.crawler.cli_options import console, one_line_errors, out_folder_option
from nianbao.crawler.cli_search import selection_options
from nianbao.crawler.console import counted
from nianbao.crawler.temporary import temporary_files_in


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


@click.command("export")
@out_folder_option()
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The database to read, when not OUT/nianbao.db.",
)
@click.option(
    "--to",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where the files go (default OUT/export).",
)
@click.option(
    "--format",
    "formats",
    default="csv",
    show_default=True,
    help=f"Comma-separated: {', '.join(FORMATS)}.",
)
@click.option(
    "--dataset",
    "datasets",
    default=",".join(DATASETS),
    help="Comma-separated datasets (default: all; see docs/data-dictionary.md).",
)
@selection_options
@click.option("--cluster", help="Only the reports of this audit cluster (a clusters.id).")
@click.option(
    "--wacz",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the selected reports' captures as this WACZ file instead (replayable archive).",
)
@click.option(
    "--warc",
    "warc_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="With --wacz: the folder of the WARC files, when not OUT/warc.",
)
def export_command(
    out: Path,
    db: Path | None,
    folder: Path | None,
    formats: str,
    datasets: str,
    years: tuple[int, ...],
    agency: str | None,
    region: str | None,
    cluster: str | None,
    wacz: Path | None,
    warc_dir: Path | None,
) -> None:
    """Export reports, sections, stats (long and wide), checks, figures, spam findings and
    clusters as CSV, JSON Lines or Parquet; or, with --wacz, their captures as a WACZ."""
    from nianbao.archive.export.files import ExportRequest, export_files

    db = db or out / "nianbao.db"
    selection = Selection(years, agency, region, cluster)
    if wacz is not None:
        _export_wacz(db, warc_dir or out / "warc", selection, wacz)
        return
    request = ExportRequest(
        db, folder or out / "export", _names(formats), _names(datasets), selection
    )
    # SQLite's sorts of a large export use temporary files: they stay in the export folder
    with (
        temporary_files_in(request.folder),
        one_line_errors(),
        console.status("exporting…") as status,
    ):
        summary = export_files(
            request, progress=lambda name, fmt: status.update(f"exporting {name} as {fmt}…")
        )
    console.print(
        f"exported {counted(summary.reports, 'report')} into {request.folder}:",
        markup=False,
        highlight=False,
    )
    for done in summary.files:
        rate = f"{done.rows / done.seconds:,.0f} rows/s" if done.seconds > 0 else ""
        console.print(
            f"  {done.path.name}: {done.rows:,} {'row' if done.rows == 1 else 'rows'} {rate}",
            markup=False,
            highlight=False,
        )


def _export_wacz(db: Path, warc_dir: Path, selection: Selection, wacz: Path) -> None:
    """The selected reports' captures as one WACZ file."""
    from nianbao.archive.export.wacz import write_wacz
    from nianbao.archive.store.selection import selected_ids

    # cdxj-indexer sorts a large index in temporary files: they stay beside the WACZ
    with temporary_files_in(wacz.parent), one_line_errors(), console.status("packaging the WACZ…"):
        ids = selected_ids(db, selection)
        if not ids:
            raise click.ClickException(
                "no report matches the selection (--year, --agency, --region, --cluster): "
                f"`nianbao reports --db {db}` lists them"
            )
        summary = write_wacz(db, warc_dir, ids, wacz)
    console.print(
        f"wrote {summary.path}: {counted(summary.reports, 'report')} as pages, "
        f"{counted(summary.records, 'WARC record')}, {summary.bytes:,} bytes",
        markup=False,
        highlight=False,
    )
