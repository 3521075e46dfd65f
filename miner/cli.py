"""The ``miner`` command line: thin commands over the library functions."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EmptyResultError, MinerError

__all__ = ["main", "cli"]

DEFAULT_OUT = "outputs"
INTERRUPTED = 130


def handle_errors(func):
    """Turn a :class:`MinerError` or a file-system error (an output folder
    that cannot be made, a full disk) into a one-line ``Error: …`` and exit
    status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MinerError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(os_error_message(exc)) from None
        except KeyboardInterrupt:
            # Ctrl-C: one line and the shell's status for SIGINT (128 + 2), as other tools.
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the message
            click.echo("Error: interrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None

    return wrapper


def os_error_message(exc: OSError) -> str:
    """One line for a file-system error, naming the path and what to do.

    >>> os_error_message(FileExistsError(17, "File exists", "/dev/null"))
    '/dev/null: not a folder (it exists and is a character device); give a folder to write to'
    """
    where = exc.filename
    if isinstance(exc, FileExistsError) and where and not os.path.isdir(where):
        from .io.read import file_kind

        return f"{where}: not a folder (it exists and is {file_kind(where)}); give a folder to write to"
    return f"{where}: {exc.strerror or exc}" if where else str(exc.strerror or exc)


class OneLineErrors(click.Group):
    """A command group whose usage errors (a missing argument, an unknown
    option, a bad value) are one line, ``Error: …``, like every other error
    of ``miner`` (``-h`` shows the usage)."""

    def make_context(self, *args, **kwargs):
        with _one_line_usage():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _one_line_usage():
            return super().invoke(ctx)


@contextlib.contextmanager
def _one_line_usage():
    try:
        yield
    except click.UsageError as exc:
        if exc.ctx is None:
            raise
        raise click.UsageError(exc.format_message()) from None


def tables_option(func):
    """``-d/--dir``: the folder a ``miner run`` wrote its tables to."""
    return click.option(
        "-d", "--dir", "table_dir", default=DEFAULT_OUT, show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder with the tables written by `miner run`.",
    )(func)


class InputPath(click.ParamType):
    """A local path, or a URL (``s3://bucket/corpus/``) kept as written for
    fsspec, which the dask engine's workers read."""

    name = "path"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value:  # Path("") would be this folder
            from .io.read import EMPTY_PATH

            self.fail(EMPTY_PATH, param, ctx)
        return value if "://" in str(value) else Path(value)


def corpus_options(func):
    """INPUTS, ``-o/--out`` and the ``--*-field`` options, given to the
    command as ``inputs``, ``out_dir`` and one ``fields`` value."""

    @functools.wraps(func)
    def wrapper(*args, text_field, title_field, year_field, path_fields, **kwargs):
        from .io.read import Fields

        derived = tuple(_path_field(spec) for spec in path_fields)
        return func(*args, fields=Fields(text=text_field, title=title_field, year=year_field, derived=derived), **kwargs)

    for option in reversed((
        click.argument("inputs", nargs=-1, required=True, type=InputPath()),
        click.option("-o", "--out", "out_dir", default=DEFAULT_OUT, show_default=True,
                     type=click.Path(file_okay=False, path_type=Path), help="Folder to write the tables to."),
        click.option("--text-field", help="Field/column holding the text (default: text, content, full_text, body, "
                                          "正文, 内容, 全文 or 文本)."),
        click.option("--title-field", help="Field/column holding the title (default: title, 标题 or 题目)."),
        click.option("--year-field", help="Field/column holding the year or date (default: year, date, 年份, 年度, "
                                          "日期, 发布日期, 发布时间 or 时间)."),
        click.option("--field", "path_fields", multiple=True, metavar="NAME=PATTERN",
                     help="Take field NAME from each file's path: the first group of the regular expression "
                     "PATTERN, e.g. --field province='([^/]+省)' (repeat for more fields)."),
    )):
        wrapper = option(wrapper)
    return wrapper


def _path_field(spec: str) -> tuple[str, str]:
    """``NAME=PATTERN`` of ``--field``, checked."""
    import re

    name, sep, pattern = spec.partition("=")
    if not sep or not name.strip() or not pattern:
        raise click.BadParameter(f"'{spec}' is not NAME=PATTERN, e.g. province='([^/]+省)'", param_hint="'--field'")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise click.BadParameter(f"'{pattern}' is not a regular expression ({exc})", param_hint="'--field'") from None
    if compiled.groups > 1:
        raise click.BadParameter(f"'{pattern}' has {compiled.groups} groups; give one, around the value",
                                 param_hint="'--field'")
    return name.strip(), pattern


def where_option(func):
    """``--where FIELD=VALUE`` (repeatable): keep only the documents whose
    fields match, given to the command as ``where``, a tuple of conditions."""

    @functools.wraps(func)
    def wrapper(*args, where, **kwargs):
        from .analysis.selection import parse_where

        try:
            conditions = tuple(parse_where(w) for w in where)
        except MinerError as exc:
            raise click.BadParameter(str(exc), param_hint="'--where'") from None
        return func(*args, where=conditions, **kwargs)

    return click.option("--where", multiple=True, metavar="FIELD=VALUE",
                        help="Keep only documents whose FIELD (a column of documents.csv) is VALUE; also FIELD!=VALUE "
                        "and FIELD=FROM-TO for numbers. Repeat: one field's values are alternatives, "
                        "different fields must all hold.")(wrapper)


def _not_nan(ctx, param, value):
    # FloatRange lets NaN through: every comparison with it is false.
    if value != value:
        raise click.BadParameter("nan is not a number in the range -1.0<=x<=1.0.", ctx, param)
    return value


def years_option(func):
    """``--from/--to``: keep only documents of these years."""
    func = click.option("--to", "year_to", type=int, help="Last year to include.")(func)
    return click.option("--from", "year_from", type=int, help="First year to include.")(func)


def figure_options(func):
    """``--dpi``, ``--size`` and ``--font-size`` of a drawing, given to the
    command as one ``figure`` dict (``dpi``, ``size``, ``font_size``)."""

    @functools.wraps(func)
    def wrapper(*args, dpi, size, font_size, **kwargs):
        from .analysis.plot import parse_size

        try:
            figure = {"dpi": dpi, "size": parse_size(size), "font_size": font_size}
        except MinerError as exc:
            raise click.BadParameter(str(exc), param_hint="'--size'") from None
        return func(*args, figure=figure, **kwargs)

    for option in reversed((
        click.option("--dpi", type=click.IntRange(min=50, max=1200), default=None,
                     help="Resolution of PNG files in dots per inch (default 200)."),
        click.option("--size", metavar="WxH", help="Figure width and height in inches, e.g. 7x4.5 "
                     "(default: each chart's own)."),
        click.option("--font-size", type=click.FloatRange(min=4, max=40), default=None,
                     help="Base font size in points (default 10; network labels 9)."),
    )):
        wrapper = option(wrapper)
    return wrapper


def console():
    from rich.console import Console

    # Off a terminal (pipes, CI logs) rich would wrap at 80 columns.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="miner")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """Mine Chinese political speeches for numbered and quoted slogans."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@cli.command()
@corpus_options
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@click.option("-n", "--top", "top_n", default=10, show_default=True, type=click.IntRange(min=0),
              help="Phrases to show when done (0: none).")
@click.option("-w", "--workers", type=click.IntRange(min=1),
              help="Processes to mine in (default: the machine's cores; 1: this process only).")
@click.option("--engine", type=click.Choice(["local", "dask"]),
              help="Where to mine: processes on this machine, or a Dask cluster (default: local).")
@click.option("--scheduler", metavar="ADDRESS", help="A running Dask scheduler to use (implies --engine dask).")
@click.option("--full", is_flag=True, help="Mine every document again, even those unchanged since the last run.")
@click.option("--formulas", is_flag=True, help="Also find and count the unnumbered formulas (高质量发展 …), in a "
              "second pass: formulas.csv, formulas_by_year.csv, and kind 'formula' in the other tables.")
@click.option("--min-score", type=click.FloatRange(min=0),
              help="With --formulas (implied): smallest score without its log-count factor for a formula to be "
                   "listed (default: 0.4; 0: every candidate).")
@click.option("--slogans", "slogans_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A file of your own slogans, one a line (either script), found besides the bundled list.")
@click.option("--exclude", "exclude_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A file of phrases never to count, one a line (either script).")
@handle_errors
def run(inputs, out_dir, fields, progress, top_n, workers, engine, scheduler, full, formulas, min_score, slogans_file,
        exclude_file):
    """Mine INPUTS (files or folders) and write the tables to --out.

    Documents unchanged since the last run into the same --out are not mined
    again (see --full).
    """
    from .engines import list_inputs
    from .io.read import passed_over
    from .pipeline import Miner, read_phrase_list, run_corpus

    miner = None
    if slogans_file or exclude_file:
        miner = Miner(slogans=read_phrase_list(slogans_file) if slogans_file else (),
                      exclude=read_phrase_list(exclude_file) if exclude_file else ())
    show = sys.stderr.isatty() if progress is None else progress
    with _progress_bar(len(list_inputs(inputs, out_dir=out_dir)) if show else 0) as advance:
        summary = run_corpus(list(inputs), out_dir, fields=fields, progress=advance, engine=engine,
                             workers=workers, scheduler=scheduler, full=full, miner=miner,
                             formulas={"min_score": min_score} if min_score is not None else formulas)
    # Plain lines (rich, which takes a while to import, only for the table of
    # top phrases): a folder name is printed as it is, never read as markup.
    click.echo(
        f"{summary.documents} documents{'' if summary.reused else ' mined'} ({summary.chars:,} characters), "
        f"{summary.skipped} skipped; {summary.mentions:,} mentions of {summary.phrases:,} phrases in {summary.seconds:.1f}s"
    )
    if summary.reused:
        click.echo(f"{summary.reused} documents unchanged (reused), {summary.mined} mined")
    if summary.skipped:
        click.echo(f"skipped documents and their reasons: {out_dir / 'documents.csv'} (status column)")
    if summary.passed:
        click.echo(passed_over(summary.passed))
    click.echo(f"tables written to {out_dir}/: {', '.join(summary.tables)}")
    if top_n and summary.phrases:
        # a run may find formulas or other quotes and no slogan: no table then, and no error
        with contextlib.suppress(EmptyResultError):
            _print_top(out_dir, top_n, None, None, None)
    if summary.formulas:
        click.echo(summary.formulas.summary())


def _progress_bar(total: int):
    """A context giving an ``advance(n)`` callback; a no-op when ``total`` is 0."""
    import contextlib

    if not total:
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    @contextlib.contextmanager
    def bar():
        # On stderr, beside the summary on stdout; off a terminal (--progress
        # into a log) it is written once, as it ends, rather than redrawn.
        err = Console(stderr=True)
        with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=err, transient=err.is_terminal) as prog:
            task = prog.add_task("mining files", total=total)
            yield lambda n=1: prog.advance(task, n)

    return bar()


