"""Route every request, robots.txt included, through one HTTP proxy (the simulated web)."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class FixedProxyMiddleware:
    """Sets ``meta['proxy']`` from the NIANBAO_PROXY setting on every request.

    Scrapy's own HttpProxyMiddleware reads the proxy from meta or the environment; the
    environment is process-wide state, and robots.txt requests carry no meta of ours, so
    this middleware (placed before HttpProxyMiddleware) sets it for each request.
    """

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FixedProxyMiddleware:
        proxy = crawler.settings.get("NIANBAO_PROXY")
        if not proxy:
            raise NotConfigured("NIANBAO_PROXY is not set")
        return cls(proxy)

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("proxy", self.proxy)
