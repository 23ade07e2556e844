"""Rows to files: CSV, JSON Lines and Parquet, streamed in batches, each file written whole or
not at all (a temporary name beside it, renamed at the end)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO

from nianbao.archive.export.datasets import BATCH, Dataset

FORMATS = ("csv", "jsonl", "parquet")
SUFFIXES = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet"}


@contextmanager
def _replacing(path: Path, mode: str, **kwargs: object) -> Iterator[IO]:
    """A file at a temporary name that takes ``path``'s place only when fully written."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, mode, **kwargs) as out:  # type: ignore[call-overload]
            yield out
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_csv(path: Path, data: Dataset, rows: Iterable[tuple]) -> int:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right; a NULL
    is an empty field."""
    count = 0
    with _replacing(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(data.columns)
        for batch in _batches(rows):
            writer.writerows(batch)
            count += len(batch)
    return count


def write_jsonl(path: Path, data: Dataset, rows: Iterable[tuple]) -> int:
    """One JSON object per row, keys as the columns, NULL as null."""
    count = 0
    columns = data.columns
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with _replacing(path, "w", encoding="utf-8") as out:
        for batch in _batches(rows):
            out.write("".join(dumps(dict(zip(columns, row, strict=True))) + "\n" for row in batch))
            count += len(batch)
    return count


def write_parquet(path: Path, data: Dataset, rows: Iterable[tuple]) -> int:
    """Typed columns (text, int64, float64); a column that holds integers and decimals in the
    database (a table cell's value) is float64, exact for every integer a report prints."""
    import pyarrow as pa  # loaded only for Parquet: it takes a while
    import pyarrow.parquet as pq

    kinds = {str: pa.string(), int: pa.int64(), float: pa.float64(), "ANY": pa.float64()}
    schema = pa.schema(
        [(name, kinds[kind]) for name, kind in zip(data.columns, data.kinds, strict=True)]
    )
    count = 0
    with _replacing(path, "wb") as out:
        with pq.ParquetWriter(out, schema) as writer:
            for batch in _batches(rows):
                columns = list(zip(*batch, strict=True))
                arrays = [
                    pa.array(values, type=field.type, from_pandas=False)
                    for values, field in zip(columns, schema, strict=True)
                ]
                writer.write_batch(pa.record_batch(arrays, schema=schema))
                count += len(batch)
            if not count:
                writer.write_table(schema.empty_table())
    return count


WRITERS: dict[str, Callable[[Path, Dataset, Iterable[tuple]], int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "parquet": write_parquet,
}


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch
