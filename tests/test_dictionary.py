"""The slogan dictionary: folding definitions across documents, dictionary.csv, miner define."""

from __future__ import annotations

import networkx as nx

from miner.analysis.count import count_phrases
from miner.extract.define import add_definition_edges, read_definitions
from miner.extract.dictionary import DICTIONARY_COLUMNS, dictionary_rows, lookup
from miner.io.tables import read_table
from miner.types import DocResult, Document, Mention


def result(doc_id, year, *phrases):
    """A mined document with one mention of each phrase (kind from its shape)."""
    doc = Document(doc_id, doc_id, "x", year=year)
    mentions = tuple(
        Mention(doc_id=doc_id, year=year, phrase=p, surface=p, kind="quoted" if p == "放管服" else "numbered+quoted",
                rule="quoted", start=i, end=i + len(p), sentence=0, paragraph=0, context=p)
        for i, p in enumerate(phrases))
    return DocResult(doc, 100, 0, 0, mentions)


def definition(doc_id, year, phrase, members="", gloss="", how="note"):
    return {"phrase": phrase, "doc_id": doc_id, "year": year, "members": members, "gloss": gloss, "how": how,
            "evidence": f"{doc_id}: {phrase}……"}


COUNTS = [result("a", 2019, "六稳", "六稳", "两山"), result("b", 2020, "六稳", "放管服", "四个一"),
          result("c", 2021, "六稳", "放管服", "三个代表")]
DEFINITIONS = [
    definition("a", 2019, "六稳", "稳就业 | 稳金融"),
    definition("b", 2020, "六稳", "稳就业 | 稳金融"),
    definition("c", 2021, "六稳", "稳外贸 | 稳外资", how="marker:即"),
    definition("a", 2019, "两山", gloss="绿水青山就是金山银山"),
    definition("b", 2020, "放管服", gloss="简政放权、放管结合、优化服务"),
    definition("c", 2021, "两带", "沿江生态带 | 沿河经济带"),
]


def test_members_most_documents_agree_on_with_those_that_disagree():
    rows = {r["phrase"]: r for r in dictionary_rows(count_phrases(COUNTS), DEFINITIONS)}
    six = rows["六稳"]
    assert (six["members"], six["count"], six["defined_in"], six["disagree"], six["first_year"], six["last_year"],
            six["documents"], six["total"], six["evidence"]) == (
        "稳就业 | 稳金融", 2, 3, 1, 2019, 2021, 3, 4, "a: 六稳……")


def test_glosses_slogans_without_definitions_and_what_is_left_out():
    rows = {r["phrase"]: r for r in dictionary_rows(count_phrases(COUNTS), DEFINITIONS)}
    # a quoted campaign is in only because a note explains it; an undefined quoted phrase would not be
    assert (rows["放管服"]["kind"], rows["放管服"]["members"], rows["放管服"]["gloss"], rows["放管服"]["disagree"]) == (
        "quoted", "", "简政放权、放管结合、优化服务", 0)
    assert (rows["两山"]["gloss"], rows["两山"]["evidence"]) == ("绿水青山就是金山银山", "a: 两山……")
    # numbered slogans are in whether defined or not
    assert (rows["四个一"]["defined_in"], rows["四个一"]["members"], rows["四个一"]["evidence"]) == (0, "", "")
    # a slogan a note defines but no mention counts (the part of a compound) has no totals
    assert (rows["两带"]["kind"], rows["两带"]["total"], rows["两带"]["documents"], rows["两带"]["first_year"]) == (
        "numbered", 0, 0, None)
    assert list(rows) == ["六稳", "放管服", "三个代表", "两山", "四个一", "两带"]  # most mentioned first


def test_run_writes_the_dictionary_and_define_prints_an_entry(tmp_path, run_cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "2020年政府工作报告\n抓好“两稳”［1］。\n名词解释\n［1］两稳：\n指稳增长和稳就业。\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(
        "2022年政府工作报告\n“两稳”，就是稳增长、稳就业。再抓“两稳”。\n", encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_text(
        "2023年政府工作报告\n“两稳”，即稳物价、稳预期。\n", encoding="utf-8")
    result = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", "-n", "0", "--no-progress")
    assert result.exit_code == 0, result.output
    rows = list(read_table(tmp_path / "out" / "dictionary.csv"))
    assert tuple(rows[0]) == DICTIONARY_COLUMNS
    assert [(r["phrase"], r["members"], r["defined_in"], r["disagree"], r["first_year"], r["last_year"], r["total"])
            for r in rows] == [("两稳", "稳增长 | 稳就业", 3, 1, 2020, 2023, 4)]
    out = run_cli("define", "兩穩", "-d", tmp_path / "out").output.splitlines()
    src = tmp_path / "in"
    assert out == [
        "两稳 (numbered+quoted): 4 mentions in 3 documents, 2020–2023",
        "  = 稳增长 | 稳就业",
        "  written: 两稳",
        "defined in 3 documents, 1 with other members:",
        f"  2020 {src / 'a.txt'} [glossary] ［1］两稳： 指稳增长和稳就业。",
        f"  2022 {src / 'b.txt'} [marker:就是] “两稳”，就是稳增长、稳就业",
        f"  2023 {src / 'c.txt'} [marker:即] “两稳”，即稳物价、稳预期",
        "    = 稳物价 | 稳预期",
    ]
    assert read_definitions(tmp_path / "out") == {"两稳": [("稳增长", "稳就业")]}
    g = nx.Graph()
    g.add_node("两稳", kind="numbered+quoted")
    add_definition_edges(g, tmp_path / "out")
    assert sorted(g["两稳"]) == ["稳增长", "稳就业"]  # only the members most documents agree on


def test_define_errors_are_one_line(tmp_path, run_cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("2020年报告\n抓好“两稳”工作。\n", encoding="utf-8")
    run_cli("run", tmp_path / "in", "-o", tmp_path / "out", "-n", "0", "--no-progress")
    unknown = run_cli("define", "三稳", "-d", tmp_path / "out")
    assert (unknown.exit_code, unknown.output) == (
        1, f"Error: '三稳' is not in {tmp_path / 'out' / 'dictionary.csv'}; `miner top` lists the phrases found\n")
    missing = run_cli("define", "两稳", "-d", tmp_path / "nothing")
    assert (missing.exit_code, missing.output) == (
        1, f"Error: {tmp_path / 'nothing' / 'dictionary.csv'} not found; `miner run` writes it\n")
    entry = lookup(tmp_path / "out", "“两稳”")
    assert (entry.phrase, entry.members, entry.defined_in, entry.definitions) == ("两稳", (), 0, ())
