"""Signals nianbao's Scrapy components send one another."""

# Sent by WarcArchiveMiddleware after records reach a WARC file, with ``records`` (a list
# of archive.exchange.WrittenRecord, in file order) — receivers read them back from disk.
records_archived = object()


# Sent by PortalSpider for a link whose href reads as its portal's host while the request Scrapy
# would send goes elsewhere (``http://evil.test\@www.x.gov.cn/``), with ``request`` (never
# sent) and ``exception`` (a crawler.middlewares.scope.OffPortalRequest naming the target).
link_refused = object()
# Sent by RecordedRedirectMiddleware for a redirect it does not follow (a loop, a chain cut
# at REDIRECT_MAX_TIMES, a file: or ftp: target), with ``request`` and ``exception`` (a
# crawler.middlewares.redirect.RedirectNotFollowed saying which).
redirect_dropped = object()
# The request.meta key of a refused link's page, the failure's ``via`` in the WARC (it was
# never sent, so Scrapy set no Referer on it).
VIA = "nianbao_via"
