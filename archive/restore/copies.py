"""Spam that another copy of the same report proves: the report read again with it.

A page alone cannot tell where a brand glued to the real name ends, nor a brand without a
site-name shape from a name (issue 11). Two copies of one report in the archive can: each
pair that shares a date, 索引号 or title and most of its passages is compared
(extract/copies.py), and a report the comparison proves spam in is read again from its
original text with those substitutions known (extract/body.py). Its clean text, sections,
figures, spam findings and fields are rewritten; its tables, read from the page's cells,
stay. Everything is derived from text_original, so running this again, or on a database
rebuilt from the same WARCs, gives the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from nianbao.archive.restore.pairs import IN_TEXT, same_report, shared_share
from nianbao.archive.store.rows import figure_rows, section_rows, spam_rows
from nianbao.extract.body import Body, body_fields, read_body
from nianbao.extract.copies import compare_copies
from nianbao.extract.copy_diff import undo
from nianbao.extract.script import to_simplified
from nianbao.extract.spam import SpamFinding, Substitution, detection_text

COPY_SHARE = 0.8  # share of sampled passages a copy must print once the spam is undone


def copy_evidence(db: Database) -> int:
    """Read again each report in which another copy proves spam; returns reports rewritten."""
    rows = db.execute(
        # the title as printed: restore_fields rewrites ``title``, and pairs must not change
        "select id, year, published, index_no, title_original, host from reports order by id"
    ).fetchall()
    hosts = {row[0]: row[5] for row in rows}
    text = _DetectionTexts(db)
    # Per page, the copy that shares most once its spam is undone: two reports of one
    # template and date share half their passages, a copy shares (almost) all of them.
    best: dict[str, tuple[float, str, tuple[Substitution, ...]]] = {}
    for a, b in candidate_pairs([row[:5] for row in rows]):
        a_subs, b_subs = compare_copies(text(a), text(b), hosts[a], hosts[b])
        for page_id, clean_id, subs in ((a, b, a_subs), (b, a, b_subs)):
            if not subs:
                continue
            share = shared_share(undo(text(page_id), subs).split("\n"), text(clean_id), page_id)
            if share >= COPY_SHARE and share > best.get(page_id, (0.0, "", ()))[0]:
                best[page_id] = (share, clean_id, subs)
    return sum(_reread(db, rid, list(best[rid][2])) for rid in sorted(best))


class _DetectionTexts:
    """Each report's text_original in detection form, read from ``db`` once when asked."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.texts: dict[str, str] = {}

    def __call__(self, rid: str) -> str:
        if rid not in self.texts:
            (original,) = self.db.execute(
                "select text_original from reports where id = ?", [rid]
            ).fetchone()
            self.texts[rid] = detection_text(original or "")[0]
        return self.texts[rid]


def candidate_pairs(rows: list[tuple]) -> Iterator[tuple[str, str]]:
    """(id, other id), the smaller first, for every pair of reports that may be copies (same
    year, same_report), each once, in order; rows are (id, year, published, index_no, title).

    Reports are grouped by year and date, 索引号 or Simplified title, so only reports that
    share one are compared; a title with holes (□) is compared with its whole year. Two
    reports with different 索引号 are never paired.
    """
    groups: dict[tuple, list[tuple]] = {}
    holed: dict[object, list[tuple]] = {}
    by_year: dict[object, list[tuple]] = {}
    for row in rows:
        rid, year, published, index_no, title = row
        by_year.setdefault(year, []).append(row)
        for key in (("published", published), ("index_no", index_no)):
            if key[1]:
                groups.setdefault((year, *key), []).append(row)
        if title and "□" in title:
            holed.setdefault(year, []).append(row)
        elif title:
            groups.setdefault((year, "title", to_simplified(title)), []).append(row)
    pairs: set[tuple[str, str]] = set()
    for members in groups.values():
        pairs.update(
            (a[0], b[0]) for a in members for b in members if a[0] < b[0] and _may_copy(a, b)
        )
    for year, members in holed.items():
        for a in members:
            for b in by_year[year]:
                if _may_copy(a, b) and same_report(a, b):
                    pairs.add((min(a[0], b[0]), max(a[0], b[0])))
    yield from sorted(pairs)


def _may_copy(a: tuple, b: tuple) -> bool:
    """Two reports, unless each has a 索引号 and they differ: a copy keeps the original's
    (mirrors copy the metadata block), so a date alone pairs no two agencies' reports."""
    return a[0] != b[0] and not (a[3] and b[3] and a[3] != b[3])


def _reread(db: Database, rid: str, known: list[Substitution]) -> int:
    """Read report ``rid``'s original text again with ``known``; 1 if its rows changed."""
    text_original, title_original, agency_original, year = db.execute(
        "select text_original, title_original, agency_original, year from reports where id = ?",
        [rid],
    ).fetchone()
    body = read_body(text_original or "", title_original, known=known)
    if _stored_findings(db, rid, IN_TEXT) == sorted(
        (f.kind, f.start, f.end, f.injected, f.place) for f in body.scan.result.findings
    ):
        return 0  # nothing new: the rows stay as they are (and keep their restorations)
    # stuffed headers in the page's head stay, and count in the score
    head = tuple(
        SpamFinding(kind, start, end, injected, place=place)
        for kind, start, end, injected, place in _stored_findings(db, rid, f"not {IN_TEXT}")
    )
    _write(db, rid, body, head, (title_original, agency_original, year))
    return 1


def _stored_findings(db: Database, rid: str, where: str) -> list[tuple]:
    """(kind, start, end, injected, place) of ``rid``'s findings matching ``where``, sorted."""
    rows = db.execute(
        "select kind, start, \"end\", injected, coalesce(place, 'text') from spam_findings"
        f" where report_id = ? and {where}",
        [rid],
    ).fetchall()
    return sorted(tuple(row) for row in rows)


def _write(
    db: Database,
    rid: str,
    body: Body,
    head: tuple[SpamFinding, ...],
    printed: tuple[str | None, str | None, int | None],
) -> None:
    """Rewrite ``rid``'s text, fields, sections, figures and text findings from ``body``."""
    fields = body_fields(body, *printed, head)
    db.execute(
        "update reports set text = ?, text_simplified = ?, spam_score = ?, script = ?,"
        " title = ?, agency = ?, region = ?, agency_simplified = ? where id = ?",
        [
            body.text,
            body.simplified,
            fields.spam_score,
            fields.script,
            fields.title,
            fields.agency,
            fields.region,
            fields.agency_simplified,
            rid,
        ],
    )
    children = {
        "sections": section_rows(rid, body.sections),
        "figures": figure_rows(rid, fields.figures),
        "spam_findings": spam_rows(rid, body.scan.result.findings),  # the head's stay stored
    }
    for table, rows in children.items():
        only = f" and {IN_TEXT}" if table == "spam_findings" else ""
        db.execute(f'delete from "{table}" where report_id = ?{only}', [rid])
        if rows:
            db.table(table).insert_all(rows)
