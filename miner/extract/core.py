"""Find numbered slogans and quoted phrases in normalised text.

Two extractors run over each cleaned, normalised document:

* :func:`extract_quoted` returns every span in paired quotes (any style, made
  “” by :mod:`miner.preprocess.normalize`), 2–30 characters, nested quotes included;
* :func:`extract_numbered` returns numbered slogans quoted or not, one rule
  per shape: known slogans (``lexicon``), numeral + classifier + head
  (``classifier``: 两个率先, 四项基本原则), parallel numeral parts
  (``compact``: 三去一降一补, 两不愁三保障), five-year-plan tags (``plan``: 十一五),
  Arabic forms (``arabic``: 1+8, 863计划) and 双 + numeral (``double``: 双三).

:func:`extract_mentions` merges the two: a quoted span that is itself a
numbered slogan is one mention of kind ``numbered+quoted``.  Every rule
rejects what only looks numbered: dates and Chinese-numeral years, quantities
with units, ordinal markers, ordinary words and names from jieba's
dictionary, meeting ordinals and plain durations.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from typing import Iterator

from ..types import quick_init
from .lexicon import Lexicon, trie_pattern

__all__ = [
    "Span",
    "Extractor",
    "extract_quoted",
    "quote_spans",
    "NUMBERED",
    "QUOTED",
    "NUMBERED_QUOTED",
    "OTHER_QUOTE",
    "OTHER_NUMBER",
    "THRESHOLD",
    "APART",
]

NUMBERED = "numbered"
QUOTED = "quoted"
NUMBERED_QUOTED = "numbered+quoted"
OTHER_QUOTE = "other-quote"
OTHER_NUMBER = "other-number"
THRESHOLD = 0.5  # a mention or phrase scoring below this is not a slogan
APART = "quoted+apart"  # the rule of a slogan written in two quotes (“六稳”“六保”), which overlaps its halves

MIN_QUOTED, MAX_QUOTED = 2, 30
# A quote longer than this is not looked into: nested quotes would otherwise
# make the quoted text read quadratic in the depth of the nesting.
MAX_QUOTE_SPAN = 4 * MAX_QUOTED
# A compact slogan has a few parallel parts (三去一降一补: 3); a longer chain is
# an enumeration, and a part's numeral is short (十二): bounding both keeps the
# scan from each start short.
MAX_PARTS, MAX_PART_NUMERAL = 6, 3

DIGITS = "〇零一二三四五六七八九十"
COUNT = "一二三四五六七八九十两"
CLASSIFIERS = "个项大条种点类句支张面"
# Characters after a numeral that make a quantity, a time or a function word,
# never one part of a compact slogan (一年一度, 一是, 一些, 三分之一).
NOT_PART = set("年月日天季次倍成岁元分秒周时米吨亿万千百个些是要样切般定直致起同律半份批点位名届号级层第多余又")
# A numeral preceded by these is an ordinal, a date or part of a bigger number.
BEFORE_NUMERAL = set("〇零一二三四五六七八九十两百千万亿第每前后近头这那其各几数多余初上下星周礼")
# Heads after numeral + classifier that only count things (三个方面, 两个月).
COUNTING_HEADS = frozenset(
    """方面 问题 月 年 小时 百分点 国家 地区 省份 城市 部门 单位 人 阶段 层次 环节 任务 措施 项目 企业 行业
    领域 时期 原因 因素 部分 步骤 方向 关系 条件 特点 作用 办法 建议 内容 工作 方法 问 星期
    季度 世纪 时间 地方 人员 同志 部委 省市 县市 国 省 市 县 区 乡 村 家 户 种类 类型 指标 目标 文件 会议
    意见 要求 方案 政策 制度 经验 教训 成绩 成就 特征 倍 多 以上 左右 亿 万 千 百 主要 大型 大的 重大
    新的 突出 明显 显著 较大 很大 不同 具体 有关 相关 这样 层面 维度 角度 渠道 途径 环境 产业 部类 价格 基本法 大国
    特别 孩子 子女 工业部 部 委 局 厅 司 处 科 室 组 队 班 人民 群众 国务院 代表团""".split()
)
# 三大任务, 两大主题: after 大 these heads name a formula rather than count.
BIG_HEADS = frozenset("任务 目标 战略 工程 领域 板块 产业 方针".split())
MEETING_WORDS = frozenset("召开 以来 精神 报告 提出 强调 胜利 闭幕 开幕 通过 期间 以后 之后 确定 作出 部署 指出 决定 代表 前后".split())
# Heads that only modify the next word (四项基本原则): they must take it along.
MODIFIERS = frozenset("基本 主要 重要 重大 重点 专项 关键 根本 核心 突出 总体".split())
# Words that follow a head rather than extend it (八项规定 | 精神).
HEAD_SUFFIXES = frozenset(
    """精神 思想 重要 建设 战略 要求 目标 任务 活动 方针 路线 理论 政策 措施 部署 决策 落实 实施 以来 期间 工作
    内容 的 方面 问题 体系 机制 格局 布局 基础""".split()
)
BOUNDARY = set("，。、；：！？,.;:!?（）()“”《》的和与及或是为在上中下等\n ")

# A demonstrative before a numeral does not make it an ordinal (这三面红旗).
DEMONSTRATIVES = set("这那此")
NOT_BEFORE_SHAPE = BEFORE_NUMERAL - DEMONSTRATIVES
# Words after a plan tag that make it the plan itself (“七五”计划), not a
# programme named after it (“七五”普法).
PLAN_WORDS = frozenset("计划 规划 期间 时期 末 初 前期 中期 后期 以来 开局 收官 目标 纲要 建议 发展 良好 各项 期末 时".split())
# After a programme, words saying it is carried on (“五五”普法顺利完成).
CARRIED_ON = ("顺利", "圆满", "全面", "深入", "取得", "完成", "启动")
# After a big count, words that end a long head (十大重点节能工程).
LONG_HEAD_ENDS = frozenset("工程 行动 计划 规划 战略 任务 攻坚战 战役".split())
# Characters a count pair (一个中心、两个基本点) may not take after its numerals:
# an enumeration (一是…二是…) or quantities and times (一年…两年…).
PAIR_BREAK = set("是年月日天季次倍成岁元分秒周时米吨亿万千百些切般定直致起同律半份批点位名届号级层第多余又来则方")
FUNCTION_CHARS = set("对把被从向以于将有与和及或的了在为是等并而且就也都其这那此之每各该")
ASPECT_CHARS = set("着了过")  # 存在着两面性: these end a verb, they are not one
CONGRESS = re.compile(r"^十[一二三四五六七八九]?大$")  # 十四大: a party congress, not a count
QUOTE_MARK = re.compile("[“”]")
# Patterns start with a character class, not a lookbehind, so that the regex
# engine can skip ahead quickly; what may not precede a match is checked after.
PLAN = re.compile(
    r"[一二三四五六七八九十](?:(?<=十)[一二三四五六])?五"
    r"(?=计划|规划|期间|时期|末|初|前期|中期|后期|以来|开局|收官|目标|纲要|建议|发展|$)"
)
NOT_BEFORE_PLAN = set("〇零一二三四五六七八九十百千第")
PLAN_EXACT = re.compile(r"^(?:十[一二三四五六]?|[一二三四五六七八九])五$")
CLASSIFIER = re.compile(rf"([{COUNT}]{{1,3}})([{CLASSIFIERS}])")
# Where a classifier or compact slogan may start: a numeral not continuing a
# number or an ordinal, followed by a classifier or, within two characters,
# by a second numeral.  The lookbehind (after the first character, so the
# engine still skips ahead on the class) keeps the lookahead to the first
# numeral of a run: tried at every numeral of a run, it would rescan the rest
# of the run each time, quadratic in the run's length (numeral tables).
SHAPE_START = re.compile(
    rf"[{COUNT}双](?<![{''.join(sorted(NOT_BEFORE_SHAPE))}].)(?=[{COUNT}]*(?:[{CLASSIFIERS}]|[^{COUNT}\n]{{1,2}}[{COUNT}双]))"
)
# A plan tag followed by a word, unquoted: 七五普法 (checked after the match).
PLAN_TAG = re.compile(r"[一二三四五六七八九十](?:(?<=十)[一二三四五六])?五(?=[\u4e00-\u9fff]{2})")
# A numeral between two Chinese characters: the object of a one-character verb? (除四害)
# The characters that are never the verb (checked again in _verb_object_end)
# are left out here, so that most numerals are not handed to Python at all.
_NOT_VERB = "".join(sorted(FUNCTION_CHARS | ASPECT_CHARS | BOUNDARY | BEFORE_NUMERAL | set(DIGITS)))
# The object never starts with 一 (磨 | 一剑) nor has a quantity's second
# character (NOT_PART: 用 | 三年), so those numerals are not handed over either.
VERB_NUMERAL = re.compile(
    rf"[{COUNT.replace('一', '')}](?<=[\u4e00-\u9fff].)(?<![{re.escape(_NOT_VERB)}].)"
    rf"(?=(?![{''.join(sorted(NOT_PART))}])[\u4e00-\u9fff])"
)
# 一… and 二/两… in parallel, a count pair: 一个中心、两个基本点, 一要吃饭，二要建设.
PAIR = re.compile(r"一([^\W\d_]{2,5}?)([、，,])([二两])([^\W\d_]{2,5}?)(?=[，。、；：！？,.;:!?（）()“”《》的和与及或\s]|$)")
# An issuing body and a count of articles: 中央八条, 省十条, 国十条.
ISSUER = re.compile(rf"(?:中央|国务院|新国|国|省|市|县|区)[{COUNT}]{{1,3}}条(?=[、，,。；;：和与及”）)\s]|$)")
# Where an ISSUER match can end: 条 after a numeral.  A pattern that begins
# with one character is skipped through many times faster than one that
# begins with a class of seven common ones (中, 国, 省, 市 …).
COUNTED_ARTICLES = re.compile(rf"条(?<=[{COUNT}]条)")
ISSUER_REACH = len("国务院") + 3  # how far before its 条 an ISSUER match can start
DOUBLE = re.compile(rf"双[{DIGITS}]+(?![{DIGITS}])")
# The four patterns that start at a numeral, tried in one pass: at each
# numeral (the class they all start with), a lookbehind over it tries each
# of them there, in a group of its own, and the match is kept only if one of
# them matched.  One pass over a text instead of four (a pass costs some
# 4 ns a character whatever it finds); :meth:`Extractor.extract_numbered`
# keeps, of each pattern, the matches its own ``finditer`` would give.
NUMERAL_STARTS = {"plan": PLAN, "shape": SHAPE_START, "tag": PLAN_TAG, "verb": VERB_NUMERAL}
AT_NUMERAL = re.compile(
    rf"[{COUNT}双](?<="
    + "".join(f"(?:(?=(?P<{name}>{pattern.pattern}))|)" for name, pattern in NUMERAL_STARTS.items())
    + ".)(?(plan)|(?(shape)|(?(tag)|(?(verb)|(?!)))))"
)
# Only from a number's first digit (as SHAPE_START): 1+1+1+…+1% is scanned once.
ARABIC = re.compile(r"\d(?<![0-9.+]\d)\d{0,2}(?:\+(?:\d{1,2}|[A-Za-z]|N))+(?![\d%.+])")
ARABIC_PROGRAM = re.compile(r"\d(?=\d\d(?:工程|计划|战略|行动|人才工程))\d\d")
ARABIC_PROGRAM_WORDS = ("工程", "计划", "战略", "行动", "人才工程")  # what ARABIC_PROGRAM's digits come before
NOT_BEFORE_ARABIC = set("0123456789.+")
# Quoted Arabic forms: 1+8, 4+1, 132, 863 — not phone numbers or years (12345, 2035).
ARABIC_EXACT = re.compile(r"^(?:\d{1,3}|[\dA-Za-z×*]{1,3}(?:\+[\dA-Za-z×*]{1,3})+)$")
QUANTITY = re.compile(
    rf"^[{DIGITS}两\d]*(?:分之|百分|万|亿|千|百|年[{DIGITS}\d]|月[{DIGITS}\d]|点[{DIGITS}\d])|^第|^\d+(?:\.\d+)?[%万亿年月日号]"
)
# Ordinary words that start with a numeral and are never a slogan on their own.
ORDINARY = frozenset(
    """一些 一定 一系列 一批 一切 一般 一样 一致 一起 一直 一再 一旦 一向 一度 一律 一贯 一概 一道 一同 一齐
    一番 一份 一半 一下 一点 一时 一心 一方面 一手 一线 一带 一体 一体化 一流 一把手 一揽子 一站式 一盘棋 一刀切
    一定要 一大批 一部分 一系 统一 唯一 万一 十分 万分 百般 千万 一举 一边 一面 三番五次 一连 一来
    两者 两者之间 一方 双方 双边 双重 双向 双手 单一 一次性 一口气 一窝蜂 一阵 一带一路沿线 一方水土""".split()
)
NAME_TAGS = frozenset("ns nr nrt nrfg".split())
VETO_TAGS = frozenset("i d c p r u a ad t ns nr nrt nrfg q".split())


# -- evidence: is what was found a slogan? ------------------------------------
# Words after a quote or a numbered phrase that name what a campaign phrase is
# (“放管服”改革, “三讲”教育, 四项基本原则 | 的方针): the phrase names a programme.
PROGRAMME_AFTER = frozenset(
    """运动 活动 工程 计划 规划 方针 政策 原则 战略 行动 工作 建设 改革 理念 精神 制度 办法 要求 目标 模式 机制
    试点 教育 攻坚 攻坚战 任务 路线 体系 布局 格局 工作法 经验 挂钩 方式 服务 作风 标准 战役 主题 重要思想
    总要求 主张 整治 帮扶 理论 口号 指示 方向 观念 举措 导向 政策机遇 发展理念 发展定位 战略决策 核心要求 决策部署""".split()
)
# Verbs before a quote that carry out a programme (开展“三讲”, 坚持“两手抓”).
PROGRAMME_BEFORE = ("开展", "实施", "推进", "实行", "贯彻", "坚持", "落实", "执行", "推行", "深化", "启动", "本着", "遵循",
                    "践行", "倡导", "打好", "抓好", "做好", "搞好", "树立", "弘扬", "按照", "围绕", "推广", "加快", "创建",
                    "提倡",
                    # prepositions of accordance: 根据“X”的原则, 沿着“X”的道路
                    "根据", "依据", "依照", "遵照", "按着", "沿着", "基于")
_BEFORE_SET = frozenset(PROGRAMME_BEFORE)
_BEFORE_LENGTHS = sorted({len(v) for v in PROGRAMME_BEFORE})
_AFTER_LENGTHS = sorted({len(w) for w in PROGRAMME_AFTER})
# Before or after a quote: the writer reports or mocks someone else's words,
# or names a title, not a campaign (所谓“自由”, “封神榜”上, “开罗宣言”).
SCARE_BEFORE = ("所谓", "什么", "说成", "诬蔑", "污蔑", "攻击", "咒骂", "叫做", "称为", "誉为", "鼓吹", "宣扬", "散布",
                "歪曲", "冒充", "叫嚣", "承认", "当作", "看成", "认为", "号称", "自称", "称作", "标榜", "吹嘘", "美其名曰",
                "扣上", "戴上", "打着")
# Words after a quote that explain it (所谓“X”，就是…): the writer defines a term, not mocks it;
# right after the quote, those that can only explain it (“举旗帜”就是要…, not “X”就是Y, a likeness).
DEFINED_AFTER = ("就是", "是指", "指的是", "即")
EXPLAINED_AFTER = ("就是要", "就是指", "是指", "指的是", "即")
# Words after a quote that make it a view or mood someone holds (的念头, 的想法, 思潮);
# 的思想 too, unless the text carries the view out (树立“一盘棋”的思想).
ATTITUDE_AFTER = ("想法", "念头", "心态", "心理", "论调", "幻想", "迷梦", "看法", "情绪", "思潮", "妄想", "梦想",
                  # and a mood or drive to work in (以“开局就是决战”的状态, 增强“只争朝夕”的紧迫感)
                  "状态", "紧迫感", "干劲", "劲头", "闯劲", "冲劲", "气势", "姿态", "精气神", "气概")
# Verbs that take a policy as their object, for quotes only (促进“多规合一”,
# 打通“最后一公里”, 做到“先培训再就业”): the numbered forms keep the stricter
# :data:`PROGRAMME_BEFORE`.
POLICY_BEFORE = ("促进", "推动", "扩大", "完善", "建立", "健全", "做到", "打通", "畅通")
# Verbs after a quote that carry it out (“深港通”开启, “非禁即入”普遍落实), after an adverb or none.
DONE_AFTER = ("实施", "落实", "开启", "启动", "推开", "铺开", "试行")
DONE_ADVERBS = ("普遍", "全面", "深入", "稳步", "加快", "顺利", "正式", "逐步", "积极", "有序")
_CLAUSE_END = re.compile(r"[，。、；：！？,.;:!?（）()“”《》]")  # what ends a noun phrase after a quote
# What the name of a kind of firm, product or paper ends with (“僵尸企业”, “修正主义文件”).
THING_ENDS = ("企业", "公司", "产品", "商品", "文件", "设备")
# Verbs before a quote that name the practice a line is defined against
# (打破“大锅饭”, 不搞“一刀切”, 遏制耕地“非农化”); 反对 and 批判 are left out: they
# take an opponent's words as often.
AGAINST_BEFORE = ("防止", "遏制", "打破", "克服", "破除", "杜绝", "不搞")
# Who issues a line as a directive (毛主席指示：“把国民经济搞上去”, 号召：“…”).
DIRECTIVE_BEFORE = ("指示", "号召", "教导", "题词", "口号")
# Who reports a remark or writes a text: a quoted remark, vow or inscription is
# no campaign (警告他们“…”, 所说的“…”, 写下“…”, 留下血书，“…”).
SPEECH_BEFORE = ("说", "说过", "讲过", "警告", "写道", "声称", "宣称", "所说", "所讲", "写下", "写着", "撰写",
                 "血书", "遗言", "誓言", "名言")
# Nouns after a quote that make it a text cited (“…”入党誓词, “…”这句话, “…”的诗句).
TEXT_AFTER = ("誓词", "誓言", "名言", "诗句", "格言", "警句", "名句", "俗语", "古语", "谚语", "这句话", "歌词", "遗言")
# What the name of a problem ends with (“入园难”, “看病贵”, “城市病”): what a policy solves, not the policy.
PROBLEM_ENDS = ("难", "贵", "病")
# After a quote, the kind of body it names (“法轮功”邪教组织, “台独”势力).
BODY_AFTER = ("组织", "集团", "势力", "分子", "公司", "政权")
# 以“X”为名: a pretext, where 以“X”为 otherwise makes X a focus or guide (以“X”为重点).
PRETEXT = ("名", "借口", "幌子", "掩护", "招牌")
TITLE_AFTER = ("一书", "一文", "著作", "号", "系列", "上那", "谬论", "论调", "言论", "说法", "旗号", "帽子", "名义", "之类",
               "杂志", "丛书", "牌", "杯", "奖", "商标", "品牌")
PRONOUNS = ("我们", "你们", "他们", "它们", "咱们", "我", "你")
TITLE_ENDS = ("条约", "宣言", "公告", "协定", "声明", "号", "报", "公约", "议定书", "宪章", "决议", "条例", "会议", "大会")
# What the name of an organisation or a state ends with (“印支联邦”, “欧洲防务集团”): a name, not a campaign.
ORGANISATION_ENDS = ("联邦", "联盟", "集团", "组织", "委员会", "公司", "协会", "学会", "银行", "大学", "学院", "医院", "王国", "共和国")
SENTENCE_CHARS = set("了吗呢吧啊么")
CLASSICAL_CHARS = set("乎也矣焉哉皆")  # 万般皆下品: a line of classical prose or verse
# Pairs that frame two parts of a formula (先培训再就业, 既要…又要).
CORRELATIVES = (("先", "再"), ("先", "后"), ("既", "又"), ("边", "边"), ("不", "不"), ("有", "有"), ("能", "能"))
# Words of a statement (的, 是, 说, 被), not of a command: 把 makes the
# imperatives campaigns are written as (“把国民经济搞上去”).
SENTENCE_WORDS = ("的", "是", "说", "被")
PART_SPLIT = re.compile("[、，,；;]")
BRACKETED = re.compile(r"[（(][^）)]*[）)]")
# What a counted head that names a concrete thing ends with: facilities, places,
# people, goods, documents, and units of measure (十个水泥厂, 四个自治区, 八十斤).
CONCRETE_CHARS = set("厂矿港站库桥店院校局处室村镇县省州岛国区斤吨亩元米里户员")
CONCRETE_WORDS = (
    "基地", "作物", "金属", "产品", "商品", "资金", "职工", "工人", "企业", "公司", "集团", "部门", "项目", "协定", "公路",
    "决定", "文件", "铁路", "干线", "油田", "电站", "港口", "车间", "设备", "机器", "机构", "大国", "主粮",
    "污染源", "产业链",
)
ATTRIBUTIVE_ENDS = set("性式型")
UNITS = set("斤吨亩元米里顷")
COUNTED = set("二三四五六七八九十两百千万")
ARABIC_COUNT = re.compile(rf"(?<![\d.])(?:[2-9]|[1-9]\d)[{CLASSIFIERS}]")  # 10个着力, 5大战略指引: a count in digits
# 百, 千 and 万 inside a word that is no number mean "many" (百姓, 千家万户),
# where 二 to 十 count (四害, 两用); jieba's tags of numbers and measure words
# (五条, 千乡); and of idioms and set phrases (万马奔腾, 七上八下).
LARGE_COUNTED = frozenset("百千万")
NUMERAL_TAGS = frozenset({"m", "mq", "q"})
IDIOM_TAGS = frozenset({"i", "l"})
# Heads that name principles, rules, policies and tasks, what numbered formulas count.
NORM_HEADS = tuple(PROGRAMME_AFTER - {"工作", "建设", "体系", "经验", "服务", "举措"}) + ("国策", "准则", "纪律")
NUMERAL_RUN = re.compile(f"[{COUNT}双]+")
ORDINARY_TAGS = frozenset("n v a d vn an ad i l".split())
NAME_TAGS_ALL = NAME_TAGS | {"nt", "nz"}
# Starting points and weights of the scores; see :meth:`Extractor.score_span`.
BASE_SCORE = {"lexicon": 0.9, "plan": 0.85, "arabic": 0.75, "double": 0.7, "compact": 0.7, "classifier": 0.45,
              "short": 0.6, "quoted": 0.45, "verb": 0.45, "pair": 0.6, "issuer": 0.75}
# Words a campaign phrase may end with, naming what it is (丰收计划, 工业服务年).
SELF_NAMED = ("计划", "工程", "运动", "活动", "战略", "行动", "精神", "宪法", "年", "月", "规划", "方针", "工作法")


@quick_init
@dataclass(frozen=True)
class Span:
    """A phrase found at ``[start, end)`` of the normalised text."""

    start: int
    end: int
    phrase: str
    kind: str
    rule: str
    score: float = 1.0
    evidence: tuple[str, ...] = ()


def quote_spans(text: str) -> Iterator[tuple[int, int]]:
    """Inner ``[start, end)`` of every paired quote, nested ones included.

    A quote left open at a line break is dropped.

    >>> list(quote_spans("“坚持“三个代表”重要思想”和“未闭合\\n"))
    [(4, 8), (1, 13)]
    """
    stack: list[int] = []
    last = 0  # just after the previous quote mark
    for at in _quote_marks(text):
        if stack and text.find("\n", last, at) >= 0:
            stack.clear()  # a line break between: the open quotes are dropped
        last = at + 1
        if text[at] == "“":
            stack.append(last)
        elif stack:
            yield stack.pop(), at


def _quote_marks(text: str) -> list[int]:
    """Where the quote marks “ and ” of ``text`` are, in order (the matches
    of :data:`QUOTE_MARK`): ``str.find`` skips to one character many times
    faster than re to a class of two.

    >>> _quote_marks("“六稳”“六保”和“")
    [0, 3, 4, 7, 9]
    """
    found = []
    for mark in "“”":
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
    found.sort()
    return found


_STRIP = " \t，。、；：！？,.;:!?·…-—"
# Inside a phrase, spaces and nested quotes are not part of its canonical form.
_INNER_NOISE = re.compile(r"[\s“”]+")
_WORDY = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def extract_quoted(text: str) -> Iterator[Span]:
    """Every quoted phrase of 2–30 characters, as kind ``quoted``.

    >>> [s.phrase for s in extract_quoted("开展“工业服务年”、“项目推进年”活动和“奖”")]
    ['工业服务年', '项目推进年']
    """
    for a, b in quote_spans(text):
        if b - a > MAX_QUOTE_SPAN:
            continue
        inner = text[a:b]
        stripped = inner.strip(_STRIP)
        phrase = _INNER_NOISE.sub("", stripped)
        if not MIN_QUOTED <= len(phrase) <= MAX_QUOTED or not _WORDY.search(phrase):
            continue
        a += len(inner) - len(inner.lstrip(_STRIP))
        yield Span(a, a + len(stripped), phrase, QUOTED, "quoted")


def _per_phrase(method):
    """``method(self, phrase) -> set`` worked out once per phrase: a phrase
    quoted again is not looked at again (a fresh copy of the set is given
    each time, as the caller adds to it).  Only for methods that read
    nothing but the phrase."""
    once = functools.lru_cache(maxsize=1 << 16)(lambda phrase: frozenset(method(None, phrase)))

    @functools.wraps(method)
    def cached(self, phrase: str) -> set[str]:
        return set(once(phrase))

    return cached


class Extractor:
    """Numbered-slogan and quoted-phrase extractor over normalised text.

    >>> from miner.extract.lexicon import load_lexicon
    >>> ex = Extractor(load_lexicon())
    >>> [(s.phrase, s.kind) for s in ex.extract("实现“两个率先”，落实三去一降一补，一九八五年")]
    [('两个率先', 'numbered+quoted'), ('三去一降一补', 'numbered')]
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._known = re.compile(trie_pattern(lexicon.known)) if lexicon.known else None

    # -- numbered shapes -------------------------------------------------
    def _ordinary(self, word: str) -> bool:
        return word in ORDINARY or self.lexicon.tags.get(word, "") in VETO_TAGS

    def _classifier_at(self, text: str, m: re.Match, quoted: bool) -> int:
        """End of a numeral + classifier + head slogan starting at ``m``, or -1."""
        head_at = m.end()
        if head_at < len(text) and text[head_at] == "*":
            return head_at + 1
        if quoted:
            return len(text)
        if m.group(1)[0] == "一" or m.group(2) == "点" or len(m.group(1)) > 1:
            return -1  # 一个X, N点 and 五十个X count too many things to trust unquoted
        big = m.group(2) == "大"
        congress = "十" in m.group(1) and (m.group(1) != "十" or text[max(0, m.start() - 2) : m.start()].endswith(("党的", "的")))
        if big and (congress or text[head_at : head_at + 2] in MEETING_WORDS):
            return -1  # 党的十八大, 八大以来: a party congress, not "the eight big …" (but 十大重点节能工程)
        first = self.lexicon.longest_word(text, head_at)
        if not first or first[0] in NOT_PART or first[0] in DIGITS or (first in COUNTING_HEADS and not (big and first in BIG_HEADS)):
            return -1
        end = head_at + len(first)
        if len(first) == 2 and end < len(text) and text[end] not in BOUNDARY:
            second = self.lexicon.longest_word(text, end, 2)
            after = end + len(second)
            if (
                second
                and (first in MODIFIERS or after >= len(text) or text[after] in BOUNDARY)
                and second not in COUNTING_HEADS
                and second not in HEAD_SUFFIXES
                and self.lexicon.tag(second) != "f"  # 红旗 | 之下: a place word ends the phrase
            ):
                third = self.lexicon.longest_word(text, after, 3)
                if (big or first in MODIFIERS) and third in LONG_HEAD_ENDS:
                    return after + len(third)  # 十大 | 重点 节能 工程
                return after
        return -1 if first in MODIFIERS else end

    def _compact_at(self, text: str, pos: int) -> int:
        """End of a run of parallel numeral parts (三去一降一补) at ``pos``, or -1."""
        best = -1
        for width in (2, 1):
            parts, i, seen = 0, pos, set()
            while i < len(text) and parts <= MAX_PARTS and (text[i] in COUNT or text[i] == "双"):
                j = i + 1
                while j < len(text) and j - i < MAX_PART_NUMERAL and text[j] in COUNT:
                    j += 1  # 十二 etc.
                part = text[j : j + width]
                if len(part) < width or any(c in NOT_PART or c in DIGITS or c in "两双" or not _is_cjk(c) for c in part):
                    break
                piece = text[i : j + width]
                if piece in ORDINARY or self.lexicon.tags.get(piece, "") in NAME_TAGS:
                    break  # 两岸双方, 三峡三期: 双方 is a word, 三峡 a place
                seen.add(part)
                parts, i = parts + 1, j + width
            if 2 <= parts and parts + _parts_before(text, pos, width, MAX_PARTS + 1 - parts) <= MAX_PARTS \
                    and len(seen) > 1 and i > best:
                end = i
                # 五讲四美三热爱: widen the last part when it and the next char form a word.
                if (
                    width == 1
                    and end < len(text)
                    and text[end] not in BOUNDARY
                    and text[end] not in "为要就也都而并对将把被让使"
                    and text[end - 1 : end + 1] in self.lexicon.words
                ):
                    end += 1
                best = end
        if best < 0:
            return -1
        whole = text[pos:best]
        if _reduplicated(whole) or self._ordinary(whole) or any(whole.startswith(w) for w in ("一心", "一点", "一年", "一天")):
            return -1
        return best

    def inside_word(self, text: str, pos: int) -> bool:
        """Whether the numeral at ``pos`` ends or sits inside a dictionary word
        that starts before it (进一步, 统一, 唯一)."""
        for back in (1, 2, 3):
            if pos - back < 0:
                break
            words = self.lexicon.starting(text[pos - back])
            for size in range(back + 1, 5):
                if text[pos - back : pos - back + size] in words:
                    return True
        return False

    def numbered_shape(self, text: str, pos: int = 0, *, quoted: bool = False) -> tuple[int, str]:
        """``(end, rule)`` of the numbered slogan starting at ``pos``, or ``(-1, "")``.

        With ``quoted=True`` the text is the inside of a quote: the shape only
        has to start there, and short forms (三全, “两年”) are accepted.
        """
        if quoted:
            whole = text[pos:]
            if whole in self.lexicon.known:
                return len(text), "lexicon"
            if ARABIC_EXACT.match(whole):
                return len(text), "arabic"
            if PLAN_EXACT.match(whole):
                return len(text), "plan"
            if QUANTITY.match(whole) or not (whole[0] in COUNT or whole[0] == "双"):
                return -1, ""
            if len(whole) > 2 and whole[1] in "年月日天":
                return -1, ""  # 十年磨一剑: a saying about time (but “两年” alone names a campaign)
            first = self.lexicon.longest_word(whole, 0)
            if first and self._ordinary(first) and first not in self.lexicon.known:
                return -1, ""
            if self._ordinary(whole):
                return -1, ""
            m = CLASSIFIER.match(whole)
            if m and self._classifier_at(whole, m, quoted=True) > 0:
                return len(text), "classifier"
            if self._compact_at(whole, 0) > 0:
                return len(text), "compact"
            return len(text), "short"
        m = CLASSIFIER.match(text, pos)
        if m:
            end = self._classifier_at(text, m, quoted=False)
            if end > 0:
                return end, "classifier"
        end = self._compact_at(text, pos)
        if end > 0:
            return end, "compact"
        return -1, ""

    def extract_numbered(self, text: str) -> list[Span]:
        """Numbered slogans in ``text`` wherever they stand, quoted or not.

        >>> from miner.extract.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon())
        >>> [s.phrase for s in ex.extract_numbered("坚持四项基本原则，实现四个现代化。一九八五年，四川")]
        ['四项基本原则', '四个现代化']
        """
        found: list[Span] = []
        if self._known:
            for m in self._known.finditer(text):
                if m.start() == 0 or text[m.start() - 1] not in NOT_BEFORE_SHAPE:
                    found.append(Span(m.start(), m.end(), m.group(), NUMBERED, "lexicon"))
        at_numeral = _at_numeral(text)
        for pattern, rule, not_before in (
            (PLAN, "plan", NOT_BEFORE_PLAN),
            (ARABIC, "arabic", NOT_BEFORE_ARABIC),
            (ARABIC_PROGRAM, "arabic", NOT_BEFORE_ARABIC),
            (DOUBLE, "double", ()),
        ):
            if pattern is ARABIC and "+" not in text:
                continue  # every match has a plus sign (3+2): most texts need no scan
            if pattern is PLAN:
                matches = at_numeral["plan"]
            elif pattern is ARABIC_PROGRAM:
                matches = _arabic_programs(text)
            else:
                matches = [m.span() for m in pattern.finditer(text)]
            for a, b in matches:
                if a == 0 or text[a - 1] not in not_before:
                    found.append(Span(a, b, text[a:b], NUMBERED, rule))
        for pos, _ in at_numeral["shape"]:
            if not _may_take_shape(text, pos):
                continue  # most starts (一个, 一九…, 二十年): no shape can be read there
            if (pos and text[pos - 1] in NOT_BEFORE_SHAPE) or self.inside_word(text, pos):
                continue
            end, rule = self.numbered_shape(text, pos)
            if rule == "compact" and pos and text[pos - 1] in DEMONSTRATIVES:
                continue  # 这一步在七五期间: a demonstrative points at one counted thing (这三面红旗), not a compact
            if end > 0:
                found.append(Span(pos, end, text[pos:end], NUMBERED, rule))
        for start, tag_end in at_numeral["tag"]:
            end = self.plan_programme_end(text, tag_end, quoted=False)
            if end > 0 and (start == 0 or text[start - 1] not in NOT_BEFORE_PLAN):
                found.append(Span(start, end, text[start:end], NUMBERED, "plan"))
        for pos, _ in at_numeral["verb"]:
            end = self._verb_object_end(text, pos)
            if end > 0:
                found.append(Span(pos - 1, end, text[pos - 1 : end], NUMBERED, "verb"))
        for m in PAIR.finditer(text):
            if self._pair_ok(text, m):
                found.append(Span(m.start(), m.end(), m.group(), NUMBERED, "pair"))
        for m in _issuers(text):
            single = m.group()[0] in "国省市县区" and not m.group().startswith(("国务院", "新国"))
            if not (single and m.start() and text[m.start() - 1 : m.start() + 1] in self.lexicon.words):
                found.append(Span(m.start(), m.end(), m.group(), NUMBERED, "issuer"))
        return _longest_first(found, len(text))

    def plan_programme_end(self, text: str, pos: int, *, quoted: bool) -> int:
        """End of a programme named after a plan tag ending at ``pos`` (七五 | 普法), or -1.

        The programme is a noun other than the plan's own words (期间, 规划…),
        followed by what names it or by its being carried out: “七五”普法规划,
        “五五”普法顺利完成 — not “十四五”坚持, “十三五”易地扶贫搬迁.
        """
        at = pos + 1 if quoted and text[pos : pos + 1] == "”" else pos
        word = self.lexicon.longest_word(text, at, 3)
        if (
            not word
            or word in PLAN_WORDS
            or word in HEAD_SUFFIXES
            or word in MODIFIERS
            or word in COUNTING_HEADS
            or self.lexicon.tag(word) not in ("n", "vn", "j")
        ):
            return -1
        end = at + len(word)
        if not (_names_programme(text[end : end + 4]) or text.startswith(CARRIED_ON, end)):
            return -1
        if self.lexicon.tag(word) == "vn" and self.lexicon.longest_word(text, end) in PLAN_WORDS:
            return -1  # “十二五”预期目标: a verbal noun before the plan's own word qualifies it (its expected targets)
        return end

    def _verb_object_end(self, text: str, pos: int) -> int:
        """End of a numbered object after a one-character verb at ``pos - 1``
        (除 | 四害, 破 | 四旧: 四害 and 四旧 are words, 四川 is a place), or -1."""
        verb = text[pos - 1]
        if verb in FUNCTION_CHARS or verb in ASPECT_CHARS or verb in BOUNDARY or verb in BEFORE_NUMERAL or verb in DIGITS:
            return -1  # 存在着 | 两面性: an aspect particle ends the verb before it
        if pos >= 2 and text[pos - 2 : pos] in self.lexicon.words:
            return -1  # 消除 | 四害: the verb is a longer word
        obj = self.lexicon.longest_word(text, pos, 3)
        if (
            not obj
            or obj[0] == "一"  # 磨 | 一剑: one of a thing, not a numbered set
            or obj in self.lexicon.known  # 分 | 三步走: the slogan is found as it stands
            or obj in ORDINARY
            or CONGRESS.match(obj)  # 共产党 | 十四大: a party congress
            or QUANTITY.match(obj)
            or obj[1] in NOT_PART
            or self.lexicon.tag(obj) not in ("n", "j", "nz", "l")
            or self._cut_at(text, pos + len(obj))
        ):
            return -1
        return pos + len(obj)

    def _pair_ok(self, text: str, m: re.Match) -> bool:
        """Whether a PAIR match is a count pair: parts alike (个/个, 要/要, or two
        classifiers), no enumeration, not continuing a number or a word."""
        first, second = m.group(1), m.group(4)
        alike = first[0] == second[0] or (first[0] in CLASSIFIERS and second[0] in CLASSIFIERS)
        start = m.start()
        return (
            alike
            and first[0] not in PAIR_BREAK
            and abs(len(first) - len(second)) <= 2
            and not (start and text[start - 1] in NOT_BEFORE_SHAPE)
            and not self.inside_word(text, start)
        )

    def _written_apart(self, text: str, a: Span, b: Span) -> bool:
        """Two quoted halves of one compact slogan: “六稳”“六保”, “三反”“五反”."""
        between = text[a.end : b.start]
        if between not in ("”“", "”、“") or len(a.phrase) != 2 or len(b.phrase) != 2:
            return False
        whole = a.phrase + b.phrase
        return self._compact_at(whole, 0) == len(whole)

    def _paired_halves(self, text: str, a: Span, b: Span) -> bool:
        """Two quoted halves of one campaign written apart, “扫黄”“打非”: the only
        two quotes of their run, side by side with nothing between (“达标”、“升级”
        are two things), two characters each, unlike, neither a name."""
        return (
            text[a.end : b.start] == "”“"
            and _run_length(text, b.start, b.end) == 2
            and len(a.phrase) == len(b.phrase)
            and a.phrase != b.phrase
            and all(len(p) == 2 and all(map(_is_cjk, p)) and self.lexicon.tag(p) not in NAME_TAGS_ALL
                    for p in (a.phrase, b.phrase))
        )

    # -- evidence --------------------------------------------------------
    def score_span(self, text: str, span: Span) -> Span:
        """``span`` with its score (0–1) and the evidence it rests on; a
        quote scoring below :data:`THRESHOLD` becomes kind ``other-quote``.

        >>> from miner.extract.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon())
        >>> text = "开展“放管服”改革，诬蔑为“奴隶”"
        >>> [(s.phrase, s.kind, s.evidence) for s in ex.extract(text)]
        [('放管服', 'quoted', ('coined', 'programme')), ('奴隶', 'other-quote', ('scare', 'word'))]
        """
        before, after = _surroundings(text, span.start, span.end)
        if span.kind == QUOTED:
            score, tags = self._quote_evidence(span.phrase, before, after)
            if span.rule == APART or _paired(text, span.start, span.end, self.lexicon.words):
                tags.add("paired")  # “扫黄”“打非”, “引进来”“走出去”: coinages made as a pair
                score += QUOTE_WEIGHTS["paired"]
            elif not tags & {"word", "set-phrase", "name"} and _templated(text, span.start, span.end):
                tags.add("templated")  # “掌上办事之省”“掌上办公之省”, “市市通”“县县通”: one mould, several goals
                score += QUOTE_WEIGHTS["templated"]
            if not tags & {"programme", "carried-out", "against", "scare"} and _governed(text, span.start):
                tags.add("governed")  # 畅通鲜活农产品运输“绿色通道”: a policy verb earlier in the clause
                score += QUOTE_WEIGHTS["governed"]
            kind = QUOTED if score >= THRESHOLD else OTHER_QUOTE
        else:
            score, tags = self._numbered_evidence(span, before, after, text)
            kind = span.kind
        return Span(span.start, span.end, span.phrase, kind, span.rule, round(min(1.0, max(0.0, score)), 2),
                    tuple(sorted(tags)))

    def _quote_evidence(self, phrase: str, before: str, after: str) -> tuple[float, set[str]]:
        tags = self._shape_evidence(phrase)
        tag = self.lexicon.tag(phrase)
        if tag and "parallel" not in tags:
            if tag in ("ns", "nt") and len(phrase) <= 3:
                tags.add("name")
            else:
                tags.add("word" if len(phrase) <= 2 else "set-phrase")  # 自由, 过关 | 大锅饭, 组合拳
        elif not tag and _coined(self.lexicon, phrase):
            tags.add("coined")  # 放管服, 营改增, 多规合一: abbreviations made for the campaign
        if len(phrase) == 2 and phrase[0] == phrase[1]:
            tags.add("word")  # “块块”, “条条”: a reduplicated word of everyday speech
        if _echoes(phrase) or (not tag and _distributive(phrase)):
            tags.add("echo")  # 港人治港, 同线同标同质: a repeated character frames the parts; 县县通: each one
        if phrase.endswith(SELF_NAMED) or "+" in phrase:
            tags.add("self-named")  # 丰收计划, 工业服务月, 互联网+
        if phrase.isdigit() or (len(phrase) > 3 and phrase.endswith(ORGANISATION_ENDS)):
            tags.add("name")  # 12345: a number, not a formula; 印支联邦: an organisation
        elif (any(c in COUNTED for c in phrase) and self._counts(phrase)) or ARABIC_COUNT.search(phrase):
            tags.add("counted")  # 普九, 刚性五条, 万村千乡, 10个着力: a count in a coinage
        if phrase.endswith(TITLE_ENDS) or after.startswith(TITLE_AFTER) or before.endswith("《") or DATED_NAME.match(phrase):
            tags.add("title")  # 2023·中国西藏发展论坛: an event named with its year
        framed = before.endswith("以") and after.startswith("为")  # 以“X”为重点, 以“X”为名
        defined = after.lstrip("，, ").startswith(DEFINED_AFTER)  # 所谓“放管服”，就是…: a term explained, not mocked
        if (any(w in before for w in SCARE_BEFORE) and not defined) or (framed and after.startswith(PRETEXT, 1)):
            tags.add("scare")
        elif after.startswith(EXPLAINED_AFTER) or (defined and after[:1] in "，,"):
            # “举旗帜”就是要高举…, 所谓“放管服”，就是…: the text says what the phrase stands
            # for (not “嘀嗒、嘀嗒”就是党中央的声音, a likeness)
            tags.add("explained")
        if (
            _names_programme(after)
            or self._head_after(after)
            or _heads_programme(after)
            or (framed and "scare" not in tags)
        ):
            tags.add("programme")
        elif _carried_out(before) or _ends_with(before, POLICY_BEFORE):
            tags.add("carried-out")
        elif _ends_with(before, AGAINST_BEFORE):
            tags.add("against")
        said = before.rstrip().rstrip("：:，, 的").removesuffix("我们").removesuffix("他们").rstrip("：:，, ")
        colon = before.rstrip().endswith(("：", ":"))
        if said.endswith(DIRECTIVE_BEFORE):
            tags.add("directive")  # 毛主席指示：“把国民经济搞上去”: a line issued as a directive
        elif colon and said.endswith((*_NP_HEADS, "要求")):
            tags.add("programme")  # 主要任务：“10个着力”, 总体要求：“…”: a colon after the name of what it is
        elif said.endswith(SPEECH_BEFORE) or colon or any(
            w in after[:6] for w in TEXT_AFTER
        ):
            # 警告他们“不要搞四人帮”, 有些人所说的“完全无法可循”: a remark; 指出：“…”:
            # words quoted as said, after a colon; “…”入党誓词: a text cited
            tags.add("speech")
        if after.lstrip("的").startswith(ATTITUDE_AFTER) or (
            after.startswith("的思想") and "carried-out" not in tags
        ):
            tags.add("attitude")  # 摒弃“歇歇脚”的念头: a view someone holds, not a programme
        if 3 <= len(phrase) <= 5 and phrase.endswith(PROBLEM_ENDS) and "parallel" not in tags:
            tags.add("problem")  # “入园难”, “城市病”: what a policy solves, not the policy
        if len(phrase) >= 3 and phrase.endswith(THING_ENDS) and "self-named" not in tags:
            tags.add("thing")  # “僵尸企业”: a kind of firm, product or document, not a campaign
        body = after.lstrip("等")
        if any(body[k : k + 2] in BODY_AFTER for k in (0, 2)):
            tags.add("name")  # “法轮功”邪教组织: the name of a body
        if "*" in phrase:
            tags.add("masked")
        if after[:2] in SENTENCE_CLOSED:
            tags.add("sentence")  # “愿将黄鹤翅，一借飞云空。”: a sentence cited whole, its full stop inside
        return BASE_SCORE["quoted"] + sum(QUOTE_WEIGHTS[t] for t in tags), tags

    def _modifies(self, text: str, end: int) -> bool:
        """Whether what ends at ``end`` is followed by 的 and a noun it qualifies (三个标志性 | 的事件)."""
        return text[end : end + 1] == "的" and self.lexicon.tag(self.lexicon.longest_word(text, end + 1)) in ("n", "vn")

    def _counts(self, phrase: str) -> bool:
        """Whether a numeral of ``phrase`` counts something (刚性五条, 万村千乡,
        平战两用), rather than making an idiom (万马奔腾, 七上八下) or standing
        for "many" inside a word that is no number (寻常百姓家: 百姓).

        >>> from miner.extract.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon())
        >>> [ex._counts(p) for p in ("刚性五条", "万村千乡", "平战两用", "除六害", "飞入寻常百姓家", "万马奔腾")]
        [True, True, True, True, False, False]
        """
        words, tag = self.lexicon.words, self.lexicon.tag
        if phrase in words and tag(phrase) in IDIOM_TAGS:
            return False
        for i, c in enumerate(phrase):
            if c not in COUNTED:
                continue
            if c not in LARGE_COUNTED or not any(
                phrase[j : j + size] in words and tag(phrase[j : j + size]) not in NUMERAL_TAGS
                for j in range(max(0, i - 3), i + 1)
                for size in range(max(2, i - j + 1), 5)
                if j + size <= len(phrase)
            ):
                return True
        return False

    def _head_after(self, after: str) -> bool:
        """Whether a verbal noun heads the quote (“扫黄打非”斗争, “万宝山”运动,
        “双拥”活动): the quote names an undertaking, as a campaign does.

        >>> from miner.extract.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon())
        >>> ex._head_after("斗争。"), ex._head_after("的斗争"), ex._head_after("，")
        (True, False, False)
        """
        word = self.lexicon.longest_word(after, 0)
        return len(word) >= 2 and self.lexicon.tag(word) == "vn"

    @_per_phrase
    def _shape_evidence(self, phrase: str) -> set[str]:
        """``parallel`` for parts of like length (定产、定购、定销), ``sentence`` for a clause."""
        tags: set[str] = set()
        parts = [p for p in PART_SPLIT.split(BRACKETED.sub("", phrase)) if p]
        lengths = [len(p) for p in parts]
        if len(set(parts)) >= 2 and max(lengths) <= 8 and max(lengths) - min(lengths) <= 2:
            tags.add("parallel")  # but not one part said again (嘀嗒、嘀嗒)
        if len(parts) == 1 and any(a in phrase[:-2] and b in phrase[phrase.index(a) + 2 :] for a, b in CORRELATIVES):
            tags.add("parallel")  # 先培训再就业
        if any(c in CLASSICAL_CHARS for c in phrase) or ("之" in phrase and "而" in phrase):  # 先天下之忧而忧
            tags.add("classical")
        if len(parts) == 1 and _copula(phrase):
            tags.add("parallel")  # 发展才是硬道理, 绿水青山就是金山银山: two terms set equal
        wordy = any(w in p for p in parts if len(p) >= 5 and not _copula(p) for w in SENTENCE_WORDS) or any(
            w in phrase for w in PRONOUNS
        )
        if any(c in SENTENCE_CHARS for c in phrase) or wordy or (
            "parallel" not in tags and (sum(lengths) >= 14 or (len(parts) >= 2 and max(lengths) >= 9))
        ):
            tags.add("sentence")
        return tags

    def _numbered_evidence(self, span: Span, before: str, after: str, text: str) -> tuple[float, set[str]]:
        rule = span.rule.rsplit("+", 1)[-1]
        tags: set[str] = set()
        score = BASE_SCORE.get(rule, 0.6)
        quoted = span.kind == NUMBERED_QUOTED
        if quoted:
            tags.add("quoted")
            score += 0.3
        if rule == "lexicon" or span.phrase in self.lexicon.known:
            tags.add("known")
            return score + 0.1, tags
        if rule == "verb":
            score += self._verb_evidence(span, before, after, text, tags)
        elif rule == "pair":
            score += _pair_evidence(span.phrase, tags)
        elif rule == "issuer" and not span.phrase.startswith(("中央", "国务院")):
            # 省十条, 市三条: a one-character issuer is a slogan when the text
            # treats it as one: quoted, listed with another issuer's articles
            # (中央八条、省十条) or carried out (落实省十条)
            score -= 0.3
            if text[span.start - 1 : span.start] == "“" and text[span.end : span.end + 1] == "”":
                tags.add("quoted")
                score += 0.3
            if ISSUER.search(text, max(0, span.start - 8), span.start) or ISSUER.match(text, span.end + 1):
                tags.add("parallel")
                score += 0.15
            if _carried_out(before) or _names_programme(after):
                tags.add("carried-out")
                score += 0.1
        if rule == "short" and len(span.phrase) == 4 and span.phrase[2] == "之":
            tags.add("classical")  # “一国之策”, “一镇之计”: one thing's own, an idiom of classical shape, counts nothing
            score -= 0.5
        if rule == "compact":
            tags.add("parallel")
            parts = [p for p in NUMERAL_RUN.split(span.phrase) if p]
            if len({p[0] for p in parts}) == 1:
                tags.add("repeated")  # 一浪接一浪: one thing again and again, an adverb
                score -= 0.5
            if any(c in UNITS for c in span.phrase):
                tags.add("concrete-head")  # 八十斤到九十九斤: quantities, not parts of a formula
                score -= 0.5
        if quoted:
            if _names_programme(after):
                tags.add("programme")
                score += 0.1
            if "sentence" in self._shape_evidence(span.phrase):
                tags.add("sentence")  # “四个现代化之日，就是资本主义复辟之时”
                score -= 0.5
            if len(span.phrase) == 2 and self.lexicon.tag(span.phrase) in ORDINARY_TAGS:
                tags.add("word")  # “两难”: an ordinary word, not a numbered formula
                score -= 0.45
        m = CLASSIFIER.match(span.phrase)
        head = span.phrase[m.end():] if m and rule in ("classifier", "short") else ""
        if head:
            if head[-1] in CONCRETE_CHARS or head.endswith(CONCRETE_WORDS) or self.lexicon.tag(head) in ("ns", "m", "q"):
                tags.add("concrete-head")
                score -= 0.2 if quoted else 0.5  # quoted, it may still name a formula (“四个第一”)
            elif not quoted and (
                (head[-1] in ATTRIBUTIVE_ENDS and (text[span.end : span.end + 1] not in BOUNDARY or self._modifies(text, span.end)))
                or self.lexicon.tag(head) in ("d", "a", "ad", "p", "c")
                or (self.lexicon.tag(head) == "v" and self.lexicon.tag(self.lexicon.longest_word(text, span.end)) in ("n", "vn", "v", "d"))
                or self.lexicon.tag(head[-2:]) == "f"
            ):
                tags.add("open-head")  # 三大标志性 | 战役, 三个值得 | 特别注意, 五个最大 | 的
                score -= 0.3
            elif not quoted:
                nxt = self.lexicon.longest_word(text, span.end)
                if nxt and nxt not in HEAD_SUFFIXES and self.lexicon.tag(nxt) in ("n", "vn", "nz"):
                    tags.add("open-head")  # 三大社会主义 | 改造, 六条政治 | 标准
                    score -= 0.25
            if not quoted and span.start and text[span.start - 1] in DEMONSTRATIVES:
                # 这两条原则: the count points back at what was just said; a
                # principle counted so is a slogan only when its members stand
                # named before it (总路线、大跃进和人民公社这三面红旗)
                tags.add("anaphoric")
            elif head.endswith(NORM_HEADS) and "concrete-head" not in tags:
                tags.add("norm-head")  # 四项原则, 两项基本国策: a count of principles, not of things
                score += 0.15
            if (
                not quoted
                and "concrete-head" not in tags
                and self.lexicon.tag(head) not in ("v", "a", "ad", "d")  # 这两种相反 | 的生产关系: a modifier
                and _members_before(text, span.start, m.group(1))
            ):
                tags.add("members")  # 大庆、大寨两面红旗: the members are named right before the count
                score += 0.1
        if not quoted and rule != "plan" and self._cut_at(text, span.end):
            tags.add("cut-word")  # 三档并两档方 | 向
            score -= 0.4
        return score, tags

    def _verb_evidence(self, span: Span, before: str, after: str, text: str, tags: set[str]) -> float:
        """What lifts a verb + numbered object (除四害, 破四旧) above ordinary
        text (用三句话说明, 发展新三板): filling a quote, naming a programme
        (的运动, 的战略部署) or being carried out (开展, 以…为中心).  An item of
        a list (责、权、利三者) counts the list, and a piece of a quoted word
        (“粮饲两用”) is no verb + object.

        >>> from miner.extract.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon(frozenset()))
        >>> [(s.phrase, s.score, s.evidence) for s in ex.extract("以除四害为中心，可以用三句话说明")]
        [('除四害', 0.55, ('carried-out',)), ('用三句话', 0.45, ())]
        """
        start, end = span.start, span.end
        delta = 0.0
        if text[start - 1 : start] == "“" and text[end : end + 1] == "”":
            tags.add("quoted")  # “除六害”
            delta += 0.3
        if _names_programme(after):
            tags.add("programme")
            delta += 0.1
        elif (before.endswith("以") and after.startswith("为")) or _carried_out(before):
            tags.add("carried-out")
            delta += 0.1
        opened, closed = text.rfind("“", max(0, start - MAX_QUOTED), start), text.rfind("”", max(0, start - MAX_QUOTED), start)
        if text[start - 1 : start] in "、，,":
            tags.add("list-item")
            delta -= 0.3
        elif opened > closed and opened < start - 1:
            tags.add("in-quote")
            delta -= 0.3
        return delta

    def _cut_at(self, text: str, end: int) -> bool:
        """Whether a dictionary word runs across ``end``: the phrase is cut
        inside a word (三档并两档方 | 向) or a compound (十条经济 | 建设方针).

        >>> from miner.extract.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon())
        >>> ex._cut_at("三档并两档方向调整", 6), ex._cut_at("四项基本原则，", 6)
        (True, False)
        """
        words = self.lexicon.words
        return any(
            text[end - back : end + ahead] in words
            for back in (1, 2)
            for ahead in (1, 2)
            if end - back >= 0 and end + ahead <= len(text)
        )

    def extract(self, text: str) -> list[Span]:
        """All mentions in ``text``: numbered and quoted merged, by position.

        Mentions do not overlap, but for a slogan written in two quotes
        (rule :data:`APART`), which spans the mentions of its halves.
        """
        numbered = self.extract_numbered(text)  # sorted by start, not overlapping
        starts = [s.start for s in numbered]
        inside_quotes: set[int] = set()
        out: list[Span] = []
        taken = 0  # end of the last span that took text after its quote
        for q in extract_quoted(text):
            if q.start < taken:
                continue
            end, rule = self.numbered_shape(q.phrase, quoted=True)
            if end > 0:
                # The quote is the slogan: it replaces the numbered spans inside it.
                span = Span(q.start, q.end, q.phrase, NUMBERED_QUOTED, f"quoted+{rule}")
                if rule == "plan":
                    after = self.plan_programme_end(text, q.end, quoted=True)
                    if after > 0:  # “七五”普法: the programme, not the plan
                        span = Span(q.start, after, q.phrase + text[q.end + 1 : after], NUMBERED_QUOTED, "quoted+plan")
                        taken = after
                elif out and out[-1].kind == NUMBERED_QUOTED and self._written_apart(text, out[-1], q):
                    # “六稳”、“六保”: a mention of 六稳六保 as well as of each half
                    prev = out[-1]
                    out.append(Span(prev.start, q.end, prev.phrase + q.phrase, NUMBERED_QUOTED, APART))
                first, last = bisect.bisect_left(starts, span.start), bisect.bisect_right(starts, span.end)
                inside_quotes.update(i for i in range(first, last) if numbered[i].end <= span.end)
                out.append(span)
            else:
                if out and out[-1].kind == QUOTED and self._paired_halves(text, out[-1], q):
                    # “扫黄”“打非”: a mention of 扫黄打非 as well as of each half
                    prev = out[-1]
                    out.append(Span(prev.start, q.end, prev.phrase + q.phrase, QUOTED, APART))
                out.append(q)
        out.extend(s for i, s in enumerate(numbered) if i not in inside_quotes and s.start >= 0)
        out.sort(key=lambda s: (s.start, -s.end))
        return [self.score_span(text, s) for s in out]


