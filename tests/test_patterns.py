"""Slogan templates: grouping, the pattern tables, trends, the plot and the CLI."""

from __future__ import annotations

import pytest

from miner.analysis.count import count_phrases
from miner.errors import EmptyResultError, TableError
from miner.extract.patterns import (
    PATTERN_COLUMNS,
    PATTERN_YEAR_COLUMNS,
    describe_family,
    group_patterns,
    pattern_rows,
    pattern_table,
    pattern_trends,
    pattern_year_rows,
    plot_patterns,
    template_of,
)
from miner.io.tables import read_table
from miner.types import DocResult, Document, Mention, PatternTrends


@pytest.mark.parametrize("phrase, kind, expected", [
    ("四个全面", "numbered", ("四个·", "N个X")),
    ("四个意识", "numbered+quoted", ("四个·", "N个X")),
    ("两个率先", "numbered", ("两个·", "N个X")),
    ("六个*", "numbered+quoted", ("六个·", "N个X")),
    ("八项规定", "numbered", ("八项·", "N项X")),
    ("三大攻坚战", "numbered", ("三大·", "N大X")),
    ("三严三实", "numbered", ("三·三·", "N X N Y")),
    ("五讲四美", "numbered+quoted", ("五·四·", "N X N Y")),
    ("五讲四美三热爱", "numbered+quoted", ("五·四·三·", "N X N Y N Z")),
    ("三去一降一补", "numbered", ("三·一·一·", "N X N Y N Z")),
    ("六稳", "numbered+quoted", ("六·", "NX")),
    ("两年", "numbered+quoted", ("两·", "NX")),
    ("双三", "numbered+quoted", ("双·", "双X")),
    ("双循环", "numbered", ("双·", "双X")),
    ("十四五", "numbered+quoted", ("N五", "plan")),
    ("1+8", "numbered+quoted", ("N+N", "arabic")),
    ("工业服务年", "quoted", ("…年", "campaign")),
    ("项目推进年", "quoted", ("…年", "campaign")),
    ("工业经济服务月", "quoted", ("…月", "campaign")),
    ("两手抓、两手都要硬", "numbered+quoted", ("A、B", "paired")),
    ("冲刺三季度、决战下半年", "quoted", ("A、B", "paired")),
    ("等不起、慢不得、坐不住", "quoted", ("A、B、C", "paired")),
    ("专班+专员", "quoted", ("A+B", "paired")),
])
def test_template_of(phrase, kind, expected):
    assert template_of(phrase, kind) == expected


@pytest.mark.parametrize("phrase, kind", [
    ("倒逼机制", "quoted"),  # no template
    ("十周年", "quoted"),  # a number of years, not a campaign year
    ("工业服务年", "numbered"),  # campaign names are quoted phrases
    ("民族斗争，说到底，是一个阶级斗争问题", "quoted"),  # a quoted sentence, not parallel parts
])
def test_no_template(phrase, kind):
    assert template_of(phrase, kind) is None


def test_group_patterns_keeps_first_seen_order():
    groups = group_patterns([("四个全面", "numbered"), ("工业服务年", "quoted"), ("四个意识", "numbered"),
                             ("三严三实", "numbered"), ("项目推进年", "quoted"), ("五讲四美", "numbered"),
                             ("倒逼机制", "quoted")])
    assert [(p.template, p.family, p.members) for p in groups] == [
        ("四个·", "N个X", ("四个全面", "四个意识")),
        ("…年", "campaign", ("工业服务年", "项目推进年")),
        ("三·三·", "N X N Y", ("三严三实",)),
        ("五·四·", "N X N Y", ("五讲四美",)),
    ]


def _result(doc_id, year, chars, phrases):
    doc = Document(doc_id, doc_id, year=year)
    mentions = tuple(Mention(doc_id, year, p, p, kind, kind, 0, len(p), 0, 0, p) for p, kind in phrases)
    return DocResult(doc, chars, 0, 0, mentions)


@pytest.fixture
def counts():
    return count_phrases([
        _result("a", 2012, 10_000, [("四个全面", "numbered"), ("工业服务年", "quoted"), ("倒逼机制", "quoted")]),
        _result("b", 2017, 20_000, [("四个全面", "numbered"), ("四个意识", "numbered"), ("四个意识", "numbered"),
                                    ("三严三实", "numbered")]),
    ])


def test_pattern_rows(counts):
    rows = pattern_rows(counts)
    assert list(rows[0]) == list(PATTERN_COLUMNS)
    assert [(r["template"], r["family"], r["phrases"], r["total"], r["first_year"], r["last_year"], r["per_10k"],
             r["members"]) for r in rows] == [
        ("四个·", "N个X", 2, 4, 2012, 2017, round(4 * 10_000 / 30_000, 4), "四个全面 | 四个意识"),
        ("…年", "campaign", 1, 1, 2012, 2012, round(10_000 / 30_000, 4), "工业服务年"),
        ("三·三·", "N X N Y", 1, 1, 2017, 2017, round(10_000 / 30_000, 4), "三严三实"),
    ]


