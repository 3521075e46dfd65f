"""Phrase co-occurrence networks: build, find communities, export and draw.

Two phrases are joined when they occur in the same window (sentence,
paragraph or document).  Each edge carries the number of windows they share
(``weight``), the number of documents those windows are in (``documents``)
and their normalised pointwise mutual information (``npmi``)::

    npmi(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b)
    p(a) = n_a / N,  p(a, b) = n_ab / N

where ``n_a`` is the number of windows holding ``a``, ``n_ab`` the number
holding both, and ``N`` the number of windows (of the chosen years) holding
at least one phrase of the chosen kind.  NPMI runs from -1 (never together)
through 0 (together as often as chance) to 1 (always together), whatever the
phrases' frequencies, so it does not favour the commonest phrases as raw
counts do.  Communities are found with Louvain on the NPMI weights.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import networkx as nx

from .count import phrase_kind
from .errors import EmptyResultError, InputError
from .selection import check_kind, in_years, kind_matches, read_mentions, years_label, years_phrase

__all__ = [
    "WINDOWS", "GRAPH_FORMATS", "IMAGE_FORMATS", "COLOR_BY", "Community", "npmi", "build_cooccurrence_graph",
    "communities", "network_layout", "draw_network", "write_gexf", "write_graphml", "write_node_link",
    "write_network",
]

WINDOWS = ("sentence", "paragraph", "document")
GRAPH_FORMATS = ("gexf", "graphml", "json")
IMAGE_FORMATS = ("png", "svg", "pdf")
COLOR_BY = ("community", "first_year")
MENTION_FIELDS = ("doc_id", "year", "phrase", "kind", "sentence", "paragraph")
NO_YEAR = -1  # first_year/last_year of a phrase seen only in undated documents (GEXF/GraphML have no null)


def npmi(n_ab: int, n_a: int, n_b: int, n: int) -> float:
    """Normalised PMI of two phrases from window counts (see the module docstring).

    Args:
        n_ab: Windows holding both phrases (at least 1).
        n_a: Windows holding the first phrase.
        n_b: Windows holding the second phrase.
        n: All windows.

    >>> npmi(2, 2, 2, 4)  # always together
    1.0
    >>> npmi(1, 2, 1, 4)  # log(0.25 / (0.5 * 0.25)) / -log(0.25) = log 2 / log 4
    0.5
    >>> round(npmi(2, 3, 3, 4), 4)  # together less often than chance
    -0.1699
    """
    p_ab = n_ab / n
    if p_ab >= 1.0:
        return 1.0
    return math.log(p_ab / ((n_a / n) * (n_b / n))) / -math.log(p_ab)


def _window_key(row, window: str):
    doc = row["doc_id"]
    return doc if window == "document" else (doc, row[window])


def _records(source, kind: str, year_from, year_to) -> tuple[list[dict], str]:
    """Mention rows of the wanted kind and years, and a name for the source in messages."""
    if isinstance(source, (str, Path)):
        # Only the fields needed, so a large mentions.csv fits in memory (no context strings).
        rows = [{f: r[f] for f in MENTION_FIELDS}
                for r in read_mentions(source, kind=kind, year_from=year_from, year_to=year_to)]
        return rows, str(Path(source) / "mentions.csv")
    rows = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in source]
    kinds = defaultdict(set)
    for r in rows:
        kinds[r["phrase"]].add(r["kind"])
    merged = {p: phrase_kind(k) for p, k in kinds.items()}
    selected = [
        {**r, "kind": merged[r["phrase"]]}
        for r in rows
        if kind_matches(merged[r["phrase"]], kind) and in_years(r.get("year"), year_from, year_to)
    ]
    return selected, "the mentions given"


def build_cooccurrence_graph(
    source,
    *,
    window: str = "document",
    kind: str = "numbered",
    year_from: int | None = None,
    year_to: int | None = None,
    min_count: int = 2,
    min_edge: int = 1,
    min_score: float | None = 0.0,
    top: int | None = 60,
    isolates: bool = False,
    seed: int = 42,
) -> nx.Graph:
    """The co-occurrence network of the phrases of a run.

    Nodes are phrases with ``kind``, ``total`` (mentions), ``documents``,
    ``windows``, ``first_year`` and ``last_year`` (-1 when undated) and
    ``community`` (0 is the largest); all counts are for the chosen years.
    Edges carry ``weight`` (shared windows), ``documents`` and ``npmi``.

    Args:
        source: A folder written by ``miner run``, or mention records (dicts
            or :class:`~miner.types.Mention`) with ``doc_id``, ``year``,
            ``phrase``, ``kind``, ``sentence`` and ``paragraph``.
        window: ``"sentence"``, ``"paragraph"`` or ``"document"``.
        kind: ``"numbered"``, ``"quoted"`` or ``"all"`` phrases.
        year_from: First year to include (undated documents are then left out).
        year_to: Last year to include.
        min_count: Keep phrases mentioned at least this often.
        min_edge: Keep edges of phrases sharing at least this many windows.
        min_score: Keep edges with NPMI at least this (``None``: all edges).
        top: Keep only the ``top`` most mentioned phrases (``None``: all).
        isolates: Keep phrases left without an edge.
        seed: Seed of the community detection.

    Raises:
        EmptyResultError: Nothing is left to draw, with the reason.

    >>> rows = [dict(doc_id=d, year=2015, phrase=p, kind="numbered", sentence=s, paragraph=0)
    ...         for d, s, p in [("a", 0, "四个全面"), ("a", 0, "五位一体"), ("a", 1, "四个全面"),
    ...                         ("b", 0, "五位一体"), ("b", 0, "一带一路"), ("b", 1, "四个全面")]]
    >>> g = build_cooccurrence_graph(rows, window="sentence", min_count=1, min_score=None)
    >>> sorted(g.edges(data="weight"))
    [('五位一体', '一带一路', 1), ('四个全面', '五位一体', 1)]
    >>> round(g.edges["四个全面", "五位一体"]["npmi"], 4)  # N=4 windows, n_a=3, n_b=2, n_ab=1
    -0.2925
    """
    if window not in WINDOWS:
        raise InputError(f"window '{window}' is not one of {', '.join(WINDOWS)}")
    check_kind(kind)
    rows, name = _records(source, kind, year_from, year_to)
    what = ("" if kind == "all" else f"{kind} ") + "phrases"
    period = years_phrase(year_from, year_to)
    if not rows:
        raise EmptyResultError(f"no {what}{period} in {name}; try another --kind or other years")

    totals: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    years: dict[str, list] = defaultdict(list)
    kinds: dict[str, str] = {}
    windows: dict = defaultdict(set)
    for r in rows:
        p = r["phrase"]
        totals[p] += 1
        docs[p].add(r["doc_id"])
        kinds[p] = r["kind"]
        if r.get("year") is not None:
            years[p].append(r["year"])
        windows[_window_key(r, window)].add(p)
    n_windows = len(windows)
    in_windows = Counter(p for phrases in windows.values() for p in phrases)

    ranked = sorted((p for p, c in totals.items() if c >= min_count), key=lambda p: (-totals[p], p))
    if not ranked:
        raise EmptyResultError(
            f"none of the {len(totals)} {what}{period} in {name} is mentioned {min_count} times or more; "
            "lower --min-count"
        )
    kept = ranked[:top] if top else ranked
    keep = set(kept)

    pair_windows: Counter = Counter()
    pair_docs: dict[tuple, set] = defaultdict(set)
    for key, phrases in windows.items():
        doc = key if window == "document" else key[0]
        for a, b in itertools.combinations(sorted(phrases & keep), 2):
            pair_windows[a, b] += 1
            pair_docs[a, b].add(doc)

    graph = nx.Graph(
        window=window, kind=kind, years=years_label(year_from, year_to), windows=n_windows, score="npmi",
        min_count=min_count, min_edge=min_edge, min_score="" if min_score is None else min_score,
    )
    for p in kept:
        graph.add_node(
            p, label=p, kind=kinds[p], total=totals[p], documents=len(docs[p]), windows=in_windows[p],
            first_year=min(years[p], default=NO_YEAR), last_year=max(years[p], default=NO_YEAR),
        )
    rank = {p: i for i, p in enumerate(kept)}
    for (a, b), n_ab in sorted(pair_windows.items(), key=lambda kv: (rank[kv[0][0]], rank[kv[0][1]])):
        score = npmi(n_ab, in_windows[a], in_windows[b], n_windows)
        if n_ab >= min_edge and (min_score is None or score >= min_score):
            graph.add_edge(a, b, weight=n_ab, documents=len(pair_docs[a, b]), npmi=round(score, 6))
    if not isolates:
        graph.remove_nodes_from([p for p in kept if graph.degree(p) == 0])
    if graph.number_of_edges() == 0:
        raise EmptyResultError(
            f"no two of the {len(kept)} {what} kept{period} share a {window} in {name}"
            + (f" with NPMI ≥ {min_score}" if min_score is not None and pair_windows else "")
            + "; try a wider --window (paragraph, document), lower --min-edge or --min-score, or a larger --top"
        )
    _assign_communities(graph, seed)
    return graph


def _assign_communities(graph: nx.Graph, seed: int) -> None:
    """Store Louvain communities as ``community`` ids, 0 the largest (ties: earliest, then phrase)."""
    # Louvain needs positive weights; an edge with NPMI ≤ 0 says the phrases avoid each other.
    positive = nx.Graph()
    positive.add_nodes_from(graph)
    positive.add_edges_from((a, b, {"w": s}) for a, b, s in graph.edges(data="npmi") if s > 0)
    if positive.number_of_edges():
        found = nx.community.louvain_communities(positive, weight="w", seed=seed)
    else:
        found = [{p} for p in graph]

    def order(members):
        first = [graph.nodes[p]["first_year"] for p in members if graph.nodes[p]["first_year"] != NO_YEAR]
        return (-len(members), statistics.median(first) if first else math.inf, min(members))

    for i, members in enumerate(sorted(found, key=order)):
        for p in members:
            graph.nodes[p]["community"] = i


@dataclass(frozen=True)
class Community:
    """One community of a network: its members, most mentioned first, and their years."""

    id: int
    members: tuple[str, ...]
    first_year: int | None
    last_year: int | None
    median_first_year: float | None


def communities(graph: nx.Graph) -> list[Community]:
    """The communities stored on a graph's nodes, largest first.

    >>> g = nx.Graph()
    >>> g.add_node("四个全面", total=9, community=0, first_year=2015, last_year=2019)
    >>> g.add_node("八字宪法", total=8, community=1, first_year=1959, last_year=1978)
    >>> [(c.id, c.members, c.first_year) for c in communities(g)]
    [(0, ('四个全面',), 2015), (1, ('八字宪法',), 1959)]
    """
    groups = defaultdict(list)
    for p, data in graph.nodes(data=True):
        groups[data.get("community", 0)].append(p)
    result = []
    for cid in sorted(groups):
        members = sorted(groups[cid], key=lambda p: (-graph.nodes[p].get("total", 0), p))
        firsts = [graph.nodes[p].get("first_year", NO_YEAR) for p in members]
        firsts = [y for y in firsts if y != NO_YEAR]
        lasts = [y for y in (graph.nodes[p].get("last_year", NO_YEAR) for p in members) if y != NO_YEAR]
        result.append(Community(cid, tuple(members), min(firsts, default=None), max(lasts, default=None),
                                statistics.median(firsts) if firsts else None))
    return result


def network_layout(graph: nx.Graph, *, seed: int = 42) -> dict:
    """Node positions: each community laid out on its own, the communities side by side.

    Each community gets a disc (its area grows with its size), inside which
    a spring layout pulls the most associated phrases closest.  The discs
    start where a spring layout of the graph of communities (joined by the
    NPMI between their members) puts them, and are then packed together
    without overlapping.  Seeded, so the same graph gives the same picture.

    >>> g = nx.Graph()
    >>> g.add_edge("四个全面", "五位一体", npmi=0.8)
    >>> network_layout(g) == network_layout(g)
    True
    """
    import numpy as np

    if graph.number_of_nodes() == 0:
        return {}
    group = {p: graph.nodes[p].get("community", 0) for p in graph}
    members = defaultdict(list)
    for p in graph:
        members[group[p]].append(p)
    ids = sorted(members)
    radius = {c: 0.25 * math.sqrt(len(members[c])) for c in ids}

    between = nx.Graph()
    between.add_nodes_from(ids)
    for a, b, s in graph.edges(data="npmi", default=0.5):
        ca, cb = group[a], group[b]
        if ca != cb and s > 0:
            w = between.get_edge_data(ca, cb, {"w": 0.0})["w"]
            between.add_edge(ca, cb, w=w + s)
    if len(ids) == 1:
        centres = {ids[0]: np.zeros(2)}
    else:
        # Unconnected communities attract a little too, so none drifts far away.
        for a, b in itertools.combinations(ids, 2):
            if not between.has_edge(a, b):
                between.add_edge(a, b, w=0.01)
        start = _spring(between, "w", seed)
        packed = _pack(np.array([start[c] for c in ids], dtype=float), np.array([radius[c] for c in ids]))
        centres = dict(zip(ids, packed))

    pos = {}
    for c in ids:
        sub = nx.Graph()
        sub.add_nodes_from(sorted(members[c], key=lambda p: (-graph.nodes[p].get("total", 0), p)))
        sub.add_edges_from((a, b, {"w": max(s, 0.0) + 0.01}) for a, b, s in graph.subgraph(members[c]).edges(
            data="npmi", default=0.5))
        local = _spring(sub, "w", seed)
        for p, xy in local.items():
            pos[p] = centres[c] + radius[c] * np.asarray(xy, dtype=float)
    return {p: (float(x), float(y)) for p, (x, y) in pos.items()}


def _pack(centres, radii, *, gap: float = 0.12, rounds: int = 400):
    """Move discs from their starting centres until none overlaps, keeping them close together."""
    import numpy as np

    xy = centres - centres.mean(axis=0)
    spread = float(np.abs(xy).max()) or 1.0
    xy *= radii.sum() / spread  # start wide enough that pushing apart converges quickly
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for i in range(rounds):
        if i < rounds // 2:
            xy *= 0.97  # gravity: pull the discs together
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(need - dist, 0.0, None)
        if i >= rounds // 2 and not overlap.any():
            break
        push = (overlap / np.maximum(dist, 1e-9) / 2)[..., None] * delta
        xy += push.sum(axis=1)
    return xy


def _spring(graph: nx.Graph, weight: str, seed: int) -> dict:
    """A seeded spring layout in the unit disc (a circle for graphs too big for it without scipy)."""
    import numpy as np

    n = graph.number_of_nodes()
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if n >= 500:  # networkx needs scipy for spring layouts of 500+ nodes
        return nx.circular_layout(graph)
    pos = nx.spring_layout(graph, weight=weight, seed=seed, k=2.0 / math.sqrt(n), iterations=200)
    # Scale by the typical distance from the centre, not the farthest node, so
    # one loosely tied phrase does not squash the rest; clip it to the disc edge.
    xy = np.array([pos[p] for p in graph], dtype=float)
    xy -= np.median(xy, axis=0)
    dist = np.hypot(xy[:, 0], xy[:, 1])
    xy *= 0.75 / (float(np.percentile(dist, 75)) or 1.0)
    dist = np.hypot(xy[:, 0], xy[:, 1])
    xy[dist > 1] /= dist[dist > 1, None]
    return {p: (float(x), float(y)) for p, (x, y) in zip(graph, xy)}


def _node_colors(graph: nx.Graph, nodes, color_by: str):
    from matplotlib import colormaps

    if color_by == "community":
        cmap = colormaps["tab10" if max((graph.nodes[p].get("community", 0) for p in nodes), default=0) < 10
                          else "tab20"]
        return [cmap(graph.nodes[p].get("community", 0) % cmap.N) for p in nodes], cmap
    return None, colormaps["viridis"]


def draw_network(
    graph: nx.Graph,
    *,
    ax=None,
    color_by: str = "community",
    seed: int = 42,
    pos: dict | None = None,
    font_size: float = 9,
    legend: bool = True,
):
    """Draw a phrase network: labelled nodes sized by mentions, coloured by
    community or by the year a phrase first appears.

    Args:
        graph: A graph from :func:`build_cooccurrence_graph`.
        ax: The Axes to draw on (default: a new figure's).
        color_by: ``"community"`` or ``"first_year"``.
        seed: Seed of the layout, when ``pos`` is not given.
        pos: Node positions (default: :func:`network_layout`).
        font_size: Size of the node labels.
        legend: Add a legend of the communities, or a colour bar of the years.

    Returns:
        The Axes drawn on.

    >>> g = nx.Graph()
    >>> g.add_edge("四个全面", "五位一体", npmi=0.8, weight=3)
    >>> ax = draw_network(g)
    >>> sorted(t.get_text() for t in ax.texts)
    ['五位一体', '四个全面']
    """
    from matplotlib import patheffects
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from .fonts import cjk_rc

    if color_by not in COLOR_BY:
        raise InputError(f"color_by '{color_by}' is not one of {', '.join(COLOR_BY)}")
    with cjk_rc():
        if ax is None:
            ax = Figure(figsize=(12, 10), layout="constrained").add_subplot()
        ax.set_axis_off()
        if graph.number_of_nodes() == 0:
            ax.text(0.5, 0.5, "no phrases to draw", ha="center", va="center", transform=ax.transAxes)
            return ax
        pos = pos or network_layout(graph, seed=seed)
        nodes = list(graph)
        totals = [graph.nodes[p].get("total", 1) for p in nodes]
        biggest = max(totals) or 1
        sizes = [60 + 1400 * math.sqrt(t / biggest) for t in totals]

        # Edges within a community darker than those between, the most associated on top.
        group = {p: graph.nodes[p].get("community", 0) for p in nodes}
        edges = sorted(graph.edges(data="npmi", default=0.5), key=lambda e: e[2])
        for a, b, s in edges:
            s = max(s, 0.0)
            inside = group[a] == group[b]
            (x0, y0), (x1, y1) = pos[a], pos[b]
            ax.plot([x0, x1], [y0, y1], color="0.4" if inside else "0.6", lw=0.3 + (1.8 if inside else 0.8) * s,
                    alpha=(0.15 + 0.45 * s) if inside else 0.06 + 0.12 * s, zorder=1, solid_capstyle="round")

        colors, cmap = _node_colors(graph, nodes, color_by)
        xy = [pos[p] for p in nodes]
        if color_by == "community":
            ax.scatter([x for x, _ in xy], [y for _, y in xy], s=sizes, c=colors, edgecolors="white",
                       linewidths=0.8, zorder=2)
        else:
            years = [graph.nodes[p].get("first_year", NO_YEAR) for p in nodes]
            known = [y for y in years if y != NO_YEAR] or [0]
            norm = Normalize(min(known), max(known) if max(known) > min(known) else min(known) + 1)
            fill = [cmap(norm(y)) if y != NO_YEAR else "0.7" for y in years]
            ax.scatter([x for x, _ in xy], [y for _, y in xy], s=sizes, c=fill, edgecolors="white",
                       linewidths=0.8, zorder=2)
        outline = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        for p, (x, y) in zip(nodes, xy):
            ax.text(x, y, p, fontsize=font_size, ha="center", va="center", zorder=3, path_effects=outline)
        xs, ys = [x for x, _ in xy], [y for _, y in xy]
        pad_x, pad_y = 0.08 * ((max(xs) - min(xs)) or 1), 0.06 * ((max(ys) - min(ys)) or 1)
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
        if legend and color_by == "community":
            handles = []
            for c in communities(graph)[:10]:
                year = f", median first year {c.median_first_year:.0f}" if c.median_first_year is not None else ""
                handles.append(Line2D([], [], ls="", marker="o", ms=9, color=cmap(c.id % cmap.N),
                                      label=f"{c.id}: {'、'.join(c.members[:3])}{'…' if len(c.members) > 3 else ''} "
                                            f"({len(c.members)}{year})"))
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=min(len(handles), 2),
                      fontsize=font_size, frameon=False, title="communities (largest members; size, median first year)")
        elif legend:
            from matplotlib.cm import ScalarMappable

            from matplotlib.ticker import MaxNLocator

            bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.5, pad=0.01)
            bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            bar.set_label("first year")
        title = f"{graph.graph.get('kind', '')} phrases sharing a {graph.graph.get('window', 'window')}"
        if graph.graph.get("years") and graph.graph["years"] != "all years":
            title += f", {graph.graph['years']}"
        ax.set_title(title.strip(), fontsize=font_size + 3)
    return ax


def _serialisable(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes GEXF and GraphML can store (no None, no lists)."""
    g = graph.copy()
    for _, data in itertools.chain(g.nodes(data=True), ((None, d) for *_, d in g.edges(data=True)), [(None, g.graph)]):
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
            elif isinstance(value, (list, tuple, set)):
                data[key] = " | ".join(map(str, value))
    return g


def write_gexf(graph: nx.Graph, path: str | Path, *, pos: dict | None = None) -> Path:
    """Write a GEXF file (Gephi), with the layout and community colours as ``viz`` data."""
    g = _serialisable(graph)
    # The colours of the drawing, so that Gephi shows the same picture.
    colors, _ = _node_colors(g, list(g.nodes), "community")
    biggest = max((d.get("total", 1) for _, d in g.nodes(data=True)), default=1) or 1
    for (p, data), (r, gr, b, _) in zip(g.nodes(data=True), colors):
        viz = {"color": {"r": int(r * 255), "g": int(gr * 255), "b": int(b * 255), "a": 1.0},
               "size": round(4 + 26 * math.sqrt(data.get("total", 1) / biggest), 2)}
        if pos and p in pos:
            viz["position"] = {"x": float(pos[p][0]) * 500, "y": float(pos[p][1]) * 500, "z": 0.0}
        data["viz"] = viz
    nx.write_gexf(g, path)
    return Path(path)


def write_graphml(graph: nx.Graph, path: str | Path) -> Path:
    """Write a GraphML file (yEd, Cytoscape, igraph, Gephi)."""
    nx.write_graphml(_serialisable(graph), path)
    return Path(path)


def write_node_link(graph: nx.Graph, path: str | Path) -> Path:
    """Write node-link JSON (d3.js; ``nx.node_link_graph(data, edges="links")`` reads it back)."""
    g = _serialisable(graph)
    data = {
        "directed": False,
        "multigraph": False,
        "graph": dict(g.graph),
        "nodes": [{"id": p, **d} for p, d in g.nodes(data=True)],
        "links": [{"source": a, "target": b, **d} for a, b, d in g.edges(data=True)],
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return Path(path)


def write_network(
    graph: nx.Graph,
    out_dir: str | Path,
    *,
    stem: str = "network",
    formats: Iterable[str] = ("gexf", "graphml", "json", "png", "svg"),
    color_by: str = "community",
    seed: int = 42,
    dpi: int = 100,
) -> list[Path]:
    """Write a network in each of ``formats`` (graph files and drawings) to ``out_dir``.

    The drawing and the GEXF positions come from the same seeded layout.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in GRAPH_FORMATS + IMAGE_FORMATS]
    if unknown:
        raise InputError(f"unknown format(s) {', '.join(unknown)}; use {', '.join(GRAPH_FORMATS + IMAGE_FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pos = network_layout(graph, seed=seed)
    paths = []
    writers = {"gexf": lambda p: write_gexf(graph, p, pos=pos), "graphml": lambda p: write_graphml(graph, p),
               "json": lambda p: write_node_link(graph, p)}
    for fmt in formats:
        if fmt in writers:
            paths.append(writers[fmt](out / f"{stem}.{fmt}"))
    images = [f for f in formats if f in IMAGE_FORMATS]
    if images:
        from .plot import save_figure

        ax = draw_network(graph, color_by=color_by, pos=pos)
        paths += save_figure(ax, [out / f"{stem}.{fmt}" for fmt in images], dpi=dpi)
    return paths
