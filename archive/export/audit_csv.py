"""The audit as CSV: clusters.csv, members.csv and pairs.csv (UTF-8, one header row each)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from nianbao.archive.export.audit_data import AuditData

CLUSTER_COLUMNS = ("cluster", "kind", "canonical_url", "size", "canonical_report_id", "rule")
MEMBER_COLUMNS = (
    "cluster",
    "kind",
    "report_id",
    "url",
    "agency",
    "year",
    "similarity",
    "is_canonical",
)
PAIR_COLUMNS = (
    "pair",
    "kind",
    "a_url",
    "b_url",
    "similarity",
    "a_share",
    "b_share",
    "numbers_differing",
    "a_report_id",
    "b_report_id",
)


def write_audit_csv(data: AuditData, directory: Path) -> tuple[Path, Path, Path]:
    """Write the three CSV files into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    clusters = _write(
        directory / "clusters.csv",
        CLUSTER_COLUMNS,
        (
            (c.id, c.kind, data.report(c.canonical_id).url, c.size, c.canonical_id, c.rule)
            for c in data.clusters
        ),
    )
    members = _write(
        directory / "members.csv",
        MEMBER_COLUMNS,
        (
            (
                c.id,
                c.kind,
                m.report_id,
                data.report(m.report_id).url,
                data.report(m.report_id).agency,
                _blank(data.report(m.report_id).year),
                _blank(m.similarity),
                int(m.is_canonical),
            )
            for c in data.clusters
            for m in c.members
        ),
    )
    pairs = _write(
        directory / "pairs.csv",
        PAIR_COLUMNS,
        (
            (
                p.id,
                p.kind,
                data.report(p.a_id).url,
                data.report(p.b_id).url,
                _blank(p.similarity),
                _blank(p.a_share),
                _blank(p.b_share),
                len(p.number_diffs),
                p.a_id,
                p.b_id,
            )
            for p in data.pairs
        ),
    )
    return clusters, members, pairs


def _blank(value: object) -> object:
    """None as an empty cell (csv would write the same, but say so)."""
    return "" if value is None else value


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
