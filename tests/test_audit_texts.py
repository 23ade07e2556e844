"""The audit compares a spam copy with its restored words back in the holes spam left."""

from __future__ import annotations

import random
from pathlib import Path

from nianbao.archive.audit import run_audit
from nianbao.archive.audit.texts import comparable_text, fill_holes
from nianbao.archive.restore.words import restore_all
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import report_id
from nianbao.archive.warc.reader import sha1_digest
from nianbao.extract.spam import HOLE
from nianbao.simweb.reports import make_title, prose_sections
from tests.conftest import store_page

FILLERS = 120
SWAP = "买球网站"  # the keyword-swap term: 公开 and 政府 both became it (REPORT_FORMAT.md)


def page(text: str) -> bytes:
    """A bare report page: the title as <h1>, every other line a paragraph."""
    title, *lines = [line for line in text.splitlines() if line.strip()]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<h1>{title}</h1><div class='article'>{paragraphs}</div></body></html>"
    ).encode()


def ingest(store: Store, url: str, text: str) -> str:
    """Extract ``text`` served at ``url`` and store it as ingest would; its report id."""
    body = page(text)
    report = store_page(
        store,
        url,
        {"content-type": "text/html; charset=utf-8"},
        body,
        f"cap-{url}",
        "2024-01-01T00:00:00Z",
    )
    assert report.is_report, url
    return report_id(url, sha1_digest(body))


def prose_report(rng: random.Random, agency: str, year: int) -> str:
    """A 2008–2018 prose report as the simulated web writes one: title, then its sections."""
    lines = [make_title(rng, agency, year, "prose")]
    for section in prose_sections(rng, agency, year):
        lines += [section.heading, section.text]
    return "\n".join(lines)


def test_fill_holes_in_order_and_only_when_counts_agree() -> None:
    assert fill_holes(f"主动{HOLE}{HOLE}信息", ["公开", "政府"]) == "主动公开政府信息"
    assert fill_holes(f"主动{HOLE}{HOLE}信息", ["公开", None]) == f"主动公开{HOLE}信息"
    # the page printed a □ of its own: which hole is which is unknown, nothing is filled
    assert fill_holes(f"{HOLE}主动{HOLE}", ["公开"]) == f"{HOLE}主动{HOLE}"
    assert fill_holes("全文", []) == "全文"


def test_keyword_swapped_mirror_pairs_with_its_clean_copy(tmp_path: Path) -> None:
    db_path = tmp_path / "nianbao.db"
    rng = random.Random(3)
    clean = prose_report(rng, "北京市延庆区长安街道办事处", 2008)
    mirror = clean.replace("公开", SWAP).replace("政府", SWAP)
    with Store(db_path) as store:
        # other agencies' prose reports: the audit learns their shared stock phrasing
        for i in range(FILLERS):
            ingest(
                store,
                f"http://www.d{i}.gov.cn/zwgk/nb/2008.html",
                prose_report(rng, f"北京市第{i}局", 2008),
            )
        original = ingest(store, "http://www.bjyq.gov.cn/zwgk/nb/2008.html", clean)
        copy = ingest(store, "http://www.example-sports.com/news/8831.html", mirror)
        swaps = store.db.execute(
            "select count(*) from spam_findings where report_id = ? and kind = 'keyword_swap'",
            [copy],
        ).fetchone()[0]
    assert swaps >= 10

    def mirror_pairs() -> set[tuple]:
        with Store(db_path) as store:
            return set(
                store.db.execute(
                    "select kind, a_report_id, b_report_id from audit_pairs"
                    " where kind = 'spam_mirror'"
                )
            )

    run_audit(db_path)
    # With holes where 公开 and 政府 were, the copy is too unlike its original to pair.
    assert mirror_pairs() == set()
    with Store(db_path) as store:
        assert restore_all(store.db) == swaps
        assert HOLE not in comparable_text(store.db, copy)
    run_audit(db_path)  # the restored words changed the copy's text: it is audited again
    assert mirror_pairs() == {("spam_mirror", copy, original)}
