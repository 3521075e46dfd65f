"""Strip web-page chrome (banners, buttons, page counters, copyright and ICP
lines, forum headers) so that only the speech body is mined.

Cleaning works line by line on the normalised text, so traditional pages and
full-width digits match the same patterns.  Long lines are only dropped by
the strong patterns (copyright, ICP, site disclaimers), so a speech paragraph
that merely mentions "下载" or "客服" survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import NormalText

__all__ = ["Cleaned", "clean_text", "is_chrome_line", "site_names"]

SHORT_LINE = 60

BUTTONS = (
    "返回|下载|相关|举报|收藏|分享|打印|复制链接|回复|顶|踩|收起|展开|上一主题|下一主题|分享赚钱|"
    "下载文档|使用道具|登录|免费注册|找回密码|只看该作者|倒序浏览|阅读模式|回帖奖励|楼主|沙发|"
    "首页|上一页|下一页|尾页|全文|关闭|更多|加入收藏|设为首页|字号|大|中|小|放大|缩小|默认|"
    "QQ好友和群|QQ空间|QQ好友|腾讯微博|腾讯朋友|新浪微博|微信|微博|朋友圈|豆瓣"
)
BUTTON_LINE = re.compile(rf"^[\[【(（]?(?:(?:{BUTTONS})[\]】)）]?[\s|/｜·,，]*)+$")

# Patterns that mark a line as chrome whatever its length, split so that the
# Latin ones (the slow, case-blind ones) only run on lines with Latin letters.
STRONG_CHROME = re.compile(
    r"(?:上传人|文档编号|上传时间|页数|大小)\s*[:：].*(?:上传时间|格式|页数|大小)\s*[:：]|"
    r"©|版权所有|备案号|公网安备|本站为文档|本站只是|仅提供信息存储空间|侵犯了?您的版权|若需要原创文章|"
    r"^\d+[.、]\s*(?:部分包含|本文档|下载前|下载文档时|如果您)|此文档下载收益|欢迎光临"
)
STRONG_LATIN = re.compile(
    r"copyright|\(c\)\s*\d{4}|all rights reserved|icp\s*[备证]?\s*\d|powered by|discuz", re.IGNORECASE
)
LATIN = re.compile(r"[A-Za-z]")
# Patterns that mark a short line as chrome.
SHORT_CHROME = re.compile(
    r"^(?:上传人|文档编号|上传时间|格式|页数|大小|id|时间|作者|标题|来源|发布时间|发布日期|浏览|"
    r"阅读|点击|字数|日期|网站客服|联系电话|导语|编辑|责任编辑|关键词|标签|分类)\s*[:：]|"
    r"^发表于\s*[:：]?\s*\d|第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|_{1,2}第\d+页$|点击查看更多|^资源描述$|展开阅读全文|"
    r"^相关(?:资源|搜索|文档|推荐|阅读)$|^最新(?:文档|主题|文章)|当前位置\s*[:：]|温馨提示|"
    r"找回密码|免费注册|qq登录|只需一步|快速开始|查看\s*[:：]\s*\d+\s*[|｜]\s*回复|跳转到指定楼层|"
    r"\[复制链接\]|分享到\s*[:：]|登录后才可以回帖|本版积分规则|gmt[+-]\d|快速回复|返回顶部|返回列表|"
    r"你可能关注的文档|^-?\s*(?:上一篇|下一篇)\s*[:：]|ppt课件|试卷教案|本文由|扫一扫|二维码|"
    r"^\[?打印本页\]?$|\.(?:docx?|pdf|pptx?|txt|wps)$",
    re.IGNORECASE,
)
SITE_NAME = re.compile(r"^([^\s，。！？、：；“”()（）]{2,16}?(?:网|网站|文库|论坛|范文))(?:[_\-|｜ ]+(\S{2,16}))?$")
# Site names are only looked for this many non-empty lines from either end of
# a page: in the body, "大力发展工业互联网" is a sentence, not a banner.
EDGE_LINES = 8


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
    >>> is_chrome_line("全面推进“四个全面”战略布局，下载并打印本文件。")
    False
    """
    line = line.strip()
    if not line:
        return False
    if STRONG_CHROME.search(line) or (LATIN.search(line) and STRONG_LATIN.search(line)) or BUTTON_LINE.match(line):
        return True
    return len(line) <= SHORT_LINE and bool(SHORT_CHROME.search(line) or (edge and SITE_NAME.match(line)))


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


def clean_text(nt: NormalText) -> Cleaned:
    """Drop chrome lines and site watermarks from a normalised document."""
    lines = nt.text.split("\n")
    watermarks = site_names([ln for ln in lines if ln.strip()])
    watermark = re.compile("|".join(map(re.escape, watermarks))) if watermarks else None
    ranges: list[tuple[int, int]] = []
    breaks: list[bool] = []
    chrome: list[str] = []
    stripped_chars = 0
    pos = 0
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])
    for i, line in enumerate(lines):
        end = pos + len(line)
        if is_chrome_line(line, edge=i in edges):
            chrome.append(line.strip())
            stripped_chars += len(line.strip())
        elif line.strip():
            a, new_line = pos, True
            for m in watermark.finditer(line) if watermark else ():
                if pos + m.start() > a:
                    ranges.append((a, pos + m.start()))
                    breaks.append(new_line)
                    new_line = False
                stripped_chars += m.end() - m.start()
                a = pos + m.end()
            if end > a:
                ranges.append((a, end))
                breaks.append(new_line)
        pos = end + 1
    return Cleaned(nt.select(ranges, breaks), len(chrome), stripped_chars, tuple(chrome))
