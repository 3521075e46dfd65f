"""How phrases rise and fall: trend lines, a phrase × year heatmap, a timeline.

The plot functions take a :class:`YearTable` (or a folder written by
``miner run``) and draw on an Axes they are given, or on a new figure's; they
return the Axes and never show or save anything.  :func:`write_plots` and
:func:`save_figure` are what the command line uses to save them.  Chinese
labels render with the font :mod:`miner.fonts` finds.
"""

from __future__ import annotations

import contextlib
import math
import os
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from .count import PER
from ..errors import EmptyResultError, InputError
from .selection import (DEFAULT_KIND, check_kind, in_years, kind_matches, phrase_kinds, read_documents, read_mentions,
                        selected_ids, years_phrase)
from ..io.tables import read_table

__all__ = [
    "CHARTS", "MEASURES", "FORMATS", "YearTable", "load_year_table", "choose_phrases", "plot_trends",
    "plot_heatmap", "plot_timeline", "plot_comparison", "save_figure", "write_plots", "figure_rc", "DEFAULT_DPI",
    "parse_size", "plot_group_heatmap", "write_group_heatmap", "check_figure_paths",
]

CHARTS = ("trends", "heatmap", "timeline")
MEASURES = ("rate", "count")
FORMATS = ("png", "svg", "pdf")
DEFAULT_TOP = {"trends": 8, "heatmap": 30, "timeline": 30}
RATE_LABEL = "mentions per 10,000 characters"
DEFAULT_DPI = 200  # PNG resolution: sharp in print at a column's width
# Years with less text than this share of the median year's are left out of
# rates by default: a rate over a few hundred characters swings wildly.
MIN_SHARE_OF_MEDIAN = 0.1


@dataclass(frozen=True)
class YearTable:
    """Mentions of each phrase in each year, and the characters of each year.

    Attributes:
        years: The years that have documents, in order.
        year_chars: Characters of text in each year (the base of the rates).
        counts: Phrase → year → mentions (years without mentions left out).
        kinds: Phrase → kind.
        source: Where the numbers came from, for messages.
        min_chars: Years with less text than this were left out.
        left_out: The years left out for having too little text, with their characters.

    >>> t = YearTable((2014, 2015), {2014: 20_000, 2015: 10_000}, {"四个全面": {2015: 3}}, {"四个全面": "numbered"})
    >>> t.values("四个全面"), t.values("四个全面", "count"), t.span("四个全面")
    ([0.0, 3.0], [0.0, 3.0], (2015, 2015))
    """

    years: tuple[int, ...]
    year_chars: Mapping[int, int]
    counts: Mapping[str, Mapping[int, int]]
    kinds: Mapping[str, str] = field(default_factory=dict)
    source: str = "the table given"
    min_chars: int = 0
    left_out: Mapping[int, int] = field(default_factory=dict)

    def total(self, phrase: str) -> int:
        return sum(self.counts.get(phrase, {}).values())

    def values(self, phrase: str, measure: str = "rate") -> list[float]:
        """Mentions per 10,000 characters (``"rate"``) or mentions (``"count"``), one per year."""
        if measure not in MEASURES:
            raise InputError(f"measure '{measure}' is not one of {', '.join(MEASURES)}")
        counts = self.counts.get(phrase, {})
        if measure == "count":
            return [float(counts.get(y, 0)) for y in self.years]
        return [counts.get(y, 0) * PER / self.year_chars[y] if self.year_chars.get(y) else 0.0 for y in self.years]

    def series(self, phrase: str, measure: str = "rate") -> tuple[list[int], list[float]]:
        """Every year from the first to the last, with NaN for years without
        documents (or left out), so a line breaks there instead of running
        straight across.

        >>> t = YearTable((2014, 2017), {2014: 10_000, 2017: 10_000}, {"四个全面": {2017: 3}})
        >>> t.series("四个全面")
        ([2014, 2015, 2016, 2017], [0.0, nan, nan, 3.0])
        """
        by_year = dict(zip(self.years, self.values(phrase, measure)))
        years = list(range(self.years[0], self.years[-1] + 1)) if self.years else []
        return years, [by_year.get(y, math.nan) for y in years]

    def left_out_note(self) -> str:
        """A line naming the years left out for too little text ("" if none)."""
        if not self.left_out:
            return ""
        years = sorted(self.left_out)
        shown = ", ".join(f"{y} ({self.left_out[y]:,} characters)" for y in years[:4])
        more = f" and {len(years) - 4} more" if len(years) > 4 else ""
        return f"left out, under {self.min_chars:,} characters: {shown}{more}"

    def span(self, phrase: str) -> tuple[int, int]:
        """The first and last year the phrase is mentioned."""
        years = [y for y, c in self.counts.get(phrase, {}).items() if c]
        return min(years), max(years)

    def top(self, n: int | None) -> list[str]:
        """The ``n`` most mentioned phrases (ties by phrase)."""
        ranked = sorted((p for p in self.counts if self.total(p)), key=lambda p: (-self.total(p), p))
        return ranked[:n] if n else ranked


