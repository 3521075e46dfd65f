"""Rerun the README's console examples and figures, so the README cannot drift from the code.

Every ```console block of README.md holds ``$ miner …`` lines, each followed
by its output.  This script runs each command (from the repository's root,
in a shell, so ``| head`` works), puts its output under it, and so also
rewrites every figure the commands write (``-o docs``: ``docs/*.png``).

    python scripts/readme_examples.py             # rerun, rewrite README.md and docs/
    python scripts/readme_examples.py --check     # exit 1 if README.md or a figure would change
    python scripts/readme_examples.py --only 'graph|plot'   # only commands matching a pattern

Timings ("in 3.7s") differ from run to run, so output that differs from the
README only in them is left as it is.  In ``--check`` mode the figures are
put back as they were after the comparison, as cog's ``--check`` leaves the
files alone.  The examples read the corpora under ``../shared`` (next to the
repository) where the README says so; run ``miner run`` examples first (they
come first in the README).

A comment on the line before a block's fence changes how it is run:

    <!-- readme_examples: scratch incremental -->   run the block's commands in order in a
                                                    fresh folder made by SCRATCH["incremental"]
    <!-- readme_examples: errors -->                the block shows failures on purpose

A command of any other block that exits with a non-zero status or prints an
``Error:`` line or a traceback is a problem: the script says so and exits 1
(with ``--check`` too), so that a broken example cannot pass for output.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\s*$")
PROMPT = "$ "
# Timings vary from run to run: compared as a placeholder.
TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|seconds)\b")
FIGURE = re.compile(r"\]\((docs/[^)\s]+\.(?:png|svg))\)")
MARK = re.compile(r"^<!--\s*readme_examples:(.*?)-->\s*$")
# What a failed command prints: miner's one-line error, a traceback, a shell's complaint.
FAILURE = re.compile(r"^(?:Error:|Traceback \(most recent call last\))|: (?:cannot stat|No such file or directory|command not found)")
SAMPLE = ROOT / "miner" / "data" / "sample"


@dataclass
class Example:
    """A ``$ command`` line of a console block and the lines of output under it."""

    line: int  # index of the command line in the README
    command: str
    output: list[str]
    block: int = 0  # which console block it is in (counted from 1)
    scratch: str = ""  # the SCRATCH folder its block runs in ("": the repository's root)
    errors: bool = False  # its block shows failures on purpose


def find_examples(lines: list[str]) -> list[Example]:
    """The ``$ `` commands of the ```console blocks, with the output lines that follow each.

    >>> find_examples(["```console", "$ miner top", "a", "b", "$ miner kwic x", "```", "$ not this"])[1]
    Example(line=4, command='miner kwic x', output=[], block=1, scratch='', errors=False)
    >>> find_examples(["<!-- readme_examples: scratch incremental errors -->", "```console", "$ miner top", "```"])
    [Example(line=2, command='miner top', output=[], block=1, scratch='incremental', errors=True)]
    """
    examples: list[Example] = []
    inside = False
    block, words = 0, []
    for i, line in enumerate(lines):
        fence = FENCE.match(line)
        if fence:
            inside = not inside and fence.group(1) == "console"
            if inside:
                block += 1
                mark = MARK.match(lines[i - 1]) if i else None
                words = mark.group(1).split() if mark else []
            continue
        if not inside:
            continue
        if line.startswith(PROMPT):
            scratch = words[words.index("scratch") + 1] if "scratch" in words[:-1] else ""
            examples.append(Example(i, line[len(PROMPT):].strip(), [], block, scratch, "errors" in words))
        elif examples and examples[-1].line < i:
            examples[-1].output.append(line)
    return examples


def keyed(examples: list[Example]) -> list[tuple[tuple[str, int], Example]]:
    """Each example with its key: the command, and how many times it came before.

    >>> [k for k, _ in keyed([Example(0, "a", []), Example(1, "b", []), Example(2, "a", [])])]
    [('a', 0), ('b', 0), ('a', 1)]
    """
    seen: Counter = Counter()
    out = []
    for example in examples:
        out.append(((example.command, seen[example.command]), example))
        seen[example.command] += 1
    return out


def incremental(folder: Path) -> None:
    """A corpus to run again and again: ``speeches/``, the bundled sample but
    for its last speech and the last record of its JSON Lines file, and
    ``new/``, that speech and the JSON Lines file whole (one record more)."""
    speeches, new = folder / "speeches", folder / "new"
    shutil.copytree(SAMPLE, speeches)
    new.mkdir()
    last = sorted(SAMPLE.glob("*.txt"))[-1]
    (speeches / last.name).unlink()
    shutil.copy2(last, new / last.name)
    records = sorted(SAMPLE.glob("*.jsonl"))[0]
    lines = records.read_text(encoding="utf-8").splitlines(True)
    assert len(lines) >= 2 and all(json.loads(line) for line in lines)
    (speeches / records.name).write_text("".join(lines[:-1]), encoding="utf-8")
    shutil.copy2(records, new / records.name)


# Scratch folders a block can run in: name → what makes it (in an empty folder).
SCRATCH: dict[str, Callable[[Path], None]] = {"incremental": incremental}


def normalise(lines: list[str]) -> list[str]:
    """The lines with timings replaced, for comparing two runs.

    >>> normalise(["72 documents (1,090,212 characters) in 3.7s", "in 12 s"])
    ['72 documents (1,090,212 characters) in <time>', 'in <time>']
    """
    return [TIMING.sub("<time>", line).rstrip() for line in lines]


def run(command: str, cwd: Path = ROOT) -> tuple[list[str], int]:
    """The output lines of ``command`` run in a shell in ``cwd``, and its exit status."""
    done = subprocess.run(command, shell=True, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", timeout=1800)
    return [line.rstrip() for line in done.stdout.splitlines()], done.returncode


def failure(example: Example, output: list[str], status: int) -> str | None:
    """What is wrong when an example not meant to fail did, else ``None``.

    >>> failure(Example(3, "cp a b", []), ["cp: cannot stat 'a': No such file or directory"], 1)
    "README line 4: `cp a b` failed (exit status 1): cp: cannot stat 'a': No such file or directory"
    >>> failure(Example(3, "miner run x", [], errors=True), ["Error: x: no such file or folder"], 1) is None
    True
    """
    if example.errors:
        return None
    failed = [line for line in output if FAILURE.search(line)]
    if status == 0 and not failed:
        return None
    return f"README line {example.line + 1}: `{example.command}` failed (exit status {status})" + (
        f": {failed[0]}" if failed else "")


def rerun(readme: str, only: str | None = None, log=print,
          problems: dict[tuple[str, int], str] | None = None) -> dict[tuple[str, int], list[str]]:
    """Run the README's examples (those matching ``only``): key (see :func:`keyed`)
    → output lines.  A command shown twice outside a scratch block runs once;
    a scratch block runs whole, in order, when any of its commands matches.
    What went wrong (see :func:`failure`) is put in ``problems`` under the example's key."""
    pattern = re.compile(only) if only else None
    examples = keyed(find_examples(readme.split("\n")))
    chosen_blocks = {e.block for _, e in examples if e.scratch and (not pattern or pattern.search(e.command))}
    outputs: dict[tuple[str, int], list[str]] = {}
    first: dict[str, tuple[str, int]] = {}
    folders: dict[int, Path] = {}
    try:
        for key, example in examples:
            if example.scratch:
                if example.block not in chosen_blocks:
                    continue
                if example.block not in folders:
                    if example.scratch not in SCRATCH:
                        raise SystemExit(f"README line {example.line + 1}: no scratch folder '{example.scratch}' "
                                         f"(there are {', '.join(SCRATCH)})")
                    folders[example.block] = Path(tempfile.mkdtemp(prefix="miner-readme-"))
                    SCRATCH[example.scratch](folders[example.block])
                cwd = folders[example.block]
            else:
                if pattern and not pattern.search(example.command):
                    continue
                if example.command in first:
                    outputs[key] = outputs[first[example.command]]
                    continue
                first[example.command] = key
                cwd = ROOT
            log(f"$ {example.command}")
            outputs[key], status = run(example.command, cwd)
            problem = failure(example, outputs[key], status)
            if problem and problems is not None:
                problems[key] = problem
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
    return outputs


def apply_outputs(readme: str, outputs: dict[tuple[str, int], list[str]]) -> str:
    r"""README text with the output under each command replaced, unless only its timings differ.

    >>> apply_outputs("```console\n$ miner x\nold in 1.0s\n```", {("miner x", 0): ["new in 2.0s"]})
    '```console\n$ miner x\nnew in 2.0s\n```'
    >>> apply_outputs("```console\n$ miner x\nsame in 1.0s\n```", {("miner x", 0): ["same in 2.0s"]})
    '```console\n$ miner x\nsame in 1.0s\n```'
    """
    lines = readme.split("\n")
    for key, example in reversed(keyed(find_examples(lines))):  # from the end, so earlier line numbers stay right
        output = outputs.get(key)
        if output is not None and normalise(output) != normalise(example.output):
            start = example.line + 1
            lines[start:start + len(example.output)] = output
    return "\n".join(lines)


def figures(readme: str) -> list[Path]:
    """The figures the README shows from docs/."""
    return [ROOT / m for m in dict.fromkeys(FIGURE.findall(readme))]


def forget_runs(outputs: Path) -> None:
    """Remove the incremental-run state of every output folder in ``outputs``,
    so that each example's ``miner run`` mines as on a fresh clone (its
    tables stay, for the examples that read them) rather than reusing the
    documents of the last rerun."""
    from miner.io.state import STATE_DIR

    for state in outputs.glob(f"*/{STATE_DIR}"):
        shutil.rmtree(state, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if anything would change.")
    parser.add_argument("--only", metavar="REGEX", help="Only run the commands matching this pattern.")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    args = parser.parse_args(argv)

    old = args.readme.read_text(encoding="utf-8")
    shown = figures(old)
    before = {p: p.read_bytes() for p in shown if p.exists()}
    failures: dict[tuple[str, int], str] = {}
    forget_runs(ROOT / "outputs")
    outputs = rerun(old, args.only, log=lambda text: print(text, file=sys.stderr), problems=failures)
    ran = list(outputs)
    # Read the README again: it may have been edited while the examples ran.
    old = args.readme.read_text(encoding="utf-8")
    # A failure is reported, never written into the README as if it were the example's output.
    new = apply_outputs(old, {k: v for k, v in outputs.items() if k not in failures})
    changed_figures = [p for p in shown if p.exists() and before.get(p) != p.read_bytes()]
    problems = list(failures.values()) + [f"{p.relative_to(ROOT)}: shown in the README but missing" for p in shown if not p.exists()]

    if args.check:
        for path, data in before.items():
            path.write_bytes(data)  # leave the figures as they were
        if new != old:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                       str(args.readme), f"{args.readme} (rerun)"))
        problems += [f"{p.relative_to(ROOT)} would change" for p in changed_figures]
        for line in problems:
            print(line)
        status = 1 if new != old or problems else 0
        print(f"{len(ran)} commands rerun: README {'would change' if new != old else 'unchanged'}, "
              f"{len(changed_figures)} of {len(shown)} figures would change", file=sys.stderr)
        return status
    if new != old:
        args.readme.write_text(new, encoding="utf-8")
    for line in problems:
        print(line)
    print(f"{len(ran)} commands rerun: README {'rewritten' if new != old else 'unchanged'}, "
          f"{len(changed_figures)} of {len(shown)} figures rewritten",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
