"""Document fields: a record's other columns, fields taken from the path and
.docx properties become columns of documents.csv; ``--where`` and
``compare --by`` select and group by them; users' own slogan lists."""

from __future__ import annotations

import csv
import json
import math

import docx
import pytest
from _provinces import REPORTS, mine_provinces, write_provinces

from miner.analysis.compare import compare_groups, compare_selections
from miner.errors import InputError
from miner.pipeline import run_corpus
from miner.io.read import Fields, read_file
from miner.analysis.report import top_phrases
from miner.analysis.selection import parse_where
from miner.io.tables import DOCUMENT_COLUMNS, ENCODING

NATIONAL = ["三去一降一补", "三大攻坚战", "六保", "六稳", "十四五", "四个全面"]  # every province says these
OWN = {
    "广东省": ["1+1+9", "四个走在全国前列", "双区"],
    "四川省": ["一干多支、五区协同", "四向拓展、全域开放", "5+1"],
    "浙江省": ["八八战略", "最多跑一次", "千万工程"],
}


def documents_csv(out):
    with (out / "documents.csv").open(encoding=ENCODING, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def provinces(tmp_path_factory):
    return mine_provinces(tmp_path_factory.mktemp("provinces"))


# -- reading fields ------------------------------------------------------------


def test_a_csv_rows_other_columns_are_fields(tmp_path):
    path = write_provinces(tmp_path / "p.csv")
    docs = list(read_file(path, "p.csv"))
    assert [d.fields for d in docs[:1]] == [{"province": "广东省", "level": "省"}]
    assert [d.fields["province"] for d in docs] == [r[0] for r in REPORTS]
    assert docs[0].title == "2019年广东省政府工作报告" and docs[0].year == 2019


def test_json_scalars_are_fields_and_lists_are_not(tmp_path):
    path = tmp_path / "s.jsonl"
    record = {"content": "要落实“三去一降一补”。", "date": "2016-03-05", "speaker": "某某", "level": 2, "final": False,
              "tags": ["经济"], "meta": {"a": 1}, "note": None, "url": " http://example.org/1 "}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = read_file(path, "s.jsonl")
    assert doc.year == 2016
    assert doc.fields == {"speaker": "某某", "level": "2", "final": "false", "url": "http://example.org/1"}


def test_documents_csv_has_the_union_of_fields_prefixed_where_they_collide(tmp_path):
    write_provinces(tmp_path / "a.csv")
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"text": "坚持“两个率先”。", "year": 2005, "speaker": "甲", "chars": "many", "status": "draft"},
        ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("2010年讲话\n推进“十二五”规划。", encoding="utf-8")
    out = tmp_path / "out"
    run_corpus([tmp_path / "a.csv", tmp_path / "b.jsonl", tmp_path / "c.txt"], out, workers=1)
    rows = documents_csv(out)
    assert tuple(rows[0]) == DOCUMENT_COLUMNS + ("province", "level", "speaker", "field_chars", "field_status")
    b = rows[9]
    assert (b["province"], b["speaker"], b["field_chars"], b["field_status"], b["status"]) == ("", "甲", "many", "draft", "ok")
    assert [r["province"] for r in rows] == [r[0] for r in REPORTS] + ["", ""]
    assert rows[10]["speaker"] == "" and rows[10]["year"] == "2010"


def test_field_from_the_path(tmp_path, run_cli):
    for province in ("广东省", "四川省"):
        (tmp_path / "in" / province).mkdir(parents=True)
        (tmp_path / "in" / province / "2019.txt").write_text("2019年报告\n落实“三去一降一补”。", encoding="utf-8")
    (tmp_path / "in" / "national.txt").write_text("2019年报告\n落实“六稳”。", encoding="utf-8")
    result = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", "--field", "province=([^/]+省)", "-w", "1")
    assert result.exit_code == 0, result.output
    assert [(r["doc_id"].rsplit("in/", 1)[1], r["province"]) for r in documents_csv(tmp_path / "out")] == [
        ("national.txt", ""), ("四川省/2019.txt", "四川省"), ("广东省/2019.txt", "广东省")]


@pytest.mark.parametrize("spec, message", [
    ("province", "'province' is not NAME=PATTERN"),
    ("p=([a-", "'([a-' is not a regular expression"),
    ("p=(a)(b)", "'(a)(b)' has 2 groups; give one, around the value"),
])
def test_bad_field_option(tmp_path, run_cli, spec, message):
    (tmp_path / "a.txt").write_text("要落实“六稳”。", encoding="utf-8")
    result = run_cli("run", tmp_path / "a.txt", "-o", tmp_path / "out", "--field", spec)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and message in result.output


