"""Browsing a database in a web browser: Datasette over it, read-only, on loopback."""

from nianbao.archive.browse.datasette import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    NotLoopback,
    PortUnavailable,
    Served,
    metadata,
    serve,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "NotLoopback",
    "PortUnavailable",
    "Served",
    "metadata",
    "serve",
]
