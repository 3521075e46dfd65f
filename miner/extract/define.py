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
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from .core import CLASSIFIERS, NUMBERED, NUMBERED_QUOTED, Span, quote_spans
from ..types import Definition, Document

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

DEFINITION_COLUMNS = ("phrase", "doc_id", "year", "count", "members", "gloss", "how", "evidence", "start", "end")
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


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the phrase, asked for each mention of it
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


def _heads_present(phrase: str, members: Sequence[str]) -> bool:
    """Whether the members carry a compact slogan's heads, in any order:
    保计划内建设, 压计划外建设 … for 三保三压, but nothing of 带 and 路 in a
    sentence after 一带一路.

    >>> _heads_present("三保三压", ["保甲", "压乙", "保丙", "压丁", "保戊", "压己"])
    True
    >>> _heads_present("一带一路", ["实现增长机遇的普惠", "推动发展道路的包容"])
    False
    """
    keys = [(n, head[-2:]) for n, head in slogan_parts(phrase)]
    if not all(any(k in m for _, k in keys) for m in members):
        return False
    return all(sum(k in m for m in members) >= n for n, k in keys)


def _shared_name(members: Sequence[str], parts) -> bool:
    """Whether quoted items are variants of one name rather than a slogan's
    members: beyond the head they share more than it (“新年第一会”“新春第一会”
    share 第一会, not just 新), or a compact slogan's counted character is
    missing (“形象工程”“面子工程” have 工程 but no 通 for 两通工程).

    >>> _shared_name(["新年第一会", "新春第一会"], ((2, "新"),))
    True
    >>> _shared_name(["讲学习", "讲政治", "讲正气"], ((3, "讲"),)), _shared_name(["形象工程", "面子工程"], ((2, "通工程"),))
    (False, True)
    """
    if any(head[0] not in m for n, head in parts for m in members):
        return True
    heads = "".join(h for _, h in parts)
    rests = [m.replace(heads, "", 1) if heads in m else "".join(c for c in m if c not in heads) for m in members]
    prefix = suffix = 0
    while all(len(r) > prefix and r[prefix] == rests[0][prefix] for r in rests):
        prefix += 1
    while all(len(r) > suffix and r[-1 - suffix] == rests[0][-1 - suffix] for r in rests):
        suffix += 1
    return max(prefix, suffix) >= 2


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
    if len(head) == total and all(_clause_ok(c) for c in head) and (len(flat) == total or _stops(flat[total])) \
            and _parallel(head):
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
    named = re.match(r"“([^“”]{1,30})”\s*(是指|指的是|即|指|[：:])?", text[start : start + 40])
    if named and named.group(1) != span.phrase and (named.group(2) or slogan_count(named.group(1))):
        return None  # “两重”“两新”：“两重”指…… explains another slogan
    end = _sentence_end(text, start)
    found = _split_members(text[start:end], parts)
    if found is None:
        return None
    members = [_clean_member(m, parts[-1][1]) for m in found]
    if not _valid(members, span.phrase) or (_is_compact(span.phrase) and not _heads_present(span.phrase, members)):
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


