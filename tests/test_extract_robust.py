"""Bad input yields ExtractError or a non-report, never another exception."""

from __future__ import annotations

import random

import pytest

from nianbao.extract import extract_report
from nianbao.extract.errors import ExtractError

HTML = {"content-type": "text/html"}


def _outcome(body: bytes, headers: dict[str, str] | None = None):
    try:
        return extract_report("http://x.gov.cn/a.html", headers or HTML, body)
    except ExtractError as error:
        return error


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n\t ",
        b"<html>",
        b"<html><body><p>unclosed <div><span>",
        b"<?xml version='1.0' encoding='utf-8'?><html><body>x</body></html>",
        b"<html><body>\x00\x01\x02 nul bytes</body></html>",
        b"<" * 5000,
        b"<div>" * 3000 + "政府信息公开工作年度报告".encode() + b"</div>" * 10,
        "<html><head><title>2019年政府信息公开工作年度报告</title></head><body>".encode(),
        "<title>2019年政府信息公开工作年度报告</title><table><tr><td>一、总体情况".encode(),
        b"\xff\xfe\x00\x00garbage",
        b"<!-- only a comment -->",
        b"<![CDATA[ x ]]>",
    ],
)
def test_broken_html_never_raises_other_errors(body):
    outcome = _outcome(body)
    assert isinstance(outcome, ExtractError) or outcome.is_report is False


def test_binary_garbage():
    rng = random.Random(7)
    for _ in range(20):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000)))
        outcome = _outcome(body)
        assert isinstance(outcome, ExtractError) or outcome.is_report is False


def test_truncated_report_page():
    paragraph = "<p>本机关认真落实《中华人民共和国政府信息公开条例》，主动公开政府信息。</p>" * 20
    markup = (
        "<html><head><title>某某区商务局2019年政府信息公开工作年度报告</title></head><body>"
        "<p>一、总体情况</p>" + paragraph + "<p>二、主动公开政府信息情况</p>" + paragraph
    ).encode("utf-8")
    for cut in (10, 100, 500, len(markup) // 2, len(markup) - 3):
        outcome = _outcome(markup[:cut])  # any exception but ExtractError fails the test
        if not isinstance(outcome, ExtractError):
            assert outcome.url == "http://x.gov.cn/a.html"
            assert outcome.is_report is False or outcome.sections


def test_empty_body_is_not_a_report():
    outcome = _outcome(b"")
    assert not isinstance(outcome, ExtractError)
    assert outcome.is_report is False
