"""Errors extraction raises for one page; callers record them and go on."""

# How the attachment error of a scanned PDF (no text layer) begins: the OCR stage and the
# summaries find the scans waiting for `nianbao ocr` by its errors row.
NEEDS_OCR = "scanned PDF:"


class ExtractError(Exception):
    """A page that cannot be turned into a Report (undecodable, not HTML, too large)."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = message
