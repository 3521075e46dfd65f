"""Measure how accurate the slogan extractor is, against the judged lists.

    python scripts/accuracy.py                      # national reports + seeds + the random sample
    python scripts/accuracy.py --no-known-list      # patterns alone, without miner/data/slogans.txt
    python scripts/accuracy.py --errors tune        # also list the sample's errors in the tuning part
    python scripts/accuracy.py --section formulas   # the unnumbered formulas only

Prints, in sections:

* top: the precision of the 50 most frequent numbered phrases of the national
  government work reports, the recall of the judged real slogans that occur in
  the corpus and the seed speeches, and any judged non-slogan reported;
* sample: type-level precision and recall over the judged random sample of
  phrase types (``tests/data/judged_sample.tsv``), numbered and quoted, in its
  tuning part, its held-aside part and both, over the national reports, the
  seeds and the bundled sample corpus pooled, as the sample was drawn; how
  many quoted types of the tuning part have no evidence in any mention, by
  label (what a quote without evidence should be called); and the
  same over the fresh sample (``tests/data/judged_fresh.tsv``), judged blind by
  a second judge, whose errors are never listed: its quoted rows were never
  tuned on; its numbered rows were studied to tune the newer numbered forms
  after their first, blind measurement, so that figure is in-sample;
  and over the second fresh sample (``tests/data/judged_fresh2.tsv``), drawn
  and judged blind from the types no earlier sample held, with
  ``tests/data/provinces.csv`` mined beside the three sources; never tuned on;
  and over the third fresh sample (``tests/data/judged_fresh3.tsv``), every
  type of a corpus of its own (``tests/data/fresh3/``), judged blind, by part
  (its tuning part was studied after the first measurement; its held-aside
  part never); over the fourth (``tests/data/judged_fresh4.tsv`` of
  ``tests/data/fresh4/``), tuning data; and the quoted types of the parts never tuned on (held-aside,
  fresh, second fresh, third fresh held aside) pooled, the figure the aims
  are checked against;
* formulas: precision of the top 20/50/100 formulas of the national reports
  by the judged candidates (``tests/data/formulas_judged.tsv``; tuning and
  held-aside parts), recall of the well-known formulas
  (``tests/data/formulas_known.tsv``) with counts and first years, and the
  best formulas of the seeds and the bundled sample; and precision of the top
  50 on each of six other corpora by ``tests/data/formulas_corpora.tsv``
  (seeds, bundled sample, three eras of the national reports, provinces),
  and on the third fresh corpus by ``tests/data/formulas_fresh3.tsv``.

Each section is one function taking the parsed arguments and a miner.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from miner.analysis.count import count_phrases
from miner.analysis.evaluate import evaluate, evaluate_sample, load_judged, load_sample
from miner.extract.lexicon import load_lexicon
from miner.pipeline import Miner, mine_document
from miner.io.read import iter_documents

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def top_section(args, miner: Miner) -> None:
    """Top-50 precision on the national reports; judged-slogan recall with the seeds."""
    judged = load_judged(args.judged)
    national = count_phrases(mine_document(d, miner) for d in iter_documents([args.corpus]))
    everything = count_phrases(mine_document(d, miner) for d in iter_documents([args.corpus, args.seeds]))
    top = evaluate(national, judged, top=args.top)
    full = evaluate(everything, judged, top=args.top)

    print(f"\nTop {args.top} numbered phrases of the national reports (label: 1 slogan, 0 not, ? undecided, - unjudged):")
    for i, (phrase, total, label) in enumerate(top.top, 1):
        print(f"  {i:>2}. {phrase} ({total}) {label or '-'}")
    judged_top = len(top.top) - len(top.undecided)
    print(f"\nprecision@{args.top}: {top.precision:.1%} "
          f"({judged_top - len(top.wrong) - len(top.unjudged)}/{judged_top} judged; {len(top.undecided)} undecided left out)")
    if top.wrong:
        print(f"  not slogans: {' '.join(top.wrong)}")
    if top.unjudged:
        print(f"  unjudged (counted as wrong): {' '.join(top.unjudged)}")
    print(f"recall of numbered slogans (national reports + seeds): {full.recall:.1%} "
          f"({len(full.found)}/{len(full.expected)} judged slogans that occur)")
    if full.missed:
        print(f"  missed: {' '.join(full.missed)}")
    print(f"recall of quoted formulas: {full.quoted_recall:.1%} ({len(full.quoted_found)}/{len(full.quoted_expected)})")
    print(f"judged non-slogans reported as numbered: {len(full.trap_hits)}"
          + (f" ({' '.join(full.trap_hits)})" if full.trap_hits else ""))


def sample_section(args, miner: Miner) -> None:
    """Precision and recall over the judged random sample of phrase types."""
    sample = load_sample(args.sample)
    counts = count_phrases(mine_document(d, miner) for d in iter_documents([args.corpus, args.seeds, args.sample_corpus]))
    print(f"\nRandom sample of phrase types ({args.sample.name}; national reports + seeds + sample corpus):")
    print(f"  {'family':<9} {'part':<5} {'precision':>18} {'recall':>18}")
    unseen = []  # the quoted parts never tuned on, pooled below
    for family in ("numbered", "quoted"):
        for part in ("tune", "held", None):
            s = evaluate_sample(counts, sample, family=family, part=part)
            if family == "quoted" and part == "held":
                unseen.append(s)
            print(f"  {family:<9} {s.part:<5} {s.precision:>8.1%} ({s.right:>3}/{s.called:>3}) "
                  f"{s.recall:>8.1%} ({s.real - len(s.missed):>3}/{s.real:>3})")
            if args.errors and s.part == args.errors:
                for phrase in s.wrong:
                    st = counts.phrases[phrase]
                    print(f"      not a slogan, called one: {phrase} (score {st.score}: {st.signals})")
                for phrase in s.missed:
                    st = counts.phrases.get(phrase)
                    print(f"      slogan missed: {phrase}" + (f" (score {st.score}: {st.signals})" if st else " (not found)"))
    bare = unevidenced_quotes(counts, sample, part="tune")
    print(f"  quoted types of the tuning part with no evidence in any mention: {bare['1']} campaign phrases, "
          f"{bare['0']} not; called (on recurrence alone): {bare['called 1']} and {bare['called 0']}")
    if args.fresh.exists():
        fresh = load_sample(args.fresh)
        for family in ("numbered", "quoted"):  # measured only: its errors are never printed
            s = evaluate_sample(counts, fresh, family=family, part="fresh")
            if family == "quoted":
                unseen.append(s)
            print(f"  {family:<9} {s.part:<5} {s.precision:>8.1%} ({s.right:>3}/{s.called:>3}) "
                  f"{s.recall:>8.1%} ({s.real - len(s.missed):>3}/{s.real:>3})"
                  + ("  (in-sample: tuned on since)" if family == "numbered" else ""))
    if args.fresh2.exists():
        unseen.append(fresh2_lines(args, miner)["quoted"])
    if args.fresh3.exists():
        unseen.append(fresh3_lines(args, miner)["quoted"])
    if args.fresh4.exists():
        counts4 = count_phrases(mine_document(d, miner) for d in iter_documents([args.fresh4_corpus]))
        fresh4 = load_sample(args.fresh4)
        for family in ("numbered", "quoted"):
            s = evaluate_sample(counts4, fresh4, family=family, part="fresh4")
            print(score_line(family, s.part, s, "  (in-sample: tuned on)"))
    right, called, real = (sum(getattr(s, k) for s in unseen) for k in ("right", "called", "real"))
    found = real - sum(len(s.missed) for s in unseen)
    print(f"  quoted    never tuned on ({' + '.join(s.part for s in unseen)}, pooled): "
          f"precision {right / max(called, 1):.1%} ({right}/{called}), recall {found / max(real, 1):.1%} ({found}/{real})")


def unevidenced_quotes(counts, sample: list[dict], *, part: str) -> Counter:
    """How many quoted types of ``part`` no mention has any evidence for or
    against, by label (``1``, ``0``), and how many of each are still called
    slogans (``called 1``, ``called 0``): the data behind calling such a quote
    ``other-quote``."""
    tally: Counter = Counter()
    for row in sample:
        st = counts.phrases.get(row["phrase"])
        if row["family"] != "quoted" or row["part"] != part or row["label"] not in ("0", "1") or st is None:
            continue
        if not +st.evidence:
            tally[row["label"]] += 1
            tally["called " + row["label"]] += st.kind not in ("other-quote", "other-number")
    return tally


def score_line(family: str, part: str, s, note: str = "") -> str:
    """One line of a later fresh sample's figures: precision and recall with their counts."""
    return (f"  {family:<9} {part:<6} {s.precision:>7.1%} ({s.right:>3}/{s.called:>3}) "
            f"{s.recall:>8.1%} ({s.real - len(s.missed):>3}/{s.real:>3}){note}")


