"""Benchmark: extraction on real pages of a government portal, against values read by hand.

    uv run python bench/real.py [--real DIR] [--check]

``../shared/real/`` (beside the checkout; ``--real`` names another folder) holds real pages
of one portal copied exactly and ``pages.json``, the values a person read off them. Each
page goes through ``extract_report`` with its original URL and a text/html UTF-8 header and
is compared with what was read:

- every page: whether it is a report (``kind`` "report", anything else is not), its
  title, and that it has no spam finding (they are clean government pages).
  ``pages.json`` prints a listing's ``<title>`` whole, site name included, and the
  extractor cuts the site's and column's names from titles by design, so a title equal to
  the printed one up to a separator (_ - | ｜) counts as equal;
- reports: agency (one of ``agency_accept``), year, the date part of ``published``, the
  template ("2019"/"2021"; a pre-2019 narrative report has none) and every hand-read cell
  ``[table, row, column, value]``, found by its labels (never by position) among the cells
  the extractor stores in long form (table, block, row, column);
- cells of table ``"text"`` are figures printed in running text. Those whose label names a
  key of ``extract/figures.py`` (``TEXT_FIGURES``, matched by hand) are compared with its
  figures; the others have no such key and are listed as not compared.

Then the check of the real listing page's pagination (``bench/real_listing.py``,
``check_listing``) runs, when it exists. Each difference is printed on one line starting
with ``DIFF``. The exit status is 0, or with ``--check`` 1 when there is any difference
(a missing listing check counts as one).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.extract import extract_report
from nianbao.extract.report import Report
from nianbao.extract.script import to_simplified
from nianbao.extract.tables.model import Cell

DEFAULT_REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
HEADERS = {"content-type": "text/html; charset=utf-8"}
TEMPLATES = ("2019", "2021")
# pages.json's labels of figures in running text → the figures.py key stating the same
# quantity, matched by reading both. 办结（件） there counts 审批事项 (approvals), not
# information requests, and 政府信息公开费用 is what the office spent, not a fee charged:
# no key of figures.py says either, so they stay uncompared.
TEXT_FIGURES = {
    "年新增主动公开政府信息（条）": "proactive_items",
    "有关政府信息公开行政复议（件）": "admin_review",
}
_TITLE_JOINS = "_-|｜–—"
_NUMBER = re.compile(r"[+\-＋－]?[0-9]+(?:\.[0-9]+)?")


@dataclass
class PageResult:
    """What comparing one page found: differences, values not compared, cells compared."""

    name: str
    differences: list[str] = field(default_factory=list)
    not_compared: list[str] = field(default_factory=list)
    cells: int = 0
    cells_right: int = 0

    def differ(self, what: str, expected: object, got: object) -> None:
        self.differences.append(f"{self.name}: {what}: expected {expected!r}, got {got!r}")


def compact(text: str) -> str:
    """Simplified, without whitespace (a label split over lines or padded with &nbsp;)."""
    return re.sub(r"\s+", "", to_simplified(text))


def same_title(expected: str, got: str | None) -> bool:
    """Equal, or equal up to the site and column names joined after a separator."""
    if got is None:
        return False
    if got == expected:
        return True
    return expected.startswith(got) and expected[len(got)] in _TITLE_JOINS


def compare_page(name: str, expected: dict[str, Any], report: Report) -> PageResult:
    """Compare one extracted page with its hand-read values."""
    result = PageResult(name)
    is_report = expected["kind"] == "report"
    if report.is_report != is_report:
        result.differ("is_report", is_report, report.is_report)
    if not same_title(expected["title"], report.title):
        result.differ("title", expected["title"], report.title)
    if report.spam:  # real government pages: any spam finding is a false one
        result.differ("spam findings", [], [(f.kind, f.place, f.injected) for f in report.spam])
    if not is_report:
        return result
    accept = expected.get("agency_accept") or []
    if report.agency not in accept:
        result.differ("agency", f"one of {accept}", report.agency)
    if report.year != expected["year"]:
        result.differ("year", expected["year"], report.year)
    published = (expected["published"] or "")[:10] or None
    if (report.published or "")[:10] != (published or ""):
        result.differ("published", published, report.published)
    template = expected["template"] if expected["template"] in TEMPLATES else None
    got_template = report.generation if report.generation in TEMPLATES else None
    if got_template != template:
        result.differ("template", template, report.generation)
    for table, row, column, value in expected["cells"]:
        if table == "text":
            compare_figure(result, report, row, column, value)
        else:
            compare_cell(result, report, int(table), row, column, value)
    return result


def compare_cell(
    result: PageResult, report: Report, table: int, row: str, column: str, printed: str
) -> None:
    """One hand-read table cell against the stored cell with the same labels."""
    result.cells += 1
    where = f"table {table} [{row}] [{column}]"
    cells = report.tables.cells if report.tables else ()
    found = matching_cells(cells, table, row, column)
    if len(found) != 1:
        result.differ(where, printed, f"{len(found)} matching cells")
        return
    cell = found[0]
    if compact(cell.raw) == compact(printed) or same_number(printed, cell.value):
        result.cells_right += 1
    else:
        result.differ(where, printed, f"{cell.raw} (value {cell.value})")


def matching_cells(cells: tuple[Cell, ...], table: int, row: str, column: str) -> list[Cell]:
    """Stored cells of ``table`` and ``column`` whose labels end as the hand-read row's do.

    pages.json writes a row as "section / group / item" (三、本年度办理结果 / （四）无法提供
    / 3.补正后申请内容仍不明确); the store keeps block and row (（四）无法提供, 3.补正…), a
    table-4 group as "行政诉讼-复议后起诉", table 2's article item as its block. One label
    path must end with the other; the cell sharing the longest ending wins.
    """
    wanted = [compact(part) for part in row.split(" / ")]
    scored: list[tuple[int, Cell]] = []
    for cell in cells:
        if cell.table != table or compact(cell.column) != compact(column):
            continue
        stored = [compact(p) for p in [*cell.block.split("-"), cell.row] if p]
        shared = min(len(stored), len(wanted))
        if shared and stored[-shared:] == wanted[-shared:]:
            scored.append((shared, cell))
    best = max((score for score, _ in scored), default=0)
    return [cell for score, cell in scored if score == best]


def same_number(printed: str, value: int | float | None) -> bool:
    """True when the printed number (a unit after it allowed: 75394432.52元) equals value."""
    match = _NUMBER.match(compact(printed))
    if match is None or value is None:
        return False
    return abs(float(match.group(0).replace("＋", "+").replace("－", "-")) - value) < 1e-6


def compare_figure(
    result: PageResult, report: Report, where: str, label: str, printed: str
) -> None:
    """A figure printed in running text against figures.py's reading, when it has the key."""
    key = TEXT_FIGURES.get(label)
    if key is None:
        result.not_compared.append(f"{result.name}: text [{where}] [{label}] = {printed}")
        return
    result.cells += 1
    values = [f.value for f in report.figures if f.key == key]
    if values and all(same_number(printed, v) for v in values):
        result.cells_right += 1
    else:
        result.differ(f"text [{where}] [{label}] ({key})", printed, values)


