"""Columns of the simulated portals: news and notices, report listings, and the edge cases."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from nianbao.simweb.agencies import (
    CHAOYANG,
    CSGLW,
    DAXING,
    GOV_CN,
    MENTOUGOU,
    SPAM_HOST,
    SPAM_URL,
    SW,
    WWW,
)
from nianbao.simweb.layout import Listing, NewsItem, adaptive_page_size

if TYPE_CHECKING:
    from nianbao.simweb.world import World

HOST_SHARES = ((WWW, 0.5), (SW, 0.1), (CSGLW, 0.1), (DAXING, 0.25), (CHAOYANG, 0.05))
NEWS_COLUMNS = {
    WWW: ("/ywdt/yaowen/", "/gongkai/tzgg/"),
    SW: ("/xwzx/",),
    CSGLW: ("/xwzx/",),
    DAXING: ("/xwzx/",),
    CHAOYANG: ("/xwzx/",),
}
COLUMN_TITLES = {"/ywdt/yaowen/": "要闻动态", "/gongkai/tzgg/": "通知公告", "/xwzx/": "新闻中心"}
WHO = {
    WWW: ("市政府", "市政府常务会议", "市领导"),
    SW: ("市商务局",),
    CSGLW: ("市城市管理委",),
    DAXING: ("大兴区", "区政府"),
    CHAOYANG: ("朝阳市商务局",),
}
TOPICS = (
    "优化营商环境",
    "垃圾分类",
    "疫情防控",
    "接诉即办",
    "冬奥会服务保障",
    "乡村振兴",
    "老旧小区改造",
    "国际消费季",
    "安全生产",
    "科技创新",
    "政务服务改革",
    "防汛",
    "供热保障",
    "背街小巷整治",
    "文化惠民",
    "夜间经济",
    "外贸稳增长",
    "无障碍环境建设",
)
NEWS_PATTERNS = (
    "{who}召开{topic}工作推进会",
    "{who}部署{topic}重点任务",
    "{topic}工作取得新进展",
    "{who}开展{topic}专题调研",
    "{who}通报{year}年{topic}工作情况",
)
NOTICE_PATTERNS = (
    "关于开展{year}年{topic}工作的通知",
    "关于印发《{topic}工作方案》的通知",
    "关于{topic}有关事项的公告",
)
YEAR_TRAIL = (
    ("首页", "/"),
    ("政务公开", "/gongkai/index.html"),
    ("政府信息公开年报", "/gongkai/zfxxgknb/index.html"),
)
REPORT_COLUMN = {
    SW: "/zwgk/zfxxgknb/",
    CSGLW: "/zwgk/zfxxgknb/",
    DAXING: "/zwgk/zfxxgknb/",
    CHAOYANG: "/zfxxgk/ndbg/",
    MENTOUGOU: "/xxgk/zfxxgknb/",
    SPAM_HOST: "/news/",
}
LINK_PAGERS = frozenset({DAXING, SPAM_HOST})  # hosts paginating with plain 下一页 links
DRAFT_URL = f"http://{DAXING}/zwgk/draft/nb_draft.html"
INTERNAL_URL = f"http://{WWW}/gongkai/internal/nbgl.html"


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _article_url(host: str, column: str, date: str, ident: int) -> str:
    day = date.replace("-", "")
    return f"http://{host}{column}{day[:6]}/t{day}_{ident}.html"


def add_news(world: World, rng: random.Random, ident: Callable[[], int], count: int) -> None:
    """News, notices and report-like distractors (all non-reports), ~``count`` of them."""
    hosts = [h for h, _ in HOST_SHARES]
    weights = [w for _, w in HOST_SHARES]
    items: list[NewsItem] = []
    for _ in range(count):
        host = rng.choices(hosts, weights)[0]
        column = rng.choice(NEWS_COLUMNS[host])
        year = rng.randint(2008, 2024)
        date = _date(rng, year)
        kind = "notice" if column == "/gongkai/tzgg/" else "news"
        pattern = rng.choice(NOTICE_PATTERNS if kind == "notice" else NEWS_PATTERNS)
        title = pattern.format(who=rng.choice(WHO[host]), topic=rng.choice(TOPICS), year=year)
        items.append(
            NewsItem(host, _article_url(host, column, date, ident()), title, date, kind, column)
        )
    for year in (2019, 2020, 2021, 2022):
        date = f"{year}-11-{rng.randint(10, 28)}"
        items.append(
            NewsItem(
                WWW,
                _article_url(WWW, "/gongkai/tzgg/", date, ident()),
                f"关于做好{year}年政府信息公开工作年度报告编制工作的通知",
                date,
                "nb-notice",
                "/gongkai/tzgg/",
            )
        )
    for year in (2019, 2020):
        date = f"{year + 1}-03-{rng.randint(10, 28)}"
        items.append(
            NewsItem(
                WWW,
                _article_url(WWW, "/gongkai/tzgg/", date, ident()),
                f"北京住房公积金{year}年年度报告",
                date,
                "hpf",
                "/gongkai/tzgg/",
            )
        )
    for year in (2019, 2020):
        date = f"{year + 1}-03-{rng.randint(10, 28)}"
        items.append(
            NewsItem(
                DAXING,
                _article_url(DAXING, "/xwzx/", date, ident()),
                f"北京市大兴区{year}年国民经济和社会发展统计公报",
                date,
                "stat",
                "/xwzx/",
            )
        )
    explained = [
        r
        for r in world.reports
        if r.host == WWW and r.source == "generated" and r.generation != "prose"
    ]
    for i, report in enumerate(explained):
        if i and rng.random() >= 0.06:
            continue
        column = f"/gongkai/zfxxgknb/{report.year}/"
        items.append(
            NewsItem(
                WWW,
                _article_url(WWW, column, report.published, ident()),
                f"{report.agency}{report.year}年政府信息公开工作年度报告解读",
                report.published,
                "jiedu",
                column,
            )
        )
    world.news = items
    for index, item in enumerate(items):
        world.pages[item.url] = ("news", index)
        world.non_reports.add(item.url)


def _newest_first(items: list[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted(items, key=lambda item: (item[2], item[1]), reverse=True))


def _register(world: World, listing: Listing) -> None:
    key = f"{listing.host}{listing.base}"
    world.listings[key] = listing
    for index in range(listing.page_count):
        url = f"http://{listing.host}{listing.page_path(index)}"
        world.pages[url] = ("listing", key, index)
        world.non_reports.add(url)


def add_listings(world: World) -> None:
    """Report columns (per year on the city portal) and news columns, all paginated."""
    by_year: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    by_host: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for report in world.reports:
        if report.source.startswith("gateway:"):
            continue
        item = (report.title_printed or report.title, report.url, report.published)
        if report.portal == "beijing":
            by_year[report.year].append(item)
        if report.host != WWW:
            by_host[report.host].append(item)
    by_column: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for news in world.news:
        item = (news.title, news.url, news.date)
        if news.kind == "jiedu":
            by_year[int(news.column.split("/")[3])].append(item)
        else:
            by_column[(news.host, news.column)].append(item)
    for year, items in by_year.items():
        year_page = (f"{year}年", f"/gongkai/zfxxgknb/{year}/index.html")
        trail: tuple[tuple[str, str], ...] = (*YEAR_TRAIL, year_page)
        title = f"{year}年政府信息公开工作年度报告"
        _register(
            world,
            Listing(
                WWW,
                f"/gongkai/zfxxgknb/{year}/",
                title,
                trail,
                _newest_first(items),
                adaptive_page_size(len(items)),
                "trs",
            ),
        )
    world.pages[f"http://{WWW}/gongkai/zfxxgknb/index.html"] = ("years", tuple(sorted(by_year)))
    world.non_reports.add(f"http://{WWW}/gongkai/zfxxgknb/index.html")
    for host, base in REPORT_COLUMN.items():
        items = by_host.get(host, [])
        extra = (("年报编制稿（内部）", DRAFT_URL),) if host == DAXING else ()
        trail = (("首页", "/"), ("政务公开", f"{base}index.html"))
        title = "最新资讯" if host == SPAM_HOST else "政府信息公开年报"
        _register(
            world,
            Listing(
                host,
                base,
                title,
                trail,
                _newest_first(items),
                adaptive_page_size(len(items)),
                "links" if host in LINK_PAGERS else "trs",
                extra,
            ),
        )
    for host, columns in NEWS_COLUMNS.items():
        for column in columns:
            items = by_column.get((host, column), [])
            trail = (("首页", "/"), (COLUMN_TITLES[column], f"{column}index.html"))
            _register(
                world,
                Listing(
                    host,
                    column,
                    COLUMN_TITLES[column],
                    trail,
                    _newest_first(items),
                    20,
                    "links" if host == DAXING else "trs",
                ),
            )
    world.disallowed.add(DRAFT_URL)
    world.pages[DRAFT_URL] = ("plain", "大兴区政府信息公开年报编制稿")


def add_edge_cases(world: World) -> None:
    """Home pages, robots-forbidden links, redirect chains, 404/500 links and a slow page."""
    for host in (WWW, SW, CSGLW, DAXING, CHAOYANG, MENTOUGOU, SPAM_HOST):
        world.pages[f"http://{host}/"] = ("home", host)
        world.non_reports.add(f"http://{host}/")
        world.home_links[host] = []
    world.pages[f"http://{WWW}/gongkai/index.html"] = ("gongkai",)
    world.non_reports.add(f"http://{WWW}/gongkai/index.html")
    world.pages[INTERNAL_URL] = ("plain", "政府信息公开年报管理（内部）")
    world.disallowed.add(INTERNAL_URL)

    old = f"http://{WWW}/old/zfxxgknb/index.html"
    moved = f"http://{WWW}/old/zfxxgknb/moved.html"
    final = f"http://{WWW}/gongkai/zfxxgknb/index.html"
    world.pages[old] = ("redirect", 301, moved)
    world.pages[moved] = ("redirect", 302, final)
    world.redirect_chains.append((old, moved, final))
    world.home_links[WWW].append(("政府信息公开年报（旧版）", old))
    target = next((r.url for r in world.reports if r.host == WWW), None)
    target = target or next(r.url for r in world.reports if r.source == "seed:000")
    old_report = f"http://{WWW}/old/nb/t_{target.rsplit('_', 1)[-1]}"
    hop = old_report.replace(".html", "_new.html")
    world.pages[old_report] = ("redirect", 301, hop)
    world.pages[hop] = ("redirect", 302, target)
    world.redirect_chains.append((old_report, hop, target))
    world.home_links[WWW].append(("年度报告（原地址）", old_report))

    for host, url, label in (
        (WWW, f"http://{WWW}/ztzl/2015lh/index.html", "2015年全国两会专题"),
        (DAXING, f"http://{DAXING}/zwgk/old_nb.html", "往年年报"),
    ):
        world.dead_links.add(url)
        world.home_links[host].append((label, url))
    error = f"http://{WWW}/hudong/diaocha/index.html"
    world.pages[error] = ("error",)
    world.error_urls.add(error)
    world.home_links[WWW].append(("网上调查", error))
    slow = next((n for n in world.news if n.host == WWW and n.column == "/ywdt/yaowen/"), None)
    if slow is not None:
        world.pages[slow.url] = ("slow", world.news.index(slow))
        world.slow_urls.add(slow.url)
    world.home_links[WWW] += [
        ("北京市商务局", f"http://{SW}/"),
        ("北京市城市管理委员会", f"http://{CSGLW}/"),
    ]
    world.home_links[DAXING].append(("友情链接：大兴商务信息", SPAM_URL))
    world.pages[f"http://{GOV_CN}/"] = ("govcn",)
    world.offsite.add(f"http://{GOV_CN}/")
