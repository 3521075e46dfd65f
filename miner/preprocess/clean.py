"""Strip web-page chrome (banners, buttons, page counters, copyright and ICP
lines, forum headers, a site's menus, breadcrumbs and lists of dated links,
copies of the page title, news-wire datelines, photo credits, editor lines,
licence footers, watermarks and inserted pinyin readings) so that only the
speech body is mined.

Cleaning works line by line on the normalised text, so traditional pages and
full-width digits match the same patterns.  Long lines are only dropped by
the strong patterns (copyright, ICP, site disclaimers), so a speech paragraph
that merely mentions "下载" or "客服" survives.  Chrome inside a line (a
dateline before the first sentence, a watermark or a pinyin reading inside
one) is cut out of it and the words on either side join again; the body keeps
the map from every character back to the original text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterator

from .normalize import NormalText

__all__ = ["Cleaned", "clean_text", "is_chrome_line", "site_names", "inline_chrome", "without_readings"]

SHORT_LINE = 60

BUTTONS = (
    "返回|下载|相关|举报|收藏|分享|打印|复制链接|回复|顶|踩|收起|展开|上一主题|下一主题|分享赚钱|"
    "下载文档|使用道具|登录|免费注册|找回密码|只看该作者|倒序浏览|阅读模式|回帖奖励|楼主|沙发|"
    "首页|上一页|下一页|尾页|全文|关闭|更多|加入收藏|设为首页|字号|大|中|小|放大|缩小|默认|"
    "QQ好友和群|QQ空间|QQ好友|腾讯微博|腾讯朋友|新浪微博|微信|微博|朋友圈|豆瓣"
)
BUTTON_LINE = re.compile(rf"^[\[【(（]?(?:(?:{BUTTONS})[\]】)）]?[\s|/｜·,，]*)+$")
# A line of nothing but bracketed labels ("【纠错】", "【打印】 【关闭】"): page controls.
LABEL_LINE = re.compile(r"^(?:[\[【][^\]】\n]{1,8}[\]】][\s|｜·]*)+$")
# The characters those two can begin with: a line that begins otherwise is
# passed over without calling the patterns (most lines of a speech).
BUTTON_STARTS = frozenset("[【(（" + "".join(b[0] for b in BUTTONS.split("|")))
LABEL_STARTS = frozenset("[【")

# Who made or handled a page, as news and government sites sign it.
ROLES = (
    r"责任编辑|责编|实习编辑|值班编辑|网络编辑|编辑|编审|审核|审校|审签|初审|复审|终审|校对|监制|统筹|策划|"
    r"撰稿|撰文|供稿|稿件来源|文章来源|信息来源|来源|出处|作者|摄影|图片来源|图源|供图|制图|原标题"
)
# In brackets a reporter signs too ("（记者 张三）"); at the start of a line
# "记者：" asks a question in an interview, which is text.
SIGNERS = ROLES + r"|记者|通讯员"
# Patterns that mark a line as chrome whatever its length, split so that the
# Latin ones (the slow, case-blind ones) only run on lines with Latin letters.
# Every alternative starts with a literal character, so that the regex engine
# skips ahead on their set instead of trying each alternative at each place.
STRONG_CHROME = re.compile(
    "|".join(rf"{field}\s*[:：].*(?:上传时间|格式|页数|大小)\s*[:：]" for field in ("上传人", "文档编号", "上传时间", "页数", "大小"))
    + r"|©|版权所有|备案号|公网安备|本站为文档|本站只是|仅提供信息存储空间|侵犯了?您的版权|若需要原创文章|此文档下载收益|欢迎光临"
    # a document-sharing site's notice ("由会员分享,可在线阅读"), Wikisource's banner
    + r"|由会员分享|维基文库|本作品收录于"
)
# Numbered notes of a document-sharing site, at the start of a line (matched there).
STRONG_NOTE = re.compile(r"\d+[.、]\s*(?:部分包含|本文档|下载前|下载文档时|如果您)")
STRONG_LATIN = re.compile(
    r"copyright|\(c\)\s*\d{4}|all rights reserved|icp\s*[备证]?\s*\d|powered by|discuz", re.IGNORECASE
)
LATIN = re.compile(r"[A-Za-z]")
LATIN_BYTES = re.compile(rb"[A-Za-z]")
# What every match of STRONG_LATIN holds, lowered: a text whose ASCII holds
# none of these has no line STRONG_LATIN matches (a run of ASCII characters
# in a line is a run of them in the ASCII of the text as well).
LATIN_CHROME_WORDS = (b"copyright", b"(c)", b"all rights reserved", b"icp", b"powered by", b"discuz")
# The letters outside ASCII that IGNORECASE matches to ASCII ones (İ ı ſ K).
FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"
# A page's time stamp on a line of its own ("2025-11-08 07:03:52", "2010年02月04日
# 14时39分", perhaps followed by a source or an author, but no sentence).
STAMP = (
    r"(?:19|20)\d\d(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日\s*\d{1,2}(?::\d\d|时\d{1,2}分))"
    r"(?:\s+\d{1,2}:\d\d(?::\d\d)?)?(?:\s+[^。，！？；,]{0,40})?$"
)
# A bullet a page may set before a field or a stamp ("• 来源: 四川人大网").
BULLET = r"[•·◆■●▪]?\s*"
# Patterns that mark a short line as chrome.
SHORT_CHROME = re.compile(
    rf"^{BULLET}(?:上传人|文档编号|上传时间|格式|页数|大小|id|时间|标题|发布时间|发布日期|发稿时间|浏览|"
    r"阅读|点击|字数|日期|网站客服|联系电话|导语|关键词|标签|分类|"
    r"索引号|发布机构|发文机关|成文日期|发文日期|文号|主题词|主题分类)\s*[:：]|"  # a government page's record
    rf"^{BULLET}[\[【(（]?\s*(?:{ROLES})\s*[:：]|^{BULLET}{STAMP}|"
    r"^第\s*\d+\s*版(?:\s*[(（][^)）]{1,8}[)）])?$|"  # a newspaper's page: 第1版(要闻)
    r"^(?:>>|»|＞＞)|^original url\s*:|^原创$|^\d+\+$|"  # a channel's link, a scraper's note, a counter (999+)
    # a paywall's notice (……(新文秘网省略866字,正式会员可完整阅读), 全文共8903字,当前仅显示2431字)
    r"省略\d+字|仅显示\d+字|可完整阅读|^\W*(?:未完\W*)?全文共\d+字|"
    r"^发表于\s*[:：]?\s*\d|第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|_{1,2}第\d+页$|点击查看更多|^资源描述$|展开阅读全文|"
    r"^相关(?:资源|搜索|文档|推荐|阅读|链接|新闻|文章|报道)$|^最新(?:文档|主题|文章)|当前位置\s*[:：]|温馨提示|"
    r"找回密码|免费注册|qq登录|只需一步|快速开始|查看\s*[:：]\s*\d+\s*[|｜]\s*回复|跳转到指定楼层|"
    r"\[复制链接\]|分享到\s*[:：]|登录后才可以回帖|本版积分规则|gmt[+-]\d|快速回复|返回顶部|返回列表|"
    r"你可能关注的文档|^-?\s*(?:上一篇|下一篇)\s*[:：]|ppt课件|试卷教案|本文由|扫一扫|二维码|"
    r"^\[?打印本页\]?$|\.(?:docx?|pdf|pptx?|txt|wps)$|^public domain$",
    re.IGNORECASE,
)
# A click counter (点击数：), a breadcrumb (首页 > 新闻中心 > …), a site's
# address, telephone, makers and screen advice, as page feet show them:
# matched at the start of a short line that begins with one of their first
# characters.
FOOT_CHROME = re.compile(
    r"(?:点击|阅读|浏览)(?:数|量|次数)\s*[:：]|(?:首页|主页|网站首页)\s*[>»＞→]|"
    r"(?:地址|电话|传真|邮编|邮箱|电子邮箱)[^:：]{0,6}[:：]|(?:主办|承办|协办|技术支持)(?:单位)?\s*[:：]|建议.{0,20}分辨率"
)
FOOT_STARTS = frozenset("点阅浏首主网地电传邮协承技建")
# A link to another article ending in its date ("…[06-11]", "…（2023-01-02）",
# "… 2016-04-08"), as lists of links show them: tried only on short lines that
# end in a digit or a closing bracket (a class first is slow to scan for).
DATED_LINK = re.compile(r"(?:[\[【(（]\s*(?:(?:19|20)\d\d[-/.])?\d{1,2}[-/.]\d{1,2}\s*[\]】)）]|\s(?:19|20)\d\d-\d{1,2}-\d{1,2})$")
DATED_LINK_ENDS = frozenset("]】)）0123456789")
# A site's menus, laid out as runs of short lines (一中新闻, 校务公开, 学习专栏):
# at least MENU_RUN lines in a row (blank lines between them aside) of at most
# MENU_ITEM characters, bullets aside, with no punctuation of a sentence or a
# list and no numbering of a heading.  A speech has no such run: its headings
# are numbered or stand between paragraphs.
MENU_RUN = 5
MENU_ITEM = 12
BULLETS = " \t*+-•·◆◇■□●○▪▸►>»|｜"
MENU_BAR = re.compile(r"\s*[|｜]\s*")
MENU_LINE = 40  # longer than an indented item: a paragraph
NOT_ITEM = re.compile(r"[。，；：！？,;:!?、“”\"]|^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]|\d+[、.．])")
SITE_NAME = re.compile(r"^([^\s，。！？、：；“”()（）]{2,16}?(?:网|网站|文库|论坛|范文))(?:[_\-|｜ ]+(\S{2,16}))?$")
# Site names are only looked for this many non-empty lines from either end of
# a page: in the body, "大力发展工业互联网" is a sentence, not a banner.
EDGE_LINES = 8

_HAN = r"\u3400-\u9fff"
_SEP = r"[ \t\n]"  # the normaliser turns a space between two CJK characters into a line break
_LETTERS = r"a-zA-Z\u00c0-\u024f\u1e00-\u1eff"

# Chrome found in the whole text, perhaps inside a line or over a few lines.
# A pinyin reading in brackets after a character ("区(qū)"); it is only cut
# when it really is the reading of the characters before it.
READING = re.compile(rf"[(（]([{_LETTERS}]{{1,7}}[1-5]?(?:[ '][{_LETTERS}]{{1,7}}[1-5]?){{0,3}})[)）]")
_CN_DAY = r"[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"  # 一月十七日
# A news-wire dateline opening a report: "新华社北京12月31日电", "中新社广州一月十七日电", "本报讯",
# perhaps with "（记者 X）" after it.
DATELINE = re.compile(
    rf"^[ \t]*[【\[（(]?[ \t]*(?:[{_HAN}]{{2,12}}?(?:(?:19|20)\d\d年)?(?:\d{{1,2}}月\d{{1,2}}日|{_CN_DAY})[ \t]*[电讯]|"
    rf"(?:本报|本台|本网|本刊)[{_HAN}]{{0,8}}讯)"
    rf"(?=[ \t\n（(【\[】\]）):：]|$)[】\]）)]?"
    rf"(?:[ \t]*[（(][^）)]{{0,30}}[）)])?[ \t:：]*",
    re.MULTILINE,
)
# Every dateline holds one of these ("日电", "日 电", "本报…讯"): substring tests
# are much faster than trying the dateline at every line start.
# What every dateline holds (日电, 日讯, 日 and a blank, 本报, 本台, 本网, 本刊): two
# patterns that each begin with one character, which re skips to many times
# faster than str.find skips to a word of two.
DATELINE_HINTS = (re.compile("日[电讯 \t]"), re.compile("本[报台网刊]"))
# A photo credit ending a line ("新华社记者 李学仁 摄", "（张三/摄）", "新华社发"),
# and the caption before it on that line when that is short.
CREDIT = re.compile(
    rf"[（(]?[ \t]*(?:[{_HAN}]{{0,8}}(?:记者|通讯员|摄影师?)[ \t\n]*[{_HAN}·]{{2,4}}"
    rf"(?:[ \t\n、，,]+[{_HAN}·]{{2,4}}){{0,3}}[ \t\n]*摄|"
    rf"[{_HAN}·]{{2,4}}[ \t\n]*/[ \t\n]*摄|"
    rf"(?<=[（(])[ \t]*[{_HAN}·]{{2,4}}(?:{_SEP}+摄|摄(?=[ \t]*[）)]))|"
    rf"[{_HAN}]{{2,4}}社发(?:[ \t\n]*[（(][^）)\n]{{0,20}}摄[）)])?)"
    rf"[ \t]*[）)]?[ \t]*\Z",
)
# Where a credit may end: found first, so that CREDIT is only tried on the
# few characters before (a pattern that may start anywhere is slow on a long text).
CREDIT_END = re.compile(r"(?:摄|社发)[ \t]*[）)]?[ \t]*$", re.MULTILINE)
CREDIT_CHARS = 48
CAPTION_CHARS = 150
# An editor's or source's signature in brackets, and page controls in brackets,
# at the end of a line ("（责任编辑：张三）", "【纠错】").
SIGNATURE = re.compile(rf"[（(【\[][ \t]*(?:{SIGNERS})[ \t]*[:：][^）)】\]\n]{{0,40}}[）)】\]][ \t]*$", re.MULTILINE)
CONTROLS = re.compile(r"[【\[][^】\]\n]{1,8}[】\]](?:[ \t]*[【\[][^】\]\n]{1,8}[】\]])*[ \t]*$", re.MULTILINE)
CLOSING_BRACKETS = frozenset("）)】]")  # what SIGNATURE and CONTROLS end with
SENTENCE_END = "。！？”"
# A web address in a sentence, and the site's name just before it
# ("稿子汇 www.gaozihui.com"): a watermark.
TLD = re.compile(r"\.(?:com|cn|net|org|gov|edu|cc|top|info|vip|xyz|wang|site|me|io|tv|co)(?![a-z0-9])", re.IGNORECASE)
URL = re.compile(
    r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)*?([a-z0-9-]{2,}))\."
    r"(?:com|cn|net|org|gov|edu|cc|top|info|vip|xyz|wang|site|me|io|tv|co)(?:\.cn)?(?![a-z0-9])"
    r"(?:/[\w./?=&%#-]*)?",
    re.IGNORECASE,
)
# A licence footer: a short paragraph near the end that speaks of the work
# itself and of its licence or copyright.
LICENCE_TERM = re.compile(r"公有领域|著作权|版权|知识共享|许可协议|许可证|转载|授权")
LICENCE_LATIN = re.compile(r"public\s+domain|creative\s*commons|\bcc[- ]by\b|\bgfdl\b", re.IGNORECASE)
SELF_REFERENCE = re.compile(r"本作品|此作品|该作品|这部作品|本文|本站|本网|本页|本平台|本号|原文|原创")
FOOTER_PARAGRAPH = 400  # a licence footer paragraph is at most this long
FOOTER_NOTE = 60  # a note after the licence ("注：…") is at most this long
BLANK_LINES = re.compile(r"\n[ \t]*\n")

# A copy of the title heads the body, whole or before the first gap.
SENTENCE_MARK = re.compile(r"[。！？!?]")
CLAUSE_END = re.compile(r"[；;：:，,、]\s*$")  # a salutation or a clause, not a heading
TITLE_NOISE = re.compile(r"[\s“”‘’\"'《》〈〉「」『』_\-—–·:：,，、.;；()（）\[\]【】|｜]+")
TITLE_PARTS = re.compile(r"[_|｜]+|\s[-–—]+\s|--+")
HEAD_LINES = 12

# Printed pages (a PDF's text, pages parted by form feeds): running heads and
# feet repeat at the edges of the pages, and page numbers sit there.
PAGE_BREAK = "\f"
PAGE_EDGE = 3  # lines at the top and at the foot of a page
RUNNING_SHARE = 0.5  # a running head is on at least this share of the pages (and on two)
PAGE_NUMBER = re.compile(
    r"^(?:[-—–~·•*\s]*\d{1,4}[-—–~·•*\s]*|第\s*[\d一二三四五六七八九十百]+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-—–\s]*[ivxlc]{1,6}[-—–\s]*)$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")
# A printed line this full (of the body's longest lines) runs on into the next
# one, unless it ends a sentence; a shorter one ends its paragraph.
FULL_LINE = 0.75
PARAGRAPH_END = re.compile(r"[。！？；：!?;:]\s*$")
WORD = re.compile(r"\w")
HEAD_LINE_CHARS = 80


@dataclass(frozen=True)
class Cleaned:
    """The body left after cleaning, and what was stripped from it."""

    body: NormalText
    stripped_lines: int
    stripped_chars: int
    chrome: tuple[str, ...]


def is_chrome_line(line: str, *, edge: bool = True) -> bool:
    """Whether one (normalised) line is web-page chrome.

    >>> is_chrome_line("第1页 / 共5页")
    True
    >>> is_chrome_line("备案号:ICP2024067431-1 川公网安备51140202000466号")
    True
    >>> is_chrome_line("【责任编辑：张三】"), is_chrome_line("2025-11-08 07:03:52")
    (True, True)
    >>> is_chrome_line("全面推进“四个全面”战略布局，下载并打印本文件。")
    False
    """
    return _is_chrome(line.strip(), edge, True)


def _is_chrome(line: str, edge: bool, latin: bool) -> bool:
    """:func:`is_chrome_line` of a stripped line; ``latin=False`` says that
    the text it is from holds nothing :data:`STRONG_LATIN` matches (see
    :func:`_latin_chrome_possible`)."""
    if not line:
        return False
    first = line[0]
    if (
        STRONG_CHROME.search(line)
        or (first.isdecimal() and STRONG_NOTE.match(line))  # \d is a decimal digit of any script, as isdecimal
        or (latin and LATIN.search(line) and STRONG_LATIN.search(line))
        or (first in BUTTON_STARTS and BUTTON_LINE.match(line))
    ):
        return True
    return len(line) <= SHORT_LINE and bool(
        SHORT_CHROME.search(line) or (first in LABEL_STARTS and LABEL_LINE.match(line)) or (edge and SITE_NAME.match(line))
        or (line[-1] in DATED_LINK_ENDS and DATED_LINK.search(line))
        or (first in FOOT_STARTS and FOOT_CHROME.match(line))
    )


def _latin_chrome_possible(text: str) -> bool:
    """Whether a line of ``text`` may be chrome by :data:`STRONG_LATIN`
    (``False`` spares that test of every line).

    >>> _latin_chrome_possible("GDP增长6%。"), _latin_chrome_possible("Copyright © 2024 某某网")
    (False, True)
    """
    ascii_part = text.encode("ascii", "ignore")
    if not LATIN_BYTES.search(ascii_part):
        return False
    if any(c in text for c in FOLDED_TO_ASCII):
        return True
    lowered = ascii_part.lower()
    return any(word in lowered for word in LATIN_CHROME_WORDS)


def site_names(lines: list[str]) -> list[str]:
    """Names of the hosting site found in header lines ("老秘网_材夜思范文").

    Such sites stamp their name into the body as a watermark ("我老秘网区"),
    so :func:`clean_text` removes these names from body lines too.
    """
    names = []
    for line in lines[:5]:
        m = SITE_NAME.match(line.strip())
        if m:
            names.extend(n for n in m.groups() if n and len(n) >= 3)
    return names


def _plain(syllable: str) -> str:
    """A pinyin syllable without tone marks or tone digit: "qū" → "qu", "lü3" → "lu"."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip("12345").replace("v", "u")


