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
from ..errors import EmptyResultError, InputError
from .selection import DEFAULT_KIND, check_kind, in_years, kind_matches, read_mentions, years_label, years_phrase

__all__ = [
    "WINDOWS", "GRAPH_FORMATS", "IMAGE_FORMATS", "COLOR_BY", "Community", "npmi", "build_cooccurrence_graph",
    "communities", "network_layout", "separate_nodes", "community_style", "node_colors", "node_sizes", "year_spells", "draw_network",
    "write_gexf", "write_graphml", "node_link_data", "write_node_link", "write_network", "GEXF_NS", "GEXF_VIZ_NS",
]

WINDOWS = ("sentence", "paragraph", "document")
GRAPH_FORMATS = ("gexf", "graphml", "json")
IMAGE_FORMATS = ("png", "svg", "pdf")
COLOR_BY = ("community", "first_year")
MENTION_FIELDS = ("doc_id", "year", "phrase", "kind", "sentence", "paragraph")
# GEXF 1.3 with its visualisation module (Gephi writes the same namespaces).
GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"
# Community markers and colours: the colours alternate dark and light (Okabe & Ito's
# colour-blind-safe set), so neighbouring ids differ in greyscale, and each id has its own marker.
COMMUNITY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#F0E442", "#D55E00", "#56B4E9", "#000000", "#CC79A7")
COMMUNITY_MARKERS = ("o", "s", "^", "D", "v", "p", "h", "P", "X", "*", "<", ">")


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


def _records(source, kind: str, year_from, year_to, where=()) -> tuple[list[dict], str]:
    """Mention rows of the wanted kind and years, and a name for the source in messages."""
    if isinstance(source, (str, Path)):
        from .selection import selected_ids

        # Only the fields needed, so a large mentions.csv fits in memory (no context strings).
        rows = [{f: r[f] for f in MENTION_FIELDS}
                for r in read_mentions(source, kind=kind, year_from=year_from, year_to=year_to,
                                       doc_ids=selected_ids(source, where))]
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


