"""Exports of the archive for people: the duplicate and reuse audit as HTML and CSV."""

from nianbao.archive.export.audit_csv import write_audit_csv
from nianbao.archive.export.audit_data import AuditData, AuditDataError, load_audit
from nianbao.archive.export.audit_html import write_audit_html
from nianbao.archive.export.audit_report import AuditReport, audit_archive, write_audit_report

__all__ = [
    "AuditData",
    "AuditDataError",
    "AuditReport",
    "audit_archive",
    "load_audit",
    "write_audit_csv",
    "write_audit_html",
    "write_audit_report",
]
