"""Recognise page chrome lines (share widgets, date/source line, exit notices) in either script."""

from __future__ import annotations

import re

# Patterns are written for the Simplified form of a line; callers pass to_simplified(line).
# Every repeat that meets another able to take the same characters is possessive (*+, ++):
# "打印 打印 … x" had 3^n ways to split its spaces between them (55 characters took 70 s).
_SEGMENT = r"[^>＞›»。，,；;]{1,15}+"  # one step of a breadcrumb trail
_CHROME_LINES = [
    r"(日期|时间|发布时间|发布日期)\s*[:：]\s*\d{4}.{0,40}(来源|作者|浏览)\s*[:：].*",
    r"来源\s*[:：].{0,40}(日期|时间)\s*[:：]\s*\d{4}.*",
    r"(?:分享到|分享)\s*+[:：]?+(?:\s|微信|微博|qq|空间|朋友圈)*+",
    r"(?:【\s*+)?+(?:字号|字体)\s*+[:：]?+(?:[大中小\s】\]|/【\[]|默认)*+",
    r".{0,20}(打印本页|打印文章|打印此页|关闭窗口|关闭本页|保存本页|收藏本页|返回顶部).{0,30}",
    r"[【\[]?+\s*+(?:打印|关闭|返回|收藏|纠错)"
    r"(?:\s*+[】\]]?+\s*+[【\[]?+\s*+(?:打印|关闭|返回|收藏|纠错))*+\s*+[】\]]?+",
    r".{0,20}(点击量|点击数|点击次数|浏览次数|浏览量|访问量|阅读次数|阅读量)\s*+[:：]?+\s*+\d*+.{0,20}",
    r".{0,10}您访问的(链接|连结)即将离开.{0,40}",
    r"(是否继续|继续访问|放弃)\s*[?？]?",
    r"(已归档|归档)",
    r"(当前位置|您现在的位置|您的位置|所在位置|当前的位置)\s*[:：].*",
    r"首页\s*(>|＞|›|»|/|→|-).*",
    # Breadcrumb trails, or their tail when the extractor kept only part of one.
    # (a step may be spaces only, "首页 > > 通知": the \s* after a separator gives them back)
    rf"[>＞›»]\s*{_SEGMENT}(?:\s*+[>＞›»]\s*{_SEGMENT})*+",
    rf"{_SEGMENT}(?:\s*+[>＞›»]\s*{_SEGMENT})++\s*+[>＞›»]?+",
    r"(上一篇|下一篇|相关链接|相关文章|相关新闻|扫一扫|在手机上查看)\s*[:：]?.*",
    r"(版权所有|主办单位|承办单位|网站标识码|京icp|icp备|京公网安备|网站地图|联系我们).*",
]
_CHROME = re.compile("|".join(f"(?:{p})" for p in _CHROME_LINES), re.IGNORECASE)
# Toolbars that put several widgets on one line (【字体：大 中 小】【打印】【关闭】, 列印/視窗
# in Taiwan wording): a line made only of widget words and brackets.
_WIDGET_WORDS = (
    "分享到|分享|字号|字体|默认|打印本页|打印此页|打印文章|打印|列印本页|列印|关闭窗口|关闭视窗"
    "|关闭本页|关闭|返回顶部|返回|收藏本页|收藏|纠错|微信|微博|qq空间|朋友圈|保存|大|中|小"
)
_WIDGETS = re.compile(
    rf"(?:[【\[\]】\s|/:：]*+(?:{_WIDGET_WORDS})[】\]\s|/:：]*+)++", re.IGNORECASE
)
# At least one real widget name, so a table cell reading 大 or 中 alone is not chrome.
_WIDGET_ANCHOR = re.compile(r"分享|字号|字体|打印|列印|关闭|返回顶部|收藏|纠错")
# Share/font widgets are short; a long line starting with 分享 is prose.
_MAX_CHROME_LEN = 120


def is_chrome(simplified_line: str) -> bool:
    """True when a (Simplified) line is page furniture rather than report text."""
    line = simplified_line.strip().strip("|").strip()
    if not line:
        return True
    if len(line) > _MAX_CHROME_LEN:
        return False
    if _CHROME.fullmatch(line) is not None:
        return True
    return _WIDGETS.fullmatch(line) is not None and _WIDGET_ANCHOR.search(line) is not None
