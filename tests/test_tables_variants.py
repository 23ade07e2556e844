"""Table shapes real CMSs print: narrower 2019 table-2 blocks, split and stacked header cells.

The pages are small hand-written imitations of the real shapes (no file of ../shared is
read); every expected value is the number typed in the row it sits in.
"""

from __future__ import annotations

from nianbao.extract.tables import parse_tables
from tests.test_tables import (
    B1,
    B5,
    B6,
    B8,
    B9,
    T3_NUMBERS,
    T3_ROWS_2019,
    cell_map,
    t3_rows,
    table,
    td,
    tr,
)

HEADING_2 = "<p>二、主动公开政府信息情况</p>"
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PROJECTS = ("上一年项目数量", "本年增/减", "处理决定数量")
ITEMS = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
# (block, row) → the values typed in that row, in the header's order
T2_VALUES = {
    (B1, "规章"): (0, 0, 3),
    (B1, "规范性文件"): (89, 89, 89),
    (B5, "行政许可"): (396, 0, 181),
    (B5, "其他对外管理服务事项"): (10, 0, 153),
    (B6, "行政处罚"): (2648, 0, 430),
    (B6, "行政强制"): (126, -1, 25),
    (B8, "行政事业性收费"): (35, 0),
    (B9, "政府集中采购"): (135, 12.5),
}
T2_COLUMNS = {
    B1: ITEMS,
    B5: PROJECTS,
    B6: PROJECTS,
    B8: PROJECTS[:2],
    B9: ("采购项目数量", "采购总金额"),
}


def assert_table2(page: str) -> None:
    result = parse_tables(page, "")
    assert result.problems == ()
    got = {(c.block, c.row, c.column): c.value for c in result.cells if c.table == 2}
    want = {
        (block, row, column): value
        for (block, row), numbers in T2_VALUES.items()
        for column, value in zip(T2_COLUMNS[block], numbers, strict=True)
    }
    assert got == want


def word_grid_2019() -> str:
    """Table 2 as Word pastes it: the first block sets a seven-column grid (its cells span
    two columns each), the （五）（六） headers span the grid differently, and their data rows
    carry no colspans at all, so they are narrower than the header above them."""
    projects = tr(
        td("信息内容", colspan=2),
        td("上一年项目数量", colspan=2),
        td("本年增/减"),
        td("处理决定数量", colspan=2),
    )
    return HEADING_2 + table(
        [
            tr(td(B1, colspan=7)),
            tr(td("信息内容"), *(td(c, colspan=2) for c in ITEMS)),
            tr(td("规章"), td("0", colspan=2), td("0", colspan=2), td("3", colspan=2)),
            tr(td("规范性文件"), td("89", colspan=2), td("89", colspan=2), td("89", colspan=2)),
            tr(td(B5, colspan=7)),
            projects,
            tr(td("行政许可"), td("396"), td("0"), td("181")),
            tr(td("其他对外管理服务事项"), td("10"), td("0"), td("153")),
            tr(td(B6, colspan=7)),
            projects,
            tr(td("行政处罚"), td("2648"), td("0"), td("430")),
            tr(td("行政强制"), td("126"), td("－1"), td("25")),
            tr(td(B8, colspan=7)),
            tr(td("信息内容"), td("上一年项目数量", colspan=3), td("本年增/减", colspan=3)),
            tr(td("行政事业性收费"), td("35", colspan=3), td("0", colspan=3)),
            tr(td(B9, colspan=7)),
            tr(td("信息内容"), td("采购项目数量", colspan=3), td("采购总金额", colspan=3)),
            tr(td("政府集中采购"), td("135", colspan=3), td("12.5", colspan=3)),
        ]
    )


def test_narrower_project_rows_of_a_word_grid() -> None:
    # Before: "values outside the header's columns" for the four （五）（六） rows, and 396
    # read as nothing, 0 as 上一年项目数量.
    assert_table2(word_grid_2019())


