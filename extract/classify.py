"""Decide whether a page is an annual open-government-information (OGI) report.

All functions here take Simplified text (callers convert with script.to_simplified),
so one vocabulary serves Simplified pages and Traditional mirrors alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 资讯 is what t2s leaves of Traditional 資訊 (Taiwan/HK wording for 信息).
_REPORT_TITLE = re.compile(
    r"(?:政府|政务)?(?:信息|资讯)公开(?:工作)?(?:年度)?(?:报告|年报|工作总结|总结)"
    r"|(?:信息|资讯)公开年报"
)
# Documents *about* reports: notices, interpretations, letters, templates, summaries of many.
_NOT_REPORT_TITLE = re.compile(
    r"(?:通知|解读|的函|函|公告|通告|通报|意见|方案|要点|批复|目录|指南|说明|问答|图解|模板"
    r"|样式|格式|汇总|汇编|情况表|考核|评估|检查结果|第三方评估报告)$"
    r"|^(?:图解|解读|一图读懂)"
    r"|编制|报送|填报|发布工作|做好.{0,20}年度报告"
)
# The six sections of the 2019/2021 template, as keywords that survive heading variants.
SECTION_KEYWORDS: tuple[tuple[str, ...], ...] = (
    ("总体情况", "总体工作情况", "基本情况", "概述"),
    ("主动公开政府信息", "主动公开"),
    ("收到和处理政府信息公开申请", "依申请公开", "收到和处理"),
    ("行政复议", "行政诉讼"),
    ("存在的主要问题", "存在问题", "主要问题", "改进情况", "下一步"),
    ("其他需要报告的事项", "其他需要报告", "其他事项"),
)
_BODY_SECTION_PHRASES = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议、行政诉讼情况",
    "存在的主要问题",
    "其他需要报告的事项",
)
# Phrases that prose-era (2008–2018) reports use, as evidence when sections are free-form.
_PROSE_PHRASES = (
    "政府信息公开条例",
    "主动公开",
    "依申请公开",
    "政府信息公开工作",
    "公开指南",
    "公开目录",
    "保密审查",
    "行政复议",
    "行政诉讼",
    "申请公开",
    "信息公开申请",
    "减免",
)
# Short prose-era reports exist (a few sentences under four headings); the title and
# body-evidence checks, not length, keep notices and news out.
MIN_REPORT_CHARS = 120
_LISTING_MIN_TITLES = 3


@dataclass(frozen=True)
class Verdict:
    """Whether a page is a report, and why (for notes and debugging)."""

    is_report: bool
    reason: str


def title_kind(title: str) -> str:
    """Classify a Simplified title: "report", "about-report" (notice etc.) or "other"."""
    compact = re.sub(r"\s+", "", title)
    if not _REPORT_TITLE.search(compact):
        return "other"
    if _NOT_REPORT_TITLE.search(compact):
        return "about-report"
    return "report"


def report_title_match(line: str) -> re.Match[str] | None:
    """Where the report-title phrase sits in a Simplified line, if it does."""
    return _REPORT_TITLE.search(line)


def is_listing(lines: list[str]) -> bool:
    """True when many short lines look like report titles: a list page, not one report."""
    titles = {line for line in lines if len(line) <= 80 and title_kind(line) == "report"}
    return len(titles) >= _LISTING_MIN_TITLES


def body_evidence(text: str) -> int:
    """How many report phrases the Simplified main text contains (sections, then prose)."""
    sections = sum(1 for phrase in _BODY_SECTION_PHRASES if phrase in text)
    if sections >= 2:
        return sections
    return sum(1 for phrase in _PROSE_PHRASES if phrase in text) // 2


def classify(title: str, text: str, lines: list[str]) -> Verdict:
    """Decide from the Simplified title, main text and its lines whether this is a report."""
    kind = title_kind(title)
    if kind == "about-report":
        return Verdict(False, "title is about reports, not a report")
    if kind == "other":
        return Verdict(False, "title does not name an OGI annual report")
    if len(text) < MIN_REPORT_CHARS:
        return Verdict(False, f"main text too short ({len(text)} chars)")
    if is_listing(lines):
        return Verdict(False, "page lists several reports")
    if body_evidence(text) < 2:
        return Verdict(False, "body lacks report sections or phrases")
    return Verdict(True, "title and body match")
