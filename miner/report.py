"""Read a run's tables back for the terminal: leading phrases and concordances."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .count import rate
from .errors import EmptyResultError
from .normalize import canonical_phrase
from .selection import DEFAULT_KIND, in_years, kind_matches
from .tables import read_table

__all__ = ["top_phrases", "concordance", "KwicLine"]

UNQUOTED = re.compile(r"[\s“”]+")


def top_phrases(
    table_dir: str | Path,
    *,
    n: int = 20,
    kind: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> list[dict]:
    """The ``n`` most frequent phrases of a run, optionally of one kind and years.

    By default (``kind=None``) the kinds ``other-quote`` and ``other-number``
    are left out; ``kind="all"`` takes every phrase.

    With a year range, totals, document counts and rates are recomputed from
    ``by_year.csv`` for those years only.  Kind ``formula`` reads the tables
    ``miner formulas`` writes (``formulas.csv``, ``formulas_by_year.csv``).
    """
    table_dir = Path(table_dir)
    table, by_year = ("formulas.csv", "formulas_by_year.csv") if kind == "formula" else ("phrases.csv", "by_year.csv")
    phrases = {r["phrase"]: r for r in read_table(table_dir / table, ("phrase", "kind", "total", "documents", "per_10k"))}
    rows = [r for r in phrases.values() if kind_matches(r["kind"], kind or DEFAULT_KIND)]
    if year_from is not None or year_to is not None:
        totals, docs, years = Counter(), Counter(), {}
        for r in read_table(table_dir / by_year, ("phrase", "year", "count")):
            if in_years(r["year"], year_from, year_to) and r["phrase"] in phrases:
                totals[r["phrase"]] += r["count"]
                docs[r["phrase"]] += r["documents"]
                years.setdefault(r["phrase"], []).append(r["year"])
        # Rates are per character of every dated document in the years,
        # including documents (and whole years) without a single mention.
        span_chars = sum(
            r["chars"]
            for r in read_table(table_dir / "documents.csv", ("year", "chars", "status"))
            if r["status"] == "ok" and in_years(r["year"], year_from, year_to)
        )
        rows = [
            {
                **phrases[p],
                "total": totals[p],
                "documents": docs[p],
                "first_year": min(years[p]),
                "last_year": max(years[p]),
                "per_10k": rate(totals[p], span_chars),
            }
            for p in totals
            if kind_matches(phrases[p]["kind"], kind or DEFAULT_KIND)
        ]
    # Formulas come ranked by how formula-like they are, not by how common.
    rows.sort(key=lambda r: (-float(r["score"]), r["phrase"]) if kind == "formula" else (-r["total"], r["phrase"]))
    return rows[:n] if n else rows


@dataclass(frozen=True)
class KwicLine:
    """One concordance line: the phrase as written, with its left and right context."""

    doc_id: str
    year: int | None
    left: str
    match: str
    right: str
    members: tuple[str, ...] = ()  # what the document defines the phrase as (definitions.csv)


def concordance(
    table_dir: str | Path,
    phrase: str,
    *,
    width: int = 30,
    year_from: int | None = None,
    year_to: int | None = None,
) -> list[KwicLine]:
    """Every mention of ``phrase`` (in any script or quote style) in context,
    with the members its document defines it as, if it does."""
    table_dir = Path(table_dir)
    wanted = canonical_phrase(phrase)
    members = _defined_members(table_dir, wanted)
    lines = []
    # Mentions of one sentence come in order: search each after the one before,
    # so that three mentions in a sentence are three different lines.
    searched_from: dict[tuple, int] = {}
    for r in read_table(table_dir / "mentions.csv", ("phrase", "surface", "context")):
        # A quoted phrase keeps the spaces and inner quotes it was written
        # with ("GDP 翻番", 坚持“三个代表”重要思想); a canonical form has none.
        if UNQUOTED.sub("", r["phrase"]) != wanted:
            continue
        year = r["year"]
        if not in_years(year, year_from, year_to):
            continue
        surface = " ".join(r["surface"].split())
        context = r["context"]
        key = (r["doc_id"], r.get("sentence"), context)
        i = context.find(surface, searched_from.get(key, 0))
        if i < 0:
            i = context.find(surface)
        searched_from[key] = i + len(surface) if i >= 0 else 0
        if i < 0:
            lines.append(KwicLine(r["doc_id"], year, "", surface, "", members.get(r["doc_id"], ())))
            continue
        left = context[:i][-width:]
        right = context[i + len(surface) :][:width]
        lines.append(KwicLine(r["doc_id"], year, left, surface, right, members.get(r["doc_id"], ())))
    if not lines:
        raise EmptyResultError(
            f"'{phrase}' has no mentions in {table_dir / 'mentions.csv'}"
            + (" in those years" if year_from or year_to else "")
            + "; `miner top` lists the phrases found"
        )
    return lines


def _defined_members(table_dir: Path, phrase: str) -> dict[str, tuple[str, ...]]:
    """doc_id → the members ``definitions.csv`` gives ``phrase`` in that document."""
    from .define import MEMBER_SEPARATOR

    path = table_dir / "definitions.csv"
    if not path.exists():
        return {}
    return {
        r["doc_id"]: tuple(r["members"].split(MEMBER_SEPARATOR))
        for r in read_table(path, ("phrase", "doc_id", "members"))
        if r["phrase"] == phrase and r["members"]
    }
