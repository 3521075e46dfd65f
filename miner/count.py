"""Count mentions into phrase and phrase × year tables, one document at a time.

Only aggregates are held in memory, so a corpus of any size is counted in
bounded memory; :meth:`PhraseCounts.merge` combines partial counts built in
other processes or on a cluster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .extract import NUMBERED, NUMBERED_QUOTED, QUOTED
from .types import DocResult

__all__ = ["PhraseCounts", "PhraseStats", "count_phrases", "phrase_kind", "rate", "PER"]

PER = 10_000  # rates are per 10,000 characters


def rate(count: float, chars: int) -> float:
    """Mentions per 10,000 characters, rounded as the tables write it (0 for no text).

    >>> rate(3, 795)
    37.7358
    """
    return round(count * PER / chars, 4) if chars else 0.0


def phrase_kind(kinds: set[str]) -> str:
    """The kind of a phrase from the kinds of its mentions.

    >>> phrase_kind({"numbered", "quoted"}), phrase_kind({"quoted"})
    ('numbered+quoted', 'quoted')
    """
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
                    "kind": phrase_kind(s.kinds),
                    "total": s.total,
                    "documents": s.documents,
                    "first_year": s.first_year,
                    "last_year": s.last_year,
                    "per_10k": rate(s.total, self.chars),
                    # ties go to the first rule by name, so merged counts agree with one pass
                    "rule": min(s.rules.items(), key=lambda kv: (-kv[1], kv[0]))[0],
                    "variants": " | ".join(v for v, _ in sorted(s.variants.items(), key=lambda kv: (-kv[1], kv[0]))),
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
