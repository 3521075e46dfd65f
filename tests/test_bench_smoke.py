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

import pytest

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
        "miner run / rjieba.cut": "≤ 1.0",
        "--workers 1 (whole process) / rjieba.cut (in process)": "≥ 1.0",
        "--workers 2 / --workers 1": "≤ 0.6",
        "second run over an unchanged corpus / first": "≤ 0.1",
        "peak memory": "< 1.5",
    }
    for what, target in ratios.items():
        row = next(line for line in lines if line.startswith(f"| {what}"))
        _, value, verdict = (cell.strip() for cell in row.strip("|").split("|"))
        assert re.match(r"\d+\.\d+ \(", value), row
        # The mark must follow from the figure: met, ✓; missed, ✗.
        figure, (op, bound) = float(value.split()[0]), target.split()
        met = {"≤": figure <= float(bound), "≥": figure >= float(bound), "<": figure < float(bound)}[op]
        assert verdict == f"{target} {'✓' if met else '✗'}", row
    floor = next(line for line in lines if line.startswith("| miner run / regex floor"))
    assert re.match(r"\| miner run / regex floor, [\d,]+ chars \(median; fastest\) \| \d+\.\d+ \(", floor)
    rates = [line.split("|")[1].strip() for line in lines if re.search(r"\| [\d.]+M chars/s \|", line)]
    assert rates == ["jieba segmentation (one process)", "rjieba.cut (one process)", "rjieba.cut inside a process, 1 MB",
                     "regex floor (one process)", "miner run, 105,097 chars (2 workers)", "miner run --workers 1",
                     "miner run --workers 2", "miner run, 3 MB"]
    report = json.loads((tmp_path / "b.json").read_text())
    assert len(report["rows"]) == len(lines) - 4


def test_bench_writes_its_table_into_the_readme_between_the_markers(tmp_path, monkeypatch):
    sys.path.insert(0, str(SCRIPTS))
    try:
        import bench
    finally:
        sys.path.remove(str(SCRIPTS))
    monkeypatch.setattr(bench, "machine", lambda: "2 cores, load average 0.5")
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\nbefore\n{bench.README_START}\nold table\n{bench.README_END}\nafter\n", encoding="utf-8")
    bench.write_readme(readme, [("a / b", "0.500 (1s / 2s)", "≤ 1.0", True), ("c", "3M chars/s", "", None)], "python scripts/bench.py")
    text = readme.read_text(encoding="utf-8")
    assert text == (f"# x\nbefore\n{bench.README_START}\nFrom `python scripts/bench.py`, on 2 cores, load average 0.5:\n\n"
                    "| measure | value | target |\n|---|---|---|\n| a / b | 0.500 (1s / 2s) | ≤ 1.0 ✓ |\n| c | 3M chars/s |  |\n"
                    f"{bench.README_END}\nafter\n")
    readme.write_text("no markers", encoding="utf-8")
    with pytest.raises(SystemExit, match="has no"):
        bench.write_readme(readme, [], "python scripts/bench.py")


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


def test_peak_memory_reports_the_process_tree_of_a_run(tmp_path):
    # Two workers, so there are processes besides the one running miner.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"{i}.txt").write_text("要落实“三去一降一补”任务，坚持四项基本原则。\n" * 4000, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "peak_memory.py"), "--json", str(tmp_path / "p.json"),
         "run", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads((tmp_path / "p.json").read_text())
    assert found["command"][-3:] == ["-n", "0", "--no-progress"]
    assert found["processes"] == 3  # miner and its two workers at the peak
    assert 0 < found["main_at_peak_mib"] <= found["main_peak_mib"] and found["main_at_peak_mib"] < found["peak_mib"]
    assert all(main <= total for _, total, main in found["series"])
    assert result.stdout.startswith(f"miner run {corpus} -o {tmp_path / 'out'} --workers 2 -n 0 --no-progress: ")
    assert f"peak {found['peak_mib']:,} MiB over 3 processes" in result.stdout
    assert len((tmp_path / "out" / "mentions.csv").read_text(encoding="utf-8").splitlines()) == 1 + 6 * 4000 * 2
