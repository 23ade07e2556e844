"""The main text of a page: trafilatura's extraction with inline fixes and chrome removed."""

from __future__ import annotations

import copy
import functools
import re
from configparser import ConfigParser

import trafilatura
from lxml import html
from trafilatura.settings import use_config

from nianbao.extract.chrome import is_chrome
from nianbao.extract.dom import unwrap_inline
from nianbao.extract.metadata import is_block_line
from nianbao.extract.script import to_simplified

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# trafilatura writes table rows as "| a | b |"; an all-empty row carries nothing, nor does
# the "|---|---|" rule it puts under a table's first row (left at the text's top by the
# 索引号/文号 table once its rows are dropped as metadata).
_EMPTY_ROW = re.compile(r"^[|\s]*$|^\|(?:\s*:?-{3,}:?\s*\|)+$")


@functools.cache
def _config() -> ConfigParser:
    """trafilatura's defaults, but short texts kept: a prose-era report can be 200 characters."""
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "40")
    return config


def extract_main_text(root: html.HtmlElement, *, favor_recall: bool = True) -> str:
    """Main text of the page as lines, tables as "| a | b |" rows; "" when none is found."""
    tree = copy.deepcopy(root)  # trafilatura prunes the tree it is given
    unwrap_inline(tree)
    result = trafilatura.extract(
        tree,
        include_tables=True,
        include_comments=False,
        favor_recall=favor_recall,
        deduplicate=False,
        with_metadata=False,
        config=_config(),
    )
    return result or ""


def clean_lines(text: str) -> tuple[list[str], list[str]]:
    """Drop chrome and metadata-block lines; return (lines, their Simplified forms)."""
    originals = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    simplified = to_simplified("\n".join(originals)).split("\n")
    kept: list[str] = []
    kept_simple: list[str] = []
    for line, simple in zip(originals, simplified, strict=True):
        if _EMPTY_ROW.match(line) or is_chrome(simple) or is_block_line(simple):
            continue
        kept.append(line)
        kept_simple.append(simple)
    return kept, kept_simple
