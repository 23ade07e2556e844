"""One run at a time per output folder: an advisory lock the system drops when its holder dies.

Two crawls writing one folder would interleave their database writes and rename each other's
WARC files during repair; a scheduled run that starts while the last one still runs must stop
and say so. ``fcntl.flock`` is released by the kernel when the process ends, ``kill -9``
included, so a crash never leaves a stale lock to remove by hand.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nianbao.archive.errors import PlaceError

LOCK_NAME = ".nianbao.lock"


class FolderInUse(PlaceError):
    """Another run holds the output folder's lock."""


def holder(folder: Path) -> dict[str, object] | None:
    """Who holds (or last held) the lock of ``folder``, as its lock file says; None if none."""
    try:
        text = (Path(folder) / LOCK_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        found = json.loads(text)
    except json.JSONDecodeError:  # being written this instant, or not ours
        return None
    return found if isinstance(found, dict) else None


@contextmanager
def folder_lock(folder: Path, command: str) -> Iterator[None]:
    """Hold ``folder``'s lock while the block runs; ``FolderInUse`` at once if another run
    has it, naming that run. ``folder`` must exist."""
    path = Path(folder) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderInUse(_in_use(folder)) from None
        os.ftruncate(fd, 0)
        me = {"pid": os.getpid(), "host": socket.gethostname(), "command": command}
        me["since"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        os.write(fd, json.dumps(me).encode("utf-8"))
        yield
    finally:
        os.close(fd)  # closing drops the lock; the file stays, naming the last holder


def _in_use(folder: Path) -> str:
    found = holder(folder) or {}
    who = f"pid {found.get('pid', '?')} on {found.get('host', '?')}"
    what = f"`nianbao {found.get('command', '?')}` since {found.get('since', '?')}"
    return (
        f"{folder} is in use by {what} ({who}): wait for it to finish, "
        "or give this run another --out"
    )