def _document_years(source, rows, year_from, year_to, where=()) -> tuple[int, ...]:
    """The years with documents: from ``documents.csv`` for a run's folder, else the mentions' years."""
    if isinstance(source, (str, Path)):
        from .selection import read_documents

        years = {d["year"] for d in read_documents(source, where)
                 if d["year"] is not None and in_years(d["year"], year_from, year_to)}
    else:
        years = {r["year"] for r in rows if r.get("year") is not None}
    return tuple(sorted(years))


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
    where=(),
) -> nx.Graph:
    """The co-occurrence network of the phrases of a run.

    Nodes are phrases with ``kind``, ``total`` (mentions), ``documents``,
    ``windows``, ``first_year`` and ``last_year`` (``None`` when undated),
    ``years`` (the years it is mentioned in) and ``community`` (0 is the
    largest); all counts are for the chosen years.  The graph's ``doc_years``
    are the years that have documents.
    Edges carry ``weight`` (shared windows), ``documents`` and ``npmi``.

    Args:
        source: A folder written by ``miner run``, or mention records (dicts
            or :class:`~miner.types.Mention`) with ``doc_id``, ``year``,
            ``phrase``, ``kind``, ``sentence`` and ``paragraph``.
        window: ``"sentence"``, ``"paragraph"`` or ``"document"``.
        kind: ``"numbered"``, ``"quoted"``, ``"slogans"`` (both, not
            ``other-quote``), ``"other-quote"`` or ``"all"`` phrases.
        year_from: First year to include (undated documents are then left out).
        year_to: Last year to include.
        min_count: Keep phrases mentioned at least this often.
        min_edge: Keep edges of phrases sharing at least this many windows.
        min_score: Keep edges with NPMI at least this (``None``: all edges).
        top: Keep only the ``top`` most mentioned phrases (``None``: all).
        isolates: Keep phrases left without an edge.
        seed: Seed of the community detection.
        where: Keep only the documents meeting these conditions (of a run's
            folder; see :func:`~miner.analysis.selection.select_documents`).

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
    rows, name = _records(source, kind, year_from, year_to, tuple(where))
    what = ("" if kind in ("all", DEFAULT_KIND) else f"{kind} ") + "phrases"
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
        min_count=min_count, min_edge=min_edge, min_score=min_score,
        doc_years=_document_years(source, rows, year_from, year_to, tuple(where)),
    )
    for p in kept:
        graph.add_node(
            p, label=p, kind=kinds[p], total=totals[p], documents=len(docs[p]), windows=in_windows[p],
            first_year=min(years[p], default=None), last_year=max(years[p], default=None),
            years=tuple(sorted(set(years[p]))),
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
        first = [graph.nodes[p]["first_year"] for p in members if graph.nodes[p]["first_year"] is not None]
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
        firsts = [y for y in (graph.nodes[p].get("first_year") for p in members) if y is not None]
        lasts = [y for y in (graph.nodes[p].get("last_year") for p in members) if y is not None]
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
    return separate_nodes({p: (float(x), float(y)) for p, (x, y) in pos.items()})


def separate_nodes(pos: dict, min_dist: float = 0.12, rounds: int = 300) -> dict:
    """Push apart nodes closer than ``min_dist`` (a spring layout can put two on one spot).

    >>> separate_nodes({"a": (0.0, 0.0), "b": (0.0, 0.0)}, 0.1)
    {'a': (-0.05, 0.0), 'b': (0.05, 0.0)}
    """
    import numpy as np

    if len(pos) < 2:
        return pos
    names = list(pos)
    xy = np.array([pos[p] for p in names], dtype=float)
    # Coincident nodes move apart along a fixed direction each (by rank), so the result is reproducible.
    angles = np.arange(len(names)) * 2.399963  # the golden angle
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        if dist.min() >= min_dist * 0.999:
            break
        same = np.argwhere(np.triu(dist < 1e-9, 1))
        if len(same):
            i, j = same[0]
            step = np.array([np.cos(angles[i]), np.sin(angles[i])]) * min_dist / 2
            xy[i] -= step
            xy[j] += step
            continue
        overlap = np.clip(min_dist * 1.001 - dist, 0.0, None)
        xy += ((overlap / dist / 2)[..., None] * delta).sum(axis=1)
    return {p: (round(float(x), 6), round(float(y), 6)) for p, (x, y) in zip(names, xy)}


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


def community_style(community: int) -> tuple[str, str]:
    """The colour and marker of a community: every id gets its own pair.

    Colours alternate dark and light, so neighbouring ids differ in greyscale
    too, and markers differ between any ids closer than 12 apart.

    >>> community_style(0), community_style(1), community_style(8)
    (('#0072B2', 'o'), ('#E69F00', 's'), ('#0072B2', 'X'))
    """
    return (COMMUNITY_COLORS[community % len(COMMUNITY_COLORS)],
            COMMUNITY_MARKERS[community % len(COMMUNITY_MARKERS)])


def _year_norm(graph: nx.Graph, nodes):
    from matplotlib.colors import Normalize

    known = [y for y in (graph.nodes[p].get("first_year") for p in nodes) if y is not None] or [0]
    return Normalize(min(known), max(known) if max(known) > min(known) else min(known) + 1)


def node_colors(graph: nx.Graph, nodes=None, color_by: str = "community") -> list[str]:
    """Each node's fill colour as ``#rrggbb``: its community's, or its first year's on viridis (grey: undated)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    nodes = list(graph) if nodes is None else list(nodes)
    if color_by == "community":
        return [community_style(graph.nodes[p].get("community", 0))[0] for p in nodes]
    norm, cmap = _year_norm(graph, nodes), colormaps["viridis"]
    years = [graph.nodes[p].get("first_year") for p in nodes]
    return [to_hex(cmap(norm(y))) if y is not None else "#b3b3b3" for y in years]


