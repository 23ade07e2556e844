"""The simulated web's World: its truth, page specs and portal registry, and lookup(), which
renders any page lazily from its spec. simweb.building fills a World (build_world)."""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import opencc

from nianbao.simweb import attachment_reports, families, mirrors, pages, table_images
from nianbao.simweb.agencies import (
    CHAOYANG,
    CSGLW,
    DAXING,
    GOV_CN,
    MENTOUGOU,
    PORTAL_OF_HOST,
    SPAM_HOST,
    SW,
    WWW,
)
from nianbao.simweb.families import blocked
from nianbao.simweb.layout import Listing, NewsItem, ReportStyle
from nianbao.simweb.truth import Page, PortalSpec, TruthRelation, TruthReport

GATEWAY_HOSTS = (WWW, SW, CSGLW)
PORTALS = [
    PortalSpec("beijing", (f"http://{WWW}/",), (WWW, SW, CSGLW), "北京市人民政府 (simulated)"),
    PortalSpec("daxing", (f"http://{DAXING}/",), (DAXING,), "北京市大兴区人民政府 (simulated)"),
    PortalSpec("chaoyang-ln", (f"http://{CHAOYANG}/",), (CHAOYANG,), "朝阳市商务局 (simulated)"),
    PortalSpec(
        "mentougou", (f"http://{MENTOUGOU}/",), (MENTOUGOU,), "北京市门头沟区人民政府 (simulated)"
    ),
    # not a government site: spam mirrors of real reports, crawled to test spam handling
    PortalSpec("mirrors", (f"http://{SPAM_HOST}/",), (SPAM_HOST,), "spam mirror (simulated)"),
]
Spec = tuple  # ("kind", …) page spec, see World.lookup


