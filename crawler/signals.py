"""Signals nianbao's Scrapy components send one another."""

# Sent by WarcArchiveMiddleware after records reach a WARC file, with ``records`` (a list
# of archive.exchange.WrittenRecord, in file order) — receivers read them back from disk.
records_archived = object()


# Sent by PortalSpider for a link whose href reads as its portal's host while the request Scrapy
# would send goes elsewhere (``http://evil.test\@www.x.gov.cn/``), with ``request`` (never
# sent) and ``exception`` (a crawler.middlewares.scope.OffPortalRequest naming the target).
link_refused = object()
# The request.meta key of a refused link's page, the failure's ``via`` in the WARC (it was
# never sent, so Scrapy set no Referer on it).
VIA = "nianbao_via"
