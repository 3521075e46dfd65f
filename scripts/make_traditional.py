#!/usr/bin/env python3
"""Write ``miner/data/t2s_chars.txt``: the characters and phrases OpenCC's ``t2s`` changes.

A text with none of them is left as it is by the conversion, so
:meth:`miner.preprocess.normalize.Normalizer.to_simplified` returns it without starting
OpenCC.  They are every character that the installed converter changes on
its own, and then the phrases of ``TSPhrases.txt`` (OpenCC's source
dictionary of phrases, from the source release of the same OpenCC version)
that change a character which does not change alone: 瞭解 → 了解, 沈默 → 沉默,
一坏 → 一坯 (坏 alone stays, and is common in simplified text).  The sizes of
the installed dictionaries are written with them, and a run whose OpenCC has
other dictionaries converts every text.

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

from miner.preprocess.normalize import T2S_CHARS, opencc_dictionaries  # noqa: E402


def changed_alone() -> set[str]:
    """Every character the installed ``t2s`` converter changes on its own."""
    import opencc

    chars = [chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000]
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):
        raise SystemExit("error: the converter changed the number of lines")
    return {c for c, o in zip(chars, out) if c != o}


def changed_in_phrases(path: Path, alone: set[str]) -> tuple[list[str], set[str]]:
    """The phrase entries whose first value (the one OpenCC writes) changes a
    character not in ``alone`` (any of their characters, where it changes
    the length), and those characters."""
    found: set[str] = set()
    chars: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, value = line.split("\t", 1)
        value = value.split(" ")[0]  # the one OpenCC writes
        changed = set(key) if len(key) != len(value) else {a for a, b in zip(key, value) if a != b}
        if changed - alone:
            found.add(key)
            chars |= changed - alone
    return sorted(found), chars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phrases", type=Path, required=True, help="OpenCC's data/dictionary/TSPhrases.txt")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "miner" / T2S_CHARS)
    args = parser.parse_args(argv)
    sizes = opencc_dictionaries()
    if sizes is None:
        raise SystemExit("error: OpenCC's t2s dictionaries not found")
    alone = changed_alone()
    phrases, chars = changed_in_phrases(args.phrases, alone)
    args.out.write_text(
        f"# The characters OpenCC's t2s conversion changes, then the phrases that change characters it leaves "
        f"alone and the characters they change; made by scripts/make_traditional.py from OpenCC {metadata.version('opencc')}.\n"
        f"# {sizes}\n{''.join(sorted(alone))}\n{' '.join(phrases)}\n{''.join(sorted(chars))}\n",
        encoding="utf-8",
    )
    print(f"{len(alone):,} characters and {len(phrases):,} phrases written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
