"""A report card: everything the database knows of one report, for ``nianbao show``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.places import open_read_only
from nianbao.archive.store.history import History, url_history
from nianbao.archive.store.query import ReportTables, find_report, report_tables
from nianbao.extract.tables.template import T3_GRANTED, T3_NEW, T3_TOTAL, T3_TOTAL_COLUMN

# the report's metadata, in the order a card shows it
METADATA = (
    "id", "url", "title", "agency", "region", "year", "published", "index_no", "doc_no",
    "script", "generation", "template", "source_format", "page_url", "charset", "spam_score",
    "seen", "last_seen", "gone", "extractor_version",
)  # fmt: skip
# table 3's rows charted across an agency's years: applications received, granted, handled
SERIES = (T3_NEW, T3_GRANTED, T3_TOTAL)
OTHER_MEMBERS = 10  # a cluster's other members named on a card


@dataclass(frozen=True)
class SpamLine:
    """One spam finding: what was injected, and the words it replaced when a copy had them."""

    kind: str
    place: str | None
    injected: str
    restored: str | None
    restored_from: str | None


@dataclass(frozen=True)
class ClusterLink:
    """An audit cluster the report belongs to, and some of its other members."""

    cluster_id: str
    kind: str
    size: int
    canonical: bool  # this report is the cluster's canonical member
    similarity: float | None
    others: tuple[tuple[str, str, int | None, str | None], ...]  # (id, url, year, agency)


@dataclass(frozen=True)
class YearPoint:
    """One year of the agency's reports: table 3's totals of ``SERIES`` (None: not printed)."""

    year: int
    report_id: str
    values: tuple[int | float | None, ...]


@dataclass(frozen=True)
class ReportCard:
    """One report: metadata, sections, tables and checks, spam, clusters, captures, and the
    same agency's table 3 over the years."""

    metadata: tuple[tuple[str, object], ...]
    sections: tuple[tuple[int, str | None, str], ...]  # (number, heading, text)
    tables: ReportTables
    spam: tuple[SpamLine, ...]
    clusters: tuple[ClusterLink, ...]
    history: History
    agency_years: tuple[YearPoint, ...]

    @property
    def report_id(self) -> str:
        """The report's id."""
        return str(dict(self.metadata)["id"])


def report_card(db_path: Path, key: str) -> ReportCard:
    """The card of the report whose id, unique id prefix or URL is ``key`` (NotFound,
    Ambiguous as ``query.find_report``)."""
    with open_read_only(db_path) as db:
        rid = find_report(db, key)[0]
        known = db["reports"].columns_dict
        names = [name for name in METADATA if name in known]
        row = db.execute(f"select {', '.join(names)} from reports where id = ?", [rid]).fetchone()
        metadata = tuple(zip(names, row, strict=True))
        sections = tuple(
            db.execute(
                "select number, heading, text from sections where report_id = ? order by number",
                [rid],
            ).fetchall()
        )
        spam = tuple(
            SpamLine(*found)
            for found in db.execute(
                "select kind, place, injected, restored, restored_from from spam_findings"
                " where report_id = ? order by start, kind",
                [rid],
            )
        )
        clusters = _clusters(db, rid)
        years = _agency_years(db, rid)
    return ReportCard(
        metadata,
        sections,
        report_tables(db_path, rid),
        spam,
        clusters,
        url_history(db_path, rid),
        years,
    )


def _clusters(db: Database, rid: str) -> tuple[ClusterLink, ...]:
    links = []
    for cluster_id, kind, size, canonical, similarity in db.execute(
        "select c.id, c.kind, c.size, m.is_canonical, m.similarity from cluster_members m"
        " join clusters c on c.id = m.cluster_id where m.report_id = ? order by c.kind, c.id",
        [rid],
    ).fetchall():
        others = db.execute(
            "select r.id, r.url, r.year, r.agency from cluster_members m"
            " join reports r on r.id = m.report_id where m.cluster_id = ? and m.report_id != ?"
            " order by m.is_canonical desc, r.year, r.id limit ?",
            [cluster_id, rid, OTHER_MEMBERS],
        ).fetchall()
        links.append(
            ClusterLink(cluster_id, kind, size, bool(canonical), similarity, tuple(others))
        )
    return tuple(links)


def _agency_years(db: Database, rid: str) -> tuple[YearPoint, ...]:
    """Per year, the agency's report with the most table 3 cells (this one for its year)."""
    (agency,) = db.execute(
        "select coalesce(agency_simplified, agency) from reports where id = ?", [rid]
    ).fetchone()
    if agency is None:
        return ()
    rows = db.execute(
        "select r.id, r.year, (select count(*) from stats s where s.report_id = r.id"
        " and s.table_no = 3) as cells from reports r"
        " where coalesce(r.agency_simplified, r.agency) = ? and r.year is not null"
        " order by r.year, r.id = ? desc, cells desc, r.id",
        [agency, rid],
    ).fetchall()
    chosen: dict[int, str] = {}
    for report_id, year, _cells in rows:
        chosen.setdefault(year, report_id)
    points = []
    for year, report_id in sorted(chosen.items()):
        values = tuple(_total(db, report_id, row) for row in SERIES)
        points.append(YearPoint(year, report_id, values))
    return tuple(points)


def _total(db: Database, report_id: str, row: str) -> int | float | None:
    found = db.execute(
        "select value from stats where report_id = ? and table_no = 3 and block = ''"
        ' and row = ? and "column" = ?',
        [report_id, row, T3_TOTAL_COLUMN],
    ).fetchone()
    return found[0] if found else None