class World:
    """Ground truth plus everything needed to render any page of the simulated web on demand."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.reports: list[TruthReport] = []
        self.non_reports: set[str] = set()
        self.disallowed: set[str] = set()
        self.offsite: set[str] = set()
        self.portals: list[PortalSpec] = list(PORTALS)
        self.seed_pages: dict[str, str] = {}
        self.pages: dict[str, Spec] = {}
        self.listings: dict[str, Listing] = {}
        self.news: list[NewsItem] = []
        self.styles: dict[str, ReportStyle] = {}  # report URL -> how its page is drawn
        self.by_url: dict[str, TruthReport] = {}
        self.mirrors: dict[str, mirrors.MirrorCopy] = {}  # mirror copy URL -> how it is drawn
        # edge cases, for tests: (start, hop, final) chains, 404 links, 500 and slow pages
        self.redirect_chains: list[tuple[str, str, str]] = []
        self.dead_links: set[str] = set()
        self.error_urls: set[str] = set()
        self.slow_urls: set[str] = set()
        # redirects, refreshes and links that lead off their portal: trap URL -> target
        self.offsite_traps: dict[str, str] = {}
        self.home_links: dict[str, list[tuple[str, str]]] = {}
        # CMS-family portals (simweb.families): host -> family, per-family listing state,
        # per portal every listing/API URL a crawl must fetch exactly once
        self.family_hosts: dict[str, str] = {}
        self.family_data: dict[str, Any] = {}  # per family: its own state (simweb.families)
        self.listing_urls: dict[str, set[str]] = {}
        self.blocked: dict[str, str] = {}  # URL -> "waf-412" | "script-only" | … (never reports)
        # copies among reports (see simweb.relations) and independent template-similar pairs
        self.relations: tuple[TruthRelation, ...] = ()
        self.distinct_pairs: tuple[tuple[str, str], ...] = ()
        self.attachment_cache: dict[str, bytes] = {}  # report URL -> its rendered file
        self.drawn_tables = False  # pictures of "image" reports print their tables
        self.s2t = opencc.OpenCC("s2t")
        self.t2s = opencc.OpenCC("t2s")

    def registry_toml(self) -> str:
        """The portal registry (TOML, ``[[portal]]`` tables) for these portals."""
        out = []
        for portal in self.portals:
            starts = ", ".join(f'"{u}"' for u in portal.start_urls)
            hosts = ", ".join(f'"{h}"' for h in portal.allowed_hosts)
            family = f'family = "{portal.family}"\n' if portal.family else ""
            out.append(
                f'[[portal]]\nname = "{portal.name}"\ntitle = "{portal.title}"\n'
                f"start_urls = [{starts}]\nallowed_hosts = [{hosts}]\n{family}"
            )
        return "\n".join(out)

    def hosts(self) -> set[str]:
        """Every host name the simulated web answers for."""
        return set(PORTAL_OF_HOST) | {GOV_CN, SPAM_HOST} | set(self.family_hosts)

    def lookup(self, url: str, form: bytes = b"") -> Page | None:
        """The answer for a GET of ``url`` (a POST when ``form`` holds its urlencoded body);
        None when no simulated host has that name."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host not in self.hosts():
            return None
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        if path == "/robots.txt":
            return _text_page(pages.robots_txt(host), "text/plain")
        key = f"http://{host}{path}"
        if host in self.family_hosts:
            params = dict(parse_qsl(parts.query) + parse_qsl(form.decode("utf-8", "replace")))
            answer = families.route(self, host, parts.path, params)
            if answer is not None:
                return answer
        if host == WWW and path.startswith("/gate/big5/"):
            return self._gateway(path[len("/gate/big5/") :])
        spec = self.pages.get(key) or self.pages.get(_alias(key))
        if spec is None:
            return self._encode(host, key, pages.not_found(host), status=404)
        kind = spec[0]
        if kind == "fam":
            return families.render(self, key, spec)
        if kind == "blocked":
            return blocked.page(key, spec[1])
        if kind == "blocked-js":
            return blocked.challenge_script()
        if kind == "redirect":
            return Page(
                spec[1],
                [("Location", spec[2]), ("Content-Type", "text/html")],
                b"<html><body>Moved</body></html>",
            )
        if kind == "error":
            return _text_page(
                "<html><body><h1>500 Internal Server Error</h1></body></html>",
                "text/html",
                status=500,
            )
        if kind == "attachment":
            return attachment_reports.attachment_answer(self, spec[1])
        if kind == "hostile":
            return attachment_reports.hostile_answer(self, spec[1])
        if kind == "attachment-page":
            return self._encode(host, key, attachment_reports.attachment_page(self, key))
        if kind == "image":
            return Page(200, [("Content-Type", "image/png")], self._picture(spec))
        delay = 1.5 if kind == "slow" else 0.0
        page = self._encode(host, key, pages.render(self, key, spec))
        return dataclasses.replace(page, delay=delay)

    def _picture(self, spec: Spec) -> bytes:
        """A table picture: the report's table drawn, or the 8x8 placeholder."""
        truth = self.by_url.get(spec[1]) if len(spec) > 1 else None
        if not self.drawn_tables or truth is None or not truth.image_cells:
            return pages.PNG_BYTES
        key = f"{spec[1]}#table{spec[2]}"
        if key not in self.attachment_cache:
            drawn = dataclasses.replace(truth, tables=truth.image_cells)
            seed = zlib.crc32(spec[1].encode())
            self.attachment_cache[key] = table_images.report_table_pngs(drawn, seed)[spec[2]]
        return self.attachment_cache[key]

    def _gateway(self, rest: str) -> Page:
        """/gate/big5/<host>/<path>: the Traditional form of a page, links left Simplified."""
        target_host = rest.split("/", 1)[0]
        if target_host not in GATEWAY_HOSTS:
            return self._encode(WWW, "", pages.not_found(WWW), status=404)
        original = "http://" + rest if "/" in rest else f"http://{rest}/"
        spec = self.pages.get(original) or self.pages.get(_alias(original))
        if spec is None or spec[0] in ("redirect", "error", "image"):
            return self.lookup(original) or self._encode(WWW, "", pages.not_found(WWW), 404)
        text = pages.render(self, original, spec, gateway=True)
        return self._encode(WWW, "", pages.absolutize_links(text, original))

    def _encode(self, host: str, url: str, text: str, status: int = 200) -> Page:
        """Encode a page as its host does, with the host's (sometimes wrong) Content-Type."""
        if host != DAXING:
            return Page(
                status, [("Content-Type", "text/html; charset=utf-8")], text.encode("utf-8")
            )
        # The district CMS: GBK bytes; the header either names no charset or the wrong one.
        wrong = zlib.crc32(url.encode()) % 2 == 1
        content_type = "text/html; charset=utf-8" if wrong else "text/html"
        return Page(
            status, [("Content-Type", content_type)], text.encode("gbk", errors="xmlcharrefreplace")
        )


def _alias(url: str) -> str:
    if url.endswith("/"):
        return url + "index.html"
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def _text_page(text: str, content_type: str, status: int = 200) -> Page:
    return Page(status, [("Content-Type", f"{content_type}; charset=utf-8")], text.encode("utf-8"))