def _run_before(text: str, span: Span, quotes: list[tuple[int, int]], parts,
                ends: Sequence[int]) -> tuple[list[str], int] | None:
    """The run of quoted items that ends just before the slogan, and where it
    starts; ``ends`` are the quotes' ends, computed once per document."""
    outer = span.start - 1 if span.start and text[span.start - 1] == "“" else span.start
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
        spans: Its mentions, as :meth:`~miner.extract.core.Extractor.extract` gives them.

    Returns:
        One :class:`~miner.types.Definition` per slogan and member list, in
        order of their evidence, which is ``text[start:end]`` (``doc_id`` and
        ``year`` are left empty; :func:`define_document` fills them in).

    >>> from miner.extract.core import Span
    >>> text = "要实现“双三”经济发展目标，即GDP达到30亿元，财政收入达到3亿元。"
    >>> [(d.phrase, d.members, d.how) for d in find_definitions(text, [Span(4, 6, "双三", "numbered+quoted", "quoted+short")])]
    [('双三', ('GDP达到30亿元', '财政收入达到3亿元'), 'marker:即')]
    >>> text = "实现“四个一”目标，即引进大项目、培育龙头企业、建成产业园区。"
    >>> find_definitions(text, [Span(3, 6, "四个一", "numbered+quoted", "quoted+classifier")])
    []
    """
    spans = list(spans)
    noted, ranges = _note_definitions(text, spans)
    outside = lambda a: not _in_ranges(ranges, a)  # noqa: E731
    spans = [s for s in spans if s.kind in (NUMBERED, NUMBERED_QUOTED) and slogan_count(s.phrase) and outside(s.start)]
    if not spans:
        return noted
    quotes = [q for q in _top_quotes(text) if outside(q[0])]
    ends = [b for _, b in quotes]
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
            before = _run_before(text, span, quotes, parts, ends)
            if not before:
                continue
            members, start = before
            how, end = "run:before", _after_quote(text, span.end)
            start = _sentence_start(text, start)
        key = (span.phrase, tuple(members))
        defined.add(span.phrase)
        if key not in found:
            found[key] = (how, start, end)
    by_phrase: dict[str, list[Span]] = {}
    for s in spans:
        by_phrase.setdefault(s.phrase, []).append(s)
    # How many items each run holds, counted once for all the phrases.
    sizes = [len(run) if len(run) > 1 else text[run[0][0] : run[0][1]].count("、") + 1 for run in runs]
    for phrase, own in by_phrase.items():
        if phrase not in defined:
            hit = _run_in_document(text, own, runs, sizes)
            if hit:
                members, start, end = hit
                found[(phrase, tuple(members))] = ("run:document", start, end)
    listed = {(d.phrase, d.members) for d in noted}
    out = noted + [
        Definition("", None, phrase, members, how, text[start:end], start, end)
        for (phrase, members), (how, start, end) in found.items()
        if (phrase, members) not in listed
    ]
    out.sort(key=lambda d: d.start)  # stable: a note's slogans in the note's order
    return out


def _run_in_document(text: str, spans: list[Span], runs, sizes: list[int]) -> tuple[list[str], int, int] | None:
    """The quoted run nearest a mention whose members all share the slogan's head
    (``sizes``: how many items each run holds)."""
    parts = slogan_parts(spans[0].phrase)
    total = sum(n for n, _ in parts)
    own = {(s.start, s.end) for s in spans}
    best = None
    for run, size in zip(runs, sizes):
        # Count the items before cleaning them: most runs are the wrong size.
        if size != total or any(q in own for q in run):
            continue
        members = _run_members(text, run, parts[-1][1])
        if len(members) != total or not _valid(members, spans[0].phrase) or not _keyed(spans[0].phrase, members, strict=True):
            continue
        if _shared_name(members, parts):
            continue
        a, b = run[0][0] - 1, run[-1][1] + 1
        distance = min(abs(s.start - b) if b <= s.start else abs(a - s.end) for s in spans)
        if best is None or distance < best[0]:
            best = (distance, members, a, b)
    if best is None:
        return None
    _, members, a, b = best
    return members, _sentence_start(text, a), _sentence_end(text, b)


# -- notes and glossaries ---------------------------------------------------------

CIRCLED = {**{chr(0x2460 + i): i + 1 for i in range(20)}, **{chr(0x2474 + i): i + 1 for i in range(20)},
           **{chr(0x2776 + i): i + 1 for i in range(10)}}
SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
_CIRCLED = "".join(CIRCLED)
_SUPER = "".join(SUPERSCRIPT)
# A note marker and its style: ［6］ [6] 【6】 （6） ⑥ ⑴ 注6 注⑥ ¹.
NOTE_MARK = re.compile(
    rf"(?P<bracket>[［\[【]\d{{1,3}}[］\]】])|(?P<paren>[（(]\d{{1,3}}[）)])|(?P<zhu>注\s*(?:\d{{1,3}}|[{_CIRCLED}]))"
    rf"|(?P<circled>[{_CIRCLED}])|(?P<super>[{_SUPER}]{{1,3}})"
)
# The first characters of the note marks that open an entry outside a note section.
NOTE_OPENERS = frozenset("［[【" + _CIRCLED + _SUPER)
# Styles that mark a note wherever they stand; （6） and 1. also number
# paragraphs, so they open a note only under a note heading.
NOTE_STYLES = frozenset({"bracket", "zhu", "circled", "super"})
NUMBERED_ENTRY = re.compile(r"(\d{1,3})\s*[.．、](?!\d)")
NOTE_HEADING = re.compile(
    r"[（(【\[]?(?:附\s*[:：]?\s*)?(?:本报告)?(名词解释|名词注释|名词释义|释义|注释|附注|备注|注|说明)[】\]）)]?\s*[:：]?"
)
INLINE_HEADING = re.compile(r"[（(]?(?:注释|附注|注)\s*[:：]\s*")
SECTION_HEADING = re.compile(rf"(?:[{ENUM_DIGITS}]+、|[（(][{ENUM_DIGITS}]+[)）]|第[{ENUM_DIGITS}]+[章节部分])")
BODY_OPENER = re.compile(r"(?:是指|指的是|主要指|主要包括|具体包括|主要是|具体是|包括|就是|即|指|是)\s*[：:，,]?\s*")
NOT_TERM = re.compile(r"^(?:是指|指的是|主要指|主要包括|具体包括|包括|主要是|具体是|其中|即|指)$")
QUOTED = re.compile(r"“([^“”\n]{1,30})”")
MAX_TERM = 24
TERM_STRIP = " \t\n，。、；：！？,.;:!?·…-—（）()"
MAX_NOTE = 400  # longest note text read
LINK_GAP = 6  # characters between a mention and the note marker after it (“三变”改革［5］)
# A verb that opens a lead-in shared by a list (对困难企业实行|帮扶一批、…).
LEAD_VERB = re.compile(r"^.{0,12}?(?:实行|实施|推动|推进|开展|坚持|打造|联系|做到|实现|加快|抓好|聚焦|围绕|着力)")
# Adverbs before a verb phrase all members share (……深度融合, ……同步发展).
SHARED_ADVERB = "(?:深度|协同|同步|一体化?|统筹|共同|相互|有机|有)?"


@dataclass(frozen=True)
class Note:
    """One entry of a report's notes: the terms it explains and its text.

    ``number`` is its marker's number (``None`` for an unmarked glossary
    entry), ``start``/``end`` where the entry stands in the text, ``how``
    ``glossary`` under a 名词解释 heading and ``note`` otherwise;
    ``standalone`` when no heading or 注 opens it, only its marker.
    """

    number: int | None
    terms: tuple[str, ...]
    body: str
    start: int
    end: int
    how: str
    standalone: bool = False


def _mark_number(mark: str) -> int | None:
    digits = "".join(SUPERSCRIPT.get(c, c) for c in mark if "0" <= c <= "9" or c in SUPERSCRIPT)
    if digits:
        return int(digits)
    circled = [CIRCLED[c] for c in mark if c in CIRCLED]
    return circled[0] if circled else None


def _note_terms(head: str) -> tuple[str, ...]:
    """The slogans a note's head names: its quoted parts (“两重”“两新”,
    “三变”改革), or the head itself when nothing is quoted."""
    head = head.strip(TERM_STRIP)
    quoted = [q.strip(MEMBER_STRIP) for q in QUOTED.findall(head)]
    rest = QUOTED.sub("", head).strip(MEMBER_STRIP + "和与及")
    if quoted and len(rest) <= 6 and all(quoted):
        return tuple(re.sub(r"\s+", "", q) for q in quoted)
    head = re.sub(r"\s+", "", head.replace("“", "").replace("”", ""))
    if not 2 <= len(head) <= MAX_TERM or NOT_TERM.match(head) or re.search(r"[，,。；;！？!?]", head):
        return ()
    return (head,)


def _split_head(rest: str, *, bare: bool) -> tuple[str, str] | None:
    """(head, text) of a note entry after its marker: 三区联动：…, “两重”指…,
    双轮驱动  是指…, or, when ``bare``, a head alone on its line."""
    colon = re.search(r"[：:]", rest[: MAX_TERM + 8])
    if colon and _note_terms(rest[: colon.start()]):
        return rest[: colon.start()], rest[colon.end():]
    m = re.match(rf"((?:“[^“”]{{1,30}}”[、，和与及]?)+|[^\s：:，,。；;“”]{{2,{MAX_TERM}}}?)\s*(?=是指|指的是|\s)", rest)
    if m and _note_terms(m.group(1)):
        return m.group(1), rest[m.end():]
    m = re.match(r"((?:“[^“”]{1,30}”[、，和与及]?)+)\s*(?=指|即)", rest)
    if m and _note_terms(m.group(1)):
        return m.group(1), rest[m.end():]
    if bare and len(rest.strip()) <= MAX_TERM and _note_terms(rest):
        return rest, ""
    return None


def _entry_at(line: str, in_section: bool, *, bare: bool = False) -> tuple[str | None, int | None, str, str] | None:
    """(marker style, number, head, text) when ``line`` opens a note entry;
    ``bare`` lets an unmarked line of a glossary be a term alone (双轮驱动⏎是指……)."""
    s = line.strip()
    m = NOTE_MARK.match(s)
    if m:
        style = m.lastgroup
        if style not in NOTE_STYLES and not in_section:
            return None
        rest = s[m.end():].lstrip(" ：:")
        found = _split_head(rest, bare=in_section)
        return (style, _mark_number(m.group()), *found) if found else None
    m = NUMBERED_ENTRY.match(s)
    if m:
        if not in_section:
            return None
        found = _split_head(s[m.end():].strip(), bare=True)
        return ("number", int(m.group(1)), *found) if found else None
    if in_section and not SECTION_HEADING.match(s):
        found = _split_head(s, bare=bare)
        if found:
            return (None, None, *found)
    return None


def find_notes(text: str) -> list[Note]:
    """The note and glossary entries of a document.

    A note section opens at a heading line (名词解释, 注释, 附注, 注…) or a
    line that starts with 注：; outside one, an entry needs a marker that only
    notes use (［6］ [6] ⑥ 注6 ¹).  An entry is its marker or number, the
    term(s) it explains, and its text: the rest of the line and the lines
    after it, up to the next entry with the same kind of marker, a section
    heading (二、…), or a line of the body after a finished sentence.

    >>> text = "推动“两个清单”［7］落地。\\n名词解释\\n［7］两个清单：\\n指政府权责清单和市场准入负面清单。"
    >>> [(n.number, n.terms, n.body, n.how) for n in find_notes(text)]
    [(7, ('两个清单',), '指政府权责清单和市场准入负面清单。', 'glossary')]
    """
    notes: list[Note] = []
    section: str | None = None
    current: dict | None = None  # the entry being read

    def close():
        nonlocal current
        if current is not None:
            terms = _note_terms(current["head"])
            body = current["body"].strip()
            if current["paren"]:
                body = re.sub(r"[）)]$", "", body)  # （注⑧：……）
            if terms:
                notes.append(Note(current["number"], terms, body[:MAX_NOTE], current["start"], current["end"],
                                  current["how"], current["standalone"]))
            current = None

    def complete() -> bool:
        return current is not None and current["body"].rstrip().endswith(("。", "）", ")"))

    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        s = line.strip()
        if not s:
            continue
        if section is None and current is None and s[0] not in NOTE_OPENERS and not (
            "注" in s or "释" in s or "说明" in s
        ):
            continue  # no heading word and no note mark first: a line of the body outside any note
        heading = NOTE_HEADING.fullmatch(s)
        if heading:
            close()
            section = "glossary" if re.search("名词|释义", heading.group(1)) else "note"
            continue
        lead = len(line) - len(line.lstrip())
        noted = section is not None
        paren = False
        inline = INLINE_HEADING.match(s)
        if inline and not NOTE_MARK.match(s):
            noted, lead = True, lead + inline.end()  # 注：（1）……
        elif s[0] in "（(" and (m := NOTE_MARK.match(s, 1)) and m.lastgroup == "zhu":
            lead, paren = lead + 1, True  # （注⑧：……）
        rest = line[lead:]
        bare = section is not None and (current is None or complete())
        entry = _entry_at(rest, noted, bare=bare)
        if entry and current is not None and entry[0] != current["style"] and not complete():
            entry = None  # a list inside the entry being read: （1）… under 2.三个一百
        if entry is None:
            if current is not None and not SECTION_HEADING.match(s) and (
                not complete() or (section is not None and len(s) <= 60)
            ):
                current["body"] += "\n" + s
                current["end"] = line_start + len(line)
            else:
                close()
                if SECTION_HEADING.match(s) or len(s) > 60:
                    section = None
            continue
        close()
        style = entry[0]
        starts = [0]
        if style is not None:  # several entries on one line: 注：（1）……。（2）……
            starts += [m.start() for m in NOTE_MARK.finditer(rest, 1)
                       if m.lastgroup == style and rest[m.start() - 1] in "。；;）)"]
        for a, b in zip(starts, starts[1:] + [len(rest)]):
            found = _entry_at(rest[a:b], noted or a > 0, bare=bare and a == 0)
            if found is None:
                if current is not None:
                    current["body"] += rest[a:b]
                continue
            close()
            st, number, head, body = found
            current = {"style": st, "number": number, "head": head, "body": body, "paren": paren,
                       "start": line_start + lead + a, "end": line_start + lead + b,
                       "how": "glossary" if section == "glossary" else "note", "standalone": not noted and not paren
                       and st == "circled"}
    close()
    return notes


def define_document(doc: Document, body, spans: Iterable[Span]) -> tuple[Definition, ...]:
    """The definitions in one cleaned document, located in its original text.

    Args:
        doc: The document (its ``text`` is the original the evidence is cut from).
        body: The cleaned :class:`~miner.preprocess.normalize.NormalText` the spans index.
        spans: The mentions found in ``body.text``.
    """
    from ..pipeline import as_written

    out = []
    for d in find_definitions(body.text, spans):
        start, end = body.original_span(d.start, d.end)
        evidence = " ".join(as_written(doc.text, body, d.start, d.end).split())
        out.append(replace(d, doc_id=doc.doc_id, year=doc.year, evidence=evidence, start=start, end=end))
    return tuple(out)


def definition_row(d: Definition) -> tuple:
    """One row of ``definitions.csv`` (columns :data:`DEFINITION_COLUMNS`)."""
    return (d.phrase, d.doc_id, d.year, len(d.members), MEMBER_SEPARATOR.join(d.members), d.gloss, d.how,
            d.evidence, d.start, d.end)


def read_definitions(table_dir: str | Path) -> dict[str, list[tuple[str, ...]]]:
    """Each defined slogan of a run and its member lists: from
    ``dictionary.csv`` the one list most documents agree on, or, for a run
    without one, every distinct list of ``definitions.csv``, most documents
    first; ``{}`` when the run wrote neither.  Glosses have no members and
    are left out."""
    from collections import Counter

    from ..io.tables import read_table

    table_dir = Path(table_dir)
    if (table_dir / "dictionary.csv").exists():
        return {row["phrase"]: [tuple(row["members"].split(MEMBER_SEPARATOR))]
                for row in read_table(table_dir / "dictionary.csv", ("phrase", "members")) if row["members"]}
    path = table_dir / "definitions.csv"
    if not path.exists():
        return {}
    seen: dict[str, Counter] = {}
    for row in read_table(path, ("phrase", "members")):
        if not row["members"]:
            continue  # a gloss
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


def _in_ranges(ranges: Sequence[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` falls in one of ``ranges`` (in order, not overlapping)."""
    i = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def _body_markers(text: str, spans: Sequence[Span], notes: Sequence[Note]) -> dict[int, list[tuple[int, Span]]]:
    """Note number → (position, mention) of each marker in the body that
    follows a mention: “两个清单”［7］, “三变”改革［5］, 三个一百², 三项改革注4."""
    inside = [(n.start, n.end) for n in notes]
    ends = [s.end for s in spans]
    out: dict[int, list[tuple[int, Span]]] = {}
    for m in NOTE_MARK.finditer(text):
        a = m.start()
        if a == 0 or text[a - 1] == "\n" or _in_ranges(inside, a):
            continue
        j = bisect.bisect_right(ends, a) - 1
        while j >= 0 and spans[j].end > a:
            j -= 1
        if j < 0:
            continue
        gap = text[spans[j].end : a]
        if len(gap) > LINK_GAP or re.search(r"[，,。；;：:！？!?\n“]", gap):
            continue
        number = _mark_number(m.group())
        if number is not None:
            out.setdefault(number, []).append((a, spans[j]))
    return out


