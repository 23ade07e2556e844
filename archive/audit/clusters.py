"""Clusters: connected components of the verified pairs of one kind, with a canonical member.

One cluster per kind and component, so every cluster has one kind of the vocabulary and a
report may sit in a cluster of several kinds (an original with an exact copy, a gateway
twin and a spam mirror is the canonical member of three clusters; the rule below makes it
canonical in each).

Canonical member of the copy kinds (exact, near_duplicate, script_twin, spam_mirror): the
copy on the agency's own host (a gov.cn host that is not the script gateway and carries no
spam), then the earliest capture, then the lowest spam score, then the smallest report id.
Of reuse and cross_agency clusters: the source — the earliest report year, then
publication date, then capture, then id — since the copies there are of distinct reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from nianbao.archive.audit.relations import COPY_KINDS, ReportInfo, canonical_key


@dataclass(frozen=True)
class Member:
    """One report in a cluster and its similarity to the canonical member."""

    report_id: str
    similarity: float
    is_canonical: bool


@dataclass(frozen=True)
class Cluster:
    """A component of one kind's pairs."""

    id: str
    kind: str
    canonical: str
    rule: str
    members: tuple[Member, ...]


def components(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (sorted ids, sorted by first id) of an undirected edge list."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving keeps trees flat
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return sorted((sorted(group) for group in groups.values()), key=lambda g: g[0])


def source_key(report: ReportInfo) -> tuple:
    """Sort key of the source rule: earliest year, publication, capture, then smallest id."""
    return (report.year or 9999, report.published or "~", report.captured or "~", report.id)


def _copy_reason(best: ReportInfo, runner_up: ReportInfo) -> str:
    """The first criterion of the canonical rule that sets ``best`` before ``runner_up``."""
    if best.own_host != runner_up.own_host:
        return f"on the agency's own host {best.host} (others: gateway, mirror or off-gov)"
    if best.captured != runner_up.captured:
        return f"earliest capture {best.captured}"
    if best.spam_score != runner_up.spam_score:
        return f"lowest spam score {best.spam_score:g}"
    return "smallest report id (copies otherwise equal)"


def _source_reason(best: ReportInfo, runner_up: ReportInfo) -> str:
    if best.year != runner_up.year:
        return f"source: earliest report year {best.year}"
    if best.published != runner_up.published:
        return f"source: earliest publication {best.published}"
    if best.captured != runner_up.captured:
        return f"source: earliest capture {best.captured}"
    return "source: smallest report id"


def canonical(kind: str, members: list[ReportInfo]) -> tuple[ReportInfo, str]:
    """The canonical member of a cluster of ``kind`` and the rule's reason for it."""
    if kind in COPY_KINDS:
        ordered = sorted(members, key=canonical_key)
        return ordered[0], _copy_reason(ordered[0], ordered[1])
    ordered = sorted(members, key=source_key)
    return ordered[0], _source_reason(ordered[0], ordered[1])


def build(
    kind: str,
    pairs: Mapping[tuple[str, str], float],
    reports: Mapping[str, ReportInfo],
    similarity: Callable[[str, str], float],
) -> list[Cluster]:
    """The clusters of one kind from its pairs ((a, b) -> Jaccard), canonical members chosen.

    ``similarity(x, y)`` gives the Jaccard of members not paired with the canonical directly.
    """
    clusters = []
    for group in components(pairs):
        best, reason = canonical(kind, [reports[rid] for rid in group])
        members = []
        for rid in group:
            if rid == best.id:
                members.append(Member(rid, 1.0, True))
                continue
            known = pairs.get((rid, best.id), pairs.get((best.id, rid)))
            members.append(
                Member(rid, known if known is not None else similarity(rid, best.id), False)
            )
        clusters.append(Cluster(f"{kind}:{best.id}", kind, best.id, reason, tuple(members)))
    return clusters
