"""Group slogans into templates, count the templates by year, and plot them.

A template abstracts the varying part of a slogan as ``·``; a family
abstracts the numbers too:

===============================  ==============  ================
phrases                          template        family
===============================  ==============  ================
四个全面, 四个意识, 四个自信     ``四个·``       ``N个X``
两个率先, 两个维护               ``两个·``       ``N个X``
八项规定                         ``八项·``       ``N项X``
六稳, 六保                       ``六·``         ``NX``
三严三实                         ``三·三·``      ``N X N Y``
五讲四美三热爱                   ``五·四·三·``   ``N X N Y N Z``
双三, 双创                       ``双·``         ``双X``
十四五, 八五                     ``N五``         ``plan``
1+8                              ``N+N``         ``arabic``
工业服务年, 项目推进年           ``…年``         ``campaign``
两手抓、两手都要硬               ``A、B``        ``paired``
===============================  ==============  ================

:func:`template_of` names one phrase's template; :func:`group_patterns`
groups phrases; :func:`pattern_rows` and :func:`pattern_year_rows` are the
``patterns.csv`` and ``patterns_by_year.csv`` tables ``miner run`` writes
from its counts; :func:`pattern_trends` reads them back by template or family
and :func:`plot_patterns` draws them over the years.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from ..analysis.count import PhraseCounts, rate
from .define import CLASSIFIER_SHAPE, DOUBLE_SHAPE, slogan_parts
from ..errors import EmptyResultError, InputError
from .core import PLAN_EXACT
from ..types import Pattern, PatternTrends

__all__ = [
    "PATTERN_COLUMNS",
    "PATTERN_YEAR_COLUMNS",
    "FAMILIES",
    "template_of",
    "group_patterns",
    "pattern_rows",
    "pattern_year_rows",
    "pattern_table",
    "pattern_trends",
    "plot_patterns",
    "describe_family",
]

PATTERN_COLUMNS = ("template", "family", "phrases", "total", "first_year", "last_year", "per_10k", "members")
PATTERN_YEAR_COLUMNS = ("template", "family", "year", "count", "phrases", "year_chars", "per_10k")
CAMPAIGN_SUFFIXES = ("年", "月", "工程", "行动")
PAIR_SEPARATOR = re.compile(r"[、，,；;]")
MAX_PAIR_PART = 12
LETTERS = "XYZUVW"
# N个X also stands for N项X, N大X, N条X … (one family per classifier).
FAMILIES = ("N个X", "N X N Y", "NX", "双X", "plan", "arabic", "campaign", "paired")


# Kept per phrase: the tables of a run ask for each phrase's template three times.
@functools.lru_cache(maxsize=1 << 16)
def template_of(phrase: str, kind: str = "numbered") -> tuple[str, str] | None:
    """The ``(template, family)`` of a phrase, or ``None`` if it fits none.

    ``kind`` is the phrase's kind in ``phrases.csv``: only numbered phrases
    get a numbered template, only quoted ones a campaign-name template.

    >>> template_of("四个全面"), template_of("三严三实"), template_of("六稳")
    (('四个·', 'N个X'), ('三·三·', 'N X N Y'), ('六·', 'NX'))
    >>> template_of("工业服务年", "quoted"), template_of("冲刺三季度、决战下半年", "quoted")
    (('…年', 'campaign'), ('A、B', 'paired'))
    >>> template_of("十四五"), template_of("1+8"), template_of("倒逼机制", "quoted")
    (('N五', 'plan'), ('N+N', 'arabic'), None)
    """
    numbered = "numbered" in kind.split("+")
    if "+" in phrase and not re.search(r"\d", phrase):
        parts = [p for p in phrase.split("+") if p]
        if 2 <= len(parts) <= 4 and all(len(p) <= MAX_PAIR_PART for p in parts):
            return "+".join("ABCD"[: len(parts)]), "paired"
    parts = PAIR_SEPARATOR.split(phrase)
    if len(parts) > 1:
        sizes = [len(p) for p in parts]
        # Parallel parts are about as long as each other (不忘初心、牢记使命), a
        # quoted sentence is not (民族斗争，说到底，是一个阶级斗争问题).
        if 2 <= len(parts) <= 4 and min(sizes) >= 2 and max(sizes) <= min(MAX_PAIR_PART, 2 * min(sizes)):
            return "、".join("ABCD"[: len(parts)]), "paired"
        return None
    if numbered:
        if re.search(r"\d", phrase):
            return re.sub(r"\d+", "N", phrase), "arabic"
        if PLAN_EXACT.match(phrase):
            return "N五", "plan"
        if DOUBLE_SHAPE.match(phrase) or (phrase.startswith("双") and slogan_parts(phrase)):
            return "双·", "双X"
        m = CLASSIFIER_SHAPE.match(phrase)
        if m and slogan_parts(phrase):
            return f"{m.group(1)}{m.group(2)}·", f"N{m.group(2)}X"
        numerals = re.findall(r"([一二三四五六七八九十两]+)[^一二三四五六七八九十两]+", phrase)
        if slogan_parts(phrase) and numerals:
            family = "NX" if len(numerals) == 1 else " ".join(f"N {c}" for c in LETTERS[: len(numerals)])
            return "".join(n + "·" for n in numerals), family
        return None
    for suffix in CAMPAIGN_SUFFIXES:
        if phrase.endswith(suffix) and len(phrase) >= len(suffix) + 3:
            before = phrase[-len(suffix) - 1]
            if not (before.isdigit() or before in "〇零一二三四五六七八九十百千两周"):
                return f"…{suffix}", "campaign"
    return None


def group_patterns(phrases: Iterable[tuple[str, str]]) -> list[Pattern]:
    """Group ``(phrase, kind)`` pairs by template, in order of first appearance.

    >>> [(p.template, p.members) for p in group_patterns(
    ...     [("四个全面", "numbered"), ("四个意识", "numbered+quoted"), ("项目推进年", "quoted"),
    ...      ("工业服务年", "quoted"), ("倒逼机制", "quoted")])]
    [('四个·', ('四个全面', '四个意识')), ('…年', ('项目推进年', '工业服务年'))]
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for phrase, kind in phrases:
        found = template_of(phrase, kind)
        if found:
            groups.setdefault(found, []).append(phrase)
    return [Pattern(template, family, tuple(members)) for (template, family), members in groups.items()]


