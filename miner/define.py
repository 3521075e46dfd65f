"""Recover what a numbered slogan stands for: the members it is spelled out as.

A count says that “四个一” appears; a speech almost always says once, near a
mention, what the four are.  :func:`find_definitions` looks for that in four
forms, and accepts one only when the number of members equals the slogan's
number (:func:`slogan_count`; a compound slogan counts the sum of its parts,
两确保三争取 = 2 + 3, and its members may come as two groups):

``marker:即`` (also ``：``, ``就是``, ``包括``, ``是指``, ``分别是``)
    members after a marker in the same sentence, separated by 、 or ，:
    “双三”经济发展目标，即GDP达到30亿元，财政收入达到3亿元;
``list:一是`` (also ``list:（一）``, ``list:第一``)
    a numbered list that starts right after the slogan;
``run:before``
    the run of quoted items just before the slogan:
    “党建统领加强年、项目攻坚突破年、产业转型提升年”“三个年”;
``run:document``
    such a run elsewhere in the same document, for a slogan that is never
    spelled out next to a mention (“工业服务年”、“项目推进年” for “两年”).

Quoted runs carry no marker, so their members must also share the slogan's
head (年 for 两年 and 三个年), and so must the members of a list after a
compact slogan (稳 for 六稳): a list of two tasks after “一老一小” is not its
definition.  No member may contain the slogan itself, which rules out the
sections of a speech about the slogan (（一）实施“两年”活动是…).

:func:`define_document` runs this over a cleaned document and reports each
definition with its evidence in the original text, as ``miner run`` writes
to ``definitions.csv``; :func:`read_definitions` reads that table back and
:func:`add_definition_edges` adds the members to a phrase graph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from .extract import CLASSIFIERS, NUMBERED, NUMBERED_QUOTED, Span, quote_spans
from .types import Definition, Document

__all__ = [
    "DEFINITION_COLUMNS",
    "parse_numeral",
    "slogan_parts",
    "slogan_count",
    "find_definitions",
    "define_document",
    "definition_row",
    "read_definitions",
    "add_definition_edges",
    "MEMBER_SEPARATOR",
]

DEFINITION_COLUMNS = ("phrase", "doc_id", "year", "count", "members", "how", "evidence", "start", "end")
MEMBER_SEPARATOR = " | "

DIGIT_VALUE = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "两": 2, "双": 2}
NUMERAL_CHARS = "一二三四五六七八九十两双"
MIN_MEMBERS, MAX_MEMBERS = 2, 20
MAX_GAP = 14  # characters between a slogan and its marker or list
MAX_MEMBER = 40  # longest member accepted (a clause, not a paragraph)
MAX_ITEM_GAP = 400  # longest distance between two items of a list
LEAD_CONTEXT = 60  # evidence starts at most this far before the slogan

CLASSIFIER_SHAPE = re.compile(rf"^([{NUMERAL_CHARS}]+)([{CLASSIFIERS}])(.+)$")
DOUBLE_SHAPE = re.compile(r"^双([一二三四五六七八九十]+)$")
COMPACT_PART = re.compile(rf"([{NUMERAL_CHARS}]+)([^{NUMERAL_CHARS}]+)")
SENTENCE_END = re.compile(r"[。！？!?\n]")
MARKER = re.compile(
    r"(?<![立随旋当])即(?![将使便可时刻日席兴])|就是(?![要说在把为以])|[：:]|包括|是指|指的是|分别是|分别为|具体是"
)
ENUM_DIGITS = "一二三四五六七八九十"
# An enumerator at the start of a list: 一是 / （一） / 第一.
LIST_START = re.compile(r"[（(]一[)）]|(?<![统唯万之单])一是|第一(?=[，,、：:是])")
HEADING = re.compile(rf"\n(?:[{ENUM_DIGITS}]+、|[（(][{ENUM_DIGITS}]+[)）]|第[{ENUM_DIGITS}]+[章节部分])")
CONJUNCTION = re.compile(r"以及|和|与|及")
TRAILING_NOTE = re.compile(r"[（(〔\[【][^（）()〔〕\[\]【】]{1,20}[）)〕\]】]$")
TRAILING_ETC = re.compile(r"等(?:方面|内容|工作|领域|措施|活动)?$")
RUN_JOINERS = frozenset({"", "、", "，", ",", "和", "与", "及", "以及", " "})
# Words that open a clause which comments on a list rather than being a member.
NOT_MEMBER_START = ("这", "要", "就", "并", "从而", "确保", "努力", "力争", "同时", "其中", "也", "还", "都", "使",
                    "让", "把", "为", "是", "我们", "通过", "实现", "目前", "现在", "已经")
MEMBER_STRIP = " \t\n，。、；：！？,.;:!?·…-—“”"


def parse_numeral(text: str) -> int | None:
    """The value of a small Chinese numeral (1–99, 两 and 双 are 2), or ``None``.

    >>> [parse_numeral(s) for s in ("四", "两", "双", "十", "十二", "二十", "三十五", "百", "一一")]
    [4, 2, 2, 10, 12, 20, 35, None, None]
    """
    if len(text) == 1:
        return 10 if text == "十" else DIGIT_VALUE.get(text)
    m = re.fullmatch(r"([二三四五六七八九])?十([一二三四五六七八九])?", text)
    if not m:
        return None
    tens = DIGIT_VALUE[m.group(1)] if m.group(1) else 1
    return tens * 10 + (DIGIT_VALUE[m.group(2)] if m.group(2) else 0)


def slogan_parts(phrase: str) -> tuple[tuple[int, str], ...]:
    """The ``(number, head)`` parts of a numbered slogan; ``()`` when it has no
    countable shape (plan tags such as 十四五, Arabic forms, paired slogans).

    >>> slogan_parts("四个全面"), slogan_parts("四个一"), slogan_parts("双三")
    (((4, '全面'),), ((4, '一'),), ((2, '三'),))
    >>> slogan_parts("两确保三争取"), slogan_parts("两年")
    (((2, '确保'), (3, '争取')), ((2, '年'),))
    >>> slogan_parts("三项政策、一项改革")
    ((3, '政策'), (1, '改革'))
    >>> slogan_parts("十四五"), slogan_parts("1+8"), slogan_parts("不进则退、慢进亦退")
    ((), (), ())
    """
    if not phrase or phrase[0] not in NUMERAL_CHARS or re.search(r"[，,；;：:+\d\s]", phrase):
        return ()
    m = DOUBLE_SHAPE.match(phrase)
    if m:
        return ((2, m.group(1)),)
    if "、" in phrase:  # 三项政策、一项改革: the parts of a paired slogan add up
        halves = [slogan_parts(p) for p in phrase.split("、")]
        return () if not all(halves) or len(halves) > 3 else tuple(x for h in halves for x in h)
    m = CLASSIFIER_SHAPE.match(phrase)
    if m and parse_numeral(m.group(1)):
        return ((parse_numeral(m.group(1)), m.group(3)),)
    parts = COMPACT_PART.findall(phrase)
    if "".join(a + b for a, b in parts) != phrase:
        return ()
    values = [parse_numeral(a) for a, _ in parts]
    if None in values:
        return ()
    return tuple((n, key) for n, (_, key) in zip(values, parts))


def slogan_count(phrase: str) -> int:
    """How many members a numbered slogan has (0 when it cannot be counted).

    >>> slogan_count("六个专项整治"), slogan_count("两确保三争取"), slogan_count("五讲四美三热爱")
    (6, 5, 12)
    """
    total = sum(n for n, _ in slogan_parts(phrase))
    return total if MIN_MEMBERS <= total <= MAX_MEMBERS else 0


# -- members ----------------------------------------------------------------


def _clean_member(text: str, head: str) -> str:
    s = text.replace("“", "").replace("”", "").strip(MEMBER_STRIP)
    s = TRAILING_NOTE.sub("", s).strip(MEMBER_STRIP)
    while s and s[-1] in "）)〕]】" and s.count(s[-1]) > s.count({"）": "（", ")": "(", "〕": "〔", "]": "[", "】": "【"}[s[-1]]):
        s = s[:-1].strip(MEMBER_STRIP)  # （即A和B）: the close of a note around the definition
    if len(head) >= 2:
        # 市场和停车场的专项整治 → 市场和停车场: the last member repeats the head.
        for tail in ("的" + head, "等" + head):
            if s.endswith(tail) and len(s) > len(tail) + 1:
                s = s[: -len(tail)]
    return s


def _keyed(phrase: str, members: Sequence[str], *, strict: bool = False) -> bool:
    """Whether every member carries its part's head (年 in 工业服务年 for 两年).

    ``strict`` asks for the head where the shape puts it: at the end of each
    member of an N个X slogan (物质文明 for 两个文明, not 文明村), at either end
    for a compact one (稳就业 for 六稳, 工业服务年 for 两年).
    """
    compact = _is_compact(phrase)
    i = 0
    for n, head in slogan_parts(phrase):
        key = head[-2:]
        for member in members[i : i + n]:
            if strict and not (member.endswith(key) or (compact and member.startswith(key))):
                return False
            if key not in member:
                return False
        i += n
    return True


def _is_compact(phrase: str) -> bool:
    return not (CLASSIFIER_SHAPE.match(phrase) or DOUBLE_SHAPE.match(phrase))


def _valid(members: list[str], phrase: str) -> bool:
    return all(1 <= len(m) <= MAX_MEMBER and phrase not in m for m in members)


def _clause_ok(clause: str) -> bool:
    c = clause.strip(MEMBER_STRIP)
    return (
        2 <= len(c) <= MAX_MEMBER
        and not c.startswith(NOT_MEMBER_START)
        and "就是" not in c
        and not re.search(r"(?<![立随旋当])即", c)
    )


def _stops(clause: str) -> bool:
    """Whether a clause comments on a list rather than continuing it (并且…, 这是…)."""
    c = clause.strip(MEMBER_STRIP)
    return c.startswith(NOT_MEMBER_START) or "就是" in c or bool(re.search(r"(?<![立随旋当])即", c))


def _split_members(segment: str, parts: Sequence[tuple[int, str]]) -> list[str] | None:
    """The members a segment after a marker enumerates, if their number fits.

    Tried in order: a 、 list in the first clause (with A、B和C); ， or ；
    separated groups of 、 lists for a compound slogan; plain clauses
    separated by ， or ；, which may be followed by a clause that comments on
    them (并且…, 是…) but not by another member-like clause.

    >>> _split_members("稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期", ((6, "稳"),))[-1]
    '稳预期'
    >>> _split_members("大规模设备更新和消费品以旧换新", ((2, "新"),))
    ['大规模设备更新', '消费品以旧换新']
    >>> _split_members("确保A、确保B，争取C、争取D、争取E", ((2, "确保"), (3, "争取")))
    ['确保A', '确保B', '争取C', '争取D', '争取E']
    >>> _split_members("定规模，定总额，定工期，并且实行责任制度", ((3, "定"),))
    ['定规模', '定总额', '定工期']
    >>> _split_members("GDP达到30亿元，财政收入达到3亿元，资金到位", ((2, "三"),)) is None
    True
    """
    groups = [n for n, _ in parts]
    total = sum(groups)
    if len(segment) > 6:
        segment = TRAILING_ETC.sub("", segment)
    pieces = re.split(r"[；;]", segment)
    clauses = re.split(r"[，,]", pieces[0])
    items = clauses[0].split("、")
    if len(items) == total:
        return items
    if len(items) == total - 1:
        halves = CONJUNCTION.split(items[-1], maxsplit=1)
        if len(halves) == 2 and all(len(h.strip(MEMBER_STRIP)) >= 3 for h in halves):
            a, b = (len(h) for h in halves)
            if max(a, b) <= 3 * min(a, b):
                return items[:-1] + halves
    if len(groups) > 1:
        for level in (clauses, pieces):
            head = level[: len(groups)]
            split = [p.split("、") for p in head]
            ends = len(level) == len(groups) or (len(level) > len(groups) and _stops(level[len(groups)]))
            if [len(x) for x in split] == groups and ends and not any(re.search("[，,]", p) for p in head):
                return [m for x in split for m in x]
    flat = re.split(r"[，,；;]", segment)
    head = flat[:total]
    if len(head) == total and all(_clause_ok(c) for c in head) and (len(flat) == total or _stops(flat[total])):
        return head
    return None


# -- the forms ----------------------------------------------------------------


def _after_quote(text: str, pos: int) -> int:
    return pos + 1 if pos < len(text) and text[pos] == "”" else pos


def _sentence_start(text: str, pos: int) -> int:
    start = max(0, pos - LEAD_CONTEXT)
    i = max(text.rfind(c, start, pos) for c in "。！？!?；;\n")
    return i + 1 if i >= 0 else start


def _sentence_end(text: str, pos: int) -> int:
    m = SENTENCE_END.search(text, pos)
    return m.start() if m else len(text)


def _list_items(text: str, start: int) -> tuple[list[str], int]:
    """The items of the numbered list whose first enumerator is at ``start``,
    and where the last item's text ends."""
    opener = text[start]
    if opener in "（(":
        form = lambda d: rf"[（(]{d}[)）]"  # noqa: E731
    elif opener == "第":
        form = lambda d: rf"第{d}(?=[，,、：:是])"  # noqa: E731
    else:
        form = lambda d: rf"(?<=[，,。；;：:\n\s]){d}是"  # noqa: E731
    items, end, pos = [], start, start
    for k in range(1, MAX_MEMBERS + 2):
        digit = ENUM_DIGITS[k - 1] if k <= 10 else "十" + ENUM_DIGITS[k - 11]
        region_end = min(len(text), pos + MAX_ITEM_GAP) if k > 1 else start + 4
        m = re.compile(form(digit)).search(text, pos, region_end)
        if not m or (k > 1 and HEADING.search(text, pos, m.start())):
            break
        item_end = re.compile(r"[，,。；;：:\n]").search(text, m.end())
        end = item_end.start() if item_end else len(text)
        items.append(text[m.end() : end])
        pos = end
    return items, end