QUOTE_WEIGHTS = {"parallel": 0.25, "paired": 0.25, "sentence": -0.4, "name": -0.4, "word": -0.3, "set-phrase": -0.05, "classical": -0.4,
                 "coined": 0.15, "echo": 0.15, "self-named": 0.15, "counted": 0.1,
                 "title": -0.4, "scare": -0.4, "attitude": -0.3, "programme": 0.35, "carried-out": 0.15, "masked": 0.2,
                 "directive": 0.15, "speech": -0.3, "problem": -0.25, "thing": -0.2, "against": 0.15,
                 "governed": 0.1, "templated": 0.1, "explained": 0.15}


def _surroundings(text: str, start: int, end: int, size: int = 10) -> tuple[str, str]:
    """Up to ``size`` characters before and after ``[start, end)``, the quotes
    around it left out, and the other quotes of a list it stands in skipped
    (坚持“古为今用”、“洋为中用”的方针: both are followed by 的方针), a list
    joined by a conjunction too (坚持“引进来”和“走出去”).

    >>> _surroundings("坚持“古为今用”、“洋为中用”的方针", 3, 7)
    ('坚持', '的方针')
    >>> _surroundings("坚持“古为今用”、“洋为中用”的方针", 10, 14)
    ('坚持', '的方针')
    >>> _surroundings("坚持“引进来”和“走出去”相结合", 9, 12)
    ('坚持', '相结合')
    """
    for _ in range(6):  # a list of at most six quotes
        m = _JOINED_AFTER.match(text, end)
        if not m:
            break
        end = m.end() - 1
    for _ in range(6):
        m = _JOINED_BEFORE.search(text, max(0, start - 34), start)
        if not m:
            break
        start = m.start() + 1
    return text[max(0, start - size) : start].rstrip("“ "), text[end : end + size].lstrip("” ")


