"""Find a document's title and year, and say where the year came from.

The year comes from, in order: an explicit field (``year``/``date``), the
title (or the National People's Congress session it names), a date near the
start of the speech body ("（2023年2月28日）"), a date in the page header
("时间:2022-12-01", "发表于 2020-5-16", "发稿时间：2021/6/9", a bare
"2025-11-08 07:03:52" or "2010年02月04日 14时39分"), the
file name, and last the first year the text mentions (``mention``, the
weakest source).
A document with no year is still mined.
"""

from __future__ import annotations

import math
import re
from pathlib import PurePath

from .clean import inline_chrome, is_chrome_line

__all__ = ["find_title", "find_year", "parse_year", "YEAR_SOURCES"]

YEAR_SOURCES = ("field", "title", "text", "header", "filename", "mention")
MIN_YEAR, MAX_YEAR = 1900, 2099
BODY_HEAD = 400

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
CN_YEAR = re.compile(r"(?<![〇零一二三四五六七八九十])([一二][〇零一二三四五六七八九]{3})年")
YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|(?<![〇零一二三四五六七八九十])([一二][〇零一二三四五六七八九]{3})年[一二三四五六七八九十]{1,2}月"
)
HEADER_DATE = re.compile(
    r"(?:时间|日期|发表于|发布于|发布时间|发布日期|上传时间|发稿时间|发稿日期|成文日期|发文日期)\s*[:：]?\s*"
    r"((?:19|20)\d\d|[一二][〇零一二三四五六七八九]{3})\s*[-/.年]"
    # a bare time stamp heading a line, perhaps after a bullet: "2025-11-08 07:03:52",
    # "2025年11月08日 07:03", "• 2010年02月04日 14时39分"
    r"|^[\s•·◆■●▪]*((?:19|20)\d\d)(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日\s*\d{1,2}(?::\d\d|时\d{1,2}分))(?!\d)"
)
COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")  # 20230228
# 第十四届全国人民代表大会第三次会议: the Nth National People's Congress
# opened in these years; its kth annual session sits k-1 years later.
NPC_SESSION = re.compile(r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,2})次会议")
NPC_FIRST_YEAR = (1954, 1959, 1964, 1975, 1978, 1983, 1988, 1993, 1998, 2003, 2008, 2013, 2018, 2023)
NPC_SESSION_YEAR = {(2, 3): 1962, (2, 4): 1963}  # the sessions that skipped a year
TITLE_WORDS = re.compile(
    r"讲话|致辞|报告|发言|讲稿|总结|动员|会议|会上|决议|意见|通知|演讲|纲要|公报|工作|大会"
)
TITLE_FIELD = re.compile(r"^\s*标题\s*[:：]\s*(.+?)\s*(?:\[?打印本页\]?)?\s*$")
FILE_TITLE = re.compile(r"^(.{4,80})\.(?:docx?|pdf|pptx?|txt|wps)$", re.IGNORECASE)
TITLE_TAIL = re.compile(r"[_\s]+(?:第\d+页)?$")
# A numbered section heading (一、2006年工作回顾, （三）, 2. , 第二部分) heads a
# part of the text, not the document; nor does a line that leads into what
# follows it (各位代表：, 主要做了以下几方面工作：), nor a date line
# (（2007年2月1日）, 一九八五年十月三日).
NOT_A_TITLE = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、．.]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、．](?!\d)"
    r"|第[一二三四五六七八九十\d]+(?:章|节|部分|篇))|[:：]$"
    r"|^[（(]?\s*(?:(?:19|20)\d\d|[一二][〇零一二三四五六七八九]{3})\s*年[\d\s月日〇零一二三四五六七八九十]*[)）]?$"
    r"|^[（(]\s*(?:(?:19|20)\d\d|[一二][〇零一二三四五六七八九]{3})\s*年.*[)）]$"
)