def _marker_or_list(text: str, span: Span, parts) -> tuple[list[str], str, int] | None:
    """Members after a marker, or in a list, right after the slogan."""
    pos = _after_quote(text, span.end)
    window = text[pos : pos + MAX_GAP]
    stop = re.search(r"[。！？!?；;“]", window)
    window = window[: stop.start()] if stop else window
    marker = MARKER.search(window)
    listed = LIST_START.search(window)
    if listed and (marker is None or listed.start() <= marker.end() + 1):
        head = text[pos : pos + listed.start()]
        if "\n\n" in head:
            return None
        items, end = _list_items(text, pos + listed.start())
        members = [_clean_member(m, parts[-1][1]) for m in items]
        # A list after a compact slogan (六稳) must repeat its heads (稳就业, 稳金融…).
        keyed = not _is_compact(span.phrase) or _keyed(span.phrase, members)
        if len(members) == sum(n for n, _ in parts) and _valid(members, span.phrase) and keyed:
            style = {"（": "（一）", "(": "（一）", "第": "第一"}.get(text[pos + listed.start()], "一是")
            return members, f"list:{style}", end
        return None
    if marker is None or re.search(r"(?<![，,、：:])\n", window[: marker.start()]):
        return None  # a line break, unless after a comma (“五定”，⏎即…), ends the sentence
    start = pos + marker.end()
    while True:  # “六个专项整治”：即… — a second marker right after the first
        while start < len(text) and text[start] in "：:，, ":
            start += 1
        again = MARKER.match(text, start)
        if not again:
            break
        marker, start = again, again.end()
    listed = LIST_START.match(text, start)
    if listed:
        items, end = _list_items(text, start)
        members = [_clean_member(m, parts[-1][1]) for m in items]
        if len(members) == sum(n for n, _ in parts) and _valid(members, span.phrase):
            return members, "list:" + ("（一）" if text[start] in "（(" else "第一" if text[start] == "第" else "一是"), end
        return None
    end = _sentence_end(text, start)
    found = _split_members(text[start:end], parts)
    if found is None:
        return None
    members = [_clean_member(m, parts[-1][1]) for m in found]
    if not _valid(members, span.phrase):
        return None
    return members, f"marker:{marker.group()}", end


