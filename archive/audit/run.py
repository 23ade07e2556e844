"""One audit run: sketch new reports, verify their candidate pairs, rebuild the clusters.

Incremental by construction: a report is new when ``audit_minhash`` has no row for it or
its normalised-text hash changed. Only pairs involving a new report are proposed (LSH over
all stored signatures, equal text hashes, and the same agency's adjacent years) and
verified by exact Jaccard; stored pairs among old reports are kept as they are. Clusters
are recomputed from all stored pairs each run (cheap: a union-find over the pairs).
"""

from __future__ import annotations

import functools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.audit import boilerplate, minhash
from nianbao.archive.audit.clusters import Cluster, build
from nianbao.archive.audit.evidence import aligned, number_diffs
from nianbao.archive.audit.normalize import jaccard, shingles, text_hash
from nianbao.archive.audit.relations import KINDS, Relation, ReportInfo, classify
from nianbao.archive.audit.texts import comparable_text, comparable_texts
from nianbao.archive.store.database import Row, Store, date_key
from nianbao.archive.store.schema import TABLES

# progress(stage, done, total): stages "hash", "sketch", "verify"
Progress = Callable[[str, int, int], None]

MIN_SHINGLES = 20  # masked sets smaller than this are all template: only exact copies count
CACHE = 256  # masked shingle sets kept while verifying (~200 kB each)


@dataclass(frozen=True)
class AuditSummary:
    """What one audit run found and did."""

    reports: int
    new_reports: int
    candidate_pairs: int  # pairs proposed this run (each involves a new or changed report)
    verified_pairs: int  # of those, pairs whose exact Jaccard confirmed a relation
    seconds: float
    pairs: dict[str, int] = field(default_factory=dict)  # stored pairs per kind (all runs)
    clusters: dict[str, int] = field(default_factory=dict)  # clusters per kind


def _put(db: Database, table: str, row: Row) -> None:
    """Insert or replace one row of an audit table by primary key."""
    names = TABLES[table]
    db.execute(
        f'insert or replace into "{table}" ({", ".join(names)})'
        f" values ({', '.join('?' * len(names))})",
        [row.get(name) for name in names],
    )


def _reports(db: Database, hashes: dict[str, str]) -> dict[str, ReportInfo]:
    """Every report's classification facts."""
    spam = {rid for (rid,) in db.execute("select distinct report_id from spam_findings")}
    rows = db.execute(
        # agency_simplified: one key for both scripts, NULL (unknown) for a holed agency
        "select r.id, r.url, r.host, r.agency_simplified, r.year, r.published, r.script,"
        " r.spam_score,"
        " c.date from reports r left join captures c on c.id = r.capture_id"
    )
    return {
        rid: ReportInfo(
            rid,
            url or "",
            (host or "").lower(),
            agency or "",
            year,
            published or "",
            script or "Hans",
            spam_score or 0.0,
            rid in spam,
            date_key(captured),
            hashes[rid],
        )
        for rid, url, host, agency, year, published, script, spam_score, captured in rows
    }


def _vocabulary(store: Store, total: int) -> boilerplate.Boilerplate:
    """The boilerplate vocabulary; recounted (dropping every signature and pair) when stale."""
    db = store.db
    vocabulary = boilerplate.load(db)
    if vocabulary is not None and not vocabulary.stale(total):
        return vocabulary
    vocabulary = boilerplate.count(boilerplate.sample_texts(db), total)
    with store.transaction():
        boilerplate.save(db, vocabulary)
        db.execute("delete from audit_minhash")
        db.execute("delete from audit_pairs")
    return vocabulary


def _drop_pairs(db: Database, ids: Iterable[str]) -> None:
    for rid in ids:
        db.execute("delete from audit_pairs where a_report_id = ? or b_report_id = ?", [rid, rid])
        db.execute("delete from audit_minhash where report_id = ?", [rid])


def _rule_pairs(reports: dict[str, ReportInfo], new: set[str]) -> set[tuple[str, str]]:
    """Same text hash, same copy path (mirrors keep it), or same agency and adjacent years:
    pairs with a new report."""
    by_hash: dict[str, list[str]] = {}
    by_path: dict[str, list[str]] = {}
    by_agency_year: dict[tuple[str, int], list[str]] = {}
    for report in reports.values():
        by_hash.setdefault(report.text_hash, []).append(report.id)
        if report.copy_path.count("/") >= 2:  # not a site's front page
            by_path.setdefault(report.copy_path, []).append(report.id)
        if report.agency and report.year is not None:
            by_agency_year.setdefault((report.agency, report.year), []).append(report.id)
    pairs: set[tuple[str, str]] = set()
    for rid in new:
        report = reports[rid]
        others = by_hash[report.text_hash] + by_path.get(report.copy_path, [])
        if report.agency and report.year is not None:
            for year in (report.year - 1, report.year + 1):
                others += by_agency_year.get((report.agency, year), [])
        pairs.update((min(rid, o), max(rid, o)) for o in others if o != rid)
    return pairs


