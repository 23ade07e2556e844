"""Forked worker processes that never outlive the process that started them.

A pool worker waits on its task pipe; when its parent is killed (``kill -9``, the OOM killer,
a power-cut-like stop) it would wait forever, and a crawl's workers inherit the output
folder's lock (``flock`` is held by every copy of the descriptor): the next run was refused
with "in use" by a crawl that no longer existed. So each worker asks the kernel to kill it
with its parent.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a forked worker of ``parent``: be sent SIGKILL when ``parent`` ends (Linux; on
    other systems nothing). Call first in the worker's initializer."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    # sent when the thread that forked us ends: pools are made by a thread that lives as
    # long as they do (the crawl's reactor thread, reindex's and the audit's main thread)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # refused (a sandbox): the worker behaves as before
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
