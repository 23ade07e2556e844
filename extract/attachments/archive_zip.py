"""Zip containers (DOCX, XLSX) read only after their declared sizes are checked.

A zip bomb disguised as a DOCX unpacks a few KB into gigabytes; python-docx and openpyxl
would inflate it whole. The sizes in the zip's directory are checked first, and reads are cut
at the same limit in case the directory lies.
"""

from __future__ import annotations

import io
import zipfile

from nianbao.extract.errors import ExtractError

# What one DOCX/XLSX may unpack to: real reports are under 5 MB unpacked, with pictures.
MAX_UNPACKED = 100 * 10**6
MAX_RATIO = 200  # unpacked / packed of one member; text compresses 5-20x, bombs 1000x


def check_zip(body: bytes, what: str, max_unpacked: int = MAX_UNPACKED) -> None:
    """ExtractError when the zip in ``body`` is broken or its directory declares a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as bad:
        raise ExtractError("attachment", f"unreadable {what} ({bad})") from bad
    total = sum(m.file_size for m in members)
    if total > max_unpacked:
        raise ExtractError(
            "attachment",
            f"{what} unpacks to {total / 1e6:.0f} MB, over the limit of "
            f"{max_unpacked / 1e6:.0f} MB (a zip bomb, or a file too large to read)",
        )
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * member.compress_size:
            raise ExtractError(
                "attachment",
                f"{what} member {member.filename} unpacks {member.compress_size:,} bytes to "
                f"{member.file_size:,} (a zip bomb)",
            )
