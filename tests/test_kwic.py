"""The concordance of anything: any string in either script, or a regular
expression, searched in the cleaned texts a run keeps; sorting, CSV, --where."""

from __future__ import annotations

import csv

import pytest
from _provinces import mine_provinces

from miner.errors import EmptyResultError, InputError
from miner.pipeline import run_corpus
from miner.analysis.report import KWIC_COLUMNS, concordance
from miner.analysis.selection import parse_where
from miner.io.tables import ENCODING


@pytest.fixture(scope="module")
def provinces(tmp_path_factory):
    return mine_provinces(tmp_path_factory.mktemp("kwic"))


def brief(lines):
    return [(line.doc_id.rsplit("#", 1)[1], line.left, line.match, line.right) for line in lines]


def test_any_string_not_only_mined_phrases(provinces):
    # 粤港澳大湾区 and 改革开放 are no slogans of the run, yet found
    assert brief(concordance(provinces, "粤港澳大湾区", width=4)) == [("1", "加快建设", "粤港澳大湾区", "，推动“")]
    assert [line.year for line in concordance(provinces, "改革开放")] == [2019]


@pytest.mark.parametrize("query", ["八八战略", "八八戰略", "“八八战略”", "「八八戰略」"])
def test_either_script_finds_text_shown_as_written(tmp_path, query):
    (tmp_path / "a.txt").write_text("2019年讲话\n堅持「八八戰略」，深化改革。", encoding="utf-8")
    run_corpus([tmp_path / "a.txt"], tmp_path / "out", workers=1)
    lines = concordance(tmp_path / "out", query, width=3)
    assert [(line.year, line.left, line.match, line.right) for line in lines] == [(2019, "堅持「", "八八戰略", "」，深")]
    # quotes and spaces between a plain query's characters do not matter
    assert [line.match for line in concordance(tmp_path / "out", "持八八战", width=0)] == ["持「八八戰"]


def test_regex_and_sorting(provinces):
    pattern = "“[^”]+”改革"
    by_document = brief(concordance(provinces, pattern, regex=True, width=4))
    assert by_document == [
        ("2", "。 深化", "“放管服”改革", "，以“1"),
        ("7", "。 深化", "“最多跑一次”改革", "，持续推"),
        ("8", "”，深化", "“最多跑一次”改革", "，推进“"),
        ("9", "行省，以", "“最多跑一次”改革", "撬动各领"),
    ]
    # right: by the match (fang2 before zui4), then what follows it, punctuation before syllables
    assert [b[0] for b in brief(concordance(provinces, pattern, regex=True, width=4, sort="right"))] == ["2", "7", "8", "9"]
    # left: by the character nearest the match (hua4 before yi3), then the one before it
    assert [b[0] for b in brief(concordance(provinces, pattern, regex=True, width=4, sort="left"))] == ["2", "7", "8", "9"]


def test_sorting_follows_pinyin_not_character_codes(tmp_path):
    (tmp_path / "a.txt").write_text(
        "2019年讲话\n中国推进改革。北京推进改革。公司推进改革。它们推进改革。他们推进改革。\n"
        "要坚持安全发展。要坚持马上就办。要坚持妈祖文化。要坚持中国道路。要坚持北京方案。",
        encoding="utf-8",
    )
    run_corpus([tmp_path / "a.txt"], tmp_path / "out", workers=1)
    # by character code the lefts would be 北京 他们 它们 公司 中国 (京 U+4EAC … 国 U+56FD)
    left = concordance(tmp_path / "out", "推进", width=2, sort="left")
    assert [line.left for line in left] == ["中国", "北京", "他们", "它们", "公司"]  # guo2 jing1 men5 men5 si1; 他 before 它
    # by character code the rights would be 中国 北京 妈祖 安全 马上
    right = concordance(tmp_path / "out", "要坚持", width=2, sort="right")
    assert [line.right for line in right] == ["安全", "北京", "妈祖", "马上", "中国"]  # an1 bei3 ma1 ma3 zhong1


def test_where_and_years(provinces):
    lines = concordance(provinces, "改革", where=[parse_where("province=浙江省")], year_from=2020)
    assert [(line.doc_id.rsplit("#", 1)[1], line.year) for line in lines] == [("8", 2020), ("9", 2021), ("9", 2021)]
    with pytest.raises(EmptyResultError) as info:
        concordance(provinces, "八八战略", where=[parse_where("province=广东省")])
    assert str(info.value) == (f"'八八战略' is not found in the texts of {provinces} (of province=广东省); "
                               "`miner top` lists the phrases found")


@pytest.mark.parametrize("query, regex, message", [
    ("(", True, "'(' is not a regular expression (missing ), unterminated subpattern at position 0)"),
    ("x*", True, "the regular expression 'x*' matches empty text; give one that matches some characters"),
    ("“ ”", False, "'“ ”' has nothing to search for; give some characters"),
])
def test_bad_queries(provinces, query, regex, message):
    with pytest.raises(InputError) as info:
        concordance(provinces, query, regex=regex)
    assert str(info.value) == message


def test_kwic_command_writes_csv(provinces, run_cli, tmp_path):
    path = tmp_path / "kwic.csv"
    result = run_cli("kwic", "“[^”]+”改革", "-r", "-d", provinces, "-w", "4", "--csv", path, "-n", "1",
                     "--where", "province=浙江省")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("2019 。 深化“最多跑一次”改革，持续推  ") and lines[0].endswith("provinces.csv#7")
    assert lines[1:] == ["1 of 3 lines for “[^”]+”改革", f"3 lines written to {path}"]
    with path.open(encoding=ENCODING, newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == KWIC_COLUMNS == ("doc_id", "year", "start", "end", "left", "keyword", "right")
    assert [row[1:] for row in rows[1:]] == [
        ["2019", "58", "67", "。 深化", "“最多跑一次”改革", "，持续推"],
        ["2020", "34", "43", "”，深化", "“最多跑一次”改革", "，推进“"],
        ["2021", "47", "56", "行省，以", "“最多跑一次”改革", "撬动各领"],
    ]


def test_start_and_end_index_the_cleaned_text(provinces):
    import csv as csv_module

    with (provinces / ".miner-state" / "texts.csv").open(encoding=ENCODING, newline="") as fh:
        texts = {r["doc_id"]: r["text"] for r in csv_module.DictReader(fh)}
    for line in concordance(provinces, "六稳"):
        assert texts[line.doc_id][line.start:line.end] == line.match == "六稳"


def test_a_run_without_texts_falls_back_to_mentions(provinces, tmp_path):
    import shutil

    copy = tmp_path / "old"
    shutil.copytree(provinces, copy)
    (copy / ".miner-state" / "texts.csv").unlink()
    assert [line.match for line in concordance(copy, "八八战略")] == ["八八战略"] * 4
    with pytest.raises(EmptyResultError, match="keeps no cleaned texts to search"):
        concordance(copy, "八八.略", regex=True)


def test_a_document_mined_in_windows_keeps_its_whole_cleaned_text():
    from miner.pipeline import Miner, mine_document
    from miner.types import Document

    text = "2019年讲话\n" + "要落实“三去一降一补”。堅持「兩個率先」。\n" * 40 + "深入推进" * 50
    doc = Document("d", "d.txt", text)
    miner = Miner()
    whole, parts = mine_document(doc, miner), mine_document(doc, miner, window=300)
    assert parts.body == whole.body and whole.body.count("堅持「兩個率先」。") == 40
