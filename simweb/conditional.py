"""HTTP validators of the simulated hosts and the conditional requests they answer with 304.

Real portals differ here, and an incremental re-crawler must cope with each kind, so the
simulated hosts differ too (``HOST_VALIDATORS``):

- www.beijing.gov.cn and sw.beijing.gov.cn send an ``ETag`` and honour ``If-None-Match``;
- www.bjdx.gov.cn sends only ``Last-Modified`` and honours ``If-Modified-Since``;
- swj.chaoyang.gov.cn sends both but ignores conditional requests (always 200, full body),
  as CMSs behind a careless cache do;
- every other host (csglw, mentougou, the spam mirror, the CMS-family portals …) sends none.

Validators go on status-200 HTML and plain-text answers only. The ETag is a digest of the
body bytes as the world renders them (before the server gzips), so it changes exactly when
the body does; ``Last-Modified`` is a date fixed by the world's seed and the change run in
which the page last changed (simweb.changes), so an unchanged page keeps its date.
"""

from __future__ import annotations

import dataclasses
import datetime
import email.utils
import hashlib
import zlib
from dataclasses import dataclass

from nianbao.simweb.agencies import CHAOYANG, DAXING, SW, WWW
from nianbao.simweb.truth import Page


@dataclass(frozen=True)
class HostValidators:
    """What one host sends and whether it answers conditional requests with 304."""

    etag: bool
    last_modified: bool
    honours: bool  # False: validators are sent, but If-None-Match/If-Modified-Since ignored


HOST_VALIDATORS: dict[str, HostValidators] = {
    WWW: HostValidators(etag=True, last_modified=False, honours=True),
    SW: HostValidators(etag=True, last_modified=False, honours=True),
    DAXING: HostValidators(etag=False, last_modified=True, honours=True),
    CHAOYANG: HostValidators(etag=True, last_modified=True, honours=False),
}
NONE = HostValidators(etag=False, last_modified=False, honours=False)
VALIDATOR_HEADERS = ("ETag", "Last-Modified")
# A change step adds the next year's reports, so runs are a year apart: run 0 falls after
# the newest generated report's publication (year 2024, published by 2025-03-28), run k
# after year 2024 + k's. The seed shifts the calendar by up to 60 days so worlds differ.
EPOCH = datetime.datetime(2025, 4, 1, 8, 0, tzinfo=datetime.UTC)
RUN_DAYS = 365


def policy(host: str) -> HostValidators:
    """The validator behaviour of ``host`` (NONE for hosts that send no validators)."""
    return HOST_VALIDATORS.get(host.lower(), NONE)


def etag_of(body: bytes) -> str:
    """A strong entity tag for ``body``: the quoted first 16 hex digits of its SHA-1."""
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'  # noqa: S324 - not security


def last_modified_at(seed: int, run: int) -> datetime.datetime:
    """When pages last changed in change run ``run`` of the world of ``seed`` (whole minutes).

    Strictly increasing in ``run``: the in-day jitter (under 10 h) never reaches the next
    run's date a year later."""
    days = zlib.crc32(f"{seed}".encode()) % 60 + RUN_DAYS * run
    minutes = zlib.crc32(f"{seed}:{run}".encode()) % 600
    return EPOCH + datetime.timedelta(days=days, minutes=minutes)


def http_date(when: datetime.datetime) -> str:
    """``when`` as an HTTP date (IMF-fixdate, GMT)."""
    return email.utils.format_datetime(when.astimezone(datetime.UTC), usegmt=True)


def _is_text(page: Page) -> bool:
    content_type = next((v for k, v in page.headers if k.lower() == "content-type"), "")
    return content_type.lower().startswith(("text/html", "text/plain"))


def with_validators(page: Page, host: str, seed: int, changed_in: int) -> Page:
    """``page`` with the validator headers ``host`` sends (none on non-200 or non-text).

    ``changed_in`` is the change run in which this page last changed (0: never)."""
    rules = policy(host)
    if page.status != 200 or not (rules.etag or rules.last_modified) or not _is_text(page):
        return page
    if any(name in VALIDATOR_HEADERS for name, _ in page.headers):
        return page  # already stamped (a gateway page looked up through its original)
    headers = list(page.headers)
    if rules.etag:
        headers.append(("ETag", etag_of(page.body)))
    if rules.last_modified:
        headers.append(("Last-Modified", http_date(last_modified_at(seed, changed_in))))
    return dataclasses.replace(page, headers=headers)


def _header(page: Page, name: str) -> str | None:
    return next((v for k, v in page.headers if k.lower() == name.lower()), None)


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match's weak comparison: any listed tag equal once W/ is dropped, or *."""
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}


def not_modified(
    host: str, page: Page, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """True when ``host`` answers this conditional GET of ``page`` with 304 Not Modified.

    As RFC 9110 orders it: If-None-Match decides when present (If-Modified-Since is then
    ignored); otherwise If-Modified-Since at or after Last-Modified means unchanged. An
    unparsable date is ignored, as the RFC asks."""
    if not policy(host).honours or page.status != 200:
        return False
    if if_none_match is not None:
        etag = _header(page, "ETag")
        return etag is not None and _etag_matches(if_none_match, etag)
    stamp = _header(page, "Last-Modified")
    if if_modified_since is None or stamp is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:  # a date without a zone is taken as GMT, HTTP's only zone
        since = since.replace(tzinfo=datetime.UTC)
    return since >= email.utils.parsedate_to_datetime(stamp)


def not_modified_headers(page: Page) -> list[tuple[str, str]]:
    """The headers a 304 repeats from the full answer: its validators."""
    return [(k, v) for k, v in page.headers if k in VALIDATOR_HEADERS]
