"""Politeness defaults, the User-Agent's contact, and Retry-After holding a host's slot."""

from __future__ import annotations

import random
import tomllib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.utils.test import get_crawler

from nianbao.crawler.middlewares.retry_after import RetryAfterMiddleware, parse_retry_after
from nianbao.crawler.run import CrawlConfig, build_settings

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def crawl_settings(**config: object) -> Settings:
    return build_settings(CrawlConfig(out=Path("unused"), portals=(), **config), "crawl-id")


def test_polite_defaults() -> None:
    settings = crawl_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY_JITTER") == 0.5  # randomised ±50%
    assert settings.getfloat("NIANBAO_RETRY_AFTER_MAX") == 600
    order = settings.getdict("DOWNLOADER_MIDDLEWARES")
    # between RetryMiddleware (550) and the downloader: it sees 429/503 before the retry
    assert 550 < order["nianbao.crawler.middlewares.retry_after.RetryAfterMiddleware"] < 950


def test_user_agent_names_version_and_contact() -> None:
    version = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    default = crawl_settings()
    assert default.get("USER_AGENT").startswith(
        f"nianbao/{version} (+https://github.com/nianbao/nianbao; "
    )
    assert default.get("NIANBAO_CONTACT") == "https://github.com/nianbao/nianbao"
    mine = crawl_settings(contact="https://example.org/crawl-info")
    assert mine.get("USER_AGENT").startswith(
        f"nianbao/{version} (+https://example.org/crawl-info; "
    )
    assert mine.get("NIANBAO_CONTACT") == "https://example.org/crawl-info"


def test_loopback_stays_fast() -> None:
    settings = crawl_settings(loopback=True)
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert not settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 16


def test_jitter_uses_the_current_setting_not_the_deprecated_one() -> None:
    # Scrapy 2.19 warns when RANDOMIZE_DOWNLOAD_DELAY is set above its default priority.
    settings = crawl_settings()
    assert settings.getpriority("RANDOMIZE_DOWNLOAD_DELAY") == SETTINGS_PRIORITIES["default"]
    assert settings.getpriority("DOWNLOAD_DELAY_JITTER") > SETTINGS_PRIORITIES["default"]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),  # IMF-fixdate
        ("Sunday, 01-Mar-26 12:05:00 GMT", 300.0),  # RFC 850
        ("Sun Mar  1 12:00:30 2026", 30.0),  # asctime
        (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),  # already past
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("", None),
    ],
)
def test_parse_retry_after(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def middleware(slot: Slot, clock_now: float = 1000.0, **settings: object) -> RetryAfterMiddleware:
    """The middleware on a real crawler whose engine holds one real download slot."""
    crawler = get_crawler(settings_dict={"NIANBAO_RETRY_AFTER_MAX": 600, **settings})
    crawler.stats.open_spider()
    crawler.engine = SimpleNamespace(
        downloader=SimpleNamespace(
            DOWNLOAD_SLOT=Downloader.DOWNLOAD_SLOT, slots={"www.mva.gov.cn": slot}
        )
    )
    mw = RetryAfterMiddleware.from_crawler(crawler)
    mw.clock = lambda: NOW
    mw.monotonic = lambda: clock_now
    return mw


def answer(status: int, retry_after: str | None) -> tuple[Request, Response]:
    request = Request(
        "https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/",
        meta={Downloader.DOWNLOAD_SLOT: "www.mva.gov.cn"},
    )
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, Response(request.url, status=status, headers=headers, request=request)


def next_start(slot: Slot, now: float) -> float:
    """Seconds until the downloader would start the slot's next request (its own formula)."""
    return max(0.0, slot.download_delay() - now + slot.lastseen)


@pytest.mark.parametrize(
    ("status", "header", "wait"),
    [
        (503, "30", 30.0),
        (429, format_datetime(NOW + timedelta(seconds=45), usegmt=True), 45.0),
        (503, "86400", 600.0),  # capped
    ],
)
def test_retry_after_holds_the_hosts_slot(status: int, header: str, wait: float) -> None:
    slot = Slot(2, 1.0, 0.5)
    slot.lastseen = 999.0
    mw = middleware(slot)
    request, response = answer(status, header)
    assert mw.process_response(request, response) is response
    assert slot.delay == wait
    random.seed(7)  # the jitter is random: the hold must outlast every draw
    assert min(next_start(slot, 1000.0) for _ in range(2000)) >= wait - 1e-9
    assert mw.crawler.stats.get_value("nianbao/retry_after_holds") == 1


@pytest.mark.parametrize(
    ("status", "header"), [(200, "30"), (404, "30"), (503, None), (503, "whenever")]
)
def test_other_answers_leave_the_slot_alone(status: int, header: str | None) -> None:
    slot = Slot(2, 1.0, 0.5)
    slot.lastseen = 999.0
    mw = middleware(slot)
    mw.process_response(*answer(status, header))
    assert (slot.delay, slot.lastseen) == (1.0, 999.0)


def test_retry_after_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        RetryAfterMiddleware.from_crawler(get_crawler(settings_dict={"NIANBAO_RETRY_AFTER_MAX": 0}))
