"""Report metadata: the 索引号/文号 block, agency, region, year and document numbers.

Titles are chosen in ``titles``, the published date in ``dates``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html

from nianbao.extract.classify import report_title_match
from nianbao.extract.dom import element_text
from nianbao.extract.script import same_span, to_simplified
from nianbao.extract.spam import HOLE

# Labels of the 索引号/文号 block gov.cn content systems print above the article,
# in Simplified form; letters may be spread out with spaces ("索 引 号", "文   号").
_BLOCK_LABELS = (
    "索引号",
    "主题分类",
    "公开责任部门",
    "发布机构",
    "发文机关",
    "发文机构",
    "信息名称",
    "文号",
    "发文字号",
    "信息有效性",
    "有效性",
    "生成日期",
    "成文日期",
    "公开日期",
    "发布日期",
    "发文日期",
    "内容概述",
    "主题词",
    "公开方式",
    "公开范围",
    "信息来源",
    "来源",
    "体裁分类",
    "组配分类",
    "服务对象分类",
    "发布时间",
    "日期",
    "时间",
    "标题",
    "名称",
    "效力状态",
    "公开时限",
)
_SPREAD = "|".join(
    r"\s*".join(map(re.escape, label)) for label in sorted(_BLOCK_LABELS, key=len, reverse=True)
)
_LABEL_WITH_COLON = re.compile(rf"(?P<label>{_SPREAD})\s*[:：]")
# Words that, put before 日期/时间, name a date other than the page's publication.
_OTHER_DATE = re.compile(
    r"(?:抓取|采集|爬取|存档|归档|打印|更新|修改|访问|浏览|截止|统计|录入|审核|下载|失效|废止"
    r"|施行|实施|到期|当前|系统)$"
)
_LABEL_ALONE = re.compile(rf"^\s*(?P<label>{_SPREAD})\s*[:：]?\s*$")
_DOC_YEAR = re.compile(r"[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
TITLE_YEAR = re.compile(r"([12][0-9]{3}|[〇零一二][〇零一二三四五六七八九]{3})\s*年")
# One administrative level: a short name plus its suffix. 城市/市场… begin department
# names (北京市城市管理委员会), not places, so they stop the walk.
_REGION_SEGMENT = re.compile(
    r"[\u4e00-\u9fff]{1,7}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|区|县|旗)"
)
_NOT_PLACE = re.compile(
    r"^(?:城市|市场|市政|市容|市民|市级|区域|区级|县级|县域|社区|园区|新区管委|商务区|地区)"
)
ORG_CHARS = re.compile(r"[局委厅办部处科院所站队会司行社校馆中心]")


@dataclass(frozen=True)
class BlockFields:
    """Label → value pairs read from the metadata block and date/source line."""

    values: dict[str, str] = field(default_factory=dict)

    def get(self, *labels: str) -> str | None:
        """The first non-empty value among ``labels``."""
        for label in labels:
            value = self.values.get(label)
            if value:
                return value
        return None


def _normal_label(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


def _clean_value(value: str) -> str:
    return value.strip(" |:：\t")


def read_block(lines: list[str], root: html.HtmlElement | None) -> BlockFields:
    """Mine label/value pairs from page lines ("索 引 号:11J025…") and label/value cells."""
    values: dict[str, str] = {}
    for line in lines[:400]:
        simple = to_simplified(line)
        found = [(_word_start(simple, m), m) for m in _LABEL_WITH_COLON.finditer(simple)]
        if not found or found[0][0] > 2:
            continue
        ends = [start for start, _ in found[1:]] + [len(simple)]
        for (start, here), end in zip(found, ends, strict=True):
            if start != here.start():
                continue  # 抓取时间：… is a re-host's capture time, not the page's 时间
            label = _normal_label(here.group("label"))
            value = _clean_value(same_span(line, simple, here.end(), end))
            if value and label not in values:
                values[label] = value
    if root is not None:
        _read_cells(root, values)
    return BlockFields(values)


def _word_start(simple: str, match: re.Match[str]) -> int:
    """Where the label's word begins: earlier than the label when it names another date.

    A print date (打印日期), a re-host's capture time (抓取时间: a copy of a portal page shows
    when it was fetched above the page's own 公开日期) and a footer's 更新日期 end in a
    block label; read as that label they would win over the page's own date.
    """
    if not _normal_label(match.group("label")).endswith(("日期", "时间")):
        return match.start()
    other = _OTHER_DATE.search(simple, 0, match.start())
    return other.start() if other else match.start()


def _read_cells(root: html.HtmlElement, values: dict[str, str]) -> None:
    # Tables that put each label in its own cell and the value in the next one.
    for cell in root.iter("td", "th"):
        text = element_text(cell)
        if len(text) > 12:
            continue
        match = _LABEL_ALONE.match(to_simplified(text))
        if not match:
            continue
        label = _normal_label(match.group("label"))
        following = cell.getnext()
        if label in values or following is None:
            continue
        value = _clean_value(element_text(following))
        if value:
            values[label] = value


def is_block_line(simplified_line: str) -> bool:
    """True for a metadata-block line ("索引号:…", "| 文号: | …"), chrome for the text."""
    line = simplified_line.strip().lstrip("|").strip()
    match = _LABEL_WITH_COLON.match(line)
    if match is None:
        return False
    label = _normal_label(match.group("label"))
    return label not in ("标题", "名称", "时间")


def meta_content(root: html.HtmlElement, *names: str) -> str | None:
    """Content of the first <meta name=…> among ``names`` (case-insensitive)."""
    wanted = {name.lower() for name in names}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in wanted and (meta.get("content") or "").strip():
            return meta.get("content").strip()
    return None


def title_year(title: str) -> int | None:
    """The year a title reports on ("2019年…", "二〇〇八年…")."""
    for match in TITLE_YEAR.finditer(title):
        year = int(match.group(1).translate(_CN_DIGITS))
        if 1990 <= year <= 2100:
            return year
    return None


def report_year(title: str | None, published: str | None, doc_no: str | None) -> int | None:
    """The year reported on: from the title, else the publication date, else the 文号."""
    if title:
        year = title_year(to_simplified(title))
        if year:
            return year
    if published:
        # A year's report appears in its own December or in the first half of the next year.
        year, month = int(published[:4]), int(published[5:7])
        return year if month >= 7 else year - 1
    if doc_no:
        match = _DOC_YEAR.search(doc_no)
        if match:
            return int(match.group(1))
    return None


def agency_from_title(title: str) -> str | None:
    """The issuing body printed before the year or the report phrase in a title."""
    simple = to_simplified(title)
    year = TITLE_YEAR.search(simple)
    phrase = report_title_match(simple)
    ends = [m.start() for m in (year, phrase) if m is not None]
    if not ends:
        return None
    prefix = same_span(title, simple, 0, min(ends)).strip(" 《》:：-—_")
    # 关于 opens the title (关于2019年…) or follows the body (北京市商务局关于2019年…报告).
    prefix = re.sub(r"^(?:关于|關於)|(?:关于|關於)$", "", prefix)
    return prefix if len(prefix) >= 2 else None


# Fields that name the body responsible for the page, best first.
_RESPONSIBLE_FIELDS = ("公开责任部门", "发布机构", "发文机关", "发文机构")
# The CMS's publisher field: whoever posted the page, which may be another body.
_PUBLISHER_FIELDS = ("来源", "信息来源")


def agency_of(block: BlockFields, title: str | None, lines: list[str]) -> str | None:
    """The reporting body: a responsibility field, else the title's body, else the 来源 line.

    来源 names whoever posted the page, not always the body the report is about: on
    www.pingtan.gov.cn the 实验区's 2019 report and its 地方税务局's 2013 report both say
    来源：平潭县人民政府 while their titles name 平潭综合实验区 and 平潭综合实验区地方税务局.
    So 来源 counts only when the title names no body, or names this one or a part of it
    (平潭综合实验区 → 来源：平潭综合实验区管委会办公室, the office that compiled it).
    """
    named = agency_from_title(title or "")
    agency = block.get(*_RESPONSIBLE_FIELDS)
    if not agency:
        publisher = block.get(*_PUBLISHER_FIELDS)
        if publisher and (named is None or _same_body(publisher, named)):
            agency = publisher
    return qualify_agency(agency, title, lines) or named


def _same_body(one: str, other: str) -> bool:
    """True when one name holds the other (大兴区商务局 in 北京市大兴区商务局)."""
    one, other = to_simplified(one), to_simplified(other)
    return one in other or other in one


def qualify_agency(agency: str | None, title: str | None, lines: list[str]) -> str | None:
    """The agency's full name when the title or a heading line prints it with more place.

    Metadata blocks often drop the city (公开责任部门: 门头沟区商务局) that the page's
    heading prints (北京市门头沟区商务局).
    """
    if not agency:
        return agency
    named = [agency_from_title(title or "")] + [line.strip() for line in lines]
    for name in named:
        if name and name != agency and name.endswith(agency) and len(name) <= len(agency) + 8:
            if len(region_of(name) or "") > len(region_of(agency) or ""):
                return name
    return agency


def agency_key(agency: str | None) -> str | None:
    """The agency in Simplified script, for grouping; None when unknown or holed (北京市□).

    A hole is a name spam replaced: 北京市□ is no particular agency, so it groups nothing.
    """
    if not agency or HOLE in agency:
        return None
    return to_simplified(agency)


def region_of(agency: str | None) -> str | None:
    """Administrative prefix of an agency name: 北京市, 北京市大兴区, 朝阳市."""
    if not agency:
        return None
    simple = to_simplified(agency)
    position = 0
    while True:
        rest = simple[position:]
        if _NOT_PLACE.match(rest):
            break
        match = _REGION_SEGMENT.match(rest)
        if match is None or ORG_CHARS.search(match.group(0)[:-1]):
            break
        end = match.end()
        if match.group(0)[-1] in "州旗盟" and end < len(rest):
            # 通州区 is a district, not 通州 + 区…; 红旗街道 is a street, not a banner
            if rest[end] in "区县市":
                end += 1
            elif rest[end] in "街镇乡路村":
                break
        position += end
    if position == 0:
        return None
    return same_span(agency, simple, 0, position)


def clean_index_no(value: str | None) -> str | None:
    """索引号 without inner spaces."""
    if not value:
        return None
    value = re.sub(r"\s+", "", value)
    return value or None


def clean_doc_no(value: str | None) -> str | None:
    """文号 as printed, None for "无"/"-" placeholders."""
    if not value:
        return None
    value = re.sub(r"\s+", "", value)
    # Traditional mirrors print 無/暫無.
    return None if to_simplified(value) in ("无", "-", "—", "/", "暂无") else value


def generation(simplified_text: str, year: int | None) -> str | None:
    """Report format: "2021" or "2019" template by table labels, else "prose"; year decides ties."""
    if "本年制发件数" in simplified_text or "本年废止件数" in simplified_text:
        return "2021"
    if "本年新制作数量" in simplified_text or "本年新公开数量" in simplified_text:
        return "2019"
    if year is None:
        return None
    if year < 2019:
        return "prose"
    return "2019" if year <= 2020 else "2021"
