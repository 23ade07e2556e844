"""The five real seed texts: their ground truth and the pages that serve them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nianbao.simweb.chrome import esc
from nianbao.simweb.template import TABLE2, table3_rows
from nianbao.simweb.truth import T3_COLUMNS, T4_BLOCKS, T4_COLUMNS, TruthCell, TruthSection

DATA = Path(__file__).parent / "data"
SEED_FILES = {p.name[:3]: p for p in sorted(DATA.glob("[0-9][0-9][0-9]_*.txt"))}
HEADING = re.compile(r"^\s*([一二三四五六])、")
CHROME_TAIL = ("您訪問的連結即將離開", "您访问的链接即将离开", "已歸檔", "已归档")
NUMERALS = "一二三四五六"

# The top-level headings of each seed, read by hand from the seed files. Table rows such as
# "四、结转下年度继续办理 | 0 | …" look like headings to a pattern, so truth names them.
SEED_HEADINGS: dict[str, tuple[str, ...]] = {
    "000": (
        "一、總體情況",
        "二、主動公開政府資訊情況",
        "三、收到和處理政府信息公開申請情況",
        "四、政府信息公開行政復議、行政訴訟情況",
        "五、政府信息公開工作中存在的主要問題及改進情況",
        "六、其他需要報告的事項",
    ),
    "001": (
        "一、总体工作情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在问题及下一步工作打算",
        "六、其他需要报告的事项",
    ),
    "002": (
        "一、總體情況",
        "二、主動公開政府資訊情況",
        "三、收到和處理政府信息公開申請情況",
        "四、政府信息公開行政復議、行政訴訟情況",
        "五、存在的主要問題及改進情況",
        "六、其他需要報告的事項",
    ),
    "003": (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ),
}


def seed_text(seed_id: str) -> str:
    """The seed file's text exactly as stored."""
    return SEED_FILES[seed_id].read_text(encoding="utf-8")


@dataclass(frozen=True)
class SeedBody:
    """A seed split into the parts a page shows: title, date line, intro and sections."""

    title: str
    published: str | None
    source: str | None
    intro: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, body lines)


def split_gateway_seed(text: str, headings: tuple[str, ...]) -> SeedBody:
    """Parse seeds 000/002: title, 日期/來源 line, widgets, sections, chrome tail."""
    lines = [line.strip() for line in text.splitlines()]
    title = lines[0]
    published = source = None
    body: list[str] = []
    for line in lines[1:]:
        if not line or line in ("分享:", "字號:", "字号:") or line.startswith(CHROME_TAIL):
            continue
        match = re.match(r"日期:(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}\s+[來来]源:(.+)", line)
        if match:
            published, source = match.group(1), match.group(2)
            continue
        body.append(line)
    return _sections(title, published, source, body, headings)


