"""The packaged registry of real portals, its selection and `nianbao portals`; no network."""

from __future__ import annotations

import re
import socket
import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from rich.console import Console

from nianbao.crawler import cli
from nianbao.crawler.registry import RegistryError, default_registry, parse_registry, select
from nianbao.crawler.run import CrawlConfig, CrawlResult
from tests.seeds import PORTALS_MD

LEVELS = {"ministry", "province", "city", "district", "county", "department"}
FAMILIES = {"", "trs", "hanweb", "gkmlpt", "iframe", "onclick", "generic"}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: the registry is data, never fetched."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def raw_entries() -> list[dict]:
    text = resources.files("nianbao.crawler").joinpath("portals.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["portal"]


def research() -> str:
    return PORTALS_MD.read_text(encoding="utf-8")


def test_every_entry_parses_with_all_fields() -> None:
    portals = default_registry()
    assert len(portals) == len(raw_entries()) >= 35
    for portal in portals:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", portal.name), portal.name
        assert re.search(r"[\u4e00-\u9fff]", portal.title), portal.name
        assert portal.region and portal.region == portal.region.lower(), portal.name
        assert portal.level in LEVELS, portal.name
        assert portal.family in FAMILIES, portal.name
        assert portal.start_urls and portal.allowed_hosts, portal.name


def test_names_are_unique() -> None:
    counts = Counter(entry["name"] for entry in raw_entries())
    assert [name for name, n in counts.items() if n > 1] == []


def test_every_start_url_is_on_an_allowed_gov_host() -> None:
    for portal in default_registry():
        for url in portal.start_urls:
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https"), url
            assert parts.hostname in portal.allowed_hosts, url
        # PORTALS.md §4: official hosts only (mirrors copy the paths on other domains)
        assert all(h.endswith(".gov.cn") for h in portal.allowed_hosts), portal.name


def test_every_start_url_is_one_the_research_saw() -> None:
    seen = research()
    for portal in default_registry():
        for url in portal.start_urls:
            assert url in seen, f"{portal.name}: {url} is not in PORTALS.md"


def test_every_entry_cites_a_source_listed_in_the_research() -> None:
    sources = set(re.findall(r"^- \[([SP]\d+)\]", research(), re.M))
    assert sources
    for portal in default_registry():
        cited = re.match(r"\[([SP]\d+)\] \S", portal.source)
        assert cited, f"{portal.name}: source {portal.source!r}"
        assert cited.group(1) in sources, portal.name


def test_families_follow_the_url_shapes() -> None:
    by_name = {p.name: p for p in default_registry()}
    # PORTALS.md: MVA walks index_N.html (TRS), Shandong's office uses /art/ (Hanweb),
    # Guangdong 文旅厅 is a gkmlpt annualreport column.
    assert by_name["mva"].family == "trs"
    assert by_name["shandong-office"].family == "hanweb"
    assert by_name["guangdong-whly"].family == "gkmlpt"
    for portal in by_name.values():
        if any("/art/" in u for u in portal.start_urls):
            assert portal.family == "hanweb", portal.name


def test_select_by_region_substring_and_name() -> None:
    portals = default_registry()
    yunnan = select(portals, regions=["Yunnan"])
    # PORTALS.md §2 rows 36-38: Kunming rsj/czj, Kunming lq/xd, Yunnan hrss, Qujing rsj
    assert {urlsplit(p.start_urls[0]).hostname for p in yunnan} == {
        "rsj.km.gov.cn",
        "czj.km.gov.cn",
        "lq.km.gov.cn",
        "xd.km.gov.cn",
        "hrss.yn.gov.cn",
        "rsj.qj.gov.cn",
    }
    both = select(portals, names=["mwr", "yunnan-hrss"], regions=["kunming"])
    assert [p.name for p in both][:2] == ["mwr", "yunnan-hrss"]
    assert len(both) == 2 + 4  # four Kunming portals, yunnan-hrss not repeated
    assert select(portals) == portals


def test_select_rejects_unknown_region_and_names_the_known_ones() -> None:
    with pytest.raises(RegistryError, match="no portal in region.*nowhere.*yunnan/kunming"):
        select(default_registry(), regions=["nowhere"])


def test_start_url_off_its_hosts_is_rejected() -> None:
    text = (
        '[[portal]]\nname = "x"\nstart_urls = ["http://a.gov.cn/"]\nallowed_hosts = ["b.gov.cn"]\n'
    )
    with pytest.raises(RegistryError, match="outside its allowed hosts"):
        parse_registry(text)


def test_allowed_hosts_match_exactly_never_by_suffix_or_parent() -> None:
    # a suffix match would admit xwww.beijing.gov.cn (anyone can register it); the parent
    # domain is another site of the same government, not this portal
    (portal,) = parse_registry(
        '[[portal]]\nname = "bj"\n'
        'start_urls = ["http://www.beijing.gov.cn/"]\n'
        'allowed_hosts = ["www.beijing.gov.cn"]\n'
    )
    allowed = [
        "http://www.beijing.gov.cn/a.html",
        "https://WWW.beijing.gov.cn/b",
        "http://www.beijing.gov.cn:8080/c",
    ]
    refused = [
        "http://xwww.beijing.gov.cn/a.html",
        "http://beijing.gov.cn/a.html",
        "http://evil.www.beijing.gov.cn/a",
        "http://www.beijing.gov.cn.evil.test/a",
        "ftp://www.beijing.gov.cn/a",
        "http:///a",
    ]
    assert [u for u in allowed + refused if portal.allows(u)] == allowed


def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "console", Console(width=300))


