"""The date a report was published, chosen among the several dates a page carries.

A report page can print many dates: the metadata block's 公开日期/发布日期 and 成文日期, the
CMS's PubDate meta, the date line above the article (时间：… 来源：…), and dates that say
nothing about the report: a print date (打印日期), a re-host's capture time (抓取时间), a
footer's 更新日期. The page's own fields win, in this priority:

1. 公开日期 / 发布日期 / 发布时间 / 发文日期 of the page's metadata block: the day it was
   made public, which is what ``published`` means.
2. The CMS's PubDate-style ``<meta>``: the same field as the content system stores it.
3. The date line's bare 日期 / 时间 (``时间：2020-01-20 15:22`` on TRS pages).
4. 成文日期 / 生成日期: when the document was written or generated, days or weeks before
   it was published, so it is the last resort.

Print dates, capture times and footer dates never compete: ``metadata.read_block`` does not
read a label that is the tail of a longer word (抓取时间 is not 时间, 打印日期 not 日期).
Within one label the first occurrence on the page wins (the block sits above the footer).
"""

from __future__ import annotations

import re

from lxml import html

from nianbao.extract.metadata import BlockFields, meta_content

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PUBDATE_META = ("pubdate", "publishdate", "firstpublishedtime", "dc.date", "published_time")
# Block labels, best first, as the module docstring explains.
_PUBLISHED_LABELS = ("公开日期", "发布日期", "发布时间", "发文日期")
_DATE_LINE_LABELS = ("日期", "时间")
_WRITTEN_LABELS = ("成文日期", "生成日期")


def iso_date(text: str | None) -> str | None:
    """The first date in ``text`` as YYYY-MM-DD, if it is a real calendar date."""
    if not text:
        return None
    match = _DATE.search(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def published_date(root: html.HtmlElement, block: BlockFields) -> str | None:
    """The page's publication date as YYYY-MM-DD, by the priority of the module docstring."""
    values = [block.get(label) for label in _PUBLISHED_LABELS]
    values.append(meta_content(root, *_PUBDATE_META))
    values.extend(block.get(label) for label in _DATE_LINE_LABELS + _WRITTEN_LABELS)
    for value in values:  # one label at a time: "公开日期：无" must not hide 发布日期
        date = iso_date(value)
        if date:
            return date
    return None
