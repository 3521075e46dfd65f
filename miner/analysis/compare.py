"""Compare two parts of a run: two documents, two years or two ranges of
years, or two values of a document field (``--by province 广东省 四川省``);
or rank each group of a field's values against the rest of the run.

Every phrase found in either part gets its count and rate on each side, the
log-likelihood G² of the difference and the log ratio of the rates as its
effect size; the two parts' phrase sets are compared with the Jaccard index.

G² is the keyness statistic of corpus linguistics (Rayson & Garside 2000,
as in Wmatrix and AntConc), with the parts' sizes in characters::

    E_a = size_a (a + b) / (size_a + size_b),  E_b = size_b (a + b) / (size_a + size_b)
    G² = 2 (a ln(a / E_a) + b ln(b / E_b))          (0 ln 0 = 0)

Above 3.84 a difference is significant at p < 0.05 and above 10.83 at
p < 0.001 (one degree of freedom).  The log ratio (Hardie 2014) is
``log2((a / size_a) / (b / size_b))``: +1 means twice as frequent in A, -1
twice as frequent in B; a zero count is taken as 0.5 so a phrase found on one
side only still gets a finite ratio.  When that substitute would point the
wrong way (one mention in a side three times larger than the empty one,
say), the ratio is 0: too rare to tell.

One group against the rest (:func:`compare_groups`) runs one such test per
group and phrase; a phrase's ``k`` p-values (one per group) are adjusted by
Holm's step-down method (:func:`holm`), so that the chance of calling any
group's phrase key by luck stays under the level chosen for one test, as
with Bonferroni's ``k × p``, while a phrase key to several groups is found
more often (Holm 1979).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterable

from .count import rate
from ..errors import EmptyResultError, InputError
from .selection import (DEFAULT_KIND, Condition, check_kind, field_values, parse_years, read_documents, read_mentions,
                        where_label, years_label)
from ..io.tables import ENCODING, guard_cell

__all__ = [
    "Selection", "KeynessRow", "Comparison", "log_likelihood", "log_ratio", "select_part", "compare_selections",
    "compare_periods", "compare_documents", "write_comparison", "COMPARISON_COLUMNS", "select_value",
    "GroupKey", "GroupComparison", "compare_groups", "write_group_comparison", "GROUP_COLUMNS", "GroupTable",
    "group_table", "holm",
]

SHARED, ONLY_A, ONLY_B = "shared", "A only", "B only"


def log_likelihood(a: int, b: int, size_a: int, size_b: int) -> float:
    """Log-likelihood G² of a phrase seen ``a`` times in A and ``b`` times in B.

    >>> round(log_likelihood(20, 5, 10_000, 10_000), 4)  # E = 12.5 each side
    9.6372
    >>> log_likelihood(3, 3, 10_000, 10_000)
    0.0
    """
    total = size_a + size_b
    e_a = size_a * (a + b) / total
    e_b = size_b * (a + b) / total
    g2 = 0.0
    if a:
        g2 += a * math.log(a / e_a)
    if b:
        g2 += b * math.log(b / e_b)
    return max(2.0 * g2, 0.0)


def log_ratio(a: int, b: int, size_a: int, size_b: int, *, zero: float = 0.5) -> float:
    """Binary log of the ratio of the rates in A and B (a zero count counts as ``zero``).

    It is 0 when the zero substitute would reverse the observed direction.

    >>> log_ratio(20, 5, 10_000, 10_000), log_ratio(4, 0, 10_000, 20_000), log_ratio(0, 1, 10_000, 30_000)
    (2.0, 4.0, 0.0)
    """
    ratio = math.log2(((a or zero) / size_a) / ((b or zero) / size_b))
    observed = a * size_b - b * size_a  # the sign of rate A - rate B
    return ratio if ratio * observed > 0 else 0.0


def _p_value(g2: float) -> float:
    """Chi-squared (1 degree of freedom) upper tail."""
    return math.erfc(math.sqrt(g2 / 2.0))


@dataclass(frozen=True)
class Selection:
    """One side of a comparison: the documents chosen and their size.

    Attributes:
        label: How the side was given (``1978–1992``, ``2015`` or a document).
        doc_ids: The documents on this side.
        chars: Their characters (the base of the rates).
        first_year: The earliest year among them (``None`` if undated).
        last_year: The latest.
    """

    label: str
    doc_ids: frozenset
    chars: int
    first_year: int | None = None
    last_year: int | None = None

    @property
    def documents(self) -> int:
        return len(self.doc_ids)


@dataclass(frozen=True)
class KeynessRow:
    """One phrase in a comparison (rates are per 10,000 characters; ``log_ratio`` > 0: more in A)."""

    phrase: str
    kind: str
    where: str
    a_count: int
    b_count: int
    a_documents: int
    b_documents: int
    a_per_10k: float
    b_per_10k: float
    log_ratio: float
    g2: float
    p: float


COMPARISON_COLUMNS = tuple(f.name for f in fields(KeynessRow))


@dataclass(frozen=True)
class Comparison:
    """The result of comparing two parts of a run; ``rows`` are ordered by G², largest first."""

    a: Selection
    b: Selection
    rows: tuple[KeynessRow, ...]
    kind: str = DEFAULT_KIND

    @property
    def shared(self) -> tuple[KeynessRow, ...]:
        return tuple(r for r in self.rows if r.where == SHARED)

    @property
    def only_a(self) -> tuple[KeynessRow, ...]:
        return tuple(r for r in self.rows if r.where == ONLY_A)

    @property
    def only_b(self) -> tuple[KeynessRow, ...]:
        return tuple(r for r in self.rows if r.where == ONLY_B)

    @property
    def jaccard(self) -> float:
        """Phrases found on both sides over phrases found on either."""
        return len(self.shared) / len(self.rows) if self.rows else 0.0

    def direction(self, row: KeynessRow) -> int:
        """1 if the phrase's rate is higher in A, -1 if higher in B, 0 if the same."""
        diff = row.a_count * self.b.chars - row.b_count * self.a.chars
        return (diff > 0) - (diff < 0)

    def key_a(self, n: int | None = 15) -> tuple[KeynessRow, ...]:
        """The phrases most typical of A (a higher rate there), by G²."""
        rows = tuple(r for r in self.rows if self.direction(r) > 0)
        return rows[:n] if n else rows

    def key_b(self, n: int | None = 15) -> tuple[KeynessRow, ...]:
        """The phrases most typical of B, by G²."""
        rows = tuple(r for r in self.rows if self.direction(r) < 0)
        return rows[:n] if n else rows

    def changed(self, n: int | None = 15) -> tuple[KeynessRow, ...]:
        """Phrases found on both sides whose rate changed most, by G²."""
        rows = self.shared
        return rows[:n] if n else rows