@cli.command()
@tables_option
@years_option
@click.option("-n", "--top", "top_n", default=20, show_default=True, type=click.IntRange(min=0),
              help="How many phrases to show (0: all).")
@click.option("-k", "--kind", type=click.Choice(["slogans", "numbered", "quoted", "listed", "other-quote", "other-number",
                                                "all", "formula"]), default="slogans", show_default=True,
              help="Numbered and quoted slogans; only numbered, only quoted, only those of --slogans FILE "
              "(listed); the quotes and numbered phrases "
              "judged not to be slogans (other-quote, other-number); everything (all); or the formulas "
              "`miner formulas` found.")
@where_option
@handle_errors
def top(table_dir, year_from, year_to, top_n, kind, where):
    """Print the leading phrases of a run as a table."""
    _print_top(table_dir, top_n, None if kind == "slogans" else kind, year_from, year_to, where)


def _print_top(table_dir, top_n, kind, year_from, year_to, where=()):
    from rich.markup import escape
    from rich.table import Table

    from .analysis.report import top_phrases
    from .analysis.selection import where_label

    rows = top_phrases(table_dir, n=top_n, kind=kind, year_from=year_from, year_to=year_to, where=where)
    of = f" of {where_label(where)}" if where else ""
    if not rows:
        span = f" in {year_from or '…'}–{year_to or '…'}" if year_from is not None or year_to is not None else ""
        raise EmptyResultError(f"no {kind + ' ' if kind else ''}phrases{span} in {table_dir}"
                               + (f" in the documents{of}" if where else ""))
    table = Table(title=escape(f"top {len(rows)} phrases{of}"))
    for column in ("phrase", "kind", "total", "documents", "per 10k chars", "first", "last"):
        table.add_column(column, justify="right" if column not in ("phrase", "kind") else "left")
    for r in rows:
        table.add_row(r["phrase"], r["kind"], str(r["total"]), str(r["documents"]), f"{r['per_10k']:.2f}",
                      str(r["first_year"] or ""), str(r["last_year"] or ""))
    console().print(table)


