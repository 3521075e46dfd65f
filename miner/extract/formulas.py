"""Find recurring unnumbered formulas from character n-gram statistics.

Besides numbered and quoted slogans, political texts repeat fixed phrases
that carry neither a number nor quotes: 改革开放, 高质量发展, 供给侧结构性改革,
以习近平同志为核心的党中央.  No word list knows the new ones, so formulas are
found the way new-word discovery finds words, from the character n-grams
(2–20 characters) of the cleaned text outside every mined mention, and then
counted like a search would count them.

Finding (:func:`find_formulas`).  A candidate occurs at least ``min_count``
times in ``min_docs`` documents; both thresholds grow with the corpus
(:func:`default_thresholds`), so that 新质生产力, four times in three of 72
reports, is a candidate.  Dictionary words are candidates too (改革开放 is one
jieba word).  Each is scored by signals that hold on any corpus:

* **boundaries**: the entropy of the characters just before and just after
  it (a line or punctuation edge counts as a new character each time); a
  fragment such as 质量发展 is almost always preceded by 高;
* **cohesion**: the smallest pointwise mutual information over the ways of
  cutting it in two, so that 高质量发展 holds together while 的发展 does not;
* **burstiness**: the Kullback–Leibler divergence of its use by year from the
  corpus's characters by year.  Formulas rise and fade (资产阶级自由化 in the
  late 1980s, 脱贫攻坚 in 2016–2020), generic report language (经济社会发展)
  is spread like the text itself;
* **dispersion**: boilerplate occurs once in nearly every document
  (请予审议), or mostly where documents open (向大会作政府工作报告,
  …在主席台就座), a formula several times all through the documents of its
  period;
* **shape**, from jieba's dictionary (the phrase cut into its most probable
  words): a phrase of common verbs and adverbs alone is generic report
  language (深入推进, 加快发展); a person (胡锦涛) is never a formula, and one
  that names a person or place plus a title is a name (习近平总书记); one that ends in a group of people or a
  governing body names actors (全国各族人民, 领导干部); one that ends in a
  position word is a ranking (居全国前列); a phrase that is neither a
  predicate nor an idiom names a thing rather than a line (应用场景); any
  two characters, and a dictionary word of three, are an ordinary word
  (阶段, 投资者); a pronoun, a
  demonstrative, a time word first or last (今年, 上年) or a closing 们
  point at the speech's here and now (我们必须, 召开这次大会, 今年工作,
  高于上年, 同志们); a short phrase of
  words every text uses (经济社会, 社会主义) is general language, and so is
  an idiom jieba tags as one (贯彻落实, 全力以赴); a phrase that ends in a
  verb and is nearly always followed by its object, a different one each
  time, is a predicate of report language (扎实开展…, 紧紧围绕…);
* **cut**: the share of occurrences whose edge character, a word of one
  character in the phrase, makes a dictionary word with its neighbour
  (关部门 in 相关部门, 全面建 in 全面建成): a phrase cut from a longer one;
* **object**: a formula names what is to be done, kept or opposed, so it
  is often a verb's object (坚持改革开放), and twice so when the verb carries
  out a line (落实科学发展观, 实施乡村振兴战略: :data:`CARRIERS`), where other
  verbs take things as often (保护生态环境);
* **quantity**: a phrase mostly followed by a number is a statistic
  (城镇调查失业率为5.2%); **clause end**: a formula is often the whole
  object of its clause (推动高质量发展。).

The measured factors (``cohesion``, ``burstiness``, ``object``, ``clause end``)
are raised to powers fitted on judged phrases (:data:`EXPONENTS`).

A candidate that nearly always occurs inside one longer candidate, or is
always preceded or followed by the same character, is a fragment of it and
is dropped, unless the longer one only frames it: a verb before it
(构建新发展格局 keeps 新发展格局), a common noun after it (科教兴国战略 keeps
科教兴国) or an 以…为… frame (以经济建设为中心 keeps 经济建设为中心).  Such a
phrase is kept with a ``frame`` weight, and so is one mostly said inside
以…为… (供给侧结构性改革为主线); the weight is lower (``stock frame``) when the
verb is not one that carries out a line (:data:`CARRIERS`: 坚持稳中求进工作总基调),
for a phrase always said after another verb may be its stock object
(表示诚挚的感谢).  What a frame holds on one side is ranked by the entropy of
its other side.  Half of an 以…为… frame, one that begins with 为 after an 以
(为主线) or with an 以 whose 为 comes after it (以科学发展), is dropped.  The ``signals`` column of ``formulas.csv`` spells out every
factor of a formula's score.

Counting (:class:`FormulaFinder`).  A formula's count is every occurrence in
the cleaned text, also inside a longer formula (决胜全面建成小康社会 counts for
全面建成小康社会 too) and inside a quoted or numbered phrase; the
``contains`` and ``within`` columns say which formulas hold which.

``miner run --formulas`` does both inside the ordinary run (see
:mod:`miner.pipeline`): the workers prepare each document's masked text,
a bounded sample of the texts (:class:`FormulaSample`) is searched for
formulas, and a second pass over the corpus locates them.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import heapq
import math
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from ..analysis.count import rate
from .core import NORM_HEADS, PROGRAMME_BEFORE, Span
from ..types import Formula

__all__ = [
    "FORMULA",
    "FORMULA_COLUMNS",
    "FORMULA_YEAR_COLUMNS",
    "FormulaSample",
    "default_thresholds",
    "mask_mentions",
    "formula_text",
    "find_formulas",
    "rank_formulas",
    "FormulaRanking",
    "LocatedCounts",
    "locate_formulas",
    "FormulaFinder",
    "FormulaLocator",
    "FormulaStage",
    "locate_document",
    "mine_formulas",
    "nesting",
    "FORMULA_MENTIONS",
    "KnownRecall",
    "FormulaTotals",
    "known_recall",
    "formula_rows",
    "formula_year_rows",
    "formula_precision",
    "quality",
    "MIN_SCORE",
]

FORMULA = "formula"
FORMULA_COLUMNS = (
    "phrase", "kind", "total", "documents", "first_year", "last_year", "per_10k", "score", "signals", "contains",
    "within", "cohesion", "left_entropy", "right_entropy", "concentration", "years",
)
FORMULA_YEAR_COLUMNS = ("phrase", "year", "count", "documents", "year_documents", "year_chars", "per_10k")

# A mined mention in the text formulas are found in: a neighbour of the
# phrases around it (never part of one), unlike the end of a line.
MASK = "〓"
CJK_RUN = re.compile(r"[\u3400-\u9fff〇〓]+")
# A number in digits is kept as one 〇, so that what follows a phrase can be seen to be a quantity.
DIGITS = re.compile(r"\d+(?:\.\d+)?")
SEPARATOR = "\n"
# Numerals that make a number or a date (百花齐放 and 万众创新 keep their 百 and 万).
NUMERAL = set("〇零一二三四五六七八九十两几")
LARGE_NUMERAL = set("百千万亿")
# Function characters (and 到, which a verb takes before what it reaches: 认识到):
# a phrase that starts or ends with one was cut at the wrong place.
EDGE = set("的了和与及在是对把为等并也都将要以其之而或被从向由就还又更很所这那各每该此着过给使让比上中下地到")
# Units left at the start of a phrase when the number before them is not Chinese (125元提高到…).
UNIT_START = set("元万亿吨斤亩倍年月日号米次")
# Position words that end a ranking (居全国前列, 位居世界首位).
# What the name of a meeting ends with: a meeting is held, a line is followed.
MEETING_ENDS = ("会议", "大会", "全会", "座谈会", "动员会", "报告会", "表彰会", "推进会", "现场会", "代表会")
# A noun of a quality (必要性, 可行性, 主动性) names no line, whatever it is said of.
QUALITY_END = "性"
RANK_END = ("前列", "首位", "前茅", "之首", "第〇", "领先")
MAX_N = 20
MAX_COHESION = 8.0
# jieba's tags: verbs and verbal nouns name an action; adverbs, adjectives and
# verbs alone make generic report language; idioms and set phrases are fixed.
VERB, VERBAL_NOUN, NOUN, PREPOSITION = "v", "vn", "n", "p"
PREDICATE_TAGS = frozenset({"v", "vd", "vi", "vq", "ad", "d", "a", "ag", "dg", "vg", "c", "p", "u"})
PROPER_TAGS = frozenset({"nz"})
# Conjunctions, adverbs, prepositions, particles, position words, numerals,
# classifiers and modifiers: a dictionary word of these is report language.
FUNCTION_TAGS = frozenset({"c", "d", "ad", "p", "u", "f", "m", "q", "b", "z"})
# Verbs and adverbs at least this common in jieba's dictionary are report
# language when a phrase is made of them alone (深入 4933, 推进 4932).
GENERIC_FREQ = 1500
# Words at least this common in jieba's dictionary (经济, 社会, 工作) are words
# of any text: a phrase of nothing else is general language.
COMMON_FREQ = 10_000
SHORT_PHRASE = 4
IDIOM = "i"
SET_PHRASE_TAGS = frozenset({IDIOM, "l"})
# Pronouns and demonstratives (我们, 这次, 各位) and time words (今年, 下半年).
PRONOUN, TIME = "r", "t"
DEICTIC_TAGS = frozenset({PRONOUN, TIME})
# A dictionary word this short is an ordinary word unless an idiom or proper noun (阶段, 投资者).
SHORT_WORD = 3
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
PERSON_LEN = 3
NAME_TAGS = PERSON_TAGS | {"ns"}
# What the name of a group of people or of a governing body ends with
# (全国各族人民, 领导干部, 人民群众, 县人民政府, 中华民族): actors, whom a formula is
# addressed to or carried out by, not a line; unless a verb takes them as its
# object (放手发动群众).
# Titles said after a person's name (习近平总书记): a phrase that ends with a
# name, or with a name and its title, points at a person (学习习近平总书记).
TITLES = ("总书记", "主席", "总理", "委员长", "书记", "省长", "市长", "县长", "区长", "同志")
ACTOR_ENDS = ("人民", "群众", "干部", "党员", "同志", "职工", "农民", "工人", "青年", "官兵", "战士", "人员", "人才",
              "人士", "队伍", "班子", "党委", "政府", "民族", "委员会")
# A formula often ends its clause (推动高质量发展。); a phrase that never does is
# mostly the start of something longer (经济较快增长 of 经济较快增长的势头).
CLAUSE_END_WEIGHT = 1.0
# A formula names what is to be done, kept or opposed: it is often the object
# of a verb (坚持改革开放), a thing or an actor less often (核武器, 毛主席).
OBJECT_BASE = 0.5
# The verbs (and prepositions of accordance) that carry out a line, the same as
# before a quoted campaign phrase (坚持, 贯彻, 落实, 实施, 推进…, 按照, 根据):
# an object of theirs counts twice, for what one carries out is a line, a
# policy or a campaign (落实科学发展观, 实施乡村振兴战略), and what other verbs
# take is as often a thing (保护生态环境, 防范金融风险).
CARRIERS = frozenset(w for w in PROGRAMME_BEFORE if len(w) == 2)
# How much each measured factor weighs: the score multiplies each factor
# raised to this power (1 when not named).  A logistic regression of the
# judged tuning rows of every corpus on the logarithms of the factors
# (scripts/fit_formula_weights.py) fits about 0.7 for cohesion, 0.2 for
# burstiness, 1.8 for object and 1.3 for clause end: being a verb's object and
# ending a clause tell a formula best, the cohesion of its characters and its
# concentration in a period less than they seemed.  The powers go half-way
# there, which ranks the tuning rows as well as the fit and keeps each factor
# near the scale its measure has.
EXPONENTS = {"cohesion": 0.8, "burstiness": 0.6, "object": 1.5, "clause end": 1.2}
# Weights of the shapes (see the module docstring).
WEIGHTS = {"nominal": 0.7, "generic": 0.25, "name": 0.2, "person": 0.05, "ranking": 0.2, "word": 0.05, "deictic": 0.1,
           "actor": 0.3, "boilerplate": 0.3, "possessive": 0.4, "quality": 0.25, "meeting": 0.2, "frame": 0.5, "stock frame": 0.3,
           "common": 0.3, "idiom": 0.5, "predicate": 0.3}
# A predicate (:func:`_predicate`) is followed by more of its clause at least
# this often, with at least this entropy of what follows (nats), or this share
# of the largest entropy its number of occurrences allows.
PREDICATE_SHARE, PREDICATE_ENTROPY, PREDICATE_SPREAD = 0.85, 1.5, 0.9
# A phrase found only in a frame is kept when the frame holds it at least this often.
FRAME_SHARE = 0.8
FRAME_WORD = "以"
# The second word of the 以…为… frame, and how far within its clause it is
# looked for: a phrase that begins with 为 after an 以, or with an 以 whose 为
# comes after it, is half a frame (为主线, 以科学发展), not a phrase of its own.
FRAME_TAIL, FRAME_REACH = "为", 16
CLAUSE_BREAK = re.compile(r"[\n，。；：！？、,.;:!?]")
# Where a document opens: its first OPENING_CHARS characters, or its first
# OPENING_SHARE of them if more.  A report or a news page opens with the same
# words each time (向大会作政府工作报告，请予审议; …在主席台就座): a phrase said
# there in at least OPENING_HELD of its occurrences is the opening's boilerplate,
# where a formula is said all through the text.  An excerpt's opening is its
# first quarter (:func:`_opening`), and one under OPENING_MIN_DOC characters has none.
OPENING_CHARS, OPENING_SHARE, OPENING_HELD, OPENING_MIN_DOC = 300, 0.03, 0.6, 200
MIN_FACTOR = 0.05
# The decision: a candidate is listed as a formula when its score without the
# ``log count`` factor (its quality, which means the same on a corpus of five
# speeches and on seventy years of reports) is at least this.  Chosen on the
# tuning rows of the judged lists: the highest value that keeps at least 90% of
# the well-known formulas of the national reports (see ``tests/data/``).
MIN_SCORE = 0.4
# Under this many characters, a corpus says little about which phrases are
# formulas: on the judged corpora this small (five speeches, 18,918
# characters; thirteen excerpts, 9,194) a quarter to two thirds of what was
# listed were formulas, against 87% and more of the top 50 of 433,000
# characters of recent reports (README, "How accurate").
SMALL_CORPUS = 100_000
# The most characters of masked text a run keeps to find formulas in; the
# counts come from a second pass over the whole corpus.
SAMPLE_CHARS = 2_000_000
# A sample of at least this many characters is searched for formulas in a
# process of its own (see :func:`rank_sample`): its n-gram tables take several
# hundred megabytes, which a process that ends gives back whole.
RANK_APART_CHARS = 200_000


def default_thresholds(documents: int, chars: int) -> tuple[int, int]:
    """``(min_count, min_docs)`` for a corpus of ``documents`` and ``chars``:
    three occurrences in two documents of a small corpus, more in a large one.

    >>> default_thresholds(72, 1_120_000), default_thresholds(20_000, 300_000_000)
    ((3, 2), (12, 5))
    """
    min_count = max(3, round(1.5 * chars / 1_000_000))
    min_docs = max(2, min(5, math.ceil(0.02 * documents)))
    return min(min_count, 12), min_docs


def mask_mentions(text: str, spans: Iterable[Span]) -> str:
    """``text`` with every mention (and its quotes) replaced by one
    :data:`MASK`, so that no n-gram is counted inside or across a mined
    phrase, while what stands next to a mention still has a neighbour: in
    扎实开展“XX”活动 the phrase 扎实开展 is followed by its object, not by the
    end of a clause.

    >>> mask_mentions("落实“放管服”改革", [Span(3, 6, "放管服", "quoted", "quoted")])
    '落实〓改革'
    """
    pieces, at = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        a = s.start - 1 if s.start and text[s.start - 1] == "“" else s.start
        b = s.end + 1 if s.end < len(text) and text[s.end] == "”" else s.end
        if a < at:  # overlapping mentions make one mask
            at = max(at, b)
            continue
        pieces += [text[at:a], MASK]
        at = b
    pieces.append(text[at:])
    return "".join(pieces)


def formula_text(text: str, spans: Iterable[Span] = ()) -> str:
    """The runs of Chinese characters of ``text``, each mention in ``spans``
    one :data:`MASK`, one run a line, numbers in digits as 〇: what formulas
    are found in.

    >>> formula_text("落实“放管服”改革，增长5.2%。", [Span(3, 6, "放管服", "quoted", "quoted")])
    '落实〓改革\\n增长〇'
    """
    return SEPARATOR.join(CJK_RUN.findall(DIGITS.sub("〇", mask_mentions(text, spans))))


class FormulaSample:
    """The masked texts formulas are found in: all of a corpus's, or of a
    large one a sample of about :data:`SAMPLE_CHARS` characters.

    The documents kept are those with the smallest hashes of their content
    (a bottom-k sketch), so the sample is the same whatever order, engine or
    number of workers the documents came from.

    >>> s = FormulaSample(chars=10)
    >>> for i, text in enumerate(["改革开放", "高质量发展", "新质生产力"]):
    ...     s.add(f"d{i}", 2020 + i, text)
    >>> sum(len(t) for _, _, t in s.documents()) <= 10, s.seen
    (True, 3)
    """

    def __init__(self, chars: int = SAMPLE_CHARS) -> None:
        self.budget = chars
        self.heap: list = []  # (-hash, doc_id, year, text): the largest hash on top
        self.kept = 0
        self.seen = 0
        self.seen_chars = 0
        self.limit: bytes | None = None  # documents hashed at or above this are out

    def add(self, doc_id: str, year: int | None, text: str) -> None:
        self.seen += 1
        self.seen_chars += len(text)
        if not text:
            return
        key = hashlib.blake2b(f"{doc_id}\x1f{text}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
        if self.limit is not None and key >= self.limit:
            return
        heapq.heappush(self.heap, (_negate(key), doc_id, year, text))
        self.kept += len(text)
        self._trim()

    def add_result(self, result) -> None:
        """Add the masked text of a mined document (its
        :attr:`~miner.types.DocResult.formula_text`), if it has any text."""
        if result.document.ok and result.chars:
            self.add(result.document.doc_id, result.document.year, result.formula_text)

    def documents(self) -> list[tuple[str, int | None, str]]:
        """The kept ``(doc_id, year, text)``, by hash."""
        return [(doc_id, year, text) for _, doc_id, year, text in sorted(self.heap, reverse=True)]

    def empty(self) -> "FormulaSample":
        """A new sample with the same budget, of no document."""
        return FormulaSample(self.budget)

    def merge(self, other: "FormulaSample") -> "FormulaSample":
        """Add the documents ``other`` saw (a sample of other documents, with
        the same budget) into this one, which is then what adding each of
        them here would have made: in any grouping, merged samples are the
        sample of all their documents.

        A sample holds every document of its own whose hash is below its
        limit, the hash of the first one left out; the sample of the
        documents of both has a limit no higher than either's, so all it
        keeps is in one of the two.

        >>> docs = [(f"d{i}", 2000 + i, "改革开放" * (1 + i % 3)) for i in range(12)]
        >>> whole, left, right = FormulaSample(30), FormulaSample(30), FormulaSample(30)
        >>> for i, doc in enumerate(docs):
        ...     whole.add(*doc)
        ...     (left if i % 2 else right).add(*doc)
        >>> merged = left.merge(right)
        >>> merged.documents() == whole.documents(), merged.seen, merged.kept <= 30
        (True, 12, True)
        """
        if other.budget != self.budget:
            raise ValueError(f"samples of {self.budget} and {other.budget} characters cannot be merged")
        limits = [x for x in (self.limit, other.limit) if x is not None]
        self.limit = min(limits) if limits else None
        self.heap = [e for e in self.heap + other.heap if self.limit is None or _negate(e[0]) < self.limit]
        heapq.heapify(self.heap)
        self.kept = sum(len(e[3]) for e in self.heap)
        self.seen += other.seen
        self.seen_chars += other.seen_chars
        self._trim()
        return self

    def _trim(self) -> None:
        """Leave out the documents of the largest hashes until the kept text fits the budget."""
        while self.kept > self.budget:
            neg, _, _, dropped = heapq.heappop(self.heap)
            self.kept -= len(dropped)
            self.limit = _negate(neg)


def _negate(key: bytes) -> bytes:
    return bytes(255 - b for b in key)


def _entropy(counter: Counter, edges: int) -> float:
    """Entropy of the neighbours, each of ``edges`` text edges a distinct one."""
    total = sum(counter.values()) + edges
    if not total:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in counter.values())
    return h + (edges / total) * math.log(total) if edges else h


def _segment(phrase: str, dictionary: Mapping[str, tuple[int, str]], log_total: float | None = None) -> list[str]:
    """The most probable cut of ``phrase`` into dictionary words (jieba's
    unigram model; a character it does not know counts once), the phrase
    itself excepted: it is cut into two or more words.

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
            if best[i] is None or (j - i == n and n > 1) or (j - i > 1 and word not in dictionary):
                continue
            options.append((best[i][0] + math.log(dictionary.get(word, (1, ""))[0] or 1) - log_total, i))
        best[j] = max(options) if options else None
    words, j = [], n
    while j > 0:
        i = best[j][1]
        words.append(phrase[i:j])
        j = i
    return words[::-1]


