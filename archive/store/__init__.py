"""The SQLite store: its schema, the rows of one report, idempotent writes, and reads.

``schema`` (tables, keys, indexes), ``rows`` (an extracted report as rows), ``database``
(Store: order-independent writes), ``query`` (list and find reports, their tables),
``summary`` (counts for the demo and ``nianbao stats``).
"""

from nianbao.archive.store.database import Store
from nianbao.archive.store.summary import Summary, summarize

__all__ = ["Store", "Summary", "summarize"]
