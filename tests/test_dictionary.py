"""The data dictionary describes every table and column of the schema, and its doc is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.archive.store.dictionary import DESCRIPTIONS
from nianbao.archive.store.dictionary_markdown import dictionary_markdown, table_markdown
from nianbao.archive.store.schema import TABLES

DOC = Path(__file__).parent.parent / "docs" / "data-dictionary.md"


def test_every_table_has_a_paragraph_and_no_other_is_described() -> None:
    assert set(DESCRIPTIONS) == set(TABLES)
    empty = [name for name, doc in DESCRIPTIONS.items() if not doc.description.strip()]
    assert empty == []


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_has_a_line_and_no_line_names_a_missing_column(table: str) -> None:
    described = DESCRIPTIONS[table].columns
    undescribed = [column for column in TABLES[table] if not described.get(column, "").strip()]
    assert undescribed == [], f"{table}: columns without a description"
    invented = sorted(set(described) - set(TABLES[table]))
    assert invented == [], f"{table}: descriptions of columns it does not have"


def test_a_column_description_is_one_line() -> None:
    # a line break would end the Markdown table row and the Datasette column list entry
    broken = [
        f"{table}.{column}"
        for table, doc in DESCRIPTIONS.items()
        for column, text in doc.columns.items()
        if "\n" in text
    ]
    assert broken == []


def test_markdown_lists_each_column_once_in_schema_order() -> None:
    section = table_markdown("checks")
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(TABLES["checks"])
    # typed by hand from the schema comment: the four states a check can be in
    state = next(row for row in rows if row.startswith("| `state`"))
    for value in ("ok", "failed", "unchecked", "reread"):
        assert value in state
    assert "| `value` | ANY |" in table_markdown("stats")


def test_markdown_explains_long_and_wide_forms() -> None:
    text = dictionary_markdown()
    assert "## Long form and wide form" in text
    assert "t{table}:{block}:{row}:{column}" in text
    assert text.count("\n### `") == len(TABLES)


def test_doc_is_the_generated_dictionary() -> None:
    # regenerate with: python -m nianbao.archive.store.dictionary_markdown > docs/data-dictionary.md
    assert DOC.read_text(encoding="utf-8") == dictionary_markdown()