def _shape(phrase: str, dictionary: Mapping[str, tuple[int, str]] | None, log_total: float,
           words: list[str] | None = None) -> list[str]:
    """The shapes of ``phrase`` that lower its score (see :data:`WEIGHTS`).

    >>> d = {"深入": (4933, "v"), "推进": (4932, "v"), "乡村": (2134, "n"), "振兴": (659, "v"),
    ...      "清洁": (1098, "a"), "能源": (2232, "n"), "习近平": (4, "nrfg"), "总书记": (1104, "n"),
    ...      "领导干部": (305, "n"), "放手": (409, "v"), "发动": (1346, "v"), "群众": (5393, "n")}
    >>> [_shape(p, d, 12.0) for p in ("深入推进", "乡村振兴", "清洁能源", "习近平总书记", "居全国前列")]
    [['generic'], [], ['nominal'], ['person'], ['ranking']]
    >>> [_shape(p, d, 12.0) for p in ("领导干部", "放手发动群众")]
    [['actor'], []]
    """
    shapes = []
    if phrase.endswith(RANK_END):
        shapes.append("ranking")
    if _possessive(phrase):
        shapes.append("possessive")
    if phrase.endswith(QUALITY_END):
        shapes.append("quality")  # 必要性, 积极性和创造性: a quality of something, not a line
    if phrase.endswith(MEETING_ENDS):
        shapes.append("meeting")  # 全国代表会议, 干部大会, 座谈会: an event, not a line
    if dictionary is None:
        return shapes
    own = dictionary.get(phrase)
    if len(phrase) == 2 and (own is None or own[1] not in SET_PHRASE_TAGS):
        # 发展, 企业, 我区: two characters are a word, not a formula; a proper
        # noun of two is part of longer ones (中华 of 中华民族, 和平 of 和平共处)
        return shapes + ["word"]
    if own is not None:
        # A word of the dictionary is judged by its own tag: 改革开放 and 大跃进 are
        # proper nouns (nz), 实事求是 and 稳中求进 set phrases, 阶段 and 投资者 ordinary words.
        if own[1] in DEICTIC_TAGS:
            shapes.append("deictic")  # 今年, 近年来, 各位
        elif own[1] in PERSON_TAGS and len(phrase) == PERSON_LEN:
            # 胡锦涛, 蒋介石: a person is named in a formula, never is one.  jieba's
            # person tag is loose on longer words (毛泽东思想, 严肃查处): only a
            # word of a name's length is taken for a person.
            shapes.append("person")
        elif own[1] in NAME_TAGS and _a_name(phrase, dictionary, log_total):
            shapes.append("name")  # 柬埔寨, 拉丁美洲
        elif own[1] in FUNCTION_TAGS:
            shapes.append("generic")  # 与此同时, 由此可见, 主动性: a conjunction, adverb or modifier names nothing
        elif phrase.endswith(ACTOR_ENDS) and own[1] not in (VERB, VERBAL_NOUN):
            shapes.append("actor")  # 领导干部, 人民群众
        elif len(phrase) <= SHORT_WORD and own[1] not in SET_PHRASE_TAGS | PROPER_TAGS:
            shapes.append("word")
        elif own[0] >= COMMON_FREQ and own[1] not in SET_PHRASE_TAGS | PROPER_TAGS:
            shapes.append("common")  # 社会主义, 帝国主义: a general word the formulas contain
        elif own[1] == IDIOM:
            shapes.append("idiom")  # 贯彻落实, 全力以赴, 来之不易: idioms of any text
        elif own[1] not in SET_PHRASE_TAGS | PROPER_TAGS | {VERB, VERBAL_NOUN}:
            shapes.append("nominal")  # 知识分子, 互联网
        return shapes
    words = words or _segment(phrase, dictionary, log_total)
    found = [dictionary.get(w, (0, "")) for w in words]
    tags = [t for _, t in found]
    if TIME in (tags[0], tags[-1]) or PRONOUN in tags or words[-1] == "们":
        # 我们必须, 各位代表, 召开这次大会, 今年工作, 高于上年, 同志们: a speaker
        # pointing at the here and now or addressing the hall, not a fixed expression.
        return shapes + ["deictic"]
    if _ends_with_person(words, tags):
        return shapes + ["person"]  # 学习习近平总书记, 贯彻习近平总书记: a person is named, not a line
    if phrase.endswith(ACTOR_ENDS) and VERB not in tags[:-1]:
        return shapes + ["actor"]  # 全党全国各族人民, 县人民政府; not 放手发动群众
    if any(t in SET_PHRASE_TAGS for t in tags):
        return shapes
    if len(phrase) <= SHORT_PHRASE and min(f for f, _ in found) >= COMMON_FREQ:
        shapes.append("common")  # 经济社会, 工作作风: words of every text, put together
    if (all(t in PREDICATE_TAGS | {VERBAL_NOUN} for t in tags) and min(f for f, _ in found) >= GENERIC_FREQ
            and min(map(len, words)) > 1):
        shapes.append("generic")  # 深入推进, 加快发展: common verbs and adverbs, no object
    elif tags[0] in NAME_TAGS and len(words[0]) > 1 and len(words) <= 2 and _a_name(words[0], dictionary, log_total):
        shapes.append("name")  # 习近平总书记, 北京市
    if "ranking" not in shapes and "generic" not in shapes:
        predicate = VERB in tags[:-1] or tags[-1] in (VERB, VERBAL_NOUN)
        if not predicate and not any(t in PROPER_TAGS for t in tags):
            shapes.append("nominal")
    return shapes


