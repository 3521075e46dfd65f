"""The tables ``miner run`` writes: UTF-8 with a BOM, readable by pandas,
Chinese intact, and counts that add up across the four tables."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import docx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miner.errors import TableError
from miner.pipeline import run_corpus
from miner.io.read import iter_documents
from miner.io.tables import (
    BY_YEAR_COLUMNS,
    DOCUMENT_COLUMNS,
    MENTION_COLUMNS,
    LONG_CELL,
    PHRASE_COLUMNS,
    TableWriter,
    field_column,
    guard_cell,
    read_table,
    write_table,
)

TABLES = {
    "documents.csv": DOCUMENT_COLUMNS,  # then the documents' fields (see check_tables)
    "mentions.csv": MENTION_COLUMNS,
    "phrases.csv": PHRASE_COLUMNS,
    "by_year.csv": BY_YEAR_COLUMNS,
}


def build_corpus(root: Path) -> Path:
    """Every format, three encodings, page chrome and five bad inputs."""
    corpus = root / "corpus"
    (corpus / "rows").mkdir(parents=True)
    (corpus / "a_gb.txt").write_bytes(
        "在全县经济工作会议上的讲话\n（2016年3月8日）\n同志们：要推进“三去一降一补”，实现“两个率先”。\n".encode("gb18030")
    )
    (corpus / "b_big5.txt").write_bytes(
        "在全區大會上的講話\n時間:2003-05-01\n同志們：要實現「兩個率先」，堅持「三個代表」重要思想。\n".encode("big5")
    )
    (corpus / "rows" / "c.jsonl").write_text(
        json.dumps({"title": "甲", "text": "落实“十四五”规划，实现“两个率先”。", "year": 2021}, ensure_ascii=False)
        + '\n{"title": "broken"\n'
        + json.dumps({"title": "乙", "content": "推进“工业服务年”活动。"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    (corpus / "rows" / "d.csv").write_text("title,body,date\n丙,坚持“四个全面”战略布局。,2016\n丁,只有两列\n", encoding="utf-8")
    (corpus / "e.html").write_text(
        '<html><head><meta charset="utf-8"><title>在全市大会上的讲话</title></head><body>\n'
        "<div>首页 | 下载 | 收藏 | 打印</div><div>发布时间：2016-03-08</div>\n"
        "<p>同志们：要全面落实“四个全面”战略布局，推进“三去一降一补”。</p>"
        "<div>Copyright © 2016 某某网 版权所有</div></body></html>",
        encoding="utf-8",
    )
    book = docx.Document()
    book.core_properties.title = "在2020年全县大会上的讲话"
    book.core_properties.author = "县委办公室"
    book.add_paragraph("同志们：要落实“六稳”“六保”任务。")
    book.save(corpus / "f.docx")
    (corpus / "g_png.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    (corpus / "h.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "i_empty.txt").write_bytes(b"")
    return corpus


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    corpus = build_corpus(root)
    summary = run_corpus([corpus], root / "out")
    return corpus, root / "out", summary


def load(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(out / name, keep_default_na=False, na_values=[""]) for name in TABLES}


def check_tables(inputs, out: Path) -> dict[str, pd.DataFrame]:
    """The invariants every run's tables satisfy; returns the tables."""
    for name, columns in TABLES.items():
        assert (out / name).read_bytes().startswith(codecs.BOM_UTF8), name
    t = load(out)
    read = list(iter_documents(inputs))
    # documents.csv: miner's columns, then every field of any document, in the order they first appear
    fields = tuple(dict.fromkeys(field_column(f) for d in read for f in d.fields))
    for name, columns in TABLES.items():
        assert tuple(t[name].columns) == columns + (fields if name == "documents.csv" else ()), name
    docs, mentions, phrases, by_year = (t[n] for n in TABLES)
    # every input document, readable or not, is one row
    originals = {d.doc_id: d.text for d in read}
    assert list(docs.doc_id) == list(originals)
    assert docs.doc_id.is_unique
    assert set(docs.status[docs.status != "ok"].str.slice(0, 9)) <= {"skipped: "}
    assert (docs.mentions.sum(), len(mentions)) == (phrases.total.sum(), phrases.total.sum())
    # every mention is its original surface, and its phrase is counted
    for m in mentions.itertuples():
        assert originals[m.doc_id][m.start : m.end] == m.surface
    assert set(mentions.phrase) == set(phrases.phrase)
    assert phrases.phrase.is_unique
    # per phrase: the counts by year and the undated mentions make the total
    dated = by_year.groupby("phrase")["count"].sum()
    undated = mentions[mentions.year.isna()].groupby("phrase").size()
    for p in phrases.itertuples():
        assert dated.get(p.phrase, 0) + undated.get(p.phrase, 0) == p.total
    ok = docs[docs.status == "ok"]
    year_chars = ok.groupby("year")["chars"].sum()
    for row in by_year.itertuples():
        assert row.year_chars == year_chars[row.year]
        assert row.per_10k == pytest.approx(round(row.count * 10_000 / row.year_chars, 4))
    for p in phrases.itertuples():
        assert p.per_10k == pytest.approx(round(p.total * 10_000 / ok.chars.sum(), 4))
    return t