def node_sizes(graph: nx.Graph, nodes=None, *, smallest: float = 60, largest: float = 1460) -> list[float]:
    """Marker areas (points²) growing with the square root of mentions: the area shows the mentions."""
    nodes = list(graph) if nodes is None else list(nodes)
    biggest = max((graph.nodes[p].get("total", 1) for p in nodes), default=1) or 1
    return [smallest + (largest - smallest) * math.sqrt(graph.nodes[p].get("total", 1) / biggest) for p in nodes]


def _size_legend_values(totals) -> list[int]:
    """Up to three round numbers of mentions spanning the nodes' range, for the size legend.

    >>> _size_legend_values([2, 5, 40, 180])
    [2, 20, 200]
    """
    low, high = min(totals), max(totals)

    def round_to(v):
        digits = 10 ** max(len(str(int(v))) - 1, 0)
        return max(1, int(round(v / digits)) * digits)

    values = [round_to(low), round_to(math.sqrt(low * high)), round_to(high)]
    return sorted(set(values))


def _place_labels(ax, nodes, xy, sizes, font_size) -> list:
    """Label each node where its label covers no other node and no label placed before.

    The largest nodes are labelled first; each label tries its node's centre,
    then above, below, right, left and the diagonals, and takes the first
    free spot (or, if none is free, the least crowded).
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = ax.figure
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    figure.canvas.draw()  # runs the layout, so the transforms below are final
    renderer = figure.canvas.get_renderer()
    to_px = figure.dpi / 72.0
    centres = ax.transData.transform(np.asarray(xy, dtype=float))
    radii = np.sqrt(np.asarray(sizes)) / 2 * to_px + 1.0
    placed: list = []
    texts = [None] * len(nodes)

    def overlap(box, own: int) -> float:
        # Area of the label's box over other nodes' discs (as squares) and over placed labels.
        total = 0.0
        for k, ((cx, cy), r) in enumerate(zip(centres, radii)):
            if k == own:
                continue
            w = min(box.x1, cx + r) - max(box.x0, cx - r)
            h = min(box.y1, cy + r) - max(box.y0, cy - r)
            if w > 0 and h > 0:
                total += w * h
        for other in placed:
            w = min(box.x1, other.x1) - max(box.x0, other.x0)
            h = min(box.y1, other.y1) - max(box.y0, other.y0)
            if w > 0 and h > 0:
                total += w * h
        return total

    order = sorted(range(len(nodes)), key=lambda k: -sizes[k])
    for k in order:
        r_pt = math.sqrt(sizes[k]) / 2 + 1.5
        d = r_pt * 0.72
        candidates = [((0, 0), "center", "center"), ((0, r_pt), "center", "bottom"), ((0, -r_pt), "center", "top"),
                      ((r_pt, 0), "left", "center"), ((-r_pt, 0), "right", "center"), ((d, d), "left", "bottom"),
                      ((-d, d), "right", "bottom"), ((d, -d), "left", "top"), ((-d, -d), "right", "top")]
        # A pale box, not a path effect, behind the label: path effects would turn SVG text into outlines.
        text = ax.annotate(nodes[k], xy[k], xytext=(0, 0), textcoords="offset points", fontsize=font_size,
                           ha="center", va="center", zorder=3, annotation_clip=False,
                           bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
                                 "alpha": 0.6})
        text.set_in_layout(False)
        best = None
        for offset, ha, va in candidates:
            text.set_position(offset)
            text.set_ha(ha)
            text.set_va(va)
            box = text.get_window_extent(renderer)
            score = overlap(box, k)
            if best is None or score < best[0]:
                best = (score, offset, ha, va, box)
            if score == 0:
                break
        _, offset, ha, va, box = best
        text.set_position(offset)
        text.set_ha(ha)
        text.set_va(va)
        placed.append(box)
        texts[k] = text
    return texts


def draw_network(
    graph: nx.Graph,
    *,
    ax=None,
    color_by: str = "community",
    seed: int = 42,
    pos: dict | None = None,
    font_size: float | None = None,
    figsize: tuple[float, float] | None = None,
    legend: bool = True,
):
    """Draw a phrase network: labelled nodes sized by mentions, coloured (and
    shaped) by community, or coloured by the year a phrase first appears.

    Labels are placed where they cover no other node; a legend lists every
    community (colour, marker, largest members) and one shows what node sizes
    mean.

    Args:
        graph: A graph from :func:`build_cooccurrence_graph`.
        ax: The Axes to draw on (default: a new figure's).
        color_by: ``"community"`` or ``"first_year"``.
        seed: Seed of the layout, when ``pos`` is not given.
        pos: Node positions (default: :func:`network_layout`).
        font_size: Size of the node labels (default: 9, or the rc font size given).
        figsize: Width and height in inches of a new figure (default 12 × 10).
        legend: Add the legends (communities or a colour bar of the years; node sizes).

    Returns:
        The Axes drawn on.

    >>> g = nx.Graph()
    >>> g.add_edge("四个全面", "五位一体", npmi=0.8, weight=3)
    >>> ax = draw_network(g)
    >>> sorted(t.get_text() for t in ax.texts)
    ['五位一体', '四个全面']
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from ..fonts import cjk_rc

    if color_by not in COLOR_BY:
        raise InputError(f"color_by '{color_by}' is not one of {', '.join(COLOR_BY)}")
    font_size = font_size or 9
    with cjk_rc({"font.size": font_size}):
        if ax is None:
            ax = Figure(figsize=figsize or (12, 10), layout="constrained").add_subplot()
        ax.set_axis_off()
        if graph.number_of_nodes() == 0:
            ax.text(0.5, 0.5, "no phrases to draw", ha="center", va="center", transform=ax.transAxes)
            return ax
        pos = pos or network_layout(graph, seed=seed)
        nodes = list(graph)
        sizes = node_sizes(graph, nodes)

        # Edges within a community darker than those between, the most associated on top.
        group = {p: graph.nodes[p].get("community", 0) for p in nodes}
        edges = sorted(graph.edges(data="npmi", default=0.5), key=lambda e: e[2])
        for a, b, s in edges:
            s = max(s, 0.0)
            inside = group[a] == group[b]
            (x0, y0), (x1, y1) = pos[a], pos[b]
            ax.plot([x0, x1], [y0, y1], color="0.4" if inside else "0.6", lw=0.3 + (1.8 if inside else 0.8) * s,
                    alpha=(0.15 + 0.45 * s) if inside else 0.06 + 0.12 * s, zorder=1, solid_capstyle="round")

        xy = [pos[p] for p in nodes]
        colors = node_colors(graph, nodes, color_by)
        if color_by == "community":
            for c in sorted(set(group.values())):
                idx = [k for k, p in enumerate(nodes) if group[p] == c]
                ax.scatter([xy[k][0] for k in idx], [xy[k][1] for k in idx], s=[sizes[k] for k in idx],
                           c=[colors[k] for k in idx], marker=community_style(c)[1], edgecolors="white",
                           linewidths=0.8, zorder=2)
        else:
            ax.scatter([x for x, _ in xy], [y for _, y in xy], s=sizes, c=colors, edgecolors="white",
                       linewidths=0.8, zorder=2)
        xs, ys = [x for x, _ in xy], [y for _, y in xy]
        pad_x, pad_y = 0.08 * ((max(xs) - min(xs)) or 1), 0.06 * ((max(ys) - min(ys)) or 1)
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
        title = f"{graph.graph.get('kind', '')} phrases sharing a {graph.graph.get('window', 'window')}"
        if graph.graph.get("years") and graph.graph["years"] != "all years":
            title += f", {graph.graph['years']}"
        ax.set_title(title.strip(), fontsize=font_size + 3)
        if legend:
            totals = [graph.nodes[p].get("total", 1) for p in nodes]
            biggest = max(totals) or 1
            handles = []
            if color_by == "community":
                for c in communities(graph):
                    color, marker = community_style(c.id)
                    year = f", median first year {c.median_first_year:.0f}" if c.median_first_year is not None else ""
                    handles.append(Line2D([], [], ls="", marker=marker, ms=9, color=color, markeredgecolor="white",
                                          label=f"community {c.id}: {'、'.join(c.members[:3])}"
                                                f"{'…' if len(c.members) > 3 else ''} ({len(c.members)}{year})"))
            else:
                from matplotlib import colormaps
                from matplotlib.cm import ScalarMappable
                from matplotlib.ticker import MaxNLocator

                bar = ax.figure.colorbar(ScalarMappable(norm=_year_norm(graph, nodes), cmap=colormaps["viridis"]),
                                         ax=ax, shrink=0.5, pad=0.01)
                bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
                bar.set_label("first year (grey: undated)")
            # Node area grows with mentions (see node_sizes): a few sizes, as keys.
            handles += [Line2D([], [], ls="", marker="o", color="0.55", markeredgecolor="white",
                               ms=math.sqrt(60 + 1400 * math.sqrt(min(v, biggest) / biggest)),
                               label=f"{v:,} mention{'s' * (v != 1)}")
                        for v in _size_legend_values(totals)]
            title = ("communities (largest members; size, median first year) and node size: mentions"
                     if color_by == "community" else "node size: mentions")
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                      ncols=2 if len(handles) > 3 else len(handles), fontsize=font_size, frameon=False,
                      title=title, labelspacing=1.9, columnspacing=2.5, handletextpad=1.6, borderpad=1.4)
        _place_labels(ax, nodes, xy, sizes, font_size)
    return ax