# A run of quotes (“a”“b”、“c”), and a list of them, which may be joined by
# a conjunction (“引进来”和“走出去”): the members of a list share the words
# around it, the members of a run are counted as one pair or more.
_LIST_AFTER = re.compile(r"”[、，,]?\s*“[^“”\n]{1,30}”")
_LIST_BEFORE = re.compile(r"“[^“”\n]{1,30}”[、，,]?\s*“$")
_JOINED_AFTER = re.compile(r"”(?:[、，,]|以及|和|与|及|或)?\s*“[^“”\n]{1,30}”")
_JOINED_BEFORE = re.compile(r"“[^“”\n]{1,30}”(?:[、，,]|以及|和|与|及|或)?\s*“$")


def _run_length(text: str, start: int, end: int) -> int:
    """How many quotes stand in the run (“a”“b”、“c”) of which ``[start, end)`` is a part.

    >>> _run_length("开展“扫黄”“打非”斗争", 7, 9), _run_length("“甲”、“乙”、“丙”", 1, 2)
    (2, 3)
    """
    count = 1
    for _ in range(6):
        m = _LIST_AFTER.match(text, end)
        if not m:
            break
        count, end = count + 1, m.end() - 1
    for _ in range(6):
        m = _LIST_BEFORE.search(text, max(0, start - 34), start)
        if not m:
            break
        count, start = count + 1, m.start() + 1
    return count


