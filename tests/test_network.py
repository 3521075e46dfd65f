"""Co-occurrence networks: counts and NPMI worked out by hand, thresholds, communities, exports."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miner.errors import EmptyResultError, InputError
from miner.network import (
    build_cooccurrence_graph, communities, draw_network, network_layout, npmi, write_gexf, write_graphml,
    write_network, write_node_link,
)

from _analysis_data import A, B, C, D, mention_records, write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("run"))


def test_npmi_by_hand():
    # p(a,b) = 2/5, p(a) = 3/5, p(b) = 2/5: log(5/3) / log(5/2)
    assert npmi(2, 3, 2, 5) == pytest.approx(math.log(5 / 3) / math.log(5 / 2))
    assert npmi(2, 3, 2, 5) == pytest.approx(0.557493, abs=1e-6)
    assert npmi(3, 3, 3, 3) == 1.0
    assert npmi(1, 2, 2, 3) == pytest.approx(math.log(0.75) / math.log(3))  # less often than chance: < 0


def test_sentence_window_counts_and_scores(run_dir):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    # Sentence windows: (d1,0){A,B} (d1,1){A} (d2,0){A,B} (d2,1){C} (d3,0){C,D}
    assert g.graph["windows"] == 5
    assert sorted(map(sorted, g.edges())) == sorted([sorted([A, B]), sorted([C, D])])
    ab, cd = g.edges[A, B], g.edges[C, D]
    assert (ab["weight"], ab["documents"]) == (2, 2)
    assert (cd["weight"], cd["documents"]) == (1, 1)
    assert ab["npmi"] == pytest.approx(math.log(5 / 3) / math.log(5 / 2), abs=1e-6)  # 0.5575
    assert cd["npmi"] == pytest.approx(math.log(5 / 2) / math.log(5), abs=1e-6)  # 0.5693
    # Node attributes: A is mentioned 4 times (twice in one sentence) in 3 windows of 2 documents.
    assert g.nodes[A] == {
        "label": A, "kind": "numbered", "total": 4, "documents": 2, "windows": 3, "first_year": 2001,
        "last_year": 2002, "community": 0,
    }
    assert g.nodes[D]["kind"] == "numbered+quoted"
    # Two components, two communities; ties go to the earlier one.
    assert {g.nodes[p]["community"] for p in (A, B)} == {0}
    assert {g.nodes[p]["community"] for p in (C, D)} == {1}


def test_document_window_and_negative_association(run_dir):
    g = build_cooccurrence_graph(run_dir, window="document", kind="all", min_count=1, min_score=None)
    # Documents: d1{A,B} d2{A,B,C} d3{C,D}
    assert g.graph["windows"] == 3
    assert g.edges[A, B]["npmi"] == 1.0
    assert g.edges[A, C]["npmi"] == pytest.approx(math.log(0.75) / math.log(3), abs=1e-6)  # -0.2619
    assert g.edges[C, D]["npmi"] == pytest.approx(math.log(1.5) / math.log(3), abs=1e-6)  # 0.3691
    # By default only pairs seen together more often than chance are kept.
    kept = build_cooccurrence_graph(run_dir, window="document", kind="all", min_count=1)
    assert not kept.has_edge(A, C) and not kept.has_edge(B, C)
    assert kept.number_of_edges() == 2


def test_kind_filter_changes_the_windows(run_dir):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="numbered", min_count=1)
    # Windows with a numbered phrase: (d1,0) (d1,1) (d2,0) (d3,0); D is left alone and dropped.
    assert g.graph["windows"] == 4
    assert set(g) == {A, B}
    assert g.edges[A, B]["npmi"] == pytest.approx(math.log(4 / 3) / math.log(2), abs=1e-6)


def test_thresholds(run_dir):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=2)
    assert set(g) == {A, B}  # D (1 mention) is filtered out, which leaves C without an edge
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1, min_edge=2)
    assert list(g.edges()) == [(A, B)]
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1, isolates=True, min_edge=2)
    assert set(g) == {A, B, C, D}
    g = build_cooccurrence_graph(run_dir, window="document", kind="all", min_count=1, top=3, min_score=None)
    assert set(g) == {A, B, C}  # D is the least mentioned


def test_years(run_dir):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1, year_from=2002)
    assert g.graph["windows"] == 3 and g.graph["years"] == "from 2002"
    assert g.nodes[A]["total"] == 1 and g.nodes[A]["first_year"] == 2002
    assert g.edges[A, B]["npmi"] == 1.0  # both only in (d2,0), one window in three


def test_records_give_the_same_graph_as_tables(run_dir):
    from_tables = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    from_records = build_cooccurrence_graph(mention_records(), window="sentence", kind="all", min_count=1)
    assert nx.utils.graphs_equal(from_tables, from_records)


def test_empty_results_say_why(run_dir, tmp_path):
    def build(source=run_dir, **options):
        return build_cooccurrence_graph(source, **{"window": "sentence", "kind": "all", "min_count": 1, **options})

    with pytest.raises(EmptyResultError, match=r"^no phrases from 2010 in .*mentions.csv; try another --kind"):
        build(year_from=2010)
    with pytest.raises(EmptyResultError, match="none of the 4 phrases .* is mentioned 9 times or more; lower --min-count"):
        build(min_count=9)
    with pytest.raises(EmptyResultError, match="no two of the 1 phrases kept share a sentence .*; try a wider --window"):
        build(top=1)
    # No co-occurrence at all: every sentence holds one phrase.
    alone = write_run(tmp_path / "alone", [("d1", 2001, 100, [(A, 0, 0), (B, 1, 0)]), ("d2", 2002, 100, [(C, 0, 0)])])
    with pytest.raises(EmptyResultError, match="no two of the 3 phrases kept share a sentence"):
        build(alone)
    assert build(alone, window="document").number_of_edges() == 1


def test_bad_options(run_dir):
    with pytest.raises(InputError, match="window 'line' is not one of sentence, paragraph, document"):
        build_cooccurrence_graph(run_dir, window="line")
    with pytest.raises(InputError, match="kind 'slogans'"):
        build_cooccurrence_graph(run_dir, kind="slogans")


def test_missing_tables_name_the_fix(tmp_path):
    from miner.errors import TableError

    with pytest.raises(TableError, match="run `miner run CORPUS"):
        build_cooccurrence_graph(tmp_path)


def test_exports_read_back(run_dir, tmp_path):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    gexf = nx.read_gexf(write_gexf(g, tmp_path / "n.gexf", pos=network_layout(g)))
    assert set(gexf) == set(g)
    assert gexf.nodes[A]["community"] == 0 and gexf.nodes[A]["total"] == 4 and gexf.nodes[A]["label"] == A
    assert gexf.edges[A, B]["weight"] == 2
    assert gexf.edges[A, B]["npmi"] == pytest.approx(g.edges[A, B]["npmi"])
    assert "position" in gexf.nodes[A]["viz"]

    graphml = nx.read_graphml(write_graphml(g, tmp_path / "n.graphml"))
    assert graphml.nodes[C] == {**g.nodes[C]}
    assert graphml.edges[C, D] == g.edges[C, D]

    data = json.loads(write_node_link(g, tmp_path / "n.json").read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == set(g)
    assert {(e["source"], e["target"], e["weight"]) for e in data["links"]} == {(A, B, 2), (C, D, 1)}


def test_undated_phrases_export_without_none(tmp_path):
    docs = [("u1", None, 1000, [(A, 0, 0), (B, 0, 0)])]
    g = build_cooccurrence_graph(write_run(tmp_path / "run", docs), window="sentence", kind="all", min_count=1)
    assert g.nodes[A]["first_year"] == -1
    read = nx.read_graphml(write_graphml(g, tmp_path / "n.graphml"))
    assert read.nodes[A]["first_year"] == -1


def test_write_network_writes_every_format(run_dir, tmp_path):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    paths = write_network(g, tmp_path / "out")
    assert [p.name for p in paths] == ["network.gexf", "network.graphml", "network.json", "network.png", "network.svg"]
    assert all(p.stat().st_size > 0 for p in paths)
    with pytest.raises(InputError, match="unknown format"):
        write_network(g, tmp_path, formats=["dot"])


def test_layout_is_seeded(run_dir):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    assert network_layout(g, seed=3) == network_layout(g, seed=3)


def test_drawing_returns_the_axes_given(run_dir):
    from matplotlib.figure import Figure

    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    ax = Figure().add_subplot()
    assert draw_network(g, ax=ax) is ax
    assert sorted(t.get_text() for t in ax.texts) == sorted([A, B, C, D])
    assert draw_network(g, color_by="first_year").figure is not ax.figure
    with pytest.raises(InputError, match="color_by"):
        draw_network(g, color_by="kind")


def test_communities_summary(run_dir):
    g = build_cooccurrence_graph(run_dir, window="sentence", kind="all", min_count=1)
    groups = communities(g)
    assert [(c.id, c.members) for c in groups] == [(0, (A, B)), (1, (C, D))]
    assert (groups[1].first_year, groups[1].last_year) == (2002, 2003)


def _windows(records, window):
    keys = {}
    for r in records:
        key = r["doc_id"] if window == "document" else (r["doc_id"], r[window])
        keys.setdefault(key, set()).add(r["phrase"])
    return keys


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["d1", "d2", "d3"]), st.integers(0, 3), st.integers(0, 1),
                       st.sampled_from([A, B, C, D])), min_size=1, max_size=30),
    st.sampled_from(["sentence", "paragraph", "document"]),
)
def test_graph_invariants(items, window):
    from _analysis_data import KINDS

    records = [dict(doc_id=d, year=2000 + int(d[1]), phrase=p, kind=KINDS[p], sentence=s, paragraph=para)
               for d, s, para, p in items]
    windows = _windows(records, window)
    try:
        g = build_cooccurrence_graph(records, window=window, kind="all", min_count=1, min_score=None)
    except EmptyResultError:
        assert all(len(phrases) < 2 for phrases in windows.values())
        return
    assert g.graph["windows"] == len(windows)
    for p, data in g.nodes(data=True):  # every node is a phrase of the records, counted in full
        assert data["total"] == sum(r["phrase"] == p for r in records)
        assert data["windows"] == sum(p in phrases for phrases in windows.values())
    for a, b, data in g.edges(data=True):
        assert data["weight"] == sum({a, b} <= phrases for phrases in windows.values())
        assert 1 <= data["documents"] <= data["weight"] <= min(g.nodes[a]["windows"], g.nodes[b]["windows"])
        assert -1 < data["npmi"] <= 1
    # Every pair sharing a window is an edge (no thresholds here).
    pairs = {frozenset((a, b)) for phrases in windows.values() for a in phrases for b in phrases if a != b}
    assert pairs == {frozenset(e) for e in g.edges()}