def _note_pieces(note: Note) -> list[tuple[str, str]]:
    """(term, text) for each slogan a note explains.  A note for two slogans
    names each in its own piece (“两重”指……；“两新”指……); unnamed pieces
    go to the head's terms in order when their numbers agree, else the whole
    text is each term's gloss and no one's members."""
    body = note.body.replace("\n", "")
    pieces = [p for p in re.split(r"[；;](?=“)", body) if p.strip()]
    named: dict[str, str] = {}
    unnamed: list[str] = []
    for piece in pieces:
        m = re.match(r"\s*“([^“”]{1,30})”\s*(?:是指|指的是|即|指|是|[：:])", piece)
        if m and m.group(1) not in named:
            named[m.group(1)] = piece[m.end():]
        else:
            unnamed.append(piece)
    terms = list(dict.fromkeys(note.terms + tuple(named)))
    if len(terms) == 1:
        return [(terms[0], named.get(terms[0], body))]
    rest = [t for t in terms if t not in named]
    if rest and len(rest) == len(unnamed):
        named.update(zip(rest, unnamed))
    return [(t, named[t]) if t in named else (t, "") for t in terms]


def _parallel(clauses: Sequence[str]) -> bool:
    """Whether clauses share a sentence frame: a first or last character
    (毫不动摇…, …责任), or a number in each (GDP达到30亿元, 财政收入达到3亿元)."""
    cs = [c.strip(MEMBER_STRIP) for c in clauses]
    if not all(cs):
        return False
    if all(re.search(r"\d", c) for c in cs):
        return True
    return len({c[0] for c in cs}) == 1 or len({c[-1] for c in cs}) == 1