def load_year_table(
    table_dir: str | Path,
    *,
    kind: str = DEFAULT_KIND,
    year_from: int | None = None,
    year_to: int | None = None,
    min_chars: int | None = None,
    where=(),
) -> YearTable:
    """Read a run's ``by_year.csv`` (and ``documents.csv`` for the years and their sizes).

    Args:
        table_dir: A folder written by ``miner run``.
        kind: ``"slogans"`` (numbered and quoted, not ``other-quote``: the
            default), ``"numbered"``, ``"quoted"``, ``"other-quote"`` or ``"all"`` phrases.
        year_from: First year to include.
        year_to: Last year to include.
        min_chars: Leave out years with less text than this: a rate over a
            few hundred characters (a year with only a short resolution, say)
            swings wildly.  ``None`` (the default): a tenth of the median
            year's characters; 0 keeps every year.
        where: Keep only the documents meeting these conditions (see
            :func:`~miner.analysis.selection.select_documents`); counts then come
            from ``mentions.csv``.

    Raises:
        EmptyResultError: No dated documents, or no phrases, in those years.
    """
    check_kind(kind)
    table_dir = Path(table_dir)
    period = years_phrase(year_from, year_to)
    year_chars: dict = defaultdict(int)
    where = tuple(where)
    for doc in read_documents(table_dir, where):
        if doc["year"] is not None and in_years(doc["year"], year_from, year_to):
            year_chars[doc["year"]] += doc["chars"] or 0
    if not year_chars:
        raise EmptyResultError(f"no dated documents{period} in {table_dir / 'documents.csv'}; "
                               "plots need documents with a year")
    if min_chars is None:
        min_chars = int(MIN_SHARE_OF_MEDIAN * statistics.median(year_chars.values()))
    left_out = {y: c for y, c in year_chars.items() if c < min_chars}
    year_chars = {y: c for y, c in year_chars.items() if c >= min_chars}
    if not year_chars:
        raise EmptyResultError(f"no year{period} in {table_dir / 'documents.csv'} has {min_chars:,} characters "
                               "or more; lower --min-chars")
    kinds = phrase_kinds(table_dir)
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    if where:
        for r in read_mentions(table_dir, kind=kind, doc_ids=selected_ids(table_dir, where)):
            if r["year"] in year_chars:
                counts[r["phrase"]][r["year"]] = counts[r["phrase"]].get(r["year"], 0) + 1
    for r in () if where else read_table(table_dir / "by_year.csv", ("phrase", "year", "count")):
        if r["year"] in year_chars and kind_matches(kinds.get(r["phrase"], ""), kind):
            counts[r["phrase"]][r["year"]] = r["count"]
    if not counts:
        what = ("" if kind in ("all", DEFAULT_KIND) else f"{kind} ") + "phrases"
        raise EmptyResultError(f"no {what}{period} in {table_dir / 'by_year.csv'}; try another --kind or other years")
    return YearTable(tuple(sorted(year_chars)), dict(year_chars), dict(counts),
                     {p: kinds.get(p, "") for p in counts}, str(table_dir), min_chars, left_out)


