"""Read the text of Word (.docx) files.

python-docx opens the package and parses ``word/document.xml``; its own
``Document.paragraphs`` and ``Table.rows`` are no faithful reading of it.
They see only the paragraphs that are children of the body, so the text of
content controls, text boxes, tracked insertions, simple fields, smart tags
and nested tables is lost; a cell merged across columns comes once per column
and a cell merged down the rows once per row; and a table read after all the
paragraphs leaves its place in the speech.  :func:`extract_docx_text` walks
the body's XML once, in document order, and reads what Word shows:

- one line per paragraph (``w:p``), made of its text (``w:t``), tabs
  (``w:tab``, ``w:ptab``) and line breaks (``w:br`` of every kind, ``w:cr``),
  wherever they sit inside it: in runs, hyperlinks, content controls
  (``w:sdt``), tracked insertions (``w:ins``, ``w:moveTo``), simple fields
  (``w:fldSimple``) and the result of complex ones, smart tags and custom XML;
- a table in its place, one line per row, the cells parted by a tab and each
  cell's paragraphs by a line break; a merged cell comes once, a cell that
  continues a merge from above (``w:vMerge``) or from the left (the old
  ``w:hMerge``) not at all, and a nested table comes inside its cell;
- the paragraphs of a text box (``w:txbxContent``) as lines of their own,
  right after the line of the paragraph that anchors the box; a drawing that
  Word stores twice is read once, from the ``mc:Choice`` of its
  ``mc:AlternateContent`` (never also from the VML copy in ``mc:Fallback``).

Left out: deleted text (``w:del``, ``w:moveFrom``; a paragraph or table row
deleted whole leaves no empty line), field instructions (``w:instrText``),
the prompt a content control shows while it is empty, the table of contents
Word builds in a content control (the headings again, with page numbers), the ruby (pinyin) set
over characters (``w:rt``), and symbols drawn from a symbol font (``w:sym``,
glyphs in private-use code points).  A non-breaking hyphen reads as ``-``,
an optional (soft) hyphen as nothing.  Only the body is read: headers and footers are page chrome, and
footnotes, endnotes and comments live in parts of their own and are not
read; nor is equation text (OMML) or a chunk of another format pasted in
whole (``w:altChunk``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element

__all__ = ["extract_docx_text", "main_document", "pasted_parts"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
BODY, P, TBL, TR, TC, T = (_W + name for name in ("body", "p", "tbl", "tr", "tc", "t"))
TEXT_BOX = _W + "txbxContent"
ALTERNATE, CHOICE, FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
SDT, SDT_PR, PLACEHOLDER = _W + "sdt", _W + "sdtPr", _W + "showingPlcHdr"
# What the marks inside a run read as.  A page or column break parts lines as
# a line break does, so that the heading after it starts a line of its own.
MARKS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n",
         _W + "noBreakHyphen": "-", _W + "softHyphen": ""}
# Elements whose content is not text of the speech: deletions, field
# instructions, ruby annotations, the properties of paragraphs, runs, tables
# and controls, and the copy of a drawing kept for old readers.
NOT_TEXT = frozenset(_W + name for name in (
    "del", "moveFrom", "delText", "delInstrText", "instrText", "rt", "pPr", "rPr", "sectPr", "tblPr", "tblGrid",
    "tblPrEx", "trPr", "tcPr", "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr", "fldData", "ffData",
)) | {FALLBACK}
MARK_DELETED = (f"{_W}pPr/{_W}rPr/{_W}del", f"{_W}pPr/{_W}rPr/{_W}moveFrom")
ROW_DELETED = f"{_W}trPr/{_W}del"
CELL_PROPERTIES, CELL_DELETED = _W + "tcPr", _W + "cellDel"
MERGES = (_W + "vMerge", _W + "hMerge")
VAL = _W + "val"
ALT_CHUNK = _W + "altChunk"
# Strict Open XML names the same elements in namespaces of its own.
_STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
STRICT_NAMESPACES = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": _W[1:-1],
    "http://purl.oclc.org/ooxml/officeDocument/relationships": (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    "http://purl.oclc.org/ooxml/drawingml/main": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
TRANSITIONAL_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def extract_docx_text(source: WordDocument | _Element) -> str:
    """The text of a Word document's body, in reading order, lines parted by ``\\n``.

    ``source`` is a python-docx ``Document``, its ``w:document`` or ``w:body``
    element, or any element holding paragraphs and tables (a cell, a text
    box).  What is read and what is left out is told in :mod:`miner.io.docx`.

    >>> import docx
    >>> book = docx.Document()
    >>> _ = book.add_paragraph("一、深化改革")
    >>> table = book.add_table(rows=2, cols=2)
    >>> table.cell(0, 0).merge(table.cell(0, 1)).text = "放管服"
    >>> table.cell(1, 0).text, table.cell(1, 1).text = "简政放权", "优化服务"
    >>> _ = book.add_paragraph("二、扩大开放")
    >>> extract_docx_text(book)
    '一、深化改革\\n放管服\\n简政放权\\t优化服务\\n二、扩大开放'
    """
    root = getattr(source, "element", source)
    if root.tag != BODY:
        root = next((child for child in root if child.tag == BODY), root)
    if root.tag.startswith(_STRICT_W):  # Strict Open XML: the same elements in another namespace
        root = _transitional(root)
    lines: list[str] = []
    _blocks(root, lines)
    text = "\n".join(lines)
    return text.replace("\u00ad", "") if "\u00ad" in text else text  # soft hyphens typed as characters


def pasted_parts(source: WordDocument | _Element) -> int:
    """How many chunks of another format (``w:altChunk``: HTML, RTF or another
    document pasted in whole) the body holds; their text is not read."""
    root = getattr(source, "element", source)
    return sum(1 for _ in root.iter(ALT_CHUNK, _STRICT_W + "altChunk"))


def main_document(package) -> _Element | None:
    """The ``w:document`` element of a package (an open :class:`zipfile.ZipFile`)
    that python-docx will not open: Strict Open XML, or a macro-enabled
    document or a template (.docm, .dotx) named .docx; ``None`` if the
    package names no main document."""
    from lxml import etree

    try:
        rels = etree.fromstring(package.read("_rels/.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return None
    for rel in rels:
        if rel.get("Type") in (STRICT_DOCUMENT, TRANSITIONAL_DOCUMENT):
            target = rel.get("Target", "").lstrip("/")
            try:
                root = etree.fromstring(package.read(target), etree.XMLParser(huge_tree=False))
            except (KeyError, etree.XMLSyntaxError):
                return None
            # an Excel workbook or a PowerPoint deck names its main part the same way
            return root if etree.QName(root).localname == "document" else None
    return None


def _transitional(root: _Element) -> _Element:
    """``root`` (a Strict Open XML element) with its names in the namespaces
    of the Transitional format this module reads."""
    from lxml import etree

    data = etree.tostring(root)
    for strict, transitional in STRICT_NAMESPACES.items():
        data = data.replace(strict.encode(), transitional.encode())
    return etree.fromstring(data)


def _blocks(container: _Element, lines: list[str]) -> None:
    """Add the lines of the paragraphs and tables in ``container`` to ``lines``."""
    for child in container:
        tag = child.tag
        if tag == P:
            _paragraph(child, lines)
        elif tag == TBL:
            _table(child, lines)
        elif tag in NOT_TEXT or not isinstance(tag, str):  # comments and processing instructions
            continue
        elif tag == ALTERNATE:
            choice = _choice(child)
            if choice is not None:
                _blocks(choice, lines)
        elif tag == SDT and (_placeholder(child) or _contents_table(child)):
            continue
        else:  # content controls, custom XML, tracked insertions: read what they hold
            _blocks(child, lines)


def _paragraph(p: _Element, lines: list[str]) -> None:
    """Add the line of paragraph ``p``, then the lines of the text boxes it anchors."""
    parts: list[str] = []
    boxes: list[str] = []
    _inline(p, parts, boxes)
    text = "".join(parts)
    # A paragraph deleted whole keeps its element, with its mark marked deleted.
    if text or not any(p.find(path) is not None for path in MARK_DELETED):
        lines.append(text)
    lines.extend(boxes)


def _inline(element: _Element, parts: list[str], boxes: list[str]) -> None:
    """Add the text inside a paragraph to ``parts``, and the lines of the text
    boxes (and any paragraph or table found there) to ``boxes``."""
    for child in element:
        tag = child.tag
        if tag == T:
            if child.text:
                parts.append(child.text)
        elif tag in MARKS:
            parts.append(MARKS[tag])
        elif tag in NOT_TEXT or not isinstance(tag, str):
            continue
        elif tag == ALTERNATE:
            choice = _choice(child)
            if choice is not None:
                _inline(choice, parts, boxes)
        elif tag == TEXT_BOX:
            _blocks(child, boxes)
        elif tag == P:  # a paragraph or table out of place: read as if in a text box
            _paragraph(child, boxes)
        elif tag == TBL:
            _table(child, boxes)
        elif tag == SDT and _placeholder(child):
            continue
        else:  # runs, hyperlinks, fields, controls, insertions, drawings on the way to a text box
            _inline(child, parts, boxes)


def _table(tbl: _Element, lines: list[str]) -> None:
    """Add one line per row of table ``tbl``: its cells' text parted by tabs."""
    for row in _within(tbl, TR):
        if row.find(ROW_DELETED) is not None:
            continue
        cells = []
        for cell in _within(row, TC):
            props = cell.find(CELL_PROPERTIES)
            if props is not None and _left_out(props):
                continue
            inner: list[str] = []
            _blocks(cell, inner)
            cells.append("\n".join(inner))
        lines.append("\t".join(cells))