def _items(segment: str, n: int) -> list[str] | None:
    """``n`` items of a 、 list, the last two perhaps joined by 和 (A、B和C)."""
    items = segment.split("、")
    if len(items) == n:
        return items
    if len(items) == n - 1:
        halves = CONJUNCTION.split(items[-1], maxsplit=1)
        if len(halves) == 2 and all(len(h.strip(MEMBER_STRIP)) >= 2 for h in halves):
            a, b = (len(h) for h in halves)
            if max(a, b) <= 3 * min(a, b):
                return items[:-1] + halves
    return None


def _trim_lead(members: list[str]) -> list[str]:
    """Cut a lead-in from the first member that the others do not share:
    对困难企业实行|帮扶一批, 每个县级领导联系|一个乡镇."""
    if len(members) < 2:
        return members
    first, others = members[0], members[1:]

    prefix = others[0] if len(others) > 1 else ""
    for o in others[1:]:
        while prefix and not o.startswith(prefix):
            prefix = prefix[:-1]
    if prefix:
        i = first.find(prefix, 1)
        if i > 0 and len(first) - i >= 2:
            return [first[i:]] + others
        return members
    m = LEAD_VERB.match(first)
    if m and len(first) - m.end() >= 2 and not any(o.startswith(m.group()[-2:]) for o in others):
        return [first[m.end():]] + others
    return members


