"""Definitions of numbered slogans: each form, count mismatches, and the seeds."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from miner.extract.define import (
    DEFINITION_COLUMNS,
    add_definition_edges,
    find_definitions,
    parse_numeral,
    read_definitions,
    slogan_count,
    slogan_parts,
)
from miner.io.tables import read_table
from miner.types import Document


def defs(miner, text):
    """(phrase, members, how) of every definition in a normalised text."""
    spans = miner.extractor.extract(text)
    return [(d.phrase, d.members, d.how) for d in find_definitions(text, spans)]


# -- numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [("一", 1), ("两", 2), ("双", 2), ("十", 10), ("十二", 12), ("二十", 20),
                                         ("九十九", 99), ("百", None), ("三三", None)])
def test_parse_numeral(text, value):
    assert parse_numeral(text) == value


@pytest.mark.parametrize("phrase, parts", [
    ("四个一", ((4, "一"),)),
    ("六个专项整治", ((6, "专项整治"),)),
    ("六个*", ((6, "*"),)),
    ("十二项专项行动", ((12, "专项行动"),)),
    ("两年", ((2, "年"),)),
    ("双三", ((2, "三"),)),
    ("两确保三争取", ((2, "确保"), (3, "争取"))),
    ("三去一降一补", ((3, "去"), (1, "降"), (1, "补"))),
    ("一个中心、两个基本点", ((1, "中心"), (2, "基本点"))),
    ("十四五", ()),
    ("1+8", ()),
    ("工业服务年", ()),
])
def test_slogan_parts(phrase, parts):
    assert slogan_parts(phrase) == parts


def test_slogan_count_is_the_sum_of_the_parts_and_needs_two():
    assert [slogan_count(p) for p in ("两确保三争取", "五讲四美三热爱", "四个一", "一个活动", "十四五")] == [5, 12, 4, 0, 0]


# -- the forms, positive -------------------------------------------------------------


def test_marker_ji_with_comma_separated_members(slogan_miner):
    text = "提出今年我区“双三”经济发展目标，即GDP达到30亿元，财政收入达到3亿元。这是战略决策。"
    assert defs(slogan_miner, text) == [("双三", ("GDP达到30亿元", "财政收入达到3亿元"), "marker:即")]


def test_colon_then_ji_with_enumeration_comma_and_repeated_head(slogan_miner):
    text = "实施“六个专项整治”：即违章建(构)筑物、犬类治理、户外广告、沿街围墙美化、“三场一路”亮化、市场和停车场的专项整治。"
    assert defs(slogan_miner, text) == [(
        "六个专项整治",
        ("违章建(构)筑物", "犬类治理", "户外广告", "沿街围墙美化", "三场一路亮化", "市场和停车场"),
        "marker:即",
    )]


def test_marker_jiushi_and_trailing_note(slogan_miner):
    text = "实现“四个一”的奋斗目标，就是地区生产总值1000亿元，财政收入100亿元，建成区面积100平方公里，人口达到100万〔含外来人口〕。"
    assert defs(slogan_miner, text) == [(
        "四个一", ("地区生产总值1000亿元", "财政收入100亿元", "建成区面积100平方公里", "人口达到100万"), "marker:就是",
    )]


def test_two_members_joined_by_he(slogan_miner):
    text = "抢抓“两新”政策机遇，“两新”就是大规模设备更新和消费品以旧换新。"
    assert defs(slogan_miner, text) == [("两新", ("大规模设备更新", "消费品以旧换新"), "marker:就是")]


def test_two_definitions_in_one_sentence_do_not_run_together(slogan_miner):
    text = "“六稳”，就是稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期；“六保”，就是保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转。"
    found = defs(slogan_miner, text)
    assert [(p, len(m)) for p, m, _ in found] == [("六稳", 6), ("六保", 6)]
    assert found[0][1][0] == "稳就业" and found[1][1][-1] == "保基层运转"


def test_compound_slogan_members_in_two_groups(slogan_miner):
    text = "围绕“两确保三争取”目标，即确保疫情不扩散、确保社会稳定，争取复工早、争取生产快、争取损失小。"
    assert defs(slogan_miner, text) == [(
        "两确保三争取", ("确保疫情不扩散", "确保社会稳定", "争取复工早", "争取生产快", "争取损失小"), "marker:即",
    )]


def test_clauses_then_a_comment_clause(slogan_miner):
    text = "实行“五定”，\n即定建设规模，定投资总额，定建设工期，定投资效果，定外部协作条件，并且实行严格的责任制度。"
    assert defs(slogan_miner, text) == [(
        "五定", ("定建设规模", "定投资总额", "定建设工期", "定投资效果", "定外部协作条件"), "marker:即",
    )]


def test_yishi_list(slogan_miner):
    text = "所谓“两个根本性转变”，一是经济体制从计划经济体制向市场经济体制转变，二是经济增长方式从粗放型向集约型转变。"
    assert defs(slogan_miner, text) == [(
        "两个根本性转变", ("经济体制从计划经济体制向市场经济体制转变", "经济增长方式从粗放型向集约型转变"), "list:一是",
    )]


def test_parenthesised_list_of_sections(slogan_miner):
    text = "二、扎实开展“三个年”活动\n（一）工业服务年。要强化服务。\n（二）项目推进年。要以项目论英雄。\n（三）作风建设年。要转变作风。\n三、其他工作"
    assert defs(slogan_miner, text) == [("三个年", ("工业服务年", "项目推进年", "作风建设年"), "list:（一）")]


def test_quoted_run_just_before(slogan_miner):
    text = "深入实施“党建统领加强年、项目攻坚突破年、产业转型提升年”“三个年”活动，精诚团结。"
    assert defs(slogan_miner, text) == [(
        "三个年", ("党建统领加强年", "项目攻坚突破年", "产业转型提升年"), "run:before",
    )]


def test_quoted_run_elsewhere_in_the_document(slogan_miner):
    text = ("对今年的“工业服务年”、“项目推进年”活动进行部署。\n"
            "下面，我就扎实开展“两年”活动讲三点意见。开展“两年”活动，是落实市委号召的实际举措。")
    assert defs(slogan_miner, text) == [("两年", ("工业服务年", "项目推进年"), "run:document")]


# -- the forms, negative ----------------------------------------------------------------


def test_marker_with_too_few_members_is_not_a_definition(slogan_miner):
    text = "实现“四个一”目标，即引进大项目、培育龙头企业、建成产业园区。"
    assert defs(slogan_miner, text) == []


def test_list_with_another_count_is_not_a_definition(slogan_miner):
    text = "启动“四个年”活动，主要目的：一是回顾总结再出发。二是全面部署再动员。三是聚焦重点再攻坚。"
    assert defs(slogan_miner, text) == []


def test_list_after_a_compact_slogan_must_repeat_its_heads(slogan_miner):
    text = "解决好“一老一小”问题，一是每个乡镇建成一所养老服务中心，二是普惠托位覆盖所有社区。"
    assert defs(slogan_miner, text) == []


def test_a_list_far_after_the_slogan_is_not_its_definition(slogan_miner):
    text = "要把“一老一小”服务体系建设写进规划的重点任务，一是建成一所养老中心，二是托位覆盖所有小区。"
    assert defs(slogan_miner, text) == []


def test_jiushi_yao_explains_a_purpose_not_members(slogan_miner):
    text = "今年我们开展“两年”活动，就是要在去年活动的基础上，继续抓好落实、抓出成效。"
    assert defs(slogan_miner, text) == []


def test_sections_about_the_slogan_are_not_its_members(slogan_miner):
    text = "充分认识开展“两年”活动的必要性\n（一）实施“两年”活动是加快发展的主要载体。\n（二）实施“两年”活动是狠抓落实的有效手段。"
    assert defs(slogan_miner, text) == []


def test_quoted_run_without_the_head_is_not_a_definition(slogan_miner):
    text = "扎实开展“不忘初心、牢记使命”“两个维护”教育。"
    assert defs(slogan_miner, text) == []


def test_run_elsewhere_must_end_with_the_head_of_an_n_ge_x_slogan(slogan_miner):
    text = "坚持“两个文明”一起抓。开展“文明村”“文明户”评比。"
    assert defs(slogan_miner, text) == []


def test_undefined_slogan_gets_nothing(slogan_miner):
    assert defs(slogan_miner, "我们围绕省委提出的“两确保三争取”目标，成立疫情防控指挥部。") == []


# -- through the pipeline ---------------------------------------------------------------


def test_mine_document_keeps_definitions_with_original_evidence(slogan_miner):
    raw = "標題：在2004年大會上的講話\n提出今年我區“雙三”經濟發展目標，即GDP達到30億元，財政收入達到3億元。"
    result = slogan_miner.mine(Document("d.txt", "d.txt", raw))
    (d,) = result.definitions
    assert (d.phrase, d.members, d.how, d.year) == ("双三", ("GDP达到30亿元", "财政收入达到3亿元"), "marker:即", 2004)
    assert d.evidence == raw[d.start : d.end] == "提出今年我區“雙三”經濟發展目標，即GDP達到30億元，財政收入達到3億元"


def test_run_writes_definitions_csv_and_kwic_shows_members(tmp_path, run_cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "在2006年大会上的讲话\n开展“三个年”活动：“工业服务年、项目推进年、作风建设年”。要实现“三个年”目标。",
        encoding="utf-8")
    result = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", "-n", "0", "--no-progress")
    assert result.exit_code == 0, result.output
    rows = list(read_table(tmp_path / "out" / "definitions.csv"))
    assert tuple(rows[0]) == DEFINITION_COLUMNS
    assert [(r["phrase"], r["year"], r["count"], r["members"], r["how"]) for r in rows] == [
        ("三个年", 2006, 3, "工业服务年 | 项目推进年 | 作风建设年", "marker:：")]
    assert read_definitions(tmp_path / "out") == {"三个年": [("工业服务年", "项目推进年", "作风建设年")]}
    kwic = run_cli("kwic", "三个年", "-d", tmp_path / "out")
    assert kwic.output.count("= 工业服务年 | 项目推进年 | 作风建设年") == 2


def test_definition_edges_join_slogan_and_members():
    g = nx.Graph()
    g.add_node("三个年", kind="numbered+quoted", community=2, first_year=2006, last_year=2006)
    g.add_node("四个全面", kind="numbered")
    add_definition_edges(g, {"三个年": [("工业服务年", "项目推进年", "作风建设年")], "六稳": [("稳就业", "稳金融")]})
    assert sorted(g.edges(data="kind")) == [("三个年", m, "defines") for m in ("作风建设年", "工业服务年", "项目推进年")]
    assert g.nodes["工业服务年"] == {"kind": "member", "total": 1, "community": 2, "first_year": 2006, "last_year": 2006}
    assert "六稳" not in g  # only slogans already in the graph, unless asked
    add_definition_edges(g, {"六稳": [("稳就业", "稳金融")]}, only_nodes=False)
    assert set(g["六稳"]) == {"稳就业", "稳金融"}


# -- the seeds -------------------------------------------------------------------------------

SEED_DEFINITIONS = {
    "两年": ("工业服务年", "项目推进年"),
    "双三": ("GDP达到30亿元", "财政收入达到3亿元"),
    "六个专项整治": ("违章建(构)筑物", "犬类治理", "户外广告", "沿街围墙及建筑物美化", "三场一路及一湖一河亮化", "市场和停车场"),
    "四个一": ("地区生产总值1000亿元", "财政一般预算收入100亿元", "建成区面积100平方公里", "人口到达100万"),
    "三个年": ("党建统领加强年", "项目攻坚突破年", "产业转型提升年"),
}


def test_seed_definitions(seeds_dir, slogan_miner):
    from miner.io.read import Fields, discover, read_file

    found = {}
    for path, name in discover([seeds_dir]):
        for doc in read_file(path, name, Fields()):
            for d in slogan_miner.mine(doc).definitions:
                found.setdefault(d.phrase, []).append(d.members)
    # 两确保三争取 is never spelled out in the seeds, and the 一是/二是/三是 after
    # “四个年” lists three aims, so neither gets a definition.
    assert found == {phrase: [members] for phrase, members in SEED_DEFINITIONS.items()}


# -- notes and glossaries ------------------------------------------------------------------


def noted(miner, text):
    """(phrase, members or the gloss, how) of every definition in a text, as mined."""
    from miner.preprocess.normalize import Normalizer

    body = Normalizer().normalize(text).text
    return [(d.phrase, d.members or d.gloss, d.how) for d in find_definitions(body, miner.extractor.extract(body))]


def test_glossary_entry_with_bracket_marker_and_text_on_the_next_line(slogan_miner):
    text = ("全面落实“两个统筹”［3］要求。\n名词解释\n［3］两个统筹：\n"
            "指统筹城乡发展和统筹区域发展。")
    assert noted(slogan_miner, text) == [("两个统筹", ("统筹城乡发展", "统筹区域发展"), "glossary")]


def test_half_width_bracket_note_on_one_line_with_an_unquoted_term(slogan_miner):
    text = "持续推进三项攻坚[2]。\n[2] 三项攻坚：拆违攻坚、治污攻坚和交通攻坚。"
    assert noted(slogan_miner, text) == [("三项攻坚", ("拆违攻坚", "治污攻坚", "交通攻坚"), "note")]


def test_circled_marker_under_a_notes_heading_with_shi_zhi_and_a_restated_slogan(slogan_miner):
    text = ("启动“三大工程”②。\n注释：\n②三大工程：是指强基工程、惠民工程、安居工程三大工程。")
    assert noted(slogan_miner, text) == [("三大工程", ("强基工程", "惠民工程", "安居工程"), "note")]


def test_one_note_for_two_slogans_gives_each_its_own_members(slogan_miner):
    text = ("抓好“两稳”“两保”（1）。\n注：（1）“两稳”指稳增长和稳就业；“两保”指保民生和保运转。"
            "（2）两翼：城东新区、城西园区。")
    assert noted(slogan_miner, text) == [
        ("两稳", ("稳增长", "稳就业"), "note"),
        ("两保", ("保民生", "保运转"), "note"),
        ("两翼", ("城东新区", "城西园区"), "note"),
    ]


def test_a_two_slogan_note_in_the_body_gives_neither_the_others_members(slogan_miner):
    text = "我们要落实“两稳”“两保”：“两稳”指稳增长和稳就业，要抓牢。"
    assert [p for p, _, _ in noted(slogan_miner, text)] == []


def test_zhu_number_marker_and_a_term_followed_by_shi_zhi(slogan_miner):
    text = "推进“四项清理”注3，腾出发展空间。\n注3：四项清理是指清理闲置土地、清理违建厂房、清理僵尸企业、清理低效园区。"
    assert noted(slogan_miner, text) == [
        ("四项清理", ("清理闲置土地", "清理违建厂房", "清理僵尸企业", "清理低效园区"), "note")]


def test_superscript_marker_and_a_numbered_list_on_the_following_lines(slogan_miner):
    text = ("实施“强县域”¹战略，开展“两个一批”²行动。\n名词解释\n1.强县域\n指壮大县域经济。\n2.两个一批\n包括：\n"
            "（1）新建一批标准厂房；\n（2）盘活一批闲置资产。")
    assert noted(slogan_miner, text) == [
        ("强县域", "壮大县域经济", "glossary"),
        ("两个一批", ("新建一批标准厂房", "盘活一批闲置资产"), "glossary"),
    ]


def test_unmarked_glossary_entries_and_a_yishi_list(slogan_miner):
    text = ("实施“两园”提升。\n名词解释\n两园：一是智能制造产业园，二是数字经济产业园。\n"
            "三化改造\n是指智能化、绿色化、服务化改造。")
    assert noted(slogan_miner, text) == [
        ("两园", ("智能制造产业园", "数字经济产业园"), "glossary"),
        ("三化改造", ("智能化", "绿色化", "服务化"), "glossary"),
    ]


@pytest.mark.parametrize("entry, members", [
    # 1 + 5: one piece for each part, each named before 即
    ("一库五制：一库即项目储备库；五制即联审制、代办制、承诺制、容缺制和督办制。",
     ("项目储备库", "联审制", "代办制", "承诺制", "容缺制", "督办制")),
    # 3 + 1: a 、 list, then one clause
    ("三减一提：减环节、减材料、减时限，提升办事效率。", ("减环节", "减材料", "减时限", "提升办事效率")),
    # 2 + 2, the last group ending in a shared 有保障
    ("两有两保障：有产业、有就业，住房安全和饮水安全有保障。", ("有产业", "有就业", "住房安全", "饮水安全")),
])
def test_compound_counts_add_up(slogan_miner, entry, members):
    phrase = entry.split("：")[0]
    text = f"落实“{phrase}”[1]。\n[1] {entry}"
    assert noted(slogan_miner, text) == [(phrase, members, "note")]


@pytest.mark.parametrize("entry, gloss", [
    # numbered, but the note describes: three clauses for 两区 are no list of two
    ("两区：以高新区为龙头，以经开区为支撑，带动全县工业发展。", "以高新区为龙头，以经开区为支撑，带动全县工业发展"),
    # a count mismatch: two items for a compound of 1 + 2
    ("一心两翼：老城区、新城区。", "老城区、新城区"),
    # as many clauses as the number, but nothing parallel in them
    ("两个窗口：在园区设立服务专窗，让企业办事不出园区。", "在园区设立服务专窗，让企业办事不出园区"),
    # an unnumbered campaign: always a gloss
    ("局长进大厅：各局局长每周到政务大厅值班，像坐诊一样现场答疑。", "各局局长每周到政务大厅值班，像坐诊一样现场答疑"),
])
def test_describing_notes_are_a_gloss_not_members(slogan_miner, entry, gloss):
    phrase = entry.split("：")[0]
    text = f"推行“{phrase}”[1]。\n[1] {entry}"
    assert noted(slogan_miner, text) == [(phrase, gloss, "note")]


def test_the_parts_of_a_compound_explained_apart_define_the_compound_mentioned(slogan_miner):
    text = "建设“两廊一带”⑷。\n注：\n⑷“两廊”“一带”：“两廊”是指科创走廊和文旅走廊；“一带”是指沿江生态带。"
    assert noted(slogan_miner, text) == [
        ("两廊", ("科创走廊", "文旅走廊"), "note"),
        ("一带", "沿江生态带", "note"),
        ("两廊一带", ("科创走廊", "文旅走廊", "沿江生态带"), "note"),
    ]


def test_numbered_paragraphs_are_not_notes(slogan_miner):
    # （1） numbers paragraphs of the body; ① only marks a note a mention points to.
    text = ("一、主要任务\n（1）三个提升：要提升产业、提升城市、提升服务。\n"
            "①“三农”工作：要稳定粮食生产、增加农民收入。")
    assert [how for _, _, how in noted(slogan_miner, text) if how in ("note", "glossary")] == []


def test_a_plain_glossary_term_that_is_no_slogan_is_left_out(slogan_miner):
    text = "发行专项债券。\n名词解释\n专项债券：地方政府为有一定收益的公益性项目发行的债券。"
    assert noted(slogan_miner, text) == []


def test_quoted_run_sharing_only_a_character_is_not_a_definition(slogan_miner):
    text = "开好“新春第一会”“新年第一会”。要抓好“两新”工作。"
    assert defs(slogan_miner, text) == []


def test_quoted_run_without_the_counted_character_is_not_a_definition(slogan_miner):
    text = "推进“两通工程”，不搞“形象工程”“面子工程”。"
    assert defs(slogan_miner, text) == []


def test_jiushi_before_a_sentence_that_is_not_a_list_is_not_a_definition(slogan_miner):
    text = "推进“一江一河”建设，就是打造城市发展的新轴线，形成生态保护的新屏障。"
    assert defs(slogan_miner, text) == []


def test_note_definitions_reach_the_csv_with_gloss_and_evidence(tmp_path, run_cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(
        "2021年政府工作报告\n推进“两个提升”［1］，实施“暖心行动”［2］。\n名词解释\n"
        "［1］两个提升：\n指提升城市品质和提升产业层次。\n［2］暖心行动：\n为困难群众送去冬季取暖补贴。\n",
        encoding="utf-8")
    result = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", "-n", "0", "--no-progress")
    assert result.exit_code == 0, result.output
    rows = [(r["phrase"], r["members"], r["gloss"], r["how"], r["evidence"])
            for r in read_table(tmp_path / "out" / "definitions.csv")]
    assert rows == [
        ("两个提升", "提升城市品质 | 提升产业层次", "", "glossary", "［1］两个提升： 指提升城市品质和提升产业层次。"),
        ("暖心行动", "", "为困难群众送去冬季取暖补贴", "glossary", "［2］暖心行动： 为困难群众送去冬季取暖补贴。"),
    ]


# -- the labelled notes corpus -------------------------------------------------------------


def test_notes_corpus_every_labelled_definition_and_nothing_else(slogan_miner):
    """The part of tests/data/notes the rules were written on: all 45 note
    definitions recovered, none wrong (the held-aside part is measured by
    scripts/define_accuracy.py, not asserted)."""
    import csv
    from pathlib import Path

    from miner.extract.define import score_definitions
    from miner.io.read import Fields, read_file

    notes = Path(__file__).parent / "data" / "notes"
    with (notes / "expected.tsv").open(encoding="utf-8") as f:
        expected = {(r["doc"], r["phrase"]): () if r["members"] == "gloss" else tuple(r["members"].split(" | "))
                    for r in csv.DictReader(f, delimiter="\t") if r["split"] == "train"}
    found = [d for path in sorted((notes / "train").glob("*.txt"))
             for doc in read_file(path, path.stem, Fields()) for d in slogan_miner.mine(doc).definitions]
    score = score_definitions(found, expected)
    assert (score.expected, score.missed, score.wrong) == (45, (), ())


NOUNS = "山水林田湖草沙城乡路桥港园镇村河海江岭岛"


@given(st.lists(st.text(NOUNS, min_size=2, max_size=6), min_size=2, max_size=9, unique_by=(lambda s: s[0], lambda s: s[-1])),
       st.sampled_from(["［{n}］", "[{n}] ", "注{n}："]))
@settings(max_examples=60, deadline=None)
def test_a_glossary_list_of_the_right_count_comes_back_exactly(slogan_miner, items, marker):
    # a first item holding what all the others start with reads as a lead-in (每个领导联系|一个乡镇)
    assume(not any(c in items[0][1:] for c in {o[0] for o in items[1:]}))
    numeral = "两三四五六七八九"[len(items) - 2]
    phrase = f"{numeral}个片区"
    text = f"建设“{phrase}”{marker.format(n=1).strip('：')}。\n{marker.format(n=1)}{phrase}：{'、'.join(items)}。"
    assert noted(slogan_miner, text) == [(phrase, tuple(items), "note")]


@pytest.mark.parametrize("text", [
    "名词解释\n",                                   # a heading and nothing under it
    "注：\n［1］\n［2］：\n[3]：：：\n",              # markers with no term
    "名词解释\n" + "很长的术语" * 20 + "：稳甲、稳乙。",  # a “term” longer than any term
    "“两稳”⁹⁹⁹⁹⁹。\n注⑳⑳：\n（注：）",                 # odd markers
    "两稳［1］\n［1］两稳：" + "、" * 500,             # a list of empty items
])
def test_broken_notes_give_nothing_and_no_error(slogan_miner, text):
    assert [d for d in noted(slogan_miner, text) if d[2] in ("note", "glossary")] == []


def test_a_quote_left_open_in_a_note_does_not_hide_it(slogan_miner):
    assert noted(slogan_miner, "推进“两稳［1］。\n［1］“两稳：稳甲、稳乙。") == [("两稳", ("稳甲", "稳乙"), "note")]