def select_part(documents: list[dict], spec: str, *, source: str = "documents.csv") -> Selection:
    """The documents of one side: a year (``"2015"``), a range (``"1978-1992"``) or a document.

    A document is named by its ``doc_id`` or the end of it (``"#3"``, a file name).

    >>> docs = [dict(doc_id="r.jsonl#1", year=2015, chars=100), dict(doc_id="r.jsonl#2", year=1980, chars=50)]
    >>> select_part(docs, "1978-1992").doc_ids, select_part(docs, "#1").label
    (frozenset({'r.jsonl#2'}), 'r.jsonl#1 (2015)')
    """
    spec = str(spec).strip()
    if not spec:
        raise InputError("a side of the comparison is empty; give a year (2015), a range (1978-1992) or a doc_id")
    span = parse_years(spec)
    if span:
        chosen = [d for d in documents if d["year"] is not None and span[0] <= d["year"] <= span[1]]
        label = years_label(*span)
        if not chosen:
            dated = sorted(d["year"] for d in documents if d["year"] is not None)
            have = f"its documents are dated {years_label(dated[0], dated[-1])}" if dated else "no document is dated"
            raise InputError(f"no documents dated {label} in {source}; {have}")
    else:
        chosen = [d for d in documents if d["doc_id"] == spec] or [
            d for d in documents if d["doc_id"].endswith(spec)
        ]
        if not chosen:
            raise InputError(
                f"'{spec}' is neither a year (2015), a range of years (1978-1992) nor a doc_id in {source} "
                "(the whole doc_id or its end, such as '#3' or a file name)"
            )
        if len(chosen) > 1:
            names = ", ".join(d["doc_id"] for d in chosen[:3])
            raise InputError(f"'{spec}' matches {len(chosen)} documents ({names}, …); give more of the doc_id")
        doc = chosen[0]
        label = doc["doc_id"].replace("\\", "/").rsplit("/", 1)[-1] + (f" ({doc['year']})" if doc["year"] else "")
    years = [d["year"] for d in chosen if d["year"] is not None]
    return Selection(label, frozenset(d["doc_id"] for d in chosen), sum(d["chars"] or 0 for d in chosen),
                     min(years, default=None), max(years, default=None))