def _table(data) -> YearTable:
    return data if isinstance(data, YearTable) else load_year_table(data)


def choose_phrases(table: YearTable, phrases: Iterable[str] | None = None, top: int | None = 8) -> list[str]:
    """The phrases asked for (in any script or quote style), or the ``top`` most mentioned.

    Raises:
        InputError: A phrase asked for is not in the table.
    """
    if not phrases:
        return table.top(top)
    from ..preprocess.normalize import canonical_phrase

    chosen = list(dict.fromkeys(canonical_phrase(p) for p in phrases))
    missing = [p for p in chosen if p not in table.counts]
    if missing:
        raise InputError(f"{', '.join(missing)}: no mentions in {table.source} (of the chosen kind and years); "
                         "`miner top` lists the phrases found")
    return chosen


def _new_axes(figsize):
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()


def figure_rc(font_size: float | None = None, extra: dict | None = None):
    """:func:`~miner.fonts.cjk_rc` with ``font.size`` set when a size is given."""
    from ..fonts import cjk_rc

    return cjk_rc({**({"font.size": font_size} if font_size else {}), **(extra or {})})


def _note(ax, text: str) -> None:
    """Add a line to the x axis label (what was left out)."""
    if text:
        ax.set_xlabel(f"{ax.get_xlabel()}\n{text}")


def _year_ticks(ax, first: int, last: int, axis: str = "x") -> None:
    span = last - first
    step = 1 if span <= 12 else 2 if span <= 24 else 5 if span <= 60 else 10
    ticks = [y for y in range(first, last + 1) if y % step == 0] or [first]
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks, labels=[str(y) for y in ticks])


def _measure_label(measure: str) -> str:
    return RATE_LABEL if measure == "rate" else "mentions"


def plot_trends(data, *, phrases: Iterable[str] | None = None, top: int | None = 8, measure: str = "rate",
                ax=None, figsize: tuple[float, float] | None = None, font_size: float | None = None):
    """One line per phrase over the years: mentions per 10,000 characters, or counts.

    Args:
        data: A :class:`YearTable`, or a folder written by ``miner run``.
        phrases: The phrases to draw (default: the ``top`` most mentioned).
        top: How many phrases when none are named.
        measure: ``"rate"`` (per 10,000 characters; documents differ in length) or ``"count"``.
        ax: The Axes to draw on (default: a new figure's).
        figsize: Width and height in inches of a new figure.
        font_size: Base font size in points.

    Lines break over years without documents (and years left out for too
    little text, which a note under the plot names).

    Returns:
        The Axes drawn on.

    >>> t = YearTable((2014, 2015), {2014: 20_000, 2015: 10_000}, {"四个全面": {2015: 3}, "八项规定": {2014: 2}})
    >>> ax = plot_trends(t)
    >>> [line.get_label() for line in ax.get_lines()], ax.get_lines()[0].get_ydata().tolist()
    (['四个全面', '八项规定'], [0.0, 3.0])
    """
    table = _table(data)
    chosen = choose_phrases(table, phrases, top)
    with figure_rc(font_size):
        ax = ax if ax is not None else _new_axes(figsize or (11, 5.5))
        for phrase in chosen:
            ax.plot(*table.series(phrase, measure), marker="o", ms=3, lw=1.6, label=phrase)
        ax.set_ylabel(_measure_label(measure))
        ax.set_xlabel("year")
        _year_ticks(ax, table.years[0], table.years[-1])
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.set_title(f"{'rates' if measure == 'rate' else 'mentions'} by year, "
                     f"{table.years[0]}–{table.years[-1]} (gaps: years without documents)")
        _note(ax, table.left_out_note())
    return ax