@cli.command()
@click.argument("phrase")
@tables_option
@years_option
@click.option("-n", "--limit", default=50, show_default=True, type=click.IntRange(min=0),
              help="Most lines to show (0: all).")
@click.option("-w", "--width", default=30, show_default=True, type=click.IntRange(min=0),
              help="Characters of context on each side.")
@click.option("-r", "--regex", is_flag=True, help="PHRASE is a regular expression (matched in simplified characters).")
@click.option("--sort", type=click.Choice(["document", "left", "right"]), default="document", show_default=True,
              help="Order the lines as in the corpus, or by the context left or right of the match, in pinyin order.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every line to this CSV file (doc_id, year, start, end, left, keyword, right).")
@where_option
@handle_errors
def kwic(phrase, table_dir, year_from, year_to, limit, width, regex, sort, csv_path, where):
    """Print the concordance (keyword in context) lines of PHRASE: any string, in
    either script, or with --regex a pattern, searched in the cleaned texts."""
    from rich.markup import escape

    from .analysis.report import concordance, write_concordance

    lines = concordance(table_dir, phrase, width=width, year_from=year_from, year_to=year_to, regex=regex,
                        where=where, sort=sort)
    out = console()
    for line in lines[: limit or None]:
        year = line.year if line.year is not None else "----"
        out.print(f"{year} {escape(line.left):>{width}}[bold red]{escape(line.match)}[/]{escape(line.right)}  "
                  f"[dim]{escape(line.doc_id)}[/]", soft_wrap=True)
        if line.members:
            out.print(f"{'':>{width + 5}}[green]= {escape(' | '.join(line.members))}[/]", soft_wrap=True)
    shown = min(len(lines), limit or len(lines))
    out.print(f"[dim]{shown} of {len(lines)} lines for {escape(phrase)}[/]")
    if csv_path:
        out.print(f"{write_concordance(lines, csv_path)} lines written to {escape(str(csv_path))}", soft_wrap=True)


