"""The OCR stage: tables a report printed as pictures, read from the archived pictures.

    from nianbao.archive.ocr import run_ocr
    result = run_ocr(Path("nianbao-out/nianbao.db"), Path("nianbao-out/warc"))

A picture is read with Tesseract (``extract/ocr``), seconds a picture, so this runs apart
from the crawl, like the audit (``nianbao ocr``). Cells read so go into ``stats`` with
``source = 'ocr'`` and a confidence, beside the cells read from the page and never over
them; identities are evaluated again on the report's cells, and one that fails on cells read
by OCR gets state ``reread`` (look at the picture again), not ``failed`` (a finding about the
agency). Without Tesseract nothing is read: the result says how many pictures wait for it.
"""

from __future__ import annotations

from nianbao.archive.ocr.run import OcrResult, run_ocr

__all__ = ["OcrResult", "run_ocr"]
