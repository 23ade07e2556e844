"""A database served by Datasette: the data dictionary as its metadata, read-only, on loopback.

Datasette runs in this process through its Python API and uvicorn, so nothing is written for
it: the metadata is a dict in memory, the socket is bound here (a port in use is one line,
not a traceback), and the database is opened with SQLite's ``mode=ro`` (``immutable`` when a
read-only open cannot work: a WAL database in a folder where nobody can make its ``-shm``
file, and so where no writer can change it either).

Search: the reports table's search box queries ``reports_fts`` (trigram FTS5). A trigram
index matches nothing for a word under three characters (财政, 公开), so a search holding
such a word is redirected to the same page filtered with ``text_simplified`` *contains* each
word in Simplified (``short_search_fallback``): a scan, slower, but never an empty answer
for a word the reports print. The page then shows the filter instead of the search. The JSON
API (``reports.json?_search=``) is left as Datasette answers it: empty for such a word.
A search in Traditional is redirected to its Simplified form, which the index holds for
every report whatever script it was printed in.
"""

from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import sqlite3
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from nianbao.archive.errors import PlaceError
from nianbao.archive.places import database
from nianbao.archive.search.index import ENDS_TABLE, FTS_TABLE, TERMS_TABLE
from nianbao.archive.store.dictionary import DESCRIPTIONS
from nianbao.extract.script import to_simplified

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
TRIGRAM = 3  # the trigram tokenizer's shortest match
SHORT_SEARCH_COLUMN = "text_simplified"  # every report's text in one script: 財政 finds 财政
FACETS = ["year", "agency", "region"]
# FTS5's own tables behind reports_fts (``_content`` only exists for internal content)
FTS_SHADOWS = tuple(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
SETTINGS = {
    "truncate_cells_html": 160,  # a report's text is pages long: a glimpse per cell
    "suggest_facets": False,  # one query per column of 35 on every page view
    "sql_time_limit_ms": 5000,  # the short-word fallback scans every report's text
    "facet_time_limit_ms": 1000,
}
SEARCH_NOTE = (
    "Search finds any run of three or more characters in the title, agency or text; a word "
    "typed in Simplified finds Traditional reports too (their Simplified text is indexed). "
    "A word under three characters (财政) is beyond the trigram index: such a search becomes "
    f"the filter '{SHORT_SEARCH_COLUMN} contains' each word, in Simplified (a slower scan)."
)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class NotLoopback(PlaceError):
    """A host that would let other machines read the database, without ``public``."""


class PortUnavailable(PlaceError):
    """A port that cannot be listened on: in use, privileged, or not on this machine."""


@dataclass(frozen=True)
class Served:
    """Where a database is being served, and how it was opened."""

    db: Path
    url: str  # the home page
    reports_url: str  # the reports table, with its search box and facets
    immutable: bool  # opened with immutable=1 (the folder is read-only), else mode=ro
    searchable: bool  # it has the full-text index (databases before it have none)


def metadata(db_name: str, *, searchable: bool = True) -> dict[str, Any]:
    """Datasette metadata for the nianbao database Datasette names ``db_name``: every table
    and column described, facets and sort on reports, its full-text index wired (unless the
    database predates it: ``searchable`` False) and hidden with FTS5's shadow tables."""
    tables: dict[str, dict[str, Any]] = {
        name: {"description": doc.description, "columns": dict(doc.columns)}
        for name, doc in DESCRIPTIONS.items()
    }
    reports = tables["reports"]
    reports.update(facets=list(FACETS), sort_desc="year", label_column="title")
    if searchable:
        reports["description"] += " " + SEARCH_NOTE
        # rowid: the FTS rows are the reports' rowids (external content), not their text ids
        reports.update(fts_table=FTS_TABLE, fts_pk="rowid")
    for hidden in (FTS_TABLE, *FTS_SHADOWS, ENDS_TABLE, TERMS_TABLE):
        tables[hidden] = {"hidden": True}
    return {
        "title": "nianbao archive",
        "description": (
            "Annual open-government-information reports of Chinese government portals, "
            "extracted from the WARC files of nianbao crawls. Start at the reports table; "
            "docs/data-dictionary.md describes every table. Read-only."
        ),
        "databases": {db_name: {"tables": tables}},
    }


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only: localhost or a loopback address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any address
        return False


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (0: any free port); PortUnavailable if not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except socket.gaierror as err:
        raise PortUnavailable(
            f"cannot listen on {host}: {err.strerror}: pass --host 127.0.0.1"
        ) from err
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            why = "is in use (another `nianbao serve` or datasette?): pass --port N, or 0"
        elif err.errno == errno.EACCES:
            why = "needs root: pass --port 1024 or above"
        else:
            why = f"cannot be listened on ({err.strerror}): pass --host 127.0.0.1"
        raise PortUnavailable(f"port {port} on {host} {why}") from err


def needs_immutable(path: Path) -> bool:
    """Whether SQLite cannot open ``path`` read-only (mode=ro): a WAL database whose -shm
    file is missing in a folder that cannot be written."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError:
        return True
    return False


def has_fts(path: Path, immutable: bool) -> bool:
    """Whether the database has the reports' full-text index (older ones lack it)."""
    mode = "immutable=1" if immutable else "mode=ro"
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)) as conn:
        found = conn.execute(
            "select 1 from sqlite_master where name = ? and type = 'table'", [FTS_TABLE]
        ).fetchone()
    return found is not None


