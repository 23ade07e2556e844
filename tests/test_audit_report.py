"""The audit report: HTML checked in headless Chromium, CSVs and escaping, on a hand-made database.

The truth is the rows written here by hand (three clusters of different kinds, their pairs and
passages), never what the exporter produced.
"""

from __future__ import annotations

import csv
import json
import sys
import types
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from nianbao.archive.export import load_audit, write_audit_csv, write_audit_html, write_audit_report
from nianbao.archive.export.audit_html import PASSAGE_END, marked_text
from nianbao.archive.store.schema import ensure_schema
from nianbao.crawler.cli import main

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
KINDS = ("exact", "script_twin", "spam_mirror", "near_duplicate", "reuse", "cross_agency")

COPY_REUSE = "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
COPY_OLD = "全年共受理政府信息公开申请，均在法定期限内答复，未发生因公开引起的行政复议。"
COPY_CROSS = "一是加强组织领导，明确分管负责同志和工作机构；二是完善制度，规范依申请公开办理流程。"
EXACT_TEXT = "乙局2020年政府信息公开工作年度报告。全年主动公开信息63条。<b>不是标签</b>"
EVIL_TITLE = "<script>window.__pwned = 1;</script>恶意标题"
EVIL_AGENCY = '<img src=x onerror="window.__pwned = 2">丙局'


def _report(
    rid: str,
    agency: str,
    year: int,
    text: str,
    *,
    title: str = "",
    host: str = "www.example.gov.cn",
) -> dict[str, object]:
    return {
        "id": rid,
        "url": f"http://{host}/{rid}.html",
        "host": host,
        "agency": agency,
        "year": year,
        "title": title or f"{agency}{year}年政府信息公开工作年度报告",
        "text": text,
        "text_simplified": text,
        "spam_score": 0.0,
    }


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@dataclass(frozen=True)
class Truth:
    """The hand-made database and what it holds."""

    db: Path
    reports: dict[str, dict[str, object]]
    clusters: list[dict[str, object]]
    members: list[dict[str, object]]
    pairs: list[dict[str, object]]