# The last character of a noun for a kind of person.
PERSON_ENDS = frozenset("人者员家手兵锋士官匠师")


def _run_members(text: str, start: int, end: int) -> list[str]:
    """The other quotes of the run (“a”“b”、“c”) the quote at ``[start, end)`` stands in.

    >>> _run_members("实现“市市通”、“县县通”", 3, 6)
    ['县县通']
    """
    members = []
    at = end
    for _ in range(6):
        m = _LIST_AFTER.match(text, at)
        if not m:
            break
        members.append(m.group().rsplit("“", 1)[-1][:-1])
        at = m.end() - 1
    at = start
    for _ in range(6):
        m = _LIST_BEFORE.search(text, max(0, at - 34), at)
        if not m:
            break
        members.append(m.group()[1:].split("”", 1)[0])
        at = m.start() + 1
    return members


def _templated(text: str, start: int, end: int) -> bool:
    """Whether the quote at ``[start, end)`` is cast in one mould with another
    of its run: as long (three characters or more) and beginning or ending
    alike, the rest differing (“掌上办事之省”“掌上办公之省”, “市市通”“县县通”).

    >>> _templated("“掌上办事之省”“掌上办公之省”基本建成", 1, 7), _templated("实现“市市通”、“县县通”", 3, 6)
    (True, True)
    >>> _templated("“两学”“一做”", 1, 3), _templated("评为“文明户”、“五好家庭”", 3, 6), _templated("当“快先锋”“急先锋”", 2, 5)
    (False, False, False)
    """
    phrase = text[start:end]
    if len(phrase) < 3 or not all(map(_is_cjk, phrase)) or phrase[-1] in PERSON_ENDS:
        return False  # “明白人”“老实人”, “快先锋”“急先锋”: roles, not goals
    return any(
        len(other) == len(phrase) and other != phrase and (other[0] == phrase[0] or other[-1] == phrase[-1])
        for other in _run_members(text, start, end)
    )


