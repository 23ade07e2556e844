"""Blank cells in identities: not checkable, never failed, never summed as 0.

Learnt from a real 2019-template report whose 总计 cells were left blank in rows that had
values: every such row failed with an empty actual, and the 总计 column failed as
"expected 0, actual 805" because its blank cells were summed as 0. The pages here imitate
that shape; every expected number is added up by hand from the rows typed below.
"""

from __future__ import annotations

import json
import sqlite3

from rich.console import Console

from nianbao.archive.store.database import Store
from nianbao.archive.store.query import report_tables
from nianbao.archive.store.rows import report_rows
from nianbao.archive.store.schema import SCHEMA_VERSION
from nianbao.archive.store.summary import summarize
from nianbao.crawler.console import report_tables_view, summary_tables
from nianbao.extract import extract_report
from nianbao.extract.tables import check_identities, parse_tables
from tests.test_tables import CARRIED, NEW, PARTLY, report_2019_html, t3_rows, t4_table

SECRET, UNKNOWN = "1.属于国家秘密", "1.本机关不掌握相关政府信息"
# T3_NUMBERS of test_tables, with 总计 left blank in every row that has values except 一 and
# （七）总计 (as the real report printed them); rows of zeros keep their printed 0.
BLANK_TOTALS = {
    NEW: ("5", "2", "/", "0", "0", "1", "8"),
    CARRIED: ("1", "0", "0", "0", "0", "0", ""),
    "（一）予以公开": ("3", "1", "0", "0", "0", "1", ""),
    PARTLY: ("1", "0", "0", "0", "0", "0", ""),
    SECRET: ("1", "0", "0", "0", "0", "0", ""),
    UNKNOWN: ("1", "1", "0", "0", "0", "0", ""),
    "（七）总计": ("6", "2", "0", "0", "0", "1", "9"),
}


def by_name(checks):
    return {c.identity: c for c in checks}


def blank_report_checks():
    result = parse_tables(report_2019_html(t3_rows(BLANK_TOTALS)), "")
    assert result.problems == ()
    return by_name(check_identities(result.cells, result.template))


def test_blank_totals_are_unchecked_with_their_cells_never_failed() -> None:
    checks = blank_report_checks()
    assert [c.identity for c in checks.values() if c.failed] == []
    unchecked = {name: c for name, c in checks.items() if c.state == "unchecked"}
    # a row whose 总计 is blank: the parts' sum is known, the printed total is not
    rows = {
        CARRIED: ("", 1),
        "（一）予以公开": ("", 5),
        PARTLY: ("", 1),
        SECRET: ("（三）不予公开", 1),
        UNKNOWN: ("（四）无法提供", 2),
    }
    for row, (block, parts) in rows.items():
        check = unchecked.pop(f"t3.row.{row}.total")
        assert (check.expected, check.actual, check.ok) == (parts, None, False)
        assert check.blank == (f"3:{block}:{row}:总计",)
    # the 总计 column: its result rows are blank, so no sum (not 0) against the printed 9
    column = unchecked.pop("t3.col.总计.total")
    assert (column.expected, column.actual) == (None, 9)
    assert column.blank == (
        "3::（一）予以公开:总计",
        f"3::{PARTLY}:总计",
        f"3:（三）不予公开:{SECRET}:总计",
        f"3:（四）无法提供:{UNKNOWN}:总计",
    )
    balance = unchecked.pop("t3.col.总计.balance")  # 8 + blank against 9 + 0
    assert (balance.expected, balance.actual) == (None, 9)
    assert balance.blank == (f"3::{CARRIED}:总计",)
    assert unchecked == {}
    # the other columns still add up, 科研机构's "/" (not applicable) counting as none
    assert checks["t3.col.科研机构.balance"].ok and checks["t3.col.自然人.total"].ok


def test_a_failed_check_always_has_two_numbers() -> None:
    # table 4: a blank 总计 is not checkable; a "/" total against parts of 2 is a failure,
    # the mark read as none (0), so both sides are numbers
    page = "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + t4_table(("1", "0", "0", "1", ""))
    blank = by_name(check_identities(parse_tables(page, "").cells, None))["t4.行政复议.total"]
    assert (blank.state, blank.expected, blank.actual) == ("unchecked", 2, None)
    assert blank.blank == ("4:行政复议::总计",)
    page = "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + t4_table(("1", "0", "0", "1", "/"))
    marked = by_name(check_identities(parse_tables(page, "").cells, None))["t4.行政复议.total"]
    assert (marked.state, marked.expected, marked.actual, marked.blank) == ("failed", 2, 0, ())
    # an unreadable part is no number either
    page = "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + t4_table(("1", "约一", "0", "1", "2"))
    unread = by_name(check_identities(parse_tables(page, "").cells, None))["t4.行政复议.total"]
    assert (unread.state, unread.expected, unread.blank) == (
        "unchecked",
        None,
        ("4:行政复议::结果纠正",),
    )


