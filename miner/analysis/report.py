"""Read a run's tables back for the terminal: leading phrases and concordances.

A concordance searches the cleaned texts ``miner run`` keeps
(``.miner-state/texts.csv``) for any string or regular expression, in either
script; a run written before it kept them gives the lines of a mined phrase
from ``mentions.csv``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .count import rate
from ..errors import EmptyResultError, InputError
from ..preprocess.normalize import Normalizer, canonical_phrase
from .selection import (DEFAULT_KIND, Condition, in_years, kind_matches, read_documents, read_mentions, selected_ids,
                        where_label)
from ..io.tables import ENCODING, TEXTS, guard_cell, read_table

__all__ = ["top_phrases", "concordance", "KwicLine", "write_concordance", "KWIC_COLUMNS", "SORTS", "locate_mention",
           "pinyin_keys"]

TEXTS_PATH = f".miner-state/{TEXTS}"
# Between the characters of a plain query: spaces and quotes, which a phrase
# may be written with ("平安 xx", 全面落实“四个全面”战略布局) and a query without.
IGNORABLE = "\\s“”‘’「」『』\"'"
IGNORABLE_CHARS = re.compile(f"[{IGNORABLE}]+")
SORTS = ("document", "left", "right")
KWIC_COLUMNS = ("doc_id", "year", "start", "end", "left", "keyword", "right")

UNQUOTED = re.compile(r"[\s“”]+")


def top_phrases(
    table_dir: str | Path,
    *,
    n: int = 20,
    kind: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    where: Iterable[Condition] = (),
) -> list[dict]:
    """The ``n`` most frequent phrases of a run, optionally of one kind and
    years, and of the documents meeting ``where`` (see
    :func:`~miner.analysis.selection.select_documents`).

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
    doc_ids = selected_ids(table_dir, where)
    if doc_ids is not None:
        rows = _counted(table_dir, phrases, kind or DEFAULT_KIND, doc_ids, year_from, year_to)
    elif year_from is not None or year_to is not None:
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


def _counted(table_dir: Path, phrases: dict, kind: str, doc_ids: frozenset, year_from, year_to) -> list[dict]:
    """The rows of ``phrases`` counted again in the documents ``doc_ids`` of those years, from ``mentions.csv``."""
    totals, docs, years = Counter(), {}, {}
    for r in read_mentions(table_dir, kind="all", year_from=year_from, year_to=year_to, doc_ids=doc_ids):
        if r["phrase"] in phrases:
            totals[r["phrase"]] += 1
            docs.setdefault(r["phrase"], set()).add(r["doc_id"])
            if r["year"] is not None:
                years.setdefault(r["phrase"], set()).add(r["year"])
    chars = sum(d["chars"] or 0 for d in read_documents(table_dir)
                if d["doc_id"] in doc_ids and in_years(d["year"], year_from, year_to))
    return [
        {
            **phrases[p],
            "total": totals[p],
            "documents": len(docs[p]),
            "first_year": min(years.get(p, ()), default=None),
            "last_year": max(years.get(p, ()), default=None),
            "per_10k": rate(totals[p], chars),
        }
        for p in totals
        if kind_matches(phrases[p]["kind"], kind)
    ]


@dataclass(frozen=True)
class KwicLine:
    """One concordance line: the phrase as written, with its left and right context."""

    doc_id: str
    year: int | None
    left: str
    match: str
    right: str
    members: tuple[str, ...] = ()  # what the document defines the phrase as (definitions.csv)
    start: int | None = None  # where the match is in the document's cleaned text
    end: int | None = None


