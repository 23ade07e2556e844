"""Scrapy settings for nianbao; ``crawler.run`` adds the per-crawl NIANBAO_* values."""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Government sites are slow and shared: obey robots.txt and stay gentle by default.
ROBOTSTXT_OBEY = True
USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao/nianbao; open-government report archiver)"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
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
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

DOWNLOADER_MIDDLEWARES = {
    # Before HttpProxyMiddleware (750), so robots.txt requests are proxied too.
    "crawler.middlewares.proxy.FixedProxyMiddleware": 740,
    # Next to the downloader: sees bodies still compressed, every redirect and retry.
    "crawler.middlewares.warc.WarcArchiveMiddleware": 950,
}
EXTENSIONS = {
    "crawler.extensions.store.StoreExtension": 500,
    "crawler.extensions.progress.ProgressExtension": 510,
}

# Settings for the simulated web on loopback, where politeness only slows tests down.
LOOPBACK_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_TIMEOUT": 15,
    "RETRY_TIMES": 1,
}
