"""The reference profile: building it, writing and reading it, the bundled
file, and the factors it gives a formula's score."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miner.errors import InputError
from miner.extract.reference import (REFERENCE_FILE, Reference, ReferencePhrase, Signal, build_reference,
                             chance_concentration, load_reference, read_reference, reference_signals,
                             write_reference)

# The national reports the bundled profile was built from, next to the checkout.
GOV_REPORTS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "gov_work_reports.jsonl"
# Sentences no two reports share, two to a report.
FILL = ["今年粮食丰收，工业生产稳步增长。", "城乡居民收入继续提高，市场供应充足。", "科技教育文化事业取得新的进步。",
        "对外贸易扩大，国际交往增多。", "生态环境有所改善，社会保持稳定。", "财政收入增加，金融运行平稳。"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Six reports of 2000–2005: 各位代表 opens every one, 新质生产力 is said
    three times a report in 2004 and 2005 only."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, year in enumerate(range(2000, 2006)):
            text = "各位代表：" + FILL[i] + FILL[(i + 1) % 6]
            if year >= 2004:
                text += "要推动新质生产力，发展新质生产力，培育新质生产力。"
            fh.write(json.dumps({"title": f"报告{year}", "year": str(year), "content": text}, ensure_ascii=False) + "\n")
    return path, build_reference([path])


def test_tiny_profile_has_exact_statistics(tiny):
    path, ref = tiny
    assert ref.documents == 6
    assert ref.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sorted(ref.phrases) == ["各位", "各位代表", "收入", "新质生产力", "生产"]
    assert ref.get("各位代表") == ReferencePhrase("各位代表", 6, 6, 6, 2000, 2005, 0.0287, 0.5319, 0.0, 1.0)
    # 推动新质生产力 of three: a two-character verb before one occurrence in three
    assert ref.get("新质生产力") == ReferencePhrase("新质生产力", 6, 2, 2, 2004, 2005, 0.8023, 0.5319, 0.33, 1.0)
    assert ref.get("新质生产力").excess == 0.2704
    assert ref.get("推动") is None


def test_flat_phrase_weighs_less_than_a_bursty_one(tiny):
    _, ref = tiny
    assert reference_signals("各位代表", ref) == (Signal("reference flat 2000–2005 in 6 of 6 reports", 0.41),)
    assert reference_signals("新质生产力", ref) == (Signal("reference flat 2004–2005 in 2 of 6 reports", 0.79),)
    assert reference_signals("全县上下", ref) == ()


def test_written_profile_reads_back_the_same_and_byte_for_byte(tiny, tmp_path):
    _, ref = tiny
    write_reference(ref, tmp_path / "a.tsv.gz")
    write_reference(ref, tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    back = read_reference(tmp_path / "a.tsv.gz")
    assert back == Reference(1, ref.checksum, 6, back.phrases) and back.phrases == ref.phrases


def test_unreadable_profiles_are_one_line_errors(tmp_path):
    missing = tmp_path / "none.tsv.gz"
    with pytest.raises(InputError, match=r"none\.tsv\.gz: not a readable reference profile \(FileNotFoundError\)"):
        read_reference(missing)
    plain = tmp_path / "plain.tsv.gz"
    plain.write_text("phrase\ttotal\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"plain\.tsv\.gz: not a readable reference profile \(BadGzipFile\)"):
        read_reference(plain)
    damaged = tmp_path / "damaged.tsv.gz"
    data = REFERENCE_FILE.read_bytes()
    damaged.write_bytes(data[:1000] + bytes(b ^ 0x55 for b in data[1000:1100]) + data[1100:])
    with pytest.raises(InputError, match=r"damaged\.tsv\.gz: not a readable reference profile \(damaged compressed data\)"):
        read_reference(damaged)
    other = tmp_path / "other.tsv.gz"
    other.write_bytes(gzip.compress(b"# miner reference profile, version 9\n# corpus sha256 00, 1 documents\n"
                                    b"phrase\ttotal\tdocuments\tyears\tfirst_year\tlast_year\tconcentration\tchance\t"
                                    b"object\tclause_end\n"))
    with pytest.raises(InputError, match="other.tsv.gz: reference profile version 9, this miner reads version 1"):
        read_reference(other)
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(gzip.compress(b"# miner reference profile, version 1\n# corpus sha256 00, 1 documents\n"
                                  b"phrase\ttotal\tdocuments\tyears\tfirst_year\tlast_year\tconcentration\tchance\t"
                                  b"object\tclause_end\n\xe8\xaf\x8d\tmany\t1\t1\t2000\t2000\t0\t0\t0\t0\n"))
    with pytest.raises(InputError, match="bad.tsv.gz: a malformed line in the reference profile"):
        read_reference(bad)


def test_build_script_evaluating_a_damaged_profile_says_so_in_one_line(tmp_path):
    corpus, damaged = tmp_path / "reports.jsonl", tmp_path / "damaged.tsv.gz"
    corpus.write_text('{"content": "各位代表"}\n', encoding="utf-8")
    damaged.write_bytes(b"not gzip")
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_reference.py"
    done = subprocess.run([sys.executable, str(script), "--evaluate", "--corpus", str(corpus), "--out", str(damaged)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"Error: {damaged}: not a readable reference profile (BadGzipFile)\n"


def test_bundled_profile_is_small_and_of_the_national_reports():
    assert REFERENCE_FILE.stat().st_size < 1_000_000
    ref = load_reference()
    assert load_reference() is ref  # read once
    assert (ref.version, ref.documents, len(ref.phrases)) == (1, 72, 38582)
    if GOV_REPORTS.exists():
        assert ref.checksum == hashlib.sha256(GOV_REPORTS.read_bytes()).hexdigest()
    p = ref.get("各位代表")
    assert (p.total, p.documents, p.first_year, p.last_year, p.concentration) == (276, 51, 1954, 2025, 0.1619)
    assert ref.get("高质量发展").first_year == 2018


def test_bundled_profile_orders_flat_report_language_below_formulas_of_a_period():
    factors = {g: math.prod(s.factor for s in reference_signals(g)) for g in ("各位代表", "改革开放", "高质量发展")}
    assert factors["各位代表"] < 1 < factors["改革开放"] < factors["高质量发展"]
    assert reference_signals("各位代表")[0].words == "reference flat 1954–2025 in 51 of 72 reports"


@given(st.integers(2, 60))
def test_one_occurrence_by_chance_is_as_concentrated_as_one_year_of_k(k):
    assert chance_concentration(1, [1.0] * k) == round(math.log(k), 4)


@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=12), st.integers(1, 40))
def test_chance_concentration_is_between_zero_and_the_rarest_year(shares, n):
    value = chance_concentration(n, shares, draws=20)
    assert 0.0 <= value <= math.log(sum(shares) / min(shares)) + 1e-4


@given(st.floats(0, 5), st.floats(0, 5), st.floats(0, 3))
def test_factor_is_bounded_and_grows_with_the_excess(low, high, chance):
    low, high = sorted((low, high))

    def factor(concentration):
        p = ReferencePhrase("词语", 10, 5, 5, 2000, 2010, concentration, chance, 0.0, 0.0)
        (signal,) = reference_signals("词语", Reference(1, "", 72, {"词语": p}))
        return signal.factor

    assert 0.3 <= factor(low) <= factor(high) <= 2.5
