"""A reference profile of political language: what 70 years of national
government work reports say about a phrase.

A small or undated corpus (five speeches, a few provincial reports) cannot
tell a formula from report language by its own statistics: its phrases
occur a few times, in a few documents, in one or two years.  The national
reports of 1954–2025 can.  Their profile (``miner/data/reference.tsv.gz``,
built by ``scripts/build_reference.py``) holds, for every candidate that the
formula finder (:func:`miner.extract.formulas.find_formulas`) keeps on them, its
occurrences, documents, first and last year, its concentration over the
years (the finder's Kullback–Leibler divergence from the corpus's
characters by year), the concentration its number of occurrences would show
by chance, and how often it is the object of a verb or ends its clause.

A phrase used flatly across the decades (各位代表, 加快发展) is report
language; one concentrated in a period beyond what its count explains
(解放思想, 高质量发展) is evidence of a formula; a phrase absent from the
profile (a local coinage) is judged by its own statistics.
:func:`reference_signals` turns this into factors a scorer multiplies in,
each named in words.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import random
import tempfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import InputError

__all__ = [
    "REFERENCE_FILE",
    "VERSION",
    "ReferencePhrase",
    "Reference",
    "Signal",
    "load_reference",
    "read_reference",
    "write_reference",
    "build_reference",
    "chance_concentration",
    "reference_signals",
]

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "reference.tsv.gz"
VERSION = 1
COLUMNS = ("phrase", "total", "documents", "years", "first_year", "last_year", "concentration", "chance",
           "object", "clause_end")
# Draws of the chance concentration of a count (more: steadier, slower to build).
CHANCE_DRAWS = 200
# Excess concentration (over chance) at which the factor is 1: below it a
# phrase is flat report language, above it concentrated in a period.
PIVOT = 0.5
# How strongly the excess weighs (a square root: the reference is evidence,
# not a verdict) and the bounds of the factor.
EXPONENT = 0.5
MIN_FACTOR, MAX_FACTOR = 0.3, 2.5


@dataclass(frozen=True)
class ReferencePhrase:
    """One phrase's statistics in the reference corpus.

    Attributes:
        phrase: The phrase.
        total: Occurrences (also inside longer phrases).
        documents: Documents it occurs in.
        years: Distinct years it occurs in.
        first_year: First year it occurs in (``None`` if never in a dated document).
        last_year: Last year it occurs in.
        concentration: KL divergence of its use by year from the corpus's
            characters by year (nats).
        chance: The mean concentration of as many occurrences drawn at
            random in proportion to the characters of each year.
        object: Share of its occurrences right after a two-character verb,
            those after a verb that carries out a line counted twice (0–2,
            two decimals; see :data:`~miner.extract.formulas.CARRIERS`).
        clause_end: Share of its occurrences that end a clause (about two
            decimals).

    >>> ReferencePhrase("高质量发展", 80, 15, 8, 2018, 2025, 2.2723, 0.369, 0.55, 0.51).excess
    1.9033
    """

    phrase: str
    total: int
    documents: int
    years: int
    first_year: int | None
    last_year: int | None
    concentration: float
    chance: float
    object: float
    clause_end: float

    @property
    def excess(self) -> float:
        """Concentration beyond what its number of occurrences gives by chance."""
        return round(self.concentration - self.chance, 4)


@dataclass(frozen=True)
class Reference:
    """A reference profile: the corpus it was built from and its phrases.

    Attributes:
        version: Format version (:data:`VERSION`).
        checksum: SHA-256 of the corpus files, in order.
        documents: Documents of the corpus.
        phrases: Phrase → :class:`ReferencePhrase`.
    """

    version: int
    checksum: str
    documents: int
    phrases: Mapping[str, ReferencePhrase]

    def get(self, phrase: str) -> ReferencePhrase | None:
        """The phrase's statistics, ``None`` when the corpus does not have it."""
        return self.phrases.get(phrase)


@dataclass(frozen=True)
class Signal:
    """A factor of a formula's score and what it says, in words.

    >>> Signal("reference 2018–2025 in 15 of 72 reports", 1.8)
    Signal(words='reference 2018–2025 in 15 of 72 reports', factor=1.8)
    """

    words: str
    factor: float


