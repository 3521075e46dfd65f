"""The extractor: every pattern family, positive and negative, on hand-written
sentences; then the seed speeches and the national reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from miner.analysis.count import count_phrases
from miner.analysis.evaluate import evaluate, evaluate_sample, load_judged, load_sample
from miner.extract.core import ISSUER, NUMERAL_STARTS, QUOTE_MARK, _at_numeral, _issuers, _quote_marks
from miner.extract.core import NUMBERED, NUMBERED_QUOTED, OTHER_QUOTE, QUOTED, THRESHOLD, Extractor, extract_quoted, quote_spans
from miner.extract.lexicon import load_lexicon
from miner.pipeline import Miner, mine_document
from miner.io.read import iter_documents
from miner.types import Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
NATIONAL = SHARED / "corpora" / "gov_work_reports.jsonl"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_lexicon())


@pytest.fixture(scope="module")
def bare() -> Extractor:
    """The extractor without the bundled list of known slogans: patterns alone."""
    return Extractor(load_lexicon(frozenset()))


def phrases(ex: Extractor, text: str) -> list[str]:
    return [s.phrase for s in ex.extract(text)]


def numbered(ex: Extractor, text: str) -> list[str]:
    return [s.phrase for s in ex.extract(text) if s.kind in (NUMBERED, NUMBERED_QUOTED)]


# -- numeral + classifier + head ----------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("坚持四项基本原则，反对资产阶级自由化。", ["四项基本原则"]),
        ("为实现四个现代化建设而奋斗。", ["四个现代化"]),
        ("打好三大攻坚战。", ["三大攻坚战"]),
        ("这是当今世界的两大主题。", ["两大主题"]),
        ("坚持和平共处五项原则，", ["五项原则"]),
        ("统筹国内国际两个市场、两种资源。", ["两个市场", "两种资源"]),
        ("落实中央八项规定精神。", ["八项规定"]),
    ],
)
def test_classifier_positive(bare, text, expected):
    assert numbered(bare, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "我讲三个方面的问题。",  # counting heads
        "用了两个月时间，完成五个项目。",
        "这三个方面",  # demonstrative before the numeral
        "第三个阶段",  # ordinal
        "党的十八大以来，八大以后",  # party congresses, not "N big …"
        "一个国家要发展",  # 一个X counts too much to trust unquoted
        "提高十个百分点",
    ],
)
def test_classifier_negative(extractor, text):
    assert numbered(extractor, text) == []


def test_classifier_quoted_accepts_any_head(bare):
    spans = bare.extract("开展“四个年”活动，实施“六个专项整治”和“十二项专项行动”")
    assert [(s.phrase, s.kind) for s in spans] == [
        ("四个年", NUMBERED_QUOTED),
        ("六个专项整治", NUMBERED_QUOTED),
        ("十二项专项行动", NUMBERED_QUOTED),
    ]


# -- compact abbreviations -------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("推进三去一降一补，", ["三去一降一补"]),
        ("实现两不愁三保障目标", ["两不愁三保障"]),
        ("开展两学一做学习教育", ["两学一做"]),
        ("关心一老一小问题", ["一老一小"]),
        ("推动五讲四美三热爱活动", ["五讲四美三热爱"]),
        ("做好六稳六保工作", ["六稳六保"]),
        ("实行党政同责、一岗双责", ["一岗双责"]),
    ],
)
def test_compact_positive(bare, text, expected):
    assert numbered(bare, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "要一心一意谋发展，",  # idiom
        "一步一步地走，一件一件地办",  # reduplication
        "一年一度的大会",  # time unit
        "进一步统一思想",  # numerals inside ordinary words
        "香港、澳门两岸双方",  # 双方 is a word
        "三峡三期工程",  # a place name
        "一九八五年和一九五八年",  # dates
        "十一届三中全会",  # meeting ordinal
        "四川省和三峡库区，二氧化碳和二十国集团",  # names
        "三分之一，百分之五，五十万千瓦",  # quantities
        "一是加强领导，二是完善制度，一要，二要",  # ordinal markers
        "一些地方，一定要，一系列，千方百计，万众一心",  # ordinary words
        "五年来，两年内",  # plain durations
    ],
)
def test_compact_and_traps_negative(extractor, text):
    assert numbered(extractor, text) == []


# -- five-year-plan tags ---------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("“十一五”期间，十二五规划，“十四五”时期", ["十一五", "十二五", "十四五"]),
        ("九五计划和八五期间", ["九五", "八五"]),
        ("十五计划顺利完成", ["十五"]),
        ("编制“十五五”规划", ["十五五"]),
    ],
)
def test_plan_tags(bare, text, expected):
    assert numbered(bare, text) == expected


@pytest.mark.parametrize("text", ["一九八五年计划", "一九五八年", "十五年规划", "第十五期间", "一九九五年期间"])
def test_plan_tags_not_in_dates(extractor, text):
    assert numbered(extractor, text) == []


# -- 双/两/单, Arabic and masked forms ------------------------------------------------

def test_double_forms(bare, extractor):
    assert numbered(bare, "实现“双三”目标，双三任务") == ["双三", "双三"]
    assert numbered(extractor, "推进双创，构建双循环，实现双碳") == ["双创", "双循环", "双碳"]
    assert numbered(extractor, "双方同意，双边关系，双重压力") == []


def test_short_forms_need_quotes_or_the_known_list(bare, extractor):
    assert numbered(bare, "解决三农问题，反对四风") == []
    assert numbered(extractor, "解决三农问题，反对四风") == ["三农", "四风"]
    assert numbered(bare, "坚持“三农”优先，深化“三服务”") == ["三农", "三服务"]


def test_arabic_forms(bare):
    assert numbered(bare, "组成了“1+8”领导体系，实施863计划，“132”工程") == ["1+8", "863", "132"]
    assert numbered(bare, "拨打“12345”热线，“2035”年，增长1.5+2%") == []


def test_masked_names_are_a_wildcard(bare):
    spans = bare.extract("实施“六个*”和“平安*”战略，六个*建设")
    assert [(s.phrase, s.kind) for s in spans] == [
        ("六个*", NUMBERED_QUOTED),
        ("平安*", QUOTED),
        ("六个*", NUMBERED),
    ]


def test_duration_counts_only_when_quoted(bare):
    assert numbered(bare, "扎实开展“两年”活动，前两年的工作") == ["两年"]


# -- quoted phrases ------------------------------------------------------------

def test_quote_spans_nested_and_unclosed():
    assert list(quote_spans("“以“三个代表”为指导”和“未闭合\n")) == [(3, 7), (1, 11)]


def test_quoted_lengths_and_kinds(bare):
    text = "“奖”出信心，开展“工业服务年”、“冲刺三季度、决战下半年”和“" + "长" * 31 + "”"
    assert [s.phrase for s in extract_quoted(text)] == ["工业服务年", "冲刺三季度、决战下半年"]


def test_quoted_numbered_is_one_mention(bare):
    spans = bare.extract("全面贯彻“两手抓、两战赢”和“三个代表”重要思想")
    assert [(s.phrase, s.kind) for s in spans] == [
        ("两手抓、两战赢", NUMBERED_QUOTED),
        ("三个代表", NUMBERED_QUOTED),
    ]


def test_numbered_inside_a_plain_quote_is_kept(bare):
    spans = bare.extract("提出“实现四个现代化的宏伟目标”")
    # the quoted clause stays a mention (of kind other-quote), the slogan inside it is found
    assert [(s.phrase, s.kind) for s in spans] == [("实现四个现代化的宏伟目标", OTHER_QUOTE), ("四个现代化", NUMBERED)]


def test_a_quoted_idiom_of_classical_shape_counts_nothing(bare):
    # 一X之Y: one town's plan, one country's policy; a quoted count of four characters is a slogan
    spans = {s.phrase: s for s in bare.extract("从“一镇之计”上升到“一国之策”，坚持“一带一路”")}
    assert [(spans[p].score, spans[p].evidence) for p in ("一镇之计", "一国之策")] == [(0.4, ("classical", "quoted"))] * 2
    assert spans["一带一路"].score >= 0.5


def test_quoted_ordinary_words_are_not_numbered(bare):
    spans = bare.extract("搞“一刀切”，坚持“一盘棋”，“十年磨一剑”")
    assert [s.phrase for s in spans] == ["一刀切", "一盘棋", "十年磨一剑"]
    assert {s.kind for s in spans} <= {QUOTED, OTHER_QUOTE}


# -- through the pipeline: canonical forms and original positions -----------------

def test_one_canonical_form_for_every_script_and_quote():
    miner = Miner()
    text = "兩個率先〞，“两个率先”，「兩個率先」，＂两个率先＂，两个率先。"
    result = mine_document(Document("d", "d.txt", text), miner)
    assert [m.phrase for m in result.mentions] == ["两个率先"] * 5
    for m in result.mentions:
        assert text[m.start : m.end] == m.surface
    assert {m.surface for m in result.mentions} == {"兩個率先", "两个率先"}


# -- the seed speeches -------------------------------------------------------------

SEED_EXPECTED = """工业服务年 项目推进年 两年 六个* 平安* 十一五 冲刺三季度、决战下半年 两项工作机制 十二项专项行动
四项重点工作 五个必须 十四五 一老一小 三全 双三 两个率先 三先 三个代表 三个文明 六个专项整治 四个一 四风
两确保三争取 1+8 三服务 四个年 三个年 八八战略 两手抓、两战赢""".split()


@pytest.fixture(scope="module")
def seed_results():
    if not SEEDS.exists():
        pytest.skip("../shared/seeds not found")
    miner = Miner()
    return [mine_document(d, miner) for d in iter_documents([SEEDS])]


def test_seed_slogans_found(seed_results):
    found = {m.phrase for r in seed_results for m in r.mentions}
    assert [p for p in SEED_EXPECTED if p not in found] == []


def test_seed_years(seed_results):
    assert [r.document.year for r in seed_results] == [2023, 2025, 2022, 2023, 2020]


def test_seed_watermark_and_chrome_not_mined(seed_results):
    found = {m.phrase for r in seed_results for m in r.mentions}
    assert not any("老秘网" in p or "下载" in p for p in found)


# -- the national reports ---------------------------------------------------------

@pytest.fixture(scope="module")
def national():
    if not NATIONAL.exists():
        pytest.skip("../shared/corpora/gov_work_reports.jsonl not found")
    miner = Miner()
    results = [mine_document(d, miner) for d in iter_documents([NATIONAL])]
    return results, count_phrases(results)


@pytest.mark.parametrize(
    "phrase, first, last",
    [
        ("四个现代化", 1975, 1988),
        ("三个代表", 2001, 2018),
        ("四个全面", 2015, 2019),
        ("一带一路", 2015, 2025),
        ("十一五", 2005, 2013),
        ("三去一降一补", 2017, 2021),
        ("六稳", 2020, 2023),
    ],
)
def test_national_slogans_in_the_right_years(national, phrase, first, last):
    _, counts = national
    stats = counts.phrases[phrase]
    assert first <= stats.first_year and stats.last_year <= last


def test_no_mention_inside_a_date(national):
    results, _ = national
    numeral = "〇○零一二三四五六七八九十"
    for r in results:
        for m in r.mentions:
            if m.kind == QUOTED:
                continue
            before = r.document.text[m.start - 1 : m.start]
            after = r.document.text[m.end : m.end + 1]
            assert not (before and before in numeral), (m.phrase, m.context)
            if m.rule == "plan":
                assert after != "年", (m.phrase, m.context)


def test_national_top50_precision(national):
    _, counts = national
    ev = evaluate(counts, load_judged(ROOT / "tests" / "data" / "judged.tsv"), top=50)
    assert ev.unjudged == []
    assert ev.precision >= 0.95, ev.wrong


def test_judged_recall_and_traps(national):
    _, counts = national
    judged = load_judged(ROOT / "tests" / "data" / "judged.tsv")
    in_reports = {p for p, js in judged.items() if any(j.years not in ("-", "seed") for j in js)}
    ev = evaluate(counts, judged, top=50, present=in_reports)
    assert ev.recall >= 0.9, ev.missed
    assert not [p for p in ev.trap_hits if p not in ("两会",)]  # 两会 only occurs in a seed


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新建五十个重点项目，帮扶十八个贫困村", []),  # large numbers count things
        # a head cannot start with a numeral: only the quoted 四个一, not 四个一目标 after it
        ("实现“四个一”的四个一目标", [("四个一", NUMBERED_QUOTED, 3, 6)]),
        ("坚持一季度一通报", []),  # a time unit is not a part
    ],
)
def test_counts_and_time_units_negative(extractor, text, expected):
    found = [(s.phrase, s.kind, s.start, s.end) for s in extractor.extract(text) if s.kind in (NUMBERED, NUMBERED_QUOTED)]
    assert found == expected


def test_last_part_does_not_swallow_a_function_word(bare):
    assert numbered(bare, "三严三实为主题，五讲四美三热爱活动") == ["三严三实", "五讲四美三热爱"]


def test_quoted_phrase_is_canonical_and_wordy(bare):
    text = "“““’’”和“坚持“三个代表” 重要思想”"
    assert [s.phrase for s in extract_quoted(text)] == ["三个代表", "坚持三个代表重要思想"]


# -- forms found since the random sample was judged ---------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("以除四害为中心，开展破四旧运动", ["除四害", "破四旧"]),  # verb + numeral + object
        ("除四川外，消除四害", []),  # a place; a two-character verb
        ("在总路线、大跃进和人民公社这三面红旗之下", ["三面红旗"]),  # after a demonstrative
        ("这三个月，这一切，这两年", []),
        ("牢牢掌握一个中心、两个基本点，坚持一个国家、两种制度", ["一个中心、两个基本点", "一个国家、两种制度"]),
        ("一是加强领导，二是改革体制", []),  # an enumeration, not a pair
        ("扎实推进十大重点节能工程", ["十大重点节能工程"]),  # a head longer than four characters
        ("党的十大以来，党的十大精神", []),  # a congress
        ("认真落实中央八条、省十条和市委要求", ["中央八条", "省十条"]),  # no leading numeral
        ("城市十条措施，第十条规定", []),
    ],
)
def test_forms_missed_before(bare, text, expected):
    assert numbered(bare, text) == expected


def test_slogan_written_apart_is_also_one_slogan(bare):
    spans = bare.extract("扎实做好“六稳”、“六保”工作，继续做好“六稳”工作、落实“六保”任务")
    assert [(s.phrase, s.rule) for s in spans] == [
        ("六稳六保", "quoted+apart"), ("六稳", "quoted+short"), ("六保", "quoted+short"),
        ("六稳", "quoted+short"), ("六保", "quoted+short"),
    ]


def test_plan_tag_followed_by_a_programme_is_the_programme(bare):
    text = "启动实施“七五”普法规划，完成“七五”计划，“五五”普法顺利完成，七五普法规划，“十五”任务"
    assert numbered(bare, text) == ["七五普法", "七五", "五五普法", "七五普法", "十五"]
    assert numbered(bare, "“十四五”坚持创新，“十三五”易地扶贫搬迁") == ["十四五", "十三五"]
    # a verbal noun before the plan's own word qualifies it: the plan's expected targets, no programme
    assert numbered(bare, "增速高于“十二五”预期目标0.8个百分点") == ["十二五"]


# -- scores and evidence --------------------------------------------------------
def kinds_and_evidence(ex: Extractor, text: str) -> list[tuple]:
    return [(s.phrase, s.kind, s.evidence) for s in ex.extract(text)]


def test_quotes_that_are_not_campaign_phrases(bare):
    assert kinds_and_evidence(bare, "开展“放管服”改革，诬蔑为“奴隶”，好象“山重水复”，“先天下之忧而忧”") == [
        ("放管服", QUOTED, ("coined", "programme")),
        ("奴隶", OTHER_QUOTE, ("scare", "word")),
        ("山重水复", OTHER_QUOTE, ("set-phrase",)),
        ("先天下之忧而忧", OTHER_QUOTE, ("classical", "echo", "set-phrase")),
    ]
    assert kinds_and_evidence(bare, "坚持“定产、定购、定销”，毛泽东在“中国革命战争的战略问题”著作中说") == [
        ("定产、定购、定销", QUOTED, ("carried-out", "parallel")),
        ("中国革命战争的战略问题", OTHER_QUOTE, ("sentence", "title")),
    ]


def test_list_of_quotes_shares_what_names_it(bare):
    spans = bare.extract("坚持“古为今用”、“洋为中用”的方针")
    assert [(s.phrase, s.kind, "programme" in s.evidence) for s in spans] == [
        ("古为今用", QUOTED, True), ("洋为中用", QUOTED, True),
    ]


def test_campaign_written_as_two_quotes_is_paired_and_one_phrase(bare):
    assert [(s.phrase, s.kind, s.rule, s.evidence) for s in bare.extract("坚持不懈地进行“扫黄”“打非”斗争。")] == [
        ("扫黄打非", QUOTED, "quoted+apart", ("paired", "programme", "set-phrase")),
        ("扫黄", QUOTED, "quoted", ("paired", "programme", "word")),
        ("打非", QUOTED, "quoted", ("paired", "programme", "word")),
    ]
    # with a separator each half is paired, but the two are not joined into one phrase
    assert [(s.phrase, s.rule, "paired" in s.evidence) for s in bare.extract("“扫黄”、“打非”工作不断深入")] == [
        ("扫黄", "quoted", True), ("打非", "quoted", True),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "反对“自由”、“民主”、“人权”的说法",  # a list of three is an enumeration, not a pair
        "老干部是“民主”、“民主”就是",  # the same word twice
        "但“大块头”“链主型”项目仍然偏少",  # halves of three characters
        "进行“扫黄”工作，“打非”",  # not side by side
    ],
)
def test_quotes_that_are_not_a_pair(bare, text):
    assert [s.phrase for s in bare.extract(text) if "paired" in s.evidence or s.rule == "quoted+apart"] == []


def test_names_written_as_two_quotes_stay_other_quotes(bare):
    assert [(s.phrase, s.kind) for s in bare.extract("“中国”“美国”两国")] == [("中国", OTHER_QUOTE), ("美国", OTHER_QUOTE)]


def test_a_verbal_noun_after_the_quote_names_an_undertaking(bare):
    assert kinds_and_evidence(bare, "开展“小秋收”运动，广播电视“户户通”升级，所谓“过关”检查") == [
        ("小秋收", QUOTED, ("programme",)),
        ("户户通", QUOTED, ("echo", "programme")),
        ("过关", OTHER_QUOTE, ("programme", "scare", "word")),
    ]
    # a particle or a plain noun after the quote names nothing
    assert kinds_and_evidence(bare, "众多“创客”脱颖而出，生产销售“地条钢”等行为，“小秋收”的") == [
        ("创客", OTHER_QUOTE, ()), ("地条钢", OTHER_QUOTE, ()), ("小秋收", OTHER_QUOTE, ()),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a view someone holds: 的念头, 的想法, 思潮
        ("必须摒弃“歇歇脚、喘口气”的念头", ("歇歇脚、喘口气", OTHER_QUOTE, ("attitude", "parallel"))),
        ("“逆全球化”思潮抬头", ("逆全球化", OTHER_QUOTE, ("attitude",))),
        # and a mood or drive to work in: 的状态, 的紧迫感, 的干劲
        ("以“开局就是决战、起步就要冲刺”的状态，抢抓机遇", ("开局就是决战、起步就要冲刺", OTHER_QUOTE, ("attitude", "parallel"))),
        ("鼓足“乘势而上立潮头”的干劲闯劲", ("乘势而上立潮头", OTHER_QUOTE, ("attitude",))),
        # a numeral inside a word that is no number (百姓, an idiom) counts nothing; one that counts does
        ("让党的创新理论“飞入寻常百姓家”", ("飞入寻常百姓家", OTHER_QUOTE, ())),
        ("引领高质量发展的“万马奔腾”，汇聚合力", ("万马奔腾", OTHER_QUOTE, ("set-phrase",))),
        ("落实“万村千乡”市场工程", ("万村千乡", QUOTED, ("coined", "counted", "programme"))),
        ("深刻理解把握“5大战略指引”", ("5大战略指引", QUOTED, ("counted",))),  # a count in digits
        ("提升“12345”热线服务", ("12345", OTHER_QUOTE, ("name", "programme"))),  # a number alone is a name
        # a sentence cited whole, closed after its full stop, and the same words said as a phrase
        ("同胞们！“愿将黄鹤翅，一借飞云空。”中华民族伟大复兴", ("愿将黄鹤翅，一借飞云空", OTHER_QUOTE, ("parallel", "sentence"))),
        ("坚持“控制总量，调整结构”。", ("控制总量，调整结构", QUOTED, ("carried-out", "parallel"))),
        # names of organisations and states, titles of meetings and treaties
        ("拼凑“印支联邦”的活动", ("印支联邦", OTHER_QUOTE, ("name", "programme"))),
        ("反对“中国国民党革命委员会”", ("中国国民党革命委员会", OTHER_QUOTE, ("name",))),
        ("召开“全国农业大会”", ("全国农业大会", OTHER_QUOTE, ("title",))),
        ("举办“2023·中国西藏发展论坛”", ("2023·中国西藏发展论坛", OTHER_QUOTE, ("title",))),  # an event with its year
        ("实现“2030年前碳达峰”目标", ("2030年前碳达峰", QUOTED, ("programme",))),  # a target for a year is no event
        # words joined by 的 are a phrase, not a coinage clipped from words
        ("开始了更加伟大的“新的长征”", ("新的长征", OTHER_QUOTE, ())),
        # 以“X”为名 is a pretext; 以“X”为重点 makes X the focus of the work
        ("以“经济互助”为名", ("经济互助", OTHER_QUOTE, ("scare",))),
        ("以“质量效益”为重点", ("质量效益", QUOTED, ("programme",))),
        ("以“放管服”为抓手", ("放管服", QUOTED, ("coined", "programme"))),
        # a preposition of accordance carries out what it names; 关于 only names a topic
        ("依照“关键少数”的要求", ("关键少数", QUOTED, ("programme",))),
        ("根据“关键少数”，", ("关键少数", QUOTED, ("carried-out",))),
        ("关于“关键少数”，", ("关键少数", OTHER_QUOTE, ())),
        # a reduplicated word is everyday speech; a reduplication inside a coinage is not
        ("解决“块块”的矛盾", ("块块", OTHER_QUOTE, ("word",))),
        ("实施“村村通”工程", ("村村通", QUOTED, ("echo", "programme"))),
        # a line issued as a directive (指示, 号召) is a campaign's; a remark reported (说, 警告) is not
        ("毛主席指示：“把国民经济搞上去”。", ("把国民经济搞上去", QUOTED, ("directive",))),
        ("列宁一再地指示说：“建立社会主义社会的真正的和唯一的基础，只有一个，这就是大工业”",
         ("建立社会主义社会的真正的和唯一的基础，只有一个，这就是大工业", OTHER_QUOTE, ("sentence", "speech"))),
        ("也并不象有些人所说的“完全无法可循”", ("完全无法可循", OTHER_QUOTE, ("speech",))),
        ("提出“把国民经济搞上去”的口号", ("把国民经济搞上去", QUOTED, ("programme",))),
        ("他说“我们的工作是做得好的”", ("我们的工作是做得好的", OTHER_QUOTE, ("sentence", "speech"))),
        # words quoted as said, after a colon, and texts written or cited: a vow, an oath, a saying
        # a colon after the name of what the quote is introduces a programme, not words said
        ("主要任务：“10个着力”。", ("10个着力", QUOTED, ("counted", "programme"))),
        ("总体要求：“稳字当头、稳中求进”。", ("稳字当头、稳中求进", QUOTED, ("parallel", "programme"))),
        ("习近平总书记指出：“大国政贵有恒，不能朝令夕改，不要折腾”。",
         ("大国政贵有恒，不能朝令夕改，不要折腾", OTHER_QUOTE, ("parallel", "speech"))),
        ("他仍然用鲜血写下“革命成功万岁”。", ("革命成功万岁", OTHER_QUOTE, ("counted", "speech"))),
        ("亲自撰写的“牺牲个人，努力革命，阶级斗争，服从组织，严守秘密，永不叛党”入党誓词",
         ("牺牲个人，努力革命，阶级斗争，服从组织，严守秘密，永不叛党", OTHER_QUOTE, ("parallel", "speech"))),
        ("他常说“空谈误国，实干兴邦”这句话。", ("空谈误国，实干兴邦", OTHER_QUOTE, ("parallel", "speech"))),
        ("要牢记“空谈误国，实干兴邦”。", ("空谈误国，实干兴邦", QUOTED, ("parallel",))),
        # one word said twice has no parts to put side by side
        ("“嘀嗒、嘀嗒”就是党中央的声音", ("嘀嗒、嘀嗒", OTHER_QUOTE, ())),
        ("坚持“港人治港”。", ("港人治港", QUOTED, ("carried-out", "echo", "set-phrase"))),
    ],
)
def test_what_the_words_around_a_quote_tell(bare, text, expected):
    assert kinds_and_evidence(bare, text) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        # goals cast in one mould, side by side: as long, beginning or ending alike
        ("“掌上办事之省”“掌上办公之省”基本建成", [("掌上办事之省", QUOTED, ("templated",)),
                                                ("掌上办公之省", QUOTED, ("templated",))]),
        ("实现“县县通”、“市市通”", [("县县通", QUOTED, ("echo", "templated")),
                                  ("市市通", QUOTED, ("coined", "echo", "templated"))]),
        # not roles (快先锋, 急先锋), nor words of the dictionary, nor quotes of unlike length
        ("争当“快先锋”“急先锋”", [("快先锋", OTHER_QUOTE, ()), ("急先锋", OTHER_QUOTE, ("set-phrase",))]),
        ("评为“文明户”、“文明村”", [("文明户", OTHER_QUOTE, ("set-phrase",)), ("文明村", OTHER_QUOTE, ("set-phrase",))]),
        ("一个“掌上办事之省”", [("掌上办事之省", OTHER_QUOTE, ())]),
        # a unit said twice and what each one gets is a target on its own; a word of the dictionary is not
        ("一个“县县通”", [("县县通", QUOTED, ("echo",))]),
        ("下起了“毛毛雨”", [("毛毛雨", OTHER_QUOTE, ("set-phrase",))]),
        # two to four unlike coinages of two characters side by side are one campaign's parts; five list things
        ("“打虎”、“拍蝇”、“猎狐”多管齐下", [("打虎", QUOTED, ("paired",)), ("拍蝇", QUOTED, ("paired",)),
                                      ("猎狐", QUOTED, ("paired",))]),
    ],
)
def test_quotes_cast_in_one_mould(bare, text, expected):
    assert kinds_and_evidence(bare, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a verb that takes a policy as its object, right before the quote or one word before
        ("着力打通“最后一公里”，坚决除烦苛之弊", ("最后一公里", QUOTED, ("carried-out",))),
        ("逐步做到“先培训再就业”", ("先培训再就业", QUOTED, ("carried-out", "parallel"))),
        # a verb with the resultative 好 carries it out; 好 in an adjective or after an adverb does not
        ("各级干部要发挥好“头雁效应”，", ("头雁效应", QUOTED, ("carried-out",))),
        ("要落实好“米袋子”省长负责制", ("米袋子", QUOTED, ("carried-out", "set-phrase"))),
        ("营造良好“亲商”氛围，", ("亲商", OTHER_QUOTE, ())),
        ("他们最好“离开”，", ("离开", OTHER_QUOTE, ("word",))),
        # a policy verb a phrase away, in the same clause, governs it too; one in the clause before does not
        ("畅通鲜活农产品运输“绿色通道”", ("绿色通道", QUOTED, ("governed",))),
        ("稳妥推进北方地区“煤改气”", ("煤改气", QUOTED, ("coined", "governed"))),
        ("推进改革，众多“创客”脱颖而出", ("创客", OTHER_QUOTE, ())),
        ("推进工作的所谓“奴隶”，", ("奴隶", OTHER_QUOTE, ("scare", "word"))),  # mocked, not governed
        # 所谓 mocks a word, unless a definition follows: then it explains a term
        ("所谓“放管服”，就是简政放权、放管结合、优化服务。", ("放管服", QUOTED, ("coined", "explained"))),
        # a phrase the text says the meaning of is a term of its line
        ("“聚民心”就是要鼓舞全党全国人民。", ("聚民心", QUOTED, ("explained",))),
        ("“兴文化”即坚定文化自信。", ("兴文化", QUOTED, ("explained",))),
        ("社会主义的所谓“奴隶”劳动者中间却充满了欢乐", ("奴隶", OTHER_QUOTE, ("scare", "word"))),
        # the practice a line is defined against (打破, 遏制, 不搞 before it); 批判 takes an opponent's view
        ("这次的改革是要打破“大锅饭”，", ("大锅饭", QUOTED, ("against", "set-phrase"))),
        ("坚决遏制耕地“非农化”。", ("非农化", QUOTED, ("against",))),
        ("必须批判那种在预算上“宽打窄用”的想法", ("宽打窄用", OTHER_QUOTE, ("attitude", "coined"))),
        # a view held (还有…的思想) unless the text carries it out (树立…的思想)
        ("部分地也由于某些部门还有“宽打窄用”的思想", ("宽打窄用", OTHER_QUOTE, ("attitude", "coined"))),
        ("都要树立“全区一盘棋”的思想,围绕重点项目建设", ("全区一盘棋", QUOTED, ("carried-out",))),
        # the name of a problem (…难, …病) is what a policy solves
        ("抓紧解决“入园难”问题", ("入园难", OTHER_QUOTE, ("coined", "problem"))),
        ("治理交通拥堵等“城市病”，使城市", ("城市病", OTHER_QUOTE, ("problem",))),
        # a kind of firm or product, not a project of the state
        ("有效处置“僵尸企业”，推动企业兼并重组", ("僵尸企业", OTHER_QUOTE, ("thing",))),
        ("深入谋划推进“科技创新2030—重大项目”，改革", ("科技创新2030—重大项目", QUOTED, ("carried-out",))),
        # the name of a body (…组织, …势力), not of an undertaking (…活动)
        ("继续开展同“法轮功”等邪教组织的斗争", ("法轮功", OTHER_QUOTE, ("governed", "name", "set-phrase"))),
        ("深入开展“双拥”活动，", ("双拥", QUOTED, ("programme", "word"))),
        # a noun phrase headed by a programme noun, or a verb carrying the quote out, after it
        ("坚持“控制总量、调整结构”的货币信贷政策。", ("控制总量、调整结构", QUOTED, ("parallel", "programme"))),
        ("“深港通”开启。", ("深港通", QUOTED, ("coined", "programme"))),
        ("推动“非禁即入”普遍落实。", ("非禁即入", QUOTED, ("coined", "programme"))),
        ("通过易地扶贫搬迁摆脱了“一方水土难养一方人”的困境，", ("一方水土难养一方人", OTHER_QUOTE, ())),
        ("“请共产党下台”等等狂妄要求，却", ("请共产党下台", OTHER_QUOTE, ())),  # 要求 here is a demand
        # a line setting two short terms equal is no clause; a copula with 的 or a long term is one
        ("深入践行“绿水青山就是金山银山”理念", ("绿水青山就是金山银山", QUOTED, ("parallel", "programme"))),
        ("与前面说过的“官僚主义是比资本主义更加危险的敌人”、", ("官僚主义是比资本主义更加危险的敌人", OTHER_QUOTE, ("sentence", "speech"))),
    ],
)
def test_signals_of_a_quote(bare, text, expected):
    assert kinds_and_evidence(bare, text) == [expected]


def test_quotes_listed_before_a_project_name_it(bare):
    # 等…项目 after a list of quotes: each names a project (a programme), what a plain 等 does not
    assert kinds_and_evidence(bare, "独具特色的鲁班工坊、“丝路一家亲”、“光明行”等人文交流项目，不断深化") == [
        ("丝路一家亲", QUOTED, ("programme",)), ("光明行", QUOTED, ("programme",))]
    assert kinds_and_evidence(bare, "还有“丝路一家亲”、“光明行”等，不断深化") == [
        ("丝路一家亲", OTHER_QUOTE, ()), ("光明行", OTHER_QUOTE, ())]


def test_quotes_joined_by_a_conjunction_share_their_words(bare):
    # 坚持 governs both members of the list
    assert kinds_and_evidence(bare, "坚持“引进来”和“走出去”相结合") == [
        ("引进来", QUOTED, ("carried-out",)), ("走出去", QUOTED, ("carried-out",)),
    ]
    # two words joined by 和 are two things, not a campaign made as a pair (“扫黄”“打非”)
    assert kinds_and_evidence(bare, "解决“条条”和“块块”的矛盾") == [
        ("条条", OTHER_QUOTE, ("word",)), ("块块", OTHER_QUOTE, ("word",)),
    ]


@pytest.mark.parametrize(
    "text, phrase, signal",
    [
        ("建设十个水泥厂", "十个水泥厂", "concrete-head"),  # a count of concrete things
        ("内蒙古、新疆四个自治区", "四个自治区", "concrete-head"),
        ("八十斤到九十九斤的棉田", "八十斤到九十九斤的", "concrete-head"),  # quantities
        ("组织打好三大标志性战役", "三大标志性", "open-head"),  # a head cut before its noun
        ("这三个标志性的事件分别是", "三个标志性", "open-head"),  # or before 的 and the noun it qualifies
        ("三档并两档方向调整", "三档并两档方", "cut-word"),  # cut inside a word (方向)
        ("必将一浪接一浪地不断高涨", "一浪接一浪地", "repeated"),  # one part again and again
    ],
)
def test_numbered_non_slogans_score_low(bare, text, phrase, signal):
    (span,) = [s for s in bare.extract(text) if s.phrase == phrase]
    assert signal in span.evidence and span.score < THRESHOLD


def test_a_generic_count_needs_more_than_its_shape(bare):
    (span,) = bare.extract("今年将采取三项举措")
    assert (span.phrase, span.evidence) == ("三项举措", ()) and span.score < THRESHOLD


@pytest.mark.parametrize("text", ["坚持和平共处五项原则", "实现四个现代化", "落实“两个率先”", "推进三去一降一补"])
def test_numbered_slogans_score_high(extractor, text):
    (span,) = extractor.extract(text)
    assert span.score >= THRESHOLD


SAMPLE = ROOT / "tests" / "data" / "judged_sample.tsv"
SAMPLE_CORPUS = ROOT / "miner" / "data" / "sample"


@pytest.fixture(scope="module")
def pooled():
    if not (NATIONAL.exists() and SEEDS.is_dir()):
        pytest.skip("../shared/ corpora not found")
    miner = Miner()
    return count_phrases(mine_document(d, miner) for d in iter_documents([NATIONAL, SEEDS, SAMPLE_CORPUS]))


@pytest.mark.parametrize(
    "family, part, precision, recall",
    [
        ("numbered", "tune", 0.92, 0.95),
        ("numbered", "held", 0.92, 0.95),
        ("quoted", "tune", 0.92, 0.97),
        ("quoted", "held", 0.82, 0.88),  # short of the 85% and 95% targets: see the README
    ],
)
def test_random_sample_precision_and_recall(pooled, family, part, precision, recall):
    score = evaluate_sample(pooled, load_sample(SAMPLE), family=family, part=part)
    assert score.called >= 50 and score.precision >= precision and score.recall >= recall, (score.wrong, score.missed)


# -- the newer numbered forms demand evidence in proportion to their risk -------
def scored(ex: Extractor, text: str) -> list[tuple[str, str, tuple[str, ...], bool]]:
    """Numbered mentions as (phrase, rule, evidence, called a slogan)."""
    return [(s.phrase, s.rule, s.evidence, s.score >= THRESHOLD) for s in ex.extract(text) if s.kind != QUOTED]


@pytest.mark.parametrize(
    "text, expected",
    [
        # evidence lifts a verb + numbered object: carried out, a programme, a quote
        ("以除四害为中心", [("除四害", "verb", ("carried-out",), True)]),
        ("开展破四旧运动", [("破四旧", "verb", ("programme",), True)]),
        ("打击“除六害”", [("除六害", "verb", ("quoted",), True)]),
        ("要分两步走的战略部署", [("分两步走", "verb", ("programme",), True)]),
        # with none it is ordinary text
        ("必须分两步走。", [("分两步走", "verb", (), False)]),
        # an item of a list counting the list, a piece of a quoted word
        ("做到人、财、物三者统一", [("物三者", "verb", ("list-item",), False)]),
        ("支持主板、新三板发展", [("新三板", "verb", ("list-item",), False)]),
        ("推广“粮饲两用”品种", [("饲两用", "verb", ("carried-out", "in-quote"), False)]),
        # an aspect particle is no verb, a party congress no count
        ("两国之间存在着两极对立", []),
        ("迎接共产党十五大的召开", []),
    ],
)
def test_verb_and_numbered_object_needs_evidence(bare, text, expected):
    assert scored(bare, text) == expected


def test_verb_inside_a_quoted_word_is_a_piece_of_it(bare):
    text = "建设“平战两用”人防工程"
    assert [(s.phrase, s.kind, s.evidence, s.score) for s in bare.extract(text)] == [
        ("平战两用", QUOTED, ("coined", "counted", "programme"), 1.0),
        ("战两用", NUMBERED, ("in-quote", "programme"), 0.25),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a count after a demonstrative points back: a principle counted so is not a slogan by itself
        ("按照这两条原则，结合实际", [("两条原则", "classifier", ("anaphoric",), False)]),
        ("先进和落后这两种对立的倾向", [("两种对立", "classifier", ("anaphoric",), False)]),
        # unless its members are named, one short word each, right before it
        ("在总路线、大跃进和人民公社这三面红旗之下", [("三面红旗", "classifier", ("anaphoric", "members"), True)]),
        ("学习鞍钢、大庆两面红旗", [("两面红旗", "classifier", ("members",), True)]),
        ("城市里的建设和农村里的建设这两种规划", [("两种规划", "classifier", ("anaphoric",), False)]),  # a clause, not names
        # a demonstrative does not start a compact slogan
        ("这一步在七五期间完成", [("七五", "plan", (), True)]),
    ],
)
def test_count_after_a_demonstrative_points_back(bare, text, expected):
    assert scored(bare, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("坚持一个国家、两种制度", [("一个国家、两种制度", "pair", (), True)]),
        ("新建一个乡、两个村", [("一个乡、两个村", "pair", ("concrete-head",), False)]),
        ("吃了一碗饭、两碗汤", [("一碗饭、两碗汤", "pair", ("concrete-head",), False)]),
        ("来一个人、两个人都行", [("一个人、两个人都行", "pair", ("repeated",), False)]),
    ],
)
def test_count_pair_of_things_is_not_a_formula(bare, text, expected):
    assert scored(bare, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("县三条。", [("县三条", "issuer", (), False)]),  # a one-character issuer alone
        ("落实县三条，", [("县三条", "issuer", ("carried-out",), True)]),
        ("全面落实国十条、省八条", [("国十条", "issuer", ("carried-out", "parallel"), True),
                                     ("省八条", "issuer", ("parallel",), True)]),
        ("贯彻中央八条。", [("中央八条", "issuer", (), True)]),  # a named body is enough
    ],
)
def test_issuer_count_needs_the_text_to_treat_it_as_one(bare, text, expected):
    assert scored(bare, text) == expected


def test_fresh_sample_numbered_precision_and_recall(pooled):
    # tuned on: the figure first measured blind was 47.6% / 83.3% (see tests/data/README.md)
    score = evaluate_sample(pooled, load_sample(ROOT / "tests" / "data" / "judged_fresh.tsv"), family="numbered")
    assert score.precision >= 0.95 and score.recall >= 0.9, (score.wrong, score.missed)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="一二三四五六七八九十两双个项大条规划计划普法除害去降补年的是\n，。“”", max_size=40))
@example("十五五")  # 十四五 and 十五五 are plans, not 五五 inside them
@example("十五五普法工作")
@example("七五五五普法计划")
def test_one_pass_at_the_numerals_finds_what_each_pattern_finds(text):
    # plan tags (十四五, 十五五), shapes, programmes and verb objects: runs of numerals overlap the patterns' matches
    assert _at_numeral(text) == {name: [m.span() for m in p.finditer(text)] for name, p in NUMERAL_STARTS.items()}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="中央国务院新省市县区一二三十两条，、和\n", max_size=40))
@example("国务院国务院十条")
@example("国三条三条，")
@example("国务院十二三条，")
def test_issuers_are_found_from_their_articles_as_the_pattern_finds_them(text):
    assert [m.span() for m in _issuers(text)] == [m.span() for m in ISSUER.finditer(text)]


@given(st.text(alphabet="“”两个\n", max_size=30))
def test_quote_marks_are_found_in_order(text):
    assert _quote_marks(text) == [m.start() for m in QUOTE_MARK.finditer(text)]