def pattern_rows(counts: PhraseCounts) -> list[dict]:
    """``patterns.csv``: one row per template, most used first.

    ``members`` lists the template's phrases by frequency; ``per_10k`` is per
    10,000 characters of the whole corpus.
    """
    stats = counts.phrases
    rows = []
    for pattern in group_patterns((p, s.kind) for p, s in counts.ordered()):
        members = [stats[p] for p in pattern.members]
        total = sum(s.total for s in members)
        firsts = [s.first_year for s in members if s.first_year is not None]
        lasts = [s.last_year for s in members if s.last_year is not None]
        rows.append({
            "template": pattern.template,
            "family": pattern.family,
            "phrases": len(members),
            "total": total,
            "first_year": min(firsts) if firsts else None,
            "last_year": max(lasts) if lasts else None,
            "per_10k": rate(total, counts.chars),
            "members": " | ".join(pattern.members),
        })
    rows.sort(key=lambda r: (-r["total"], r["template"]))
    return rows


def pattern_year_rows(counts: PhraseCounts) -> list[dict]:
    """``patterns_by_year.csv``: one row per template and year it was used in.

    ``count`` adds up its phrases' mentions that year, ``phrases`` says how
    many different ones were used, and ``per_10k`` is per 10,000 characters
    of that year's documents.
    """
    template = {}
    for pattern in group_patterns((p, s.kind) for p, s in counts.phrases.items()):
        for phrase in pattern.members:
            template[phrase] = (pattern.template, pattern.family)
    totals: Counter = Counter()
    used: dict = defaultdict(set)
    for (phrase, year), n in counts.by_year.items():
        if phrase in template:
            totals[template[phrase], year] += n
            used[template[phrase], year].add(phrase)
    order = {t: i for i, t in enumerate(r["template"] for r in pattern_rows(counts))}
    rows = []
    for ((name, family), year), n in sorted(totals.items(), key=lambda kv: (order[kv[0][0][0]], kv[0][1])):
        chars = counts.year_chars[year]
        rows.append({
            "template": name,
            "family": family,
            "year": year,
            "count": n,
            "phrases": len(used[(name, family), year]),
            "year_chars": chars,
            "per_10k": rate(n, chars),
        })
    return rows


def pattern_table(table_dir: str | Path, *, by: str = "template", n: int = 20, family: str | None = None,
                  members: int | None = 12) -> list[dict]:
    """The ``n`` most used templates (or families) of a run, from ``patterns.csv``.

    With ``by="family"`` the templates of each family are added up, and
    ``members`` lists the family's templates.  Only the first ``members``
    members are listed (``None``: all).
    """
    from ..io.tables import read_table

    if by not in ("template", "family"):
        raise InputError(f"cannot group patterns by '{by}'; use template or family")
    rows = [{**r, "phrases": int(r["phrases"])}
            for r in read_table(Path(table_dir) / "patterns.csv", ("template", "family", "phrases", "total"))
            if family is None or r["family"] == family]
    if not rows:
        raise EmptyResultError(f"no templates{' of family ' + family if family else ''} in "
                               f"{Path(table_dir) / 'patterns.csv'}; families are {', '.join(FAMILIES)}")
    if by == "family":
        merged: dict[str, dict] = {}
        for r in rows:
            m = merged.setdefault(r["family"], {"template": r["family"], "family": r["family"], "phrases": 0,
                                                "total": 0, "first_year": None, "last_year": None,
                                                "per_10k": 0.0, "members": []})
            m["phrases"] += r["phrases"]
            m["total"] += r["total"]
            m["per_10k"] = round(m["per_10k"] + r["per_10k"], 4)
            for key, pick in (("first_year", min), ("last_year", max)):
                years = [y for y in (m[key], r[key]) if y is not None]
                m[key] = pick(years) if years else None
            m["members"].append(r["template"])
        rows = [{**m, "members": " | ".join(m["members"])} for m in merged.values()]
    rows.sort(key=lambda r: (-r["total"], r["template"]))
    for r in rows:
        listed = r["members"].split(" | ")
        if members is not None and len(listed) > members:
            r["members"] = " | ".join(listed[:members] + ["…"])
    return rows[:n] if n else rows


