"""python -m nianbao.simweb: serve a simulated web on loopback until interrupted."""

from __future__ import annotations

import argparse
import threading

from nianbao.simweb.building import build_world
from nianbao.simweb.changes import Changes
from nianbao.simweb.server import SimServer


def _run(text: str) -> int:
    """argparse type of --run: a whole number, 0 or more."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _summary(changes: Changes) -> str:
    return (
        f"{len(changes.edited)} edited, {len(changes.removed)} removed, "
        f"{len(changes.added)} added since run {changes.run - 1}"
    )


def main(argv: list[str] | None = None) -> None:
    """Build a world, serve it, print the proxy URL; writes no files."""
    parser = argparse.ArgumentParser(prog="python -m nianbao.simweb", description=__doc__)
    parser.add_argument("--reports", type=int, default=60, help="generated reports (+ seeds)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--seed", type=int, default=0, help="world seed")
    parser.add_argument("--delay-scale", type=float, default=1.0, help="slow-page delay factor")
    parser.add_argument(
        "--run", type=_run, default=0, help="serve crawl run N: N seeded change steps (0: none)"
    )
    parser.add_argument(
        "--attachments",
        type=_run,
        default=0,
        help="reports published as PDF/DOCX/XLSX attachments, and the hostile files (0: none)",
    )
    parser.add_argument(
        "--drawn-tables",
        action="store_true",
        help="pictures of tables print their cells; scanned PDFs among the attachments",
    )
    args = parser.parse_args(argv)
    world = build_world(
        seed=args.seed,
        reports=args.reports,
        run=args.run,
        attachments=args.attachments,
        drawn_tables=args.drawn_tables,
    )
    server = SimServer(world, delay_scale=args.delay_scale, port=args.port)
    server.start()
    if args.run:  # its own line: the line below keeps the form scripts may already read
        print(f"simweb at run {args.run}: {_summary(world.changes)}", flush=True)
    print(f"simweb serving {len(world.reports)} reports; proxy: {server.proxy_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