def _toned(syllable: str) -> bool:
    """Whether ``syllable`` carries a pinyin tone mark ("jīng", "lǜ"; not "jing")."""
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", syllable))


@functools.lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(_plain(r) for r in pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")[0])


def _is_reading(text: str, end: int, reading: str) -> bool:
    """Whether ``reading`` (one or more syllables) reads the characters just
    before ``end``, or is a syllable with a tone mark after a character that
    is not Chinese: a copy site's reading of a character its encoding garbled
    ("經濟" come out as "┙(jīng)濟(jì)", "關懷" as "P(guān)懷"), for no text
    writes a tone mark so."""
    syllables = reading.replace("'", " ").split()
    before = text[max(0, end - len(syllables)) : end]
    if len(syllables) == 1 and before and not before.isspace() and not "\u3400" <= before <= "\u9fff" \
            and _toned(reading):
        return True
    if len(before) != len(syllables) or not all("\u3400" <= c <= "\u9fff" for c in before):
        return False
    return all(_plain(s) in _readings(c) for s, c in zip(syllables, before))


def without_readings(text: str) -> str:
    """``text`` without the pinyin readings inserted after its characters.

    >>> without_readings("書記在新區(qū)開(kāi)發(fā)會(huì)上的講話(A)")
    '書記在新區開發會上的講話(A)'
    """
    if "(" not in text and "（" not in text:
        return text
    return READING.sub(lambda m: "" if _is_reading(text, m.start(), m.group(1)) else m.group(), text)


def _site_name_before(text: str, at: int, label: str) -> int:
    """Where the site name spelled by the domain ``label`` starts, just before
    ``at`` (a space apart at most); ``at`` when no such name is there."""
    from pypinyin import Style, lazy_pinyin

    end = at
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    label = label.lower()
    for k in range(min(8, end), 1, -1):
        name = text[end - k : end]
        if not all("\u3400" <= c <= "\u9fff" for c in name):
            continue
        full, initials = "".join(lazy_pinyin(name)), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
        # The domain spells the name, or all of it but a last "网", "汇"…
        short_full = full[: len(full) - len(lazy_pinyin(name[-1])[0])]
        if label in (full, initials, short_full, initials[:-1]) and len(label) >= 2:
            return end - k
    return at


def inline_chrome(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are chrome inside or across lines: pinyin readings,
    news-wire datelines, photo credits (with a short caption), bracketed
    signatures and controls, and web addresses with the site name before them.

    >>> t = "新区(qū)开(kāi)发"
    >>> "".join(t[a:b] for a, b in inline_chrome(t))
    '(qū)(kāi)'
    >>> t = "新华社北京12月31日电（记者 张三）国家主席发表新年贺词。"
    >>> [t[a:b] for a, b in inline_chrome(t)]
    ['新华社北京12月31日电（记者 张三）']
    >>> inline_chrome("要合理控制盐的摄入，12月31日电力供应平稳。")
    []
    """
    spans = []
    if "(" in text or "（" in text:
        spans += [m.span() for m in READING.finditer(text) if _is_reading(text, m.start(), m.group(1))]
    if any(hint.search(text) for hint in DATELINE_HINTS):
        spans += [m.span() for m in DATELINE.finditer(text) if m.group().strip()]
    if "摄" in text or "社发" in text:
        for end in CREDIT_END.finditer(text):
            lo = max(0, end.start() - CREDIT_CHARS)
            m = CREDIT.search(text[lo : end.end()])
            if not m:
                continue
            a, b = lo + m.start(), lo + m.end()
            line_start = text.rfind("\n", 0, a) + 1
            # A short line ending in a credit is a caption; a long one is a paragraph.
            spans.append((line_start if a - line_start <= CAPTION_CHARS else a, b))
    if "【" in text or "[" in text or "（" in text or "(" in text:
        # Both end a line with a closing bracket: only such lines are searched
        # (neither reaches over a line break, so each line has its own match).
        for start, end in _bracketed_lines(text):
            m = SIGNATURE.search(text, start, end)
            if m:
                spans.append(_with_blanks(text, m.start(), m.end()))
            m = CONTROLS.search(text, start, end)
            if m:
                a, b = _with_blanks(text, m.start(), m.end())
                if a > 0 and text[a - 1] in SENTENCE_END:  # page controls after the last sentence
                    spans.append((a, b))
    if "." in text and TLD.search(text):
        for m in URL.finditer(text):
            a, b = m.span()
            near = text[max(0, a - 1) : b + 1]
            if re.search(f"[{_HAN}]", text[max(0, a - 8) : a] + text[b : b + 8]) or near.strip() == m.group():
                a = _site_name_before(text, a, m.group(2))
                # Written apart inside a sentence ("落实 稿子汇 www.….com 任务"): the
                # normaliser made the blank before it a line break; it goes too.
                rest = text[b : b + 8].lstrip(" \t")
                if a > 1 and text[a - 1] == "\n" and text[a - 2] != "\n" and rest[:1] not in ("", "\n"):
                    a, b = a - 1, b + len(text[b : b + 8]) - len(rest)
                spans.append((a, b))
    return _merge(spans)


def _bracketed_lines(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each line of ``text`` that ends with a closing
    bracket (blanks after it aside)."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.rstrip(" \t")[-1:] in CLOSING_BRACKETS:
            yield start, end
        start = end + 1


def _with_blanks(text: str, a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` with the blanks just before it."""
    while a > 0 and text[a - 1] in " \t":
        a -= 1
    return a, b


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        elif b > a:
            merged.append((a, b))
    return merged


def _licence_footer(text: str) -> int:
    """Where a trailing licence footer starts (``len(text)`` if there is none).

    Paragraphs are walked back from the end while they are licence
    paragraphs or short notes; the footer starts at the earliest licence
    paragraph among them, so a short closing line ("谢谢大家！") before it stays.
    """
    if not (LICENCE_TERM.search(text, max(0, len(text) - 3000)) or LICENCE_LATIN.search(text, max(0, len(text) - 3000))):
        return len(text)
    bounds = [0] + [m.end() for m in BLANK_LINES.finditer(text)] + [len(text)]
    start = len(text)
    for a, b in zip(reversed(bounds[:-1]), reversed(bounds[1:])):
        paragraph = "".join(text[a:b].split())
        if not paragraph:
            continue
        if len(paragraph) <= FOOTER_PARAGRAPH and (
            LICENCE_LATIN.search(paragraph) or (LICENCE_TERM.search(paragraph) and SELF_REFERENCE.search(paragraph))
        ):
            start = a
        elif len(paragraph) > FOOTER_NOTE:
            break
    return start


def _title_core(title: str) -> str:
    if SENTENCE_MARK.search(title) or CLAUSE_END.search(title):
        return ""  # a sentence taken for the title: nothing to find copies of
    parts = [p for p in TITLE_PARTS.split(title) if p.strip()]
    return TITLE_NOISE.sub("", max(parts, key=len)) if parts else ""


def _is_title_copy(segment: str, core: str) -> bool:
    """Whether ``segment`` is the title again (a few characters may differ)."""
    text = TITLE_NOISE.sub("", segment)
    if len(text) < 4 or len(core) < 4 or SENTENCE_MARK.search(segment) or CLAUSE_END.search(segment):
        return False
    matched = sum(b.size for b in SequenceMatcher(None, text, core, autojunk=False).get_matching_blocks())
    return matched >= 0.8 * len(text) and matched >= 0.6 * len(core)


def clean_text(nt: NormalText, *, title: str = "", title_given: bool = False) -> Cleaned:
    """Drop chrome lines, and cut chrome out of body lines, of a normalised document.

    ``title`` (normalised) is the document's title.  When it heads the body
    more than once (the page's title, then headings that copy it), as whole
    lines or before the first gap of a line, every copy is chrome; so is a
    single copy when the title was ``title_given`` from outside the text (a
    page's ``<title>``, a title field, a file's properties).  A title found in
    the text that heads it once is the speech's own heading and stays.

    >>> from miner.preprocess.normalize import Normalizer
    >>> page = "在全区大会上的讲话_某某网\\n在全区大会上旳讲话\\n新华社北京3月5日电\\n全区(qū)要落实“两个率先”。\\n（责任编辑：张三）"
    >>> c = clean_text(Normalizer().normalize(page), title="在全区大会上的讲话_某某网")
    >>> c.body.text, c.stripped_lines
    ('全区要落实“两个率先”。', 4)
    >>> c.chrome
    ('在全区大会上的讲话_*网', '在全区大会上旳讲话', '新华社北京3月5日电', '（责任编辑：张三）')
    """
    text = nt.text
    lines = text.split("\n")
    watermarks = site_names([ln for ln in lines if ln.strip()])
    cuts = inline_chrome(text)
    if watermarks:
        watermark = re.compile("|".join(map(re.escape, watermarks)))
        cuts = _merge(cuts + [m.span() for m in watermark.finditer(text)])
    footer = _licence_footer(text)
    core = _title_core(title)
    paged = PAGE_BREAK in text
    page_chrome = _page_chrome(lines) if paged else set()
    page_chrome |= _menus(lines)
    full = _full_line(lines, page_chrome) if paged else 0
    last = ""  # the last line kept, on printed pages
    ranges: list[tuple[int, int]] = []
    breaks: list[bool] = []
    chrome: list[str] = []
    stripped_chars = 0
    head = HEAD_LINES if core and _title_copies(lines, core, page_chrome) >= (1 if title_given else 2) else 0
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])
    k = 0  # the first cut that may reach the current line
    kept = -2  # the last line kept
    latin = _latin_chrome_possible(text)  # the text's ASCII, looked at at once
    pos = 0
    for i, line in enumerate(lines):
        end, start = pos + len(line), pos
        pos = end + 1
        if not line.strip():
            continue
        while k < len(cuts) and cuts[k][1] <= start:
            k += 1
        if start >= footer:
            pieces = []
        elif k == len(cuts) or cuts[k][0] >= end:
            pieces = [(start, end)]  # most lines: nothing cut
        else:
            pieces = _pieces(start, end, cuts, k)
        whole = len(pieces) == 1 and pieces[0] == (start, end)
        cut = pieces
        joined = line if whole else "".join(text[a:b] for a, b in pieces)
        if i in page_chrome:
            verdict = line.strip()
        elif whole:
            verdict = line.strip() if _is_chrome(line.strip(), i in edges, latin) else None
        else:
            verdict = _chrome_verdict(line, joined, whole, i in edges)
        if head and verdict is None:
            head -= 1
            first = joined.split(maxsplit=1)[0]
            if _is_title_copy(first, core):
                if first == joined.strip():
                    verdict = first
                else:
                    pieces = _drop_prefix(text, pieces, joined.index(first) + len(first))
            if SENTENCE_MARK.search(joined) or len(joined) > HEAD_LINE_CHARS:
                head = 0
        if verdict is not None:
            chrome.append(verdict)
            stripped_chars += len(line.strip())
            continue
        if whole and pieces is cut:
            left = line
        else:
            left = "".join(text[a:b] for a, b in pieces)
            stripped_chars += len("".join(line.split())) - len("".join(left.split()))
        # On printed pages a full line that ends no sentence runs on into the
        # next one kept, across a page break too.
        runs_on = paged and len(last) >= FULL_LINE * full and not PARAGRAPH_END.search(last)
        # A cut over the line break before it (a watermark the normaliser split
        # the line at) joins it to the line before, when that was kept.
        runs_on = runs_on or (kept == i - 1 and k < len(cuts) and cuts[k][0] < start)
        ranges.extend(pieces)
        if pieces:
            kept = i
            breaks.append(not runs_on)
            breaks.extend([False] * (len(pieces) - 1))
        last = left.strip() or last
    return Cleaned(nt.select(ranges, breaks), len(chrome), stripped_chars, tuple(chrome))


