"""Shared helpers for the archive tests: fixed clocks, ids, exchanges and a fake extractor."""

from __future__ import annotations

import gzip
import itertools
import re
import zlib
from datetime import UTC, datetime
from pathlib import Path

from nianbao.archive import Exchange, WarcWriter
from nianbao.extract.errors import ExtractError
from nianbao.extract.report import Report, Section

T0 = datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def fixed_clock() -> datetime:
    return datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def counting_ids(start: int = 1):
    counter = itertools.count(start)
    return lambda: f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>"


def writer(directory: Path, prefix: str = "test", **kwargs) -> WarcWriter:
    kwargs.setdefault("clock", fixed_clock)
    kwargs.setdefault("software", "nianbao/0.1.0")  # fixed: byte-exact output outlives releases
    kwargs.setdefault("id_factory", counting_ids())
    kwargs.setdefault("warcinfo", {"crawl-id": "crawl-1", "operator": "tests"})
    return WarcWriter(directory, prefix, **kwargs)


def html_page(title: str, year: int, sections: list[str]) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in sections)
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


def exchange(
    url: str,
    body: bytes,
    *,
    when: datetime = T0,
    status: int = 200,
    gzip_body: bool = False,
    content_type: str = "text/html; charset=utf-8",
    extra_headers: list[tuple[str, str]] | None = None,
) -> Exchange:
    headers = [("Content-Type", content_type)] + (extra_headers or [])
    if gzip_body:
        body = gzip.compress(body, mtime=0)
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(body))))
    return Exchange(
        url=url,
        method="GET",
        request_headers=[("User-Agent", "nianbao-test"), ("Accept-Encoding", "gzip")],
        request_body=b"",
        status=status,
        response_headers=headers,
        body=body,
        date=when,
    )


def fake_extract(url: str, headers, body: bytes) -> Report:
    """A tiny deterministic extractor: a report is a page whose title has 年度报告."""
    text = body.decode("utf-8")
    if "BROKEN" in text:
        raise ExtractError("decode", "page marked BROKEN")
    title = re.search(r"<title>(.*?)</title>", text)
    title_text = title.group(1) if title else ""
    if "年度报告" not in title_text:
        return Report(url=url, is_report=False)
    year = re.search(r"(\d{4})年", title_text)
    paragraphs = re.findall(r"<p>(.*?)</p>", text)
    return Report(
        url=url,
        is_report=True,
        title=title_text,
        agency=title_text.split("20")[0],
        year=int(year.group(1)) if year else None,
        text="\n".join(paragraphs),
        sections=tuple(Section(i, p[:6], p) for i, p in enumerate(paragraphs, 1)),
        charset=headers.get("content-type", "").partition("charset=")[2] or "utf-8",
    )


def gzip_members(data: bytes) -> list[tuple[int, int, bytes]]:
    """Split a file into (offset, length, decompressed bytes) per gzip member, independently."""
    members, offset = [], 0
    while offset < len(data):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        out = inflater.decompress(data[offset:])
        assert inflater.eof, "member not complete"
        length = len(data) - offset - len(inflater.unused_data)
        members.append((offset, length, out))
        offset += length
    return members


REPORT_TITLE = "北京市财政局2023年度报告"


def build_archive(directory: Path, prefix: str = "crawl", max_bytes: int = 6000, first_id: int = 1):
    """Write a small varied archive; returns (writer paths, [(path, ref) in write order])."""
    from datetime import timedelta

    w = writer(directory, prefix, max_bytes=max_bytes, id_factory=counting_ids(first_id))
    later = T0 + timedelta(hours=1)
    report = html_page(REPORT_TITLE, 2023, ["一、总体情况 本年度", "二、主动公开 规章3件"])
    other = html_page("北京市民政局2022年度报告", 2022, ["一、总体情况 民政"])
    # the same page fetched twice: the later fetch is written FIRST
    w.write_exchange(exchange("http://czj.beijing.gov.cn/nb/2023.html", report, when=later))
    w.write_exchange(exchange("http://czj.beijing.gov.cn/nb/2023.html", report, gzip_body=True))
    w.write_exchange(exchange("http://mzj.beijing.gov.cn/nb/2022.html", other, gzip_body=True))
    w.write_exchange(
        exchange("http://www.beijing.gov.cn/news/1.html", html_page("新闻", 0, ["今天开会"]))
    )
    w.write_exchange(
        exchange("http://www.beijing.gov.cn/broken.html", html_page("BROKEN 页面", 0, ["x"]))
    )
    w.write_exchange(
        exchange("http://www.beijing.gov.cn/missing.html", b"<html>404</html>", status=404)
    )
    w.write_exchange(
        exchange("http://www.beijing.gov.cn/a.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    )
    w.write_exchange(
        exchange("http://www.beijing.gov.cn/vague", other, content_type="application/octet-stream")
    )
    w.write_exchange(
        exchange(
            "http://www.beijing.gov.cn/badgzip",
            gzip.compress(b"<html>x</html>")[:-8],  # gzip cut short: a record error
            extra_headers=[("Content-Encoding", "gzip")],
        )
    )
    w.write_fetch_error("http://www.beijing.gov.cn/slow", "TimeoutError: 180 s", T0)
    written = [(r.path, r.ref) for r in w.drain()]
    w.close()
    return w.paths, written