MAX_PAIRED = 4  # a longer run of two-character quotes lists things


def _paired(text: str, start: int, end: int, words: frozenset | set = frozenset()) -> bool:
    """Whether the quote at ``[start, end)`` is one of two unlike quotes of
    two characters each written side by side (“扫黄”“打非”), or of three or
    four such that are no ``words`` of the dictionary but coinages (“打虎”、
    “拍蝇”、“猎狐”; not a list of words: “自由”、“民主”、“人权”).

    >>> _paired("开展“扫黄”“打非”斗争", 3, 5), _paired("开展“扫黄”“打非”斗争", 7, 9)
    (True, True)
    >>> _paired("“打虎”、“拍蝇”、“猎狐”", 1, 3), _paired("“甲乙”、“丙丁”、“戊己”、“庚辛”、“壬癸”", 1, 3)
    (True, False)
    >>> _paired("是“民主”、“民主”就是", 2, 4), _paired("“大块头”“链主型”", 1, 4)
    (False, False)
    """
    if end - start != 2:
        return False
    members = [text[start:end], *_run_members(text, start, end)]
    if not 2 <= len(members) <= MAX_PAIRED or any(len(m) != 2 for m in members) or len(set(members)) < len(members):
        return False
    return len(members) == 2 or not any(m in words for m in members)


