"""Statistical tables 2–4: seeds read by hand, hand-built HTML fixtures, broken input."""

from __future__ import annotations

import opencc
import pytest

from nianbao.extract.tables import Cell, check_identities, parse_tables
from nianbao.extract.tables.values import parse_value
from tests.seeds import seed_text

B1, B5, B6, B8, B9 = (f"第二十条第（{n}）项" for n in ("一", "五", "六", "八", "九"))
T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
OUT = "四、结转下年度继续办理"
T4_BLOCKS = ("行政复议", "行政诉讼-未经复议直接起诉", "行政诉讼-复议后起诉")
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# Table 3 of the 2019 template: 2 + （一）（二） + 8 + 3 + 5 + （六） + （七） + 四 = 23 rows.
T3_ROWS_2019 = 23


def cell_map(cells: tuple[Cell, ...]) -> dict[tuple[int, str, str, str], Cell]:
    return {(c.table, c.block, c.row, c.column): c for c in cells}


def values(
    cells: tuple[Cell, ...], table: int, block: str, row: str, columns: tuple[str, ...]
) -> list[int | float | None]:
    found = cell_map(cells)
    return [found[(table, block, row, col)].value for col in columns]


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("17", 17),
        ("＋1", 1),
        ("－2", -2),
        ("０", 0),
        ("１２", 12),
        ("1,234", 1234),
        ("12.3456", 12.3456),
        ("+3", 3),
        (" 5 ", 5),
        # a unit printed inside the cell is dropped, the number kept (killed mutant: units kept)
        ("12件", 12),
        ("3项", 3),
        ("1.5万元", 1.5),
        ("８人次", 8),
    ],
)
def test_values_read_numbers(text: str, value: int | float) -> None:
    parsed = parse_value(text)
    assert parsed.value == value and type(parsed.value) is type(value)
    assert parsed.raw == text.strip() and parsed.problem is None


@pytest.mark.parametrize("text", ["/", "-", "—", "－", "无", ""])
def test_values_not_applicable_is_none_not_zero(text: str) -> None:
    parsed = parse_value(text)
    assert parsed.value is None and parsed.raw == text and parsed.problem is None


def test_values_unreadable_text_is_a_problem() -> None:
    parsed = parse_value("约十件")
    assert parsed.value is None and parsed.raw == "约十件" and parsed.problem


# -- seeds ----------------------------------------------------------------------------------


def test_seed_001_pipe_rows() -> None:
    result = parse_tables(None, seed_text("001"))
    cells = result.cells
    assert result.template == "2019"
    assert values(cells, 2, B1, "规范性文件", ("本年新制作数量",)) == [7]
    assert values(cells, 2, B5, "行政许可", ("本年增/减", "处理决定数量")) == [11, 11]
    assert values(cells, 2, B9, "政府集中采购", ("采购项目数量", "采购总金额")) == [0, 0]
    assert values(cells, 3, "", NEW, T3_COLUMNS) == [0] * 7
    t4 = [c for c in cells if c.table == 4]
    assert len(t4) == 15 and all(c.value == 0 and c.raw == "0" for c in t4)
    assert {(c.block, c.column) for c in t4} == {(b, c) for b in T4_BLOCKS for c in T4_COLUMNS}
    assert len([c for c in cells if c.table == 3]) == T3_ROWS_2019 * 7
    assert len([c for c in cells if c.table == 2]) == 22
    assert result.problems == () and result.missing == ()
    checks = check_identities(cells, result.template)
    assert len(checks) == 7 * 2 + T3_ROWS_2019 + 3 and all(c.ok for c in checks)


