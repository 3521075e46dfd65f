"""Read the text of Markdown (.md) files as a reader sees them rendered.

A speech kept in Markdown carries markup a reader never sees: front matter
(``---`` … ``---`` with ``title:`` and ``date:``), heading marks, emphasis
around a slogan (``“**两个确立**”``), links (``“[十四五](https://…)”``),
table rules, HTML comments and code blocks.  Mined as it stands, the marks
become part of phrases and the front matter and comments are counted as if
said.  :func:`markdown_text` keeps the words and leaves the markup out:

- front matter: its ``title`` (or ``标题``) is the document's title and its
  ``date`` (or ``year``, ``日期``) its date; the rest of it is no text;
- HTML comments and fenced code blocks are left out;
- heading marks, blockquote marks, list bullets and emphasis marks are
  dropped, links and images keep their text, inline code its content, a
  table row its cells, one per line, and a table's rule line goes.

A ``*`` right after a word stays: it masks a place name (六个*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MarkdownText", "markdown_text"]

FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
FIELD = re.compile(r"^([\w\u4e00-\u9fff-]+)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
TITLE_KEYS = ("title", "标题")
DATE_KEYS = ("date", "year", "日期", "年份")
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
QUOTE_MARK = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)
BULLET = re.compile(r"^[ \t]*(?:[-+]|\d{1,3}[.)])[ \t]+", re.MULTILINE)
STAR_BULLET = re.compile(r"^[ \t]*\*[ \t]+(?=\S)", re.MULTILINE)
RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$\n?", re.MULTILINE)
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$\n?", re.MULTILINE)
TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.MULTILINE)
IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
LINK = re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
LINK_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$\n?", re.MULTILINE)
STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# *emphasis* opened after a space, a quote, a comma or a line's edge: a star
# after a word (六个*) is a mask, not emphasis.
EMPHASIS = re.compile(r"(?:^|(?<=[\s“(（，、。；：]))\*([^*\s](?:[^*\n]*[^*\s])?)\*(?!\*)", re.MULTILINE)
CODE = re.compile(r"`([^`\n]+)`")
TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")


@dataclass(frozen=True)
class MarkdownText:
    """What a Markdown file says: its text without the markup, and the
    title and date its front matter gives (``""`` when it gives none)."""

    text: str
    title: str = ""
    date: str = ""


def markdown_text(source: str) -> MarkdownText:
    """The text of Markdown ``source`` without its markup (see the module docstring).

    >>> md = "---\\ntitle: 在全省经济工作会议上的讲话\\ndate: 2021-12-20\\n---\\n# 一、总体要求\\n坚持“**两个确立**”，实施“[十四五](https://x.cn)”规划。<!-- 草稿 -->"
    >>> m = markdown_text(md)
    >>> m.title, m.date, m.text
    ('在全省经济工作会议上的讲话', '2021-12-20', '一、总体要求\\n坚持“两个确立”，实施“十四五”规划。')
    >>> markdown_text("| 任务 | 内容 |\\n|---|---|\\n| 稳 | 建设“六个*” |").text
    '任务\\n内容\\n稳\\n建设“六个*”'
    """
    title = date = ""
    front = FRONT_MATTER.match(source)
    if front:
        fields = {key.lower(): value.strip("\"'") for key, value in FIELD.findall(front.group(1))}
        title = next((fields[k] for k in TITLE_KEYS if fields.get(k)), "")
        date = next((fields[k] for k in DATE_KEYS if fields.get(k)), "")
        source = source[front.end() :]
    text = FENCE.sub("", COMMENT.sub("", source))
    text = LINK_DEFINITION.sub("", TABLE_RULE.sub("", RULE.sub("", text)))
    text = TABLE_ROW.sub(lambda m: "\n".join(cell.strip() for cell in m.group(1).split("|")), text)
    text = HEADING.sub(r"\1", QUOTE_MARK.sub("", text))
    text = STAR_BULLET.sub("", BULLET.sub("", text))
    text = CODE.sub(r"\1", LINK.sub(r"\1", IMAGE.sub(r"\1", text)))
    text = TAG.sub("", EMPHASIS.sub(r"\1", STRONG.sub(r"\2", text)))
    return MarkdownText(text.strip("\n"), title, date)