def fresh2_lines(args, miner: Miner) -> dict:
    """The second fresh sample, measured over the four sources it was drawn from; its errors are never printed.
    Returns the score of each family."""
    sources = [args.corpus, args.seeds, args.sample_corpus, args.provinces]
    counts = count_phrases(mine_document(d, miner) for d in iter_documents([p for p in sources if p.exists()]))
    fresh2 = load_sample(args.fresh2)
    scores = {}
    for family in ("numbered", "quoted"):
        s = scores[family] = evaluate_sample(counts, fresh2, family=family, part="fresh2")
        print(score_line(family, s.part, s, "  (+ provinces.csv)"))
    return scores


def fresh3_lines(args, miner: Miner) -> dict:
    """The third fresh sample, every type of a corpus of its own
    (``tests/data/fresh3/``), by part; its errors are never printed.
    Returns the score of each family's held-aside part."""
    counts = count_phrases(mine_document(d, miner) for d in iter_documents([args.fresh3_corpus]))
    fresh3 = load_sample(args.fresh3)
    scores = {}
    for family in ("numbered", "quoted"):
        for part in ("tune", "held"):
            s = evaluate_sample(counts, fresh3, family=family, part=part)
            if part == "held":
                scores[family] = replace(s, part="fresh3 held")
            print(score_line(family, "fresh3 " + part, s))
    return scores


