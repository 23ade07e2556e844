"""Signals nianbao's Scrapy components send one another."""

# Sent by WarcArchiveMiddleware after records reach a WARC file, with ``path`` (the file
# the records are in, still being written) — receivers read the new records back from it.
records_archived = object()

