"""The demo: serve the simulated web on loopback, crawl it, archive, extract, summarise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nianbao.archive.export.audit_report import AuditReport, audit_archive
from nianbao.archive.places import normal_path, writable_folder
from nianbao.archive.store.summary import Summary, summarize
from nianbao.crawler.extensions.progress import ProgressCallback
from nianbao.crawler.registry import parse_registry
from nianbao.crawler.run import DEFAULT_OUT, CrawlConfig, CrawlResult, crawl
from nianbao.simweb import SimServer, build_world

REGISTRY_NAME = "portals.toml"


@dataclass(frozen=True)
class DemoConfig:
    """Where the demo writes (nothing outside ``out``) and how big its web is."""

    out: Path = DEFAULT_OUT
    reports: int = 60
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "out", normal_path(self.out))  # `a/x/../../b` makes no a/x


@dataclass(frozen=True)
class DemoResult:
    """The crawl, the database summary and the size of the simulated web it crawled."""

    crawl: CrawlResult
    summary: Summary
    truth_reports: int
    registry_path: Path
    audit: AuditReport


def run_demo(config: DemoConfig, progress: ProgressCallback | None = None) -> DemoResult:
    """Build the simulated web, crawl all its portals through it, audit, and summarise."""
    writable_folder(config.out)  # before building the web: a wrong --out fails at once
    world = build_world(seed=config.seed, reports=config.reports)
    registry_path = config.out / REGISTRY_NAME
    registry_text = world.registry_toml()
    registry_path.write_text(registry_text, encoding="utf-8")
    portals = tuple(parse_registry(registry_text, str(registry_path)))
    with SimServer(world) as server:
        result = crawl(
            CrawlConfig(
                out=config.out,
                portals=portals,
                proxy=server.proxy_url,
                prefix="demo",
                loopback=True,
            ),
            progress=progress,
        )
    return DemoResult(
        crawl=result,
        summary=summarize(result.db_path),
        truth_reports=len(world.reports),
        registry_path=registry_path,
        audit=audit_archive(result.db_path, config.out / "audit"),
    )
