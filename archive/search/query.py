"""Full-text search of the reports: ranked hits with a snippet around the first match.

A query is words separated by spaces; a report matches when it holds every word, each in the
script it was typed in or in Simplified (a word in Traditional finds Simplified text, and the
Simplified text of a Traditional report holds the Simplified word). Words of three characters
or more are looked up in the trigram index. Shorter words (财政, 公开: common in Chinese) cannot
be: the trigram tokenizer matches nothing under three characters, so they are checked with
``instr`` on the text, in the index's candidates, or, when every word is short, by scanning the
reports newest first (``SCAN``): cheap for a common word, a full scan for a rare one. A scan
ranks at most ``SCAN_WINDOW`` (200) of its newest matches and stops counting there.

Ranking: bm25 over the index (title weighted 5, agency 2, text 1), or for a scan the word's
occurrences per thousand characters. A query that matches more reports than ``candidates``
ranks the ``candidates`` most recently stored of them and stops counting there (bm25 of a
phrase every report holds would score the whole archive, and counting it would read its
whole doclist); ``SearchResult.ranked`` says how many were ranked, ``counted_all`` whether
``matches`` is every match or a floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.places import open_read_only, writable_database
from nianbao.archive.search.index import ENDS_TABLE, FTS_TABLE, TERMS_TABLE, has_search
from nianbao.archive.store.selection import Selection
from nianbao.extract.script import script_forms, to_simplified, to_traditional

TRIGRAM = 3  # the trigram tokenizer's shortest match
SNIPPET_CONTEXT = 30  # characters shown either side of the match
# a scan ranks at most this many of its newest matches: scoring reads each one's whole text
# (five passes in SQL), 2,000 of them cost 80 ms where 200 cost under 10 (bench/search.py)
SCAN_WINDOW = 200
# a two-character word that begins more trigrams than this (公开: 517 at 100,000 reports) is
# common: a scan, newest first, finds 200 of its reports sooner than the index merges them
MAX_PAIR_TERMS = 300
BM25_WEIGHTS = "5.0, 2.0, 1.0, 1.0"  # title, agency, text, text_simplified (index.COLUMNS)
INDEXED = "fts"
SCAN = "scan"


class EmptyQuery(ValueError):
    """A query with no word in it."""


@dataclass(frozen=True)
class SearchQuery:
    """What to look for, in which reports, and how many hits to return."""

    text: str
    selection: Selection = field(default_factory=Selection)
    limit: int = 20
    candidates: int = 2000

    @property
    def words(self) -> tuple[str, ...]:
        """The query's words, each once, in order."""
        return tuple(dict.fromkeys(self.text.split()))


@dataclass(frozen=True)
class Hit:
    """One matching report: where it is, what it is, and the text around the first match."""

    report_id: str
    url: str
    year: int | None
    agency: str | None
    title: str | None
    score: float  # higher is better (bm25 negated, or occurrences per 1,000 characters)
    snippet: str  # about 2 × SNIPPET_CONTEXT characters of the text, newlines as spaces
    highlight: tuple[int, int]  # the match's [start, end) in ``snippet``


@dataclass(frozen=True)
class SearchResult:
    """The hits, best first, with how they were found and counted."""

    query: str
    mode: str  # INDEXED: the trigram index; SCAN: the short-word fallback
    matches: int  # reports matching (counting stops at ``candidates``, a scan's at 200)
    ranked: int  # reports ranked to choose the hits
    counted_all: bool  # False when counting stopped: ``matches`` is a floor
    hits: tuple[Hit, ...]


def needs_index(db_path: Path) -> bool:
    """True for a database made before the search index (``build_index`` adds it)."""
    with open_read_only(db_path) as db:
        return not has_search(db)


def build_index(db_path: Path) -> None:
    """Add the search index to an older database, filled from its reports."""
    from nianbao.archive.store.database import Store  # the writer: only for this

    with Store(writable_database(db_path)):
        pass  # opening a store brings the schema, the index included, up to date


