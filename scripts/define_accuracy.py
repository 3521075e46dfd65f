"""Measure the definitions ``miner run`` gives on the labelled notes corpus.

    python scripts/define_accuracy.py                # both parts
    python scripts/define_accuracy.py --split train  # only the part the rules were tuned on

Reads the reports of ``tests/data/notes/<split>/`` and the labels of
``tests/data/notes/expected.tsv`` (see the README there), and prints per part
the share of labelled note definitions recovered with the right members (or
as a gloss where the note lists none), the share of the definitions given
that are right, and every miss and wrong definition.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from miner.extract.define import score_definitions
from miner.pipeline import Miner
from miner.io.read import Fields, read_file

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "tests" / "data" / "notes"


def load_expected(path: Path, split: str) -> dict[tuple[str, str], tuple[str, ...]]:
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["split"] == split]
    return {(r["doc"], r["phrase"]): () if r["members"] == "gloss" else tuple(r["members"].split(" | "))
            for r in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=Path, default=NOTES)
    parser.add_argument("--split", choices=("train", "heldout"), action="append")
    args = parser.parse_args(argv)
    if not (args.notes / "expected.tsv").exists():
        print(f"error: {args.notes / 'expected.tsv'} not found", file=sys.stderr)
        return 2
    miner = Miner()
    for split in args.split or ("train", "heldout"):
        found = []
        for path in sorted((args.notes / split).glob("*.txt")):
            for doc in read_file(path, path.stem, Fields()):
                found += miner.mine(doc).definitions  # doc_id: the file name without .txt
        score = score_definitions(found, load_expected(args.notes / "expected.tsv", split))
        print(f"{split}: recovered {score.recovered}/{score.expected} = {score.recall:.0%}; "
              f"right {score.right}/{score.given} = {score.precision:.0%}")
        for doc, phrase, members in score.missed:
            print(f"  missed {doc} {phrase}: {' | '.join(members) or 'gloss'}")
        for doc, phrase, members in score.wrong:
            print(f"  wrong  {doc} {phrase}: {' | '.join(members) or 'gloss'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