def _pair_row(db: Database, relation: Relation, similarity: float) -> dict[str, object]:
    """The audit_pairs row of a relation, with its evidence."""
    texts = dict(
        db.execute(
            "select id, text_simplified from reports where id in (?, ?)", [relation.a, relation.b]
        )
    )
    evidence = aligned(texts.get(relation.a) or "", texts.get(relation.b) or "")
    return {
        "id": relation.id,
        "kind": relation.kind,
        "a_report_id": relation.a,
        "b_report_id": relation.b,
        "similarity": round(similarity, 6),
        "a_share": evidence.a_share,
        "b_share": evidence.b_share,
        "passages": json.dumps([list(p) for p in evidence.passages]),
        "number_diffs": json.dumps(number_diffs(db, relation.a, relation.b), ensure_ascii=False),
    }


def _write_clusters(
    store: Store, reports: dict[str, ReportInfo], similarity: Callable[[str, str], float]
) -> dict[str, int]:
    """Rebuild clusters and members from all stored pairs; clusters per kind."""
    db = store.db
    by_kind: dict[str, dict[tuple[str, str], float]] = {kind: {} for kind in KINDS}
    for kind, a, b, sim in db.execute(
        "select kind, a_report_id, b_report_id, similarity from audit_pairs order by id"
    ):
        by_kind[kind][(a, b)] = sim
    clusters: list[Cluster] = []
    for kind, pairs in by_kind.items():
        clusters += build(kind, pairs, reports, similarity)
    with store.transaction():
        db.execute("delete from cluster_members")
        db.execute("delete from clusters")
        for cluster in clusters:
            _put(
                db,
                "clusters",
                {
                    "id": cluster.id,
                    "kind": cluster.kind,
                    "canonical_report_id": cluster.canonical,
                    "size": len(cluster.members),
                    "rule": cluster.rule,
                },
            )
            for member in cluster.members:
                _put(
                    db,
                    "cluster_members",
                    {
                        "id": f"{cluster.id}:{member.report_id}",
                        "cluster_id": cluster.id,
                        "report_id": member.report_id,
                        "similarity": round(member.similarity, 6),
                        "is_canonical": int(member.is_canonical),
                    },
                )
    return dict(Counter(cluster.kind for cluster in clusters))


def run_audit(db_path: Path | str, *, progress: Progress | None = None) -> AuditSummary:
    """Audit the archive at ``db_path`` for copies and reuse; idempotent and incremental."""
    clock = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="microseconds")
    tell = progress or (lambda stage, done, total: None)
    with Store(db_path) as store:
        db = store.db
        total = db.execute("select count(*) from reports").fetchone()[0]
        vocabulary = _vocabulary(store, total)
        mask = vocabulary.shingles
        stored = dict(db.execute("select report_id, text_hash from audit_minhash"))
        hashes: dict[str, str] = {}
        for done, (rid, text) in enumerate(comparable_texts(db), 1):
            hashes[rid] = text_hash(text)
            if done % 10_000 == 0:
                tell("hash", done, total)
        new = {rid for rid, h in hashes.items() if stored.get(rid) != h}
        with store.transaction():
            _drop_pairs(db, (rid for rid in stored if rid not in hashes or rid in new))
            signed = 0
            for sig in minhash.sign_all(comparable_texts(db, new), mask, len(new)):
                _put(
                    db,
                    "audit_minhash",
                    {
                        "report_id": sig.report_id,
                        "text_hash": sig.text_hash,
                        "signature": sig.values,
                    },
                )
                signed += 1
                if signed % 10_000 == 0:
                    tell("sketch", signed, len(new))
        reports = _reports(db, hashes)
        signatures = db.execute("select report_id, signature from audit_minhash")
        candidates = sorted(minhash.candidates(signatures, new) | _rule_pairs(reports, new))

        @functools.lru_cache(maxsize=CACHE)
        def masked(rid: str) -> frozenset[str]:
            return frozenset(shingles(comparable_text(db, rid), mask))

        def similarity(x: str, y: str) -> float:
            return jaccard(masked(x), masked(y))

        verified = 0
        with store.transaction():
            for done, (x, y) in enumerate(candidates, 1):
                relation = _verify(reports[x], reports[y], masked)
                if relation is not None:
                    _put(db, "audit_pairs", _pair_row(db, *relation))
                    verified += 1
                if done % 1000 == 0:
                    tell("verify", done, len(candidates))
        clusters = _write_clusters(store, reports, similarity)
        pairs = dict(db.execute("select kind, count(*) from audit_pairs group by kind"))
        seconds = round(time.perf_counter() - clock, 3)
        with store.transaction():
            _put(
                db,
                "audit_runs",
                {
                    "id": started,
                    "started": started,
                    "reports": total,
                    "new_reports": len(new),
                    "candidate_pairs": len(candidates),
                    "verified_pairs": verified,
                    "seconds": seconds,
                },
            )
    return AuditSummary(total, len(new), len(candidates), verified, seconds, pairs, clusters)


def _verify(
    x: ReportInfo, y: ReportInfo, masked: Callable[[str], frozenset[str]]
) -> tuple[Relation, float] | None:
    """Exact Jaccard of a candidate pair, and its relation if it holds one."""
    a_set, b_set = masked(x.id), masked(y.id)
    if x.text_hash != y.text_hash and min(len(a_set), len(b_set)) < MIN_SHINGLES:
        return None  # nothing but template and numbers: similarity would mean nothing
    similarity = jaccard(a_set, b_set)
    relation = classify(x, y, similarity)
    return (relation, similarity) if relation is not None else None
