"""The core command line: ``miner run``, ``miner top``, ``miner kwic``, help,
version, and one-line errors with a non-zero exit instead of tracebacks."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest
from _speeches import write_speeches

from miner import __version__



@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    folder = root / "corpus"
    folder.mkdir()
    write_speeches(folder / "speeches.jsonl", "{broken\n")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\n" + bytes(40))
    return folder


@pytest.fixture(scope="module")
def tables(corpus):
    from click.testing import CliRunner

    from miner.cli import cli

    out = corpus.parent / "out"
    result = CliRunner().invoke(cli, ["run", str(corpus), "-o", str(out), "-n", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def documents(out) -> list[list[str]]:
    """The rows of documents.csv, without the header."""
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))[1:]


def assert_one_line_error(result, message: str, code: int = 1) -> None:
    assert result.exit_code == code
    assert result.output == f"Error: {message}\n"
    assert "Traceback" not in result.output


# -- help and version --------------------------------------------------------------


def test_version(run_cli):
    result = run_cli("--version")
    assert (result.exit_code, result.output) == (0, f"miner, version {__version__}\n")
    assert run_cli("-V").output == result.output


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help(run_cli, flag):
    result = run_cli(flag)
    assert result.exit_code == 0
    assert result.output.startswith("Usage: miner [OPTIONS] COMMAND [ARGS]...\n")
    for command in ("run", "top", "kwic"):
        assert re.search(rf"^  {command} ", result.output, re.MULTILINE)


@pytest.mark.parametrize("command", ["run", "top", "kwic"])
def test_command_help(run_cli, command):
    result = run_cli(command, "-h")
    assert result.exit_code == 0 and result.output.startswith(f"Usage: miner {command} [OPTIONS]")


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "miner", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: miner [OPTIONS] COMMAND [ARGS]...")


def test_unknown_command(run_cli):
    result = run_cli("frobnicate")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: No such command 'frobnicate'."


# -- miner run ----------------------------------------------------------------------


def test_run_reports_what_it_did(run_cli, corpus, tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", corpus, "-o", out, "-n", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert re.fullmatch(
        r"4 documents mined \(71 characters\), 2 skipped; 5 mentions of 3 phrases in \d+\.\ds", lines[0]
    )
    assert lines[1] == f"skipped documents and their reasons: {out / 'documents.csv'} (status column)"
    assert lines[2].startswith(f"tables written to {out}/: documents.csv, mentions.csv, ")
    assert "top 2 phrases" in result.output
    assert re.search(r"│ 两个率先 +│ numbered\+quoted │ +3 │ +3 │", result.output)
    for name in ("documents.csv", "mentions.csv", "phrases.csv", "by_year.csv", "run.json"):
        assert (out / name).is_file()


def test_run_records_every_document(tables, corpus):
    rows = documents(tables)
    assert [(row[0].rsplit("/", 1)[-1], row[6]) for row in rows] == [
        ("scan.txt", "skipped: a PDF file, not text"),
        ("speeches.jsonl#1", "ok"),
        ("speeches.jsonl#2", "ok"),
        ("speeches.jsonl#3", "ok"),
        ("speeches.jsonl#4", "ok"),
        ("speeches.jsonl#5", "skipped: line 5 is not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
    ]


def test_run_with_named_fields(run_cli, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text("标题,正文,年份\n在大会上的讲话,要实现“两个率先”。,2005\n", encoding="gb18030")
    result = run_cli("run", path, "-o", tmp_path / "out", "-n", "0",
                     "--text-field", "正文", "--title-field", "标题", "--year-field", "年份")
    assert result.exit_code == 0
    assert documents(tmp_path / "out") == [
        [f"{path.as_posix()}#1", path.as_posix(), "在大会上的讲话", "2005", "field", "10", "ok", "", "0", "0", "1"]
    ]


def test_run_with_a_missing_field_skips_with_the_reason(run_cli, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text("title,text\n甲,要实现“两个率先”。\n", encoding="utf-8")
    result = run_cli("run", path, "-o", tmp_path / "out", "-n", "0", "--text-field", "正文")
    assert result.exit_code == 0
    assert result.output.startswith("0 documents mined (0 characters), 1 skipped;")
    assert documents(tmp_path / "out")[0][6] == "skipped: no text field (looked for 正文; found title, text)"


def test_run_missing_path(run_cli, corpus, tmp_path):
    missing = tmp_path / "no" / "such.txt"
    assert_one_line_error(run_cli("run", corpus, missing, "-o", tmp_path / "out"), f"{missing}: no such file or folder")
    assert not (tmp_path / "out").exists()


def test_run_empty_folder(run_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    assert_one_line_error(run_cli("run", tmp_path / "empty", "-o", tmp_path / "out"), f"no files found in {tmp_path / 'empty'}")


def test_run_says_what_it_passed_over(run_cli, tmp_path):
    h = tmp_path / "h"
    (h / "sub").mkdir(parents=True)
    (h / ".2023报告.txt").write_text("坚持“两个确立”。", encoding="utf-8")
    (h / "sub" / "c.txt").write_text("坚持“两个确立”。", encoding="utf-8")
    (h / "sub" / "documents.csv").write_text("doc_id,text\n1,x\n", encoding="utf-8")
    (h / "sub" / "run.json").write_text("{}", encoding="utf-8")
    said = f"passed over: 1 folder of an earlier run's tables ({h / 'sub'}), 1 hidden ({h / '.2023报告.txt'})"
    assert_one_line_error(run_cli("run", h, "-o", tmp_path / "out"), f"no files found in {h} ({said})")
    (h / "a.txt").write_text("坚持“两个确立”。", encoding="utf-8")
    result = run_cli("run", h, "-o", tmp_path / "out", "-n", "0")
    assert result.output.splitlines()[1] == said
    assert json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["passed_over"] == [
        {"name": str(h / "sub"), "why": "an earlier run's tables"}, {"name": str(h / ".2023报告.txt"), "why": "hidden"}]


def test_run_output_folder_that_cannot_be_made(run_cli, corpus, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "out"
    assert_one_line_error(run_cli("run", corpus, "-o", out), f"{out}: Not a directory")


def test_run_output_folder_is_a_file(run_cli, corpus, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_cli("run", corpus, "-o", tmp_path / "file")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: Invalid value for '-o' / '--out': Directory '{tmp_path / 'file'}' is a file."


def test_run_without_inputs(run_cli):
    result = run_cli("run")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: Missing argument 'INPUTS...'."


def test_run_of_nothing_but_bad_files(run_cli, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    (bad / "b.docx").write_text("不是Word文件", encoding="utf-8")
    (bad / "c.json").write_text("{", encoding="utf-8")
    (bad / "d.xlsx").write_bytes(b"PK\x03\x04")
    (bad / "e.txt").write_bytes(b"")
    (bad / "f.txt").write_bytes(b"abc " + b"\xff" * 64)
    (bad / "g.jsonl").write_text("{broken\n", encoding="utf-8")
    (bad / "h.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("run", bad, "-o", tmp_path / "out", "-n", "0")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert result.output.startswith("0 documents mined (0 characters), 8 skipped; 0 mentions of 0 phrases")
    assert [(row[0].rsplit("/", 1)[-1], row[6].split(" (")[0]) for row in documents(tmp_path / "out")] == [
        ("a.txt", "skipped: a PNG image, not text"),
        ("b.docx", "skipped: not a .docx file: a .docx is a ZIP package and this is not one"),
        ("c.json", "skipped: not valid JSON"),
        ("d.xlsx", "skipped: unsupported file type '.xlsx'"),
        ("e.txt", "skipped: empty file"),
        ("f.txt", "skipped: undecodable bytes: not valid UTF-8, GB18030 or Big5"),
        ("g.jsonl#1", "skipped: line 1 is not valid JSON"),
        ("h.csv#1", "skipped: no text field"),
    ]


# -- miner top and miner kwic --------------------------------------------------------


def table_rows(output: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in output.splitlines() if line.startswith("│")]


def test_top(run_cli, tables):
    result = run_cli("top", "-d", tables)
    assert result.exit_code == 0
    assert "top 3 phrases" in result.output.splitlines()[0]
    assert table_rows(result.output) == [
        ["两个率先", "numbered+quoted", "3", "3", "422.54", "2001", "2003"],
        ["三个代表", "numbered+quoted", "1", "1", "140.85", "2001", "2001"],
        ["三去一降一补", "numbered+quoted", "1", "1", "140.85", "2003", "2003"],
    ]


def test_top_options(run_cli, tables):
    assert [r[0] for r in table_rows(run_cli("top", "-d", tables, "-n", "1").output)] == ["两个率先"]
    assert table_rows(run_cli("top", "-d", tables, "--from", "2001", "--to", "2002").output) == [
        ["三个代表", "numbered+quoted", "1", "1", "277.78", "2001", "2001"],
        ["两个率先", "numbered+quoted", "1", "1", "277.78", "2001", "2001"],
    ]


def test_top_kind_filter_keeps_only_that_kind(run_cli, tmp_path):
    # Phrases of every kind, so that an ignored -k would show: quoted only, numbered only, both.
    corpus = tmp_path / "kinds.jsonl"
    corpus.write_text(
        '{"title": "甲", "year": 2001, "text": "开展“工业服务年”活动，坚持四项基本原则，实现“两个率先”。"}\n'
        '{"title": "乙", "year": 2002, "text": "坚持四项基本原则，开展“项目推进年”活动。"}\n', encoding="utf-8")
    assert run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0").exit_code == 0

    def top(kind):
        return [(r[0], r[1]) for r in table_rows(run_cli("top", "-d", tmp_path / "out", "-k", kind).output)]

    assert top("numbered") == [("四项基本原则", "numbered"), ("两个率先", "numbered+quoted")]
    assert top("quoted") == [("两个率先", "numbered+quoted"), ("工业服务年", "quoted"), ("项目推进年", "quoted")]
    assert len(top("all")) == 4


def test_top_without_a_run(run_cli, tmp_path):
    assert_one_line_error(
        run_cli("top", "-d", tmp_path), f"{tmp_path / 'phrases.csv'}: not found; run `miner run CORPUS -o {tmp_path}` first"
    )


def test_top_of_a_table_saved_again_as_gbk(run_cli, tables, tmp_path):
    text = (tables / "phrases.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "phrases.csv").write_bytes(text.encode("gbk"))
    assert_one_line_error(
        run_cli("top", "-d", tmp_path),
        f"{tmp_path / 'phrases.csv'}: not UTF-8 (saved again by another program?); "
        f"run `miner run CORPUS -o {tmp_path}` again",
    )


def test_top_bad_kind(run_cli, tables):
    result = run_cli("top", "-d", tables, "-k", "slogan")
    assert result.exit_code == 2 and "Invalid value for '-k' / '--kind'" in result.output


@pytest.mark.parametrize("command", ["top", "graph", "plot", "compare"])
def test_every_kind_option_offers_every_kind(command):
    from miner.cli import cli
    from miner.analysis.selection import KINDS

    (kind,) = [p for p in cli.commands[command].params if p.name == "kind"]
    assert sorted(kind.type.choices) == sorted(KINDS)


def test_kwic_traditional_query_finds_simplified(run_cli, tables):
    result = run_cli("kwic", "兩個率先", "-d", tables, "-w", "4")
    assert result.exit_code == 0
    source = (tables.parent / "corpus" / "speeches.jsonl").as_posix()
    assert result.output.splitlines() == [
        f"2001 要实现“两个率先”，坚持  {source}#1",
        f"2003 要實現「兩個率先」，推進  {source}#3",
        f"---- 要实现“两个率先”。  {source}#4",
        "3 of 3 lines for 兩個率先",
    ]


def test_kwic_options(run_cli, tables):
    assert run_cli("kwic", "两个率先", "-d", tables, "-n", "1").output.splitlines()[-1] == "1 of 3 lines for 两个率先"
    result = run_cli("kwic", "“两个率先”", "-d", tables, "--from", "2002", "--to", "2003")
    assert result.output.splitlines()[-1] == "1 of 1 lines for “两个率先”"


def test_kwic_unknown_phrase(run_cli, tables):
    assert_one_line_error(
        run_cli("kwic", "四个全面", "-d", tables),
        f"'四个全面' is not found in the texts of {tables}; `miner top` lists the phrases found",
    )


def test_kwic_without_a_run(run_cli, tmp_path):
    assert_one_line_error(
        run_cli("kwic", "两个率先", "-d", tmp_path),
        f"{tmp_path / 'mentions.csv'}: not found; run `miner run CORPUS -o {tmp_path}` first",
    )


@pytest.mark.parametrize("args", [("top", "-n", "-1"), ("kwic", "两个率先", "-n", "-1"), ("kwic", "两个率先", "-w", "-5")])
def test_negative_counts_are_refused(run_cli, tables, args):
    result = run_cli(*args, "-d", tables)
    assert result.exit_code == 2
    assert "is not in the range x>=0" in result.output.splitlines()[-1]


def test_top_with_nothing_in_the_years_says_so(tmp_path):
    from click.testing import CliRunner

    from miner.cli import cli

    (tmp_path / "a.txt").write_text("（2001年3月5日）\n要实现“两个率先”。", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "-n", "0"]).exit_code == 0
    result = runner.invoke(cli, ["top", "-d", str(tmp_path / "out"), "--from", "1990", "--to", "1991"])
    assert result.exit_code == 1
    assert result.output == f"Error: no phrases in 1990–1991 in {tmp_path / 'out'}\n"


def test_a_run_without_phrases_succeeds(tmp_path, run_cli):
    (tmp_path / "a.txt").write_text("只有一句话，没有口号。", encoding="utf-8")
    result = run_cli("run", tmp_path / "a.txt", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "0 mentions of 0 phrases" in result.output and "Error" not in result.output
