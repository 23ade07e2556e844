"""Who publishes reports where: agency pools per site, and a seeded choice of (agency, year)."""

from __future__ import annotations

import heapq
import random
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    """A publishing agency: full name, its administrative region, doc-number prefix, host."""

    name: str
    region: str
    abbr: str
    host: str


_CITY_DEPTS = (
    ("发展和改革委员会", "发改"),
    ("教育委员会", "教"),
    ("科学技术委员会", "科"),
    ("经济和信息化局", "经信"),
    ("民族宗教事务委员会", "民宗"),
    ("公安局", "公"),
    ("民政局", "民"),
    ("司法局", "司"),
    ("财政局", "财"),
    ("人力资源和社会保障局", "人社"),
    ("规划和自然资源委员会", "规自"),
    ("生态环境局", "环"),
    ("住房和城乡建设委员会", "建"),
    ("交通委员会", "交"),
    ("水务局", "水"),
    ("农业农村局", "农"),
    ("文化和旅游局", "文旅"),
    ("卫生健康委员会", "卫"),
    ("退役军人事务局", "退役"),
    ("应急管理局", "应急"),
    ("审计局", "审"),
    ("市场监督管理局", "市监"),
    ("广播电视局", "广电"),
    ("体育局", "体"),
    ("统计局", "统"),
    ("园林绿化局", "绿"),
    ("医疗保障局", "医保"),
    ("知识产权局", "知"),
    ("地方金融监督管理局", "金融"),
    ("国有资产监督管理委员会", "国资"),
    ("政务服务管理局", "政服"),
    ("人民防空办公室", "人防"),
    ("粮食和物资储备局", "粮"),
    ("药品监督管理局", "药监"),
    ("文物局", "文物"),
)
_DISTRICT_DEPTS = (
    ("发展和改革委员会", "发改"),
    ("教育委员会", "教"),
    ("科学技术和信息化局", "科信"),
    ("财政局", "财"),
    ("人力资源和社会保障局", "人社"),
    ("民政局", "民"),
    ("司法局", "司"),
    ("生态环境局", "环"),
    ("住房和城乡建设委员会", "建"),
    ("交通局", "交"),
    ("水务局", "水"),
    ("农业农村局", "农"),
    ("文化和旅游局", "文旅"),
    ("卫生健康委员会", "卫"),
    ("退役军人事务局", "退役"),
    ("应急管理局", "应急"),
    ("审计局", "审"),
    ("市场监督管理局", "市监"),
    ("体育局", "体"),
    ("统计局", "统"),
    ("园林绿化局", "绿"),
    ("医疗保障局", "医保"),
    ("城市管理委员会", "城管"),
    ("商务局", "商"),
    ("人民政府办公室", "政办"),
)
_DAXING_TOWNS = (
    "黄村镇人民政府",
    "西红门镇人民政府",
    "旧宫镇人民政府",
    "亦庄镇人民政府",
    "瀛海镇人民政府",
    "青云店镇人民政府",
    "采育镇人民政府",
    "安定镇人民政府",
    "礼贤镇人民政府",
    "榆垡镇人民政府",
    "庞各庄镇人民政府",
    "北臧村镇人民政府",
    "魏善庄镇人民政府",
    "长子营镇人民政府",
    "兴丰街道办事处",
    "林校路街道办事处",
    "清源街道办事处",
    "观音寺街道办事处",
    "天宫院街道办事处",
    "高米店街道办事处",
    "荣华街道办事处",
    "博兴街道办事处",
)
_OTHER_DISTRICTS = (
    "东城区",
    "西城区",
    "朝阳区",
    "海淀区",
    "丰台区",
    "石景山区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "昌平区",
    "平谷区",
    "怀柔区",
    "密云区",
    "延庆区",
)
_STREETS = (
    "东风",
    "和平",
    "建设",
    "新华",
    "光明",
    "胜利",
    "中山",
    "人民",
    "解放",
    "长安",
    "民主",
    "团结",
    "向阳",
    "幸福",
    "振兴",
    "文化",
    "友谊",
    "前进",
    "红旗",
    "北苑",
    "南苑",
    "东湖",
    "西湖",
    "龙山",
    "凤凰",
    "金桥",
    "新村",
    "永安",
    "安贞",
    "德胜",
    "广安",
    "丰收",
    "青年",
    "花园",
    "学院",
    "科技园",
    "滨河",
    "湖光",
    "富强",
    "康乐",
)
CITY_DEPARTMENTS = _CITY_DEPTS  # (department, doc-number abbreviation)
DISTRICT_DEPARTMENTS = _DISTRICT_DEPTS
WWW, SW, CSGLW = "www.beijing.gov.cn", "sw.beijing.gov.cn", "csglw.beijing.gov.cn"
DAXING, CHAOYANG = "www.bjdx.gov.cn", "swj.chaoyang.gov.cn"
GOV_CN, SPAM_HOST = "www.gov.cn", "www.gqty188.com"
MENTOUGOU = "www.bjmtg.gov.cn"
SEED004_PATH = "/xxgk/2008-12/26/content_37361.html"
SPAM_URL = f"http://{SPAM_HOST}{SEED004_PATH}"
SEED004_URL = f"http://{MENTOUGOU}{SEED004_PATH}"  # the clean original of seed 004
GATEWAY_PREFIX = f"http://{WWW}/gate/big5/"
PORTAL_OF_HOST = {
    WWW: "beijing",
    SW: "beijing",
    CSGLW: "beijing",
    DAXING: "daxing",
    CHAOYANG: "chaoyang-ln",
    MENTOUGOU: "mentougou",
    SPAM_HOST: "mirrors",
}

