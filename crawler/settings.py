"""Scrapy settings for nianbao, and the one place each NIANBAO_* setting gets its default.

``crawler.run.build_settings`` adds the per-crawl values (database, WARC folder, prefix, …).
Components read a NIANBAO_* setting with this module's value as the fallback, so a crawler
built without this module (Scrapy's test helpers) still behaves the same. The README's
"Settings" table lists them; tests/test_settings.py checks that both agree.
"""

from scrapy.settings.default_settings import DEFAULT_REQUEST_HEADERS as SCRAPY_DEFAULT_HEADERS

from nianbao.archive.warc import writer as warc_writer
from nianbao.archive.warc.payload import decodable_codings
from nianbao.extract.version import installed

PROJECT_URL = "https://github.com/nianbao/nianbao"


def user_agent(contact: str) -> str:
    """The User-Agent: who we are, our version, and where a site operator can reach the user."""
    return f"nianbao/{installed('nianbao')} (+{contact}; open-government annual report archiver)"


def use_packaged_suffix_list() -> None:
    """Make Scrapy's cookie handling use the Public Suffix List shipped in tldextract, offline.

    Pitfall: CookiesMiddleware's module-level TLDExtract fetches the list from publicsuffix.org
    and raw.githubusercontent.com and caches it under ~/.cache; Scrapy has no setting for it,
    so its one extractor is replaced (once per crawl process) by one with no URLs and no cache.
    """
    from scrapy.downloadermiddlewares import cookies
    from tldextract import TLDExtract

    if not hasattr(cookies, "_split_domain"):  # a Scrapy upgrade moved it: fail, never fetch
        raise RuntimeError(
            "scrapy.downloadermiddlewares.cookies._split_domain is gone: "
            "update crawler.settings.use_packaged_suffix_list"
        )
    cookies._split_domain = TLDExtract(
        cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True
    )


BOT_NAME = "nianbao"
SPIDER_MODULES = ["nianbao.crawler.spiders"]
NEWSPIDER_MODULE = "nianbao.crawler.spiders"

# Politeness. Government sites are slow and shared: obey robots.txt, at most two requests
# in flight per host, about a second between them (randomised ±50% so requests do not beat
# in lockstep), AutoThrottle slowing down further when a host answers slowly, and
# Retry-After honoured on 429/503 (crawler/middlewares/retry_after.py).
ROBOTSTXT_OBEY = True
USER_AGENT = user_agent(PROJECT_URL)
# Scrapy asks for gzip, deflate, br and zstd whatever is installed; ask only for what the
# archive can decode again (a zstd body was archived and never extracted: issue 12).
DEFAULT_REQUEST_HEADERS = {
    **SCRAPY_DEFAULT_HEADERS,
    "Accept-Encoding": ", ".join(decodable_codings()),
}
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy 2.13+ starts this many asyncio tasks for every response's callback output, used or
# not: at its default of 100 that was 262,000 tasks for 2,600 pages and 0.7x the fetch rate.
# A callback here yields a few dozen requests and no items; 8 keeps them flowing.
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 1.0
# Scrapy 2.19 replaced RANDOMIZE_DOWNLOAD_DELAY by this jitter (0.5 = the old ±50%).
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
RETRY_TIMES = 2
# Listing chains ("下一页" on every page) are hundreds of pages deep on big portals, so depth
# is not limited; allowed hosts, robots.txt and the duplicate filter bound the crawl, and
# --max-pages (CLOSESPIDER_PAGECOUNT) caps it when asked.
DEPTH_LIMIT = 0
HTTPERROR_ALLOW_ALL = True
TELNETCONSOLE_ENABLED = False
# Pitfall: Scrapy 2.19 starts, for every crawl, a remote-control HTTP server on localhost that
# runs the Python code it is sent, and writes its job file under ~/.local/state/scrapy: off, so
# a crawl opens no listening socket and writes nothing outside its output folder.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# Scrapy's HTTP/1.1 handler keeping each exchange's bytes as they crossed, for the WARC.
DOWNLOAD_HANDLERS = {
    "http": "nianbao.crawler.download.RecordingDownloadHandler",
    "https": "nianbao.crawler.download.RecordingDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    # Exact-host scope on every request. A redirect or refresh (600/580) returns a new Request
    # that the engine sends through every process_request again, so any priority sees it; 60 is
    # before RobotsTxtMiddleware (100), so a refused host's robots.txt is never fetched either.
    "nianbao.crawler.middlewares.scope.ScopeMiddleware": 60,
    # Scrapy's own, with a fix: in 2.19 all but the first request waiting for a host's
    # robots.txt were let through unchecked (crawler/middlewares/robots.py)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "nianbao.crawler.middlewares.robots.RobotsTxtWaitMiddleware": 100,
    # Scrapy's, recording each redirect it does not follow (crawler/middlewares/redirect.py)
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "nianbao.crawler.middlewares.redirect.RecordedRedirectMiddleware": 600,
    # Before HttpProxyMiddleware (750), so robots.txt requests are proxied too.
    "nianbao.crawler.middlewares.proxy.FixedProxyMiddleware": 740,
    # Sees 429/503 answers before RetryMiddleware (550) schedules their retry.
    "nianbao.crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Conditional requests from earlier captures, a resumed job's answers from the archive:
    # just before the WARC middleware, so it archives the conditions sent.
    "nianbao.crawler.middlewares.recrawl.RecrawlMiddleware": 900,
    # Next to the downloader: sees bodies still compressed, every redirect and retry.
    "nianbao.crawler.middlewares.warc.WarcArchiveMiddleware": 950,
}
EXTENSIONS = {
    "nianbao.crawler.extensions.store.StoreExtension": 500,
    "nianbao.crawler.extensions.progress.ProgressExtension": 510,
    # only with NIANBAO_REDIS_URL (`nianbao crawl --redis`): stays open while others work
    "nianbao.crawler.extensions.workers.RedisWorkers": 520,
}

