"""bench/real_listing.check_listing on a stand-in for ../shared/real, written here by hand.

CI runs the check on the real page (bench/real.py); these tests only show that it reports a
difference when there is one, without reading ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.real_listing import LISTING, check_listing

URL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
HREFS = {  # typed from the real page, not from bench/real_listing.py
    2025: ("./202603/t20260313_105587.htm", "2026-03-10"),
    2024: ("./202503/t20250310_97791.htm", "2025-03-10"),
    2023: ("./202403/t20240308_87885.htm", "2024-03-08"),
    2022: ("./202302/t20230220_80629.htm", "2023-02-20"),
    2021: ("./202202/t20220208_80613.htm", "2022-02-08"),
    2020: ("./202103/t20210305_80595.htm", "2021-03-05"),
    2019: ("./202001/t20200120_80576.htm", "2020-01-20"),
    2018: ("./201901/t20190110_80529.htm", "2019-01-10"),
    2017: ("./201801/t20180123_80506.htm", "2018-01-23"),
    2016: ("./201701/t20170118_80485.htm", "2017-01-18"),
}
SCRIPT = """<script>
var SiteInfo = {
    searchId: 200210, //默认的文档检索频道的ID
};
</script>
<script>
    require(["list2.trsapi", "tools"], function(listModel, tools) {
        listModel({
            quickMode: "动静结合",
            maxStaticIndex: 1,
            listArgs: {
                channelid: SiteInfo.searchId,
                classsql: "" || "chnlid=1813",
                sortfield: "-docorderpri,-docreltime"
            },
            pagebar: {
                prepage: 10,
                recordCount: '20',
                pgTemp: "pgBar_xxgk.html",
                pgCountMode: "recordCount",
                displayNum: 2
            }
        });
    });
</script>"""


def stand_in(
    tmp_path: Path, years: dict[int, tuple[str, str]] = HREFS, script: str = SCRIPT
) -> Path:
    rows = "".join(
        f'<dl><dd><a href="{href}" target="_blank" title="平潭综合实验区{year}年度政府信息公开工作'
        f'年度报告">平潭综合实验区{year}年度政府信息公开工作年度报告</a></dd><dd>{date}</dd></dl>'
        for year, (href, date) in years.items()
    )
    page = (
        '<html><body><div class="tabs info_tabs" ms-controller="list">'
        f'<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">{rows}</div>'
        '<dl ms-repeat="list"><dd><a ms-attr-href="el.chnldocurl"></a></dd></dl>'
        f"</div>{script}</body></html>"
    )
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / LISTING).write_text(page, encoding="utf-8")
    notes = ", ".join(f"{y}年度 {d}" for y, (_, d) in HREFS.items())
    entries = {
        LISTING: {"url": URL, "kind": "listing", "notes": f"ten static <dl> items: {notes}."},
        "pingtan_2019_report_80576.html": {
            "url": URL + "202001/t20200120_80576.htm",
            "kind": "report",
            "year": 2019,
        },
    }
    (tmp_path / "pages.json").write_text(json.dumps(entries, ensure_ascii=False), "utf-8")
    return tmp_path


def test_the_real_shape_has_no_differences(tmp_path: Path) -> None:
    assert check_listing(stand_in(tmp_path)) == []


def test_a_missing_link_is_one_line_per_finder(tmp_path: Path) -> None:
    fewer = {y: h for y, h in HREFS.items() if y != 2019}
    got = check_listing(stand_in(tmp_path, fewer))
    link = URL + "202001/t20200120_80576.htm"
    assert got == [
        f"trsapi pager: missing the 2019年度 report link {link}",
        f"generic links: missing the 2019年度 report link {link}",
    ]


def test_a_changed_channel_or_count_is_reported(tmp_path: Path) -> None:
    script = SCRIPT.replace('"chnlid=1813"', '"chnlid=9"').replace("'20'", "'30'")
    got = check_listing(stand_in(tmp_path, script=script))
    assert any("classsql='chnlid=9'" in line for line in got)
    assert any("pages [2, 3], not [2]" in line for line in got)


def test_an_unrecognised_page_and_a_missing_folder(tmp_path: Path) -> None:
    got = check_listing(stand_in(tmp_path, script=""))
    assert "trsapi pager: does not recognise the listing page" in got
    assert check_listing(tmp_path / "nowhere")[0].startswith("listing: ")
