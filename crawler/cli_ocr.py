"""`nianbao ocr`: read the tables a crawl's reports printed as pictures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from nianbao.crawler.cli_options import console, one_line_errors


@click.command("ocr")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("nianbao-out"),
    show_default=True,
    help="The crawl's output folder (its nianbao.db and warc/).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Pictures read at once (one Tesseract process each).",
)
def ocr_command(out: Path, workers: int) -> None:
    """OCR the table pictures of the reports in OUT (Tesseract; seconds a picture)."""
    from nianbao.archive.ocr import run_ocr

    db = out / "nianbao.db"
    if not db.is_file():
        raise click.ClickException(f"no database at {db}: give the folder a crawl wrote (--out)")
    with one_line_errors(), console.status("reading table pictures…") as status:
        result = run_ocr(
            db,
            out / "warc",
            workers=workers,
            progress=lambda done, total: status.update(f"reading table pictures… {done}/{total}"),
        )
    if result.unavailable is not None:
        raise click.ClickException(
            f"{result.archived} table pictures wait for OCR, but {result.unavailable}"
        )
    console.print(
        f"OCR: {result.read} of {result.pictures} table pictures read ({result.archived} "
        f"archived), {result.cells} cells stored with source 'ocr', {result.reread} identities "
        f"to check against the picture (state 'reread'), {len(result.errors)} not read"
    )
    why = Counter(reason for _, reason in result.errors)
    if why:  # what kept them, most first: the rows are in `errors` with stage 'ocr'
        reasons = "; ".join(f"{n} {reason}" for reason, n in why.most_common())
        console.print(f"not read: {reasons} (table `errors`, stage 'ocr')")