# nianbao's own settings, with their defaults (the README's "Settings" table explains each).
# Where site operators can reach whoever runs the crawl (`nianbao crawl --contact URL`).
NIANBAO_CONTACT = PROJECT_URL
# The SQLite database the store extension ingests into; None: no store extension.
NIANBAO_DB = None
# The folder WARC files are written to; None: no WARC middleware (and so no database).
NIANBAO_WARC_DIR = None
# WARC file names begin with it; crawl() makes one unique per worker (nianbao-<host>-<pid>).
NIANBAO_WARC_PREFIX = "nianbao"
# WARC files rotate at this many bytes (`nianbao crawl --max-warc-mb`).
NIANBAO_WARC_MAX_BYTES = warc_writer.DEFAULT_MAX_BYTES
# Extra fields of each file's warcinfo record (crawl() adds crawl-id and nianbao-portals).
NIANBAO_WARCINFO: dict[str, str] = {}
# Worker processes that read archived records back and extract them; None: one per core,
# 0: the ingest thread itself (no processes).
NIANBAO_INGEST_WORKERS: int | None = None
# Records archived but not yet in the database at which the crawl pauses new requests (it
# goes on at half): bounds how far the database lags the archive (a waiting record costs a
# file name and an offset; a resumed crawl ingests what a kill left unwritten).
NIANBAO_INGEST_MAX_PENDING = 10000
# Re-crawls into an output folder send If-None-Match / If-Modified-Since from the last capture
# and archive unchanged answers as revisit records (False: fetch and archive everything whole).
NIANBAO_RECRAWL = True
# The job's done log (crawl() sets OUT/job/done.tsv): requests archived by this job, answered
# from the archive when a stopped job is resumed; None: no resume.
NIANBAO_DONE_LOG = None
# Every request goes through this HTTP proxy (the simulated web's); None: direct.
NIANBAO_PROXY = None
# A callable given the crawl's stats every NIANBAO_PROGRESS_INTERVAL seconds; None: off.
NIANBAO_PROGRESS = None
NIANBAO_PROGRESS_INTERVAL = 0.25
# Longest Retry-After wait honoured, in seconds (0 switches the middleware off).
NIANBAO_RETRY_AFTER_MAX = 600.0
NIANBAO_RETRY_AFTER_CODES = [429, 503]
# Exact-host scope on every request, redirects included; off only in tests that need it.
NIANBAO_SCOPE_ENABLED = True
# CMS families the spider tries on listing pages, by name; None: every family.
NIANBAO_PAGERS = None
# The Redis database holding the shared frontier of a crawl on many workers (`crawl --redis`);
# None: a crawl on its own.
NIANBAO_REDIS_URL = None
# Seconds between two beats of a Redis worker's state in the roster (a worker silent for 15 s
# counts as gone, killed, and the others stop waiting for it: crawler/frontier.py).
NIANBAO_WORKER_BEAT = 1.0

# Settings for the simulated web on loopback, where politeness only slows tests down.
LOOPBACK_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_TIMEOUT": 15,
    "RETRY_TIMES": 1,
}
