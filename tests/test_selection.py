"""Kinds: quotes judged not to be campaign phrases (``other-quote``) stay in
the mentions but every command leaves them out unless asked."""

from __future__ import annotations

import pytest

from miner.selection import KINDS, check_kind, kind_matches, read_mentions
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
    with pytest.raises(InputError, match="kind 'other' is not one of slogans, numbered"):
        check_kind("other")


def test_top_and_kwic(run_cli, tables):
    default = run_cli("top", "-d", tables).output
    asked = run_cli("top", "-d", tables, "-k", "other-quote").output
    assert "放管服" in default and "奴隶" not in default and "自由" not in default
    assert "奴隶" in asked and "自由" in asked and "放管服" not in asked
    assert "奴隶" in run_cli("kwic", "奴隶", "-d", tables).output  # every quoted span is still a mention