def chance_concentration(n: int, shares: Iterable[float], *, draws: int = CHANCE_DRAWS) -> float:
    """The mean KL concentration of ``n`` occurrences spread over the years
    at random, a year drawn in proportion to its ``shares`` (seeded by ``n``,
    so the same inputs give the same value).  A phrase of 4 occurrences is
    concentrated in at most 4 years whatever it is, one of 300 is not.

    >>> chance_concentration(0, [0.5, 0.5]), chance_concentration(3, [0, 0])  # nothing to spread, or no text
    (0.0, 0.0)
    >>> few, many = chance_concentration(4, [0.25] * 4), chance_concentration(400, [0.25] * 4)
    >>> few > 0.3 > 0.01 > many
    True
    """
    shares = list(shares)
    total = sum(shares)
    if n <= 0 or len(shares) < 2 or total <= 0:
        return 0.0
    q = [s / total for s in shares]
    cumulative, running = [], 0.0
    for s in q:
        running += s
        cumulative.append(running)
    rng = random.Random(n)
    kl = 0.0
    for _ in range(draws):
        counts: dict[int, int] = {}
        for i in rng.choices(range(len(q)), cum_weights=cumulative, k=n):
            counts[i] = counts.get(i, 0) + 1
        kl += sum(c / n * math.log(c / n / q[i]) for i, c in counts.items())
    return round(kl / draws, 4)


def build_reference(paths: Iterable[str | Path], *, workers: int = 1, **options) -> Reference:
    """Build a profile from a corpus: run the formula finder over it
    (:func:`miner.extract.formulas.mine_formulas`, ``options`` going to
    :func:`~miner.extract.formulas.find_formulas`) and keep every formula it finds.

    Args:
        paths: The corpus files or folders, as ``miner formulas`` takes them.
        workers: Processes to mine in.
        **options: Options of :func:`~miner.extract.formulas.find_formulas`
            (``min_count`` …).

    Returns:
        The profile, with the checksum of the files.
    """
    from .formulas import CLAUSE_END_WEIGHT, EXPONENTS, OBJECT_BASE, mine_formulas
    from ..io.tables import read_table

    paths = [Path(p) for p in paths]
    digest = hashlib.sha256()
    for p in paths:
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file():
                digest.update(f.read_bytes())
    with tempfile.TemporaryDirectory() as out:
        # every candidate, those below the listing threshold (MIN_SCORE) too
        summary = mine_formulas(paths, out, formulas={"min_score": 0, **options}, workers=workers)
        rows = list(read_table(Path(out) / "formulas.csv"))
        by_year = list(read_table(Path(out) / "formulas_by_year.csv"))
    year_chars = {int(r["year"]): int(r["year_chars"]) for r in by_year}
    used: dict[str, int] = {}
    for r in by_year:
        used[r["phrase"]] = used.get(r["phrase"], 0) + int(r["count"])
    shares = [year_chars[y] for y in sorted(year_chars)]
    chance: dict[int, float] = {}
    phrases = {}
    for r in rows:
        g = str(r["phrase"])
        n = used.get(g, 0)
        if n not in chance:
            chance[n] = chance_concentration(n, shares)
        # The shares of objects and clause ends, read back from the factors
        # the finder wrote in ``signals`` ("object 0.83 × clause end 1.15").
        factors = dict(part.rsplit(" ", 1) for part in str(r["signals"]).split(" × ") if " " in part)
        share = {name: (float(factors[name]) ** (1 / EXPONENTS.get(name, 1.0)) - base) / weight if name in factors else 0.0
                 for name, base, weight in (("object", OBJECT_BASE, 1.0), ("clause end", 1.0, CLAUSE_END_WEIGHT))}
        phrases[g] = ReferencePhrase(
            g, int(r["total"]), int(r["documents"]), int(r["years"] or 0),
            _year(r["first_year"]), _year(r["last_year"]), float(r["concentration"]), chance[n],
            round(share["object"], 2), round(share["clause end"], 2))
    return Reference(VERSION, digest.hexdigest(), summary.documents, phrases)