def _trim_tail(member: str, phrase: str, head: str, others: Sequence[str] = ()) -> str:
    """Cut what follows the last member and belongs to all: a restated
    slogan (……组织振兴五大行动), or a verb phrase from a compact slogan's
    head (综合保税区联动发展 for 三区联动) or after 有 (住房安全有保障)."""
    restated = rf"(?:等)?(?:{re.escape(phrase)}|[{NUMERAL_CHARS}]+[{CLASSIFIERS}]?{re.escape(head)})(?:发展|建设)?$"
    m = re.search(restated, member)
    if m and m.start() >= 2 and not any(member[m.start():] in o for o in others):
        return member[: m.start()]
    if _is_compact(phrase) and len(head) >= 3:
        m = re.search(rf"{SHARED_ADVERB}{re.escape(head[1:])}(?:发展|建设|推进)?$", member)
    elif len(head) >= 2:
        m = re.search(rf"(?:有|深度|协同|同步){re.escape(head)}$", member)
    else:
        m = None
    if m and m.start() >= 2 and not any(member[m.start():] in o for o in others):
        return member[: m.start()]
    return member


LIST_ITEM = re.compile(rf"(?:[（(]\d{{1,2}}[)）]|\d{{1,2}}[.．、](?!\d)|[{_CIRCLED}]|[{ENUM_DIGITS}]是|[（(][{ENUM_DIGITS}][)）]|第[{ENUM_DIGITS}][，,、：:])")


