"""Vocabulary for spam detection, as data (Simplified forms; callers convert Traditional first).

Where it came from (no network was used, no external list was downloaded):
- the spam shapes documented in ../shared/REPORT_FORMAT.md ("Spam we have seen") and the one
  real sample we hold, seed 004, whose brand "滚球体育app_188篮球比分-直播|官网:" gives the
  first words (滚球, 体育, app, 篮球, 比分, 直播, 官网) and the separators;
- a hand-curated list, written for this project, of the words Chinese-language gambling
  and porn SEO spam is commonly built from (betting verbs and products, casino games,
  "official site / download / register" calls to action, well-known casino brand names);
- the legitimate compounds that share those words (福利彩票, 体育彩票, 体育局 …), collected
  by hand from what government reports really discuss, as a whitelist.
Nothing here is a list of brands to match verbatim: detection combines these words with the
shape rules in extract/spam.py, so a brand never seen before is found from its parts.
"""

from __future__ import annotations

# Words that by themselves point to betting, casinos or porn. One of these is required
# before a brand-shaped string or a swapped term counts as spam.
STRONG_TERMS: frozenset[str] = frozenset({
    # betting and its products
    "滚球", "比分", "投注", "下注", "竞猜", "博彩", "赌球", "赌博", "赌场", "赌城", "赌钱",
    "买球", "外围", "盘口", "赔率", "让球", "串关", "菠菜", "彩金", "返水", "开户",
    "娱乐城", "娱乐场", "真人", "视讯", "百家乐", "龙虎", "牛牛", "炸金花", "德州扑克",
    "老虎机", "电子游艺", "捕鱼", "棋牌", "电竞", "时时彩", "六合彩", "快三", "北京赛车",
    "幸运飞艇", "彩票网", "购彩", "网投", "网赌", "娱乐", "体彩网",
    # casino / betting brand words used as names (a name alone is not enough: shape decides)
    "皇冠", "威尼斯人", "葡京", "新葡京", "金沙", "永利", "太阳城", "凯发", "亚博", "开云",
    "乐鱼", "必威", "米乐", "华体会", "九游", "半岛", "雷竞技", "沙巴", "澳门", "澳彩",
    "bet", "casino",
    # porn
    "色情", "成人", "黄色", "无码", "有码", "激情", "裸聊", "约炮", "一夜情", "伦理片",
    "午夜", "福利片", "av", "黄片", "色播", "偷拍", "自拍", "美女直播", "三级片",
})

# Words that fill out such brands and lines but are ordinary on their own.
WEAK_TERMS: frozenset[str] = frozenset({
    "体育", "足球", "篮球", "网球", "排球", "赛事", "直播", "比赛", "彩票", "官方",
    "平台", "在线", "线上", "手机", "网页", "客户端", "最新", "免费", "高清", "视频",
    "中国", "亚洲", "国际", "首页", "推荐", "大全", "排行", "排名", "实时", "即时",
    "集团", "俱乐部", "游戏", "电子", "观看", "资讯", "官方网站",
})

# Calls to action that make a string a *site* name: the brand-shape marker words.
WEB_TERMS: frozenset[str] = frozenset({
    "app", "官网", "官方网站", "网站", "网址", "下载", "平台", "入口", "注册", "登录",
    "登陆", "网页版", "手机版", "客户端", "链接", "网", "com", "cn", "net", "vip", "www",
})

# Real government topics that contain spam words; masked before any spam word is counted.
LEGITIMATE: tuple[str, ...] = (
    "福利彩票", "体育彩票", "彩票公益金", "彩票销售", "彩票管理", "彩票发行", "彩票机构",
    "体育局", "体育总局", "体育场", "体育馆", "体育中心", "体育公园", "体育产业", "体育事业",
    "体育运动", "体育赛事", "体育设施", "体育场馆", "全民健身", "体育彩票管理",
    "打击赌博", "禁赌", "赌博违法", "非法赌博", "查处赌博", "成人教育", "成人高考",
    "真人真事", "娱乐场所", "文化娱乐", "娱乐业", "政务服务", "电子政务", "电子证照",
    "电子游戏", "自拍照", "开户银行", "银行开户", "半岛都市", "澳门特别行政区", "中国澳门",
)

# Template phrases of these reports with the common words a keyword swap replaces.
SWAP_WORDS: tuple[str, ...] = ("公开", "政府", "信息", "政务")
TEMPLATE_PHRASES: tuple[str, ...] = (
    "政府信息公开条例", "政府信息公开工作", "政府信息公开", "政府信息", "信息公开",
    "主动公开", "依申请公开", "申请公开", "公开申请", "政务公开", "公开指南", "公开目录",
    "不予公开", "部分公开", "予以公开", "人民政府", "市政府", "区政府", "县政府", "政府网站",
    "政务信息", "公开工作", "公开情况",
)
