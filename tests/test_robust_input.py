"""Hostile input: each test is one small reproduction of a way reading a
corpus used to go wrong (issue 8, items 1, 2, 5, 6, 11 and 12), with the
exact outcome it must have now.

Where the old behaviour was a hang (a FIFO, /dev/zero) the command runs in a
subprocess with a generous timeout, so a regression fails instead of
stalling the suite.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miner.pipeline import TABLES, run_corpus
from miner.io.read import decode_bytes, detect_encoding, discover, iter_documents, output_names, read_file, sniff
from miner.io.tables import read_table

SPEECH = "同志们：我们要坚持“四个全面”战略布局，实现“两个率先”目标，推进“三去一降一补”工作。"


def statuses(paths) -> list[tuple[str, str]]:
    return [(d.doc_id.rsplit("/", 1)[-1], d.status) for d in iter_documents(paths)]


def run_in_subprocess(*args, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m miner ARGS`` with a time bound: a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "miner", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def document_statuses(out: Path) -> list[tuple[str, str]]:
    return [(r["doc_id"].rsplit("/", 1)[-1], r["status"]) for r in read_table(out / "documents.csv")]


# -- 1. encodings --------------------------------------------------------


def straddling(prefix: str, text: str) -> tuple[str, int]:
    """ASCII padding after ``prefix`` so that byte 65,536 falls inside the
    first character of ``text`` (each 3 bytes in UTF-8)."""
    pad = 65_536 - len(prefix.encode("utf-8")) - 1  # the byte after the first of 两's three
    return "x" * pad, pad


def test_jsonl_with_a_long_ascii_head_is_utf8_even_when_byte_65536_splits_a_character(tmp_path):
    path = tmp_path / "a.jsonl"
    prefix = '{"title": "'
    pad, _ = straddling(prefix, "两")
    first = prefix + pad + '两个率先", "text": "' + SPEECH + '", "year": 2005}'
    path.write_text(first + "\n" + json.dumps({"text": SPEECH, "year": 2016}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert path.read_bytes()[65_535:65_538] == "两".encode("utf-8")  # bytes 65,536 to 65,538, counted from 1
    docs = list(iter_documents([path]))
    assert [(d.status, d.title[-4:], d.text, d.year) for d in docs] == [
        ("ok", "两个率先", SPEECH, 2005), ("ok", "", SPEECH, 2016)
    ]


def test_csv_with_a_million_character_cell_is_utf8(tmp_path):
    path = tmp_path / "a.csv"
    cell = "两个率先" * 250_000  # one million characters; byte 65,536 is inside one of them
    path.write_text(f"title,text,year\nt,{cell}x,2005\nu,{SPEECH},2016\n", encoding="utf-8")
    assert (65_536 - len(b"title,text,year\nt,")) % 3 != 0
    docs = list(iter_documents([path]))
    assert [(d.status, len(d.text), d.text[:4], d.year) for d in docs] == [
        ("ok", 1_000_001, "两个率先", 2005), ("ok", len(SPEECH), SPEECH[:4], 2016)
    ]
    assert docs[1].text == SPEECH


def test_whole_text_file_split_at_byte_65536_is_utf8():
    head, pad = straddling("", "两")
    data = (head + "两个率先" + "。" * 10).encode("utf-8")
    assert data[pad : pad + 3] == "两".encode("utf-8") and pad < 65_536 < pad + 3
    assert decode_bytes(data) == (head + "两个率先" + "。" * 10, "utf-8")


@pytest.mark.parametrize("word", ["脱贫攻坚", "乡村振兴", "放管服", "改革开放", "高质量发展", "供给侧结构性改革"])
def test_short_gbk_text_is_not_read_as_big5(tmp_path, word):
    data = word.encode("gbk")
    data.decode("big5")  # the bytes are valid Big5 too: the sniff must choose
    assert detect_encoding(data) == "gb18030"
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert [(d.status, d.text) for d in iter_documents([path])] == [("ok", word)]


@pytest.mark.parametrize("word", ["兩個率先", "改革開放", "脫貧攻堅", "鄉村振興", "三個代表"])
def test_short_big5_text_is_read_as_big5(word):
    data = word.encode("big5")
    data.decode("gb18030")
    assert decode_bytes(data) == (word, "big5")


def test_a_nul_byte_in_a_csv_skips_its_row_not_the_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(f"text,year\n{SPEECH},2001\n坏\x00行,2002\n{SPEECH},2003\n".encode("utf-8"))
    docs = list(iter_documents([path]))
    assert [(d.doc_id.rsplit("/", 1)[-1], d.status, d.year) for d in docs] == [
        ("a.csv#1", "ok", 2001),
        ("a.csv#2", "skipped: row 2 (line 3) holds a NUL byte", None),
        ("a.csv#3", "ok", 2003),
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes(f"在大会上的讲话\n{SPEECH}\n".encode(encoding))
    (tmp_path / "b.csv").write_bytes(f"title,text,year\n讲话,{SPEECH},2016\n".encode(encoding))
    docs = list(iter_documents([tmp_path]))
    assert [(d.status, d.text, d.year) for d in docs] == [
        ("ok", f"在大会上的讲话\n{SPEECH}\n", None), ("ok", SPEECH, 2016),
    ]


def test_big5_with_hong_kong_characters_is_not_read_as_gb18030():
    text = "香港特別行政區政府施政報告：啲嘢要做好，佢哋冇問題。"
    data = text.encode("big5hkscs")
    data.decode("gb18030")  # GB18030 reads these bytes too, as nonsense
    assert decode_bytes(data) == (text, "big5hkscs")


def test_many_nul_bytes_are_still_binary():
    with pytest.raises(ValueError, match="^a binary file, not text$"):
        decode_bytes(bytes(range(256)) * 4)


# -- 2. CSV rows ---------------------------------------------------------


def test_unterminated_quote_loses_only_its_row_when_a_later_field_is_quoted(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "title,text,year\n"
        '甲,"实现两个率先,2010\n'
        "乙,推进三去一降一补,2016\n"
        '丙,"落实“十四五”规划",2021\n'
        "丁,全面深化改革,2022\n",
        encoding="utf-8",
    )
    docs = list(iter_documents([path]))
    assert [(d.doc_id.rsplit("/", 1)[-1], d.title, d.year, d.status) for d in docs] == [
        ("a.csv#1", "", None, "skipped: row 1 (line 2) is malformed (',' expected after '\"')"),
        ("a.csv#2", "乙", 2016, "ok"),
        ("a.csv#3", "丙", 2021, "ok"),
        ("a.csv#4", "丁", 2022, "ok"),
    ]
    assert docs[2].text == "落实“十四五”规划"


def test_lines_swallowed_by_a_bad_row_are_not_rows_of_their_own(tmp_path):
    # Row 1's quote runs to the end; of the lines it swallowed, "只是一段" is no
    # record (one field), so reading resumes at the next well-formed one.
    path = tmp_path / "a.csv"
    path.write_text('title,text,year\n甲,"实现,2010\n只是一段\n乙,推进改革,2016\n', encoding="utf-8")
    assert statuses([path]) == [
        ("a.csv#1", "skipped: row 1 (line 2) has a quote that is never closed"),
        ("a.csv#2", "ok"),
    ]


def test_quoted_fields_over_several_lines_are_still_one_row(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('title,text,year\n甲,"第一段，\n第二段,2010",2010\n乙,推进改革,2016\n', encoding="utf-8")
    docs = list(iter_documents([path]))
    assert [(d.status, d.text, d.year) for d in docs] == [("ok", "第一段，\n第二段,2010", 2010), ("ok", "推进改革", 2016)]


def test_an_invalid_byte_in_row_500_of_1001_loses_only_that_row(tmp_path):
    path = tmp_path / "a.csv"
    rows = [f"{i},{SPEECH}{i}".encode("utf-8") for i in range(1, 1002)]
    rows[499] = b"500," + "实现".encode("utf-8") + b"\xff" + "两个率先".encode("utf-8")
    path.write_bytes(b"title,text\n" + b"\n".join(rows) + b"\n")
    docs = list(iter_documents([path]))
    assert len(docs) == 1001
    bad = [(d.doc_id.rsplit("/", 1)[-1], d.status) for d in docs if not d.ok]
    assert bad == [("a.csv#500", "skipped: row 500 (line 501) is not valid utf-8")]
    assert [d.title for d in docs if d.ok] == [str(i) for i in range(1, 1002) if i != 500]
    assert docs[1000].text == f"{SPEECH}1001"


def test_an_invalid_byte_in_a_jsonl_line_loses_only_that_line(tmp_path):
    path = tmp_path / "a.jsonl"
    line = json.dumps({"text": SPEECH}, ensure_ascii=False).encode("utf-8")
    path.write_bytes(b"\n".join([line, line.replace("同志们".encode(), b"\xff\xfe"), line]) + b"\n")
    assert statuses([path]) == [("a.jsonl#1", "ok"), ("a.jsonl#2", "skipped: line 2 is not valid utf-8"),
                                ("a.jsonl#3", "ok")]


# -- 5. discovery --------------------------------------------------------


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(SPEECH, encoding="utf-8")
    return folder


def test_a_fifo_in_a_folder_is_skipped_not_read(corpus, tmp_path):
    os.mkfifo(corpus / "b.txt")
    result = run_in_subprocess("run", corpus, "-o", tmp_path / "out", "-w", "1", "-n", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert document_statuses(tmp_path / "out") == [
        ("a.txt", "ok"), ("b.txt", "skipped: not a regular file but a FIFO (named pipe)"),
    ]


def test_dev_zero_as_an_input_is_skipped_not_read(corpus, tmp_path):
    result = run_in_subprocess("run", corpus, "/dev/zero", "-o", tmp_path / "out", "-w", "1", "-n", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert document_statuses(tmp_path / "out") == [
        ("a.txt", "ok"), ("zero", "skipped: not a regular file but a character device"),
    ]


def test_symlink_loops_are_skipped_with_a_reason(corpus):
    (corpus / "self.txt").symlink_to(corpus / "self.txt")
    (corpus / "x.txt").symlink_to(corpus / "y.txt")
    (corpus / "y.txt").symlink_to(corpus / "x.txt")
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    assert statuses([corpus]) == [
        ("a.txt", "ok"),
        ("gone.txt", "skipped: a broken symbolic link"),
        ("self.txt", "skipped: a symbolic link loop"),
        ("x.txt", "skipped: a symbolic link loop"),
        ("y.txt", "skipped: a symbolic link loop"),
    ]


def test_a_linked_folder_is_followed_once(corpus, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "linked").symlink_to(elsewhere)
    (corpus / "again").symlink_to(elsewhere)  # the same folder by a second link: read once
    (corpus / "sub").mkdir()
    (corpus / "sub" / "up").symlink_to(corpus)  # a link back up: a loop, not followed
    names = [name[len(corpus.as_posix()) + 1 :] for _, name in discover([corpus])]
    assert names == ["a.txt", "again/b.txt"]


def test_a_folder_that_cannot_be_listed_is_a_skip_not_an_abort(corpus, monkeypatch):
    (corpus / "locked").mkdir()
    (corpus / "locked" / "c.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "z.txt").write_text(SPEECH, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        # What an unreadable folder does to a user who is not root.
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    # A folder's files come before its sub-folders.
    assert statuses([corpus]) == [
        ("a.txt", "ok"), ("z.txt", "ok"), ("locked", "skipped: a folder that cannot be read (Permission denied)"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_a_skip_not_an_abort(corpus):
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "c.txt").write_text(SPEECH, encoding="utf-8")
    locked.chmod(0)
    try:
        assert statuses([corpus]) == [
            ("a.txt", "ok"), ("locked", "skipped: a folder that cannot be read (Permission denied)"),
        ]
    finally:
        locked.chmod(0o755)


def test_a_path_too_long_to_open_is_a_skip_not_an_abort(corpus):
    # 24 folders of 200 characters: the path passes the system's 4,096 bytes.
    fd = os.open(corpus, os.O_RDONLY)
    try:
        for _ in range(24):
            os.mkdir("d" * 200, dir_fd=fd)
            fd, parent = os.open("d" * 200, os.O_RDONLY, dir_fd=fd), fd
            os.close(parent)
        with os.fdopen(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w", encoding="utf-8") as fh:
            fh.write(SPEECH)
    finally:
        os.close(fd)
    found = statuses([corpus])
    assert found[0] == ("a.txt", "ok")
    assert [status for _, status in found[1:]] == ["skipped: the path is too long to open"]
    assert len(found) == 2


def test_an_input_named_by_a_path_too_long_is_a_skip(tmp_path):
    too_long = tmp_path.joinpath(*["d" * 200] * 24, "a.txt")
    assert statuses([too_long]) == [("a.txt", "skipped: the path is too long to open")]


def test_json_nested_too_deeply_is_a_skip(tmp_path):
    (tmp_path / "a.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "b.jsonl").write_text(line + "\n" + json.dumps({"text": SPEECH}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    assert statuses([tmp_path]) == [
        ("a.json", "skipped: JSON nested too deeply to read"),
        ("b.jsonl#1", "skipped: line 1 is JSON nested too deeply to read"),
        ("b.jsonl#2", "ok"),
    ]


# -- 6. the output folder inside the input -------------------------------


@pytest.mark.parametrize("where", ["same", "inside"])
def test_the_output_folder_is_not_read_as_input(corpus, where):
    (corpus / "b.jsonl").write_text(json.dumps({"text": SPEECH, "year": 2016}, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    out = corpus if where == "same" else corpus / "tables"
    for _ in range(3):
        summary = run_corpus([corpus], out, workers=1)
        assert (summary.documents, summary.skipped) == (2, 0)
    assert [r["doc_id"][len(corpus.as_posix()) + 1 :] for r in read_table(out / "documents.csv")] == [
        "a.txt", "b.jsonl#1",
    ]


def test_output_names_cover_the_tables_a_run_writes():
    assert set(TABLES) | {"run.json", "formulas.csv"} <= output_names()


# -- 11. long fields read back -------------------------------------------


@pytest.fixture(scope="module")
def long_title_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("long")
    records = [
        {"title": "题" * 200_000, "text": SPEECH + "要实现“两个率先”。", "year": 2015},
        {"title": "二", "text": SPEECH + "坚持“四个全面”。", "year": 2016},
        {"title": "三", "text": SPEECH, "year": 2020},
    ]
    (root / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    run_corpus([root / "a.jsonl"], root / "out", workers=1)
    return root / "out"


def test_a_200000_character_title_reads_back(long_title_run):
    titles = [r["title"] for r in read_table(long_title_run / "documents.csv", ("doc_id", "status"))]
    assert [len(t) for t in titles] == [200_000, 1, 1]


@pytest.mark.parametrize(
    "args, expected",
    [
        (("top", "-n", "1"), "两个率先"),
        (("kwic", "四个全面", "-n", "1"), "1 of 4 lines for 四个全面"),
        (("compare", "2015", "2016", "-f", "csv"), "A: 2015: 1 document"),
        (("graph", "-f", "json", "--min-count", "1"), "3 phrases, 3 edges"),
        (("plot", "trends", "-p", "两个率先"), "written: "),
    ],
)
def test_commands_read_tables_with_long_fields(run_cli, long_title_run, args, expected):
    result = run_cli(*args, "-d", long_title_run)
    assert result.exit_code == 0, result.output
    assert expected in result.output


# -- 12. usage errors ----------------------------------------------------


def test_a_usage_error_is_one_line(run_cli):
    result = run_cli("run")
    assert (result.exit_code, result.output) == (2, "Error: Missing argument 'INPUTS...'.\n")


def test_an_unknown_option_is_one_line(run_cli):
    result = run_cli("top", "--bogus")
    assert (result.exit_code, result.output) == (2, "Error: No such option '--bogus'.\n")


def test_dev_null_as_the_output_folder_is_a_clear_error(run_cli, corpus):
    result = run_cli("run", corpus, "-o", "/dev/null")
    assert (result.exit_code, result.output) == (
        1, "Error: /dev/null: not a folder (it exists and is a character device); give a folder to write to\n"
    )


def test_formulas_with_a_missing_judged_list_fails_before_writing(run_cli, corpus, tmp_path):
    result = run_cli("formulas", corpus, "-o", tmp_path / "out", "--judged", tmp_path / "nope.tsv")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: Invalid value for '--judged': File '{tmp_path / 'nope.tsv'}' does not exist.\n"
    )
    assert not (tmp_path / "out").exists()


# -- properties ----------------------------------------------------------

# Cells of well-formed rows may hold commas and line breaks (quoted), but not
# start with one: a field opening with a delimiter or a line break can close a
# runaway quote at a record boundary, which no reading can tell from a real one.
CELL = st.text(alphabet="两个率先改革开放,a \n“”", min_size=1, max_size=12).filter(lambda c: c.strip() and c[0] not in ",\n")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(CELL, min_size=2, max_size=10), bad=st.integers(min_value=0))
def test_one_stray_quote_costs_exactly_its_own_row(tmp_path_factory, cells, bad):
    bad %= len(cells)
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["title", "text"])
    for i, cell in enumerate(cells, 1):
        if i == bad + 1:
            table.write(f'{i},"{cell}'.replace("\n", "") + "\n")  # a quote that is never closed
        else:
            writer.writerow([str(i), cell])
    path = tmp_path_factory.mktemp("q") / "a.csv"
    path.write_text(table.getvalue(), encoding="utf-8")
    docs = list(iter_documents([path]))
    assert [d.doc_id.rsplit("#", 1)[-1] for d in docs] == [str(i) for i in range(1, len(cells) + 1)]
    assert [d.ok for d in docs] == [i != bad for i in range(len(cells))]
    assert [(d.title, d.text) for d in docs if d.ok] == [(str(i), c) for i, c in enumerate(cells, 1) if i != bad + 1]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # No cell is a bare number: a quoted cell whose lines each read as a row
    # with a number in the same column is what a stray quote running rows
    # together looks like, and is read so (see the stray-quote tests below).
    rows=st.lists(st.tuples(*[st.text(alphabet='两个率先,"a1 \n', min_size=1, max_size=12)
                              .filter(lambda c: c.strip() and c.strip(" \n1"))] * 3),
                  min_size=1, max_size=6),
    width=st.sampled_from([2, 3]),
    column=st.integers(0, 2),
)
def test_any_table_a_csv_writer_writes_reads_back_exactly(tmp_path_factory, rows, width, column):
    header = ["title", "year", "extra"][:width]
    header[column % width] = "text"
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row[:width] for row in rows)
    path = tmp_path_factory.mktemp("w") / "a.csv"
    path.write_text(table.getvalue(), encoding="utf-8")
    docs = list(iter_documents([path]))
    assert [(d.status, d.text) for d in docs] == [("ok", row[column % width]) for row in rows]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".txt", ".json"]))
def test_any_bytes_are_read_or_skipped_never_raised(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("b") / f"a{suffix}"
    path.write_bytes(b"title,text\n" + data if suffix == ".csv" else data)
    docs = list(iter_documents([path]))
    assert docs, "every file is accounted for"
    assert all(d.ok or d.status.startswith("skipped: ") for d in docs)
    assert len({d.doc_id for d in docs}) == len(docs)


@settings(max_examples=25, deadline=None)
@given(text=st.text(alphabet="两个率先改革开放“”，。a1", min_size=1, max_size=40), shift=st.integers(0, 40))
def test_utf8_is_utf8_wherever_byte_65536_falls(text, shift):
    data = ("x" * (65_536 - 20 + shift) + text).encode("utf-8")
    assert decode_bytes(data) == (data.decode("utf-8"), "utf-8")


# -- encodings of short texts and pages that declare the wrong one -------------


def documents_of(path: Path) -> list[tuple[str, str, str, str]]:
    return [(d.doc_id.rsplit("/", 1)[-1], d.status, d.text, d.warning) for d in iter_documents([path])]


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("区长在争创", "utf-16-be"),  # 10 bytes, no NUL to tell UTF-16 by
        ("区长在争创", "utf-16-le"),
        ("區長在爭創首善之區", "utf-16-le"),
        ("改革", "gbk"),
        ("改革", "big5"),  # traditional and simplified share these two
        ("兩個率先", "big5"),
        ("两个率先", "gb2312"),
        ("两", "gb18030"),
    ],
)
def test_a_short_text_is_read_exactly_in_its_encoding(tmp_path, text, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert documents_of(path) == [("a.txt", "ok", text, "")]


@pytest.mark.parametrize(
    "text, encoding, said",
    [
        ("대한민국 정부는 경제 발전을 위하여 노력한다.\n" * 3, "euc-kr", "EUC-KR: the text is Korean"),
        ("정부는 노력한다", "euc-kr", "EUC-KR: the text is Korean"),
        ("日本国政府は経済発展のために努力する。\n" * 3, "shift_jis", "Shift-JIS: the text is Japanese"),
        ("日本国政府は経済発展のために努力する。\n" * 3, "euc_jp", "EUC-JP: the text is Japanese"),
    ],
)
def test_korean_and_japanese_are_read_right_and_said_to_be_no_chinese(tmp_path, text, encoding, said):
    # Read as GB18030 or UTF-16 these were Chinese characters that mean nothing
    # (措茄刮惫 沥何绰…, 鏺陻趑邭…), mined without a word
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    (tmp_path / "b.csv").write_bytes(f"title,text\nt,{text.splitlines()[0]}\n".encode(encoding))
    assert documents_of(tmp_path) == [
        ("a.txt", "ok", text, f"read as {said}, not Chinese"),
        ("b.csv#1", "ok", text.splitlines()[0], f"read as {said}, not Chinese"),
    ]


def test_a_file_of_nul_bytes_is_skipped_whatever_its_name_and_size(tmp_path):
    for name in ("a.txt", "b.html", "c.csv", "d.jsonl", "e.md"):
        (tmp_path / name).write_bytes(bytes(4096))
    with open(tmp_path / "f.txt", "wb") as fh:  # a sparse gigabyte: never read whole
        fh.truncate(1 << 30)
    (tmp_path / "g.txt").write_bytes(bytes(100_000) + "坚持“两个确立”".encode() + bytes(10))
    assert documents_of(tmp_path) == [
        *[(name, "skipped: only NUL bytes, no text", "", "") for name in ("a.txt", "b.html", "c.csv", "d.jsonl",
                                                                          "e.md", "f.txt")],
        ("g.txt", "ok", "坚持“两个确立”",
         "starts with 100000 NUL characters, left out; ends in 10 NUL characters of padding, left out"),
    ]


def test_files_that_are_not_what_their_names_or_marks_say_are_read_as_what_they_are(tmp_path):
    speech = "坚持“两个确立”。"
    lines = "".join("\ufeff" + json.dumps({"year": y, "text": speech}, ensure_ascii=False) + "\n" for y in (2021, 2022))
    (tmp_path / "a.jsonl").write_text(lines, encoding="utf-8")  # files joined with cat, each with its BOM
    (tmp_path / "b.json").write_text(lines.replace("\ufeff", ""), encoding="utf-8")  # JSON Lines named .json
    (tmp_path / "c.txt").write_bytes(codecs.BOM_UTF8 + speech.encode("gbk"))  # a UTF-8 BOM before GBK
    (tmp_path / "c2.txt").write_bytes(codecs.BOM_UTF16_LE + (speech * 2).encode("gbk")[:-2])  # a UTF-16 one
    (tmp_path / "c3.txt").write_bytes(speech.encode("utf-32-le"))  # UTF-32 without a byte-order mark
    (tmp_path / "d.txt").write_bytes(b"{\\rtf1\\ansi\\ansicpg936 " + speech.encode("gbk") + b"}")
    # an RTF of escaped bytes only, an even number of them: its ASCII pairs up as UTF-16 Chinese
    escaped = b"{\\rtf1\\ansi\\ansicpg936\\f0 " + "".join("\\'%02x" % b for b in speech.encode("gbk")).encode()
    (tmp_path / "d2.txt").write_bytes(escaped + b" " * (len(escaped) % 2 == 0) + b"\\par}")  # even length
    page = f"<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>{speech}</p></body></html>\n"
    (tmp_path / "e.csv").write_text(page, encoding="utf-8")
    (tmp_path / "f.jsonl").write_text(page, encoding="utf-8")
    joined = "line 2 begins with a byte-order mark, left out"
    one_by_one = "JSON objects one after the other in a .json file: one document each"
    assert documents_of(tmp_path) == [
        ("a.jsonl#1", "ok", speech, ""),
        ("a.jsonl#2", "ok", speech, joined),
        ("b.json#1", "ok", speech, one_by_one),
        ("b.json#2", "ok", speech, one_by_one),
        ("c.txt", "ok", speech, "begins with a UTF-8 byte-order mark but is not UTF-8: read as GB18030"),
        ("c2.txt", "ok", speech + speech[:-1], "begins with a UTF-16 byte-order mark but is not UTF-16: read as GB18030"),
        ("c3.txt", "ok", speech, ""),
        ("d.txt", "skipped: an RTF document (save it as .docx or text), not text", "", ""),
        ("d2.txt", "skipped: an RTF document (save it as .docx or text), not text", "", ""),
        ("e.csv", "ok", speech + "\n", "an HTML page named like a CSV file: read as HTML"),
        ("f.jsonl", "ok", speech + "\n", "an HTML page named like a JSONL file: read as HTML"),
    ]


def test_an_excel_workbook_named_docx_says_what_it_is(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active["A1"] = "坚持“两个确立”。"
    book.save(tmp_path / "a.docx")
    assert documents_of(tmp_path / "a.docx") == [
        ("a.docx", "skipped: not a Word document but an Excel workbook (.xlsx)", "", "")]


def test_long_nul_padding_is_left_unread(tmp_path):
    # a preallocated file a writer died in: the text, then 64 MB of NULs never read into memory
    speech = "坚持“两个确立”，推动高质量发展。\n"
    with open(tmp_path / "a.txt", "wb") as fh:
        fh.write(speech.encode())
        fh.truncate(64 << 20)
    cut = (64 << 20) - len(speech.encode())
    assert documents_of(tmp_path / "a.txt") == [("a.txt", "ok", speech, f"ends in {cut:,} NUL bytes of padding, left out")]


@pytest.mark.parametrize("head", ["2023年政府工作报告\n" + "坚持两个确立，推动高质量发展。\n" * 20, ""])
def test_windows_quotes_among_gbk_are_read_as_quotes(tmp_path, head):
    # text pasted from Windows-1252 keeps its curly quotes as single bytes, which
    # GB18030 took for the first of a character: 坚持摿礁鋈妨…, two slogans lost
    parts = [head + "坚持", b"\x93", "两个确立", b"\x94", "，实施", b"\x93", "十四五", b"\x94", "规划。"]
    data = b"".join(part if isinstance(part, bytes) else part.encode("gbk") for part in parts)
    (tmp_path / "a.txt").write_bytes(data)
    assert documents_of(tmp_path / "a.txt") == [
        ("a.txt", "ok", head + "坚持“两个确立”，实施“十四五”规划。", "4 Windows-1252 quotes among the GBK text read as quotes")]


def test_a_terminal_capture_is_read_without_its_colour_codes(tmp_path):
    (tmp_path / "a.txt").write_text("\x1b[1m2023年政府工作报告\x1b[0m\n坚持\x1b[31m“两个确立”\x1b[0m。\n", encoding="utf-8")
    assert documents_of(tmp_path / "a.txt") == [
        ("a.txt", "ok", "2023年政府工作报告\n坚持“两个确立”。\n", "4 terminal colour codes left out")]


def test_a_text_two_encodings_read_alike_is_read_with_a_warning(tmp_path):
    # Six bytes: four spaces and C4 B3, which GBK reads as 某 and Big5 as 議;
    # both are common characters, so nothing tells them apart: the likelier
    # reading is taken, and the doubt recorded.
    path = tmp_path / "a.txt"
    path.write_bytes("    某".encode("gbk"))
    assert documents_of(path) == [
        ("a.txt", "ok", "    議",
         "the encoding is in doubt: read as Big5, but GB18030 reads the 6 bytes almost as well"),
    ]


def test_ascii_bytes_that_utf16_reads_as_chinese_stay_ascii_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("第十三届全".encode("utf-16-le"))  # every byte below 0x80
    assert documents_of(path) == [
        ("a.txt", "ok", ",{AS\tNJ\\hQ",
         "the encoding is in doubt: read as ASCII, but UTF-16 LE reads the 10 bytes as Chinese"),
    ]


@pytest.mark.parametrize(
    "encoding, declared",
    [("gbk", "big5"), ("gb18030", "big5"), ("big5", "gbk"), ("gbk", "utf-8"), ("utf-8", "gb2312"),
     ("utf-16-le", "utf-8"), ("gbk", "iso-8859-1"), ("gbk", "no-such-charset")],
)
def test_a_page_that_declares_the_wrong_charset_is_read_in_its_own(tmp_path, encoding, declared):
    text = "兩個率先" if encoding == "big5" else "老秘网_材夜思范文"
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={declared}">'
            f"<title>t</title></head><body><p>{text}</p></body></html>")
    path = tmp_path / "a.html"
    path.write_bytes(page.encode(encoding))
    assert [(status, body.strip(), warning) for _, status, body, warning in documents_of(path)] == [("ok", text, "")]


def test_a_page_that_declares_its_charset_rightly_is_read_in_it_when_the_bytes_fit_both(tmp_path):
    # The bytes of 某 in Big5 read as 琘 in GBK, a rarer character but not
    # by much: the declared encoding wins the close call.
    page = '<html><head><meta charset="big5"></head><body><p>    某</p></body></html>'
    path = tmp_path / "a.html"
    path.write_bytes(page.encode("big5"))
    assert [(status, body.strip(), warning) for _, status, body, warning in documents_of(path)] == [("ok", "某", "")]


def test_utf8_with_a_bad_byte_is_read_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(("两个率先。" * 300).encode("utf-8") + b"\xff")
    assert documents_of(path) == [
        ("a.txt", "ok", "两个率先。" * 300 + "\ufffd", "1 bytes that are not valid UTF-8 were replaced"),
    ]


def test_the_warning_is_a_column_of_documents_csv(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes("    某".encode("gbk"))
    (corpus / "b.txt").write_bytes("实现“两个率先”".encode("gbk"))
    run_corpus([corpus], tmp_path / "out")
    rows = read_table(tmp_path / "out" / "documents.csv", ("doc_id", "status", "warning"))
    assert [(Path(r["doc_id"]).name, r["status"], r["warning"]) for r in rows] == [
        ("a.txt", "ok", "the encoding is in doubt: read as Big5, but GB18030 reads the 6 bytes almost as well"),
        ("b.txt", "ok", ""),
    ]


# -- a stray quote whose run happens to end well-formed ------------------------


def test_a_stray_quote_that_closes_at_a_record_end_costs_only_its_row(tmp_path):
    # Row 2's quote opens a field and closes only at the end of line 5: read
    # strictly, lines 3-5 are one cell and the record has the header's three
    # fields.  Each of those lines is a row of its own with a year.
    path = tmp_path / "a.csv"
    path.write_text(
        "year,title,text\n"
        "2009,甲,推进改革开放\n"
        '2010,乙,"实现两个率先\n'
        "2011,丙,推进三去一降一补\n"
        "2012,丁,落实十二五规划\n"
        '2013,戊,全面深化改革"\n'
        "2014,己,四个全面\n",
        encoding="utf-8",
    )
    docs = list(iter_documents([path]))
    assert [(d.doc_id.rsplit("/", 1)[-1], d.year, d.title, d.text, d.status, d.warning) for d in docs] == [
        ("a.csv#1", 2009, "甲", "推进改革开放", "ok", ""),
        ("a.csv#2", None, "", "", "skipped: row 2 (line 3) has a quote that is not closed on its line "
                                  "but on line 6, over lines that are rows of their own", ""),
        ("a.csv#3", 2011, "丙", "推进三去一降一补", "ok", "line 4 read as a row of its own after the stray quote on line 3"),
        ("a.csv#4", 2012, "丁", "落实十二五规划", "ok", "line 5 read as a row of its own after the stray quote on line 3"),
        ("a.csv#5", 2013, "戊", '全面深化改革"', "ok", "line 6 read as a row of its own after the stray quote on line 3"),
        ("a.csv#6", 2014, "己", "四个全面", "ok", ""),
    ]


def test_a_quoted_cell_over_lines_with_commas_but_no_numbers_stays_one_cell(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('title,text\n甲,"第一段,两个率先\n第二段,四个全面"\n乙,推进改革\n', encoding="utf-8")
    assert [(d.status, d.text, d.warning) for d in iter_documents([path])] == [
        ("ok", "第一段,两个率先\n第二段,四个全面", ""), ("ok", "推进改革", ""),
    ]


# -- JSON Lines with raw control characters or cut short -----------------------


def test_jsonl_with_a_raw_tab_in_a_string_is_read_with_a_warning(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "两个\t率先", "year": 2001}\n', encoding="utf-8")
    assert documents_of(path) == [
        ("a.jsonl#1", "ok", "两个\t率先", "line 1 holds a raw control character (U+0009) in a string"),
    ]


def test_jsonl_record_broken_by_a_raw_line_break_is_joined_again(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "第一段\n第二段\n第三段", "year": 2002}\n{"text": "三个代表"}\n', encoding="utf-8")
    assert documents_of(path) == [
        ("a.jsonl#1", "ok", "第一段\n第二段\n第三段", "lines 1-3 read as one record: a string holds a raw line break"),
        ("a.jsonl#4", "ok", "三个代表", ""),
    ]


def test_jsonl_line_cut_short_costs_only_itself_and_the_last_one_says_the_file_ends(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "四个全面\n{"text": "五位一体"}\n{"text": "十四五', encoding="utf-8")
    assert documents_of(path) == [
        ("a.jsonl#1", "skipped: line 1 is not valid JSON (Unterminated string starting at column 10)", "", ""),
        ("a.jsonl#2", "ok", "五位一体", ""),
        ("a.jsonl#3", "skipped: line 3 is not valid JSON (Unterminated string starting at column 10): the file ends inside it",
         "", ""),
    ]


# -- other hostile shapes --------------------------------------------------------


def test_a_docx_zip_bomb_is_skipped_without_unpacking_it(tmp_path):
    # A real .docx whose body XML is padded with 20 MB of blanks inside a
    # comment: 20 KB packed, a thousand to one.
    real = tmp_path / "real.docx"
    book = docx.Document()
    book.add_paragraph("实现“两个率先”")
    book.save(real)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><!--" + b" " * 20_000_000 + b"-->", 1)
            dst.writestr(info.filename, data)
    assert statuses([real, bomb]) == [
        ("real.docx", "ok"),
        ("bomb.docx", "skipped: a ZIP bomb: word/document.xml would unpack to 20 MB from 0.0 MB"),
    ]


def test_a_file_that_vanishes_before_it_is_read_is_a_skip(tmp_path):
    (tmp_path / "a.txt").write_text("实现“两个率先”", encoding="utf-8")
    (tmp_path / "b.txt").write_text("坚持“四个全面”", encoding="utf-8")
    found = discover([tmp_path])
    (tmp_path / "a.txt").unlink()
    docs = [d for path, name in found for d in read_file(path, name)]
    assert [(Path(d.doc_id).name, d.status) for d in docs] == [
        ("a.txt", "skipped: cannot read the file (No such file or directory)"),
        ("b.txt", "ok"),
    ]


def test_a_nul_byte_in_a_text_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("标题：实现“两个率先”\x00的讲话\n实现“两个率先”。".encode("utf-8"))
    assert documents_of(path) == [("a.txt", "ok", "标题：实现“两个率先”\x00的讲话\n实现“两个率先”。", "holds 1 NUL byte")]


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib", "hex", "utf-7", "utf-32", "x-user-defined", "cp1252"])
def test_a_page_declaring_a_charset_that_is_no_text_encoding_is_read_in_its_own(tmp_path, charset):
    path = tmp_path / "a.html"
    path.write_bytes(f'<html><head><meta charset="{charset}"></head><body><p>实现两个率先</p></body></html>'.encode("gbk"))
    assert [(status, body.strip(), warning) for _, status, body, warning in documents_of(path)] == [
        ("ok", "实现两个率先", "")
    ]


@pytest.mark.parametrize("depth", [300, 5000])
def test_a_page_nested_deeper_than_the_html_parser_goes_keeps_its_text(tmp_path, depth):
    # 300 unclosed <font> tags used to cut the page at libxml2's 256 levels
    # (an "ok" document without its text); 5,000 exceed inscriptis's recursion.
    path = tmp_path / "a.html"
    path.write_text("<html><body><p>开头</p>" + "<font>x" * depth + "实现“两个率先”</body></html>", encoding="utf-8")
    [(name, status, body, warning)] = documents_of(path)
    assert (status, body.replace(" ", "").replace("\n", "")[-12:]) == ("ok", "xxxx实现“两个率先”")
    assert warning == ("" if depth == 300 else "the page is nested too deeply to lay out (read with its tags left out)")


SIMPLIFIED_CHARS = "两个率先四全面三去一降补改革开放发展高质量实现推进坚持的是在和了有人中国经济社会，。、“”：；！？ 0123456789\n"
TRADITIONAL_CHARS = "兩個率先四全面三去一降補改革開放發展高質量實現推進堅持的是在和了有人中國經濟社會，。、「」：；！？ 0123456789\n"


def has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), encoding=st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16-le", "utf-16-be", "big5"]))
def test_any_short_chinese_text_is_read_exactly_or_with_its_doubt(data, encoding):
    alphabet = TRADITIONAL_CHARS if encoding == "big5" else SIMPLIFIED_CHARS
    text = data.draw(st.text(alphabet=alphabet, min_size=1, max_size=12).filter(has_han))
    raw = text.encode(encoding)
    decoded, _ = decode_bytes(raw)
    assert decoded == text or sniff(raw)[1].startswith("the encoding is in doubt: ")


# -- a second round of hostile inputs: each once crashed, garbled or lost text --


def test_a_json_number_too_long_for_an_int_is_kept_as_its_digits(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": SPEECH})[:-1] + ', "n": ' + "9" * 5000 + "}\n", encoding="utf-8")
    [doc] = iter_documents([path])
    assert (doc.status, doc.text, doc.fields["n"]) == ("ok", SPEECH, "9" * 5000)
    run_corpus([path], tmp_path / "out")  # once a traceback: Python's int() refuses 4,300 digits
    assert document_statuses(tmp_path / "out") == [("a.jsonl#1", "ok")]


def test_a_lone_surrogate_in_a_json_string_is_replaced_with_a_warning(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "%s\\ud800", "title": "\\udc80题"}\n' % SPEECH, encoding="utf-8")
    run_corpus([path], tmp_path / "out")  # once a traceback: no UTF-8 table can hold a lone surrogate
    [row] = read_table(tmp_path / "out" / "documents.csv")
    assert (row["status"], row["title"], row["warning"]) == (
        "ok", "\ufffd题", "2 lone surrogates (\\ud800–\\udfff) replaced by U+FFFD")


def folder_with_a_name_not_utf8(tmp_path: Path, name: bytes) -> Path:
    """A folder holding a speech whose file name is ``name``'s bytes (skips
    the test where the file system refuses a name that is not UTF-8)."""
    folder = tmp_path / "in"
    folder.mkdir()
    try:
        (folder / os.fsdecode(name)).write_text(SPEECH, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses a name that is not UTF-8")
    return folder


def test_a_file_name_that_is_not_utf8_is_reported_with_its_bytes_escaped(tmp_path):
    folder = folder_with_a_name_not_utf8(tmp_path, b"bad\xffname.txt")
    run_corpus([folder], tmp_path / "out")
    assert document_statuses(tmp_path / "out") == [("bad\\xffname.txt", "ok")]


def test_an_empty_path_is_an_error_not_this_folder(tmp_path, run_cli):
    result = run_cli("run", "", "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "an empty path: name a file or folder (. for this folder)" in result.output
    assert not (tmp_path / "out" / "documents.csv").exists()


def test_utf32_with_a_byte_order_mark_is_utf32(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SPEECH.encode("utf-32"))  # its mark begins like UTF-16's: FF FE 00 00
    assert documents_of(path) == [("a.txt", "ok", SPEECH, "")]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_stray_byte_in_the_first_64kb_of_a_gbk_file_costs_only_its_row(tmp_path, suffix):
    good = [json.dumps({"text": SPEECH}, ensure_ascii=False) if suffix == ".jsonl" else f"{n},{SPEECH}"
            for n in range(3)]
    head = b"" if suffix == ".jsonl" else b"id,text\n"
    data = head + b"\n".join([good[0].encode("gbk"), b"\xff\xfe" + good[1].encode("gbk"), good[2].encode("gbk")]) + b"\n"
    path = tmp_path / f"a{suffix}"
    path.write_bytes(data)
    what = "row 2 (line 3)" if suffix == ".csv" else "line 2"
    assert statuses([path]) == [(f"a{suffix}#1", "ok"), (f"a{suffix}#2", f"skipped: {what} is not valid gb18030"),
                                (f"a{suffix}#3", "ok")]


def test_a_stray_byte_breaking_a_utf8_character_counts_once_against_the_limit(tmp_path):
    data = (SPEECH * 3).encode("utf-8")  # 396 bytes: one bad byte allowed
    path = tmp_path / "a.txt"
    path.write_bytes(data[:31] + b"\xff" + data[31:])  # inside a character: it and the broken one's bytes replaced
    [(_, status, text, warning)] = documents_of(path)
    assert (status, warning, text.count("两个率先")) == ("ok", "4 bytes that are not valid UTF-8 were replaced", 3)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv"])
def test_big5_whose_hong_kong_characters_come_after_the_sniffed_64kb_is_read(tmp_path, suffix):
    speech = "兩個率先，四個全面。"
    tail = "佢哋講嘢唔該。"  # HKSCS characters, not in plain Big5
    if suffix == ".txt":
        text = speech * 8000 + tail
    elif suffix == ".jsonl":
        text = "".join(json.dumps({"text": speech}, ensure_ascii=False) + "\n" for _ in range(5000))
        text += json.dumps({"text": speech + tail}, ensure_ascii=False) + "\n"
    else:
        text = "text\n" + f"{speech}\n" * 8000 + f"{speech}{tail}\n"
    path = tmp_path / f"a{suffix}"
    path.write_bytes(text.encode("big5hkscs"))
    docs = list(iter_documents([path]))
    assert all(d.status == "ok" for d in docs)
    assert docs[-1].text.endswith(tail)


def test_a_gbk_file_with_a_big5_part_after_64kb_is_read_with_a_warning(tmp_path):
    gbk = "我们要深化“放管服”改革，协调推进“四个全面”战略布局。\n" * 2400
    big5 = "我們要深化放管服改革，協調推進四個全面戰略佈局，推動經濟社會高質量發展。\n"
    path = tmp_path / "a.txt"
    path.write_bytes(gbk.encode("gbk") + big5.encode("big5"))
    [(_, status, text, warning)] = documents_of(path)
    assert (status, text[: len(gbk)]) == ("ok", gbk)
    assert warning == (f"characters {len(gbk) + 1:,}–{len(gbk) + 36:,} look garbled read as GB18030 (mostly rare "
                       "characters): part of the file may be in another encoding")


def test_traditional_text_in_big5_is_not_taken_for_garbled(tmp_path):
    text = "關於優先發展國營經濟、鼓勵和指導資本主義經濟轉變為國家資本主義經濟的規定。\n" * 3000
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("big5"))
    assert documents_of(path) == [("a.txt", "ok", text, "")]


@pytest.mark.parametrize("ends", ["\r", "\r\n"])
def test_jsonl_with_other_line_ends_reads_every_record(tmp_path, ends):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"title": f"文{n}", "text": SPEECH}, ensure_ascii=False) + ends
                            for n in range(5)), encoding="utf-8", newline="")
    assert [(d.doc_id.rsplit("/", 1)[-1], d.status, d.title) for d in iter_documents([path])] == [
        (f"a.jsonl#{n + 1}", "ok", f"文{n}") for n in range(5)]


def test_a_json_file_laid_out_over_lines_and_named_jsonl_is_read_whole(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps([{"title": "文1", "text": SPEECH}, {"title": "文2", "text": SPEECH}],
                               ensure_ascii=False, indent=2), encoding="utf-8")
    warning = "a JSON file laid out over lines, not JSON Lines: read whole"
    assert [(d.doc_id.rsplit("/", 1)[-1], d.status, d.title, d.warning) for d in iter_documents([path])] == [
        ("a.jsonl#1", "ok", "文1", warning), ("a.jsonl#2", "ok", "文2", warning)]


def test_a_jsonl_record_beginning_with_a_brace_line_is_still_read_line_by_line(tmp_path):
    path = tmp_path / "a.jsonl"
    record = json.dumps({"text": SPEECH}, ensure_ascii=False)
    path.write_text("{\n" + record + "\n" + record + "\n", encoding="utf-8")
    assert statuses([path]) == [("a.jsonl#1", "skipped: line 1 is not valid JSON (Expecting property name "
                                               "enclosed in double quotes at column 2)"),
                                ("a.jsonl#2", "ok"), ("a.jsonl#3", "ok")]


def test_two_json_objects_on_one_line_are_two_records(tmp_path):
    path = tmp_path / "a.jsonl"
    one, two = (json.dumps({"title": t, "text": SPEECH}, ensure_ascii=False) for t in ("文1", "文2"))
    path.write_text(f"{one} {two}\n", encoding="utf-8")
    warning = "line 1 holds 2 JSON objects: each read as a record"
    assert [(d.doc_id.rsplit("/", 1)[-1], d.title, d.warning) for d in iter_documents([path])] == [
        ("a.jsonl#1.1", "文1", warning), ("a.jsonl#1.2", "文2", warning)]


@pytest.mark.parametrize("head, delimiter", [("", ";"), ("sep=;\n", ";"), ("sep=|\n", "|"), ("", "\t")])
def test_a_csv_with_another_delimiter_is_read_by_it(tmp_path, head, delimiter):
    path = tmp_path / "a.csv"
    path.write_text(head + delimiter.join(["id", "title", "text"]) + "\n"
                    + "".join(delimiter.join([str(n), f"文{n}", SPEECH.replace("，", "、")]) + "\n" for n in range(3)),
                    encoding="utf-8")
    assert [(d.status, d.title, d.text) for d in iter_documents([path])] == [
        ("ok", f"文{n}", SPEECH.replace("，", "、")) for n in range(3)]


def test_a_field_named_like_a_formula_is_guarded_in_the_header(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": SPEECH, "=cmd|' /C calc'!A0": "x"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    run_corpus([path], tmp_path / "out")
    header = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(",'=cmd|' /C calc'!A0")  # shown as text, never run
    [row] = read_table(tmp_path / "out" / "documents.csv")
    assert row["=cmd|' /C calc'!A0"] == "x"  # read back under its own name


@pytest.mark.parametrize("keys", [("text ", "text"), ("text", "text ")])
def test_the_exact_text_key_wins_over_one_with_spaces(tmp_path, keys):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({keys[0]: "x" if keys[0] != "text" else SPEECH,
                                keys[1]: SPEECH if keys[1] == "text" else "x"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    [doc] = iter_documents([path])
    assert doc.text == SPEECH


@pytest.mark.parametrize("title, expected", [(["第一部分", "讲话"], "第一部分 讲话"), ({"a": 1}, ""), (None, ""), (2023, "2023")])
def test_a_title_that_is_not_a_string_is_never_its_python_repr(tmp_path, title, expected):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": title, "text": SPEECH}, ensure_ascii=False) + "\n", encoding="utf-8")
    [doc] = iter_documents([path])
    assert doc.title == expected


def test_a_json_object_with_a_text_and_a_list_of_documents_keeps_both(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": "前言：" + SPEECH, "documents": [{"text": SPEECH}]}, ensure_ascii=False),
                    encoding="utf-8")
    assert [(d.doc_id.rsplit("/", 1)[-1], d.text, d.warning) for d in iter_documents([path])] == [
        ("a.json", "前言：" + SPEECH, "the object's own text, read beside its list of documents"),
        ("a.json#1", SPEECH, ""),
    ]


def test_a_hidden_paragraph_is_not_taken_for_text_the_layout_lost(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(f'<html><body><p>{SPEECH}</p><div style="DISPLAY: none"><p>{"隐藏的菜单" * 40}</p></div>'
                    "</body></html>", encoding="utf-8")
    [(_, status, text, warning)] = documents_of(path)
    assert (status, text.strip(), warning) == ("ok", SPEECH, "")


@pytest.mark.parametrize("head", ["<!DOCTYPE html>\n", "\ufeff  <html lang=\"zh\">", "<?xml version=\"1.0\"?>\n<html>"])
def test_an_html_page_saved_as_txt_is_laid_out_as_a_page(tmp_path, head):
    page = (f'{head}<head><title>讲话</title><style>p {{color: red}}</style></head><body><p>{SPEECH}</p>'
            '<img src="a.jpg" width="800" height="534"></body></html>')
    path = tmp_path / "a.txt"
    path.write_text(page, encoding="utf-8")
    [(_, status, text, warning)] = documents_of(path)
    assert (status, text.strip(), warning) == ("ok", SPEECH, "an HTML page named like a text file: read as HTML")


def test_a_text_that_only_mentions_a_tag_stays_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"{SPEECH}\n网页用 <html> 标签开头。", encoding="utf-8")
    assert documents_of(path) == [("a.txt", "ok", f"{SPEECH}\n网页用 <html> 标签开头。", "")]


def test_hz_the_seven_bit_gb2312_of_old_mail_is_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SPEECH.encode("hz"))
    assert documents_of(path) == [("a.txt", "ok", SPEECH, "")]


def test_ascii_with_a_tilde_brace_stays_ascii(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The set ~{a, b} is closed.\n两个率先", encoding="utf-8")
    assert documents_of(path)[0][2] == "The set ~{a, b} is closed.\n两个率先"


@pytest.mark.parametrize("written, read_as", [("big5", "gb18030"), ("gbk", "big5"), ("utf-8", "gb18030")])
def test_each_kind_of_mojibake_is_told_from_text(written, read_as):
    from miner.io.read import garbled_part

    good = ("兩個率先，四個全面。" if read_as == "big5" else "两个率先，四个全面。") * 300
    speech = "我們要深化放管服改革，協調推進四個全面戰略佈局。\n" if written == "big5" else "我们要深化放管服改革，协调推进四个全面战略布局。\n"
    garbled = (speech * 3).encode(written).decode(read_as, errors="replace")
    warning = garbled_part(good + garbled, read_as)
    first = int(warning.removeprefix("characters ").split("–")[0].replace(",", ""))
    assert len(good) < first <= len(good) + 3 and warning.endswith(
        "look garbled read as " + {"gb18030": "GB18030", "big5": "Big5"}[read_as]
        + " (mostly rare characters): part of the file may be in another encoding")
    assert garbled_part(good + speech * 3, read_as) == ""


def test_a_text_file_opening_with_many_html_comments_is_read_at_once(tmp_path):
    # a pattern whose comments could split 2**n ways once took 19 s for 26 of them
    path = tmp_path / "a.md"
    path.write_text("<!-- x -->\n" * 60 + SPEECH, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", f"from miner.io.read import iter_documents; "
                             f"print(len(list(iter_documents([{str(path)!r}]))))"],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "1"


@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_an_xhtml_page_with_hidden_text_and_an_xml_declaration_is_read(tmp_path, suffix):
    path = tmp_path / f"a{suffix}"
    path.write_text('<?xml version="1.0" encoding="utf-8"?><html><body><p>实现两个率先</p>'
                    '<div style="display:none">隐藏的文字很多很多很多很多</div></body></html>', encoding="utf-8")
    [(_, status, text, _)] = documents_of(path)
    assert (status, "实现两个率先" in text) == ("ok", True)


def test_json_nested_deep_inside_a_record_is_no_crash(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "%s", "x": %s1%s}\n' % (SPEECH, "[" * 600, "]" * 600) + json.dumps({"text": SPEECH}) + "\n",
                    encoding="utf-8")
    assert statuses([path]) == [("a.jsonl#1", "ok"), ("a.jsonl#2", "ok")]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_utf32_rows_are_read_as_a_stream(tmp_path, suffix):
    lines = ["text"] + [SPEECH] * 40 if suffix == ".csv" else [json.dumps({"text": SPEECH}, ensure_ascii=False)] * 40
    path = tmp_path / f"a{suffix}"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-32"))
    docs = list(iter_documents([path]))
    assert [(d.status, d.text) for d in docs] == [("ok", SPEECH)] * 40


def test_two_files_whose_names_print_alike_stay_two_documents(tmp_path):
    folder = folder_with_a_name_not_utf8(tmp_path, b"a\xff.txt")
    (folder / "a\\xff.txt").write_text(SPEECH, encoding="utf-8")
    names = sorted(name.rsplit("/", 1)[-1] for _, name in discover([folder]))
    assert names == ["a\\xff.txt", "a\\xff.txt (2)"]
    for _ in range(2):  # and a second run reuses each once
        run_corpus([folder], tmp_path / "out")
        assert len(document_statuses(tmp_path / "out")) == 2


def test_json_objects_laid_out_one_after_another_are_each_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"title": t, "text": SPEECH}, ensure_ascii=False, indent=2) + "\n"
                            for t in ("文1", "文2")), encoding="utf-8")
    assert [(d.doc_id.rsplit("/", 1)[-1], d.status, d.title) for d in iter_documents([path])] == [
        ("a.jsonl#1", "ok", "文1"), ("a.jsonl#2", "ok", "文2")]


def test_jsonl_with_lone_cr_line_ends_and_a_bad_byte_loses_only_that_line(tmp_path):
    record = json.dumps({"text": SPEECH}, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "a.jsonl"
    path.write_bytes(record + b"\r" + record[:20] + b"\xff" + record[20:] + b"\r" + record + b"\r")
    assert [s for _, s in statuses([path])] == ["ok", "skipped: line 2 is not valid utf-8", "ok"]


def test_a_line_with_a_raw_tab_holding_two_objects_is_two_records(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "%s\t"} {"text": "%s"}\n' % (SPEECH, SPEECH), encoding="utf-8")
    assert [d.status for d in iter_documents([path])] == ["ok", "ok"]


def test_a_fifo_in_place_of_a_last_table_is_refused_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SPEECH, encoding="utf-8")
    run_corpus([corpus], tmp_path / "out")
    (tmp_path / "out" / "mentions.csv").unlink()
    os.mkfifo(tmp_path / "out" / "mentions.csv")
    result = run_in_subprocess("run", corpus, "-o", tmp_path / "out", "-n", "0", cwd=tmp_path)  # a hang fails by timeout
    assert result.returncode == 0 and "1 documents" in result.stdout


# -- a third round: what a second audit found -----------------------------------


def test_a_journal_naming_paths_outside_the_output_folder_moves_and_deletes_nothing(tmp_path, run_cli):
    from miner.io.publish import JOURNAL

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SPEECH, encoding="utf-8")
    run_corpus([corpus], tmp_path / "out")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "a").write_text("keep", encoding="utf-8")
    (tmp_path / "victim_file").write_text("keep", encoding="utf-8")
    (tmp_path / "out" / JOURNAL).write_text(json.dumps(
        {"staging": str(victim), "moves": [[str(tmp_path / "victim_file"), "grabbed.txt"]]}), encoding="utf-8")
    result = run_cli("top", "-d", str(tmp_path / "out"), "-n", "1")
    assert result.exit_code == 0 and "top 1 phrases" in result.output
    assert (victim / "a").read_text(encoding="utf-8") == "keep" and (tmp_path / "victim_file").exists()
    assert not (tmp_path / "out" / "grabbed.txt").exists()


@pytest.mark.parametrize("where", ["journal", "index"])
@pytest.mark.parametrize("content", ["[]", '"x"', '{"staging": 5}', '{"moves": "x"}',
                                     '{"format": 3, "files": {"a": "x"}, "tables": []}'])
def test_state_files_of_the_wrong_shape_are_no_traceback(tmp_path, run_cli, where, content):
    from miner.io.publish import JOURNAL
    from miner.io.state import STATE_DIR

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SPEECH, encoding="utf-8")
    run_corpus([corpus], tmp_path / "out")
    tables = (tmp_path / "out" / "mentions.csv").read_bytes()
    path = tmp_path / "out" / (JOURNAL if where == "journal" else f"{STATE_DIR}/index.json")
    path.write_text(content, encoding="utf-8")
    for args in (("top", "-d", str(tmp_path / "out")), ("run", str(corpus), "-o", str(tmp_path / "out"), "-n", "0")):
        result = run_cli(*args)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "mentions.csv").read_bytes() == tables


def test_a_folder_where_a_table_goes_stops_the_run_before_anything_moves(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SPEECH, encoding="utf-8")
    run_corpus([corpus], tmp_path / "out")
    phrases = (tmp_path / "out" / "phrases.csv").read_bytes()
    (tmp_path / "out" / "mentions.csv").unlink()
    (tmp_path / "out" / "mentions.csv").mkdir()
    (corpus / "b.txt").write_text("要落实“六稳六保”。", encoding="utf-8")
    result = run_cli("run", str(corpus), "-o", str(tmp_path / "out"), "-n", "0")
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {tmp_path / 'out' / 'mentions.csv'}: a folder stands where this table "
                                     "goes; move it away and run again")
    assert (tmp_path / "out" / "phrases.csv").read_bytes() == phrases  # the last tables, whole
    assert not list((tmp_path / "out").glob(".miner-publish*"))


@pytest.mark.parametrize("name, data, expected", [
    # NUL padding at the end, as a writer that died leaves it: the records before it stay
    ("pad.jsonl", (json.dumps({"text": SPEECH}, ensure_ascii=False) + "\n").encode() * 3 + b"\0" * 16,
     [("ok", "")] * 3),
    ("pad.txt", SPEECH.encode() + b"\0" * 512, [("ok", "ends in 512 NUL characters of padding, left out")]),
    # two NULs in a small CSV cost their row, not the file
    ("two.csv", b"title,text\n" + b"a,x\n".replace(b"x", SPEECH.encode()) + b"b\0\0," + SPEECH.encode() + b"\n"
     + b"c," + SPEECH.encode() + b"\n", [("ok", ""), ("skipped: row 2 (line 3) holds a NUL byte", ""), ("ok", "")]),
])
def test_a_few_nul_bytes_do_not_make_a_small_file_binary(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert [(d.status, d.warning) for d in iter_documents([path])] == expected


@pytest.mark.parametrize("page, text", [
    ("<p>推进<ruby>放<rt>fàng</rt>管<rt>guǎn</rt>服<rt>fú</rt></ruby>改革。</p>", "推进放管服改革。"),  # ruby without <rp>
    ("<p>推进<ruby>放<rp>(</rp><rt>fàng</rt><rp>)</rp></ruby>管服改革。</p>", "推进放管服改革。"),
    ("<frameset><frame src=a.html><noframes><body><p>落实“六稳六保”</p></body></noframes></frameset>", "落实“六稳六保”"),
    # what a page shows only where scripts do not run is no part of it
    ("<body><noscript>请开启“八项规定”脚本</noscript><p>落实“六稳六保”</p></body>", "落实“六稳六保”"),
])
def test_html_annotations_and_frames_give_the_text_alone(tmp_path, page, text):
    path = tmp_path / "a.html"
    path.write_text(f"<html>{page}</html>", encoding="utf-8")
    [(_, status, body, warning)] = documents_of(path)
    assert (status, body.strip(), warning) == ("ok", text, "")


def test_a_csv_naming_a_column_twice_keeps_both(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,text,text\n报告,坚持“四个全面”,践行“三严三实”\n", encoding="utf-8")
    [doc] = iter_documents([path])
    assert (doc.text, doc.fields, doc.warning) == (
        "坚持“四个全面”", {"text (2)": "践行“三严三实”"},
        "the header names text twice: the first is read as such, the next kept as text (2)")


def test_an_empty_text_field_gives_way_to_the_next_that_holds_the_text(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,text,content\n甲,,推进“放管服”改革\n乙,落实“六稳六保”,\n", encoding="utf-8")
    assert [(d.text, d.warning) for d in iter_documents([path])] == [
        ("推进“放管服”改革", "the text field 'text' is empty: 'content' read instead"), ("落实“六稳六保”", "")]


def _rewritten_docx(path: Path, change) -> Path:
    """A python-docx document holding SPEECH, each part passed through ``change(name, bytes)``."""
    plain = path.with_suffix(".plain")
    book = docx.Document()
    book.add_paragraph(SPEECH)
    book.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, change(item.filename, zin.read(item.filename)))
    return path


STRICT = {b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
          b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships"}


@pytest.mark.parametrize("kind", ["strict", "strict body", "macro-enabled", "template"])
def test_word_files_python_docx_will_not_open_are_read_from_their_xml(tmp_path, kind):
    def change(name: str, data: bytes) -> bytes:
        if kind.startswith("strict") and name.endswith((".xml", ".rels")):
            for old, new in STRICT.items():
                if kind == "strict" or name.endswith(".xml"):
                    data = data.replace(old, new)
        if kind in ("macro-enabled", "template") and name == "[Content_Types].xml":
            main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
            data = data.replace(main, b"application/vnd.ms-word.document.macroEnabled.main+xml" if kind == "macro-enabled"
                                else main.replace(b".document.main", b".template.main"))
        return data

    [doc] = iter_documents([_rewritten_docx(tmp_path / "a.docx", change)])
    assert (doc.status, doc.text) == ("ok", SPEECH)


def test_a_word_file_whose_text_is_pasted_in_another_format_says_so(tmp_path):
    chunk = b'<w:altChunk r:id="rIdHtml"/>'

    def change(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            data = re.sub(rb"<w:p>.*?</w:p>|<w:p .*?</w:p>", b"", data, count=1).replace(b"<w:body>", b"<w:body>" + chunk, 1)
        return data

    [doc] = iter_documents([_rewritten_docx(tmp_path / "a.docx", change)])
    assert doc.status == "skipped: its text is in 1 part pasted in another format (altChunk), which is not read"


def test_a_file_in_an_encoding_not_chinese_is_read_in_it_and_says_so(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(("日本政府は構造改革を推進する。私たちはこれを実現しなければならない。\n" * 3).encode("shift_jis"))
    run_corpus([path], tmp_path / "out")
    [row] = read_table(tmp_path / "out" / "documents.csv")
    assert (row["status"], row["warning"], row["chars"]) == (
        "ok", "read as Shift-JIS: the text is Japanese, not Chinese", 102)


def test_a_short_japanese_text_once_taken_for_utf16_is_read_as_japanese(tmp_path):
    path = tmp_path / "a.txt"
    text = "中国共産党中央委員会全体会議。四つの全面を推進する。私たちはこれを実現しなければならない。"
    path.write_bytes(text.encode("shift_jis"))
    assert documents_of(path) == [("a.txt", "ok", text, "read as Shift-JIS: the text is Japanese, not Chinese")]