def build_db(path: Path) -> Truth:
    """Reports plus an exact cluster of three, a reuse cluster and a cross-agency cluster."""
    a20 = f"甲局2020年政府信息公开工作年度报告。{COPY_OLD}旧内容。"
    a21 = f"甲局2021年政府信息公开工作年度报告。{COPY_REUSE}本年度新增内容甲。{COPY_OLD}"
    a22 = f"甲局2022年政府信息公开工作年度报告。今年另有新内容。{COPY_REUSE}"
    src = f"丁局2021年报告。{COPY_CROSS}其他内容丁。"
    cop = f"丙局2022年报告，前言不同。{COPY_CROSS}"
    rows = [
        _report("a20", "甲局", 2020, a20),
        _report("a21", "甲局", 2021, a21),
        _report("a22", "甲局", 2022, a22),
        _report("x1", "乙局", 2020, EXACT_TEXT, host="yi.gov.cn"),
        _report("x2", "乙局", 2020, EXACT_TEXT, host="mirror-one.example.com"),
        _report("x3", "乙局", 2020, EXACT_TEXT, host="mirror-two.example.com", title=EVIL_TITLE),
        _report("s21", "丁局", 2021, src),
        _report("c22", EVIL_AGENCY, 2022, cop),
        _report("lone", "戊局", 2022, "戊局2022年报告，无人抄袭。"),
    ]
    reports = {str(r["id"]): r for r in rows}
    ra, rb = _span(a22, COPY_REUSE), _span(a21, COPY_REUSE)
    oa, ob = _span(a21, COPY_OLD), _span(a20, COPY_OLD)
    ca, cb = _span(cop, COPY_CROSS), _span(src, COPY_CROSS)
    whole = [0, len(EXACT_TEXT), 0, len(EXACT_TEXT)]
    diff = {
        "table": 3,
        "block": "本年新收政府信息公开申请数量",
        "row": "一、本年新收政府信息公开申请数量",
        "column": "自然人",
        "a": 5,
        "b": 7,
    }
    pairs = [
        {
            "id": "exact:x2:x1",
            "kind": "exact",
            "a_report_id": "x2",
            "b_report_id": "x1",
            "similarity": 1.0,
            "a_share": 1.0,
            "b_share": 1.0,
            "passages": json.dumps([whole]),
            "number_diffs": "[]",
        },
        {
            "id": "exact:x3:x1",
            "kind": "exact",
            "a_report_id": "x3",
            "b_report_id": "x1",
            "similarity": 1.0,
            "a_share": 1.0,
            "b_share": 1.0,
            "passages": json.dumps([whole]),
            "number_diffs": "[]",
        },
        {
            "id": "reuse:a22:a21",
            "kind": "reuse",
            "a_report_id": "a22",
            "b_report_id": "a21",
            "similarity": 0.55,
            "a_share": 0.6,
            "b_share": 0.58,
            "passages": json.dumps([[*ra, *rb]]),
            "number_diffs": "[]",
        },
        {
            "id": "reuse:a21:a20",
            "kind": "reuse",
            "a_report_id": "a21",
            "b_report_id": "a20",
            "similarity": 0.3,
            "a_share": 0.4,
            "b_share": 0.7,
            "passages": json.dumps([[*oa, *ob]]),
            "number_diffs": "[]",
        },
        {
            "id": "cross_agency:c22:s21",
            "kind": "cross_agency",
            "a_report_id": "c22",
            "b_report_id": "s21",
            "similarity": 0.4,
            "a_share": 0.7,
            "b_share": 0.5,
            "passages": json.dumps([[*ca, *cb]]),
            "number_diffs": json.dumps([diff]),
        },
    ]
    clusters = [
        {
            "id": "exact:x1",
            "kind": "exact",
            "canonical_report_id": "x1",
            "size": 3,
            "rule": "the agency's own host",
        },
        # the middle year is canonical here, so one pair has the canonical on its a side
        {
            "id": "reuse:a21",
            "kind": "reuse",
            "canonical_report_id": "a21",
            "size": 3,
            "rule": "least spam",
        },
        {
            "id": "cross_agency:s21",
            "kind": "cross_agency",
            "canonical_report_id": "s21",
            "size": 2,
            "rule": "the source",
        },
    ]
    members = [
        {
            "id": f"{cid}:{rid}",
            "cluster_id": cid,
            "report_id": rid,
            "similarity": sim,
            "is_canonical": int(canon),
        }
        for cid, rid, sim, canon in [
            ("exact:x1", "x1", 1.0, True),
            ("exact:x1", "x2", 1.0, False),
            ("exact:x1", "x3", 1.0, False),
            ("reuse:a21", "a21", 1.0, True),
            ("reuse:a21", "a22", 0.55, False),
            ("reuse:a21", "a20", 0.3, False),
            ("cross_agency:s21", "s21", 1.0, True),
            ("cross_agency:s21", "c22", 0.4, False),
        ]
    ]
    db = Database(path)
    ensure_schema(db)
    db["reports"].insert_all(rows, pk="id")
    db["audit_pairs"].insert_all(pairs, pk="id")
    db["clusters"].insert_all(clusters, pk="id")
    db["cluster_members"].insert_all(members, pk="id")
    db.close()
    return Truth(path, reports, clusters, members, pairs)


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Truth:
    return build_db(tmp_path_factory.mktemp("audit") / "nianbao.db")


@pytest.fixture(scope="module")
def report_dir(truth: Truth) -> Path:
    out = truth.db.parent / "audit"
    write_audit_report(truth.db, out)
    return out


def _texts(driver: object, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, css)]


@pytest.mark.browser
def test_report_loads_in_chromium_with_the_counts_inserted(browser, report_dir, truth) -> None:
    from selenium.webdriver.common.by import By

    browser.get((report_dir / "index.html").resolve().as_uri())
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    assert browser.find_element(By.ID, "cluster-count").text == str(len(truth.clusters))
    for kind in KINDS:
        clusters = sum(1 for c in truth.clusters if c["kind"] == kind)
        pairs = sum(1 for p in truth.pairs if p["kind"] == kind)
        assert _texts(browser, f"td.kind-clusters[data-kind='{kind}']") == [str(clusters)]
        assert _texts(browser, f"td.kind-pairs[data-kind='{kind}']") == [str(pairs)]
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.execute_script("return typeof window.__pwned") == "undefined"


@pytest.mark.browser
def test_copied_passages_are_highlighted_side_by_side(browser, report_dir) -> None:
    browser.get((report_dir / "index.html").resolve().as_uri())
    assert _texts(browser, "div.comparison[data-pair='reuse:a22:a21'] .left mark") == [COPY_REUSE]
    assert _texts(browser, "div.comparison[data-pair='reuse:a22:a21'] .right mark") == [COPY_REUSE]
    cross = "div.comparison[data-pair='cross_agency:c22:s21']"
    assert _texts(browser, f"{cross} mark") == [COPY_CROSS, COPY_CROSS]
    # left is the canonical source (b = 7), right the copier (a = 5)
    assert _texts(browser, f"{cross} table.numbers td.num") == ["7", "5"]
    old = "div.comparison[data-pair='reuse:a21:a20']"
    assert _texts(browser, f"{old} .left mark") == [COPY_OLD]  # the canonical is a here
    assert _texts(browser, f"{old} .right mark") == [COPY_OLD]
    unmarked = _texts(browser, "div.comparison[data-pair='reuse:a22:a21'] .right pre")[0]
    assert unmarked == f"甲局2022年政府信息公开工作年度报告。今年另有新内容。{COPY_REUSE}"