def test_seed_003_one_cell_per_line() -> None:
    result = parse_tables(None, seed_text("003"))
    cells = cell_map(result.cells)
    assert result.template == "2019"
    assert values(
        result.cells, 2, B1, "规范性文件", ("本年新制作数量", "本年新公开数量", "对外公开总数量")
    ) == [2, 1, 7]
    assert values(
        result.cells, 2, B5, "行政许可", ("上一年项目数量", "本年增/减", "处理决定数量")
    ) == [1, 1, 10]
    assert cells[(2, B5, "行政许可", "本年增/减")].raw == "＋1"
    # 其他对外管理服务事项 is split into sub-rows; each is keyed by its own label.
    project_columns = ("上一年项目数量", "本年增/减", "处理决定数量")
    assert values(result.cells, 2, B5, "行政检查", project_columns) == [0, 1, 235]
    assert cells[(2, B5, "行政检查", "本年增/减")].raw == "＋1"
    assert values(result.cells, 2, B5, "行政确认", project_columns) == [0, 0, 0]
    assert (2, B5, "其他对外管理服务事项", "上一年项目数量") not in cells
    assert values(result.cells, 2, B9, "政府集中采购", ("采购项目数量", "采购总金额")) == [0, 0]
    t3 = [c for c in result.cells if c.table == 3]
    assert len(t3) == T3_ROWS_2019 * 7 and all(c.value == 0 for c in t3)
    # The broken labels "（三）不予\n\n公开" and rows under them land in their groups.
    assert cells[(3, "（三）不予公开", "1.属于国家秘密", "总计")].value == 0
    assert cells[(3, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "其他")].value == 0
    assert cells[(3, "", "（六）其他处理", "自然人")].value == 0
    assert cells[(3, "", PARTLY, "总计")].value == 0
    t4 = [c for c in result.cells if c.table == 4]
    assert len(t4) == 15 and all(c.value == 0 for c in t4)
    assert result.problems == () and result.missing == ()
    assert all(c.ok for c in check_identities(result.cells, result.template))


def test_seed_003_survives_flattened_text() -> None:
    # The same seed after text extraction: no tabs, no blank lines, one cell per line.
    lines = [line.strip() for line in seed_text("003").splitlines() if line.strip()]
    flat = parse_tables(None, "\n".join(lines))
    assert cell_map(flat.cells) == cell_map(parse_tables(None, seed_text("003")).cells)


def test_seed_000_tables_published_as_images() -> None:
    result = parse_tables(None, seed_text("000"))
    assert result.cells == ()
    assert [(m.table, m.reason) for m in result.missing] == [
        (2, "image"),
        (3, "image"),
        (4, "image"),
    ]


def test_prose_report_has_no_tables() -> None:
    result = parse_tables(None, seed_text("004"))
    assert result == type(result)(None)


# -- HTML fixtures --------------------------------------------------------------------------


def td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{attrs}><p>{text}</p></td>"


def tr(*cells: str) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


T3_HEADER = (
    tr(
        td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
        td("申请人情况", colspan=7),
    ),
    tr(td("自然人", 2), td("法人或其他组织", colspan=5), td("总计", 2)),
    tr(*(td(c) for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))),
)
GROUPS_2019 = (
    (
        "（三）不予<br>公开",
        (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ),
    ),
    (
        "（四）无法<br>提供",
        ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"),
    ),
    (
        "（五）不予<br>处理",
        (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
    ),
)
OTHER_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)
ZERO = ("0",) * 7


def t3_rows(numbers: dict[str, tuple[str, ...]], template: str = "2019") -> list[str]:
    """Table-3 body rows in the template's shape; unlisted rows are zeros."""

    def vals(row: str) -> list[str]:
        return [td(v) for v in numbers.get(row, ZERO)]

    results = 2 + sum(len(rows) for _, rows in GROUPS_2019) + (3 if template == "2021" else 1) + 1
    out = [
        tr(td(NEW, colspan=3), *vals(NEW)),
        tr(td(CARRIED, colspan=3), *vals(CARRIED)),
        tr(
            td("三、本年度办理结果", results),
            td("（一）予以公开", colspan=2),
            *vals("（一）予以公开"),
        ),
        tr(td(PARTLY, colspan=2), *vals(PARTLY)),
    ]
    groups = list(GROUPS_2019)
    if template == "2021":
        groups.append(("（六）其他<br>处理", OTHER_2021))
    for group, rows in groups:
        for i, row in enumerate(rows):
            lead = [td(group, len(rows))] if i == 0 else []
            out.append(tr(*lead, td(row), *vals(row)))
    if template == "2019":
        out.append(tr(td("（六）其他处理", colspan=2), *vals("（六）其他处理")))
    out.append(tr(td("（七）总计", colspan=2), *vals("（七）总计")))
    out.append(tr(td(OUT, colspan=3), *vals(OUT)))
    return out


def table(rows: list[str] | tuple[str, ...]) -> str:
    return '<table border="1"><tbody>' + "".join(rows) + "</tbody></table>"