def test_pattern_year_rows_add_up_to_the_totals(counts):
    rows = pattern_year_rows(counts)
    assert list(rows[0]) == list(PATTERN_YEAR_COLUMNS)
    assert [(r["template"], r["year"], r["count"], r["phrases"], r["year_chars"], r["per_10k"]) for r in rows] == [
        ("四个·", 2012, 1, 1, 10_000, 1.0),
        ("四个·", 2017, 3, 2, 20_000, 1.5),
        ("…年", 2012, 1, 1, 10_000, 1.0),
        ("三·三·", 2017, 1, 1, 20_000, 0.5),
    ]
    totals = {r["template"]: r["total"] for r in pattern_rows(counts)}
    for template, total in totals.items():
        assert sum(r["count"] for r in rows if r["template"] == template) == total


def test_trends_pool_years_and_count_years_without_mentions():
    t = PatternTrends("family", (2010, 2011, 2012), {2010: 10_000, 2011: 30_000, 2012: 10_000},
                      {"N个X": {2010: 1, 2012: 4}})
    assert t.rates("N个X") == [1.0, 0.0, 4.0]
    assert t.rates("N个X", window=3) == [round(10_000 / 40_000, 4), 1.0, round(40_000 / 40_000, 4)]
    ax = plot_patterns(t, window=1)
    assert [(line.get_label(), line.get_ydata().tolist()) for line in ax.get_lines()] == [
        ("number + 个 + word (N个X)", [1.0, 0.0, 4.0])]
    # A year without documents breaks the line; the legend says what a family is in words.
    gap = PatternTrends("family", (2010, 2013), {2010: 10_000, 2013: 10_000}, {"plan": {2010: 1}, "paired": {2013: 2}})
    lines = plot_patterns(gap, window=1).get_lines()
    assert [(line.get_label(), line.get_xdata().tolist()) for line in lines] == [
        ("paired phrases (两手抓、两手都要硬)", [2010, 2011, 2012, 2013]), ("five-year plans (十四五)", [2010, 2011, 2012, 2013])]
    assert str(lines[0].get_ydata().tolist()) == "[0.0, nan, nan, 2.0]"
    assert describe_family("N项X") == "number + 项 + word (N项X)"
    with pytest.raises(EmptyResultError, match="no uses of plan by year"):
        plot_patterns(t, names=["plan"])


def test_patterns_from_a_run(tmp_path, run_cli):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("在2012年大会上的讲话\n落实“四个全面”，开展“工业服务年”活动。", encoding="utf-8")
    (corpus / "b.txt").write_text("在2017年大会上的讲话\n增强“四个意识”，坚定“四个自信”，践行“三严三实”。",
                                  encoding="utf-8")
    assert run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "--no-progress").exit_code == 0
    assert [(r["template"], r["total"]) for r in read_table(tmp_path / "out" / "patterns.csv")] == [
        ("四个·", 3), ("…年", 1), ("三·三·", 1)]
    families = pattern_table(tmp_path / "out", by="family")
    assert [(r["family"], r["phrases"], r["total"], r["members"]) for r in families] == [
        ("N个X", 3, 3, "四个·"), ("N X N Y", 1, 1, "三·三·"), ("campaign", 1, 1, "…年")]
    trends = pattern_trends(tmp_path / "out")
    assert trends.years == (2012, 2017) and trends.counts["N个X"] == {2012: 1, 2017: 2}

    result = run_cli("patterns", "-d", tmp_path / "out", "--by", "family", "--plot", tmp_path / "p.svg")
    assert result.exit_code == 0, result.output
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.output.splitlines() if line.startswith("│")]
    assert [(r[0], r[1], r[2]) for r in rows] == [("N个X", "3", "3"), ("N X N Y", "1", "1"), ("campaign", "1", "1")]
    drawn = (tmp_path / "p.svg").read_text(encoding="utf-8")  # the trends of the families, by year
    assert "N个X" in drawn and "2012" in drawn and "2017" in drawn


def test_patterns_cli_errors(tmp_path, run_cli):
    result = run_cli("patterns", "-d", tmp_path)
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'patterns.csv'}: not found; "
                             f"run `miner run CORPUS -o {tmp_path}` first\n")
    with pytest.raises(TableError):
        pattern_table(tmp_path)


def test_patterns_plot_into_a_file_fails_before_the_table(tmp_path, run_cli, sample_dir):
    assert run_cli("run", sample_dir, "-o", tmp_path / "out", "-n", "0", "--no-progress").exit_code == 0
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    target = tmp_path / "notes.txt" / "figs" / "p.png"
    result = run_cli("patterns", "-d", tmp_path / "out", "--plot", target)
    assert (result.exit_code, result.output) == (
        1, f"Error: {target}: cannot save a figure there; {tmp_path / 'notes.txt'} is a file, not a folder\n")
