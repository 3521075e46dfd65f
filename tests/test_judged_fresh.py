"""The fresh judged sample is well formed and shares no type with the first sample."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_fresh_sample_is_well_formed_and_new():
    fresh = _rows("judged_fresh.tsv")
    first = {r["phrase"] for r in _rows("judged_sample.tsv")}
    assert list(fresh[0]) == ["phrase", "family", "label", "part", "sources", "note"]
    assert len({r["phrase"] for r in fresh}) == len(fresh) == 238
    assert not {r["phrase"] for r in fresh} & first
    assert {r["part"] for r in fresh} == {"fresh"}
    assert Counter((r["family"], r["label"]) for r in fresh) == {
        ("numbered", "1"): 12, ("numbered", "0"): 26,
        ("quoted", "1"): 100, ("quoted", "0"): 85, ("quoted", "?"): 15,
    }
    assert all(r["note"] for r in fresh if r["label"] != "1")
    assert all(set(r["sources"].split()) <= {"gov", "seeds", "sample"} for r in fresh)
