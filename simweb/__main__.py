"""python -m nianbao.simweb: serve a simulated web on loopback until interrupted."""

from __future__ import annotations

import argparse
import threading

from nianbao.simweb.building import build_world
from nianbao.simweb.server import SimServer


def main(argv: list[str] | None = None) -> None:
    """Build a world, serve it, print the proxy URL; writes no files."""
    parser = argparse.ArgumentParser(prog="python -m nianbao.simweb", description=__doc__)
    parser.add_argument("--reports", type=int, default=60, help="generated reports (+ seeds)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--seed", type=int, default=0, help="world seed")
    parser.add_argument("--delay-scale", type=float, default=1.0, help="slow-page delay factor")
    args = parser.parse_args(argv)
    world = build_world(seed=args.seed, reports=args.reports)
    server = SimServer(world, delay_scale=args.delay_scale, port=args.port)
    server.start()
    print(f"simweb serving {len(world.reports)} reports; proxy: {server.proxy_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