def _ends_with_person(words: list[str], tags: list[str]) -> bool:
    """Whether the words of a phrase end with a person's name (of a name's
    length), or with a name and a title (:data:`TITLES`).

    >>> _ends_with_person(["学习", "习近平", "总书记"], ["v", "nrfg", "n"]), _ends_with_person(["会见", "胡锦涛"], ["v", "nr"])
    (True, True)
    >>> _ends_with_person(["推进", "科教兴农"], ["v", "nr"]), _ends_with_person(["习近平", "新时代"], ["nrfg", "nz"])
    (False, False)
    """
    if len(words) < 2:
        return False
    if words[-1] in TITLES:
        return tags[-2] in PERSON_TAGS and 2 <= len(words[-2]) <= PERSON_LEN
    return tags[-1] in PERSON_TAGS and len(words[-1]) == PERSON_LEN


def _possessive(phrase: str) -> bool:
    """Whether ``phrase`` is a noun phrase with 的 whose head names no line:
    what the reports say of something (解决的问题, 群众的意见, 表示诚挚的感谢),
    where a formula with 的 is a policy, principle or line (积极的财政政策,
    按劳分配的原则, 党的基本路线).  An 以…为… frame (以习近平同志为核心的党中央)
    and a possessive of one character (党的全面领导) are not judged.

    >>> [_possessive(p) for p in ("解决的问题", "稳健的货币政策", "以人民为中心的发展思想", "党的全面领导", "高质量发展")]
    [True, False, False, False, False]
    """
    owner, mark, head = phrase.rpartition("的")
    if not mark or len(owner) < 2 or not head or phrase.startswith(FRAME_WORD):
        return False
    return not head.endswith(NORM_HEADS)


def _a_name(word: str, dictionary: Mapping[str, tuple[int, str]], log_total: float) -> bool:
    """Whether ``word``, which jieba tags as a person or a place, is one.
    The tag is loose on words of four characters and more (依法治国, 科教兴国,
    水土保持 are tagged as places or persons): those are names when they
    begin with one (拉丁美洲, 东北地区, 毛泽东思想) or are spelt out of
    characters that make no words (柬埔寨, 巴基斯坦), not when they are made
    of common words (依法 治国, 科教 兴国).

    >>> d = {"依法治国": (3, "ns"), "依法": (1, "d"), "治国": (1, "v"), "拉丁美洲": (436, "ns"), "拉丁": (1, "ns"),
    ...      "美洲": (1, "ns"), "巴基斯坦": (1238, "ns")}
    >>> [_a_name(w, d, 12.0) for w in ("依法治国", "拉丁美洲", "巴基斯坦")]
    [False, True, True]
    """
    if len(word) <= PERSON_LEN:
        return True
    words = _segment(word, dictionary, log_total)
    return dictionary.get(words[0], (0, ""))[1] in NAME_TAGS or min(map(len, words)) == 1


def _predicate(following: Counter, total: int) -> bool:
    """Whether a phrase followed by the characters ``following`` (line and
    clause ends left out) in ``total`` occurrences is a predicate waiting for
    its object: nearly always followed by more of its clause (not by a
    function character, a number or the clause's end), and each time by
    something else (扎实开展, 大力发展, 紧紧围绕).  A formula ends its clause,
    or is followed by 的, 和, 、, or by the few nouns it qualifies
    (科教兴国战略, 脱贫攻坚战).  A masked mention after it (扎实开展“…”活动)
    is a different object each time.

    >>> _predicate(Counter({"农": 2, "工": 2, "服": 2, "科": 1, "文": 1}), 8), _predicate(Counter({"战": 7, "的": 1}), 9)
    (True, False)
    >>> _predicate(Counter({"〓": 3}), 3), _predicate(Counter({"的": 2, "水": 1}), 12)
    (True, False)
    """
    objects = Counter({c: k for c, k in following.items() if c not in EDGE and c not in NUMERAL and c != MASK})
    masked = following[MASK]
    n = sum(objects.values()) + masked
    if not n or n < PREDICATE_SHARE * total:
        return False
    return _entropy(objects, masked) >= min(PREDICATE_ENTROPY, PREDICATE_SPREAD * math.log(n))