# Hand-computed table 3: balanced, with "/" for 科研机构 in 一 (not applicable).
T3_NUMBERS = {
    NEW: ("5", "2", "/", "0", "0", "1", "8"),
    CARRIED: ("1", "0", "0", "0", "0", "0", "1"),
    "（一）予以公开": ("3", "1", "0", "0", "0", "1", "5"),
    PARTLY: ("1", "0", "0", "0", "0", "0", "1"),
    "1.属于国家秘密": ("1", "0", "0", "0", "0", "0", "1"),
    "1.本机关不掌握相关政府信息": ("1", "1", "0", "0", "0", "0", "2"),
    "（七）总计": ("6", "2", "0", "0", "0", "1", "9"),
}


def t4_table(review: tuple[str, ...] = ("1", "0", "0", "1", "2"), vertical: bool = True) -> str:
    first = ["<br>".join(c) if vertical and c != "总计" else c for c in T4_COLUMNS]
    return table(
        [
            tr(td("行政复议", colspan=5), td("行政诉讼", colspan=10)),
            tr(
                *(td(c, 2) for c in first),
                td("未经复议直接起诉", colspan=5),
                td("复议后起诉", colspan=5),
            ),
            tr(*(td(c) for c in T4_COLUMNS * 2)),
            tr(*(td(v) for v in review + ("0",) * 5 + ("1", "0", "0", "0", "1"))),
        ]
    )


def t2_2019_table() -> str:
    rows = [
        tr(td("第二十条第（一）项", colspan=4)),
        tr(td("信息内容"), td("本年新制作数量"), td("本年新公开数量"), td("对外公开总数量")),
        tr(td("规章"), td("0"), td("0"), td("3")),
        tr(td("规范性文件"), td("４"), td("4"), td("31")),
        tr(td("第二十条第（五）项", colspan=4)),
        tr(td("信息内容"), td("上一年项目数量"), td("本年增/减"), td("处理决定数量")),
        tr(td("行政许可"), td("12"), td("－1"), td("1,024")),
        tr(td("其他对外管理服务事项"), td("3"), td("0"), td("/")),
        tr(td("第二十条第（六）项", colspan=4)),
        tr(td("信息内容"), td("上一年项目数量"), td("本年增/减"), td("处理决定数量")),
        tr(td("行政处罚"), td("2"), td("＋1"), td("57")),
        tr(td("行政强制"), td("0"), td("0"), td("—")),
        tr(td("第二十条第（八）项", colspan=4)),
        tr(td("信息内容"), td("上一年项目数量"), td("本年增/减", colspan=2)),
        tr(td("行政事业性收费"), td("1"), td("0", colspan=2)),
        tr(td("第二十条第（九）项", colspan=4)),
        tr(td("信息内容"), td("采购项目数量"), td("采购总金额", colspan=2)),
        tr(td("政府集中采购"), td("6"), td("123.4500", colspan=2)),
    ]
    return table(rows)


def report_2019_html(t3_body: list[str] | None = None) -> str:
    """A full 2019-template report page: prose sections and tables 2, 3, 4 as HTML."""
    body = t3_body if t3_body is not None else t3_rows(T3_NUMBERS)
    prose = "<p>本机关认真贯彻落实《政府信息公开条例》，全年主动公开信息312条。</p>" * 6
    return (
        "<html><head><title>某区2019年政府信息公开工作年度报告</title></head><body>"
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk">信息公开</a></div>'
        f"<h1>某区2019年政府信息公开工作年度报告</h1><p>一、总体情况</p>{prose}"
        f"<p>二、主动公开政府信息情况</p>{t2_2019_table()}"
        f"<p>三、收到和处理政府信息公开申请情况</p>{table(T3_HEADER + tuple(body))}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{t4_table()}"
        f"<p>五、存在的主要问题及改进情况</p>{prose}<p>六、其他需要报告的事项</p><p>无。</p>"
        "</body></html>"
    )


