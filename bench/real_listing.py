"""Check the trsapi pager and the plain-link extraction on the real 平潭 listing page.

    uv run python bench/real_listing.py [--real ../shared/real]

The page (``pages/pingtan_zfxxgknb_listing.html``, URL from ``pages.json``) is page 1 of the
column 政府信息公开年报: ten static report links, the rest of the column behind the
``list2.trsapi`` script. ``check_listing`` returns one line per difference from what was read
by hand: the ten report links (2016年度 … 2025年度, ``./YYYYMM/tYYYYMMDD_ID.htm``) found by the
pager and by the generic link extraction, the pager recognising the page, and the API request
it would make for page 2 (``channelid`` 200210 from ``SiteInfo.searchId``, ``classsql``
``chnlid=1813``, 10 a page, recordCount 20). An empty list means all good.
``bench/real.py`` imports and calls it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from nianbao.crawler.links import page_links
from nianbao.crawler.pagers import Follow, follow_all, trsapi

LISTING = "pingtan_zfxxgknb_listing.html"
# The ten static report links, read by hand from the page: (report year, href as printed).
# pages.json's notes list the same years; its report entries give three of the URLs.
EXPECTED = (
    (2025, "./202603/t20260313_105587.htm"),
    (2024, "./202503/t20250310_97791.htm"),
    (2023, "./202403/t20240308_87885.htm"),
    (2022, "./202302/t20230220_80629.htm"),
    (2021, "./202202/t20220208_80613.htm"),
    (2020, "./202103/t20210305_80595.htm"),
    (2019, "./202001/t20200120_80576.htm"),
    (2018, "./201901/t20190110_80529.htm"),
    (2017, "./201801/t20180123_80506.htm"),
    (2016, "./201701/t20170118_80485.htm"),
)
# What the page's script gives listModel, read by hand: the API call for page 2 carries these.
EXPECTED_FORM = {
    "channelid": "200210",
    "classsql": "chnlid=1813",
    "sortfield": "-docorderpri,-docreltime",
    "prepage": "10",
}
EXPECTED_API_PAGES = [2]  # recordCount '20' at prepage 10, page 1 static (maxStaticIndex 1)
API_PATH = "/fjdzapp/search"
_NOTE_YEARS = re.compile(r"(\d{4})年度 \d{4}-\d{2}-\d{2}")
_REPORT_LINK = re.compile(r"/\d{6}/t\d{8}_\d+\.html?$")


def check_listing(real_dir: Path) -> list[str]:
    """Differences between the pager's and the link extraction's finds and the hand-read ones."""
    page_path, json_path = real_dir / "pages" / LISTING, real_dir / "pages.json"
    if not page_path.is_file() or not json_path.is_file():
        return [f"listing: {page_path} or {json_path} is missing"]
    entry = json.loads(json_path.read_text(encoding="utf-8")).get(LISTING)
    if not isinstance(entry, dict) or not entry.get("url"):
        return [f"listing: pages.json has no url for {LISTING}"]
    url = str(entry["url"])
    text = page_path.read_text(encoding="utf-8")
    expected = {urljoin(url, href): year for year, href in EXPECTED}
    out = _against_pages_json(url, entry, json.loads(json_path.read_text(encoding="utf-8")))
    if not trsapi.PAGER.fingerprint(url, text):
        out.append("trsapi pager: does not recognise the listing page")
    follows = trsapi.PAGER.follow(url, text)
    pager_links = [f.url for f in follows if f.kind == "page"]
    out += _compare("trsapi pager", pager_links, expected, url)
    out += _compare("generic links", page_links(url, text), expected, url)
    out += _api_requests(url, [f for f in follows if f.kind == "listing"])
    host = urlsplit(url).hostname
    for name, follow in follow_all(url, text):
        if urlsplit(follow.url).hostname != host:
            out.append(f"{name} pager: would leave the portal for {follow.url}")
    return out


def _against_pages_json(url: str, entry: dict, every: dict) -> list[str]:
    """The hand-read list agrees with pages.json: the notes' years, the stored reports' URLs."""
    out = []
    years = [int(y) for y in _NOTE_YEARS.findall(str(entry.get("notes", "")))]
    if years != [year for year, _ in EXPECTED]:
        out.append(f"pages.json notes list years {years}, expected {[y for y, _ in EXPECTED]}")
    by_year = {year: urljoin(url, href) for year, href in EXPECTED}
    for name, page in every.items():
        if not isinstance(page, dict) or page.get("kind") != "report":
            continue
        # A report of a listed year filed in this column must be the link the page shows.
        column = urlsplit(url).path
        if page.get("year") in by_year and urlsplit(str(page.get("url"))).path.startswith(column):
            if page["url"] != by_year[page["year"]]:
                out.append(f"pages.json {name}: url {page['url']} is not the listed link")
    return out


def _compare(who: str, found: list[str], expected: dict[str, int], url: str) -> list[str]:
    """Missing report links, and report-shaped links of this column that nobody listed."""
    column = urlsplit(url).path
    reports = {u for u in found if urlsplit(u).path.startswith(column) and _REPORT_LINK.search(u)}
    out = [
        f"{who}: missing the {year}年度 report link {link}"
        for link, year in expected.items()
        if link not in found
    ]
    out += [f"{who}: unexpected report link {u}" for u in sorted(reports - set(expected))]
    return out


def _api_requests(url: str, listings: list[Follow]) -> list[str]:
    """The API calls the pager would make: page 2 only, the page's form, on its own host."""
    out = []
    pages = []
    for follow in listings:
        parts = urlsplit(follow.url)
        query = dict(parse_qsl(parts.query))
        body = dict(parse_qsl(follow.body.decode("ascii", "replace")))
        pages.append(int(query.get("page", "0")) if query.get("page", "").isdigit() else 0)
        where = f"{parts.scheme}://{parts.netloc}{parts.path}"
        if where != urljoin(url, API_PATH):
            out.append(f"trsapi pager: API request goes to {where}, not {urljoin(url, API_PATH)}")
        if follow.method != "POST" or body != query:
            out.append(f"trsapi pager: {follow.url} is not a form POST of its own query")
        for key, value in EXPECTED_FORM.items():
            if query.get(key) != value:
                out.append(f"trsapi pager: {key}={query.get(key)!r} in {follow.url}, not {value}")
    if sorted(pages) != EXPECTED_API_PAGES:
        out.append(
            f"trsapi pager: asks the API for pages {sorted(pages)}, not {EXPECTED_API_PAGES}"
        )
    return out


def main() -> None:
    """Print each difference (or that there is none); exit 1 when there are any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "real"
    parser.add_argument("--real", type=Path, default=default, help="folder with pages.json")
    args = parser.parse_args()
    differences = check_listing(args.real)
    for line in differences:
        print(line)
    if not differences:
        follows = trsapi.PAGER.follow(
            json.loads((args.real / "pages.json").read_text(encoding="utf-8"))[LISTING]["url"],
            (args.real / "pages" / LISTING).read_text(encoding="utf-8"),
        )
        print(f"listing: all {len(EXPECTED)} report links found; API request:")
        for follow in (f for f in follows if f.kind == "listing"):
            print(f"  {follow.method} {follow.url}")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
