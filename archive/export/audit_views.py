"""Figures derived from the audit data: counts per kind, per agency, reuse per year, spans."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from nianbao.archive.export.audit_data import KINDS, AuditData, Comparison, NumberDiff

Span = tuple[int, int]


@dataclass(frozen=True)
class KindCount:
    """How many clusters and pairs of one kind, and how many reports those clusters hold."""

    kind: str
    clusters: int
    pairs: int
    members: int


@dataclass(frozen=True)
class AgencyRow:
    """One agency's place in the audit (its Simplified name; "" for unknown or holed)."""

    agency: str
    reports: int
    clusters: int  # clusters holding at least one of its reports
    reuse_pairs: int  # its year-N reports reusing its year N−1 text
    copied: int  # cross_agency pairs where it is the copier
    copied_from: int  # cross_agency pairs where it is the source


@dataclass(frozen=True)
class YearReuse:
    """Reuse pairs whose later report covers this year, and the mean share of reused text."""

    year: int
    pairs: int
    mean_share: float


def kind_counts(data: AuditData) -> list[KindCount]:
    """Counts for every kind in KINDS (zeros included), then any unknown kind found."""
    clusters = Counter(c.kind for c in data.clusters)
    members: Counter[str] = Counter()
    for cluster in data.clusters:
        members[cluster.kind] += cluster.size
    pairs = Counter(p.kind for p in data.pairs)
    extra = sorted((set(clusters) | set(pairs)) - set(KINDS))
    return [KindCount(k, clusters[k], pairs[k], members[k]) for k in (*KINDS, *extra)]


def agency_rows(data: AuditData) -> list[AgencyRow]:
    """Agencies with any cluster or pair, most clusters first.

    Grouped by agency_simplified: 北京市商務局 and 北京市商务局 are one agency, and an agency
    with a hole (北京市□) is unknown ("").
    """
    reports = Counter(r.agency_key for r in data.reports.values())
    clusters: defaultdict[str, set[str]] = defaultdict(set)
    for cluster in data.clusters:
        for member in cluster.members:
            clusters[data.report(member.report_id).agency_key].add(cluster.id)
    reuse: Counter[str] = Counter()
    copied: Counter[str] = Counter()
    copied_from: Counter[str] = Counter()
    for pair in data.pairs:
        a, b = data.report(pair.a_id).agency_key, data.report(pair.b_id).agency_key
        if pair.kind == "reuse":
            reuse[a] += 1
        elif pair.kind == "cross_agency":
            copied[a] += 1
            copied_from[b] += 1
    names = set(clusters) | set(reuse) | set(copied) | set(copied_from)
    rows = [
        AgencyRow(n, reports[n], len(clusters[n]), reuse[n], copied[n], copied_from[n])
        for n in names
    ]
    rows.sort(key=lambda r: (-r.clusters, -(r.reuse_pairs + r.copied), r.agency))
    return rows


def reuse_by_year(data: AuditData) -> list[YearReuse]:
    """Reuse pairs per year of the later report (pairs with an unknown year are left out)."""
    counts: Counter[int] = Counter()
    shares: defaultdict[int, list[float]] = defaultdict(list)
    for pair in data.pairs:
        year = data.report(pair.a_id).year
        if pair.kind != "reuse" or year is None:
            continue
        counts[year] += 1
        if pair.a_share is not None:
            shares[year].append(pair.a_share)
    return [
        YearReuse(y, counts[y], sum(shares[y]) / len(shares[y]) if shares[y] else 0.0)
        for y in sorted(counts)
    ]


def comparison_spans(comparison: Comparison) -> tuple[list[Span], list[Span]]:
    """The copied passages as (start, end) spans in the left and the right text."""
    if comparison.pair is None:
        return [], []
    a_spans = [(p[0], p[1]) for p in comparison.pair.passages]
    b_spans = [(p[2], p[3]) for p in comparison.pair.passages]
    return (a_spans, b_spans) if comparison.left_is_a else (b_spans, a_spans)


def comparison_diffs(comparison: Comparison) -> list[tuple[str, object, object]]:
    """The differing numbers as (where, left value, right value)."""
    if comparison.pair is None:
        return []
    diffs: tuple[NumberDiff, ...] = comparison.pair.number_diffs
    if comparison.left_is_a:
        return [(d.where, d.a, d.b) for d in diffs]
    return [(d.where, d.b, d.a) for d in diffs]


def merge_spans(spans: list[Span], length: int) -> list[Span]:
    """Spans clipped to [0, length], sorted, overlapping or touching ones joined."""
    clipped = sorted((max(0, s), min(length, e)) for s, e in spans)
    merged: list[Span] = []
    for start, end in clipped:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
