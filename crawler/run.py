"""Run one crawl: registry portals → Scrapy → WARC files → SQLite, in this process."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.request import RequestFingerprinter

from nianbao.archive.ingest.catchup import catch_up
from nianbao.archive.lock import folder_lock
from nianbao.archive.places import normal_path, warc_prefix, writable_folder
from nianbao.archive.store.database import Store
from nianbao.archive.store.summary import (
    EarlierReports,
    FetchFailures,
    blocked_by_host,
    common_errors,
    earlier_reports,
    fetch_failures,
    pictures_to_read,
    scans_to_read,
)
from nianbao.archive.warc.exchange import CRAWL_ID_FIELD
from nianbao.archive.warc.files import recover
from nianbao.crawler import settings as default_settings
from nianbao.crawler.extensions.progress import ProgressCallback
from nianbao.crawler.frontier import connect, redis_settings
from nianbao.crawler.job import DoneLog, Job, begin, end
from nianbao.crawler.middlewares.recrawl import NOT_MODIFIED_STAT
from nianbao.crawler.middlewares.warc import REVISIT_STAT
from nianbao.crawler.registry import Portal
from nianbao.crawler.replay import archived_requests
from nianbao.crawler.spiders.portals import PortalSpider

DB_NAME = "nianbao.db"
DEFAULT_OUT = Path("nianbao-out")  # every command's default folder (crawl, demo, stats, …)
WARC_DIR = "warc"
LOG_NAME = "crawl.log"
# what our WARCs conform to (warcinfo conformsTo)
WARC_SPEC = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


@dataclass(frozen=True)
class CrawlConfig:
    """What to crawl and where to put it. Everything is written below ``out``."""

    out: Path
    portals: tuple[Portal, ...]
    proxy: str | None = None  # e.g. the simulated web's loopback proxy
    prefix: str | None = None  # WARC file prefix; must be unique per crawl worker
    max_warc_bytes: int = default_settings.NIANBAO_WARC_MAX_BYTES
    loopback: bool = False  # drop politeness delays (the simulated web only)
    log_level: str = "INFO"
    log_to_file: bool = True  # else Scrapy logs to stderr
    contact: str | None = None  # the User-Agent's contact URL; None: the project's URL
    redis: str | None = None  # a Redis URL: the frontier shared with other workers there
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # `a/x/../../b` is b: folded before anything is made, so no stray a/x appears.
        object.__setattr__(self, "out", normal_path(self.out))


@dataclass(frozen=True)
class CrawlResult:
    """What a finished crawl did."""

    crawl_id: str
    db_path: Path
    warc_files: tuple[Path, ...]
    pages: int  # HTTP responses archived
    warc_bytes: int
    reports: int  # report records ingested during this crawl
    fetch_errors: int  # failed attempts (Scrapy stat); ``failures`` counts URLs
    blocked: tuple[tuple[str, int], ...]  # (portal, URLs that answered a block page), most first
    seconds: float
    stats: Mapping[str, Any]
    common_errors: tuple[tuple[str, str, int], ...] = ()  # (stage, message, times), most first
    failures: FetchFailures = FetchFailures()  # URLs that failed or answered only 4xx/5xx
    stopped: str | None = None  # why the crawl ended early (a signal): run it again to resume
    resume: Resume | None = None  # what this run found of a job an earlier run left unfinished
    revisits: int = 0  # unchanged answers archived as revisit records
    not_modified: int = 0  # of them, 304 answers
    earlier: EarlierReports = EarlierReports()  # earlier reports seen again unchanged, found gone
    pictures: int = 0  # table pictures waiting for `nianbao ocr`
    scans: int = 0  # scanned PDFs waiting for `nianbao ocr`


@dataclass(frozen=True)
class Resume:
    """What a run did before crawling to continue an unfinished job."""

    repaired: int  # partial WARC files closed and renamed (any prefix)
    caught_up: int  # records archived by the killed run that the database lacked
    done: int  # requests the job had archived: answered from the archive, not fetched


def crawl(config: CrawlConfig, progress: ProgressCallback | None = None) -> CrawlResult:
    """Crawl the configured portals; blocks until done. Twisted allows one per process."""
    if config.prefix is not None:
        warc_prefix(config.prefix)  # before any folder is made
    crawl_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    db = config.out / DB_NAME
    if config.redis:
        connect(config.redis).close()  # unreachable: one line naming it, before anything runs
    with folder_lock(writable_folder(config.out), "crawl"):
        warc_dir = writable_folder(config.out / WARC_DIR, "WARC folder")
        job, resume = prepare(config.out, warc_dir, crawl_id)
        before = set(warc_dir.glob("*.warc.gz"))
        settings = build_settings(config, crawl_id, progress)
        settings.set("NIANBAO_DONE_LOG", str(job.done_path), "cmdline")
        default_settings.use_packaged_suffix_list()  # else cookies fetch the list, cache it in ~
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(PortalSpider)
        started = time.monotonic()
        process.crawl(crawler, portals=config.portals, known=known_reports(db, config.portals))
        process.start()
        seconds = time.monotonic() - started
        stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
        stopped = stop_reason(stats)
        end(job, stopped)
    files = tuple(sorted(set(warc_dir.glob("*.warc.gz")) - before))
    return CrawlResult(
        crawl_id=crawl_id,
        db_path=db,
        warc_files=files,
        pages=int(stats.get("nianbao/warc_exchanges", 0)),
        warc_bytes=sum(f.stat().st_size for f in files),
        reports=int(stats.get("nianbao/reports", 0)),
        fetch_errors=int(stats.get("nianbao/fetch_errors", 0)),
        blocked=blocked_by_portal(
            blocked_by_host(db, crawl_id) if db.exists() else (), config.portals
        ),
        seconds=seconds,
        stats=stats,
        common_errors=common_errors(db, crawl_id) if db.exists() else (),
        failures=fetch_failures(db, crawl_id) if db.exists() else FetchFailures(),
        stopped=stopped,
        resume=resume,
        revisits=sum(int(v) for k, v in stats.items() if k.startswith(REVISIT_STAT + "/")),
        not_modified=int(stats.get(NOT_MODIFIED_STAT, 0)),
        earlier=earlier_reports(db, crawl_id) if db.exists() else EarlierReports(),
        pictures=pictures_to_read(db) if db.exists() else 0,
        scans=scans_to_read(db) if db.exists() else 0,
    )


def prepare(out: Path, warc_dir: Path, crawl_id: str) -> tuple[Job, Resume | None]:
    """Begin this run's job; when it continues an unfinished one, first repair the partial
    WARC files (whatever their prefix) and store the records the database lacks."""
    job = begin(out, crawl_id)
    # a kill leaves its file as .open under its own prefix (with the PID in it): all of them
    repaired = [r for r in recover(warc_dir) if r.path is not None]
    if not job.resumed:
        return job, None
    # only files the unfinished job may have written: older ones were stored whole
    since = datetime.fromisoformat(job.state.started).timestamp() - 1
    touched = [p for p in sorted(warc_dir.glob("*.warc.gz")) if p.stat().st_mtime >= since]
    with Store(out / DB_NAME) as store:
        caught_up = catch_up(store, touched)
    return job, Resume(len(repaired), caught_up, complete_done_log(job, touched))


def complete_done_log(job: Job, paths: Sequence[Path]) -> int:
    """Add to the job's done log the exchanges ``paths`` hold that it lacks; its length."""
    # a kill between archiving an exchange and logging it would have it fetched again
    done = DoneLog(job.done_path)
    logged, added = set(done.done), set()
    fingerprinter = RequestFingerprinter()
    try:
        for path in paths:
            for request, offset in archived_requests(path):
                fingerprint = fingerprinter.fingerprint(request).hex()
                if fingerprint not in logged:  # a retried request: its last answer wins
                    done.add(fingerprint, path.name, offset)
                    added.add(fingerprint)
    finally:
        done.close()
    return len(logged | added)