def formulas_section(args, miner: Miner) -> None:
    """Formulas of the national reports: precision of the top 20/50/100 by the
    judged candidates (tuning part, held-aside part), recall of the
    well-known formulas with their counts and first years; and the best
    formulas of the seeds and the bundled sample, for a look at other text."""
    import tempfile

    from miner.extract.formulas import formula_precision, known_recall, mine_formulas
    from miner.io.tables import read_table

    with tempfile.TemporaryDirectory() as tmp:
        mine_formulas([args.corpus], tmp, miner=miner, workers=1)
        print("\nFormulas of the national reports (miner run --formulas):")
        for top in (20, 50, 100):
            parts = []
            for part in ("tuning", "held", "all"):
                share, real, judged, unjudged = formula_precision(tmp, args.formulas_judged, top=top, part=part)
                parts.append(f"{part} {real}/{judged} = {share:.0%}" + (f" ({len(unjudged)} unjudged)" if unjudged else ""))
            print(f"  precision@{top}: " + "; ".join(parts))
        recall = known_recall(tmp, args.formulas_known)
        n = len(recall.known)
        print(f"  well-known formulas found: {recall.within()}/{n} = {recall.within() / n:.0%} "
              f"(in the top 100: {recall.within(100)}, 500: {recall.within(500)}, 1000: {recall.within(1000)}); "
              f"count within 5% of a substring search: {len(recall.close)}/{n} = {len(recall.close) / n:.0%}; "
              f"first year as in the list: {len(recall.first_year)}/{n}")
        if recall.missed:
            print(f"  missed: {' '.join(recall.missed)}")
    for name, corpus in (("seeds", args.seeds), ("bundled sample", args.sample_corpus)):
        with tempfile.TemporaryDirectory() as tmp:
            mine_formulas([corpus], tmp, miner=miner, workers=1)
            rows = sorted(read_table(Path(tmp) / "formulas.csv", ("phrase", "score")), key=lambda r: -float(r["score"]))
            print(f"  best formulas of the {name}: {' '.join(r['phrase'] for r in rows[:15])}")
    if args.formulas_corpora.exists():
        formulas_by_corpus(args, miner)


def formula_corpora(args, folder: Path) -> dict[str, Path]:
    """The six corpora of ``formulas_corpora.tsv``: the seeds, the bundled
    sample, the provinces, and the national reports cut into three eras
    (written to ``folder``) as ``tests/data/README.md`` describes."""
    from build_reference import era_files

    paths = {"seeds": args.seeds, "sample": args.sample_corpus, **era_files(args.corpus, folder)}
    paths["provinces"] = ROOT / "tests" / "data" / "provinces.csv"
    return paths


