"""Write the audit report folder (index.html and the CSVs) from an audited database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from nianbao.archive.export.audit_csv import write_audit_csv
from nianbao.archive.export.audit_data import load_audit
from nianbao.archive.export.audit_html import write_audit_html


@dataclass(frozen=True)
class AuditReport:
    """Where the report was written and what it counts."""

    html: Path
    csvs: tuple[Path, ...]
    reports: int
    clusters_by_kind: tuple[tuple[str, int], ...]
    pairs_by_kind: tuple[tuple[str, int], ...]
    details_omitted: int

    @property
    def clusters(self) -> int:
        """All clusters, every kind."""
        return sum(n for _, n in self.clusters_by_kind)

    @property
    def pairs(self) -> int:
        """All pairs, every kind."""
        return sum(n for _, n in self.pairs_by_kind)


def write_audit_report(db_path: Path, directory: Path, *, detail_limit: int = 200) -> AuditReport:
    """Read the audit tables of ``db_path``; write index.html and CSVs into ``directory``."""
    data = load_audit(db_path, detail_limit=detail_limit)
    html = write_audit_html(
        data, directory / "index.html", title=f"nianbao audit of {Path(db_path).name}"
    )
    csvs = write_audit_csv(data, directory)
    clusters = Counter(c.kind for c in data.clusters)
    pairs = Counter(p.kind for p in data.pairs)
    return AuditReport(
        html,
        csvs,
        len(data.reports),
        tuple(sorted(clusters.items())),
        tuple(sorted(pairs.items())),
        data.details_omitted,
    )


def audit_archive(db_path: Path, directory: Path) -> AuditReport:
    """Run the audit on ``db_path`` (incrementally) and write its report into ``directory``."""
    from nianbao.archive.audit import run_audit
    from nianbao.archive.places import writable_database, writable_folder

    # both checked before the audit writes anything (an audit_runs row included)
    writable_database(db_path)
    writable_folder(directory, "audit folder")
    run_audit(db_path)
    return write_audit_report(db_path, directory)
