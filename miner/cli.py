"""The ``miner`` command line: thin commands over the library functions."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .errors import MinerError

__all__ = ["main", "cli"]

DEFAULT_OUT = "outputs"


def handle_errors(func):
    """Turn a :class:`MinerError` into a one-line ``Error: …`` and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MinerError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def tables_option(func):
    """``-d/--dir``: the folder a ``miner run`` wrote its tables to."""
    return click.option(
        "-d", "--dir", "table_dir", default=DEFAULT_OUT, show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder with the tables written by `miner run`.",
    )(func)


def years_option(func):
    """``--from/--to``: keep only documents of these years."""
    func = click.option("--to", "year_to", type=int, help="Last year to include.")(func)
    return click.option("--from", "year_from", type=int, help="First year to include.")(func)


def console():
    from rich.console import Console

    # Off a terminal (pipes, CI logs) rich would wrap at 80 columns.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="miner")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """Mine Chinese political speeches for numbered and quoted slogans."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", default=DEFAULT_OUT, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the tables to.")
@click.option("--text-field", help="Field/column holding the text (default: text, content, full_text or body).")
@click.option("--title-field", help="Field/column holding the title (default: title).")
@click.option("--year-field", help="Field/column holding the year or date (default: year or date).")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@click.option("-n", "--top", "top_n", default=10, show_default=True, help="Phrases to show when done (0: none).")
@click.option("-w", "--workers", type=click.IntRange(min=1),
              help="Processes to mine in (default: the machine's cores; 1: this process only).")
@click.option("--engine", type=click.Choice(["local", "dask"]),
              help="Where to mine: processes on this machine, or a Dask cluster (default: local).")
@click.option("--scheduler", metavar="ADDRESS", help="A running Dask scheduler to use (implies --engine dask).")
@click.option("--full", is_flag=True, help="Mine every document again, even those unchanged since the last run.")
@handle_errors
def run(inputs, out_dir, text_field, title_field, year_field, progress, top_n, workers, engine, scheduler, full):
    """Mine INPUTS (files or folders) and write the tables to --out.

    Documents unchanged since the last run into the same --out are not mined
    again (see --full).
    """
    from .pipeline import run_corpus
    from .read import Fields, discover

    fields = Fields(text=text_field, title=title_field, year=year_field)
    show = sys.stderr.isatty() if progress is None else progress
    with _progress_bar(len(discover(inputs)) if show else 0) as advance:
        summary = run_corpus(list(inputs), out_dir, fields=fields, progress=advance, engine=engine,
                             workers=workers, scheduler=scheduler, full=full)
    out = console()
    out.print(
        f"{summary.documents} documents mined ({summary.chars:,} characters), {summary.skipped} skipped; "
        f"{summary.mentions:,} mentions of {summary.phrases:,} phrases in {summary.seconds:.1f}s"
    )
    if summary.reused:
        out.print(f"{summary.reused} documents unchanged (reused), {summary.mined} mined")
    if summary.skipped:
        out.print(f"skipped documents and their reasons: {out_dir / 'documents.csv'} (status column)")
    out.print(f"tables written to {out_dir}/: {', '.join(summary.tables)}")
    if top_n:
        _print_top(out_dir, top_n, None, None, None)


def _progress_bar(total: int):
    """A context giving an ``advance(n)`` callback; a no-op when ``total`` is 0."""
    import contextlib

    if not total:
        return contextlib.nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    @contextlib.contextmanager
    def bar():
        with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), transient=True) as prog:
            task = prog.add_task("mining files", total=total)
            yield lambda n=1: prog.advance(task, n)

    return bar()


@cli.command()
@tables_option
@years_option
@click.option("-n", "--top", "top_n", default=20, show_default=True, help="How many phrases to show.")
@click.option("-k", "--kind", type=click.Choice(["all", "numbered", "quoted"]), default="all", show_default=True,
              help="Only numbered slogans, only quoted phrases, or both.")
@handle_errors
def top(table_dir, year_from, year_to, top_n, kind):
    """Print the leading phrases of a run as a table."""
    _print_top(table_dir, top_n, None if kind == "all" else kind, year_from, year_to)


def _print_top(table_dir, top_n, kind, year_from, year_to):
    from rich.table import Table

    from .report import top_phrases

    rows = top_phrases(table_dir, n=top_n, kind=kind, year_from=year_from, year_to=year_to)
    table = Table(title=f"top {len(rows)} phrases")
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
@click.option("-n", "--limit", default=50, show_default=True, help="Most lines to show (0: all).")
@click.option("-w", "--width", default=30, show_default=True, help="Characters of context on each side.")
@handle_errors
def kwic(phrase, table_dir, year_from, year_to, limit, width):
    """Print the concordance (keyword in context) lines of PHRASE."""
    from rich.markup import escape

    from .report import concordance

    lines = concordance(table_dir, phrase, width=width, year_from=year_from, year_to=year_to)
    out = console()
    for line in lines[: limit or None]:
        year = line.year if line.year is not None else "----"
        out.print(f"{year} {escape(line.left):>{width}}[bold red]{escape(line.match)}[/]{escape(line.right)}  "
                  f"[dim]{escape(line.doc_id)}[/]", soft_wrap=True)
    shown = min(len(lines), limit or len(lines))
    out.print(f"[dim]{shown} of {len(lines)} lines for {escape(phrase)}[/]")


def main() -> None:
    cli(prog_name="miner")


if __name__ == "__main__":
    main()