def test_mixed_corpus_tables(mixed_run):
    corpus, out, summary = mixed_run
    t = check_tables([corpus], out)
    docs = t["documents.csv"]
    rows = [
        (Path(r.doc_id).relative_to(corpus).as_posix(), *(None if pd.isna(v) else v for v in r[2:]))
        for r in docs[["doc_id", "title", "year", "year_source", "status"]].itertuples()
    ]
    assert rows == [
        ("a_gb.txt", "在全县经济工作会议上的讲话", 2016, "text", "ok"),
        ("b_big5.txt", "在全区大会上的讲话", 2003, "header", "ok"),
        ("e.html", "在全市大会上的讲话", 2016, "header", "ok"),
        ("f.docx", "在2020年全县大会上的讲话", 2020, "title", "ok"),
        ("g_png.txt", None, None, None, "skipped: a PNG image, not text"),
        ("h.pdf", None, None, None, "skipped: a damaged or invalid PDF (PDFium: Data format error)"),
        ("i_empty.txt", None, None, None, "skipped: empty file"),
        ("rows/c.jsonl#1", "甲", 2021, "field", "ok"),
        ("rows/c.jsonl#2", None, None, None, "skipped: line 2 is not valid JSON (Expecting ',' delimiter at column 19)"),
        ("rows/c.jsonl#3", "乙", None, None, "ok"),
        ("rows/d.csv#1", "丙", 2016, "field", "ok"),
        ("rows/d.csv#2", None, None, None, "skipped: row 2 has 2 fields, the header has 3"),
    ]
    assert (summary.documents, summary.skipped, summary.mentions) == (7, 5, 13)


def test_mixed_corpus_mentions_and_phrases(mixed_run):
    corpus, out, _ = mixed_run
    t = load(out)
    mentions = t["mentions.csv"]
    assert [
        (Path(m.doc_id).name, m.phrase, m.surface, m.kind) for m in mentions.itertuples()
    ] == [
        ("a_gb.txt", "三去一降一补", "三去一降一补", "numbered+quoted"),
        ("a_gb.txt", "两个率先", "两个率先", "numbered+quoted"),
        ("b_big5.txt", "两个率先", "兩個率先", "numbered+quoted"),
        ("b_big5.txt", "三个代表", "三個代表", "numbered+quoted"),
        ("e.html", "四个全面", "四个全面", "numbered+quoted"),
        ("e.html", "三去一降一补", "三去一降一补", "numbered+quoted"),
        ("f.docx", "六稳六保", "六稳”“六保", "numbered+quoted"),  # written in two quotes: also one slogan
        ("f.docx", "六稳", "六稳", "numbered+quoted"),
        ("f.docx", "六保", "六保", "numbered+quoted"),
        ("c.jsonl#1", "十四五", "十四五", "numbered+quoted"),
        ("c.jsonl#1", "两个率先", "两个率先", "numbered+quoted"),
        ("c.jsonl#3", "工业服务年", "工业服务年", "quoted"),
        ("d.csv#1", "四个全面", "四个全面", "numbered+quoted"),
    ]
    phrases = t["phrases.csv"].set_index("phrase")
    assert phrases.loc["两个率先", ["total", "documents", "first_year", "last_year", "variants"]].tolist() == [
        3, 3, 2003, 2021, "两个率先 | 兩個率先",
    ]
    assert pd.isna(phrases.loc["工业服务年", "first_year"])  # only in an undated document
    by_year = t["by_year.csv"]
    assert by_year[by_year.phrase == "两个率先"][["year", "count", "year_chars"]].values.tolist() == [
        [2003, 1, 36], [2016, 1, 93], [2021, 1, 19],
    ]


