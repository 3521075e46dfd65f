"""Plots: made without a display, with a CJK font, from hand-checkable tables."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from miner.errors import EmptyResultError, InputError
from miner.fonts import cjk_rc, find_cjk_font
from miner.plot import (
    YearTable, load_year_table, plot_heatmap, plot_timeline, plot_trends, save_figure, write_plots,
)

from _analysis_data import A, B, C, D, write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("run"))


def render(figure) -> list[str]:
    """Draw a figure to PNG in memory (no display) and return the warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught]


def test_a_cjk_font_is_found_and_has_chinese_glyphs():
    from matplotlib.ft2font import FT2Font

    font = find_cjk_font()
    assert font is not None, "no CJK font: install mplfonts"
    face = FT2Font(str(font.path))
    assert all(face.get_char_index(ord(ch)) for ch in "四个现代化一带一路两个率先")


def test_chinese_labels_render_without_missing_glyphs(run_dir):
    table = load_year_table(run_dir)
    for plot in (plot_trends, plot_heatmap, plot_timeline):
        ax = plot(table)
        # Drawn after the plot function's rc context has closed: the artists keep the font.
        assert not [m for m in render(ax.figure) if "missing from" in m], plot.__name__


def test_the_default_font_would_miss_them():
    # The check above means something: without the CJK font, matplotlib warns.
    figure = Figure()
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        figure.add_subplot().set_title("四个全面")
    assert any("missing from font" in m for m in render(figure))


def test_no_global_settings_change(run_dir):
    def settings():  # the backend is left out: matplotlib resolves it on first use
        return {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}

    before = settings()
    plot_trends(run_dir)
    with cjk_rc():
        pass
    assert settings() == before


def test_year_table_from_the_run(run_dir):
    t = load_year_table(run_dir)
    assert t.years == (2001, 2002, 2003)
    assert dict(t.year_chars) == {2001: 10_000, 2002: 20_000, 2003: 10_000}
    # A: 3 mentions in 2001 (10,000 chars), 1 in 2002 (20,000 chars).
    assert t.values(A) == [3.0, 0.5, 0.0]
    assert t.values(A, "count") == [3.0, 1.0, 0.0]
    assert t.top(2) == [A, B]  # 4 mentions; then B and C tie at 2, B first by phrase order
    assert t.span(C) == (2002, 2003)
    assert set(load_year_table(run_dir, kind="quoted").counts) == {C, D}
    assert load_year_table(run_dir, year_from=2002).years == (2002, 2003)
    assert load_year_table(run_dir, min_chars=15_000).years == (2002,)


def test_trends_lines(run_dir):
    ax = Figure().add_subplot()
    assert plot_trends(run_dir, phrases=[A, "「四個全面」"], ax=ax) is ax  # any script or quote style
    lines = {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()}
    assert lines == {A: [3.0, 0.5, 0.0], B: [1.0, 0.5, 0.0]}
    assert ax.get_ylabel() == "mentions per 10,000 characters"
    counts = plot_trends(run_dir, phrases=[A], measure="count")
    assert counts.get_lines()[0].get_ydata().tolist() == [3.0, 1.0, 0.0]


def test_heatmap_grid_leaves_years_without_documents_grey():
    t = YearTable((2014, 2016), {2014: 10_000, 2016: 20_000}, {"八项规定": {2014: 2}, "四个全面": {2016: 4}})
    ax = plot_heatmap(t)
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 3)  # 2014, 2015 (no documents), 2016
    assert grid.mask[:, 1].all()
    assert grid[0, 0] == 2.0 and grid[1, 2] == 2.0 and grid[0, 2] == 0.0
    assert [t.get_text() for t in ax.get_yticklabels()] == ["八项规定", "四个全面"]  # by first year


def test_timeline_bars(run_dir):
    ax = plot_timeline(run_dir)
    assert [t.get_text() for t in ax.get_yticklabels()] == [A, B, C, D]
    assert ax.get_lines()[2].get_xdata().tolist() == [2002, 2003]  # C: first to last year


def test_one_year_still_draws(tmp_path):
    run = write_run(tmp_path / "one", [("d1", 2020, 5000, [(A, 0, 0), (B, 0, 0)])])
    ax = plot_trends(run)
    assert [line.get_ydata().tolist() for line in ax.get_lines()] == [[2.0], [2.0]]
    assert plot_heatmap(run).images[0].get_array().shape == (2, 1)


def test_empty_and_bad_input(run_dir, tmp_path):
    with pytest.raises(EmptyResultError, match="no dated documents in 1990–1995 in .*documents.csv"):
        load_year_table(run_dir, year_from=1990, year_to=1995)
    with pytest.raises(EmptyResultError, match="lower --min-chars"):
        load_year_table(run_dir, min_chars=10**6)
    undated = write_run(tmp_path / "undated", [("u", None, 100, [(A, 0, 0)])])
    with pytest.raises(EmptyResultError, match="plots need documents with a year"):
        load_year_table(undated)
    with pytest.raises(InputError, match="三个代表: no mentions in .*`miner top` lists the phrases found"):
        plot_trends(run_dir, phrases=["三个代表"])
    with pytest.raises(InputError, match="measure 'share'"):
        plot_trends(run_dir, measure="share")


def test_save_and_write_plots(run_dir, tmp_path):
    from PIL import Image

    paths = save_figure(plot_trends(run_dir), [tmp_path / "t.png", tmp_path / "t.svg", tmp_path / "t.pdf"])
    assert all(p.stat().st_size > 1000 for p in paths)
    assert Image.open(paths[0]).mode == "P"  # a palette PNG, small enough to commit
    with pytest.raises(InputError, match="cannot save a figure as '.gif'"):
        save_figure(plot_trends(run_dir), tmp_path / "t.gif")
    written = write_plots(run_dir, tmp_path / "out", formats=["png", "svg"])
    assert [p.name for p in written] == ["trends.png", "trends.svg", "heatmap.png", "heatmap.svg",
                                         "timeline.png", "timeline.svg"]
    # The same input gives the same file.
    again = write_plots(run_dir, tmp_path / "again", ["trends"], formats=["png", "svg"])
    assert again[0].read_bytes() == written[0].read_bytes()
    assert again[1].read_bytes() == written[1].read_bytes()
