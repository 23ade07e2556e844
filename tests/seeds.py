"""The brief's five seed report texts, and the portal research notes, as the tests read them.

The seeds are read from simweb's packaged copy (``simweb/data``: the demo serves them, and a
checkout without the brief's ``shared/`` folder beside it still runs every test); their
SHA-256 digests below were taken from the brief's ``shared/seeds`` on 2026-12-01, so a copy
that drifts fails ``test_packaged_seeds_are_the_briefs_seeds``. ``tests/data/PORTALS.md`` is
the research the real-portal registry was built from (the brief's ``shared/PORTALS.md``).
"""

from __future__ import annotations

from pathlib import Path

from nianbao.simweb.seeds import SEED_FILES

SEED_SHA256 = {
    "000": "075a567e7e2942ed5d5f3ac4b1a6b9818b895abd51e131694af3f680b6df800f",
    "001": "7da8eaf8ebe6125d35e2ee0ae528dd670bbb350d3c3f605d4ff4247558823f93",
    "002": "acddfaf7a9145f42cb6d5a3dba337898885dae8881b1f7791cb331943d971d0a",
    "003": "845fea0639c537a7da730c2f5054e2d55c6d118532e65adf6a58731e3339a1e8",
    "004": "b717d0ba8d91acfcfe65436ceef0b5e77630919857ff8cbfc429a0bae9d1620e",
}
PORTALS_MD = Path(__file__).parent / "data" / "PORTALS.md"


def seed_path(number: str | int) -> Path:
    """The file of seed ``number`` ("001" or 1)."""
    return SEED_FILES[number if isinstance(number, str) else f"{number:03d}"]


def seed_text(number: str | int) -> str:
    """The text of seed ``number`` exactly as stored."""
    return seed_path(number).read_text(encoding="utf-8")
