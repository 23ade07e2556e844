"""The national report template's table labels, 2019 and 2021 editions (REPORT_FORMAT.md)."""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_INTRO = (
    "依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定，编制本报告。"
)


@dataclass(frozen=True)
class Table2Block:
    """One article-20 block of table 2: its printed columns (after 信息内容) and rows."""

    block: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]


_ITEMS_19 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_PROJECTS = ("上一年项目数量", "本年增/减", "处理决定数量")

TABLE2 = {
    "2019": (
        Table2Block("第二十条第（一）项", _ITEMS_19, ("规章", "规范性文件")),
        Table2Block("第二十条第（五）项", _PROJECTS, ("行政许可", "其他对外管理服务事项")),
        Table2Block("第二十条第（六）项", _PROJECTS, ("行政处罚", "行政强制")),
        Table2Block("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
        Table2Block("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
    ),
    "2021": (
        Table2Block(
            "第二十条第（一）项",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            ("规章", "行政规范性文件"),
        ),
        Table2Block("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
        Table2Block("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
        Table2Block("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
    ),
}
MONEY_COLUMNS = frozenset({"采购总金额", "本年收费金额（单位：万元）"})
SIGNED_COLUMNS = frozenset({"本年增/减"})

T3_ORG_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS_LABEL = "三、本年度办理结果"

_WITHHELD = (
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
)
_UNAVAILABLE = (
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
)
_NOT_HANDLED = (
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
)
_OTHER_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)


def table3_rows(generation: str) -> tuple[tuple[str, str], ...]:
    """(block, row) pairs of table 3 in printed order for a template generation."""
    rows: list[tuple[str, str]] = [
        ("", "一、本年新收政府信息公开申请数量"),
        ("", "二、上年结转政府信息公开申请数量"),
        ("", "（一）予以公开"),
        ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ]
    rows += [("（三）不予公开", r) for r in _WITHHELD]
    rows += [("（四）无法提供", r) for r in _UNAVAILABLE]
    rows += [("（五）不予处理", r) for r in _NOT_HANDLED]
    if generation == "2021":
        rows += [("（六）其他处理", r) for r in _OTHER_2021]
    else:
        rows.append(("", "（六）其他处理"))
    rows += [("", "（七）总计"), ("", "四、结转下年度继续办理")]
    return tuple(rows)


SECTION_HEADINGS = (
    ("一、总体情况", "一、总体工作情况", "一、概述"),
    ("二、主动公开政府信息情况", "二、主动公开政府信息情况", "二、主动公开政府信息"),
    (
        "三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请的情况",
    ),
    (
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    ),
    (
        "五、存在的主要问题及改进情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在问题及下一步工作打算",
    ),
    ("六、其他需要报告的事项", "六、其他需要报告的事项", "六、其他需报告的事项"),
)