def store_blank_report(tmp_path):
    url = "http://www.example.gov.cn/xxgk/2020/blank.html"
    body = report_2019_html(t3_rows(BLANK_TOTALS)).encode()
    report = extract_report(url, {"content-type": "text/html; charset=utf-8"}, body)
    rows = report_rows(url, "<urn:uuid:blank>", "sha1:BLANK", report)
    db = tmp_path / "nianbao.db"
    with Store(db) as store:
        store.put_report(rows.report, rows.children, "2020-01-20T00:00:00Z")
    return db, rows.report["id"]


def test_stored_checks_keep_state_ok_and_blank_cells(tmp_path) -> None:
    db, rid = store_blank_report(tmp_path)
    conn = sqlite3.connect(db)
    states = dict(
        conn.execute("select state, count(*) from checks where report_id = ? group by state", [rid])
    )
    # 7 columns × 2 + 23 rows = 37 for table 3, + 3 table-4 groups; 7 unchecked (above)
    assert states == {"ok": 33, "unchecked": 7}
    # ok keeps its meaning for older readers: 1 ok, 0 failed, NULL not checkable
    ok = dict(
        conn.execute(
            "select state, group_concat(distinct coalesce(ok, 'null')) from checks group by state"
        )
    )
    assert ok == {"ok": "1", "unchecked": "null"}
    (cells,) = conn.execute(
        "select blank_cells from checks where identity = ?", [f"t3.row.{UNKNOWN}.total"]
    ).fetchone()
    # each blank cell id is the stats row's id after "report_id:"
    assert json.loads(cells) == [f"3:（四）无法提供:{UNKNOWN}:总计"]
    (raw,) = conn.execute("select raw from stats where id = ?", [f"{rid}:{json.loads(cells)[0]}"])
    assert raw == ("",)
    assert conn.execute("select blank_cells from checks where state = 'ok' limit 1").fetchone() == (
        None,
    )


def render(views, width: int = 200) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for view in views:
        console.print(view)
    return console.export_text()


def test_table_view_and_summary_tell_unchecked_from_failed(tmp_path) -> None:
    db, rid = store_blank_report(tmp_path)
    tables = report_tables(db, rid)
    assert tables.failed == () and len(tables.unchecked) == 7
    shown = render(report_tables_view(tables))
    assert "Failed checks: 0 of 40" in shown
    assert "Not checkable (blank cells): 7 of 40" in shown
    assert f"t3 {UNKNOWN}/总计" in shown and "blank" in shown
    summary = summarize(db)
    assert summary.checks == (0, 7, 40)
    assert "7" in render(summary_tables(summary)).split("not checkable (blank cells)")[1][:20]


def test_schema_1_checks_get_a_state_when_migrated(tmp_path) -> None:
    db, rid = store_blank_report(tmp_path)
    conn = sqlite3.connect(db)
    # what schema 1 stored for such a report: blanks as failures (row totals with no actual,
    # the 总计 column as 0 against 9, the balance as 8 + 0 against 9), no state column
    conn.execute("update checks set ok = 0 where state = 'unchecked'")
    conn.execute("update checks set expected = 0 where identity = 't3.col.总计.total'")
    conn.execute("update checks set expected = 8 where identity = 't3.col.总计.balance'")
    conn.execute("drop index idx_checks_state")
    conn.execute("alter table checks drop column state")
    conn.execute("alter table checks drop column blank_cells")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    assert report_tables(db, rid).failed  # read-only, unmigrated: ok = 0 with two numbers fails
    Store(db).close()
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    got = dict(conn.execute("select identity, state from checks where ok is not 1"))
    # an old failure without a printed total becomes unchecked; one with two numbers (a blank
    # summed as 0) stays failed until a reindex re-reads the cells
    assert got.pop("t3.col.总计.total") == got.pop("t3.col.总计.balance") == "failed"
    assert set(got.values()) == {"unchecked"} and len(got) == 5
    assert conn.execute(
        "select count(*) from checks where state = 'unchecked' and ok is not null"
    ).fetchone() == (0,)


def test_a_report_without_tables_says_so_instead_of_an_empty_box() -> None:
    from nianbao.archive.store.query import ReportTables

    narrative = ReportTables(
        "r1", "http://www.beijing.gov.cn/nb.html", "2013年报告", None, (), (), ()
    )
    shown = render(report_tables_view(narrative))
    assert "no statistical tables" in shown
    assert "Failed checks" not in shown
