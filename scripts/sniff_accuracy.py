"""Measure how often the encoding sniff tells short GBK text from short Big5 text.

    python scripts/sniff_accuracy.py                 # 3,000 snippets per half, seed 1
    python scripts/sniff_accuracy.py --snippets 10000 --seed 7

Random snippets of 4–8 characters (with at least one Chinese character) are
cut from the national government work reports and written as GBK, and, in
traditional characters, as Big5.  Only byte strings that both GB18030 and
Big5 decode are kept: those are the ones the sniff has to decide.  The truth
is known by construction, so no labelling is needed.

The rule was tuned on reports of even years; reports of odd years are held
aside.  The table gives, for each half and each true encoding, how many
snippets ``miner.read.detect_encoding`` gets right, next to charset-normalizer
asked to choose between the same two encodings (the rule miner used before).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import opencc
from charset_normalizer import from_bytes

from miner.read import detect_encoding

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "gov_work_reports.jsonl"
HAN = re.compile(r"[\u4e00-\u9fff]")


def charset_normalizer_choice(data: bytes) -> str:
    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


def snippets(texts: list[str], n: int, rng: random.Random):
    for _ in range(n):
        text = rng.choice(texts)
        size = rng.randint(4, 8)
        start = rng.randrange(len(text) - size)
        snippet = text[start : start + size]
        if HAN.search(snippet):
            yield snippet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--snippets", type=int, default=3000, help="Snippets drawn per half.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"error: {args.corpus} not found", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    to_traditional = opencc.OpenCC("s2t")
    rng = random.Random(args.seed)
    print(f"{'half':<22} {'true encoding':<14} {'ambiguous':>9} {'miner':>16} {'charset-normalizer':>19}")
    for label, parity in (("tuning (even years)", 0), ("held aside (odd years)", 1)):
        texts = [r["content"] for r in records if r.get("year") and int(str(r["year"])[:4]) % 2 == parity]
        tally = {"gb18030": [0, 0, 0], "big5": [0, 0, 0]}
        for snippet in snippets(texts, args.snippets, rng):
            encoded = (("gb18030", snippet.encode("gbk", "ignore")),
                       ("big5", to_traditional.convert(snippet).encode("big5", "ignore")))
            for truth, data in encoded:
                try:
                    data.decode("gb18030")
                    data.decode("big5")
                except UnicodeDecodeError:
                    continue  # only one reading: nothing to decide
                counts = tally[truth]
                counts[0] += 1
                counts[1] += detect_encoding(data) == truth
                counts[2] += charset_normalizer_choice(data) == truth
        for truth, (n, ours, theirs) in tally.items():
            print(f"{label:<22} {truth:<14} {n:>9} {ours:>7} ({ours / n:6.1%}) {theirs:>8} ({theirs / n:6.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
