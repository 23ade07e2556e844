"""The duplicate and reuse audit: copies, twins, mirrors and reused text among reports.

``run_audit(db_path)`` reads the reports table and writes ``audit_pairs``, ``clusters``,
``cluster_members``, ``audit_minhash``, ``audit_boilerplate`` and ``audit_runs``. Modules:
``normalize`` (exact-match text and masked shingles), ``boilerplate`` (template shingles
decided from document frequency), ``minhash`` (signatures and LSH candidates),
``relations`` (kinds and direction), ``evidence`` (aligned passages, number diffs),
``clusters`` (components and the canonical rule), ``run`` (one incremental run).
"""

from nianbao.archive.audit.relations import KINDS
from nianbao.archive.audit.run import AuditSummary, run_audit

__all__ = ["KINDS", "AuditSummary", "run_audit"]