def _pair_evidence(phrase: str, tags: set[str]) -> float:
    """What tells a count pair that is a formula (一个中心、两个基本点, 一要吃饭，
    二要建设) from counted things (一个人、两个人, 一个乡、两个村, 一碗饭、两碗汤):
    the same head twice is a repetition, and a concrete head or a measure word
    before a one-character noun counts things.

    >>> tags = set(); _pair_evidence("一个乡、两个村", tags), sorted(tags)
    (-0.5, ['concrete-head'])
    >>> _pair_evidence("一个中心、两个基本点", set())
    0.0
    """
    first, second = (p[1:] for p in PART_SPLIT.split(phrase, 1))
    heads = [p[1:] if p[0] in CLASSIFIERS else p for p in (first, second)]
    delta = 0.0
    if heads[1].startswith(heads[0]) or heads[0].startswith(heads[1]):
        tags.add("repeated")  # 一个人、两个人(都行): one thing counted twice
        delta -= 0.5
    if any(h[-1] in CONCRETE_CHARS or h.endswith(CONCRETE_WORDS) for h in heads) or any(
        p[0] not in CLASSIFIERS and len(p) == 2 for p in (first, second)
    ):
        tags.add("concrete-head")  # 一碗饭: a measure word and a thing
        delta -= 0.5
    return delta


