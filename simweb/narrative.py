"""Varied report prose: independently written reports share the template, not their sentences.

Each paragraph is composed from clause banks (adverb + verb + object, focus areas, purposes),
so two reports drawn independently share only a small part of their character n-grams, while
a copied report (``simweb.relations``) shares most of them. Prose-era filler states no numbers
and avoids every key-figure word (申请, 复议, 诉讼, 收费 …), so it adds no figure.
"""

from __future__ import annotations

import random

from nianbao.simweb.template import SECTION_HEADINGS
from nianbao.simweb.truth import TruthCell, TruthSection

FOCUS = (
    "优化营商环境",
    "垃圾分类",
    "接诉即办",
    "乡村振兴",
    "老旧小区改造",
    "安全生产",
    "科技创新",
    "政务服务改革",
    "防汛抗旱",
    "供热保障",
    "背街小巷整治",
    "文化惠民",
    "夜间经济",
    "外贸稳增长",
    "无障碍环境建设",
    "生态环境保护",
    "城市更新",
    "民生保障",
    "就业创业",
    "养老服务",
    "医疗卫生",
    "教育均衡",
    "交通治理",
    "住房保障",
    "食品安全",
    "疏解整治促提升",
    "减税降费",
    "财政预决算",
    "重大建设项目",
    "公共资源配置",
    "社会救助",
    "市场监管",
    "应急管理",
    "节能减排",
    "京津冀协同发展",
    "数字政府建设",
    "农村人居环境整治",
    "消费升级",
    "知识产权保护",
    "社区治理",
)
ADVERBS = (
    "进一步",
    "持续",
    "着力",
    "认真",
    "不断",
    "扎实",
    "全面",
    "积极",
    "切实",
    "稳步",
    "大力",
    "有序",
)
VERBS = (
    "完善",
    "健全",
    "规范",
    "细化",
    "优化",
    "强化",
    "落实",
    "推进",
    "深化",
    "加强",
    "改进",
    "创新",
    "梳理",
    "夯实",
    "提升",
    "拓展",
)
OBJECTS = {
    "proactive": (
        "重点领域信息发布",
        "政策文件集中公开",
        "规划计划类信息发布",
        "财政信息公开",
        "公共服务事项公开",
        "执行和结果公开",
        "权力清单和责任清单公开",
        "行政执法结果公示",
        "部门预决算公开",
        "建议提案办理结果公开",
        "民生实事进展公开",
        "政策解读回应",
        "会议开放工作",
        "决策预公开",
    ),
    "requests": (
        "依申请公开办理流程",
        "登记审核环节",
        "答复文书格式",
        "会商研判机制",
        "办理台账管理",
        "沟通联系机制",
        "法律顾问审核",
        "在线办理渠道",
        "办理时限提醒",
        "疑难件集体研究制度",
    ),
    "management": (
        "公开属性源头认定",
        "保密审查机制",
        "主动公开基本目录",
        "公文类信息管理",
        "历史文件清理",
        "规范性文件动态更新",
        "信息发布协调机制",
        "公开目录编制",
        "内容审核把关",
        "档案移交衔接",
    ),
    "platform": (
        "政府网站集约化建设",
        "政务新媒体管理",
        "网站栏目内容保障",
        "政策文件库建设",
        "智能问答服务",
        "无障碍浏览功能",
        "移动端页面适配",
        "留言答复机制",
        "政务公开专区建设",
        "检索查询功能",
    ),
    "oversight": (
        "政务公开考核评价",
        "业务骨干培训",
        "社会评议机制",
        "责任追究制度",
        "内部督查通报",
        "第三方评估",
        "工作年度台账",
        "专项检查整改",
        "联络员队伍建设",
        "日常监测机制",
    ),
}
LEADS = {
    "proactive": ("主动公开方面。", "在主动公开方面，", "主动公开工作中，", "着力深化主动公开。"),
    "requests": (
        "依申请公开方面。",
        "在依申请公开方面，",
        "规范依申请公开。",
        "依申请公开工作中，",
    ),
    "management": (
        "政府信息管理方面。",
        "在政府信息管理方面，",
        "加强政府信息管理。",
        "信息管理工作中，",
    ),
    "platform": ("平台建设方面。", "在平台建设方面，", "加强公开平台建设。", "平台建设上，"),
    "oversight": ("监督保障方面。", "在监督保障方面，", "强化监督保障。", "监督考核上，"),
}
NUMBERS = {
    "proactive": (
        "全年发布政策解读{readings}篇，回应社会关切{responses}次。",
        "全年累计发布解读材料{readings}篇，回应热点问题{responses}次。",
        "共制作图解、视频等解读产品{readings}件，处理网民关切{responses}件次。",
    ),
    "requests": (
        "全年共收到政府信息公开申请{requests}件，均在法定期限内答复。",
        "本年度新收申请{requests}件，全部按期办结。",
        "全年登记公开申请{requests}件，无超期答复情况。",
    ),
    "management": (
        "全年报送规范性文件{filed}件。",
        "本年度清理历史文件{filed}件。",
        "全年审核拟公开信息{filed}批次。",
    ),
    "platform": (
        "政务微信公众号全年发布信息{wechat}条。",
        "网站全年更新各类信息{wechat}条。",
        "政务微博全年推送信息{wechat}条。",
    ),
    "oversight": (
        "全年组织业务培训{trainings}次。",
        "本年度开展专项检查{trainings}次。",
        "全年召开专题会议{trainings}次。",
    ),
}
PURPOSES = (
    "确保信息发布及时准确",
    "切实保障公众知情权",
    "提高公开工作规范化水平",
    "增强公开实效",
    "方便群众查询获取",
    "做到应公开尽公开",
    "提升政府公信力",
    "推动公开标准化建设",
    "回应群众关切",
    "夯实工作基础",
    "形成工作闭环",
    "不断提高群众满意度",
    "压实工作责任",
    "促进依法行政",
    "提升服务质量",
    "扩大公众参与",
)
GUIDES = (
    "坚持以习近平新时代中国特色社会主义思想为指导",
    "认真贯彻落实《中华人民共和国政府信息公开条例》",
    "按照全市政务公开工作要点的部署",
    "紧紧围绕中心工作",
    "坚持以公开为常态、不公开为例外",
    "深入贯彻党中央、国务院关于全面推进政务公开的决策部署",
    "把政务公开作为转变政府职能的重要抓手",
    "坚持以人民为中心的发展思想",
    "认真落实上级机关关于政务公开的各项要求",
)
PROBLEMS = (
    "政策解读的形式还不够丰富",
    "依申请公开办理的规范化水平有待提高",
    "网站栏目内容更新不够及时",
    "公开内容与群众需求结合不够紧密",
    "基层工作人员业务能力参差不齐",
    "政务新媒体互动性不强",
    "信息公开的深度和广度有待拓展",
    "公开工作的信息化水平还不高",
    "部分栏目信息分类不够清晰",
    "主动回应社会关切的时效性不足",
    "公开目录的动态调整不够及时",
    "工作机制的协同性有待增强",
)
TABLE_LEADS = (
    ("本年度主动公开政府信息情况如下：", "主动公开政府信息情况见下表：", "具体情况如下："),
    ("本年度收到和处理政府信息公开申请情况如下：", "申请办理情况见下表：", "具体办理情况如下："),
    (
        "本年度政府信息公开行政复议、行政诉讼情况如下：",
        "复议诉讼情况见下表：",
        "具体情况统计如下：",
    ),
)
OTHER = (
    ("本年度未收取信息处理费。", "本年度未产生信息处理费。", "本机关本年度未收取任何信息处理费。"),
    (
        "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "本报告中所列数据统计期限为{year}年1月1日至{year}年12月31日。",
    ),
    (
        "{agency}网站网址为{site}，如需了解更多政府信息，请登录查询。",
        "如需了解更多政府信息，请登录{agency}网站（{site}）查询。",
        "公众可通过{site}查阅{agency}主动公开的政府信息。",
    ),
)
PROSE_OPENINGS = (  # every one cites the regulation, as real reports do
    "{year}年，{agency}按照市、区统一部署，认真贯彻落实《中华人民共和国政府信息公开条例》",
    "{year}年，{agency}以公开促规范、以公开促服务，全面落实《中华人民共和国政府信息公开条例》",
    "{year}年度，{agency}依据《中华人民共和国政府信息公开条例》，紧紧围绕年度重点工作推进政府信息公开",
    "{year}年，{agency}严格执行《中华人民共和国政府信息公开条例》，把政府信息公开作为推进依法行政的重要内容",
)
PROSE_BUILDING = (
    "成立了以主要领导为组长的政府信息公开工作领导小组",
    "明确专人负责日常工作",
    "制定了政府信息公开工作制度",
    "健全了信息发布审核机制",
    "编制了政府信息公开指南和目录",
    "在办公场所设置了信息查阅点",
    "将公开工作纳入年度考核",
    "建立了公开工作联络员制度",
    "开展了保密审查",
    "完善了工作流程",
    "加强了档案资料管理",
    "利用网站及时发布工作动态",
    "通过公告栏、宣传册等多种形式公开信息",
    "加强了对科室的指导和检查",
)
PROSE_WEAKNESSES = (
    "公开内容不够全面",
    "更新不够及时",
    "公开形式比较单一",
    "工作人员业务水平有待提高",
    "基础工作比较薄弱",
    "网站栏目设置不够合理",
    "宣传力度不够",
    "工作制度有待完善",
)


