"""Measure the extractor against a judged list of slogans and non-slogans.

The judged list (``tests/data/judged.tsv``) labels strings a numeral matcher
may report: ``1`` a real slogan or formulation, ``0`` not one, ``?``
undecided (left out of both classes).  :func:`evaluate` reports

* precision of the ``top`` most frequent numbered phrases of a run
  (judged-real / judged), listing the wrong and the unjudged ones;
* recall: the share of real numbered slogans known to occur in the corpus
  that the run found (and, apart, of the judged quoted formulas);
* trap hits: non-slogan strings reported as numbered phrases.  (A quoted
  non-slogan such as “弹钢琴” is rightly reported as a quoted phrase.)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .count import PhraseCounts, phrase_kind

__all__ = ["Judgement", "load_judged", "evaluate", "Evaluation"]


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
        """Share of the judged quoted formulas that occur and were found (any kind)."""
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
    numbered = [(p, s) for p, s in counts.ordered() if "numbered" in phrase_kind(s.kinds)]
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
                if phrase in counts.phrases:
                    ev.quoted_found.append(phrase)
                continue
            ev.expected.append(phrase)
            (ev.found if phrase in counts.phrases else ev.missed).append(phrase)
        elif labels == {"0"} and phrase in counts.phrases and "numbered" in phrase_kind(counts.phrases[phrase].kinds):
            ev.trap_hits.append(phrase)
    return ev
