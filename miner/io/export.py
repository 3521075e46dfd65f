"""Offer the mined slogans to other tools as a jieba user dictionary.

jieba keeps only about half of the well-known numbered slogans as one word
(三去一降一补 comes out as 三去/一/降/一补).  :func:`export_dict` writes the
phrases of a run (and its formulas, if ``miner formulas`` was run) as a user
dictionary, one ``word freq tag`` line each, for ``jieba.load_userdict`` or
any tool that reads the format.

Each frequency is the smallest that makes jieba keep the phrase whole: the
one ``jieba.Tokenizer.suggest_freq(word, tune=False)`` computes, found here
from jieba's dictionary file without importing jieba (whose import sets up a
logger and whose tokenizer builds a prefix dictionary of 350,000 words).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ..errors import EmptyResultError
from .tables import read_table

__all__ = ["export_dict", "dictionary_phrases", "suggest_freqs", "DEFAULT_TAG"]

DEFAULT_TAG = "nz"
# What jieba cuts as one run (its re_han_default): a word outside it never matches.
JIEBA_WORD = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
MIN_FREQ = 3


def dictionary_phrases(table_dir: str | Path, *, min_count: int = 2, formulas: int = 50) -> dict[str, int]:
    """The phrases of a run worth a dictionary entry, with their totals.

    Numbered and quoted phrases mentioned at least ``min_count`` times, and
    the best ``formulas`` formulas of ``formulas.csv`` when it exists (they
    are ranked by score, and the lower ones are less often real formulas);
    phrases jieba cannot match as one word (with punctuation, masks or
    spaces in them, or of one character) are left out.
    """
    table_dir = Path(table_dir)
    rows = list(read_table(table_dir / "phrases.csv", ("phrase", "total")))
    if formulas and (table_dir / "formulas.csv").exists():
        ranked = sorted(read_table(table_dir / "formulas.csv", ("phrase", "total", "score")),
                        key=lambda r: (-float(r["score"]), r["phrase"]))
        rows += ranked[:formulas]
    found: dict[str, int] = {}
    for row in rows:
        phrase = row["phrase"]
        if row["total"] >= min_count and len(phrase) >= 2 and JIEBA_WORD.match(phrase):
            found[phrase] = max(found.get(phrase, 0), row["total"])
    return found


def suggest_freqs(words, dictionary: str | Path | None = None) -> dict[str, int]:
    """For each word, the frequency that makes jieba keep it whole.

    It is what jieba's ``suggest_freq(word, tune=False)`` returns: one more
    than the dictionary total times the probability of the way jieba would
    cut the word without it (HMM off), and never less than the word's own
    frequency.

    >>> import tempfile, os
    >>> d = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
    >>> _ = d.write("三 600 m\\n去 300 v\\n一 800 m\\n降 100 v\\n补 200 v\\n")
    >>> d.close()
    >>> suggest_freqs(["三去一降一补"], d.name)  # 2000 × 0.3 × 0.15 × 0.4 × 0.05 × 0.4 × 0.1
    {'三去一降一补': 1}
    >>> os.unlink(d.name)
    """
    from ..extract.lexicon import iter_jieba_dictionary

    words = list(dict.fromkeys(words))
    pieces = {w[i:j] for w in words for i in range(len(w)) for j in range(i + 1, len(w) + 1)}
    freq: dict[str, int] = {}
    total = 0
    for word, n, _ in iter_jieba_dictionary(dictionary):
        total += n
        if word in pieces:
            freq[word] = n
    log_total = math.log(total)
    out = {}
    for word in words:
        # jieba's route: the most probable cut into dictionary words, an
        # unknown character counting as a word of frequency 1.
        n = len(word)
        route = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            ends = [j for j in range(i + 1, n + 1) if freq.get(word[i:j])] or [i + 1]
            route[i] = max((math.log(freq.get(word[i:j]) or 1) - log_total + route[j][0], j) for j in ends)
        probability, i = 1.0, 0
        while i < n:
            j = route[i][1]
            probability *= (freq.get(word[i:j]) or 1) / total
            i = j
        out[word] = max(int(probability * total) + 1, freq.get(word, 1))
    return out


def export_dict(table_dir: str | Path, path: str | Path, *, min_count: int = 2, tag: str = DEFAULT_TAG,
                formulas: int = 50) -> int:
    """Write the phrases of a run as a jieba user dictionary; return how many.

    Args:
        table_dir: The folder ``miner run`` wrote its tables to.
        path: The dictionary file to write (UTF-8, ``word freq tag`` lines).
        min_count: Fewest mentions of a phrase to include it.
        tag: The part-of-speech tag of every entry (``nz``: other proper noun).
        formulas: How many of the best formulas of ``formulas.csv`` to include, if it exists.
    """
    phrases = dictionary_phrases(table_dir, min_count=min_count, formulas=formulas)
    if not phrases:
        raise EmptyResultError(f"no phrase of {Path(table_dir)} is mentioned {min_count} times or more; "
                               "try a lower --min-count")
    freqs = suggest_freqs(phrases)
    lines = [f"{p} {max(freqs[p], phrases[p], MIN_FREQ)} {tag}" for p in sorted(phrases, key=lambda p: (-phrases[p], p))]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)
