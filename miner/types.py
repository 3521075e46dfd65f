"""Typed values passed between the pipeline stages."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["Document", "Mention", "Definition", "DocResult", "Pattern", "PatternTrends", "Formula", "OK", "quick_init"]

OK = "ok"


def quick_init(cls):
    """``cls``, a frozen dataclass whose fields have no default factory, with
    an ``__init__`` that fills the new instance's ``__dict__`` directly.

    The ``__init__`` :func:`~dataclasses.dataclass` makes for a frozen class
    calls ``object.__setattr__`` once a field: a :class:`Mention` took 1.5 µs
    to make instead of 0.6, and mining makes one for every mention and a few
    spans for each.  Everything else (equality, hashing, no assignment) is
    the dataclass's own.

    >>> @quick_init
    ... @dataclass(frozen=True)
    ... class Point:
    ...     x: int
    ...     y: int = 0
    >>> Point(1), Point(1, y=2) == Point(1, 2), dataclasses.replace(Point(1), y=3)
    (Point(x=1, y=0), True, Point(x=1, y=3))
    """
    fields = dataclasses.fields(cls)
    assert all(f.default_factory is dataclasses.MISSING and f.init for f in fields), cls
    defaults = {f"_default_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    params = ", ".join(f.name if f.default is dataclasses.MISSING else f"{f.name}=_default_{f.name}" for f in fields)
    stores = "".join(f"\n    d[{f.name!r}] = {f.name}" for f in fields)
    exec(f"def __init__(self, {params}):\n    d = self.__dict__{stores}", defaults)
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@dataclass(frozen=True)
class Document:
    """One input document, or the record of one that could not be read.

    ``status`` is ``"ok"`` or ``"skipped: <reason>"``; a skipped document has
    empty ``text`` but is still written to ``documents.csv``.  ``fields``
    holds the document's other variables as text (a CSV row's other columns,
    a path's ``--field``, a .docx file's author), each a column of
    ``documents.csv``.  ``warning`` says what is doubtful about a document
    that was read all the same (an encoding two readings fit nearly as well,
    bad bytes replaced, rows recovered after a stray quote), else ``""``.
    """

    doc_id: str
    source: str
    text: str = ""
    title: str = ""
    year: int | None = None
    year_source: str = ""
    status: str = OK
    fields: Mapping[str, str] = field(default_factory=dict, hash=False, compare=True)
    warning: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


@quick_init
@dataclass(frozen=True)
class Mention:
    """One occurrence of a phrase, located in the document's original text.

    ``start``/``end`` index the decoded original text, so ``surface`` equals
    ``document.text[start:end]`` (traditional characters, odd quotes and all),
    while ``phrase`` is the canonical simplified form everything is counted by.
    ``score`` (0–1) and ``evidence`` tell how likely the mention is a slogan
    and on which signals that rests (see :meth:`miner.extract.core.Extractor.score_span`).
    """

    doc_id: str
    year: int | None
    phrase: str
    surface: str
    kind: str
    rule: str
    start: int
    end: int
    sentence: int
    paragraph: int
    context: str
    score: float = 1.0
    evidence: tuple[str, ...] = ()


@quick_init
@dataclass(frozen=True)
class Definition:
    """A numbered slogan spelled out in one document: what its N members are.

    ``members`` are in canonical (simplified, unquoted) form, like ``phrase``;
    ``evidence`` is the passage they were read from as written in the original
    text, which it spans from ``start`` to ``end``.  ``how`` names the form
    the definition took (see :mod:`miner.extract.define`): ``marker:即``,
    ``list:一是``, ``run:before``, ``run:document``, or ``note`` and
    ``glossary`` for a report's notes.  A note that explains a slogan without
    listing its members leaves ``members`` empty and keeps its text as
    ``gloss``.
    """

    doc_id: str
    year: int | None
    phrase: str
    members: tuple[str, ...]
    how: str
    evidence: str
    start: int
    end: int
    gloss: str = ""


@dataclass(frozen=True)
class DocResult:
    """What mining one document yields: its metadata row, its mentions and
    the definitions of its numbered slogans.

    ``body`` is the cleaned text in its original characters, line by line.
    With formulas (``miner run --formulas``), the first pass keeps the text
    formulas are found in (``formula_text``: the runs of Chinese characters
    outside the mentions) and the second the number of occurrences of each
    formula (``formula_counts``: ``(phrase, count)`` pairs).
    """

    document: Document
    chars: int
    stripped_lines: int
    stripped_chars: int
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
    definitions: tuple[Definition, ...] = field(default_factory=tuple)
    formula_text: str = ""
    formula_counts: tuple[tuple[str, int], ...] = ()
    body: str = ""  # the cleaned text as written (chrome left out), which `miner kwic` searches


@dataclass(frozen=True)
class Pattern:
    """A phrase template and the mined phrases that fit it.

    ``template`` abstracts the varying part as ``·`` (``四个·`` holds 四个全面
    and 四个意识; ``…年`` holds 工业服务年); ``family`` is the shape with the
    numbers abstracted too (``N个X``, ``N X N Y``, ``A、B``).
    """

    template: str
    family: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class PatternTrends:
    """Uses of templates (or families) by year, and the characters of each year.

    ``counts`` maps a template to ``{year: mentions}``; ``year_chars`` holds
    every year with dated text, mentions or not.
    """

    by: str
    years: tuple[int, ...]
    year_chars: dict
    counts: dict

    def rates(self, name: str, window: int = 1) -> list[float]:
        """Mentions per 10,000 characters in each year, pooled over ``window``
        years centred on it (counts and characters added up first, so a year
        with little text does not swing the line)."""
        from .analysis.count import rate  # count builds on these types

        half = window // 2
        used = self.counts.get(name, {})
        out = []
        for year in self.years:
            span = [y for y in self.years if abs(y - year) <= half]
            chars = sum(self.year_chars[y] for y in span)
            out.append(rate(sum(used.get(y, 0) for y in span), chars))
        return out


@dataclass(frozen=True)
class Formula:
    """A recurring unnumbered, unquoted phrase found from n-gram statistics.

    ``cohesion`` is the smallest pointwise mutual information over the ways of
    cutting the phrase in two; ``left_entropy`` and ``right_entropy`` measure
    how freely it combines with the characters around it; ``concentration``
    how much more its use clusters in some years than the text does;
    ``by_year`` holds ``(year, count, documents)`` for each year it is used in;
    ``signals`` names the factors ``score`` is the product of.
    """

    phrase: str
    total: int
    documents: int
    years: int
    first_year: int | None
    last_year: int | None
    cohesion: float
    left_entropy: float
    right_entropy: float
    concentration: float
    score: float
    by_year: tuple[tuple[int, int, int], ...] = ()
    signals: str = ""
