"""The data dictionary as Markdown: ``docs/data-dictionary.md`` is this module's output.

python -m nianbao.archive.store.dictionary_markdown > docs/data-dictionary.md
"""

from __future__ import annotations

from nianbao.archive.store.dictionary import DESCRIPTIONS
from nianbao.archive.store.schema import TABLES

TYPE_NAMES = {str: "TEXT", int: "INTEGER", float: "REAL", bytes: "BLOB", "ANY": "ANY"}

INTRO = """\
# Data dictionary

What every table and column of a nianbao database (`nianbao.db`) holds. The database is
derived: `nianbao reindex` rebuilds all of it from the WARC files, bit for bit the same
(the audit tables by `nianbao audit`, the OCR'd cells by `nianbao ocr`). This file is
generated from `archive/store/dictionary.py`
(`python -m nianbao.archive.store.dictionary_markdown > docs/data-dictionary.md`); edit that module,
not this file. `nianbao serve` shows the same descriptions in Datasette.

Conventions: ids are stable (hashes or compositions of other ids), so writing a row twice
changes nothing. Dates from the archive are WARC-Dates (ISO 8601, UTC); dates read from a
report are `YYYY-MM-DD`. Offsets count characters (Unicode code points), except
`captures.offset` and `captures.length`, which count bytes. NULL means unknown or not
printed, never 0; JSON columns hold UTF-8 JSON text. `report_id` always joins `reports.id`.
"""

SEARCH = """\
## Full-text search

`reports_fts` is an FTS5 table over `reports` (external content: the text stays in
`reports` only) on `title`, `agency`, `text` and `text_simplified`, with the trigram
tokenizer, kept current by triggers; its rowid is `reports.rowid`. It finds any run of three
or more characters, inside Chinese words too; a query under three characters matches
nothing (`nianbao search` and `nianbao serve` fall back to scanning the text). Its shadow
tables (`reports_fts_data`, `_idx`, `_docsize`, `_config`) belong to SQLite.
"""

LONG_AND_WIDE = """\
## Long form and wide form

`stats` is the long form of tables 2–4: one row per printed cell, named by
`(report_id, table_no, block, row, column)`. It keeps every cell a report prints, of either
template, with its raw text and where it was read from, and it is what SQL wants:
`select report_id, value from stats where table_no = 3 and row = '（七）总计'
and "column" = '总计'`.

The wide form is what a spreadsheet wants: one row per report, one column per canonical cell,
named `t{table}:{block}:{row}:{column}`: `t2:第二十条第（一）项:规章:本年新制作数量`,
`t3::（七）总计:总计` (table 3's rows outside a group have no block), `t4:行政复议::总计`
(table 4's cells have no row). A cell the report does not print is empty there, as a blank
is NULL here. The two hold the same values: the wide form is the long form pivoted on the
cell name, over the cells of the two national templates (2019's, then the 2021 cells 2019
lacks); a cell outside both (an OCR misreading of a label) is in the long form only.
"""

EXPORTS = """\
## Exports

`nianbao export` writes these datasets, each as `<dataset>.csv`, `.jsonl` or `.parquet`,
restricted to the selected reports (`--year`, `--agency`, `--region`, `--cluster`):

- `reports`: one row per report; the `reports` table without its texts (`text`,
  `text_original`, `text_simplified`, `title_original`, `agency_original`): the text is in
  `sections`.
- `sections`, `stats`, `checks`, `figures`, `spam_findings`: those tables, as above.
- `stats_wide_t2`, `stats_wide_t3`, `stats_wide_t4`: one row per report; `report_id`, `url`,
  `year`, `agency`, `template`, then one column per template cell of that table (above),
  holding the cell's `value`.
- `clusters`, `cluster_members`: the audit clusters that hold a selected report, with all
  their members.

CSV is UTF-8 with a byte-order mark; an empty field is NULL. JSON Lines has one object per
row, NULL as `null`. Parquet columns are typed: TEXT as string, INTEGER as int64, REAL and
ANY (a cell's value, an integer or a decimal) as float64, which is exact for every integer
a report prints.
"""


def _cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, so a description never splits the row."""
    return text.replace("|", "\\|")


def table_markdown(name: str) -> str:
    """One table's section: its paragraph, then its columns with type and description."""
    doc = DESCRIPTIONS[name]
    lines = [f"### `{name}`", "", doc.description, "", "| column | type | description |"]
    lines.append("|---|---|---|")
    for column, kind in TABLES[name].items():
        lines.append(f"| `{column}` | {TYPE_NAMES[kind]} | {_cell(doc.columns[column])} |")
    return "\n".join(lines) + "\n"


# sections after the tables, in order
SECTIONS: tuple[str, ...] = (SEARCH, LONG_AND_WIDE, EXPORTS)


def dictionary_markdown() -> str:
    """The data dictionary as Markdown: what ``docs/data-dictionary.md`` holds, exactly."""
    parts = [INTRO, "## Tables\n"]
    parts += [table_markdown(name) for name in TABLES]
    parts += SECTIONS
    return "\n".join(parts)


if __name__ == "__main__":
    print(dictionary_markdown(), end="")
