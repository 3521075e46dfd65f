#!/usr/bin/env python3
"""CPU time of each stage of mining, and of whole ``miner run`` processes.

The wall clock of a shared machine varies more than most changes to the
mining code gain; the CPU time a process spends varies less.  This prints,
for a JSONL corpus (default: the national reports), the least CPU time of
``--runs`` passes of each stage over all its documents in one process
(normalising, cleaning, extracting, definitions, …, and the whole of
mining), and of whole ``miner run --workers 1`` processes (start-up
included) and of a process mining one short document (start-up alone).

Each checkout's processes keep their caches (word lists, compiled patterns)
in a folder of its own, so that taking turns does not make either compile
the other's patterns.  Run it for two checkouts, taking turns, to compare them:

    python scripts/stage_times.py                       # this checkout
    python scripts/stage_times.py --code ../before      # another one (git worktree add --detach ../before main)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "gov_work_reports.jsonl"
TEXT_FIELDS = ("text", "content", "full_text", "body")


def _least(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def stages(corpus: Path, runs: int) -> dict[str, float]:
    """Least CPU seconds of each stage over the corpus's documents, in this process."""
    from miner.extract.core import APART
    from miner.extract.define import define_document
    from miner.pipeline import SENTENCE_END, Miner, _mine_whole, original_body
    from miner.preprocess.clean import clean_text, inline_chrome
    from miner.preprocess.metadata import find_title
    from miner.types import Document

    docs = []
    with open(corpus, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            record = json.loads(line)
            text = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)), "")
            docs.append(Document(str(i), corpus.name, text))
    miner = Miner()
    for doc in docs:  # once first, so that what is read on first use (word groups) is read
        _mine_whole(doc, miner)
    normal = [miner.normalizer.normalize(d.text) for d in docs]
    titles = [miner.normalizer.normalize(find_title(n.text.split("\n"))).text for n in normal]
    cleaned = [clean_text(n, title=t) for n, t in zip(normal, titles)]
    texts = [c.body.text for c in cleaned]
    spans = [miner.extractor.extract(t) for t in texts]
    times = {
        "normalise": lambda: [miner.normalizer.normalize(d.text) for d in docs],
        "clean": lambda: [clean_text(n, title=t) for n, t in zip(normal, titles)],
        "  of which inline chrome": lambda: [inline_chrome(n.text) for n in normal],
        "extract": lambda: [miner.extractor.extract(t) for t in texts],
        "  of which numbered": lambda: [miner.extractor.extract_numbered(t) for t in texts],
        "sentence breaks": lambda: [[m.start() for m in SENTENCE_END.finditer(t)] for t in texts],
        "definitions": lambda: [define_document(d, c.body, [s for s in sp if s.rule != APART])
                                for d, c, sp in zip(docs, cleaned, spans)],
        "original body": lambda: [original_body(d.text, c.body) for d, c in zip(docs, cleaned)],
        "mining (all of it)": lambda: [_mine_whole(d, miner) for d in docs],
    }
    return {name: _least(fn, runs) for name, fn in times.items()}


def processes(code: Path, corpus: Path, runs: int) -> dict[str, float]:
    """Least CPU seconds of whole ``miner run --workers 1`` processes over the
    corpus, and over a corpus of one short document (start-up)."""
    env = dict(os.environ, PYTHONPATH=str(code))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an install runs: with its bytecode cached
    # A cache folder of the checkout's own: the compiled patterns kept there
    # (miner.io.regex_cache) are those of the last run, and a run of another
    # checkout in between would leave each to compile the patterns it changed.
    env["MINER_CACHE_DIR"] = str(Path(tempfile.gettempdir()) / "miner-stage-times"
                                 / hashlib.blake2b(str(code).encode(), digest_size=6).hexdigest())
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "miner")], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "one.jsonl"
        tiny.write_text(json.dumps({"content": "坚持“两个率先”。"}, ensure_ascii=False) + "\n", encoding="utf-8")
        out = {}
        for name, inputs in (("whole miner run --workers 1", corpus), ("start-up (one short document)", tiny)):
            best = float("inf")
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                # Started in the checkout: python -m miner imports the miner of the folder it runs in first.
                subprocess.run([sys.executable, "-m", "miner", "run", str(inputs), "-o", str(Path(tmp) / "out"), "-n",
                                "0", "--no-progress", "--full", "--workers", "1"], check=True, env=env, cwd=code,
                               stdout=subprocess.DEVNULL)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                best = min(best, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            out[name] = best
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="a JSONL corpus "
                        "(default: ../shared/corpora/gov_work_reports.jsonl)")
    parser.add_argument("--code", type=Path, default=REPO_ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=5, help="passes of each measurement; the least counts (default: 5)")
    args = parser.parse_args(argv)
    code, corpus = args.code.resolve(), args.corpus.resolve()
    sys.path.insert(0, str(code))
    results = {**stages(corpus, args.runs), **processes(code, corpus, args.runs)}
    print(f"{code} on {corpus.name}, least CPU time of {args.runs} runs:")
    for name, seconds in results.items():
        print(f"  {name:32s} {seconds * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