def _clause(rng: random.Random, topic: str) -> str:
    """One action clause about ``topic``: adverb, verb and object, sometimes a focus area."""
    action = f"{rng.choice(VERBS)}{rng.choice(OBJECTS[topic])}"
    roll = rng.random()
    if roll < 0.3:
        return f"围绕{rng.choice(FOCUS)}{rng.choice(('等重点领域', '等方面', '相关工作'))}{action}"
    if roll < 0.55:
        return f"{rng.choice(ADVERBS)}{action}，{rng.choice(PURPOSES)}"
    return f"{rng.choice(ADVERBS)}{action}"


def _topic_paragraph(rng: random.Random, topic: str, nums: dict[str, object]) -> str:
    clauses = "，".join(_clause(rng, topic) for _ in range(rng.randint(2, 3)))
    return f"{rng.choice(LEADS[topic])}{clauses}。{rng.choice(NUMBERS[topic]).format(**nums)}"


def _t3_new_total(cells: tuple[TruthCell, ...]) -> int:
    for cell in cells:
        if cell.table == 3 and cell.column == "总计" and cell.row.startswith("一、"):
            return int(cell.value or 0)
    return 0


def template_sections(
    rng: random.Random, agency: str, year: int, site: str, cells: tuple[TruthCell, ...]
) -> tuple[TruthSection, ...]:
    """The six sections of a 2019/2021 template report; tables excluded from the text."""
    nums: dict[str, object] = {
        "year": year,
        "agency": agency,
        "site": site,
        "published": rng.randint(80, 4000),
        "readings": rng.randint(2, 60),
        "responses": rng.randint(1, 90),
        "requests": _t3_new_total(cells),
        "filed": rng.randint(0, 30),
        "wechat": rng.randint(50, 3000),
        "trainings": rng.randint(1, 8),
    }
    guides = "，".join(rng.sample(GUIDES, 2))
    opening = (
        f"{year}年，{agency}{guides}，{rng.choice(ADVERBS)}{rng.choice(VERBS)}"
        f"{rng.choice(FOCUS)}相关信息公开，全年通过政府网站主动公开政府信息"
        f"{nums['published']}条。"
    )
    topics = ["proactive", "requests"] + rng.sample(
        ["management", "platform", "oversight"], rng.randint(1, 3)
    )
    overview = [opening] + [_topic_paragraph(rng, t, nums) for t in topics]
    problems = []
    for ordinal, problem in zip("一二三", rng.sample(PROBLEMS, rng.randint(2, 3)), strict=False):
        topic = rng.choice(tuple(OBJECTS))
        problems.append(
            f"{ordinal}是{problem}。下一步，将{rng.choice(ADVERBS)}{rng.choice(VERBS)}"
            f"{rng.choice(OBJECTS[topic])}，{rng.choice(PURPOSES)}。"
        )
    other = [rng.choice(group).format(**nums) for group in OTHER[rng.randrange(2) :]]
    bodies = [overview, *([rng.choice(leads)] for leads in TABLE_LEADS), problems, other]
    variant = rng.randrange(3)
    sections = []
    for i, paragraphs in enumerate(bodies):
        heading = SECTION_HEADINGS[i][variant if rng.random() < 0.5 else 0]
        sections.append(TruthSection(i + 1, heading, "\n".join(paragraphs)))
    return tuple(sections)


def prose_overview(rng: random.Random, agency: str, year: int) -> str:
    """The opening section of a prose-era report: organisation work, no numbers."""
    steps = "，".join(rng.sample(PROSE_BUILDING, rng.randint(3, 5)))
    return f"{rng.choice(PROSE_OPENINGS).format(year=year, agency=agency)}，{steps}。"


def prose_closing(rng: random.Random) -> str:
    """The closing section of a prose-era report: weaknesses and next steps, no numbers."""
    weak = "、".join(rng.sample(PROSE_WEAKNESSES, rng.randint(2, 3)))
    steps = "，".join(
        f"{rng.choice(ADVERBS)}{rng.choice(VERBS)}{rng.choice(OBJECTS[t])}"
        for t in rng.sample(("management", "platform", "oversight"), 2)
    )
    return (
        f"政府信息公开工作仍存在{weak}等问题，下一步将{steps}，"
        f"{rng.choice(PURPOSES)}，推进政府信息公开工作深入开展。"
    )
