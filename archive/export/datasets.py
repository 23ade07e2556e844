"""What ``nianbao export`` can write: each dataset's columns and the query that reads its rows.

Long-form datasets are tables of the database with their columns as they are (the data
dictionary describes them), restricted to the selected reports. The wide datasets
(``stats_wide_t2`` …) have one row per report and one column per cell of the national
templates, named ``t{table}:{block}:{row}:{column}``: the 2019 template's cells, then the 2021
template's that 2019 lacks. A cell outside both templates (an OCR misreading of a label) is
only in the long form.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from nianbao.archive.store.schema import TABLES
from nianbao.archive.store.selection import Selection
from nianbao.extract.tables.template import TEMPLATES, template_cells

# reports without their texts (sections hold the text; text_original and the rest are large)
REPORT_TEXTS = ("text", "text_original", "text_simplified", "title_original", "agency_original")
CHILDREN = ("sections", "stats", "checks", "figures", "spam_findings")
WIDE_TABLES = (2, 3, 4)
WIDE_KEYS = ("report_id", "url", "year", "agency", "template")
DATASETS = (
    "reports",
    *CHILDREN,
    *(f"stats_wide_t{table}" for table in WIDE_TABLES),
    "clusters",
    "cluster_members",
)
BATCH = 10_000


@dataclass(frozen=True)
class Dataset:
    """A dataset's name, its columns and their SQLite types (as in ``schema.TABLES``)."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[type | str, ...]  # str, int, float, or "ANY" (a number of either kind)


def wide_cells(table: int) -> tuple[tuple[str, str, str], ...]:
    """The wide dataset's cells of ``table``: 2019's in printed order, then 2021's new ones."""
    cells: dict[tuple[str, str, str], None] = {}
    for template in TEMPLATES:
        cells.update(dict.fromkeys(template_cells(template, table)))
    return tuple(cells)


def cell_name(table: int, cell: tuple[str, str, str]) -> str:
    """The wide column of a cell: ``t3:（三）不予公开:1.属于国家秘密:自然人``."""
    block, row, column = cell
    return f"t{table}:{block}:{row}:{column}"


def dataset(name: str) -> Dataset:
    """The named dataset's columns (``DATASETS`` lists the names)."""
    if name.startswith("stats_wide_t"):
        table = int(name.removeprefix("stats_wide_t"))
        cells = tuple(cell_name(table, cell) for cell in wide_cells(table))
        kinds: tuple[type | str, ...] = (str, str, int, str, str, *("ANY",) * len(cells))
        return Dataset(name, (*WIDE_KEYS, *cells), kinds)
    columns = {k: v for k, v in TABLES[name].items() if name != "reports" or k not in REPORT_TEXTS}
    return Dataset(name, tuple(columns), tuple(columns.values()))


def _quoted(columns: tuple[str, ...], alias: str) -> str:
    return ", ".join(f'{alias}."{column}"' for column in columns)


def rows_of(db: Database, name: str, selection: Selection) -> Iterator[tuple]:
    """The dataset's rows for the selected reports, in a stable order, as tuples."""
    chosen, params = selection.where("r")
    columns = dataset(name).columns
    if name == "reports":
        sql = f"select {_quoted(columns, 'r')} from reports r where {chosen} order by r.id"
    elif name in CHILDREN:
        sql = (
            f"select {_quoted(columns, 'x')} from {name} x join reports r on r.id = x.report_id"
            f" where {chosen} order by x.report_id, x.rowid"
        )
    elif name == "cluster_members":
        sql = (
            f"select {_quoted(columns, 'x')} from cluster_members x where x.cluster_id in"
            " (select m.cluster_id from cluster_members m join reports r on r.id = m.report_id"
            f" where {chosen}) order by x.cluster_id, x.report_id"
        )
    elif name == "clusters":
        sql = (
            f"select {_quoted(columns, 'x')} from clusters x where x.id in"
            " (select m.cluster_id from cluster_members m join reports r on r.id = m.report_id"
            f" where {chosen}) order by x.id"
        )
    else:
        yield from _wide_rows(db, int(name.removeprefix("stats_wide_t")), selection)
        return
    cursor = db.execute(sql, params)
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def _wide_rows(db: Database, table: int, selection: Selection) -> Iterator[tuple]:
    """One row per selected report: its keys, then each template cell's value (None: the
    report does not print it, or printed it blank or as a mark)."""
    chosen, params = selection.where("r")
    place = {cell: at for at, cell in enumerate(wide_cells(table))}
    cursor = db.execute(
        'select r.id, r.url, r.year, r.agency, r.template, s.block, s.row, s."column", s.value'
        " from reports r left join stats s on s.report_id = r.id and s.table_no = ?"
        f" where {chosen} order by r.id",
        [table, *params],
    )
    current: list | None = None
    while batch := cursor.fetchmany(BATCH):
        for rid, url, year, agency, template, block, row, column, value in batch:
            if current is None or current[0] != rid:
                if current is not None:
                    yield tuple(current)
                current = [rid, url, year, agency, template, *(None,) * len(place)]
            at = place.get((block, row, column))
            if at is not None:
                current[len(WIDE_KEYS) + at] = value
    if current is not None:
        yield tuple(current)
