"""Which kind of relation a verified pair of reports is, and which side is which.

Copies are of one report year: the side that is not the agency's own page decides the kind
(spam_mirror: a spam or off-government host copy of a clean page; script_twin: a
Traditional copy, typically the portal's /gate/big5/ gateway, of a Simplified page); else
same text is ``exact`` and similar text ``near_duplicate``. Across years, the same agency
printing much of last year's text is ``reuse``; a different agency printing the text is
``cross_agency`` in any year.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from nianbao.extract.spam import HOLE

KINDS = ("exact", "script_twin", "spam_mirror", "near_duplicate", "reuse", "cross_agency")
COPY_KINDS = frozenset({"exact", "script_twin", "spam_mirror", "near_duplicate"})

NEAR_MIN = 0.5  # verified Jaccard for copies of one year and for cross-agency text
REUSE_MIN = 0.3  # verified Jaccard for same-agency consecutive years (masked: no template)
GATEWAY = "/gate/"  # path prefix of the portal's script gateway (/gate/big5/<host>/<path>)


@dataclass(frozen=True)
class ReportInfo:
    """What classification and the canonical rule need to know about one report."""

    id: str
    url: str
    host: str
    agency: str  # reports.agency_simplified; "" when unknown or holed (北京市□ is no agency)
    year: int | None
    published: str  # YYYY-MM-DD or ""
    script: str
    spam_score: float
    has_spam: bool  # spam findings in its original text
    captured: str  # date key of its capture ("" if unknown)
    text_hash: str

    @property
    def known_agency(self) -> str:
        """The agency to compare, "" when unknown: a hole (□) left by spam names no agency."""
        return "" if HOLE in self.agency else self.agency

    @property
    def gateway(self) -> bool:
        """Served through the portal's script gateway, not by the agency itself."""
        return urlsplit(self.url).path.startswith(GATEWAY)

    @property
    def off_government(self) -> bool:
        """Served by a host outside gov.cn: not an agency's site."""
        return not (self.host == "gov.cn" or self.host.endswith(".gov.cn"))

    @property
    def mirror(self) -> bool:
        """A spam or off-government copy."""
        return self.has_spam or self.off_government

    @property
    def copy_path(self) -> str:
        """The URL path a copy keeps: mirrors keep the original's, the gateway embeds it."""
        path = urlsplit(self.url).path
        if self.gateway:
            parts = path.split("/", 4)  # "", "gate", "big5", host, path
            return "/" + parts[4] if len(parts) == 5 else path
        return path

    @property
    def own_host(self) -> bool:
        """On the agency's own site: a gov.cn host, not the gateway, not a mirror."""
        return not (self.mirror or self.gateway)


@dataclass(frozen=True)
class Relation:
    """A classified pair: kind and direction (a the copy/twin/mirror/later/copier)."""

    kind: str
    a: str
    b: str

    @property
    def id(self) -> str:
        """The stable pair id kind:a:b."""
        return f"{self.kind}:{self.a}:{self.b}"


def canonical_key(report: ReportInfo) -> tuple:
    """Sort key of the canonical rule: own host, earliest capture, least spam, smallest id."""
    return (not report.own_host, report.captured or "~", report.spam_score, report.id)


def gateway_of(twin: ReportInfo, original: ReportInfo) -> bool:
    """Whether ``twin`` is the gateway URL /gate/big5/<host>/<path> of ``original``."""
    parts = urlsplit(twin.url).path.split("/", 4)  # "", "gate", "big5", host, path
    if len(parts) < 5 or not twin.gateway:
        return False
    target = urlsplit(original.url)
    return parts[3] == target.hostname and "/" + parts[4] == target.path


def _later(x: ReportInfo, y: ReportInfo) -> tuple[ReportInfo, ReportInfo]:
    """(later, earlier) by year, then publication date, then capture."""

    def key(r: ReportInfo) -> tuple:
        return (r.year or 0, r.published or "", r.captured or "", r.id)

    return (x, y) if key(x) > key(y) else (y, x)


def _copy(x: ReportInfo, y: ReportInfo, similarity: float) -> Relation | None:
    """A copy relation between two reports of one year (or with a year unknown)."""
    if x.mirror != y.mirror:
        mirror, clean = (x, y) if x.mirror else (y, x)
        kept_path = x.copy_path == y.copy_path and similarity >= REUSE_MIN
        if similarity >= NEAR_MIN or kept_path:
            return Relation("spam_mirror", mirror.id, clean.id)
        return None
    if {x.script, y.script} == {"Hans", "Hant"}:
        twin, original = (x, y) if x.script == "Hant" else (y, x)
        if similarity >= NEAR_MIN or gateway_of(twin, original):
            return Relation("script_twin", twin.id, original.id)
        return None
    copy, canonical = (x, y) if canonical_key(x) > canonical_key(y) else (y, x)
    if x.text_hash == y.text_hash:
        return Relation("exact", copy.id, canonical.id)
    if similarity >= NEAR_MIN:
        return Relation("near_duplicate", copy.id, canonical.id)
    return None


def classify(x: ReportInfo, y: ReportInfo, similarity: float) -> Relation | None:
    """The relation between two reports whose masked sets have this exact Jaccard, if any."""
    same_year = x.year is None or y.year is None or x.year == y.year
    if x.mirror != y.mirror:  # a mirror's agency may be hijacked by spam: compare texts only
        return _copy(x, y, similarity) if same_year else None
    if x.known_agency and y.known_agency and x.known_agency != y.known_agency:
        if similarity < NEAR_MIN:
            return None
        copier, source = _later(x, y)
        return Relation("cross_agency", copier.id, source.id)
    if same_year or x.year is None or y.year is None:  # (both years known past here)
        return _copy(x, y, similarity)
    if abs(x.year - y.year) == 1 and similarity >= REUSE_MIN:
        later, earlier = _later(x, y)
        return Relation("reuse", later.id, earlier.id)
    return None