@cli.command()
@click.argument("phrase")
@tables_option
@handle_errors
def define(phrase, table_dir):
    """Print what PHRASE stands for: its entry in dictionary.csv and the sentences that define it."""
    from rich.markup import escape

    from .extract.dictionary import format_entry, lookup

    out = console()
    for line in format_entry(lookup(table_dir, phrase)):
        out.print(escape(line), soft_wrap=True)


def out_option(func):
    """``-o/--out``: the folder for the files an analysis command writes (default: the tables folder)."""
    return click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Folder to write to (default: the tables folder, --dir).")(func)


def kind_option(default: str):
    return click.option("-k", "--kind", type=click.Choice(["slogans", "numbered", "quoted", "listed", "other-quote",
                                                           "other-number", "formula", "all"]),
                        default=default, show_default=True,
                        help="Numbered and quoted slogans, only numbered, only quoted, only those of "
                        "`miner run --slogans FILE` (listed), the quotes and numbered "
                        "phrases judged not to be campaign phrases (other-quote, other-number), the formulas of "
                        "`miner run --formulas` (formula), or everything (all).")


@cli.command()
@tables_option
@years_option
@click.option("-w", "--window", type=click.Choice(["sentence", "paragraph", "document"]), default="document",
              show_default=True, help="Phrases in the same window are joined.")
@kind_option("numbered")
@click.option("--min-count", default=2, show_default=True, type=click.IntRange(min=1),
              help="Keep phrases mentioned at least this often.")
@click.option("--min-edge", default=1, show_default=True, type=click.IntRange(min=1),
              help="Keep edges of phrases sharing this many windows.")