def test_portals_command_lists_every_portal(monkeypatch: pytest.MonkeyPatch) -> None:
    wide(monkeypatch)
    result = CliRunner().invoke(cli.main, ["portals"])
    assert result.exit_code == 0, result.output
    for entry in raw_entries():
        line = next((ln for ln in result.output.splitlines() if f" {entry['name']} " in ln), None)
        assert line is not None, entry["name"]
        assert entry["start_urls"][0] in line and entry["region"] in line


def test_portals_command_by_region(monkeypatch: pytest.MonkeyPatch) -> None:
    wide(monkeypatch)
    result = CliRunner().invoke(cli.main, ["portals", "--region", "guangdong"])
    assert result.exit_code == 0, result.output
    assert "guangdong-whly" in result.output
    assert "whly.gd.gov.cn/gkmlpt/annualreport" in result.output
    assert "mva" not in result.output
    bad = CliRunner().invoke(cli.main, ["portals", "--region", "atlantis"])
    assert bad.exit_code == 1 and "no portal in region" in bad.output


def test_portals_command_reads_another_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide(monkeypatch)
    registry = tmp_path / "r.toml"
    registry.write_text(
        '[[portal]]\nname = "only"\nregion = "here"\n'
        'start_urls = ["http://only.gov.cn/"]\nallowed_hosts = ["only.gov.cn"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli.main, ["portals", "--registry", str(registry)])
    assert result.exit_code == 0 and "only" in result.output and "mwr" not in result.output


def test_crawl_region_and_contact_reach_the_crawl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[CrawlConfig] = []

    def fake_crawl(config: CrawlConfig, progress: object = None) -> CrawlResult:
        seen.append(config)
        return CrawlResult(
            crawl_id="c",
            db_path=tmp_path / "none.db",
            warc_files=(),
            pages=1,
            warc_bytes=0,
            reports=0,
            fetch_errors=0,
            blocked=(),
            seconds=0.1,
            stats={},
        )

    monkeypatch.setattr(cli, "crawl", fake_crawl)
    result = CliRunner().invoke(
        cli.main,
        [
            "crawl",
            "--region",
            "beijing",
            "--portal",
            "mct",
            "--contact",
            "mailto:ops@example.org",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    (config,) = seen
    names = [p.name for p in config.portals]
    assert names[0] == "mct" and len(names) == 1 + 5  # PORTALS.md §2 rows 5-9: Beijing
    assert all(p.region.startswith("beijing") for p in config.portals[1:])
    assert config.contact == "mailto:ops@example.org"