def _attribute_type(values) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {bool} and kinds:
        return "boolean"
    if kinds <= {int}:
        return "integer"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set)):
        return " ".join(map(str, value))
    return str(value)


def year_spells(years: Iterable[int], doc_years: Iterable[int]) -> list[tuple[int, int]]:
    """The runs of years a phrase is mentioned in, as (first, last) spells.

    A run goes on over years without documents and stops at a year that has
    documents but no mention.

    >>> year_spells([1978, 1979, 1982, 1990], doc_years=[1978, 1979, 1982, 1985, 1990])
    [(1978, 1982), (1990, 1990)]
    """
    mentioned = set(years)
    spells: list[list[int]] = []
    for year in sorted(set(doc_years) | mentioned):
        if year in mentioned:
            if spells and spells[-1][2]:
                spells[-1][1] = year
            else:
                spells.append([year, year, True])
        elif spells:
            spells[-1][2] = False
    return [(a, b) for a, b, _ in spells]


def write_gexf(graph: nx.Graph, path: str | Path, *, pos: dict | None = None, color_by: str = "community") -> Path:
    """Write a GEXF 1.3 file (Gephi) that Gephi's timeline can play.

    Each node has the drawing's colour, size and position (``viz``) and its
    years as spells (runs of years it is mentioned in); the graph is
    ``mode="dynamic"`` with ``timeformat="integer"``.  Attributes without a
    value (``first_year`` of an undated phrase) are left out, not written as
    a placeholder.
    """
    from xml.etree import ElementTree as ET

    doc_years = graph.graph.get("doc_years", ())
    all_years = sorted({y for _, ys in graph.nodes(data="years", default=()) for y in ys or ()} | set(doc_years))
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": GEXF_VIZ_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "miner"
    described = ", ".join(f"{k}={_text(v)}" for k, v in graph.graph.items() if k != "doc_years" and v is not None)
    ET.SubElement(meta, "description").text = f"phrase co-occurrence network ({described})"
    attrs = {"defaultedgetype": "undirected", "mode": "dynamic" if all_years else "static"}
    if all_years:
        attrs.update(timeformat="integer", timerepresentation="interval", start=str(all_years[0]),
                     end=str(all_years[-1]))
    g = ET.SubElement(root, "graph", attrs)

    def declare(cls: str, items: list[dict], skip: set) -> list[str]:
        keys = sorted({k for d in items for k in d} - skip)
        if keys:
            block = ET.SubElement(g, "attributes", {"class": cls})
            for k in keys:
                ET.SubElement(block, "attribute", {"id": k, "title": k,
                                                   "type": _attribute_type([d.get(k) for d in items])})
        return keys

    node_keys = declare("node", [d for _, d in graph.nodes(data=True)], {"label"})
    edge_keys = declare("edge", [d for *_, d in graph.edges(data=True)], {"weight"})
    colors = dict(zip(graph, node_colors(graph, color_by=color_by)))
    sizes = dict(zip(graph, node_sizes(graph, smallest=4 ** 2, largest=30 ** 2)))
    nodes = ET.SubElement(g, "nodes", {"count": str(graph.number_of_nodes())})
    for p, data in graph.nodes(data=True):
        node = ET.SubElement(nodes, "node", {"id": p, "label": str(data.get("label", p))})
        values = ET.SubElement(node, "attvalues")
        for k in node_keys:
            if data.get(k) is not None and data.get(k) != ():
                ET.SubElement(values, "attvalue", {"for": k, "value": _text(data[k])})
        spells = year_spells(data.get("years") or (), doc_years)
        if spells:
            block = ET.SubElement(node, "spells")
            for start, end in spells:
                ET.SubElement(block, "spell", {"start": str(start), "end": str(end)})
        color = colors[p]
        ET.SubElement(node, "viz:color", {"r": str(int(color[1:3], 16)), "g": str(int(color[3:5], 16)),
                                          "b": str(int(color[5:7], 16)), "a": "1.0"})
        ET.SubElement(node, "viz:size", {"value": f"{math.sqrt(sizes[p]):.2f}"})
        if pos and p in pos:
            x, y = pos[p]
            ET.SubElement(node, "viz:position", {"x": f"{x * 500:.2f}", "y": f"{y * 500:.2f}", "z": "0.0"})
    edges = ET.SubElement(g, "edges", {"count": str(graph.number_of_edges())})
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        edge = ET.SubElement(edges, "edge", {"id": str(i), "source": a, "target": b,
                                             "weight": _text(data.get("weight", 1))})
        values = ET.SubElement(edge, "attvalues")
        for k in edge_keys:
            if data.get(k) is not None:
                ET.SubElement(values, "attvalue", {"for": k, "value": _text(data[k])})
    ET.indent(root, space=" ")
    Path(path).write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
    return Path(path)


