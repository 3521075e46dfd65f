"""Find recurring unnumbered formulas from character n-gram statistics.

Besides numbered and quoted slogans, political texts repeat fixed phrases
that carry neither a number nor quotes: 高质量发展, 供给侧结构性改革,
全面建成小康社会, 资产阶级自由化.  No word list knows the new ones, so
:func:`find_formulas` finds them the way new-word discovery does, from the
character n-grams (3–8 characters by default) of the cleaned, normalised
text outside every mined mention:

* **frequency**: at least ``min_count`` occurrences in ``min_docs`` documents;
* **cohesion**: the smallest pointwise mutual information over the ways of
  cutting the phrase in two, ``min log(p(ab) / (p(a) p(b)))``, so that 高质量发展
  holds together while 的发展 does not;
* **boundary entropy**: the entropy of the characters just before and just
  after it (a line or punctuation edge counts as a new character each
  time); a fragment such as 质量发展 is almost always preceded by 高;
* **era concentration**: the Kullback–Leibler divergence of its use by year
  from the corpus's characters by year.  Formulas belong to a period
  (资产阶级自由化 to the late 1980s, 脱贫攻坚 to 2016–2020), while ordinary
  report language (经济社会发展, 人民群众) is spread like the text itself;
* **predicate profile**: a formula names a line or a task — something to be
  done, kept or opposed (维护社会稳定, 乡村振兴, 供给侧结构性改革) — while the
  period-bound terms of administration it is most often confused with are
  names of things (清洁能源, 失业保险, 农业合作社).  The phrase is cut into
  jieba's dictionary words the way jieba does (the most probable cut), and
  it counts as a predicate when it opens with a verb, holds one inside
  (全面建成小康社会) or ends in a verb or verbal noun (发展, 改革); a nominal
  phrase is weighted ``nominal`` (0.7);
* **clause end**: a formula is usually the whole object of its clause
  (推动高质量发展。), a term usually modifies the next noun (失业保险基金), so
  the share ``final`` of its occurrences followed by punctuation or the end
  of a line adds up to 30%.

The score is ``log(total) × min(left, right entropy) × min(cohesion, 8) ×
(0.1 + concentration) × (1 − measure) × (1 + 0.3 final) × (1 or nominal)``,
where ``measure`` is the share of its occurrences followed by a number
(城镇调查失业率为5.2%): a statistic or a budget line is not a formula.
Candidates are dropped when they are a word of jieba's dictionary (发展,
改革开放: jieba already knows them), equal a mined numbered or quoted
phrase, contain a numeral, start or end with a function
character (的, 和, 在 …), open with a verb or adverb of report language
(深入, 加快, 推动 …) or end with a generic head (增长, 企业, 同志 …).  Of two
nested candidates the longer wins when it is nearly as frequent (全面建成小康社会
over 建成小康社会), the shorter when the longer is a rarer extension of it
(高质量发展 over 推动高质量发展).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .count import rate
from .errors import EmptyResultError, InputError
from .extract import Span
from .tables import write_table
from .types import Formula

__all__ = [
    "FORMULA_COLUMNS",
    "FORMULA_YEAR_COLUMNS",
    "FormulaRun",
    "mask_mentions",
    "find_formulas",
    "formula_rows",
    "formula_year_rows",
    "mine_formulas",
    "formula_precision",
]

FORMULA_COLUMNS = (
    "phrase", "kind", "total", "documents", "first_year", "last_year", "per_10k", "score", "cohesion",
    "left_entropy", "right_entropy", "concentration", "years",
)
FORMULA_YEAR_COLUMNS = ("phrase", "year", "count", "documents", "year_documents", "year_chars", "per_10k")
FORMULA = "formula"

CJK_RUN = re.compile(r"[\u3400-\u9fff〇]+")
# A number in digits is kept as one 〇, so that what follows a phrase can be seen to be a quantity.
DIGITS = re.compile(r"\d+(?:\.\d+)?")
SEPARATOR = "\n"
NUMERAL = set("〇零一二三四五六七八九十两百千亿几")
# Characters that end or start a phrase only when it is cut at the wrong place.
EDGE = set("的了和与及在是对把为等并也都将要以其之而或被从向由就还又更很所这那各每该此着过给使让比上中下地")
# Units left at the start of a phrase when the number before them is not Chinese (125元提高到…).
UNIT_START = set("元万亿吨斤亩倍年月日号米次")
# Report language that opens a verb phrase around a formula (推动高质量发展).
GENERIC_START = (
    "深入", "扎实", "积极", "稳步", "大力", "切实", "认真", "进一步", "不断", "继续", "加快", "加强", "提高", "推进",
    "推动", "实施", "实现", "完成", "提前", "坚持", "坚决", "努力", "促进", "着力", "年均", "表示", "我们", "没有",
    "采取", "取得", "启动", "尽可能", "逐步", "持续", "统筹", "有序", "探索", "成功", "决定", "按时", "盲目", "拟",
)
# Heads of measures, units and people rather than of formulas.
GENERIC_END = (
    "同志", "主席", "总理", "当局", "先生", "增长", "以上", "左右", "为指导", "工作", "问题", "方面", "支出", "收入",
    "涨幅", "比重", "总额", "总值", "价格", "部门", "单位", "企业", "地区", "成效",
)
MAX_COHESION = 8.0
# jieba's tags of verbs and verbal nouns: a phrase with one where it counts names an action.
VERB, VERBAL_NOUN = "v", "vn"
# How much more a formula weighs for each occurrence that ends its clause.
CLAUSE_END_WEIGHT = 0.3


@dataclass
class FormulaRun:
    """What :func:`mine_formulas` found and wrote."""

    formulas: list[Formula]
    documents: int
    chars: int
    tables: dict


def mask_mentions(text: str, spans: Iterable[Span]) -> str:
    """``text`` with every mention (and its quotes) blanked out, so that no
    n-gram is counted inside or across a mined phrase.

    >>> mask_mentions("落实“放管服”改革", [Span(3, 6, "放管服", "quoted", "quoted")])
    '落实     改革'
    """
    chars = list(text)
    for s in spans:
        a = s.start - 1 if s.start and text[s.start - 1] == "“" else s.start
        b = s.end + 1 if s.end < len(text) and text[s.end] == "”" else s.end
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _entropy(counter: Counter, edges: int) -> float:
    """Entropy of the neighbours, each of ``edges`` text edges a distinct one."""
    total = sum(counter.values()) + edges
    if not total:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in counter.values())
    return h + (edges / total) * math.log(total) if edges else h


def _segment(phrase: str, dictionary: Mapping[str, tuple[int, str]], log_total: float | None = None) -> list[str]:
    """The most probable cut of ``phrase`` into two or more dictionary words
    (jieba's unigram model; a character it does not know counts once).

    >>> _segment("维护社会稳定", {"维护": (5477, "v"), "社会": (43401, "n"), "稳定": (8439, "a"),
    ...                        "社会稳定": (9, "n")})
    ['维护', '社会', '稳定']
    """
    n = len(phrase)
    if log_total is None:
        log_total = math.log(sum(f for f, _ in dictionary.values()) or 1)
    best: list[tuple[float, int] | None] = [(0.0, 0)] + [None] * n
    for j in range(1, n + 1):
        options = []
        for i in range(max(0, j - 8), j):
            word = phrase[i:j]
            if best[i] is None or j - i == n or (j - i > 1 and word not in dictionary):
                continue
            options.append((best[i][0] + math.log(dictionary.get(word, (1, ""))[0] or 1) - log_total, i))
        best[j] = max(options) if options else None
    words, j = [], n
    while j > 0:
        i = best[j][1]
        words.append(phrase[i:j])
        j = i
    return words[::-1]


def _is_predicate(phrase: str, dictionary: Mapping[str, tuple[int, str]], log_total: float | None = None) -> bool:
    """Whether ``phrase`` names an action: a verb at its start or inside, or
    a verb or verbal noun as its head (see the module docstring).

    >>> d = {"清洁": (1098, "a"), "能源": (2232, "n"), "乡村": (2134, "n"), "振兴": (659, "v")}
    >>> _is_predicate("乡村振兴", d), _is_predicate("清洁能源", d)
    (True, False)
    """
    words = _segment(phrase, dictionary, log_total)
    tags = [dictionary.get(w, (0, ""))[1] for w in words]
    return VERB in tags[:-1] or tags[-1] in (VERB, VERBAL_NOUN)


def _plausible(g: str, words: frozenset) -> bool:
    return not (
        g in words
        or g[0] in EDGE
        or g[0] in UNIT_START
        or g[-1] in EDGE
        or any(c in NUMERAL for c in g)
        or ("和" in g and not re.search("和[平谐睦]", g))
        or g.startswith(GENERIC_START)
        or g.endswith(GENERIC_END)
    )


def find_formulas(
    docs: Iterable[tuple[str, int | None, str]],
    *,
    words: Iterable[str] = (),
    dictionary: Mapping[str, tuple[int, str]] | None = None,
    exclude: Iterable[str] = (),
    min_count: int = 5,
    min_docs: int = 3,
    min_n: int = 3,
    max_n: int = 8,
    min_cohesion: float = 2.0,
    min_entropy: float = 1.2,
    max_measure: float = 0.5,
    nominal: float = 0.7,
    top: int | None = None,
) -> list[Formula]:
    """Rank the recurring fixed phrases of a corpus (see the module docstring).

    Args:
        docs: ``(doc_id, year, text)`` per document; mined mentions already
            blanked out (:func:`mask_mentions`).
        words: Dictionary words, never reported (jieba's, for ``miner formulas``).
        dictionary: Word → ``(frequency, part-of-speech tag)`` (jieba's, for
            ``miner formulas``), to tell predicates from names of things;
            ``None`` weighs every phrase as a predicate.
        exclude: Phrases never reported (the mined numbered and quoted phrases).
        min_count: Fewest occurrences.
        min_docs: Fewest documents it occurs in.
        min_n: Shortest phrase, in characters.
        max_n: Longest phrase, in characters.
        min_cohesion: Smallest cohesion (natural-log PMI of the weakest cut).
        min_entropy: Smallest left and right boundary entropy (nats).
        max_measure: Largest share of occurrences followed by a number.
        nominal: Weight of a phrase that is not a predicate (1: no preference).
        top: Most formulas to return (``None``: all).

    Returns:
        The formulas, best first.

    >>> docs = [(f"d{i}", 2000 + i, f"我们{v}高质量发展，{w}高质量发展。要{v}新质生产力，{w}新质生产力")
    ...         for i, (v, w) in enumerate([("推动", "实现"), ("促进", "坚持"), ("保障", "引领")])]
    >>> sorted(f.phrase for f in find_formulas(docs, min_count=3, min_entropy=1.0))
    ['新质生产力', '高质量发展']
    """
    # One string of all documents' CJK runs, each run followed by a separator,
    # so that an n-gram is a slice without a separator in it.
    pieces, starts, doc_years = [], [], []
    offset = 0
    year_chars: Counter = Counter()
    for doc_id, year, text in docs:
        runs = CJK_RUN.findall(DIGITS.sub("〇", text))
        starts.append(offset)
        doc_years.append((doc_id, year))
        for run in runs:
            pieces.append(run + SEPARATOR)
            offset += len(run) + 1
        if year is not None:
            year_chars[year] += sum(map(len, runs))
    text = "".join(pieces)
    size = len(text) - len(pieces)
    if not size:
        return []
    words, exclude = frozenset(words), frozenset(exclude)
    counts: dict[int, Counter] = {1: Counter(text)}
    del counts[1][SEPARATOR]
    frequent = {g for g, c in counts[1].items() if c >= min_count}
    positions = {1: [i for i, c in enumerate(text) if c in frequent]}
    for n in range(2, max_n + 1):
        # Apriori: an n-gram can only be frequent if its first n-1 characters are.
        at = [i for i in positions[n - 1] if text[i + n - 1] != SEPARATOR]
        if n > 2:
            at = [i for i in at if text[i : i + n - 1] in frequent]
        else:
            at = [i for i in at if text[i + 1] in frequent]
        positions[n] = at
        counts[n] = Counter(text[i : i + n] for i in at)
        frequent = {g for g, c in counts[n].items() if c >= min_count}
        if not frequent:
            break
    cohesion: dict[str, float] = {}
    for n in range(min_n, max_n + 1):
        for g, c in counts.get(n, Counter()).items():
            if c < min_count or g in exclude or not _plausible(g, words):
                continue
            pmi = min(math.log(c * size / (counts[k][g[:k]] * counts[n - k][g[k:]])) for k in range(1, n))
            if pmi >= min_cohesion:
                cohesion[g] = pmi
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    edges: Counter = Counter()
    quantities: Counter = Counter()
    in_docs: dict[str, set] = defaultdict(set)
    by_year: dict[str, Counter] = defaultdict(Counter)
    for n in sorted({len(g) for g in cohesion}):
        for i in positions.get(n, ()):
            g = text[i : i + n]
            if g not in cohesion:
                continue
            before, after = text[i - 1] if i else SEPARATOR, text[i + n]
            if before == SEPARATOR:
                edges[g, "left"] += 1
            else:
                left[g][before] += 1
            if after == SEPARATOR:
                edges[g, "right"] += 1
            else:
                right[g][after] += 1
                if any(c in NUMERAL for c in text[i + n : i + n + 3]):
                    quantities[g] += 1
            doc = bisect.bisect_right(starts, i) - 1
            year = doc_years[doc][1]
            in_docs[g].add(doc)
            if year is not None:
                by_year[g][year] += 1
    dated = sum(year_chars.values())
    log_total = math.log(sum(f for f, _ in dictionary.values()) or 1) if dictionary else 0.0
    found = []
    for g, pmi in cohesion.items():
        total = counts[len(g)][g]
        if len(in_docs[g]) < min_docs:
            continue
        hl, hr = _entropy(left[g], edges[g, "left"]), _entropy(right[g], edges[g, "right"])
        if min(hl, hr) < min_entropy:
            continue
        years = by_year[g]
        used = sum(years.values())
        year_docs = Counter(doc_years[d][1] for d in in_docs[g])
        if len(year_chars) > 1 and used:
            concentration = sum(c / used * math.log((c / used) / (year_chars[y] / dated)) for y, c in years.items())
        else:
            concentration = 0.9  # undated corpora: rank by the other measures alone
        measure = quantities[g] / total  # 城镇调查失业率为5.2%: a statistic, not a formula
        if measure > max_measure:
            continue
        final = edges[g, "right"] / total  # 推动高质量发展。 rather than 失业保险基金
        score = (math.log(total) * min(hl, hr) * min(pmi, MAX_COHESION) * (0.1 + concentration) * (1 - measure)
                 * (1 + CLAUSE_END_WEIGHT * final))
        if dictionary is not None and not _is_predicate(g, dictionary, log_total):
            score *= nominal
        found.append(Formula(
            g, total, len(in_docs[g]), len(years), min(years) if years else None, max(years) if years else None,
            round(pmi, 4), round(hl, 4), round(hr, 4), round(concentration, 4), round(score, 4),
            tuple((y, c, year_docs[y]) for y, c in sorted(years.items())),
        ))
    found.sort(key=lambda f: (-f.score, f.phrase))
    return _drop_nested(found, top)


def _drop_nested(found: list[Formula], top: int | None) -> list[Formula]:
    """Keep one of two nested phrases: the longer when it is nearly as
    frequent, else the shorter; stop at ``top`` phrases."""
    kept: dict[str, Formula] = {}
    for f in found:
        if top is not None and len(kept) >= top:
            break
        g = f.phrase
        inner = (g[i:j] for i in range(len(g)) for j in range(i + 1, len(g) + 1) if j - i < len(g))
        if any(k in kept and kept[k].total >= 2 * f.total for k in inner):
            continue  # 推动高质量发展 after 高质量发展
        if any(g in k.phrase and k.total >= 0.8 * f.total for k in kept.values()):
            continue  # 建成小康社会 after 全面建成小康社会
        kept[g] = f
    return list(kept.values())


def formula_rows(formulas: Iterable[Formula], chars: int) -> Iterator[dict]:
    """``formulas.csv``: the columns of ``phrases.csv`` with kind ``formula``, and the scores."""
    for f in formulas:
        yield {
            "phrase": f.phrase,
            "kind": FORMULA,
            "total": f.total,
            "documents": f.documents,
            "first_year": f.first_year,
            "last_year": f.last_year,
            "per_10k": rate(f.total, chars),
            "score": f.score,
            "cohesion": f.cohesion,
            "left_entropy": f.left_entropy,
            "right_entropy": f.right_entropy,
            "concentration": f.concentration,
            "years": f.years,
        }


def formula_year_rows(formulas: Iterable[Formula], year_chars: Counter, year_docs: Counter) -> Iterator[dict]:
    """``formulas_by_year.csv``: the columns of ``by_year.csv`` for formulas."""
    for f in formulas:
        for year, count, documents in f.by_year:
            chars = year_chars[year]
            yield {
                "phrase": f.phrase,
                "year": year,
                "count": count,
                "documents": documents,
                "year_documents": year_docs[year],
                "year_chars": chars,
                "per_10k": rate(count, chars),
            }


def _dictionary() -> dict[str, tuple[int, str]]:
    """Every word of jieba's main dictionary with its frequency and part-of-speech tag."""
    from .lexicon import iter_jieba_dictionary

    return {word: (freq, tag) for word, freq, tag in iter_jieba_dictionary()}


def mine_formulas(paths, out_dir: str | Path, *, fields=None, miner=None, top: int | None = 500,
                  **options) -> FormulaRun:
    """Read a corpus as ``miner run`` does, find its formulas and write
    ``formulas.csv`` and ``formulas_by_year.csv`` into ``out_dir``.

    Args:
        paths: Input files and folders.
        out_dir: Folder to write to (usually the folder of ``miner run``'s tables).
        fields: Which fields of JSON/CSV records hold text, title and year.
        miner: A :class:`~miner.pipeline.Miner` (default: a new one).
        top: Most formulas to write (``None``: all).
        **options: Thresholds passed to :func:`find_formulas`.
    """
    from .pipeline import Miner, body_chars, prepare_document
    from .read import Fields, discover, read_file

    files = discover(paths)
    if not files:
        raise InputError(f"no files found in {', '.join(map(str, paths))}")
    miner = miner or Miner()
    docs, mined = [], set()
    year_chars: Counter = Counter()
    year_docs: Counter = Counter()
    chars = 0
    for path, name in files:
        for doc in read_file(path, name, fields or Fields()):
            if not doc.ok:
                continue
            doc, cleaned = prepare_document(doc, miner)
            text = cleaned.body.text
            if not text.strip():
                continue
            spans = miner.extractor.extract(text)
            mined.update(s.phrase for s in spans)
            docs.append((doc.doc_id, doc.year, mask_mentions(text, spans)))
            size = body_chars(text)
            chars += size
            if doc.year is not None:
                year_chars[doc.year] += size
                year_docs[doc.year] += 1
    if not docs:
        raise EmptyResultError(f"no readable documents in {', '.join(map(str, paths))}")
    dictionary = _dictionary()
    words = (w for w in dictionary if len(w) >= 2)
    formulas = find_formulas(docs, words=words, dictionary=dictionary, exclude=mined, top=top, **options)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "formulas.csv": write_table(out / "formulas.csv", FORMULA_COLUMNS, formula_rows(formulas, chars)),
        "formulas_by_year.csv": write_table(out / "formulas_by_year.csv", FORMULA_YEAR_COLUMNS,
                                            formula_year_rows(formulas, year_chars, year_docs)),
    }
    return FormulaRun(formulas, len(docs), chars, tables)


def formula_precision(table_dir: str | Path, judged: str | Path, *, top: int = 50) -> tuple[float, int, int, list[str]]:
    """How many of the ``top`` formulas of ``formulas.csv`` a judged list calls real.

    Args:
        table_dir: The folder ``miner formulas`` wrote to.
        judged: A tab-separated file with a header and ``phrase`` and
            ``label`` (``1`` a formula, ``0`` not) columns.
        top: How many of the best formulas to judge.

    Returns:
        ``(precision, real, judged, unjudged)``: the share of judged phrases
        labelled 1, their counts, and the phrases the list does not judge
        (left out of the share).
    """
    import csv

    from .tables import read_table

    with open(judged, encoding="utf-8", newline="") as fh:
        labels = {r["phrase"]: r["label"] for r in csv.DictReader(fh, delimiter="\t")}
    rows = sorted(read_table(Path(table_dir) / "formulas.csv", ("phrase", "score")),
                  key=lambda r: (-float(r["score"]), r["phrase"]))[:top]
    seen = [labels[r["phrase"]] for r in rows if labels.get(r["phrase"]) in ("0", "1")]
    unjudged = [r["phrase"] for r in rows if labels.get(r["phrase"]) not in ("0", "1")]
    real = seen.count("1")
    return (real / len(seen) if seen else 0.0), real, len(seen), unjudged
