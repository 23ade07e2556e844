"""The simulated web between crawl runs: seeded changes with truth, validators and 304s."""

from __future__ import annotations

import datetime
import email.utils
import gzip
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from nianbao.extract import extract_report
from nianbao.simweb import HOST_VALIDATORS, ChangingWorld, SimServer, World, build_world
from nianbao.simweb.agencies import CHAOYANG, CSGLW, DAXING, MENTOUGOU, SW, WWW
from nianbao.simweb.changes import EDIT_SHARE, REMOVE_SHARE, changeable
from nianbao.simweb.conditional import etag_of
from nianbao.simweb.truth import identity_failures

SEED, REPORTS = 0, 60
HREF = re.compile(r'(?:href|src)="([^"]+)"')
PAGER = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')


@pytest.fixture(scope="module")
def plain() -> ChangingWorld:
    return build_world(seed=SEED, reports=REPORTS)


@pytest.fixture(scope="module")
def run0() -> ChangingWorld:
    return build_world(seed=SEED, reports=REPORTS, run=0)


@pytest.fixture(scope="module")
def run1() -> ChangingWorld:
    return build_world(seed=SEED, reports=REPORTS, run=1)


@pytest.fixture(scope="module")
def run2() -> ChangingWorld:
    return build_world(seed=SEED, reports=REPORTS, run=2)


@pytest.fixture(scope="module")
def server0(run0: ChangingWorld) -> Iterator[SimServer]:
    with SimServer(run0, delay_scale=0.01) as running:
        yield running


@pytest.fixture(scope="module")
def server1(run1: ChangingWorld) -> Iterator[SimServer]:
    with SimServer(run1, delay_scale=0.01) as running:
        yield running


def all_urls(*worlds: World) -> list[str]:
    """Every page spec, report and family listing URL of the worlds (removed ones included)."""
    urls: set[str] = set()
    for world in worlds:
        urls |= set(world.pages) | {r.url for r in world.reports}
        urls |= {url for listed in world.listing_urls.values() for url in listed}
        urls |= set(getattr(world, "removed", {}))
    return sorted(urls)


def answer(world: World, url: str) -> tuple:
    page = world.lookup(url)
    assert page is not None, url
    return page.status, page.headers, page.body


def header(page_headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in page_headers if k == name), None)