def _note_list(text: str) -> list[str] | None:
    """The items of a numbered list a note's text opens with (（1）… （2）…,
    一是……，二是……), or ``None`` when it does not open with one."""
    s = text.lstrip(" \n：:")
    first = LIST_ITEM.match(s)
    if not first:
        return None
    marks = [m for m in LIST_ITEM.finditer(s)
             if m.start() == 0 or s[m.start() - 1] in "\n，,；;。：: "]
    items = []
    for a, b in zip(marks, marks[1:] + [None]):
        item = s[a.end() : b.start() if b else len(s)]
        items.append(re.split(r"[。\n]", item)[0] if b is None else item)
    return [i.strip(MEMBER_STRIP) for i in items]


def _note_members(body: str, phrase: str) -> list[str] | None:
    """The members a note's text lists for ``phrase``, or ``None`` when it
    does not list as many as the slogan's number (a describing note).

    >>> _note_members("即企业开办零成本、项目审批零跑腿，全程网办。", "两零")
    ['企业开办零成本', '项目审批零跑腿']
    >>> _note_members("以中心城区为核心，以东部新城和西部产业园为两翼，形成带动全区发展的格局。", "一核两翼") is None
    True
    """
    parts = slogan_parts(phrase)
    total = slogan_count(phrase)
    if not total:
        return None
    text = BODY_OPENER.sub("", body.strip(), count=1) if BODY_OPENER.match(body.strip()) else body.strip()
    listed = _note_list(text)
    if listed is not None:
        found = listed if len(listed) == total else None
    else:
        sentence = re.split(r"[。！？!?]", text.replace("\n", ""))[0]
        sentence = re.sub(r"”\s*[、，,和与及]?\s*“", "、", sentence).replace("“", "").replace("”", "")
        found = _note_split(sentence, parts, phrase)
    if not found:
        return None
    members = _trim_lead([m.strip(MEMBER_STRIP) for m in found])
    i = 0
    for n, head in parts:  # the last member of each group may carry the group's tail
        if n > 1 or len(parts) > 1:
            members[i + n - 1] = _trim_tail(members[i + n - 1], phrase, head, members[i : i + n - 1])
        i += n
    members = [_clean_member(m, parts[-1][1]) if len(parts) == 1 else m.strip(MEMBER_STRIP) for m in members]
    return members if _valid(members, phrase) else None