def _plausible(g: str, words: Mapping | None = None) -> bool:
    """Whether ``g`` can be a formula by its edges: it does not start or end
    with a function character cut from the next word (的发展, 发展的) unless a
    dictionary word starts or ends there (中国特色社会主义, 对外开放,
    实事求是) or it is an 以…为… frame (以人为本, 以习近平同志为核心的党中央).

    >>> [_plausible(g, {"中国": 1, "实事求是": 1, "万众": 1}) for g in ("的发展", "中国特色", "实事求是", "以人为本",
    ...                                                               "三农", "万众创新", "万人")]
    [False, True, True, True, False, True, False]
    >>> [_plausible(g, {"认识": 1, "做到": 1}) for g in ("认识到", "真正做到")]  # a verb waiting for what it reaches
    [False, True]
    """
    words = words or {}
    starts_word = any(g[:k] in words for k in (2, 3, 4))
    if (g[0] in UNIT_START and not starts_word) or any(c in NUMERAL for c in g):
        return False  # 元提高到, but 万众创新
    if g[0] in LARGE_NUMERAL and (len(g) < 4 or g[1] in LARGE_NUMERAL):
        return False  # 百万人, 千万元: an amount
    if g[0] in EDGE and not (g[0] == "以" and "为" in g[2:]) and not starts_word and not _governed(g, words):
        return False
    return not (g[-1] in EDGE and not any(g[-k:] in words for k in (2, 3, 4)))


def _governed(g: str, words: Mapping) -> bool:
    """Whether ``g`` is a preposition, its object and the verb it goes with
    (向科学进军, 为人民服务): a whole predicate, not a phrase cut after 向 or 为.

    >>> d = {"向": (75979, "p"), "进军": (1051, "v"), "科学": (1, "n"), "发展": (1, "vn")}
    >>> [_governed(g, d) for g in ("向科学进军", "向科学", "在科学发展")]
    [True, False, False]
    """
    head, verb = words.get(g[0]), words.get(g[-2:])
    return (len(g) >= 4 and isinstance(head, tuple) and head[1] == PREPOSITION
            and isinstance(verb, tuple) and verb[1] in (VERB, VERBAL_NOUN))


def _count_levels(text: str, min_count: int, max_n: int):
    """Counts of the frequent n-grams of ``text`` (1 … ``max_n`` characters,
    apriori: an n-gram can only be frequent if both its (n−1)-grams are), and
    where each frequent one of 2 or more characters starts."""
    counts: dict[int, Counter] = {1: Counter(text)}
    del counts[1][SEPARATOR]
    # A phrase with a numeral is never a formula (_plausible): n-grams are not
    # grown through numerals, or a table of numerals would make every n-gram
    # up to max_n frequent (19 levels over a million numerals: minutes).
    frequent = {g for g, c in counts[1].items() if c >= min_count and g not in NUMERAL and g != MASK}
    at = array("l", (i for i, c in enumerate(text) if c in frequent))
    positions: dict[int, array] = {}
    for n in range(2, max_n + 1):
        previous = frequent
        at = array("l", (i for i in at if text[i + n - 1] != SEPARATOR and text[i + 1 : i + n] in previous))
        level = Counter(text[i : i + n] for i in at)
        # Only frequent n-grams are kept: the parts of a frequent n-gram are frequent too.
        counts[n] = Counter({g: c for g, c in level.items() if c >= min_count})
        del level
        frequent = set(counts[n])
        at = array("l", (i for i in at if text[i : i + n] in frequent))
        positions[n] = at
        if not frequent:
            break
    counts[1] = Counter({g: c for g, c in counts[1].items() if c >= min_count})
    return counts, positions


@dataclass(frozen=True)
class FormulaRanking:
    """What :func:`rank_formulas` found: the formulas listed, best first; how
    many candidates were scored; how many of them fell below ``min_score``,
    the smallest quality listed (:func:`quality`), and are not listed; and
    how many characters they were found in.

    >>> r = FormulaRanking((), candidates=12, below=12, min_score=0.4)
    >>> r.summary()
    '12 formula candidates found, 0 listed, 12 below --min-score 0.4 (--min-score 0 lists them all)'
    >>> print(FormulaRanking((), candidates=596, below=596, min_score=0.4, chars=18_943).summary())
    596 formula candidates found, 0 listed, 596 below --min-score 0.4 (--min-score 0 lists them all)
    a small corpus: 18,943 characters searched (under 100,000) tell formulas from report language poorly
    """

    listed: tuple[Formula, ...]
    candidates: int
    below: int
    min_score: float
    chars: int = 0

    @property
    def small(self) -> bool:
        """Whether the text searched is under :data:`SMALL_CORPUS` characters."""
        return 0 < self.chars < SMALL_CORPUS

    def summary(self) -> str:
        """For the console: candidates, those listed and those below the
        threshold; and, on a small corpus, a second line that says so."""
        line = (f"{self.candidates:,} formula candidates found, {len(self.listed):,} listed, {self.below:,} below "
                f"--min-score {self.min_score:g} (--min-score 0 lists them all)")
        if self.small:
            line += (f"\na small corpus: {self.chars:,} characters searched (under {SMALL_CORPUS:,}) tell formulas "
                     "from report language poorly")
        return line

    def as_dict(self) -> dict:
        """The figures of :meth:`summary`, for ``run.json``."""
        return {"candidates": self.candidates, "listed": len(self.listed), "below_min_score": self.below,
                "min_score": self.min_score, "chars": self.chars, "small_corpus": self.small}


def find_formulas(docs: Iterable[tuple[str, int | None, str]], *, top: int | None = None,
                  **options) -> list[Formula]:
    """The formulas :func:`rank_formulas` lists, best first, at most ``top`` (``None``: all).

    >>> docs = [(f"d{i}", 2000 + i, formula_text(f"{v}高质量发展，{w}高质量发展。要{v}新质生产力，{w}新质生产力"))
    ...         for i, (v, w) in enumerate([("推动", "实现"), ("促进", "坚持"), ("保障", "引领")])]
    >>> sorted(f.phrase for f in find_formulas(docs, min_count=3, min_entropy=1.0))
    ['新质生产力', '高质量发展']
    """
    listed = rank_formulas(docs, **options).listed
    return list(listed[:top] if top is not None else listed)


