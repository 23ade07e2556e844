"""Restore the words spam replaced, from another copy of the same report in the archive.

A spam copy keeps the real text around each injected brand or swapped term. The words
just before and after an injection (its anchors) are looked up in a clean copy of the same
report (same report year, most shared passages, no spam of its own); what the clean copy
prints between the anchors is the word the spam replaced. Copies are compared in their
Simplified form, so a Traditional gateway twin serves as well as a Simplified original.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from nianbao.archive.restore.copies import copy_evidence
from nianbao.archive.restore.pairs import IN_TEXT, MIN_SHARED, same_report, shared_share
from nianbao.extract.metadata import agency_key, region_of
from nianbao.extract.script import converter, to_simplified
from nianbao.extract.spam import fill_field

ANCHOR = 12  # characters of context on each side of an injection
MIN_ANCHOR = 4  # shorter contexts match too often to trust
MAX_WORD = 30  # a restored name or word longer than this is a misalignment
RESTORABLE = ("entity_hijack", "keyword_swap")


@dataclass(frozen=True)
class Restoration:
    """One finding's original words, and the report they were read from."""

    finding_id: str
    restored: str
    source_report: str


def between_anchors(left: str, right: str, clean: str) -> tuple[int, int] | None:
    """Where ``clean`` prints something between ``left`` and ``right`` (at most MAX_WORD)."""
    found = clean.find(left)
    while found != -1:
        middle_from = found + len(left)
        stop = clean.find(right, middle_from, middle_from + MAX_WORD + len(right))
        if stop > middle_from:
            return middle_from, stop
        found = clean.find(left, found + 1)
    return None


@dataclass
class _Piece:
    """A run of the spam text: plain text (finding_id "") or one restorable finding."""

    text: str
    finding_id: str = ""
    restored: str | None = None
    boundary: bool = False  # a dropped stuffed line: a line edge, as the text's own edges

    def known(self) -> str | None:
        """The piece's real text if known: plain text, or a restored finding."""
        return self.text if not self.finding_id else self.restored


def _pieces(text: str, findings: list[tuple[str, str, int, int]]) -> list[_Piece]:
    """The text cut at findings; pinyin and stuffed lines are dropped (clean copies lack them)."""
    pieces, at = [], 0
    for finding_id, kind, start, end in sorted(findings, key=lambda f: f[2]):
        if start < at:
            continue  # overlapping findings: the first one stands
        pieces.append(_Piece(text[at:start]))
        if kind in RESTORABLE:
            pieces.append(_Piece(text[start:end], finding_id))
        elif kind == "stuffed_header":
            pieces.append(_Piece("", boundary=True))
        at = end
    pieces.append(_Piece(text[at:]))
    return pieces


def _context(pieces: list[_Piece], index: int, step: int) -> str:
    """Known text next to piece ``index`` (before it for step −1), up to the next unknown.

    A line edge (the text's start or end, a dropped stuffed line) reads as a newline, so a
    name at the start of a line is anchored by the line start.
    """
    parts, size, i = [], 0, index + step
    while size < ANCHOR:
        if not 0 <= i < len(pieces) or pieces[i].boundary:
            parts.append("\n")
            break
        known = pieces[i].known()
        if known is None:
            break
        parts.append(known)
        size += len(known)
        i += step
    if step < 0:
        return re.sub(r"^\n+", "\n", "".join(reversed(parts)))[-ANCHOR:]
    return re.sub(r"\n+$", "\n", "".join(parts))[:ANCHOR]


def restore_report(
    text: str, findings: list[tuple[str, str, int, int]], copies: Iterable[tuple[str, str]]
) -> list[Restoration]:
    """Restorations for one spam report's findings (id, kind, start, end) from clean copies.

    ``text`` is the report's original (spammed) text; ``copies`` are (report id, text) of
    candidate clean copies. The copy sharing most passages is used. Findings whose anchors
    touch another finding are retried once their neighbours are restored.
    """
    pieces = _pieces(to_simplified(text), findings)
    passages = [p.text for p in pieces if not p.finding_id]
    best_id, best_text, best_share = "", "", 0.0
    for report_id, other in copies:
        share = shared_share(passages, to_simplified(other), report_id)
        if share > best_share:
            best_id, best_text, best_share = report_id, other, share
    if best_share < MIN_SHARED:
        return []
    # line edges of the copy read as newlines too
    best_text = "\n" + best_text + "\n"
    best_simple = to_simplified(best_text)
    progress = True
    while progress:
        progress = False
        for i, piece in enumerate(pieces):
            if not piece.finding_id or piece.restored is not None:
                continue
            left, right = _context(pieces, i, -1), _context(pieces, i, 1)
            if len(left) < MIN_ANCHOR or len(right) < MIN_ANCHOR:
                continue
            place = between_anchors(left, right, best_simple)
            if place is not None:
                # t2s keeps lengths, so the place is the same in the copy's own script
                piece.restored = best_text[place[0] : place[1]]
                progress = True
    _agree(pieces)
    return [
        Restoration(p.finding_id, p.restored, best_id)
        for p in pieces
        if p.finding_id and p.restored is not None
    ]