def select_value(documents: list[dict], by: str, value: str, *, source: str = "documents.csv") -> Selection:
    """The documents whose field ``by`` is ``value``.

    >>> docs = [dict(doc_id="a", year=2015, chars=100, province="广东省"), dict(doc_id="b", year=2016, chars=50,
    ...         province="四川省")]
    >>> select_value(docs, "province", "四川省")
    Selection(label='province=四川省', doc_ids=frozenset({'b'}), chars=50, first_year=2016, last_year=2016)
    """
    _, groups = field_values(documents, by, source=source)
    wanted = " ".join(str(value).split())
    chosen = groups.get(wanted)
    if chosen is None:  # 2015 for 2015.0
        chosen = next((g for v, g in groups.items() if Condition(by, wanted).holds(v)), None)
    if chosen is None:
        have = ", ".join(list(groups)[:12]) + (", …" if len(groups) > 12 else "")
        raise InputError(f"no document in {source} has {by}={wanted}; its values are {have or 'none'}")
    return _selection(f"{by}={wanted}", chosen)


def _selection(label: str, chosen: list[dict]) -> Selection:
    years = [d["year"] for d in chosen if d["year"] is not None]
    return Selection(label, frozenset(d["doc_id"] for d in chosen), sum(d["chars"] or 0 for d in chosen),
                     min(years, default=None), max(years, default=None))


def compare_selections(table_dir: str | Path, a: str, b: str, *, kind: str = DEFAULT_KIND, by: str = "year",
                       where: Iterable[Condition] = ()) -> Comparison:
    """Compare the phrases of two parts of a run.

    Args:
        table_dir: A folder written by ``miner run``.
        a: A year (``"2015"``), a range of years (``"1978-1992"``) or a document (doc_id, or its end);
            with ``by`` another field, a value of it (``"广东省"``).
        b: The same for the other side.
        kind: ``"slogans"`` (numbered and quoted, not ``other-quote``: the
            default), ``"numbered"``, ``"quoted"``, ``"other-quote"`` or ``"all"`` phrases.
        by: ``"year"`` (years and documents, as above) or the name of a document field.
        where: Keep only the documents meeting these conditions (see
            :func:`~miner.analysis.selection.select_documents`).

    Raises:
        InputError: A side matches no documents, or the two sides share documents.
        EmptyResultError: Neither side has a phrase of that kind.
    """
    check_kind(kind)
    table_dir = Path(table_dir)
    where = tuple(where)
    documents = read_documents(table_dir, where)
    source = str(table_dir / "documents.csv") + (f" with {where_label(where)}" if where else "")
    if by == "year":
        side_a, side_b = (select_part(documents, spec, source=source) for spec in (a, b))
    else:
        side_a, side_b = (select_value(documents, by, spec, source=source) for spec in (a, b))
    common = side_a.doc_ids & side_b.doc_ids
    if common:
        raise InputError(f"A ({side_a.label}) and B ({side_b.label}) share {len(common)} document(s); "
                         "choose years or documents that do not overlap")
    for side, name in ((side_a, "A"), (side_b, "B")):
        if not side.chars:
            raise EmptyResultError(f"{name} ({side.label}) has no text to count phrases in")

    rows = _keyness(table_dir, side_a, side_b, kind)
    if not rows:
        what = ("" if kind in ("all", DEFAULT_KIND) else f"{kind} ") + "phrases"
        raise EmptyResultError(f"no {what} in A ({side_a.label}) or B ({side_b.label}) in {table_dir / 'mentions.csv'}")
    return Comparison(side_a, side_b, tuple(rows), kind)


