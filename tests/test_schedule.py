"""Scheduled runs: `nianbao crawl --config FILE`, and one run at a time per output folder."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nianbao.archive.lock import LOCK_NAME, FolderInUse, folder_lock, holder
from nianbao.crawler.config_file import BadConfig, read_crawl_file
from nianbao.simweb import SimServer, build_world
from nianbao.simweb.agencies import DAXING
from tests.conftest import run_cli
from tests.test_archive_support import exchange, writer


def test_config_file_paths_are_read_beside_the_file_and_lists_take_one_string(tmp_path):
    folder = tmp_path / "etc"
    folder.mkdir()
    config = folder / "crawl.toml"
    config.write_text(
        'out = "data"\nregistry = "/srv/portals.toml"\nregion = "yunnan"\n'
        'portal = ["a", "b"]\nmax-pages = 5\n[settings]\nDOWNLOAD_DELAY = 2.5\n',
        encoding="utf-8",
    )
    found = read_crawl_file(config)
    assert found.options == {
        "out": folder.resolve() / "data",  # not the folder cron happens to start in
        "registry_path": Path("/srv/portals.toml"),
        "regions": ("yunnan",),
        "portal_names": ("a", "b"),
        "max_pages": 5,
    }
    assert found.settings == {"DOWNLOAD_DELAY": 2.5}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("outt = 'x'\n", "unknown key 'outt'"),
        ("max-pages = true\n", "max-pages must be a whole number"),
        ("region = [1]\n", "region must be a string or a list of strings"),
        ("out = \n", "is not valid TOML"),
        ("settings = 3\n", "[settings] must be a table"),
    ],
)
def test_a_bad_config_file_is_named_with_what_to_fix(tmp_path, text, said):
    config = tmp_path / "crawl.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(BadConfig, match=re.escape(said)):
        read_crawl_file(config)


@pytest.mark.crawl
def test_a_bad_config_file_is_one_line_and_a_non_zero_exit(tmp_path):
    config = tmp_path / "crawl.toml"
    config.write_text("outt = 'x'\n", encoding="utf-8")
    done = run_cli("crawl", "--config", str(config))
    assert done.returncode != 0
    assert "unknown key 'outt'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.crawl
def test_a_crawl_runs_from_its_config_file_and_the_command_line_wins(tmp_path):
    world = build_world(seed=3, reports=2, spam=False, families=False)
    registry = tmp_path / "portals.toml"
    registry.write_text(world.registry_toml(), encoding="utf-8")
    with SimServer(world) as server:
        config = tmp_path / "crawl.toml"
        config.write_text(
            f'out = "out"\nregistry = "portals.toml"\nportal = "daxing"\nproxy = '
            f'"{server.proxy_url}"\nloopback = true\nprefix = "from-file"\n'
            "[settings]\nCLOSESPIDER_PAGECOUNT = 1000\n",
            encoding="utf-8",
        )
        done = subprocess.run(
            [sys.executable, "-m", "nianbao.crawler.cli", "crawl", "--config", str(config)]
            + ["--prefix", "from-cli"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd="/",  # as cron starts it: nowhere near the config file
        )
        hosts = {url.split("/")[2] for _, url in server.requests}
    assert done.returncode == 0, done.stderr[-2000:]
    warcs = sorted((tmp_path / "out" / "warc").glob("*.warc.gz"))
    assert warcs and all(w.name.startswith("from-cli-") for w in warcs)
    assert hosts == {DAXING}  # the file's portal filter held


def some_warc(folder: Path) -> Path:
    w = writer(folder / "in", "x")
    w.write_exchange(exchange("http://www.beijing.gov.cn/", b"<html></html>"))
    w.close()
    return w.paths[0]


@pytest.mark.crawl
def test_a_second_run_on_a_held_folder_names_the_holder_and_exits_non_zero(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    registry = tmp_path / "portals.toml"
    registry.write_text(build_world(seed=3, reports=1).registry_toml(), encoding="utf-8")
    # were the lock not held, this crawl would only reach a closed port on loopback
    closed = ("--registry", str(registry), "--proxy", "http://127.0.0.1:9", "--loopback")
    with folder_lock(out, "crawl"):
        crawl = run_cli("crawl", "--out", str(out), *closed)
        reindex = run_cli("reindex", "--db", str(out / "nianbao.db"), str(some_warc(tmp_path)))
    for done in (crawl, reindex):
        assert done.returncode != 0
        assert f"pid {os.getpid()}" in done.stderr and "`nianbao crawl`" in done.stderr
        assert "another --out" in done.stderr and "Traceback" not in done.stderr
    assert not (out / "warc").exists()  # refused before anything was made


def test_the_lock_dies_with_its_holder_even_under_kill_9(tmp_path):
    holding = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from nianbao.archive.lock import folder_lock\n"
            "with folder_lock(sys.argv[1], 'crawl'):\n"
            "    print('held', flush=True); time.sleep(600)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holding.stdout is not None and holding.stdout.readline() == "held\n"
    with pytest.raises(FolderInUse, match=f"pid {holding.pid}"):
        with folder_lock(tmp_path, "reindex"):
            pass
    holding.send_signal(signal.SIGKILL)
    holding.wait(timeout=30)
    time.sleep(0.1)
    with folder_lock(tmp_path, "reindex"):  # no stale lock to remove by hand
        assert holder(tmp_path)["command"] == "reindex"
    assert (tmp_path / LOCK_NAME).exists()
