"""NIANBAO_* settings: defined once in crawler/settings.py, all read, all in the README table."""

from __future__ import annotations

import re
from pathlib import Path

from nianbao.crawler import settings

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"\bNIANBAO_[A-Z_]+\b")


def readme_table() -> dict[str, str]:
    """The README's Settings table: setting name -> default as written (inside backticks)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(NIANBAO_[A-Z_]+)` \| `([^`]*)` \|", section, re.MULTILINE)
    return dict(rows)


def defined() -> dict[str, object]:
    return {name: getattr(settings, name) for name in dir(settings) if NAME.fullmatch(name)}


def read_in_code() -> set[str]:
    """Every NIANBAO_* name the crawler's components and crawl() mention."""
    names: set[str] = set()
    for path in (ROOT / "crawler").rglob("*.py"):
        if path.name != "settings.py":
            names |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_setting_the_code_reads_has_its_default_in_the_settings_module() -> None:
    assert read_in_code() <= set(defined())
    assert set(defined()) <= read_in_code()  # a default nothing reads is a stale one


def test_the_readme_table_lists_each_setting_with_its_default() -> None:
    table = readme_table()
    assert set(table) == set(defined())
    for name, value in defined().items():
        assert table[name] == repr(value), name


def test_the_warc_size_is_defined_once() -> None:
    sources = [p.read_text(encoding="utf-8") for p in ROOT.glob("[ace]*/**/*.py")]
    assert sum(src.count("100_000_000") for src in sources) == 1
