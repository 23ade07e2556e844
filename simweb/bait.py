"""False-positive bait: clean reports that speak of lotteries, sports venues and apps.

福利彩票 and 体育彩票 are real government topics, as are 体育场馆 opening hours, 全民健身 and
a government app; a spam detector must leave these reports alone (``TruthReport.spam == ()``).
"""

from __future__ import annotations

import dataclasses
import random
from typing import TYPE_CHECKING

from nianbao.simweb.truth import TruthReport

if TYPE_CHECKING:
    from nianbao.simweb.world import World

TOPICS = ("lottery", "sports", "app")
# No digits: these sentences must not add key figures to a prose report.
SENTENCES = {
    "lottery": (
        "配合财政部门做好福利彩票、体育彩票销售的监督管理，及时公开彩票公益金使用情况。",
        "加强对福利彩票和体育彩票销售场所的监督检查，彩票公益金资助项目的执行情况向社会公开。",
    ),
    "sports": (
        "推进公共体育场馆向社会免费或低收费开放，主动公开全民健身设施和体育场馆开放时间。",
        "围绕全民健身战略，及时发布体育赛事活动和体育场馆开放信息，方便群众参与健身。",
    ),
    "app": (
        "依托政务服务APP和“北京通”APP开设信息公开申请入口，群众也可通过官网在线提交申请。",
        "拓展政务新媒体渠道，在政务服务APP、本机关官网和微信公众号同步发布政府信息。",
    ),
}
MIN_BAIT = 5
SHARE = 1 / 60


def add_bait(world: World, rng: random.Random) -> None:
    """Give a handful of clean generated reports (no gateway twin) a bait paragraph."""
    candidates = [
        i
        for i, r in enumerate(world.reports)
        if r.source == "generated" and world.styles[r.url].twin_url is None
    ]
    count = max(MIN_BAIT, round(len(candidates) * SHARE))
    prose = [i for i in candidates if world.reports[i].generation == "prose"]
    template = [i for i in candidates if world.reports[i].generation != "prose"]
    # both kinds of report, so the detector meets bait in free prose and in template text
    picks = rng.sample(prose, min(len(prose), count // 2))
    picks += rng.sample(template, min(len(template), count - len(picks)))
    for position in sorted(picks):
        truth = world.reports[position]
        topics = tuple(sorted(rng.sample(TOPICS, rng.randint(1, 2)), key=TOPICS.index))
        paragraph = "".join(rng.choice(SENTENCES[t]) for t in topics)
        baited = _with_paragraph(truth, paragraph, topics)
        world.reports[position] = baited
        world.by_url[baited.url] = baited


def _with_paragraph(truth: TruthReport, paragraph: str, topics: tuple[str, ...]) -> TruthReport:
    """The report with ``paragraph`` as a new last line of its first section."""
    first = truth.sections[0]
    text = f"{first.text}\n{paragraph}" if first.text else paragraph
    sections = (dataclasses.replace(first, text=text), *truth.sections[1:])
    return dataclasses.replace(truth, sections=sections, topics=topics)