def _within(parent: _Element, tag: str) -> Iterator[_Element]:
    """The ``tag`` children of ``parent``, and those wrapped in content controls or custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in NOT_TEXT or not isinstance(child.tag, str) or child.tag in (P, TBL):
            continue
        elif child.tag == ALTERNATE:
            choice = _choice(child)
            if choice is not None:
                yield from _within(choice, tag)
        elif child.tag == SDT and _placeholder(child):
            continue
        else:
            yield from _within(child, tag)


def _left_out(props: _Element) -> bool:
    """Whether a cell with properties ``props`` continues a merged cell, or is deleted."""
    for child in props:
        if child.tag in MERGES and child.get(VAL, "continue") == "continue":
            return True
        if child.tag == CELL_DELETED:
            return True
    return False


def _choice(alternate: _Element) -> _Element | None:
    """The branch of an ``mc:AlternateContent`` to read: its first ``mc:Choice``,
    or its ``mc:Fallback`` when it has no choice."""
    fallback = None
    for child in alternate:
        if child.tag == CHOICE:
            return child
        if child.tag == FALLBACK and fallback is None:
            fallback = child
    return fallback


def _contents_table(sdt: _Element) -> bool:
    """Whether content control ``sdt`` is the table of contents Word builds:
    the headings again, with page numbers, which would count every phrase
    of a heading twice."""
    props = sdt.find(SDT_PR)
    if props is None:
        return False
    gallery = props.find(f"{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and gallery.get(VAL, "").lower() == "table of contents"


def _placeholder(sdt: _Element) -> bool:
    """Whether content control ``sdt`` shows its prompt ("单击此处输入文字。") instead of content."""
    props = sdt.find(SDT_PR)
    return props is not None and props.find(PLACEHOLDER) is not None
