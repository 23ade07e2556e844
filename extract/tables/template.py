"""The canonical (Simplified) labels of tables 2, 3 and 4 in the 2019 and 2021 templates."""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATES = ("2019", "2021")


@dataclass(frozen=True)
class Table2Block:
    """One article-20 block of table 2: its value columns (after 信息内容) and its rows."""

    block: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]


_ITEMS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
_PROJECTS_2019 = ("上一年项目数量", "本年增/减", "处理决定数量")
B1, B5, B6, B8, B9 = (f"第二十条第（{n}）项" for n in ("一", "五", "六", "八", "九"))

TABLE2: dict[str, tuple[Table2Block, ...]] = {
    "2019": (
        Table2Block(B1, _ITEMS_2019, ("规章", "规范性文件")),
        Table2Block(B5, _PROJECTS_2019, ("行政许可", "其他对外管理服务事项")),
        Table2Block(B6, _PROJECTS_2019, ("行政处罚", "行政强制")),
        Table2Block(B8, ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
        Table2Block(B9, ("采购项目数量", "采购总金额"), ("政府集中采购",)),
    ),
    "2021": (
        Table2Block(
            B1, ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")
        ),
        Table2Block(B5, ("本年处理决定数量",), ("行政许可",)),
        Table2Block(B6, ("本年处理决定数量",), ("行政处罚", "行政强制")),
        Table2Block(B8, ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
    ),
}
T2_CONTENT = "信息内容"  # the label column's header in every block

T3_PERSON = "自然人"
T3_ORG_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T3_TOTAL_COLUMN = "总计"
T3_COLUMNS = (T3_PERSON, *T3_ORG_COLUMNS, T3_TOTAL_COLUMN)
# Header words of table 3 that name no value column of their own.
T3_HEADER_WORDS = (
    "申请人情况",
    "法人或其他组织",
    "三、本年度办理结果",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
)

T3_NEW = "一、本年新收政府信息公开申请数量"
T3_CARRIED_IN = "二、上年结转政府信息公开申请数量"
T3_GRANTED = "（一）予以公开"
T3_PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
T3_TOTAL = "（七）总计"
T3_CARRIED_OUT = "四、结转下年度继续办理"
T3_OTHER = "（六）其他处理"
T3_GROUPS = ("（三）不予公开", "（四）无法提供", "（五）不予处理", T3_OTHER)

_GROUP_ROWS = {
    "（三）不予公开": (
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
    ),
    "（四）无法提供": (
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
    ),
    "（五）不予处理": (
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
}
_OTHER_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)


def table3_rows(template: str) -> tuple[tuple[str, str], ...]:
    """(block, row) keys of table 3 in printed order for a template ("2019" or "2021")."""
    rows: list[tuple[str, str]] = [
        ("", T3_NEW),
        ("", T3_CARRIED_IN),
        ("", T3_GRANTED),
        ("", T3_PARTLY),
    ]
    for group, members in _GROUP_ROWS.items():
        rows += [(group, row) for row in members]
    if template == "2021":
        rows += [(T3_OTHER, row) for row in _OTHER_2021]
    else:
        rows.append(("", T3_OTHER))
    rows += [("", T3_TOTAL), ("", T3_CARRIED_OUT)]
    return tuple(rows)


def is_result_row(block: str, row: str) -> bool:
    """True for the leaves of 三、本年度办理结果, the rows summed into （七）总计."""
    if row in (T3_NEW, T3_CARRIED_IN, T3_TOTAL, T3_CARRIED_OUT):
        return False
    return bool(block) or row.startswith("（")


T4_REVIEW = "行政复议"
T4_DIRECT = "行政诉讼-未经复议直接起诉"
T4_AFTER_REVIEW = "行政诉讼-复议后起诉"
T4_BLOCKS = (T4_REVIEW, T4_DIRECT, T4_AFTER_REVIEW)
# Printed group headers → canonical block names (行政诉讼 alone spans both litigation groups).
T4_GROUP_LABELS = {
    "行政复议": T4_REVIEW,
    "未经复议直接起诉": T4_DIRECT,
    "复议后起诉": T4_AFTER_REVIEW,
}
T4_HEADER_WORDS = ("行政诉讼",)
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# What a page prints where a table was published as an image (seeds 000, 002).
CAPTIONS = {
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
}


def template_cells(template: str, table: int) -> tuple[tuple[str, str, str], ...]:
    """(block, row, column) of every value cell of ``table`` (2, 3 or 4) in ``template``, in
    printed order: rows top to bottom, columns left to right."""
    if table == 2:
        return tuple(
            (block.block, row, column)
            for block in TABLE2[template]
            for row in block.rows
            for column in block.columns
        )
    if table == 3:
        return tuple(
            (block, row, column) for block, row in table3_rows(template) for column in T3_COLUMNS
        )
    return tuple((block, "", column) for block in T4_BLOCKS for column in T4_COLUMNS)
