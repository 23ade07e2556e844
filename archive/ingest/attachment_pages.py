"""Reports and their attachments joined: "附件：….pdf" under a page, or a page whose tables
are in a linked spreadsheet.

A page that only links the report's file holds the title, date, 索引号 and 文号 in its metadata
block; the file holds the text and tables. A page that prints the text may put tables 2-4 in
an XLSX file instead ("详见附件"). Which comes first in the archive depends on the crawl
(several workers, merged folders), so the two are joined once everything is stored, by the
attachment's URL.
"""

from __future__ import annotations

from nianbao.archive.store.cells import SHEET, add_cells
from nianbao.archive.store.database import Store
from nianbao.extract.tables import Cell

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


# A report page, and each spreadsheet it links whose tables are archived.
_SHEETS = """
select distinct page.id, a.url from attachments a
join reports page on page.url = a.page_url
where page.source_format = 'html' and exists (select 1 from sheet_cells s where s.url = a.url)
order by page.id, a.url
"""
# The spreadsheet's latest capture speaks for it: a changed file replaces the earlier one.
_LATEST_SHEET = """
select s.capture_id from sheet_cells s join captures c on c.id = s.capture_id
where s.url = ? order by c.date desc, s.capture_id desc limit 1
"""


def take_sheet_tables(store: Store) -> int:
    """Give every report page the cells of the spreadsheets it links (stats with source
    'sheet'; a cell the page prints itself is kept), its tables found there no longer
    missing; cells written."""
    db = store.db
    written = 0
    for report_id, url in db.execute(_SHEETS).fetchall():
        (capture_id,) = db.execute(_LATEST_SHEET, [url]).fetchone()
        rows = db.execute(
            "select table_no, block, row, [column], value, raw from sheet_cells"
            " where capture_id = ? and url = ?",
            [capture_id, url],
        ).fetchall()
        # taken afresh each time: the latest file's cells, none of an earlier version's
        db.execute("delete from stats where report_id = ? and source = ?", [report_id, SHEET])
        written += add_cells(store, report_id, ((Cell(*row), None) for row in rows), SHEET)
        tables = sorted({row[0] for row in rows})
        marks = ",".join("?" for _ in tables)
        db.execute(
            f"delete from missing_tables where report_id = ? and table_no in ({marks})",
            [report_id, *tables],
        )
    return written
