"""Comparisons: G², log ratio and Jaccard worked out by hand."""

from __future__ import annotations

import csv
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miner.analysis.compare import (
    COMPARISON_COLUMNS, compare_documents, compare_periods, compare_selections, log_likelihood, log_ratio,
    write_comparison,
)
from miner.errors import EmptyResultError, InputError
from miner.analysis.plot import plot_comparison

from _analysis_data import A, B, C, D, write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("run"))


def test_g2_by_hand():
    # a = 10 in 1,000 characters, b = 2 in 3,000: E_a = 1000 * 12 / 4000 = 3, E_b = 9;
    # G² = 2 (10 ln(10/3) + 2 ln(2/9)) = 2 (12.039728 - 3.008155) = 18.063146
    assert log_likelihood(10, 2, 1000, 3000) == pytest.approx(18.063146, abs=1e-6)
    assert log_likelihood(20, 5, 10_000, 10_000) == pytest.approx(9.637237, abs=1e-6)
    assert log_likelihood(0, 4, 1000, 1000) == pytest.approx(8 * math.log(2))  # 2 * 4 ln(4/2)
    assert log_likelihood(1, 3, 1000, 3000) == 0.0  # the same rate on both sides


def test_log_ratio_by_hand():
    assert log_ratio(10, 2, 1000, 3000) == pytest.approx(math.log2(15))  # (10/1000) / (2/3000)
    assert log_ratio(0, 4, 1000, 1000) == -3.0  # 0 counts as 0.5: 0.5 / 4
    assert log_ratio(0, 1, 10_000, 30_000) == 0.0  # the 0.5 would point the wrong way


def test_periods_by_hand(run_dir):
    r = compare_periods(run_dir, 2001, (2002, 2003))
    assert (r.a.label, r.a.chars, r.a.documents) == ("2001", 10_000, 1)
    assert (r.b.label, r.b.chars, r.b.documents) == ("2002–2003", 30_000, 2)
    rows = {row.phrase: row for row in r.rows}
    # A: 3 in 10,000 chars; B: 1 in 30,000. E_a = 1, E_b = 3: G² = 2 (3 ln 3 + ln 1/3) = 4 ln 3
    a = rows[A]
    assert (a.where, a.a_count, a.b_count, a.a_documents, a.b_documents) == ("shared", 3, 1, 1, 1)
    assert a.g2 == pytest.approx(4 * math.log(3), abs=1e-4)
    assert a.log_ratio == pytest.approx(math.log2(9), abs=1e-4)
    assert (a.a_per_10k, a.b_per_10k) == (3.0, 0.3333)
    assert a.p == pytest.approx(math.erfc(math.sqrt(2 * math.log(3))))  # chi-squared, 1 df: p = 0.036
    assert rows[B].g2 == pytest.approx(2 * math.log(4 / 3), abs=1e-4)  # 1 vs 1: E_a = 0.5, E_b = 1.5
    assert rows[C].where == "B only" and rows[C].g2 == pytest.approx(4 * math.log(4 / 3), abs=1e-4)
    assert rows[D].log_ratio == 0.0
    # Ordered by G²; ties by the size of the log ratio.
    assert [row.phrase for row in r.rows] == [A, C, B, D]
    assert [row.phrase for row in r.key_a()] == [A, B]
    assert [row.phrase for row in r.key_b()] == [C, D]
    assert [row.phrase for row in r.shared] == [A, B] and [row.phrase for row in r.changed(1)] == [A]
    assert r.only_a == () and [row.phrase for row in r.only_b] == [C, D]
    assert r.jaccard == 0.5  # {A, B} shared of {A, B, C, D}


def test_ranges_kinds_and_documents(run_dir):
    assert compare_selections(run_dir, "2001-2001", "2002~2003").jaccard == 0.5
    numbered = compare_selections(run_dir, "2001", "2002-2003", kind="numbered")
    assert [row.phrase for row in numbered.rows] == [A, B, D]
    docs = compare_documents(run_dir, "d1", "d3")
    assert (docs.a.label, docs.b.label) == ("d1 (2001)", "d3 (2003)")
    assert docs.jaccard == 0.0 and len(docs.only_a) == 2 and len(docs.only_b) == 2


