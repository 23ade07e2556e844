"""Tesseract, run as Debian installs it (``tesseract-ocr``, ``-chi-sim``, ``-chi-tra``).

One process per picture and pass; words come back as TSV with their boxes and confidences.
Without the program or its Chinese data, ``OcrUnavailable`` says which package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

TIMEOUT = 120  # seconds per picture and pass: a report's table page takes 1-3 s here
# Simplified only: the pictures of tables are Simplified even on Traditional (gateway) pages,
# and chi_sim+chi_tra took twice as long and read 部分公开 as 部分公開
LANGUAGES = "chi_sim"
DIGITS = "0123456789.,-+/"


class OcrUnavailable(Exception):  # noqa: N818 - a state, not a failure of the input
    """Tesseract or its Chinese data is not installed."""


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text, confidence (0-100) and box in pixels."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int

    @property
    def middle(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


@cache
def tesseract() -> str:
    """The tesseract program, its Chinese data checked; OcrUnavailable otherwise."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable("tesseract is not installed (Debian: apt install tesseract-ocr)")
    try:
        listed = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired as slow:
        raise OcrUnavailable(f"{program} --list-langs did not answer in 60 s") from slow
    have = set(listed.stdout.split())
    for language in (*LANGUAGES.split("+"), "eng"):
        if language not in have:
            package = "tesseract-ocr-" + language.replace("_", "-")
            package = "tesseract-ocr-eng" if language == "eng" else package
            raise OcrUnavailable(
                f"tesseract has no {language} data (Debian: apt install {package})"
            )
    return program


def read_words(png: bytes, *, digits: bool = False) -> list[Word]:
    """The words of a PNG picture, one block of text (``--psm 6``); ``digits``: numbers only."""
    options = (
        ["-l", "eng", "-c", f"tessedit_char_whitelist={DIGITS}"] if digits else ["-l", LANGUAGES]
    )
    return _words(_run(png, ["--psm", "6", *options, "tsv"]))


def read_lines(png: bytes) -> list[str]:
    """The lines of text of a PNG picture of a page's text (``--psm 4``: one column of lines
    of any size), blank ones left out."""
    text = _run(png, ["--psm", "4", "-l", LANGUAGES])
    return [line.strip() for line in text.splitlines() if line.strip()]


def _run(png: bytes, arguments: list[str]) -> str:
    # one thread each: two passes run side by side, and Tesseract's own threads only fight
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        [tesseract(), "stdin", "stdout", *arguments],
        input=png,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        env=environment,
    )
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {done.stderr.decode('utf-8', 'replace')[-300:]}")
    return done.stdout.decode("utf-8", "replace")


def _words(tsv: str) -> list[Word]:
    words = []
    for line in tsv.splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) != 12 or not fields[11].strip():
            continue
        left, top, width, height = (int(v) for v in fields[6:10])
        words.append(Word(fields[11].strip(), float(fields[10]), left, top, width, height))
    return words
