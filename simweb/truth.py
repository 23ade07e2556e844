"""Ground truth of the simulated web: plain values that tests and benchmarks compare against.

Table cells use the canonical Simplified template labels (see ``simweb.template``):

- table 2: block = "第二十条第（一）项" …, row = "规章" …, column = the header ("本年新制作数量" …);
  a row split into sub-rows (seed 003) uses the sub-row label ("行政检查").
- table 3: block = "" for rows outside a result group, else the group ("（三）不予公开");
  row = the row label ("一、本年新收政府信息公开申请数量", "1.属于国家秘密", "（七）总计" …);
  column = 自然人 / 商业企业 / 科研机构 / 社会公益组织 / 法律服务机构 / 其他 / 总计.
- table 4: block = 行政复议 / 行政诉讼-未经复议直接起诉 / 行政诉讼-复议后起诉, row = "",
  column = 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计.

``value`` is an int (a float for money in 万元) or None for "/", "—", "无"; ``raw`` is the cell
as printed (full-width digits and signs kept).

Spam mirrors (``portal == "mirrors"``, ``source == "mirror:<copy_of>"``): a mirror copy's
title, agency, region, doc_no and sections are the CLEAN values, i.e. what spam removal plus
restoration should give back (Traditional when the copy is Traditional, without pinyin); the
title as printed, spam included, is ``title_printed``. ``spam`` lists what was injected; each
``TruthSpam.count`` is the number of occurrences of ``injected`` in the page's main text (the
stuffed line, the title and the article body; not the metadata block, date line or chrome).
Mirror copies carry no tables (the scraper kept the text only): ``tables == ()``, layout "none".

Identity names used in ``TruthReport.broken`` (every identity a deliberately broken table fails):

- ``t3.col.<column>.balance``  一 + 二 = （七）总计 + 四, for one table-3 column
- ``t3.col.<column>.total``    （七）总计 = （一）+（二）+ Σ（三）+ Σ（四）+ Σ（五）+ Σ（六）
- ``t3.row.<row>.total``       总计 = 自然人 + the five 法人或其他组织 columns, for one row
- ``t4.<block>.total``         总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, for one group
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_NEW = "一、本年新收政府信息公开申请数量"
T3_CARRIED_IN = "二、上年结转政府信息公开申请数量"
T3_TOTAL = "（七）总计"
T3_CARRIED_OUT = "四、结转下年度继续办理"
T4_BLOCKS = ("行政复议", "行政诉讼-未经复议直接起诉", "行政诉讼-复议后起诉")
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass(frozen=True, slots=True)
class TruthCell:
    """One statistical cell of table 2, 3 or 4."""

    table: int
    block: str
    row: str
    column: str
    value: int | float | None
    raw: str


@dataclass(frozen=True, slots=True)
class TruthFigure:
    """A key number a prose report states in a sentence (keys as in ``extract.figures``).

    Keys: proactive_items, requests_received, requests_answered, admin_review,
    admin_litigation, fees_yuan; a zero phrase (未发生行政复议) is a figure with value 0.
    """

    key: str
    value: int | float


@dataclass(frozen=True, slots=True)
class TruthSection:
    """One numbered top-level section: heading as printed, prose text (tables excluded)."""

    number: int
    heading: str
    text: str
    figures: tuple[TruthFigure, ...] = ()  # the key numbers this section's prose states


@dataclass(frozen=True, slots=True)
class TruthSpam:
    """One kind of spam injected into a mirror copy (see the module docstring for ``count``).

    kind: entity_hijack | keyword_swap | stuffed_header | pinyin. ``injected`` is the brand,
    the swap term, the whole stuffed line or one "(wù)" pinyin group; ``original`` is what it
    replaced ("" for stuffed lines and pinyin groups).
    """

    kind: str
    injected: str
    original: str
    count: int


@dataclass(frozen=True)
class TruthReport:
    """Everything a perfect crawl-and-extract would learn about one annual report page."""

    url: str
    portal: str
    host: str
    title: str
    agency: str
    region: str
    year: int
    generation: str  # "prose" | "2019" | "2021"
    published: str  # YYYY-MM-DD
    index_no: str | None
    doc_no: str | None
    script: str  # "Hans" | "Hant"
    sections: tuple[TruthSection, ...]
    tables: tuple[TruthCell, ...]
    # "html" | "pipe" | "cells" | "image" | "none"; attachments: "pdf" | "docx" (the page
    # only links the file) | "xlsx" (the page prints the text, the workbook the tables)
    table_layout: str
    encoding: str  # "utf-8" | "gbk"
    source: str  # "generated" | "seed:000" … | "gateway:<original url>" | "mirror:<copy_of>"
    broken: tuple[str, ...] = ()
    figures: tuple[TruthFigure, ...] = ()  # key numbers stated in prose; empty for templates
    spam: tuple[TruthSpam, ...] = ()  # empty for clean pages
    copy_of: str | None = None  # a mirror copy: URL of the clean original it was made from
    topics: tuple[str, ...] = ()  # false-positive bait: "lottery", "sports", "app"
    title_printed: str | None = None  # a mirror copy: the title as printed, spam included
    # published as an attachment (table_layout "pdf"/"docx"): the file's URL; the page at
    # ``url`` holds only the title, the date and the link ("xlsx": the text and the link)
    attachment_url: str | None = None
    # table_layout "image": the cells its pictures print (``tables`` stays empty: the page
    # prints none); empty for the real seeds, whose pictures are not drawn here
    image_cells: tuple[TruthCell, ...] = ()

    def __post_init__(self) -> None:
        if not self.figures:
            # Figures travel with the section that prints them; a report states their union.
            stated = tuple(f for s in self.sections for f in s.figures)
            object.__setattr__(self, "figures", stated)


KINDS = ("exact", "script_twin", "spam_mirror", "near_duplicate", "reuse", "cross_agency")


@dataclass(frozen=True, slots=True)
class TruthRelation:
    """Two report pages whose texts are related by copying (kinds and directions: KINDS).

    Directions: reuse a = year N, b = year N−1; cross_agency a = the copier, b = the source;
    script_twin a = the Traditional twin, b = the Simplified original; spam_mirror a = the
    mirror, b = the clean original; exact / near_duplicate a = the copy, b = the canonical.
    ``changed`` lists the (table, block, row, column) cells whose values the copier changed
    (reuse and cross_agency of tabled reports; empty otherwise — a prose copy's changed
    numbers show in its ``figures``).
    """

    kind: str
    a_url: str
    b_url: str
    changed: tuple[tuple[int, str, str, str], ...] = ()


# Which of two copies of one text is "a" follows the audit's canonical rule, not the truth's.
UNORDERED_KINDS = ("exact", "near_duplicate")


def relation_key(kind: str, a_url: str, b_url: str) -> tuple:
    """A relation as it compares with an audit pair: direction kept where the pages show it."""
    return (kind, frozenset((a_url, b_url))) if kind in UNORDERED_KINDS else (kind, a_url, b_url)


def copy_components(relations: Iterable[TruthRelation]) -> dict[str, int]:
    """URL -> component number: reports joined by any chain of true relations share one."""
    parent: dict[str, str] = {}

    def root(url: str) -> str:
        while parent.setdefault(url, url) != url:
            url = parent[url]
        return url

    for rel in relations:
        parent[root(rel.a_url)] = root(rel.b_url)
    roots = {url: root(url) for url in list(parent)}
    numbers = {r: i for i, r in enumerate(sorted(set(roots.values())))}
    return {url: numbers[r] for url, r in roots.items()}


@dataclass(frozen=True)
class PortalSpec:
    """One portal of the registry: its name, where a crawl starts and the hosts it may visit."""

    name: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    title: str = ""
    family: str = ""  # CMS family whose pager reaches its reports ("trs", "hanweb", …)


@dataclass(frozen=True)
class Page:
    """One HTTP answer: status, headers and body (uncompressed); ``delay`` seconds before it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0
    # > 0: the answer is ``body`` repeated up to this many bytes, sent chunked as it is made
    # (no Content-Length), so a huge file is never held whole by the server
    streamed: int = 0


