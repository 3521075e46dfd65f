"""Kinds: quotes judged not to be campaign phrases (``other-quote``) stay in
the mentions but every command leaves them out unless asked."""

from __future__ import annotations

import pytest

from miner.analysis.selection import KINDS, check_kind, kind_matches, read_mentions
from miner.errors import InputError

TEXT = "开展“放管服”改革，要落实“三去一降一补”。有人诬蔑为“奴隶”，所谓“自由”。\n" * 2


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    from miner.pipeline import run_corpus

    folder = tmp_path_factory.mktemp("sel")
    (folder / "2016_speech.txt").write_text("2016年讲话\n" + TEXT, encoding="utf-8")
    out = folder / "out"
    run_corpus([folder / "2016_speech.txt"], out, workers=1)
    return out


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("slogans", {"放管服", "三去一降一补"}),
        ("quoted", {"放管服", "三去一降一补"}),
        ("numbered", {"三去一降一补"}),
        ("other-quote", {"奴隶", "自由"}),
        ("all", {"放管服", "三去一降一补", "奴隶", "自由"}),
    ],
)
def test_read_mentions_by_kind(tables, kind, expected):
    assert {r["phrase"] for r in read_mentions(tables, kind=kind)} == expected


def test_default_kind_leaves_other_quotes_out(tables):
    assert {r["phrase"] for r in read_mentions(tables)} == {"放管服", "三去一降一补"}


def test_other_kinds_only_when_asked():
    assert [k for k in KINDS if kind_matches("other-quote", k)] == ["other-quote", "all"]
    assert [k for k in KINDS if kind_matches("numbered+quoted", k)] == ["slogans", "numbered", "quoted", "all"]
    assert [k for k in KINDS if kind_matches("listed", k)] == ["slogans", "listed", "all"]
    with pytest.raises(InputError, match="kind 'other' is not one of slogans, numbered"):
        check_kind("other")


def test_top_and_kwic(run_cli, tables):
    default = run_cli("top", "-d", tables).output
    asked = run_cli("top", "-d", tables, "-k", "other-quote").output
    assert "放管服" in default and "奴隶" not in default and "自由" not in default
    assert "奴隶" in asked and "自由" in asked and "放管服" not in asked
    assert "奴隶" in run_cli("kwic", "奴隶", "-d", tables).output  # every quoted span is still a mention


# -- --where ------------------------------------------------------------------------


def test_parse_where():
    from miner.analysis.selection import Condition, parse_where

    assert parse_where(" province = 广东省 ") == Condition("province", "广东省")
    assert parse_where("year=2000-2010") == Condition("year", "2000-2010", False, 2000.0, 2010.0)
    assert parse_where("date=2019-05") == Condition("date", "2019-05")  # ends before it starts: a text, not a range
    assert parse_where("title!=") == Condition("title", "", True)
    with pytest.raises(InputError, match="'province' is not a condition; write FIELD=VALUE"):
        parse_where("province")


def test_conditions_on_one_field_are_alternatives_and_on_two_must_all_hold():
    from miner.analysis.selection import parse_where, select_documents

    docs = [dict(doc_id=str(i), year=year, province=p, level=lv) for i, (year, p, lv) in enumerate(
        [(2001, "广东省", "省"), (2012, "四川省", "市"), (2005, "四川省", "省"), (None, "浙江省", "")])]

    def ids(*specs):
        return [d["doc_id"] for d in select_documents(docs, [parse_where(s) for s in specs])]

    assert ids("province=广东省", "province=四川省") == ["0", "1", "2"]
    assert ids("province=四川省", "level=省") == ["2"]
    assert ids("year=2000-2010") == ["0", "2"]  # an undated document is in no range
    assert ids("year!=2000-2010") == ["1", "3"]
    assert ids("level=") == ["3"]
    assert ids("province!=广东省", "province!=四川省") == ["3"]
    with pytest.raises(InputError, match="no field 'city' in documents.csv; its documents have province, level besides"):
        ids("city=广州市")


def test_where_on_the_commands(run_cli, tables):
    assert run_cli("top", "-d", tables, "--where", "year=2016").exit_code == 0
    bad = run_cli("top", "-d", tables, "--where", "year")
    assert bad.exit_code == 2 and "'year' is not a condition" in bad.output
    none = run_cli("top", "-d", tables, "--where", "year=2020")
    assert none.output == f"Error: no document in {tables / 'documents.csv'} has year=2020\n"
    unknown = run_cli("kwic", "放管服", "-d", tables, "--where", "province=广东省")
    assert unknown.output == (f"Error: no field 'province' in {tables / 'documents.csv'}; its documents have no fields "
                              "of their own besides doc_id, source, title and year\n")
