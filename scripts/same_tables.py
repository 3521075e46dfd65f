#!/usr/bin/env python3
"""Check that a change to the mining code leaves every table byte for byte.

Runs ``miner run --full`` (with and without ``--formulas``) on the national
reports, the seed speeches, the bundled sample and a generated benchmark
corpus, and either saves the tables (``--save``) or compares them with tables
saved before (``--against``): every file but ``run.json`` (which holds the
run's seconds) and the state folder, and the cleaned texts and documents
kept in the state folder, must be the same bytes.

    python scripts/same_tables.py --save ../tables-before     # before the change
    python scripts/same_tables.py --against ../tables-before  # after it

    git worktree add --detach ../before main                  # or with the code of another commit
    python scripts/same_tables.py --code ../before --save ../tables-before

Exits with status 1 and names the tables that differ, if any do.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS.parent
SHARED = REPO_ROOT.parent / "shared"
sys.path.insert(0, str(SCRIPTS))

from make_corpus import DEFAULT_SOURCE, make_corpus, parse_size  # noqa: E402

SKIP = {"run.json", ".miner-lock", ".miner-state"}
# Tables kept in the state folder: the cleaned texts `miner kwic` searches, and
# the streamed copy of documents.csv.
STATE_TABLES = (".miner-state/texts.csv", ".miner-state/documents.csv")


def cases(work: Path, bench_size: int) -> dict[str, list[Path]]:
    """The corpora to mine, by name; those that are missing are left out."""
    found = {
        "national": [SHARED / "corpora" / "gov_work_reports.jsonl"],
        "seeds": [SHARED / "seeds"],
        "sample": [REPO_ROOT / "miner" / "data" / "sample"],
    }
    found = {name: paths for name, paths in found.items() if all(p.exists() for p in paths)}
    if bench_size and DEFAULT_SOURCE.exists():
        folder = work / f"corpus-{bench_size}-seed0"
        if not (folder / ".made").exists():
            make_corpus(folder, bench_size, seed=0, source=DEFAULT_SOURCE)
            (folder / ".made").write_text("")
        found["bench"] = sorted(folder.glob("*.jsonl"))
    return found


def tables(folder: Path) -> list[str]:
    return sorted([p.name for p in folder.iterdir() if p.name not in SKIP]
                  + [name for name in STATE_TABLES if (folder / name).is_file()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, help="write the tables into this folder")
    what.add_argument("--against", type=Path, help="compare the tables with those saved in this folder")
    parser.add_argument("--bench-size", type=parse_size, default="20MB",
                        help="size of the generated corpus (default: 20MB; 0: none)")
    parser.add_argument("--code", type=Path, default=REPO_ROOT,
                        help="the checkout whose miner is run (default: this one), e.g. one of the commit before the change")
    parser.add_argument("--only", help="comma-separated cases to run, e.g. national,seeds-formulas (default: all)")
    parser.add_argument("--workers", default=None, help="passed to miner run --workers")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "miner-same-tables",
                        help="folder for the generated corpus (default: a folder in the system temp)")
    args = parser.parse_args(argv)
    # Absolute, since the runs start in the checkout of --code: there `python -m
    # miner` imports that checkout's miner (the folder a module is run from
    # comes first on the path, before PYTHONPATH, so a run started in another
    # checkout would import that one's instead).
    args.work, args.code = args.work.resolve(), args.code.resolve()
    args.save, args.against = (p.resolve() if p else p for p in (args.save, args.against))
    args.work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.code.resolve()), env.get("PYTHONPATH")]))
    differ: list[str] = []
    for name, inputs in cases(args.work, args.bench_size).items():
        for formulas in (False, True):
            case = f"{name}{'-formulas' if formulas else ''}"
            if args.only and case not in args.only.split(","):
                continue
            out = (args.save / case) if args.save else Path(tempfile.mkdtemp(dir=args.work))
            if args.save and out.exists():
                shutil.rmtree(out)
            cmd = [sys.executable, "-m", "miner", "run", *map(str, inputs), "-o", str(out), "-n", "0",
                   "--no-progress", "--full", *(["--formulas"] if formulas else []),
                   *(["--workers", args.workers] if args.workers else [])]
            started = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, cwd=args.code)
            seconds = time.perf_counter() - started
            if args.save:
                print(f"{case}: {len(tables(out))} tables saved ({seconds:.2f}s)")
                continue
            before = args.against / case
            names = tables(out)
            bad = [n for n in sorted(set(names) | set(tables(before)))
                   if not ((out / n).is_file() and (before / n).is_file()
                           and filecmp.cmp(out / n, before / n, shallow=False))]
            differ += [f"{case}/{n}" for n in bad]
            print(f"{case}: {len(names) - len(bad)} of {len(names)} tables the same ({seconds:.2f}s)"
                  + (f"; differ: {', '.join(bad)}" if bad else ""))
            if not bad:
                shutil.rmtree(out)
    if differ:
        print(f"{len(differ)} tables differ", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