@click.option("--min-score", default=0.0, show_default=True, type=click.FloatRange(-1.0, 1.0), callback=_not_nan,
              help="Keep edges with at least this NPMI (-1: all).")
@click.option("-n", "--top", "top_n", default=60, show_default=True, type=click.IntRange(min=0),
              help="Keep the N most mentioned phrases (0: all).")
@click.option("--color", "color_by", type=click.Choice(["community", "first_year"]), default="community",
              show_default=True, help="Colour the nodes of the drawing by community or by first year.")
@click.option("-f", "--format", "formats", multiple=True, default=("gexf", "graphml", "json", "png", "svg"),
              type=click.Choice(["gexf", "graphml", "json", "png", "svg", "pdf"]), show_default=True,
              help="Files to write (repeat the option).")
@click.option("--seed", default=42, show_default=True, help="Seed of the communities and the layout.")
@where_option
@click.option("--definitions", is_flag=True, help="Add the members of defined slogans (dictionary.csv), joined by "
              "edges of kind 'defines'.")
@figure_options
@out_option
@handle_errors
def graph(table_dir, year_from, year_to, window, kind, min_count, min_edge, min_score, top_n, color_by, formats,
          seed, where, definitions, figure, out_dir):
    """Build the phrase co-occurrence network; write it for Gephi & co. and draw it."""
    from rich.markup import escape

    from .analysis.network import build_cooccurrence_graph, communities, write_network

    g = build_cooccurrence_graph(table_dir, window=window, kind=kind, year_from=year_from, year_to=year_to,
                                 min_count=min_count, min_edge=min_edge, min_score=min_score, top=top_n or None,
                                 seed=seed, where=where)
    if definitions:
        from .extract.define import add_definition_edges

        add_definition_edges(g, table_dir)
    paths = write_network(g, out_dir or table_dir, formats=formats, color_by=color_by, seed=seed, **figure)
    groups = communities(g)
    out = console()
    out.print(f"{g.number_of_nodes()} phrases, {g.number_of_edges()} edges, {len(groups)} communities")
    for c in groups:
        year = "-" if c.median_first_year is None else f"{c.median_first_year:.0f}"
        out.print(f"  {c.id}: {len(c.members):>3} phrases, median first year {year}: {escape(' '.join(c.members[:10]))}")
    out.print(f"written: {', '.join(map(str, paths))}")


@cli.command()
@click.argument("charts", nargs=-1, type=click.Choice(["trends", "heatmap", "timeline"]), metavar="[CHARTS]...")
@tables_option
@years_option
@click.option("-p", "--phrase", "phrases", multiple=True, help="A phrase to draw (repeat; default: the most mentioned).")
@click.option("-n", "--top", "top_n", type=click.IntRange(min=1),
              help="How many phrases when none are named (trends 8, others 30).")
@kind_option("slogans")
@click.option("--count", "counts", is_flag=True, help="Plot mentions, not mentions per 10,000 characters.")
@click.option("--min-chars", type=click.IntRange(min=0),
              help="Leave out years with less text than this (default: a tenth of the median year's; 0: none).")
@click.option("-f", "--format", "formats", multiple=True, default=("png",), show_default=True,
              type=click.Choice(["png", "svg", "pdf"]), help="Image formats (repeat the option).")
@click.option("--by", metavar="FIELD", help="Draw the heatmap as phrase × each value of this document field "
              "(e.g. province) instead of × year: heatmap_by_FIELD.png.")
@where_option
@figure_options
@out_option
@handle_errors
def plot(charts, table_dir, year_from, year_to, phrases, top_n, kind, counts, min_chars, formats, by, where, figure,
         out_dir):
    """Draw how phrases rise and fall: CHARTS are trends, heatmap, timeline (default: all three)."""
    from .analysis.plot import CHARTS, write_group_heatmap, write_plots

    measure = "count" if counts else "rate"
    if by:
        if set(charts) - {"heatmap"}:
            raise click.UsageError("--by draws the heatmap only; leave out trends and timeline")
        paths = write_group_heatmap(table_dir, out_dir or table_dir, by, phrases=phrases, top=top_n, kind=kind,
                                    measure=measure, where=where, year_from=year_from, year_to=year_to,
                                    formats=formats, **figure)
        console().print(f"written: {', '.join(map(str, paths))}")
        return
    paths = write_plots(table_dir, out_dir or table_dir, charts or CHARTS, phrases=phrases, top=top_n, kind=kind,
                        measure=measure, year_from=year_from, year_to=year_to,
                        min_chars=min_chars, where=where, formats=formats, **figure)
    console().print(f"written: {', '.join(map(str, paths))}")


