"""Measure how often the encoding sniff tells short GBK text from short Big5 text,
and how often whole files in each encoding and format are read back exactly.

    python scripts/sniff_accuracy.py                 # 3,000 snippets per half, seed 1
    python scripts/sniff_accuracy.py --snippets 10000 --seed 7
    python scripts/sniff_accuracy.py --matrix        # the encoding × length × format matrix
    python scripts/sniff_accuracy.py --matrix --middle   # cut from a random place, not the start

The matrix (``--matrix``) takes every text of the seed speeches, of the
national reports and of the bundled sample, whole and cut to its first 5, 10,
20, 50 and 200 characters, writes it in each encoding (UTF-8 with and without
a BOM, UTF-16 LE/BE with and without a BOM, GB2312, GBK, GB18030, and Big5
after converting it to traditional characters) as a .txt, .csv, .jsonl file
and as an .html page whose ``<meta charset>`` is right, missing or wrong, and
reads it back with ``miner.io.read.read_file``.  The rule was made looking at
the texts' beginnings; ``--middle`` cuts each piece from a random place in
the text instead (seeded), which the rule was never looked at on.  A file is read right when its
document's text equals the text written (for a page, once blank space is
left out, since a page's text is laid out again); it is flagged when the
document is read but carries a warning that the encoding is in doubt, and
wrong when the text differs with no warning.  Characters an encoding cannot
hold (GB2312 has no 鎔) are left out of the texts written in it.

Random snippets of 4–8 characters (with at least one Chinese character) are
cut from the national government work reports and written as GBK, and, in
traditional characters, as Big5.  Only byte strings that both GB18030 and
Big5 decode are kept: those are the ones the sniff has to decide.  The truth
is known by construction, so no labelling is needed.

The rule was tuned on reports of even years; reports of odd years are held
aside.  The table gives, for each half and each true encoding, how many
snippets ``miner.io.read.detect_encoding`` gets right, next to charset-normalizer
asked to choose between the same two encodings (the rule miner used before).
"""

from __future__ import annotations

import argparse
import codecs
import collections
import csv
import html
import io
import json
import random
import re
import sys
import tempfile
from pathlib import Path

import opencc
from charset_normalizer import from_bytes

from miner.io.read import detect_encoding, iter_documents, read_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "gov_work_reports.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLE = ROOT / "miner" / "data" / "sample"
HAN = re.compile(r"[\u4e00-\u9fff]")

LENGTHS = (5, 10, 20, 50, 200, None)  # None: the whole text
# (name, codec, byte-order mark, convert to traditional characters first)
ENCODINGS = (
    ("UTF-8", "utf-8", b"", False),
    ("UTF-8 BOM", "utf-8", codecs.BOM_UTF8, False),
    ("UTF-16 LE", "utf-16-le", b"", False),
    ("UTF-16 LE BOM", "utf-16-le", codecs.BOM_UTF16_LE, False),
    ("UTF-16 BE", "utf-16-be", b"", False),
    ("UTF-16 BE BOM", "utf-16-be", codecs.BOM_UTF16_BE, False),
    ("GB2312", "gb2312", b"", False),
    ("GBK", "gbk", b"", False),
    ("GB18030", "gb18030", b"", False),
    ("Big5", "big5", b"", True),
)
# An HTML page's <meta charset>: the right one, none, or a wrong one.
WRONG_CHARSET = {"utf-8": "gb2312", "gb2312": "utf-8", "gbk": "big5", "gb18030": "big5", "big5": "gbk",
                 "utf-16-le": "utf-8", "utf-16-be": "utf-8"}
FORMATS = (".txt", ".csv", ".jsonl", ".html right meta", ".html no meta", ".html wrong meta")


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


