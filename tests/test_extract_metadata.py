"""Metadata rules: region prefix, report year, dates, document numbers, script."""

from __future__ import annotations

import pytest

from nianbao.extract.dates import iso_date
from nianbao.extract.metadata import (
    agency_from_title,
    clean_doc_no,
    clean_index_no,
    generation,
    region_of,
    report_year,
)
from nianbao.extract.script import detect_script


@pytest.mark.parametrize(
    ("agency", "region"),
    [
        ("北京市城市管理委员会", "北京市"),
        ("北京市城市管理委員會", "北京市"),
        ("北京市大兴区商务局", "北京市大兴区"),
        ("朝阳市商务局", "朝阳市"),
        ("北京市市场监督管理局", "北京市"),
        ("北京市朝阳区城市管理委员会", "北京市朝阳区"),
        ("辽宁省朝阳市商务局", "辽宁省朝阳市"),
        ("内蒙古自治区呼和浩特市新城区民政局", "内蒙古自治区呼和浩特市新城区"),
        ("门头沟区商务局", "门头沟区"),
        ("北京市商务局", "北京市"),
        ("国务院办公厅", None),
        ("市商务局", None),
        ("滚球体育app_188篮球比分-直播|官网:商务局", None),
        (None, None),
    ],
)
def test_region_is_the_administrative_prefix(agency, region):
    assert region_of(agency) == region


@pytest.mark.parametrize(
    ("title", "published", "doc_no", "year"),
    [
        ("北京市商务局2019年政府信息公开工作年度报告", "2020-01-22", None, 2019),
        ("商务局政府信息公开工作总结", "2008-12-26", "门商字〔2008〕71号", 2008),
        ("商务局政府信息公开工作年度报告", "2010-03-31", None, 2009),
        ("商务局政府信息公开工作总结", None, "门商字〔2008〕71号", 2008),
        ("二〇〇九年政府信息公开工作年度报告", None, None, 2009),
        ("政府信息公开工作年度报告", None, None, None),
    ],
)
def test_report_year(title, published, doc_no, year):
    assert report_year(title, published, doc_no) == year


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2008-12-26 00:00", "2008-12-26"),
        ("2020年1月2日", "2020-01-02"),
        ("发布日期：2019/05/15", "2019-05-15"),
        ("2019.13.01", None),
        ("无", None),
        (None, None),
    ],
)
def test_iso_date(text, iso):
    assert iso_date(text) == iso


def test_document_numbers():
    assert clean_index_no(" 11J025/ZK-2008-000368 ") == "11J025/ZK-2008-000368"
    assert clean_doc_no("门商字〔2008〕71号") == "门商字〔2008〕71号"
    assert clean_doc_no("无") is None


def test_agency_from_title():
    assert agency_from_title("朝阳市商务局2019年政府信息公开工作年度报告") == "朝阳市商务局"
    assert agency_from_title("北京市商務局2019年政府信息公開工作年度報告") == "北京市商務局"
    assert agency_from_title("2019年政府信息公开工作年度报告") is None


def test_generation_from_content_then_year():
    assert generation("第二十条第（一）项 信息内容 本年制发件数 本年废止件数", 2022) == "2021"
    assert generation("信息内容 本年新制作数量 本年新公开数量", 2020) == "2019"
    assert generation("只有文字", 2008) == "prose"
    assert generation("只有文字", 2020) == "2019"
    assert generation("只有文字", 2023) == "2021"


def test_script_detection():
    assert detect_script("北京市商務局2019年政府信息公開工作年度報告，依據條例製作。") == "Hant"
    assert detect_script("北京市商务局2019年政府信息公开工作年度报告，依据条例制作。") == "Hans"
    assert detect_script("2019") == "Hans"
