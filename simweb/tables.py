"""Render a report's tables 2, 3 and 4 as HTML tables, pipe lines or one cell per line."""

from __future__ import annotations

import html
from dataclasses import dataclass

from nianbao.simweb.template import T3_NOTE, T3_ORG_COLUMNS, T3_RESULTS_LABEL, TABLE2, table3_rows
from nianbao.simweb.truth import T3_COLUMNS, T4_BLOCKS, T4_COLUMNS, TruthCell


@dataclass(frozen=True)
class GridCell:
    """One printed cell; a "\n" in text is a line break inside the cell."""

    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[GridCell]]
Anchor = tuple[int, int, int, int, str]  # row, column, rowspan, colspan, text


def grid_anchors(grid: Grid) -> tuple[list[Anchor], int, int]:
    """Each cell's top-left grid position and spans (HTML placement: a cell takes the first
    column no rowspan from above covers), the grid's width and height in cells."""
    taken: set[tuple[int, int]] = set()
    out: list[Anchor] = []
    for r, row in enumerate(grid):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            out.append((r, col, cell.rowspan, cell.colspan, cell.text))
            taken.update((r + i, col + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            col += cell.colspan
    width = max((c + cs for _, c, _, cs, _ in out), default=0)
    height = max((r + rs for r, _, rs, _, _ in out), default=0)
    return out, width, height


@dataclass(frozen=True)
class TableStyle:
    """How one report prints its tables (chosen per report, seeded)."""

    layout: str  # "html" | "pipe" | "cells" | "image"
    break_labels: bool = False  # "（三）不予\n公开"
    vertical_header: bool = False  # "结\n果\n维\n持"
    pipe_in_pre: bool = False
    title_row: bool = False  # html: an extra first row naming the table
    split: str = ""  # html, table 3: "header" (headers and body in two tables) | "tail"


def _raws(cells: tuple[TruthCell, ...], table: int) -> dict[tuple[str, str, str], str]:
    return {(c.block, c.row, c.column): c.raw for c in cells if c.table == table}


def table2_grid(cells: tuple[TruthCell, ...], generation: str) -> Grid:
    """Table 2: per article-20 block a title row, a header row and data rows (width 4)."""
    raws = _raws(cells, 2)
    grid: Grid = []
    for spec in TABLE2[generation]:
        grid.append([GridCell(spec.block, colspan=4)])
        pad = 4 - len(spec.columns)
        header = [GridCell("信息内容")] + [GridCell(c) for c in spec.columns]
        header[-1] = GridCell(header[-1].text, colspan=pad)
        grid.append(header)
        for row in spec.rows:
            line = [GridCell(row)] + [GridCell(raws[(spec.block, row, c)]) for c in spec.columns]
            line[-1] = GridCell(line[-1].text, colspan=pad)
            grid.append(line)
    return grid


def _group_label(block: str, style: TableStyle) -> str:
    # Seed 003 prints the group label broken after its fourth character.
    return block[:5] + "\n" + block[5:] if style.break_labels and len(block) > 6 else block


def table3_grid(cells: tuple[TruthCell, ...], generation: str, style: TableStyle) -> Grid:
    """Table 3 with its three-row header, merged 三、本年度办理结果 and group labels."""
    raws = _raws(cells, 3)
    rows = table3_rows(generation)
    grid: Grid = [
        [GridCell(T3_NOTE, rowspan=3, colspan=3), GridCell("申请人情况", colspan=7)],
        [
            GridCell("自然人", rowspan=2),
            GridCell("法人或其他组织", colspan=5),
            GridCell("总计", rowspan=2),
        ],
        [GridCell(c) for c in T3_ORG_COLUMNS],
    ]
    result_rows = [r for b, r in rows if b or r.startswith("（")]
    seen_groups: set[str] = set()
    for block, row in rows:
        values = [GridCell(raws[(block, row, c)]) for c in T3_COLUMNS]
        labels: list[GridCell] = []
        if row == result_rows[0]:
            labels.append(GridCell(T3_RESULTS_LABEL, rowspan=len(result_rows)))
        if row not in result_rows:
            labels.append(GridCell(row, colspan=3))
        elif block:
            if block not in seen_groups:
                seen_groups.add(block)
                size = sum(1 for b, _ in rows if b == block)
                labels.append(GridCell(_group_label(block, style), rowspan=size))
            labels.append(GridCell(row))
        else:
            labels.append(GridCell(row, colspan=2))
        grid.append(labels + values)
    return grid


def table4_grid(cells: tuple[TruthCell, ...], style: TableStyle) -> Grid:
    """Table 4: 行政复议 and the two 行政诉讼 groups, fifteen values in one row."""
    raws = _raws(cells, 4)
    first = ["\n".join(c) if style.vertical_header and c != "总计" else c for c in T4_COLUMNS]
    return [
        [GridCell("行政复议", colspan=5), GridCell("行政诉讼", colspan=10)],
        [GridCell(t, rowspan=2) for t in first]
        + [GridCell("未经复议直接起诉", colspan=5), GridCell("复议后起诉", colspan=5)],
        [GridCell(c) for c in T4_COLUMNS * 2],
        [GridCell(raws[(b, "", c)]) for b in T4_BLOCKS for c in T4_COLUMNS],
    ]


TABLE_TITLES = {
    2: "主动公开政府信息情况统计表",
    3: "收到和处理政府信息公开申请情况统计表",
    4: "政府信息公开行政复议、行政诉讼情况统计表",
}


def split_grid(grid: Grid, number: int, how: str) -> list[Grid]:
    """Table 3 printed as two tables, as page breaks in word processors leave it."""
    if number != 3 or not how:
        return [grid]
    first = "一、本年新收" if how == "header" else "四、结转"
    at = next((i for i, row in enumerate(grid) if row[0].text.startswith(first)), None)
    return [grid] if at is None else [grid[:at], grid[at:]]


def grid_html(grid: Grid) -> str:
    """A bordered HTML table with rowspan/colspan, as CMS editors publish them."""
    out = [
        '<table border="1" cellspacing="0" cellpadding="0" class="MsoNormalTable" '
        'style="border-collapse:collapse;width:100%"><tbody>'
    ]
    for row in grid:
        out.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            text = "<br>".join(html.escape(part) for part in cell.text.split("\n"))
            out.append(f'<td{attrs} valign="center"><p align="center">{text}</p></td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def grid_pipe_lines(grid: Grid) -> list[str]:
    """Rows flattened to "a | b | c |" lines, spanned positions left empty (seed 001)."""
    width = sum(c.colspan for c in grid[0]) if grid else 0
    width = max(width, max(sum(c.colspan for c in row) for row in grid))
    lines = []
    for row in grid:
        parts: list[str] = []
        for cell in row:
            parts.append(cell.text.replace("\n", ""))
            parts.extend([""] * (cell.colspan - 1))
        parts.extend([""] * (width - len(parts)))
        lines.append(" | ".join(parts).replace("|  |", "||").strip() + " |")
    return lines


def grid_cell_lines(grid: Grid) -> list[list[str]]:
    """Rows as lists of cell lines, empty spacers where a rowspan covers a column (seed 003)."""
    covered: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    out = []
    for row in grid:
        lines: list[str] = []
        col = 0
        cells = list(row)
        while cells or covered.get(col, 0) > 0:
            if covered.get(col, 0) > 0:
                covered[col] -= 1
                lines.append("")
                col += 1
                continue
            cell = cells.pop(0)
            lines.extend(cell.text.split("\n"))
            if cell.rowspan > 1:
                for k in range(col, col + cell.colspan):
                    covered[k] = cell.rowspan - 1
            col += cell.colspan
        out.append(lines)
    return out


def render_tables(
    number: int, cells: tuple[TruthCell, ...], generation: str, style: TableStyle
) -> str:
    """HTML for the table of section ``number`` (2, 3 or 4) in the report's layout."""
    if number == 2:
        grid = table2_grid(cells, generation)
    elif number == 3:
        grid = table3_grid(cells, generation, style)
    else:
        grid = table4_grid(cells, style)
    if style.layout == "html":
        if style.title_row:
            width = max(sum(c.colspan for c in row) for row in grid)
            grid = [[GridCell(TABLE_TITLES[number], colspan=width)], *grid]
        return "".join(grid_html(part) for part in split_grid(grid, number, style.split))
    if style.layout == "pipe":
        lines = [html.escape(line) for line in grid_pipe_lines(grid)]
        if style.pipe_in_pre:
            return "<pre>" + "\n".join(lines) + "</pre>"
        return "".join(f"<p>{line}</p>" for line in lines)
    blocks = []
    for lines in grid_cell_lines(grid):
        cells_html = "".join(f"<p>\t{html.escape(line)}</p>" for line in lines)
        blocks.append(f'<div class="row">{cells_html}</div><p><br></p>')
    return "".join(blocks)
