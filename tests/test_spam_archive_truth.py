"""Spam from words and shapes the detector never saw, found with the other copies archived.

Every report of a simulated world whose mirror draws from the held-out vocabulary (and,
apart, from brand shapes the detector was not written for) is stored in one database, as a
crawl that archived the mirror and the originals does, and restore_all runs. Truth is
simweb's: what its mirror injected (simweb/spam.py), from vocabularies that share no word
with the extractor (tests/test_spam_vocab.py). bench/spam.py measures the same at scale.
"""

from __future__ import annotations

from collections import Counter

import pytest

from nianbao.archive.restore import restore_all
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import report_id
from nianbao.archive.warc.reader import sha1_digest
from nianbao.simweb import build_world
from tests.conftest import store_page

KINDS = ("entity_hijack", "keyword_swap", "stuffed_header", "pinyin")


@pytest.mark.parametrize("vocabulary", ["heldout", "novel"])
def test_every_injection_is_found_and_nothing_else(tmp_path, vocabulary: str) -> None:
    world = build_world(seed=7, reports=240, spam_vocabulary=vocabulary)
    store = Store(tmp_path / "nianbao.db")
    ids = {}
    for number, truth in enumerate(world.reports):
        page = world.lookup(truth.url)
        headers = {k.lower(): v for k, v in page.headers}
        report = store_page(store, truth.url, headers, page.body, f"<urn:uuid:{number}>", "2026")
        if report.is_report:
            ids[truth.url] = report_id(truth.url, sha1_digest(page.body))
    with store.transaction():
        restore_all(store.db)
    found: dict[str, Counter[tuple[str, str]]] = {}
    for rid, kind, injected in store.db.execute(
        "select report_id, kind, injected from spam_findings"
    ):
        found.setdefault(rid, Counter())[(kind, injected)] += 1
    expected = {
        ids[t.url]: Counter({(s.kind, s.injected): s.count for s in t.spam})
        for t in world.reports
        if t.spam
    }
    assert {kind for counts in expected.values() for kind, _ in counts} == set(KINDS)
    missed = {rid: +(counts - found.get(rid, Counter())) for rid, counts in expected.items()}
    extra = {rid: +(counts - expected.get(rid, Counter())) for rid, counts in found.items()}
    assert {rid: m for rid, m in missed.items() if m} == {}
    assert {rid: e for rid, e in extra.items() if e} == {}