def _page_chrome(lines: list[str]) -> set[int]:
    """The lines of printed pages that are page numbers, running heads or
    running feet: page-number shapes ("— 3 —", "第3页", "3/12") at the edge of
    a page, and edge lines that repeat (numbers aside) on many pages and are
    no sentence (a title printed as the running head is found before cleaning)."""
    pages: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if PAGE_BREAK in line:
            pages.append([])
        elif line.strip():
            pages[-1].append(i)
    pages = [page for page in pages if page]
    edges = [sorted(set(page[:PAGE_EDGE] + page[-PAGE_EDGE:])) for page in pages]
    chrome = {i for edge in edges for i in edge if PAGE_NUMBER.match(lines[i].strip())}
    key = {i: DIGITS.sub("#", "".join(lines[i].split())) for edge in edges for i in edge}
    on_pages: dict[str, int] = {}
    for edge in edges:
        for k in {key[i] for i in edge}:
            on_pages[k] = on_pages.get(k, 0) + 1
    need = max(2, RUNNING_SHARE * len(pages))
    chrome |= {
        i for edge in edges for i in edge
        if on_pages[key[i]] >= need and not SENTENCE_MARK.search(lines[i])  # a sentence is no running head
    }
    return chrome


def _menus(lines: list[str]) -> set[int]:
    """The lines of a site's menus: runs of at least :data:`MENU_RUN` short
    items (see :data:`MENU_ITEM`), blank lines and other chrome between them
    aside.

    >>> _menus(["学习专栏", "", "* 首页", "  + 学校公告", "  + 一中新闻", "  + 校务公开", "正文开始。"])
    {0, 2, 3, 4, 5}
    >>> _menus(["一、总体要求", "二、重点任务", "三、保障措施", "四、组织实施", "五、附则"])
    set()
    >>> _menus(["公共文件夹 | 智慧校园 | 教学平台", "* |", "坚持稳中求进|推动高质量发展"])
    {0, 1}
    """
    menu: set[int] = set()
    run: list[int] = []
    # Most lines are paragraphs, longer than an item indented: only the
    # others are looked at, and a gap between two of them is a paragraph,
    # which ends a run.
    short = [i for i, line in enumerate(lines) if len(line) <= MENU_LINE or "|" in line or "｜" in line]
    last = -2
    for i in short + [len(lines) + 1]:  # past the end, a gap that ends the last run
        if i != last + 1:
            if len(run) >= MENU_RUN:
                menu.update(run)
            run = []
        last = i
        if i >= len(lines):
            break
        line = lines[i]
        item = line.strip(BULLETS)
        if not item:
            if "|" in line or "｜" in line:
                menu.add(i)  # bullets and bars alone, what is left of a menu bar once its links are out
            continue
        if len(item) <= MENU_ITEM and not NOT_ITEM.search(item):
            if not _is_chrome(line.strip(), False, True):  # buttons (返回, 下载) are chrome anyway, and no menu
                run.append(i)
            continue
        if len(run) >= MENU_RUN:
            menu.update(run)
        run = []
        if "|" not in item and "｜" not in item:
            continue
        parts = [p for p in MENU_BAR.split(item) if p.strip(BULLETS)]
        if len(parts) >= MENU_RUN - 2 and all(len(p) <= MENU_ITEM and not NOT_ITEM.search(p) for p in parts):
            menu.add(i)  # a menu bar: 公共文件夹 | 智慧校园 | 教学平台
    return menu


