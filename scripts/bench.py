#!/usr/bin/env python3
"""Benchmark ``miner run`` as a user runs it, and report ratios.

Everything is timed as whole processes (Python start-up, imports and
dictionary loading included), and compared as ratios of two measurements
taken in the same run, so that a busy or slow machine does not change the
verdict:

1. ``miner run`` on the national reports against jieba's own segmentation
   (an explicit ``jieba.Tokenizer()``) of the same texts: target ≤ 0.2;
   against ``rjieba.cut`` (jieba-rs, the fastest segmenter with jieba's
   dictionary) of the same texts: target ≤ 1.0; and against the floor of a
   Python scan, a process that decodes the same JSON and runs one compiled
   regular expression (numbered and quoted candidates) over the texts;
2. ``--workers 2`` against ``--workers 1`` on a generated corpus of
   ``--small`` bytes (default 100MB): target ≤ 0.6; and the characters per
   second of ``--workers 1`` (whole process) against those of ``rjieba.cut``
   inside a process (the time in ``cut`` alone): target ≥ 1.0;
3. a second run over the unchanged corpus against the first: target ≤ 0.1;
4. peak memory of all the run's processes on ``--large`` bytes (default
   1GB) against ``--small``: target < 1.5; and of a run with ``--formulas``
   on ``--large`` against one without: its peak, target < 2 GB (the longest
   measurement; ``--no-formulas`` and ``--smoke`` leave it out);

and the characters per second of each.  Times are the minimum and the
median of ``--runs`` runs (default 5), the sides of a ratio taking turns.  Corpora are made
by ``scripts/make_corpus.py`` into ``--work`` and kept for the next run.
The package is byte-compiled first (``python -m compileall``), as an
install does, so that no timed process compiles it.

    python scripts/bench.py                   # about 10 minutes on 2 cores
    python scripts/bench.py --large 300MB --runs 5
    python scripts/bench.py --smoke           # a tiny version, for CI
    python scripts/bench.py --readme README.md  # and put the table in the README
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

from make_corpus import DEFAULT_SOURCE, FALLBACK_SOURCE, make_corpus, parse_size  # noqa: E402

TEXT_FIELDS = ("text", "content", "full_text", "body")
FORMULAS_PEAK = 2e9  # bytes: the most a run with --formulas on --large may take, all its processes together


def _over_texts(head: str, body: str, tail: str) -> str:
    """A script of its own that runs ``body`` on the ``text`` of every JSON
    line of the files it is given, counting their characters in ``chars``."""
    return f"""{head}
chars = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = next((record[k] for k in {TEXT_FIELDS!r} if isinstance(record.get(k), str)), "")
            chars += len(text)
{textwrap.indent(body, " " * 12)}
{tail}
"""


# jieba's segmentation of the same texts, as a whole process of its own.
JIEBA = _over_texts("import json, sys\nimport jieba\ntokenizer = jieba.Tokenizer()",
                    "for _word in tokenizer.cut(text):\n    pass", "print(chars)")
# The same with rjieba (jieba-rs); also prints the seconds spent in cut alone.
RJIEBA = _over_texts("import json, sys, time\nimport rjieba\ninside = 0.0",
                     "started = time.perf_counter()\nrjieba.cut(text)\ninside += time.perf_counter() - started",
                     "print(chars, inside)")
# The floor of a Python scan: JSON decoding and one compiled pattern over the texts.
FLOOR_PATTERN = r"[一二三四五六七八九十两]+[个项大条][\u4e00-\u9fff]{1,6}|“[^”\n]{1,16}”"
FLOOR = _over_texts(f"import json, re, sys\npattern = re.compile({FLOOR_PATTERN!r})\nfound = 0",
                    "found += sum(1 for _ in pattern.finditer(text))", "print(chars, found)")


@dataclass
class Timing:
    """Wall-clock seconds of repeated runs; peak memory in bytes where sampled."""

    seconds: list[float] = field(default_factory=list)
    peak: int = 0
    maxrss: int = 0

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def machine() -> str:
    """Cores, CPU model, memory and Python version of this machine."""
    cpu = platform.processor() or platform.machine()
    ram = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(next(ln.split()[1] for ln in fh if ln.startswith("MemTotal")))
            ram = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    load = ""
    with contextlib.suppress(OSError, AttributeError):  # other jobs on the machine slow every measurement
        load = ", load average {:.1f} {:.1f} {:.1f} (1, 5, 15 min)".format(*os.getloadavg())
    return (f"{os.cpu_count()} cores ({cpu}){ram}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}{load}")


# -- running and measuring processes ---------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _memory(pid: int) -> int:
    """Bytes of memory a process uses: its proportional set size (shared pages
    split between the processes sharing them), else its resident set size."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _tree_memory(pid: int) -> int:
    kids, todo, total = _children(), [pid], 0
    while todo:
        p = todo.pop()
        total += _memory(p)
        todo.extend(kids.get(p, ()))
    return total


