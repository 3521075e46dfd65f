"""The benchmark script runs end to end on tiny corpora and reports its ratios.

Only the report is checked, not the figures: timings on tiny corpora (and
on a shared CI machine) say nothing about speed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def test_bench_smoke_prints_every_ratio(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), "--smoke", "--work", str(tmp_path), "--json", str(tmp_path / "b.json")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("machine: ")
    assert lines[2:4] == ["| measure | value | target |", "|---|---|---|"]
    ratios = {
        "miner run / jieba segmentation": "≤ 0.2",
        "--workers 2 / --workers 1": "≤ 0.6",
        "second run over an unchanged corpus / first": "≤ 0.1",
        "peak memory": "< 1.5",
    }
    for what, target in ratios.items():
        row = next(line for line in lines if line.startswith(f"| {what}"))
        _, value, verdict = (cell.strip() for cell in row.strip("|").split("|"))
        assert re.match(r"\d+\.\d+ \(", value), row
        assert verdict in (f"{target} ✓", f"{target} ✗"), row
    assert sum("chars/s" in line for line in lines) == 5
    report = json.loads((tmp_path / "b.json").read_text())
    assert len(report["rows"]) == len(lines) - 4


def test_make_corpus_is_deterministic_for_a_seed(tmp_path):
    sys.path.insert(0, str(SCRIPTS))
    try:
        from make_corpus import make_corpus, parse_size
    finally:
        sys.path.remove(str(SCRIPTS))
    source = Path(__file__).resolve().parent.parent / "miner" / "data" / "sample"
    a = make_corpus(tmp_path / "a", parse_size("120KB"), seed=3, source=source, shard=50_000)
    b = make_corpus(tmp_path / "b", parse_size("120KB"), seed=3, source=source, shard=50_000)
    make_corpus(tmp_path / "c", parse_size("120KB"), seed=4, source=source, shard=50_000)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert a == b and a["bytes"] >= 120_000 and a["files"] == len(files) >= 3
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / files[0]).read_bytes() != (tmp_path / "c" / files[0]).read_bytes()
    record = json.loads((tmp_path / "a" / files[0]).read_text(encoding="utf-8").splitlines()[0])
    assert set(record) == {"title", "year", "content"} and len(record["content"]) > 100
