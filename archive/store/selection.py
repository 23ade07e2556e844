"""Which reports a command works on: by year, agency, region and audit cluster."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nianbao.extract.script import script_forms, to_simplified


@dataclass(frozen=True)
class Selection:
    """Reports chosen by year (any of ``years``), agency and region (substrings, in either
    script) and audit cluster (a ``clusters.id``); the default chooses every report."""

    years: tuple[int, ...] = ()
    agency: str | None = None
    region: str | None = None
    cluster: str | None = None

    def where(self, alias: str = "r") -> tuple[str, list[object]]:
        """A SQL condition on the reports table named ``alias``, and its parameters."""
        terms: list[str] = []
        params: list[object] = []
        if self.years:
            terms.append(f"{alias}.year in ({', '.join('?' for _ in self.years)})")
            params.extend(self.years)
        # 商務局 finds 商务局 and back: the column as printed is searched for every form of
        # the words (a region is printed as the agency was: 北京市大興區), the Simplified
        # column for the Simplified form
        for column, simplified, wanted in (
            ("agency", "agency_simplified", self.agency),
            ("region", "region", self.region),
        ):
            if wanted is not None:
                forms = script_forms(wanted)
                found = [f"instr(coalesce({alias}.{column}, ''), ?) > 0" for _ in forms]
                found.append(f"instr(coalesce({alias}.{simplified}, ''), ?) > 0")
                terms.append("(" + " or ".join(found) + ")")
                params.extend([*forms, to_simplified(wanted)])
        if self.cluster is not None:
            terms.append(
                f"{alias}.id in (select report_id from cluster_members where cluster_id = ?)"
            )
            params.append(self.cluster)
        return (" and ".join(terms) or "1"), params

    @property
    def empty(self) -> bool:
        """True when nothing narrows the choice."""
        return self == Selection()


def selected_ids(db_path: Path, selection: Selection) -> tuple[str, ...]:
    """The ids of the reports ``selection`` chooses in the database at ``db_path``, sorted."""
    from nianbao.archive.places import open_read_only  # places imports the store's schema

    chosen, params = selection.where("r")
    with open_read_only(db_path) as db:
        rows = db.execute(f"select r.id from reports r where {chosen} order by r.id", params)
        return tuple(rid for (rid,) in rows)
