"""Choose the part of a run to analyse: phrases of one kind, documents of some years.

Shared by the network, plot and comparison stages, which all read the tables
``miner run`` wrote.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .tables import read_table

__all__ = ["KINDS", "DEFAULT_KIND", "kind_matches", "check_kind", "parse_years", "in_years", "years_label", "years_phrase",
           "read_documents", "read_mentions", "phrase_kinds"]

# ``slogans``, the default, is every phrase but the quotes and numbered
# phrases judged not to be slogans (kinds ``other-quote``, ``other-number``);
# ``all`` takes those too.
# ``formula``: the unnumbered formulas of ``miner run --formulas``.
KINDS = ("slogans", "numbered", "quoted", "other-quote", "other-number", "formula", "all")
DEFAULT_KIND = "slogans"
YEAR_SPAN = re.compile(r"^\s*(\d{4})\s*(?:[-–—~～至到]\s*(\d{4})\s*)?$")


def kind_matches(kind: str, wanted: str) -> bool:
    """Whether a phrase of ``kind`` is wanted; ``numbered+quoted`` is both kinds;
    ``other-quote`` is wanted only by ``all`` and ``other-quote``.

    >>> kind_matches("numbered+quoted", "quoted"), kind_matches("quoted", "numbered"), kind_matches("quoted", "all")
    (True, False, True)
    >>> kind_matches("other-quote", "slogans"), kind_matches("other-quote", "quoted"), kind_matches("other-quote", "all")
    (False, False, True)
    >>> kind_matches("formula", "slogans"), kind_matches("formula", "formula"), kind_matches("formula", "all")
    (False, True, True)
    """
    if wanted == "all":
        return True
    if wanted == DEFAULT_KIND:
        return bool(kind) and not kind.startswith("other-") and kind != "formula"
    return wanted in kind.split("+")


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InputError(f"kind '{kind}' is not one of {', '.join(KINDS)}")
    return kind


def parse_years(text: str) -> tuple[int, int] | None:
    """A year (``"2015"``) or a range of years (``"1978-1992"``), or ``None``.

    >>> parse_years("1978-1992"), parse_years("2015"), parse_years("doc#3")
    ((1978, 1992), (2015, 2015), None)
    """
    m = YEAR_SPAN.match(str(text))
    if not m:
        return None
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    if end < start:
        raise InputError(f"year range '{text}' ends before it starts; write it as {end}-{start}")
    return start, end


def in_years(year: int | None, year_from: int | None, year_to: int | None) -> bool:
    """Whether ``year`` is in the range; an undated row is in only when no bound is set."""
    if year_from is None and year_to is None:
        return True
    if year is None:
        return False
    return (year_from is None or year >= year_from) and (year_to is None or year <= year_to)


def years_label(year_from: int | None, year_to: int | None) -> str:
    """``"1978–1992"``, ``"2015"``, ``"from 2013"`` or ``"all years"``."""
    if year_from is None and year_to is None:
        return "all years"
    if year_from == year_to:
        return str(year_from)
    if year_to is None:
        return f"from {year_from}"
    if year_from is None:
        return f"to {year_to}"
    return f"{year_from}–{year_to}"


def years_phrase(year_from: int | None, year_to: int | None) -> str:
    """The years as a phrase to append to a message (empty for all years).

    >>> years_phrase(1978, 1992), years_phrase(2013, None), years_phrase(None, None)
    (' in 1978–1992', ' from 2013', '')
    """
    if year_from is None and year_to is None:
        return ""
    if year_from is None or year_to is None:
        return f" {years_label(year_from, year_to)}"
    return f" in {years_label(year_from, year_to)}"


def read_documents(table_dir: str | Path) -> list[dict]:
    """The documents of a run that were mined (status ``ok``)."""
    rows = read_table(Path(table_dir) / "documents.csv", ("doc_id", "year", "chars", "status"))
    return [r for r in rows if r["status"] == "ok"]


def phrase_kinds(table_dir: str | Path) -> dict[str, str]:
    """Phrase → kind, from ``phrases.csv``."""
    return {r["phrase"]: r["kind"] for r in read_table(Path(table_dir) / "phrases.csv", ("phrase", "kind"))}


def read_mentions(
    table_dir: str | Path,
    *,
    kind: str = DEFAULT_KIND,
    year_from: int | None = None,
    year_to: int | None = None,
) -> Iterator[dict]:
    """The mentions of a run, of phrases of ``kind``, in documents of those years.

    Each row carries the phrase's overall kind (from ``phrases.csv``) under
    ``kind``, so a phrase is filtered the same way in every mention.
    """
    check_kind(kind)
    kinds = phrase_kinds(table_dir)
    required = ("doc_id", "year", "phrase", "sentence", "paragraph")
    for row in read_table(Path(table_dir) / "mentions.csv", required):
        phrase_kind = kinds.get(row["phrase"], row.get("kind", ""))
        if kind_matches(phrase_kind, kind) and in_years(row["year"], year_from, year_to):
            row["kind"] = phrase_kind
            yield row