def _note_split(sentence: str, parts, phrase: str) -> list[str] | None:
    groups = [n for n, _ in parts]
    total = sum(groups)
    flat = [c for c in re.split(r"[，,；;]", sentence)]
    if len(flat) == total and _parallel(flat):
        return flat  # 毫不动摇巩固……，毫不动摇鼓励……
    if len(groups) > 1:  # 送……、送……，服务实体经济; 一目录即……；五清单即……
        for level in (re.split(r"[；;]", sentence), flat):
            if len(level) != len(groups):
                continue
            out: list[str] = []
            listed = False
            for piece, n, (m, head) in zip(level, groups, parts):
                piece = re.sub(rf"^[{NUMERAL_CHARS}]+[^，、；]{{0,6}}?(?:是指|即|指|是|[：:])", "", piece.strip())
                items = [piece] if n == 1 else _items(piece, n)
                if items is None:
                    break
                listed = listed or n > 1
                out += items
            else:
                if listed:
                    return out
    clauses = re.split(r"[，,；;]", sentence)
    return _items(clauses[0], total)


def _note_definitions(text: str, spans: Sequence[Span]) -> tuple[list[Definition], list[tuple[int, int]]]:
    """Definitions from the notes of a document, and where its notes stand."""
    notes = find_notes(text)
    if not notes:
        return [], []
    spans = sorted(spans, key=lambda s: s.end)
    ranges = [(n.start, n.end) for n in notes]
    outside = [s for s in spans if not _in_ranges(ranges, s.start)]
    markers = _body_markers(text, outside, notes)
    mentioned = {s.phrase for s in outside}
    out: list[Definition] = []
    for note in notes:
        linked = [sp for at, sp in markers.get(note.number, []) if at < note.start] if note.number is not None else []
        link = linked[-1].phrase if linked else None
        if note.standalone and link is None:
            continue  # ①加强“三农”工作：…… numbers a paragraph unless a mention points to it
        by_term: dict[str, list[str] | None] = {}
        glosses: dict[str, str] = {}
        pieces = _note_pieces(note)
        # 两带一区 written as one name, not “六稳”“六保” side by side
        one_name = bool(linked) and not re.search("[“”]", text[linked[-1].start : linked[-1].end])
        parts_of_link = one_name and len(pieces) > 1 and link == "".join(t for t, _ in pieces)
        for term, body in pieces:
            numbered = slogan_count(term) > 0
            if not (numbered or term in mentioned or term == link or parts_of_link):
                continue  # a glossary's plain terms are not slogans
            members = _note_members(body, term) if body else None
            by_term[term] = members
            glosses[term] = _gloss(body or note.body)
        if parts_of_link and link not in by_term and link == "".join(by_term):
            # “两带”“一区” explained for 两带一区: the members of its parts in order
            combined: list[str] = []
            for term, members in by_term.items():
                if members is None and slogan_count(term) == 0 and len(slogan_parts(term)) == 1:
                    members = [_gloss(_note_pieces_body(note, term))]
                if members is None:
                    combined = []
                    break
                combined += members
            if combined and len(combined) == slogan_count(link):
                by_term[link], glosses[link] = combined, ""
        evidence = text[note.start : note.end]
        for term, members in by_term.items():
            if not members and not re.search(r"[\u3400-\u9fffA-Za-z0-9]", glosses[term]):
                continue  # nothing but punctuation
            out.append(Definition("", None, term, tuple(members or ()), note.how, evidence, note.start, note.end,
                                  "" if members else glosses[term]))
    return out, ranges


