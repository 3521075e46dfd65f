"""Read the text layer of PDF files.

PDFs are read with pypdfium2, the Python binding of PDFium (the PDF engine of
Chrome; Apache-2.0 or BSD-3-Clause): it is fast, ships as a wheel with no
system libraries, and reads Chinese text layers (CID fonts with ToUnicode
maps) well.  PyMuPDF reads as well but is AGPL; pdfminer.six (MIT) is pure
Python and several times slower.

Each page's text comes in the order PDFium reads it (two columns that a page
draws a row of both at a time are read one after the other); pages are parted by a
form feed on a line of its own, so that cleaning (:mod:`miner.preprocess.clean`) can
tell the running heads, running feet and page numbers at the edges of the
pages from the body, count them as chrome, and join the lines of a sentence
that a printed line or a page break cut.  There is no OCR: a PDF without a
text layer (a scan) is a skipped document with that reason, and so is an
encrypted or damaged one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import Document

__all__ = ["PdfText", "PdfError", "extract_pdf", "read_pdf", "PAGE_SEPARATOR"]

PAGE_SEPARATOR = "\n\f\n"
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
# PDFium puts a space where glyphs stand apart (justified lines, letter
# spacing); between two CJK characters it is layout, not a word gap.
SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
PDFIUM_REASON = re.compile(r"\((PDFium: [^)]*)\)")
# A font without a map to Unicode gives glyph codes: private-use characters,
# replacement characters and control codes instead of text.
UNREADABLE = re.compile(r"[\ue000-\uf8ff\ufffd\ufffe\x01-\x08\x0e-\x1f]")
UNREADABLE_SHARE = 0.5
UPWARD_SHARE = 0.2  # more runs than this going up the page: not drawn in reading order
# Two columns drawn a row of both at a time: a gap of this share of the text's
# width that no run crosses, runs at least this share of their column wide at
# the median, and the order crossing the gap at more than this share of its steps.
GUTTER_SHARE, COLUMN_FILL, INTERLEAVED_SHARE = 0.02, 0.6, 0.5
HAN = re.compile(r"[\u3400-\u9fff]")
LINE_BREAK = re.compile(r"\r\n?|\n")
WORD_TITLE = re.compile(r"^(?:microsoft\s+(?:word|powerpoint)\s*-\s*)?(.*?)(?:\.(?:docx?|wps|pptx?|txt))?$", re.IGNORECASE)


class PdfError(InputError):
    """A PDF that cannot be read; the message says why, in a skip reason's words."""


@dataclass(frozen=True)
class PdfText:
    """The text layer of a PDF.

    Attributes:
        pages: The text of each page, lines parted by ``\\n``.
        title: The title in the PDF's properties (``""`` if none).
        images: Pages without text that hold an image (scanned pages).
        scanned: The numbers (from 1) of those pages.
    """

    pages: tuple[str, ...]
    title: str = ""
    images: int = 0
    scanned: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """The pages joined, each parted from the next by a form feed on its own line."""
        return PAGE_SEPARATOR.join(self.pages)

    @property
    def has_text(self) -> bool:
        return any(page.strip() for page in self.pages)

    @property
    def skip_reason(self) -> str | None:
        """Why the text cannot be mined (``None`` when it can).

        >>> PdfText(("", ""), images=2).skip_reason
        'a scanned PDF: its 2 pages are images with no text layer (no OCR)'
        >>> PdfText(("\ue001\ue002\ue003两",)).skip_reason
        'a PDF whose text layer is not readable text (its fonts map no characters to Unicode; no OCR)'
        """
        if not self.has_text:
            n = len(self.pages)
            if self.images:
                pages = f"{n} pages are images" if n != 1 else "1 page is an image"
                return f"a scanned PDF: its {pages} with no text layer (no OCR)"
            return "a PDF with no text on its pages"
        chars = "".join("".join(self.pages).split())
        if len(UNREADABLE.findall(chars)) > UNREADABLE_SHARE * len(chars):
            return "a PDF whose text layer is not readable text (its fonts map no characters to Unicode; no OCR)"
        return None

    @property
    def warning(self) -> str:
        """What is missing from a PDF read all the same: its scanned pages.

        >>> PdfText(("两个率先", "", ""), images=2, scanned=(2, 3)).warning
        'pages 2–3 of 3 are images with no text layer (no OCR): their text is missing'
        """
        if not self.scanned or not self.has_text:
            return ""
        runs: list[list[int]] = []
        for page in self.scanned:
            if runs and page == runs[-1][-1] + 1:
                runs[-1].append(page)
            else:
                runs.append([page])
        named = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
        pages, verb, their = ("pages", "are images", "their") if len(self.scanned) > 1 else ("page", "is an image", "its")
        return f"{pages} {named} of {len(self.pages)} {verb} with no text layer (no OCR): {their} text is missing"