def _agree(pieces: list[_Piece]) -> None:
    """Give an injection no anchors could place the word its other occurrences restored to.

    Both restorable kinds put one string in place of one word wherever it occurs, so the
    most common restoration of a string holds for its occurrences at the text's edges too.
    """
    votes: dict[str, Counter[str]] = {}
    for piece in pieces:
        if piece.finding_id and piece.restored is not None:
            votes.setdefault(piece.text, Counter())[piece.restored] += 1
    for piece in pieces:
        if piece.finding_id and piece.restored is None and piece.text in votes:
            piece.restored = votes[piece.text].most_common(1)[0][0]


def in_script(word: str, wanted: str | None, printed: str | None) -> str:
    """A restored word written in the spam copy's script (a Hant copy gets 大興區, not 大兴区)."""
    if wanted == printed or wanted not in ("Hans", "Hant"):
        return word
    return converter("s2t" if wanted == "Hant" else "t2s").convert(word)


def restore_all(db: Database) -> int:
    """Fill spam_findings.restored for every spam report that has a clean copy; returns count.

    Candidates are the reports of the same report year, without spam findings of their own,
    that share a date, 索引号 or title with the spam report. The restored words then go back
    into each spam report's title and agency (restore_fields). First, reports in which
    another copy proves spam the page alone could not are read again (copy_evidence).
    """
    copy_evidence(db)
    count = _restore_findings(db)
    restore_fields(db)
    return count


def field_words(findings: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    """Injected string → the word it replaced (the most common restoration; None if none)."""
    votes: dict[str, Counter[str]] = {}
    for injected, restored in findings:
        counter = votes.setdefault(injected, Counter())
        if restored is not None:
            counter[restored] += 1
    # most votes, then the smallest word: the same database always gives the same word
    return {
        injected: min(counter, key=lambda w: (-counter[w], w)) if counter else None
        for injected, counter in votes.items()
    }


def restore_fields(db: Database) -> int:
    """Rewrite title, agency, agency_simplified and region of every report with restorable
    findings from the printed fields and spam_findings.restored; returns reports changed.

    Derived from title_original/agency_original every time, so running it again, or on a
    database rebuilt from the same WARCs, gives the same rows.
    """
    marks = ", ".join("?" * len(RESTORABLE))
    found: dict[str, list[tuple[str, str | None]]] = {}
    for report, injected, restored in db.execute(
        f"select report_id, injected, restored from spam_findings where kind in ({marks})"
        " order by report_id, start",
        list(RESTORABLE),
    ):
        found.setdefault(report, []).append((injected, restored))
    changed = 0
    for report, findings in sorted(found.items()):
        row = db.execute(
            "select title, agency, region, agency_simplified, title_original,"
            " agency_original from reports where id = ?",
            [report],
        ).fetchone()
        if row is None:
            continue
        title, agency, region, simplified, title_original, agency_original = row
        words = field_words(findings)
        if title_original is not None:
            title = fill_field(title_original, words)
        if agency_original is not None:  # NULL: a row from before agency_original was kept
            agency = fill_field(agency_original, words)
            region, simplified = region_of(agency), agency_key(agency)
        new = (title, agency, region, simplified)
        if new != row[:4]:
            db.execute(
                "update reports set title = ?, agency = ?, region = ?,"
                " agency_simplified = ? where id = ?",
                [*new, report],
            )
            changed += 1
    return changed


def _restore_findings(db: Database) -> int:
    """Fill spam_findings.restored from clean copies; returns findings restored."""
    spam_ids = {
        rid
        for (rid,) in db.execute(
            f"select distinct report_id from spam_findings where kind in "
            f"({', '.join('?' * len(RESTORABLE))})",
            list(RESTORABLE),
        )
    }
    if not spam_ids:
        return 0
    dirty = {rid for (rid,) in db.execute("select distinct report_id from spam_findings")}
    rows = db.execute(
        "select id, year, published, index_no, title from reports order by id"
    ).fetchall()
    scripts = dict(db.execute("select id, script from reports"))
    by_year: dict[object, list[tuple]] = {}
    for row in rows:
        by_year.setdefault(row[1], []).append(row)
    count = 0
    for spam in (row for row in rows if row[0] in spam_ids):
        candidates = [
            other[0]
            for other in by_year[spam[1]]
            if other[0] not in dirty and same_report(spam, other)
        ]
        if not candidates:
            continue
        text = db.execute("select text_original from reports where id = ?", [spam[0]]).fetchone()
        marks = ", ".join("?" * len(candidates))
        copies = db.execute(
            f"select id, text_original from reports where id in ({marks}) order by id", candidates
        ).fetchall()
        findings = db.execute(
            'select id, kind, start, "end" from spam_findings where report_id = ?'
            f" and {IN_TEXT} order by start",
            [spam[0]],
        ).fetchall()
        for item in restore_report(text[0] or "", findings, copies):
            word = in_script(item.restored, scripts[spam[0]], scripts[item.source_report])
            db.execute(
                "update spam_findings set restored = ?, restored_from = ? where id = ?",
                [word, item.source_report, item.finding_id],
            )
            count += 1
    return count
