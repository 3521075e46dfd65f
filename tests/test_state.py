"""Incremental runs: only new and changed documents are mined, and the
tables come out exactly as a full run's."""

from __future__ import annotations

import json
import os

import pytest

from miner import pipeline
from miner.pipeline import PER_DOCUMENT_TABLES, TABLES, run_corpus
from miner.io.publish import LOCK_FILE
from miner.io.read import Fields
from miner.io.state import STATE_DIR

from _small_corpus import read_tables, write_corpus


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


def full_run(corpus, out, miner):
    """The tables of a run that mines everything, in a fresh folder."""
    run_corpus([corpus], out, miner=miner, workers=1, full=True)
    return read_tables(out)


def test_an_unchanged_corpus_is_reused_whole(tmp_path, corpus, slogan_miner):
    first = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    tables = read_tables(tmp_path / "out")
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (first.reused, first.mined) == (0, 7)
    assert (again.reused, again.mined) == (7, 0)
    assert read_tables(tmp_path / "out") == tables
    assert json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["reused"] == 7


def test_only_a_changed_file_is_mined_again(tmp_path, corpus, slogan_miner):
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    (corpus / "b_speech.txt").write_text("2020年讲话：统筹推进“五位一体”总体布局，落实“六保”任务。", encoding="utf-8")
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (6, 1)
    assert read_tables(tmp_path / "out") == full_run(corpus, tmp_path / "full", slogan_miner)
    assert "五位一体" in (tmp_path / "out" / "phrases.csv").read_text(encoding="utf-8-sig")


INPUTS = {"a_reports.jsonl", "b_speech.txt", "c_plenum.txt", "d_scan.pdf"}


@pytest.fixture
def hashed(monkeypatch):
    """The names of the input files hashed (the tables have a checksum of their own)."""
    from miner.io import state

    names, digest = [], state.file_digest
    monkeypatch.setattr(state, "file_digest", lambda path: names.append(os.path.basename(path)) or digest(path))
    return names


def test_an_unchanged_file_is_not_read_again_to_be_told_unchanged(tmp_path, corpus, slogan_miner, hashed,
                                                                   monkeypatch):
    from miner.io import state

    monkeypatch.setattr(state, "RACY_NS", 0)  # the corpus was written a moment ago
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert INPUTS <= set(hashed)
    hashed.clear()
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (7, 0)
    assert INPUTS.isdisjoint(hashed)
    # The same size and modification time, other bytes: the status change time
    # moved, so the file is read, and its one document mined again.
    speech = corpus / "b_speech.txt"
    before = speech.stat()
    speech.write_text(speech.read_text(encoding="utf-8").replace("六稳", "六保"), encoding="utf-8")
    os.utime(speech, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert speech.stat().st_size == before.st_size and speech.stat().st_mtime_ns == before.st_mtime_ns
    hashed.clear()
    changed = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (changed.reused, changed.mined) == (6, 1)
    assert INPUTS & set(hashed) == {"b_speech.txt"}
    assert read_tables(tmp_path / "out") == full_run(corpus, tmp_path / "full", slogan_miner)


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(tmp_path, corpus, slogan_miner, hashed):
    # Written a moment before the first run: a change in the same tick of a
    # coarse clock would not show in its times, so they are not trusted.
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    hashed.clear()
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (7, 0)
    assert INPUTS <= set(hashed)


def test_in_a_grown_file_only_the_new_documents_are_mined(tmp_path, corpus, slogan_miner):
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    with open(corpus / "a_reports.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"year": 2024, "content": "因地制宜发展新质生产力，推进“两个结合”。"}, ensure_ascii=False) + "\n")
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (7, 1)
    assert read_tables(tmp_path / "out") == full_run(corpus, tmp_path / "full", slogan_miner)


def test_a_deleted_file_drops_out(tmp_path, corpus, slogan_miner):
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    (corpus / "c_plenum.txt").unlink()
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (6, 0)
    tables = read_tables(tmp_path / "out")
    assert "c_plenum" not in tables["documents.csv"].decode("utf-8-sig")
    assert "六保" not in tables["phrases.csv"].decode("utf-8-sig")
    assert tables == full_run(corpus, tmp_path / "full", slogan_miner)
    index = json.loads((tmp_path / "out" / STATE_DIR / "index.json").read_text(encoding="utf-8"))
    assert sorted(name.rsplit("/", 1)[-1] for name in index["files"]) == ["a_reports.jsonl", "b_speech.txt", "d_scan.pdf"]
    assert len(list((tmp_path / "out" / STATE_DIR).glob("*.rec"))) == 3  # the deleted file's records are gone too


def test_tables_edited_since_are_rebuilt_from_the_saved_results(tmp_path, corpus, slogan_miner):
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    tables = read_tables(tmp_path / "out")
    (tmp_path / "out" / "mentions.csv").write_text("edited in a spreadsheet\n", encoding="utf-8")
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (7, 0)
    assert read_tables(tmp_path / "out") == tables


def test_unchanged_files_are_copied_around_a_changed_one(tmp_path, corpus, slogan_miner, monkeypatch):
    from miner import engines

    monkeypatch.setattr(engines, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(engines, "BATCH_CHARS", 100)
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=2)
    (corpus / "b_speech.txt").write_text("2020年讲话：统筹推进“五位一体”总体布局。", encoding="utf-8")
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=2)
    assert (again.reused, again.mined) == (6, 1)
    third = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=2)
    assert (third.reused, third.mined) == (7, 0)
    assert read_tables(tmp_path / "out") == full_run(corpus, tmp_path / "full", slogan_miner)