def test_docx_core_properties(tmp_path):
    book = docx.Document()
    book.core_properties.author = "县委办公室"
    book.core_properties.keywords = "讲话"
    book.add_paragraph("要落实“六稳”。")
    book.save(tmp_path / "a.docx")
    (doc,) = read_file(tmp_path / "a.docx", "a.docx")
    # python-docx's template is dated 2013-12-23
    assert doc.fields == {"author": "县委办公室", "created": "2013-12-23", "keywords": "讲话"}


# -- incremental runs -------------------------------------------------------------


def test_a_changed_field_is_mined_again_and_the_rest_reused(tmp_path):
    path = write_provinces(tmp_path / "p.csv")
    out = tmp_path / "out"
    run_corpus([path], out, workers=1)
    first = (out / "documents.csv").read_bytes()
    again = run_corpus([path], out, workers=1)
    assert (again.reused, again.mined) == (9, 0) and (out / "documents.csv").read_bytes() == first
    path.write_text(path.read_text(encoding="utf-8").replace("浙江省,省", "浙江省,副省级"), encoding="utf-8")
    changed = run_corpus([path], out, workers=1)
    assert (changed.reused, changed.mined) == (6, 3)
    assert [r["level"] for r in documents_csv(out)] == ["省"] * 6 + ["副省级"] * 3
    assert run_corpus([path], out, workers=1, full=True).tables  # a full run writes the same
    assert [r["level"] for r in documents_csv(out)] == ["省"] * 6 + ["副省级"] * 3


def test_own_lists_change_the_tables_and_mine_again(tmp_path, run_cli):
    path = write_provinces(tmp_path / "p.csv")
    (tmp_path / "own.txt").write_text("# 我的口号\n成渝地区双城经济圈\n粤港澳大湾区\n", encoding="utf-8")
    (tmp_path / "ex.txt").write_text("六穩\n", encoding="big5")  # traditional, in Big5
    out = tmp_path / "out"

    def phrases():
        return {r["phrase"]: (r["kind"], r["total"]) for r in top_phrases(out, n=0, kind="all")}

    run_cli("run", path, "-o", out, "-w", "1")
    before = phrases()
    assert before["六稳"] == ("numbered+quoted", 4) and "成渝地区双城经济圈" not in before
    result = run_cli("run", path, "-o", out, "-w", "1", "--slogans", tmp_path / "own.txt", "--exclude", tmp_path / "ex.txt")
    assert "9 documents mined" in result.output  # the lists are part of the state's fingerprint
    after = phrases()
    assert "六稳" not in after
    assert after["成渝地区双城经济圈"] == ("listed", 1) and after["粤港澳大湾区"] == ("listed", 1)
    assert {p: after[p] for p in before if p != "六稳"} == {p: v for p, v in before.items() if p != "六稳"}
    same = run_cli("run", path, "-o", out, "-w", "1", "--slogans", tmp_path / "own.txt", "--exclude", tmp_path / "ex.txt")
    assert "9 documents unchanged (reused), 0 mined" in same.output
    assert "9 documents mined" in run_cli("run", path, "-o", out, "-w", "1").output  # the lists dropped: again


def test_a_missing_list_is_a_one_line_error(tmp_path, run_cli):
    (tmp_path / "a.txt").write_text("要落实“六稳”。", encoding="utf-8")
    result = run_cli("run", tmp_path / "a.txt", "-o", tmp_path / "out", "--slogans", tmp_path / "none.txt")
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'none.txt'}: cannot read the list (No such file or directory); "
                             "give a text file with one phrase a line\n")


# -- selecting and grouping by a field -----------------------------------------------


@pytest.mark.parametrize("province", sorted(OWN))
def test_top_where_a_province_shows_its_slogans_only(provinces, province):
    rows = top_phrases(provinces, n=0, where=[parse_where(f"province={province}")])
    found = {r["phrase"] for r in rows}
    others = {p for name, own in OWN.items() if name != province for p in own}
    assert set(OWN[province]) <= found and not found & others
    assert [r["phrase"] for r in rows[:2]] == OWN[province][:2]


