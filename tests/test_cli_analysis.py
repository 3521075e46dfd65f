"""The graph, plot and compare commands: on hand-written runs, the seed speeches and the national reports."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from _analysis_data import A, B, C, D, write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory, seeds_dir):
    from miner.pipeline import run_corpus

    out = tmp_path_factory.mktemp("seeds")
    run_corpus([seeds_dir], out)
    return out


@pytest.fixture(scope="module")
def gov_run(tmp_path_factory, gov_reports):
    from miner.pipeline import run_corpus

    out = tmp_path_factory.mktemp("gov")
    run_corpus([gov_reports], out)
    return out


def test_graph_writes_every_format(run_cli, run_dir, tmp_path):
    result = run_cli("graph", "-d", run_dir, "-o", tmp_path, "-w", "sentence", "-k", "all", "--min-count", 1)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "4 phrases, 2 edges, 2 communities",
        f"  0:   2 phrases, median first year 2001: {A} {B}",
        f"  1:   2 phrases, median first year 2002: {C} {D}",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "network.gexf", "network.graphml", "network.json", "network.png", "network.svg",
    ]
    assert nx.read_gexf(tmp_path / "network.gexf").number_of_edges() == 2


def test_graph_writes_next_to_the_tables_by_default(run_cli, tmp_path):
    run = write_run(tmp_path / "run")
    result = run_cli("graph", "-d", run, "-k", "all", "--min-count", 1, "-f", "graphml")
    assert result.exit_code == 0, result.output
    assert (run / "network.graphml").is_file() and not (run / "network.png").exists()


def test_graph_errors_are_one_line(run_cli, run_dir):
    result = run_cli("graph", "-d", run_dir, "-w", "sentence", "-k", "all", "--min-count", 1, "--top", 1)
    assert result.exit_code == 1
    assert result.output.startswith("Error: no two of the 1 phrases kept share a sentence")
    assert len(result.output.strip().splitlines()) == 1
    result = run_cli("graph", "-d", run_dir / "nowhere")
    assert result.exit_code == 1 and "run `miner run CORPUS" in result.output


def test_plot(run_cli, run_dir, tmp_path):
    result = run_cli("plot", "trends", "heatmap", "-d", run_dir, "-o", tmp_path, "-p", A, "-p", B, "-f", "png",
                     "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heatmap.pdf", "heatmap.png", "trends.pdf", "trends.png"]
    # What is drawn, read from SVG text: the phrases asked for, and only they.
    result = run_cli("plot", "trends", "heatmap", "-d", run_dir, "-o", tmp_path / "svg", "-p", A, "-p", B, "-f", "svg")
    assert result.exit_code == 0, result.output
    for name in ("trends.svg", "heatmap.svg"):
        drawn = (tmp_path / "svg" / name).read_text(encoding="utf-8")
        assert [p in drawn for p in (A, B, C, D)] == [True, True, False, False], name
    result = run_cli("plot", "-d", run_dir, "-o", tmp_path / "all", "--count", "-k", "quoted", "-f", "svg")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["heatmap.svg", "timeline.svg", "trends.svg"]
    drawn = (tmp_path / "all" / "trends.svg").read_text(encoding="utf-8")
    assert [p in drawn for p in (A, B, C, D)] == [False, False, True, True]  # -k quoted: C, and D quoted too
    result = run_cli("plot", "-d", run_dir, "--from", 1990, "--to", 1995)
    assert result.exit_code == 1 and result.output.startswith("Error: no dated documents in 1990–1995")
    result = run_cli("plot", "pie", "-d", run_dir)
    assert result.exit_code == 2 and "'pie' is not one of" in result.output


def test_compare(run_cli, run_dir, tmp_path):
    result = run_cli("compare", "-d", run_dir, "--a", "2001", "--b", "2002-2003", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "A: 2001: 1 document, 10,000 characters" in out
    assert "B: 2002–2003: 2 documents, 30,000 characters" in out
    assert "2 phrases shared, 0 only in A, 2 only in B; Jaccard similarity 0.500" in out
    assert out.index("key to A") < out.index(A) < out.index("key to B") < out.index(C)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.csv", "compare.png"]
    positional = run_cli("compare", "2001", "2002-2003", "-d", run_dir, "-o", tmp_path, "-f", "csv")
    assert positional.exit_code == 0 and positional.output.splitlines()[:3] == out.splitlines()[:3]


def test_compare_errors(run_cli, run_dir):
    result = run_cli("compare", "2001", "-d", run_dir)
    assert result.exit_code == 2 and "give two sides" in result.output
    result = run_cli("compare", "1978-1992", "2001", "-d", run_dir)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: no documents dated 1978–1992 in {run_dir / 'documents.csv'}; its documents are dated 2001–2003"
    ]


def test_tiny_runs_give_clear_messages(run_cli, tmp_path):
    one = write_run(tmp_path / "one", [("solo", 2020, 3000, [(A, 0, 0), (B, 1, 0)])])
    result = run_cli("graph", "-d", one, "-k", "all", "--min-count", 1, "-w", "sentence")
    assert result.exit_code == 1 and result.output.startswith("Error: no two of the 2 phrases kept share a sentence")
    result = run_cli("graph", "-d", one, "-k", "all", "--min-count", 1, "-o", tmp_path / "g")
    assert result.output.splitlines()[:2] == ["2 phrases, 1 edges, 1 communities",
                                              f"  0:   2 phrases, median first year 2020: {A} {B}"]
    assert sorted(nx.read_gexf(tmp_path / "g" / "network.gexf").edges()) in ([(A, B)], [(B, A)])
    result = run_cli("plot", "trends", "-d", one, "-o", tmp_path / "p", "-f", "svg")  # one year: points, not lines
    assert result.exit_code == 0, result.output
    drawn = (tmp_path / "p" / "trends.svg").read_text(encoding="utf-8")
    assert [p in drawn for p in (A, B, C)] == [True, True, False] and "2020" in drawn
    result = run_cli("compare", "2020", "solo", "-d", one)
    assert result.exit_code == 1 and "share 1 document(s)" in result.output
    result = run_cli("graph", "-d", one, "-k", "quoted")
    assert result.exit_code == 1 and result.output.startswith("Error: no quoted phrases in")


def test_seed_speeches(run_cli, seeds_run, tmp_path):
    from miner.io.tables import read_table

    phrases = {r["phrase"] for r in read_table(seeds_run / "phrases.csv")}
    for args in (["graph", "-k", "all"], ["graph", "-w", "sentence", "-k", "all"]):
        result = run_cli(*args, "-d", seeds_run, "-o", tmp_path / args[-3])
        assert result.exit_code == 0, (args, result.output)
        graph = nx.read_gexf(tmp_path / args[-3] / "network.gexf")
        first = result.output.splitlines()[0]
        assert first == f"{graph.number_of_nodes()} phrases, {graph.number_of_edges()} edges, " + first.split(", ")[2]
        assert graph.number_of_edges() > 0 and set(graph.nodes()) <= phrases
    result = run_cli("plot", "-d", seeds_run, "-o", tmp_path / "plots")
    assert result.output.startswith("written: ") and sorted(p.name for p in (tmp_path / "plots").iterdir()) == [
        "heatmap.png", "timeline.png", "trends.png"]
    for args in (["compare", "2022", "2023"], ["compare", "000_e3f84579060677ec.txt", "2025"]):
        result = run_cli(*args, "-d", seeds_run, "-o", tmp_path / "cmp")
        assert result.exit_code == 0, (args, result.output)
        shared, only_a, only_b = (int(n) for n in re.search(
            r"(\d+) phrases shared, (\d+) only in A, (\d+) only in B", result.output).groups())
        rows = list(read_table(tmp_path / "cmp" / "compare.csv"))
        assert len(rows) == shared + only_a + only_b and {r["phrase"] for r in rows} <= phrases
    result = run_cli("graph", "-d", seeds_run, "--min-count", 100)
    assert result.exit_code == 1 and "lower --min-count" in result.output


def test_national_reports_separate_the_eras(run_cli, gov_run, tmp_path):
    from miner.analysis.network import build_cooccurrence_graph

    result = run_cli("graph", "-d", gov_run, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    g = build_cooccurrence_graph(gov_run)
    assert nx.read_graphml(tmp_path / "network.graphml").number_of_nodes() == g.number_of_nodes()
    community = nx.get_node_attributes(g, "community")
    mao_era = {community[p] for p in ("四人帮", "四个现代化", "八字宪法", "两条道路") if p in community}
    xi_era = {community[p] for p in ("一带一路", "四个全面", "四个意识", "八项规定") if p in community}
    assert mao_era and xi_era and not mao_era & xi_era


def test_national_reports_compare_and_plot(run_cli, gov_run, tmp_path):
    from miner.analysis.compare import compare_periods
    from miner.analysis.plot import load_year_table

    r = compare_periods(gov_run, "1978-1992", "2013-2025")
    assert "四个现代化" in [row.phrase for row in r.key_a(6)]
    assert "一带一路" in [row.phrase for row in r.key_b(3)]
    assert run_cli("compare", "--a", "1978-1992", "--b", "2013-2025", "-d", gov_run, "-o", tmp_path).exit_code == 0
    table = load_year_table(gov_run)
    assert table.span("四个全面")[0] == 2015 and table.span("一带一路")[0] == 2015
    modernisations = dict(zip(table.years, table.values("四个现代化")))
    assert max(v for y, v in modernisations.items() if y < 1990) > 1 and not any(
        v for y, v in modernisations.items() if y >= 1990
    )


@pytest.mark.parametrize("score, message", [
    ("nan", "Error: Invalid value for '--min-score': nan is not a number in the range -1.0<=x<=1.0.\n"),
    ("2", "Error: Invalid value for '--min-score': 2.0 is not in the range -1.0<=x<=1.0.\n"),
])
def test_graph_refuses_a_score_npmi_cannot_reach(run_cli, run_dir, tmp_path, score, message):
    result = run_cli("graph", "-d", run_dir, "--min-score", score, "-o", tmp_path)
    assert (result.exit_code, result.output) == (2, message)
    assert list(tmp_path.iterdir()) == []