def test_the_tables_of_an_unchanged_corpus_are_taken_over_not_written(tmp_path, corpus, slogan_miner, monkeypatch):
    from miner.io import state

    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    kept = list(PER_DOCUMENT_TABLES)  # mentions, definitions, and the cleaned texts and document rows kept in the state
    inodes = {name: (tmp_path / "out" / name).stat().st_ino for name in kept}
    checked = []
    monkeypatch.setattr(state, "_table_digest", lambda path, digest=state._table_digest: checked.append(path) or digest(path))
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (7, 0)
    assert {name: (tmp_path / "out" / name).stat().st_ino for name in kept} == inodes
    assert len(checked) == len(kept)  # each checked once, when the state is opened; none hashed again
    index = json.loads((tmp_path / "out" / STATE_DIR / "index.json").read_text(encoding="utf-8"))
    assert all(index["tables"][name] == state._table_digest(tmp_path / "out" / name) for name in kept)
    assert read_tables(tmp_path / "out") == full_run(corpus, tmp_path / "full", slogan_miner)


def test_full_and_other_options_mine_everything_again(tmp_path, corpus, slogan_miner):
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1, full=True).mined == 7
    other = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1, fields=Fields(text="content"))
    assert (other.reused, other.mined) == (0, 7)


def test_a_failed_run_keeps_the_last_tables_and_state(tmp_path, corpus, slogan_miner, monkeypatch):
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    tables = read_tables(tmp_path / "out")
    (corpus / "b_speech.txt").write_text("统筹推进“五位一体”总体布局。", encoding="utf-8")

    def broken(result):
        raise RuntimeError("disk full")

    monkeypatch.setitem(pipeline.PER_DOCUMENT_TABLES, "broken.csv", (("x",), broken))
    monkeypatch.setattr(pipeline, "TABLES", TABLES + ("broken.csv",))
    with pytest.raises(RuntimeError, match="disk full"):
        run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    monkeypatch.undo()
    assert read_tables(tmp_path / "out") == tables
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TABLES + (STATE_DIR, "run.json", LOCK_FILE))
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (6, 1)