def _plain(data: dict) -> dict:
    """Attributes that GraphML can store: no ``None`` (left out, so the value is empty), lists as text."""
    return {k: " ".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v
            for k, v in data.items() if v is not None}


def write_graphml(graph: nx.Graph, path: str | Path, *, pos: dict | None = None,
                  color_by: str = "community") -> Path:
    """Write a GraphML file (yEd, Cytoscape, igraph, Gephi) with the drawing's ``x``, ``y``, ``size`` and ``color``."""
    g = nx.Graph(**_plain(graph.graph))
    colors = dict(zip(graph, node_colors(graph, color_by=color_by)))
    sizes = dict(zip(graph, node_sizes(graph, smallest=4 ** 2, largest=30 ** 2)))
    for p, data in graph.nodes(data=True):
        extra = {"size": round(math.sqrt(sizes[p]), 2), "color": colors[p]}
        if pos and p in pos:
            extra.update(x=round(pos[p][0] * 500, 2), y=round(pos[p][1] * 500, 2))
        g.add_node(p, **_plain(data), **extra)
    g.add_edges_from((a, b, _plain(d)) for a, b, d in graph.edges(data=True))
    nx.write_graphml(g, path)
    return Path(path)


def node_link_data(graph: nx.Graph, *, pos: dict | None = None, color_by: str = "community") -> dict:
    """The graph as graphology's serialised form, with d3's ``links`` alongside.

    ``nodes`` are ``{key, attributes}`` and ``edges`` ``{key, source, target,
    attributes}``, which graphology's ``Graph.from(data)`` and
    ``graph.import(data)`` read as they are; node attributes include ``x``,
    ``y``, ``size``, ``color`` and ``label`` (what sigma.js draws).  ``links``
    repeat the edges with their attributes at the top level, for d3's
    ``forceLink(links).id(d => d.key)``.  A missing year is ``null``.

    >>> g = nx.Graph(window="document")
    >>> g.add_edge("四个全面", "五位一体", weight=2)
    >>> data = node_link_data(g, pos={"四个全面": (0.0, 1.0), "五位一体": (1.0, 0.0)})
    >>> data["nodes"][0]["key"], data["nodes"][0]["attributes"]["y"], data["links"]
    ('四个全面', 1.0, [{'source': '四个全面', 'target': '五位一体', 'weight': 2}])
    """
    colors = dict(zip(graph, node_colors(graph, color_by=color_by)))
    sizes = dict(zip(graph, node_sizes(graph, smallest=4 ** 2, largest=20 ** 2)))

    def node(p, data):
        attributes = {"label": data.get("label", p), **{k: list(v) if isinstance(v, tuple) else v
                                                         for k, v in data.items() if k != "label"}}
        x, y = pos.get(p, (0.0, 0.0)) if pos else (0.0, 0.0)
        attributes.update(x=x, y=y, size=round(math.sqrt(sizes[p]), 2), color=colors[p])
        return {"key": p, "attributes": attributes}

    graph_attributes = {k: list(v) if isinstance(v, tuple) else v for k, v in graph.graph.items()}
    return {
        "options": {"type": "undirected", "multi": False, "allowSelfLoops": False},
        "attributes": graph_attributes,
        "nodes": [node(p, d) for p, d in graph.nodes(data=True)],
        "edges": [{"key": f"e{i}", "source": a, "target": b, "undirected": True, "attributes": dict(d)}
                  for i, (a, b, d) in enumerate(graph.edges(data=True))],
        "links": [{"source": a, "target": b, **d} for a, b, d in graph.edges(data=True)],
    }


