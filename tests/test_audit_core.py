"""The duplicate and reuse audit on hand-built archives whose relations the test decides.

Reports are the real seed texts, copies and edits of them made here (the truth: this file
made the copy), and filler reports of the national template (its labels, headings and stock
sentences) around prose of random characters, so fillers share the template and nothing else.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from nianbao.archive.audit import run as audit_run
from nianbao.archive.audit import run_audit
from nianbao.archive.audit.clusters import canonical
from nianbao.archive.audit.normalize import jaccard, raw_shingles
from nianbao.archive.audit.relations import ReportInfo, classify
from nianbao.archive.store.database import Store
from nianbao.extract.script import converter, to_simplified
from nianbao.simweb.template import SECTION_HEADINGS, TEMPLATE_INTRO, table3_rows
from tests.seeds import seed_text

STOCK = (
    "本报告中所列数据的统计期限自1月1日起至12月31日止。"
    "本报告的电子版可在本机关门户网站的政府信息公开专栏下载。"
    "如对本报告有任何疑问，请与本机关政府信息公开工作机构联系。"
)
AUDIT_TABLES = ("audit_pairs", "clusters", "cluster_members", "audit_minhash", "audit_boilerplate")


def template_skeleton(rng: random.Random) -> str:
    """What every template report prints: intro, headings, table 3 labels, stock sentences."""
    lines = [TEMPLATE_INTRO]
    lines += [f"{headings[0]}" for headings in SECTION_HEADINGS]
    lines += [f"{block}{row} {rng.randrange(100)}" for block, row in table3_rows("2019")]
    lines.append(STOCK)
    return "\n".join(lines)


def random_prose(rng: random.Random, sentences: int = 8) -> str:
    """Sentences of random Han characters: shared with no other report."""
    return "\n".join(
        "".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(15)) + "。"
        for _ in range(sentences)
    )


def add_report(
    store: Store,
    rid: str,
    url: str,
    text: str,
    *,
    agency: str,
    year: int,
    captured: str,
    script: str = "Hans",
    spam: bool = False,
    stats: dict[tuple[int, str, str, str], int] | None = None,
) -> None:
    """One reports row (and its capture, cells and spam finding) as ingest would write it."""
    host = url.split("/")[2]
    store.put_capture(
        {
            "id": f"cap-{rid}",
            "record_type": "response",
            "url": url,
            "host": host,
            "date": captured,
            "status": 200,
        }
    )
    row = {
        "id": rid,
        "capture_id": f"cap-{rid}",
        "url": url,
        "host": host,
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "agency": agency,
        "year": year,
        "published": f"{year + 1}-01-20",
        "script": script,
        "generation": "2019",
        "text": text,
        "text_original": text,
        "text_simplified": to_simplified(text),
        "spam_score": 0.9 if spam else 0.0,
        "notes": "[]",
    }
    cells = tuple(
        {
            "id": f"{rid}:{t}:{b}:{r}:{c}",
            "report_id": rid,
            "table_no": t,
            "block": b,
            "row": r,
            "column": c,
            "value": v,
            "raw": str(v),
        }
        for (t, b, r, c), v in (stats or {}).items()
    )
    findings = (
        (
            {
                "id": f"{rid}:0:keyword_swap",
                "report_id": rid,
                "kind": "keyword_swap",
                "start": 0,
                "end": 4,
                "injected": "滚球体育",
            },
        )
        if spam
        else ()
    )
    store.put_report(row, {"stats": cells, "spam_findings": findings}, captured)


def filler(store: Store, rng: random.Random, rid: str, agency: str, year: int) -> str:
    """A template report with prose of its own; returns its text."""
    text = (
        f"{agency}{year}年政府信息公开工作年度报告\n{random_prose(rng)}\n{template_skeleton(rng)}"
    )
    add_report(
        store,
        rid,
        f"http://{rid}.beijing.gov.cn/nb/{year}.html",
        text,
        agency=agency,
        year=year,
        captured="2024-03-01T00:00:00Z",
    )
    return text


CELLS_2020 = {
    (3, "", "（一）予以公开", "自然人"): 12,
    (3, "", "（七）总计", "自然人"): 30,
    (2, "第二十条第（一）项", "规章", "本年新制作数量"): 3,
    (4, "行政复议", "维持", ""): 1,
}
CHANGED = {(3, "", "（一）予以公开", "自然人"): 15, (3, "", "（七）总计", "自然人"): 33}


def build_archive(path: Path) -> dict[str, str]:
    """The test archive; returns its texts by report id (ids name what each report is)."""
    rng = random.Random(6)
    texts: dict[str, str] = {}
    with Store(path) as store:
        for i in range(24):
            texts[f"fill{i:02d}"] = filler(store, rng, f"fill{i:02d}", f"北京市第{i}局", 2020)
        for year in (2019, 2020):  # one agency, two years, nothing shared but the template
            texts[f"tpl{year}"] = filler(store, rng, f"tpl{year}", "北京市统计局", year)
        # an exact copy of seed 001 at another URL, laid out differently
        original = seed_text(1)
        texts["orig"] = original
        add_report(
            store,
            "orig",
            "http://swj.example.gov.cn/nb/2019.html",
            original,
            agency="市商务局",
            year=2019,
            captured="2024-01-01T00:00:00Z",
        )
        copy = original.replace("，", ",").replace("\n", "\n\n  ")
        texts["copy"] = copy
        add_report(
            store,
            "copy",
            "http://www.other.gov.cn/zwgk/nb2019.html",
            copy,
            agency="市商务局",
            year=2019,
            captured="2024-01-05T00:00:00Z",
        )
        # a Traditional gateway twin of a Simplified page (seed 000 is printed Traditional)
        simplified = to_simplified(seed_text(0))
        texts["twin_src"] = simplified
        add_report(
            store,
            "twin_src",
            "http://sw.beijing.gov.cn/nb/2019.html",
            simplified,
            agency="北京市商务局",
            year=2019,
            captured="2024-02-02T00:00:00Z",
        )
        twin = converter("s2t").convert(simplified)
        texts["twin"] = twin
        add_report(
            store,
            "twin",
            "http://www.beijing.gov.cn/gate/big5/sw.beijing.gov.cn/nb/2019.html",
            twin,
            agency="北京市商務局",
            year=2019,
            script="Hant",
            captured="2024-02-01T00:00:00Z",
        )  # captured first, still not canonical
        # next year's report reposting last year's text with changed numbers
        last_year = seed_text(3)
        texts["y2020"] = last_year
        add_report(
            store,
            "y2020",
            "http://sw.bjdx.gov.cn/nb/2020.html",
            last_year,
            agency="北京市大兴区商务局",
            year=2020,
            captured="2024-01-01T00:00:00Z",
            stats=CELLS_2020,
        )
        reposted = re.sub(r"\d+", lambda m: str(int(m.group()) + 3), last_year)
        texts["y2021"] = reposted
        add_report(
            store,
            "y2021",
            "http://sw.bjdx.gov.cn/nb/2021.html",
            reposted,
            agency="北京市大兴区商务局",
            year=2021,
            captured="2024-01-01T00:00:00Z",
            stats=CELLS_2020 | CHANGED,
        )
        # a spam mirror of a clean page, on an unrelated domain
        clean = to_simplified(seed_text(2))
        texts["clean"] = clean
        add_report(
            store,
            "clean",
            "http://csglw.beijing.gov.cn/nb/2020.html",
            clean,
            agency="北京市城市管理委员会",
            year=2020,
            captured="2024-01-03T00:00:00Z",
        )
        texts["mirror"] = clean
        add_report(
            store,
            "mirror",
            "http://www.spam-example.com/nb/2020.html",
            clean,
            agency="北京市城市管理委员会",
            year=2020,
            captured="2024-01-02T00:00:00Z",
            spam=True,
        )
    return texts


EXPECTED = {
    ("exact", "copy", "orig"),
    ("script_twin", "twin", "twin_src"),
    ("reuse", "y2021", "y2020"),
    ("spam_mirror", "mirror", "clean"),
}


def pairs(db: Path) -> dict[tuple[str, str, str], dict]:
    with Store(db) as store:
        return {
            (r["kind"], r["a_report_id"], r["b_report_id"]): r
            for r in store.db.table("audit_pairs").rows
        }


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with Store(db) as store:
        return {table: store.rows(table) for table in AUDIT_TABLES}


def test_each_made_relation_is_found_with_its_kind_and_nothing_else(tmp_path):
    db = tmp_path / "db.sqlite"
    build_archive(db)
    summary = run_audit(db)
    assert set(pairs(db)) == EXPECTED
    assert summary.pairs == {"exact": 1, "script_twin": 1, "reuse": 1, "spam_mirror": 1}
    assert summary.reports == summary.new_reports == 34


def test_reuse_pair_carries_the_changed_numbers_and_aligned_passages(tmp_path):
    db = tmp_path / "db.sqlite"
    texts = build_archive(db)
    run_audit(db)
    row = pairs(db)[("reuse", "y2021", "y2020")]
    diffs = json.loads(row["number_diffs"])
    assert {(d["table"], d["block"], d["row"], d["column"], d["a"], d["b"]) for d in diffs} == {
        (*key, CHANGED[key], CELLS_2020[key]) for key in CHANGED
    }
    a_text, b_text = to_simplified(texts["y2021"]), to_simplified(texts["y2020"])
    passages = json.loads(row["passages"])
    assert passages and all(
        a_text[a0:a1] == b_text[b0:b1] and a1 - a0 >= 20 for a0, a1, b0, b1 in passages
    )
    assert row["a_share"] > 0.6 and row["b_share"] > 0.6  # only the numbers changed


def test_reports_sharing_only_the_template_are_not_paired(tmp_path):
    db = tmp_path / "db.sqlite"
    texts = build_archive(db)
    # without masking they would pair: the template is most of each text
    assert jaccard(raw_shingles(texts["tpl2019"]), raw_shingles(texts["tpl2020"])) > 0.5
    run_audit(db)
    paired = {rid for key in pairs(db) for rid in key[1:]}
    assert not paired & {rid for rid in texts if rid.startswith(("fill", "tpl"))}


def test_canonical_rule_prefers_own_host_then_capture_then_spam_then_id():
    def info(
        rid: str, url: str, captured: str, spam_score: float = 0.0, has_spam: bool = False
    ) -> ReportInfo:
        return ReportInfo(
            rid,
            url,
            url.split("/")[2],
            "北京市商务局",
            2019,
            "2020-01-20",
            "Hans",
            spam_score,
            has_spam,
            captured,
            "h",
        )

    gateway = info(
        "a", "http://www.beijing.gov.cn/gate/big5/sw.beijing.gov.cn/x.html", "2024-01-01"
    )
    mirror = info("b", "http://www.spam-example.com/x.html", "2024-01-01", 0.9, True)
    own_late = info("c", "http://sw.beijing.gov.cn/x.html", "2024-03-01")
    own_early = info("d", "http://sw.beijing.gov.cn/y.html", "2024-02-01", 0.2)
    own_early_clean = info("e", "http://www.other.gov.cn/y.html", "2024-02-01", 0.0)
    own_early_clean_z = info("f", "http://www.third.gov.cn/y.html", "2024-02-01", 0.0)
    assert canonical("exact", [gateway, mirror, own_late])[0] is own_late
    assert canonical("exact", [own_late, own_early])[0] is own_early
    assert canonical("exact", [own_early, own_early_clean])[0] is own_early_clean
    assert canonical("exact", [own_early_clean_z, own_early_clean])[0] is own_early_clean


def test_clusters_link_each_copy_to_its_canonical(tmp_path):
    db = tmp_path / "db.sqlite"
    build_archive(db)
    run_audit(db)
    with Store(db) as store:
        clusters = {
            (r["kind"], r["canonical_report_id"]): r["size"]
            for r in store.db.table("clusters").rows
        }
        members = {
            (r["cluster_id"], r["report_id"], r["is_canonical"])
            for r in store.db.table("cluster_members").rows
        }
    assert clusters == {
        ("exact", "orig"): 2,
        ("script_twin", "twin_src"): 2,
        ("reuse", "y2020"): 2,
        ("spam_mirror", "clean"): 2,
    }
    assert ("script_twin:twin_src", "twin", 0) in members
    assert ("script_twin:twin_src", "twin_src", 1) in members


def test_audit_is_idempotent(tmp_path):
    db = tmp_path / "db.sqlite"
    build_archive(db)
    run_audit(db)
    first = snapshot(db)
    again = run_audit(db)
    assert snapshot(db) == first
    assert (again.new_reports, again.candidate_pairs, again.verified_pairs) == (0, 0, 0)


def test_second_audit_verifies_only_pairs_with_new_reports(tmp_path, monkeypatch):
    db = tmp_path / "db.sqlite"
    texts = build_archive(db)
    run_audit(db)
    before = pairs(db)
    with Store(db) as store:
        add_report(
            store,
            "late_copy",
            "http://www.repost.gov.cn/fill03.html",
            texts["fill03"],
            agency="北京市第3局",
            year=2020,
            captured="2024-05-01T00:00:00Z",
        )
        filler(store, random.Random(99), "late_new", "北京市第99局", 2020)
    checked: list[tuple[str, str]] = []
    verify = audit_run._verify

    def recording(x, y, masked):
        checked.append((x.id, y.id))
        return verify(x, y, masked)

    monkeypatch.setattr(audit_run, "_verify", recording)
    summary = run_audit(db)
    assert summary.new_reports == 2
    assert checked and all({"late_copy", "late_new"} & set(pair) for pair in checked)
    assert summary.verified_pairs == 1
    after = pairs(db)
    assert set(after) - set(before) == {("exact", "late_copy", "fill03")}
    assert all(after[key] == row for key, row in before.items())


def test_simulated_web_relations_are_found_and_distinct_pairs_are_not_clustered(tmp_path):
    """Crawl-free: simweb report pages through extraction and the store, then the audit."""
    from nianbao.archive.audit.clusters import components
    from nianbao.simweb import build_world
    from tests.conftest import store_page

    world = build_world(0)
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        for i, truth in enumerate(world.reports):
            page = world.lookup(truth.url)
            date = f"2024-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"
            store_page(
                store,
                truth.url,
                {k.lower(): v for k, v in page.headers},
                page.body,
                f"cap{i}",
                date,
            )
    run_audit(db)
    with Store(db) as store:
        url = dict(store.db.execute("select id, url from reports"))
        found = {
            (r["kind"], url[r["a_report_id"]], url[r["b_report_id"]])
            for r in store.db.table("audit_pairs").rows
        }
        clusters: dict[str, set[str]] = {}
        members = store.db.execute("select cluster_id, report_id from cluster_members")
        for cluster_id, rid in members:
            clusters.setdefault(cluster_id, set()).add(url[rid])
    truth = {(r.kind, r.a_url, r.b_url) for r in world.relations}
    assert {kind for kind, _, _ in truth} == {
        "exact",
        "script_twin",
        "spam_mirror",
        "near_duplicate",
        "reuse",
        "cross_agency",
    }
    for kind in sorted({kind for kind, _, _ in truth}):
        want = {t for t in truth if t[0] == kind}
        got = {f for f in found if f[0] == kind}
        print(
            f"{kind}: recall {len(want & got)}/{len(want)}, exact precision "
            f"{len(want & got)}/{len(got)}"
        )
    assert truth <= found  # every relation, with its kind and direction
    # a pair beyond the truth only joins copies of one original (a mirror of a twin …)
    group = {u: i for i, comp in enumerate(components((a, b) for _, a, b in truth)) for u in comp}
    assert all(group.get(a, a) == group.get(b, b) for _, a, b in found - truth)
    assert world.distinct_pairs
    assert not [
        pair
        for pair in world.distinct_pairs
        if any(set(pair) <= members for members in clusters.values())
    ]


def _report(rid: str, agency: str, year: int, text_hash: str) -> ReportInfo:
    return ReportInfo(
        rid,
        f"http://sw.beijing.gov.cn/{rid}.html",
        "sw.beijing.gov.cn",
        agency,
        year,
        f"{year + 1}-01-20",
        "Hans",
        0.0,
        False,
        "2024-01-01",
        text_hash,
    )


def test_the_documented_thresholds_decide_each_kind() -> None:
    # README: reuse at masked Jaccard >= 0.3, near duplicate and cross-agency at >= 0.5; pairs
    # just either side of each (the crawled data's lowest similarity, 0.83, cannot tell)
    shop, water = "北京市商务局", "北京市水务局"
    cases = [
        (_report("a", shop, 2020, "h1"), _report("b", shop, 2021, "h2"), 0.32, "reuse"),
        (_report("a", shop, 2020, "h1"), _report("b", shop, 2021, "h2"), 0.28, None),
        (_report("a", shop, 2020, "h1"), _report("b", shop, 2020, "h2"), 0.52, "near_duplicate"),
        (_report("a", shop, 2020, "h1"), _report("b", shop, 2020, "h2"), 0.48, None),
        (_report("a", shop, 2020, "h1"), _report("b", water, 2020, "h2"), 0.52, "cross_agency"),
        (_report("a", shop, 2020, "h1"), _report("b", water, 2020, "h2"), 0.48, None),
    ]
    got = [getattr(classify(x, y, similarity), "kind", None) for x, y, similarity, _ in cases]
    assert got == [kind for *_, kind in cases]
