#!/usr/bin/env python3
"""Run one ``miner`` command and report the peak memory of all its processes.

The memory is sampled as ``scripts/bench.py`` samples it: every 0.2 s, the
proportional set size (shared pages split between the processes sharing
them) summed over the process running ``miner`` and all its descendants
(worker processes, a local Dask cluster's scheduler, nannies and workers).
Besides the peak it prints the process running ``miner`` alone: its share
at the peak, and its own largest.  Linux only (it reads ``/proc``).

    python scripts/make_corpus.py --size 1GB --out corpora/bench-1GB
    python scripts/peak_memory.py run corpora/bench-1GB -o outputs/bench --formulas --engine dask --workers 2
    python scripts/peak_memory.py --json peak.json run corpora/bench-1GB -o outputs/bench --formulas

The command runs in this checkout (``python -m miner`` from its folder), with
``-n 0 --no-progress`` added to ``run``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from bench import REPO_ROOT, _children, _env, _memory  # noqa: E402

MIB = 2**20


def measure(args: list[str], every: float = 0.2) -> dict:
    """Run ``python -m miner ARGS``; its seconds, exit status, peak memory
    and that of the process running it, in MiB, with the memory over time."""
    if args[:1] == ["run"]:
        args = [*args, "-n", "0", "--no-progress"]
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "miner", *args], cwd=REPO_ROOT, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()
    peak = {"total": 0, "main_at_peak": 0, "main": 0, "at": 0.0, "processes": 0}
    series: list[tuple[float, int, int]] = []

    def watch() -> None:
        while not done.wait(every):
            kids, todo, sizes = _children(), [proc.pid], {}
            while todo:
                pid = todo.pop()
                sizes[pid] = _memory(pid)
                todo.extend(kids.get(pid, ()))
            total, main = sum(sizes.values()), sizes.get(proc.pid, 0)
            at = time.perf_counter() - started
            series.append((round(at, 1), total // MIB, main // MIB))
            if total > peak["total"]:
                peak.update(total=total, main_at_peak=main, at=at, processes=len(sizes))
            peak["main"] = max(peak["main"], main)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    done.set()
    watcher.join()
    return {
        "command": ["miner", *args], "status": proc.returncode, "seconds": round(time.perf_counter() - started, 1),
        "peak_mib": peak["total"] // MIB, "peak_at_seconds": round(peak["at"], 1), "processes": peak["processes"],
        "main_at_peak_mib": peak["main_at_peak"] // MIB, "main_peak_mib": peak["main"] // MIB,
        "series": series, "stderr": err.decode(errors="replace")[-2000:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures and the memory over time to this file")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the miner command, e.g. run CORPUS -o OUT")
    args = parser.parse_args(argv)
    if not args.command:
        parser.error("give a miner command, e.g. run CORPUS -o OUT --formulas")
    if not os.path.isdir("/proc"):
        parser.error("needs Linux's /proc to read the memory of processes")
    found = measure(args.command)
    if args.json:
        args.json.write_text(json.dumps(found, ensure_ascii=False))
    if found["status"]:
        print(f"error: miner exited with status {found['status']}:\n{found['stderr']}", file=sys.stderr)
        return 1
    print(f"{' '.join(found['command'])}: {found['seconds']:,.0f}s, peak {found['peak_mib']:,} MiB over "
          f"{found['processes']} processes after {found['peak_at_seconds']:,.0f}s, {found['main_at_peak_mib']:,} MiB "
          f"of it in the process running miner (its own peak: {found['main_peak_mib']:,} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
