"""Full-text search over the reports: the FTS5 index (``index``) and the queries (``query``)."""