YEAR_WEIGHTS = {
    **{y: 1.0 for y in range(2008, 2019)},
    2019: 4.0,
    2020: 7.0,
    2021: 7.0,
    2022: 5.0,
    2023: 4.0,
    2024: 2.0,
}
SEED_SLOTS = frozenset(
    {
        ("北京市商务局", 2019),
        ("北京市城市管理委员会", 2020),
        ("北京市大兴区商务局", 2020),
        ("朝阳市商务局", 2019),
    }
)


def agency_groups() -> list[tuple[float, list[Agency]]]:
    """(share of reports, agencies) per publishing group, most prominent first."""
    city = [Agency(f"北京市{d}", "北京市", f"京{a}", WWW) for d, a in _CITY_DEPTS]
    daxing = [
        Agency(f"北京市大兴区{d}", "北京市大兴区", f"京兴{a}", DAXING) for d, a in _DISTRICT_DEPTS
    ]
    daxing += [
        Agency(f"北京市大兴区{t}", "北京市大兴区", "兴" + t[:2], DAXING) for t in _DAXING_TOWNS
    ]
    others = []
    for district in _OTHER_DISTRICTS:
        region = f"北京市{district}"
        others += [
            Agency(f"{region}{d}", region, f"{district[0]}{a}", WWW) for d, a in _DISTRICT_DEPTS
        ]
        others += [
            Agency(f"{region}{s}街道办事处", region, f"{district[0]}{s}", WWW) for s in _STREETS
        ]
    return [
        (0.45, city),
        (0.04, [Agency("北京市商务局", "北京市", "京商", SW)]),
        (0.04, [Agency("北京市城市管理委员会", "北京市", "京管", CSGLW)]),
        (0.35, daxing),
        (0.04, [Agency("朝阳市商务局", "朝阳市", "朝商", CHAOYANG)]),
        (0.08, others),
    ]


def choose_slots(rng: random.Random, count: int) -> list[tuple[Agency, int]]:
    """Pick ``count`` distinct (agency, year) pairs, weighted by group share and year."""
    keyed: list[tuple[float, int, Agency, int]] = []
    serial = 0
    for share, agencies in agency_groups():
        for agency in agencies:
            for year, year_weight in YEAR_WEIGHTS.items():
                if (agency.name, year) in SEED_SLOTS:
                    continue
                weight = share / len(agencies) * year_weight
                # Efraimidis–Spirakis: the top keys are a weighted sample without replacement
                keyed.append((rng.random() ** (1.0 / weight), serial, agency, year))
                serial += 1
    if count > len(keyed):
        raise ValueError(f"at most {len(keyed)} generated reports are supported, not {count}")
    return [(agency, year) for _, _, agency, year in heapq.nlargest(count, keyed)]


def org_code(agency: str) -> str:
    """A stable 索引号 organisation prefix such as "11J025"."""
    crc = zlib.crc32(agency.encode("utf-8"))
    return f"11{'ABCDEFGHJKLMNPQRSTUVWXYZ'[crc % 24]}{crc // 24 % 1000:03d}"
