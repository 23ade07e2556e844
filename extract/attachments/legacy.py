"""Legacy Office/WPS attachments (DOC, WPS, XLS, ET), converted by LibreOffice headless.

Word 97-2003 .doc and Kingsoft WPS .wps files are the same OLE2 binary format, as are Excel
.xls and WPS .et sheets. LibreOffice (Debian's ``libreoffice-writer-nogui`` and
``libreoffice-calc-nogui``) converts them to DOCX/XLSX keeping tables and their merged cells,
which antiword and catdoc flatten to text; the converted file is then read by the DOCX or XLSX
reader, so a legacy attachment's report is read exactly as a current one's.

Each conversion runs in its own temporary folder (input, output, LibreOffice profile, HOME and
caches), removed afterwards: LibreOffice instances sharing a profile fail, and nothing may be
written outside it (the CLI points TMPDIR into the output folder).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from nianbao.extract.attachments.document import Document
from nianbao.extract.errors import ExtractError

TIMEOUT = 120  # seconds per conversion; a report converts in 1-3 s, a stuck one never ends
MAX_BYTES = 50_000_000  # a report is well under 5 MB; LibreOffice holds it all in memory
SLIVER = 30  # twips: a grid column narrower than 1.5 pt holds no printed text
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Variables that would let LibreOffice, dconf or fontconfig write outside the temporary folder
_ELSEWHERE = (
    "HOME",
    "TMPDIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
)


def read_doc(body: bytes) -> Document:
    """A DOC (or WPS) file's lines and tables, read from LibreOffice's DOCX of it."""
    from nianbao.extract.attachments.word import read_docx

    def read(docx: bytes) -> Document:
        return read_docx(_without_slivers(docx))

    return _converted(body, "doc", "docx", "libreoffice-writer-nogui", read)


def read_xls(body: bytes) -> Document:
    """An XLS (or ET) workbook's sheets and cells, read from LibreOffice's XLSX of it."""
    from nianbao.extract.attachments.sheet import read_xlsx

    return _converted(body, "xls", "xlsx", "libreoffice-calc-nogui", read_xlsx)


def _converted(
    body: bytes, kind: str, target: str, package: str, reader: Callable[[bytes], Document]
) -> Document:
    """``reader``'s document of ``body`` converted from ``kind`` to ``target``."""
    name = kind.upper()
    soffice = shutil.which("soffice")
    if soffice is None:
        raise ExtractError(
            "attachment", f"unsupported format: {name} (install Debian's {package} to read it)"
        )
    if len(body) > MAX_BYTES:
        raise ExtractError(
            "attachment",
            f"{name} of {len(body):,} bytes is over the {MAX_BYTES:,}-byte limit of "
            "conversion by LibreOffice: not read",
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-", dir=_scratch()) as folder:
        tmp = Path(folder)
        # the input is always named .doc/.xls: LibreOffice picks its filter partly by the
        # extension, and would take a Kingsoft .wps (Word format) for a Microsoft Works file
        source = tmp / f"in.{kind}"
        source.write_bytes(body)
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",  # per call: see above
            "--convert-to",
            target,
            "--outdir",
            str(tmp / "out"),
            str(source),
        ]
        env = {**os.environ, **dict.fromkeys(_ELSEWHERE, folder)}
        code = _run(command, env, f"LibreOffice took over {TIMEOUT} s to convert the {name}")
        converted = tmp / "out" / f"in.{target}"
        # a file LibreOffice cannot load exits 0 all the same ("source file could not be
        # loaded"): the missing output is the sign
        if code != 0 or not converted.is_file() or converted.stat().st_size == 0:
            why = f"unreadable {name} (LibreOffice could not convert it)"
            raise ExtractError("attachment", why)
        document = reader(converted.read_bytes())
    notes = (*document.notes, f"converted from {name} by LibreOffice")
    return Document(document.blocks, pages=document.pages, notes=notes)


def _scratch() -> str | None:
    """The folder TMPDIR names, made again if something removed it (the CLI makes it in
    the output folder); None: TMPDIR unset."""
    named = os.environ.get("TMPDIR")
    if not named:
        return None
    try:
        Path(named).mkdir(exist_ok=True)  # one level: never the output folder itself
    except OSError as err:  # not the system's instead: nothing is written outside
        raise ExtractError(
            "attachment", f"no temporary folder for LibreOffice at {named} ({err.strerror})"
        ) from err
    return named


def _run(command: list[str], env: dict[str, str], too_slow: str) -> int:
    """The exit code of ``command``; ExtractError ``too_slow`` after TIMEOUT seconds.

    soffice is a script that becomes oosplash, which starts soffice.bin: the conversion runs
    in a session of its own so that a timeout ends both (oosplash waits for soffice.bin, so
    a normal exit leaves nothing behind)."""
    with subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as process:
        try:
            return process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            # the group is still led by the unreaped soffice, so its id is ours to end
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ExtractError("attachment", f"{too_slow}: not read") from None


def _without_slivers(docx: bytes) -> bytes:
    """The DOCX without its tables' sliver grid columns.

    A .doc stores each row's cell edges; rows whose edges differ by a twip of rounding come out
    of LibreOffice with a grid column of 1 twip that one row's cell spans and the next row's
    neighbour spans: the header groups then no longer line up ("column without a group").
    Spans are shortened over such columns; a table with a cell only on slivers is left as is."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as source:
            root = etree.fromstring(source.read("word/document.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return docx  # read_docx says what is wrong with it
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        changed = False
        for table in root.iter(f"{_W}tbl"):
            changed = _drop_slivers(table) or changed
        if not changed:
            return docx
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "word/document.xml":
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
                copy.writestr(item, data)
    return out.getvalue()


def _drop_slivers(table: etree._Element) -> bool:
    """Shorten ``table``'s spans over its sliver columns and drop those; whether it did."""
    columns = table.findall(f"{_W}tblGrid/{_W}gridCol")
    narrow = {i for i, col in enumerate(columns) if float(col.get(f"{_W}w") or SLIVER) < SLIVER}
    if not narrow or len(narrow) == len(columns):
        return False
    plan: list[tuple[etree._Element, int]] = []  # (w:gridSpan/gridBefore/gridAfter, new value)
    for row in table.iterchildren(f"{_W}tr"):
        props = row.find(f"{_W}trPr")
        before = None if props is None else props.find(f"{_W}gridBefore")
        after = None if props is None else props.find(f"{_W}gridAfter")
        cells = [tc.find(f"{_W}tcPr/{_W}gridSpan") for tc in row.iterchildren(f"{_W}tc")]
        position = 0
        for place, edge in [(before, True), *((c, False) for c in cells), (after, True)]:
            span = int(place.get(f"{_W}val", "1")) if place is not None else (0 if edge else 1)
            kept = span - len(narrow.intersection(range(position, position + span)))
            position += span
            if kept == span:
                continue
            if place is None or (kept == 0 and not edge):
                return False  # a cell on slivers alone, or one without w:gridSpan: keep all
            plan.append((place, kept))
    for place, kept in plan:
        if kept == 0:  # an empty w:gridBefore/w:gridAfter
            place.getparent().remove(place)
        else:
            place.set(f"{_W}val", str(kept))
    for i in sorted(narrow, reverse=True):
        columns[i].getparent().remove(columns[i])
    return True