def test_sides_that_cannot_be_compared(run_dir, tmp_path):
    with pytest.raises(InputError, match="no documents dated 1978–1992 in .*; its documents are dated 2001–2003"):
        compare_selections(run_dir, "1978-1992", "2001")
    with pytest.raises(InputError, match=r"A \(2001–2002\) and B \(2002–2003\) share 1 document"):
        compare_selections(run_dir, "2001-2002", "2002-2003")
    with pytest.raises(InputError, match="'x9' is neither a year .* nor a doc_id"):
        compare_selections(run_dir, "x9", "2001")
    with pytest.raises(InputError, match="ends before it starts"):
        compare_selections(run_dir, "2003-2001", "2001")
    twins = write_run(tmp_path / "twins", [("a/x.txt", 2001, 100, [(A, 0, 0)]), ("b/x.txt", 2002, 100, [(A, 0, 0)])])
    with pytest.raises(InputError, match="'x.txt' matches 2 documents .*; give more of the doc_id"):
        compare_selections(twins, "x.txt", "2002")
    assert compare_selections(twins, "a/x.txt", "2002").a.label == "x.txt (2001)"
    one = write_run(tmp_path / "one", [("solo", 2020, 100, [(A, 0, 0)])])
    with pytest.raises(InputError, match="share 1 document"):
        compare_selections(one, "2020", "solo")
    quiet = write_run(tmp_path / "quiet", [("q1", 2020, 100, [(C, 0, 0)]), ("q2", 2021, 100, [(C, 0, 0)])])
    with pytest.raises(EmptyResultError, match=r"no numbered phrases in A \(2020\) or B \(2021\)"):
        compare_selections(quiet, "2020", "2021", kind="numbered")


def test_write_comparison(run_dir, tmp_path):
    r = compare_periods(run_dir, "2001", "2002-2003")
    paths = write_comparison(r, tmp_path, formats=["csv", "png", "svg"])
    assert [p.name for p in paths] == ["compare.csv", "compare.png", "compare.svg"]
    with paths[0].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == COMPARISON_COLUMNS
    assert [row["phrase"] for row in rows] == [A, C, B, D]
    assert float(rows[0]["g2"]) == pytest.approx(4 * math.log(3), abs=1e-4)


def test_comparison_plot(run_dir):
    r = compare_periods(run_dir, "2001", "2002-2003")
    ax = plot_comparison(r)
    # A's key phrases, then B's, each in order of the log ratio the bars show (D's is below C's).
    assert [t.get_text() for t in ax.get_yticklabels()] == [A, B, D, C]
    widths = [round(p.get_width(), 4) for p in ax.patches]
    by_phrase = {row.phrase: row.log_ratio for row in r.rows}
    assert widths == [by_phrase[p] for p in (A, B, D, C)] and widths == sorted(widths, reverse=True)


def test_comparison_plot_orders_by_log_ratio_and_marks_what_is_not_significant():
    from miner.analysis.compare import Comparison, KeynessRow, Selection

    def row(phrase, a, b, ratio, g2):
        return KeynessRow(phrase, "numbered", "shared", a, b, 1, 1, 0.0, 0.0, ratio, g2, 0.0)

    a, b = Selection("A", frozenset({"a"}), 10_000), Selection("B", frozenset({"b"}), 10_000)
    # By G²: 八项规定 (30), 四个全面 (12), 一带一路 (2, not significant); by log ratio 一带一路 is first.
    rows = (row("八项规定", 30, 1, 2.5, 30.0), row("四个全面", 12, 2, 1.2, 12.0), row("一带一路", 5, 0, 3.3, 2.0),
            row("三农", 1, 9, -1.6, 3.0))
    ax = plot_comparison(Comparison(a, b, rows))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["一带一路", "八项规定", "四个全面", "三农"]
    assert [p.get_hatch() for p in ax.patches] == ["///", None, None, "///"]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["G²=2.0 n.s.", "G²=30.0", "G²=12.0", "G²=3.0 n.s."]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["not significant (G² < 3.84, p ≥ 0.05)"]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.integers(1000, 10**6), st.integers(1000, 10**6))
