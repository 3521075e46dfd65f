"""Counting: phrase and phrase × year tables from hand-made results, and the
invariants that hold for any results."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from miner.analysis.count import PhraseCounts, count_phrases, phrase_kind
from miner.types import DocResult, Document, Mention


def mention(doc_id, year, phrase, surface=None, kind="numbered", rule="lexicon") -> Mention:
    surface = surface or phrase
    return Mention(doc_id, year, phrase, surface, kind, rule, 0, len(surface), 0, 0, surface)


def result(doc_id, year, chars, *mentions, status="ok") -> DocResult:
    doc = Document(doc_id, doc_id, "正文" if status == "ok" else "", year=year, status=status)
    return DocResult(doc, chars, 0, 0, tuple(mention(doc_id, year, *m) for m in mentions))


RESULTS = [
    result(
        "d1", 2016, 1000,
        ("两个率先", "两个率先", "numbered+quoted", "quoted+lexicon"),
        ("两个率先",),
        ("三去一降一补", "三去一降一补", "numbered+quoted", "quoted+lexicon"),
    ),
    result("d2", 2016, 500, ("两个率先", "兩個率先"), ("工业服务年", "工业服务年", "quoted", "quoted")),
    result("d3", 2020, 2000, ("两个率先",)),
    result("d4", None, 400, ("工业服务年", "工业服务年", "quoted", "quoted"), ("工业服务年", "工業服務年", "quoted", "quoted")),
    result("d5", None, 0, status="skipped: empty file"),
    result("d6", 2021, 300),
]


def test_phrase_rows():
    counts = count_phrases(RESULTS)
    assert (counts.documents, counts.skipped, counts.mentions, counts.chars) == (5, 1, 8, 4200)
    assert counts.phrase_rows() == [
        {
            "phrase": "两个率先", "kind": "numbered+quoted", "total": 4, "documents": 3, "first_year": 2016,
            "last_year": 2020, "per_10k": 9.5238, "rule": "lexicon", "variants": "两个率先 | 兩個率先",
            "score": 1.0, "evidence": "recurs",
        },
        {
            "phrase": "工业服务年", "kind": "quoted", "total": 3, "documents": 2, "first_year": 2016,
            "last_year": 2016, "per_10k": 7.1429, "rule": "quoted", "variants": "工业服务年 | 工業服務年",
            "score": 1.0, "evidence": "",
        },
        {
            "phrase": "三去一降一补", "kind": "numbered+quoted", "total": 1, "documents": 1, "first_year": 2016,
            "last_year": 2016, "per_10k": 2.381, "rule": "quoted+lexicon", "variants": "三去一降一补",
            "score": 1.0, "evidence": "",
        },
    ]


def test_by_year_rows():
    counts = count_phrases(RESULTS)
    assert counts.by_year_rows() == [
        {"phrase": "两个率先", "year": 2016, "count": 3, "documents": 2, "year_documents": 2, "year_chars": 1500, "per_10k": 20.0},
        {"phrase": "两个率先", "year": 2020, "count": 1, "documents": 1, "year_documents": 1, "year_chars": 2000, "per_10k": 5.0},
        {"phrase": "工业服务年", "year": 2016, "count": 1, "documents": 1, "year_documents": 2, "year_chars": 1500, "per_10k": 6.6667},
        {"phrase": "三去一降一补", "year": 2016, "count": 1, "documents": 1, "year_documents": 2, "year_chars": 1500, "per_10k": 6.6667},
    ]
    assert counts.year_chars == Counter({2016: 1500, 2020: 2000, 2021: 300})


def test_nothing_counted():
    counts = count_phrases([])
    assert (counts.phrase_rows(), counts.by_year_rows(), counts.mentions) == ([], [], 0)


def test_phrase_kind():
    assert phrase_kind({"numbered"}) == "numbered"
    assert phrase_kind({"quoted"}) == "quoted"
    assert phrase_kind({"numbered", "quoted"}) == "numbered+quoted"
    assert phrase_kind({"numbered+quoted", "numbered"}) == "numbered+quoted"


# -- invariants -----------------------------------------------------------------

PHRASES = ["两个率先", "三去一降一补", "十四五", "工业服务年", "平安*"]


@st.composite
def results(draw):
    out = []
    for i in range(draw(st.integers(0, 12))):
        doc_id = f"d{i}"
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(result(doc_id, None, 0, status="skipped: empty file"))
            continue
        year = draw(st.one_of(st.none(), st.integers(2000, 2004)))
        found = draw(st.lists(st.sampled_from(PHRASES), max_size=6))
        kinds = [draw(st.sampled_from(["numbered", "quoted", "numbered+quoted"])) for _ in found]
        out.append(
            result(doc_id, year, draw(st.integers(len(found) + 1, 5000)), *[(p, p, k, k) for p, k in zip(found, kinds)])
        )
    return out


@settings(max_examples=200, deadline=None)
@given(results())
def test_counts_add_up(rs):
    counts = count_phrases(rs)
    phrases = counts.phrase_rows()
    by_year = counts.by_year_rows()
    ok = [r for r in rs if r.document.ok]
    assert counts.documents == len(ok) and counts.skipped == len(rs) - len(ok)
    assert sum(p["total"] for p in phrases) == counts.mentions == sum(len(r.mentions) for r in ok)
    for p in phrases:
        with_phrase = [r for r in ok if any(m.phrase == p["phrase"] for m in r.mentions)]
        undated = sum(1 for r in ok if r.document.year is None for m in r.mentions if m.phrase == p["phrase"])
        assert sum(y["count"] for y in by_year if y["phrase"] == p["phrase"]) + undated == p["total"]
        assert p["documents"] == len(with_phrase)
        years = [r.document.year for r in with_phrase if r.document.year is not None]
        assert (p["first_year"], p["last_year"]) == ((min(years), max(years)) if years else (None, None))
    for y in by_year:
        assert y["phrase"] in {p["phrase"] for p in phrases}
        assert y["year_chars"] == sum(r.chars for r in ok if r.document.year == y["year"])
        assert y["per_10k"] == round(y["count"] * 10_000 / y["year_chars"], 4)


@settings(max_examples=100, deadline=None)
@given(results(), st.data())
def test_merged_parts_equal_the_whole(rs, data):
    cut = data.draw(st.integers(0, len(rs)))
    merged = count_phrases(rs[cut:]).merge(count_phrases(rs[:cut]))
    whole = count_phrases(rs)
    assert merged.phrase_rows() == whole.phrase_rows()
    assert merged.by_year_rows() == whole.by_year_rows()
    assert (merged.documents, merged.skipped, merged.mentions, merged.chars) == (
        whole.documents, whole.skipped, whole.mentions, whole.chars,
    )


def test_merge_into_empty():
    assert PhraseCounts().merge(count_phrases(RESULTS)).phrase_rows() == count_phrases(RESULTS).phrase_rows()


def scored(phrase, kind, score, doc_id="d1", year=2016, evidence=()):
    m = Mention(doc_id, year, phrase, phrase, kind, "quoted", 0, len(phrase), 0, 0, phrase, score, evidence)
    return DocResult(Document(doc_id, f"{doc_id}.txt", "x" * 100, year=year), 100, 0, 0, (m,))


def test_score_decides_the_phrase_kind():
    counts = count_phrases([
        scored("奴隶", "other-quote", 0.05, evidence=("scare", "word")),
        scored("十个水泥厂", "numbered", 0.0, evidence=("concrete-head",)),
        scored("放管服", "quoted", 0.95, evidence=("coined", "programme")),
    ])
    rows = {r["phrase"]: (r["kind"], r["score"], r["evidence"]) for r in counts.phrase_rows()}
    assert rows == {
        "奴隶": ("other-quote", 0.05, "scare word"),
        "十个水泥厂": ("other-number", 0.0, "concrete-head"),
        "放管服": ("quoted", 0.95, "coined programme"),
    }


def test_recurrence_in_other_years_lifts_a_phrase_over_the_threshold():
    once = count_phrases([scored("两个积极性", "other-number", 0.45)])
    again = count_phrases([scored("两个积极性", "other-number", 0.45), scored("两个积极性", "other-number", 0.45, "d2", 2019)])
    same_year = count_phrases([scored("两个积极性", "other-number", 0.45), scored("两个积极性", "other-number", 0.45, "d2")])
    assert once.phrases["两个积极性"].kind == "other-number"
    assert (again.phrases["两个积极性"].score, again.phrases["两个积极性"].kind) == (0.55, "numbered")
    assert same_year.phrases["两个积极性"].kind == "other-number"


def test_recurrence_in_three_documents_of_one_year_lifts_a_quote():
    # a year's provincial reports: a quote in three of them is a phrase in use, not a one-off
    three = count_phrases([scored("关键少数", "other-quote", 0.45, f"d{i}", 2019) for i in range(3)])
    two = count_phrases([scored("关键少数", "other-quote", 0.45, f"d{i}", 2019) for i in range(2)])
    undated = count_phrases([scored("关键少数", "other-quote", 0.45, f"d{i}", None) for i in range(3)])
    assert [(c.phrases["关键少数"].kind, c.phrases["关键少数"].score, c.phrases["关键少数"].signals)
            for c in (three, two, undated)] == [("quoted", 0.55, "recurs"), ("other-quote", 0.45, ""), ("quoted", 0.55, "recurs")]
    # merged from parts counted apart (workers, a cluster), the three documents still recur
    merged = count_phrases([scored("关键少数", "other-quote", 0.45, "d0", 2019)]).merge(
        count_phrases([scored("关键少数", "other-quote", 0.45, f"d{i}", 2019) for i in (1, 2)]))
    assert merged.phrase_rows() == three.phrase_rows()


def test_scores_merge_like_one_pass():
    parts = [scored("放管服", "quoted", 0.6), scored("放管服", "other-quote", 0.3, "d2", 2019)]
    merged = count_phrases(parts[:1]).merge(count_phrases(parts[1:]))
    assert merged.phrase_rows() == count_phrases(parts).phrase_rows()


def test_recurrence_is_decided_on_the_merged_counts_of_every_engine(tmp_path, slogan_miner, monkeypatch):
    # Three reports of one year, each quoting 关键少数 once with nothing around it
    # that names a campaign: one document alone calls it other-quote, the three
    # together recur, however the documents are split among workers.
    import csv
    import io

    import pytest

    from miner import engines
    from miner.pipeline import run_corpus

    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(engines, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(engines, "BATCH_CHARS", 100)
    monkeypatch.setattr(engines, "DASK_BATCH_CHARS", 100)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, place in enumerate(("甲", "乙", "丙")):
        body = f"2019年{place}县政府工作报告\n各部门负责人是全县发展的“关键少数”。今年经济运行总体平稳，农业生产稳定。\n"
        (corpus / f"{i}.txt").write_text(body * 2, encoding="utf-8")
    (tmp_path / "one.txt").write_text((corpus / "0.txt").read_text(encoding="utf-8"), encoding="utf-8")

    def row(out):
        text = (out / "phrases.csv").read_text(encoding="utf-8-sig")
        return {r["phrase"]: (r["kind"], r["documents"], r["score"], r["evidence"]) for r in csv.DictReader(io.StringIO(text))}["关键少数"]

    run_corpus([tmp_path / "one.txt"], tmp_path / "alone", miner=slogan_miner, workers=1)
    assert row(tmp_path / "alone") == ("other-quote", "1", "0.45", "")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        runs = {"one": dict(workers=1), "two": dict(workers=2), "dask": dict(engine="dask", scheduler=cluster.scheduler_address)}
        for name, options in runs.items():
            run_corpus([corpus], tmp_path / name, miner=slogan_miner, **options)
            assert (name, row(tmp_path / name)) == (name, ("quoted", "3", "0.55", "recurs"))
