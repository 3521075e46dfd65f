"""Write ``miner/data/han_frequency.txt``: how common each Chinese character is.

    python scripts/han_frequency.py

The encoding sniff (``miner.io.read.sniff``) scores a reading of a file's bytes
by how common its characters are.  The counts come from jieba's dictionary
(MIT licence), whose 349,046 words each carry a frequency from a large
general corpus: a character is counted once for every occurrence of every
word it is in.  The file lists, one a line, a character and its cost, the
negative natural logarithm of its share of all characters, to one decimal;
characters seen fewer than 20 times are left out (the sniff gives them the
cost of a rare character).
"""

from __future__ import annotations

import collections
import math
import sys
from pathlib import Path

import jieba

OUT = Path(__file__).resolve().parent.parent / "miner" / "data" / "han_frequency.txt"
MIN_COUNT = 20


def main() -> int:
    counts: collections.Counter[str] = collections.Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split(" ")
            for char in word:
                if "\u4e00" <= char <= "\u9fff":
                    counts[char] += int(freq)
    total = sum(counts.values())
    lines = [f"{char}\t{-math.log(n / total):.1f}" for char, n in counts.most_common() if n >= MIN_COUNT]
    header = ("# How common each Chinese character is: the character and minus the natural log of its share,\n"
              "# counted over the words of jieba's dictionary (MIT licence); written by scripts/han_frequency.py.\n")
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} characters written to {OUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
