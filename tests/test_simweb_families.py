"""CMS-family portals of the simulated web: each reaches its reports only through its mechanism.

The walkers here are written from the family descriptions (PORTALS.md §1), independently of
crawler/ and of simweb's own rendering code.
"""

from __future__ import annotations

import http.client
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from nianbao.simweb import SimServer, build_world

FAMILIES = ("trs", "hanweb", "gkmlpt", "iframe", "onclick", "trsapi")


@pytest.fixture(scope="module")
def world():
    return build_world(seed=0, reports=60)


class _Links(HTMLParser):
    """Plain links as an href-only crawler sees them: <a href>, <iframe src>; scripts skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.frames: list[str] = []
        self.onclicks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        if tag == "iframe" and values.get("src"):
            self.frames.append(values["src"])
        if values.get("onclick"):
            self.onclicks.append(values["onclick"])


def links(url: str, text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    parser.hrefs = [urljoin(url, h) for h in parser.hrefs if not h.startswith("javascript:")]
    parser.frames = [urljoin(url, h) for h in parser.frames]
    return parser


def get(world, url: str) -> tuple[int, str]:
    page = world.lookup(url)
    assert page is not None, url
    return page.status, page.body.decode("utf-8")


def portal(world, family: str):
    (spec,) = [p for p in world.portals if p.family == family]
    return spec


def truth_urls(world, name: str) -> set[str]:
    return {r.url for r in world.reports if r.portal == name}


def entry(world, family: str, contains: str) -> list[str]:
    """Entry URLs linked (plainly) from the family portal's home page."""
    start = portal(world, family).start_urls[0]
    status, text = get(world, start)
    assert status == 200
    return sorted({u for u in links(start, text).hrefs if contains in u})


def assert_no_plain_links(world, listing_url: str, text: str, forbidden: set[str]) -> None:
    plain = set(links(listing_url, text).hrefs) | set(links(listing_url, text).frames)
    assert not plain & forbidden, (listing_url, sorted(plain & forbidden)[:3])


def test_every_family_has_one_portal_with_reports_and_registry_entry(world):
    registry = world.registry_toml()
    for family in FAMILIES:
        spec = portal(world, family)
        assert spec.name == f"fam-{family}" and spec.allowed_hosts[0].endswith(".gov.cn")
        assert f'family = "{family}"' in registry
        assert len(truth_urls(world, spec.name)) >= 6
        assert world.listing_urls[spec.name]
        assert not world.listing_urls[spec.name] & truth_urls(world, spec.name)


def test_trs_pager_with_both_offsets(world):
    name = "fam-trs"
    reached: set[str] = set()
    listings: set[str] = set()
    offsets = {}
    for first in entry(world, "trs", "/index.html"):
        status, text = get(world, first)
        assert status == 200
        count = int(re.search(r"createPageHTML\((\d+),\s*0,", text).group(1))
        assert count >= 3, "every TRS column must have a page 3"
        missing_one = world.lookup(urljoin(first, "index_1.html")).status == 404
        offsets[first] = missing_one
        pages = [first] + [urljoin(first, f"index_{k + missing_one}.html") for k in range(1, count)]
        later = set(pages[1:])
        for url in pages:
            status, text = get(world, url)
            assert status == 200, url
            found = links(url, text).hrefs
            assert not later & set(found), "a TRS page links a numbered page plainly"
            reached |= set(found)
            listings.add(url)
        assert world.lookup(urljoin(first, f"index_{count + missing_one}.html")).status == 404
    assert sorted(offsets.values()) == [False, True], "one column must start at index_2"
    assert truth_urls(world, name) <= reached
    assert listings == world.listing_urls[name]


def test_trs_offset_column_has_no_index_1(world):
    offset = "http://www.fam-trs.gov.cn/zwgk/bmnb/"
    assert world.lookup(offset + "index_1.html").status == 404
    assert world.lookup(offset + "index_2.html").status == 200
    assert world.lookup("http://www.fam-trs.gov.cn/zwgk/zfxxgknb/index_1.html").status == 200


DATASTORE = re.compile(r'<script type="text/xml">\s*(<datastore>.*?</datastore>)\s*</script>', re.S)


def parse_datastore(xml_text: str) -> tuple[list[str], str, int]:
    """(article hrefs, nextgroup href, totalpage) of a Hanweb <datastore>."""
    root = ET.fromstring(xml_text.split("?>", 1)[-1].strip())
    hrefs = [re.search(r'href="([^"]+)"', r.text).group(1) for r in root.iter("record")]
    nextgroup = re.search(r'href="([^"]+)"', root.findtext("nextgroup")).group(1)
    return hrefs, nextgroup, int(root.findtext("totalpage"))


