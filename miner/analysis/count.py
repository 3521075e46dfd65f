"""Count mentions into phrase and phrase × year tables, one document at a time.

Only aggregates are held in memory, so a corpus of any size is counted in
bounded memory; :meth:`PhraseCounts.merge` combines partial counts built in
other processes or on a cluster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..extract.core import NUMBERED, NUMBERED_QUOTED, OTHER_NUMBER, OTHER_QUOTE, QUOTED, THRESHOLD
from ..types import DocResult

__all__ = ["PhraseCounts", "PhraseStats", "count_phrases", "phrase_kind", "rate", "PER", "RECURS", "DEFINED"]

PER = 10_000  # rates are per 10,000 characters
OTHER_KINDS = (OTHER_QUOTE, OTHER_NUMBER)
# What the corpus adds to the mentions' own evidence: a phrase used in several
# documents of different years, or spelled out member by member, is a formula.
RECURS, DEFINED = 0.1, 0.1
# In one year, two documents may be one text twice (a report and the
# resolution approving it); this many are separate uses, as in a year's
# provincial reports or a day's news pages.
RECURS_DOCUMENTS = 3
SCORE_PLACES = 4  # the decimals of a mention's score, at most


def rate(count: float, chars: int) -> float:
    """Mentions per 10,000 characters, rounded as the tables write it (0 for no text).

    >>> rate(3, 795)
    37.7358
    """
    return round(count * PER / chars, 4) if chars else 0.0


def phrase_kind(kinds: set[str]) -> str:
    """The kind of a phrase from the kinds of its mentions.

    A phrase with a mention of a slogan kind takes that kind; ``other-quote``
    and ``other-number`` only when no mention is a slogan.

    >>> phrase_kind({"numbered", "quoted"}), phrase_kind({"quoted", "other-quote"}), phrase_kind({"other-quote"})
    ('numbered+quoted', 'quoted', 'other-quote')
    """
    slogan = kinds - set(OTHER_KINDS)
    if not slogan:
        return OTHER_QUOTE if OTHER_QUOTE in kinds else OTHER_NUMBER if kinds else ""
    kinds = slogan
    if NUMBERED_QUOTED in kinds or {NUMBERED, QUOTED} <= kinds:
        return NUMBERED_QUOTED
    if len(kinds) == 1:
        return next(iter(kinds))
    return "+".join(sorted(kinds))


@dataclass
class PhraseStats:
    total: int = 0
    documents: int = 0
    first_year: int | None = None
    last_year: int | None = None
    kinds: set = field(default_factory=set)
    rules: Counter = field(default_factory=Counter)
    variants: Counter = field(default_factory=Counter)
    score_sum: float = 0.0
    score_max: float = 0.0
    evidence: Counter = field(default_factory=Counter)
    definitions: int = 0

    @property
    def score(self) -> float:
        """How likely the phrase is a slogan (0–1): the mean of its mentions'
        average and best score, plus :data:`RECURS` when it recurs in documents of different years
        (or in :data:`RECURS_DOCUMENTS` documents of any years) and
        :data:`DEFINED` when a document spells it out.

        >>> s = PhraseStats(total=2, documents=2, first_year=1998, last_year=2003, score_sum=0.9, score_max=0.45)
        >>> s.score, s.signals
        (0.55, 'recurs')
        >>> PhraseStats(total=3, documents=3, first_year=2019, last_year=2019, score_sum=1.35, score_max=0.45).score
        0.55
        """
        if not self.total:
            return 0.0
        # Mention scores have at most four decimals (a slogan's two, a formula's
        # four), so their sum is a whole number of ten-thousandths: rounded to
        # it, the sum loses the error of float additions, which depends on the
        # order they were made in, and counts merged in any order (a tree of
        # merges on a cluster) give the score one pass gives.
        score = (round(self.score_sum, SCORE_PLACES) / self.total + self.score_max) / 2
        score += RECURS * self._recurs() + DEFINED * bool(self.definitions)
        return round(min(1.0, max(0.0, score)), 2)

    def _recurs(self) -> bool:
        return self.documents >= RECURS_DOCUMENTS or (
            self.documents >= 2 and self.first_year is not None and self.first_year != self.last_year
        )

    @property
    def signals(self) -> str:
        """The evidence for and against, most frequent first, space-separated."""
        tags = [t for t, _ in sorted(self.evidence.items(), key=lambda kv: (-kv[1], kv[0]))]
        tags += ["recurs"] * self._recurs() + ["defined"] * bool(self.definitions)
        return " ".join(tags)

    @property
    def kind(self) -> str:
        """The phrase's kind: from its mentions' kinds, ``other-quote`` or
        ``other-number`` when its score is below the threshold."""
        kind = phrase_kind(self.kinds)
        if self.score >= THRESHOLD:
            return phrase_kind(self.kinds - set(OTHER_KINDS) or {QUOTED if OTHER_QUOTE in self.kinds else NUMBERED})
        if kind in OTHER_KINDS:
            return kind
        return OTHER_QUOTE if self.kinds & {QUOTED, NUMBERED_QUOTED, OTHER_QUOTE} else OTHER_NUMBER

    def merge(self, other: "PhraseStats") -> None:
        self.total += other.total
        self.documents += other.documents
        years = [y for y in (self.first_year, other.first_year) if y is not None]
        self.first_year = min(years) if years else None
        years = [y for y in (self.last_year, other.last_year) if y is not None]
        self.last_year = max(years) if years else None
        self.kinds |= other.kinds
        self.rules.update(other.rules)
        self.variants.update(other.variants)
        self.score_sum += other.score_sum
        self.score_max = max(self.score_max, other.score_max)
        self.evidence.update(other.evidence)
        self.definitions += other.definitions


@dataclass
class PhraseCounts:
    """Running totals: per phrase, per phrase and year, and characters per year."""

    phrases: dict = field(default_factory=dict)
    by_year: Counter = field(default_factory=Counter)
    docs_by_year: Counter = field(default_factory=Counter)
    year_chars: Counter = field(default_factory=Counter)
    year_docs: Counter = field(default_factory=Counter)
    chars: int = 0
    documents: int = 0
    skipped: int = 0
    mentions: int = 0

    def add(self, result: DocResult) -> None:
        """Fold one document's mentions into the totals."""
        doc = result.document
        if not doc.ok:
            self.skipped += 1
            return
        self.documents += 1
        self.chars += result.chars
        year = doc.year
        if year is not None:
            self.year_chars[year] += result.chars
            self.year_docs[year] += 1
        seen = set()
        for m in result.mentions:
            stats = self.phrases.get(m.phrase)
            if stats is None:
                stats = self.phrases[m.phrase] = PhraseStats()
            stats.total += 1
            stats.kinds.add(m.kind)
            stats.rules[m.rule] += 1
            stats.variants[m.surface] += 1
            stats.score_sum += m.score
            stats.score_max = max(stats.score_max, m.score)
            stats.evidence.update(m.evidence)
            if m.phrase not in seen:
                seen.add(m.phrase)
                stats.documents += 1
                if year is not None:
                    self.docs_by_year[m.phrase, year] += 1
                    if stats.first_year is None or year < stats.first_year:
                        stats.first_year = year
                    if stats.last_year is None or year > stats.last_year:
                        stats.last_year = year
            if year is not None:
                self.by_year[m.phrase, year] += 1
        for phrase in {d.phrase for d in result.definitions if d.members}:
            if phrase in self.phrases:
                self.phrases[phrase].definitions += 1
        self.mentions += len(result.mentions)

    def merge(self, other: "PhraseCounts") -> "PhraseCounts":
        """Add another set of totals into this one (order does not matter)."""
        for phrase, stats in other.phrases.items():
            mine = self.phrases.get(phrase)
            if mine is None:
                mine = self.phrases[phrase] = PhraseStats()
            mine.merge(stats)
        for name in ("by_year", "docs_by_year", "year_chars", "year_docs"):
            getattr(self, name).update(getattr(other, name))
        self.chars += other.chars
        self.documents += other.documents
        self.skipped += other.skipped
        self.mentions += other.mentions
        return self

    def ordered(self) -> list[tuple[str, PhraseStats]]:
        """Phrases by total, most frequent first; ties by phrase."""
        return sorted(self.phrases.items(), key=lambda kv: (-kv[1].total, kv[0]))

    def phrase_rows(self) -> list[dict]:
        rows = []
        for phrase, s in self.ordered():
            rows.append(
                {
                    "phrase": phrase,
                    "kind": s.kind,
                    "total": s.total,
                    "documents": s.documents,
                    "first_year": s.first_year,
                    "last_year": s.last_year,
                    "per_10k": rate(s.total, self.chars),
                    # ties go to the first rule by name, so merged counts agree with one pass
                    "rule": min(s.rules.items(), key=lambda kv: (-kv[1], kv[0]))[0],
                    "variants": " | ".join(v for v, _ in sorted(s.variants.items(), key=lambda kv: (-kv[1], kv[0]))),
                    "score": s.score,
                    "evidence": s.signals,
                }
            )
        return rows

    def by_year_rows(self) -> list[dict]:
        order = {phrase: i for i, (phrase, _) in enumerate(self.ordered())}
        rows = []
        for (phrase, year), count in sorted(self.by_year.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
            chars = self.year_chars[year]
            rows.append(
                {
                    "phrase": phrase,
                    "year": year,
                    "count": count,
                    "documents": self.docs_by_year[phrase, year],
                    "year_documents": self.year_docs[year],
                    "year_chars": chars,
                    "per_10k": rate(count, chars),
                }
            )
        return rows


def count_phrases(results) -> PhraseCounts:
    """Count an iterable of :class:`~miner.types.DocResult`."""
    counts = PhraseCounts()
    for result in results:
        counts.add(result)
    return counts