def _top_quotes(text: str) -> list[tuple[int, int]]:
    """Inner spans of the outermost quotes, in order."""
    spans = sorted(quote_spans(text))
    top: list[tuple[int, int]] = []
    for a, b in spans:
        if top and a < top[-1][1]:
            continue
        top.append((a, b))
    return top


def _runs(quotes: list[tuple[int, int]], text: str) -> list[list[tuple[int, int]]]:
    """Quotes joined into runs: “A”、“B”“C” is one run of three."""
    runs: list[list[tuple[int, int]]] = []
    for a, b in quotes:
        if runs and text[runs[-1][-1][1] + 1 : a - 1] in RUN_JOINERS:
            runs[-1].append((a, b))
        else:
            runs.append([(a, b)])
    return runs


def _run_members(text: str, run: list[tuple[int, int]], head: str) -> list[str]:
    if len(run) == 1:
        a, b = run[0]
        return [_clean_member(m, head) for m in text[a:b].split("、")]
    return [_clean_member(text[a:b], head) for a, b in run]


def _run_before(text: str, span: Span, quotes: list[tuple[int, int]], parts) -> tuple[list[str], int] | None:
    """The run of quoted items that ends just before the slogan, and where it starts."""
    outer = span.start - 1 if span.start and text[span.start - 1] == "“" else span.start
    ends = [b for _, b in quotes]
    j = bisect.bisect_left(ends, outer) - 1  # the last quote closing before the slogan
    run: list[tuple[int, int]] = []
    edge = outer
    while j >= 0 and quotes[j][1] + 1 <= edge and text[quotes[j][1] + 1 : edge] in RUN_JOINERS:
        run.insert(0, quotes[j])
        edge = quotes[j][0] - 1
        j -= 1
    if not run:
        return None
    members = _run_members(text, run, parts[-1][1])
    if len(members) == sum(n for n, _ in parts) and _valid(members, span.phrase) and _keyed(span.phrase, members):
        return members, run[0][0] - 1
    return None


