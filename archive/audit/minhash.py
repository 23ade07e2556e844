"""MinHash signatures of the masked shingle sets, and LSH candidate pairs from them.

Signatures are persisted in ``audit_minhash`` (report id, normalised-text hash, 128 uint32
values) so a later audit only hashes new or changed reports. The LSH index is rebuilt from
the stored signatures on every run: inserting 100,000 signatures takes seconds, far less
than keeping a second copy of the index in sync with the table.
"""

from __future__ import annotations

import multiprocessing
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from nianbao.archive.audit.normalize import shingles, text_hash
from nianbao.archive.workers import die_with_parent

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
LSH_THRESHOLD = 0.4  # below the 0.5 verified: pairs just above 0.5 are rarely missed
INLINE = 400  # fewer reports than this are hashed in-process (a pool costs more)
CHUNK = 64  # reports per task sent to a worker
BATCH = 32  # tasks read ahead of the workers


@dataclass(frozen=True)
class Signature:
    """One report's stored LSH input: the normalised-text hash and its MinHash values."""

    report_id: str
    text_hash: str
    values: bytes  # NUM_PERM uint32 little-endian; b"" when the masked set is empty


def sketch(shingle_set: Iterable[str]) -> bytes:
    """The MinHash of a shingle set as bytes (b"" for an empty set)."""
    encoded = [s.encode("utf-8") for s in shingle_set]
    if not encoded:
        return b""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, scheme=SCHEME)
    minhash.update_batch(encoded)
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def lean(values: bytes) -> LeanMinHash:
    """A stored signature back as a datasketch LeanMinHash."""
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(values, dtype="<u4"), scheme=SCHEME)


def signature(report_id: str, text: str | None, boilerplate: Set[str]) -> Signature:
    """Hash and sketch one report's text."""
    return Signature(report_id, text_hash(text), sketch(shingles(text, boilerplate)))


# Set once in each pool worker by its initializer (a per-process constant, never changed),
# so the vocabulary crosses the process boundary once instead of with every task.
_WORKER_BOILERPLATE: frozenset[str] = frozenset()


def _init_worker(parent: int, boilerplate: frozenset[str]) -> None:
    die_with_parent(parent)
    global _WORKER_BOILERPLATE
    _WORKER_BOILERPLATE = boilerplate


def _sign_chunk(chunk: list[tuple[str, str | None]]) -> list[Signature]:
    return [signature(rid, text, _WORKER_BOILERPLATE) for rid, text in chunk]


def _chunks(items: Iterable[tuple[str, str | None]]) -> Iterator[list[tuple[str, str | None]]]:
    chunk: list[tuple[str, str | None]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def workers() -> int:
    """Processes to sketch with: the cores available, at most two."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def sign_all(
    items: Iterable[tuple[str, str | None]],
    boilerplate: frozenset[str],
    count: int,
    done: Callable[[int], None] | None = None,
) -> Iterator[Signature]:
    """Signatures of (report id, text) items, in order; on a process pool when many."""
    processes = workers()
    if count < INLINE or processes == 1:
        for rid, text in items:
            yield signature(rid, text, boilerplate)
            if done:
                done(1)
        return
    # the pool's feeder thread must not read the caller's iterator (a SQLite cursor is bound
    # to its thread), so batches are read here and mapped one at a time
    with multiprocessing.get_context("fork").Pool(
        processes, initializer=_init_worker, initargs=(os.getpid(), boilerplate)
    ) as pool:
        batch: list[list[tuple[str, str | None]]] = []
        for chunk in [*_chunks(items), None]:
            if chunk is not None:
                batch.append(chunk)
            if batch and (chunk is None or len(batch) == BATCH):
                for signed in pool.map(_sign_chunk, batch):
                    yield from signed
                    if done:
                        done(len(signed))
                batch = []


def candidates(stored: Iterable[tuple[str, bytes]], new: Set[str]) -> set[tuple[str, str]]:
    """Pairs (sorted ids) the LSH index proposes that involve at least one ``new`` report."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    queries: list[tuple[str, LeanMinHash]] = []
    with lsh.insertion_session() as session:
        for rid, values in stored:
            if not values:
                continue
            minhash = lean(values)
            session.insert(rid, minhash, check_duplication=False)
            if rid in new:
                queries.append((rid, minhash))
    pairs: set[tuple[str, str]] = set()
    for rid, minhash in queries:
        for other in lsh.query(minhash):
            if other != rid:
                pairs.add((rid, other) if rid < other else (other, rid))
    return pairs
