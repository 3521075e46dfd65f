"""Build the reference profile of political language, or measure what it tells apart.

    python scripts/build_reference.py                 # writes miner/data/reference.tsv.gz
    python scripts/build_reference.py --evaluate      # AUC and top-50 precision on the tuning rows

The profile (:mod:`miner.extract.reference`) is computed from the national government
work reports 1954–2025 (``../shared/corpora/gov_work_reports.jsonl`` next to
the checkout): the formula finder runs over them and every phrase it keeps is
written with its statistics there.  The same corpus gives the same file.

``--evaluate`` runs ``miner formulas`` over the six corpora of
``tests/data/formulas_corpora.tsv`` (its README says how they were cut) and,
for the rows of part ``tune`` only (the held-aside rows are never read), per
corpus the phrase was drawn from, prints:

* ``ref AUC``: how well the reference factor alone ranks the drawn phrases
  labelled 1 above those labelled 0 (a phrase the profile lacks has factor 1),
  and ``ref AUC in profile`` the same among the phrases the profile holds;
* ``AUC`` and ``AUC×ref``: the same for the finder's current score, and for
  the score multiplied by the reference factor;
* ``top50`` and ``top50×ref``: of the 50 best formulas by each score, how
  many judged tuning rows are labelled 1, of how many judged.

The ``early``, ``middle`` and ``late`` corpora are parts of the reference
corpus itself: their figures are in-sample.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from miner.errors import MinerError  # noqa: E402
from miner.extract.formulas import mine_formulas  # noqa: E402
from miner.extract.reference import (REFERENCE_FILE, Reference, build_reference, read_reference,  # noqa: E402
                             reference_signals, write_reference)
from miner.io.tables import read_table  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "gov_work_reports.jsonl"
JUDGED = ROOT / "tests" / "data" / "formulas_corpora.tsv"
CORPORA = ("seeds", "sample", "provinces", "early", "middle", "late")


def era_files(corpus: Path, folder: Path) -> dict[str, Path]:
    """The national reports cut into three eras as ``tests/data/README.md`` does."""
    with corpus.open(encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    prev, eras = None, {"early": [], "middle": [], "late": []}
    for r in recs:
        m = re.search(r"[（(](\d{4})年\d+月\d+日", r["content"][:400])
        y = int(r["year"]) if r["year"] else int(m.group(1)) if m else prev
        prev = r["year"] = y
        eras["early" if y <= 1977 else "middle" if y <= 2002 else "late"].append(r)
    paths = {}
    for name, records in eras.items():
        paths[name] = folder / f"{name}.jsonl"
        with paths[name].open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return paths


def auc(scored: list[tuple[float, int]]) -> float:
    """Probability that a phrase labelled 1 scores above one labelled 0 (ties half).

    >>> auc([(3, 1), (2, 0), (1, 0)]), auc([(1, 1), (1, 0)])
    (1.0, 0.5)
    """
    pos = [s for s, label in scored if label == 1]
    neg = [s for s, label in scored if label == 0]
    if not pos or not neg:
        return math.nan
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def factor(phrase: str, reference: Reference) -> float:
    """The product of the reference's factors for ``phrase`` (1 when it has none)."""
    return math.prod(s.factor for s in reference_signals(phrase, reference))


def evaluate(reference: Reference, *, workers: int = 1, top: int = 50) -> list[dict]:
    """Per corpus, the figures the module docstring describes, on the tuning rows only."""
    with JUDGED.open(encoding="utf-8", newline="") as fh:
        tune = [r for r in csv.DictReader(fh, delimiter="\t") if r["part"] == "tune" and r["label"] in ("0", "1")]
    labels = {r["phrase"]: int(r["label"]) for r in tune}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {"seeds": SHARED / "seeds", "sample": ROOT / "miner" / "data" / "sample",
                  "provinces": ROOT / "tests" / "data" / "provinces.csv", **era_files(CORPUS, Path(tmp))}
        for name in CORPORA:
            out = Path(tmp) / f"out_{name}"
            mine_formulas([inputs[name]], out, workers=workers, formulas={"min_score": 0})  # every candidate scored
            score = {str(r["phrase"]): float(r["score"]) for r in read_table(out / "formulas.csv")}
            scaled = {g: s * factor(g, reference) for g, s in score.items()}
            drawn = [r for r in tune if name in r["corpus"].split(",")]

            def best(scores):
                judged = [labels[g] for g in sorted(scores, key=lambda g: (-scores[g], g))[:top] if g in labels]
                return f"{sum(judged)}/{len(judged)}"

            results.append({
                "corpus": name, "drawn": len(drawn), "1": sum(labels[r["phrase"]] for r in drawn),
                "in profile": sum(r["phrase"] in reference.phrases for r in drawn),
                "ref AUC": auc([(factor(r["phrase"], reference), labels[r["phrase"]]) for r in drawn]),
                "ref AUC in profile": auc([(factor(r["phrase"], reference), labels[r["phrase"]]) for r in drawn
                                           if r["phrase"] in reference.phrases]),
                "AUC": auc([(score.get(r["phrase"], 0.0), labels[r["phrase"]]) for r in drawn]),
                "AUC×ref": auc([(scaled.get(r["phrase"], 0.0), labels[r["phrase"]]) for r in drawn]),
                f"top{top}": best(score), f"top{top}×ref": best(scaled),
            })
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the national reports (JSON lines)")
    parser.add_argument("--out", type=Path, default=REFERENCE_FILE, help="where to write the profile")
    parser.add_argument("--evaluate", action="store_true", help="measure the bundled profile instead")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"Error: {args.corpus.name}: not found (the shared corpora sit next to the checkout)", file=sys.stderr)
        return 1
    if args.evaluate:
        try:
            reference = read_reference(args.out)
        except MinerError as e:
            print(f"Error: {e}", file=sys.stderr)
            return 1
        rows = evaluate(reference, workers=args.workers)
        columns = list(rows[0])
        print("\t".join(columns))
        for r in rows:
            print("\t".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in r.values()))
        return 0
    reference = build_reference([args.corpus], workers=args.workers)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_reference(reference, args.out)
    print(f"{len(reference.phrases)} phrases from {reference.documents} documents → {args.out.name} "
          f"({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