def formulas_by_corpus(args, miner: Miner) -> None:
    """Precision of the top 50 formulas of each corpus of
    ``formulas_corpora.tsv``, its tuning and held-aside parts apart; the
    phrases the file does not judge are counted and left out of the share."""
    import tempfile

    from miner.extract.formulas import formula_precision, mine_formulas
    from miner.io.tables import read_table

    print(f"\nFormulas of other corpora, top 50 ({args.formulas_corpora.name}):")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in formula_corpora(args, Path(tmp)).items():
            out = Path(tmp) / f"out-{name}"
            mine_formulas([path], out, miner=miner, workers=1)
            parts = []
            for part in ("tuning", "held"):
                share, real, judged, unjudged = formula_precision(out, args.formulas_corpora, top=50, part=part)
                parts.append(f"{part} {real}/{judged} = {share:.0%}" + (f" ({len(unjudged)} unjudged)" if unjudged else ""))
            listed = sum(1 for _ in read_table(out / "formulas.csv", ("phrase",)))
            print(f"  {name:<9} listed {listed:>6}; " + "; ".join(parts))
    if args.fresh3_formulas.exists():
        with tempfile.TemporaryDirectory() as out:
            mine_formulas([args.fresh3_corpus], out, miner=miner, workers=1)
            parts = []
            for part in ("tuning", "held"):
                share, real, judged, unjudged = formula_precision(out, args.fresh3_formulas, top=50, part=part)
                parts.append(f"{part} {real}/{judged} = {share:.0%}" + (f" ({len(unjudged)} unjudged)" if unjudged else ""))
            listed = sum(1 for _ in read_table(Path(out) / "formulas.csv", ("phrase",)))
            print(f"  {'fresh3':<9} listed {listed:>6}; " + "; ".join(parts))


SECTIONS = {"top": top_section, "sample": sample_section, "formulas": formulas_section}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "gov_work_reports.jsonl")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    parser.add_argument("--sample-corpus", type=Path, default=ROOT / "miner" / "data" / "sample")
    parser.add_argument("--judged", type=Path, default=ROOT / "tests" / "data" / "judged.tsv")
    parser.add_argument("--sample", type=Path, default=ROOT / "tests" / "data" / "judged_sample.tsv")
    parser.add_argument("--fresh", type=Path, default=ROOT / "tests" / "data" / "judged_fresh.tsv",
                        help="The fresh judged sample, measured beside the first (skipped when absent).")
    parser.add_argument("--fresh2", type=Path, default=ROOT / "tests" / "data" / "judged_fresh2.tsv",
                        help="The second fresh judged sample (skipped when absent).")
    parser.add_argument("--fresh3", type=Path, default=ROOT / "tests" / "data" / "judged_fresh3.tsv",
                        help="The third fresh judged sample, of a corpus of its own (skipped when absent).")
    parser.add_argument("--fresh3-corpus", type=Path, default=ROOT / "tests" / "data" / "fresh3",
                        help="The corpus of the third fresh sample.")
    parser.add_argument("--fresh3-formulas", type=Path, default=ROOT / "tests" / "data" / "formulas_fresh3.tsv",
                        help="Formula candidates judged on that corpus (skipped when absent).")
    parser.add_argument("--fresh4", type=Path, default=ROOT / "tests" / "data" / "judged_fresh4.tsv",
                        help="The fourth fresh sample, tuning data of a corpus of its own (skipped when absent).")
    parser.add_argument("--fresh4-corpus", type=Path, default=ROOT / "tests" / "data" / "fresh4",
                        help="The corpus of the fourth fresh sample.")
    parser.add_argument("--provinces", type=Path, default=ROOT / "tests" / "data" / "provinces.csv",
                        help="The provincial reports, mined with the other sources for the second fresh sample.")
    parser.add_argument("--formulas-judged", type=Path, default=ROOT / "tests" / "data" / "formulas_judged.tsv")
    parser.add_argument("--formulas-known", type=Path, default=ROOT / "tests" / "data" / "formulas_known.tsv")
    parser.add_argument("--formulas-corpora", type=Path, default=ROOT / "tests" / "data" / "formulas_corpora.tsv",
                        help="Formula candidates judged on six other corpora (skipped when absent).")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--no-known-list", action="store_true", help="Leave out the bundled list of known slogans.")
    parser.add_argument("--errors", choices=("tune", "held", "all"),
                        help="List the random sample's errors in this part (tune while tuning: never held).")
    parser.add_argument("--section", choices=tuple(SECTIONS), action="append",
                        help="Print only these sections (default: all).")
    args = parser.parse_args(argv)
    for path in (args.corpus, args.seeds, args.judged, args.sample, args.sample_corpus):
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    miner = Miner(load_lexicon(frozenset() if args.no_known_list else None))
    print(f"known-slogan list: {'off' if args.no_known_list else 'on'}")
    for name in args.section or SECTIONS:
        SECTIONS[name](args, miner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