def get(server: SimServer, url: str, headers: dict[str, str] | None = None):
    """GET through the server as proxy (urllib, no other network): status, headers, body."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:  # urllib raises for 304 and 4xx: still an answer
        with err:
            return err.code, err.headers, err.read()


def unchanged_report(before: ChangingWorld, after: ChangingWorld, host: str) -> str:
    """A report on ``host`` whose page is the same in both worlds."""
    for truth in before.reports:
        if truth.host == host and truth.url in after.by_url and truth.url not in after.removed:
            if answer(before, truth.url) == answer(after, truth.url):
                return truth.url
    raise AssertionError(f"no unchanged report on {host}")


def test_run_zero_is_the_world_built_without_a_run(plain, run0) -> None:
    urls = all_urls(plain, run0)
    assert len(urls) > 400
    for url in urls:
        assert answer(run0, url) == answer(plain, url), url
    assert run0.run == 0 and run0.removed == {} and run0.change_log == ()
    assert (run0.changes.edited, run0.changes.removed, run0.changes.added) == ((), (), ())


def test_run_zero_adds_only_validators_to_what_the_world_answered(run0) -> None:
    stamped = 0
    for url in all_urls(run0):
        page, base = run0.lookup(url), World.lookup(run0, url)  # base: the world before runs
        assert page is not None and base is not None, url
        assert (page.status, page.body, page.delay) == (base.status, base.body, base.delay), url
        extra = [h for h in page.headers if h not in base.headers]
        assert [k for k, _ in extra] in ([], ["ETag"], ["Last-Modified"], ["ETag", "Last-Modified"])
        assert [h for h in page.headers if h not in extra] == base.headers, url
        stamped += bool(extra)
    assert stamped > 200


def test_a_step_edits_removes_and_adds_reports(run0, run1) -> None:
    changes = run1.changes
    pool = len(changeable(run0))
    assert changes.run == 1 and run1.run == 1 and run1.change_log == (changes,)
    assert len(changes.edited) == max(1, round(pool * EDIT_SHARE))
    assert len(changes.removed) == max(2, round(pool * REMOVE_SHARE))
    assert {status for _, status in changes.removed} == {404, 410}
    assert len(changes.added) >= 3
    removed = {url for url, _ in changes.removed}
    assert len({*changes.edited, *removed, *changes.added}) == (
        len(changes.edited) + len(removed) + len(changes.added)
    )
    assert set(changes.edited) | removed <= {r.url for r in changeable(run0)}
    assert run1.removed == dict(changes.removed)


def test_only_edited_report_pages_change(run0, run1) -> None:
    edited, removed = set(run1.changes.edited), dict(run1.changes.removed)
    for truth in run0.reports:
        if truth.url in removed:
            continue
        before, after = answer(run0, truth.url), answer(run1, truth.url)
        if truth.url in edited:
            assert after[0] == 200 and after[2] != before[2], truth.url
            assert run1.by_url[truth.url] != truth
        else:
            assert after == before, truth.url
            assert run1.by_url[truth.url] == truth


def test_edited_truth_is_what_the_page_says() -> None:
    kinds: Counter[str] = Counter()
    before = build_world(seed=SEED, reports=REPORTS)
    for run in range(1, 9):  # enough steps to meet every kind of edit
        world = build_world(seed=SEED, reports=REPORTS, run=run)
        for url in world.changes.edited:
            truth, old = world.by_url[url], before.by_url[url]
            kinds["table"] += truth.tables != old.tables
            kinds["figure"] += truth.figures != old.figures
            kinds["line"] += truth.figures == old.figures and truth.sections != old.sections
            page = world.lookup(url)
            assert truth != old and page.body != before.lookup(url).body, url
            report = extract_report(url, {k.lower(): v for k, v in page.headers}, page.body)
            cells = report.tables.cells if report.tables else ()
            got = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in cells}
            want = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in truth.tables}
            assert got == want, url
            assert truth.broken == (identity_failures(truth.tables) if truth.tables else ())
            assert {c.identity for c in report.checks if c.failed} == set(truth.broken), url
            if truth.generation == "prose":  # template reports' figures are not in their truth
                figures = Counter((f.key, f.value) for f in report.figures)
                assert figures == Counter((f.key, f.value) for f in truth.figures), url
            text = page.body.decode(truth.encoding)
            for section in truth.sections:
                for line in section.text.split("\n"):
                    assert line in text, (url, line)
        before = world
    assert kinds["table"] and kinds["figure"] and kinds["line"], kinds


def test_removed_reports_answer_404_or_410_and_leave_truth_and_listings(run1) -> None:
    for url, status in run1.changes.removed:
        page = run1.lookup(url)
        assert page is not None and page.status == status, url
        assert (
            header(page.headers, "ETag") is None and header(page.headers, "Last-Modified") is None
        )
        assert url not in run1.by_url and url not in {r.url for r in run1.reports}
        for listing in run1.listings.values():
            assert url not in {item[1] for item in listing.items}
        assert url not in {b for pair in run1.distinct_pairs for b in pair}


def reachable_links(world: World) -> dict[str, set[str]]:
    """Non-report pages a crawl reaches from the start URLs, each with the links it has."""
    portals = [p for p in world.portals if not p.family]
    allowed = {h for p in portals for h in p.allowed_hosts}
    queue = deque(u for p in portals for u in p.start_urls)
    links: dict[str, set[str]] = {}
    while queue:
        url = queue.popleft()
        if url in links:
            continue
        page = world.lookup(url)
        if page is None or page.status != 200 or "html" not in header(page.headers, "Content-Type"):
            continue
        host = urlsplit(url).hostname
        text = page.body.decode("gbk" if host == DAXING else "utf-8", "replace")
        found = {urljoin(url, href) for href in HREF.findall(text)}
        for count, _, name, ext in PAGER.findall(text):  # TRS pages list the others by script
            found |= {urljoin(url, f"{name}_{i}.{ext}") for i in range(1, int(count))}
        links[url] = found
        queue.extend(u for u in found if urlsplit(u).hostname in allowed and u in world.non_reports)
    return links


def test_added_reports_have_truth_and_are_linked_from_a_reachable_listing(run0, run1) -> None:
    newest = max(r.year for r in run0.reports)
    links = reachable_links(run1)
    for url in run1.changes.added:
        truth = run1.by_url[url]
        assert truth.year == newest + 1 and truth in run1.reports
        assert answer(run1, url)[0] == 200 and answer(run0, url)[0] == 404
        linking = [page for page, found in links.items() if url in found]
        assert any(run1.pages[page][0] == "listing" for page in linking), url
    assert not any(
        url in found for found in reachable_links(run0).values() for url in run1.changes.added
    )


def test_runs_are_deterministic(run1) -> None:
    again = build_world(seed=SEED, reports=REPORTS, run=1)
    assert again.changes == run1.changes
    assert again.reports == run1.reports and again.distinct_pairs == run1.distinct_pairs
    for url in all_urls(run1, again):
        assert answer(again, url) == answer(run1, url), url
    other = build_world(seed=SEED + 1, reports=REPORTS, run=1)
    assert other.changes.edited != run1.changes.edited


def test_run_two_is_run_one_plus_step_two(run0, run1, run2) -> None:
    step = run2.changes
    assert run2.change_log == (run1.changes, step) and step.run == 2
    touched = {*step.edited, *step.added, *(u for u, _ in step.removed)}
    for truth in run1.reports:
        if truth.url not in touched:
            assert run2.by_url[truth.url] == truth
            assert answer(run2, truth.url) == answer(run1, truth.url), truth.url
    newest = max(r.year for r in run0.reports)
    assert {run2.by_url[u].year for u in step.added} == {newest + 2}
    assert run2.removed == {**run1.removed, **dict(step.removed)}


def test_validators_change_exactly_when_the_page_does(run0, run1, run2) -> None:
    checked: Counter[str] = Counter()
    for url in all_urls(run0, run1, run2):
        host = urlsplit(url).hostname
        pages = [w.lookup(url) for w in (run0, run1, run2)]
        for before, after in zip(pages, pages[1:], strict=False):
            if before.status != 200 or after.status != 200:
                continue
            for name in ("ETag", "Last-Modified"):
                old, new = header(before.headers, name), header(after.headers, name)
                if old is None:
                    continue
                checked[name] += 1
                if before.body == after.body:
                    assert new == old, (url, name)
                elif name == "ETag":
                    assert new == etag_of(after.body) != old, url
                else:
                    later = email.utils.parsedate_to_datetime(new)
                    assert later > email.utils.parsedate_to_datetime(old), url
                    checked["later"] += 1
        page = pages[0]
        if host in (CSGLW, MENTOUGOU) or page.status != 200:
            assert not {"ETag", "Last-Modified"} & {k for k, _ in page.headers}, url
    assert checked["ETag"] > 200 and checked["Last-Modified"] > 100 and checked["later"] >= 2


def test_last_modified_is_never_before_the_report_was_published(run0, run1, run2) -> None:
    stamped = 0
    for world in (run0, run1, run2):
        for truth in world.reports:
            stamp = header(world.lookup(truth.url).headers, "Last-Modified")
            if stamp is not None:
                day = email.utils.parsedate_to_datetime(stamp).date().isoformat()
                assert day >= truth.published, (truth.url, stamp)
                stamped += 1
    assert stamped > 30


def test_hosts_send_the_validators_the_mapping_documents(run0) -> None:
    assert not HOST_VALIDATORS[CHAOYANG].honours and HOST_VALIDATORS[DAXING].honours
    for host, etag, modified in (
        (WWW, True, False),
        (SW, True, False),
        (DAXING, False, True),
        (CHAOYANG, True, True),
        (CSGLW, False, False),
        (MENTOUGOU, False, False),
    ):
        page = run0.lookup(f"http://{host}/")
        assert page.status == 200
        assert (
            header(page.headers, "ETag") is not None,
            header(page.headers, "Last-Modified") is not None,
        ) == (etag, modified), host


def test_www_answers_304_to_a_matching_if_none_match(run0, run1, server0, server1) -> None:
    url = unchanged_report(run0, run1, WWW)
    status, headers, body = get(server0, url)
    etag = headers["ETag"]
    assert status == 200 and etag == etag_of(body)
    zipped = get(server0, url, {"Accept-Encoding": "gzip"})
    assert gzip.decompress(zipped[2]) == body and zipped[1]["ETag"] == etag  # before gzip
    status, headers, body = get(server1, url, {"If-None-Match": etag})
    assert status == 304 and body == b"" and headers["ETag"] == etag
    assert headers["Content-Length"] is None
    status, _, body = get(server1, url, {"If-None-Match": '"0000000000000000"'})
    assert status == 200 and body == run1.lookup(url).body
    assert (url, etag, None, 304) in server1.conditionals
    assert (url, '"0000000000000000"', None, 200) in server1.conditionals
    assert ("GET", url) in server1.requests


def test_daxing_answers_304_to_if_modified_since(run0, run1, server0, server1) -> None:
    url = unchanged_report(run0, run1, DAXING)
    status, headers, _ = get(server0, url)
    stamp = headers["Last-Modified"]
    assert status == 200 and stamp and headers["ETag"] is None
    status, headers, body = get(server1, url, {"If-Modified-Since": stamp})
    assert status == 304 and body == b"" and headers["Last-Modified"] == stamp
    earlier = email.utils.parsedate_to_datetime(stamp) - datetime.timedelta(days=1)
    older = email.utils.format_datetime(earlier, usegmt=True)
    status, _, body = get(server1, url, {"If-Modified-Since": older})
    assert status == 200 and body == run1.lookup(url).body
    assert (url, None, stamp, 304) in server1.conditionals
    assert (url, None, older, 200) in server1.conditionals


def test_chaoyang_ignores_conditional_requests(run0, run1, server0, server1) -> None:
    url = unchanged_report(run0, run1, CHAOYANG)
    _, headers, body = get(server0, url)
    etag, stamp = headers["ETag"], headers["Last-Modified"]
    assert etag and stamp
    for sent in ({"If-None-Match": etag}, {"If-Modified-Since": stamp}, {"If-None-Match": "*"}):
        status, again, got = get(server1, url, sent)
        assert status == 200 and got == body and again["ETag"] == etag, sent
    recorded = [c for c in server1.conditionals if c[0] == url]
    assert [c[3] for c in recorded] == [200, 200, 200]


def test_an_edited_page_gets_a_200_with_a_new_etag(run1, server0, server1) -> None:
    url = next(u for u in run1.changes.edited if urlsplit(u).hostname in (WWW, SW))
    _, headers, old_body = get(server0, url)
    old = headers["ETag"]
    status, headers, body = get(server1, url, {"If-None-Match": old})
    assert status == 200 and headers["ETag"] != old and body != old_body
    assert body == run1.lookup(url).body and headers["ETag"] == etag_of(body)
    assert (url, old, None, 200) in server1.conditionals


def test_a_removed_page_answers_its_status_to_a_conditional_request(run1, server0, server1) -> None:
    for url, gone in run1.changes.removed:
        _, headers, _ = get(server0, url)
        sent = {
            "If-None-Match": headers["ETag"] or '"x"',
            "If-Modified-Since": headers["Last-Modified"] or "Mon, 06 Jan 2025 08:00:00 GMT",
        }
        status, _, _ = get(server1, url, sent)
        assert status == gone
        assert (url, sent["If-None-Match"], sent["If-Modified-Since"], gone) in server1.conditionals


def test_unconditional_requests_are_not_recorded_as_conditionals(run1) -> None:
    with SimServer(run1) as server:
        url = f"http://{WWW}/"
        assert get(server, url)[0] == 200
        assert server.requests == [("GET", url)] and server.conditionals == []


def serving_line(args: list[str], marker: str) -> list[str]:
    """Start a simweb server process, return its output up to ``marker``, then stop it."""
    process = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "250", "PYTHONUNBUFFERED": "1"},  # no wrapping, no buffer
    )
    lines = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if marker in line:
                break
    finally:
        process.send_signal(signal.SIGINT)  # both commands stop cleanly on Ctrl-C
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return lines


@pytest.mark.parametrize(
    ("module", "marker"),
    [("nianbao.simweb", "simweb serving"), ("nianbao.crawler.cli", "simulated web:")],
)
def test_both_commands_serve_the_run_asked_for(module: str, marker: str, run2) -> None:
    args = ["-m", module] + (["simweb"] if module.endswith("cli") else [])
    lines = serving_line(
        [*args, "--seed", str(SEED), "--reports", str(REPORTS), "--run", "2"], marker
    )
    text = "".join(lines)
    assert f"{len(run2.reports)} reports" in lines[-1], text
    assert f"{len(run2.changes.added)} added since run 1" in text, text