def stop_reason(stats: Mapping[str, Any]) -> str | None:
    """Why the crawl ended early, or None when it ran to its end (or to its page cap)."""
    reason = str(stats.get("finish_reason", "shutdown"))  # none at all: the reactor was stopped
    if reason == "finished" or reason.startswith("closespider_"):
        return None
    return "stopped by a signal" if reason == "shutdown" else f"stopped: {reason}"


def known_reports(db: Path, portals: tuple[Portal, ...]) -> dict[str, list[str]]:
    """Per portal, the report URLs earlier crawls found and not yet gone: asked for again, so a
    report no listing links any more is seen gone (404/410), not just missed."""
    if not db.exists():
        return {}
    with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        try:
            rows = conn.execute("select url, host from reports where gone is null").fetchall()
        except sqlite3.OperationalError:  # a database from before sightings: none known
            return {}
    owner = {host: p.name for p in portals for host in p.allowed_hosts}
    known: dict[str, list[str]] = {}
    for url, host in sorted(rows):
        if host in owner:
            known.setdefault(owner[host], []).append(url)
    return known


def blocked_by_portal(
    by_host: tuple[tuple[str, int], ...], portals: tuple[Portal, ...]
) -> tuple[tuple[str, int], ...]:
    """Blocked URL counts of hosts summed per portal (a host no portal names keeps its name)."""
    owner = {host: p.name for p in portals for host in p.allowed_hosts}
    counts: dict[str, int] = {}
    for host, count in by_host:
        name = owner.get(host, host)
        counts[name] = counts.get(name, 0) + count
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def build_settings(
    config: CrawlConfig, crawl_id: str, progress: ProgressCallback | None = None
) -> Settings:
    """Scrapy settings for one crawl: the project defaults plus this crawl's NIANBAO_* values."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    if config.loopback:
        settings.setdict(default_settings.LOOPBACK_SETTINGS, priority="cmdline")
    prefix = config.prefix or f"nianbao-{socket.gethostname()}-{os.getpid()}"
    contact = config.contact or default_settings.NIANBAO_CONTACT
    settings.setdict(
        {
            "LOG_LEVEL": config.log_level,
            # The console belongs to the progress display; Scrapy's log goes to a file.
            "LOG_FILE": str(config.out / LOG_NAME) if config.log_to_file else None,
            "NIANBAO_DB": str(config.out / DB_NAME),
            "NIANBAO_WARC_DIR": str(config.out / WARC_DIR),
            "NIANBAO_WARC_PREFIX": prefix,
            "NIANBAO_WARC_MAX_BYTES": config.max_warc_bytes,
            "NIANBAO_PROXY": config.proxy,
            "NIANBAO_CONTACT": contact,
            "USER_AGENT": default_settings.user_agent(contact),
            "NIANBAO_PROGRESS": progress,
        },
        priority="cmdline",
    )
    if config.redis:
        settings.setdict(redis_settings(config.redis), priority="cmdline")
    settings.setdict(dict(config.settings), priority="cmdline")
    # After the user's settings: the warcinfo says what this crawl really ran with.
    settings.set("NIANBAO_WARCINFO", warcinfo_fields(settings, crawl_id, config), "cmdline")
    return settings


def warcinfo_fields(settings: Settings, crawl_id: str, config: CrawlConfig) -> dict[str, str]:
    """The warcinfo fields of a crawl, as Heritrix and wget record them (WARC 1.1 §6.2)."""
    return {
        CRAWL_ID_FIELD: crawl_id,
        "isPartOf": crawl_id,
        "nianbao-portals": " ".join(p.name for p in config.portals),
        "operator": settings.get("NIANBAO_CONTACT"),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "hostname": socket.gethostname(),
        "conformsTo": WARC_SPEC,
    }
