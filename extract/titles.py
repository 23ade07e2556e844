"""A page's title: the document's own, without the site's and the column's names.

Portals build ``<title>`` as document title, column name and site name joined by a
separator (平潭: ``…年度报告_政府信息公开年报_平潭综合实验区党工委管委会``), and print the
column's name again in breadcrumbs and headings. A report column is itself named like a
report (政府信息公开年报), so a page filed in it that is no report — the 2014 letter
关于2014年政府信息公开工作要点落实情况的函 on www.pingtan.gov.cn — would be read as one if
the column's name could stand for the page's title. Names of places on the site are
therefore never title candidates: what a document is follows from its own title.
"""

from __future__ import annotations

import re

from lxml import html

from nianbao.extract.classify import report_title_match, title_kind
from nianbao.extract.dom import element_text
from nianbao.extract.metadata import ORG_CHARS, TITLE_YEAR, BlockFields, meta_content
from nianbao.extract.script import to_simplified

# What joins a title to the site's or column's name: _ | ｜ with or without spaces, and
# dashes (- – — －, single or doubled) with or without spaces (报告-北京市人民政府), except a
# dash between digits, which is a range inside the title (2019-2020年度).
# (?<!\s): a run of spaces is tried once, from its start; from each space is quadratic
_TITLE_SEPARATORS = re.compile(r"(?<!\s)\s*(?:[_|｜]+|(?<!\d)[-–—－]+|[-–—－]+(?!\d))\s*")
# Meta tags TRS-style content systems fill with the names of the site and the column.
_PLACE_METAS = ("ColumnName", "ColumnType", "SiteName")
# A breadcrumb trail ends in the column's name (当前位置：首页 > … > 政府信息公开年报).
_BREADCRUMB = re.compile(r"[>»›＞]|^(?:当前位置|您现在的位置|您的位置|所在位置)")
# A title broken over lines (<br> in <h1>) reads as one: no space after a CJK character.
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff）」》])\s+(?=[\u3400-\u9fff0-9（「《])")


def split_title(whole: str) -> list[str]:
    """The non-empty parts of a ``<title>`` cut at its separators."""
    return [part for part in _TITLE_SEPARATORS.split(whole.strip()) if part]


def is_bare_report_phrase(simple: str) -> bool:
    """True for a Simplified line that is only the report phrase (政府信息公开年报).

    A report's own title names its year or its body; the bare phrase is what a column,
    a breadcrumb or a navigation link is called.
    """
    compact = re.sub(r"\s+", "", simple)
    match = report_title_match(compact)
    return match is not None and match.group(0) == compact


def site_places(root: html.HtmlElement) -> frozenset[str]:
    """The site's and the column's names as the page's meta tags give them, Simplified."""
    names = (meta_content(root, name) for name in _PLACE_METAS)
    return frozenset(re.sub(r"\s+", "", to_simplified(n)) for n in names if n)


def declared_title(root: html.HtmlElement, block: BlockFields) -> str | None:
    """The title the page declares for itself: its ArticleTitle meta or 信息名称 field."""
    return meta_content(root, "ArticleTitle") or block.get("信息名称", "标题")


def title_candidates(root: html.HtmlElement, block: BlockFields) -> list[str]:
    """Possible titles, best first: ArticleTitle meta, 信息名称, <h1>/<h2>, <title> parts.

    Names of the site and its columns are left out (see the module docstring).
    """
    found = [t for t in (meta_content(root, "ArticleTitle"), block.get("信息名称", "标题")) if t]
    for tag in ("h1", "h2"):
        found.extend(element_text(h) for h in root.iter(tag))
    title_el = next(root.iter("title"), None)
    if title_el is not None:
        whole = element_text(title_el)
        parts = split_title(whole)
        found.extend(p for p in parts if report_title_match(to_simplified(p)))
        found.extend(parts[:1])
        if len(parts) <= 1:
            # With separators the whole <title> holds the site's and column's names too.
            found.append(whole)
    places = site_places(root)
    return [t for t in found if t and not _names_a_place(t, places)]


def page_name(root: html.HtmlElement) -> str | None:
    """What the page calls itself when it has no title of its own: the first <title> part.

    A column's listing page is named after its column (政府信息公开年报), which
    ``title_candidates`` leaves out.
    """
    title_el = next(root.iter("title"), None)
    parts = split_title(element_text(title_el)) if title_el is not None else []
    return parts[0] if parts else None


def _names_a_place(candidate: str, places: frozenset[str]) -> bool:
    simple = re.sub(r"\s+", "", to_simplified(candidate))
    return simple in places or is_bare_report_phrase(simple)


def pick_title(candidates: list[str], first_lines: list[str]) -> str | None:
    """The first candidate that names a report; else a title line in the text; else any."""
    candidates = [_CJK_GAP.sub("", c) for c in candidates]
    for candidate in candidates:
        if title_kind(to_simplified(candidate)) != "other":
            return candidate
    # Title printed in the body, sometimes over two lines (北京市大兴区商务局 / 2020年…报告).
    for i, line in enumerate(first_lines[:15]):
        simple = to_simplified(line)
        if len(line) > 80 or not report_title_match(simple) or _BREADCRUMB.search(simple):
            continue
        previous = first_lines[i - 1] if i > 0 else ""
        if previous and len(previous) <= 30 and ORG_CHARS.search(previous[-3:]):
            if not TITLE_YEAR.match(previous):
                return previous + line
        if not is_bare_report_phrase(simple):  # alone, the bare phrase is a column's link
            return line
    return candidates[0] if candidates else None