def test_chrome_is_counted_in_documents_csv(mixed_run):
    _, out, _ = mixed_run
    docs = load(out)["documents.csv"].set_index(keys="title")
    # 时间:2003-05-01 / 首页 | 下载 | 收藏 | 打印, 发布时间 and the copyright line (split at its space)
    assert docs.loc["在全区大会上的讲话", ["stripped_lines", "stripped_chars"]].tolist() == [1, 13]
    assert docs.loc["在全市大会上的讲话", ["stripped_lines", "stripped_chars"]].tolist() == [4, 55]
    assert docs.loc["在全县经济工作会议上的讲话", ["stripped_lines", "stripped_chars"]].tolist() == [0, 0]


def test_run_json(mixed_run):
    _, out, _ = mixed_run
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (run["documents"], run["skipped"], run["mentions"], run["phrases"]) == (7, 5, 13, 9)


def test_seed_tables(seeds_dir, tmp_path):
    run_corpus([seeds_dir], tmp_path)
    t = check_tables([seeds_dir], tmp_path)
    assert list(t["documents.csv"].status) == ["ok"] * 5
    assert list(t["documents.csv"].year) == [2023, 2025, 2022, 2023, 2020]
    assert "争创*首善之区" in set(t["phrases.csv"].phrase)  # traditional, masked, counted simplified


def test_sample_corpus_tables(sample_dir, tmp_path):
    run_corpus([sample_dir], tmp_path)
    t = check_tables([sample_dir], tmp_path)
    assert t["documents.csv"].year.notna().all()


def test_national_report_tables(gov_reports, tmp_path):
    run_corpus([gov_reports], tmp_path)
    t = check_tables([gov_reports], tmp_path)
    assert len(t["documents.csv"]) == 72 and t["documents.csv"].year.notna().all()


# -- writing and reading tables -------------------------------------------------


def test_write_and_read_back(tmp_path):
    path = write_table(
        tmp_path / "phrases.csv",
        PHRASE_COLUMNS,
        [
            {"phrase": "两个率先", "kind": "numbered", "total": 3, "documents": 2, "first_year": 2003,
             "last_year": None, "per_10k": 1.5, "rule": "lexicon", "variants": "两个率先 | 兩個率先", "score": 1.0,
             "evidence": "known recurs"},
            ("「引号」,逗号\n换行", "quoted", 1, 1, None, None, 0.25, "quoted", "", 0.45, ""),
        ],
    )
    assert path.read_bytes().startswith(codecs.BOM_UTF8 + b"phrase,kind,total")
    assert list(read_table(path, ("phrase", "total"))) == [
        {"phrase": "两个率先", "kind": "numbered", "total": 3, "documents": 2, "first_year": 2003,
         "last_year": None, "per_10k": 1.5, "rule": "lexicon", "variants": "两个率先 | 兩個率先", "score": 1.0,
         "evidence": "known recurs"},
        {"phrase": "「引号」,逗号\n换行", "kind": "quoted", "total": 1, "documents": 1, "first_year": None,
         "last_year": None, "per_10k": 0.25, "rule": "quoted", "variants": "", "score": 0.45, "evidence": ""},
    ]
    frame = pd.read_csv(path)
    assert frame.columns[0] == "phrase" and frame.phrase[1] == "「引号」,逗号\n换行"


