"""The nianbao command line: help for every command, clear errors, the demo's footprint."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from nianbao.archive.store.database import Store
from nianbao.archive.store.summary import FetchFailures, common_errors, fetch_failures, summarize
from nianbao.crawler import cli
from nianbao.crawler.cli import main
from nianbao.crawler.run import CrawlResult
from nianbao.simweb import build_world

README = Path(__file__).parent.parent / "README.md"


def cli_options() -> dict[str, set[str]]:
    """Every command and its long options, from click's own objects."""
    return {
        name: {opt for param in command.params for opt in param.opts if opt.startswith("--")}
        for name, command in main.commands.items()
    }


def readme_options() -> dict[str, set[str]]:
    """Every command and option the README's Commands table names."""
    section = README.read_text(encoding="utf-8").split("## Commands", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {}
    for line in section.splitlines():
        cell = re.match(r"\| `nianbao (\w+)([^`]*)` \|", line)
        if cell:
            found[cell.group(1)] = set(re.findall(r"--[\w-]+", cell.group(2)))
    return found


def test_readme_commands_table_lists_every_command_and_option() -> None:
    assert readme_options() == cli_options()


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_help_shows_its_purpose_and_options(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=250)
    assert result.exit_code == 0
    purpose = (main.commands[command].help or "").splitlines()[0]
    assert purpose and purpose in result.output
    for option in cli_options()[command]:
        assert option in result.output


def test_crawl_without_readable_registry_says_how_to_fix(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["crawl", "--registry", str(tmp_path / "none.toml"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "cannot read registry" in result.output
    assert not (tmp_path / "out").exists()


def test_crawl_of_unknown_portal_names_the_known_ones(tmp_path: Path) -> None:
    registry = tmp_path / "r.toml"
    registry.write_text(build_world(seed=1, reports=1).registry_toml(), encoding="utf-8")
    result = CliRunner().invoke(main, ["crawl", "--registry", str(registry), "--portal", "nope"])
    assert result.exit_code == 1
    assert "unknown portal(s): nope" in result.output and "beijing" in result.output


def test_reindex_of_nothing_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["reindex", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "no WARC or ARC files" in result.output and ".arc.gz" in result.output


def test_stats_without_database_names_the_fix(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "nianbao crawl" in result.output


@pytest.mark.crawl
def test_demo_writes_only_its_output_folder_and_finds_every_report(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nianbao.crawler.cli",
            "demo",
            "--out",
            "demo-out",
            "--reports",
            "12",
            "--seed",
            "3",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-out"]
    out = tmp_path / "demo-out"
    assert sorted(p.name for p in out.iterdir()) == [
        ".nianbao.lock",  # one run at a time per folder (archive/lock.py)
        "audit",
        "crawl.log",
        "job",  # the crawl's state and done log, for resume (crawler/job.py)
        "nianbao.db",
        "portals.toml",
        "warc",
    ]
    truth = build_world(seed=3, reports=12)
    conn = sqlite3.connect(out / "nianbao.db")
    stored = {url for (url,) in conn.execute("select url from reports")}
    assert stored == {r.url for r in truth.reports}
    assert f"simulated web: {len(truth.reports)} reports" in done.stdout
    assert "pages/s" in done.stdout and "WARC bytes" in done.stdout


@pytest.mark.crawl
def test_tables_command_shows_cells_and_the_broken_identities(crawled) -> None:
    broken = next(r for r in crawled.world.reports if r.broken)
    done = run_cli_cols("tables", broken.url, "--db", str(crawled.db))
    assert done.returncode == 0, done.stderr
    assert f"Failed checks: {len(broken.broken)} of" in done.stdout
    for identity in broken.broken:
        assert identity in done.stdout
    shown = next(c for c in broken.tables if c.table == 3 and c.raw.strip())
    assert shown.row in done.stdout


@pytest.mark.crawl
def test_tables_command_for_unknown_report_says_how_to_list(crawled) -> None:
    done = run_cli_cols("tables", "http://nowhere.example/x.html", "--db", str(crawled.db))
    assert done.returncode == 1
    assert "no report with id or URL" in done.stderr


def run_cli_cols(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with a wide terminal, so tables are not folded."""
    return subprocess.run(
        [sys.executable, "-m", "nianbao.crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )


DNS_ERROR = "CannotResolveHostError: DNS lookup failed: no results for zwgk.mwr.gov.cn."
TIMEOUT_ERROR = "TimeoutError: took longer than 180 s"


def _errors_db(path: Path) -> Path:
    """Two crawls' captures: the first failed DNS three times and had one 500, the second one
    timeout."""
    db = path / "nianbao.db"
    failures = [("c1", DNS_ERROR)] * 3 + [("c1", TIMEOUT_ERROR), ("c2", TIMEOUT_ERROR)]
    with Store(db) as store:
        for i, (crawl, message) in enumerate(failures):
            store.put_capture(
                {
                    "id": f"cap{i}",
                    "record_type": "metadata",
                    "crawl_id": crawl,
                    "url": f"http://zwgk.mwr.gov.cn/{i}",
                }
            )
            store.put_error(
                {
                    "id": f"e{i}",
                    "url": f"http://zwgk.mwr.gov.cn/{i}",
                    "capture_id": f"cap{i}",
                    "stage": "fetch",
                    "message": message,
                }
            )
    return db


def test_common_errors_count_messages_most_first_and_per_crawl(tmp_path: Path) -> None:
    db = _errors_db(tmp_path)
    dns, timeout = DNS_ERROR, TIMEOUT_ERROR
    assert summarize(db).common_errors == (("fetch", dns, 3), ("fetch", timeout, 2))
    assert common_errors(db, "c1") == (("fetch", dns, 3), ("fetch", timeout, 1))
    assert common_errors(db, "c2") == (("fetch", timeout, 1),)
    assert common_errors(db, "c1", top=1) == (("fetch", dns, 3),)


def test_stats_shows_the_most_common_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _errors_db(tmp_path)
    monkeypatch.setattr(cli, "console", Console(width=250))  # made at import: fix its width
    result = CliRunner().invoke(main, ["stats", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Most common errors" in result.output
    line = next(x for x in result.output.splitlines() if "CannotResolveHostError" in x)
    assert "3" in line.split("CannotResolveHostError")[0]


def test_crawl_summary_names_reports_and_common_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_crawl(config: object, progress: object = None) -> CrawlResult:
        return CrawlResult(
            crawl_id="c1",
            db_path=tmp_path / "nianbao.db",
            warc_files=(),
            pages=4,
            warc_bytes=10,
            reports=2,
            fetch_errors=3,
            blocked=(),
            seconds=1.0,
            stats={},
            common_errors=(("fetch", "DNS lookup failed: x.gov.cn", 3),),
            failures=FetchFailures(1, ((404, 2),)),
        )

    monkeypatch.setattr(cli, "crawl", fake_crawl)
    # the console is made at import: its width must not depend on which test ran before
    monkeypatch.setattr(cli, "console", Console(width=250))
    result = CliRunner().invoke(main, ["crawl", "--portal", "mct", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (
        "2 reports, 1 URL failed to fetch, 2 pages answered only 4xx/5xx (404 ×2)" in result.output
    )
    assert "fetch ×3: DNS lookup failed: x.gov.cn" in result.output


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The command failed with exit 1 and exactly one ``Error:`` line, no traceback."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


@pytest.fixture()
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder, not a database\n", encoding="utf-8")
    return path


@pytest.fixture()
def small_db(tmp_path: Path) -> Path:
    """A nianbao database with two reports whose ids share their first character."""
    db = tmp_path / "db" / "nianbao.db"
    db.parent.mkdir()
    with Store(db) as store:
        for rid, year, agency in (
            ("a1f0", 2023, "北京市商务局"),
            ("a2e0", 2024, "北京市水务局"),
            ("b300", 2024, "北京市商务局"),
        ):
            store.db.execute(
                "insert into reports (id, url, title, agency, year) values (?, ?, ?, ?, ?)",
                [
                    rid,
                    f"http://www.beijing.gov.cn/{rid}.html",
                    f"{agency}{year}年报告",
                    agency,
                    year,
                ],
            )
            store.db.conn.commit()
    return db


@pytest.mark.parametrize(
    "args, says",
    [
        (["stats", "--db", "{file}"], "is not an SQLite database"),
        (["stats", "--db", "{tmp}"], "is a folder"),
        (["tables", "x", "--db", "{tmp}"], "is a folder"),
        (["reports", "--db", "{file}"], "is not an SQLite database"),
        (["reindex", "{tmp}/w.warc.gz", "--db", "{tmp}"], "is a folder"),
        (["audit", "--db", "{db}", "--out", "{file}"], "lies below a file"),
        (["demo", "--out", "{file}"], "is a file"),
        (["crawl", "--registry", "{registry}", "--out", "{file}"], "is a file"),
    ],
)
def test_a_path_that_cannot_be_used_is_one_line(
    args: list[str], says: str, tmp_path: Path, a_file: Path, small_db: Path
) -> None:
    registry = tmp_path / "r.toml"
    registry.write_text(build_world(seed=1, reports=1).registry_toml(), encoding="utf-8")
    (tmp_path / "w.warc.gz").write_bytes(b"")
    names = {
        "file": str(a_file),
        "tmp": str(tmp_path),
        "db": str(small_db),
        "registry": str(registry),
    }
    done = run_cli_cols(*(arg.format(**names) for arg in args))
    assert says in one_error_line(done)


def test_failed_audit_adds_no_audit_run(small_db: Path, a_file: Path) -> None:
    one_error_line(run_cli_cols("audit", "--db", str(small_db), "--out", str(a_file)))
    assert sqlite3.connect(small_db).execute("select count(*) from audit_runs").fetchone() == (0,)


def test_reindex_into_a_folder_fails_before_work_and_leaves_nothing(tmp_path: Path) -> None:
    warc = tmp_path / "x.warc.gz"
    warc.write_bytes(b"")
    target = tmp_path / "dbdir"
    target.mkdir()
    assert "is a folder" in one_error_line(run_cli_cols("reindex", str(warc), "--db", str(target)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dbdir", "x.warc.gz"]


def test_a_failing_reindex_removes_its_half_built_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module(
        "nianbao.archive.ingest.reindex"
    )  # the package exports the function

    def broken(*args: object) -> None:
        raise RuntimeError("completion failed")

    monkeypatch.setattr(module, "complete", broken)
    with pytest.raises(RuntimeError):
        module.reindex([], tmp_path / "nianbao.db")
    assert [p.name for p in tmp_path.iterdir()] == [".nianbao.lock"]  # it names the last run


def test_reindex_of_a_file_that_is_not_a_warc_says_why_and_exits_1(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_text("junk\n", encoding="utf-8")
    done = run_cli_cols("reindex", str(junk), "--db", str(tmp_path / "n.db"))
    assert "could not be read" in one_error_line(done)
    assert "junk.warc.gz at byte 0" in done.stdout


def test_tables_takes_a_unique_id_prefix_and_refuses_an_ambiguous_one(small_db: Path) -> None:
    from nianbao.archive.store.query import Ambiguous, report_tables

    assert report_tables(small_db, "b3").report_id == "b300"
    with pytest.raises(Ambiguous) as ambiguous:
        report_tables(small_db, "a")
    assert ambiguous.value.matches == 2
    line = one_error_line(run_cli_cols("tables", "a", "--db", str(small_db)))
    assert "2 reports have ids starting with a" in line and "nianbao reports" in line
    assert "reports" in CliRunner().invoke(main, ["tables", "--help"]).output


def test_reports_lists_and_filters_by_year_and_agency(small_db: Path) -> None:
    done = run_cli_cols(
        "reports", "--db", str(small_db), "--year", "2024", "--agency", "商务", "--json"
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows == [
        {
            "id": "b300",
            "title": "北京市商务局2024年报告",
            "agency": "北京市商务局",
            "year": 2024,
            "url": "http://www.beijing.gov.cn/b300.html",
            "source_format": "html",
            "page_url": None,
        }
    ]
    table = run_cli_cols("reports", "--db", str(small_db))
    assert table.returncode == 0 and all(rid in table.stdout for rid in ("a1f0", "a2e0", "b300"))


def test_reports_agency_matches_either_script(tmp_path: Path) -> None:
    from nianbao.archive.store.query import list_reports

    db = tmp_path / "nianbao.db"
    with Store(db) as store:
        for rid, agency, key in (
            ("t1", "北京市商務局", "北京市商务局"),  # printed in Traditional
            ("s1", "北京市商务局", "北京市商务局"),
            ("w1", "北京市水務局", "北京市水务局"),
        ):
            store.db.execute(
                "insert into reports (id, url, agency, agency_simplified) values (?, ?, ?, ?)",
                [rid, f"http://www.beijing.gov.cn/{rid}.html", agency, key],
            )
        store.db.conn.commit()
    for query in ("商務局", "商务局"):
        assert sorted(r.id for r in list_reports(db, agency=query)) == ["s1", "t1"], query


def test_fetch_failures_count_urls_not_attempts(tmp_path: Path) -> None:
    db = tmp_path / "nianbao.db"
    dns = "http://zwgk.mwr.gov.cn/"
    with Store(db) as store:
        for i in range(3):  # one URL, its DNS lookup failed on each of 3 attempts
            store.put_capture(
                {"id": f"m{i}", "record_type": "metadata", "crawl_id": "c1", "url": dns}
            )
            store.put_error(
                {
                    "id": f"e{i}",
                    "url": dns,
                    "capture_id": f"m{i}",
                    "stage": "fetch",
                    "message": f"{DNS_ERROR} attempt {i}",
                }
            )
        answers = [("c1", "http://a.gov.cn/500", 500)] * 3 + [
            ("c1", "http://a.gov.cn/ok", 503),
            ("c1", "http://a.gov.cn/ok", 200),
            ("c1", "http://a.gov.cn/gone", 404),
            ("c2", "http://a.gov.cn/500", 500),
        ]
        for i, (crawl, url, status) in enumerate(answers):
            store.put_capture(
                {
                    "id": f"r{i}",
                    "record_type": "response",
                    "crawl_id": crawl,
                    "url": url,
                    "status": status,
                }
            )
    assert fetch_failures(db, "c1") == FetchFailures(1, ((404, 1), (500, 1)))
    assert fetch_failures(db, "c2") == FetchFailures(0, ((500, 1),))
    assert summarize(db).failures == FetchFailures(1, ((404, 1), (500, 1)))


# Mounts ``$1`` read-only over itself, then runs the rest: only inside a private mount
# namespace, so the host never sees it. EROFS stops root too (root ignores mode bits).
_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def run_read_only(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``folder`` read-only for it (unshare -m; -rm when not root)."""
    folder.mkdir(parents=True, exist_ok=True)
    namespace = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    return subprocess.run(
        [*namespace, "sh", "-c", _READ_ONLY, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )


def cli_read_only(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``nianbao ARGS`` with ``folder`` read-only."""
    return run_read_only(folder, sys.executable, "-m", "nianbao.crawler.cli", *args)


def test_writable_folder_refuses_a_path_below_a_file(a_file: Path) -> None:
    from nianbao.archive.places import NotAFolder, writable_folder

    with pytest.raises(NotAFolder, match="lies below a file"):
        writable_folder(a_file / "out")


def test_writable_folder_refuses_a_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    check = (
        "from pathlib import Path; from nianbao.archive.places import writable_folder; "
        f"writable_folder(Path({str(ro / 'out')!r}))"
    )
    done = run_read_only(ro, sys.executable, "-c", check)
    assert done.returncode == 1 and "FolderNotWritable: cannot write in" in done.stderr, done.stderr
    assert not (ro / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--out", "{ro}"],
        ["crawl", "--registry", "{registry}", "--out", "{ro}"],
        ["audit", "--db", "{db}", "--out", "{ro}"],
        ["reindex", "{warc}", "--db", "{ro}/nianbao.db"],
    ],
)
def test_a_read_only_output_folder_is_one_line(
    args: list[str], tmp_path: Path, small_db: Path
) -> None:
    registry = tmp_path / "r.toml"
    registry.write_text(build_world(seed=1, reports=1).registry_toml(), encoding="utf-8")
    (tmp_path / "w.warc.gz").write_bytes(b"")
    ro = tmp_path / "ro"
    names = {
        "ro": str(ro),
        "registry": str(registry),
        "db": str(small_db),
        "warc": str(tmp_path / "w.warc.gz"),
    }
    done = cli_read_only(ro, *(arg.format(**names) for arg in args))
    assert "cannot write in" in one_error_line(done)
    assert sqlite3.connect(small_db).execute("select count(*) from audit_runs").fetchone() == (0,)


def test_reading_commands_work_on_a_database_in_a_read_only_folder(small_db: Path) -> None:
    ro = small_db.parent
    stats = cli_read_only(ro, "stats", "--db", str(small_db))
    assert stats.returncode == 0, stats.stderr
    assert "3 reports" in stats.stdout
    reports = cli_read_only(ro, "reports", "--db", str(small_db), "--json")
    assert reports.returncode == 0 and len(reports.stdout.splitlines()) == 3, reports.stderr
    tables = cli_read_only(ro, "tables", "b3", "--db", str(small_db))
    assert tables.returncode == 0 and "b300" in tables.stdout, tables.stderr
    audit = one_error_line(cli_read_only(ro, "audit", "--db", str(small_db)))
    assert "-wal/-shm" in audit and "copy the database" in audit


def test_simweb_serves_until_interrupted(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nianbao.crawler.cli",
            "simweb",
            "--reports",
            "1",
            "--registry-out",
            str(tmp_path / "portals.toml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # narrow, as a pipe or a small terminal: the lines a user copies must stay whole
        env={**os.environ, "COLUMNS": "40", "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        proxy = re.search(r"proxy (http://127\.0\.0\.1:\d+)", first)
        assert proxy, first + server.stderr.read() if server.stderr else first
        hint = server.stdout.readline()
        registry = tmp_path / "portals.toml"
        assert f"--registry {registry} --proxy {proxy[1]} --loopback" in hint, hint
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy[1]}))
        with opener.open("http://www.beijing.gov.cn/", timeout=60) as page:
            assert page.status == 200 and len(page.read()) > 0
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, err
    assert "Traceback" not in err and "simulated web stopped" in out
    assert "[[portal]]" in (tmp_path / "portals.toml").read_text(encoding="utf-8")


@pytest.mark.crawl
def test_a_crawl_that_fetched_nothing_exits_1_saying_why(tmp_path: Path) -> None:
    registry = tmp_path / "r.toml"
    registry.write_text(build_world(seed=1, reports=1).registry_toml(), encoding="utf-8")
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    done = run_cli_cols(
        "crawl",
        "--registry",
        str(registry),
        "--portal",
        "beijing",
        "--out",
        str(tmp_path / "out"),
        "--proxy",
        f"http://127.0.0.1:{closed}",
        "--loopback",
    )
    assert "the crawl fetched nothing" in one_error_line(done)
    assert " 0 pages in " in done.stdout


@pytest.mark.crawl
def test_every_command_runs_for_real_on_a_crawl(crawled, tmp_path: Path) -> None:
    assert "pages/s" in crawled.stdout  # `crawl` itself ran in the crawled fixture
    assert " 0 URLs failed to fetch" in crawled.stdout
    db = tmp_path / "copy" / "nianbao.db"
    db.parent.mkdir()
    shutil.copy(crawled.db, db)  # audit writes its tables: never into the shared crawl
    reindexed = run_cli_cols("reindex", *map(str, crawled.warcs), "--db", str(tmp_path / "r.db"))
    assert reindexed.returncode == 0, reindexed.stderr
    stored = len(crawled.world.reports)
    assert f"{stored} reports" in reindexed.stdout
    stats = run_cli_cols("stats", "--db", str(db))
    assert stats.returncode == 0 and f"{stored} reports" in stats.stdout, stats.stderr
    listed = run_cli_cols("reports", "--db", str(db), "--json")
    urls = {json.loads(line)["url"] for line in listed.stdout.splitlines()}
    assert urls == {r.url for r in crawled.world.reports}
    audit = run_cli_cols("audit", "--db", str(db), "--out", str(tmp_path / "a"))
    assert audit.returncode == 0, audit.stderr
    assert (tmp_path / "a" / "audit" / "index.html").is_file()
    portals = run_cli_cols("portals", "--registry", str(crawled.registry))
    assert portals.returncode == 0 and "beijing" in portals.stdout, portals.stderr