def _members_before(text: str, start: int, numeral: str) -> bool:
    """Whether the count at ``start`` follows its members, named one by one
    in as many short words as it counts (大庆、大寨两面红旗; 总路线、大跃进和
    人民公社这三面红旗) — not a clause (城市里的建设和农村里的建设这两种规划).

    >>> _members_before("在总路线、大跃进和人民公社这三面红旗", 14, "三"), _members_before("这两条原则", 1, "两")
    (True, False)
    """
    count = 2 if numeral == "两" else COUNT.index(numeral) + 1 if len(numeral) == 1 else 0
    if not 2 <= count <= 9:
        return False
    clause = re.split(r"[，。；：！？,;:!?\n（()“”《》]", text[max(0, start - 40) : start])[-1].rstrip("这那此")
    parts = re.split("[、和与及]", clause)
    if len(parts) < count:
        return False
    members = [parts[-count].rsplit("的", 1)[-1]] + parts[-count + 1 :]  # 毛主席树立的 | 大庆、大寨
    return all(2 <= len(p) <= 4 and "的" not in p and all(map(_is_cjk, p)) for p in members)


def _names_programme(after: str) -> bool:
    """Whether the words after a phrase say what it names (“三讲”教育, X的方针, 以X为目标)."""
    after = after[1:] if after[:1] in ("的", "为", "等") else after
    # A set look-up per word length, not a scan of every word: 创新模式, 重要思想.
    return any(after[k : k + n] in PROGRAMME_AFTER for k in (0, 2) for n in _AFTER_LENGTHS)


# Heads of a noun phrase that name a line the text holds; 要求, 主张 and 口号
# may be someone else's (“…”等等狂妄要求).
# A project heads a noun phrase too (“丝路一家亲”、“光明行”等人文交流项目).
_NP_HEADS = tuple(sorted(PROGRAMME_AFTER - {"要求", "主张", "口号"} | {"项目"}))
# The name of an event, beginning with its year and ending in what the event
# is (2023·中国西藏发展论坛, 2021年招商推介会); not a target set for a year
# (“2030年前碳达峰”).
DATED_NAME = re.compile(r"(?:19|20)\d\d(?:年|·|\s).*(?:论坛|峰会|会议|大会|年会|博览会|交易会|推介会|洽谈会|展览会|运动会|文化节|艺术节|旅游节)$")
# A quote closed after the full stop of a sentence (“…。”): a sentence cited whole.
SENTENCE_CLOSED = ("。”", "！”", "？”")


def _heads_programme(after: str) -> bool:
    """Whether the quote modifies a noun phrase that names a programme and
    ends the clause (“控制总量、调整结构”的货币信贷政策。), or a verb after it
    carries it out (“深港通”开启, “非禁即入”普遍落实).

    >>> _heads_programme("的货币信贷政策。加强"), _heads_programme("普遍落实。政府"), _heads_programme("的困境，区域")
    (True, True, False)
    >>> _heads_programme("的社会主义新人的要求")  # the clause runs on past the window: its head is unknown
    False
    """
    rest = after[1:] if after[:1] in ("的", "等") else after
    m = _CLAUSE_END.search(rest.replace("\n", "。"))  # a line break ends the clause too
    if m and rest[: m.start()].endswith(_NP_HEADS):
        return True
    for adverb in DONE_ADVERBS:
        if after.startswith(adverb):
            after = after[len(adverb) :]
            break
    return after.startswith(DONE_AFTER)


_CLAUSE_BREAK = re.compile(r"[，。；：！？,;:!?\n]")
_GOVERNING = tuple(sorted(set(PROGRAMME_BEFORE + POLICY_BEFORE + AGAINST_BEFORE)))


def _governed(text: str, start: int, reach: int = 30) -> bool:
    """Whether a verb that carries out a policy stands earlier in the clause
    of the quote at ``start``, further back than :func:`_carried_out` looks:
    畅通鲜活农产品运输“绿色通道”, 稳妥推进北方地区“煤改气”.

    >>> _governed("畅通鲜活农产品运输“绿色通道”", 10), _governed("推进改革，众多“创客”脱颖而出", 8)
    (True, False)
    """
    clause = _CLAUSE_BREAK.split(text[max(0, start - reach) : max(0, start - 1)])[-1]
    return any(v in clause for v in _GOVERNING)