def run_process(cmd: list[str], *, sample: bool = False, env: dict | None = None) -> tuple[float, int, int, str]:
    """Run ``cmd``; its seconds, peak memory of its process tree (if
    ``sample``, Linux only), largest single-process RSS, and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        # Started in this checkout: `python -m miner` imports the miner of the
        # folder it is run from before any on PYTHONPATH.
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=REPO_ROOT)
        peak = [0]
        done = threading.Event()

        def watch():
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_memory(proc.pid))

        watcher = threading.Thread(target=watch, daemon=True)
        if sample and os.path.isdir("/proc"):
            watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        if watcher.is_alive():
            watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"error: {' '.join(cmd)} failed:\n{err.read().decode(errors='replace')[-2000:]}")
        maxrss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        return seconds, max(peak[0], maxrss), maxrss, out.read().decode()


def _env() -> dict:
    # Measure this checkout's miner, whatever is installed.
    env = dict(os.environ)
    # As an installed package runs: with its bytecode cached (pip compiles it
    # at install), not compiled again from source in every timed process.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def miner_cmd(inputs: list[Path], out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "miner", "run", *map(str, inputs), "-o", str(out), "-n", "0", "--no-progress",
            *options]


def jsonl_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.jsonl")) if path.is_dir() else [path]


def corpus(work: Path, size: int, seed: int, source: Path) -> tuple[Path, dict]:
    """A generated corpus of ``size`` bytes, made once and kept in ``work``."""
    folder = work / f"corpus-{size}-seed{seed}"
    marker = folder / ".made.json"
    if marker.exists():
        made = json.loads(marker.read_text())
        if made.get("source") == str(source):
            return folder, made
    print(f"making a corpus of {size:,} bytes in {folder} …", file=sys.stderr, flush=True)
    made = make_corpus(folder, size, seed=seed, source=source)
    made["source"] = str(source)
    marker.write_text(json.dumps(made))
    return folder, made


# -- the measurements ------------------------------------------------------


def bench(args) -> list[tuple[str, str, str, bool | None]]:
    """Run every measurement; rows of (what, value, target, met)."""
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    env = _env()
    # As pip does at install: the package's bytecode is written once, before
    # any timed run, also where PYTHONDONTWRITEBYTECODE would keep every
    # process compiling it anew (about 0.1 s a process).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO_ROOT / "miner")], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    rows: list[tuple[str, str, str, bool | None]] = []
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    def timed(cmd, timing: Timing, **kw):
        seconds, peak, maxrss, out = run_process(cmd, env=env, **kw)
        timing.seconds.append(seconds)
        timing.peak, timing.maxrss = max(timing.peak, peak), max(timing.maxrss, maxrss)
        return out

    # 1. miner against jieba, rjieba and the regex floor on the same texts.
    seg_corpus = args.corpus
    if seg_corpus is None:
        seg_corpus, _ = corpus(work, args.seg_size, args.seed, args.source) if args.smoke else (DEFAULT_SOURCE, None)
    files = jsonl_files(seg_corpus)
    out = work / "out-segment"
    jieba_cmd = [sys.executable, "-c", JIEBA, *map(str, files)]
    rjieba_cmd = [sys.executable, "-c", RJIEBA, *map(str, files)]
    floor_cmd = [sys.executable, "-c", FLOOR, *map(str, files)]
    log(f"miner run, jieba, rjieba and the regex floor on {seg_corpus}: {args.runs} runs each (after a warm-up)")
    run_process(miner_cmd(files, out, "--full"), env=env)  # fills the dictionary caches
    chars = int(run_process(jieba_cmd, env=env)[3])
    run_process(rjieba_cmd, env=env)
    miner_t, jieba_t, rjieba_t, floor_t = Timing(), Timing(), Timing(), Timing()
    for _ in range(args.runs):
        timed(miner_cmd(files, out, "--full"), miner_t)
        timed(jieba_cmd, jieba_t)
        timed(rjieba_cmd, rjieba_t)
        timed(floor_cmd, floor_t)
    rows.append((f"miner run / jieba segmentation, {chars:,} chars (median; fastest)",
                 f"{miner_t.median / jieba_t.median:.3f} ({miner_t.median:.2f}s / {jieba_t.median:.2f}s); "
                 f"{miner_t.best / jieba_t.best:.3f}", "≤ 0.2", round(miner_t.median / jieba_t.median, 3) <= 0.2))
    rows.append((f"miner run / rjieba.cut, {chars:,} chars (median; fastest)",
                 f"{miner_t.median / rjieba_t.median:.3f} ({miner_t.median:.2f}s / {rjieba_t.median:.2f}s); "
                 f"{miner_t.best / rjieba_t.best:.3f}", "≤ 1.0", round(miner_t.median / rjieba_t.median, 3) <= 1.0))
    rows.append((f"miner run / regex floor, {chars:,} chars (median; fastest)",
                 f"{miner_t.median / floor_t.median:.3f} ({miner_t.median:.2f}s / {floor_t.median:.2f}s); "
                 f"{miner_t.best / floor_t.best:.3f}", "", None))

    # 2. two workers against one, and 3. a second, incremental run.
    small, made = corpus(work, args.small, args.seed, args.source)
    out = work / "out-small"
    log(f"--workers 2, --workers 1 and rjieba on {made['bytes']:,} bytes: {args.runs} runs each")
    one, two, inside = Timing(), Timing(), []
    small_cmd = [sys.executable, "-c", RJIEBA, *map(str, jsonl_files(small))]
    for _ in range(args.runs):
        timed(miner_cmd([small], out, "--full", "--workers", "1"), one)
        timed(miner_cmd([small], out, "--full", "--workers", "2"), two)
        inside.append(float(run_process(small_cmd, env=env)[3].split()[1]))
    rjieba_rate, one_rate = made["chars"] / statistics.median(inside), made["chars"] / one.median
    rows.append((f"--workers 1 (whole process) / rjieba.cut (in process), chars/s, {made['bytes'] / 1e6:,.0f} MB "
                 "(median)", f"{one_rate / rjieba_rate:.3f} ({one_rate / 1e6:.2f}M / {rjieba_rate / 1e6:.2f}M)",
                 "≥ 1.0", round(one_rate / rjieba_rate, 3) >= 1.0))
    rows.append((f"--workers 2 / --workers 1, {made['bytes'] / 1e6:,.0f} MB (min)",
                 f"{two.best / one.best:.3f} ({two.best:.1f}s / {one.best:.1f}s)", "≤ 0.6", round(two.best / one.best, 3) <= 0.6))
    log("a second run over the unchanged corpus")
    again = Timing()
    for _ in range(args.runs):
        timed(miner_cmd([small], out, "--workers", "2"), again)
    rows.append(("second run over an unchanged corpus / first (min)",
                 f"{again.best / two.best:.3f} ({again.best:.2f}s / {two.best:.1f}s)", "≤ 0.1",
                 round(again.best / two.best, 3) <= 0.1))

    # 4. peak memory, small against large.
    log(f"peak memory on {made['bytes']:,} bytes")
    small_mem = Timing()
    timed(miner_cmd([small], out, "--full"), small_mem, sample=True)
    large, large_made = corpus(work, args.large, args.seed, args.source)
    log(f"a whole run on {large_made['bytes']:,} bytes")
    large_t = Timing()
    timed(miner_cmd([large], work / "out-large", "--full"), large_t, sample=True)
    ratio = large_t.peak / small_mem.peak
    rows.append((f"peak memory, {large_made['bytes'] / 1e6:,.0f} MB / {made['bytes'] / 1e6:,.0f} MB",
                 f"{ratio:.2f} ({large_t.peak / 2**20:,.0f} MiB / {small_mem.peak / 2**20:,.0f} MiB)", "< 1.5",
                 round(ratio, 2) < 1.5))
    rows.append((f"whole run, {large_made['bytes'] / 1e6:,.0f} MB ({os.cpu_count()} workers)",
                 f"{large_t.best:,.1f}s, peak {large_t.peak / 2**20:,.0f} MiB (largest process "
                 f"{large_t.maxrss / 2**20:,.0f} MiB)", "", None))
    if args.formulas:
        log(f"a whole run with --formulas on {large_made['bytes']:,} bytes")
        formulas_t = Timing()
        timed(miner_cmd([large], work / "out-large-formulas", "--full", "--formulas"), formulas_t, sample=True)
        rows.append((f"peak memory with --formulas / without, {large_made['bytes'] / 1e6:,.0f} MB",
                     f"{formulas_t.peak / large_t.peak:.2f} ({formulas_t.peak / 2**20:,.0f} MiB / "
                     f"{large_t.peak / 2**20:,.0f} MiB; {formulas_t.best:,.0f}s, largest process "
                     f"{formulas_t.maxrss / 2**20:,.0f} MiB)", f"peak < {FORMULAS_PEAK / 1e9:g} GB",
                     formulas_t.peak < FORMULAS_PEAK))

    # Characters per second.
    rate = lambda n, t: f"{n / t / 1e6:.2f}M chars/s"  # noqa: E731
    rows.append(("jieba segmentation (one process)", rate(chars, jieba_t.best), "", None))
    rows.append(("rjieba.cut (one process)", rate(chars, rjieba_t.best), "", None))
    rows.append((f"rjieba.cut inside a process, {made['bytes'] / 1e6:,.0f} MB", rate(made["chars"], min(inside)), "",
                 None))
    rows.append(("regex floor (one process)", rate(chars, floor_t.best), "", None))
    rows.append((f"miner run, {chars:,} chars ({os.cpu_count()} workers)", rate(chars, miner_t.best), "", None))
    rows.append(("miner run --workers 1", rate(made["chars"], one.best), "", None))
    rows.append(("miner run --workers 2", rate(made["chars"], two.best), "", None))
    rows.append((f"miner run, {large_made['bytes'] / 1e6:,.0f} MB", rate(large_made["chars"], large_t.best), "", None))
    return rows


README_START = "<!-- bench.py table -->"
README_END = "<!-- /bench.py table -->"


def write_readme(path: Path, rows, command: str) -> None:
    """Replace the text between the README's table markers with this run's table."""
    import io

    text = path.read_text(encoding="utf-8")
    try:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
    except ValueError:
        raise SystemExit(f"error: {path} has no {README_START} … {README_END} markers") from None
    table = io.StringIO()
    print(f"From `{command}`, on {machine()}:", file=table)
    print(file=table)
    print_table(rows, table, machine_line=False)
    path.write_text(f"{head}{README_START}\n{table.getvalue()}{README_END}{tail}", encoding="utf-8")


def print_table(rows, out=sys.stdout, *, machine_line: bool = True) -> None:
    """The rows as a table; each mark is judged on the figure as printed."""
    if machine_line:
        print(f"machine: {machine()}", file=out)
        print(file=out)
    print("| measure | value | target |", file=out)
    print("|---|---|---|", file=out)
    for what, value, target, met in rows:
        mark = "" if met is None else (" ✓" if met else " ✗")
        print(f"| {what} | {value} | {target}{mark} |", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="JSONL file or folder for the jieba comparison "
                        "(default: ../shared/corpora/gov_work_reports.jsonl)")
    parser.add_argument("--small", type=parse_size, default="100MB", help="corpus for the workers, incremental "
                        "and memory measurements (default: 100MB)")
    parser.add_argument("--large", type=parse_size, default="1GB", help="corpus for the memory ratio (default: 1GB)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default: 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpora (default: 0)")
    parser.add_argument("--source", type=Path, help="corpus the generated ones are drawn from")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "miner-bench",
                        help="folder for generated corpora and outputs (default: a folder in the system temp)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and one run: checks the script, not speed")
    parser.add_argument("--no-formulas", dest="formulas", action="store_false",
                        help="leave out the run with --formulas on --large (the longest measurement)")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--check", action="store_true", help="exit with status 1 if a target is missed")
    parser.add_argument("--readme", type=Path, help="put the table, with the machine and the command, into this "
                        f"README between {README_START!r} and {README_END!r}")
    args = parser.parse_args(argv)
    args.source = (args.source or (DEFAULT_SOURCE if DEFAULT_SOURCE.exists() else FALLBACK_SOURCE)).resolve()
    args.work = args.work.resolve()  # the timed processes run in the checkout (see run_process)
    args.corpus = args.corpus.resolve() if args.corpus else None
    args.seg_size = 300_000
    if args.smoke:
        args.small, args.large, args.runs = min(args.small, 1_000_000), min(args.large, 3_000_000), 1
        args.formulas = False  # finding formulas takes a minute even in 3 MB
    if args.corpus is None and not args.smoke and not DEFAULT_SOURCE.exists():
        parser.error(f"{DEFAULT_SOURCE} not found; give a JSONL corpus with --corpus")
    rows = bench(args)
    print_table(rows)
    if args.readme:
        write_readme(args.readme, rows, " ".join(["python scripts/bench.py", *(argv if argv is not None else sys.argv[1:])]))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": rows}, ensure_ascii=False, indent=2))
    return 1 if args.check and any(met is False for *_, met in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
