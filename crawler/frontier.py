"""A crawl frontier shared by many workers in one Redis database (``nianbao crawl --redis``).

scrapy-redis keeps the request queue and the duplicate filter in Redis, so every worker
(one ``nianbao crawl`` process per machine, each with its own output folder and WARC
prefix) takes requests from one queue and no URL is fetched by two of them. This module
adds what scrapy-redis leaves to us: per-host politeness across workers (each request to a
host reserves the next free moment of that host, one download delay after the last), and
the worker roster the workers' extension uses to tell when the whole crawl is done.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.exceptions import RedisError

KEY = "nianbao:%(spider)s"  # every key of a crawl begins so; one Redis database per cluster
QUEUE_KEY = KEY + ":requests"
DUPEFILTER_KEY = KEY + ":dupefilter"
WORKERS_KEY = KEY + ":workers"  # worker id -> "busy|idle <unix time>"
HOST_KEY = KEY + ":next:"  # + host: the moment (unix time) that host may next be asked
# a worker whose heartbeat is older than this is taken for dead (killed, its machine off)
STALE_SECONDS = 15.0

# the next free moment of a host, reserved atomically: max(now, reserved) + delay is stored
_RESERVE = """
local now = tonumber(ARGV[1])
local start = math.max(now, tonumber(redis.call('get', KEYS[1]) or 0))
redis.call('set', KEYS[1], start + tonumber(ARGV[2]), 'PX', math.ceil(ARGV[3] * 1000))
return tostring(start)
"""


class RedisUnavailable(Exception):
    """The Redis server of ``--redis`` cannot be reached or refused us."""


def redis_settings(url: str) -> dict[str, Any]:
    """The Scrapy settings that put a crawl's frontier in the Redis database at ``url``."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
        "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
        # kept when one worker ends: the others still use them (the last one clears them)
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": url,
        "NIANBAO_REDIS_URL": url,
    }


def connect(url: str) -> redis.Redis:
    """A client of the Redis server at ``url``, checked with a PING."""
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=5, socket_timeout=30, decode_responses=True
        )
        client.ping()
    except (RedisError, ValueError) as problem:
        said = str(problem).rstrip(".")
        raise RedisUnavailable(
            f"cannot use Redis at {shown(url)}: {said}; start redis-server there or fix --redis"
        ) from problem
    return client


def shown(url: str) -> str:
    """``url`` with its password masked: the message lands in cron logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def keys(spider: str) -> dict[str, str]:
    """The crawl's key names for ``spider``."""
    names = {"spider": spider}
    return {
        "queue": QUEUE_KEY % names,
        "dupefilter": DUPEFILTER_KEY % names,
        "workers": WORKERS_KEY % names,
        "host": HOST_KEY % names,
    }


class SharedPoliteness:
    """Spaces the requests of all workers to one host by ``delay`` seconds."""

    def __init__(self, client: redis.Redis, spider: str, delay: float) -> None:
        self.client = client
        self.prefix = keys(spider)["host"]
        self.delay = delay
        self._reserve = client.register_script(_RESERVE)

    def wait(self, host: str) -> float:
        """Reserve this worker's next moment for ``host``; seconds to wait until it."""
        now = time.time()
        start = float(self._reserve(keys=[self.prefix + host], args=[now, self.delay, 3600]))
        return max(0.0, start - now)


def live_workers(client: redis.Redis, spider: str, now: float) -> dict[str, str]:
    """Worker id -> state ("busy" | "idle") of the workers with a recent heartbeat."""
    live = {}
    roster: dict[str, str] = client.hgetall(keys(spider)["workers"])  # type: ignore[assignment]
    for worker, value in roster.items():  # str: the client decodes (connect)
        state, _, beat = value.partition(" ")
        if now - float(beat or 0) < STALE_SECONDS:
            live[worker] = state
    return live
