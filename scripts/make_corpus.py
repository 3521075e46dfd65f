#!/usr/bin/env python3
"""Build a benchmark corpus of a given size from real reports.

The paragraphs of the source corpus (by default the national government
work reports, ``../shared/corpora/gov_work_reports.jsonl``) are drawn at
random across documents and years into new documents, each as long as a
randomly chosen source document, dated with a randomly chosen source year
(a quarter of them carry the year only in their title).  The documents are
written as JSON Lines shards of at most ``--shard`` bytes until ``--size``
bytes are written.  The same source, size and ``--seed`` give the same bytes.

    python scripts/make_corpus.py --size 100MB --out corpora/bench-100MB
    python scripts/make_corpus.py --size 1GB --out corpora/bench-1GB --seed 7

The texts are real sentences in a shuffled order, so slogans occur about as
often as in the source and mining does the same work per character.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "corpora" / "gov_work_reports.jsonl"
FALLBACK_SOURCE = REPO_ROOT / "miner" / "data" / "sample"
UNITS = {"": 1, "B": 1, "K": 10**3, "KB": 10**3, "M": 10**6, "MB": 10**6, "G": 10**9, "GB": 10**9}
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes in ``"100MB"``, ``"1GB"``, ``"500k"`` or ``"2048"`` (decimal units).

    >>> parse_size("100MB"), parse_size("1.5 GB"), parse_size("64k")
    (100000000, 1500000000, 64000)
    """
    m = SIZE.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size such as 100MB, 1GB or 500KB")
    return int(float(m.group(1)) * UNITS[m.group(2).upper()])


def load_source(source: Path) -> tuple[list[str], list[int], list[int | None]]:
    """The paragraphs, document lengths and years of the source corpus."""
    sys.path.insert(0, str(REPO_ROOT))
    from miner.preprocess.metadata import find_year
    from miner.io.read import iter_documents

    paragraphs, lengths, years = [], [], []
    for doc in iter_documents([source]):
        if not doc.ok:
            continue
        lines = [line.strip() for line in doc.text.split("\n")]
        paragraphs.extend(line for line in lines if len(line) >= 4)
        lengths.append(len(doc.text))
        year = doc.year or find_year(title=doc.title, body=doc.text, header=[], source=doc.source)[0]
        years.append(year)
    if not paragraphs:
        raise SystemExit(f"error: {source}: no readable documents to take paragraphs from")
    return paragraphs, lengths, [y for y in years if y] or [None]


def make_corpus(out: Path, size: int, *, seed: int = 0, source: Path = DEFAULT_SOURCE, shard: int = 64 * 10**6) -> dict:
    """Write ``size`` bytes of generated documents into ``out`` as JSONL shards."""
    paragraphs, lengths, years = load_source(source)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("corpus-*.jsonl"):
        old.unlink()
    written = documents = chars = files = 0
    fh = None
    shard_bytes = shard
    while written < size:
        if shard_bytes >= shard:
            if fh:
                fh.close()
            fh = open(out / f"corpus-{files:05d}.jsonl", "wb")
            files += 1
            shard_bytes = 0
        target = rng.choice(lengths)
        parts, length = [], 0
        while length < target:
            part = rng.choice(paragraphs)
            parts.append(part)
            length += len(part) + 2
        year = rng.choice(years)
        documents += 1
        title = f"{year}年政府工作报告（合成稿第{documents}号）" if year else f"政府工作报告（合成稿第{documents}号）"
        text = "\n\n".join(parts)
        record = {"title": title, "year": str(year) if year and rng.random() >= 0.25 else None, "content": text}
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        fh.write(line)
        written += len(line)
        shard_bytes += len(line)
        chars += len(text)
    if fh:
        fh.close()
    return {"files": files, "documents": documents, "bytes": written, "chars": chars}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, required=True, help="total size, e.g. 100MB or 1GB")
    parser.add_argument("--out", type=Path, required=True, help="folder for the corpus-NNNNN.jsonl shards")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--shard", type=parse_size, default=64 * 10**6, help="largest shard (default: 64MB)")
    parser.add_argument("--source", type=Path, default=None,
                        help="corpus to take paragraphs from (default: ../shared/corpora/gov_work_reports.jsonl, "
                             "else the bundled sample)")
    args = parser.parse_args(argv)
    source = args.source or (DEFAULT_SOURCE if DEFAULT_SOURCE.exists() else FALLBACK_SOURCE)
    if not source.exists():
        parser.error(f"{source}: no such file or folder")
    made = make_corpus(args.out, args.size, seed=args.seed, source=source, shard=args.shard)
    print(f"{made['documents']:,} documents, {made['chars']:,} characters, {made['bytes']:,} bytes "
          f"in {made['files']} files in {args.out}")


if __name__ == "__main__":
    main()