def _note_pieces_body(note: Note, term: str) -> str:
    return dict(_note_pieces(note)).get(term, "")


def _gloss(body: str) -> str:
    text = " ".join(body.split())
    text = BODY_OPENER.sub("", text, count=1) if BODY_OPENER.match(text) else text
    return text.strip(" ；;，,。")


# -- measuring ----------------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionScore:
    """How a set of definitions compares with a labelled one.

    ``expected`` rows are ``(doc, phrase) → members`` (``()`` for a gloss);
    a definition is right when its document and phrase are labelled and its
    members are the labelled ones (none for a gloss).
    """

    expected: int
    recovered: int
    given: int
    right: int
    missed: tuple[tuple[str, str, tuple[str, ...]], ...]
    wrong: tuple[tuple[str, str, tuple[str, ...]], ...]

    @property
    def recall(self) -> float:
        return self.recovered / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.given if self.given else 1.0


def score_definitions(found: Iterable[Definition],
                      expected: dict[tuple[str, str], tuple[str, ...]]) -> DefinitionScore:
    """Compare definitions with labelled ones (see :class:`DefinitionScore`).

    >>> d = Definition("r1", 2020, "两山", (), "note", "", 0, 0, "绿水青山就是金山银山")
    >>> s = score_definitions([d], {("r1", "两山"): (), ("r1", "六稳"): ("稳就业", "稳金融")})
    >>> (s.recovered, s.expected, s.right, s.given, s.missed)
    (1, 2, 1, 1, (('r1', '六稳', ('稳就业', '稳金融')),))
    """
    given = [(d.doc_id, d.phrase, tuple(d.members)) for d in found]
    right = [g for g in given if expected.get(g[:2]) == g[2]]
    got = set(right)
    missed = tuple((doc, phrase, members) for (doc, phrase), members in expected.items()
                   if (doc, phrase, members) not in got)
    wrong = tuple(g for g in given if g not in got)
    return DefinitionScore(len(expected), len(expected) - len(missed), len(given), len(right), missed, wrong)