def _sections(
    title: str,
    published: str | None,
    source: str | None,
    body: list[str],
    headings: tuple[str, ...],
) -> SeedBody:
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in body:
        if len(sections) < len(headings) and line == headings[len(sections)]:
            sections.append((line, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            intro.append(line)
    return SeedBody(
        title, published, source, tuple(intro), tuple((h, tuple(b)) for h, b in sections)
    )


def truth_sections(
    body: SeedBody, skip_tables: frozenset[int] = frozenset()
) -> tuple[TruthSection, ...]:
    """Sections as truth: body lines joined by newlines; table lines of ``skip_tables`` dropped."""
    out = []
    for number, (heading, lines) in enumerate(body.sections, start=1):
        text = "" if number in skip_tables else "\n".join(lines)
        out.append(TruthSection(number, heading, text))
    return tuple(out)


def gateway_seed_html(body: SeedBody, image_urls: dict[int, str]) -> str:
    """Article HTML for seeds 000/002: paragraphs, and an <img> under each table caption."""
    out = []
    for line in body.intro:
        out.append(f'<p style="text-indent:2em">{esc(line)}</p>')
    for number, (heading, lines) in enumerate(body.sections, start=1):
        out.append(f'<p style="text-indent:2em"><strong>{esc(heading)}</strong></p>')
        for line in lines:
            out.append(f'<p style="text-indent:2em">{esc(line)}</p>')
            if number in image_urls:
                out.append(
                    f'<p align="center"><img src="{image_urls[number]}" border="0" width="600"></p>'
                )
    return "\n".join(out)


def _zero_t3_t4(generation: str) -> list[TruthCell]:
    cells = [TruthCell(3, b, r, c, 0, "0") for b, r in table3_rows(generation) for c in T3_COLUMNS]
    cells += [TruthCell(4, b, "", c, 0, "0") for b in T4_BLOCKS for c in T4_COLUMNS]
    return cells


def _t2(rows: dict[tuple[str, str], tuple[str, ...]]) -> list[TruthCell]:
    cells = []
    for spec in TABLE2["2019"]:
        for (block, row), raws in rows.items():
            if block != spec.block:
                continue
            for column, raw in zip(spec.columns, raws, strict=True):
                value = int(raw.replace("＋", "+"))
                cells.append(TruthCell(2, block, row, column, value, raw))
    return cells


B1, B5, B6, B8, B9 = (s.block for s in TABLE2["2019"])


def seed001_tables() -> tuple[TruthCell, ...]:
    """Seed 001's tables as a human reads them (pipe-flattened in the seed)."""
    rows = {
        (B1, "规章"): ("0", "0", "0"),
        (B1, "规范性文件"): ("7", "7", "7"),
        (B5, "行政许可"): ("0", "11", "11"),
        (B5, "其他对外管理服务事项"): ("0", "0", "0"),
        (B6, "行政处罚"): ("0", "0", "0"),
        (B6, "行政强制"): ("0", "0", "0"),
        (B8, "行政事业性收费"): ("0", "0"),
        (B9, "政府集中采购"): ("0", "0"),
    }
    return tuple(_t2(rows) + _zero_t3_t4("2019"))


def seed003_tables() -> tuple[TruthCell, ...]:
    """Seed 003's tables (one cell per line in the seed; 其他对外管理服务事项 split in two)."""
    rows = {
        (B1, "规章"): ("0", "0", "0"),
        (B1, "规范性文件"): ("2", "1", "7"),
        (B5, "行政许可"): ("1", "＋1", "10"),
        (B5, "行政检查"): ("0", "＋1", "235"),
        (B5, "行政确认"): ("0", "0", "0"),
        (B6, "行政处罚"): ("0", "0", "0"),
        (B6, "行政强制"): ("0", "0", "0"),
        (B8, "行政事业性收费"): ("0", "0"),
        (B9, "政府集中采购"): ("0", "0"),
    }
    return tuple(_t2(rows) + _zero_t3_t4("2019"))


def plain_seed_body(text: str, skip_title_lines: int, headings: tuple[str, ...]) -> SeedBody:
    """Parse seeds 001/003 (no date line): optional title lines, intro, six sections."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line][skip_title_lines:]
    return _sections("", None, None, lines, headings)


def seed_lines_html(text: str, skip_title_lines: int, pipe: bool) -> str:
    """Article HTML for seeds 001/003: one <p> per line, keeping seed 003's cell lines."""
    raw_lines = text.splitlines()
    nonempty = [i for i, line in enumerate(raw_lines) if line.strip()]
    start = nonempty[skip_title_lines - 1] + 1 if skip_title_lines else 0
    out = []
    for line in raw_lines[start:]:
        if not line.strip():
            # seed 003: a tab-only line is an empty spacer cell, a blank line ends a row
            out.append("<p>\t</p>" if "\t" in line else "" if pipe else "<p><br></p>")
        elif HEADING.match(line):
            out.append(f"<p><strong>{esc(line.strip())}</strong></p>")
        else:
            out.append(f'<p style="text-indent:2em">{esc(line.rstrip())}</p>')
    return "\n".join(part for part in out if part)


SPAM_RESTORE = (
    ("20081224,", "2008<span>年</span>12<span>月</span>24<span>日</span>,"),
    (
        "分别为513623818,",
        "分别为5<span>月</span>13<span>日</span>、"
        "6<span>月</span>23<span>日</span>、8<span>月</span>18<span>日</span>,",
    ),
    ("2008228日", "2008<span>年</span>2<span>月</span>28日"),
    ("20083月", "2008<span>年</span>3月"),
    ("200712月", "2007<span>年</span>12月"),
    ("今年51日", "今年5<span>月</span>1日"),
)


SPAM_BRAND = "滚球体育app_188篮球比分-直播|官网:"  # seed 004's hijack of 门头沟区
ARTICLE_END = "<!-- /article -->"  # mirror pages: the main text is <div class="article">…this


@dataclass(frozen=True)
class Seed004:
    """Seed 004 split as its page shows it: department line, metadata rows, title, paragraphs."""

    department: str
    meta_rows: tuple[tuple[str, str], ...]
    title: str
    paragraphs: tuple[str, ...]


def seed004_parts(text: str) -> Seed004:
    """Split seed 004 (or its clean form): the block rows come before the title line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    meta_rows: list[tuple[str, str]] = []
    body: list[str] = []
    for line in lines[1:]:
        key = line.split(":", 1)[0]
        if ":" in line and len(key) <= 7 and not body:
            meta_rows.append((key, line.split(":", 1)[1]))
        else:
            body.append(line)
    return Seed004(lines[0], tuple(meta_rows), body[0], tuple(body[1:]))


def restore_lost(line: str, span: str = "") -> str:
    """A seed-004 line with the characters lost around numbers put back (inside ``span``)."""
    if HEADING.match(line):
        return line
    for lost, restored in SPAM_RESTORE:
        tagged = restored.replace("<span>", span) if span else re.sub(r"</?span>", "", restored)
        line = line.replace(lost, tagged)
    return line


def seed004_sections(parts: Seed004) -> tuple[TruthSection, ...]:
    """Seed 004's three top-level sections as a human reads them, lost characters restored."""
    sections: list[tuple[str, list[str]]] = []
    for line in parts.paragraphs:
        if HEADING.match(line):
            sections.append((line, []))
        elif sections:
            sections[-1][1].append(restore_lost(line))
    return tuple(TruthSection(n, h, "\n".join(b)) for n, (h, b) in enumerate(sections, start=1))


def spam_mirror_html(text: str) -> str:
    """Seed 004 as the mirror serves it: lost characters restored inside inline <span>s."""
    parts = seed004_parts(text)
    out = [f'<div class="dept">{esc(parts.department)}</div><table class="xxgk">']
    out += [f"<tr><td>{esc(k)}:</td><td>{esc(v)}</td></tr>" for k, v in parts.meta_rows]
    out.append(f'</table><div class="article"><h1>{esc(parts.title)}</h1><div class="TRS_Editor">')
    span = '<span style="font-family:宋体">'
    for line in parts.paragraphs:
        out.append(f'<p style="text-indent:2em">{restore_lost(esc(line), span)}</p>')
    out.append(f"</div></div>{ARTICLE_END}")
    return "\n".join(out)