def test_hanweb_datastore_and_dataproxy_reach_every_report(world):
    name = "fam-hanweb"
    (first,) = entry(world, "hanweb", "/col/col")
    status, text = get(world, first)
    assert status == 200 and "/module/web/jpage/dataproxy.jsp" in text
    hrefs, nextgroup, total = parse_datastore(DATASTORE.search(text).group(1))
    assert total >= 3 and hrefs
    assert_no_plain_links(world, first, text, truth_urls(world, name))
    assert not links(first, text).hrefs or all("/art/" not in h for h in links(first, text).hrefs)
    reached = {urljoin(first, h) for h in hrefs}
    listings = {first}
    for page in range(2, total + 1):
        proxy = urljoin(first, re.sub(r"page=\d+", f"page={page}", nextgroup))
        status, body = get(world, proxy)
        assert status == 200
        page_hrefs, _, _ = parse_datastore(body)
        assert page_hrefs and not {urljoin(first, h) for h in page_hrefs} & reached
        reached |= {urljoin(first, h) for h in page_hrefs}
        listings.add(proxy)
    assert truth_urls(world, name) <= reached
    assert all(re.search(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_41875_\d+\.html$", u) for u in reached)
    assert listings == world.listing_urls[name]
    # the trap: past the end (and nonsense) answers page 1 again
    for page in (total + 1, 999, "x"):
        proxy = urljoin(first, re.sub(r"page=\d+", f"page={page}", nextgroup))
        assert parse_datastore(get(world, proxy)[1])[0] == hrefs


def test_hanweb_proxy_answers_post_like_get(world):
    (first,) = entry(world, "hanweb", "/col/col")
    _, nextgroup, _ = parse_datastore(DATASTORE.search(get(world, first)[1]).group(1))
    url = urljoin(first, nextgroup)
    path, query = url.split("?", 1)
    with SimServer(world, delay_scale=0.0) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(
            "POST", path, body=query, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = conn.getresponse()
        posted = response.read()
    assert response.status == 200
    assert posted == world.lookup(url).body
    assert (
        parse_datastore(posted.decode())[0]
        != parse_datastore(DATASTORE.search(get(world, first)[1]).group(1))[0]
    )


def test_hanweb_attachment_redirects_to_a_file_that_is_no_report(world):
    reports = [r.url for r in world.reports if r.portal == "fam-hanweb"]
    downloads = []
    for url in reports:
        downloads += [h for h in links(url, get(world, url)[1]).hrefs if "downfile.jsp" in h]
    (download,) = downloads
    assert re.search(r"downfile\.jsp\?classid=0&filename=[0-9a-f]{32}\.pdf$", download)
    page = world.lookup(download)
    assert page.status == 302
    target = dict(page.headers)["Location"]
    assert re.search(r"/attach/0/[0-9a-f]{32}\.pdf$", target)
    pdf = world.lookup(target)
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    assert target not in {r.url for r in world.reports} and target not in world.non_reports


CONFIG = re.compile(r'window\._CONFIG = \{SID: "(\w+)".*?TREE: (\[.*?\])\};', re.S)


def api(world, host: str, catid: int, sid: str, page: int) -> dict:
    page_ = world.lookup(
        f"http://{host}/gkmlpt/api/all/{catid}?" + urlencode({"page": page, "sid": sid})
    )
    assert page_.status == 200
    return json.loads(page_.body)


def test_gkmlpt_api_reaches_every_report(world):
    name = "fam-gkmlpt"
    shells = entry(world, "gkmlpt", "/gkmlpt/")
    assert {urlsplit(u).path for u in shells} == {"/szf/gkmlpt/index", "/gkmlpt/annualreport"}
    reached: set[str] = set()
    listings = set(shells)
    for shell in shells:
        status, text = get(world, shell)
        assert status == 200
        assert not links(shell, text).hrefs, "the SPA shell has no links"
        sid, tree = CONFIG.search(text).groups()
        host = urlsplit(shell).hostname
        for category in json.loads(tree):
            page, seen = 1, 0
            first = api(world, host, category["id"], sid, 1)
            assert api(world, host, category["id"], sid, 0) == first
            total = first["classify"]["post_count"]
            while True:
                batch = api(world, host, category["id"], sid, page)
                if not batch["articles"]:
                    break
                listings.add(f"http://{host}/gkmlpt/api/all/{category['id']}?page={page}&sid={sid}")
                seen += len(batch["articles"])
                for article in batch["articles"]:
                    assert set(article) >= {
                        "id",
                        "title",
                        "url",
                        "date",
                        "identifier",
                        "document_number",
                    }
                    assert re.search(
                        rf"/gkmlpt/content/\d+/\d+/post_{article['id']}\.html$", article["url"]
                    )
                    reached.add(article["url"])
                page += 1
            assert seen == total and page >= 3, "pagination must be exercised"
    assert truth_urls(world, name) <= reached
    assert listings == world.listing_urls[name]
    report = next(r for r in world.reports if r.portal == name and r.index_no)
    articles = [
        a
        for cat in (2831,)
        for p in range(1, 20)
        for a in api(world, "www.fam-gkmlpt.gov.cn", cat, "4413", p)["articles"]
    ]
    assert {a["url"]: a["identifier"] for a in articles}[report.url] == report.index_no


def test_gkmlpt_refuses_an_unknown_sid(world):
    page = world.lookup("http://www.fam-gkmlpt.gov.cn/gkmlpt/api/all/2831?page=1&sid=0000")
    assert page.status == 404


def test_iframe_shell_frames_the_list(world):
    name = "fam-iframe"
    (shell,) = entry(world, "iframe", "/xxgk/")
    status, text = get(world, shell)
    found = links(shell, text)
    assert status == 200 and len(found.frames) == 1
    assert not set(found.hrefs) & truth_urls(world, name)
    reached: set[str] = set()
    listings = {shell}
    queue = [found.frames[0]]
    while queue:
        url = queue.pop()
        if url in listings:
            continue
        listings.add(url)
        status, text = get(world, url)
        assert status == 200
        for href in links(url, text).hrefs:
            if "list_frame" in href:
                queue.append(href)
            else:
                reached.add(href)
    assert len(listings) >= 4
    assert truth_urls(world, name) <= reached
    assert listings == world.listing_urls[name]


SCRIPTED = re.compile(r"(?:jumpToDetail\(|window\.open\(|location\.href\s*=\s*)'([^']+)'")


def test_onclick_links_reach_every_report(world):
    name = "fam-onclick"
    reached: set[str] = set()
    listings: set[str] = set()
    queue = entry(world, "onclick", "/zfxxgk/")
    styles = set()
    while queue:
        url = queue.pop()
        if url in listings:
            continue
        listings.add(url)
        status, text = get(world, url)
        assert status == 200
        found = links(url, text)
        plain = {u for u in found.hrefs if urlsplit(u).path.startswith("/zfxxgk/")}
        assert not {u for u in plain if not u.endswith("/index.html")}, (
            "an onclick column links no report and no page 2+ plainly"
        )
        for onclick in found.onclicks:
            styles.add(onclick.split("(")[0].split("=")[0].strip())
            target = urljoin(url, SCRIPTED.search(onclick).group(1))
            (queue.append if "/index" in target else reached.add)(target)
    assert styles == {"jumpToDetail", "window.open", "location.href"}
    assert truth_urls(world, name) <= reached
    assert listings == world.listing_urls[name]


LIST_MODEL = re.compile(r'require\(\["list2\.trsapi".*?listModel\(\{(.*?)\}\);', re.S)
T_DATE = re.compile(r"/\d{6}/t\d{8}_\d+\.htm$")


def trsapi_config(text: str) -> dict[str, str]:
    """What the real Fujian column page's script hands listModel (平潭's shape), by regex."""
    call = LIST_MODEL.search(text).group(1)

    def value(key: str, where: str = call) -> str:
        return re.search(rf"\b{key}\s*:\s*(.+?),?\s*(?://.*)?$", where, re.M).group(1)

    assert value("quickMode") == '"动静结合"' and value("pgCountMode") == '"recordCount"'
    assert value("channelid") == "SiteInfo.searchId"
    return {
        "channelid": value("searchId", text.split("var SiteInfo", 1)[1]),
        "classsql": re.fullmatch(r'"" \|\| "(chnlid=\d+)"', value("classsql")).group(1),
        "sortfield": value("sortfield").strip('"'),
        "prepage": value("prepage"),
        "recordCount": value("recordCount").strip("'"),
        "maxStaticIndex": value("maxStaticIndex"),
    }


def test_trsapi_static_page_one_then_api_pages_reach_every_report(world):
    name = "fam-trsapi"
    (column,) = entry(world, "trsapi", "/zfxxgknb/")
    status, text = get(world, column)
    assert status == 200
    for marker in ('ms-visible="showStatic"', 'ms-repeat="list"', 'ms-controller="list_pagebar"'):
        assert marker in text
    config = trsapi_config(text)
    static = {u for u in links(column, text).hrefs if T_DATE.search(u)}
    prepage, count = int(config["prepage"]), int(config["recordCount"])
    assert config["maxStaticIndex"] == "1" and len(static) == prepage
    pages = -(-count // prepage)
    assert pages >= 3, "the API must serve more than one page"
    reached, listings = set(static), {column}
    fields = [(k, config[k]) for k in ("channelid", "classsql", "sortfield")]
    api = f"http://{urlsplit(column).hostname}/fjdzapp/search"
    for page in range(2, pages + 1):
        query = urlencode([*fields, ("page", page), ("prepage", prepage)])
        posted = world.lookup(api, form=query.encode())
        assert posted.status == 200 and posted.body == world.lookup(f"{api}?{query}").body
        answer = json.loads(posted.body)
        assert answer["pageCount"] == pages
        for doc in answer["data"]:
            assert {"doctitle", "docreltime"} <= set(doc) and T_DATE.search(doc["chnldocurl"])
        found = {doc["chnldocurl"] for doc in answer["data"]}
        assert len(found) == (prepage if page < pages else count - prepage * (pages - 1))
        assert not found & reached
        reached |= found
        listings.add(f"{api}?{query}")
    assert len(reached) == count
    assert truth_urls(world, name) <= reached
    assert truth_urls(world, name) - static, "some reports must be on API pages only"
    assert listings == world.listing_urls[name]
    # Past the end: no documents; another site's search channel: no data at all.
    past = urlencode([*fields, ("page", pages + 1), ("prepage", prepage)])
    assert json.loads(world.lookup(f"{api}?{past}").body)["data"] == []
    wrong = past.replace(f"channelid={config['channelid']}", "channelid=1")
    assert "data" not in json.loads(world.lookup(f"{api}?{wrong}").body)


def href_walk(world, spec) -> set[str]:
    """Every URL of the portal an href-only crawler reaches from its start URLs."""
    seen, queue = set(spec.start_urls), list(spec.start_urls)
    while queue:
        url = queue.pop()
        page = world.lookup(url)
        if page.status != 200 or "html" not in dict(page.headers)["Content-Type"]:
            continue
        for link in links(url, page.body.decode("utf-8")).hrefs:
            if urlsplit(link).hostname == spec.allowed_hosts[0] and link not in seen:
                seen.add(link)
                queue.append(link)
    return seen


def test_trsapi_reports_past_page_one_have_no_plain_link(world):
    spec = portal(world, "trsapi")
    seen = href_walk(world, spec)
    assert not any("/fjdzapp/" in u for u in seen)
    missed = truth_urls(world, spec.name) - seen
    assert missed and missed != truth_urls(world, spec.name)


def test_href_only_walk_misses_the_script_families(world):
    """What an href-only crawler reaches on the hanweb, gkmlpt and onclick portals: no report."""
    for family in ("hanweb", "gkmlpt", "onclick"):
        spec = portal(world, family)
        assert not href_walk(world, spec) & truth_urls(world, spec.name), family


def test_blocked_pages_answer_their_case_and_are_linked(world):
    assert set(world.blocked.values()) == {
        "waf-412",
        "script-only",
        "js-cookie",
        "login-wall",
        "empty",
    }
    reports = {r.url for r in world.reports}
    linked = set()
    for host in world.hosts():
        home = world.lookup(f"http://{host}/")
        linked |= set(links(f"http://{host}/", home.body.decode("utf-8", "replace")).hrefs)
    for url, case in world.blocked.items():
        assert url not in reports and url not in world.non_reports and url in linked, url
        page = world.lookup(url)
        body = page.body.decode("utf-8")
        headers = dict(page.headers)
        if case == "waf-412":
            assert page.status == 412 and "$_ts" in body and "r='m'" in body
            assert re.search(r'<script[^>]+src="/[^"]+\.js"', body)
            continue
        assert page.status == 200
        if case == "script-only":
            assert body.startswith("<script") and body.endswith("</script>")
            assert 900 <= len(body) <= 1500
        elif case == "js-cookie":
            assert "document.cookie" in body and "__jsluid_s=" in headers["Set-Cookie"]
        elif case == "login-wall":
            assert all(w in body for w in ("用户登录", "请登录", "密码"))
        else:
            assert body == ""


def test_family_portals_scale_with_reports_and_family_pages():
    small = build_world(seed=1, reports=400, family_pages=600)
    for family in FAMILIES:
        name = f"fam-{family}"
        assert len(truth_urls(small, name)) == 16
        host = portal(small, family).allowed_hosts[0]
        articles = [u for u in small.non_reports if f"//{host}/" in u] + list(
            truth_urls(small, name)
        )
        assert len(articles) >= 600
    assert len(small.listing_urls["fam-gkmlpt"]) >= 600 // 10
    without = build_world(seed=1, reports=60, families=False)
    assert not [p for p in without.portals if p.family] and not without.listing_urls
    assert not [u for u in without.blocked if ".fam-" in u]
