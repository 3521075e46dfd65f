#!/usr/bin/env python3
"""Write ``miner/data/t2s_chars.txt``: the characters OpenCC's ``t2s`` may change.

A text with none of them is left as it is by the conversion, so
:meth:`miner.normalize.Normalizer.to_simplified` returns it without starting
OpenCC.  The set is every character that the installed converter changes on
its own, and every character of a ``TSPhrases.txt`` entry (OpenCC's source
dictionary of phrases, from the source release of the same OpenCC version)
that the entry changes: 瞭 in 瞭解 → 了解, 沈 in 沈默 → 沉默, although 瞭 and 沈
alone stay as they are.  The sizes of the installed dictionaries are written
with it, and a run whose OpenCC has other dictionaries converts every text.

    pip download opencc==1.4.2 --no-binary :all: --no-deps   # the source, for TSPhrases.txt
    python scripts/make_traditional.py --phrases opencc-1.4.2/data/dictionary/TSPhrases.txt
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from miner.normalize import T2S_CHARS, opencc_dictionaries  # noqa: E402


def changed_alone() -> set[str]:
    """Every character the installed ``t2s`` converter changes on its own."""
    import opencc

    chars = [chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000]
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):
        raise SystemExit("error: the converter changed the number of lines")
    return {c for c, o in zip(chars, out) if c != o}


def changed_in_phrases(path: Path) -> set[str]:
    """The characters of each phrase entry that the entry changes (all of
    them where the phrase changes length)."""
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, values = line.split("\t", 1)
        for value in values.split(" "):
            found |= set(key) if len(key) != len(value) else {a for a, b in zip(key, value) if a != b}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phrases", type=Path, required=True, help="OpenCC's data/dictionary/TSPhrases.txt")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "miner" / T2S_CHARS)
    args = parser.parse_args(argv)
    sizes = opencc_dictionaries()
    if sizes is None:
        raise SystemExit("error: OpenCC's t2s dictionaries not found")
    chars = "".join(sorted(changed_alone() | changed_in_phrases(args.phrases)))
    args.out.write_text(
        f"# The characters OpenCC's t2s conversion may change, made by scripts/make_traditional.py from "
        f"OpenCC {metadata.version('opencc')}.\n# {sizes}\n{chars}\n",
        encoding="utf-8",
    )
    print(f"{len(chars):,} characters written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