def rank_formulas(
    docs: Iterable[tuple[str, int | None, str]],
    *,
    dictionary: Mapping[str, tuple[int, str]] | None = None,
    min_count: int | None = None,
    min_docs: int | None = None,
    min_n: int = 2,
    max_n: int = MAX_N,
    min_cohesion: float = 2.0,
    min_entropy: float = 0.3,
    max_measure: float = 0.5,
    fragment: float = 0.95,
    weights: Mapping[str, float] | None = None,
    min_score: float | None = None,
) -> FormulaRanking:
    """Rank the recurring fixed phrases of a corpus (see the module docstring).

    Args:
        docs: ``(doc_id, year, text)`` per document, the text from
            :func:`formula_text` (mined mentions blanked out).
        dictionary: Word → ``(frequency, part-of-speech tag)`` (jieba's, for
            ``miner run --formulas``), to tell formulas from generic language,
            names and things; ``None`` judges phrases by their statistics alone.
        min_count: Fewest occurrences (default: :func:`default_thresholds`).
        min_docs: Fewest documents it occurs in (default: the same).
        min_n: Shortest phrase, in characters.
        max_n: Longest phrase, in characters.
        min_cohesion: Smallest cohesion (natural-log PMI of the weakest cut).
        min_entropy: Smallest left and right boundary entropy (nats): a
            phrase always preceded or followed by the same character is cut
            from a longer one.
        max_measure: Largest share of occurrences followed by a number, and
            of those preceded by one.
        fragment: Drop a phrase when at least this share of its occurrences
            are inside one longer candidate.
        weights: Weights of the shapes, to replace some of :data:`WEIGHTS`.
        min_score: Smallest quality (:func:`quality`: the score without its
            ``log count`` factor) of a phrase listed as a formula; ``0``
            lists every candidate.  A small corpus holds few formulas, and
            this is what keeps its report language out.  Default:
            :data:`MIN_SCORE` with a ``dictionary`` (the scale it was chosen
            on), ``0`` without.

    Returns:
        The formulas listed, best first, with their counts in ``docs``, and
        how many candidates were scored (those below ``min_score`` too).

    >>> docs = [(f"d{i}", 2000 + i, formula_text(f"{v}高质量发展，{w}高质量发展。要{v}新质生产力，{w}新质生产力"))
    ...         for i, (v, w) in enumerate([("推动", "实现"), ("促进", "坚持"), ("保障", "引领")])]
    >>> r = rank_formulas(docs, min_count=3, min_entropy=1.0, min_score=0.5)
    >>> len(r.listed), r.candidates, r.below  # their quality is 0.43
    (0, 2, 2)
    """
    weights = {**WEIGHTS, **(weights or {})}
    docs = list(docs)
    starts, doc_years, pieces = [], [], []
    offset = 0
    year_chars: Counter = Counter()
    for doc_id, year, text in docs:
        starts.append(offset)
        doc_years.append(year)
        pieces.append(text + SEPARATOR)
        offset += len(text) + 1
        if year is not None:
            year_chars[year] += len(text) - text.count(SEPARATOR)
    text = "".join(pieces)
    del pieces
    size = len(text) - text.count(SEPARATOR)
    if min_score is None:
        min_score = MIN_SCORE if dictionary else 0.0
    if not size:
        return FormulaRanking((), 0, 0, min_score)
    default_count, default_docs = default_thresholds(len(docs), size)
    min_count = default_count if min_count is None else min_count
    min_docs = default_docs if min_docs is None else min_docs
    counts, positions = _count_levels(text, min_count, max_n)
    cohesion: dict[str, float] = {}
    for n in range(max(2, min_n), max_n + 1):
        for g, c in counts.get(n, Counter()).items():
            if c < min_count or not _plausible(g, dictionary):
                continue
            pmi = min(math.log(c * size / (counts[k][g[:k]] * counts[n - k][g[k:]])) for k in range(1, n))
            if pmi >= min_cohesion:
                cohesion[g] = pmi
            elif dictionary and n >= 4 and g in dictionary:
                # 计划经济: a dictionary word holds together even when its parts
                # (计划, 经济) are too common in the corpus for their PMI to show it.
                cohesion[g] = min_cohesion
    verbs = frozenset(w for w, (_, t) in dictionary.items() if t == VERB and len(w) == 2) if dictionary else frozenset()
    heads = frozenset(w for w, (f, t) in dictionary.items() if t == NOUN and len(w) == 2 and f >= GENERIC_FREQ
                      ) if dictionary else frozenset()
    pairs = frozenset(w for w in dictionary if len(w) == 2) if dictionary else frozenset()
    doc_of = _doc_index(starts)
    opening = [_opening(end - start) for start, end in zip(starts, starts[1:] + [len(text)])]
    dated = sum(year_chars.values())
    log_total = math.log(sum(f for f, _ in dictionary.values()) or 1) if dictionary else 0.0
    found = []
    qualities: dict[str, float] = {}
    # The statistics of the candidates are gathered and scored one length at a
    # time: those of every length at once (a few small counters per candidate,
    # hundreds of thousands of candidates in a sample of two million
    # characters) took gigabytes.  The candidates come in the order of
    # ``cohesion``, which is by length already.
    lengths: dict[int, dict[str, float]] = defaultdict(dict)
    for g, pmi in cohesion.items():
        lengths[len(g)][g] = pmi
    for n, group in sorted(lengths.items()):
        left: dict[str, Counter] = defaultdict(Counter)
        right: dict[str, Counter] = defaultdict(Counter)
        edges: Counter = Counter()
        quantities: Counter = Counter()
        objects: Counter = Counter()
        frames: dict[tuple[str, str], Counter] = defaultdict(Counter)
        cuts: Counter = Counter()
        openings: Counter = Counter()
        halves: Counter = Counter()
        in_docs: dict[str, set] = defaultdict(set)
        by_year: dict[str, Counter] = defaultdict(Counter)
        for i in positions.get(n, ()):
            g = text[i : i + n]
            if g not in group:
                continue
            before, after = text[i - 1] if i else SEPARATOR, text[i + n]
            ahead = text[i - 2 : i] if i > 1 else ""
            if verbs and ahead in verbs:
                objects[g] += 1  # 坚持改革开放, 推动高质量发展: the object of a verb
            if verbs and ahead in CARRIERS:
                objects[g] += 1  # 落实科学发展观: a line carried out counts twice
            if g[0] == FRAME_TAIL and FRAME_WORD in CLAUSE_BREAK.split(text[max(0, i - FRAME_REACH) : i])[-1]:
                halves[g] += 1  # 为主线 of 以供给侧结构性改革为主线: the tail of a frame
            elif (g[0] == FRAME_WORD and FRAME_TAIL not in g
                  and FRAME_TAIL in CLAUSE_BREAK.split(text[i + n : i + n + FRAME_REACH])[0]):
                halves[g] += 1  # 以科学发展 of 以科学发展观为指导: a frame cut before its 为
            if pairs:
                behind = text[i + n : i + n + 2]
                frames[g, "left"][ahead if ahead in verbs else before if _frame(before, g) else ""] += 1
                frames[g, "right"][behind if behind in heads else ""] += 1
                # 关部门 in 相关部门, 全面建 in 全面建成: the edge cuts a word in two
                if before + g[0] in pairs and ahead not in pairs:
                    cuts[g, "left"] += 1
                if g[-1] + after in pairs and behind not in pairs:
                    cuts[g, "right"] += 1
            if before == SEPARATOR:
                edges[g, "left"] += 1
            else:
                left[g][before] += 1
            if after == SEPARATOR:
                edges[g, "right"] += 1
            else:
                right[g][after] += 1
                if any(c in NUMERAL for c in text[i + n : i + n + 3].split(SEPARATOR)[0]):
                    quantities[g] += 1
            doc = doc_of(i)
            if i - starts[doc] < opening[doc]:
                openings[g] += 1  # 请予审议, 在主席台就座: said where a report or a news page opens
            in_docs[g].add(doc)
            if doc_years[doc] is not None:
                by_year[g][doc_years[doc]] += 1
        entropy = {g: (_entropy(left[g], edges[g, "left"]), _entropy(right[g], edges[g, "right"]))
                   for g in group if len(in_docs[g]) >= min_docs}
        for g, pmi in group.items():
            total = counts[len(g)][g]
            if g not in entropy:
                continue
            hl, hr = entropy[g]
            framed = []
            if hl < min_entropy:
                # 新发展格局 is always said as 构建新发展格局, 经济建设为中心 as 以经济建设为中心:
                # a common verb or an 以…为… frame fixed before a phrase does not make it a fragment.
                frame, times = (frames[g, "left"].most_common(1) or [("", 0)])[0]
                if not frame or times < FRAME_SHARE * total:
                    continue
                hl = min_entropy
                framed.append(frame + "…")
            if hr < min_entropy:
                frame, times = (frames[g, "right"].most_common(1) or [("", 0)])[0]  # 科教兴国战略
                if not frame or times < FRAME_SHARE * total:
                    continue
                hr = min_entropy
                framed.append("…" + frame)
            if len(framed) == 1:
                # what the frame leaves free is ranked by the other side alone
                hl, hr = (hr, hr) if framed[0].endswith("…") else (hl, hl)
            if halves[g] >= FRAME_SHARE * total:
                continue  # half of an 以…为… frame, the other half outside it
            measure = quantities[g] / total  # 城镇调查失业率为5.2%: a statistic, not a formula
            if measure > max_measure:
                continue
            # 个建设项目 of 十个建设项目, 万亿元: the tail of a number (a numeral is never
            # part of a candidate, so one that mostly follows a number is cut from it).
            if sum(left[g][c] for c in NUMERAL) > max_measure * total:
                continue
            years = by_year[g]
            used = sum(years.values())
            if len(year_chars) > 1 and used:
                concentration = sum(c / used * math.log((c / used) / (year_chars[y] / dated)) for y, c in years.items())
            else:
                concentration = 0.9  # undated corpora: rank by the other measures alone
            final = edges[g, "right"] / total  # 推动高质量发展。 rather than 失业保险基金
            words = [g] if dictionary is None or g in dictionary else _segment(g, dictionary, log_total)
            shapes = _shape(g, dictionary, log_total, words)
            if (dictionary and "generic" not in shapes and dictionary.get(words[-1], (0, ""))[1] == VERB
                    and _predicate(right[g], total)):
                shapes.append("predicate")  # 扎实开展…, 紧紧围绕…: a verb waiting for its object
            # A phrase whose first or last word is one character that mostly makes a
            # word with its neighbour (关部门 after 相, 全面建 before 成) is cut from a longer one.
            cut = max(cuts[g, "left"] / total if len(words[0]) == 1 else 0.0,
                      cuts[g, "right"] / total if len(words[-1]) == 1 else 0.0)
            documents = len(in_docs[g])
            if documents >= max(min_docs, 0.3 * len(docs)) and total < 1.2 * documents and concentration < 0.5:
                shapes.append("boilerplate")  # 请予审议: once in nearly every document, every year
            elif openings[g] >= OPENING_HELD * total:
                shapes.append("boilerplate")  # 作政府工作报告, 大会开幕: where every report or page opens
            factors = [
                ("log count", math.log(1 + total)),
                ("boundaries", math.sqrt(max(hl, 0.1) * max(hr, 0.1))),
                ("cohesion", min(pmi, MAX_COHESION) / MAX_COHESION),
                ("burstiness", 0.1 + concentration),
            ]
            if verbs:
                factors.append(("object", OBJECT_BASE + objects[g] / total))
            if measure:
                factors.append(("quantity", 1 - measure))
            if final:
                factors.append(("clause end", 1 + CLAUSE_END_WEIGHT * final))
            if cut:
                factors.append(("cut", max(MIN_FACTOR, 1 - cut)))
            if not framed and frames[g, "left"][FRAME_WORD] >= 0.5 * total:
                framed.append(FRAME_WORD + "…")  # 供给侧结构性改革为主线, mostly in 以…为主线
            if framed:
                # 坚持稳中求进工作总基调: a line said after the verb that carries it out,
                # 科教兴国战略 before the noun that says what it is; 表示诚挚的感谢: the
                # stock object of another verb
                carried = any(f.strip("…") in CARRIERS or f == FRAME_WORD + "…" or f.startswith("…")
                              for f in framed)
                factors.append((f"frame {' '.join(framed)}", weights["frame" if carried else "stock frame"]))
            factors = [(name, value ** EXPONENTS.get(name, 1.0)) for name, value in factors]
            factors += [(shape, weights[shape]) for shape in shapes]
            score = math.prod(f for _, f in factors)
            qualities[g] = score / factors[0][1]
            year_docs = Counter(doc_years[d] for d in in_docs[g] if doc_years[d] is not None)
            found.append(Formula(
                g, total, documents, len(years), min(years) if years else None, max(years) if years else None,
                round(pmi, 4), round(hl, 4), round(hr, 4), round(concentration, 4), round(score, 4),
                tuple((y, c, year_docs[y]) for y, c in sorted(years.items())),
                " × ".join(f"{name} {value:.2f}" for name, value in factors),
            ))
    found = _drop_fragments(found, fragment, lambda g, h: _framing(g, h, verbs, heads))
    listed = sorted((f for f in found if qualities[f.phrase] >= min_score), key=lambda f: (-f.score, f.phrase))
    return FormulaRanking(tuple(listed), len(found), len(found) - len(listed), min_score, size)


def quality(formula: Formula) -> float:
    """The score of ``formula`` without its ``log count`` factor (as its
    ``signals`` spell it out, to two decimals): how much a phrase looks like a
    formula whatever the size of the corpus.  The score orders the formulas,
    the quality decides which are listed (:data:`MIN_SCORE`).

    >>> quality(Formula("改革开放", 20, 5, 3, 1980, 1990, 5.0, 2.0, 2.0, 0.5, 1.5, signals="log count 3.00 × cohesion 0.50"))
    0.5
    """
    factor = re.search(r"log count ([0-9.]+)", formula.signals)
    return formula.score / (float(factor.group(1)) if factor else math.log(1 + formula.total))


