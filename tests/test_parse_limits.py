"""The HTML parser's limits cost no text silently: a huge text node, markup nested past
libxml2's 256 (and, under ``huge_tree``, 2,048) levels. The text is recovered where another
parse can, and what was done is an errors row of stage 'parse', report or not."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from nianbao.archive import Store, ingest_capture, iter_captures
from nianbao.extract import Report, extract_report
from nianbao.extract.dom import flattened, parse_page
from tests.test_archive_support import build_archive
from tests.test_hostile_text import finishes

# a real report page (198 cells of its tables read), copied from the brief's
# shared/real/pages on 2026-12-08 so a checkout without shared/ beside it runs this too
PAGE = Path(__file__).parent / "data" / "pingtan_2019_report_80576.html"
PAGE_SHA256 = "19b2317941a2aada38283a45ef7ee8d900123ec8de6d8d5930ce8135edb3d03d"
URL = "http://www.pingtan.gov.cn/zwgk/a.html"
HEADERS = {"content-type": "text/html; charset=utf-8"}


def real_page() -> str:
    data = PAGE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == PAGE_SHA256, "the copy drifted from the brief's"
    return data.decode("utf-8")


def nested(page: str, depth: int) -> str:
    """``page`` with its body wrapped in ``depth`` nested ``<div>``."""
    start = page.index(">", page.index("<body")) + 1
    end = page.rindex("</body>")
    return page[:start] + "<div>" * depth + page[start:end] + "</div>" * depth + page[end:]


def test_a_text_node_over_ten_megabytes_is_kept_whole() -> None:
    page = real_page()
    rng = random.Random(16)
    words = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(4_000_000))  # 12 MB
    at = page.index("总体情况") + len("总体情况")
    big = (page[:at] + words + page[at:]).replace("\n", " ")  # one line, as the case was
    report = extract_report(URL, HEADERS, big.encode("utf-8"))
    assert report.is_report and words in report.text
    assert report.losses == ()


def test_three_hundred_nested_divs_lose_nothing() -> None:
    plain = extract_report(URL, HEADERS, real_page().encode("utf-8"))
    deep = extract_report(URL, HEADERS, nested(real_page(), 300).encode("utf-8"))
    assert deep.is_report and deep.text == plain.text
    assert deep.tables is not None and plain.tables is not None
    assert deep.tables.cells == plain.tables.cells and deep.losses == ()


def test_nesting_past_the_parsers_limit_is_flattened_and_recorded() -> None:
    plain = extract_report(URL, HEADERS, real_page().encode("utf-8"))
    body = nested(real_page(), 100_000).encode("utf-8")
    finishes(lambda: extract_report(URL, HEADERS, body))  # 100,000 levels in bounded time
    deep = extract_report(URL, HEADERS, body)
    assert deep.is_report and deep.year == plain.year and deep.agency == plain.agency
    assert deep.tables is not None and plain.tables is not None
    assert deep.tables.cells == plain.tables.cells
    [loss] = deep.losses
    assert "nested deeper than 2048 levels" in loss and "wrapper elements" in loss
    assert loss in deep.notes


def test_deep_nesting_of_elements_that_are_not_wrappers_is_read_as_lines() -> None:
    page = "<html><body>" + "<table><tr><td>" * 5000 + "<p>深处的文字</p></body></html>"
    parsed = parse_page(page)
    assert parsed.root is not None and "深处的文字" in "".join(parsed.root.itertext())
    assert parsed.loss is not None and "as plain lines" in parsed.loss


def test_flattening_keeps_text_and_one_break_for_a_run_of_blocks() -> None:
    assert (
        flattened("<div><div><span>甲</span></div></div><p>乙</p>", None) == "<br>甲<br><p>乙</p>"
    )


def test_a_loss_is_an_errors_row_even_for_a_page_that_is_no_report(tmp_path) -> None:
    paths, _ = build_archive(tmp_path / "warc")

    def lossy(url: str, headers: object, body: bytes) -> Report:
        return Report(url, is_report=False, losses=("markup nested deeper than 2048 levels",))

    with Store(tmp_path / "db.sqlite") as store:
        for path in paths:
            for capture in iter_captures(path):
                ingest_capture(store, capture, extractor=lossy)
        rows = [e for e in store.db.table("errors").rows if e["stage"] == "parse"]
        assert rows and all(e["message"] == "markup nested deeper than 2048 levels" for e in rows)
