"""The nianbao command line: help for every command, clear errors, the demo's footprint."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
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