def find_definitions(text: str, spans: Iterable[Span]) -> list[Definition]:
    """Definitions of the numbered slogans among ``spans`` in ``text``.

    Args:
        text: A cleaned, normalised document.
        spans: Its mentions, as :meth:`~miner.extract.Extractor.extract` gives them.

    Returns:
        One :class:`~miner.types.Definition` per slogan and member list, in
        order of their evidence, which is ``text[start:end]`` (``doc_id`` and
        ``year`` are left empty; :func:`define_document` fills them in).

    >>> from miner.extract import Span
    >>> text = "要实现“双三”经济发展目标，即GDP达到30亿元，财政收入达到3亿元。"
    >>> [(d.phrase, d.members, d.how) for d in find_definitions(text, [Span(4, 6, "双三", "numbered+quoted", "quoted+short")])]
    [('双三', ('GDP达到30亿元', '财政收入达到3亿元'), 'marker:即')]
    >>> text = "实现“四个一”目标，即引进大项目、培育龙头企业、建成产业园区。"
    >>> find_definitions(text, [Span(3, 6, "四个一", "numbered+quoted", "quoted+classifier")])
    []
    """
    spans = [s for s in spans if s.kind in (NUMBERED, NUMBERED_QUOTED) and slogan_count(s.phrase)]
    if not spans:
        return []
    quotes = _top_quotes(text)
    runs = _runs(quotes, text)
    found: dict[tuple[str, tuple[str, ...]], tuple[str, int, int]] = {}
    defined: set[str] = set()
    for span in spans:
        parts = slogan_parts(span.phrase)
        local = _marker_or_list(text, span, parts)
        if local:
            members, how, end = local
            start = _sentence_start(text, span.start)
        else:
            before = _run_before(text, span, quotes, parts)
            if not before:
                continue
            members, start = before
            how, end = "run:before", _after_quote(text, span.end)
            start = _sentence_start(text, start)
        key = (span.phrase, tuple(members))
        defined.add(span.phrase)
        if key not in found:
            found[key] = (how, start, end)
    for phrase in dict.fromkeys(s.phrase for s in spans):
        if phrase not in defined:
            hit = _run_in_document(text, [s for s in spans if s.phrase == phrase], runs)
            if hit:
                members, start, end = hit
                found[(phrase, tuple(members))] = ("run:document", start, end)
    out = [
        Definition("", None, phrase, members, how, text[start:end], start, end)
        for (phrase, members), (how, start, end) in found.items()
    ]
    out.sort(key=lambda d: (d.start, d.phrase))
    return out


