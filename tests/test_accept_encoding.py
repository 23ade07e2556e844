"""The crawl asks servers only for the content codings the archive can decode again (issue
12: every request asked for zstd, and zstd bodies were archived but never extracted)."""

from __future__ import annotations

import gzip
import importlib.util
import zlib

import pytest

from nianbao.archive import iter_captures
from nianbao.archive.warc.payload import PayloadError, decodable_codings, decode_payload
from nianbao.crawler import settings
from tests.conftest import Crawled

BODY = "<html><body>政府信息公开工作年度报告</body></html>".encode() * 50


def encoded(coding: str) -> bytes:
    """BODY compressed the way a server sends ``coding``, with the module that makes it."""
    if coding == "gzip":
        return gzip.compress(BODY)
    if coding == "deflate":
        return zlib.compress(BODY)
    if coding == "br":
        import brotli

        return brotli.compress(BODY)
    raise AssertionError(f"no encoder for {coding}")


def test_the_crawl_asks_for_exactly_what_decodes() -> None:
    asked = settings.DEFAULT_REQUEST_HEADERS["Accept-Encoding"].split(", ")
    assert asked == list(decodable_codings())
    assert {"gzip", "deflate"} <= set(asked)
    assert "zstd" not in asked  # Scrapy asks for it by default; nothing here decodes it
    assert ("br" in asked) == (importlib.util.find_spec("brotli") is not None)


@pytest.mark.parametrize("coding", decodable_codings())
def test_every_coding_asked_for_decodes(coding: str) -> None:
    assert decode_payload(encoded(coding), coding, None) == BODY


def test_a_coding_not_asked_for_is_a_clear_error() -> None:
    with pytest.raises(PayloadError, match="unsupported Content-Encoding 'zstd'"):
        decode_payload(b"\x28\xb5\x2f\xfd", "zstd", None)  # sent unasked: recorded, read on
    with pytest.raises(PayloadError, match="unsupported Content-Encoding 'compress'"):
        decode_payload(b"x", "compress", None)


@pytest.mark.crawl
def test_every_archived_request_asked_for_what_decodes(crawled: Crawled) -> None:
    asked = [
        dict((k.lower(), v) for k, v in c.http_headers).get("accept-encoding")
        for path in crawled.warcs
        for c in iter_captures(path)
        if c.record_type == "request"
    ]
    assert asked and set(asked) == {", ".join(decodable_codings())}
