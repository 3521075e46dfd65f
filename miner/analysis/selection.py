"""Choose the part of a run to analyse: phrases of one kind, documents of some
years, documents whose fields match ``--where`` conditions.

Shared by the network, plot and comparison stages, which all read the tables
``miner run`` wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import EmptyResultError, InputError
from ..io.tables import DOCUMENT_COLUMNS, read_table

__all__ = ["KINDS", "DEFAULT_KIND", "kind_matches", "check_kind", "parse_years", "in_years", "years_label", "years_phrase",
           "read_documents", "read_mentions", "phrase_kinds", "Condition", "parse_where", "select_documents",
           "selected_ids", "where_label", "field_values", "years_condition"]

# ``slogans``, the default, is every phrase but the quotes and numbered
# phrases judged not to be slogans (kinds ``other-quote``, ``other-number``);
# ``all`` takes those too.
# ``formula``: the unnumbered formulas of ``miner run --formulas``.
KINDS = ("slogans", "numbered", "quoted", "listed", "other-quote", "other-number", "formula", "all")
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


def read_documents(table_dir: str | Path, where: Iterable["Condition"] = ()) -> list[dict]:
    """The documents of a run that were mined (status ``ok``), and that meet
    the ``where`` conditions (see :func:`select_documents`)."""
    rows = read_table(Path(table_dir) / "documents.csv", ("doc_id", "year", "chars", "status"))
    documents = [r for r in rows if r["status"] == "ok"]
    where = tuple(where)
    return select_documents(documents, where, source=Path(table_dir) / "documents.csv") if where else documents


# ``--where``: FIELD=VALUE, FIELD!=VALUE; VALUE may be a range of numbers (2000-2010).
WHERE = re.compile(r"^\s*([^=!]+?)\s*(!=|=)\s*(.*?)\s*$", re.DOTALL)
NUMBER_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*[-–—~～至到]\s*(\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Condition:
    """One ``--where`` condition on a column of ``documents.csv``.

    ``low``/``high`` are set when the value is a range of numbers
    (``year=2000-2010``), which a numeric value must fall in.
    """

    field: str
    value: str
    negated: bool = False
    low: float | None = None
    high: float | None = None

    def holds(self, value) -> bool:
        """Whether a document whose field is ``value`` meets the condition (before negation).

        >>> parse_where("year=2000-2010").holds(2005), parse_where("year=2000-2010").holds(2011)
        (True, False)
        >>> parse_where("province=广东省").holds("广东省 "), parse_where("level=1").holds("1.0")
        (True, True)
        """
        if value is None or value == "":
            return self.value == ""
        if self.low is not None:
            number = _number(value)
            return number is not None and self.low <= number <= self.high
        text = " ".join(str(value).split())
        if text == self.value:
            return True
        a, b = _number(text), _number(self.value)
        return a is not None and a == b

    def __str__(self) -> str:
        return f"{self.field}{'!=' if self.negated else '='}{self.value}"


def years_condition(year_from: int | None, year_to: int | None) -> tuple[Condition, ...]:
    """``--from``/``--to`` as a ``--where`` condition on the year (none for all years).

    >>> [str(c) for c in years_condition(2013, None)], years_condition(2013, 2015)[0].holds(2016)
    (['year=2013-'], False)
    >>> years_condition(None, None), years_condition(None, 2015)[0].holds(""), years_condition(None, 2015)[0].holds(1990)
    ((), False, True)
    """
    if year_from is None and year_to is None:
        return ()
    low = float("-inf") if year_from is None else float(year_from)
    high = float("inf") if year_to is None else float(year_to)
    return (Condition("year", f"{'' if year_from is None else year_from}-{'' if year_to is None else year_to}",
                      low=low, high=high),)


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def parse_where(text: str) -> Condition:
    """A ``--where`` condition: ``FIELD=VALUE``, ``FIELD!=VALUE``, or a range
    of numbers such as ``year=2000-2010``.

    >>> parse_where("province=广东省")
    Condition(field='province', value='广东省', negated=False, low=None, high=None)
    >>> parse_where("year != 1978-1992")
    Condition(field='year', value='1978-1992', negated=True, low=1978.0, high=1992.0)
    """
    m = WHERE.match(str(text))
    if not m:
        raise InputError(f"'{text}' is not a condition; write FIELD=VALUE, FIELD!=VALUE or FIELD=FROM-TO "
                         "(e.g. province=广东省, year=2000-2010)")
    name, op, value = m.group(1), m.group(2), " ".join(m.group(3).split())
    low = high = None
    span = NUMBER_RANGE.match(value)
    if span and float(span.group(1)) <= float(span.group(2)):  # "2019-05" ends before it starts: a date, as text
        low, high = float(span.group(1)), float(span.group(2))
    return Condition(name, value, op == "!=", low, high)


def _column(condition: Condition, columns: Iterable[str], source) -> str:
    from ..io.tables import field_column

    columns = list(columns)
    if condition.field in columns:
        return condition.field
    prefixed = field_column(condition.field)
    if prefixed in columns:
        return prefixed
    theirs = [c for c in columns if c not in DOCUMENT_COLUMNS]
    raise InputError(f"no field '{condition.field}' in {source}; its documents have "
                     + (", ".join(theirs) if theirs else "no fields of their own")
                     + " besides doc_id, source, title and year")


def select_documents(documents: list[dict], where: Iterable[Condition], *, source="documents.csv") -> list[dict]:
    """The documents that meet every condition; ``=`` conditions on the same
    field are alternatives (``--where province=广东省 --where province=四川省``:
    either), every other pair must both hold.

    >>> docs = [dict(doc_id="a", year=2001, province="广东省"), dict(doc_id="b", year=2012, province="四川省"),
    ...         dict(doc_id="c", year=2005, province="四川省")]
    >>> [d["doc_id"] for d in select_documents(docs, [parse_where("province=四川省"), parse_where("year=2000-2010")])]
    ['c']
    >>> [d["doc_id"] for d in select_documents(docs, [parse_where("province=广东省"), parse_where("province=四川省")])]
    ['a', 'b', 'c']
    >>> [d["doc_id"] for d in select_documents(docs, [parse_where("province!=广东省")])]
    ['b', 'c']
    """
    where = list(where)
    if not where or not documents:
        return list(documents)
    columns = list(documents[0])
    alternatives: dict[str, list[Condition]] = {}
    required: list[tuple[str, Condition]] = []
    for c in where:
        column = _column(c, columns, source)
        if c.negated:
            required.append((column, c))
        else:
            alternatives.setdefault(column, []).append(c)
    return [
        d for d in documents
        if all(any(c.holds(d.get(column)) for c in group) for column, group in alternatives.items())
        and not any(c.holds(d.get(column)) for column, c in required)
    ]


def selected_ids(table_dir: str | Path, where: Iterable[Condition]) -> frozenset | None:
    """The doc_ids of the mined documents meeting ``where``; ``None`` when there are no conditions."""
    where = tuple(where)
    if not where:
        return None
    chosen = read_documents(table_dir, where)
    if not chosen:
        raise EmptyResultError(f"no document in {Path(table_dir) / 'documents.csv'} has {where_label(where)}")
    return frozenset(d["doc_id"] for d in chosen)


def where_label(where: Iterable[Condition]) -> str:
    """The conditions as one phrase, ``province=广东省 and year=2000-2010``."""
    return " and ".join(map(str, where))


def field_values(documents: list[dict], name: str, *, source="documents.csv") -> tuple[str, dict[str, list[dict]]]:
    """The column of field ``name`` and the documents grouped by its value
    (documents without a value left out), in order of the values.

    >>> field_values([dict(doc_id="a", province="广东省"), dict(doc_id="b", province=""),
    ...               dict(doc_id="c", province="四川省")], "province")[1].keys()
    dict_keys(['四川省', '广东省'])
    """
    column = _column(Condition(name, ""), list(documents[0]) if documents else [name], source)
    groups: dict[str, list[dict]] = {}
    for d in documents:
        value = d.get(column)
        if value is not None and value != "":
            groups.setdefault(" ".join(str(value).split()), []).append(d)
    numeric = all(_number(v) is not None for v in groups)
    order = sorted(groups, key=lambda v: (float(v), v) if numeric else (v,))
    return column, {v: groups[v] for v in order}


def phrase_kinds(table_dir: str | Path) -> dict[str, str]:
    """Phrase → kind, from ``phrases.csv``."""
    return {r["phrase"]: r["kind"] for r in read_table(Path(table_dir) / "phrases.csv", ("phrase", "kind"))}


def read_mentions(
    table_dir: str | Path,
    *,
    kind: str = DEFAULT_KIND,
    year_from: int | None = None,
    year_to: int | None = None,
    doc_ids: frozenset | None = None,
) -> Iterator[dict]:
    """The mentions of a run, of phrases of ``kind``, in documents of those
    years (and among ``doc_ids``, if given: see :func:`selected_ids`).

    Each row carries the phrase's overall kind (from ``phrases.csv``) under
    ``kind``, so a phrase is filtered the same way in every mention.
    """
    check_kind(kind)
    kinds = phrase_kinds(table_dir)
    required = ("doc_id", "year", "phrase", "sentence", "paragraph")
    for row in read_table(Path(table_dir) / "mentions.csv", required):
        phrase_kind = kinds.get(row["phrase"], row.get("kind", ""))
        if (kind_matches(phrase_kind, kind) and in_years(row["year"], year_from, year_to)
                and (doc_ids is None or row["doc_id"] in doc_ids)):
            row["kind"] = phrase_kind
            yield row
