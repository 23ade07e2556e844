"""Sightings: when each report was last seen unchanged, and whether its page is gone.

A re-crawl archives an unchanged report as a revisit (or a response with the same payload
digest); a page that now answers 404 or 410 is gone, its captures kept. Both are read from
the captures table alone, so a crawl's database and a reindex of its WARCs agree.
"""

from __future__ import annotations

from nianbao.archive.store.database import Store

# captures that show a report's payload at its URL: the first one and every sighting since
_SAME_PAYLOAD = (
    " from captures c where c.url = reports.url"
    " and c.record_type in ('response', 'revisit', 'resource')"
    " and c.payload_digest = (select o.payload_digest from captures o"
    " where o.id = reports.capture_id)"
)


def refresh_sightings(store: Store) -> None:
    """Set every report's ``seen``, ``last_seen`` and ``gone`` from the captures."""
    with store.transaction():
        store.db.execute(
            f"update reports set seen = max(1, (select count(*) {_SAME_PAYLOAD})),"
            f" last_seen = coalesce((select max(c.date) {_SAME_PAYLOAD}),"
            " (select o.date from captures o where o.id = reports.capture_id))"
        )
        # two statements: an UPDATE's expressions all read the row as it was before it
        store.db.execute(
            "update reports set gone = (select min(c.date) from captures c"
            " where c.url = reports.url and c.record_type = 'response'"
            " and c.status in (404, 410) and c.date > reports.last_seen)"
        )
