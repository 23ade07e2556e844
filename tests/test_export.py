"""Exports: CSV read back with pandas, Parquet with pyarrow, JSON Lines with json, each equal
to the database; the wide tables equal the simulated web's truth; selections narrow; a
failed write leaves the earlier file."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from nianbao.archive.export import writers
from nianbao.archive.export.datasets import (
    CHILDREN,
    DATASETS,
    REPORT_TEXTS,
    WIDE_KEYS,
    cell_name,
    dataset,
    wide_cells,
)
from nianbao.archive.export.files import ExportRequest, export_files
from nianbao.archive.store.schema import TABLES
from nianbao.archive.store.selection import Selection
from nianbao.crawler.cli import main
from tests.conftest import Crawled


@pytest.fixture(scope="module")
def exported(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(
        main,
        ["export", "--db", str(crawled.db), "--to", str(folder), "--format", "csv,jsonl,parquet"],
    )
    assert result.exit_code == 0, result.output
    return folder


def _table(db: Path, name: str, columns: tuple[str, ...]) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        names = ", ".join(f'"{c}"' for c in columns)
        return sorted(conn.execute(f"select {names} from {name}").fetchall(), key=repr)


def _same(a: object, b: object) -> bool:
    """Equal values, NaN/None/"" being NULL and 3 == 3.0 (Parquet's float cells)."""
    if a is None or (isinstance(a, float) and math.isnan(a)) or a == "":
        return b is None or (isinstance(b, float) and math.isnan(b)) or b == ""
    return a == b


@pytest.mark.crawl
def test_every_dataset_in_every_format(exported: Path) -> None:
    for name in DATASETS:
        for suffix in (".csv", ".jsonl", ".parquet"):
            assert (exported / f"{name}{suffix}").is_file(), (name, suffix)
    assert not list(exported.glob(".*partial"))


@pytest.mark.crawl
@pytest.mark.parametrize("name", ["reports", *CHILDREN])
def test_csv_read_by_pandas_equals_the_database(
    crawled: Crawled, exported: Path, name: str
) -> None:
    columns = dataset(name).columns
    frame = pd.read_csv(exported / f"{name}.csv", dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == columns  # the byte-order mark is not part of the first name
    rows = _table(crawled.db, name, columns)
    assert len(frame) == len(rows)
    stored = {row[0]: row for row in rows}  # every dataset's first column is its id
    for record in frame.itertuples(index=False):
        row = stored[record[0]]
        for got, want, kind in zip(record, row, dataset(name).kinds, strict=True):
            if want is None:
                assert got == ""
            elif kind in (int, float, "ANY") and not isinstance(want, str):
                assert float(got) == want
            else:
                assert got == str(want)


@pytest.mark.crawl
def test_parquet_read_by_pyarrow_equals_the_database(crawled: Crawled, exported: Path) -> None:
    for name in ("stats", "checks", "reports"):
        columns = dataset(name).columns
        table = pq.read_table(exported / f"{name}.parquet")
        assert tuple(table.column_names) == columns
        got = sorted((tuple(r.values()) for r in table.to_pylist()), key=lambda r: r[0])
        want = sorted(_table(crawled.db, name, columns), key=lambda r: r[0])
        assert len(got) == len(want)
        for a, b in zip(got, want, strict=True):
            assert all(_same(x, y) for x, y in zip(a, b, strict=True)), (a, b)
    reports = pq.read_table(exported / "reports.parquet")
    assert str(reports.schema.field("year").type) == "int64"
    assert not set(REPORT_TEXTS) & set(reports.column_names)


@pytest.mark.crawl
def test_jsonl_read_by_json_equals_the_database(crawled: Crawled, exported: Path) -> None:
    for name in ("checks", "figures", "spam_findings", "sections"):
        columns = dataset(name).columns
        lines = (exported / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        got = sorted((tuple(json.loads(line)[c] for c in columns) for line in lines), key=repr)
        assert got == _table(crawled.db, name, columns)


def _truth_reports(crawled: Crawled) -> Iterator[tuple[str, dict[tuple, object]]]:
    """(URL, {(table, block, row, column): value}) of each clean HTML-table report."""
    for report in crawled.world.reports:
        if report.table_layout == "html" and not report.broken and not report.spam:
            yield report.url, {(c.table, c.block, c.row, c.column): c.value for c in report.tables}


@pytest.mark.crawl
def test_wide_tables_equal_the_truth(crawled: Crawled, exported: Path) -> None:
    checked = 0
    frames = {
        table: pq.read_table(exported / f"stats_wide_t{table}.parquet").to_pylist()
        for table in (2, 3, 4)
    }
    by_url = {table: {row["url"]: row for row in rows} for table, rows in frames.items()}
    for url, truth in _truth_reports(crawled):
        for (table, block, row, column), value in truth.items():
            if url not in by_url[table]:
                continue
            got = by_url[table][url][cell_name(table, (block, row, column))]
            assert _same(got, value), (url, table, block, row, column, got, value)
            checked += 1
    assert checked > 1000


@pytest.mark.crawl
def test_wide_columns_hold_every_cell_of_clean_reports(crawled: Crawled) -> None:
    """The template's cells are the wide columns: a clean report's cells all have one."""
    known = {(t, *cell) for t in (2, 3, 4) for cell in wide_cells(t)}
    with sqlite3.connect(crawled.db) as db:
        cells = db.execute(
            'select s.table_no, s.block, s.row, s."column" from stats s'
            " join reports r on r.id = s.report_id"
            " where s.source is null and coalesce(r.source_format, 'html') = 'html'"
            " and r.spam_score < 0.5"
        ).fetchall()
    assert cells
    outside = [cell for cell in cells if cell not in known]
    assert len(outside) / len(cells) < 0.01, outside[:10]


@pytest.mark.crawl
def test_a_selection_exports_only_its_reports(crawled: Crawled, tmp_path: Path) -> None:
    with sqlite3.connect(crawled.db) as db:
        year, count = db.execute(
            "select year, count(*) from reports group by year order by count(*) desc limit 1"
        ).fetchone()
        ids = {rid for (rid,) in db.execute("select id from reports where year = ?", [year])}
    summary = export_files(
        ExportRequest(
            crawled.db,
            tmp_path,
            ("jsonl",),
            ("reports", "stats", "stats_wide_t3"),
            Selection(years=(year,)),
        )
    )
    assert summary.reports == count
    reports = [json.loads(line) for line in (tmp_path / "reports.jsonl").open(encoding="utf-8")]
    assert {r["id"] for r in reports} == ids and {r["year"] for r in reports} == {year}
    stats = [json.loads(line) for line in (tmp_path / "stats.jsonl").open(encoding="utf-8")]
    assert stats and {s["report_id"] for s in stats} <= ids
    wide = [json.loads(line) for line in (tmp_path / "stats_wide_t3.jsonl").open(encoding="utf-8")]
    assert {w["report_id"] for w in wide} == ids
    assert tuple(wide[0])[: len(WIDE_KEYS)] == WIDE_KEYS


def test_long_datasets_are_the_database_tables() -> None:
    for name in ("stats", "checks", "sections", "figures", "spam_findings"):
        assert dataset(name).columns == tuple(TABLES[name])


def test_a_failed_write_keeps_the_earlier_file(tmp_path: Path) -> None:
    data = dataset("checks")
    path = tmp_path / "checks.csv"
    row = tuple("x" for _ in data.columns)
    assert writers.write_csv(path, data, [row]) == 1
    before = path.read_bytes()

    def broken() -> Iterator[tuple]:
        yield row
        raise sqlite3.OperationalError("disk I/O error")

    for write in writers.WRITERS.values():
        target = path.with_suffix(".csv") if write is writers.write_csv else tmp_path / "new"
        with pytest.raises(sqlite3.OperationalError):
            write(target, data, broken())
    assert path.read_bytes() == before
    assert not (tmp_path / "new").exists()
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xls"], "unknown format xls: choose from csv, jsonl, parquet"),
        (["--dataset", "stats,nope"], "unknown dataset nope: choose from reports"),
        (["--format", ""], "no format given: choose from csv, jsonl, parquet"),
        (["--dataset", " , "], "no dataset given: choose from reports"),
    ],
)
def test_a_wrong_choice_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", str(tmp_path / "none.db"), "--to", str(tmp_path / "x"), *args]
    )
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "x").exists()


@pytest.mark.crawl
def test_a_selection_of_nothing_writes_nothing_and_keeps_the_earlier_files(
    crawled: Crawled, tmp_path: Path
) -> None:
    out = tmp_path / "x"
    first = CliRunner().invoke(
        main, ["export", "--db", str(crawled.db), "--to", str(out), "--dataset", "reports"]
    )
    assert first.exit_code == 0, first.output
    before = (out / "reports.csv").read_bytes()
    for selection in (["--year", "1999"], ["--cluster", "nope"]):
        result = CliRunner().invoke(
            main,
            [
                "export",
                "--db",
                str(crawled.db),
                "--to",
                str(out),
                "--dataset",
                "reports",
                *selection,
            ],
        )
        assert result.exit_code == 1 and "no report matches the selection" in result.output
        assert "Traceback" not in result.output and result.output.count("\n") == 1
    assert (out / "reports.csv").read_bytes() == before
