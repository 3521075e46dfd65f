"""Reading a run back: the leading phrases and the concordance of one phrase."""

from __future__ import annotations


import pytest
from _speeches import write_speeches

from miner.errors import EmptyResultError, TableError
from miner.pipeline import run_corpus
from miner.analysis.report import KwicLine, concordance, top_phrases



@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    path = root / "speeches.jsonl"
    write_speeches(path)
    run_corpus([path], root / "out")
    return root / "out"


def brief(rows):
    return [(r["phrase"], r["kind"], r["total"], r["documents"], r["first_year"], r["last_year"], r["per_10k"]) for r in rows]


def test_top_phrases(tables):
    # 71 characters in all: 23 + 13 + 21 + 14
    assert brief(top_phrases(tables)) == [
        ("两个率先", "numbered+quoted", 3, 3, 2001, 2003, round(3 * 10_000 / 71, 4)),
        ("三个代表", "numbered+quoted", 1, 1, 2001, 2001, round(10_000 / 71, 4)),
        ("三去一降一补", "numbered+quoted", 1, 1, 2003, 2003, round(10_000 / 71, 4)),
    ]
    assert [r["phrase"] for r in top_phrases(tables, n=1)] == ["两个率先"]


def test_top_phrases_of_one_kind(tmp_path):
    # Phrases of every kind, so that an ignored kind would show.
    path = tmp_path / "kinds.jsonl"
    path.write_text(
        '{"title": "甲", "year": 2001, "text": "开展“工业服务年”活动，坚持四项基本原则，实现“两个率先”。"}\n'
        '{"title": "乙", "year": 2002, "text": "坚持四项基本原则，开展“项目推进年”活动。"}\n', encoding="utf-8")
    run_corpus([path], tmp_path / "out")
    assert [r["phrase"] for r in top_phrases(tmp_path / "out", kind="quoted")] == ["两个率先", "工业服务年", "项目推进年"]
    assert [r["phrase"] for r in top_phrases(tmp_path / "out", kind="numbered")] == ["四项基本原则", "两个率先"]


def test_top_phrases_of_some_years(tables):
    # 2001–2002 hold 23 + 13 characters; 2002 has no mention but its text counts
    assert brief(top_phrases(tables, year_from=2001, year_to=2002)) == [
        ("三个代表", "numbered+quoted", 1, 1, 2001, 2001, round(10_000 / 36, 4)),
        ("两个率先", "numbered+quoted", 1, 1, 2001, 2001, round(10_000 / 36, 4)),
    ]
    assert brief(top_phrases(tables, year_from=2003)) == [
        ("三去一降一补", "numbered+quoted", 1, 1, 2003, 2003, round(10_000 / 21, 4)),
        ("两个率先", "numbered+quoted", 1, 1, 2003, 2003, round(10_000 / 21, 4)),
    ]
    assert top_phrases(tables, year_from=2010) == []


@pytest.mark.parametrize("query", ["两个率先", "兩個率先", "「兩個率先」", "“两个率先”"])
def test_concordance_in_any_script(tables, query):
    source = (tables.parent / "speeches.jsonl").as_posix()
    # start and end: where the match is in the document's cleaned text
    assert concordance(tables, query, width=4) == [
        KwicLine(f"{source}#1", 2001, "要实现“", "两个率先", "”，坚持", start=4, end=8),
        KwicLine(f"{source}#3", 2003, "要實現「", "兩個率先", "」，推進", start=4, end=8),
        KwicLine(f"{source}#4", None, "要实现“", "两个率先", "”。", start=9, end=13),  # after a title line
    ]


def test_concordance_of_some_years(tables):
    assert [line.year for line in concordance(tables, "两个率先", year_from=2002)] == [2003]
    assert [line.year for line in concordance(tables, "两个率先", year_to=2002)] == [2001]


def test_concordance_errors(tables, tmp_path):
    with pytest.raises(EmptyResultError) as info:
        concordance(tables, "四个全面")
    assert str(info.value) == f"'四个全面' is not found in the texts of {tables}; `miner top` lists the phrases found"
    with pytest.raises(EmptyResultError) as info:
        concordance(tables, "两个率先", year_from=2010)
    assert str(info.value) == (
        f"'两个率先' is not found in the texts of {tables} (in those years); `miner top` lists the phrases found"
    )
    with pytest.raises(TableError):
        top_phrases(tmp_path)


def test_concordance_of_phrases_written_with_spaces_or_inner_quotes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("要建设“平安 xx”。\n坚持“全面落实“四个全面”战略布局”。\n", encoding="utf-8")
    run_corpus([path], tmp_path / "out")
    assert [line.match for line in concordance(tmp_path / "out", "平安某某")] == ["平安 xx"]
    assert [line.match for line in concordance(tmp_path / "out", "全面落实四个全面战略布局")] == ["全面落实“四个全面”战略布局"]


def test_concordance_of_a_phrase_said_thrice_in_one_sentence(tmp_path):
    from miner.pipeline import run_corpus

    (tmp_path / "a.txt").write_text("（2015年3月5日）\n甲四个全面乙四个全面丙四个全面丁。", encoding="utf-8")
    run_corpus([tmp_path / "a.txt"], tmp_path / "out")
    lines = concordance(tmp_path / "out", "四个全面", width=1)
    assert [(line.left, line.right) for line in lines] == [("甲", "乙"), ("乙", "丙"), ("丙", "丁")]
