"""Restore the words spam replaced, from another copy of the same report in the archive.

A spam copy keeps the real text around each injected brand or swapped term. The words
just before and after an injection (its anchors) are looked up in a clean copy of the same
report (same report year, most shared passages, no spam of its own); what the clean copy
prints between the anchors is the word the spam replaced. Copies are compared in their
Simplified form, so a Traditional gateway twin serves as well as a Simplified original.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from extract.script import to_simplified

ANCHOR = 12  # characters of context on each side of an injection
MIN_ANCHOR = 4  # shorter contexts match too often to trust
MAX_WORD = 30  # a restored name or word longer than this is a misalignment
SAMPLES = 24  # passages sampled to measure how much two copies share
MIN_SHARED = 0.5  # share of sampled passages a clean copy must contain
RESTORABLE = ("entity_hijack", "keyword_swap")


@dataclass(frozen=True)
class Restoration:
    """One finding's original words, and the report they were read from."""

    finding_id: str
    restored: str
    source_report: str


def shared_share(text: str, other: str, seed: str) -> float:
    """The share of sampled 10-character passages of ``text`` that ``other`` contains."""
    spots = [i for i in range(0, max(len(text) - 10, 0), 10) if "□" not in text[i:i + 10]]
    if not spots:
        return 0.0
    picked = random.Random(seed).sample(spots, min(SAMPLES, len(spots)))
    return sum(text[i:i + 10] in other for i in picked) / len(picked)


def between_anchors(text: str, start: int, end: int, spans: list[tuple[int, int]],
                    clean: str) -> tuple[int, int] | None:
    """Where ``clean`` prints what stands at ``text[start:end]``, found between its anchors."""
    left_from = max([e for _, e in spans if e <= start] + [start - ANCHOR, 0])
    right_to = min([s for s, _ in spans if s >= end] + [end + ANCHOR, len(text)])
    left, right = text[left_from:start], text[end:right_to]
    if len(left) < MIN_ANCHOR or len(right) < MIN_ANCHOR:
        return None
    found = clean.find(left)
    while found != -1:
        middle_from = found + len(left)
        stop = clean.find(right, middle_from, middle_from + MAX_WORD + len(right))
        if stop > middle_from:
            return middle_from, stop
        found = clean.find(left, found + 1)
    return None


def restore_report(text: str, findings: list[tuple[str, str, int, int]],
                   copies: Iterable[tuple[str, str]]) -> list[Restoration]:
    """Restorations for one spam report's findings (id, kind, start, end) from clean copies.

    ``text`` is the report's original (spammed) text; ``copies`` are (report id, text) of
    candidate clean copies. The copy sharing most passages is used.
    """
    simple = to_simplified(text)
    spans = sorted((s, e) for _, _, s, e in findings)
    best_id, best_text, best_share = "", "", 0.0
    for report_id, other in copies:
        other_simple = to_simplified(other)
        share = shared_share(simple, other_simple, report_id)
        if share > best_share:
            best_id, best_text, best_share = report_id, other, share
    if best_share < MIN_SHARED:
        return []
    best_simple = to_simplified(best_text)
    restored = []
    for finding_id, kind, start, end in findings:
        if kind not in RESTORABLE:
            continue
        others = [span for span in spans if span != (start, end)]
        place = between_anchors(simple, start, end, others, best_simple)
        if place is not None:
            # t2s keeps lengths, so the place is the same in the copy's own script
            restored.append(Restoration(finding_id, best_text[place[0]:place[1]], best_id))
    return restored


def same_report(spam: tuple, other: tuple) -> bool:
    """Cheap test that two reports of one year may be copies: a shared date, 索引号 or title.

    Rows are (id, year, published, index_no, title); a title with holes (□) matches a title
    that has its remaining parts in order.
    """
    _, _, published, index_no, title = spam
    _, _, other_published, other_index, other_title = other
    if published and published == other_published:
        return True
    if index_no and index_no == other_index:
        return True
    if not title or not other_title:
        return False
    at = 0
    for part in to_simplified(title).split("□"):
        at = to_simplified(other_title).find(part, at)
        if at == -1:
            return False
        at += len(part)
    return True


def restore_all(db: Database) -> int:
    """Fill spam_findings.restored for every spam report that has a clean copy; returns count.

    Candidates are the reports of the same report year, without spam findings of their own,
    that share a date, 索引号 or title with the spam report.
    """
    spam_ids = {rid for (rid,) in db.execute(
        f"select distinct report_id from spam_findings where kind in "
        f"({', '.join('?' * len(RESTORABLE))})", list(RESTORABLE))}
    if not spam_ids:
        return 0
    dirty = {rid for (rid,) in db.execute("select distinct report_id from spam_findings")}
    rows = db.execute(
        "select id, year, published, index_no, title from reports order by id").fetchall()
    by_year: dict[object, list[tuple]] = {}
    for row in rows:
        by_year.setdefault(row[1], []).append(row)
    count = 0
    for spam in (row for row in rows if row[0] in spam_ids):
        candidates = [other[0] for other in by_year[spam[1]]
                      if other[0] not in dirty and same_report(spam, other)]
        if not candidates:
            continue
        text = db.execute("select text_original from reports where id = ?", [spam[0]]).fetchone()
        marks = ", ".join("?" * len(candidates))
        copies = db.execute(
            f"select id, text_original from reports where id in ({marks}) order by id",
            candidates).fetchall()
        findings = db.execute(
            'select id, kind, start, "end" from spam_findings where report_id = ? order by start',
            [spam[0]]).fetchall()
        for item in restore_report(text[0] or "", findings, copies):
            db.execute("update spam_findings set restored = ?, restored_from = ? where id = ?",
                       [item.restored, item.source_report, item.finding_id])
            count += 1
    return count