def pattern_trends(table_dir: str | Path, *, by: str = "family") -> PatternTrends:
    """Uses by year of each family (or template) of a run, with the characters
    of every dated year (from ``documents.csv``, so years without a mention
    count too)."""
    from ..io.tables import read_table

    table_dir = Path(table_dir)
    if by not in ("template", "family"):
        raise InputError(f"cannot group patterns by '{by}'; use template or family")
    year_chars: Counter = Counter()
    for r in read_table(table_dir / "documents.csv", ("year", "chars", "status")):
        if r["status"] == "ok" and r["year"] is not None:
            year_chars[r["year"]] += r["chars"]
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in read_table(table_dir / "patterns_by_year.csv", ("template", "family", "year", "count")):
        counts[r[by]][r["year"]] += r["count"]
    years = tuple(sorted(y for y, c in year_chars.items() if c))
    return PatternTrends(by, years, dict(year_chars), {k: dict(v) for k, v in counts.items()})


FAMILY_WORDS = {
    "N X N Y": "numbered parts (三严三实, 一带一路)",
    "NX": "number + word (三农, 六稳)",
    "双X": "双 + word (双创, 双循环)",
    "plan": "five-year plans (十四五)",
    "arabic": "arabic numerals (1+8)",
    "campaign": "campaign years and projects (…年, …工程)",
    "paired": "paired phrases (两手抓、两手都要硬)",
}


def describe_family(name: str) -> str:
    """A family (or template) in words for a legend: ``N个X`` → ``number + 个 + word (N个X)``.

    >>> describe_family("N个X"), describe_family("plan"), describe_family("四个·")
    ('number + 个 + word (N个X)', 'five-year plans (十四五)', '四个·')
    """
    if name in FAMILY_WORDS:
        return FAMILY_WORDS[name]
    if name.startswith("N X N Y"):
        return f"three or more numbered parts ({name})" if name.count("N") > 2 else FAMILY_WORDS["N X N Y"]
    if len(name) == 3 and name[0] == "N" and name[2] == "X":
        return f"number + {name[1]} + word ({name})"
    return name


def plot_patterns(trends: PatternTrends, *, names: Iterable[str] | None = None, top: int = 6, window: int = 5,
                  ax=None, figsize: tuple[float, float] | None = None, font_size: float | None = None):
    """One line per family (or template): its mentions per 10,000 characters by year.

    Lines break over years without documents; the legend names families in
    words (:func:`describe_family`).

    Args:
        trends: What :func:`pattern_trends` returns.
        names: The families or templates to draw (default: the ``top`` most used).
        top: How many to draw when none are named.
        window: Pool counts and characters over this many years around each
            year (1: every year on its own).
        ax: The Axes to draw on (default: a new figure's).
        figsize: Width and height in inches of a new figure.
        font_size: Base font size in points.

    Returns:
        The Axes drawn on.

    >>> t = PatternTrends("family", (2012, 2014), {2012: 20_000, 2014: 10_000},
    ...                   {"N个X": {2012: 1, 2014: 2}, "plan": {2012: 2}})
    >>> ax = plot_patterns(t, window=1)
    >>> [(line.get_label(), line.get_ydata().tolist()) for line in ax.get_lines()]
    [('number + 个 + word (N个X)', [0.5, nan, 2.0]), ('five-year plans (十四五)', [1.0, nan, 0.0])]
    """
    import math

    from ..analysis.plot import figure_rc

    if names is None:
        names = sorted(trends.counts, key=lambda k: (-sum(trends.counts[k].values()), k))[:top]
    names = list(names)
    missing = [n for n in names if n not in trends.counts]
    if missing or not trends.years or not names:
        raise EmptyResultError(f"no uses of {', '.join(missing) or 'any template'} by year; "
                               f"`miner patterns` lists the templates and families")
    years = list(range(trends.years[0], trends.years[-1] + 1))
    with figure_rc(font_size):
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=figsize or (11, 5.5), layout="constrained").add_subplot()
        for name in names:
            by_year = dict(zip(trends.years, trends.rates(name, window)))
            ax.plot(years, [by_year.get(y, math.nan) for y in years], marker="o", ms=3, lw=1.6,
                    label=describe_family(name) if trends.by == "family" else name)
        ax.set_xlabel("year (gaps: years without documents)")
        ax.set_ylabel("mentions per 10,000 characters" + (f" ({window}-year window)" if window > 1 else ""))
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                  title="families" if trends.by == "family" else "templates")
        ax.set_title(f"slogan {'families' if trends.by == 'family' else 'templates'} by year, {years[0]}–{years[-1]}")
    return ax