_CELL = st.one_of(
    st.none(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet='ab两,"\r\n \t=\'-', max_size=12),
    # long cells, written by TableWriter itself rather than by the csv module
    st.builds(lambda piece, times: piece * times, st.text(alphabet='两,"\r\n=\'', min_size=1, max_size=5),
              st.integers(LONG_CELL // 5 + 1, LONG_CELL)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=4))
def test_table_writer_writes_what_the_csv_module_writes(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("rows") / "t.csv"
    with TableWriter(path, ("a", "b", "c")) as writer:
        writer.write_many(rows)
    expected = io.StringIO()
    csv.writer(expected).writerows([("a", "b", "c")] + [["" if v is None else guard_cell(v) for v in r] for r in rows])
    assert path.read_bytes() == codecs.BOM_UTF8 + expected.getvalue().encode("utf-8")


def _rows_at(path: Path, rows: list[tuple]) -> list[tuple[int, int]]:
    """Write ``rows`` into table ``path`` one at a time; where each one is."""
    spans = []
    with TableWriter(path, ("a", "b")) as writer:
        for row in rows:
            start = writer.tell()
            writer.write(row)
            spans.append((start, writer.tell() - start))
    return spans


def test_a_table_copied_whole_and_in_order_is_linked_not_written(tmp_path):
    base = tmp_path / "base.csv"
    spans = _rows_at(base, [("两个率先", 1), ("四个全面", 2), ("六稳", 3)])
    with TableWriter(tmp_path / "new.csv", ("a", "b"), base=base) as writer:
        for offset, length in spans:
            writer.copy(base, offset, length)
        assert writer.tell() == base.stat().st_size
    assert writer.carried
    assert (tmp_path / "new.csv").stat().st_ino == base.stat().st_ino


@pytest.mark.parametrize("plan", ["tail", "new row", "reordered", "other header"])
def test_a_table_that_departs_from_its_base_is_written_with_the_rows_taken_so_far(tmp_path, plan):
    base = tmp_path / "base.csv"
    spans = _rows_at(base, [("两个率先", 1), ("四个全面", 2), ("六稳", 3)])
    columns = ("a", "c") if plan == "other header" else ("a", "b")
    with TableWriter(tmp_path / "new.csv", columns, base=base) as writer:
        order = [spans[0], spans[2], spans[1]] if plan == "reordered" else spans[:2]
        for offset, length in order:
            writer.copy(base, offset, length)
        if plan == "new row":
            writer.write(("六保", 4))
    head = "\ufeff" + ",".join(columns) + "\r\n"
    rows = {"tail": "两个率先,1\r\n四个全面,2\r\n", "new row": "两个率先,1\r\n四个全面,2\r\n六保,4\r\n",
            "reordered": "两个率先,1\r\n六稳,3\r\n四个全面,2\r\n", "other header": "两个率先,1\r\n四个全面,2\r\n"}
    assert not writer.carried
    assert (tmp_path / "new.csv").read_bytes().decode("utf-8") == head + rows[plan]
    assert (tmp_path / "new.csv").stat().st_ino != base.stat().st_ino


def test_a_table_given_up_by_a_failing_run_copies_nothing_out(tmp_path):
    base = tmp_path / "base.csv"
    spans = _rows_at(base, [("两个率先", 1), ("四个全面", 2)])
    with pytest.raises(KeyboardInterrupt):
        with TableWriter(tmp_path / "new.csv", ("a", "b"), base=base) as writer:
            writer.copy(base, *spans[0])
            raise KeyboardInterrupt
    assert not (tmp_path / "new.csv").exists() and not writer.carried


def test_read_table_errors(tmp_path):
    with pytest.raises(TableError) as info:
        list(read_table(tmp_path / "phrases.csv"))
    assert str(info.value) == f"{tmp_path / 'phrases.csv'}: not found; run `miner run CORPUS -o {tmp_path}` first"
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TableError) as info:
        list(read_table(tmp_path / "x.csv", ("phrase", "total")))
    assert str(info.value) == f"{tmp_path / 'x.csv'}: missing column(s) phrase, total; is it a table written by `miner run`?"


def test_a_table_saved_again_by_pandas_reads_back(mixed_run, tmp_path):
    _, out, _ = mixed_run
    mentions = pd.read_csv(out / "mentions.csv")  # undated mentions make `year` a float column
    assert mentions.year.dtype == float
    mentions.to_csv(tmp_path / "mentions.csv", index=False)
    years = [r["year"] for r in read_table(tmp_path / "mentions.csv")]
    assert years == [2016, 2016, 2003, 2003, 2016, 2016, 2020, 2020, 2020, 2021, 2021, None, 2016]


def test_read_table_refuses_what_it_cannot_read(tmp_path):
    (tmp_path / "gbk.csv").write_bytes("phrase,total\n两个率先,3\n".encode("gbk"))
    with pytest.raises(TableError) as info:
        list(read_table(tmp_path / "gbk.csv"))
    assert str(info.value) == (
        f"{tmp_path / 'gbk.csv'}: not UTF-8 (saved again by another program?); run `miner run CORPUS -o {tmp_path}` again"
    )
    (tmp_path / "bad.csv").write_text("phrase,total,per_10k\n两个率先,3,1.5\n三个代表,3,很多\n", encoding="utf-8")
    with pytest.raises(TableError) as info:
        list(read_table(tmp_path / "bad.csv"))
    assert str(info.value) == (
        f"{tmp_path / 'bad.csv'}, line 3: per_10k is '很多', not a number; run `miner run CORPUS -o {tmp_path}` again"
    )
