"""Template boilerplate decided from data: shingles most reports of the archive share.

Every 2019/2021 template report prints the same table labels, section headings and stock
sentences (依据《条例》第五十条规定…); two unrelated reports would look alike on those alone.
A shingle counts as boilerplate when its document frequency exceeds both ``SHARE`` of the
reports and ``MIN_REPORTS`` reports. Frequencies are counted on a sample of at most
``SAMPLE`` reports (the smallest report ids: ids are sha1 hashes, so an unbiased sample);
frequent shingles are estimated well from it, rare ones never cross the threshold anyway.

The vocabulary is persisted (table ``audit_boilerplate``, with each shingle's frequency)
and kept while the archive grows by less than ``REGROW``: every signature is computed
against one fixed mask, so an incremental audit stays consistent with the first. When the
archive outgrows it the vocabulary is counted again and every signature recomputed — like a
hash table's resize, that keeps the total work near linear.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from nianbao.archive.audit.normalize import raw_shingles

SHARE = 0.02  # of reports a boilerplate shingle appears in …
MIN_REPORTS = 20  # … and more reports than this
SAMPLE = 5000  # reports counted at most
PILOT = 500  # reports whose shingles nominate the candidates counted over the sample
REGROW = 1.25  # archive growth (or shrinkage) factor that triggers a recount


@dataclass(frozen=True)
class Boilerplate:
    """The masked vocabulary: shingles with their sample document frequency."""

    id: str
    reports: int
    sample: int
    min_df: int
    frequencies: dict[str, int]

    @property
    def shingles(self) -> frozenset[str]:
        """The boilerplate shingles as a set."""
        return frozenset(self.frequencies)

    def stale(self, reports: int) -> bool:
        """Whether the archive changed size enough since counting to count again."""
        if self.reports == 0:
            return reports > 0
        return not self.reports / REGROW <= reports <= self.reports * REGROW


def min_df(reports: int, sample: int) -> int:
    """The largest sample frequency that is not boilerplate (SHARE and MIN_REPORTS scaled)."""
    if sample == 0:
        return 0
    return int(max(SHARE * sample, MIN_REPORTS * sample / max(reports, 1)))


def count(texts: Iterable[str | None], reports: int) -> Boilerplate:
    """Count shingle document frequencies over sampled ``texts`` of an archive of ``reports``.

    Two passes keep memory small: shingles seen twice in the first PILOT texts are the
    candidates (one in 2% of reports is missing from them with odds under 1 in 1,000), and
    only candidates are counted over the whole sample. Small samples are counted in full.
    """
    sample_list = list(texts)
    pilot: Counter[str] = Counter()
    for text in sample_list[:PILOT]:
        pilot.update(raw_shingles(text))
    candidates = (
        set(pilot)
        if len(sample_list) <= PILOT
        else {shingle for shingle, df in pilot.items() if df >= 2}
    )
    del pilot
    frequency: Counter[str] = Counter()
    for text in sample_list:
        frequency.update(raw_shingles(text) & candidates)
    sample = len(sample_list)
    limit = min_df(reports, sample)
    common = dict(sorted((shingle, df) for shingle, df in frequency.items() if df > limit))
    key = json.dumps([reports, sample, limit, common], ensure_ascii=False)
    return Boilerplate(
        hashlib.sha1(key.encode("utf-8")).hexdigest()[:16], reports, sample, limit, common
    )


def sample_texts(db: Database) -> Iterable[str | None]:
    """The texts of the sampled reports: the SAMPLE smallest report ids."""
    cursor = db.execute("select text_simplified from reports order by id limit ?", [SAMPLE])
    for (text,) in cursor:
        yield text


def load(db: Database) -> Boilerplate | None:
    """The persisted vocabulary, if any."""
    row = db.execute(
        "select id, reports, sample, min_df, shingles from audit_boilerplate limit 1"
    ).fetchone()
    if row is None:
        return None
    return Boilerplate(row[0], row[1], row[2], row[3], json.loads(row[4]))


def save(db: Database, vocabulary: Boilerplate) -> None:
    """Persist ``vocabulary`` as the only one."""
    db.execute("delete from audit_boilerplate")
    db.execute(
        "insert into audit_boilerplate (id, reports, sample, min_df, shingles)"
        " values (?, ?, ?, ?, ?)",
        [
            vocabulary.id,
            vocabulary.reports,
            vocabulary.sample,
            vocabulary.min_df,
            json.dumps(vocabulary.frequencies, ensure_ascii=False),
        ],
    )