def test_cli_says_how_many_documents_it_reused(tmp_path, corpus, run_cli):
    first = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "-w", "1")
    assert first.exit_code == 0, first.output
    assert "unchanged" not in first.output
    again = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "-w", "1")
    assert again.output.splitlines()[1] == "7 documents unchanged (reused), 0 mined"
    assert again.output.startswith("6 documents (")  # in the tables, not mined this time
    full = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "-w", "1", "--full")
    assert "unchanged" not in full.output


def test_an_input_named_like_a_table_runs_again_and_again(tmp_path):
    from miner.pipeline import run_corpus

    corpus = tmp_path / "documents.csv"
    corpus.write_text("title,text\nA,要实现“两个率先”。\n", encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(3):
        run_corpus([corpus], out)
    assert "两个率先" in (out / "phrases.csv").read_text(encoding="utf-8-sig")


def test_a_long_cleaned_text_is_recorded_in_pieces_and_read_back_whole(tmp_path, corpus, slogan_miner, monkeypatch):
    from miner.io import state
    from miner.pipeline import TEXT_STREAM

    monkeypatch.setattr(state, "BODY_PIECE", 8)
    run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    tables, texts = read_tables(tmp_path / "out"), (tmp_path / "out" / TEXT_STREAM).read_bytes()
    assert max(map(len, texts.decode("utf-8-sig").splitlines())) > 100  # bodies of many pieces
    # Edited tables are rebuilt from the recorded results, the cleaned texts among them.
    (tmp_path / "out" / "mentions.csv").write_text("edited in a spreadsheet\n", encoding="utf-8")
    (tmp_path / "out" / TEXT_STREAM).write_text("edited\n", encoding="utf-8")
    again = run_corpus([corpus], tmp_path / "out", miner=slogan_miner, workers=1)
    assert (again.reused, again.mined) == (7, 0)
    assert read_tables(tmp_path / "out") == tables
    assert (tmp_path / "out" / TEXT_STREAM).read_bytes() == texts


def write_package(root):
    """A small package: pipeline imports a module of a subpackage, which imports one above it."""
    (root / "sub").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "slogans.txt").write_text("两个率先\n", encoding="utf-8")
    (root / "__init__.py").write_text('__version__ = "1"\n', encoding="utf-8")
    (root / "pipeline.py").write_text("from . import __version__\nfrom .sub.a import (\n    x,\n)\n", encoding="utf-8")
    (root / "sub" / "__init__.py").write_text('"""A subpackage."""\n', encoding="utf-8")
    (root / "sub" / "a.py").write_text("from ..b import y\nx = y\n", encoding="utf-8")
    (root / "b.py").write_text("import re\ny = 1\n", encoding="utf-8")
    (root / "c.py").write_text("from .b import y\n", encoding="utf-8")  # imported by nothing
    (root / "sub" / "d.py").write_text("z = 2\n", encoding="utf-8")  # imported by nothing


def test_the_code_fingerprint_follows_imports_into_and_out_of_subpackages(tmp_path):
    from miner.io.state import _imported_modules

    write_package(tmp_path)
    assert _imported_modules(tmp_path, "pipeline") == {"pipeline", "__init__", "sub.__init__", "sub.a", "b"}


def test_editing_an_imported_module_of_a_subpackage_changes_the_code_fingerprint(tmp_path, monkeypatch):
    from miner.io import state

    write_package(tmp_path)
    monkeypatch.setattr(state, "package_files", lambda: tmp_path)
    fingerprint = state.code_fingerprint.__wrapped__
    before = fingerprint()
    (tmp_path / "c.py").write_text("y = 3\n", encoding="utf-8")
    (tmp_path / "sub" / "d.py").write_text("z = 3\n", encoding="utf-8")
    assert fingerprint() == before  # modules mining does not import
    (tmp_path / "sub" / "a.py").write_text("from ..b import y\nx = y + 1\n", encoding="utf-8")
    after = fingerprint()
    assert after != before
    (tmp_path / "b.py").write_text("import re\ny = 2\n", encoding="utf-8")
    assert fingerprint() not in (before, after)