def check_pages(real_dir: Path) -> list[PageResult]:
    """Extract and compare every page pages.json lists."""
    pages = json.loads((real_dir / "pages.json").read_text(encoding="utf-8"))
    results = []
    for name, expected in pages.items():
        body = (real_dir / "pages" / name).read_bytes()
        report = extract_report(expected["url"], HEADERS, body)
        results.append(compare_page(name, expected, report))
    return results


def listing_check() -> Callable[[Path], list[str]] | None:
    """``check_listing`` of bench/real_listing.py, or None while that module is not there."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from real_listing import check_listing  # type: ignore[import-not-found]
    except ModuleNotFoundError as error:
        if error.name != "real_listing":
            raise
        return None
    return check_listing  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="the real pages' folder")
    parser.add_argument("--check", action="store_true", help="exit 1 on any difference")
    args = parser.parse_args()
    if not (args.real / "pages.json").is_file():
        print(f"Error: no pages.json in {args.real}; name the real pages' folder with --real")
        return 1

    results = check_pages(args.real)
    differences = [line for result in results for line in result.differences]
    for result in results:
        cells = f", cells {result.cells_right}/{result.cells}" if result.cells else ""
        state = "ok  " if not result.differences else "DIFF"
        print(f"{state} {result.name}{cells}")
    for line in (line for result in results for line in result.not_compared):
        print(f"not compared (no figures.py key): {line}")

    check_listing = listing_check()
    if check_listing is None:
        print("listing check: bench/real_listing.py is not there yet, not run")
        if args.check:
            differences.append("listing check missing")
    else:
        listing = check_listing(args.real)
        print(f"listing check: {len(listing)} differences")
        differences.extend(f"listing: {line}" for line in listing)

    for line in differences:
        print(f"DIFF {line}")
    cells = sum(r.cells for r in results)
    right = sum(r.cells_right for r in results)
    print(
        f"{len(results)} pages, {right} of {cells} hand-read values right, "
        f"{len(differences)} differences"
    )
    return 1 if args.check and differences else 0


if __name__ == "__main__":
    sys.exit(main())
