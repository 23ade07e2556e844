"""The nianbao command line: help for every command, clear errors, the demo's footprint."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Store
from archive.summary import common_errors, summarize
from crawler import cli
from crawler.cli import main
from crawler.run import CrawlResult
from simweb import build_world

COMMANDS = ("crawl", "reindex", "demo", "stats", "simweb", "tables", "audit")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and command in result.output


def test_crawl_without_readable_registry_says_how_to_fix(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["crawl", "--registry", str(tmp_path / "none.toml"),
                                       "--out", str(tmp_path / "out")])
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
    assert "no .warc.gz files" in result.output


def test_stats_without_database_names_the_fix(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "nianbao crawl" in result.output


def test_demo_writes_only_its_output_folder_and_finds_every_report(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "demo", "--out", "demo-out", "--reports", "12",
         "--seed", "3"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-out"]
    out = tmp_path / "demo-out"
    assert sorted(p.name for p in out.iterdir()) == [
        "audit", "crawl.log", "nianbao.db", "portals.toml", "warc"]
    truth = build_world(seed=3, reports=12)
    conn = sqlite3.connect(out / "nianbao.db")
    stored = {url for (url,) in conn.execute("select url from reports")}
    assert stored == {r.url for r in truth.reports}
    assert f"simulated web: {len(truth.reports)} reports" in done.stdout
    assert "pages/s" in done.stdout and "WARC bytes" in done.stdout


def test_tables_command_shows_cells_and_the_broken_identities(crawled) -> None:
    broken = next(r for r in crawled.world.reports if r.broken)
    done = run_cli_cols("tables", broken.url, "--db", str(crawled.db))
    assert done.returncode == 0, done.stderr
    assert f"Failed checks: {len(broken.broken)} of" in done.stdout
    for identity in broken.broken:
        assert identity in done.stdout
    shown = next(c for c in broken.tables if c.table == 3 and c.raw.strip())
    assert shown.row in done.stdout


def test_tables_command_for_unknown_report_says_how_to_list(crawled) -> None:
    done = run_cli_cols("tables", "http://nowhere.example/x.html", "--db", str(crawled.db))
    assert done.returncode == 1
    assert "no report with id or URL" in done.stderr


def run_cli_cols(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with a wide terminal, so tables are not folded."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, "COLUMNS": "250"})


DNS_ERROR = "CannotResolveHostError: DNS lookup failed: no results for zwgk.mwr.gov.cn."
TIMEOUT_ERROR = "TimeoutError: took longer than 180 s"


def _errors_db(path: Path) -> Path:
    """Two crawls' captures: the first failed DNS three times and had one 500, the second one
    timeout."""
    db = path / "nianbao.db"
    failures = [("c1", DNS_ERROR)] * 3 + [("c1", TIMEOUT_ERROR), ("c2", TIMEOUT_ERROR)]
    with Store(db) as store:
        for i, (crawl, message) in enumerate(failures):
            store.put_capture({"id": f"cap{i}", "record_type": "metadata", "crawl_id": crawl,
                               "url": f"http://zwgk.mwr.gov.cn/{i}"})
            store.put_error({"id": f"e{i}", "url": f"http://zwgk.mwr.gov.cn/{i}",
                             "capture_id": f"cap{i}", "stage": "fetch", "message": message})
    return db


def test_common_errors_count_messages_most_first_and_per_crawl(tmp_path: Path) -> None:
    db = _errors_db(tmp_path)
    dns, timeout = DNS_ERROR, TIMEOUT_ERROR
    assert summarize(db).common_errors == (("fetch", dns, 3), ("fetch", timeout, 2))
    assert common_errors(db, "c1") == (("fetch", dns, 3), ("fetch", timeout, 1))
    assert common_errors(db, "c2") == (("fetch", timeout, 1),)
    assert common_errors(db, "c1", top=1) == (("fetch", dns, 3),)


def test_stats_shows_the_most_common_errors(tmp_path: Path) -> None:
    db = _errors_db(tmp_path)
    result = CliRunner().invoke(main, ["stats", "--db", str(db)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Most common errors" in result.output
    line = next(x for x in result.output.splitlines() if "CannotResolveHostError" in x)
    assert "3" in line.split("CannotResolveHostError")[0]


def test_crawl_summary_names_reports_and_common_errors(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_crawl(config: object, progress: object = None) -> CrawlResult:
        return CrawlResult(crawl_id="c1", db_path=tmp_path / "nianbao.db", warc_files=(),
                           pages=4, warc_bytes=10, reports=2, fetch_errors=3, blocked=(),
                           seconds=1.0, stats={},
                           common_errors=(("fetch", "DNS lookup failed: x.gov.cn", 3),))

    monkeypatch.setattr(cli, "crawl", fake_crawl)
    result = CliRunner().invoke(main, ["crawl", "--portal", "mct", "--out", str(tmp_path)],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "2 reports, 3 fetch errors" in result.output
    assert "fetch ×3: DNS lookup failed: x.gov.cn" in result.output
