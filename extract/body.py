"""A report's main text once spam is found in it: the clean text, its forms and sections.

Shared by extract_report and by the archive's second reading of a spam copy, when another
copy of the report has proven substitutions the page alone could not (extract/copies.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.extract.figures import Figure, figures_in
from nianbao.extract.metadata import agency_key, region_of
from nianbao.extract.report import Section
from nianbao.extract.script import detect_script, to_simplified
from nianbao.extract.sections import find_sections
from nianbao.extract.spam import (
    SpamFinding,
    SpamScan,
    Substitution,
    clean_field,
    scan_spam,
    spam_score,
)


@dataclass(frozen=True)
class Body:
    """The main text read for spam: the scan, the clean text and what is read from it."""

    scan: SpamScan
    text: str  # clean: spam removed, holes marked □
    simplified: str  # ``text`` in Simplified
    guessed: str  # Simplified clean text with swapped words guessed back (for classifying)
    sections: tuple[Section, ...]


def read_body(
    text_original: str,
    title: str | None,
    simple_original: str | None = None,
    known: Sequence[Substitution] = (),
) -> Body:
    """Scan ``text_original`` (title, and ``known`` substitutions, help) and segment it.

    ``simple_original`` is the original text in Simplified when the caller has it already.
    """
    scan = scan_spam(text_original, title, known)
    if not scan.result.findings:  # the common case: reuse the conversion already made
        simple = simple_original if simple_original is not None else to_simplified(text_original)
        text, guessed = text_original, simple
    else:
        text = scan.result.clean_text
        simple = to_simplified(text)
        guessed = simple if scan.guessed_text == text else to_simplified(scan.guessed_text)
    sections = find_sections(text.split("\n"), guessed.split("\n"))
    return Body(scan, text, simple, guessed, sections)


@dataclass(frozen=True)
class BodyFields:
    """The report's fields that follow from its body read for spam (Report's names)."""

    title: str | None
    agency: str | None
    region: str | None
    agency_simplified: str | None
    script: str
    figures: tuple[Figure, ...]
    spam: tuple[SpamFinding, ...]  # the body's findings, then the head's
    spam_score: float


def body_fields(
    body: Body,
    title: str | None,
    agency_original: str | None,
    year: int | None,
    head: tuple[SpamFinding, ...] = (),
) -> BodyFields:
    """Title and agency cleaned of the body's spam, the script, the figures and the score;
    ``head`` are the stuffed headers of the page's head (extract/spam_head.py)."""
    result = body.scan.result
    agency = clean_field(agency_original, result)
    return BodyFields(
        title=clean_field(title, result),
        agency=agency,
        region=region_of(agency),
        agency_simplified=agency_key(agency),
        script=detect_script(body.text, body.simplified),
        # Read from the text with swapped words put back (主动□ → 主动公开) so spam copies
        # keep their figures, located in ``text`` (a researcher's query must find them there).
        figures=figures_in(body.text, body.scan.guessed_text, body.scan.guesses, year),
        spam=result.findings + head,
        spam_score=spam_score(result.findings + head),
    )
