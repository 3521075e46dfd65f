"""Tables that open right in spreadsheets: guarded CSV cells and the .xlsx export."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miner.io.tables import ENCODING, guard_cell, read_table, unguard_cell

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
    from miner.analysis.report import concordance

    lines = concordance(hostile_run, "三个代表", width=7)
    assert [(line.left, line.match, line.right) for line in lines] == [
        ("学一做”。 '", "三个代表", "'是“三个代表"), ("三个代表'是“", "三个代表", "”的写法。 @")]


def test_compare_csv_is_guarded(tmp_path):
    from miner.analysis.compare import Comparison, KeynessRow, Selection, write_comparison

    row = KeynessRow("=1+8", "quoted", "A only", 3, 0, 1, 0, 1.5, 0.0, -2.5, 4.2, 0.04)
    sides = Selection("2015", frozenset({"a"}), 20_000), Selection("2016", frozenset({"b"}), 30_000)
    (path,) = write_comparison(Comparison(*sides, (row,)), tmp_path, formats=("csv",))
    with path.open(encoding=ENCODING, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1] == ["'=1+8", "quoted", "A only", "3", "0", "1", "0", "1.5", "0.0", "-2.5", "4.2", "0.04"]


# -- the .xlsx workbook -----------------------------------------------------------


def _sheet_values(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_export_xlsx_keeps_text_as_text(hostile_run, tmp_path):
    import zipfile

    from openpyxl import load_workbook

    path = tmp_path / "run.xlsx"
    result = run_cli_main("export-xlsx", "-d", hostile_run, "-o", path)
    assert result.exit_code == 0, result.output
    order = ["documents", "phrases", "by_year", "mentions", "definitions", "dictionary", "patterns", "patterns_by_year"]
    tables = [t for t in order if (hostile_run / f"{t}.csv").exists()]
    assert {p.stem for p in hostile_run.glob("*.csv")} == set(tables)
    assert result.output == f"{len(tables)} tables written to {path}: {', '.join(tables)}\n"
    book = load_workbook(path)
    assert book.sheetnames == ["about"] + tables
    formulas = [c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    with zipfile.ZipFile(path) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    documents = _sheet_values(book["documents"])
    assert documents[0] == ["doc_id", "source", "title", "year", "year_source", "chars", "status", "warning",
                            "stripped_lines", "stripped_chars", "mentions"]
    assert documents[1][2:4] == ["=cmd|' /C calc'!A0", 2016]
    phrases = {row[0]: row for row in _sheet_values(book["phrases"])[1:]}
    assert phrases["863"][:4] == ["863", "numbered+quoted", 1, 1]  # a phrase that looks like a number is text
    assert set(phrases) == {"四个全面", "两学一做", "三个代表", "863", "+1"}
    assert phrases["+1"][:2] == ["+1", "quoted"]
    contexts = [row[10] for row in _sheet_values(book["mentions"])[1:]]
    assert contexts[:2] == ["=SUM(1,1)要坚持“四个全面”", "- 坚持四个全面，推进“两学一做”"]
    assert "'三个代表'是“三个代表”的写法" in contexts and "@两学一做要落实“四个全面”" in contexts
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
    widths = book["mentions"].column_dimensions
    assert widths["K"].width > widths["B"].width >= 6  # context wider than year
    assert _sheet_values(book["about"])[1:3] == [["documents", "documents.csv", 1, None],
                                                 ["phrases", "phrases.csv", 5, None]]


def test_export_xlsx_caps_a_table_at_the_sheet_limit_with_a_note(hostile_run, tmp_path):
    from openpyxl import load_workbook

    from miner.io.xlsx import export_xlsx

    summaries = export_xlsx(hostile_run, tmp_path / "cut.xlsx", max_rows=4)
    mentions = next(s for s in summaries if s.name == "mentions")
    assert (mentions.rows, mentions.written, mentions.complete) == (9, 3, False)
    book = load_workbook(tmp_path / "cut.xlsx")
    assert len(_sheet_values(book["mentions"])) == 4
    note = {row[0]: row[3] for row in _sheet_values(book["about"])[1:]}
    assert note["mentions"] == ("only the first 3 of 9 rows: a sheet holds 4 rows with its header; "
                                "the whole table is mentions.csv")
    assert note["documents"] is None


def test_export_xlsx_control_characters_and_long_cells(tmp_path):
    from openpyxl import load_workbook

    from miner.io.xlsx import MAX_CELL_CHARS, export_xlsx

    (tmp_path / "t").mkdir()
    long = "长" * (MAX_CELL_CHARS + 5)
    with (tmp_path / "t" / "phrases.csv").open("w", encoding=ENCODING, newline="") as fh:
        csv.writer(fh).writerows([["phrase", "total"], ["a\x00b\x1fc", 1], [long, 2]])
    (summary,) = export_xlsx(tmp_path / "t", tmp_path / "x.xlsx")
    assert summary.cut_cells == 1
    rows = _sheet_values(load_workbook(tmp_path / "x.xlsx")["phrases"])
    assert rows[1] == ["a\ufffdb\ufffdc", 1]
    assert rows[2] == ["长" * MAX_CELL_CHARS, 2]


def test_export_xlsx_errors(tmp_path):
    result = run_cli_main("export-xlsx", "-d", tmp_path / "none", "-o", tmp_path / "x.xlsx")
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path / 'none'}: no such folder; run `miner run CORPUS -o {tmp_path / 'none'}` first\n")
    result = run_cli_main("export-xlsx", "-d", tmp_path, "-o", tmp_path / "x.xlsx")
    assert result.output == f"Error: {tmp_path}: no tables (*.csv) to export; run `miner run CORPUS -o {tmp_path}` first\n"
    assert not (tmp_path / "x.xlsx").exists()


def test_export_xlsx_to_a_file_that_cannot_be_written_is_one_line(hostile_run, tmp_path):
    import subprocess
    import sys

    (tmp_path / "x.xlsx.part").mkdir()  # where the workbook is written before it is moved into place
    done = subprocess.run([sys.executable, "-m", "miner", "export-xlsx", "-d", str(hostile_run), "-o", "x.xlsx"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "Error: x.xlsx.part: Is a directory\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx.part"]


def run_cli_main(*args):
    from click.testing import CliRunner

    from miner.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="miner", catch_exceptions=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_any_text_comes_back_from_the_workbook_as_text(texts):
    import re
    import tempfile
    from pathlib import Path

    from openpyxl import load_workbook

    from miner.io.tables import write_table
    from miner.io.xlsx import export_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_table(folder / "mentions.csv", ("context", "count"), [(t, i) for i, t in enumerate(texts)])
        export_xlsx(folder, folder / "x.xlsx")
        sheet = load_workbook(folder / "x.xlsx")["mentions"]
        cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML cannot hold most control characters; a spreadsheet reads "" as an empty cell.
    expected = [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", t) or None for t in texts]
    assert [c.value for c in cells] == expected
    assert all(c.data_type != "f" for c in cells)
