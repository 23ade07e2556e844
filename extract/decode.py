"""Turn a page's bytes into text, finding the charset it was really written in."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

import charset_normalizer

from nianbao.extract.errors import ExtractError

MAX_BODY_BYTES = 20_000_000

# Single-byte charsets decode any bytes, so a declaration of one proves nothing
# (servers label GBK pages ISO-8859-1 by default); they are tried last.
_WEAK = {"iso8859-1", "cp1252", "ascii", "cp437", "mac-roman"}
# GB2312 and GBK pages routinely use characters outside their nominal set.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}

# Guesses worth believing for Chinese government pages; the detector also proposes
# EBCDIC or DOS code pages for binary junk, which would "decode" anything.
_PLAUSIBLE_GUESSES = {
    "utf-8",
    "utf-16",
    "utf-32",
    "gbk",
    "gb18030",
    "gb2312",
    "big5",
    "cp950",
    "big5hkscs",
    "euc_jp",
    "shift_jis",
    "euc_kr",
    "cp949",
}
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^<>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^<>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096

# Magic numbers of formats that are never HTML (attachments are handled elsewhere).
_NOT_HTML = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip/docx"),
    (b"\xd0\xcf\x11\xe0", "ole/doc"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
)
# Python codecs that are not a page's character set: IDNA and Punycode (host names; punycode
# raised UnicodeError out of extract_report), escapes, "undefined", UTF-7 (no browser
# honours it: a classic way to smuggle script past filters). Bytes-to-bytes codecs (rot13,
# base64_codec, zlib_codec…) are refused by their CodecInfo.
_NOT_CHARSETS = frozenset(
    {"punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True)
class DecodedPage:
    """A page's text and the charset that decoded it."""

    text: str
    charset: str
    declared: str | None  # what the HTTP header said, if anything


def codec_name(label: str) -> str | None:
    """Python's canonical codec name for a charset label, or None if unknown."""
    label = label.strip().strip("\"'").lower()
    if label in ("x-gbk", "cp936", "windows-936", "gb_2312-80", "euc-cn", "x-euc-cn"):
        return "gbk"
    if label in ("big5-hkscs", "x-x-big5"):
        label = "big5hkscs"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if info.name in _NOT_CHARSETS or not getattr(info, "_is_text_encoding", True):
        return None  # a page may name any codec Python has: only character sets decode it
    return info.name


def declared_charset(headers: Mapping[str, str]) -> str | None:
    """The charset named in the Content-Type header, if any."""
    match = _HEADER_CHARSET.search(headers.get("content-type", ""))
    return match.group(1) if match else None


def sniffed_charsets(body: bytes) -> list[str]:
    """Charsets the bytes declare about themselves: BOM, XML declaration, <meta>."""
    found = [name for bom, name in _BOMS if body.startswith(bom)][:1]
    head = body[:_SNIFF_BYTES]
    xml = _XML_DECL.match(head)
    if xml:
        found.append(xml.group(1).decode("ascii", "replace"))
    found.extend(m.group(1).decode("ascii", "replace") for m in _META_CHARSET.finditer(head))
    return found


def _try_decode(body: bytes, codec: str) -> tuple[str, str] | None:
    """Decode strictly; GB labels widen to GBK then GB18030. Returns (text, codec)."""
    tries = ["gbk", "gb18030"] if codec in _GB_FAMILY else [codec]
    if codec == "big5":
        tries = ["big5", "cp950", "big5hkscs"]
    for name in tries:
        try:
            return body.decode(name), name
        except (UnicodeError, LookupError):  # UnicodeError: a codec's own failure, not bytes'
            continue
    return None


def _guessed_charset(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return best.encoding if best is not None else None


def check_html(headers: Mapping[str, str], body: bytes) -> None:
    """Raise ExtractError when the response is too large or clearly not an HTML page."""
    if len(body) > MAX_BODY_BYTES:
        raise ExtractError("size", f"body of {len(body)} bytes exceeds {MAX_BODY_BYTES}")
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and not ctype.startswith(_HTML_TYPES):
        raise ExtractError("type", f"not HTML: content-type {ctype}")
    start = body.lstrip()[:8]
    for magic, kind in _NOT_HTML:
        if start.startswith(magic):
            raise ExtractError("type", f"not HTML: body looks like {kind}")


def decode_page(headers: Mapping[str, str], body: bytes) -> DecodedPage:
    """Decode ``body``: header charset, then self-declared, then guessed; strict only."""
    if len(body) > MAX_BODY_BYTES:
        raise ExtractError("size", f"body of {len(body)} bytes exceeds {MAX_BODY_BYTES}")
    declared = declared_charset(headers)
    labels = [declared] if declared else []
    labels += sniffed_charsets(body)
    strong: list[str] = []
    weak: list[str] = []
    for label in labels:
        codec = codec_name(label) if label else None
        if codec and codec not in strong and codec not in weak:
            (weak if codec in _WEAK else strong).append(codec)
    candidates = strong + [c for c in ("utf-8",) if c not in strong]
    for codec in candidates:
        decoded = _try_decode(body, codec)
        if decoded:
            return DecodedPage(_strip_bom(decoded[0]), decoded[1], declared)
    guessed = codec_name(_guessed_charset(body) or "")
    later = [guessed] if guessed in _PLAUSIBLE_GUESSES else []
    later += ["gb18030", "big5"] + weak
    for codec in later:
        if codec and codec not in candidates:
            decoded = _try_decode(body, codec)
            if decoded:
                return DecodedPage(_strip_bom(decoded[0]), decoded[1], declared)
    raise ExtractError("decode", f"no charset decodes the body (declared {declared!r})")


def charset_differs(page: DecodedPage) -> bool:
    """True when the server declared a charset and another one had to be used."""
    if not page.declared:
        return False
    wanted = codec_name(page.declared)
    return not (wanted == page.charset or (wanted in _GB_FAMILY and page.charset in _GB_FAMILY))


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