def test_statistics_are_symmetric(a, b, size_a, size_b):
    if a + b == 0:
        return
    g2 = log_likelihood(a, b, size_a, size_b)
    assert g2 >= 0 and g2 == pytest.approx(log_likelihood(b, a, size_b, size_a))
    ratio = log_ratio(a, b, size_a, size_b)
    assert ratio == pytest.approx(-log_ratio(b, a, size_b, size_a))
    assert ratio * (a * size_b - b * size_a) >= 0  # never against the observed direction


def test_counts_add_up(run_dir):
    r = compare_periods(run_dir, "2001", "2002-2003")
    assert sum(row.a_count for row in r.rows) == 4  # the mentions of d1
    assert sum(row.b_count for row in r.rows) == 5  # of d2 and d3
    assert len(r.shared) + len(r.only_a) + len(r.only_b) == len(r.rows)


# -- each group against the rest: Holm's step-down adjustment ----------------------------------


def test_holm_by_hand():
    from miner.analysis.compare import holm

    # sorted: 0.01 × 3 = 0.03, 0.02 × 2 = 0.04, 0.04 × 1 = 0.04; Bonferroni would give 0.03, 0.06, 0.12
    assert holm([0.04, 0.01, 0.02]) == pytest.approx([0.04, 0.03, 0.04])
    # 0.011 × 4, 0.03 × 3, 0.5 × 2 (at most 1), then 0.6 × 1 raised to the 1 before it
    assert holm([0.03, 0.011, 0.6, 0.5]) == pytest.approx([0.09, 0.044, 1.0, 1.0])
    assert holm([0.01, 0.5], tests=3) == pytest.approx([0.03, 1.0])  # an untested group counts as p = 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_never_calls_fewer_than_bonferroni(p_values):
    from miner.analysis.compare import holm

    adjusted = holm(p_values)
    m = len(p_values)
    assert all(p <= h <= min(1.0, m * p) + 1e-12 for p, h in zip(p_values, adjusted))
    ranked = sorted(range(m), key=lambda i: p_values[i])
    assert [adjusted[i] for i in ranked] == sorted(adjusted)  # in the order of the p-values


def test_a_slogan_key_to_two_groups_is_found_where_bonferroni_misses_it(tmp_path):
    from miner.analysis.compare import compare_groups
    from miner.pipeline import run_corpus

    def report(mentions: int, size: int) -> str:
        text = "落实“两个率先”。" * mentions
        rest = size - len(text)
        return text + "我们继续努力工作。" * (rest // 9) + "好" * (rest % 9)

    with (tmp_path / "c.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("title", "year", "province", "text"))
        for province, mentions, size in (("甲省", 12, 300), ("乙省", 10, 300), ("丙省", 0, 600)):
            writer.writerow((f"{province}报告", 2020, province, report(mentions, size)))
    run_corpus([tmp_path / "c.csv"], tmp_path / "out", workers=1)
    result = compare_groups(tmp_path / "out", "province")
    assert [(g.label, g.chars) for g in result.groups] == [("丙省", 600), ("乙省", 300), ("甲省", 300)]
    (a,), (b,) = result.key("甲省"), result.key("乙省")
    # 12 and 10 mentions in 300 characters each, none in 丙省's 600 (whose p is the smallest of the three)
    assert (a.count, a.rest_count, b.count, b.rest_count) == (12, 10, 10, 12)
    assert a.p_adjusted == pytest.approx(2 * a.p) and b.p_adjusted == pytest.approx(b.p)
    assert 3 * b.p > 0.05 > b.p_adjusted  # key by Holm, not by Bonferroni
    assert result.key("丙省") == ()
