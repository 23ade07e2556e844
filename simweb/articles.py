"""Body text of non-report articles: news, notices and the report-like distractors."""

from __future__ import annotations

import random

_NEWS = (
    "{date}，{who}召开专题会议，研究部署{topic}相关工作。会议指出，要坚持以人民为中心的发展思想，"
    "把{topic}作为重要民生实事抓紧抓好。",
    "会议听取了有关部门关于{topic}工作进展情况的汇报。截至目前，已累计完成任务{n}项，"
    "涉及群众{m}万人次。",
    "会议强调，各有关单位要压实责任、细化措施，加强统筹协调，确保各项任务按期完成。",
    "下一步，将持续加大工作力度，及时总结推广经验做法，不断提升群众获得感和满意度。",
)
_NOTICE = (
    "各有关单位：",
    "为深入推进{topic}工作，根据有关工作部署，现就有关事项通知如下：",
    "一、高度重视。各单位要充分认识做好{topic}工作的重要意义，明确责任分工。",
    "二、认真落实。请于{deadline}前将工作开展情况报送至办公室。",
    "特此通知。",
)
_NB_NOTICE = (
    "各区人民政府，市政府各委、办、局，各市属机构：",
    "为做好{year}年政府信息公开工作年度报告（以下简称年度报告）编制和发布工作，"
    "根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，现将有关事项通知如下：",
    "一、按时发布年度报告。各单位应于{next}年1月31日前向社会公布本单位{year}年政府信息公开工作年度报告。",
    "二、规范报告内容。年度报告应当包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等内容。",
    "三、严格审核把关。各单位要认真核对统计数据，确保表格数据勾稽关系准确。",
    "附件：{year}年政府信息公开工作年度报告格式模板",
)
_HPF = (
    "一、机构概况",
    "北京住房公积金管理委员会有{members}名委员，{year}年召开会议{meetings}次，审议通过的事项主要包括："
    "{year}年住房公积金归集使用计划执行情况及{next}年计划等。",
    "二、业务运行情况",
    "缴存：{year}年，新开户单位{units}家，实缴单位{active}万家；实缴职工{workers}万人，"
    "缴存额{deposit}亿元。",
    "提取：{year}年，{drawers}万名缴存职工提取住房公积金{drawn}亿元。",
    "三、资产风险状况",
    "个人住房贷款逾期额{overdue}万元，逾期率0.0{rate}‰。",
)
_JIEDU = (
    "一图读懂{agency}{year}年政府信息公开工作年度报告。",
    "一、总体情况：{year}年，全年主动公开政府信息{n}条。",
    "二、依申请公开情况：全年新收政府信息公开申请{m}件，全部按期答复。",
    "三、下一步工作：持续深化政务公开，提升政府信息公开质量。",
)
_STAT = (
    "{year}年，面对复杂严峻的外部环境，全区上下坚持稳中求进工作总基调，经济运行总体平稳。",
    "一、综合",
    "初步核算，全年实现地区生产总值{gdp}亿元，按可比价格计算，比上年增长{growth}%。",
    "二、农业",
    "全年实现农林牧渔业总产值{farm}亿元。",
)


def article_paragraphs(rng: random.Random, kind: str, title: str, date: str, who: str) -> list[str]:
    """Paragraphs of a non-report article of ``kind``, filled with seeded numbers."""
    year = int(date[:4])
    if kind in ("nb-notice", "hpf", "stat"):
        year = int(title.split("年")[0][-4:])
    values = {
        "date": f"{int(date[5:7])}月{int(date[8:10])}日",
        "who": who,
        "year": year,
        "next": year + 1,
        "topic": title[-8:-2] if len(title) > 10 else "重点",
        "n": rng.randint(3, 900),
        "m": rng.randint(1, 90),
        "deadline": f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        "members": rng.randint(20, 30),
        "meetings": rng.randint(1, 4),
        "units": rng.randint(2000, 9000),
        "active": rng.randint(20, 40),
        "workers": rng.randint(700, 900),
        "deposit": rng.randint(1500, 3000),
        "drawers": rng.randint(300, 500),
        "drawn": rng.randint(1000, 2000),
        "overdue": rng.randint(10, 900),
        "rate": rng.randint(1, 9),
        "gdp": rng.randint(500, 2000),
        "growth": round(rng.uniform(-2, 9), 1),
        "farm": rng.randint(10, 60),
        "agency": title.split("20")[0],
    }
    texts = {
        "news": _NEWS,
        "notice": _NOTICE,
        "nb-notice": _NB_NOTICE,
        "hpf": _HPF,
        "jiedu": _JIEDU,
        "stat": _STAT,
    }[kind]
    return [text.format(**values) for text in texts]