def search(db_path: Path, query: SearchQuery) -> SearchResult:
    """Search the database at ``db_path`` (opened read-only; see ``needs_index``)."""
    words = query.words
    if not words:
        raise EmptyQuery("the query has no words: give the text to look for")
    with open_read_only(db_path) as db:
        long_words = [word for word in words if _shortest_form(word) >= TRIGRAM]
        if long_words:
            return _indexed(db, query, long_words)
        pairs = _pair_lookups(db, words)
        if pairs is not None:
            return _paired(db, query, pairs)
        return _scanned(db, query)


@dataclass(frozen=True)
class _PairLookup:
    """How the index finds a two-character word: the trigrams that begin with it, and the
    column endings that are it (index.ENDS_TABLE)."""

    word: str
    terms: tuple[str, ...]
    endings: tuple[str, ...]
    documents: int  # an upper bound: the reports holding any of the terms, summed


def _pair_lookups(db: Database, words: tuple[str, ...]) -> list[_PairLookup] | None:
    """The index's way to every word when each is two characters, or None: a word of one
    character, an index without its vocabulary, or a word so common (over ``MAX_PAIR_TERMS``
    trigrams) that a scan finds its newest matches sooner."""
    if not db.table(TERMS_TABLE).exists():
        return None
    lookups = []
    for word in words:
        forms = script_forms(word)
        if any(len(form) != 2 for form in forms):
            return None
        terms: dict[str, int] = {}
        for form in forms:
            start = form.lower()  # the trigram tokenizer folds case
            terms.update(
                db.execute(
                    f"select term, doc from {TERMS_TABLE} where term >= ? and term < ? limit ?",
                    [start, start + "\U0010ffff", MAX_PAIR_TERMS + 1],
                ).fetchall()
            )
        if len(terms) > MAX_PAIR_TERMS:
            return None
        lookups.append(_PairLookup(word, tuple(terms), forms, sum(terms.values())))
    return lookups


def _paired(db: Database, query: SearchQuery, pairs: list[_PairLookup]) -> SearchResult:
    """Two-character words found through the index: the rarest by the trigrams that begin
    with it and the column endings that are it, newest first; the others by ``instr``."""
    anchor = min(pairs, key=lambda pair: pair.documents)
    chosen, chosen_params = query.selection.where("r")
    others, others_params = _contains_sql([p.word for p in pairs if p is not anchor])
    conditions, condition_params = f"{chosen} and {others}", [*chosen_params, *others_params]
    wanted = query.candidates + 1
    found: list[int] = []
    if anchor.terms:
        # FTS5 walks the terms' doclists newest first and stops at `wanted`: a union with the
        # endings would have read every match first (200 ms for a word 38,000 reports hold)
        found += [
            rid
            for (rid,) in db.execute(
                f"select f.rowid from {FTS_TABLE} f join reports r on r.rowid = f.rowid"
                f" where {FTS_TABLE} match ? and {conditions} order by f.rowid desc limit ?",
                [" OR ".join(map(_fts_phrase, anchor.terms)), *condition_params, wanted],
            )
        ]
    marks = ", ".join("?" * len(anchor.endings))
    found += [
        rid
        for (rid,) in db.execute(
            f"select r.rowid from reports r where r.rowid in (select rid from {ENDS_TABLE}"
            f" where ending in ({marks})) and {conditions} order by r.rowid desc limit ?",
            [*anchor.endings, *condition_params, wanted],
        )
    ]
    newest = sorted(set(found), reverse=True)[:wanted]
    matches, counted_all = _counted(newest, query.candidates)
    # ranked as a scan ranks, reading each one's text: the newest 200, or as many as asked for
    window = newest[: min(matches, max(SCAN_WINDOW, query.limit))]
    rows = _ranked_by_density(db, query.words, window, query.limit)
    return _result(query, INDEXED, rows, matches, len(window), counted_all)