@cli.command()
@click.argument("sides", nargs=-1, metavar="[A B]")
@click.option("--a", "side_a", help="Side A: a year (2015), a range of years (1978-1992) or a doc_id.")
@click.option("--b", "side_b", help="Side B, the same way.")
@click.option("--by", default="year", show_default=True, metavar="FIELD",
              help="Compare two values of this document field (miner compare --by province 广东省 四川省), or with "
              "no values rank every value's key phrases against the rest.")
@where_option
@tables_option
@kind_option("slogans")
@click.option("-n", "--top", "top_n", default=15, show_default=True, type=click.IntRange(min=1),
              help="Phrases to show for each side.")
@click.option("-f", "--format", "formats", multiple=True, default=("csv", "png"), show_default=True,
              type=click.Choice(["csv", "png", "svg", "pdf"]), help="Files to write (repeat the option).")
@figure_options
@out_option
@handle_errors
def compare(sides, side_a, side_b, by, where, table_dir, kind, top_n, formats, figure, out_dir):
    """Compare two documents, years or ranges of years, or two values of a
    field (--by): the phrases key to each side."""
    from .analysis.compare import compare_groups, compare_selections, write_comparison, write_group_comparison

    given = [s for s in (side_a, side_b) if s] + list(sides)
    if by != "year" and not given:
        groups = compare_groups(table_dir, by, kind=kind, where=where)
        path = write_group_comparison(groups, out_dir or table_dir)
        _print_groups(groups, top_n)
        console().print(f"written: {path}")
        return
    if len(given) != 2:
        example = (f"`miner compare --by {by} VALUE1 VALUE2`, or no values to rank each {by} against the rest"
                   if by != "year" else "`miner compare 1978-1992 2013-2025` or --a 2015 --b 2025")
        raise click.UsageError(f"give two sides, e.g. {example}")
    a, b = (side_a or sides[0], side_b or sides[-1]) if side_a or side_b else given
    result = compare_selections(table_dir, a, b, kind=kind, by=by, where=where)
    paths = write_comparison(result, out_dir or table_dir, formats=formats, top=min(top_n, 15), **figure)
    _print_comparison(result, top_n)
    console().print(f"written: {', '.join(map(str, paths))}")


def _print_groups(result, top_n):
    from rich.markup import escape
    from rich.table import Table

    out = console()
    out.print(f"{len(result.groups)} groups by {escape(result.by)}, each against the rest; key: adjusted p < "
              f"{result.level} (Holm, over {len(result.groups)} groups)")
    for side in result.groups:
        rows = result.key(side.label, top_n)
        title = (f"{result.by}={side.label}: {side.documents} document{'s' * (side.documents != 1)}, "
                 f"{side.chars:,} characters")
        if not rows:
            out.print(f"{escape(title)}: no key phrases")
            continue
        table = Table(title=escape(title))
        for column in ("phrase", "count", "rest", "per 10k", "rest per 10k", "log2 ratio", "G²", "adj. p"):
            table.add_column(column, justify="left" if column == "phrase" else "right")
        for r in rows:
            table.add_row(escape(r.phrase), str(r.count), str(r.rest_count), f"{r.per_10k:.2f}",
                          f"{r.rest_per_10k:.2f}", f"{r.log_ratio:+.2f}", f"{r.g2:.1f}", f"{r.p_adjusted:.2g}")
        out.print(table)


