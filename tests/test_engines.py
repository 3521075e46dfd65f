"""Every engine gives the same tables: one process, worker processes, Dask.

The local pool only starts for corpora of some size, so the small corpus is
run with the thresholds lowered to force a pool and many small batches.
"""

from __future__ import annotations

import os
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miner import engines
from miner.engines import map_documents
from miner.errors import InputError, MinerError
from miner.pipeline import TABLES, mine_document, run_corpus
from miner.types import Document

from _small_corpus import read_tables, write_corpus

@pytest.fixture
def small_pool(monkeypatch):
    """Start the pool however little there is, and cut batches of ~one document."""
    monkeypatch.setattr(engines, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(engines, "BATCH_CHARS", 100)
    monkeypatch.setattr(engines, "DASK_BATCH_CHARS", 300)


@pytest.fixture(scope="module")
def dask_scheduler():
    """A two-worker local Dask cluster for the module; its scheduler's address."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def test_workers_and_dask_write_the_same_tables_as_one_process(tmp_path, small_pool, slogan_miner, dask_scheduler):
    corpus = write_corpus(tmp_path / "corpus")
    runs = {
        "one": dict(workers=1),
        "two": dict(workers=2),
        "dask": dict(engine="dask", scheduler=dask_scheduler),
    }
    tables = {}
    for name, options in runs.items():
        summary = run_corpus([corpus], tmp_path / name, miner=slogan_miner, **options)
        assert (summary.documents, summary.skipped, summary.mined) == (6, 1, 7)
        tables[name] = read_tables(tmp_path / name)
    assert tables["two"] == tables["one"]
    assert tables["dask"] == tables["one"]
    assert "两个率先" in tables["one"]["phrases.csv"].decode("utf-8-sig")


def test_national_reports_are_byte_identical_on_every_engine(tmp_path, gov_reports, slogan_miner, dask_scheduler):
    runs = {"one": dict(workers=1), "two": dict(workers=2), "dask": dict(engine="dask", scheduler=dask_scheduler)}
    tables = {}
    for name, options in runs.items():
        run_corpus([gov_reports], tmp_path / name, miner=slogan_miner, **options)
        tables[name] = read_tables(tmp_path / name)
    assert sorted(tables["one"]) == sorted(TABLES)  # every table a run writes, not a few
    for name in TABLES:
        assert tables["two"][name] == tables["one"][name], name
        assert tables["dask"][name] == tables["one"][name], name


# Files opened in this process while ``_OPENS["watch"]`` is set: an audit hook
# cannot be removed, so it is installed once and records only while asked to.
_OPENS: dict = {"watch": None, "opened": []}


def _record_opens(event: str, args: tuple) -> None:
    if event == "open" and _OPENS["watch"] and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if path.startswith(_OPENS["watch"]):
            _OPENS["opened"].append(path)


sys.addaudithook(_record_opens)


@pytest.fixture
def opens_under():
    """Record the files this process opens under a folder: ``opens_under(folder)`` starts, the list fills."""
    def watch(folder):
        _OPENS["watch"], _OPENS["opened"] = os.fspath(folder), []
        return _OPENS["opened"]

    yield watch
    _OPENS["watch"] = None


def test_dask_workers_read_the_files_and_this_process_opens_none(tmp_path, slogan_miner, dask_scheduler,
                                                                  opens_under):
    corpus = write_corpus(tmp_path / "corpus")
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    opened, advanced = opens_under(corpus), []
    summary = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler,
                         progress=advanced.append)
    assert opened == []
    assert advanced == [1, 1, 1, 1]  # the progress bar moves a file at a time
    assert (summary.documents, summary.skipped, summary.mined, summary.reused) == (6, 1, 7, 0)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")
    # A rerun: the workers find every file unchanged and read none of it again.
    again = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert (again.mined, again.reused) == (0, 7)
    # One changed line: only that document is mined; the tables follow the change.
    lines = (corpus / "a_reports.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("科学发展观", "“四个全面”")
    (corpus / "a_reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    opened.clear()
    changed = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert opened == []
    assert (changed.mined, changed.reused) == (1, 6)
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")


def test_dask_workers_read_the_files_in_the_formulas_pass_too(tmp_path, slogan_miner, dask_scheduler, opens_under,
                                                               small_pool, monkeypatch):
    from miner.io.tables import read_table

    corpus = write_corpus(tmp_path / "corpus")
    # formulas even in so small a corpus, whose texts repeat (each phrase always has the same neighbours)
    options = {"min_count": 4, "min_entropy": 0.0, "min_score": 0.0}
    monkeypatch.setattr(engines, "RANGE_BYTES", 300)  # a_reports.jsonl is read in byte ranges
    ranged = []

    class Counted(engines._RangedFile):
        def __init__(self, runner, task, size):
            super().__init__(runner, task, size)
            ranged.append((task.name.rsplit("/", 1)[-1], len(self.scans), runner.state))

    monkeypatch.setattr(engines, "_RangedFile", Counted)
    one = run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1, formulas=options)
    two = run_corpus([corpus], tmp_path / "two", miner=slogan_miner, workers=2, formulas=options)
    opened = opens_under(corpus)
    dask = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler,
                      formulas=options)
    assert opened == []  # in neither pass
    parts = -(-(corpus / "a_reports.jsonl").stat().st_size // 300)
    # mined with its counts for the state, then located with counts that stay on the cluster
    assert ranged == [("a_reports.jsonl", parts, True), ("a_reports.jsonl", parts, False)]
    assert (dask.documents, dask.skipped, dask.mined) == (one.documents, one.skipped, one.mined) == (6, 1, 7)
    assert dask.formulas == two.formulas == one.formulas
    names = (*TABLES, "formulas.csv", "formulas_by_year.csv")
    for name in names:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    # The second pass ran: formulas counted in every file, and their mentions written.
    totals = {r["phrase"]: r["total"] for r in read_table(tmp_path / "dask" / "formulas.csv")}
    assert (totals["推进"], totals["重要思想"]) == (15, 6)
    located = [r for r in read_table(tmp_path / "dask" / "mentions.csv") if r["kind"] == "formula"]
    assert len(located) == 6


def test_dask_workers_keep_the_formula_texts_and_send_this_process_samples(tmp_path, slogan_miner, dask_scheduler,
                                                                          monkeypatch):
    from miner import pipeline

    corpus = write_corpus(tmp_path / "corpus")
    # a sample of 300 characters: less than the corpus, so the samples merged leave documents out
    options = {"min_count": 4, "min_entropy": 0.0, "min_score": 0.0, "sample_chars": 300}
    monkeypatch.setattr(engines, "RANGE_BYTES", 300)  # a_reports.jsonl is read in byte ranges, each sampled
    names = (*TABLES, "formulas.csv", "formulas_by_year.csv")
    texts, samples, add, merge = [], [], pipeline._TableSink.add, pipeline.FormulaStage.merge

    def watched_add(self, name, key, result):
        texts.append(len(result.formula_text))
        return add(self, name, key, result)

    def watched_merge(self, sample):
        samples.append((sample.seen, len(sample.documents())))
        return merge(self, sample)

    monkeypatch.setattr(pipeline._TableSink, "add", watched_add)
    monkeypatch.setattr(pipeline.FormulaStage, "merge", watched_merge)

    def same_as_one_process(out, summary):
        fresh = run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1, formulas=options, full=True)
        assert summary.formulas == fresh.formulas and fresh.formulas.listed
        for name in names:
            assert (out / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name

    one = run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1, formulas=options)
    assert len(texts) == 7 and sum(texts) > 300 and samples == []  # one process samples the texts it is sent
    texts.clear()
    dask = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler,
                      formulas=options)
    # The workers send each file's sample (the PDF's of no text) and no text: 3 of the 4 reports fit in one.
    assert texts == [0] * 7 and sorted(samples) == [(0, 0), (1, 1), (1, 1), (4, 3)]
    assert dask.formulas == one.formulas
    same_as_one_process(tmp_path / "dask", dask)
    # A rerun takes every file over with the sample the state kept of it.
    texts.clear(), samples.clear()
    again = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler,
                       formulas=options)
    assert (again.mined, again.reused, texts, sorted(samples)) == (0, 7, [], [(0, 0), (1, 1), (1, 1), (4, 3)])
    same_as_one_process(tmp_path / "dask", again)
    # A changed file is mined whole: the sample of it needs every document's text.
    lines = (corpus / "a_reports.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("科学发展观", "“四个全面”")
    (corpus / "a_reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler,
                         formulas=options)
    assert (changed.mined, changed.reused) == (4, 3)
    same_as_one_process(tmp_path / "dask", changed)
    # So is it by one process over what Dask left, whose records of the file lack the texts.
    lines[2] = lines[2].replace("项目推进年", "“放管服”")
    (corpus / "a_reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, workers=1, formulas=options)
    assert (local.mined, local.reused) == (4, 3)
    same_as_one_process(tmp_path / "dask", local)


def test_dask_merges_the_formula_counts_on_the_cluster_and_sends_this_process_one(tmp_path, slogan_miner,
                                                                                 dask_scheduler, monkeypatch):
    from miner.analysis.count import PhraseCounts
    from miner.extract.formulas import FormulaTotals

    corpus = write_corpus(tmp_path / "corpus")
    options = {"min_count": 4, "min_entropy": 0.0, "min_score": 0.0}
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1, formulas=options)
    merges, adds, trees = [], [], []
    merge, add, tree_merge = PhraseCounts.merge, FormulaTotals.add, engines._CountTree._merge

    def counted_merge(self, other):  # the documents of both sides, and the mentions added
        merges.append((self.documents + self.skipped, other.documents + other.skipped, other.mentions))
        return merge(self, other)

    def counted_add(self, year, counts):
        adds.append(year)
        return add(self, year, counts)

    def counted_tree_merge(self, nodes):
        trees.append(len(nodes))
        return tree_merge(self, nodes)

    # in this process only, not on the workers
    monkeypatch.setattr(PhraseCounts, "merge", counted_merge)
    monkeypatch.setattr(FormulaTotals, "add", counted_add)
    monkeypatch.setattr(engines._CountTree, "_merge", counted_tree_merge)
    monkeypatch.setattr(engines, "SPLIT_EVERY", 2)
    run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler,
               formulas=options)
    # Each pass's four files are counted on the workers and merged two by two
    # there; this process counts no document of the second pass, and merges
    # once per pass: the counts of all 7 documents into none of its own, then
    # the formulas' 6 mentions into the run's counts.
    assert trees == [2, 2, 2] * 2
    assert adds == []
    assert merges == [(7, 0, 0), (7, 0, 6)]
    names = (*TABLES, "formulas.csv", "formulas_by_year.csv")
    for name in names:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


class _Now:
    """A stand-in for a Dask client that runs each task at once."""

    def submit(self, fn, *args, pure=True):
        from types import SimpleNamespace

        value = fn(*(a.result() for a in args))
        return SimpleNamespace(result=lambda: value)


def _ready(value):
    from types import SimpleNamespace

    return SimpleNamespace(result=lambda: value)


def _scored(doc_id, scores, year=2016):
    from miner.types import DocResult, Mention

    mentions = tuple(Mention(doc_id, year, "放管服", "放管服", "quoted", "quoted", i, i + 3, 0, 0, "放管服",
                             score, ()) for i, score in enumerate(scores))
    return DocResult(Document(doc_id, f"{doc_id}.txt", "", year=year), 100, 0, 0, mentions)


def test_counts_merged_in_a_tree_give_the_score_of_one_pass(monkeypatch):
    from miner.analysis.count import count_phrases

    # Added one by one, 0.8 + 0.95 + 0.35 + 0.2 + 0.6 is 2.9000000000000004;
    # as two parts, 2.9: unrounded, the phrase's score came out 0.87 one way
    # and 0.86 the other; the sum taken to the scores' decimals gives 0.86
    # (0.1 of it for recurring in five documents).
    results = [_scored(f"d{i}", [s]) for i, s in enumerate([0.8, 0.95, 0.35, 0.2, 0.6])]
    one = count_phrases(results).phrase_rows()
    assert one[0]["score"] == 0.86
    monkeypatch.setattr(engines, "SPLIT_EVERY", 2)
    tree = engines._CountTree(_Now())
    for part in (results[:2], results[2:]):
        tree.add(_ready(count_phrases(part)))
    assert tree.merges == 1
    assert tree.total().result().phrase_rows() == one


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.integers(0, 100).map(lambda n: n / 100), min_size=0, max_size=4), min_size=1,
                  max_size=24),
    years=st.lists(st.sampled_from([None, 2015, 2016, 2019]), min_size=24, max_size=24),
    cuts=st.lists(st.integers(1, 24), max_size=6),
    split=st.integers(2, 5),
)
def test_any_tree_of_merges_equals_one_pass(docs, years, cuts, split):
    from miner.analysis.count import count_phrases

    results = [_scored(f"d{i}", scores, years[i]) for i, scores in enumerate(docs)]
    one = count_phrases(results)
    bounds = sorted({0, len(results), *(c for c in cuts if c < len(results))})
    engines_split = engines.SPLIT_EVERY
    engines.SPLIT_EVERY = split
    try:
        tree = engines._CountTree(_Now())
        for a, b in zip(bounds, bounds[1:]):
            tree.add(_ready(count_phrases(results[a:b])))
        tree.add(_ready(None))  # a file counted elsewhere
        total = tree.total().result()
    finally:
        engines.SPLIT_EVERY = engines_split
    assert total.phrase_rows() == one.phrase_rows()
    assert total.by_year_rows() == one.by_year_rows()
    assert (total.documents, total.mentions, total.chars) == (one.documents, one.mentions, one.chars)


def test_dask_merges_the_counts_on_the_cluster_and_sends_this_process_one(tmp_path, slogan_miner, dask_scheduler,
                                                                         monkeypatch):
    from miner.analysis.count import PhraseCounts

    corpus = write_corpus(tmp_path / "corpus")
    one = run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    merges, trees = [], []
    merge, tree_merge = PhraseCounts.merge, engines._CountTree._merge

    def counted_merge(self, other):  # the documents of both sides
        merges.append((self.documents + self.skipped, other.documents + other.skipped))
        return merge(self, other)

    def counted_tree_merge(self, nodes):
        trees.append(len(nodes))
        return tree_merge(self, nodes)

    monkeypatch.setattr(PhraseCounts, "merge", counted_merge)  # in this process only, not on the workers
    monkeypatch.setattr(engines._CountTree, "_merge", counted_tree_merge)
    monkeypatch.setattr(engines, "SPLIT_EVERY", 2)
    summary = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    # Four files' counts merged two by two on the cluster: this process gets
    # them as one, of all 7 documents, and has none of its own to add.
    assert trees == [2, 2, 2]
    assert merges == [(7, 0)]
    assert (summary.documents, summary.skipped, summary.mentions) == (6, 1, one.mentions) == (6, 1, 71)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")
    # One document changed: its file, with reused documents, is counted here;
    # the three unchanged ones are taken from the state, and the cluster has nothing to send.
    lines = (corpus / "a_reports.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("科学发展观", "“四个全面”")
    (corpus / "a_reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    merges.clear()
    changed = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert (changed.mined, changed.reused) == (1, 6)
    assert merges == [(0, 4), (4, 1), (5, 1), (6, 1)]
    merges.clear()
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")
    # The state keeps the counts the workers sent: a rerun takes every file over unchanged.
    again = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert (again.mined, again.reused) == (0, 7)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")


def test_dask_progress_bar_ends_with_every_file_done(tmp_path, run_cli, dask_scheduler):
    corpus = write_corpus(tmp_path / "corpus")
    result = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "--scheduler", dask_scheduler, "--progress")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"mining files ━+ 4/4 0:00:00", result.stderr.splitlines()[-1])
    assert result.stdout.startswith("6 documents mined")  # the bar is on stderr only


def test_dask_workers_read_files_named_by_url(tmp_path, slogan_miner, dask_scheduler, opens_under):
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / ".hidden.txt").write_text("两个率先", encoding="utf-8")
    opened = opens_under(corpus)
    summary = run_corpus([corpus.as_uri()], tmp_path / "url", miner=slogan_miner, engine="dask",
                         scheduler=dask_scheduler)
    assert opened == []
    assert (summary.documents, summary.skipped) == (6, 1)
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    url, one = read_tables(tmp_path / "url"), read_tables(tmp_path / "one")
    assert url["phrases.csv"] == one["phrases.csv"]
    assert url["mentions.csv"].replace(corpus.as_uri().encode(), str(corpus).encode()) == one["mentions.csv"]
    missing = (tmp_path / "nowhere").as_uri()
    with pytest.raises(InputError, match=f"^{missing}: no such file or folder$"):
        run_corpus([missing], tmp_path / "none", engine="dask", scheduler=dask_scheduler)


def test_dask_starts_a_local_cluster_by_default(tmp_path, slogan_miner):
    pytest.importorskip("distributed")
    corpus = write_corpus(tmp_path / "corpus")
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", workers=1)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")


def test_results_keep_input_order_and_pass_reused_results_through(small_pool, slogan_miner):
    docs = [Document(f"d{i}", "s", f"第{i}篇：推进“两个率先”。" + "发展" * i) for i in range(12)]
    reused = mine_document(Document("old", "s", "坚持“三个代表”。"), slogan_miner)
    items = docs[:5] + [reused] + docs[5:]
    out = list(map_documents(items, workers=2, miner=slogan_miner))
    assert [r.document.doc_id for r in out] == [x.document.doc_id if x is reused else x.doc_id for x in items]
    assert out[5] is reused
    assert all(r.document.text == "" for r in out if r is not reused)  # text is dropped after mining
    assert [len(r.mentions) for r in out[:5]] == [1] * 5


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.sampled_from(["“两个率先”", "四个全面", "十四五规划", "一是", "同志们", "“放管服”改革"]),
                   min_size=0, max_size=30),
    workers=st.integers(1, 3),
    batch=st.integers(1, 60),
)
def test_a_parallel_run_agrees_with_one_process(texts, workers, batch, slogan_miner, monkeypatch):
    monkeypatch.setattr(engines, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(engines, "BATCH_CHARS", batch)
    docs = [Document(f"d{i}", "s", "，".join(texts[: i + 1])) for i in range(len(texts))]
    serial = list(map_documents(docs, workers=1, miner=slogan_miner))
    assert list(map_documents(docs, workers=workers, miner=slogan_miner)) == serial


def _die(docs):
    os._exit(3)  # a worker killed, say by the kernel's out-of-memory killer


def test_a_worker_that_dies_is_an_error_not_a_hang(small_pool, slogan_miner, monkeypatch):
    monkeypatch.setattr(engines, "_mine_in_worker", _die)
    docs = [Document(f"d{i}", "s", "两个率先") for i in range(4)]
    with pytest.raises(MinerError, match="a worker process died while mining"):
        list(map_documents(docs, workers=2, miner=slogan_miner))


def test_bad_engine_options_are_errors():
    docs = [Document("d", "s", "两个率先")]
    with pytest.raises(InputError, match="unknown engine 'spark' \\(choose one of: local, dask\\)"):
        list(map_documents(docs, engine="spark"))
    with pytest.raises(InputError, match="needs the dask engine"):
        list(map_documents(docs, engine="local", scheduler="tcp://127.0.0.1:8786"))
    with pytest.raises(InputError, match="workers must be 1 or more, not 0"):
        list(map_documents(docs, workers=0))


def test_dask_missing_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(MinerError, match=r"pip install 'miner\[dask\]'"):
        list(map_documents([Document("d", "s", "两个率先")], engine="dask"))


def test_cli_run_with_workers_and_engine_options(tmp_path, run_cli, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    result = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "6 documents mined" in result.output
    result = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "--engine", "local", "--scheduler", "tcp://h:1")
    assert result.exit_code == 1
    assert result.output == "Error: --scheduler tcp://h:1 needs the dask engine (--engine dask)\n"
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run_cli("run", corpus, "-o", tmp_path / "out", "-n", "0", "--engine", "dask", "--full")
    assert result.exit_code == 1
    assert result.output == "Error: the dask engine needs Dask: pip install 'miner[dask]'\n"


def test_cli_keeps_a_url_input_as_written(tmp_path, run_cli):
    missing = (tmp_path / "nowhere").as_uri()
    result = run_cli("run", missing, "-o", tmp_path / "out", "--engine", "dask", "--progress")
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: no such file or folder\n"


def _jsonl_corpus(folder):
    """JSON Lines files for byte ranges: bad lines of every kind, a line longer
    than a range, another encoding, UTF-16 (read whole) and blank space only."""
    import json

    folder.mkdir(parents=True)
    lines = []
    for i in range(30):
        text = f"第{i}篇，推进“两个率先”，坚持“{i % 7 + 2}个全面”。" * (i % 5 + 1)
        lines.append(json.dumps({"title": f"{1990 + i}年报告", "content": text}, ensure_ascii=False).encode())
        if i % 9 == 0:
            lines += [b"", b"   ", b"not json", b"[1, 2]", b"\xff\xfe bad bytes", b'{"title": "x"}']
    lines.insert(12, json.dumps({"content": "落实“三去一降一补”。" * 200}, ensure_ascii=False).encode())
    (folder / "a.jsonl").write_bytes(b"\n".join(lines))  # no line end after the last line
    gb = "\n".join(json.dumps({"content": f"实现“两个率先”，第{i}次。"}, ensure_ascii=False) for i in range(40))
    (folder / "b.jsonl").write_bytes(gb.encode("gb18030") + b"\n")
    (folder / "c.jsonl").write_bytes(gb.encode("utf-16"))
    (folder / "d.jsonl").write_bytes(b"\n   \n" * 200)
    return folder


def test_large_json_lines_files_are_read_in_byte_ranges_by_the_workers(tmp_path, slogan_miner, dask_scheduler,
                                                                       opens_under, monkeypatch):
    corpus = _jsonl_corpus(tmp_path / "corpus")
    monkeypatch.setattr(engines, "RANGE_BYTES", 300)
    split = []

    class Counted(engines._RangedFile):
        def __init__(self, runner, task, size):
            super().__init__(runner, task, size)
            split.append((task.name.rsplit("/", 1)[-1], len(self.scans)))

    monkeypatch.setattr(engines, "_RangedFile", Counted)
    one = run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    opened = opens_under(corpus)
    ranged = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert opened == []
    sizes = {f.name: f.stat().st_size for f in corpus.iterdir()}
    assert split == [(name, -(-sizes[name] // 300)) for name in ("a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl")]
    assert (ranged.documents, ranged.skipped, ranged.mined) == (one.documents, one.skipped, one.mined) == (111, 17, 128)
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")
    again = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert (again.mined, again.reused) == (0, 128)


def test_byte_ranges_read_a_record_broken_over_lines_and_an_encoding_in_doubt_as_one_process(
        tmp_path, slogan_miner, dask_scheduler, opens_under, monkeypatch):
    import json

    from miner.io.tables import read_table

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [json.dumps({"title": f"{1990 + i}年报告", "content": f"第{i}篇，推进“两个率先”。"}, ensure_ascii=False)
             for i in range(30)]
    lines[10] = lines[10].replace("推进", "推进\n")  # a raw line break in a string: miner.io.read joins the lines
    (corpus / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # C4 B3 is 某 in GBK and 議 in Big5: the sniff's doubt goes with every record.
    (corpus / "b.jsonl").write_bytes("\n".join(['{"content": "    某"}'] + ['{"content": "ab"}'] * 30).encode("gbk"))
    monkeypatch.setattr(engines, "RANGE_BYTES", 300)
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1)
    opened = opens_under(corpus)
    ranged = run_corpus([corpus], tmp_path / "dask", miner=slogan_miner, engine="dask", scheduler=dask_scheduler)
    assert opened == []
    assert (ranged.documents, ranged.skipped) == (30 + 31, 0)
    warnings = [r["warning"] for r in read_table(tmp_path / "dask" / "documents.csv", ("warning",))]
    assert warnings[:30].count("lines 11-12 read as one record: a string holds a raw line break") == 1
    assert set(warnings[30:]) == {"the encoding is in doubt: read as Big5, but GB18030 reads the 561 bytes almost "
                                  "as well"}
    assert read_tables(tmp_path / "dask") == read_tables(tmp_path / "one")


def test_byte_ranges_split_a_file_at_line_starts_and_count_every_line(tmp_path):
    corpus = _jsonl_corpus(tmp_path / "corpus")
    data = (corpus / "a.jsonl").read_bytes()
    ranges = [engines._scan_range(str(corpus / "a.jsonl"), i, len(data), 300) for i in range(-(-len(data) // 300))]
    assert ranges[0].start == 0 and ranges[-1].end == len(data)
    assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
    assert all(r.start in (0, len(data)) or data[r.start - 1 : r.start] == b"\n" for r in ranges)
    assert any(r.start == r.end for r in ranges)  # the long line covers a whole range
    assert sum(r.lines for r in ranges) == data.count(b"\n")
    assert [r.encoding for r in ranges[:2]] == ["utf-8", None]
    utf16 = corpus / "c.jsonl"
    assert engines._scan_range(str(utf16), 0, utf16.stat().st_size, 300).encoding == ""


def test_url_inputs_are_read_on_the_local_engine_and_in_the_formulas_pass(tmp_path, slogan_miner):
    corpus = write_corpus(tmp_path / "corpus")
    run_corpus([corpus], tmp_path / "one", miner=slogan_miner, workers=1, formulas=True)
    url = run_corpus([corpus.as_uri()], tmp_path / "url", miner=slogan_miner, workers=1, formulas=True)
    assert (url.documents, url.skipped, url.mined) == (6, 1, 7)
    one, got = read_tables(tmp_path / "one"), read_tables(tmp_path / "url")
    for name in ("phrases.csv", "by_year.csv", "formulas.csv"):
        left = (tmp_path / "one" / name).read_bytes()
        assert (tmp_path / "url" / name).read_bytes() == left, name
    assert got["mentions.csv"].replace(corpus.as_uri().encode(), str(corpus).encode()) == one["mentions.csv"]
    again = run_corpus([corpus.as_uri()], tmp_path / "url", miner=slogan_miner, workers=1, formulas=True)
    assert (again.mined, again.reused) == (0, 7)  # read afresh, each document found unchanged
