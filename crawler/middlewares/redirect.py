"""Scrapy's redirects, with a record of every redirect that is not followed.

Scrapy's RedirectMiddleware drops three kinds of redirect without a word: a chain longer
than REDIRECT_MAX_TIMES (an IgnoreRequest nobody logs above DEBUG), a redirect to a URL
already in its own chain (a loop: the duplicate filter drops the repeat), and a redirect to
a scheme it does not fetch (``file:``, ``ftp:``: the 3xx answer is passed on as it is).
Each now becomes a fetch-error record in the WARC (so a row of the errors table) naming
what happened; what is followed is unchanged.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from nianbao.crawler import signals

REDIRECTS = frozenset({301, 302, 303, 307, 308})
FOLLOWED_SCHEMES = frozenset({"http", "https"})


class RedirectNotFollowed(Exception):
    """Why a redirect was not followed (the message of its fetch-error record)."""


class RecordedRedirectMiddleware(RedirectMiddleware):
    """RedirectMiddleware that records the redirects it does not follow."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            self._record(
                request,
                f"redirect chain cut after {self.max_redirect_times} hops (REDIRECT_MAX_TIMES) "
                f"at {request.url}",
            )
            raise
        if isinstance(result, Request):
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                self._record(request, f"redirect loop: {request.url} leads back to {result.url}")
                raise IgnoreRequest("redirect loop")
            return result
        location = response.headers.get("Location")
        if response.status in REDIRECTS and location is not None:
            target = urljoin(request.url, location.decode("latin-1"))
            scheme = urlsplit(target).scheme.lower()
            if scheme not in FOLLOWED_SCHEMES:
                self._record(request, f"redirect to {target} not followed (a {scheme}: URL)")
        return result

    def _record(self, request: Request, why: str) -> None:
        self.crawler.signals.send_catch_log(
            signal=signals.redirect_dropped, request=request, exception=RedirectNotFollowed(why)
        )
