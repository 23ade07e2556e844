"""A crawl job in its output folder: whether the last run finished, and what it archived.

``OUT/job/state.json`` names the runs of the job and whether it finished; ``OUT/job/done.tsv``
holds, for every request archived, its fingerprint and where its response is (file name,
offset), one flushed line per exchange. A run that finds the job unfinished (a kill, a
power cut, a stop by signal) resumes it: what ``done.tsv`` lists is answered from the
archive, never fetched again, and the rest is fetched. A finished job starts a new one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

JOB_DIR = "job"
STATE = "state.json"
DONE = "done.tsv"


@dataclass
class JobState:
    """What ``state.json`` holds: the job's runs (crawl ids), when it began, when it ended."""

    started: str
    crawl_ids: list[str] = field(default_factory=list)
    finished: str | None = None
    stopped: str | None = None  # why its last run ended early, if it did


def read_state(out: Path) -> JobState | None:
    """The job state of ``out``, or None when there is none (or it cannot be read)."""
    path = out / JOB_DIR / STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return JobState(
            started=str(data["started"]),
            crawl_ids=[str(c) for c in data.get("crawl_ids", [])],
            finished=data.get("finished"),
            stopped=data.get("stopped"),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a torn write at a kill: the job is treated as new, done.tsv kept aside


def write_state(out: Path, state: JobState) -> None:
    """Write ``state`` atomically (a kill leaves the old file or the new one)."""
    directory = out / JOB_DIR
    directory.mkdir(exist_ok=True)
    part = directory / (STATE + ".part")
    part.write_text(json.dumps(state.__dict__, indent=1) + "\n", encoding="utf-8")
    part.replace(directory / STATE)


@dataclass(frozen=True)
class Job:
    """This run's job: its state, and whether it continues an unfinished one."""

    out: Path
    state: JobState
    resumed: bool

    @property
    def done_path(self) -> Path:
        """The done log of the job."""
        return self.out / JOB_DIR / DONE


def begin(out: Path, crawl_id: str) -> Job:
    """Start this run's job: resume an unfinished one, else begin a new one (done log emptied)."""
    state = read_state(out)
    resumed = state is not None and state.finished is None
    if state is None or not resumed:
        state = JobState(started=_now())
        (out / JOB_DIR).mkdir(exist_ok=True)
        (out / JOB_DIR / DONE).write_bytes(b"")
    state.crawl_ids.append(crawl_id)
    state.stopped = None
    write_state(out, state)
    return Job(out, state, resumed)


def end(job: Job, stopped: str | None) -> None:
    """Record how the run ended: finished, or stopped early (then the next run resumes)."""
    job.state.stopped = stopped
    if stopped is None:
        job.state.finished = _now()
    write_state(job.out, job.state)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DoneLog:
    """The done log: fingerprint → (WARC file name, offset of the record holding the answer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done, whole = _read(path)
        if path.exists() and path.stat().st_size > whole:
            os.truncate(path, whole)  # a line a kill cut short: the next one starts clean
        self._fh: IO[str] | None = None

    def get(self, fingerprint: str) -> tuple[str, int] | None:
        """Where the answer to this request is archived, if an earlier run of this job
        archived it. What this run adds is not answered: a retry of a 500 in this run must
        be sent again, not handed the 500 it retries."""
        return self.done.get(fingerprint)

    def add(self, fingerprint: str, warc_file: str, offset: int) -> None:
        """Append one line and flush it: a kill after this keeps it."""
        if self._fh is None:
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(f"{fingerprint}\t{warc_file}\t{offset}\n")
        self._fh.flush()

    def close(self) -> None:
        """Close the file."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _read(path: Path) -> tuple[dict[str, tuple[str, int]], int]:
    """The done entries, and the length of the file's whole lines."""
    done: dict[str, tuple[str, int]] = {}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return done, 0
    whole = data.rfind(b"\n") + 1  # a line a kill cut short has no newline yet: not done
    for line in data[:whole].decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].isdigit():
            done[parts[0]] = (parts[1], int(parts[2]))
    return done, whole
