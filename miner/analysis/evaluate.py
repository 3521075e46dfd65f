"""Measure the extractor against a judged list of slogans and non-slogans.

The judged list (``tests/data/judged.tsv``) labels strings a numeral matcher
may report: ``1`` a real slogan or formulation, ``0`` not one, ``?``
undecided (left out of both classes).  :func:`evaluate` reports

* precision of the ``top`` most frequent numbered phrases of a run
  (judged-real / judged), listing the wrong and the unjudged ones;
* recall: the share of real numbered slogans known to occur in the corpus
  that the run found as slogans (and, apart, of the judged quoted formulas;
  one reported as ``other-quote`` is missed);
* trap hits: non-slogan strings reported as numbered phrases.  (A quoted
  non-slogan such as “弹钢琴” is rightly reported as a quoted phrase.)

The judged random sample (``tests/data/judged_sample.tsv``) labels phrase
types drawn at random from everything a run reported, not only its top:
:func:`evaluate_sample` reports, for one family (numbered or quoted) and part
(``tune`` or ``held``), the precision of the types a run still calls slogans
and the recall of the judged real ones.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .count import OTHER_KINDS, PhraseCounts

__all__ = ["Judgement", "load_judged", "evaluate", "Evaluation", "SampleScore", "load_sample", "evaluate_sample"]


@dataclass(frozen=True)
class Judgement:
    phrase: str
    label: str
    family: str
    years: str
    note: str


def load_judged(path: str | Path) -> dict[str, list[Judgement]]:
    """The judged list, phrase → its judgements (a string may have two readings)."""
    judged: dict[str, list[Judgement]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            j = Judgement(row["phrase"], row["label"], row["family"], row["years"], row["note"])
            judged.setdefault(j.phrase, []).append(j)
    return judged


def _label(judgements: list[Judgement]) -> str:
    """A phrase reported by the miner takes its slogan reading when it has one:
    strings such as 八五 are judged twice, as a plan tag (1) and as a date
    fragment (0), and the miner only reports them in the plan reading."""
    labels = {j.label for j in judgements}
    return "1" if "1" in labels else ("0" if "0" in labels else "?")


@dataclass
class Evaluation:
    top: list[tuple[str, int, str]] = field(default_factory=list)  # phrase, total, label (1/0/?/"")
    precision: float = 0.0
    wrong: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    quoted_expected: list[str] = field(default_factory=list)
    quoted_found: list[str] = field(default_factory=list)
    trap_hits: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of the judged numbered slogans that occur and were found."""
        return len(self.found) / len(self.expected) if self.expected else 0.0

    @property
    def quoted_recall(self) -> float:
        """Share of the judged quoted formulas that occur and were found (not as ``other-quote``)."""
        return len(self.quoted_found) / len(self.quoted_expected) if self.quoted_expected else 0.0


def evaluate(
    counts: PhraseCounts,
    judged: dict[str, list[Judgement]],
    *,
    top: int = 50,
    present: set[str] | None = None,
) -> Evaluation:
    """Score one run's counts against the judged list.

    ``present`` limits recall to the real slogans that occur in the corpus
    evaluated (by default: those whose ``years`` column is not ``-``).
    """
    ev = Evaluation()
    numbered = [(p, s) for p, s in counts.ordered() if "numbered" in s.kind.split("+")]
    for phrase, stats in numbered[:top]:
        label = _label(judged[phrase]) if phrase in judged else ""
        ev.top.append((phrase, stats.total, label))
        if label == "0":
            ev.wrong.append(phrase)
        elif label == "?":
            ev.undecided.append(phrase)
        elif not label:
            ev.unjudged.append(phrase)
    right = sum(1 for _, _, label in ev.top if label == "1")
    judged_top = right + len(ev.wrong) + len(ev.unjudged)
    ev.precision = right / judged_top if judged_top else 0.0
    for phrase, judgements in sorted(judged.items()):
        labels = {j.label for j in judgements}
        if "1" in labels:
            real = [j for j in judgements if j.label == "1"]
            occurs = present is not None and phrase in present or present is None and any(j.years != "-" for j in real)
            if not occurs:
                continue
            if all(j.family == "quoted" for j in real):
                ev.quoted_expected.append(phrase)
                if _called(counts, phrase):
                    ev.quoted_found.append(phrase)
                continue
            ev.expected.append(phrase)
            (ev.found if _called(counts, phrase) else ev.missed).append(phrase)
        elif labels == {"0"} and phrase in counts.phrases and "numbered" in counts.phrases[phrase].kind.split("+"):
            ev.trap_hits.append(phrase)
    return ev


def _called(counts: PhraseCounts, phrase: str) -> bool:
    """Whether the run reports ``phrase`` as a slogan (not ``other-quote``/``other-number``)."""
    stats = counts.phrases.get(phrase)
    return stats is not None and stats.kind not in OTHER_KINDS


@dataclass(frozen=True)
class SampleScore:
    """Type-level precision and recall of one family and part of the judged sample.

    ``wrong`` are judged non-slogans the run calls slogans; ``missed`` judged
    slogans it does not (absent, or of kind ``other-quote``/``other-number``).
    """

    family: str
    part: str
    called: int
    right: int
    real: int
    wrong: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.right / self.called if self.called else 0.0

    @property
    def recall(self) -> float:
        return (self.real - len(self.missed)) / self.real if self.real else 0.0


def load_sample(path: str | Path) -> list[dict]:
    """The rows of the judged random sample (``phrase``, ``family``, ``label``, ``part``, …)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def evaluate_sample(counts: PhraseCounts, sample: list[dict], *, family: str, part: str | None = None) -> SampleScore:
    """Precision and recall over the sample's types of ``family`` (and ``part``; ``None``: both).

    A type counts as called a slogan when the run reports it with a kind other
    than ``other-quote`` or ``other-number``; undecided (``?``) types are left out.

    >>> from miner.analysis.count import PhraseStats
    >>> counts = PhraseCounts(phrases={"三农": PhraseStats(total=1, kinds={"numbered"}, score_sum=1.0, score_max=1.0),
    ...                                "十个水泥厂": PhraseStats(total=1, kinds={"numbered"}, score_sum=0.1, score_max=0.1)})
    >>> rows = [dict(phrase="三农", family="numbered", label="1", part="tune"),
    ...         dict(phrase="十个水泥厂", family="numbered", label="0", part="tune"),
    ...         dict(phrase="两个率先", family="numbered", label="1", part="held")]
    >>> s = evaluate_sample(counts, rows, family="numbered")
    >>> s.precision, s.recall, s.missed
    (1.0, 0.5, ('两个率先',))
    """
    called = right = real = 0
    wrong, missed = [], []
    for row in sample:
        if row["family"] != family or (part is not None and row["part"] != part) or row["label"] not in ("0", "1"):
            continue
        is_called = _called(counts, row["phrase"])
        if row["label"] == "1":
            real += 1
            if not is_called:
                missed.append(row["phrase"])
        if is_called:
            called += 1
            if row["label"] == "1":
                right += 1
            else:
                wrong.append(row["phrase"])
    return SampleScore(family, part or "all", called, right, real, tuple(wrong), tuple(missed))