def plot_heatmap(data, *, phrases: Iterable[str] | None = None, top: int | None = 30, measure: str = "rate",
                 ax=None, figsize: tuple[float, float] | None = None, font_size: float | None = None):
    """A phrase × year grid coloured by rate (or count); phrases in order of first year.

    Years without documents are left grey.

    Args:
        data: A :class:`YearTable`, or a folder written by ``miner run``.
        phrases: The phrases to draw (default: the ``top`` most mentioned).
        top: How many phrases when none are named.
        measure: ``"rate"`` or ``"count"``.
        ax: The Axes to draw on (default: a new figure's).
        figsize: Width and height in inches of a new figure.
        font_size: Base font size in points.

    Returns:
        The Axes drawn on.

    >>> t = YearTable((2014, 2016), {2014: 10_000, 2016: 10_000}, {"四个全面": {2016: 3}, "八项规定": {2014: 2}})
    >>> ax = plot_heatmap(t)
    >>> [label.get_text() for label in ax.get_yticklabels()], ax.images[0].get_array().shape
    (['八项规定', '四个全面'], (2, 3))
    """
    import numpy as np
    from matplotlib.colors import PowerNorm

    table = _table(data)
    chosen = choose_phrases(table, phrases, top)
    chosen.sort(key=lambda p: (table.span(p)[0] if table.total(p) else math.inf, -table.total(p), p))
    first, last = table.years[0], table.years[-1]
    columns = list(range(first, last + 1))
    index = {y: i for i, y in enumerate(columns)}
    grid = np.ma.masked_all((len(chosen), len(columns)))
    for row, phrase in enumerate(chosen):
        for year, value in zip(table.years, table.values(phrase, measure)):
            grid[row, index[year]] = value
    with figure_rc(font_size):
        ax = ax if ax is not None else _new_axes(figsize or (12, 2 + 0.28 * len(chosen)))
        from matplotlib import colormaps

        # Zero is white ("under" the smallest positive value), no documents grey.
        cmap = colormaps["YlOrRd"].with_extremes(bad="0.85", under="white")
        peak = float(grid.max()) if grid.count() else 1.0
        norm = PowerNorm(0.5, vmin=min(1e-9, peak / 2) if peak else 1e-9, vmax=peak or 1.0)
        image = ax.imshow(grid, aspect="auto", cmap=cmap, norm=norm,
                          interpolation="nearest", extent=(first - 0.5, last + 0.5, len(chosen) - 0.5, -0.5))
        ax.set_yticks(range(len(chosen)), labels=chosen)
        _year_ticks(ax, first, last)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = ax.figure.colorbar(image, ax=ax, pad=0.01, shrink=0.8)
        bar.set_label(_measure_label(measure))
        left_out = "no documents" + (f" or under {table.min_chars:,} characters" if table.left_out else "")
        ax.set_title(f"{'rate' if measure == 'rate' else 'mentions'} of each phrase by year (grey: {left_out})")
    return ax