def write_node_link(graph: nx.Graph, path: str | Path, *, pos: dict | None = None,
                    color_by: str = "community") -> Path:
    """Write :func:`node_link_data` as JSON (graphology, sigma.js, Gephi Lite, d3.js)."""
    data = node_link_data(graph, pos=pos, color_by=color_by)
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
    dpi: int | None = None,
    size: tuple[float, float] | None = None,
    font_size: float | None = None,
) -> list[Path]:
    """Write a network in each of ``formats`` (graph files and drawings) to ``out_dir``.

    The drawing and the positions, colours and sizes in the GEXF, GraphML
    and JSON files come from the same seeded layout.  ``dpi``, ``size``
    (inches) and ``font_size`` are those of the drawing (see
    :func:`~miner.analysis.plot.save_figure`).
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in GRAPH_FORMATS + IMAGE_FORMATS]
    if unknown:
        raise InputError(f"unknown format(s) {', '.join(unknown)}; use {', '.join(GRAPH_FORMATS + IMAGE_FORMATS)}")
    if color_by not in COLOR_BY:
        raise InputError(f"color_by '{color_by}' is not one of {', '.join(COLOR_BY)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pos = network_layout(graph, seed=seed)
    paths = []
    writers = {"gexf": write_gexf, "graphml": write_graphml, "json": write_node_link}
    for fmt in formats:
        if fmt in writers:
            paths.append(writers[fmt](graph, out / f"{stem}.{fmt}", pos=pos, color_by=color_by))
    images = [f for f in formats if f in IMAGE_FORMATS]
    if images:
        from .plot import save_figure

        ax = draw_network(graph, color_by=color_by, pos=pos, figsize=size, font_size=font_size)
        paths += save_figure(ax, [out / f"{stem}.{fmt}" for fmt in images], dpi=dpi, font_size=font_size)
    return paths