def _run_in_document(text: str, spans: list[Span], runs) -> tuple[list[str], int, int] | None:
    """The quoted run nearest a mention whose members all share the slogan's head."""
    parts = slogan_parts(spans[0].phrase)
    total = sum(n for n, _ in parts)
    own = {(s.start, s.end) for s in spans}
    best = None
    for run in runs:
        # Count the items before cleaning them: most runs are the wrong size.
        size = len(run) if len(run) > 1 else text[run[0][0] : run[0][1]].count("、") + 1
        if size != total or any(q in own for q in run):
            continue
        members = _run_members(text, run, parts[-1][1])
        if len(members) != total or not _valid(members, spans[0].phrase) or not _keyed(spans[0].phrase, members, strict=True):
            continue
        a, b = run[0][0] - 1, run[-1][1] + 1
        distance = min(abs(s.start - b) if b <= s.start else abs(a - s.end) for s in spans)
        if best is None or distance < best[0]:
            best = (distance, members, a, b)
    if best is None:
        return None
    _, members, a, b = best
    return members, _sentence_start(text, a), _sentence_end(text, b)


def define_document(doc: Document, body, spans: Iterable[Span]) -> tuple[Definition, ...]:
    """The definitions in one cleaned document, located in its original text.

    Args:
        doc: The document (its ``text`` is the original the evidence is cut from).
        body: The cleaned :class:`~miner.normalize.NormalText` the spans index.
        spans: The mentions found in ``body.text``.
    """
    out = []
    for d in find_definitions(body.text, spans):
        start, end = body.original_span(d.start, d.end)
        evidence = " ".join(doc.text[start:end].split())
        out.append(replace(d, doc_id=doc.doc_id, year=doc.year, evidence=evidence, start=start, end=end))
    return tuple(out)


