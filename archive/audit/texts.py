"""The text the audit compares: ``reports.text_simplified`` with restored words put back.

A spam copy's clean text has a hole (□) where each hijacked name or swapped key word stood.
Holes are not Han characters, so shingling drops them and joins the words either side into
shingles no clean copy has: a short prose report that lost 公开 and 政府 twenty times looks
barely like its own original. Where restoration (``archive.restore``) found the real word in
another copy, the audit compares the text with that word back in its hole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from nianbao.archive.restore.words import RESTORABLE  # the kinds that leave one hole each
from nianbao.extract.script import to_simplified
from nianbao.extract.spam import HOLE

_RESTORED = (
    "select report_id, restored from spam_findings where kind in ({kinds}){where}"
    " order by report_id, start"
)


def fill_holes(text: str | None, words: Sequence[str | None]) -> str | None:
    """``text`` with its holes, in order, replaced by ``words`` (None keeps the hole).

    Nothing is filled unless the text has exactly one hole per word: otherwise the text
    printed □ of its own and the order would not tell which hole is which.
    """
    if not text or not any(words) or text.count(HOLE) != len(words):
        return text
    pieces = text.split(HOLE)
    out = [pieces[0]]
    for word, piece in zip(words, pieces[1:], strict=True):
        out.append(to_simplified(word) if word else HOLE)
        out.append(piece)
    return "".join(out)


def restored_words(db: Database, rid: str | None = None) -> dict[str, list[str | None]]:
    """Per spam report (or for ``rid`` only), the restored word or None of each hole-leaving
    finding, in text order."""
    sql = _RESTORED.format(
        kinds=", ".join("?" * len(RESTORABLE)), where="" if rid is None else " and report_id = ?"
    )
    words: dict[str, list[str | None]] = {}
    for report, word in db.execute(sql, [*RESTORABLE, *([] if rid is None else [rid])]):
        words.setdefault(report, []).append(word)
    return words


def comparable_texts(
    db: Database,
    ids: Iterable[str] | None = None,
) -> Iterable[tuple[str, str | None]]:
    """(id, comparable text) of all reports, or of ``ids``, streaming in id order."""
    words = restored_words(db)
    wanted = None if ids is None else set(ids)
    for rid, text in db.execute("select id, text_simplified from reports order by id"):
        if wanted is None or rid in wanted:
            yield rid, fill_holes(text, words.get(rid, ()))


def comparable_text(db: Database, rid: str) -> str | None:
    """The comparable text of one report (None if there is no such report)."""
    row = db.execute("select text_simplified from reports where id = ?", [rid]).fetchone()
    if row is None:
        return None
    return fill_holes(row[0], restored_words(db, rid).get(rid, ()))