def _print_comparison(result, top_n):
    from rich.markup import escape
    from rich.table import Table

    out = console()
    for name, side in (("A", result.a), ("B", result.b)):
        out.print(f"{name}: {escape(side.label)}: {side.documents} document{'s' * (side.documents != 1)}, "
                  f"{side.chars:,} characters")
    out.print(f"{len(result.shared)} phrases shared, {len(result.only_a)} only in A, {len(result.only_b)} only in B; "
              f"Jaccard similarity {result.jaccard:.3f}")
    sections = (("key to A", result.key_a(top_n)), ("key to B", result.key_b(top_n)),
                ("shared, changed most", result.changed(top_n)))
    for title, rows in sections:
        if not rows:
            out.print(f"{title}: none")
            continue
        table = Table(title=title)
        for column in ("phrase", "where", "A", "B", "A per 10k", "B per 10k", "log2 ratio", "G²"):
            table.add_column(column, justify="left" if column in ("phrase", "where") else "right")
        for r in rows:
            table.add_row(escape(r.phrase), r.where, str(r.a_count), str(r.b_count), f"{r.a_per_10k:.2f}",
                          f"{r.b_per_10k:.2f}", f"{r.log_ratio:+.2f}", f"{r.g2:.1f}")
        out.print(table)


# -- definitions, patterns, formulas and the user dictionary ------------------


def _print_rows(title, rows, columns):
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="left" if column in ("template", "family", "members") else "right")
    for r in rows:
        table.add_row(*(escape(str(r[c] if r[c] is not None else "")) for c in columns))
    console().print(table)


@cli.command()
@tables_option
@click.option("--by", type=click.Choice(["template", "family"]), default="template", show_default=True,
              help="List templates (四个·) or whole families (N个X).")
@click.option("-n", "--top", "top_n", default=20, show_default=True, type=click.IntRange(min=0),
              help="How many to show (0: all).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the rates by year of the six most used (png, svg or pdf).")
@where_option
@figure_options
@handle_errors
def patterns(table_dir, by, top_n, plot_path, where, figure):
    """Print the slogan templates of a run (四个·, 三·三·, …年, A、B) and plot them by year."""
    from .extract.patterns import pattern_table, pattern_trends, plot_patterns
    from .analysis.plot import check_figure_paths, save_figure

    from .pipeline import selected_run
    from .analysis.selection import where_label

    if plot_path:
        check_figure_paths(plot_path)  # before the table, not after it
    with selected_run(table_dir, where) as run_dir:
        rows = pattern_table(run_dir, by=by, n=top_n)
        of = f" of {where_label(where)}" if where else ""
        _print_rows(f"top {len(rows)} {'families' if by == 'family' else 'templates'}{of}", rows,
                    (by, "phrases", "total", "per_10k", "first_year", "last_year", "members"))
        if plot_path:
            ax = plot_patterns(pattern_trends(run_dir, by=by), figsize=figure["size"], font_size=figure["font_size"])
            paths = save_figure(ax, plot_path, dpi=figure["dpi"], font_size=figure["font_size"])
            console().print(f"written: {', '.join(map(str, paths))}")


@cli.command()
@corpus_options
@click.option("--min-count", type=click.IntRange(min=1),
              help="Fewest occurrences of a formula (default: 3, more in a corpus of millions of characters).")
@click.option("--min-docs", type=click.IntRange(min=1),
              help="Fewest documents a formula occurs in (default: 2, up to 5 in a corpus of hundreds).")
@click.option("--min-score", type=click.FloatRange(min=0),
              help="Smallest score without its log-count factor for a phrase to be listed (default: 0.4; "
                   "0: every candidate).")
@click.option("-n", "--top", "top_n", default=20, show_default=True, type=click.IntRange(min=0),
              help="Formulas to show when done (0: none).")
@click.option("--judged", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
              help="A judged list (phrase, label TSV): print the precision of the top 20 and 50.")
@click.option("-w", "--workers", type=click.IntRange(min=1),
              help="Processes to mine in (default: the machine's cores; 1: this process only).")