def plot_group_heatmap(table, *, phrases: Iterable[str] | None = None, top: int | None = 30, measure: str = "rate",
                       ax=None, figsize: tuple[float, float] | None = None, font_size: float | None = None):
    """A phrase × group grid (``miner plot heatmap --by FIELD``), coloured by
    rate (or count); each phrase sits with the group it is most used in, so
    each group's own slogans form a block.

    Args:
        table: A :class:`~miner.analysis.compare.GroupTable`.
        phrases: The phrases to draw (default: the ``top`` most mentioned).
        top: How many phrases when none are named.
        measure: ``"rate"`` or ``"count"``.
        ax: The Axes to draw on (default: a new figure's).
        figsize: Width and height in inches of a new figure.
        font_size: Base font size in points.

    >>> from miner.analysis.compare import GroupTable
    >>> t = GroupTable("province", ("四川省", "广东省"), {"四川省": 1000, "广东省": 1000},
    ...                {"八八战略": {"广东省": 1}, "五区协同": {"四川省": 3}, "六稳": {"四川省": 1, "广东省": 2}})
    >>> ax = plot_group_heatmap(t)
    >>> [label.get_text() for label in ax.get_yticklabels()], ax.images[0].get_array().shape
    (['五区协同', '六稳', '八八战略'], (3, 2))
    """
    import numpy as np
    from matplotlib.colors import PowerNorm

    if measure not in MEASURES:
        raise InputError(f"measure '{measure}' is not one of {', '.join(MEASURES)}")
    chosen = list(phrases) if phrases else table.top(top)
    values = {p: table.values(p, measure) for p in chosen}
    # By the group a phrase is most used in, then most used first.
    chosen.sort(key=lambda p: (int(np.argmax(values[p])) if any(values[p]) else len(table.groups), -table.total(p), p))
    grid = np.array([values[p] for p in chosen], dtype=float).reshape(len(chosen), len(table.groups))
    with figure_rc(font_size):
        ax = ax if ax is not None else _new_axes(figsize or (2.5 + 0.9 * len(table.groups), 1.5 + 0.28 * len(chosen)))
        from matplotlib import colormaps

        cmap = colormaps["YlOrRd"].with_extremes(under="white")
        peak = float(grid.max()) if grid.size else 1.0
        norm = PowerNorm(0.5, vmin=min(1e-9, peak / 2) if peak else 1e-9, vmax=peak or 1.0)
        image = ax.imshow(grid, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
        ax.set_yticks(range(len(chosen)), labels=chosen)
        ax.set_xticks(range(len(table.groups)), labels=table.groups, rotation=45 if len(table.groups) > 6 else 0,
                      ha="right" if len(table.groups) > 6 else "center")
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = ax.figure.colorbar(image, ax=ax, pad=0.01, shrink=0.8)
        bar.set_label(_measure_label(measure))
        ax.set_title(f"{'rate' if measure == 'rate' else 'mentions'} of each phrase by {table.by}")
    return ax


def plot_timeline(data, *, phrases: Iterable[str] | None = None, top: int | None = 30, ax=None,
                  figsize: tuple[float, float] | None = None, font_size: float | None = None):
    """Each phrase's life: a bar from its first to its last year, a dot (sized by
    rate) in each year it is mentioned; phrases in order of first year.

    Args:
        data: A :class:`YearTable`, or a folder written by ``miner run``.
        phrases: The phrases to draw (default: the ``top`` most mentioned).
        top: How many phrases when none are named.
        ax: The Axes to draw on (default: a new figure's).
        figsize: Width and height in inches of a new figure.
        font_size: Base font size in points.

    Returns:
        The Axes drawn on.

    >>> t = YearTable((2014, 2016), {2014: 10_000, 2016: 10_000}, {"四个全面": {2016: 3}, "八项规定": {2014: 2, 2016: 1}})
    >>> ax = plot_timeline(t)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['八项规定', '四个全面']
    """
    table = _table(data)
    chosen = [p for p in choose_phrases(table, phrases, top) if table.total(p)]
    if not chosen:
        raise EmptyResultError(f"none of the phrases asked for is mentioned in {table.source} in those years")
    chosen.sort(key=lambda p: (*table.span(p), -table.total(p), p))
    peak = max(max(table.values(p)) for p in chosen) or 1.0
    with figure_rc(font_size):
        ax = ax if ax is not None else _new_axes(figsize or (11, 1.5 + 0.3 * len(chosen)))
        for row, phrase in enumerate(chosen):
            start, end = table.span(phrase)
            ax.plot([start, end], [row, row], color="0.75", lw=3, solid_capstyle="round", zorder=1)
            points = [(y, v) for y, v in zip(table.years, table.values(phrase)) if v]
            ax.scatter([y for y, _ in points], [row] * len(points), s=[8 + 160 * v / peak for _, v in points],
                       color="C3", alpha=0.8, zorder=2, linewidths=0)
        ax.set_yticks(range(len(chosen)), labels=chosen)
        ax.set_ylim(len(chosen) - 0.5, -0.5)
        _year_ticks(ax, table.years[0], table.years[-1])
        ax.grid(axis="x", alpha=0.3)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("year (dot size: mentions per 10,000 characters)")
        ax.set_title("first to last mention of each phrase")
        _note(ax, table.left_out_note())
    return ax


SIGNIFICANT_G2 = 3.84  # p < 0.05, one degree of freedom


def plot_comparison(result, *, top: int = 12, ax=None, figsize: tuple[float, float] | None = None,
                    font_size: float | None = None):
    """The phrases most typical of each side of a comparison, as log ratios.

    Each side's ``top`` phrases by G² are drawn as bars of their log ratio
    (to the right: key to A, to the left: key to B), in order of the log
    ratio, labelled with G²; a difference that is not significant (G² below
    3.84, p ≥ 0.05) is drawn hatched and pale and labelled "n.s.".

    Args:
        result: A :class:`~miner.analysis.compare.Comparison`.
        top: Phrases per side.
        ax: The Axes to draw on (default: a new figure's).
        figsize: Width and height in inches of a new figure.
        font_size: Base font size in points.

    Returns:
        The Axes drawn on.
    """
    from matplotlib.patches import Patch

    # Each side's strongest by G², shown in order of the value the bars show.
    a_rows = sorted(result.key_a(top), key=lambda r: (-r.log_ratio, -r.g2, r.phrase))
    b_rows = sorted(result.key_b(top), key=lambda r: (-r.log_ratio, r.g2, r.phrase))
    rows = a_rows + b_rows
    with figure_rc(font_size):
        ax = ax if ax is not None else _new_axes(figsize or (9, 1.5 + 0.3 * max(len(rows), 1)))
        if not rows:
            ax.text(0.5, 0.5, "no phrases to compare", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return ax
        ys = list(range(len(rows)))
        significant = [r.g2 >= SIGNIFICANT_G2 for r in rows]
        colors = ["C0" if result.direction(r) > 0 else "C1" for r in rows]
        bars = ax.barh(ys, [r.log_ratio for r in rows], color=colors, height=0.7)
        for bar, sig in zip(bars, significant):
            if not sig:
                bar.set_alpha(0.45)
                bar.set_hatch("///")
                bar.set_edgecolor("white")
        ax.set_yticks(ys, labels=[r.phrase for r in rows])
        span = max(abs(r.log_ratio) for r in rows) or 1.0
        for y, r, sig in zip(ys, rows, significant):
            right = result.direction(r) > 0
            ax.text(r.log_ratio + (0.03 if right else -0.03) * span, y,
                    f"G²={r.g2:.1f}" + ("" if sig else " n.s."), va="center",
                    ha="left" if right else "right", fontsize="small", color="0.3")
        ax.set_xlim(-span * 1.45, span * 1.45)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_xlabel(f"log₂ ratio of rates  (← more in B: {result.b.label}    more in A: {result.a.label} →)")
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
        if not all(significant):
            ax.legend(handles=[Patch(facecolor="0.6", alpha=0.45, hatch="///", edgecolor="white",
                                     label="not significant (G² < 3.84, p ≥ 0.05)")],
                      loc="lower right", frameon=False, fontsize="small")
        ax.set_title(f"A {result.a.label} vs B {result.b.label}: Jaccard {result.jaccard:.2f}")
    return ax


def check_figure_paths(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    """The paths as a list, once each is known to be a format a figure can be saved in, in a folder
    that is (or can be made) writable: checked before any work, so a bad path fails first."""
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    bad = [p for p in paths if p.suffix.lstrip(".") not in FORMATS]
    if bad:
        raise InputError(f"{bad[0]}: cannot save a figure as '{bad[0].suffix}'; use {', '.join(FORMATS)}")
    for path in paths:
        folder = path.absolute().parent
        while not folder.exists() and folder != folder.parent:  # the folder save_figure would make
            folder = folder.parent
        if not folder.is_dir():
            raise InputError(f"{path}: cannot save a figure there; {folder} is a file, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise InputError(f"{path}: cannot save a figure there; {folder} is not writable")
    return paths


def parse_size(text: str | None) -> tuple[float, float] | None:
    """A figure size in inches from ``"WxH"`` (``"7x4.5"``, ``"7,4.5"``); ``None`` stays ``None``.

    >>> parse_size("7x4.5"), parse_size(None)
    ((7.0, 4.5), None)
    """
    if text is None:
        return None
    parts = str(text).lower().replace("×", "x").replace(",", "x").split("x")
    try:
        width, height = (float(p) for p in parts)
    except ValueError:
        width = height = 0.0
    if not (0 < width <= 100 and 0 < height <= 100):
        raise InputError(f"size '{text}' is not WIDTHxHEIGHT in inches, each above 0 and at most 100 (e.g. 7x4.5)")
    return width, height


def _svg_font_fallbacks(svg: str) -> str:
    """Name the other common CJK fonts after the one used, so a viewer without it still shows Chinese."""
    from ..fonts import SYSTEM_FAMILIES, find_cjk_font

    font = find_cjk_font()
    if font is None:
        return svg
    names = ", ".join(f"'{name}'" for name in dict.fromkeys((font.name, *SYSTEM_FAMILIES)))
    return svg.replace(f"font-family: '{font.name}'", f"font-family: {names}")


def save_figure(ax, paths: Iterable[str | Path] | str | Path, *, dpi: int | None = None,
                font_size: float | None = None, palette: bool = True) -> list[Path]:
    """Save the figure of an Axes (or a Figure) to each path; the format follows the suffix.

    PNGs are written at ``dpi`` (default 200) as 256-colour palette images
    (``palette=False``: full colour), which look the same for these charts at
    a third of the size.  SVGs keep their text as text (selectable and
    editable), naming the CJK font and common CJK fallbacks; PDFs embed their
    fonts as TrueType (Type 42), not Type 3.  All of it is set in an
    ``rc_context`` (:func:`~miner.fonts.cjk_rc`), never globally; text laid
    out at save time (tick labels) gets the CJK font and ``font_size`` too.

    >>> import tempfile
    >>> ax = plot_trends(YearTable((2015,), {2015: 10_000}, {"四个全面": {2015: 1}}))
    >>> svg = save_figure(ax, Path(tempfile.mkdtemp()) / "t.svg")[0].read_text(encoding="utf-8")
    >>> ">四个全面</text>" in svg
    True
    """
    import io

    figure = getattr(ax, "figure", ax)
    paths = check_figure_paths(paths)
    dpi = dpi or DEFAULT_DPI
    # A fixed salt makes the ids inside an SVG the same from run to run.
    settings = {"svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "miner"}
    with figure_rc(font_size, settings):
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".png" and palette:
                from PIL import Image

                buffer = io.BytesIO()
                figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
                image = Image.open(buffer).convert("RGB")
                image.quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True, dpi=(dpi, dpi))
            elif path.suffix == ".svg":
                buffer = io.StringIO()
                # No date in the file, so the same input gives the same bytes.
                figure.savefig(buffer, format="svg", dpi=dpi, facecolor="white", metadata={"Date": None})
                path.write_text(_svg_font_fallbacks(buffer.getvalue()), encoding="utf-8")
            elif path.suffix == ".pdf":
                with _truetype_text(figure, font_size):
                    figure.savefig(path, dpi=dpi, facecolor="white", metadata={"CreationDate": None})
            else:
                figure.savefig(path, dpi=dpi, facecolor="white")
    return paths


@contextlib.contextmanager
def _truetype_text(figure, font_size):
    """While a PDF is written, set the figure's CJK text in a TrueType-outline copy of the font.

    matplotlib embeds the CFF outlines of the bundled font in a TrueType slot;
    :func:`~miner.fonts.truetype_cjk_font` gives the same glyphs as TrueType.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from ..fonts import find_cjk_font, truetype_cjk_font

    font = find_cjk_font()
    if font is None:
        yield
        return
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    figure.canvas.draw()  # makes the tick labels, so their text is known
    texts = [t for t in figure.findobj(Text) if t.get_fontfamily() and t.get_fontfamily()[0] == font.name]
    chars = "".join(sorted({c for t in texts for c in t.get_text()} | set("0123456789-.,−")))
    family = truetype_cjk_font(chars)
    before = [t.get_fontfamily() for t in texts]
    try:
        for t in texts:
            t.set_fontfamily([family, *t.get_fontfamily()[1:]])
        with figure_rc(font_size, {"font.family": [family, "sans-serif"]}):
            yield
    finally:
        for t, families in zip(texts, before):
            t.set_fontfamily(families)


def write_group_heatmap(table_dir: str | Path, out_dir: str | Path, by: str, *, phrases: Iterable[str] | None = None,
                        top: int | None = None, kind: str = DEFAULT_KIND, measure: str = "rate", where=(),
                        year_from: int | None = None, year_to: int | None = None,
                        formats: Iterable[str] = ("png",), dpi: int | None = None,
                        size: tuple[float, float] | None = None, font_size: float | None = None) -> list[Path]:
    """Draw the phrase × group heatmap of field ``by`` (in the documents of
    ``where`` and of those years) and save it as
    ``out_dir/heatmap_by_<field>.<format>`` (see :func:`plot_group_heatmap`)."""
    from .compare import _safe_name, group_table
    from .selection import years_condition

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown format {', '.join(bad)}; formats: {', '.join(FORMATS)}")
    table = group_table(table_dir, by, kind=kind, where=(*where, *years_condition(year_from, year_to)))
    ax = plot_group_heatmap(table, phrases=phrases, top=top or DEFAULT_TOP["heatmap"], measure=measure, figsize=size,
                            font_size=font_size)
    stem = f"heatmap_by_{_safe_name(by)}"
    return save_figure(ax, [Path(out_dir) / f"{stem}.{fmt}" for fmt in formats], dpi=dpi, font_size=font_size)


def write_plots(
    table_dir: str | Path,
    out_dir: str | Path,
    charts: Iterable[str] = CHARTS,
    *,
    phrases: Iterable[str] | None = None,
    top: int | None = None,
    kind: str = DEFAULT_KIND,
    measure: str = "rate",
    year_from: int | None = None,
    year_to: int | None = None,
    min_chars: int | None = None,
    where=(),
    formats: Iterable[str] = ("png",),
    dpi: int | None = None,
    size: tuple[float, float] | None = None,
    font_size: float | None = None,
) -> list[Path]:
    """Draw each chart of a run and save it as ``out_dir/<chart>.<format>``.

    ``top`` defaults to 8 phrases for trends and 30 for the heatmap and
    timeline; ``min_chars`` (default: a tenth of the median year's
    characters) leaves out years with too little text; ``dpi``, ``size``
    (inches) and ``font_size`` set the figure (see :func:`save_figure`).
    """
    charts = list(dict.fromkeys(charts)) or list(CHARTS)
    bad = [c for c in charts if c not in CHARTS] + [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown chart or format {', '.join(bad)}; charts: {', '.join(CHARTS)}, "
                         f"formats: {', '.join(FORMATS)}")
    table = load_year_table(table_dir, kind=kind, year_from=year_from, year_to=year_to, min_chars=min_chars,
                            where=where)
    style = {"figsize": size, "font_size": font_size}
    draw = {
        "trends": lambda n: plot_trends(table, phrases=phrases, top=n, measure=measure, **style),
        "heatmap": lambda n: plot_heatmap(table, phrases=phrases, top=n, measure=measure, **style),
        "timeline": lambda n: plot_timeline(table, phrases=phrases, top=n, **style),
    }
    paths = []
    for chart in charts:
        ax = draw[chart](top or DEFAULT_TOP[chart])
        paths += save_figure(ax, [Path(out_dir) / f"{chart}.{fmt}" for fmt in formats], dpi=dpi,
                             font_size=font_size)
    return paths