def test_html_2019_report_reads_every_cell() -> None:
    result = parse_tables(report_2019_html(), "")
    cells = cell_map(result.cells)
    assert result.template == "2019" and result.missing == () and result.problems == ()
    columns = ("本年新制作数量", "对外公开总数量")
    assert values(result.cells, 2, B1, "规范性文件", columns) == [4, 31]
    assert cells[(2, B1, "规范性文件", "本年新制作数量")].raw == "４"
    assert values(result.cells, 2, B5, "行政许可", ("本年增/减", "处理决定数量")) == [-1, 1024]
    assert cells[(2, B5, "其他对外管理服务事项", "处理决定数量")].value is None
    assert cells[(2, B5, "其他对外管理服务事项", "处理决定数量")].raw == "/"
    assert cells[(2, B8, "行政事业性收费", "本年增/减")].value == 0
    assert cells[(2, B9, "政府集中采购", "采购总金额")].value == 123.45
    assert len([c for c in result.cells if c.table == 2]) == 22
    assert values(result.cells, 3, "", NEW, T3_COLUMNS) == [5, 2, None, 0, 0, 1, 8]
    assert cells[(3, "", NEW, "科研机构")].raw == "/"
    assert values(
        result.cells, 3, "（四）无法提供", "1.本机关不掌握相关政府信息", ("商业企业", "总计")
    ) == [1, 2]
    assert len([c for c in result.cells if c.table == 3]) == T3_ROWS_2019 * 7
    assert values(result.cells, 4, "行政复议", "", T4_COLUMNS) == [1, 0, 0, 1, 2]
    assert values(result.cells, 4, "行政诉讼-复议后起诉", "", T4_COLUMNS) == [1, 0, 0, 0, 1]
    checks = check_identities(result.cells, result.template)
    assert checks and all(c.ok for c in checks)


def test_html_traditional_labels() -> None:
    page = opencc.OpenCC("s2t").convert(report_2019_html())
    assert "不予<br>公開" in page and "申請人情況" in page and "結<br>果<br>維<br>持" in page
    result = parse_tables(page, "")
    expected = parse_tables(report_2019_html(), "")
    assert cell_map(result.cells) == cell_map(expected.cells)
    assert result.template == "2019" and result.problems == ()


def test_html_table_split_over_two_tables() -> None:
    rows = t3_rows(T3_NUMBERS)
    page = (
        f"<p>三、收到和处理政府信息公开申请情况</p>{table(T3_HEADER + tuple(rows[:9]))}"
        f"<p>（续表）</p>{table(rows[9:])}"
    )
    result = parse_tables(page, "")
    cells = cell_map(result.cells)
    assert len([c for c in result.cells if c.table == 3]) == T3_ROWS_2019 * 7
    assert cells[(3, "（四）无法提供", "1.本机关不掌握相关政府信息", "总计")].value == 2
    assert cells[(3, "", "（七）总计", "自然人")].value == 6
    assert [m.table for m in result.missing] == [2, 4] and result.problems == ()


def test_html_extra_header_row_and_layout_table() -> None:
    title = tr(td("表三：收到和处理政府信息公开申请情况", colspan=10))
    inner = table((title, *T3_HEADER, *t3_rows(T3_NUMBERS)))
    page = f"<table><tr><td><div>{inner}</div></td></tr></table>"
    result = parse_tables(page, "")
    assert values(result.cells, 3, "", "（一）予以公开", T3_COLUMNS) == [3, 1, 0, 0, 0, 1, 5]
    assert result.problems == ()


def t2_2021_table() -> str:
    return table(
        [
            tr(td("第二十条第（一）项", colspan=4)),
            tr(td("信息内容"), td("本年制发件数"), td("本年废止件数"), td("现行有效件数")),
            tr(td("规章"), td("1"), td("0"), td("9")),
            tr(td("行政规范性文件"), td("5"), td("2"), td("40")),
            tr(td("第二十条第（五）项", colspan=4)),
            tr(td("信息内容"), td("本年处理决定数量", colspan=3)),
            tr(td("行政许可"), td("318", colspan=3)),
            tr(td("第二十条第（六）项", colspan=4)),
            tr(td("信息内容"), td("本年处理决定数量", colspan=3)),
            tr(td("行政处罚"), td("27", colspan=3)),
            tr(td("行政强制"), td("无", colspan=3)),
            tr(td("第二十条第（八）项", colspan=4)),
            tr(td("信息内容"), td("本年收费金额（单位：万元）", colspan=3)),
            tr(td("行政事业性收费"), td("12.5", colspan=3)),
        ]
    )