def _full_line(lines: list[str], chrome: set[int]) -> float:
    """The length of a full printed line: the 90th percentile of the body's lines."""
    sizes = sorted(len(line.strip()) for i, line in enumerate(lines) if line.strip() and i not in chrome)
    return sizes[int(0.9 * (len(sizes) - 1))] if sizes else 0


def _title_copies(lines: list[str], core: str, chrome: set[int] = frozenset()) -> int:
    """How many lines heading the body are the title (two are enough to know),
    the lines in ``chrome`` (a page's menus) passed over."""
    copies = seen = 0
    for i, line in enumerate(lines):
        if i in chrome:
            continue
        line = without_readings(line.strip())
        if not line:
            continue
        copies += _is_title_copy(line.split(maxsplit=1)[0], core)
        if is_chrome_line(line):
            continue
        seen += 1
        if copies >= 2 or seen >= HEAD_LINES or SENTENCE_MARK.search(line) or len(line) > HEAD_LINE_CHARS:
            break
    return copies


def _pieces(start: int, end: int, cuts: list[tuple[int, int]], k: int) -> list[tuple[int, int]]:
    """What is left of the line ``[start, end)`` once the cuts from ``cuts[k]`` on are out."""
    pieces, a = [], start
    while k < len(cuts) and cuts[k][0] < end:
        if cuts[k][0] > a:
            pieces.append((a, cuts[k][0]))
        a = max(a, cuts[k][1])
        k += 1
    if end > a:
        pieces.append((a, end))
    return pieces


def _chrome_verdict(line: str, joined: str, whole: bool, edge: bool) -> str | None:
    """The text to record when a line is chrome, else ``None``.

    A line is chrome as it stands, or once its cuts are out ("時(shí)間:…" is a
    date line, recorded without the readings so that it still dates the page),
    or when nothing but punctuation is left of it.
    """
    if is_chrome_line(line, edge=edge):
        return line.strip()
    if whole:
        return None
    if not WORD.search(joined):
        return line.strip()
    return joined.strip() if is_chrome_line(joined, edge=edge) else None


def _drop_prefix(text: str, pieces: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """``pieces`` without their first ``n`` characters and the blanks after them."""
    out = []
    for a, b in pieces:
        if n >= b - a:
            n -= b - a
            continue
        a += n
        n = 0
        while a < b and text[a] in " \t" and not out:
            a += 1
        if b > a:
            out.append((a, b))
    return out
