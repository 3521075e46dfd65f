"""Measure how accurate the slogan extractor is, against the judged list.

    python scripts/accuracy.py                      # national reports + seeds
    python scripts/accuracy.py --no-known-list      # patterns alone, without miner/data/slogans.txt

Prints the precision of the 50 most frequent numbered phrases of the national
government work reports, the recall of the judged real slogans that occur in
the corpus and the seed speeches, and any judged non-slogan that was reported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from miner.count import count_phrases
from miner.evaluate import evaluate, load_judged
from miner.lexicon import load_lexicon
from miner.pipeline import Miner, mine_document
from miner.read import iter_documents

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "gov_work_reports.jsonl")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    parser.add_argument("--judged", type=Path, default=ROOT / "tests" / "data" / "judged.tsv")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--no-known-list", action="store_true", help="Leave out the bundled list of known slogans.")
    args = parser.parse_args(argv)
    for path in (args.corpus, args.seeds, args.judged):
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    miner = Miner(load_lexicon(frozenset() if args.no_known_list else None))
    judged = load_judged(args.judged)

    national = count_phrases(mine_document(d, miner) for d in iter_documents([args.corpus]))
    everything = count_phrases(mine_document(d, miner) for d in iter_documents([args.corpus, args.seeds]))
    top = evaluate(national, judged, top=args.top)
    full = evaluate(everything, judged, top=args.top)

    print(f"known-slogan list: {'off' if args.no_known_list else 'on'}")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
