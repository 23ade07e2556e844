"""Statistical tables 2, 3 and 4 of an annual report, read cell by cell under template labels.

from nianbao.extract.tables import parse_tables, check_identities
result = parse_tables(html, text)        # never raises for bad input
checks = check_identities(result.cells, result.template)
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from nianbao.extract.tables.collect import Collector
from nianbao.extract.tables.grid import GridParser
from nianbao.extract.tables.identities import check_identities
from nianbao.extract.tables.images import ImageEvidence, find_images
from nianbao.extract.tables.model import Cell, CellProblem, Check, MissingTable, TablesResult
from nianbao.extract.tables.page import leaf_tables, page_lines, parse_page, table_grid
from nianbao.extract.tables.stream import StreamParser
from nianbao.extract.tables.tokens import tokenize

__all__ = [
    "Cell",
    "CellProblem",
    "Check",
    "MissingTable",
    "TablesResult",
    "check_identities",
    "parse_tables",
]

TABLES = (2, 3, 4)
MAX_INPUT = 20_000_000  # characters; a larger page is not a report


def parse_tables(html: str | None, text: str, *, template_report: bool = False) -> TablesResult:
    """Read tables 2–4 from a page's HTML (tables, or text layouts in it) and/or its text.

    ``template_report``: the report is of a template generation (2019/2021), so tables it
    does not print at all are recorded missing ("absent") even without any table label.
    """
    try:
        return _parse((html or "")[:MAX_INPUT], (text or "")[:MAX_INPUT], template_report)
    except (ValueError, TypeError, LookupError, RecursionError, etree.LxmlError) as exc:
        # A parser bug must not cost the report: record it as a problem instead.
        return TablesResult(
            None, problems=(CellProblem(0, "", "", "", "", f"table parser failed: {exc!r}"[:300]),)
        )


def _parse(html: str, text: str, template_report: bool = False) -> TablesResult:
    votes: Counter[str] = Counter()
    sources: list[Collector] = []
    root = parse_page(html) if html else None
    lines: list[str] = []
    if root is not None:
        grids = Collector()
        parser = GridParser(grids, votes)
        for table in leaf_tables(root):
            parser.table(table_grid(table))
        sources.append(grids)
        if not _complete(sources):  # tables flattened into paragraphs, or pictures
            lines = page_lines(root)
            sources.append(_stream(lines, votes))
    text_lines = text.split("\n") if text else []
    if text_lines and not _complete(sources):
        sources.append(_stream(text_lines, votes))
    cells, problems = _choose(sources)
    found = {c.table for c in cells}
    images = find_images(lines or text_lines) if found != set(TABLES) else {}
    template = _template(votes)
    if not found and not votes and not images and template_report:
        # no cell, no label, no picture of any table: the page left them out (spam mirrors do)
        missing = [MissingTable(table, "absent") for table in TABLES]
    else:
        missing = _missing(found, images, template_era=bool(found) or bool(votes))
    return TablesResult(template, tuple(cells), tuple(missing), tuple(problems))


def _stream(lines: list[str], votes: Counter[str]) -> Collector:
    out = Collector()
    StreamParser(tokenize(lines), out, votes).run()
    return out


def _complete(sources: list[Collector]) -> bool:
    found: set[int] = set()
    for source in sources:
        found |= source.tables()
    return found >= set(TABLES)


def _choose(sources: list[Collector]) -> tuple[list[Cell], list[CellProblem]]:
    """Per table, the cells and problems of the first source that read it."""
    cells: list[Cell] = []
    problems: list[CellProblem] = []
    taken: set[int] = set()
    for source in sources:
        mine = source.tables() - taken
        if mine:
            cells += source.cells(mine)
            problems += source.problems(mine)
            taken |= mine
    return cells, problems


def _template(votes: Counter[str]) -> str | None:
    if not votes:
        return None
    (first, count), *rest = votes.most_common(2)
    return None if rest and rest[0][1] == count else first


def _missing(
    found: set[int], images: dict[int, ImageEvidence], template_era: bool
) -> list[MissingTable]:
    missing = []
    captioned = any(e.captioned for e in images.values())
    for table in TABLES:
        if table in found:
            continue
        evidence = images.get(table)
        if evidence and (evidence.captioned or (evidence.urls and (template_era or captioned))):
            missing.append(MissingTable(table, "image", tuple(dict.fromkeys(evidence.urls))))
        elif template_era or captioned:
            missing.append(MissingTable(table, "not found"))
    return missing