def _counted(newest: list[int], candidates: int) -> tuple[int, bool]:
    """Matches counted from the newest ``candidates + 1`` rowids, and whether that was all."""
    return min(len(newest), candidates), len(newest) <= candidates


def _result(
    query: SearchQuery, mode: str, rows: list[tuple], matches: int, ranked: int, counted_all: bool
) -> SearchResult:
    """The result of ``query`` whose hits are ``rows`` (``_HIT_COLUMNS`` and a score)."""
    hits = tuple(_hit(row, query.words) for row in rows)
    return SearchResult(query.text, mode, matches, ranked, counted_all, hits)


def _shortest_form(word: str) -> int:
    return min(len(word), len(to_simplified(word)))


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _match_expression(words: list[str]) -> str:
    """Every word, each in any of its forms: (a OR a' OR a") AND (b OR b' OR b")."""
    groups = []
    for word in words:
        forms = script_forms(word)
        groups.append("(" + " OR ".join(_fts_phrase(form) for form in forms) + ")")
    return " AND ".join(groups)


def _contains_sql(words: tuple[str, ...] | list[str], alias: str = "r") -> tuple[str, list[str]]:
    """Every word in the title or the text, as typed or in Simplified, and in the title in
    Traditional too (``instr``: no index). A title is indexed as printed only, so 财政局 is
    looked for as 財政局 in a Traditional report's title."""
    terms, params = [], []
    for word in words:
        typed, simplified, traditional = word, to_simplified(word), to_traditional(word)
        titled = " or ".join(f"instr(coalesce({alias}.title, ''), ?) > 0" for _ in range(3))
        terms.append(
            f"(instr({alias}.text_simplified, ?) > 0 or instr({alias}.text, ?) > 0 or {titled})"
        )
        params.extend([simplified, typed, typed, simplified, traditional])
    return " and ".join(terms) or "1", params


def _indexed(db: Database, query: SearchQuery, long_words: list[str]) -> SearchResult:
    chosen, chosen_params = query.selection.where("r")
    short_words = [word for word in query.words if word not in long_words]
    short, short_params = _contains_sql(short_words)
    base = (
        f"from {FTS_TABLE} f join reports r on r.rowid = f.rowid"
        f" where {FTS_TABLE} match ? and {chosen} and {short}"
    )
    params = [_match_expression(long_words), *chosen_params, *short_params]
    # the newest `candidates` matches, and so whether there are more: FTS5 walks a doclist in
    # rowid order and stops there (counting every match of a phrase most reports hold read
    # its whole doclist: 120 ms at 100,000 reports)
    newest = [
        rid
        for (rid,) in db.execute(
            f"select f.rowid {base} order by f.rowid desc limit ?", [*params, query.candidates + 1]
        )
    ]
    matches, counted_all = _counted(newest, query.candidates)
    if counted_all:
        rows = _ranked_by_bm25(db, base, params, query.limit)
        ranked = matches
    else:
        # bm25 weighs a phrase by how few reports hold it, which FTS5 finds by reading the
        # phrase's whole doclist (100 ms for one most reports hold): these are ranked as a
        # scan ranks, on the newest SCAN_WINDOW of them
        window = newest[: min(matches, SCAN_WINDOW)]
        rows = _ranked_by_density(db, query.words, window, query.limit)
        ranked = len(window)
    return _result(query, INDEXED, rows, matches, ranked, counted_all)


_HIT_COLUMNS = "r.id, r.url, r.year, r.agency, r.title, r.text, r.text_simplified"


def _ranked_by_bm25(db: Database, base: str, params: list, limit: int) -> list[tuple]:
    # ranked on rowids and scores alone, the texts read for the hits only
    return db.execute(
        f"with best as materialized (select f.rowid as rid,"
        f" -bm25({FTS_TABLE}, {BM25_WEIGHTS}) as score {base}"
        " order by score desc, f.rowid desc limit ?)"
        f" select {_HIT_COLUMNS}, best.score from best join reports r on r.rowid = best.rid"
        " order by best.score desc, best.rid desc",
        [*params, limit],
    ).fetchall()


