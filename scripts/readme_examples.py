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
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\s*$")
PROMPT = "$ "
# Timings vary from run to run: compared as a placeholder.
TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|seconds)\b")
FIGURE = re.compile(r"\]\((docs/[^)\s]+\.(?:png|svg))\)")


@dataclass
class Example:
    """A ``$ command`` line of a console block and the lines of output under it."""

    line: int  # index of the command line in the README
    command: str
    output: list[str]


def find_examples(lines: list[str]) -> list[Example]:
    """The ``$ `` commands of the ```console blocks, with the output lines that follow each.

    >>> find_examples(["```console", "$ miner top", "a", "b", "$ miner kwic x", "```", "$ not this"])
    [Example(line=1, command='miner top', output=['a', 'b']), Example(line=4, command='miner kwic x', output=[])]
    """
    examples: list[Example] = []
    inside = False
    for i, line in enumerate(lines):
        fence = FENCE.match(line)
        if fence:
            inside = not inside and fence.group(1) == "console"
            continue
        if not inside:
            continue
        if line.startswith(PROMPT):
            examples.append(Example(i, line[len(PROMPT):].strip(), []))
        elif examples and examples[-1].line < i:
            examples[-1].output.append(line)
    return examples


def normalise(lines: list[str]) -> list[str]:
    """The lines with timings replaced, for comparing two runs.

    >>> normalise(["72 documents (1,090,212 characters) in 3.7s", "in 12 s"])
    ['72 documents (1,090,212 characters) in <time>', 'in <time>']
    """
    return [TIMING.sub("<time>", line).rstrip() for line in lines]


def run(command: str) -> list[str]:
    done = subprocess.run(command, shell=True, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", timeout=1800)
    return [line.rstrip() for line in done.stdout.splitlines()]


def rerun(readme: str, only: str | None = None, log=print) -> dict[str, list[str]]:
    """Run the README's examples (those matching ``only``): command → output lines."""
    pattern = re.compile(only) if only else None
    outputs: dict[str, list[str]] = {}
    for example in find_examples(readme.split("\n")):
        if (pattern and not pattern.search(example.command)) or example.command in outputs:
            continue
        log(f"$ {example.command}")
        outputs[example.command] = run(example.command)
    return outputs


def apply_outputs(readme: str, outputs: dict[str, list[str]]) -> str:
    r"""README text with the output under each command replaced, unless only its timings differ.

    >>> apply_outputs("```console\n$ miner x\nold in 1.0s\n```", {"miner x": ["new in 2.0s"]})
    '```console\n$ miner x\nnew in 2.0s\n```'
    >>> apply_outputs("```console\n$ miner x\nsame in 1.0s\n```", {"miner x": ["same in 2.0s"]})
    '```console\n$ miner x\nsame in 1.0s\n```'
    """
    lines = readme.split("\n")
    for example in reversed(find_examples(lines)):  # from the end, so earlier line numbers stay right
        output = outputs.get(example.command)
        if output is not None and normalise(output) != normalise(example.output):
            start = example.line + 1
            lines[start:start + len(example.output)] = output
    return "\n".join(lines)


def figures(readme: str) -> list[Path]:
    """The figures the README shows from docs/."""
    return [ROOT / m for m in dict.fromkeys(FIGURE.findall(readme))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if anything would change.")
    parser.add_argument("--only", metavar="REGEX", help="Only run the commands matching this pattern.")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    args = parser.parse_args(argv)

    old = args.readme.read_text(encoding="utf-8")
    shown = figures(old)
    before = {p: p.read_bytes() for p in shown if p.exists()}
    outputs = rerun(old, args.only, log=lambda text: print(text, file=sys.stderr))
    ran = list(outputs)
    # Read the README again: it may have been edited while the examples ran.
    old = args.readme.read_text(encoding="utf-8")
    new = apply_outputs(old, outputs)
    changed_figures = [p for p in shown if p.exists() and before.get(p) != p.read_bytes()]
    problems = [f"{p.relative_to(ROOT)}: shown in the README but missing" for p in shown if not p.exists()]

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