def test_rows_narrower_than_a_header_with_a_spanning_cell() -> None:
    # One header cell spans two columns; the rows under it have one cell per column.
    spanning = tr(
        td("信息内容"), td("上一年项目数量", colspan=2), td("本年增/减"), td("处理决定数量")
    )
    page = HEADING_2 + table(
        [
            tr(td(B1, colspan=4)),
            tr(td("信息内容"), *(td(c) for c in ITEMS)),
            tr(td("规章"), td("0"), td("0"), td("3")),
            tr(td("规范性文件"), td("89"), td("89"), td("89")),
            tr(td(B5, colspan=5)),
            spanning,
            tr(td("行政许可"), td("396"), td("0"), td("181"), td("")),  # a padding cell
            tr(td("其他对外管理服务事项"), td("10"), td("0"), td("153")),
            tr(td(B6, colspan=5)),
            spanning,
            tr(td("行政处罚"), td("2648"), td("0"), td("430")),
            tr(td("行政强制"), td("126"), td("-1"), td("25")),
            tr(td(B8, colspan=4)),
            tr(td("信息内容"), td("上一年项目数量"), td("本年增/减", colspan=2)),
            tr(td("行政事业性收费"), td("35"), td("0", colspan=2)),
            tr(td(B9, colspan=4)),
            tr(td("信息内容"), td("采购项目数量"), td("采购总金额", colspan=2)),
            tr(td("政府集中采购"), td("135"), td("12.5", colspan=2)),
        ]
    )
    assert_table2(page)


def test_a_narrow_row_missing_a_cell_is_still_a_problem() -> None:
    # In-order reading needs one cell per column: a row short of one stays a problem.
    page = word_grid_2019().replace("<td><p>396</p></td>", "")
    result = parse_tables(page, "")
    assert any(p.row == "行政许可" for p in result.problems)


def split_header(label: str, how: str) -> str:
    if how == "br":  # 本年新<br>制作数量
        return label[:3] + "<br>" + label[3:]
    if how == "p":  # <p>本年新</p><p>制作数量</p>
        return label[:3] + "</p><p>" + label[3:]
    if how == "stacked":  # one character per line
        return "<br>".join(label)
    return "</p><p>".join(label)  # one character per paragraph


def test_split_and_stacked_header_cells_in_html_tables() -> None:
    # These shapes already read in HTML grids (cell_text joins a cell's lines); pinned here.
    for how in ("br", "p", "stacked", "stacked-p"):
        page = word_grid_2019()
        for label in (*ITEMS, *PROJECTS):
            page = page.replace(f"<p>{label}</p>", f"<p>{split_header(label, how)}</p>")
        assert_table2(page)
        header = [
            tr(td(NOTE, 3, 3), td("申请人情况", colspan=7)),
            tr(td(split_header("自然人", how), 2), td("法人或其他组织", colspan=5), td("总计", 2)),
            tr(
                *(
                    td(split_header(c, how))
                    for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
                )
            ),
        ]
        page = "<p>三、收到和处理政府信息公开申请情况</p>" + table(header + t3_rows(T3_NUMBERS))
        result = parse_tables(page, "")
        assert result.problems == () and len(result.cells) == T3_ROWS_2019 * 7, how
        cells = cell_map(result.cells)
        assert cells[(3, "", "（七）总计", "自然人")].value == 6
        assert cells[(3, "", "（七）总计", "社会公益组织")].value == 0
        assert cells[(3, "", "（七）总计", "其他")].value == 1


def test_headers_stacked_one_character_per_line_in_flattened_text() -> None:
    # A table flattened one cell per line, its header cells stacked one character per line
    # (本\n年\n新\n制\n作\n数\n量): seven pieces, one more than the rejoining allowed.
    lines = ["二、主动公开政府信息情况"]
    for block, columns in T2_COLUMNS.items():
        # "本年增/减" stays whole: its "/" alone on a line would read as a not-applicable cell
        stacked = [list(c) if "/" not in c else [c] for c in columns]
        lines += [block, "信息内容", *(piece for column in stacked for piece in column)]
        for (row_block, row), numbers in T2_VALUES.items():
            if row_block == block:
                lines += [row, *(str(n) for n in numbers)]
    result = parse_tables(None, "\n".join(lines))
    assert result.problems == ()
    got = {(c.block, c.row, c.column): c.value for c in result.cells if c.table == 2}
    assert got[(B1, "规章", "对外公开总数量")] == 3
    assert got[(B1, "规范性文件", "本年新制作数量")] == 89
    assert got[(B5, "行政许可", "上一年项目数量")] == 396
    assert got[(B6, "行政强制", "本年增/减")] == -1
    assert got[(B9, "政府集中采购", "采购总金额")] == 12.5
    assert len(got) == 22