def concordance(
    table_dir: str | Path,
    query: str,
    *,
    width: int = 30,
    year_from: int | None = None,
    year_to: int | None = None,
    regex: bool = False,
    where: Iterable[Condition] = (),
    sort: str = "document",
) -> list[KwicLine]:
    """Every occurrence of ``query`` in the cleaned texts of a run, in context.

    A plain query matches in either script, and whatever spaces or quotes
    the text writes between its characters (全面落实四个全面战略布局 finds
    全面落实“四个全面”战略布局); with ``regex`` it is a regular expression,
    matched against the text in simplified characters (``高质量\\w{2}``).
    The lines show the text as written.  ``where`` keeps the documents
    meeting those conditions; ``sort`` orders the lines by document (as in
    the corpus), or by the context on the ``left`` (nearest character first)
    or on the ``right``, in pinyin order (see :func:`pinyin_keys`).  A plain query's lines carry the
    members its document defines it as (definitions.csv), if it does.
    """
    where = tuple(where)
    if sort not in SORTS:
        raise InputError(f"sort '{sort}' is not one of {', '.join(SORTS)}")
    table_dir = Path(table_dir)
    texts = table_dir / TEXTS_PATH
    if not texts.exists() and not regex and not where:
        return _sorted(_mention_lines(table_dir, query, width, year_from, year_to), sort)
    if not texts.exists():
        read_table(table_dir / "documents.csv")  # no run at all: say so
        raise EmptyResultError(f"{table_dir} keeps no cleaned texts to search (a run of an older miner); "
                               f"run `miner run CORPUS -o {table_dir}` again")
    normalizer = Normalizer()
    pattern = _query_pattern(query, regex, normalizer)
    wanted = canonical_phrase(query, normalizer) if not regex else ""
    members = _defined_members(table_dir, wanted) if wanted else {}
    chosen = {d["doc_id"] for d in read_documents(table_dir, where) if in_years(d["year"], year_from, year_to)}
    lines = []
    for r in read_table(texts, ("doc_id", "text")):
        if r["doc_id"] not in chosen:
            continue
        text = r["text"]
        normal = normalizer.normalize(text)
        for m in pattern.finditer(normal.text):
            if m.end() == m.start():
                continue
            a, b = normal.original_span(m.start(), m.end())
            left = " ".join(text[max(0, a - 2 * width - 10) : a].split("\n"))[-width:] if width else ""
            right = " ".join(text[b : b + 2 * width + 10].split("\n"))[:width]
            lines.append(KwicLine(r["doc_id"], r["year"], left, text[a:b], right, members.get(r["doc_id"], ()), a, b))
    if not lines:
        conditions = [f"of {where_label(where)}"] if where else []
        if year_from is not None or year_to is not None:
            conditions.append("in those years")
        raise EmptyResultError(
            f"'{query}' is not found in the texts of {table_dir}" + (f" ({' and '.join(conditions)})" if conditions else "")
            + ("" if regex else "; `miner top` lists the phrases found")
        )
    return _sorted(lines, sort)


def _query_pattern(query: str, regex: bool, normalizer: Normalizer) -> re.Pattern:
    """The pattern a query is searched with in normalised (simplified) text.

    >>> _query_pattern("「兩個率先」", False, Normalizer()).search("实现“两个 率先”").group()
    '两个 率先'
    """
    if regex:
        try:
            pattern = re.compile(normalizer.to_simplified(query))
        except re.error as exc:
            raise InputError(f"'{query}' is not a regular expression ({exc})") from None
        if pattern.search(""):
            raise InputError(f"the regular expression '{query}' matches empty text; give one that matches some characters")
        return pattern
    chars = IGNORABLE_CHARS.sub("", normalizer.normalize(query).text)
    if not chars:
        raise InputError(f"'{query}' has nothing to search for; give some characters")
    return re.compile(f"[{IGNORABLE}]*".join(map(re.escape, chars)))


# Where a character that is not read in pinyin sorts: blanks, punctuation and
# symbols first, then digits, then letters, then (after the syllables) a Han
# character pypinyin cannot read.
_BEFORE_PINYIN = {"digit": 1, "letter": 2}
_PINYIN_GROUP, _UNREAD_HAN = 3, 4
_NOT_READ = "\x00"


def _char_key(item: str) -> tuple[int, str]:
    if not item.startswith(_NOT_READ):
        return _PINYIN_GROUP, item
    c = item[1:]
    if "\u3400" <= c <= "\u9fff" or "\U00020000" <= c <= "\U0003ffff":
        return _UNREAD_HAN, c
    return (_BEFORE_PINYIN["digit"] if c.isdigit() else _BEFORE_PINYIN["letter"] if c.isalpha() else 0), c


