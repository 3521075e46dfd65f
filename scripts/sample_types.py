"""Draw the judged random sample of phrase types, or print it for labelling.

    python scripts/sample_types.py draw  > sample.tsv   # the sample, labels empty
    python scripts/sample_types.py show tests/data/judged_sample.tsv > contexts.txt
    python scripts/sample_types.py rejected > rejected.tsv   # what the extractor passed over

``draw`` mines the national government work reports, the seed speeches and
the bundled sample corpus with the extractor as it stands, pools the phrase
types of all three, and draws at random (seed 9) 330 of the numbered types
(all of them when there are fewer) and 330 of the quoted ones — every type equally likely, not the most
frequent.  Each row gets its part, ``tune`` or ``held``, from a hash of the
phrase, so that the split does not depend on the order of drawing.  A type
is drawn whatever kind and score the extractor gives it (``other-quote`` and
``other-number`` too), and the rows carry neither, so that labels are given
blind to the tool's decision.

A fresh sample, of types no earlier sample holds, all in one part:

    python scripts/sample_types.py draw --exclude tests/data/judged_sample.tsv \
        --seed 2027 --numbered 150 --quoted 200 --part fresh > judged_fresh.tsv

``show`` prints every type of a sample with the two first contexts in which
it occurs (from two documents when it occurs in two), for reading in chunks.

``rejected`` draws (seed 9) 120 of the candidate types the extractor passed
over — a numeral, a classifier and the dictionary word after it (三个月,
六条政治标准), where no numbered mention starts — with one context each, to
measure what it misses.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from miner.extract.core import CLASSIFIERS, COUNT
from miner.pipeline import Miner, mine_document, prepare_document
from miner.io.read import iter_documents

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SOURCES = {
    "gov": SHARED / "corpora" / "gov_work_reports.jsonl",
    "seeds": SHARED / "seeds",
    "sample": ROOT / "miner" / "data" / "sample",
}
SEED = 9
PER_FAMILY = 330
COLUMNS = ("phrase", "family", "label", "part", "sources", "note")


def part_of(phrase: str) -> str:
    """``held`` for about one type in three (by a hash of the phrase), else ``tune``.

    >>> part_of("放管服"), part_of("两个率先")
    ('tune', 'held')
    """
    return "held" if hashlib.blake2b(phrase.encode("utf-8"), digest_size=4).digest()[0] % 3 == 0 else "tune"


def pooled_types(miner: Miner, sources: dict[str, Path] = SOURCES) -> tuple[dict, dict]:
    """Phrase → family (``numbered`` or ``quoted``), and phrase → (source, doc_id, context) list."""
    kinds: dict[str, set] = defaultdict(set)
    contexts: dict[str, list] = defaultdict(list)
    for name, path in sources.items():
        for doc in iter_documents([path]):
            result = mine_document(doc, miner)
            for m in result.mentions:
                kinds[m.phrase].update(m.kind.split("+"))
                contexts[m.phrase].append((name, m.doc_id, m.year, m.context))
    family = {p: "numbered" if "numbered" in k else "quoted" for p, k in kinds.items()}
    return family, contexts


def sampled_phrases(paths: list[Path]) -> set[str]:
    """The phrases of earlier samples (the ``phrase`` column of each TSV file)."""
    phrases: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8", newline="") as fh:
            phrases.update(row["phrase"] for row in csv.DictReader(fh, delimiter="\t"))
    return phrases


def draw(out, *, seed: int = SEED, sizes: dict | None = None, exclude: set[str] = frozenset(),
         part: str | None = None, sources: dict[str, Path] = SOURCES) -> None:
    """Draw ``sizes[family]`` types of each family (all when fewer), leaving out ``exclude``.

    Each row's part is ``part`` when given, else ``tune`` or ``held`` by :func:`part_of`.
    """
    sizes = sizes or {"numbered": PER_FAMILY, "quoted": PER_FAMILY}
    family, contexts = pooled_types(Miner(), sources)
    rng = random.Random(seed)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for fam in ("numbered", "quoted"):
        pool = sorted(p for p, f in family.items() if f == fam and p not in exclude)
        print(f"{fam}: {len(pool)} types to draw from", file=sys.stderr)
        chosen = sorted(rng.sample(pool, min(sizes[fam], len(pool))))
        for phrase in chosen:
            sources = " ".join(sorted({c[0] for c in contexts[phrase]}))
            writer.writerow((phrase, fam, "", part or part_of(phrase), sources, ""))


def show(sample: Path, out, sources: dict[str, Path] = SOURCES) -> None:
    _, contexts = pooled_types(Miner(), sources)
    with open(sample, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for i, row in enumerate(rows, 1):
        seen, picked = set(), []
        for ctx in contexts.get(row["phrase"], []):
            if ctx[1] not in seen:
                seen.add(ctx[1])
                picked.append(ctx)
        picked = (picked + [c for c in contexts.get(row["phrase"], []) if c not in picked])[:2]
        docs = len({c[1] for c in contexts.get(row["phrase"], [])})
        print(f"{i}\t{row['phrase']}\t{row['family']}\tdocs={docs}\tn={len(contexts.get(row['phrase'], []))}", file=out)
        for source, doc_id, year, context in picked:
            print(f"    [{source} {year}] {context}", file=out)


CANDIDATE = re.compile(rf"[{COUNT}]{{1,3}}[{CLASSIFIERS}](?=[\u4e00-\u9fff]{{2}})")
REJECTED = 120


def draw_rejected(out) -> None:
    """Candidate types no numbered mention starts at, drawn at random, with a context each."""
    miner = Miner()
    contexts: dict[str, str] = {}
    for name, path in SOURCES.items():
        for doc in iter_documents([path]):
            if not doc.ok:
                continue
            _, cleaned = prepare_document(doc, miner)
            text = cleaned.body.text
            starts = {s.start for s in miner.extractor.extract(text) if s.kind != "quoted" and s.kind != "other-quote"}
            for m in CANDIDATE.finditer(text):
                if m.start() in starts or (m.start() and text[m.start() - 1] in COUNT):
                    continue
                head = miner.lexicon.longest_word(text, m.end()) or text[m.end() : m.end() + 2]
                phrase = m.group() + head
                contexts.setdefault(phrase, f"[{name} {doc.year}] " + text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " "))
    rng = random.Random(SEED)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(("phrase", "label", "slogan", "context"))
    for phrase in sorted(rng.sample(sorted(contexts), min(REJECTED, len(contexts)))):
        writer.writerow((phrase, "", "", contexts[phrase]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("draw", "show", "rejected"))
    parser.add_argument("sample", nargs="?", type=Path, default=ROOT / "tests" / "data" / "judged_sample.tsv")
    parser.add_argument("--seed", type=int, default=SEED, help=f"draw: the random seed (default {SEED}).")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="draw: leave out the phrases of this sample (TSV with a phrase column); repeatable.")
    parser.add_argument("--numbered", type=int, default=PER_FAMILY, help="draw: how many numbered types.")
    parser.add_argument("--quoted", type=int, default=PER_FAMILY, help="draw: how many quoted types.")
    parser.add_argument("--part", help="draw: give every row this part (e.g. fresh) instead of tune/held.")
    parser.add_argument("--source", action="append", default=[], metavar="NAME=PATH",
                        help="draw, show: mine this corpus instead of the three default sources; repeatable.")
    args = parser.parse_args(argv)
    sources = SOURCES
    if args.source:
        if any("=" not in s for s in args.source):
            print("error: --source takes NAME=PATH", file=sys.stderr)
            return 2
        sources = {name: Path(path) for name, path in (s.split("=", 1) for s in args.source)}
    for path in sources.values():
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    for path in args.exclude:
        if not path.is_file():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    if args.action == "draw":
        draw(sys.stdout, seed=args.seed, sizes={"numbered": args.numbered, "quoted": args.quoted},
             exclude=sampled_phrases(args.exclude), part=args.part, sources=sources)
    elif args.action == "rejected":
        draw_rejected(sys.stdout)
    else:
        show(args.sample, sys.stdout, sources)
    return 0


if __name__ == "__main__":
    sys.exit(main())
