"""Shared fixtures: one simulated web, crawled once per test session through the CLI."""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from fastwarc.cli import main as fastwarc_main
from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import report_rows
from nianbao.archive.warc.reader import sha1_digest
from nianbao.extract import extract_report
from nianbao.extract.report import Report
from nianbao.simweb import SimServer, World, build_world


@dataclass(frozen=True)
class Crawled:
    """A finished crawl of the simulated web: its truth, what the server saw, the output."""

    world: World
    requests: tuple[tuple[str, str], ...]
    out: Path
    registry: Path
    stdout: str = ""

    @property
    def db(self) -> Path:
        return self.out / "nianbao.db"

    @property
    def warcs(self) -> list[Path]:
        return sorted((self.out / "warc").glob("*.warc.gz"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``nianbao`` in a child process (Twisted's reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "nianbao.crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "COLUMNS": "250"},  # rich would fold lines at 80 columns
    )


def store_page(
    store: Store, url: str, headers: dict[str, str], body: bytes, capture_id: str, date: str
) -> Report:
    """Extract a page and store its capture and report rows as ingest would, WARC-free."""
    report = extract_report(url, headers, body)
    store.put_capture(
        {
            "id": capture_id,
            "record_type": "response",
            "url": url,
            "host": url.split("/")[2],
            "date": date,
            "status": 200,
        }
    )
    rows = report_rows(url, capture_id, sha1_digest(body), report)
    store.put_report(rows.report, rows.children, date)
    return report


def crawl_world(
    world: World, out: Path, *, registry_toml: str | None = None, prefix: str = "test"
) -> Crawled:
    """Serve ``world`` on loopback and crawl its portals (or ``registry_toml``'s) into ``out``."""
    registry = out / "portals.toml"
    out.mkdir(parents=True, exist_ok=True)
    registry.write_text(registry_toml or world.registry_toml(), encoding="utf-8")
    with SimServer(world) as server:
        done = run_cli(
            "crawl",
            "--registry",
            str(registry),
            "--out",
            str(out),
            "--proxy",
            server.proxy_url,
            "--loopback",
            "--prefix",
            prefix,
        )
        requests = tuple(server.requests)
    assert done.returncode == 0, done.stderr[-3000:]
    return Crawled(world, requests, out, registry, done.stdout)


# What a test must be marked with, so that `pytest -m "not slow and not crawl and not browser"`
# starts neither a crawl nor Chromium: by fixture name, and by what its code (or a fixture's,
# or a function of their module that they call) runs.
FIXTURE_MARKERS = {"browser": "browser", "crawled": "crawl"}
CRAWL_CALL = re.compile(
    r'run_cli\w*\(\s*"(crawl|demo)"|"crawler\.cli",\s*"(crawl|demo)"'
    r"|\b(crawl_world|run_demo)\(|\bcrawl\(CrawlConfig"
)
TESTS = Path(__file__).parent


def _own_sources(func: Callable[..., object]) -> Iterator[str]:
    """Source of ``func`` and of the functions of its own module it names, if under tests/."""
    named = [func.__globals__.get(n) for n in func.__code__.co_names]
    for f in (func, *(g for g in named if inspect.isfunction(g))):
        source_file = inspect.getsourcefile(f)
        if source_file and Path(source_file).is_relative_to(TESTS):
            yield inspect.getsource(f)


def needed_markers(item: pytest.Item) -> set[str]:
    """The markers ``item`` must carry, from its fixtures and from what its code runs."""
    names = set(getattr(item, "fixturenames", ()))
    needed = {marker for fixture, marker in FIXTURE_MARKERS.items() if fixture in names}
    info = getattr(item, "_fixtureinfo", None)
    funcs = [getattr(item, "function", None)] + [
        d.func for defs in (info.name2fixturedefs.values() if info else ()) for d in defs
    ]
    if any(
        CRAWL_CALL.search(src) for f in funcs if inspect.isfunction(f) for src in _own_sources(f)
    ):
        needed.add("crawl")
    return needed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    lacking = []
    for item in items:
        missing = needed_markers(item) - {m.name for m in item.iter_markers()}
        if missing:
            marks = ", ".join(f"@pytest.mark.{name}" for name in sorted(missing))
            lacking.append(f"  {item.nodeid}: {marks}")
    if lacking:
        raise pytest.UsageError(
            "tests that crawl or drive Chromium must say so (the fast run "
            "deselects them by marker); add:\n" + "\n".join(lacking)
        )


@pytest.fixture(scope="session")
def world() -> World:
    return build_world(seed=7, reports=40)


@pytest.fixture(scope="session")
def crawled(world: World, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawl_world(world, tmp_path_factory.mktemp("crawl"))


def chinese_fonts() -> set[str]:
    """Family names of the installed fonts that cover Chinese, as fontconfig lists them."""
    if shutil.which("fc-list") is None:
        return set()
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name}


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            f"{CHROMIUM} and {CHROMEDRIVER} are needed: run `sh tests/run` (it "
            "installs Debian's chromium and chromium-driver)"
        )
    if not chinese_fonts():
        pytest.fail(
            "no font with Chinese glyphs (`fc-list :lang=zh` lists none), so Chromium "
            "would draw the audit page's Chinese as boxes: run `sh tests/run` (it "
            "installs Debian's fonts-noto-cjk)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


# -- every WARC nianbao writes in a test passes warcio's and FastWARC's checks (issue 12) -------
# After each test that used tmp_path (itself or through a fixture), and once per session for the
# crawled fixture's archive: the *.warc.gz and *.warc files whose first record is nianbao's
# warcinfo (`software: nianbao/…`) go through `warcio check` and `fastwarc check -p`, both run
# in-process. Foreign and hand-broken WARCs do not start with that record and are left alone; a
# test that corrupts a nianbao WARC on purpose says so with @pytest.mark.broken_warc.

_CHECKED_ONCE: set[Path] = set()  # session archives already checked (per xdist worker)
# what reading a broken archive raises in warcio and FastWARC
READ_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, OSError)


def nianbao_wrote(path: Path) -> bool:
    """Whether the first record of ``path`` is a warcinfo naming nianbao as its software."""
    try:
        with path.open("rb") as stream:
            record = next(iter(ArchiveIterator(stream)), None)
            if record is None or record.rec_type != "warcinfo":
                return False
            block = record.content_stream().read(65536)
    except READ_ERRORS:  # not even a first record parses: nothing nianbao wrote
        return False
    fields = (line.partition(b":") for line in block.splitlines())
    return any(
        name.strip().lower() == b"software" and value.strip().startswith(b"nianbao/")
        for name, _, value in fields
    )


def nianbao_warcs(root: Path) -> list[Path]:
    """The WARC files under ``root`` that nianbao wrote, sorted."""
    found = {p for pattern in ("*.warc.gz", "*.warc") for p in root.rglob(pattern) if p.is_file()}
    return sorted(p for p in found if nianbao_wrote(p))


def warcio_check(path: Path) -> str | None:
    """What `warcio check -v FILE` reports as failing, or None when it passes."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            code = Checker(SimpleNamespace(inputs=[str(path)], verbose=False)).process_all()
    except READ_ERRORS as error:  # the command would die with this traceback, exit 1
        return f"warcio check raised {error!r} after:\n{printed.getvalue()}"
    return None if code == 0 else printed.getvalue().rstrip()


def fastwarc_check(path: Path) -> str | None:
    """What `fastwarc check -p FILE` (block and payload digests) fails on, or None."""
    with tempfile.TemporaryDirectory() as scratch:
        details = Path(scratch) / "details.txt"
        try:
            code = fastwarc_main.main(
                ["check", "--verify-payloads", "--quiet", "--output", str(details), str(path)],
                standalone_mode=False,
            )
        except (click.ClickException, *READ_ERRORS) as error:
            return f"fastwarc check -p raised {error!r}"
        lines = details.read_text(encoding="utf-8").splitlines() if details.exists() else []
    if not code:
        return None
    failed = [line for line in lines if "FAIL" in line]  # "<record id>: OK, PAYLOAD_FAIL"
    return f"exit {code}; failed records:\n" + "\n".join(f"  {line}" for line in failed)


def warc_problems(path: Path) -> list[str]:
    """Each checker's complaint about ``path``, named by file and checker; [] when it passes."""
    checks = (("warcio check", warcio_check), ("fastwarc check -p", fastwarc_check))
    return [f"{path}: {name}: {found}" for name, check in checks if (found := check(path))]


@pytest.fixture(autouse=True)
def _nianbao_warcs_pass_checks(request: pytest.FixtureRequest) -> Iterator[None]:
    names = request.fixturenames
    tmp = request.getfixturevalue("tmp_path") if "tmp_path" in names else None
    session_out = request.getfixturevalue("crawled").out if "crawled" in names else None
    yield
    if request.node.get_closest_marker("broken_warc") is not None:
        return
    paths = nianbao_warcs(tmp) if tmp is not None else []
    if session_out is not None and session_out not in _CHECKED_ONCE:
        _CHECKED_ONCE.add(session_out)
        paths += nianbao_warcs(session_out)
    problems = [problem for path in paths for problem in warc_problems(path)]
    if problems:
        pytest.fail(
            "a WARC nianbao wrote fails warcio's or FastWARC's check (a test that breaks one "
            "on purpose: @pytest.mark.broken_warc):\n" + "\n".join(problems),
            pytrace=False,
        )