def _opening(length: int) -> float:
    """How many characters open a document of ``length``: :data:`OPENING_CHARS`
    or :data:`OPENING_SHARE` of a long one, a quarter of a short one (an
    excerpt), none of one too short to tell its opening from the rest.

    >>> [_opening(n) for n in (30_000, 5_000, 600, 100)]
    [900.0, 300, 150.0, 0]
    """
    if length < OPENING_MIN_DOC:
        return 0
    return min(max(OPENING_CHARS, OPENING_SHARE * length), length / 4)


def mention_score(formula: Formula) -> tuple[float, tuple[str, ...]]:
    """The ``score`` (0.5–1) and ``evidence`` of a formula's mentions, for
    ``phrases.csv``: its quality ``q`` (:func:`quality`) as ``0.5 + q / (q + 1) / 2``,
    so that a listed formula is at least 0.5 and a better one nearer 1; and
    ``formula`` with the shapes and frame that weigh on its score.

    >>> mention_score(Formula("经济社会", 25, 5, 3, 1990, 2020, 5.0, 2.0, 2.0, 0.5, 1.4,
    ...                       signals="log count 3.26 × boundaries 2.24 × nominal 0.70"))
    (0.6502, ('formula', 'nominal'))
    """
    q = max(0.0, quality(formula))
    evidence = [name.split(" ")[0] if name.startswith("frame") else name
                for name, _ in (part.rsplit(" ", 1) for part in formula.signals.split(" × ") if " " in part)
                if name in WEIGHTS or name.startswith("frame")]
    return round(0.5 + q / (q + 1) / 2, 4), ("formula", *evidence)


def _doc_index(starts: list[int]):
    import bisect

    return lambda i: bisect.bisect_right(starts, i) - 1


def _frame(before: str, g: str) -> bool:
    """Whether ``before`` + ``g`` is an 以…为… frame around ``g`` (以经济建设为中心)."""
    return before == FRAME_WORD and "为" in g[2:]


def _framing(g: str, h: str, verbs: frozenset, heads: frozenset) -> bool:
    """Whether the longer candidate ``h`` is ``g`` in a frame: a verb before it
    (构建新发展格局), a common noun after it (科教兴国战略) or 以…为….

    >>> [_framing(g, h, frozenset({"构建"}), frozenset({"战略"})) for g, h in (
    ...     ("新发展格局", "构建新发展格局"), ("科教兴国", "科教兴国战略"), ("经济建设为中心", "以经济建设为中心"),
    ...     ("质量发展", "高质量发展"))]
    [True, True, True, False]
    """
    if h.endswith(g):
        return h[: -len(g)] in verbs or _frame(h[: -len(g)], g)
    return h.startswith(g) and h[len(g):] in heads


def _drop_fragments(found: list[Formula], share: float, framing=None) -> list[Formula]:
    """Leave out each candidate of which at least ``share`` of the
    occurrences are inside one longer candidate (建成小康社会 in
    全面建成小康社会), unless ``framing(phrase, longer)`` says the longer
    one only frames it; nested formulas that also stand alone both stay."""
    by_phrase = {f.phrase: f for f in found}
    inside: Counter = Counter()
    for h in found:
        p = h.phrase
        parts = Counter(p[i:j] for i in range(len(p)) for j in range(i + 2, len(p) + 1) if j - i < len(p))
        for g, times in parts.items():
            if g in by_phrase and not (framing and framing(g, p)):
                inside[g] = max(inside[g], times * h.total)
    return [f for f in found if inside[f.phrase] < share * f.total]


class FormulaFinder:
    """Every occurrence of a set of formulas in a text, nested ones too
    (an Aho–Corasick automaton: one pass over the text for any number of
    formulas).

    >>> FormulaFinder(["全面建成小康社会", "小康社会"]).find("决胜全面建成小康社会，小康社会")
    [(2, 10, '全面建成小康社会'), (6, 10, '小康社会'), (11, 15, '小康社会')]
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        import ahocorasick

        self.phrases = frozenset(phrases)
        self.automaton = ahocorasick.Automaton()
        for phrase in self.phrases:
            self.automaton.add_word(phrase, phrase)
        if self.phrases:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, phrase)`` of every occurrence, in order."""
        if not self.phrases:
            return []
        return sorted((end + 1 - len(p), end + 1, p) for end, p in self.automaton.iter(text))