def _year(value) -> int | None:
    return None if value in ("", None) else int(value)


def write_reference(reference: Reference, path: str | Path) -> None:
    """Write a profile as gzipped tab-separated text: a version line, a
    corpus line, the header and a row a phrase, sorted (the same profile
    gives the same bytes)."""
    lines = [f"# miner reference profile, version {reference.version}",
             f"# corpus sha256 {reference.checksum}, {reference.documents} documents",
             "\t".join(COLUMNS)]
    for g in sorted(reference.phrases):
        p = reference.phrases[g]
        lines.append("\t".join("" if v is None else str(v) for v in (
            p.phrase, p.total, p.documents, p.years, p.first_year, p.last_year, p.concentration, p.chance,
            p.object, p.clause_end)))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))


def read_reference(path: str | Path) -> Reference:
    """Read a profile :func:`write_reference` wrote.

    Raises:
        InputError: The file is missing, not a profile, or of another version.
    """
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
        reason = "damaged compressed data" if isinstance(e, zlib.error) else e.__class__.__name__
        raise InputError(f"{path}: not a readable reference profile ({reason})") from None
    prefix = "# miner reference profile, version "
    if len(lines) < 3 or not lines[0].startswith(prefix) or lines[2].split("\t") != list(COLUMNS):
        raise InputError(f"{path}: not a reference profile (rebuild it with scripts/build_reference.py)")
    version = lines[0][len(prefix):]
    if version != str(VERSION):
        raise InputError(f"{path}: reference profile version {version}, this miner reads version {VERSION}")
    corpus = lines[1].removeprefix("# corpus sha256 ").split(", ")
    phrases = {}
    try:
        for line in lines[3:]:
            g, total, docs, years, first, last, conc, chance, obj, end = line.split("\t")
            phrases[g] = ReferencePhrase(g, int(total), int(docs), int(years), _year(first), _year(last),
                                         float(conc), float(chance), float(obj), float(end))
        checksum, documents = corpus[0], int(corpus[1].split()[0])
    except (ValueError, IndexError):
        raise InputError(f"{path}: a malformed line in the reference profile") from None
    return Reference(VERSION, checksum, documents, phrases)


@lru_cache(maxsize=4)
def load_reference(path: str | Path | None = None) -> Reference:
    """The bundled profile of the national government work reports
    1954–2025 (or the one at ``path``), read once.

    >>> ref = load_reference()
    >>> ref.documents, ref.get("各位代表").first_year, ref.get("没有这个短语") is None
    (72, 1954, True)
    """
    return read_reference(REFERENCE_FILE if path is None else path)


def reference_signals(phrase: str, reference: Reference | None = None) -> tuple[Signal, ...]:
    """The factors the reference profile gives ``phrase``'s formula score.

    One factor, from the phrase's concentration over the years beyond what
    its count gives by chance: below 1 for a phrase used flatly across the
    corpus's years (report language), above 1 for one concentrated in a
    period (a formula candidate).  A phrase the profile lacks gets no factor
    and is judged by its own corpus.

    Args:
        phrase: The phrase.
        reference: A profile (default: :func:`load_reference`).

    Returns:
        The signals, each with its factor and what it says in words.

    >>> [(s.words, s.factor) for s in reference_signals("各位代表")]
    [('reference flat 1954–2025 in 51 of 72 reports', 0.52)]
    >>> [(s.words, s.factor) for s in reference_signals("高质量发展")]
    [('reference 2018–2025 in 15 of 72 reports', 1.82)]
    >>> reference_signals("全县上下")
    ()
    """
    reference = load_reference() if reference is None else reference
    p = reference.get(phrase)
    if p is None:
        return ()
    factor = ((0.1 + max(p.excess, 0.0)) / (0.1 + PIVOT)) ** EXPONENT
    factor = round(min(MAX_FACTOR, max(MIN_FACTOR, factor)), 2)
    period = f"{p.first_year}–{p.last_year}" if p.first_year is not None else "undated"
    flat = "flat " if p.excess < PIVOT else ""
    return (Signal(f"reference {flat}{period} in {p.documents} of {reference.documents} reports", factor),)
