"""scripts/readme_examples.py: examples run where their block says, and a
failing example is a problem, never output to keep."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "readme_examples.py"


def check(tmp_path: Path, readme: str) -> subprocess.CompletedProcess:
    path = tmp_path / "README.md"
    path.write_text(readme, encoding="utf-8")
    return subprocess.run([sys.executable, str(SCRIPT), "--check", "--readme", str(path)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_an_example_that_fails_unannounced_fails_the_check(tmp_path):
    readme = (
        "```console\n$ cp nothing.jsonl somewhere/\n$ miner run nothing/here\n"
        "Error: nothing/here: no such file or folder\n```\n"
        "\n<!-- readme_examples: errors -->\n```console\n$ miner run nothing/here\n"
        "Error: nothing/here: no such file or folder\n```\n"
    )
    result = check(tmp_path, readme)
    assert result.returncode == 1
    # the same failure in the block that shows failures on purpose is no problem
    assert result.stdout.splitlines() == [
        "README line 2: `cp nothing.jsonl somewhere/` failed (exit status 1): "
        "cp: cannot stat 'nothing.jsonl': No such file or directory",
        "README line 3: `miner run nothing/here` failed (exit status 1): Error: nothing/here: no such file or folder",
    ]


def test_a_scratch_block_runs_in_order_in_its_own_folder(tmp_path):
    readme = (
        "<!-- readme_examples: scratch incremental -->\n```console\n"
        "$ miner run speeches -o tables -n 0\n$ miner run speeches -o tables -n 0\n"
        "$ cp new/* speeches/\n$ miner run speeches -o tables -n 0\n```\n"
    )
    result = check(tmp_path, readme)
    assert result.returncode == 1  # the README shows no output yet
    added = [line[1:] for line in result.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    tables = ("tables written to tables/: documents.csv, mentions.csv, definitions.csv, phrases.csv, by_year.csv, "
              "patterns.csv, patterns_by_year.csv, dictionary.csv")
    # one command shown twice runs twice: the rerun reuses what the first run mined
    # (characters and mentions left out: they follow the extractor, not the script)
    assert [re.sub(r" \(.*", "", line) for line in added] == [
        "11 documents mined", tables, "11 documents", "11 documents unchanged", tables,
        "13 documents", "11 documents unchanged", tables,
    ]
    assert [line.split(", ")[-1] for line in added if "unchanged" in line] == ["0 mined", "2 mined"]
    assert "failed" not in result.stdout
