"""Reports read from attachments take their page's metadata: "附件：….pdf" under a page.

The page holds the title, date, 索引号 and 文号 in its metadata block; the file holds the text
and tables. Which comes first in the archive depends on the crawl (several workers, merged
folders), so the two are joined once everything is stored, by the attachment's URL.
"""

from __future__ import annotations

from nianbao.archive.store.database import Store

# The page that links an attachment first (its earliest capture) speaks for it.
_LINK = """
update reports set
    page_url = link.page_url,
    page_capture_id = link.page_capture_id,
    title = coalesce(link.title, reports.title),
    published = coalesce(link.published, reports.published),
    index_no = coalesce(link.index_no, reports.index_no),
    doc_no = coalesce(link.doc_no, reports.doc_no)
from (
    select a.url, a.page_url, a.page_capture_id, a.title, a.published, a.index_no, a.doc_no,
        row_number() over (partition by a.url order by c.date, a.page_capture_id) as n
    from attachments a join captures c on c.id = a.page_capture_id
) as link
where link.n = 1 and link.url = reports.url and reports.source_format != 'html'
"""


def link_attachment_pages(store: Store) -> int:
    """Give every attachment's report the metadata and capture of the page linking it;
    reports linked."""
    return store.db.execute(_LINK).rowcount