def extract_pdf(source: str | Path | bytes) -> PdfText:
    """The text layer of a PDF file (a path, or the file's bytes).

    Raises :class:`PdfError` for an encrypted, damaged or empty file.

    >>> extract_pdf(b"%PDF-1.4 not really")
    Traceback (most recent call last):
    miner.io.pdf.PdfError: a damaged or invalid PDF (PDFium: Data format error)
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise PdfError("an encrypted PDF: it needs a password to be read") from None
        m = PDFIUM_REASON.search(message)
        raise PdfError(f"a damaged or invalid PDF ({m.group(1) if m else message})") from None
    try:
        if len(pdf) == 0:
            raise PdfError("a PDF with no pages")
        pages, scanned = [], []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = _page_text(textpage)
                finally:
                    textpage.close()
                if not text.strip() and any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,))):
                    scanned.append(index + 1)
            finally:
                page.close()
            pages.append(_tidy(text))
        title = _title(pdf.get_metadata_dict(skip_empty=True).get("Title", ""))
    except pdfium.PdfiumError as exc:
        raise PdfError(f"a damaged PDF ({exc})") from None
    finally:
        pdf.close()
    return PdfText(tuple(pages), title, len(scanned), tuple(scanned))


def _page_text(textpage) -> str:
    """A page's text in reading order.

    PDFium gives the text in the order the page draws it, which is the reading
    order of almost every PDF (and keeps the columns of a two-column page
    apart).  A page drawn in another order (lines that keep going up the page,
    as when a page is drawn bottom to top) is read row by row from the top
    instead, each row left to right.
    """
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    gutter = _interleaved_gutter(rects)
    if gutter is not None:
        # two columns drawn a row of both at a time: what spans them (a headline),
        # then the left column, then the right
        return "\n".join(_rows_text(textpage, [r for r in rects if r[0] < gutter < r[2]]) +
                         _rows_text(textpage, [r for r in rects if r[2] <= gutter]) +
                         _rows_text(textpage, [r for r in rects if r[0] >= gutter]))
    # (left, bottom, right, top): the next run starts above the top of the last one
    ups = sum(1 for a, b in zip(rects, rects[1:]) if b[1] > a[3])
    if ups <= UPWARD_SHARE * max(1, len(rects) - 1):
        return textpage.get_text_bounded()
    return "\n".join(_rows_text(textpage, rects))


def _rows_text(textpage, rects) -> list[str]:
    """The text of ``rects`` row by row from the top, each row left to right."""
    rows: list[list[tuple[float, float, float, float]]] = []
    for rect in sorted(rects, key=lambda r: -r[3]):
        middle = (rect[1] + rect[3]) / 2
        if rows and rows[-1][0][1] <= middle <= rows[-1][0][3]:
            rows[-1].append(rect)
        else:
            rows.append([rect])
    return ["".join(textpage.get_text_bounded(*r) for r in sorted(row)) for row in rows]


def _interleaved_gutter(rects) -> float | None:
    """The x of the gutter between two columns of text that the page draws a
    row of both at a time (a left line, then the right line beside it),
    which PDFium's order would interleave; ``None`` for any other page.

    Two columns: no run narrower than half the text crosses a gap in the
    middle of the page (a headline over both may), at least three runs stand
    on each side, and the runs fill their column (a table's short cells do
    not).  Interleaved: the order goes from one side to the other at more
    than :data:`INTERLEAVED_SHARE` of its steps.

    >>> rows = [((60, y, 250, y + 12), (300, y, 490, y + 12)) for y in range(700, 600, -20)]
    >>> _interleaved_gutter([r for pair in rows for r in pair])
    275.0
    >>> _interleaved_gutter([(60, 720, 490, 740)] + [r for pair in rows for r in pair])  # under a headline
    275.0
    >>> _interleaved_gutter([r for side in zip(*rows) for r in side]) is None  # drawn column by column
    True
    """
    if len(rects) < 6:
        return None
    left, right = min(r[0] for r in rects), max(r[2] for r in rects)
    width = right - left
    narrow = [r for r in rects if r[2] - r[0] < width / 2]
    covered, gutter = left, None
    for a, _, b, _ in sorted(narrow):
        if a - covered >= GUTTER_SHARE * width and left + 0.3 * width <= (a + covered) / 2 <= left + 0.7 * width:
            gutter = (a + covered) / 2
            break
        covered = max(covered, b)
    if gutter is None:
        return None
    placed = [r for r in rects if not r[0] < gutter < r[2]]
    sides = [r[2] <= gutter for r in placed]
    for side in (True, False):
        runs = [r for r, s in zip(placed, sides) if s is side]
        span = max(r[2] for r in runs) - min(r[0] for r in runs) if runs else 0
        widths = sorted(r[2] - r[0] for r in runs)
        if len(runs) < 3 or widths[len(widths) // 2] < COLUMN_FILL * span:
            return None
    switches = sum(1 for a, b in zip(sides, sides[1:]) if a != b)
    return gutter if switches > INTERLEAVED_SHARE * (len(placed) - 1) else None


def _tidy(text: str) -> str:
    """A page's text with ``\\n`` line breaks, no layout spaces between CJK
    characters, and no stray form feeds or NULs."""
    text = LINE_BREAK.sub("\n", text.replace("\x00", "").replace("\f", "\n"))
    return "\n".join(SPACE_IN_CJK.sub("", line).strip() for line in text.split("\n")).strip("\n")


def _title(value: str) -> str:
    """The title property, without the "Microsoft Word - … .docx" a printer driver
    wraps it in; none unless it has Chinese in it ("untitled", "Slide 1" and
    internal file names are no title of a Chinese speech).

    >>> _title("Microsoft Word - 在全县大会上的讲话.docx"), _title("untitled")
    ('在全县大会上的讲话', '')
    """
    m = WORD_TITLE.match(" ".join(value.split()))
    title = m.group(1).strip() if m else ""
    return title if HAN.search(title) else ""


def read_pdf(path: Path, name: str) -> Iterator[Document]:
    """Yield the one document of a PDF file, or a skipped document saying why it
    cannot be read (encrypted, damaged, or a scan with no text layer)."""
    try:
        result = extract_pdf(path)
    except PdfError as exc:
        yield Document(doc_id=name, source=name, status=f"skipped: {exc}")
        return
    reason = result.skip_reason
    if reason:
        yield Document(doc_id=name, source=name, status=f"skipped: {reason}")
        return
    yield Document(name, name, result.text, title=result.title, warning=result.warning)
