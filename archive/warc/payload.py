"""Undo HTTP transfer- and content-encodings of an archived payload, within a size cap."""

from __future__ import annotations

import importlib.util
import zlib

MAX_BODY = 50_000_000
_GZIP_MAGIC = b"\x1f\x8b"
_STEP = 1 << 20


class PayloadError(ValueError):
    """A payload that cannot be decoded (corrupt encoding, unknown coding, too large)."""


def dechunk(raw: bytes) -> bytes:
    """Undo ``Transfer-Encoding: chunked``; bytes that are not chunked come back as they are."""
    out: list[bytes] = []
    pos = 0
    while True:
        end = raw.find(b"\r\n", pos)
        if end < 0:
            return raw  # archived de-chunked despite the header (Scrapy/Twisted do this)
        size_text = raw[pos:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return raw
        if size == 0:
            return b"".join(out)
        start = end + 2
        if start + size > len(raw):
            return raw
        out.append(raw[start : start + size])
        pos = start + size + 2


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    """Inflate every concatenated member of ``data``; raise PayloadError past ``limit``."""
    parts, size = [], 0
    while data:
        inflater = zlib.decompressobj(wbits)
        chunk = inflater.decompress(data, _STEP)
        while True:
            size += len(chunk)
            if size > limit:
                raise PayloadError(f"decoded body larger than {limit} bytes")
            parts.append(chunk)
            if not inflater.unconsumed_tail:
                break
            chunk = inflater.decompress(inflater.unconsumed_tail, _STEP)
        if not inflater.eof:
            raise PayloadError("compressed body is truncated")
        if wbits != zlib.MAX_WBITS | 16:
            break  # only gzip has concatenated members
        data = inflater.unused_data
    return b"".join(parts)


def _decode_one(coding: str, data: bytes, limit: int) -> bytes:
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(data, zlib.MAX_WBITS | 16, limit)
        if coding == "deflate":
            # "deflate" is zlib-wrapped by the RFC but raw deflate from many servers
            if data[:1] and (data[0] & 0x0F) == 8 and int.from_bytes(data[:2], "big") % 31 == 0:
                return _inflate(data, zlib.MAX_WBITS, limit)
            return _inflate(data, -zlib.MAX_WBITS, limit)
    except zlib.error as error:
        raise PayloadError(f"Content-Encoding {coding} but body does not decode: {error}") from None
    if coding == "br":
        return _unbrotli(data, limit)
    raise PayloadError(f"unsupported Content-Encoding {coding!r}")


def decodable_codings() -> tuple[str, ...]:
    """The content codings decode_payload can undo here: what a crawl may ask servers for.

    brotli is an optional module; zstd is never asked for (asking for what cannot be read
    back archives bodies nothing extracts).
    """
    codings = ["gzip", "deflate"]
    if importlib.util.find_spec("brotli") is not None:
        codings.append("br")
    return tuple(codings)


def _unbrotli(data: bytes, limit: int) -> bytes:
    try:
        import brotli  # optional dependency: only Content-Encoding: br needs it
    except ImportError:
        raise PayloadError("Content-Encoding br but no brotli module installed") from None
    try:
        out = brotli.decompress(data)
    except brotli.error as error:
        raise PayloadError(f"Content-Encoding br but body does not decode: {error}") from None
    if len(out) > limit:
        raise PayloadError(f"decoded body larger than {limit} bytes")
    return out


def decode_payload(
    raw: bytes, content_encoding: str | None, transfer_encoding: str | None, limit: int = MAX_BODY
) -> bytes:
    """The payload with chunking and every listed content coding undone (last applied first)."""
    body = raw
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        body = dechunk(body)
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding != "identity":
            body = _decode_one(coding, body, limit)
    if len(body) > limit:
        raise PayloadError(f"body larger than {limit} bytes")
    return body


def read_payload(
    raw: bytes, content_encoding: str | None, transfer_encoding: str | None, limit: int = MAX_BODY
) -> tuple[bytes, str | None]:
    """decode_payload, and a note when the body was read otherwise than its headers say.

    A body labelled gzip that is no gzip at all (it lacks gzip's magic bytes) was archived
    already decoded by its writer (ClueWeb's WARCs do this): it is read as it is, with a note.
    A body that starts as gzip and does not decode is still an error.
    """
    try:
        return decode_payload(raw, content_encoding, transfer_encoding, limit), None
    except PayloadError:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        if codings not in (["gzip"], ["x-gzip"]):
            raise
        body = decode_payload(raw, None, transfer_encoding, limit)
        if body.startswith(_GZIP_MAGIC):
            raise
        note = f"Content-Encoding {codings[0]} but the body was archived decoded: read as it is"
        return body, note