def test_top_where_recounts_totals_and_rates(provinces, run_cli):
    rows = top_phrases(provinces, n=1, where=[parse_where("province=四川省"), parse_where("year=2019-2020")])
    chars = 100 + 67  # 四川省's reports of 2019 and 2020
    assert [(r["phrase"], r["total"], r["documents"], r["first_year"], r["last_year"], r["per_10k"]) for r in rows] == [
        ("一干多支、五区协同", 3, 2, 2019, 2020, round(3 * 10_000 / chars, 4))]
    output = run_cli("top", "-d", provinces, "--where", "province!=广东省", "--where", "province!=四川省", "-n", "2").output
    assert "top 2 phrases of province!=广东省 and province!=四川省" in output and "八八战略" in output


def test_compare_two_provinces_puts_each_ones_own_slogans_on_top(provinces):
    result = compare_selections(provinces, "广东省", "四川省", by="province")
    assert (result.a.label, result.a.documents, result.b.label, result.b.documents) == (
        "province=广东省", 3, "province=四川省", 3)
    assert [r.phrase for r in result.key_a(3)] == OWN["广东省"]
    assert [r.phrase for r in result.key_b(3)] == OWN["四川省"]


def test_compare_each_province_against_the_rest(provinces):
    result = compare_groups(provinces, "province")
    assert [g.label for g in result.groups] == ["四川省", "广东省", "浙江省"]
    assert {name: [r.phrase for r in result.key(name)] for name in OWN} == {name: own[:2] for name, own in OWN.items()}
    top = result.key("浙江省")[0]
    # 4 mentions in 210 characters against none in the other 579; 3 groups
    assert (top.phrase, top.count, top.rest_count, top.g2) == ("八八战略", 4, 0, 10.5893)
    assert top.p_adjusted == pytest.approx(min(1.0, 3 * math.erfc(math.sqrt(10.5893 / 2))), rel=1e-3)
    assert all(r.phrase not in NATIONAL for rows in result.keys.values() for r in rows if r.p_adjusted < 0.05)


def test_compare_by_on_the_command_line(provinces, run_cli, tmp_path):
    out = run_cli("compare", "-d", provinces, "--by", "province", "-o", tmp_path, "-n", "2").output
    lines = out.splitlines()
    assert lines[0] == "3 groups by province, each against the rest; key: adjusted p < 0.05 (Holm, over 3 groups)"
    assert lines[-1] == f"written: {tmp_path / 'compare_by_province.csv'}"
    with (tmp_path / "compare_by_province.csv").open(encoding=ENCODING, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["group"], r["phrase"]) for r in rows if float(r["p_adjusted"]) < 0.05] == [
        ("四川省", "一干多支、五区协同"), ("四川省", "四向拓展、全域开放"), ("广东省", "1+1+9"), ("广东省", "四个走在全国前列"),
        ("浙江省", "八八战略"), ("浙江省", "最多跑一次")]
    pair = run_cli("compare", "-d", provinces, "--by", "province", "广东省", "浙江省", "-o", tmp_path, "-f", "csv")
    assert pair.output.splitlines()[:2] == ["A: province=广东省: 3 documents, 330 characters",
                                            "B: province=浙江省: 3 documents, 210 characters"]


@pytest.mark.parametrize("args, message", [
    (("--by", "city"), "no field 'city' in {docs}; its documents have province, level besides doc_id, source, title and year"),
    (("--by", "province", "广东省", "湖南省"), "no document in {docs} has province=湖南省; its values are 四川省, 广东省, 浙江省"),
    (("--by", "level"), "level has 1 value in {docs}; comparing groups needs two or more"),
    (("--by", "province", "广东省"), "give two sides, e.g. `miner compare --by province VALUE1 VALUE2`, or no values to "
                                     "rank each province against the rest"),
])
def test_compare_by_errors(provinces, run_cli, args, message):
    result = run_cli("compare", "-d", provinces, *args)
    assert result.exit_code in (1, 2)
    assert result.output == f"Error: {message.format(docs=provinces / 'documents.csv')}\n"


def test_where_on_compare_narrows_both_sides(provinces):
    result = compare_selections(provinces, "广东省", "四川省", by="province", where=[parse_where("year=2021")])
    assert (result.a.documents, result.b.documents) == (1, 1)
    with pytest.raises(InputError, match=r"no document in .* with year=2030 has province=广东省"):
        compare_selections(provinces, "广东省", "四川省", by="province", where=[parse_where("year=2030")])


# -- the other commands take --where; the heatmap groups by a field --------------------------


def test_graph_where_keeps_one_provinces_phrases(provinces):
    from miner.analysis.network import build_cooccurrence_graph

    g = build_cooccurrence_graph(provinces, kind="slogans", min_count=1, where=[parse_where("province=浙江省")])
    assert set(OWN["浙江省"]) <= set(g) and not set(g) & set(OWN["广东省"] + OWN["四川省"])
    assert g.nodes["八八战略"]["total"] == 4 and g.graph["doc_years"] == (2019, 2020, 2021)


