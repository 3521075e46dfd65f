"""Find numbered slogans and quoted phrases in normalised text.

Two extractors run over each cleaned, normalised document:

* :func:`extract_quoted` returns every span in paired quotes (any style, made
  “” by :mod:`miner.normalize`), 2–30 characters, nested quotes included;
* :func:`extract_numbered` returns numbered slogans quoted or not, one rule
  per shape: known slogans (``lexicon``), numeral + classifier + head
  (``classifier``: 两个率先, 四项基本原则), parallel numeral parts
  (``compact``: 三去一降一补, 两不愁三保障), five-year-plan tags (``plan``: 十一五),
  Arabic forms (``arabic``: 1+8, 863计划) and 双 + numeral (``double``: 双三).

:func:`extract_mentions` merges the two: a quoted span that is itself a
numbered slogan is one mention of kind ``numbered+quoted``.  Every rule
rejects what only looks numbered: dates and Chinese-numeral years, quantities
with units, ordinal markers, ordinary words and names from jieba's
dictionary, meeting ordinals and plain durations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator

from .lexicon import Lexicon, trie_pattern

__all__ = [
    "Span",
    "Extractor",
    "extract_quoted",
    "quote_spans",
    "NUMBERED",
    "QUOTED",
    "NUMBERED_QUOTED",
]

NUMBERED = "numbered"
QUOTED = "quoted"
NUMBERED_QUOTED = "numbered+quoted"

MIN_QUOTED, MAX_QUOTED = 2, 30
# A quote longer than this is not looked into: nested quotes would otherwise
# make the quoted text read quadratic in the depth of the nesting.
MAX_QUOTE_SPAN = 4 * MAX_QUOTED
# A compact slogan has a few parallel parts (三去一降一补: 3); a longer chain is
# an enumeration, and a part's numeral is short (十二): bounding both keeps the
# scan from each start short.
MAX_PARTS, MAX_PART_NUMERAL = 6, 3

DIGITS = "〇零一二三四五六七八九十"
COUNT = "一二三四五六七八九十两"
CLASSIFIERS = "个项大条种点类句支张"
# Characters after a numeral that make a quantity, a time or a function word,
# never one part of a compact slogan (一年一度, 一是, 一些, 三分之一).
NOT_PART = set("年月日天季次倍成岁元分秒周时米吨亿万千百个些是要样切般定直致起同律半份批点位名届号级层第多余又")
# A numeral preceded by these is an ordinal, a date or part of a bigger number.
BEFORE_NUMERAL = set("〇零一二三四五六七八九十两百千万亿第每前后近头这那其各几数多余初上下星周礼")
# Heads after numeral + classifier that only count things (三个方面, 两个月).
COUNTING_HEADS = frozenset(
    """方面 问题 月 年 小时 百分点 国家 地区 省份 城市 部门 单位 人 阶段 层次 环节 任务 措施 项目 企业 行业
    领域 时期 原因 因素 部分 步骤 方向 关系 条件 特点 作用 办法 建议 内容 工作 方法 问 星期
    季度 世纪 时间 地方 人员 同志 部委 省市 县市 国 省 市 县 区 乡 村 家 户 种类 类型 指标 目标 文件 会议
    意见 要求 方案 政策 制度 经验 教训 成绩 成就 特征 倍 多 以上 左右 亿 万 千 百 主要 大型 大的 重大
    新的 突出 明显 显著 较大 很大 不同 具体 有关 相关 这样 层面 维度 角度 渠道 途径 环境 产业 部类 价格 基本法 大国
    特别 孩子 子女 工业部 部 委 局 厅 司 处 科 室 组 队 班 人民 群众 国务院 代表团""".split()
)
# 三大任务, 两大主题: after 大 these heads name a formula rather than count.
BIG_HEADS = frozenset("任务 目标 战略 工程 领域 板块 产业 方针".split())
MEETING_WORDS = frozenset("召开 以来 精神 报告 提出 强调 胜利 闭幕 开幕 通过 期间 以后 之后 确定 作出 部署 指出 决定 代表 前后".split())
# Heads that only modify the next word (四项基本原则): they must take it along.
MODIFIERS = frozenset("基本 主要 重要 重大 重点 专项 关键 根本 核心 突出 总体".split())
# Words that follow a head rather than extend it (八项规定 | 精神).
HEAD_SUFFIXES = frozenset(
    """精神 思想 重要 建设 战略 要求 目标 任务 活动 方针 路线 理论 政策 措施 部署 决策 落实 实施 以来 期间 工作
    内容 的 方面 问题 体系 机制 格局 布局 基础""".split()
)
BOUNDARY = set("，。、；：！？,.;:!?（）()“”《》的和与及或是为在上中下等\n ")

QUOTE_CHAR = re.compile("[“”\n]")
# Patterns start with a character class, not a lookbehind, so that the regex
# engine can skip ahead quickly; what may not precede a match is checked after.
PLAN = re.compile(
    r"(?:十[一二三四五六]?|[一二三四五六七八九])五"
    r"(?=计划|规划|期间|时期|末|初|前期|中期|后期|以来|开局|收官|目标|纲要|建议|发展|$)"
)
NOT_BEFORE_PLAN = set("〇零一二三四五六七八九十百千第")
PLAN_EXACT = re.compile(r"^(?:十[一二三四五六]?|[一二三四五六七八九])五$")
CLASSIFIER = re.compile(rf"([{COUNT}]{{1,3}})([{CLASSIFIERS}])")
# Where a classifier or compact slogan may start: a numeral not continuing a
# number or an ordinal, followed by a classifier or, within two characters,
# by a second numeral.  The lookbehind (after the first character, so the
# engine still skips ahead on the class) keeps the lookahead to the first
# numeral of a run: tried at every numeral of a run, it would rescan the rest
# of the run each time, quadratic in the run's length (numeral tables).
SHAPE_START = re.compile(
    rf"[{COUNT}双](?<![{''.join(sorted(BEFORE_NUMERAL))}].)(?=[{COUNT}]*(?:[{CLASSIFIERS}]|[^{COUNT}\n]{{1,2}}[{COUNT}双]))"
)
DOUBLE = re.compile(rf"双[{DIGITS}]+(?![{DIGITS}])")
# Only from a number's first digit (as SHAPE_START): 1+1+1+…+1% is scanned once.
ARABIC = re.compile(r"\d(?<![0-9.+]\d)\d{0,2}(?:\+(?:\d{1,2}|[A-Za-z]|N))+(?![\d%.+])")
ARABIC_PROGRAM = re.compile(r"\d{3}(?=工程|计划|战略|行动|人才工程)")
NOT_BEFORE_ARABIC = set("0123456789.+")
# Quoted Arabic forms: 1+8, 4+1, 132, 863 — not phone numbers or years (12345, 2035).
ARABIC_EXACT = re.compile(r"^(?:\d{1,3}|[\dA-Za-z×*]{1,3}(?:\+[\dA-Za-z×*]{1,3})+)$")
QUANTITY = re.compile(
    rf"^[{DIGITS}两\d]*(?:分之|百分|万|亿|千|百|年[{DIGITS}\d]|月[{DIGITS}\d]|点[{DIGITS}\d])|^第|^\d+(?:\.\d+)?[%万亿年月日号]"
)
# Ordinary words that start with a numeral and are never a slogan on their own.
ORDINARY = frozenset(
    """一些 一定 一系列 一批 一切 一般 一样 一致 一起 一直 一再 一旦 一向 一度 一律 一贯 一概 一道 一同 一齐
    一番 一份 一半 一下 一点 一时 一心 一方面 一手 一线 一带 一体 一体化 一流 一把手 一揽子 一站式 一盘棋 一刀切
    一定要 一大批 一部分 一系 统一 唯一 万一 十分 万分 百般 千万 一举 一边 一面 三番五次 一连 一来
    两者 两者之间 一方 双方 双边 双重 双向 双手 单一 一次性 一口气 一窝蜂 一阵 一带一路沿线 一方水土""".split()
)
NAME_TAGS = frozenset("ns nr nrt nrfg".split())
VETO_TAGS = frozenset("i d c p r u a ad t ns nr nrt nrfg q".split())


@dataclass(frozen=True)
class Span:
    """A phrase found at ``[start, end)`` of the normalised text."""

    start: int
    end: int
    phrase: str
    kind: str
    rule: str


def quote_spans(text: str) -> Iterator[tuple[int, int]]:
    """Inner ``[start, end)`` of every paired quote, nested ones included.

    A quote left open at a line break is dropped.

    >>> list(quote_spans("“坚持“三个代表”重要思想”和“未闭合\\n"))
    [(4, 8), (1, 13)]
    """
    stack: list[int] = []
    for m in QUOTE_CHAR.finditer(text):
        c = m.group()
        if c == "“":
            stack.append(m.end())
        elif c == "”":
            if stack:
                yield stack.pop(), m.start()
        else:
            stack.clear()


_STRIP = " \t，。、；：！？,.;:!?·…-—"
# Inside a phrase, spaces and nested quotes are not part of its canonical form.
_INNER_NOISE = re.compile(r"[\s“”]+")
_WORDY = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def extract_quoted(text: str) -> Iterator[Span]:
    """Every quoted phrase of 2–30 characters, as kind ``quoted``.

    >>> [s.phrase for s in extract_quoted("开展“工业服务年”、“项目推进年”活动和“奖”")]
    ['工业服务年', '项目推进年']
    """
    for a, b in quote_spans(text):
        if b - a > MAX_QUOTE_SPAN:
            continue
        inner = text[a:b]
        stripped = inner.strip(_STRIP)
        phrase = _INNER_NOISE.sub("", stripped)
        if not MIN_QUOTED <= len(phrase) <= MAX_QUOTED or not _WORDY.search(phrase):
            continue
        a += len(inner) - len(inner.lstrip(_STRIP))
        yield Span(a, a + len(stripped), phrase, QUOTED, "quoted")


class Extractor:
    """Numbered-slogan and quoted-phrase extractor over normalised text.

    >>> from miner.lexicon import load_lexicon
    >>> ex = Extractor(load_lexicon())
    >>> [(s.phrase, s.kind) for s in ex.extract("实现“两个率先”，落实三去一降一补，一九八五年")]
    [('两个率先', 'numbered+quoted'), ('三去一降一补', 'numbered')]
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._known = re.compile(trie_pattern(lexicon.known)) if lexicon.known else None

    # -- numbered shapes -------------------------------------------------
    def _ordinary(self, word: str) -> bool:
        return word in ORDINARY or self.lexicon.tags.get(word, "") in VETO_TAGS

    def _classifier_at(self, text: str, m: re.Match, quoted: bool) -> int:
        """End of a numeral + classifier + head slogan starting at ``m``, or -1."""
        head_at = m.end()
        if head_at < len(text) and text[head_at] == "*":
            return head_at + 1
        if quoted:
            return len(text)
        if m.group(1)[0] == "一" or m.group(2) == "点" or len(m.group(1)) > 1:
            return -1  # 一个X, N点 and 五十个X count too many things to trust unquoted
        big = m.group(2) == "大"
        if big and ("十" in m.group(1) or text[head_at : head_at + 2] in MEETING_WORDS):
            return -1  # 党的十八大, 八大以来: a party congress, not "the eight big …"
        first = self.lexicon.longest_word(text, head_at)
        if not first or first[0] in NOT_PART or first[0] in DIGITS or (first in COUNTING_HEADS and not (big and first in BIG_HEADS)):
            return -1
        end = head_at + len(first)
        if len(first) == 2 and end < len(text) and text[end] not in BOUNDARY:
            second = self.lexicon.longest_word(text, end, 2)
            after = end + len(second)
            if (
                second
                and (first in MODIFIERS or after >= len(text) or text[after] in BOUNDARY)
                and second not in COUNTING_HEADS
                and second not in HEAD_SUFFIXES
            ):
                return after
        return -1 if first in MODIFIERS else end

    def _compact_at(self, text: str, pos: int) -> int:
        """End of a run of parallel numeral parts (三去一降一补) at ``pos``, or -1."""
        best = -1
        for width in (2, 1):
            parts, i, seen = 0, pos, set()
            while i < len(text) and parts <= MAX_PARTS and (text[i] in COUNT or text[i] == "双"):
                j = i + 1
                while j < len(text) and j - i < MAX_PART_NUMERAL and text[j] in COUNT:
                    j += 1  # 十二 etc.
                part = text[j : j + width]
                if len(part) < width or any(c in NOT_PART or c in DIGITS or c in "两双" or not _is_cjk(c) for c in part):
                    break
                piece = text[i : j + width]
                if piece in ORDINARY or self.lexicon.tags.get(piece, "") in NAME_TAGS:
                    break  # 两岸双方, 三峡三期: 双方 is a word, 三峡 a place
                seen.add(part)
                parts, i = parts + 1, j + width
            if 2 <= parts <= MAX_PARTS and len(seen) > 1 and i > best:
                end = i
                # 五讲四美三热爱: widen the last part when it and the next char form a word.
                if (
                    width == 1
                    and end < len(text)
                    and text[end] not in BOUNDARY
                    and text[end] not in "为要就也都而并对将把被让使"
                    and text[end - 1 : end + 1] in self.lexicon.words
                ):
                    end += 1
                best = end
        if best < 0:
            return -1
        whole = text[pos:best]
        if _reduplicated(whole) or self._ordinary(whole) or any(whole.startswith(w) for w in ("一心", "一点", "一年", "一天")):
            return -1
        return best

    def inside_word(self, text: str, pos: int) -> bool:
        """Whether the numeral at ``pos`` ends or sits inside a dictionary word
        that starts before it (进一步, 统一, 唯一)."""
        words = self.lexicon.words
        for back in (1, 2, 3):
            if pos - back < 0:
                break
            for size in range(back + 1, 5):
                if text[pos - back : pos - back + size] in words:
                    return True
        return False

    def numbered_shape(self, text: str, pos: int = 0, *, quoted: bool = False) -> tuple[int, str]:
        """``(end, rule)`` of the numbered slogan starting at ``pos``, or ``(-1, "")``.

        With ``quoted=True`` the text is the inside of a quote: the shape only
        has to start there, and short forms (三全, “两年”) are accepted.
        """
        if quoted:
            whole = text[pos:]
            if whole in self.lexicon.known:
                return len(text), "lexicon"
            if ARABIC_EXACT.match(whole):
                return len(text), "arabic"
            if PLAN_EXACT.match(whole):
                return len(text), "plan"
            if QUANTITY.match(whole) or not (whole[0] in COUNT or whole[0] == "双"):
                return -1, ""
            if len(whole) > 2 and whole[1] in "年月日天":
                return -1, ""  # 十年磨一剑: a saying about time (but “两年” alone names a campaign)
            first = self.lexicon.longest_word(whole, 0)
            if first and self._ordinary(first) and first not in self.lexicon.known:
                return -1, ""
            if self._ordinary(whole):
                return -1, ""
            m = CLASSIFIER.match(whole)
            if m and self._classifier_at(whole, m, quoted=True) > 0:
                return len(text), "classifier"
            if self._compact_at(whole, 0) > 0:
                return len(text), "compact"
            return len(text), "short"
        m = CLASSIFIER.match(text, pos)
        if m:
            end = self._classifier_at(text, m, quoted=False)
            if end > 0:
                return end, "classifier"
        end = self._compact_at(text, pos)
        if end > 0:
            return end, "compact"
        return -1, ""

    def extract_numbered(self, text: str) -> list[Span]:
        """Numbered slogans in ``text`` wherever they stand, quoted or not.

        >>> from miner.lexicon import load_lexicon
        >>> ex = Extractor(load_lexicon())
        >>> [s.phrase for s in ex.extract_numbered("坚持四项基本原则，实现四个现代化。一九八五年，四川")]
        ['四项基本原则', '四个现代化']
        """
        found: list[Span] = []
        if self._known:
            for m in self._known.finditer(text):
                if m.start() == 0 or text[m.start() - 1] not in BEFORE_NUMERAL:
                    found.append(Span(m.start(), m.end(), m.group(), NUMBERED, "lexicon"))
        for pattern, rule, not_before in (
            (PLAN, "plan", NOT_BEFORE_PLAN),
            (ARABIC, "arabic", NOT_BEFORE_ARABIC),
            (ARABIC_PROGRAM, "arabic", NOT_BEFORE_ARABIC),
            (DOUBLE, "double", ()),
        ):
            for m in pattern.finditer(text):
                if m.start() == 0 or text[m.start() - 1] not in not_before:
                    found.append(Span(m.start(), m.end(), m.group(), NUMBERED, rule))
        for m in SHAPE_START.finditer(text):
            pos = m.start()
            if (pos and text[pos - 1] in BEFORE_NUMERAL) or self.inside_word(text, pos):
                continue
            end, rule = self.numbered_shape(text, pos)
            if end > 0:
                found.append(Span(pos, end, text[pos:end], NUMBERED, rule))
        return _longest_first(found, len(text))

    def extract(self, text: str) -> list[Span]:
        """All mentions in ``text``: numbered and quoted merged, by position."""
        numbered = self.extract_numbered(text)  # sorted by start, not overlapping
        starts = [s.start for s in numbered]
        inside_quotes: set[int] = set()
        out: list[Span] = []
        for q in extract_quoted(text):
            end, rule = self.numbered_shape(q.phrase, quoted=True)
            if end > 0:
                # The quote is the slogan: it replaces the numbered spans inside it.
                first, last = bisect.bisect_left(starts, q.start), bisect.bisect_right(starts, q.end)
                inside_quotes.update(i for i in range(first, last) if numbered[i].end <= q.end)
                out.append(Span(q.start, q.end, q.phrase, NUMBERED_QUOTED, f"quoted+{rule}"))
            else:
                out.append(q)
        out.extend(s for i, s in enumerate(numbered) if i not in inside_quotes)
        out.sort(key=lambda s: (s.start, -s.end))
        return out


def _reduplicated(whole: str) -> bool:
    """一步一步, 一件一件: a repeated part is an adverb, not a slogan."""
    half = len(whole) // 2
    return len(whole) % 2 == 0 and whole[:half] == whole[half:]


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def _longest_first(spans: list[Span], size: int) -> list[Span]:
    """Drop spans overlapping a longer (or earlier, equally long) one."""
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    taken = bytearray(size)
    kept = []
    for s in spans:
        if any(taken[s.start : s.end]):
            continue
        taken[s.start : s.end] = b"\x01" * (s.end - s.start)
        kept.append(s)
    kept.sort(key=lambda s: s.start)
    return kept
