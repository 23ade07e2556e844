"""What Heritrix and wget record that a WARC of ours must too (issue 12, item 4): the
address a response came from, the request's own date, and a warcinfo that names the crawl,
its operator, its User-Agent, its robots policy, the host it ran on and the format."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import Crawled
from tests.test_archive_support import T0, exchange, gzip_members, writer


def test_the_request_has_its_own_date_and_both_records_the_address(tmp_path) -> None:
    w = writer(tmp_path)
    sent = T0 - timedelta(milliseconds=250)
    ex = dataclasses.replace(
        exchange("http://x.gov.cn/a", b"<html>a</html>"), request_date=sent, ip_address="10.1.2.3"
    )
    w.write_exchange(ex)
    w.close()
    (path,) = w.paths
    _, request, response = (text for _, _, text in gzip_members(path.read_bytes()))
    assert b"\r\nWARC-Date: 2024-01-02T03:04:04.873456Z\r\n" in request
    assert b"\r\nWARC-Date: 2024-01-02T03:04:05.123456Z\r\n" in response
    assert b"\r\nWARC-IP-Address: 10.1.2.3\r\n" in request
    assert b"\r\nWARC-IP-Address: 10.1.2.3\r\n" in response


def test_without_an_address_or_a_send_time_nothing_is_made_up(tmp_path) -> None:
    w = writer(tmp_path)
    w.write_exchange(exchange("http://x.gov.cn/a", b"<html>a</html>"))
    w.close()
    (path,) = w.paths
    _, request, response = (text for _, _, text in gzip_members(path.read_bytes()))
    assert b"WARC-IP-Address" not in request + response
    assert request.split(b"WARC-Date: ")[1][:27] == response.split(b"WARC-Date: ")[1][:27]


@pytest.mark.crawl
def test_a_crawls_records_carry_the_address_the_send_time_and_a_full_warcinfo(
    crawled: Crawled,
) -> None:
    sent: dict[str, str] = {}
    answered: dict[str, tuple[str, str | None]] = {}
    infos = []
    for path in crawled.warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                head = record.rec_headers
                if record.rec_type == "warcinfo":
                    block = record.content_stream().read().decode()
                    infos.append(dict(line.split(": ", 1) for line in block.splitlines() if line))
                elif record.rec_type == "request":
                    sent[head.get_header("WARC-Concurrent-To")] = head.get_header("WARC-Date")
                elif record.rec_type == "response":
                    answered[head.get_header("WARC-Record-ID")] = (
                        head.get_header("WARC-Date"),
                        head.get_header("WARC-IP-Address"),
                    )
    assert answered and set(sent) == set(answered)
    # the simulated web is served through a loopback proxy: that is where responses came from
    assert {ip for _, ip in answered.values()} == {"127.0.0.1"}
    assert all(sent[rid] <= date for rid, (date, _) in answered.items())
    assert any(sent[rid] < date for rid, (date, _) in answered.items())  # not one date copied
    assert infos
    for info in infos:
        assert info["isPartOf"] == info["crawl-id"]
        assert info["operator"] and info["http-header-user-agent"].startswith("nianbao/")
        assert info["robots"] == "obey" and info["hostname"]
        assert info["conformsTo"].endswith("/warc-1.1/")
