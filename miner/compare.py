"""Compare two parts of a run: two documents, two years or two ranges of years.

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
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterable

from .count import rate
from .errors import EmptyResultError, InputError
from .selection import DEFAULT_KIND, check_kind, parse_years, read_documents, read_mentions, years_label
from .tables import ENCODING, guard_cell

__all__ = [
    "Selection", "KeynessRow", "Comparison", "log_likelihood", "log_ratio", "select_part", "compare_selections",
    "compare_periods", "compare_documents", "write_comparison", "COMPARISON_COLUMNS",
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


def compare_selections(table_dir: str | Path, a: str, b: str, *, kind: str = DEFAULT_KIND) -> Comparison:
    """Compare the phrases of two parts of a run.

    Args:
        table_dir: A folder written by ``miner run``.
        a: A year (``"2015"``), a range of years (``"1978-1992"``) or a document (doc_id, or its end).
        b: The same for the other side.
        kind: ``"slogans"`` (numbered and quoted, not ``other-quote``: the
            default), ``"numbered"``, ``"quoted"``, ``"other-quote"`` or ``"all"`` phrases.

    Raises:
        InputError: A side matches no documents, or the two sides share documents.
        EmptyResultError: Neither side has a phrase of that kind.
    """
    check_kind(kind)
    table_dir = Path(table_dir)
    documents = read_documents(table_dir)
    source = str(table_dir / "documents.csv")
    side_a = select_part(documents, a, source=source)
    side_b = select_part(documents, b, source=source)
    common = side_a.doc_ids & side_b.doc_ids
    if common:
        raise InputError(f"A ({side_a.label}) and B ({side_b.label}) share {len(common)} document(s); "
                         "choose years or documents that do not overlap")
    for side, name in ((side_a, "A"), (side_b, "B")):
        if not side.chars:
            raise EmptyResultError(f"{name} ({side.label}) has no text to count phrases in")

    counts = {"a": Counter(), "b": Counter()}
    docs = {"a": defaultdict(set), "b": defaultdict(set)}
    kinds = {}
    for r in read_mentions(table_dir, kind=kind):
        side = "a" if r["doc_id"] in side_a.doc_ids else "b" if r["doc_id"] in side_b.doc_ids else None
        if side:
            counts[side][r["phrase"]] += 1
            docs[side][r["phrase"]].add(r["doc_id"])
            kinds[r["phrase"]] = r["kind"]
    if not kinds:
        what = ("" if kind in ("all", DEFAULT_KIND) else f"{kind} ") + "phrases"
        raise EmptyResultError(f"no {what} in A ({side_a.label}) or B ({side_b.label}) in {table_dir / 'mentions.csv'}")

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
    return Comparison(side_a, side_b, tuple(rows), kind)


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

    ``dpi``, ``size`` (inches) and ``font_size`` set the figure (see :func:`~miner.plot.save_figure`).
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