def nesting(phrases: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Which formulas contain which: ``(contains, within)``.

    >>> nesting(["全面建成小康社会", "小康社会", "高质量发展"])[0]
    {'全面建成小康社会': ['小康社会']}
    """
    phrases = sorted(set(phrases), key=lambda p: (-len(p), p))
    contains: dict[str, list[str]] = {}
    within: dict[str, list[str]] = {}
    known = set(phrases)
    for p in phrases:
        inner = sorted({p[i:j] for i in range(len(p)) for j in range(i + 2, len(p) + 1) if j - i < len(p)} & known,
                       key=lambda q: (-len(q), q))
        if inner:
            contains[p] = inner
        for q in inner:
            within.setdefault(q, []).append(p)
    return contains, within


def formula_rows(formulas: Iterable[Formula], chars: int) -> Iterator[dict]:
    """``formulas.csv``: the columns of ``phrases.csv`` with kind ``formula``,
    the score and the signals it is the product of, and the nesting."""
    formulas = list(formulas)
    contains, within = nesting(f.phrase for f in formulas)
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
            "signals": f.signals,
            "contains": " | ".join(contains.get(f.phrase, ())),
            "within": " | ".join(within.get(f.phrase, ())),
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


class FormulaTotals:
    """Occurrences and documents of each formula by year, in two integer
    matrices (formula × year): counting tens of thousands of candidates over
    a large corpus takes megabytes, where a dict of (formula, year) pairs
    would take a gigabyte.  Totals of the same formulas made apart (on the
    workers of a cluster) add up with :meth:`merge`, in any order.

    >>> t = FormulaTotals(["改革开放", "高质量发展"])
    >>> t.add(2020, [("其他", 1)])  # a document with none of the formulas
    >>> t.add(2018, [("高质量发展", 3)]); t.add(2019, [("高质量发展", 2), ("改革开放", 1)]); t.add(None, [("改革开放", 4)])
    >>> [(f.phrase, f.total, f.documents, f.first_year, f.by_year) for f in counted(
    ...     [Formula(p, 0, 0, 0, None, None, 0, 0, 0, 0, 1.0) for p in ("高质量发展", "改革开放", "新质生产力")], t)]
    [('高质量发展', 5, 2, 2018, ((2018, 3, 1), (2019, 2, 1))), ('改革开放', 5, 2, 2019, ((2019, 1, 1),))]
    >>> other = FormulaTotals(["改革开放", "高质量发展"]); other.add(2019, [("改革开放", 2)])
    >>> t.merge(other).by_year("改革开放")
    (7, 3, ((2019, 3, 2),))
    >>> import pickle; copy = pickle.loads(pickle.dumps(other))  # one year: one column crosses
    >>> copy.count.shape, copy.by_year("改革开放")
    ((2, 1), (2, 1, ((2019, 2, 1),)))
    >>> copy.add(2020, [("改革开放", 1)]); copy.by_year("改革开放")
    (3, 2, ((2019, 2, 1), (2020, 1, 1)))
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        import numpy as np

        self.phrases = tuple(phrases)
        self.index = {p: i for i, p in enumerate(self.phrases)}
        self.columns: dict = {}  # year (None: undated) → column
        self.count = np.zeros((len(self.index), 4), dtype=np.int64)
        self.docs = np.zeros_like(self.count)

    def __getstate__(self) -> dict:
        # The index follows from the phrases: what crosses between processes
        # is the matrices, without the columns kept free for more years.
        state = {k: v for k, v in self.__dict__.items() if k != "index"}
        width = max(1, len(self.columns))
        state["count"], state["docs"] = self.count[:, :width], self.docs[:, :width]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.index = {p: i for i, p in enumerate(self.phrases)}

    def empty(self) -> "FormulaTotals":
        """New totals of the same formulas, all zero."""
        return FormulaTotals(self.phrases)

    def compact(self) -> "FormulaTotals":
        """Let go of the columns kept free for more years (they come back if
        one is added): totals that are done with, kept on a Dask worker
        until merged, take half as much.

        >>> t = FormulaTotals(["改革开放", "高质量发展"])
        >>> for year in range(2000, 2005):
        ...     t.add(year, [("改革开放", 1)])
        >>> t.count.shape, t.compact().count.shape, t.by_year("改革开放")[:2]
        ((2, 8), (2, 5), (5, 5))
        """
        width = max(1, len(self.columns))
        if self.count.shape[1] > width:
            self.count, self.docs = self.count[:, :width].copy(), self.docs[:, :width].copy()
        return self

    def _column(self, year: int | None) -> int:
        column = self.columns.get(year)
        if column is None:
            import numpy as np

            column = self.columns[year] = len(self.columns)
            if column >= self.count.shape[1]:
                grow = ((0, 0), (0, self.count.shape[1]))
                self.count, self.docs = np.pad(self.count, grow), np.pad(self.docs, grow)
        return column

    def add(self, year: int | None, counts: Iterable[tuple[str, int]]) -> None:
        """Add one document's ``(phrase, count)`` pairs."""
        column = self._column(year)
        rows, ns = [], []
        for phrase, n in counts:
            if phrase in self.index:
                rows.append(self.index[phrase])
                ns.append(n)
        if not rows:  # none of the formulas in this document (an empty index list is a float array)
            return
        self.count[rows, column] += ns
        self.docs[rows, column] += 1

    def merge(self, other: "FormulaTotals") -> "FormulaTotals":
        """Add the totals of ``other`` (of the same formulas) into these."""
        if other.phrases != self.phrases:
            raise ValueError("formula totals of different formulas cannot be merged")
        width = len(self.columns) + sum(year not in self.columns for year in other.columns)
        if width > self.count.shape[1]:  # room for their years at once, none to spare
            import numpy as np

            grow = ((0, 0), (0, width - self.count.shape[1]))
            self.count, self.docs = np.pad(self.count, grow), np.pad(self.docs, grow)
        for year, theirs in other.columns.items():
            mine = self._column(year)
            self.count[:, mine] += other.count[:, theirs]
            self.docs[:, mine] += other.docs[:, theirs]
        return self

    def by_year(self, phrase: str) -> tuple[int, int, tuple]:
        """``(total, documents, ((year, count, documents), …))`` of one formula."""
        row = self.index.get(phrase)
        if row is None:
            return 0, 0, ()
        count, docs = self.count[row], self.docs[row]
        years = tuple((y, int(count[c]), int(docs[c])) for y, c in sorted(
            (y, c) for y, c in self.columns.items() if y is not None) if count[c])
        return int(count.sum()), int(docs.sum()), years


class LocatedCounts:
    """What the second pass of a run with formulas counts: each formula's
    occurrences and documents by year (:class:`FormulaTotals`), and the
    formula mentions counted as the run counts its phrases (a
    :class:`~miner.analysis.count.PhraseCounts` of them alone).  Counts of
    parts of a corpus (a file, a byte range, on the workers of a cluster)
    merge into those of the whole with :meth:`merge`, in any order.

    >>> from miner.types import DocResult, Document
    >>> c = LocatedCounts(["改革开放", "高质量发展"])
    >>> c.add(DocResult(Document("d", "d", year=2019), 10, 0, 0, formula_counts=(("改革开放", 2),)))
    >>> c.add(DocResult(Document("e", "e", status="skipped: empty"), 0, 0, 0))
    >>> c.documents, c.totals.by_year("改革开放")
    (1, (2, 1, ((2019, 2, 1),)))
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        from ..analysis.count import PhraseCounts

        self.totals = FormulaTotals(phrases)
        self.mentions = PhraseCounts()
        self.documents = 0  # documents counted (those with text)

    def add(self, result) -> None:
        """Count one document's result of :func:`locate_document`."""
        if not result.chars:
            return
        self.documents += 1
        year = result.document.year
        self.totals.add(year, result.formula_counts)
        _add_mentions(self.mentions, result.mentions, year)

    def empty(self) -> "LocatedCounts":
        """New counts of the same formulas, all zero."""
        return LocatedCounts(self.totals.phrases)

    def compact(self) -> "LocatedCounts":
        """These counts, taking no more memory than they need (see :meth:`FormulaTotals.compact`)."""
        self.totals.compact()
        return self

    def merge(self, other: "LocatedCounts") -> "LocatedCounts":
        """Add the counts of ``other`` (of the same formulas) into these."""
        self.totals.merge(other.totals)
        self.mentions.merge(other.mentions)
        self.documents += other.documents
        return self


def counted(formulas: Iterable[Formula], totals: FormulaTotals) -> list[Formula]:
    """The formulas with their counts replaced by those of ``totals`` (the
    second pass's), in the order of ``formulas``; those never found are left out."""
    out = []
    for f in formulas:
        total, documents, years = totals.by_year(f.phrase)
        if not total:
            continue
        out.append(replace(f, total=total, documents=documents, years=len(years),
                           first_year=years[0][0] if years else None, last_year=years[-1][0] if years else None,
                           by_year=years))
    return out


def jieba_tags() -> dict[str, tuple[int, str]]:
    """Every word of jieba's main dictionary with its frequency and part-of-speech tag."""
    from .lexicon import iter_jieba_dictionary

    return {word: (freq, tag) for word, freq, tag in iter_jieba_dictionary()}


def held_aside(phrase: str) -> bool:
    """Whether a judged phrase belongs to the held-aside third, never looked
    at while tuning (decided by a hash of the phrase, so before any run).

    >>> [held_aside(p) for p in ("改革开放", "高质量发展", "请予审议")]
    [False, True, False]
    """
    return hashlib.blake2b(phrase.encode("utf-8"), digest_size=2).digest()[0] % 3 == 0


def formula_precision(table_dir: str | Path, judged: str | Path, *, top: int = 50,
                      part: str = "all") -> tuple[float, int, int, list[str]]:
    """How many of the ``top`` formulas of ``formulas.csv`` a judged list calls real.

    Args:
        table_dir: The folder ``miner run --formulas`` wrote to.
        judged: A tab-separated file with a header and ``phrase`` and
            ``label`` (``1`` a formula, ``0`` not) columns.
        top: How many of the best formulas to judge.
        part: ``"all"``, ``"tuning"`` or ``"held"`` (:func:`held_aside`):
            which judged phrases to count.

    Returns:
        ``(precision, real, judged, unjudged)``: the share of judged phrases
        labelled 1, their counts, and the phrases the list does not judge
        (left out of the share).
    """
    import csv

    from ..io.tables import read_table

    with open(judged, encoding="utf-8", newline="") as fh:
        labels = {r["phrase"]: r["label"] for r in csv.DictReader(fh, delimiter="\t")}
    rows = sorted(read_table(Path(table_dir) / "formulas.csv", ("phrase", "score")),
                  key=lambda r: (-float(r["score"]), r["phrase"]))[:top]
    if part != "all":
        rows = [r for r in rows if held_aside(r["phrase"]) == (part == "held")]
    seen = [labels[r["phrase"]] for r in rows if labels.get(r["phrase"]) in ("0", "1")]
    unjudged = [r["phrase"] for r in rows if labels.get(r["phrase"]) not in ("0", "1")]
    real = seen.count("1")
    return (real / len(seen) if seen else 0.0), real, len(seen), unjudged


# Formulas whose every occurrence becomes a row of mentions.csv (and of
# phrases.csv and by_year.csv, with kind ``formula``); formulas.csv counts all.
FORMULA_MENTIONS = 300


class FormulaLocator:
    """The second pass of a run with formulas: what
    :func:`~miner.engines.map_documents` maps over the documents instead of
    a :class:`~miner.pipeline.Miner` (see :func:`locate_document`), and
    :meth:`new_counts` the counts its results add up to."""

    def __init__(self, miner, finder: FormulaFinder, mentioned: Mapping[str, tuple[float, tuple[str, ...]]]) -> None:
        self.normalizer = miner.normalizer
        self.extractor = miner.extractor
        self.finder = finder
        self.mentioned = dict(mentioned)  # phrase → (score, evidence) of its mentions (see mention_score)
        # In the same order in every process (a set's order depends on the process's hash seed).
        self.phrases = tuple(sorted(finder.phrases))

    def mine(self, doc):
        return locate_document(doc, self)

    def new_counts(self) -> LocatedCounts:
        """Empty counts of this pass's formulas, to :meth:`~LocatedCounts.add` results to."""
        return LocatedCounts(self.phrases)


def locate_document(doc, locator: FormulaLocator):
    """Count every formula in one document, and make mentions of the
    occurrences of the best :data:`FORMULA_MENTIONS` formulas (but for those
    already mined as the same phrase: a quoted “改革开放” is one mention)."""
    from ..pipeline import SENTENCE_END, _context, as_written, body_chars, prepare_document
    from ..types import DocResult, Mention

    if not doc.ok:
        return DocResult(doc, 0, 0, 0)
    doc, cleaned = prepare_document(doc, locator)
    body, text = cleaned.body, cleaned.body.text
    if not text.strip():
        return DocResult(doc, 0, 0, 0)
    found = locator.finder.find(text)
    wanted = [(a, b, p) for a, b, p in found if p in locator.mentioned]
    spans = locate_formulas(wanted, locator.extractor.extract(text)) if wanted else []
    breaks = [m.start() for m in SENTENCE_END.finditer(text)]
    newlines = [i for i in breaks if text[i] == "\n"]
    mentions = []
    for span in spans:
        start, end = body.original_span(span.start, span.end)
        sentence = bisect.bisect_left(breaks, span.start)
        s0 = breaks[sentence - 1] + 1 if sentence else 0
        s1 = breaks[sentence] if sentence < len(breaks) else len(text)
        score, evidence = locator.mentioned[span.phrase]
        mentions.append(Mention(
            doc_id=doc.doc_id, year=doc.year, phrase=span.phrase, surface=as_written(doc.text, body, span.start, span.end), kind=FORMULA,
            rule=FORMULA, start=start, end=end, sentence=sentence, paragraph=bisect.bisect_left(newlines, span.start),
            context=_context(doc.text, body, s0, s1, span.start, span.end), score=score, evidence=evidence,
        ))
    counts = Counter(p for _, _, p in found)
    return DocResult(doc, body_chars(text), 0, 0, tuple(mentions), formula_counts=tuple(sorted(counts.items())))


def locate_formulas(found: Iterable[tuple[int, int, str]], spans: Iterable[Span]) -> list[Span]:
    """Occurrences ``(start, end, phrase)`` as spans of kind ``formula``, but
    for those mined as the same phrase at the same place (``spans``).

    >>> located = FormulaFinder(["改革开放"]).find("坚持“改革开放”，深化改革开放")
    >>> [(s.start, s.end, s.kind) for s in locate_formulas(located, [Span(3, 7, "改革开放", "quoted", "quoted")])]
    [(11, 15, 'formula')]
    """
    mined = {(s.start, s.end, s.phrase) for s in spans}
    return [Span(a, b, p, FORMULA, FORMULA) for a, b, p in found if (a, b, p) not in mined]


class FormulaStage:
    """Formulas inside ``miner run``: collects the first pass's masked texts
    (:meth:`add`), then finds the formulas and counts them in a second pass
    over the documents on the run's engine (:meth:`locate`), and writes
    ``formulas.csv`` and ``formulas_by_year.csv`` (:meth:`write`).

    The results are the same for every engine and number of workers: the
    sample does not depend on the order documents come in, nor on how they
    were grouped (on Dask each worker samples the files it mines, and their
    samples are merged here: :meth:`merge`), and the second pass yields its
    results in input order.
    """

    def __init__(self, *, sample_chars: int = SAMPLE_CHARS, mentions: int = FORMULA_MENTIONS, **options) -> None:
        self.sample = FormulaSample(sample_chars)
        self.mentions = mentions
        self.options = options
        self.formulas: list[Formula] = []
        self.ranking = FormulaRanking((), 0, 0, options.get("min_score", MIN_SCORE))

    def add(self, result) -> None:
        """Add one mined document's masked text to the sample."""
        self.sample.add_result(result)

    def merge(self, sample: FormulaSample) -> None:
        """Add a sample of other documents, made where they were mined (by a
        Dask worker, of the documents of a file), to the sample."""
        self.sample.merge(sample)

    def locate(self, located: Callable[[FormulaLocator, Callable[[LocatedCounts], None]], Iterable], counts,
               writer, *, miner) -> None:
        """Find the formulas and run the second pass: ``located(locator,
        merged)`` maps a :class:`FormulaLocator` over the run's documents
        where the run reads them (in this process, in worker processes, or on
        the Dask workers that read the files), yields each document's result
        in input order, and hands their :class:`LocatedCounts`, all added up,
        to ``merged`` once at the end (on Dask they are added up on the
        cluster).  The mentions of the results go to ``writer``
        (``mentions.csv``); their counts into ``counts`` (the run's
        :class:`~miner.analysis.count.PhraseCounts`)."""
        from ..io.tables import mention_row

        self.ranking = rank_sample(self.sample, self.options)
        found = self.ranking.listed
        self.sample = FormulaSample(0)  # its texts are not needed any more
        if not found:
            return
        # Mentions for the best formulas that are not also mined phrases (a
        # phrase of phrases.csv has one kind); formulas.csv counts them all.
        # Ordinary two-character words stay out.
        mentioned = [f for f in found if f.phrase not in counts.phrases and "word" not in f.signals][: self.mentions]
        locator = FormulaLocator(miner, FormulaFinder(f.phrase for f in found),
                                 {f.phrase: mention_score(f) for f in mentioned})
        merged: list[LocatedCounts] = []
        with contextlib.closing(located(locator, merged.append)) as results:
            for result in results:
                writer.write_many(map(mention_row, result.mentions))
        total = merged[0] if merged else locator.new_counts()
        counts.merge(total.mentions)
        self.formulas = counted(found, total.totals)
        self.ranking = replace(self.ranking, listed=tuple(self.formulas))

    def write(self, path, chars: int, year_chars: Counter, year_docs: Counter) -> dict:
        """Write the two formula tables to ``path(name)``; their names and paths."""
        from ..io.tables import write_table

        tables = {
            "formulas.csv": (FORMULA_COLUMNS, formula_rows(self.formulas, chars)),
            "formulas_by_year.csv": (FORMULA_YEAR_COLUMNS, formula_year_rows(self.formulas, year_chars, year_docs)),
        }
        for name, (columns, rows) in tables.items():
            write_table(path(name), columns, rows)
        return {name: path(name) for name in tables}


def rank_sample(sample: FormulaSample, options: Mapping | None = None) -> FormulaRanking:
    """:func:`rank_formulas` of the documents of ``sample``, with jieba's
    dictionary and ``options``; for a sample of :data:`RANK_APART_CHARS` or
    more, in a new process, so that the memory its tables took (most of what
    a run with formulas takes) is given back when it ends rather than kept by
    this process for the rest of the run (Python's allocator returns little
    of it).  The ranking is the same either way.

    Raises:
        MinerError: The process ranking the formulas died (out of memory?).

    >>> docs = [(f"d{i}", 2000 + i, formula_text(f"{v}高质量发展，{w}高质量发展。要{v}新质生产力，{w}新质生产力"))
    ...         for i, (v, w) in enumerate([("推动", "实现"), ("促进", "坚持"), ("保障", "引领")])]
    >>> sample = FormulaSample()
    >>> for doc in docs:
    ...     sample.add(*doc)
    >>> options = {"min_count": 3, "min_entropy": 1.0, "min_score": 0}
    >>> rank_sample(sample, options) == rank_formulas(docs, dictionary=jieba_tags(), **options)
    True
    """
    options = dict(options or {})
    if sample.kept < RANK_APART_CHARS:
        return _rank_documents(sample.documents(), options)
    import multiprocessing
    import os
    from multiprocessing.connection import wait

    from ..errors import MinerError

    # Spawned, not forked: the process running ``miner run`` may have threads
    # (a Dask client's), and a fork would copy its memory for nothing.
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    # The documents go through a pipe of their own once the child runs, not as
    # its arguments: those are written before ``start`` returns, through a pipe
    # whose other end this process keeps open until then, so a child that dies
    # while starting (a script without a main guard) would leave that write
    # waiting for ever once the documents fill the pipe.
    docs_in, docs_out = context.Pipe(duplex=False)
    child = context.Process(target=_rank_apart, args=(send, docs_in, options, os.getpid()), daemon=True)
    child.start()
    send.close()
    docs_in.close()
    try:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the child's end is told below
            docs_out.send(sample.documents())
        # Wait for the child's answer or its end: a child that dies before it
        # has taken its end of the pipe (killed, or failing to start) leaves
        # that end open here, and a bare ``recv`` would wait for ever.
        wait([receive, child.sentinel])
        if not receive.poll():
            raise EOFError
        outcome, value = receive.recv()
    except EOFError:
        child.join()
        code = child.exitcode
        how = f"killed by signal {-code}; out of memory?" if code is not None and code < 0 else f"exit code {code}"
        raise MinerError(f"the process finding formulas in the sample ended without an answer ({how})") from None
    finally:  # also on Ctrl-C, which the child ignores: it is stopped here
        receive.close()
        docs_out.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "error":
        raise value
    return value


def _rank_documents(docs: list, options: dict) -> FormulaRanking:
    return rank_formulas(docs, dictionary=jieba_tags(), **options)


def _rank_apart(send, docs_in, options: dict, parent: int) -> None:
    """The process of :func:`rank_sample`: reads the documents from the pipe
    ``docs_in`` and sends ``("ok", ranking)``, or ``("error", exception)``,
    through the pipe ``send``."""
    import signal

    from ..engines import _die_with

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with(parent)
    docs = docs_in.recv()
    docs_in.close()
    try:
        found = ("ok", _rank_documents(docs, options))
    except Exception as exc:  # raised again in the parent, as if ranked there
        found = ("error", exc)
    send.send(found)
    send.close()


def _count(counts, phrase: str, year: int | None, n: int, *, new_document: bool = True) -> None:
    """Add ``n`` occurrences of ``phrase`` in a document of ``year`` (one
    not counted for it yet, if ``new_document``) to a :class:`~miner.analysis.count.PhraseCounts`."""
    from ..analysis.count import PhraseStats

    stats = counts.phrases.get(phrase)
    if stats is None:
        stats = counts.phrases[phrase] = PhraseStats()
    stats.total += n
    stats.documents += new_document
    stats.kinds.add(FORMULA)
    counts.mentions += n
    if year is not None:
        counts.by_year[phrase, year] += n
        counts.docs_by_year[phrase, year] += new_document
        stats.first_year = year if stats.first_year is None else min(stats.first_year, year)
        stats.last_year = year if stats.last_year is None else max(stats.last_year, year)


def _add_mentions(counts, mentions, year: int | None) -> None:
    """Fold one document's formula mentions into the run's counts (their
    phrases are not mined phrases: see :meth:`FormulaStage.locate`)."""
    from ..analysis.count import PhraseStats

    seen = set()
    for m in mentions:
        stats = counts.phrases.get(m.phrase)
        if stats is None:
            stats = counts.phrases[m.phrase] = PhraseStats()
        stats.rules[m.rule] += 1
        stats.variants[m.surface] += 1
        # A formula's mentions carry its own score (see mention_score), not the slogan score.
        stats.score_sum += m.score
        stats.score_max = max(stats.score_max, m.score)
        stats.evidence.update(m.evidence)
        if m.phrase in seen:
            _count(counts, m.phrase, year, 1, new_document=False)
        else:
            seen.add(m.phrase)
            _count(counts, m.phrase, year, 1)


def mine_formulas(paths, out_dir: str | Path, *, formulas: bool | dict = True, **options):
    """``miner run --formulas`` (see :func:`~miner.pipeline.run_corpus`):
    mine a corpus with its formulas and write every table; ``formulas`` may
    be a dict of options of :class:`FormulaStage` (``min_count=4`` …)."""
    from ..pipeline import run_corpus

    return run_corpus(paths, out_dir, formulas=formulas or True, **options)


@dataclass(frozen=True)
class KnownRecall:
    """How many formulas of a list of well-known ones a run found (:func:`known_recall`)."""

    known: tuple[str, ...]
    ranks: dict  # phrase → rank in formulas.csv (0 = best), for those found
    close: tuple[str, ...]  # found with a count within the tolerance of the list's
    first_year: tuple[str, ...]  # found with the list's first year
    missed: tuple[str, ...]

    def within(self, top: int | None = None) -> int:
        """How many were found among the ``top`` best formulas (``None``: anywhere)."""
        return sum(1 for r in self.ranks.values() if top is None or r < top)


def known_recall(table_dir: str | Path, known: str | Path, *, tolerance: float = 0.05) -> KnownRecall:
    """Compare ``formulas.csv`` with a list of well-known formulas (a TSV
    with ``phrase``, ``first_year`` and ``occurrences`` columns, the counts of
    a plain substring search).

    A formula counts as found with a close count when its total is within
    ``tolerance`` of the list's occurrences.
    """
    import csv

    from ..io.tables import read_table

    rows = sorted(read_table(Path(table_dir) / "formulas.csv", ("phrase", "score", "total", "first_year")),
                  key=lambda r: (-float(r["score"]), r["phrase"]))
    rank = {r["phrase"]: (i, r) for i, r in enumerate(rows)}
    with open(known, encoding="utf-8", newline="") as fh:
        wanted = list(csv.DictReader(fh, delimiter="\t"))
    found = {k["phrase"]: rank[k["phrase"]] for k in wanted if k["phrase"] in rank}
    close = [k["phrase"] for k in wanted if k["phrase"] in found
             and abs(found[k["phrase"]][1]["total"] - int(k["occurrences"])) <= tolerance * int(k["occurrences"])]
    first = [k["phrase"] for k in wanted if k["phrase"] in found
             and found[k["phrase"]][1]["first_year"] == int(k["first_year"])]
    return KnownRecall(tuple(k["phrase"] for k in wanted), {p: i for p, (i, _) in found.items()}, tuple(close),
                       tuple(first), tuple(k["phrase"] for k in wanted if k["phrase"] not in found))