@pytest.mark.browser
def test_chinese_text_is_drawn_with_a_chinese_font(browser, report_dir) -> None:
    # Without one Chromium draws each character as a box in a Latin font (DejaVu, say), which
    # no DOM text check notices: ask Chromium which fonts drew the glyphs.
    from tests.conftest import chinese_fonts

    browser.get((report_dir / "index.html").resolve().as_uri())
    root = browser.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    browser.execute_cdp_cmd("CSS.enable", {})
    for css in (
        "div.comparison[data-pair='reuse:a22:a21'] .left mark",
        "#agency-table tbody td:first-child",
    ):
        node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": css})
        assert node["nodeId"], css
        fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})[
            "fonts"
        ]
        text = _texts(browser, css)[0]
        han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        drawn = sum(f["glyphCount"] for f in fonts if f["familyName"] in chinese_fonts())
        assert han and drawn >= han, (css, text, fonts)


@pytest.mark.browser
def test_filter_by_kind_hides_the_other_clusters(browser, report_dir) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get((report_dir / "index.html").resolve().as_uri())
    sections = browser.find_elements(By.CSS_SELECTOR, "section.cluster")
    assert sorted(s.get_attribute("data-kind") for s in sections) == [
        "cross_agency",
        "exact",
        "reuse",
    ]
    Select(browser.find_element(By.ID, "kind-filter")).select_by_value("reuse")
    shown = [s.get_attribute("data-kind") for s in sections if s.is_displayed()]
    assert shown == ["reuse"]
    assert browser.find_element(By.ID, "filter-status").text.startswith("1 of 3")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.browser
def test_reuse_chart_and_agency_view(browser, report_dir) -> None:
    from selenium.webdriver.common.by import By

    browser.get((report_dir / "index.html").resolve().as_uri())
    bars = browser.find_elements(By.CSS_SELECTOR, "#reuse-chart g.year")
    assert [(b.get_attribute("data-year"), b.get_attribute("data-pairs")) for b in bars] == [
        ("2021", "1"),
        ("2022", "1"),
    ]
    rows = {
        tuple(r.find_elements(By.TAG_NAME, "td")[i].text for i in range(6))
        for r in browser.find_elements(By.CSS_SELECTOR, "#agency-table tbody tr")
    }
    assert rows == {
        ("乙局", "3", "1", "0", "0", "0"),
        ("甲局", "3", "1", "2", "0", "0"),
        ("丁局", "1", "1", "0", "0", "1"),
        (EVIL_AGENCY, "1", "1", "0", "1", "0"),
    }


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_rows_equal_the_rows_inserted(truth, tmp_path) -> None:
    write_audit_csv(load_audit(truth.db), tmp_path)
    url = {rid: str(r["url"]) for rid, r in truth.reports.items()}
    assert {
        (r["cluster"], r["kind"], r["canonical_url"], int(r["size"]))
        for r in _csv(tmp_path / "clusters.csv")
    } == {(c["id"], c["kind"], url[c["canonical_report_id"]], c["size"]) for c in truth.clusters}
    assert sorted(
        (r["cluster"], r["url"], float(r["similarity"]), int(r["is_canonical"]))
        for r in _csv(tmp_path / "members.csv")
    ) == sorted(
        (m["cluster_id"], url[m["report_id"]], m["similarity"], m["is_canonical"])
        for m in truth.members
    )
    assert sorted(
        (
            r["kind"],
            r["a_url"],
            r["b_url"],
            float(r["similarity"]),
            float(r["a_share"]),
            float(r["b_share"]),
            int(r["numbers_differing"]),
        )
        for r in _csv(tmp_path / "pairs.csv")
    ) == sorted(
        (
            p["kind"],
            url[p["a_report_id"]],
            url[p["b_report_id"]],
            p["similarity"],
            p["a_share"],
            p["b_share"],
            len(json.loads(p["number_diffs"])),
        )
        for p in truth.pairs
    )


