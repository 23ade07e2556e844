"""`nianbao serve`: Datasette over a crawl's database, read-only on loopback, searchable.

The server runs as its own process, the way a user starts it; the browser tests drive the
reports table in headless Chromium. Phrases and words are looked up in the database with
plain Python (the extraction's output, not the code under test), or typed by hand.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from nianbao.archive.browse.datasette import FTS_SHADOWS, fallback_query, metadata
from nianbao.archive.search.index import ENDS_TABLE, FTS_TABLE, TERMS_TABLE
from nianbao.archive.store.database import Store
from nianbao.archive.store.schema import TABLES
from nianbao.crawler.cli_serve import serve_command
from nianbao.extract.script import converter

SERVE = (sys.executable, "-m", "nianbao.crawler.cli", "serve")  # `nianbao serve`
STARTUP = 90  # seconds to wait for the URL (imports alone take seconds on a busy machine)
SCREENSHOT = Path("/tmp/serve_screenshot.png")  # a copy to look at after the run
WINDOW = (1400, 2200)


@dataclass
class Server:
    """A running `nianbao serve` and the URLs it printed."""

    process: subprocess.Popen[str]
    url: str
    reports_url: str
    lines: list[str]


@dataclass(frozen=True)
class Report:
    id: str
    url: str
    title: str
    year: int | None


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line)


def start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Server:
    """Start the server and wait until it prints where it listens."""
    process = subprocess.Popen(
        [*SERVE, *args],
        cwd=cwd,
        env={**os.environ, **(env or {}), "COLUMNS": "250"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
    seen: list[str] = []
    while not any(line.startswith("reports: ") for line in seen):
        try:
            seen.append(lines.get(timeout=STARTUP))
        except queue.Empty:
            process.kill()
            raise AssertionError(f"no URL printed; stdout {seen}") from None
    first = re.search(r" at (http://\S+/)$", seen[0].strip())
    assert first, seen
    reports = next(line for line in seen if line.startswith("reports: ")).split(" ", 1)[1]
    return Server(process, first.group(1), reports.strip(), seen)


def stop(server: Server, sig: int = signal.SIGINT) -> tuple[int, str]:
    """Stop it as Ctrl-C (or ``sig``) does; its exit code and standard error."""
    server.process.send_signal(sig)
    try:
        _, stderr = server.process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        _, stderr = server.process.communicate()
    return server.process.returncode, stderr


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8")


def copy_database(source: Path, folder: Path) -> Path:
    """A consistent copy (SQLite's backup) of ``source`` in ``folder``: the session's crawl
    stays as other tests see it."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "nianbao.db"
    with (
        contextlib.closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as a,
        contextlib.closing(sqlite3.connect(target)) as b,
    ):
        a.backup(b)
    return target


def unique_phrase(db: Path, wanted: Callable[[str], bool] = bool) -> tuple[str, Report, Report]:
    """Six Han characters of one report's text that no other report holds in any searched
    column (and that ``wanted`` accepts); that report, and one of another agency."""
    with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as c:
        rows = c.execute(
            "select id, url, title, year, agency, coalesce(title, '') || coalesce(agency, '')"
            " || coalesce(text, '') || coalesce(text_simplified, '') from reports"
            " where script = 'Hans' and text != '' order by id"
        ).fetchall()
        everything = c.execute(
            "select id, coalesce(title, '') || coalesce(agency, '') || coalesce(text, '')"
            " || coalesce(text_simplified, '') from reports"
        ).fetchall()
    for rid, url, title, year, agency, _ in rows:
        text = next(t for i, t in everything if i == rid)
        for run in re.findall(r"[\u4e00-\u9fff]{6,}", text[200:]):
            phrase = run[:6]
            if wanted(phrase) and sum(phrase in t for _, t in everything) == 1:
                other = next(r for r in rows if r[4] != agency)
                return phrase, Report(rid, url, title, year), Report(*other[:3], other[3])
    raise AssertionError("no report has a phrase of its own")


def contains_count(db: Path, word: str) -> int:
    with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as c:
        texts = c.execute("select text_simplified from reports").fetchall()
    return sum(word in (text or "") for (text,) in texts)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(crawled, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    out = tmp_path_factory.mktemp("serve-out")
    db = copy_database(crawled.db, out)
    server = start(["--out", str(out), "--port", "0"], cwd=tmp_path_factory.mktemp("serve-cwd"))
    try:
        yield server, db
    finally:
        if server.process.poll() is None:
            stop(server)


# -- the metadata ---------------------------------------------------------------------------


def test_metadata_describes_every_table_and_column() -> None:
    tables = metadata("nianbao")["databases"]["nianbao"]["tables"]
    for name, columns in TABLES.items():
        assert tables[name]["description"].strip(), name
        described = tables[name]["columns"]
        assert [c for c in columns if not described.get(c, "").strip()] == [], name
        assert set(described) <= set(columns), name


def test_metadata_wires_search_facets_and_hides_the_index() -> None:
    reports = metadata("x")["databases"]["x"]["tables"]["reports"]
    assert reports["fts_table"] == "reports_fts"
    assert reports["fts_pk"] == "rowid"  # external content: FTS rowids are reports' rowids
    assert reports["facets"] == ["year", "agency", "region"]
    assert reports["sort_desc"] == "year"
    tables = metadata("x")["databases"]["x"]["tables"]
    index = ("reports_fts", "reports_fts_data", "reports_fts_idx", "reports_fts_docsize")
    for name in (*index, "reports_fts_ends", "reports_fts_terms"):
        assert tables[name] == {"hidden": True}
    assert {FTS_TABLE, *FTS_SHADOWS, ENDS_TABLE, TERMS_TABLE} == {
        n for n in tables if n.startswith(FTS_TABLE)
    }
    assert "fts_table" not in metadata("x", searchable=False)["databases"]["x"]["tables"]["reports"]


# -- one-line refusals ------------------------------------------------------------------------


def _refused(args: list[str]) -> str:
    """The one line a refused command prints (in-process: nothing is served)."""
    result = CliRunner().invoke(serve_command, args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # click's exit, not an escaped error
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_a_bad_db_is_one_line_without_traceback(tmp_path: Path) -> None:
    # as a user runs it: a traceback would reach the terminal
    done = subprocess.run(
        [*SERVE, "--db", str(tmp_path / "missing.db")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: no database at {tmp_path / 'missing.db'}: give the folder a crawl wrote "
        "(--out) or the database (--db)"
    ]
    assert done.stdout == ""


def test_other_bad_places_are_one_line_naming_the_fix(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not sqlite", encoding="utf-8")
    assert "is not an SQLite database" in _refused(["--db", str(tmp_path / "notes.db")])
    assert "is a folder" in _refused(["--db", str(tmp_path)])
    assert "no database at" in _refused(["--out", str(tmp_path / "elsewhere")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # nothing made


def test_other_hosts_need_public_and_a_taken_port_is_one_line(tmp_path: Path) -> None:
    Store(tmp_path / "nianbao.db").close()
    line = _refused(["--out", str(tmp_path), "--host", "0.0.0.0"])
    assert "--public" in line
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        line = _refused(["--out", str(tmp_path), "--port", port])
    assert f"port {port} on 127.0.0.1 is in use" in line and "--port" in line


# -- the short-word fallback --------------------------------------------------------------------


def test_a_short_word_becomes_contains_filters_in_simplified() -> None:
    query = [("_search", "財政 预算公开"), ("_sort_desc", "year"), ("_next", "20")]
    assert fallback_query(query) == [
        ("_sort_desc", "year"),  # kept; _next (a page of the old answer) is not
        ("text_simplified__contains", "财政"),
        ("text_simplified__contains", "预算公开"),
    ]
    assert fallback_query([("_search", '"公开"')]) == [("text_simplified__contains", "公开")]


def test_a_traditional_search_becomes_its_simplified_form() -> None:
    query = [("_search", "財政預算 政府資訊"), ("_next", "20"), ("year", "2020")]
    assert fallback_query(query) == [("year", "2020"), ("_search", "财政预算 政府资讯")]


def test_searches_the_index_answers_are_left_alone() -> None:
    assert fallback_query([("_search", "财政预算 政府信息")]) is None
    assert fallback_query([("_search", "  ")]) is None
    assert fallback_query([("year", "2020")]) is None


# -- serving ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_stops_cleanly_and_writes_nothing_outside_its_folder(tmp_path: Path, sig: int) -> None:
    out, cwd, home, tmp = (tmp_path / name for name in ("out", "cwd", "home", "tmp"))
    for folder in (out, cwd, home, tmp):
        folder.mkdir()
    Store(out / "nianbao.db").close()
    server = start(
        ["--out", str(out), "--port", str(free_port())],
        cwd=cwd,
        env={"HOME": str(home), "TMPDIR": str(tmp)},
    )
    assert server.url.startswith("http://127.0.0.1:")
    assert "nianbao archive" in get(server.url)
    assert "0 rows" in get(
        server.reports_url + "?_search=" + "%E8%B4%A2%E6%94%BF%E9%A2%84%E7%AE%97"
    )
    assert get(server.url + "-/metadata.json")
    code, stderr = stop(server, sig)
    assert code == 0, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    assert [p for folder in (cwd, home, tmp) for p in folder.iterdir()] == []
    left = {p.name for p in out.iterdir()}
    assert left <= {"nianbao.db", "nianbao.db-wal", "nianbao.db-shm"}, left  # no .tmp, no file


@pytest.mark.crawl
def test_serves_the_metadata_it_is_given(served) -> None:
    import json

    server, _ = served
    assert json.loads(get(server.url + "-/metadata.json")) == metadata("nianbao")
    assert server.reports_url == server.url + "nianbao/reports"


@pytest.mark.crawl
def test_a_phrase_in_traditional_finds_the_report_printed_in_simplified(served) -> None:
    server, db = served
    to_traditional = converter("s2t").convert
    phrase, expected, unrelated = unique_phrase(db, lambda p: to_traditional(p) != p)
    page = get(server.reports_url + "?" + urlencode({"_search": to_traditional(phrase)}))
    assert expected.url in page and unrelated.url not in page


def _screenshot(browser, path: Path) -> None:
    before = browser.get_window_size()
    browser.set_window_size(*WINDOW)
    try:
        assert browser.save_screenshot(str(path))
    finally:
        browser.set_window_size(before["width"], before["height"])


def _row_ids(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    cells = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody td.col-id")
    return [cell.text for cell in cells]


def _facet_values(facet) -> list[str]:
    """A facet's values as shown: "LABEL COUNT", one a line."""
    from selenium.webdriver.common.by import By

    return [li.text for li in facet.find_elements(By.CSS_SELECTOR, "ul li")]


def _search(browser, url: str, words: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    box = browser.find_element(By.ID, "_search")
    box.clear()
    box.send_keys(words)
    box.submit()
    WebDriverWait(browser, 30).until(
        lambda d: d.current_url.split("?")[0] == url and "?" in d.current_url
    )


@pytest.mark.crawl
@pytest.mark.browser
def test_search_box_finds_a_report_by_a_phrase_of_its_text(served, browser, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    server, db = served
    phrase, expected, unrelated = unique_phrase(db)
    _search(browser, server.reports_url, phrase)
    assert "_search=" in browser.current_url
    assert _row_ids(browser) == [expected.id]
    page = browser.page_source
    assert expected.url in page and unrelated.url not in page
    assert browser.find_element(By.ID, "_search").get_attribute("value") == phrase
    year = browser.find_element(By.CSS_SELECTOR, ".facet-info[data-column='year']")
    assert _facet_values(year) == [f"{expected.year} 1"]
    _screenshot(browser, tmp_path / "search.png")
    shutil.copy(tmp_path / "search.png", SCREENSHOT)


@pytest.mark.crawl
@pytest.mark.browser
def test_reports_page_shows_year_facets_and_descriptions(served, browser) -> None:
    from selenium.webdriver.common.by import By

    server, db = served
    with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as c:
        years = dict(c.execute("select year, count(*) from reports group by year").fetchall())
    browser.get(server.reports_url)
    facet = browser.find_element(By.CSS_SELECTOR, ".facet-info[data-column='year']")
    shown = _facet_values(facet)
    assert sorted(shown) == sorted(f"{y if y is not None else '-'} {n}" for y, n in years.items())
    for column in ("agency", "region"):
        assert browser.find_elements(By.CSS_SELECTOR, f".facet-info[data-column='{column}']")
    terms = browser.find_elements(By.CSS_SELECTOR, "dl.column-descriptions dt")
    assert [t.text for t in terms] == list(TABLES["reports"])
    years_in_rows = [
        int(td.text) for td in browser.find_elements(By.CSS_SELECTOR, "td.col-year") if td.text
    ]
    assert years_in_rows == sorted(years_in_rows, reverse=True)  # newest first


@pytest.mark.crawl
@pytest.mark.browser
def test_a_two_character_search_falls_back_to_contains(served, browser, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    server, db = served
    expected = contains_count(db, "财政")  # typed by hand, in both scripts
    assert expected > 0
    _search(browser, server.reports_url, "財政")
    assert "text_simplified__contains=" in browser.current_url
    heading = browser.find_element(By.CSS_SELECTOR, ".content h3").text
    assert heading.startswith(f"{expected} row"), heading
    assert "財政" not in heading and "财政" in heading
    assert len(_row_ids(browser)) == expected
    _screenshot(browser, tmp_path / "short.png")