def definition_row(d: Definition) -> tuple:
    """One row of ``definitions.csv`` (columns :data:`DEFINITION_COLUMNS`)."""
    return (d.phrase, d.doc_id, d.year, len(d.members), MEMBER_SEPARATOR.join(d.members), d.how, d.evidence,
            d.start, d.end)


def read_definitions(table_dir: str | Path) -> dict[str, list[tuple[str, ...]]]:
    """Each defined slogan of a run and its distinct member lists, most
    documents first; ``{}`` when the run wrote no ``definitions.csv``."""
    from collections import Counter

    from .tables import read_table

    path = Path(table_dir) / "definitions.csv"
    if not path.exists():
        return {}
    seen: dict[str, Counter] = {}
    for row in read_table(path, ("phrase", "members")):
        seen.setdefault(row["phrase"], Counter())[tuple(row["members"].split(MEMBER_SEPARATOR))] += 1
    return {p: [m for m, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))] for p, c in seen.items()}


def add_definition_edges(graph, definitions: dict[str, list[tuple[str, ...]]] | str | Path, *,
                         only_nodes: bool = True):
    """Add an edge of kind ``defines`` from each slogan to each of its members.

    Args:
        graph: An ``nx.Graph`` (a co-occurrence graph, or an empty one).
        definitions: What :func:`read_definitions` returns, or a run's folder.
        only_nodes: Only add members of slogans already in the graph.

    Returns:
        The graph, changed in place.  New member nodes get ``kind="member"``
        and the slogan's ``community``, ``first_year`` and ``last_year`` (so a
        drawing colours them with it); edges get ``kind="defines"`` and
        ``weight`` 1.

    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_node("双三", kind="numbered+quoted")
    >>> g = add_definition_edges(g, {"双三": [("GDP达到30亿元", "财政收入达到3亿元")]})
    >>> sorted(g.edges(data="kind"))
    [('双三', 'GDP达到30亿元', 'defines'), ('双三', '财政收入达到3亿元', 'defines')]
    >>> g.nodes["GDP达到30亿元"]["kind"]
    'member'
    """
    if not isinstance(definitions, dict):
        definitions = read_definitions(definitions)
    for phrase, lists in definitions.items():
        if only_nodes and phrase not in graph:
            continue
        if phrase not in graph:
            graph.add_node(phrase, kind="numbered")
        inherited = {k: graph.nodes[phrase][k] for k in ("community", "first_year", "last_year")
                     if k in graph.nodes[phrase]}
        for members in lists:
            for member in members:
                if member not in graph:
                    graph.add_node(member, kind="member", total=1, **inherited)
                if not graph.has_edge(phrase, member):
                    graph.add_edge(phrase, member, kind="defines", weight=1)
    return graph