def _keyness(table_dir: Path, side_a: Selection, side_b: Selection, kind: str) -> list[KeynessRow]:
    """A row per phrase found on either side, ordered by G², largest first."""
    counts = {"a": Counter(), "b": Counter()}
    docs = {"a": defaultdict(set), "b": defaultdict(set)}
    kinds = {}
    for r in read_mentions(table_dir, kind=kind, doc_ids=side_a.doc_ids | side_b.doc_ids):
        side = "a" if r["doc_id"] in side_a.doc_ids else "b"
        counts[side][r["phrase"]] += 1
        docs[side][r["phrase"]].add(r["doc_id"])
        kinds[r["phrase"]] = r["kind"]
    rows = []
    for phrase in kinds:
        x, y = counts["a"][phrase], counts["b"][phrase]
        g2 = log_likelihood(x, y, side_a.chars, side_b.chars)
        rows.append(KeynessRow(
            phrase, kinds[phrase], SHARED if x and y else ONLY_A if x else ONLY_B, x, y,
            len(docs["a"][phrase]), len(docs["b"][phrase]),
            rate(x, side_a.chars), rate(y, side_b.chars),
            round(log_ratio(x, y, side_a.chars, side_b.chars), 4), round(g2, 4), _p_value(g2),
        ))
    rows.sort(key=lambda r: (-r.g2, -abs(r.log_ratio), r.phrase))
    return rows


@dataclass(frozen=True)
class GroupKey:
    """A phrase more frequent in one group than in the rest of the run.

    ``p_adjusted`` is ``p`` adjusted by Holm's method over the phrase's tests
    in every group (:func:`holm`).
    """

    group: str
    phrase: str
    kind: str
    count: int
    rest_count: int
    documents: int
    per_10k: float
    rest_per_10k: float
    log_ratio: float
    g2: float
    p: float
    p_adjusted: float


GROUP_COLUMNS = tuple(f.name for f in fields(GroupKey))


@dataclass(frozen=True)
class GroupComparison:
    """Each group of a field's values against the rest: ``groups`` are the
    sides, ``keys`` maps a group to the phrases key to it (by G², largest first)."""

    by: str
    groups: tuple[Selection, ...]
    keys: dict
    kind: str = DEFAULT_KIND
    level: float = 0.05

    def key(self, group: str, n: int | None = 15, *, significant: bool = True) -> tuple[GroupKey, ...]:
        """The phrases key to ``group``: those whose adjusted p is under ``level`` if ``significant``."""
        rows = tuple(r for r in self.keys[group] if not significant or r.p_adjusted < self.level)
        return rows[:n] if n else rows


def compare_groups(table_dir: str | Path, by: str, *, kind: str = DEFAULT_KIND, where: Iterable[Condition] = (),
                   level: float = 0.05) -> GroupComparison:
    """Rank each group's key phrases against the rest of the run: the
    documents with each value of field ``by`` against all the other
    documents that have a value (documents without one take no part).

    Raises:
        InputError: The field is unknown, or has fewer than two values.
        EmptyResultError: No phrase of that kind in those documents.
    """
    check_kind(kind)
    table_dir = Path(table_dir)
    where = tuple(where)
    documents = read_documents(table_dir, where)
    source = str(table_dir / "documents.csv") + (f" with {where_label(where)}" if where else "")
    _, groups = field_values(documents, by, source=source)
    if len(groups) < 2:
        raise InputError(f"{by} has {len(groups)} value{'s' * (len(groups) != 1)} in {source}; "
                         "comparing groups needs two or more")
    everyone = [d for g in groups.values() for d in g]
    if not any(True for _ in read_mentions(table_dir, kind=kind, doc_ids=frozenset(d["doc_id"] for d in everyone))):
        what = ("" if kind in ("all", DEFAULT_KIND) else f"{kind} ") + "phrases"
        raise EmptyResultError(f"no {what} in the documents with a value of {by} in {source}")
    sides, tested = [], {}
    for value, chosen in groups.items():
        side = _selection(value, chosen)
        rest = _selection("rest", [d for d in everyone if d["doc_id"] not in side.doc_ids])
        sides.append(side)
        tested[value] = (side, rest, _keyness(table_dir, side, rest, kind) if side.chars and rest.chars else [])
    # A phrase's family is its test in every group (both directions); a group
    # without text runs no test and counts as p = 1.
    p_values: dict[str, dict[str, float]] = defaultdict(dict)
    for value, (_, _, rows) in tested.items():
        for r in rows:
            p_values[r.phrase][value] = r.p
    adjusted = {}
    for phrase, by_group in p_values.items():
        names = list(by_group)
        adjusted[phrase] = dict(zip(names, holm([by_group[g] for g in names], len(groups))))
    keys = {
        value: tuple(
            GroupKey(value, r.phrase, r.kind, r.a_count, r.b_count, r.a_documents, r.a_per_10k, r.b_per_10k,
                     r.log_ratio, r.g2, r.p, adjusted[r.phrase][value])
            for r in rows
            if r.a_count * rest.chars > r.b_count * side.chars  # a higher rate in the group
        )
        for value, (side, rest, rows) in tested.items()
    }
    return GroupComparison(by, tuple(sides), keys, kind, level)