# A verb with the resultative 好 (做好, 落实好, 发挥好); not 好 after an adverb
# or in an adjective (最好, 良好, 美好, 友好).
_RESULTATIVE = re.compile(r"[\u4e00-\u9fff](?<![最很良友美正只刚恰还要完安相和更太不挺较爱喜讨交])好$")


def _carried_out(before: str) -> bool:
    """Whether the words before a quote carry out or state a programme:
    开展“三讲”, 打好政策“组合拳”, 一贯政策是“爱国一家”.

    >>> _carried_out("要开展"), _carried_out("打好政策"), _carried_out("一贯政策是"), _carried_out("政策")
    (True, True, True, False)
    >>> _carried_out("要发挥好"), _carried_out("营造良好")
    (True, False)
    """
    end = len(before)
    if any(before[end - k - n : end - k] in _BEFORE_SET for k in (0, 2) for n in _BEFORE_LENGTHS if end - k - n >= 0):
        return True
    if _RESULTATIVE.search(before):
        return True  # 落实好“米袋子”, 发挥好: a verb and 好, the work done well
    return before.endswith("是") and any(
        before[end - 1 - n : end - 1] in PROGRAMME_AFTER for n in _AFTER_LENGTHS if end - 1 - n >= 0
    )


def _ends_with(before: str, words: tuple[str, ...]) -> bool:
    """Whether ``before`` ends with one of ``words``, right at the quote or
    with a two-character word between (完善“人地钱”, 建立政务服务“好差评”).

    >>> _ends_with("着力打通", POLICY_BEFORE), _ends_with("建立健全", POLICY_BEFORE), _ends_with("改善", POLICY_BEFORE)
    (True, True, False)
    """
    return before.endswith(words) or before[:-2].endswith(words)


def _coined(lexicon: Lexicon, phrase: str) -> bool:
    """Whether ``phrase`` (3–6 characters) is made of single-character parts
    more than of dictionary words: 放管服, 人地钱, 多规合一 — not 城市病, 经济互助.

    >>> from miner.extract.lexicon import Lexicon
    >>> lex = Lexicon(frozenset(["城市", "合一"]), {}, frozenset())
    >>> _coined(lex, "放管服"), _coined(lex, "多规合一"), _coined(lex, "城市病")
    (True, True, False)
    """
    if not 3 <= len(phrase) <= 6 or not all(_is_cjk(c) for c in phrase) or "的" in phrase:
        return False  # 新的长征: a phrase of words joined by 的, not parts clipped from them
    covered, i = 0, 0
    while i < len(phrase):
        word = lexicon.longest_word(phrase, i)
        covered += len(word)
        i += len(word) or 1
    return covered * 2 <= len(phrase) if len(phrase) > 3 else covered == 0


def _echoes(phrase: str) -> bool:
    """A character repeated two or three places on in a short phrase (港人治港, 同线同标同质).

    A word said twice (一步一步, 嘀嗒、嘀嗒) repeats itself and frames nothing.

    >>> _echoes("港人治港"), _echoes("同线同标同质"), _echoes("一步一步"), _echoes("嘀嗒、嘀嗒"), _echoes("放管服")
    (True, True, False, False, False)
    """
    joined = PART_SPLIT.sub("", phrase)
    if not 4 <= len(phrase) <= 7 or joined[: len(joined) // 2] == joined[len(joined) // 2 :]:
        return False
    return any(phrase[i] == phrase[i + k] and _is_cjk(phrase[i]) for k in (2, 3) for i in range(len(phrase) - k))


def _distributive(phrase: str) -> bool:
    """A unit said twice and what each one gets (县县通, 户户通, 村村有): a
    target for every county, household or village.

    >>> _distributive("县县通"), _distributive("村村通"), _distributive("放管服"), _distributive("三三制")
    (True, True, False, False)
    """
    return (len(phrase) == 3 and phrase[0] == phrase[1] != phrase[2] and all(map(_is_cjk, phrase))
            and phrase[0] not in DIGITS + "两百千万")


def _parts_before(text: str, pos: int, width: int, most: int) -> int:
    """How many parts of ``width`` characters, each after a numeral, end at
    ``pos`` (at most ``most``): a chain seen from its middle is as long as from
    its start, and a long one is an enumeration from wherever it is read."""
    count, k = 0, pos
    while count < most and k - width >= 1:
        part = text[k - width : k]
        if any(c in NOT_PART or c in DIGITS or c in "两双" or not _is_cjk(c) for c in part):
            break
        j = k - width
        while j > 0 and k - width - j < MAX_PART_NUMERAL and (text[j - 1] in COUNT or text[j - 1] == "双"):
            j -= 1
        if j == k - width:
            break
        count, k = count + 1, j
    return count


# A line that sets two short terms equal (时间就是金钱, 发展是第一要务), not a clause that describes.
COPULA = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:就是|才是|是第一)[\u4e00-\u9fff]{1,6}$")


def _copula(part: str) -> bool:
    """Whether ``part`` is a line of the shape A 就是 B, A 才是 B or A 是第一 B,
    its terms short, with no 的 and no pronoun or demonstrative to start it.

    >>> _copula("绿水青山就是金山银山"), _copula("发展才是硬道理"), _copula("科学技术是第一生产力")
    (True, True, True)
    >>> _copula("这就是大工业"), _copula("我们的工作是做得好的"), _copula("官僚主义是比资本主义更加危险的敌人")
    (False, False, False)
    """
    return bool(COPULA.match(part)) and "的" not in part and not part.startswith(("这", "那", "它", "他", "她", "我", "你"))


def _reduplicated(whole: str) -> bool:
    """一步一步, 一件一件: a repeated part is an adverb, not a slogan."""
    half = len(whole) // 2
    return len(whole) % 2 == 0 and whole[:half] == whole[half:]


_BARE_CLASSIFIERS = frozenset(CLASSIFIERS) - {"点"}  # what an unquoted count of one numeral may take (N点 counts)
_NOT_PART_START = frozenset(NOT_PART) | frozenset(DIGITS) | frozenset("两双")


def _may_take_shape(text: str, pos: int) -> bool:
    """Whether :meth:`Extractor.numbered_shape` (unquoted) may find a shape at
    ``pos``, told from the few characters after it: a classifier after one
    numeral other than 一 (or any count masked with ``*``), or a first compact
    part that starts with a Chinese character which may start one.  What
    this rules out, the extractor's own checks would rule out too.

    >>> [_may_take_shape(t, 0) for t in ("四项基本原则", "一个中心", "一九八五年", "三去一降", "一个*")]
    [True, False, False, True, True]
    """
    if text[pos] != "一" and text[pos + 1 : pos + 2] in _BARE_CLASSIFIERS:
        return True
    m = CLASSIFIER.match(text, pos)
    if m and text[m.end() : m.end() + 1] == "*":
        return True
    j, n = pos + 1, len(text)
    while j < n and j - pos < MAX_PART_NUMERAL and text[j] in COUNT:
        j += 1
    return j < n and text[j] not in _NOT_PART_START and _is_cjk(text[j])


def _issuers(text: str) -> list[re.Match]:
    """The matches ``ISSUER.finditer`` gives, found from where they can end
    (:data:`COUNTED_ARTICLES`): ISSUER is tried only at the few places before
    each, in order, as ``finditer`` would try them.

    >>> t = "落实中央八条、国十条和省十条，实行三条"
    >>> [m.span() for m in _issuers(t)] == [m.span() for m in ISSUER.finditer(t)] == [(2, 6), (7, 10), (11, 14)]
    True
    """
    found = []
    tried = 0  # places before this are tried, or inside a match
    for end in COUNTED_ARTICLES.finditer(text):
        at = end.start()  # the 条: a match starts at least two characters before it
        for start in range(max(tried, at - ISSUER_REACH), at - 1):
            m = ISSUER.match(text, start)
            if m:
                found.append(m)
                tried = m.end()
                break
        tried = max(tried, at - 1)
    return found


def _at_numeral(text: str) -> dict[str, list[tuple[int, int]]]:
    """The spans each pattern of :data:`NUMERAL_STARTS` finds in ``text``,
    by name, as its own ``finditer`` gives them: from one pass of
    :data:`AT_NUMERAL`, which tries each at every numeral, leaving out a
    pattern's matches that start inside its match before.

    >>> t = "十四五规划、七五普法和三去一降一补，除四害"
    >>> _at_numeral(t) == {name: [m.span() for m in p.finditer(t)] for name, p in NUMERAL_STARTS.items()}
    True
    """
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in NUMERAL_STARTS}
    reach = dict.fromkeys(NUMERAL_STARTS, 0)  # where each pattern's last match ended
    for m in AT_NUMERAL.finditer(text):
        for name, spans in found.items():
            a = m.start(name)
            if a >= reach[name]:  # -1: the pattern did not match here
                b = m.end(name)
                spans.append((a, b))
                reach[name] = b
    return found


def _arabic_programs(text: str) -> list[tuple[int, int]]:
    """The spans ``ARABIC_PROGRAM.finditer`` gives (863计划), found from the
    words after the digits: ``str.find`` skips to those many times faster than
    the pattern tries every character for a digit.  Three digits followed by
    one of the words never overlap another three, so every such place is a match.

    >>> t = "实施863计划和1234工程、973人才工程"
    >>> _arabic_programs(t) == [m.span() for m in ARABIC_PROGRAM.finditer(t)] == [(2, 5), (9, 12), (15, 18)]
    True
    """
    starts = set()
    for word in ARABIC_PROGRAM_WORDS:
        at = text.find(word, 3)
        while at >= 0:
            if text[at - 3 : at].isdecimal():  # \d is a decimal digit of any script, as isdecimal
                starts.add(at - 3)
            at = text.find(word, at + 1)
    return [(a, a + 3) for a in sorted(starts)]


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def _longest_first(spans: list[Span], size: int) -> list[Span]:
    """Drop spans overlapping a longer (or earlier, equally long) one."""
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    taken = bytearray(size)
    kept = []
    for s in spans:
        if any(taken[s.start : s.end]):
            continue
        taken[s.start : s.end] = b"\x01" * (s.end - s.start)
        kept.append(s)
    kept.sort(key=lambda s: s.start)
    return kept
