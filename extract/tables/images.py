"""Tables published as pictures: a caption where the table should be, usually with an <img>."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.extract.tables.labels import caption_table, heading_table
from nianbao.extract.tables.tokens import IMG_MARK

_TRIM = " \t\r\n\u00a0\u3000"


@dataclass
class ImageEvidence:
    """What the page shows for one table: a caption line and the images after it."""

    captioned: bool = False
    urls: list[str] = field(default_factory=list)


def find_images(lines: list[str]) -> dict[int, ImageEvidence]:
    """Per table (2, 3, 4): the caption seen in its section and the image URLs that follow."""
    found: dict[int, ImageEvidence] = {}
    current: int | None = None
    for line in lines:
        if line.startswith(IMG_MARK):
            src = line[len(IMG_MARK) :].strip()
            if current is not None and src:
                found.setdefault(current, ImageEvidence()).urls.append(src)
            continue
        text = line.strip(_TRIM)
        if not text or len(text) > 60:
            continue
        heading = heading_table(text)
        if heading is not None:
            current = heading or None
            continue
        caption = caption_table(text)
        if caption is not None:
            current = caption
            found.setdefault(caption, ImageEvidence()).captioned = True
    return found
