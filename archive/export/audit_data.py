"""The audit tables (clusters, members, pairs) and the reports they name, as plain values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.extract.metadata import agency_key

# The relation kinds, in the order reports list them (one vocabulary with archive/audit).
KINDS = ("exact", "script_twin", "spam_mirror", "near_duplicate", "reuse", "cross_agency")
AUDIT_TABLES = ("clusters", "cluster_members", "audit_pairs")
# SQLite's bound-parameter limit is 999 in old builds; stay under it.
_CHUNK = 900


class AuditDataError(Exception):
    """The database cannot be read as an audited archive (the message says how to fix it)."""


@dataclass(frozen=True)
class ReportInfo:
    """The metadata a report shows in the audit (no text)."""

    id: str
    url: str
    title: str
    agency: str
    year: int | None
    host: str
    spam_score: float | None
    agency_key: str = ""  # agency_simplified: groups both scripts; "" unknown or holed (□)


@dataclass(frozen=True)
class NumberDiff:
    """A number printed differently in two reports: where (table cell or figure) and both values."""

    where: str
    a: Any
    b: Any


@dataclass(frozen=True)
class AuditPair:
    """One stored relation between report a and report b, with its evidence."""

    id: str
    kind: str
    a_id: str
    b_id: str
    similarity: float | None
    a_share: float | None
    b_share: float | None
    passages: tuple[tuple[int, int, int, int], ...]  # (a_start, a_end, b_start, b_end)
    number_diffs: tuple[NumberDiff, ...]


@dataclass(frozen=True)
class Member:
    """A report in a cluster and its similarity to the cluster's canonical report."""

    report_id: str
    similarity: float | None
    is_canonical: bool


@dataclass(frozen=True)
class Cluster:
    """A group of related reports of one kind around a canonical member."""

    id: str
    kind: str
    canonical_id: str
    size: int
    rule: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Comparison:
    """Two reports side by side: left is the canonical (or the member's pair partner)."""

    left: ReportInfo
    right: ReportInfo
    left_text: str
    right_text: str
    pair: AuditPair | None  # the evidence linking them; None when none was stored
    left_is_a: bool  # whether the left report is the pair's a side
    via_canonical: bool  # False when the pair links the member to another member instead


@dataclass(frozen=True)
class ClusterDetail:
    """A cluster with its side-by-side comparisons (capped; ``omitted`` were left out)."""

    cluster: Cluster
    comparisons: tuple[Comparison, ...]
    omitted: int


@dataclass(frozen=True)
class AuditData:
    """Everything the audit report shows: all clusters and pairs, details for the largest."""

    reports: Mapping[str, ReportInfo]  # every report in the archive, by id
    clusters: tuple[Cluster, ...]  # largest first
    pairs: tuple[AuditPair, ...]
    details: tuple[ClusterDetail, ...]  # the largest clusters with their texts
    details_omitted: int  # clusters left out of ``details``

    def report(self, report_id: str) -> ReportInfo:
        """The report with this id, or a placeholder naming the id if it is gone."""
        found = self.reports.get(report_id)
        if found is None:
            return ReportInfo(report_id, "", f"(missing report {report_id})", "", None, "", None)
        return found


def load_audit(
    db_path: Path, *, detail_limit: int = 200, comparisons_per_cluster: int = 10
) -> AuditData:
    """Read the audit tables and their reports; texts only for the ``detail_limit`` largest."""
    if not Path(db_path).exists():
        raise AuditDataError(f"no database at {db_path}: run `nianbao crawl` or `nianbao demo`")
    conn = sqlite3.connect(Path(db_path))
    try:
        missing = [t for t in ("reports", *AUDIT_TABLES) if not _has_table(conn, t)]
        if missing:
            raise AuditDataError(
                f"{db_path} has no {', '.join(missing)} table: run `nianbao audit` on it first"
            )
        reports = _load_reports(conn)
        clusters = _load_clusters(conn)
        pairs = _load_pairs(conn)
        shown = clusters[:detail_limit]
        by_report = _pairs_by_report(pairs)
        texts = _load_texts(conn, _detail_report_ids(shown, by_report, comparisons_per_cluster))
    finally:
        conn.close()
    data = AuditData(reports, clusters, pairs, (), len(clusters) - len(shown))
    details = tuple(_detail(data, c, by_report, texts, comparisons_per_cluster) for c in shown)
    return AuditData(reports, clusters, pairs, details, data.details_omitted)


def cluster_order(cluster: Cluster) -> tuple[int, int, str]:
    """Sort key: largest first, then by kind in KINDS order, then id."""
    kind = KINDS.index(cluster.kind) if cluster.kind in KINDS else len(KINDS)
    return (-cluster.size, kind, cluster.id)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", (name,)
    ).fetchone()
    return row is not None


def _load_reports(conn: sqlite3.Connection) -> dict[str, ReportInfo]:
    columns = {row[1] for row in conn.execute("pragma table_info(reports)")}
    key = "agency_simplified" if "agency_simplified" in columns else "null"
    rows = conn.execute(
        f"select id, url, title, agency, year, host, spam_score, {key} from reports"
    )
    # rows without the key (older databases, hand-made ones) get it made as ingest makes it
    return {
        rid: ReportInfo(
            rid,
            url or "",
            title or "",
            agency or "",
            year,
            host or "",
            spam,
            group or agency_key(agency) or "",
        )
        for rid, url, title, agency, year, host, spam, group in rows
    }


