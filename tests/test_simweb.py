"""The simulated web: truth, rendering and the loopback proxy server."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import re
from collections import deque
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import opencc
import pytest

from nianbao.simweb import SimServer, TruthReport, build_world
from nianbao.simweb.seeds import SEED_FILES
from tests.seeds import SEED_SHA256

HREF = re.compile(r'(?:href|src)="([^"]+)"')
PAGER = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')


@pytest.fixture(scope="module")
def world():
    return build_world(seed=0, reports=60)


@pytest.fixture(scope="module")
def server(world):
    with SimServer(world, delay_scale=0.05) as running:
        yield running


def fetch(server, url, headers=None, conn=None):
    """GET ``url`` through the proxy (absolute URI in the request line)."""
    conn = conn or http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", url, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def decode(world, url, body):
    host = urlsplit(url).hostname
    return body.decode("gbk" if host == "www.bjdx.gov.cn" else "utf-8")


def test_proxy_request_with_absolute_uri_keeps_alive_and_is_logged(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    first, body = fetch(server, "http://sw.beijing.gov.cn/", conn=conn)
    second, _ = fetch(server, "http://csglw.beijing.gov.cn/", conn=conn)
    assert first.status == 200 and second.status == 200
    assert int(first.getheader("Content-Length")) == len(body)
    assert first.getheader("Date") and first.getheader("Server") == "nianbao-simweb/1.0"
    assert "北京市商务局" in body.decode("utf-8")
    assert ("GET", "http://csglw.beijing.gov.cn/") in server.requests


def test_origin_form_request_uses_host_header(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/robots.txt", headers={"Host": "www.beijing.gov.cn"})
    response = conn.getresponse()
    assert response.status == 200
    assert b"Disallow: /gongkai/internal/" in response.read()


def test_unknown_host_is_502_and_still_logged(server):
    response, _ = fetch(server, "http://nowhere.example.org/x.html")
    assert response.status == 502
    assert ("GET", "http://nowhere.example.org/x.html") in server.requests


def test_unknown_path_is_404(server):
    response, _ = fetch(server, "http://www.beijing.gov.cn/no/such/page.html")
    assert response.status == 404


def test_district_pages_are_gbk_with_missing_or_wrong_charset(world, server):
    daxing = [r for r in world.reports if r.host == "www.bjdx.gov.cn"]
    assert daxing and all(r.encoding == "gbk" for r in daxing)
    content_types = set()
    for report in daxing:
        response, body = fetch(server, report.url)
        content_types.add(response.getheader("Content-Type"))
        assert report.title[:6] in body.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    assert content_types <= {"text/html", "text/html; charset=utf-8"}
    assert len(content_types) == 2


def test_trs_listing_paginates_only_through_the_script(world):
    paginated = [
        (k, v)
        for k, v in world.listings.items()
        if k.startswith("www.beijing.gov.cn/gongkai/zfxxgknb/") and v.page_count > 1
    ]
    assert paginated
    key, listing = paginated[0]
    first_url = f"http://{key}index.html"
    html = world.lookup(first_url).body.decode("utf-8")
    assert f'createPageHTML({listing.page_count}, 0, "index", "html");' in html
    assert f"var countPage = {listing.page_count};" in html
    assert "index_1.html" not in html
    second = world.lookup(f"http://{key}index_1.html")
    assert second.status == 200
    assert "createPageHTML(" in second.body.decode("utf-8")


def test_robots_txt_forbids_every_disallowed_link(world):
    assert world.disallowed
    for url in world.disallowed:
        host = urlsplit(url).hostname
        parser = RobotFileParser()
        parser.parse(world.lookup(f"http://{host}/robots.txt").body.decode().splitlines())
        assert not parser.can_fetch("nianbao", url)
    for report in world.reports:
        parser = RobotFileParser()
        robots = world.lookup(f"http://{report.host}/robots.txt").body.decode()
        parser.parse(robots.splitlines())
        assert parser.can_fetch("nianbao", report.url)


def test_redirect_chain_301_then_302(world, server):
    start, hop, final = next(c for c in world.redirect_chains if c[2] in world.by_url)
    first, _ = fetch(server, start)
    assert first.status == 301 and first.getheader("Location") == hop
    second, _ = fetch(server, hop)
    assert second.status == 302 and second.getheader("Location") == final
    third, _ = fetch(server, final)
    assert third.status == 200
    assert world.by_url[final].url == final


def test_gzip_only_when_asked(world, server):
    url = "http://www.beijing.gov.cn/"
    plain = world.lookup(url).body
    zipped, body = fetch(server, url, {"Accept-Encoding": "gzip, deflate"})
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert int(zipped.getheader("Content-Length")) == len(body)
    assert gzip.decompress(body) == plain
    unzipped, body = fetch(server, url)
    assert unzipped.getheader("Content-Encoding") is None and body == plain


def test_error_and_slow_pages(world, server):
    (error,) = world.error_urls
    assert fetch(server, error)[0].status == 500
    (slow,) = world.slow_urls
    assert world.lookup(slow).delay >= 1.0
    assert fetch(server, slow)[0].status == 200


def test_same_seed_same_truth():
    one, two = build_world(seed=7, reports=40), build_world(seed=7, reports=40)
    assert one.reports == two.reports
    assert one.non_reports == two.non_reports
    assert one.lookup(one.reports[-1].url).body == two.lookup(two.reports[-1].url).body
    assert build_world(seed=8, reports=40).reports != one.reports


def _failures(report: TruthReport) -> set[str]:
    """Identity checks written independently of simweb.truth."""
    t3, t4 = {}, {}
    for cell in report.tables:
        if cell.table == 3:
            t3[(cell.block, cell.row, cell.column)] = cell.value
        elif cell.table == 4:
            t4[(cell.block, cell.column)] = cell.value
    failed = set()
    if t3:
        rows = sorted({(b, r) for b, r, _ in t3})
        result_rows = [(b, r) for b, r in rows if b or r[:3] in ("（一）", "（二）", "（六）")]
        columns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
        for col in columns:
            new = t3[("", "一、本年新收政府信息公开申请数量", col)]
            old = t3[("", "二、上年结转政府信息公开申请数量", col)]
            total = t3[("", "（七）总计", col)]
            later = t3[("", "四、结转下年度继续办理", col)]
            if new + old != total + later:
                failed.add(f"t3.col.{col}.balance")
            if total != sum(t3[(b, r, col)] for b, r in result_rows):
                failed.add(f"t3.col.{col}.total")
        for block, row in rows:
            if t3[(block, row, "总计")] != sum(t3[(block, row, c)] for c in columns[:-1]):
                failed.add(f"t3.row.{row}.total")
    for block in {b for b, _ in t4}:
        parts = sum(t4[(block, c)] for c in ("结果维持", "结果纠正", "其他结果", "尚未审结"))
        if t4[(block, "总计")] != parts:
            failed.add(f"t4.{block}.total")
    return failed


def test_identities_hold_except_the_recorded_broken_ones():
    world = build_world(seed=3, reports=400)
    tabled = [r for r in world.reports if r.tables]
    assert sum(1 for r in tabled if r.broken) >= 5
    for report in tabled:
        assert _failures(report) == set(report.broken), report.url


def test_tables_hold_every_template_cell(world):
    for report in world.reports:
        if report.generation == "prose" or report.table_layout in ("image", "none"):
            # "none": spam mirrors keep the text of a template report, not its tables
            assert report.tables == ()
            continue
        t3 = [c for c in report.tables if c.table == 3]
        assert len(t3) == 7 * (25 if report.generation == "2021" else 23)
        assert len([c for c in report.tables if c.table == 4]) == 15
        t2 = {c.block for c in report.tables if c.table == 2}
        assert len(t2) == (4 if report.generation == "2021" else 5)


def test_every_truth_url_is_served(world):
    for report in world.reports:
        page = world.lookup(report.url)
        assert page is not None and page.status == 200, report.url
        html = decode(world, report.url, page.body)
        assert (report.title_printed or report.title) in html
        if report.spam:
            continue  # a mirror prints its headings spammed; see test_simweb_spam
        for section in report.sections:
            assert section.heading in html
    for url in world.non_reports:
        assert world.lookup(url).status == 200, url
    assert not {r.url for r in world.reports} & world.non_reports


def test_seed_pages(world):
    to_hans = opencc.OpenCC("t2s")
    twin = world.lookup(world.seed_pages["000"]).body.decode("utf-8")
    assert "北京市商務局2019年政府信息公開工作年度報告" in twin
    assert twin.count("主動公開政府資訊情況") >= 2 and "<img" in twin
    original = world.by_url[world.seed_pages["000"]].source.removeprefix("gateway:")
    assert "北京市商务局" in world.lookup(original).body.decode("utf-8")
    assert to_hans.convert("北京市商務局") == world.by_url[original].agency
    daxing = world.lookup(world.seed_pages["003"]).body.decode("gbk")
    assert "\t本年新制作数量" in daxing and "公开" in daxing
    spam_url = world.seed_pages["004"]
    assert spam_url not in world.offsite and world.by_url[spam_url].portal == "mirrors"
    spam = world.lookup(spam_url).body.decode("utf-8")
    assert "今年5月1日" in re.sub(r"<[^>]+>", "", spam)
    assert "今年51日" in re.sub(r"<span[^>]*>.*?</span>", "", spam)
    chaoyang = world.lookup(world.seed_pages["001"]).body.decode("utf-8")
    assert "<h1" in chaoyang and "朝阳市商务局2019年政府信息公开工作年度报告" in chaoyang
    assert "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in chaoyang


def test_gateway_twins_are_traditional_and_link_back_to_simplified(world):
    to_hant = opencc.OpenCC("s2t")
    twins = [r for r in world.reports if r.source.startswith("gateway:")]
    assert len(twins) >= 3
    for twin in twins:
        original = twin.source.removeprefix("gateway:")
        assert twin.script == "Hant" and twin.url.endswith(original.split("://", 1)[1])
        assert twin.title == to_hant.convert(world.by_url[original].title)
        html = world.lookup(twin.url).body.decode("utf-8")
        assert twin.title in html
        assert f'href="{twin.url}"' in world.lookup(original).body.decode("utf-8")
        links = HREF.findall(html)
        assert not [u for u in links if "/gate/big5/" in u or u.startswith(("/", "."))]


def _links(world, url, body):
    html = decode(world, url, body)
    found = [urljoin(url, u) for u in HREF.findall(html) if not u.startswith("javascript:")]
    for count, _current, name, ext in PAGER.findall(html):
        found += [urljoin(url, f"{name}_{k}.{ext}") for k in range(1, int(count))]
    return found


def walk(world, portal) -> tuple[set[str], set[str]]:
    """HTML pages a breadth-first crawl of one portal reaches (obeying robots.txt, following
    redirects and createPageHTML pagers), and the off-portal links it saw on the way."""
    found: set[str] = set()
    offsite: set[str] = set()
    robots: dict[str, RobotFileParser] = {}
    queue, seen = deque(portal.start_urls), set(portal.start_urls)
    while queue:
        url = queue.popleft()
        page = world.lookup(url)
        while page is not None and page.status in (301, 302):
            url = urljoin(url, dict(page.headers)["Location"])
            page = world.lookup(url)
        if page is None or page.status != 200 or "html" not in dict(page.headers)["Content-Type"]:
            continue
        found.add(url)
        for link in _links(world, url, page.body):
            host = urlsplit(link).hostname
            if host not in portal.allowed_hosts:
                offsite.add(link)
                continue
            if link in seen:
                continue
            if host not in robots:
                robots[host] = RobotFileParser()
                robots[host].parse(
                    world.lookup(f"http://{host}/robots.txt").body.decode().splitlines()
                )
            if robots[host].can_fetch("nianbao", link):
                seen.add(link)
                queue.append(link)
    return found, offsite


def test_a_full_crawl_reaches_every_report():
    world = build_world(seed=11, reports=120)
    found: set[str] = set()
    for portal in world.portals:
        found |= walk(world, portal)[0]
    # the CMS-family portals need their pagers (tests/test_simweb_families.py): links miss some
    family = {p.name for p in world.portals if p.family}
    missing = [r.url for r in world.reports if r.url not in found and r.portal not in family]
    assert not missing
    assert [r.url for r in world.reports if r.url not in found and r.portal in family]


def test_packaged_seeds_are_the_briefs_seeds():
    # simweb serves its own copy of the seeds; it must stay the brief's, byte for byte.
    digests = {n: hashlib.sha256(p.read_bytes()).hexdigest() for n, p in SEED_FILES.items()}
    assert digests == SEED_SHA256
