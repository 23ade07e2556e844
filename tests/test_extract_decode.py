"""Charset detection: the declared charset is believed only when the bytes agree."""

from __future__ import annotations

import codecs

import pytest

from nianbao.extract import extract_report
from nianbao.extract.decode import MAX_BODY_BYTES, decode_page
from nianbao.extract.errors import ExtractError

TEXT = "北京市大兴区商务局2020年政府信息公开工作年度报告。全年未收到依申请公开件，全年未涉诉。"
PAGE = f"<html><head><title>大兴</title></head><body><p>{TEXT}</p></body></html>"


def test_gbk_bytes_labelled_utf8_without_meta():
    page = decode_page({"content-type": "text/html; charset=utf-8"}, PAGE.encode("gbk"))
    assert page.charset == "gbk"
    assert TEXT in page.text


def test_gbk_bytes_without_any_charset():
    page = decode_page({"content-type": "text/html"}, PAGE.encode("gbk"))
    assert page.charset in ("gbk", "gb18030")
    assert TEXT in page.text


def test_gb2312_meta_with_characters_outside_gb2312():
    # 镕 and 堃 are not in GB2312 but are in GBK; pages labelled gb2312 use them anyway.
    text = "朱镕基 王堃 政府信息公开"
    markup = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"</head><body>{text}</body></html>"
    )
    page = decode_page({}, markup.encode("gbk"))
    assert text in page.text
    assert page.charset == "gbk"


def test_meta_charset_used_when_header_silent():
    markup = '<html><head><meta charset="big5"></head><body>政府資訊公開</body></html>'
    page = decode_page({"content-type": "text/html"}, markup.encode("big5"))
    assert "政府資訊公開" in page.text
    assert page.charset in ("big5", "cp950", "big5hkscs")


def test_latin1_label_is_not_trusted_for_chinese_bytes():
    page = decode_page({"content-type": "text/html; charset=ISO-8859-1"}, PAGE.encode("gbk"))
    assert TEXT in page.text


def test_utf8_bom_wins_and_is_removed():
    page = decode_page({}, codecs.BOM_UTF8 + PAGE.encode("utf-8"))
    assert page.charset == "utf-8"
    assert page.text.startswith("<html>")


def test_utf8_declared_and_true():
    page = decode_page({"content-type": "text/html; charset=UTF-8"}, PAGE.encode("utf-8"))
    assert page.charset == "utf-8"
    assert TEXT in page.text


def test_bytes_no_charset_decodes_are_a_decode_error():
    with pytest.raises(ExtractError) as caught:
        decode_page({}, b"\xff\xff\x80\x80" * 10)
    assert caught.value.stage == "decode"


def test_oversized_body_is_refused():
    with pytest.raises(ExtractError) as caught:
        decode_page({}, b" " * (MAX_BODY_BYTES + 1))
    assert caught.value.stage == "size"


def test_gbk_report_page_extracts_with_wrong_header():
    # long enough to be a report: a page too short is "not a report" and keeps no notes
    headings = ("一、总体情况", "二、主动公开政府信息情况", "三、存在的主要问题")
    paragraphs = "".join(f"<h2>{heading}</h2><p>{TEXT}</p>" for heading in headings)
    title = "北京市大兴区商务局2020年政府信息公开工作年度报告"
    body = (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{paragraphs}</body></html>"
    ).encode("gbk")
    report = extract_report(
        "http://x.gov.cn/a.html", {"content-type": "text/html; charset=utf-8"}, body
    )
    assert report.is_report
    assert report.charset == "gbk"
    assert TEXT in report.text
    assert "declared charset utf-8 but decoded as gbk" in report.notes


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"content-type": "application/pdf"}, b"%PDF-1.4 ..."),
        ({}, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"),
        ({"content-type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        ({}, b"PK\x03\x04\x14\x00\x06\x00"),
    ],
)
def test_not_html_is_an_extract_error(headers, body):
    with pytest.raises(ExtractError) as caught:
        extract_report("http://x.gov.cn/a", headers, body)
    assert caught.value.stage == "type"


def test_the_http_header_charset_wins_over_a_stale_meta():
    # a page re-saved as UTF-8 that still carries its old GBK <meta>: the header is right
    # 年度报告's UTF-8 bytes also decode strictly as GBK (骞村害鎶ュ憡): only the order decides
    words = "年度报告"
    assert words.encode("utf-8").decode("gbk") != words
    body = f'<html><head><meta charset="gbk"></head><body><p>{words}</p></body></html>'
    page = decode_page({"content-type": "text/html; charset=utf-8"}, body.encode("utf-8"))
    assert page.charset == "utf-8"
    assert words in page.text


def _every_codec_label() -> list[str]:
    import encodings.aliases

    return sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()))


def test_any_codec_a_page_names_is_safe():
    # punycode raised UnicodeError out of extract_report (583 times in a property run);
    # whatever a header or a <meta> names, the page is read or is one ExtractError
    bodies = [PAGE.encode("utf-8"), PAGE.encode("gbk"), b"<html>+AGEA- \\u4e2d xn--p \xff</html>"]
    for label in [*_every_codec_label(), "punycode", "idna", "undefined", "utf-7", "rot13"]:
        for body in bodies:
            for headers, page in (
                ({"content-type": f"text/html; charset={label}"}, body),
                ({"content-type": "text/html"}, f"<meta charset={label}>".encode() + body),
            ):
                try:
                    report = extract_report("http://x.gov.cn/a.html", headers, page)
                except ExtractError:
                    continue  # one recorded error for the item: what ingest expects
                assert report.charset not in {"punycode", "idna", "undefined", "utf-7"}, label


def test_utf7_and_escapes_are_not_a_pages_charset():
    body = b"<html><body><p>+ZeVnLA- \\u4e2d</p></body></html>"  # "+ZeVnLA-" is 日本 in UTF-7
    for label in ("utf-7", "unicode_escape", "raw_unicode_escape", "punycode"):
        page = decode_page({"content-type": f"text/html; charset={label}"}, body)
        assert page.charset == "utf-8" and "日本" not in page.text and "中" not in page.text
