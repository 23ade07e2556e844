"""A stuffed header in the page's head (extract/spam_head.py), with words no lexicon lists.

HEADER is tests/test_spam_structure.py's stuffed line (checked there against the lexicon
and simweb's held-out words); the page is seed 004's with its brand put back.
"""

from __future__ import annotations

import html

import pytest

from nianbao.extract import extract_report
from tests.test_extract import fetch, seed_004_page
from tests.test_spam_structure import HEADER, SEED_BRAND

TITLE = "门头沟区商务局政府信息公开工作总结"
KEYWORDS = HEADER.replace("_", ",")


def clean() -> str:
    return seed_004_page().replace(SEED_BRAND, "门头沟区")


def extract(markup: str):
    return extract_report("http://mirror.example.net/zwgk/d.html", *fetch(markup))


def meta(name: str, content: str) -> str:
    return f'<head><meta name="{name}" content="{html.escape(content)}">'


def found(report) -> list[tuple[str, str, str]]:
    return [(f.kind, f.place, f.injected) for f in report.spam]


@pytest.mark.parametrize("joint", ["_", " | ", ""])
def test_a_stuffed_run_before_the_titles_text(joint: str) -> None:
    report = extract(clean().replace("<title>", f"<title>{HEADER}{joint}", 1))
    assert found(report) == [("stuffed_header", "title", HEADER)]
    assert report.title == TITLE and report.text == extract(clean()).text
    assert report.spam_score > 0.5


def test_a_stuffed_run_after_the_titles_text() -> None:
    report = extract(clean().replace("</title>", f" - {HEADER}</title>", 1))
    assert found(report) == [("stuffed_header", "title", HEADER)]


def test_the_same_line_in_the_title_and_above_the_body_title_is_found_in_both() -> None:
    markup = clean().replace("<title>", f"<title>{HEADER}_", 1)
    markup = markup.replace("<h1>", f"<p>{html.escape(HEADER)}</p>\n<h1>", 1)
    assert sorted(found(extract(markup))) == [
        ("stuffed_header", "text", HEADER),
        ("stuffed_header", "title", HEADER),
    ]


@pytest.mark.parametrize("name", ["keywords", "KeyWords", "description"])
def test_stuffed_keywords_or_description(name: str) -> None:
    report = extract(clean().replace("<head>", meta(name, KEYWORDS), 1))
    assert found(report) == [("stuffed_header", name.lower(), KEYWORDS)]
    assert report.title == TITLE


@pytest.mark.parametrize(
    "head",
    [
        meta("keywords", "门头沟区,商务局,政府信息公开,工作总结"),
        meta("description", "门头沟区商务局2008年政府信息公开工作总结。"),
        meta("description", "《中华人民共和国政府信息公开条例》于今年5月1日起正式施行"),
    ],
)
def test_keywords_and_descriptions_in_the_reports_own_words_are_no_spam(head: str) -> None:
    assert found(extract(clean().replace("<head>", head, 1))) == []


def test_site_and_column_names_after_the_title_are_no_spam() -> None:
    suffix = "_政府信息公开年报_门头沟区人民政府_北京市门头沟区商务局"
    assert found(extract(clean().replace("</title>", f"{suffix}</title>", 1))) == []