def holm(p_values: list[float], tests: int | None = None) -> list[float]:
    """Holm's step-down adjustment of p-values (Holm 1979), in the order given.

    The smallest p is multiplied by the number of ``tests``, the next by one
    less, and so on, each adjusted p at least the one before it and at most 1.
    It keeps the chance of any false call under the level as Bonferroni's
    ``tests × p`` does, and calls at least as many.  ``tests`` (default: as
    many as ``p_values``) counts tests whose p is not given as p = 1.

    >>> holm([0.04, 0.01, 0.02])  # Bonferroni: 0.12, 0.03, 0.06
    [0.04, 0.03, 0.04]
    >>> holm([0.01, 0.5], tests=3)
    [0.03, 1.0]
    """
    m = len(p_values) if tests is None else tests
    if m < len(p_values):
        raise ValueError(f"{len(p_values)} p-values for {m} tests")
    out = [0.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(sorted(range(len(p_values)), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return out


@dataclass(frozen=True)
class GroupTable:
    """Mentions of each phrase in each group of a field's values (``counts``:
    phrase → group → mentions) and the characters of each group."""

    by: str
    groups: tuple[str, ...]
    chars: dict
    counts: dict

    def total(self, phrase: str) -> int:
        return sum(self.counts.get(phrase, {}).values())

    def values(self, phrase: str, measure: str = "rate") -> list[float]:
        """The phrase's count, or rate per 10,000 characters, in each group."""
        used = self.counts.get(phrase, {})
        if measure == "count":
            return [float(used.get(g, 0)) for g in self.groups]
        return [rate(used.get(g, 0), self.chars[g]) for g in self.groups]

    def top(self, n: int | None) -> list[str]:
        ranked = sorted(self.counts, key=lambda p: (-self.total(p), p))
        return ranked[:n] if n else ranked


def group_table(table_dir: str | Path, by: str, *, kind: str = DEFAULT_KIND,
                where: Iterable[Condition] = ()) -> GroupTable:
    """Count the phrases of a run in each group of field ``by``'s values.

    Raises:
        InputError: No such field.
        EmptyResultError: No document has a value, or no phrase of that kind is in them.
    """
    check_kind(kind)
    table_dir = Path(table_dir)
    where = tuple(where)
    source = str(table_dir / "documents.csv") + (f" with {where_label(where)}" if where else "")
    _, groups = field_values(read_documents(table_dir, where), by, source=source)
    if not groups:
        raise EmptyResultError(f"no document in {source} has a value of {by}")
    group_of = {d["doc_id"]: value for value, docs in groups.items() for d in docs}
    counts: dict = defaultdict(Counter)
    for r in read_mentions(table_dir, kind=kind, doc_ids=frozenset(group_of)):
        counts[r["phrase"]][group_of[r["doc_id"]]] += 1
    if not counts:
        what = ("" if kind in ("all", DEFAULT_KIND) else f"{kind} ") + "phrases"
        raise EmptyResultError(f"no {what} in the documents with a value of {by} in {source}")
    chars = {value: sum(d["chars"] or 0 for d in docs) for value, docs in groups.items()}
    return GroupTable(by, tuple(groups), chars, {p: dict(c) for p, c in counts.items()})


def write_group_comparison(result: GroupComparison, out_dir: str | Path, *, stem: str | None = None) -> Path:
    """Write every group's key phrases to ``compare_by_<field>.csv`` (or ``<stem>.csv``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{stem or 'compare_by_' + _safe_name(result.by)}.csv"
    with path.open("w", encoding=ENCODING, newline="") as fh:
        writer = csv.DictWriter(fh, GROUP_COLUMNS)
        writer.writeheader()
        for rows in result.keys.values():
            for row in rows:
                values = {**asdict(row), "p": f"{row.p:.3g}", "p_adjusted": f"{row.p_adjusted:.3g}"}
                writer.writerow({k: guard_cell(v) for k, v in values.items()})
    return path


def _safe_name(name: str) -> str:
    """A field name as part of a file name.

    >>> _safe_name("省/市 level")
    '省_市_level'
    """
    return re.sub(r"[^\w.-]+", "_", name).strip("_") or "field"


def _span(value) -> str:
    if isinstance(value, (tuple, list)):
        start, end = value
        return f"{start}-{end}"
    return str(value)


def compare_periods(table_dir: str | Path, a, b, *, kind: str = DEFAULT_KIND) -> Comparison:
    """Compare two years or ranges of years, given as ``"1978-1992"``, ``1992`` or ``(1978, 1992)``."""
    a, b = _span(a), _span(b)
    for spec in (a, b):
        if parse_years(spec) is None:
            raise InputError(f"'{spec}' is not a year (2015) or a range of years (1978-1992)")
    return compare_selections(table_dir, a, b, kind=kind)


def compare_documents(table_dir: str | Path, a: str, b: str, *, kind: str = DEFAULT_KIND) -> Comparison:
    """Compare two documents, each named by its doc_id or the end of it."""
    documents = read_documents(table_dir)

    def resolve(spec: str) -> str:
        # A doc_id that looks like a year would be read as one; pass the whole doc_id.
        matches = [d["doc_id"] for d in documents if d["doc_id"] == spec or d["doc_id"].endswith(spec)]
        exact = [m for m in matches if m == spec]
        if exact or len(matches) == 1:
            return (exact or matches)[0]
        where = Path(table_dir) / "documents.csv"
        if not matches:
            raise InputError(f"'{spec}' is not a doc_id in {where} (nor the end of one)")
        raise InputError(f"'{spec}' matches {len(matches)} documents in {where}; give more of the doc_id")

    a, b = resolve(a), resolve(b)
    return compare_selections(table_dir, a, b, kind=kind)


def write_comparison(
    result: Comparison,
    out_dir: str | Path,
    *,
    stem: str = "compare",
    formats: Iterable[str] = ("csv", "png"),
    top: int = 12,
    dpi: int | None = None,
    size: tuple[float, float] | None = None,
    font_size: float | None = None,
) -> list[Path]:
    """Write the rows as ``<stem>.csv`` and the plot of the key phrases as ``<stem>.png`` (or svg/pdf).

    ``dpi``, ``size`` (inches) and ``font_size`` set the figure (see :func:`~miner.analysis.plot.save_figure`).
    """
    from .plot import FORMATS, plot_comparison, save_figure

    formats = list(dict.fromkeys(formats))
    bad = [f for f in formats if f != "csv" and f not in FORMATS]
    if bad:
        raise InputError(f"unknown format(s) {', '.join(bad)}; use csv, {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    if "csv" in formats:
        path = out / f"{stem}.csv"
        with path.open("w", encoding=ENCODING, newline="") as fh:
            writer = csv.DictWriter(fh, COMPARISON_COLUMNS)
            writer.writeheader()
            for row in result.rows:
                writer.writerow({k: guard_cell(v) for k, v in {**asdict(row), "p": f"{row.p:.3g}"}.items()})
        paths.append(path)
    images = [f for f in formats if f != "csv"]
    if images:
        ax = plot_comparison(result, top=top, figsize=size, font_size=font_size)
        paths += save_figure(ax, [out / f"{stem}.{fmt}" for fmt in images], dpi=dpi, font_size=font_size)
    return paths