def parse_year(value: object) -> int | None:
    """A year from a field value: ``2023``, ``"2023"``, ``"2018-03-05"``, ``"一九八五年"``.

    >>> parse_year("2018-03-05"), parse_year(1985), parse_year("一九八五年"), parse_year("n/a")
    (2018, 1985, 1985, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value):  # NaN and Infinity: Python's json reads them
            return None
        year = int(value)
        return year if MIN_YEAR <= year <= MAX_YEAR else None
    text = str(value).translate(_CN_DIGITS) if CN_YEAR.search(str(value)) else str(value)
    m = YEAR.search(text)
    return int(m.group(1)) if m else None


def _cn_number(text: str) -> int:
    """一 … 九十九 as an int (十四 → 14, 二十 → 20)."""
    digits = "零一二三四五六七八九"
    if "十" not in text:
        return digits.index(text) if len(text) == 1 and text in digits else 0
    tens, _, ones = text.partition("十")
    return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)


def _npc_year(text: str) -> int | None:
    m = NPC_SESSION.search(text)
    if not m:
        return None
    congress, session = _cn_number(m.group(1)), _cn_number(m.group(2))
    if (congress, session) in NPC_SESSION_YEAR:
        return NPC_SESSION_YEAR[congress, session]
    if 1 <= congress <= len(NPC_FIRST_YEAR) and session >= 1:
        return NPC_FIRST_YEAR[congress - 1] + session - 1
    return None


def _year_in(text: str, pattern: re.Pattern = YEAR_IN_TEXT) -> int | None:
    for m in pattern.finditer(text):
        digits = next(g for g in m.groups() if g)
        year = int(digits.translate(_CN_DIGITS))
        if MIN_YEAR <= year <= MAX_YEAR:
            return year
    m = CN_YEAR.search(text)
    if m and pattern is YEAR_IN_TEXT:
        year = int(m.group(1).translate(_CN_DIGITS))
        return year if MIN_YEAR <= year <= MAX_YEAR else None
    return None


def find_title(lines: list[str], given: str = "") -> str:
    """The document's title: the given one, a "标题:" line, a file-name line,
    or the first header line that reads like a speech title (pinyin readings
    that mirror sites insert after characters left out).

    >>> find_title(["老秘网_材夜思范文", "", "标题: 在全区大会上的讲话 [打印本页]"])
    '在全区大会上的讲话'
    >>> find_title(["（2007年2月1日）", "各位代表：", "一、2006年工作回顾", "一年来，主要做了以下工作：",
    ...             "省长 在全省工作会议上的讲话"])
    '省长 在全省工作会议上的讲话'
    """
    if given.strip():
        return given.strip()
    # Inline chrome out first: pinyin readings, and the pieces a dateline or a
    # photo credit leaves on lines of their own ("新华社北京12月12日电", "李学仁").
    text = "\n".join(lines[:40])
    kept, at = [], 0
    for a, b in inline_chrome(text):
        kept.append(text[at:a])
        at = b
    head = [ln.strip() for ln in ("".join(kept) + text[at:]).split("\n") if ln.strip()]
    for line in head:
        m = TITLE_FIELD.match(line) or FILE_TITLE.match(line)
        if m:
            return m.group(1).strip()
    candidates = [ln for ln in head[:15]  # a line of bytes that did not decode (�) is no title
                  if not is_chrome_line(ln) and len(ln) <= 80 and "。" not in ln and "\ufffd" not in ln
                  and not NOT_A_TITLE.search(ln)]
    for line in candidates:
        if len(line) >= 6 and TITLE_WORDS.search(line):
            return TITLE_TAIL.sub("", line)
    return TITLE_TAIL.sub("", candidates[0]) if candidates and len(candidates[0]) <= 60 else ""


def find_year(
    *,
    field: object = None,
    title: str = "",
    body: str = "",
    header: list[str] = (),
    source: str = "",
) -> tuple[int | None, str]:
    """The year and where it came from (one of :data:`YEAR_SOURCES`, or ``""``).

    >>> find_year(title="在全区大会上的讲话", body="（2023年2月28日）同志们", header=["上传时间:2022-12-26"])
    (2023, 'text')
    >>> find_year(header=["时间:2022-12-01 11:08:00"], source="speech.txt")
    (2022, 'header')
    """
    year = parse_year(field)
    if year:
        return year, "field"
    year = _year_in(title)
    if year:
        return year, "title"
    year = _year_in(body[:BODY_HEAD], FULL_DATE)
    if year:
        return year, "text"
    year = _npc_year(title)
    if year:
        return year, "title"
    year = _npc_year(body[:BODY_HEAD])
    if year:
        return year, "text"
    for line in header:
        m = HEADER_DATE.search(line)
        if m and MIN_YEAR <= (year := int((m.group(1) or m.group(2)).translate(_CN_DIGITS))) <= MAX_YEAR:
            return year, "header"
    if source:
        stem = PurePath(source.split("#")[0]).stem
        m = COMPACT_DATE.search(stem)
        year = int(m.group(1)) if m else parse_year(stem)
        if year:
            return year, "filename"
    year = _year_in(body)
    if year:
        return year, "mention"
    return None, ""