def short_words(search: str) -> list[str] | None:
    """The words of a search, in Simplified, when one is too short for the trigram index;
    None when the index can answer it (or it is empty)."""
    words = list(dict.fromkeys(word.strip('"') for word in search.split()))
    words = [word for word in words if word]
    if not words or all(len(word) >= TRIGRAM for word in words):
        return None
    return [to_simplified(word) for word in words]


def fallback_query(query: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The table page's query string with a short search turned into contains filters, or
    None to leave it as it is."""
    searches = [value for key, value in query if key == "_search"]
    if not searches:
        return None
    # _next is a page of the old answer: the new one starts at its first row
    kept = [(key, value) for key, value in query if key not in ("_search", "_next")]
    words = short_words(searches[-1])
    if words is not None:
        return kept + [(f"{SHORT_SEARCH_COLUMN}__contains", word) for word in words]
    # Traditional words match only Traditional originals; their Simplified form matches
    # every report through its indexed Simplified text
    simplified = to_simplified(searches[-1])
    if simplified == searches[-1]:
        return None
    return kept + [("_search", simplified)]


def short_search_fallback(app: App, table_path: str) -> App:
    """``app`` with the search of the table page at ``table_path`` redirected to contains
    filters when a word is under three characters (see ``fallback_query``)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
        if scope["type"] == "http" and raw.decode("ascii", "replace") == table_path:
            query = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), True)
            target = fallback_query(query)
            if target is not None:
                location = f"{table_path}?{urlencode(target)}".encode("ascii")
                await send(
                    {
                        "type": "http.response.start",
                        "status": 302,
                        "headers": [(b"location", location), (b"content-length", b"0")],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await app(scope, receive, send)

    return wrapped


def _url(host: str, port: int, path: str = "/") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def browse_app(path: Path, immutable: bool, searchable: bool) -> tuple[App, str]:
    """Datasette's ASGI app over the database at ``path``, and its reports table's path."""
    from datasette.app import Datasette  # type: ignore[import-untyped]

    name = path.stem  # what Datasette names a database file, and its metadata's key
    files = {"immutables" if immutable else "files": [str(path)]}
    ds = Datasette(**files, metadata=metadata(name, searchable=searchable), settings=SETTINGS)
    reports = str(ds.urls.table(name, "reports"))
    return short_search_fallback(ds.app(), reports), reports


def serve(
    db: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public: bool = False,
    ready: Callable[[Served], None] | None = None,
) -> None:
    """Serve the database at ``db`` read-only at http://HOST:PORT/ until Ctrl-C (or
    SIGTERM), then return. ``ready`` is called once the port is listened on. PlaceError,
    before anything starts, for a bad database, a non-loopback host without ``public``,
    or a port that cannot be had."""
    import uvicorn

    path = database(Path(db)).resolve()
    if not (public or is_loopback(host)):
        raise NotLoopback(
            f"--host {host} would let other machines read {path.name}: use 127.0.0.1, or "
            "add --public to mean it"
        )
    immutable = needs_immutable(path)
    searchable = has_fts(path, immutable)
    app, reports = browse_app(path, immutable, searchable)
    listener = listen(host, port)
    bound = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    if ready is not None:
        url = _url(host, bound)
        ready(Served(path, url, _url(host, bound, reports), immutable, searchable))
    main = threading.current_thread() is threading.main_thread()
    # SIGTERM as Ctrl-C: uvicorn stops cleanly on either, then raises it again for us
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler) if main else None
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:  # the way out, not a failure
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        listener.close()