def pinyin_keys(text: str) -> tuple[tuple[int, str], ...]:
    """One sort key per character of ``text``: its pinyin with the tone as a
    number (the reading in this context: 银行 is yin2 hang2), then digits,
    letters and punctuation before any syllable.

    >>> [k for _, k in pinyin_keys("重庆，行长")]
    ['chong2', 'qing4', '，', 'hang2', 'zhang3']
    >>> sorted(["中国", "北京", "安全", "麻", "马", "妈"], key=pinyin_keys)
    ['安全', '北京', '妈', '麻', '马', '中国']
    """
    from pypinyin import Style, lazy_pinyin

    items = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True,
                        errors=lambda run: [_NOT_READ + c for c in run])
    return tuple(map(_char_key, items))


def _sorted(lines: list[KwicLine], sort: str) -> list[KwicLine]:
    """The lines in the corpus's order, or by the context on one side in
    pinyin order (the nearest character first), the characters themselves
    breaking ties (他, 她 and 它 are all ta1)."""
    if sort == "left":
        return sorted(lines, key=lambda line: (pinyin_keys(line.left)[::-1], pinyin_keys(line.match),
                                               line.left[::-1], line.match))
    if sort == "right":
        return sorted(lines, key=lambda line: (pinyin_keys(line.match), pinyin_keys(line.right),
                                               line.match, line.right))
    return lines


def write_concordance(lines: Iterable[KwicLine], path: str | Path) -> int:
    """Write concordance lines as CSV, with the left context, the keyword
    and the right context in columns of their own (quanteda's ``pre``,
    ``keyword``, ``post``); returns the number of lines.
    """
    n = 0
    with Path(path).open("w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(KWIC_COLUMNS)
        for line in lines:
            row = (line.doc_id, line.year, line.start, line.end, line.left, line.match, line.right)
            writer.writerow(["" if v is None else guard_cell(v) for v in row])
            n += 1
    return n


def locate_mention(row: dict, searched_from: dict[tuple, int]) -> tuple[str, str, int]:
    """The surface of a ``mentions.csv`` row (white space folded), its
    context, and where the surface starts in the context (-1: not in it).

    Mentions of one sentence come in order: each is searched after the one
    before (``searched_from`` keeps the place), so that three mentions in a
    sentence are three different lines.

    >>> seen = {}
    >>> row = {"doc_id": "d", "sentence": "1", "surface": "两个", "context": "两个维护，两个确立"}
    >>> locate_mention(row, seen)[2], locate_mention(row, seen)[2]
    (0, 5)
    """
    surface = " ".join(row["surface"].split())
    context = row["context"]
    key = (row["doc_id"], row.get("sentence"), context)
    i = context.find(surface, searched_from.get(key, 0))
    if i < 0:
        i = context.find(surface)
    searched_from[key] = i + len(surface) if i >= 0 else 0
    return surface, context, i


def _mention_lines(table_dir: Path, phrase: str, width: int, year_from, year_to) -> list[KwicLine]:
    """Every mention of ``phrase`` (in any script or quote style) in context,
    from ``mentions.csv``, with the members its document defines it as."""
    wanted = canonical_phrase(phrase)
    members = _defined_members(table_dir, wanted)
    lines = []
    searched_from: dict[tuple, int] = {}
    for r in read_table(table_dir / "mentions.csv", ("phrase", "surface", "context")):
        # A quoted phrase keeps the spaces and inner quotes it was written
        # with ("GDP 翻番", 坚持“三个代表”重要思想); a canonical form has none.
        if UNQUOTED.sub("", r["phrase"]) != wanted:
            continue
        year = r["year"]
        if not in_years(year, year_from, year_to):
            continue
        surface, context, i = locate_mention(r, searched_from)
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
    from ..extract.define import MEMBER_SEPARATOR

    path = table_dir / "definitions.csv"
    if not path.exists():
        return {}
    return {
        r["doc_id"]: tuple(r["members"].split(MEMBER_SEPARATOR))
        for r in read_table(path, ("phrase", "doc_id", "members"))
        if r["phrase"] == phrase and r["members"]
    }
