"""Run the stages over a corpus: read → normalise → clean → extract → count.

:func:`mine_document` is the per-document function every engine maps over
documents (in this process, in worker processes, or on a Dask cluster; see
:mod:`miner.engines`); it is pure and its inputs are picklable.
:func:`run_corpus` streams documents through it and writes the tables, and
keeps what it mined next to them (:mod:`miner.io.state`) so that the next run
over a grown corpus mines only the new and changed documents.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import functools
import hashlib
import itertools
import json
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from .analysis.count import PhraseCounts
from .engines import FileTask, is_url, list_inputs, map_documents, map_files, read_input
from .extract.formulas import FormulaRanking, FormulaStage, formula_text
from .errors import InputError
from .io.read import DecodeError, Fields, decode_bytes, passed_over
from .io.tables import (
    TEXT_COLUMNS,
    TEXTS,
    DOCUMENT_STREAM_COLUMNS,
    MENTION_COLUMNS,
    PHRASE_COLUMNS,
    BY_YEAR_COLUMNS,
    TableWriter,
    document_stream_row,
    mention_row,
    read_table,
    write_table,
    write_documents,
)
from .preprocess.clean import Cleaned, clean_text
from .extract.define import DEFINITION_COLUMNS, define_document, definition_row
from .extract.dictionary import DICTIONARY_COLUMNS, dictionary_rows
from .extract.core import APART, Extractor, Span
from .extract.lexicon import NUMERALS, Lexicon, load_lexicon, trie_pattern
from .preprocess.metadata import find_title, find_year
from .preprocess.normalize import INVISIBLE, Normalizer, canonical_phrase
from .extract.patterns import PATTERN_COLUMNS, PATTERN_YEAR_COLUMNS, pattern_rows, pattern_year_rows
from .io.publish import Staging, output_lock, recover, remove_stale_staging
from .io.state import INDEX as STATE_INDEX, STATE_DIR, RunState, code_fingerprint, document_key
from .types import DocResult, Document, Mention

__all__ = ["Miner", "read_phrase_list", "subset_run", "selected_run", "mine_document", "prepare_document", "body_chars",
           "as_written", "run_corpus", "RunSummary", "TABLES"]

SENTENCE_END = re.compile(r"[。！？；!?\n]")
# A document longer than this is mined in windows (see mine_document), each
# read with this much of its neighbours: more than any mention, quote or
# context needs to be found whole.
WINDOW_CHARS = 1_000_000
WINDOW_OVERLAP = 2_000
NUMBERED_HINT = re.compile(f"^[{NUMERALS}0-9]")  # a listed slogan that starts with a number: 三大攻坚战, 1+1+9
LISTED = "listed"  # the kind of a slogan found only because --slogans lists it
CONTEXT_CHARS = 160


class Miner:
    """Everything one process needs to mine documents: normaliser and extractor.

    Build one per process (it reads jieba's dictionary) and reuse it.

    >>> m = Miner()
    >>> r = m.mine(Document("d1", "d1.txt", "标题: 在2019年大会上的讲话\\n要落实“三去一降一补”任务。"))
    >>> r.document.year, [x.phrase for x in r.mentions]
    (2019, ['三去一降一补'])
    """

    def __init__(self, lexicon: Lexicon | None = None, *, formulas: bool = False, slogans: Iterable[str] = (),
                 exclude: Iterable[str] = ()) -> None:
        self.custom_lexicon = lexicon is not None
        self.formulas = formulas  # keep the text formulas are found in (miner.extract.formulas)
        # A run with formulas on Dask: the budget of the sample of those texts
        # each worker makes of the files it mines (see miner.engines.FileResult).
        self.formula_sample: int | None = None
        self.lexicon = lexicon or load_lexicon()
        self.normalizer = Normalizer()
        # Users' own lists (``--slogans``, ``--exclude``), in the canonical form
        # phrases are counted in, so either script matches.
        canon = [canonical_phrase(p, self.normalizer) for p in slogans]
        self.slogans = frozenset(p for p in canon if p)
        self.exclude = frozenset(p for p in (canonical_phrase(p, self.normalizer) for p in exclude) if p)
        # A listed slogan that starts with a number is one more known numbered
        # slogan; any other (成渝地区双城经济圈) is found wherever it is
        # written, as kind ``listed``.
        numbered = {p for p in self.slogans if NUMBERED_HINT.search(p)}
        if numbered:
            self.lexicon = replace(self.lexicon, known=self.lexicon.known | numbered)
        listed = self.slogans - numbered
        self._listed = re.compile(trie_pattern(sorted(listed))) if listed else None
        self.extractor = Extractor(self.lexicon)

    def mine(self, doc: Document) -> DocResult:
        return mine_document(doc, self)

    def fingerprint(self) -> str:
        """What, besides the code, decides this miner's results: ``""`` for the
        bundled word lists, else a hash of the lexicon it was given."""
        if not self.custom_lexicon and not self.slogans and not self.exclude:
            return ""
        digest = hashlib.blake2b(digest_size=16)
        parts = (sorted(self.lexicon.words), sorted(self.lexicon.tags.items()), sorted(self.lexicon.known))
        for part in (parts if self.custom_lexicon else ()) + (sorted(self.slogans), sorted(self.exclude)):
            digest.update(repr(part).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def own_lists(self, text: str, spans: list) -> list:
        """``spans`` without the excluded phrases, with the listed slogans
        found where no other mention is.

        >>> m = Miner(slogans=["放管服改革", "三大攻坚战"], exclude=["四个全面"])
        >>> [(s.phrase, s.kind) for s in m.own_lists("深化放管服改革，落实四个全面。", m.extractor.extract("深化放管服改革，落实四个全面。"))]
        [('放管服改革', 'listed')]
        """
        if self.exclude:
            spans = [s for s in spans if s.phrase not in self.exclude]
        if not self._listed:
            return spans
        taken = sorted((s.start, s.end) for s in spans)
        starts = [a for a, _ in taken]
        reach = list(itertools.accumulate((b for _, b in taken), max))  # furthest end among spans starting before
        extra = []
        for m in self._listed.finditer(text):
            i = bisect.bisect_left(starts, m.end())  # spans starting before the match ends
            if i and reach[i - 1] > m.start():
                continue  # inside or across another mention
            if m.group() not in self.exclude:
                extra.append(Span(m.start(), m.end(), m.group(), LISTED, "user", 1.0, ("listed",)))
        return sorted(spans + extra, key=lambda s: (s.start, -s.end)) if extra else spans


def read_phrase_list(path: str | Path) -> list[str]:
    """The phrases of a list file (``--slogans``, ``--exclude``): one a line,
    in any encoding miner reads, blank lines and ``#`` comments left out.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "own.txt"
    >>> _ = f.write_text("# mine\\n放管服改革\\n\\n 兩個率先 \\n", encoding="utf-8")
    >>> read_phrase_list(f)
    ['放管服改革', '兩個率先']
    """
    try:
        text, _ = decode_bytes(Path(path).read_bytes())
    except (OSError, DecodeError) as exc:
        raise InputError(f"{path}: cannot read the list ({getattr(exc, 'strerror', None) or exc}); "
                         "give a text file with one phrase a line") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def prepare_document(doc: Document, miner: Miner) -> tuple[Document, Cleaned]:
    """Normalise and clean one readable document, and give it a title and year."""
    normal = miner.normalizer.normalize(doc.text)
    title = find_title(normal.text.split("\n"), doc.title)
    cleaned = clean_text(normal, title=miner.normalizer.normalize(title).text, title_given=bool(doc.title.strip()))
    year, year_source = (doc.year, doc.year_source) if doc.year else find_year(
        title=title, body=cleaned.body.text, header=list(cleaned.chrome), source=doc.source
    )
    return replace(doc, title=title, year=year, year_source=year_source), cleaned


def body_chars(text: str) -> int:
    """The characters of a cleaned body that rates are counted per (line breaks left out)."""
    return len(text) - text.count("\n")


def _nothing_left(doc: Document) -> str:
    """The status of a document the cleaning left empty: the reason, and
    that its text looked garbled when it did (Shift-JIS read as GB18030)."""
    garbled = next((w for w in doc.warning.split("; ") if "look garbled" in w), "")
    return "skipped: nothing left after removing web-page chrome" + (f" ({garbled})" if garbled else "")


def mine_document(doc: Document, miner: Miner, *, window: int = WINDOW_CHARS) -> DocResult:
    """Clean one document, date it, and extract its mentions.

    A document longer than ``window`` characters is mined in windows of about
    that many characters, cut after a line break or a sentence where it can
    be, each read with :data:`WINDOW_OVERLAP` characters of the next and the
    last, so that memory stays bounded however long one document is (a
    scraped page of 200 MB on one line).  Each mention is taken from the
    window its start belongs to, so one across a window's edge is found
    once; offsets, sentence and paragraph numbers count from the start of
    the document.  The title and year are those of the first window.

    >>> m = Miner()
    >>> doc = Document("d", "d.txt", "2019年讲话\\n要落实“三去一降一补”。\\n坚持“两个率先”。" * 3)
    >>> whole, parts = mine_document(doc, m), mine_document(doc, m, window=30)
    >>> [(x.phrase, x.start, x.sentence) for x in parts.mentions] == [(x.phrase, x.start, x.sentence) for x in whole.mentions]
    True
    """
    if not doc.ok or len(doc.text) <= window:
        return _mine_whole(doc, miner)
    return _mine_in_windows(doc, miner, window)


def _mine_in_windows(doc: Document, miner: Miner, window: int) -> DocResult:
    text = doc.text
    mentions: list[Mention] = []
    definitions: list = []
    formulas: list[str] = []
    bodies: list[str] = []  # each window's own part of the cleaned text
    chars = stripped_lines = stripped_chars = sentences = paragraphs = 0
    dated = None  # the document with the first window's title and year
    for ma, a, b, mb in _windows(text, window, WINDOW_OVERLAP):
        own = {"a": a - ma, "b": b - ma}
        # Every window is the document as read (a title given with it is cleaned
        # away, one found in the text is not); the first window's title and year count.
        result = _mine_whole(replace(doc, text=text[ma:mb]), miner, own)
        if dated is None:
            first = result.document
            dated = replace(doc, title=first.title, year=first.year, year_source=first.year_source)
        stripped_lines += result.stripped_lines
        stripped_chars += result.stripped_chars
        if "chars" not in own:
            continue  # nothing left of this window after cleaning
        chars += own["chars"]
        bodies.append(result.body)
        for m in result.mentions:
            mentions.append(replace(
                m, year=dated.year, start=m.start + ma, end=m.end + ma,
                sentence=sentences + m.sentence - own["sentences_before"],
                paragraph=paragraphs + m.paragraph - own["paragraphs_before"],
            ))
        definitions.extend(
            replace(d, year=dated.year, start=d.start + ma, end=d.end + ma)
            for d in result.definitions if own["a"] <= d.start < own["b"]
        )
        if result.formula_text:
            formulas.append(result.formula_text)
        sentences += own["sentences"]
        paragraphs += own["paragraphs"]
    if not chars:
        dated = replace(dated, status=_nothing_left(dated))
    return DocResult(dated, chars, stripped_lines, stripped_chars, tuple(mentions), tuple(definitions),
                     "\n".join(formulas), body="".join(bodies))


def _windows(text: str, size: int, overlap: int) -> Iterator[tuple[int, int, int, int]]:
    """``(read_from, own_start, own_end, read_to)`` of each window of ``text``:
    the own parts follow each other; each is read with up to about
    ``overlap`` characters before and after it, out to whole lines where the
    lines are short enough."""
    n = len(text)
    a = 0
    while a < n:
        b = n if n - a <= size else _cut(text, a + size // 2, a + size)
        lo, hi = max(0, a - overlap), min(n, b + overlap)
        before = text.rfind("\n", max(0, lo - overlap), lo) if lo else -1
        after = text.find("\n", hi, min(n, hi + overlap)) if hi < n else -1
        yield (before + 1 if before >= 0 else lo), a, b, (after + 1 if after >= 0 else hi)
        a = b


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end a window in ``[lo, hi]``: after the last line break, else
    after the last sentence, else at ``hi``."""
    at = text.rfind("\n", lo, hi)
    if at < 0:
        at = max(text.rfind(c, lo, hi) for c in "。！？；!?")
    return at + 1 if at >= 0 else hi


def _own_part(spans: list, body, breaks: list[int], newlines: list[int], own: dict) -> list:
    """The spans of a window's own part (original ``[own["a"], own["b"])``),
    noting in ``own`` the sentence and paragraph breaks before and inside it
    and its characters."""
    size = len(body.text)
    first = bisect.bisect_left(range(size), own["a"], key=lambda i: body.char_span(i)[0])
    last = bisect.bisect_left(range(size), own["b"], key=lambda i: body.char_span(i)[0])
    s0, p0 = bisect.bisect_left(breaks, first), bisect.bisect_left(newlines, first)
    own.update(
        sentences_before=s0, sentences=bisect.bisect_left(breaks, last) - s0,
        paragraphs_before=p0, paragraphs=bisect.bisect_left(newlines, last) - p0,
        chars=body_chars(body.text[first:last]), first=first, last=last,
    )
    return [s for s in spans if first <= s.start < last]


def _mine_whole(doc: Document, miner: Miner, own: dict | None = None) -> DocResult:
    """Mine one document (or, with ``own``, one window of it: see :func:`_own_part`)."""
    if not doc.ok:
        return DocResult(doc, 0, 0, 0)
    doc, cleaned = prepare_document(doc, miner)
    body = cleaned.body
    year = doc.year
    text = body.text
    if not text.strip():
        doc = replace(doc, status=_nothing_left(doc))
        return DocResult(doc, 0, cleaned.stripped_lines, cleaned.stripped_chars)
    breaks = [m.start() for m in SENTENCE_END.finditer(text)]
    newlines = _newlines(text)
    mentions = []
    spans = miner.own_lists(text, miner.extractor.extract(text))
    if own is not None:
        spans = _own_part(spans, body, breaks, newlines, own)
    for span in spans:
        start, end = body.original_span(span.start, span.end)
        sentence = bisect.bisect_left(breaks, span.start)
        s0 = breaks[sentence - 1] + 1 if sentence else 0
        s1 = breaks[sentence] if sentence < len(breaks) else len(text)
        mentions.append(
            Mention(
                doc_id=doc.doc_id,
                year=year,
                phrase=span.phrase,
                surface=as_written(doc.text, body, span.start, span.end),
                kind=span.kind,
                rule=span.rule,
                start=start,
                end=end,
                sentence=sentence,
                paragraph=bisect.bisect_left(newlines, span.start),
                context=_context(doc.text, body, s0, s1, span.start, span.end),
                score=span.score,
                evidence=span.evidence,
            )
        )
    return DocResult(doc, body_chars(text), cleaned.stripped_lines, cleaned.stripped_chars, tuple(mentions),
                     define_document(doc, body, [s for s in spans if s.rule != APART]),
                     formula_text(text, spans) if miner.formulas else "",
                     body=original_body(doc.text, body, *((own["first"], own["last"]) if own else (0, None))))


def _newlines(text: str) -> list[int]:
    """Where the line breaks of ``text`` are (found by ``str.find``, which
    skips to them faster than a look at every sentence end).

    >>> _newlines("一。\\n二\\n\\n三")
    [2, 4, 5]
    """
    found = []
    at = text.find("\n")
    while at >= 0:
        found.append(at)
        at = text.find("\n", at + 1)
    return found


def original_body(raw: str, body, start: int = 0, end: int | None = None) -> str:
    """The cleaned text in the characters it was written in: each line of
    the cleaned ``body`` (or of its part ``[start, end)``) taken from the
    original ``raw`` text.

    >>> m = Miner()
    >>> doc, cleaned = prepare_document(Document("d", "d.txt", "兩個率先  \\n\\n責任編輯：王明\\n堅持「四個全面」"), m)
    >>> original_body(doc.text, cleaned.body)
    '兩個率先\\n堅持「四個全面」'
    """
    lines, at = [], start
    for line in body.text[start:end].split("\n"):
        stop = at + len(line)
        lines.append(" ".join(as_written(raw, body, at, stop).split()) if stop > at else "")
        at = stop + 1
    return "\n".join(lines)


def as_written(raw: str, body, start: int, end: int) -> str:
    """The cleaned text ``body.text[start:end]`` in the characters of the
    original ``raw``, without the page chrome cleaning cut out of it (pinyin
    readings, watermarks): the words on either side join again.  What the
    normaliser alone left out (a line break inside a quote, zero-width
    characters) is kept, so that a mention's ``surface`` reads as its context does.

    >>> m = Miner()
    >>> raw = "書(shū)記在新區(qū)開(kāi)發(fā)會上講話"
    >>> doc, cleaned = prepare_document(Document("d", "d.txt", raw), m)
    >>> as_written(doc.text, cleaned.body, 0, len(cleaned.body.text))
    '書記在新區開發會上講話'
    """
    pieces = body.original_pieces(start, end)
    if len(pieces) == 1:
        return raw[pieces[0][0] : pieces[0][1]]
    parts, last = [], None
    for a, b in pieces:
        if last is not None and _FOLDED.fullmatch(raw, last, a):
            parts.append(raw[last:a])
        parts.append(raw[a:b])
        last = b
    return "".join(parts)


# What the normaliser drops (blanks, invisible characters) rather than the cleaner.
_FOLDED = re.compile(rf"[\s{INVISIBLE}]*")


def _context(raw: str, body, s0: int, s1: int, a: int, b: int) -> str:
    """The sentence around ``[a, b)`` in original characters, at most ~160 long,
    without what cleaning cut out of it."""
    half = CONTEXT_CHARS // 2
    s0 = max(s0, a - half)
    s1 = min(s1, b + half)
    return " ".join(as_written(raw, body, s0, s1).split())


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
    reused: int = 0
    mined: int = 0
    formulas: FormulaRanking | None = None  # with formulas: the candidates found and those listed
    passed: tuple = ()  # (name, why) of what the inputs' folders held and were passed over


# Tables written row by row as each document is mined: name → (columns, rows of one result).
# Every engine, and a run that reuses earlier results, gives these functions
# the same results in the same order: results whose document has no text
# (mining has read it), from which the rows must follow.
# documents.csv itself is written at the end from its streamed copy in the
# state folder (DOCUMENT_STREAM), once the fields of every document are known.
DOCUMENT_STREAM = f"{STATE_DIR}/documents.csv"
# The cleaned texts `miner kwic` searches, kept with the state: a rerun copies
# an unchanged file's texts as it copies its rows, and the workbook leaves them out.
TEXT_STREAM = f"{STATE_DIR}/{TEXTS}"
PER_DOCUMENT_TABLES: dict[str, tuple[tuple[str, ...], Callable[[DocResult], Iterable]]] = {
    DOCUMENT_STREAM: (DOCUMENT_STREAM_COLUMNS, lambda result: (document_stream_row(result),)),
    "mentions.csv": (MENTION_COLUMNS, lambda result: map(mention_row, result.mentions)),
    "definitions.csv": (DEFINITION_COLUMNS, lambda result: map(definition_row, result.definitions)),
    TEXT_STREAM: (TEXT_COLUMNS, lambda result: ((result.document.doc_id, result.document.year, result.body),)
                  if result.body else ()),
}
# Tables written once at the end from the counts: name → (columns, rows of the counts).
AGGREGATE_TABLES: dict[str, tuple[tuple[str, ...], Callable[[PhraseCounts], Iterable]]] = {
    "phrases.csv": (PHRASE_COLUMNS, PhraseCounts.phrase_rows),
    "by_year.csv": (BY_YEAR_COLUMNS, PhraseCounts.by_year_rows),
    "patterns.csv": (PATTERN_COLUMNS, pattern_rows),
    "patterns_by_year.csv": (PATTERN_YEAR_COLUMNS, pattern_year_rows),
}
# The slogan dictionary, written last from the counts and definitions.csv.
DICTIONARY_TABLE = "dictionary.csv"
TABLES = (("documents.csv",) + tuple(t for t in PER_DOCUMENT_TABLES if not t.startswith(STATE_DIR))
          + tuple(AGGREGATE_TABLES) + (DICTIONARY_TABLE,))


@dataclass(frozen=True)
class _Kept:
    """Stands in the stream of results for an unchanged file taken over whole."""

    name: str


@dataclass(frozen=True)
class _Counted:
    """Comes in the stream of results before those of a file that Dask
    workers counted: its counts, pickled, for the state (see
    :attr:`~miner.engines.FileResult.counts`)."""

    name: str
    counts: bytes


@dataclass(frozen=True)
class _Sampled:
    """Comes in the stream of results before those of a file whose documents
    a Dask worker sampled for the formulas (see
    :attr:`~miner.engines.FileResult.sample`), which come without their texts."""

    name: str
    sample: object


class _TableSink:
    """Writes results to the per-document tables, counts them, and records
    them in the run's state, file by file."""

    def __init__(self, writers: dict, state: RunState, formulas: FormulaStage | None = None) -> None:
        self.writers = writers
        self.state = state
        self.formulas = formulas
        self.counts = PhraseCounts()
        self._file = None
        self._sample = None  # the formula sample of the file's documents, made where they were mined

    def counted(self, name: str, counts: bytes) -> None:
        """Start file ``name``, counted elsewhere (on Dask workers, whose
        merged counts :attr:`counts` takes at the end): its pickled counts go
        to the state as they are."""
        self._begin(name, counts)

    def sampled(self, name: str, sample) -> None:
        """File ``name``'s documents were sampled for the formulas where they
        were mined: ``sample`` joins the run's, and goes to the state in
        place of their texts, which its results come without."""
        if name != self._file:
            self._begin(name, PhraseCounts())
        self._sample = sample

    def _begin(self, name: str, counts) -> None:
        self._finish()
        self._file, self._start = name, self._positions()
        self._file_counts, self._documents, self._sample = counts, 0, None

    def add(self, name: str, key: bytes, result: DocResult) -> None:
        if name != self._file:
            self._begin(name, PhraseCounts())
        self.state.record(name, key, result)
        if not isinstance(self._file_counts, bytes):
            self._file_counts.add(result)
        if self.formulas and self._sample is None:
            self.formulas.add(result)
        self._documents += 1
        for writer, rows in self.writers.values():
            writer.write_many(rows(result))

    def keep(self, name: str) -> None:
        """Copy an unchanged file's rows from the last tables, and merge its counts."""
        self._finish()
        start = self._positions()
        for table, (writer, _) in self.writers.items():
            writer.copy(*self.state.rows(name, table))
        self.state.keep_file(name, self._ranges(start))
        self.counts.merge(self.state.counts(name))
        if self.formulas:
            sample = self.state.sample(name)
            if sample is not None:
                self.formulas.merge(sample)
            else:
                for _, result in self.state.results(name):
                    self.formulas.add(result)

    def close(self) -> None:
        self._finish()

    def _finish(self) -> None:
        if self._file is not None:
            self.state.finish_file(self._file, self._file_counts, self._ranges(self._start), self._documents,
                                   self._sample)
            if not isinstance(self._file_counts, bytes):
                self.counts.merge(self._file_counts)
            if self._sample is not None:
                self.formulas.merge(self._sample)
            self._file, self._sample = None, None

    def _positions(self) -> dict[str, int]:
        return {table: writer.tell() for table, (writer, _) in self.writers.items()}

    def _ranges(self, start: dict[str, int]) -> dict[str, tuple[int, int]]:
        end = self._positions()
        return {table: (start[table], end[table] - start[table]) for table in start}


def run_corpus(paths, out_dir: str | Path = "outputs", **options) -> RunSummary:
    """Mine a corpus and write the tables of :data:`TABLES` (documents,
    mentions, definitions, phrases, by_year, patterns, the slogan dictionary)
    and ``run.json`` into ``out_dir``.

    Documents stream through one at a time: the per-document tables are
    written as they go and only the counts are kept in memory.  ``engine``,
    ``workers`` and ``scheduler`` choose where documents are mined (see
    :func:`~miner.engines.map_documents`); the tables are the same whichever
    runs.  Unless ``full``, documents mined by the last run into ``out_dir``
    with the same code and options are not mined again: an unchanged file is
    not even decoded, its rows are copied from the last tables and its counts
    merged; in a changed file only new and changed documents are mined.

    One run at a time writes into ``out_dir`` (another raises
    :class:`~miner.errors.BusyError`), and the new tables, ``run.json`` and
    the state replace the last run's all at once, when the run succeeds
    (see :mod:`miner.io.publish`).

    Keyword options: ``fields``, ``miner``, ``progress`` (called with 1 per
    file), ``engine``, ``workers``, ``scheduler``, ``full``, and
    ``formulas``: ``True`` (or a dict of options of
    :class:`~miner.extract.formulas.FormulaStage`) to find and count the formulas
    too, in a second pass over the corpus, and write ``formulas.csv`` and
    ``formulas_by_year.csv``.
    """
    passed: list[tuple[str, str]] = []
    files = list_inputs(paths, out_dir=out_dir, passed=passed)  # never the tables this run writes
    if not files:
        raise InputError(f"no files found in {', '.join(map(str, paths))}"
                         + (f" ({passed_over(passed)})" if passed else ""))
    out = Path(out_dir)
    with output_lock(out):
        recover(out)  # a publication a killed run left half done
        remove_stale_staging(out)
        return _run_corpus(paths, files, out, passed=tuple(passed), **options)


def _run_corpus(
    paths,
    files: list,
    out: Path,
    *,
    fields: Fields = Fields(),
    miner: Miner | None = None,
    progress: Callable[[int], None] | None = None,
    engine: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    full: bool = False,
    formulas: bool | dict = False,
    passed: tuple = (),
) -> RunSummary:
    """:func:`run_corpus`, holding the lock of ``out``; ``passed``: what the
    listing of the inputs passed over (hidden files, earlier runs' tables)."""
    started = time.perf_counter()
    tables = [(name, columns) for name, (columns, _) in PER_DOCUMENT_TABLES.items()]
    stage = FormulaStage(**(formulas if isinstance(formulas, dict) else {})) if formulas else None
    dask = (engine or ("dask" if scheduler else "local")) == "dask"
    # The samples a run with formulas on Dask keeps in the state have its budget.
    fingerprint = "|".join((code_fingerprint(), repr(fields), repr(tables), miner.fingerprint() if miner else "",
                            f"formulas {stage.sample.budget}" if stage else ""))
    if formulas:  # the first pass keeps each document's text for the formulas (see miner.extract.formulas)
        miner = copy.copy(miner) if miner else Miner(formulas=True)
        miner.formulas = True
        # On Dask the texts stay on the workers, each of which samples the files it mines.
        miner.formula_sample = stage.sample.budget if dask else None
    state = RunState.open(out, fingerprint, tables=PER_DOCUMENT_TABLES, full=full)
    origins: deque = deque()  # per item, in order: (file name, document key)
    tally: Counter = Counter()

    def reusable(name: str) -> bool:
        """Whether the documents of a changed file can be taken from the last
        run: not with formulas when its records lack their masked texts (the
        run kept a sample of them instead), nor on Dask with formulas, whose
        workers sample the files they mine and need every document of one."""
        return not stage or (not dask and "sample" not in state.old.get(name, {}))

    def items():
        for path, name in files:
            try:
                size, digest = state.digest(name, path)
            except OSError:
                size, digest = -1, ""  # read_file reports why (a URL has no digest: it is read afresh)
            if not is_url(path) and state.unchanged(name, size, digest) and state.copyable(name):
                origins.append((name, None))
                tally["reused"] += state.documents(name)
                yield _Kept(name)
            else:
                state.add_file(name, size, digest)
                earlier = state.lookup(name) if reusable(name) else {}
                for doc in read_input(path, name, fields):
                    key = document_key(doc)
                    origins.append((name, key))
                    where = earlier.get(key)
                    tally["reused" if where else "mined"] += 1
                    yield state.load(name, where) if where else doc
            if progress:
                progress(1)

    # Tables are written beside the old ones and replace them at the end, all
    # at once, so a run that fails leaves the last run's tables whole.
    staging = Staging(out)
    partial = {name: staging.path(name) for name in (*TABLES, *PER_DOCUMENT_TABLES)}
    try:
        with contextlib.ExitStack() as stack:
            # A table the last run wrote is linked, not written, if its rows all come over unchanged.
            writers = {
                name: (stack.enter_context(TableWriter(partial[name], columns,
                                                       base=out / name if state.rows_ok else None)), rows)
                for name, (columns, rows) in PER_DOCUMENT_TABLES.items()
            }
            sink = _TableSink(writers, state, stage)
            merged: list[PhraseCounts] = []  # counts merged on a Dask cluster, handed over once at the end
            if dask:  # the workers read the files
                stream = _read_on_workers(files, state, origins, tally, progress, fields=fields, miner=miner,
                                          workers=workers, scheduler=scheduler, merged=merged.append,
                                          reusable=reusable)
            else:
                stream = map_documents(items(), engine=engine, workers=workers, scheduler=scheduler, miner=miner)
            mined = stack.enter_context(contextlib.closing(stream))
            for item in mined:
                name, key = origins.popleft()
                if isinstance(item, _Kept):
                    sink.keep(name)
                elif isinstance(item, _Counted):
                    sink.counted(name, item.counts)
                elif isinstance(item, _Sampled):
                    sink.sampled(name, item.sample)
                else:
                    sink.add(name, key, item)
            sink.close()
            for counts in merged:  # this process's own counts (from the last run) into the cluster's
                sink.counts = counts.merge(sink.counts)
            if stage:
                located = functools.partial(_located, files, fields, engine=engine, workers=workers,
                                            scheduler=scheduler)
                stage.locate(located, sink.counts, writers["mentions.csv"][0], miner=miner)
        counts = sink.counts
        write_documents(partial[DOCUMENT_STREAM], partial["documents.csv"])
        for name, (columns, rows) in AGGREGATE_TABLES.items():
            write_table(partial[name], columns, rows(counts))
        write_table(partial[DICTIONARY_TABLE], DICTIONARY_COLUMNS,
                    dictionary_rows(counts, read_table(partial["definitions.csv"])))
        written = {name: out / name for name in TABLES}
        if stage:
            written.update({name: out / name for name in
                            stage.write(staging.path, counts.chars, counts.year_chars, counts.year_docs)})
        seconds = time.perf_counter() - started
        summary = RunSummary(
            out, counts.documents, counts.skipped, counts.mentions, len(counts.phrases), counts.chars, seconds,
            written, tally["reused"], tally["mined"], stage.ranking if stage else None, passed,
        )
        staging.path("run.json").write_text(_run_json(summary, paths), encoding="utf-8")
        state.write_index(staging.path(f"{STATE_DIR}/{STATE_INDEX}"), {t: partial[t] for t in PER_DOCUMENT_TABLES},
                          carried=[t for t, (writer, _) in writers.items() if writer.carried])
        staging.publish()
    except BaseException:
        if not staging.committed:  # else the new set stands: the next run or reader finishes moving it
            state.abandon()
            staging.discard()
        raise
    state.clean()
    return summary


def _read_on_workers(files: list, state: RunState, origins: deque, tally: Counter, progress, **options) -> Iterator:
    """The stream of results :func:`_run_corpus` writes, of files each read
    and mined on a Dask worker (:func:`~miner.engines.map_files`): this
    process opens none of them, and receives no text.  The files the workers
    counted are preceded by :class:`_Counted`, and their counts, merged on
    the cluster, are handed to ``options["merged"]`` at the end; this process
    counts only what it takes from the last run (unchanged files, and the
    reused documents of changed ones, whose whole file it counts).  With
    formulas, a file's results come without their masked texts, preceded by
    :class:`_Sampled`, the sample the worker made of them."""
    earlier: dict[str, dict] = {}

    def tasks():
        for path, name in files:
            earlier[name] = state.lookup(name) if options["reusable"](name) else {}
            yield FileTask(str(path), name, options["fields"], state.last(name), frozenset(earlier[name]))

    for found in map_files(tasks(), workers=options["workers"], scheduler=options["scheduler"],
                           miner=options["miner"], progress=progress, merged=options["merged"]):
        where = earlier.pop(found.name)
        if found.unchanged:
            origins.append((found.name, None))
            tally["reused"] += state.documents(found.name)
            yield _Kept(found.name)
        else:
            state.add_file(found.name, found.size, found.digest)
            if found.counts is not None and found.results:
                origins.append((found.name, None))
                yield _Counted(found.name, found.counts)
            if found.sample is not None:
                origins.append((found.name, None))
                yield _Sampled(found.name, found.sample)
            for key, result in found.results:
                origins.append((found.name, key))
                tally["mined" if result is not None else "reused"] += 1
                yield result if result is not None else state.load(found.name, where[key])
        # Not held while the next file's results are fetched: a large file's are hundreds of megabytes.
        found = result = None


def _located(files: list, fields: Fields, locator, merged: Callable, *, engine: str | None, workers: int | None,
             scheduler: str | None) -> Iterator:
    """The second pass of a run with formulas: each document's result of
    ``locator`` (a :class:`~miner.extract.formulas.FormulaLocator`), in input
    order, and their counts (:class:`~miner.extract.formulas.LocatedCounts`)
    handed to ``merged`` at the end.  On Dask the workers read the files
    again, as in the first pass (see :func:`_read_on_workers`), and count
    them; the counts are merged on the cluster, and the results come without
    them (only their mentions, to write, are needed here).  This process
    then opens no file, and receives one total of the counts."""
    if (engine or ("dask" if scheduler else "local")) == "dask":
        tasks = (FileTask(str(path), name, fields) for path, name in files)
        with contextlib.closing(map_files(tasks, workers=workers, scheduler=scheduler, miner=locator,
                                          merged=merged, state=False)) as found:
            for file in found:
                for _, result in file.results:
                    yield result
        return
    documents = (doc for path, name in files for doc in read_input(path, name, fields))
    counts = locator.new_counts()
    with contextlib.closing(map_documents(documents, engine=engine, workers=workers, scheduler=scheduler,
                                          miner=locator)) as results:
        for result in results:
            counts.add(result)
            yield result
    merged(counts)


def _run_json(summary: RunSummary, paths) -> str:
    return json.dumps(
        {
            "miner_version": __version__,
            "inputs": [str(p) for p in paths],
            "documents": summary.documents,
            "skipped": summary.skipped,
            "mentions": summary.mentions,
            "phrases": summary.phrases,
            "chars": summary.chars,
            "reused": summary.reused,
            "mined": summary.mined,
            "seconds": round(summary.seconds, 3),
            **({"formulas": summary.formulas.as_dict()} if summary.formulas else {}),
            **({"passed_over": [{"name": name, "why": why} for name, why in summary.passed]} if summary.passed else {}),
        },
        ensure_ascii=False,
        indent=2,
    )


def subset_run(table_dir: str | Path, where, dest: str | Path) -> Path:
    """Write the tables of the documents of a run that meet ``where`` (see
    :func:`~miner.analysis.selection.select_documents`) into ``dest``, as if a run had
    mined only them: the per-document tables keep their rows, and the counts,
    templates and the other aggregate tables are made again from the results
    the run saved (``OUT/.miner-state``).  Formulas found by a second pass
    (``--formulas``) are not carried over.

    Raises:
        EmptyResultError: No document meets the conditions.
        TableError: The run's saved state is missing (run ``miner run`` again).
    """
    from .errors import TableError
    from .analysis.selection import selected_ids

    table_dir, dest = Path(table_dir), Path(dest)
    chosen = selected_ids(table_dir, where)
    index_path = table_dir / STATE_DIR / STATE_INDEX
    try:
        fingerprint = json.loads(index_path.read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError):
        raise TableError(f"{index_path}: not found or unreadable; run `miner run CORPUS -o {table_dir}` again") from None
    state = RunState.open(table_dir, fingerprint)
    counts = PhraseCounts()
    paths = {name: dest / name for name in (*TABLES, *PER_DOCUMENT_TABLES)}
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.ExitStack() as stack:
            writers = [(stack.enter_context(TableWriter(paths[name], columns)), rows)
                       for name, (columns, rows) in PER_DOCUMENT_TABLES.items()]
            for name in state.old:
                for _, result in state.results(name):
                    if chosen is None or result.document.doc_id in chosen:
                        counts.add(result)
                        for writer, rows in writers:
                            writer.write_many(rows(result))
    finally:
        state.abandon()
    write_documents(paths[DOCUMENT_STREAM], paths["documents.csv"])
    for name, (columns, rows) in AGGREGATE_TABLES.items():
        write_table(paths[name], columns, rows(counts))
    with contextlib.suppress(OSError):
        (dest / "run.json").write_bytes((table_dir / "run.json").read_bytes())
    return dest


@contextlib.contextmanager
def selected_run(table_dir: str | Path, where=()):
    """The folder of a run, or with ``where`` a temporary one holding the
    tables of the documents meeting it (see :func:`subset_run`), for the
    commands that read a run's tables whole (``patterns``, ``report``)."""
    where = tuple(where)
    if not where:
        yield Path(table_dir)
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="miner-where-") as tmp:
        yield subset_run(table_dir, where, Path(tmp) / (Path(table_dir).resolve().name or "run"))
