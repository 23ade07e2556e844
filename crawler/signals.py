"""Signals nianbao's Scrapy components send one another."""

# Sent by WarcArchiveMiddleware after records reach a WARC file, with ``records`` (a list
# of archive.exchange.WrittenRecord, in file order) — receivers read them back from disk.
records_archived = object()