class _Tags(HTMLParser):
    """Every start tag and its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_report_text_is_escaped_and_nothing_is_loaded_from_outside(truth, tmp_path) -> None:
    html = write_audit_html(load_audit(truth.db), tmp_path / "index.html").read_text("utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1;&lt;/script&gt;恶意标题" in html
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in html
    parser = _Tags()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert tags.count("script") == 1 and "img" not in tags and "b" not in tags
    for tag, attrs in parser.tags:
        assert "src" not in attrs, tag
        assert not any("://" in (value or "") for value in attrs.values()), (tag, attrs)


def test_large_archives_show_only_the_largest_clusters(truth, tmp_path) -> None:
    data = load_audit(truth.db, detail_limit=2, comparisons_per_cluster=1)
    assert [d.cluster.id for d in data.details] == ["exact:x1", "reuse:a21"]
    assert data.details_omitted == 1
    assert data.details[0].omitted == 1  # x1 against x2 shown, x3 left out
    html = write_audit_html(data, tmp_path / "index.html").read_text("utf-8")
    assert html.count('<section class="cluster"') == 2
    assert "1 smaller ones are left out" in html


def test_long_copied_passages_show_their_ends_only() -> None:
    text = "前" + "抄" * 1000 + "后"
    out = marked_text(text, [(1, 1001), (500, 700)])
    assert out.count("<mark>") == 1
    assert out.startswith("前<mark>" + "抄" * PASSAGE_END + '<span class="gap">')
    assert "700 copied characters" in out and out.endswith("</mark>后")


def test_audit_command_without_database_names_the_fix(tmp_path) -> None:
    result = CliRunner().invoke(main, ["audit", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "nianbao crawl" in result.output and "--db" in result.output


def test_audit_command_runs_the_audit_then_writes_next_to_the_db(tmp_path, monkeypatch) -> None:
    truth = build_db(tmp_path / "nianbao.db")
    calls: list[Path] = []
    fake = types.ModuleType("nianbao.archive.audit")
    fake.run_audit = lambda db, progress=None: calls.append(db)  # the audit tables are set
    monkeypatch.setitem(sys.modules, "nianbao.archive.audit", fake)
    result = CliRunner().invoke(main, ["audit", "--db", str(truth.db)])
    assert result.exit_code == 0, result.output
    assert calls == [truth.db]
    out = tmp_path / "audit"
    assert sorted(p.name for p in out.iterdir()) == [
        "clusters.csv",
        "index.html",
        "members.csv",
        "pairs.csv",
    ]
    assert "3 clusters" in result.output and "5 pairs" in result.output


def test_audit_command_has_help() -> None:
    result = CliRunner().invoke(main, ["audit", "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output and "--out" in result.output


def test_two_hundred_largest_clusters_get_sections_the_rest_a_note(tmp_path) -> None:
    db = Database(tmp_path / "many.db")
    ensure_schema(db)
    text = "年报" * 3000  # long enough that the cap on shown text matters
    db["reports"].insert_all([_report(f"r{i}", f"局{i}", 2021, text) for i in range(420)], pk="id")
    # cluster i has i % 7 + 2 members: r{2i} canonical, r{2i+1} and pointers back to it
    sizes = {f"exact:r{2 * i}": i % 7 + 2 for i in range(210)}
    db["clusters"].insert_all(
        [
            {"id": cid, "kind": "exact", "canonical_report_id": cid[6:], "size": size, "rule": "r"}
            for cid, size in sizes.items()
        ],
        pk="id",
    )
    db["cluster_members"].insert_all(
        [
            {
                "id": f"exact:r{2 * i}:r{2 * i + k}",
                "cluster_id": f"exact:r{2 * i}",
                "report_id": f"r{2 * i + k}",
                "similarity": 1.0,
                "is_canonical": int(k == 0),
            }
            for i in range(210)
            for k in (0, 1)
        ],
        pk="id",
    )
    db["audit_pairs"].insert_all(
        [
            {
                "id": f"exact:r{2 * i + 1}:r{2 * i}",
                "kind": "exact",
                "a_report_id": f"r{2 * i + 1}",
                "b_report_id": f"r{2 * i}",
                "similarity": 1.0,
                "a_share": 1.0,
                "b_share": 1.0,
                "passages": json.dumps([[0, len(text), 0, len(text)]]),
                "number_diffs": "[]",
            }
            for i in range(210)
        ],
        pk="id",
    )
    db.close()
    report = write_audit_report(tmp_path / "many.db", tmp_path / "audit")
    html = report.html.read_text("utf-8")
    assert report.clusters == 210 and report.details_omitted == 10
    assert html.count('<section class="cluster"') == 200
    assert "10 smaller ones are left out" in html
    # the ten left out are ten of the 30 smallest (size 2)
    shown = {cid for cid in sizes if f'data-cluster="{cid}"' in html}
    assert all(sizes[cid] == 2 for cid in set(sizes) - shown)
    assert report.html.stat().st_size < 1_500_000  # whole copies are shown by their ends only