def matrix_texts(corpus: Path) -> list[str]:
    """The whole texts of the seeds, the national reports and the bundled sample."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    texts += [json.loads(line)["content"] for line in corpus.open(encoding="utf-8")]
    texts += [d.text for d in iter_documents([SAMPLE]) if d.ok]
    return texts


def page(text: str, charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{html.escape(text)}</p></body></html>"


def as_file(text: str, fmt: str, codec: str) -> str:
    """``text`` laid out as a file of format ``fmt`` (before encoding)."""
    if fmt == ".txt":
        return text
    if fmt == ".jsonl":
        return json.dumps({"title": "t", "text": text}, ensure_ascii=False) + "\n"
    if fmt == ".csv":
        out = io.StringIO()
        csv.writer(out).writerows([("title", "text"), ("t", text)])
        return out.getvalue()
    meta = fmt.split()[1]
    return page(text, None if meta == "no" else codec if meta == "right" else WRONG_CHARSET[codec])


def squeeze(text: str) -> str:
    return "".join(text.split())


def read_back(path: Path, fmt: str, text: str) -> str:
    """"right", "flagged" (read with a warning, or skipped saying why) or "wrong"."""
    docs = list(read_file(path, str(path)))
    doc = docs[0] if len(docs) == 1 else None
    if doc is not None and doc.ok:
        got, want = (squeeze(doc.text), squeeze(text)) if fmt.startswith(".html") else (doc.text, text)
        if got == want:
            return "right"
    if doc is not None and (getattr(doc, "warning", "") or not doc.ok):
        return "flagged"
    return "wrong"


def run_matrix(corpus: Path, limit: int | None, middle: bool = False, seed: int = 1) -> None:
    texts = matrix_texts(corpus)[:limit]
    rng = random.Random(seed)
    to_traditional = opencc.OpenCC("s2t")
    traditional = [to_traditional.convert(t) for t in texts]
    # (encoding, length, format) -> Counter of outcomes
    tally: dict[tuple[str, object, str], collections.Counter] = collections.defaultdict(collections.Counter)
    wrong_examples: dict[tuple[str, object, str], str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for number, (plain, trad) in enumerate(zip(texts, traditional)):
            for enc_name, codec, bom, to_trad in ENCODINGS:
                whole = trad if to_trad else plain
                if not codec.startswith("utf"):  # characters the encoding cannot hold are left out
                    whole = whole.encode(codec, errors="ignore").decode(codec)
                for length in LENGTHS:
                    start = rng.randrange(max(1, len(whole) - length)) if middle and length else 0
                    text = whole[start : start + length] if length else whole
                    if not text.strip():
                        continue
                    for fmt in FORMATS:
                        try:
                            data = bom + as_file(text, fmt, codec).encode(codec)
                        except UnicodeEncodeError:
                            continue
                        path = Path(tmp) / f"{number}{fmt.split()[0]}"
                        path.write_bytes(data)
                        outcome = read_back(path, fmt, text)
                        tally[enc_name, length, fmt][outcome] += 1
                        if outcome == "wrong":
                            wrong_examples.setdefault((enc_name, length, fmt), text[:20])
    print(f"{'encoding':<14} {'chars':>5} " + " ".join(f"{f:>17}" for f in FORMATS))
    for enc_name, *_ in ENCODINGS:
        for length in LENGTHS:
            cells = []
            for fmt in FORMATS:
                c = tally[enc_name, length, fmt]
                n = sum(c.values())
                cells.append(f"{c['right']:>4}/{n:<4} {c['flagged']:>2}f {c['wrong']:>2}w" if n else f"{'-':>17}")
            print(f"{enc_name:<14} {length or 'whole':>5} " + " ".join(cells))
    totals = collections.Counter()
    for c in tally.values():
        totals.update(c)
    n = sum(totals.values())
    print(f"\n{n} files: {totals['right']} read right ({totals['right'] / n:.2%}), "
          f"{totals['flagged']} flagged, {totals['wrong']} wrong")
    for key, example in list(wrong_examples.items())[:40]:
        print("wrong:", *key, repr(example))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--snippets", type=int, default=3000, help="Snippets drawn per half.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--matrix", action="store_true", help="Read back every text in every encoding and format.")
    parser.add_argument("--texts", type=int, default=None, help="With --matrix: only the first N texts.")
    parser.add_argument("--middle", action="store_true", help="With --matrix: cut from a random place.")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"error: {args.corpus} not found", file=sys.stderr)
        return 2
    if args.matrix:
        run_matrix(args.corpus, args.texts, args.middle, args.seed)
        return 0
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
