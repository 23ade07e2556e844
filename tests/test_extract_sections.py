"""Top-level section headings: short, numbered one by one, never table-3 row labels."""

from __future__ import annotations

from nianbao.extract.script import to_simplified
from nianbao.extract.sections import find_sections


def sections(text: str):
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return find_sections(lines, to_simplified("\n".join(lines)).split("\n"))


def test_table_row_labels_one_cell_per_line_are_not_headings():
    found = sections("""
        一、总体情况
        本年工作。
        二、主动公开政府信息情况
        规章
        三、收到和处理政府信息公开申请情况
        一、本年新收政府信息公开申请数量
        0
        二、上年结转政府信息公开申请数量
        0
        三、本年度办理结果
        （一）予以公开
        四、结转下年度继续办理
        0
        四、政府信息公开行政复议、行政诉讼情况
        行政复议
        五、存在的主要问题及改进情况
        一是公开意识不足。
        六、其他需要报告的事项
        无。
    """)
    assert [s.heading for s in found] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert "四、结转下年度继续办理" in found[2].text
    assert found[5].text == "无。"


def test_pipe_rows_are_not_headings():
    found = sections("""
        一、总体情况
        x
        二、主动公开政府信息情况
        | 一、本年新收政府信息公开申请数量 | 0 | 0 |
        三、收到和处理政府信息公开申请情况
    """)
    assert [s.number for s in found] == [1, 2, 3]


def test_sub_headings_and_long_lines_are_not_top_level():
    found = sections("""
        一、高度重视、规范管理
        （一）认真编制政府信息公开目录和公开指南
        二、加强研究,高效开展工作
        三、在全年工作中我们积极推进政府信息公开工作深入开展，取得了明显成效，得到了群众好评。
        四、积极推进工作深入开展
    """)
    assert [s.heading for s in found] == ["一、高度重视、规范管理", "二、加强研究,高效开展工作"]
    assert "三、在全年工作中" in found[1].text


def test_numbers_must_increase_one_by_one():
    found = sections("""
        一、总体情况
        a
        三、收到和处理政府信息公开申请情况
        b
        二、主动公开政府信息情况
        c
    """)
    assert [s.number for s in found] == [1, 2]
    assert "三、收到和处理" in found[0].text


def test_single_numbered_line_is_not_a_section_structure():
    assert sections("一、总体情况\n正文。") == ()


def test_traditional_headings_kept_as_printed():
    found = sections("一、總體情況\n甲\n二、主動公開政府資訊情況\n乙")
    assert [s.heading for s in found] == ["一、總體情況", "二、主動公開政府資訊情況"]
    assert [s.text for s in found] == ["甲", "乙"]
