"""WARC digests: ``algorithm:value``, the value in base32 (as warcio and Heritrix write it)
or base16 (hex, as other writers do); WARC 1.1 §5.8 allows any of them."""

from __future__ import annotations

import base64
import binascii
import hashlib

# the labels writers use for hashlib's algorithms (sha1, SHA-1, sha-256 …)
_ALGORITHMS = {
    "sha1": "sha1",
    "sha-1": "sha1",
    "md5": "md5",
    "sha256": "sha256",
    "sha-256": "sha256",
    "sha512": "sha512",
    "sha-512": "sha512",
    "sha384": "sha384",
    "sha-384": "sha384",
    "sha224": "sha224",
    "sha-224": "sha224",
}


def digest_matches(declared: str, data: bytes) -> bool | None:
    """Whether ``data`` has the ``declared`` digest; None when it cannot be told (an unknown
    algorithm or a value that is neither base32 nor base16)."""
    label, _, value = declared.strip().partition(":")
    algorithm = _ALGORITHMS.get(label.lower())
    if algorithm is None or not value:
        return None
    actual = hashlib.new(algorithm, data).digest()
    expected = _decoded(value.strip(), len(actual))
    return None if expected is None else expected == actual


def _decoded(value: str, size: int) -> bytes | None:
    """The digest bytes a base16 or base32 value stands for, if it is one of ``size`` bytes."""
    if len(value) == 2 * size:
        try:
            return bytes.fromhex(value)
        except ValueError:
            pass  # not hex: a base32 value may have this length too
    try:
        decoded = base64.b32decode(value.upper() + "=" * (-len(value) % 8))
    except (binascii.Error, ValueError):
        return None
    return decoded if len(decoded) == size else None