def test_html_2021_template() -> None:
    numbers = {
        NEW: ("3", "0", "0", "0", "0", "0", "3"),
        OTHER_2021[0]: ("1", "0", "0", "0", "0", "0", "1"),
        OTHER_2021[2]: ("2", "0", "0", "0", "0", "0", "2"),
        "（七）总计": ("3", "0", "0", "0", "0", "0", "3"),
    }
    page = (
        f"<p>二、主动公开政府信息情况</p>{t2_2021_table()}"
        f"<p>三、收到和处理政府信息公开申请情况</p>"
        f"{table(T3_HEADER + tuple(t3_rows(numbers, '2021')))}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{t4_table()}"
    )
    result = parse_tables(page, "")
    cells = cell_map(result.cells)
    assert result.template == "2021" and result.problems == () and result.missing == ()
    assert values(
        result.cells, 2, B1, "行政规范性文件", ("本年制发件数", "本年废止件数", "现行有效件数")
    ) == [5, 2, 40]
    assert cells[(2, B5, "行政许可", "本年处理决定数量")].value == 318
    assert cells[(2, B6, "行政强制", "本年处理决定数量")].value is None
    assert cells[(2, B8, "行政事业性收费", "本年收费金额（单位：万元）")].value == 12.5
    assert len([c for c in result.cells if c.table == 2]) == 10
    other = "（六）其他处理"
    assert cells[(3, other, OTHER_2021[0], "自然人")].value == 1
    assert cells[(3, other, "3.其他", "总计")].value == 2
    assert (3, "", other, "自然人") not in cells
    assert len([c for c in result.cells if c.table == 3]) == (T3_ROWS_2019 + 2) * 7
    assert all(c.ok for c in check_identities(result.cells, result.template))


def failing(cells: tuple[Cell, ...], template: str | None) -> set[str]:
    return {c.identity for c in check_identities(cells, template) if c.failed}


def test_broken_identity_table4_only_that_group() -> None:
    page = "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + t4_table(("1", "0", "0", "1", "3"))
    result = parse_tables(page, "")
    assert failing(result.cells, result.template) == {"t4.行政复议.total"}
    checks = check_identities(result.cells, None)
    check = next(c for c in checks if c.identity == "t4.行政复议.total")
    assert (check.expected, check.actual) == (2, 3)


def test_broken_identity_table3_one_cell() -> None:
    # 予以公开 商业企业 1 → 2 breaks that column's total and that row's total, nothing else.
    numbers = dict(T3_NUMBERS, **{"（一）予以公开": ("3", "2", "0", "0", "0", "1", "5")})
    result = parse_tables(report_2019_html(t3_rows(numbers)), "")
    assert failing(result.cells, result.template) == {
        "t3.col.商业企业.total",
        "t3.row.（一）予以公开.total",
    }


def test_broken_identity_table3_total_cell() -> None:
    # 四、结转 总计 0 → 4: that row's total and the 总计 column's balance fail.
    numbers = dict(T3_NUMBERS, **{OUT: ("0", "0", "0", "0", "0", "0", "4")})
    result = parse_tables(report_2019_html(t3_rows(numbers)), "")
    assert failing(result.cells, result.template) == {"t3.col.总计.balance", f"t3.row.{OUT}.total"}


def test_image_only_report() -> None:
    page = (
        "<p>二、主动公开政府信息情况</p><p>主动公开政府信息情况</p>"
        '<p align="center"><img src="/pic/2020/t2.png" width="600"></p>'
        "<p>三、收到和处理政府信息公开申请情况</p><p>收到和处理政府信息公开申请情况</p>"
        '<p><img src="http://img.example.gov.cn/t3.jpg"></p>'
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>政府信息公开行政复议、行政诉讼情况</p>"
        '<p><img src="t4.png"></p><p>五、存在的主要问题及改进情况</p>'
        '<p>无。</p><p><img src="/pic/footer-logo.png"></p>'
    )
    result = parse_tables(page, "")
    assert result.cells == ()
    assert result.missing == (
        type(result.missing[0])(2, "image", ("/pic/2020/t2.png",)),
        type(result.missing[0])(3, "image", ("http://img.example.gov.cn/t3.jpg",)),
        type(result.missing[0])(4, "image", ("t4.png",)),
    )


