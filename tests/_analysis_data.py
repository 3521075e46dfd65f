"""Hand-written runs for the network, plot, comparison and CLI tests.

The tables are written the way ``miner run`` writes them, from mentions
given here, so the expected counts and scores can be worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

from miner.analysis.count import count_phrases
from miner.io.tables import (
    BY_YEAR_COLUMNS, DOCUMENT_COLUMNS, MENTION_COLUMNS, PHRASE_COLUMNS, document_row, mention_row, write_table,
)
from miner.types import DocResult, Document, Mention

A, B, C, D = "两个率先", "四个全面", "工业服务年", "三去一降一补"
KINDS = {A: "numbered", B: "numbered", C: "quoted", D: "numbered+quoted"}

# (doc_id, year, chars, [(phrase, sentence, paragraph), ...])
SMALL = [
    ("d1", 2001, 10_000, [(A, 0, 0), (A, 0, 0), (B, 0, 0), (A, 1, 0)]),
    ("d2", 2002, 20_000, [(A, 0, 0), (B, 0, 0), (C, 1, 1)]),
    ("d3", 2003, 10_000, [(C, 0, 0), (D, 0, 0)]),
]
# Windows by sentence: (d1,0){A,B} (d1,1){A} (d2,0){A,B} (d2,1){C} (d3,0){C,D}: N = 5.
# Windows by document: d1{A,B} d2{A,B,C} d3{C,D}: N = 3.


def mention_records(docs=SMALL) -> list[Mention]:
    return [
        Mention(doc_id, year, p, p, KINDS[p], "test", 0, len(p), s, para, p)
        for doc_id, year, _, mentions in docs
        for p, s, para in mentions
    ]


def write_run(out: Path, docs=SMALL) -> Path:
    """Write documents.csv, mentions.csv, phrases.csv and by_year.csv for ``docs`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for doc_id, year, chars, mentions in docs:
        ms = tuple(Mention(doc_id, year, p, p, KINDS[p], "test", 0, len(p), s, para, p) for p, s, para in mentions)
        results.append(DocResult(Document(doc_id, f"{doc_id}.txt", year=year), chars, 0, 0, ms))
    counts = count_phrases(results)
    write_table(out / "documents.csv", DOCUMENT_COLUMNS, map(document_row, results))
    write_table(out / "mentions.csv", MENTION_COLUMNS, (mention_row(m) for r in results for m in r.mentions))
    write_table(out / "phrases.csv", PHRASE_COLUMNS, counts.phrase_rows())
    write_table(out / "by_year.csv", BY_YEAR_COLUMNS, counts.by_year_rows())
    return out
