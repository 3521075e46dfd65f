"""Run the stages over a corpus: read → normalise → clean → extract → count.

:func:`mine_document` is the per-document function every engine maps over
documents (in this process, in worker processes, or on a Dask cluster); it is
pure and its inputs are picklable.  :func:`run_corpus` streams documents
through it and writes the tables.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .count import PhraseCounts
from .errors import InputError
from .read import Fields, discover, read_file
from .tables import (
    DOCUMENT_COLUMNS,
    MENTION_COLUMNS,
    PHRASE_COLUMNS,
    BY_YEAR_COLUMNS,
    TableWriter,
    document_row,
    mention_row,
    write_table,
)
from .clean import clean_text
from .extract import Extractor
from .lexicon import Lexicon, load_lexicon
from .metadata import find_title, find_year
from .normalize import Normalizer
from .types import DocResult, Document, Mention

__all__ = ["Miner", "mine_document", "run_corpus", "RunSummary", "TABLES"]

SENTENCE_END = re.compile(r"[。！？；!?\n]")
CONTEXT_CHARS = 160


class Miner:
    """Everything one process needs to mine documents: normaliser and extractor.

    Build one per process (it reads jieba's dictionary) and reuse it.

    >>> m = Miner()
    >>> r = m.mine(Document("d1", "d1.txt", "标题: 在2019年大会上的讲话\\n要落实“三去一降一补”任务。"))
    >>> r.document.year, [x.phrase for x in r.mentions]
    (2019, ['三去一降一补'])
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.normalizer = Normalizer()
        self.extractor = Extractor(self.lexicon)

    def mine(self, doc: Document) -> DocResult:
        return mine_document(doc, self)


def mine_document(doc: Document, miner: Miner) -> DocResult:
    """Clean one document, date it, and extract its mentions."""
    if not doc.ok:
        return DocResult(doc, 0, 0, 0)
    normal = miner.normalizer.normalize(doc.text)
    cleaned = clean_text(normal)
    body = cleaned.body
    lines = normal.text.split("\n")
    title = find_title(lines, doc.title)
    year, year_source = (doc.year, doc.year_source) if doc.year else find_year(
        title=title, body=body.text, header=list(cleaned.chrome), source=doc.source
    )
    doc = replace(doc, title=title, year=year, year_source=year_source)
    text = body.text
    if not text.strip():
        doc = replace(doc, status="skipped: nothing left after removing web-page chrome")
        return DocResult(doc, 0, cleaned.stripped_lines, cleaned.stripped_chars)
    breaks = [m.start() for m in SENTENCE_END.finditer(text)]
    newlines = [i for i in breaks if text[i] == "\n"]
    mentions = []
    for span in miner.extractor.extract(text):
        start, end = body.original_span(span.start, span.end)
        sentence = bisect.bisect_left(breaks, span.start)
        s0 = breaks[sentence - 1] + 1 if sentence else 0
        s1 = breaks[sentence] if sentence < len(breaks) else len(text)
        mentions.append(
            Mention(
                doc_id=doc.doc_id,
                year=year,
                phrase=span.phrase,
                surface=doc.text[start:end],
                kind=span.kind,
                rule=span.rule,
                start=start,
                end=end,
                sentence=sentence,
                paragraph=bisect.bisect_left(newlines, span.start),
                context=_context(doc.text, body, s0, s1, span.start, span.end),
            )
        )
    chars = len(text) - text.count("\n")
    return DocResult(doc, chars, cleaned.stripped_lines, cleaned.stripped_chars, tuple(mentions))


def _context(raw: str, body, s0: int, s1: int, a: int, b: int) -> str:
    """The sentence around ``[a, b)`` in original characters, at most ~160 long."""
    half = CONTEXT_CHARS // 2
    s0 = max(s0, a - half)
    s1 = min(s1, b + half)
    start, end = body.original_span(s0, s1)
    return " ".join(raw[start:end].split())


@dataclass
class RunSummary:
    """What :func:`run_corpus` did, and where it wrote the tables."""

    out_dir: Path
    documents: int
    skipped: int
    mentions: int
    phrases: int
    chars: int
    seconds: float
    tables: dict = field(default_factory=dict)


# Tables written row by row as each document is mined: name → (columns, rows of one result).
PER_DOCUMENT_TABLES: dict[str, tuple[tuple[str, ...], Callable[[DocResult], Iterable]]] = {
    "documents.csv": (DOCUMENT_COLUMNS, lambda result: (document_row(result),)),
    "mentions.csv": (MENTION_COLUMNS, lambda result: map(mention_row, result.mentions)),
}
# Tables written once at the end from the counts: name → (columns, rows of the counts).
AGGREGATE_TABLES: dict[str, tuple[tuple[str, ...], Callable[[PhraseCounts], Iterable]]] = {
    "phrases.csv": (PHRASE_COLUMNS, PhraseCounts.phrase_rows),
    "by_year.csv": (BY_YEAR_COLUMNS, PhraseCounts.by_year_rows),
}
TABLES = tuple(PER_DOCUMENT_TABLES) + tuple(AGGREGATE_TABLES)


def run_corpus(
    paths,
    out_dir: str | Path = "outputs",
    *,
    fields: Fields = Fields(),
    miner: Miner | None = None,
    progress: Callable[[int], None] | None = None,
) -> RunSummary:
    """Mine a corpus and write ``documents.csv``, ``mentions.csv``,
    ``phrases.csv`` and ``by_year.csv`` (and ``run.json``) into ``out_dir``.

    Documents stream through one at a time: the two per-document tables are
    written as they go and only the counts are kept in memory.
    """
    started = time.perf_counter()
    files = discover(paths)
    if not files:
        raise InputError(f"no files found in {', '.join(map(str, paths))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    miner = miner or Miner()
    counts = PhraseCounts()
    with contextlib.ExitStack() as stack:
        writers = {
            name: (stack.enter_context(TableWriter(out / name, columns)), rows)
            for name, (columns, rows) in PER_DOCUMENT_TABLES.items()
        }
        for path, name in files:
            for doc in read_file(path, name, fields):
                result = mine_document(doc, miner)
                counts.add(result)
                for writer, rows in writers.values():
                    writer.write_many(rows(result))
            if progress:
                progress(1)
    for name, (columns, rows) in AGGREGATE_TABLES.items():
        write_table(out / name, columns, rows(counts))
    seconds = time.perf_counter() - started
    summary = RunSummary(
        out, counts.documents, counts.skipped, counts.mentions, len(counts.phrases), counts.chars, seconds,
        {name: out / name for name in TABLES},
    )
    (out / "run.json").write_text(
        json.dumps(
            {
                "miner_version": __version__,
                "inputs": [str(p) for p in paths],
                "documents": summary.documents,
                "skipped": summary.skipped,
                "mentions": summary.mentions,
                "phrases": summary.phrases,
                "chars": summary.chars,
                "seconds": round(seconds, 3),
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return summary
