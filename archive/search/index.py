"""The reports' full-text index: FTS5 with the trigram tokenizer, kept current by triggers.

sqlite-utils makes the table (``reports_fts``, external content: the text stays in ``reports``
only); the triggers are ours, because sqlite-utils' fire on every update of a row and the
sightings pass updates ``seen`` of every report after every crawl, which would tokenise the
whole archive again each time. Ours fire only when an indexed column changes.
"""

from __future__ import annotations

from sqlite_utils import Database

FTS_TABLE = "reports_fts"
# the indexed columns, in the FTS table's order: the title, the agency, and the clean text in
# the script it was printed in and in Simplified (a query is looked for in both forms)
COLUMNS = ("title", "agency", "text", "text_simplified")

_VALUES = ", ".join(f"{{row}}.{name}" for name in COLUMNS)
_NAMES = ", ".join(COLUMNS)
_INSERT = (
    f"insert into {FTS_TABLE}(rowid, {_NAMES}) values (new.rowid, {_VALUES.format(row='new')});"
)
_DELETE = (
    f"insert into {FTS_TABLE}({FTS_TABLE}, rowid, {_NAMES}) "
    f"values ('delete', old.rowid, {_VALUES.format(row='old')});"
)
# The last two characters of each indexed column, for two-character words: the index finds
# one by its trigrams that begin with it (the vocabulary, ``TERMS_TABLE``, lists them), which
# misses it where a column ends with it, so those endings are kept here.
ENDS_TABLE = "reports_fts_ends"
TERMS_TABLE = "reports_fts_terms"


def _endings(row: str, source: str = "") -> list[str]:
    """Statements storing the last two characters of each indexed column of ``row``
    (``new`` in a trigger; ``reports`` with ``source`` " from reports" to fill the table)."""
    return [
        f"insert into {ENDS_TABLE}(rid, ending) select {row}.rowid, substr({row}.{name}, -2)"
        f"{source} where length({row}.{name}) >= 2"
        for name in COLUMNS
    ]


_ENDS_INSERT = " ".join(f"{statement};" for statement in _endings("new"))
_ENDS_DELETE = f"delete from {ENDS_TABLE} where rid = old.rowid;"
TRIGGERS = {
    "reports_ai": f"after insert on reports begin {_INSERT} {_ENDS_INSERT} end",
    "reports_ad": f"after delete on reports begin {_DELETE} {_ENDS_DELETE} end",
    "reports_au": (
        f"after update of {_NAMES} on reports begin {_DELETE} {_ENDS_DELETE} {_INSERT}"
        f" {_ENDS_INSERT} end"
    ),
}


def has_search(db: Database) -> bool:
    """Whether the database has the full-text index."""
    return db.table(FTS_TABLE).exists()


def ensure_search(db: Database) -> None:
    """Create the index and its triggers where missing, filling a new index from the reports.

    The connection must run with ``recursive_triggers`` on (sqlite-utils' ``Database`` does):
    the store writes reports with INSERT OR REPLACE, and SQLite fires no delete trigger for
    the row a REPLACE removes unless told to, which would leave the old text in the index.
    """
    with db.conn:
        if not has_search(db):
            db.table("reports").enable_fts(
                list(COLUMNS), fts_version="FTS5", tokenize="trigram", create_triggers=False
            )
            db.execute(f"insert into {FTS_TABLE}({FTS_TABLE}) values ('rebuild')")
        if not db.table(ENDS_TABLE).exists():
            # an index made before the endings were kept: its triggers are replaced
            for name in TRIGGERS:
                db.execute(f"drop trigger if exists {name}")
            db.execute(f"create table {ENDS_TABLE} (rid integer not null, ending text not null)")
            db.execute(f"create index {ENDS_TABLE}_ending on {ENDS_TABLE}(ending)")
            db.execute(f"create index {ENDS_TABLE}_rid on {ENDS_TABLE}(rid)")
            for statement in _endings("reports", " from reports"):
                db.execute(statement)
        db.execute(
            f"create virtual table if not exists {TERMS_TABLE} using fts5vocab({FTS_TABLE}, row)"
        )
        for name, body in TRIGGERS.items():
            db.execute(f"create trigger if not exists {name} {body}")
