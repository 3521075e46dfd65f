"""Fit how much each factor of the formula score weighs, on the judged tuning rows.

    python scripts/fit_formula_weights.py          # about a minute

The formula finder (:mod:`miner.extract.formulas`) multiplies factors (``log
count``, ``boundaries``, ``cohesion``, ``burstiness``, ``object``, ``clause
end``, ``quantity``, ``cut``) and shape weights (``nominal``, ``word`` …).
Its log is a linear model.  This script runs ``miner formulas`` with every
candidate scored (``min_score 0``) on the national reports, their three eras,
the seed speeches, the bundled sample and ``tests/data/fresh3/``; reads each
candidate's factors back from its ``signals`` (undoing the powers of
:data:`~miner.extract.formulas.EXPONENTS`); and fits a logistic regression of
the labels of the judged tuning rows (``formulas_judged.tsv`` outside
``held_aside``, and the ``tune`` rows of ``formulas_corpora.tsv`` and
``formulas_fresh3.tsv``; held-aside rows are never read) on the logarithms,
with an L2 penalty pulling every weight towards the untuned score (powers
of 1, the shape weights as set).  It prints the fitted powers and weights,
and for the score as it stands, the score with the fitted powers, and a fit
leaving each corpus out, the judged tuning rows labelled 1 among each
corpus's best 50 listed.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_reference import CORPUS, SHARED, era_files  # noqa: E402
from miner.extract.formulas import EXPONENTS, MIN_SCORE, WEIGHTS, held_aside, mine_formulas  # noqa: E402

DATA = ROOT / "tests" / "data"
FACTORS = ("log count", "boundaries", "cohesion", "burstiness", "object", "clause end", "quantity", "cut")
SHAPES = tuple(WEIGHTS)
PENALTY = 10.0  # the L2 penalty's weight, in rows
TOP = 50


def features(signals: str) -> np.ndarray:
    """The logarithms of the raw factors (powers undone) and a 0/1 for each shape of ``signals``.

    >>> features("log count 2.00 × object 2.25 × nominal 0.70")[[0, 4]].round(3).tolist()
    [0.693, 0.541]
    """
    named = {}
    for part in signals.split(" × "):
        name, _, value = part.rpartition(" ")
        named["frame" if name.startswith("frame") else name] = float(value)
    raw = [math.log(named.get(f, 1.0)) / EXPONENTS.get(f, 1.0) for f in FACTORS]
    return np.array(raw + [1.0 if s in named else 0.0 for s in SHAPES])


def untuned() -> np.ndarray:
    """The weights of the score before any power: 1 each, and the log shape weights."""
    return np.array([1.0] * len(FACTORS) + [math.log(WEIGHTS[s]) for s in SHAPES])


def current() -> np.ndarray:
    return np.array([EXPONENTS.get(f, 1.0) for f in FACTORS] + [math.log(WEIGHTS[s]) for s in SHAPES])


def judged_rows() -> dict[str, dict[str, int]]:
    """Corpus → phrase → label, of the tuning rows only."""
    def rows(name):
        with open(DATA / name, encoding="utf-8", newline="") as fh:
            return [r for r in csv.DictReader(fh, delimiter="\t") if r["label"] in ("0", "1")]

    judged: dict[str, dict[str, int]] = {}
    for r in rows("formulas_judged.tsv"):
        if not held_aside(r["phrase"]):
            judged.setdefault("gov", {})[r["phrase"]] = int(r["label"])
    for name in ("formulas_corpora.tsv", "formulas_fresh3.tsv"):
        for r in rows(name):
            if r["part"] == "tune":
                for corpus in r["corpus"].split(","):
                    judged.setdefault(corpus, {})[r["phrase"]] = int(r["label"])
    return judged


def candidates(folder: Path) -> dict[str, list[tuple[str, np.ndarray]]]:
    """Corpus → every scored candidate and its features."""
    inputs = {"gov": CORPUS, **era_files(CORPUS, folder), "seeds": SHARED / "seeds",
              "sample": ROOT / "miner" / "data" / "sample", "fresh3": DATA / "fresh3"}
    found = {}
    for name, path in inputs.items():
        out = folder / f"out-{name}"
        mine_formulas([path], out, workers=1, formulas={"min_score": 0})
        with open(out / "formulas.csv", encoding="utf-8-sig", newline="") as fh:
            found[name] = [(r["phrase"], features(r["signals"])) for r in csv.DictReader(fh) if float(r["score"]) > 0]
    return found


def fit(found: dict, judged: dict, names: list[str]) -> np.ndarray:
    """Logistic regression with an L2 pull towards :func:`untuned`, by gradient descent."""
    x = np.array([f for n in names for g, f in found[n] if g in judged.get(n, {})])
    y = np.array([judged[n][g] for n in names for g, _ in found[n] if g in judged.get(n, {})], dtype=float)
    prior = untuned()
    w, b = prior.copy(), 0.0
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= 0.5 * (x.T @ (p - y) / len(y) + PENALTY * (w - prior) / len(y))
        b -= 0.5 * float(np.mean(p - y))
    return w


def best(found: dict, judged: dict, name: str, w: np.ndarray) -> str:
    """Judged tuning rows labelled 1 among the best :data:`TOP` listed by ``w``, of those judged."""
    scored = sorted((-(float(w @ f)), g) for g, f in found[name]
                    if float(w @ f) - w[0] * f[0] >= math.log(MIN_SCORE))
    labels = [judged.get(name, {}).get(g) for _, g in scored[:TOP]]
    seen = [v for v in labels if v is not None]
    return f"{sum(seen)}/{len(seen)}"


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    if not CORPUS.exists():
        print(f"Error: {CORPUS.name}: not found (the shared corpora sit next to the checkout)", file=sys.stderr)
        return 1
    judged = judged_rows()
    with tempfile.TemporaryDirectory() as tmp:
        found = candidates(Path(tmp))
    names = list(found)
    w = fit(found, judged, names)
    print("fitted: " + ", ".join(f"{k} {v:.2f}" for k, v in zip(FACTORS, w)) + "; "
          + ", ".join(f"{k} {math.exp(v):.2f}" for k, v in zip(SHAPES, w[len(FACTORS):])))
    fitted_powers = np.concatenate([w[: len(FACTORS)], current()[len(FACTORS):]])
    print("corpus\tas it stands\tfitted powers\tfit without the corpus")
    for name in names:
        apart = fit(found, judged, [n for n in names if n != name])
        print(f"{name}\t{best(found, judged, name, current())}\t{best(found, judged, name, fitted_powers)}"
              f"\t{best(found, judged, name, apart)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