@click.option("--engine", type=click.Choice(["local", "dask"]), help="Where to mine (default: local).")
@handle_errors
def formulas(inputs, out_dir, fields, min_count, min_docs, min_score, top_n, judged, workers, engine):
    """Find recurring unnumbered, unquoted formulas (高质量发展 …) in INPUTS: `miner run --formulas` in short."""
    from .extract.formulas import formula_precision, mine_formulas
    from .io.tables import read_table

    options = {k: v for k, v in (("min_count", min_count), ("min_docs", min_docs), ("min_score", min_score))
               if v is not None}
    found = mine_formulas(list(inputs), out_dir, fields=fields, formulas=options or True, workers=workers,
                          engine=engine)
    n = sum(1 for _ in read_table(out_dir / "formulas.csv", ("phrase",))) if "formulas.csv" in found.tables else 0
    console().print(f"{n:,} formulas in {found.documents} documents ({found.chars:,} characters); "
                    f"tables written to {out_dir}/: {', '.join(found.tables)}")
    if top_n and n:
        _print_top(out_dir, top_n, "formula", None, None)
    console().print(found.formulas.summary())
    for k in (20, 50) if judged else ():
        share, real, n, unjudged = formula_precision(out_dir, judged, top=k)
        console().print(f"precision of the top {k}: {real}/{n} = {share:.0%}" + (f" ({len(unjudged)} not judged: "
                        f"{' '.join(unjudged)})" if unjudged else ""))


@cli.command("export-dict")
@tables_option
@click.option("-o", "--out", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The dictionary file to write.")
@click.option("--min-count", default=2, show_default=True, type=click.IntRange(min=1),
              help="Fewest mentions of a phrase to include it.")
@click.option("--tag", default="nz", show_default=True, help="Part-of-speech tag of every entry.")
@click.option("--formulas", default=50, show_default=True, type=click.IntRange(min=0),
              help="Include this many of the best formulas, if `miner formulas` wrote formulas.csv (0: none).")
@handle_errors
def export_dict(table_dir, path, min_count, tag, formulas):
    """Write the mined slogans as a jieba user dictionary (word freq tag lines)."""
    from .io.export import export_dict as write_dictionary

    n = write_dictionary(table_dir, path, min_count=min_count, tag=tag, formulas=formulas)
    console().print(f"{n} phrases written to {path}; load them with jieba's load_userdict(\"{path}\")")


@cli.command()
@tables_option
@click.option("-o", "--out", "path", default="report.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The HTML page to write.")
@click.option("--max-phrases", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Put the N most mentioned phrases in the page.")
@click.option("--max-lines", default=20, show_default=True, type=click.IntRange(min=1),
              help="Concordance lines a phrase (spread over its years).")
@click.option("--by", "by", default=None, metavar="FIELD",
              help="Group the documents by this field of documents.csv: a Groups section with each group's "
                   "key slogans, and the slogan table switchable to one group.")
@where_option
@handle_errors
def report(table_dir, path, max_phrases, max_lines, by, where):
    """Write one self-contained HTML page to explore a run: slogans, contexts, network, periods."""
    from .analysis.html_report import write_report
    from .pipeline import selected_run

    with selected_run(table_dir, where) as run_dir:
        s = write_report(run_dir, path, max_phrases=max_phrases, max_lines=max_lines, by=by)
    console().print(f"{s.documents} documents, {s.phrases_shown} of {s.phrases} phrases, {s.lines:,} concordance lines, "
                    f"a network of {s.network_nodes} phrases; written: {path} ({s.bytes / 1e6:.1f} MB), "
                    "open it in a browser", soft_wrap=True)


@cli.command("export-xlsx")
@tables_option
@click.option("-o", "--out", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .xlsx workbook to write.")
@handle_errors
def export_xlsx(table_dir, path):
    """Write every table of a run as a sheet of one Excel workbook (text stays text)."""
    from .io.xlsx import export_xlsx as write_workbook

    sheets = write_workbook(table_dir, path)
    out = console()
    out.print(f"{len(sheets)} tables written to {path}: {', '.join(s.name for s in sheets)}", soft_wrap=True)
    for s in sheets:
        if not s.complete:
            out.print(f"{s.name}: only the first {s.written:,} of {s.rows:,} rows (the sheet limit; see the about "
                      "sheet)", soft_wrap=True)


def main() -> None:
    from .io import regex_cache

    # The patterns compiled by the last run, ready compiled (see miner.io.regex_cache).
    regex_cache.load()
    try:
        cli(prog_name="miner")
    except SystemExit as done:
        if not done.code:  # a command that ended well keeps what it compiled for the next run
            with contextlib.suppress(KeyboardInterrupt):
                regex_cache.save()
        raise


if __name__ == "__main__":
    main()