def _ranked_by_density(
    db: Database, words: tuple[str, ...], rowids: list[int], limit: int
) -> list[tuple]:
    score, score_params = _density_sql(words)
    marks = ", ".join("?" * len(rowids))
    return db.execute(
        f"with c as materialized (select r.rowid as rid, {score} as score from reports r"
        f" where r.rowid in ({marks}))"
        f" select {_HIT_COLUMNS}, c.score from c join reports r on r.rowid = c.rid"
        " order by c.score desc, c.rid desc limit ?",
        [*score_params, *rowids, limit],
    ).fetchall()


def _scanned(db: Database, query: SearchQuery) -> SearchResult:
    chosen, chosen_params = query.selection.where("r")
    contains, params = _contains_sql(query.words)
    # scored in SQL, so only the hits' texts reach Python: the occurrences of each word in the
    # Simplified text per 1,000 characters, a title occurrence counting five
    score, score_params = _density_sql(query.words)
    candidates = (
        f"select r.rowid as rid, {score} as score from reports r"
        f" where {contains} and {chosen} order by r.rowid desc limit ?"
    )
    window = min(query.candidates, SCAN_WINDOW)
    all_params = [*score_params, *params, *chosen_params, window]
    # one pass over the reports: the candidates are kept, counted, and the best joined back
    rows = db.execute(
        f"with c as materialized ({candidates})"
        f" select {_HIT_COLUMNS}, c.score,"
        " (select count(*) from c) from c join reports r on r.rowid = c.rid"
        " order by c.score desc, c.rid desc limit ?",
        [*all_params, query.limit],
    ).fetchall()
    matches = rows[0][8] if rows else 0
    return _result(query, SCAN, rows, matches, matches, matches < window)


def _density_sql(words: tuple[str, ...]) -> tuple[str, list[object]]:
    """SQL for the occurrences of ``words`` per 1,000 characters of Simplified text."""
    terms, params = [], []
    for word in words:
        simplified = to_simplified(word)
        for column, weight in (("r.text_simplified", 1), ("coalesce(r.title, '')", 5)):
            terms.append(f"{weight} * (length({column}) - length(replace({column}, ?, ''))) / ?")
            params.extend([simplified, len(simplified)])
    total = " + ".join(terms)
    return f"1000.0 * ({total}) / max(length(r.text_simplified), 1)", params


def _hit(row: tuple, words: tuple[str, ...]) -> Hit:
    report_id, url, year, agency, title, text, simplified, score = row[:8]
    snippet, highlight = snippet_of(text or "", simplified or "", words)
    return Hit(report_id, url, year, agency, title, float(score), snippet, highlight)


def snippet_of(text: str, simplified: str, words: tuple[str, ...]) -> tuple[str, tuple[int, int]]:
    """The text around the first occurrence of any word, and where the word is in it.

    Looked for in the text as printed, then in its Simplified form; when that form has the
    same length (OpenCC's t2s maps most characters one to one) the snippet is cut from the
    printed text at the same place, so a Traditional report shows Traditional.
    """
    best: tuple[int, int, str] | None = None  # start, length, the text it is in
    for word in words:
        for source, form in ((text, word), (simplified, to_simplified(word))):
            at = source.find(form)
            if at >= 0 and (best is None or at < best[0]):
                shown = text if source is text or len(text) == len(simplified) else simplified
                best = (at, len(form), shown)
    if best is None:  # matched in the title only
        return _flat(text[: 2 * SNIPPET_CONTEXT]), (0, 0)
    at, length, shown = best
    start = max(0, at - SNIPPET_CONTEXT)
    end = min(len(shown), at + length + SNIPPET_CONTEXT)
    return _flat(shown[start:end]), (at - start, at - start + length)


def _flat(text: str) -> str:
    """Newlines and tabs as spaces, one character for one, so offsets stay right."""
    return text.translate({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})