def identity_failures(cells: Iterable[TruthCell]) -> tuple[str, ...]:
    """Names of the table identities these cells violate (see the module docstring)."""
    t3: dict[tuple[str, str], int | float] = {}
    t3_rows: dict[str, str] = {}
    t4: dict[tuple[str, str], int | float] = {}
    for cell in cells:
        if cell.table == 3 and cell.value is not None:
            t3[(cell.row, cell.column)] = cell.value
            t3_rows[cell.row] = cell.block
        elif cell.table == 4 and cell.value is not None:
            t4[(cell.block, cell.column)] = cell.value
    failures: list[str] = []
    if t3:
        results = [r for r, b in t3_rows.items() if is_result_row(r, b)]
        for col in T3_COLUMNS:
            new, carried = t3.get((T3_NEW, col), 0), t3.get((T3_CARRIED_IN, col), 0)
            total, out = t3.get((T3_TOTAL, col), 0), t3.get((T3_CARRIED_OUT, col), 0)
            if new + carried != total + out:
                failures.append(f"t3.col.{col}.balance")
            if total != sum(t3.get((r, col), 0) for r in results):
                failures.append(f"t3.col.{col}.total")
        for row in t3_rows:
            parts = sum(t3.get((row, col), 0) for col in T3_COLUMNS[:-1])
            if t3.get((row, "总计"), 0) != parts:
                failures.append(f"t3.row.{row}.total")
    for block in sorted({b for b, _ in t4}, key=T4_BLOCKS.index):
        parts = sum(t4.get((block, col), 0) for col in T4_COLUMNS[:-1])
        if t4.get((block, "总计"), 0) != parts:
            failures.append(f"t4.{block}.total")
    return tuple(failures)


def is_result_row(row: str, block: str) -> bool:
    """True for the rows summed into （七）总计: the leaves of 三、本年度办理结果."""
    if row in (T3_NEW, T3_CARRIED_IN, T3_TOTAL, T3_CARRIED_OUT):
        return False
    return bool(block) or row.startswith("（")