def _load_clusters(conn: sqlite3.Connection) -> tuple[Cluster, ...]:
    members: dict[str, list[Member]] = {}
    rows = conn.execute(
        "select cluster_id, report_id, similarity, is_canonical"
        " from cluster_members order by cluster_id, report_id"
    )
    for cluster_id, report_id, similarity, is_canonical in rows:
        members.setdefault(cluster_id, []).append(Member(report_id, similarity, bool(is_canonical)))
    clusters = []
    for cid, kind, canonical, size, rule in conn.execute(
        "select id, kind, canonical_report_id, size, rule from clusters"
    ):
        own = tuple(sorted(members.get(cid, ()), key=_member_order))
        clusters.append(Cluster(cid, kind, canonical, int(size or len(own)), rule or "", own))
    return tuple(sorted(clusters, key=cluster_order))


def _member_order(member: Member) -> tuple[int, float, str]:
    """Canonical first, then the most similar."""
    return (0 if member.is_canonical else 1, -(member.similarity or 0.0), member.report_id)


def _load_pairs(conn: sqlite3.Connection) -> tuple[AuditPair, ...]:
    rows = conn.execute(
        "select id, kind, a_report_id, b_report_id, similarity, a_share, b_share,"
        " passages, number_diffs from audit_pairs order by kind, id"
    )
    return tuple(
        AuditPair(pid, kind, a, b, sim, a_share, b_share, _passages(passages), _diffs(diffs))
        for pid, kind, a, b, sim, a_share, b_share, passages, diffs in rows
    )


def _passages(raw: str | None) -> tuple[tuple[int, int, int, int], ...]:
    """The stored JSON list of [a_start, a_end, b_start, b_end]; malformed entries dropped."""
    if not raw:
        return ()
    return tuple(
        (int(p[0]), int(p[1]), int(p[2]), int(p[3]))
        for p in json.loads(raw)
        if isinstance(p, list) and len(p) == 4
    )


def _diffs(raw: str | None) -> tuple[NumberDiff, ...]:
    """The stored JSON list of differing numbers, each located by table cell or figure key."""
    if not raw:
        return ()
    out = []
    for item in json.loads(raw):
        if "figure" in item:
            where = f"figure {item['figure']}"
        else:
            parts = (item.get("block"), item.get("row"), item.get("column"))
            where = " · ".join([f"table {item.get('table')}", *(str(p) for p in parts if p)])
        out.append(NumberDiff(where, item.get("a"), item.get("b")))
    return tuple(out)


def _pairs_by_report(pairs: Iterable[AuditPair]) -> dict[str, list[AuditPair]]:
    index: dict[str, list[AuditPair]] = {}
    for pair in pairs:
        index.setdefault(pair.a_id, []).append(pair)
        index.setdefault(pair.b_id, []).append(pair)
    return index


def _partner(
    cluster: Cluster, member: str, by_report: Mapping[str, list[AuditPair]]
) -> tuple[str, AuditPair | None]:
    """Whom to show a member against: the canonical if a pair links them, else a paired member."""
    inside = {m.report_id for m in cluster.members}
    candidates = [
        p for p in by_report.get(member, ()) if {p.a_id, p.b_id} <= inside and p.a_id != p.b_id
    ]
    # the cluster's own kind is the evidence people expect; other kinds only as a fallback
    candidates.sort(key=lambda p: (p.kind != cluster.kind, p.id))
    for pair in candidates:
        if cluster.canonical_id in (pair.a_id, pair.b_id):
            return cluster.canonical_id, pair
    if candidates:
        pair = candidates[0]
        return (pair.b_id if pair.a_id == member else pair.a_id), pair
    return cluster.canonical_id, None


def _detail_report_ids(
    clusters: Iterable[Cluster], by_report: Mapping[str, list[AuditPair]], limit: int
) -> set[str]:
    ids: set[str] = set()
    for cluster in clusters:
        ids.add(cluster.canonical_id)
        for member in _shown_members(cluster, limit):
            ids.add(member.report_id)
            ids.add(_partner(cluster, member.report_id, by_report)[0])
    return ids


def _shown_members(cluster: Cluster, limit: int) -> list[Member]:
    others = [m for m in cluster.members if m.report_id != cluster.canonical_id]
    return others[:limit]


def _load_texts(conn: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
    wanted = sorted(ids)
    texts: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for rid, text in conn.execute(
            f"select id, text_simplified from reports where id in ({marks})", chunk
        ):
            texts[rid] = text or ""
    return texts


def _detail(
    data: AuditData,
    cluster: Cluster,
    by_report: Mapping[str, list[AuditPair]],
    texts: Mapping[str, str],
    limit: int,
) -> ClusterDetail:
    comparisons = []
    shown = _shown_members(cluster, limit)
    for member in shown:
        partner, pair = _partner(cluster, member.report_id, by_report)
        comparisons.append(
            Comparison(
                left=data.report(partner),
                right=data.report(member.report_id),
                left_text=texts.get(partner, ""),
                right_text=texts.get(member.report_id, ""),
                pair=pair,
                left_is_a=pair is not None and pair.a_id == partner,
                via_canonical=partner == cluster.canonical_id,
            )
        )
    others = sum(1 for m in cluster.members if m.report_id != cluster.canonical_id)
    return ClusterDetail(cluster, tuple(comparisons), others - len(shown))
