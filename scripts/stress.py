#!/usr/bin/env python3
"""Stress ``miner run`` the hard way and print a table of outcomes.

The heavy versions of the reliability tests (``tests/test_robust_run.py``),
too slow for CI, run by hand:

* one document of ``--single`` bytes on a single line (and one of a quarter
  of that, to see that time grows in proportion), mined in one process;
* ``--files`` small files, mined, then mined again incrementally, under an
  open-file limit of 1,024;
* a corpus of ``--corpus`` bytes (``scripts/make_corpus.py``) on two workers;
* two runs into one output folder at once: one must refuse, naming the other;
* ``kill -9`` of a run at random moments: the output folder must hold the
  last complete set of tables (or the new one), never a mix, and no worker
  may be left behind.

    python scripts/stress.py                       # 200MB, 50,000 files, 1GB
    python scripts/stress.py --single 50MB --files 5000 --corpus 100MB

Peak memory is the largest resident size of the ``miner run`` process (its
worker processes, if any, are not counted).  Sizes are decimal (``MB`` = 10⁶
bytes).  Each case prints one row: what, how big, the outcome, seconds, peak
memory, and ✓ or ✗ against what the README promises.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from make_corpus import DEFAULT_SOURCE, FALLBACK_SOURCE, parse_size  # noqa: E402

PEAK_LIMIT = 1_000_000_000  # bytes: what a 200 MB single-line document may take
OPEN_FILES = 1024


class Timed(subprocess.Popen):
    """A Popen that records the peak resident size of its process when reaped."""

    def _try_wait(self, wait_flags):
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid:
            self.peak = usage.ru_maxrss * 1024
        return pid, status


def miner(*args, limit_files: bool = False, **popen) -> subprocess.Popen:
    def limits() -> None:
        if limit_files:
            resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))

    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return Timed([sys.executable, "-m", "miner", *map(str, args)], stdout=subprocess.PIPE,
                 stderr=subprocess.PIPE, env=env, preexec_fn=limits, **popen)


def finish(proc: subprocess.Popen) -> tuple[int, str, str, float, int]:
    """Wait for ``proc``: exit status, stdout, stderr, seconds, peak resident bytes."""
    start = time.perf_counter()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    return proc.returncode, out.decode(), err.decode(), seconds, _peak(proc)


def _peak(proc: subprocess.Popen) -> int:
    return getattr(proc, "peak", 0)


def source_texts() -> list[str]:
    if DEFAULT_SOURCE.is_file():
        with open(DEFAULT_SOURCE, encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        return [r.get("text") or r.get("content") or "" for r in records]
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FALLBACK_SOURCE.glob("*.txt"))]


def write_single_line(path: Path, size: int, texts: list[str]) -> int:
    """A document of about ``size`` bytes with no line break; its characters."""
    flat = "".join(t.replace("\n", "") for t in texts)
    chunk = flat.encode("utf-8")
    chars, written = 0, 0
    with open(path, "wb") as fh:
        while written < size:
            piece = chunk[: size - written]
            text = piece.decode("utf-8", "ignore")
            data = text.encode("utf-8")
            fh.write(data)
            written += len(data)
            chars += len(text)
            if not data:
                break
    return chars


def row(case: str, size: str, outcome: str, seconds: float | None, peak: int | None, ok: bool) -> list[str]:
    return [case, size, outcome, "" if seconds is None else f"{seconds:,.1f}",
            "" if not peak else f"{peak / 1e6:,.0f} MB", "✓" if ok else "✗"]


def summary_line(out: str) -> str:
    return out.splitlines()[0] if out else ""


def case_single(work: Path, size: int, texts: list[str]) -> list[list[str]]:
    rows, times = [], {}
    for part, bytes_ in (("quarter", size // 4), ("whole", size)):
        folder = work / f"single-{part}"
        folder.mkdir()
        chars = write_single_line(folder / "page.txt", bytes_, texts)
        code, out, err, seconds, peak = finish(miner("run", folder, "-o", work / f"out-single-{part}", "-w", "1", "-n", "0"))
        times[part] = (seconds, chars)
        ok = code == 0 and out.startswith("1 documents mined") and (part == "quarter" or peak < PEAK_LIMIT)
        rows.append(row(f"one single-line document ({part})", f"{bytes_ / 1e6:,.0f} MB, {chars:,} chars",
                        summary_line(out) or err.strip(), seconds, peak, ok))
    ratio = (times["whole"][0] / times["whole"][1]) / (times["quarter"][0] / times["quarter"][1])
    rows.append(row("  time per character, whole / quarter", "", f"{ratio:.2f}", None, None, ratio < 1.5))
    return rows


def case_files(work: Path, count: int, texts: list[str]) -> list[list[str]]:
    folder = work / "files"
    folder.mkdir()
    rng = random.Random(7)
    paragraphs = [p for t in texts for p in t.split("\n") if 20 <= len(p) <= 400]
    for i in range(count):
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(f"{rng.randint(1955, 2025)}年讲话\n{rng.choice(paragraphs)}", encoding="utf-8")
    out_dir = work / "out-files"
    rows = []
    code, out, err, seconds, peak = finish(miner("run", folder, "-o", out_dir, "-n", "0", limit_files=True))
    rows.append(row(f"{count:,} files, first run (ulimit -n {OPEN_FILES})", f"{count:,} files",
                    summary_line(out) or err.strip(), seconds, peak, code == 0 and out.startswith(f"{count} documents")))
    for i in range(0, count, 10):  # every tenth file changes
        path = folder / f"{i // 1000:03d}" / f"{i:06d}.txt"
        path.write_text(path.read_text(encoding="utf-8") + "\n坚持“两个率先”。", encoding="utf-8")
    code, out, err, seconds, peak = finish(miner("run", folder, "-o", out_dir, "-n", "0", limit_files=True))
    reused = out.splitlines()[1] if out.count("\n") > 1 else err.strip()
    expected = f"{count - count // 10} documents unchanged (reused), {count // 10} mined"
    rows.append(row(f"{count:,} files, a tenth changed (ulimit -n {OPEN_FILES})", f"{count:,} files", reused,
                    seconds, peak, code == 0 and reused == expected))
    return rows


def make_corpus(folder: Path, size: int) -> None:
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "make_corpus.py"), "--size", str(size),
                    "--out", str(folder)], check=True, capture_output=True)


def case_corpus(work: Path, size: int) -> list[list[str]]:
    folder = work / "corpus"
    make_corpus(folder, size)
    code, out, err, seconds, peak = finish(miner("run", folder, "-o", work / "out-corpus", "-w", "2", "-n", "0"))
    return [row("a corpus, 2 workers", f"{size / 1e6:,.0f} MB", summary_line(out) or err.strip(), seconds, peak,
                code == 0 and " 0 skipped" in out)]


def case_concurrent(work: Path, folder: Path) -> list[list[str]]:
    out_dir = work / "out-concurrent"
    first = miner("run", folder, "-o", out_dir, "-w", "1", "-n", "0")
    lock = out_dir / ".miner-lock"
    while first.poll() is None and not (lock.is_file() and f"pid {first.pid} " in lock.read_text()):
        time.sleep(0.05)  # the first run holds the folder
    second = miner("run", folder, "-o", out_dir, "-w", "1", "-n", "0")
    results = [finish(first), finish(second)]
    codes = sorted(r[0] for r in results)
    refused = next((r[2].strip() for r in results if r[0] == 1), "")
    named = f"pid {first.pid} on " in refused or f"pid {second.pid} on " in refused
    one_line = refused.count("\n") == 0 and refused.startswith("Error: ")
    documents = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))["documents"]
    ok = codes == [0, 1] and named and one_line
    return [row("two runs into one --out at once", "", f"exits {codes}; {refused[:90]}…; run.json: {documents} documents",
                None, None, ok)]


def tables_of(out_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out_dir.glob("*.csv"))} | {"run.json": (out_dir / "run.json").read_bytes()}


def alive_children(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def case_kill(work: Path, small: Path, big: Path, trials: int) -> list[list[str]]:
    out_dir = work / "out-kill"
    code, *_ = finish(miner("run", small, "-o", out_dir, "-w", "2", "-n", "0"))
    before = tables_of(out_dir)
    rng = random.Random(11)
    outcomes = {"old set": 0, "new set": 0, "mixed": 0}
    leftover = 0
    for _ in range(trials):
        proc = miner("run", big, "-o", out_dir, "-w", "2", "-n", "0")
        time.sleep(rng.uniform(0.5, 12.0))
        workers = children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        time.sleep(0.5)
        leftover += len(alive_children(workers))
        now = tables_of(out_dir)
        if now == before:
            outcomes["old set"] += 1
        else:
            run = json.loads(now["run.json"])
            rows = now["documents.csv"].decode("utf-8-sig").count("\n") - 1
            mentions = now["mentions.csv"].decode("utf-8-sig").count("\n") - 1 if "mentions.csv" in now else -1
            if run["documents"] + run["skipped"] == rows and run["mentions"] <= mentions:
                outcomes["new set"] += 1
                before = now
            else:
                outcomes["mixed"] += 1
    code, out, err, seconds, peak = finish(miner("run", big, "-o", out_dir, "-w", "2", "-n", "0"))
    stray = [p.name for p in out_dir.iterdir() if p.name.startswith(".miner-staging-")]
    ok = outcomes["mixed"] == 0 and leftover == 0 and code == 0 and not stray
    text = (f"{outcomes['old set']} old set, {outcomes['new set']} new set, {outcomes['mixed']} mixed; "
            f"{leftover} workers left; next run: exit {code}")
    return [row(f"kill -9 mid-run ({trials} times, 2 workers)", "", text, None, None, ok)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--single", default="200MB", help="size of the single-line document (default 200MB)")
    parser.add_argument("--files", type=int, default=50_000, help="number of small files (default 50,000)")
    parser.add_argument("--corpus", default="1GB", help="size of the generated corpus (default 1GB)")
    parser.add_argument("--kills", type=int, default=8, help="kill -9 trials (default 8)")
    parser.add_argument("--skip", action="append", default=[], choices=["single", "files", "corpus", "concurrent", "kill"])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed after)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="miner-stress-"))
    work.mkdir(parents=True, exist_ok=True)
    texts = source_texts()
    rows: list[list[str]] = []
    try:
        if "single" not in args.skip:
            rows += case_single(work, parse_size(args.single), texts)
        if "files" not in args.skip:
            rows += case_files(work, args.files, texts)
        if "corpus" not in args.skip:
            rows += case_corpus(work, parse_size(args.corpus))
        if "concurrent" not in args.skip or "kill" not in args.skip:
            small, big = work / "small", work / "big"
            make_corpus(small, parse_size("2MB"))
            make_corpus(big, parse_size("40MB"))
            if "concurrent" not in args.skip:
                rows += case_concurrent(work, big)
            if "kill" not in args.skip:
                rows += case_kill(work, small, big, args.kills)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print("| case | size | outcome | seconds | peak memory | |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0 if all(r[-1] == "✓" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