def test_plot_where_counts_the_chosen_documents(provinces):
    from miner.analysis.plot import load_year_table

    table = load_year_table(provinces, where=[parse_where("province=四川省")], min_chars=0)
    assert table.year_chars == {2019: 100, 2020: 67, 2021: 82}
    assert table.counts["一干多支、五区协同"] == {2019: 2, 2020: 1, 2021: 1} and "八八战略" not in table.counts


def test_heatmap_by_a_field(provinces, run_cli, tmp_path):
    from miner.analysis.compare import group_table
    from miner.analysis.plot import plot_group_heatmap

    table = group_table(provinces, "province")
    assert table.groups == ("四川省", "广东省", "浙江省") and table.chars == {"四川省": 249, "广东省": 330, "浙江省": 210}
    assert table.counts["六稳"] == {"四川省": 1, "广东省": 2, "浙江省": 1}
    ax = plot_group_heatmap(table, top=0)
    rows = [label.get_text() for label in ax.get_yticklabels()]
    # each province's own slogans form a block, in the order of the columns
    assert rows[:3] == OWN["四川省"] and rows.index("八八战略") > rows.index("1+1+9")
    assert [label.get_text() for label in ax.get_xticklabels()] == ["四川省", "广东省", "浙江省"]
    result = run_cli("plot", "heatmap", "--by", "province", "-d", provinces, "-o", tmp_path, "-f", "svg")
    assert result.output == f"written: {tmp_path / 'heatmap_by_province.svg'}\n"
    assert "一干多支、五区协同" in (tmp_path / "heatmap_by_province.svg").read_text(encoding="utf-8")
    wrong = run_cli("plot", "trends", "--by", "province", "-d", provinces, "-o", tmp_path)
    assert wrong.exit_code == 2 and wrong.output == "Error: --by draws the heatmap only; leave out trends and timeline\n"


def test_heatmap_by_a_field_in_some_years(provinces, run_cli, tmp_path):
    from miner.analysis.compare import group_table
    from miner.analysis.selection import years_condition

    table = group_table(provinces, "province", where=years_condition(2021, None))
    assert table.chars == {"四川省": 82, "广东省": 89, "浙江省": 64}
    assert "千万工程" not in table.counts and "八八战略" in table.counts  # 千万工程 is in 2019 and 2020 only
    result = run_cli("plot", "heatmap", "--by", "province", "--from", "2021", "-d", provinces, "-o", tmp_path,
                     "-f", "svg")
    assert result.exit_code == 0, result.output
    drawn = (tmp_path / "heatmap_by_province.svg").read_text(encoding="utf-8")
    assert "八八战略" in drawn and "千万工程" not in drawn


def test_the_readmes_provincial_corpus_is_the_tests(tmp_path):
    from pathlib import Path

    bundled = Path(__file__).parent / "data" / "provinces.csv"
    assert bundled.read_bytes() == write_provinces(tmp_path / "p.csv").read_bytes()


@pytest.mark.parametrize("province", sorted(OWN))
def test_a_subset_of_a_run_counts_as_where_does(provinces, tmp_path, province):
    from miner.pipeline import subset_run
    from miner.io.tables import read_table

    where = [parse_where(f"province={province}")]
    sub = subset_run(provinces, where, tmp_path / "sub")
    phrases = {r["phrase"]: (r["total"], r["documents"], r["per_10k"]) for r in read_table(sub / "phrases.csv")}
    expected = {r["phrase"]: (r["total"], r["documents"], r["per_10k"])
                for r in top_phrases(provinces, n=0, kind="all", where=where)}
    assert phrases == expected
    rows = documents_csv(sub)
    assert [r["province"] for r in rows] == [province] * 3
    assert rows == [r for r in documents_csv(provinces) if r["province"] == province]


def test_patterns_and_report_where(provinces, run_cli, tmp_path):
    out = run_cli("patterns", "-d", provinces, "--where", "province=四川省", "-n", "1").output
    assert "top 1 templates of province=四川省" in out and "一干多支、五区协同 | 四向拓展、全域开放" in out
    page = tmp_path / "r.html"
    result = run_cli("report", "-d", provinces, "--where", "province=浙江省", "-o", page)
    assert result.output.startswith("3 documents, 9 of 9 phrases,")
    text = page.read_text(encoding="utf-8")
    assert "八八战略" in text and "一干多支" not in text
