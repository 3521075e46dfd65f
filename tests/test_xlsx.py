"""Tables that open right in spreadsheets: guarded CSV cells and the .xlsx export."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miner.tables import ENCODING, guard_cell, read_table, unguard_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Text a spreadsheet would evaluate, reaching the first character of cells: a
# title, a context that begins with a formula, a bullet, an at-sign, and a
# context that really begins with a quote (the guard character itself).
HOSTILE = {
    "title": "=cmd|' /C calc'!A0",
    "year": 2016,
    "text": "=SUM(1,1)要坚持“四个全面”。\n- 坚持四个全面，推进“两学一做”。\n"
            "'三个代表'是“三个代表”的写法。\n@两学一做要落实“四个全面”。\n“863”计划和“+1”都在。",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, run_cli):
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "evil.jsonl"
    corpus.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("run", corpus, "-o", base / "out", "-n", 0)
    assert result.exit_code == 0, result.output
    return base / "out"


@pytest.fixture(scope="module")
def run_cli():
    from click.testing import CliRunner

    from miner.cli import cli

    def run(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], prog_name="miner", catch_exceptions=False)

    return run


# -- CSV cells ------------------------------------------------------------------


def test_guard_cell_exact():
    assert guard_cell("=1+8") == "'=1+8"
    assert guard_cell("+86") == "'+86"
    assert guard_cell("-1") == "'-1"
    assert guard_cell("@SUM(A1)") == "'@SUM(A1)"
    assert guard_cell("\tx") == "'\tx"
    assert guard_cell("\rx") == "'\rx"
    assert guard_cell("'quoted'") == "''quoted'"
    assert guard_cell("四个全面") == "四个全面"
    assert guard_cell("a=b") == "a=b"
    assert guard_cell("") == ""
    assert guard_cell(-1) == -1 and guard_cell(-0.5) == -0.5  # numbers stay numbers
    assert unguard_cell("'四个全面'") == "'四个全面'"  # a quote not written by the guard stays


@given(st.text())
def test_guard_round_trips_and_never_leaves_a_formula(text):
    guarded = guard_cell(text)
    assert unguard_cell(guarded) == text
    assert not guarded.startswith(FORMULA_STARTS)


def test_every_csv_cell_is_guarded_and_read_back_as_written(hostile_run):
    for path in sorted(hostile_run.glob("*.csv")):
        with path.open(encoding=ENCODING, newline="") as fh:
            for row in csv.reader(fh):
                bad = [cell for cell in row if cell.startswith(FORMULA_STARTS)]
                assert not bad, f"{path.name}: {bad}"
    documents = list(read_table(hostile_run / "documents.csv"))
    assert [d["title"] for d in documents] == ["=cmd|' /C calc'!A0"]
    contexts = [m["context"] for m in read_table(hostile_run / "mentions.csv")]
    assert contexts[0] == "=SUM(1,1)要坚持“四个全面”"
    assert "- 坚持四个全面，推进“两学一做”" in contexts
    assert "'三个代表'是“三个代表”的写法" in contexts  # a context that really begins with a quote
    assert "@两学一做要落实“四个全面”" in contexts
    with (hostile_run / "documents.csv").open(encoding=ENCODING, newline="") as fh:
        raw = list(csv.DictReader(fh))
    assert raw[0]["title"] == "'=cmd|' /C calc'!A0"


def test_kwic_shows_the_unguarded_context(hostile_run):
    from miner.report import concordance

    lines = concordance(hostile_run, "三个代表")
    assert [(line.left, line.match, line.right) for line in lines] == [
        ("'", "三个代表", "'是“三个代表”的写法"), ("'三个代表'是“", "三个代表", "”的写法")]


def test_compare_csv_is_guarded(tmp_path):
    from miner.compare import Comparison, KeynessRow, Selection, write_comparison

    row = KeynessRow("=1+8", "quoted", "A only", 3, 0, 1, 0, 1.5, 0.0, -2.5, 4.2, 0.04)
    sides = Selection("2015", frozenset({"a"}), 20_000), Selection("2016", frozenset({"b"}), 30_000)
    (path,) = write_comparison(Comparison(*sides, (row,)), tmp_path, formats=("csv",))
    with path.open(encoding=ENCODING, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1] == ["'=1+8", "quoted", "A only", "3", "0", "1", "0", "1.5", "0.0", "-2.5", "4.2", "0.04"]
