"""Plots: made without a display, with a CJK font, from hand-checkable tables."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from miner.errors import EmptyResultError, InputError
from miner.fonts import cjk_rc, find_cjk_font, truetype_cjk_font
from miner.analysis.plot import (
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


def test_lines_break_over_years_without_documents():
    t = YearTable((2014, 2017), {2014: 10_000, 2017: 10_000}, {"四个全面": {2014: 1, 2017: 3}})
    line = plot_trends(t).get_lines()[0]
    assert line.get_xdata().tolist() == [2014, 2015, 2016, 2017]
    assert str(line.get_ydata().tolist()) == "[1.0, nan, nan, 3.0]"  # no straight line across 2015–2016


def test_years_with_too_little_text_are_left_out_by_default(tmp_path):
    # 2020 holds only a 645-character resolution: a rate over it would spike (2 mentions: 31 per 10,000).
    docs = [("d1", 2019, 30_000, [(A, 0, 0), (B, 0, 0)]), ("d2", 2020, 645, [(A, 0, 0), (A, 1, 0)]),
            ("d3", 2021, 20_000, [(A, 0, 0)]), ("d4", 2022, 25_000, [(B, 0, 0)])]
    run = write_run(tmp_path / "run", docs)
    t = load_year_table(run)
    assert t.years == (2019, 2021, 2022) and dict(t.left_out) == {2020: 645}
    assert t.min_chars == 2_250  # a tenth of the median year (22,500 characters)
    ax = plot_trends(run)
    assert max(max(v for v in line.get_ydata() if v == v) for line in ax.get_lines()) < 1.0
    assert "left out, under 2,250 characters: 2020 (645 characters)" in ax.get_xlabel()
    assert load_year_table(run, min_chars=0).years == (2019, 2020, 2021, 2022)  # 0 keeps every year


def test_svg_keeps_text_and_pdf_embeds_truetype(run_dir, tmp_path):
    svg, pdf = save_figure(plot_trends(run_dir), [tmp_path / "t.svg", tmp_path / "t.pdf"])
    text = svg.read_text(encoding="utf-8")
    assert f">{A}</text>" in text  # the label is text, not glyph paths
    font = find_cjk_font()
    assert f"font-family: '{font.name}', 'Noto Sans SC', 'Source Han Sans SC'" in text
    assert "'Microsoft YaHei'" in text and "'PingFang SC'" in text
    data = pdf.read_bytes()
    assert b"/Type3" not in data and b"/FontFile2" in data and b"/CIDFontType2" in data
    assert b"CJKSC-TT" in data  # the TrueType-outline copy of the CJK font, not its CFF outlines


def test_the_pdf_font_has_truetype_outlines():
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    family = truetype_cjk_font("四个全面")
    assert family == truetype_cjk_font("四个全面")  # made once
    ttf = TTFont(font_manager.findfont(family, fallback_to_default=False))
    assert "glyf" in ttf and "CFF " not in ttf
    cmap = ttf.getBestCmap()
    assert all(ord(c) in cmap for c in "四个全面") and ord("五") not in cmap  # only what was asked for
    assert matplotlib.rcParams["svg.fonttype"] == "path" and matplotlib.rcParams["pdf.fonttype"] == 3  # unchanged


def test_dpi_size_and_font_size(run_dir, tmp_path):
    from PIL import Image

    ax = plot_trends(run_dir, figsize=(4, 3), font_size=14)
    assert ax.title.get_fontsize() == pytest.approx(14 * 1.2)  # axes titles are "large"
    path, = save_figure(ax, tmp_path / "t.png", font_size=14)
    assert Image.open(path).size == (800, 600)  # 200 dpi by default
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {14}
    path, = save_figure(ax, tmp_path / "t300.png", dpi=300)
    assert Image.open(path).size == (1200, 900)


def test_figure_options_on_the_command_line(run_dir, tmp_path, run_cli):
    from PIL import Image

    result = run_cli("plot", "trends", "-d", run_dir, "-o", tmp_path, "--dpi", "100", "--size", "5x2.5",
                     "--font-size", "12")
    assert result.exit_code == 0, result.output
    assert Image.open(tmp_path / "trends.png").size == (500, 250)
    result = run_cli("compare", "2001", "2002-2003", "-d", run_dir, "-o", tmp_path, "-f", "png", "--dpi", "100",
                     "--size", "6x3")
    assert result.exit_code == 0 and Image.open(tmp_path / "compare.png").size == (600, 300)
    result = run_cli("graph", "-d", run_dir, "-o", tmp_path, "-k", "all", "-w", "sentence", "--min-count", "1",
                     "-f", "png", "--dpi", "50", "--size", "8x6")
    assert result.exit_code == 0 and Image.open(tmp_path / "network.png").size == (400, 300)
    bad = run_cli("plot", "trends", "-d", run_dir, "-o", tmp_path, "--size", "big")
    assert bad.exit_code == 2
    assert "size 'big' is not WIDTHxHEIGHT in inches" in bad.output
