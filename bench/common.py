"""What several benchmarks share: the machine line, the world they serve, warcio as reader."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import time
from multiprocessing.connection import Connection
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from nianbao.simweb import SimServer, World, build_world


def machine_line() -> str:
    """The machine, Python and the moment, printed first by every benchmark."""
    now = datetime.datetime.now().isoformat(timespec="seconds")
    return (
        f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, {now}"
    )


def warcio_records(warcs: list[Path]) -> int:
    """Read every record's content stream to the end with warcio; the record count."""
    count = 0
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                stream = record.content_stream()
                while stream.read(1 << 16):
                    pass
                count += 1
    return count


def begin(out: Path, seed: int, reports: int) -> tuple[World, Path]:
    """Empty ``out``, print the machine line, write the world: a benchmark's first steps."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    print(machine_line())
    return write_world(out, seed, reports)


def write_world(out: Path, seed: int, reports: int) -> tuple[World, Path]:
    """``build_world(seed, reports)`` and its registry written to ``out/portals.toml``;
    prints its size."""
    world = build_world(seed=seed, reports=reports)
    out.mkdir(parents=True, exist_ok=True)
    registry = out / "portals.toml"
    registry.write_text(world.registry_toml(), encoding="utf-8")
    print(f"simulated web: {len(world.reports)} reports, {len(world.non_reports)} other pages")
    return world, registry


def serve(world: World, conn: Connection, latency: float = 0.0) -> None:
    """Child process: serve ``world`` (each answer ``latency`` seconds late), send the proxy
    URL, wait to be terminated."""
    server = SimServer(world, latency=latency)
    server.start()
    conn.send(server.proxy_url)
    while True:
        time.sleep(3600)