def test_image_only_traditional_caption() -> None:
    page = '<p>二、主動公開政府資訊情況</p><p>主動公開政府資訊情況</p><p><img src="a.png"></p>'
    result = parse_tables(page, "")
    found = [(m.table, m.reason, m.image_urls) for m in result.missing]
    # Only table 2's caption is on this page: the others are missing without an image.
    assert found == [(2, "image", ("a.png",)), (3, "not found", ()), (4, "not found", ())]


# -- broken input ---------------------------------------------------------------------------


def test_ragged_rows_and_text_in_number_cells() -> None:
    rows = t3_rows(T3_NUMBERS)
    rows[0] = tr(td(NEW, colspan=3), *(td(v) for v in ("5", "2", "/", "0")))  # short row
    rows[1] = tr(td(CARRIED, colspan=3), *(td(v) for v in ("一", "0", "0", "0", "0", "0", "1")))
    result = parse_tables(report_2019_html(rows), "")
    cells = cell_map(result.cells)
    assert (3, "", NEW, "总计") not in cells and cells[(3, "", NEW, "自然人")].value == 5
    assert cells[(3, "", CARRIED, "自然人")].value is None
    assert cells[(3, "", CARRIED, "自然人")].raw == "一"
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert "short row" in messages[(NEW, "总计")]
    assert "not a number" in messages[(CARRIED, "自然人")]
    assert cells[(3, "", "（七）总计", "总计")].value == 9  # the rest still read


def test_missing_column() -> None:
    header = (
        T3_HEADER[0],
        tr(td("自然人", 2), td("法人或其他组织", colspan=4), td("总计", 2)),
        tr(*(td(c) for c in ("商业企业", "社会公益组织", "法律服务机构", "其他"))),
    )
    rows = [r.replace("<td><p>/</p></td>", "", 1) for r in t3_rows(T3_NUMBERS)]
    rows = [r.replace("<td><p>0</p></td>", "", 1) if i else r for i, r in enumerate(rows)]
    result = parse_tables(table(header + tuple(rows)), "")
    cells = cell_map(result.cells)
    assert not any(c.column == "科研机构" for c in result.cells)
    assert cells[(3, "", NEW, "其他")].value == 1 and cells[(3, "", NEW, "总计")].value == 8
    assert any(p.column == "科研机构" and "missing" in p.message for p in result.problems)


def test_ten_thousand_row_table() -> None:
    junk = "".join(tr(td(f"第{i}行"), td(str(i)), td("x"), td("")) for i in range(10_000))
    big_t3 = "".join(tr(td(NEW, colspan=3), *(td(v) for v in ZERO)) for _ in range(10_000))
    page = (
        f"<table>{tr(td('信息内容'), td('本年新制作数量'))}{junk}</table>"
        f"{table(T3_HEADER)}<table>{big_t3}</table>"
    )
    result = parse_tables(page, "")
    assert len(result.problems) <= 3 * 101
    assert any("duplicate" in p.message for p in result.problems)
    assert values(result.cells, 3, "", NEW, T3_COLUMNS) == [0] * 7
    text = "\n".join(f"规章 | {i} | 0 | abc |" for i in range(10_000))
    result = parse_tables(None, text)
    assert result.cells and len(result.problems) <= 3 * 101


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<",
        "<table>",
        "<table><tr><td rowspan='999999999' colspan='-3'>0</td></tr></table>",
        "<table>" + "<tr>" + "<td colspan=100000>1</td>" * 50 + "</tr></table>",
        "<?xml version='1.0' encoding='gbk'?>"
        "<html><body><p>二、主动公开政府信息情况</p></body></html>",
        "\x00\x01<table><tr><td>总计</td><td>自然人</td></tr><tr><td>0</td></tr></table>",
        "<table><tr><td>行政复议</td></tr><tr><td>1</td><td>2</td></tr></table>" * 3,
        "| | | |\n" * 100 + "第二十条第（一）项\n信息内容\n规章\n",
        "结\n果\n维\n持\n" * 2000,
    ],
)
def test_never_raises(page: str) -> None:
    result = parse_tables(page, page)
    assert result.template in (None, "2019", "2021")
    check_identities(result.cells, result.template)


def test_text_layout_with_html_none_and_empty() -> None:
    assert parse_tables(None, "") == type(parse_tables(None, ""))(None)
