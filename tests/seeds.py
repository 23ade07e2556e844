"""The brief's five seed report texts, read from ``shared/seeds`` beside the checkout."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
PORTALS_MD = SHARED / "PORTALS.md"


def seed_path(number: str | int) -> Path:
    """The file of seed ``number`` ("001" or 1)."""
    prefix = number if isinstance(number, str) else f"{number:03d}"
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        raise FileNotFoundError(f"seed {prefix} not in {SEEDS}: the tests read the brief's "
                                "shared/ folder, which must sit beside the checkout")
    return found[0]


def seed_text(number: str | int) -> str:
    """The text of seed ``number`` exactly as stored."""
    return seed_path(number).read_text(encoding="utf-8")
