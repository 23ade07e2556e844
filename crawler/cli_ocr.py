"""`nianbao ocr`: read the tables a crawl's reports printed as pictures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from nianbao.crawler.cli_options import console, one_line_errors, out_folder_option
from nianbao.crawler.temporary import temporary_files_in


@click.command("ocr")
@out_folder_option()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Pictures read at once (one Tesseract process each).",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The database to read and write, when not OUT/nianbao.db (`nianbao reindex --db`).",
)
@click.option(
    "--warc",
    "warc_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder of the WARC files the database was made from, when not OUT/warc.",
)
@click.option("--again", is_flag=True, help="Read the pictures an earlier run read, anew.")
def ocr_command(
    out: Path, workers: int, db: Path | None, warc_dir: Path | None, again: bool
) -> None:
    """OCR the table pictures and scanned PDFs of the reports in OUT (Tesseract; seconds a
    picture, a few seconds a scanned page)."""
    from nianbao.archive.ocr import run_ocr

    db = db or out / "nianbao.db"
    with (
        temporary_files_in(db.parent),
        one_line_errors(),
        console.status("reading table pictures…") as status,
    ):
        result = run_ocr(
            db,
            warc_dir or out / "warc",
            workers=workers,
            again=again,
            progress=lambda done, total: status.update(f"reading table pictures… {done}/{total}"),
        )
    if result.unavailable is not None:
        raise click.ClickException(
            f"{result.archived} table pictures and {result.scans} scanned PDFs wait for OCR, "
            f"but {result.unavailable}"
        )
    earlier = (
        f"{result.skipped} read by an earlier run (--again reads them anew), "
        if result.skipped
        else ""
    )
    console.print(
        f"OCR: {result.read} of {result.pictures} table pictures read ({earlier}"
        f"{result.archived} archived), {result.cells} cells stored with source 'ocr', "
        f"{result.reread} identities to check against the picture (state 'reread'), "
        f"{len(result.errors)} not read"
    )
    if result.scans:
        console.print(
            f"scanned PDFs: {result.scans_read} of {result.scans} read into reports "
            f"({result.scan_pages} pages; their cells have source 'ocr')"
        )
    why = Counter(reason for _, reason in result.errors)
    if why:  # what kept them, most first: the rows are in `errors` with stage 'ocr'
        reasons = "; ".join(f"{n} {reason}" for reason, n in why.most_common())
        console.print(f"not read: {reasons} (table `errors`, stage 'ocr')")
