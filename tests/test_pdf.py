"""PDF: a speech printed to PDF mines to the mentions of its text; running
heads, feet and page numbers are chrome; scans, encrypted and damaged PDFs
are skipped with their reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from miner.io.pdf import PAGE_SEPARATOR, PdfError, extract_pdf
from miner.pipeline import run_corpus
from miner.io.read import iter_documents
from miner.types import Document

SPEECH = "2020_county_economic_work_conference.txt"
HEADER = "某某县人民政府办公室文件"
LINE_CHARS = 30  # cuts 六保, 双循环 and 六稳六保 at a line's end
PAGE_LINES = 14


def _font():
    from miner.fonts import find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font to print a test PDF with")
    return font


def print_pdf(
    path: Path, pages: list[list[str]], *, header: str | None = HEADER, numbers: str = "— {} —", title: str | None = None
) -> Path:
    """Print lines to a PDF with a CJK font, one list of lines a page, under a
    running head and over a page number, as an office printer would."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(_font().path))
    with rc_context({"pdf.fonttype": 3}), PdfPages(path, metadata={"Title": title} if title else None) as pdf:
        for number, lines in enumerate(pages, 1):
            figure = Figure(figsize=(8.27, 11.69))
            if header:
                figure.text(0.5, 0.96, header, fontproperties=font, fontsize=9, ha="center")
            for k, line in enumerate(lines):
                figure.text(0.1, 0.9 - k * 0.055, line, fontproperties=font, fontsize=13)
            if numbers:
                figure.text(0.5, 0.03, numbers.format(number), fontproperties=font, fontsize=9, ha="center")
            pdf.savefig(figure)
    return path


def print_lines(text: str) -> list[list[str]]:
    """A text set in printed lines of :data:`LINE_CHARS` characters and pages
    of :data:`PAGE_LINES` lines: a paragraph's lines are cut anywhere, even
    inside a slogan."""
    lines = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        lines += [paragraph[i : i + LINE_CHARS] for i in range(0, len(paragraph), LINE_CHARS)]
    return [lines[i : i + PAGE_LINES] for i in range(0, len(lines), PAGE_LINES)]


@pytest.fixture(scope="module")
def speech(sample_dir) -> str:
    return (sample_dir / SPEECH).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def printed(tmp_path_factory, speech) -> Path:
    return print_pdf(tmp_path_factory.mktemp("pdf") / "speech.pdf", print_lines(speech))


def test_a_printed_speech_mines_to_the_mentions_of_its_text(printed, speech, slogan_miner):
    pages = print_lines(speech)
    assert len(pages) >= 3 and any(len(p[-1]) == LINE_CHARS for p in pages)  # sentences run over page breaks
    [doc] = iter_documents([printed])
    assert doc.status == "ok" and doc.text.count("\f") == len(pages) - 1
    from_pdf = slogan_miner.mine(doc)
    from_text = slogan_miner.mine(Document("speech.txt", "speech.txt", speech))
    assert [m.phrase for m in from_pdf.mentions] == [m.phrase for m in from_text.mentions]
    assert len(from_pdf.mentions) == 15
    assert (from_pdf.document.year, from_pdf.document.year_source) == (2020, "text")  # （2020年12月28日）
    assert from_pdf.document.title == from_text.document.title == "在全县经济工作会议上的讲话"
    # every mention is placed in the PDF's text, three of them cut by a line break
    assert ["".join(m.surface.split()) for m in from_pdf.mentions] == [m.surface for m in from_text.mentions]
    assert [m.phrase for m in from_pdf.mentions if "\n" in m.surface] == ["六保", "双循环", "六稳六保"]
    assert all(doc.text[m.start : m.end] == m.surface for m in from_pdf.mentions)
    # the running head and the number of every page are chrome; the title, printed once, is not
    body = slogan_miner.normalizer.normalize(doc.text)
    from miner.preprocess.clean import clean_text

    cleaned = clean_text(body, title=from_pdf.document.title)
    assert cleaned.chrome == ("*县人民政府办公室文件", "— 1 —") + (
        "*县人民政府办公室文件", "— 2 —", "*县人民政府办公室文件", "— 3 —",
    )
    assert from_pdf.stripped_lines == 2 * len(pages)
    assert from_pdf.chars == from_text.chars

def test_pages_are_read_in_order_with_their_lines(tmp_path):
    path = print_pdf(tmp_path / "two.pdf", [["第一页第一行", "第一页第二行"], ["第二页第一行"]], header=None, numbers="")
    result = extract_pdf(path)
    assert result.pages == ("第一页第一行\n第一页第二行", "第二页第一行")
    assert result.text == "第一页第一行\n第一页第二行" + PAGE_SEPARATOR + "第二页第一行"


def test_the_title_property_is_the_title_and_its_copy_on_the_page_is_chrome(tmp_path, slogan_miner):
    pages = [["在全县“两个率先”推进大会上的讲话", "同志们：要实现“两个率先”。"], ["谢谢大家！"]]
    path = print_pdf(tmp_path / "t.pdf", pages, title="Microsoft Word - 在全县“两个率先”推进大会上的讲话.docx")
    result = slogan_miner.mine(next(iter_documents([path])))
    assert result.document.title == "在全县“两个率先”推进大会上的讲话"
    assert [(m.phrase, m.sentence) for m in result.mentions] == [("两个率先", 0)]  # the body's, not the title's
    untitled = print_pdf(tmp_path / "u.pdf", pages, title="untitled")
    assert next(iter_documents([untitled])).title == ""


def test_a_page_drawn_bottom_to_top_is_read_top_to_bottom(tmp_path):
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(_font().path))
    lines = ["同志们：今年要实现“两个", "率先”，推进“三去一降一补”。", "谢谢大家！"]
    with PdfPages(tmp_path / "up.pdf") as pdf:
        figure = Figure(figsize=(8.27, 11.69))
        for k in reversed(range(len(lines))):
            figure.text(0.1, 0.9 - k * 0.05, lines[k], fontproperties=font, fontsize=13)
        pdf.savefig(figure)
    assert extract_pdf(tmp_path / "up.pdf").pages == ("\n".join(lines),)


@pytest.mark.parametrize("order", ["rows", "columns"])
def test_two_columns_are_read_one_after_the_other_however_drawn(tmp_path, order):
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(_font().path))
    left = ["坚持“两个确立”，做到", "“两个维护”，推动高质", "量发展，落实“六稳”", "“六保”任务。"]
    right = ["全面贯彻新发展理念，", "构建“双循环”新发展格", "局，打好“三大攻坚战”", "。"]
    headline = "二〇二三年政府工作报告（在省第十四届人民代表大会第一次会议上）"
    spots = [(0.08, k, line) for k, line in enumerate(left)] + [(0.55, k, line) for k, line in enumerate(right)]
    if order == "rows":  # a left line, then the right line beside it: PDFium's order interleaves them
        spots.sort(key=lambda spot: (spot[1], spot[0]))
    with PdfPages(tmp_path / "two.pdf") as pdf:
        figure = Figure(figsize=(8.27, 11.69))
        figure.text(0.08, 0.95, headline, fontproperties=font, fontsize=13)
        for x, k, line in spots:
            figure.text(x, 0.9 - k * 0.03, line, fontproperties=font, fontsize=12)
        pdf.savefig(figure)
    assert extract_pdf(tmp_path / "two.pdf").pages == ("\n".join([headline, *left, *right]),)


@pytest.mark.parametrize("numbers", ["— {} —", "- {} -", "第{}页", "{}/4", "{}", "Page {} of 4"])
def test_page_numbers_in_any_shape_are_chrome(tmp_path, slogan_miner, numbers):
    body = [["要落实“两个率先”，推进“三去一降一补”。"], ["坚持“四个全面”战略布局。"], ["深化“放管服”改革。"], ["谢谢大家！"]]
    path = print_pdf(tmp_path / "n.pdf", body, header=None, numbers=numbers)
    result = slogan_miner.mine(next(iter_documents([path])))
    assert [m.phrase for m in result.mentions] == ["两个率先", "三去一降一补", "四个全面", "放管服"]
    assert result.stripped_lines == 4


def test_a_line_repeated_in_the_body_is_not_a_running_head(tmp_path, slogan_miner):
    # the same sentence on two of five pages, but not at their edges
    pages = [["同志们：", "第一件事。", "要落实“两个率先”。", "第二件事。", "第三件事。"] for _ in range(2)]
    pages += [[f"第{k}部分。", "推进“三去一降一补”。", "继续努力。", "再接再厉。"] for k in range(3)]
    path = print_pdf(tmp_path / "r.pdf", pages, header=None, numbers="")
    result = slogan_miner.mine(next(iter_documents([path])))
    assert [m.phrase for m in result.mentions] == ["两个率先", "两个率先"] + ["三去一降一补"] * 3


def test_a_scanned_pdf_is_skipped_with_its_reason(tmp_path):
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    path = tmp_path / "scan.pdf"
    with PdfPages(path) as pdf:
        for _ in range(2):
            figure = Figure(figsize=(8.27, 11.69))
            figure.figimage(np.random.default_rng(0).random((60, 40)), xo=50, yo=50)
            pdf.savefig(figure)
    [doc] = iter_documents([path])
    assert doc.status == "skipped: a scanned PDF: its 2 pages are images with no text layer (no OCR)"


@pytest.mark.parametrize("scanned, warning", [
    ((2, 3), "pages 2–3 of 4 are images with no text layer (no OCR): their text is missing"),
    ((1, 3), "pages 1, 3 of 4 are images with no text layer (no OCR): their text is missing"),
    ((4,), "page 4 of 4 is an image with no text layer (no OCR): its text is missing"),
    ((), ""),
])
def test_a_pdf_with_scanned_pages_among_its_text_says_which_are_missing(tmp_path, scanned, warning):
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    path = tmp_path / "mixed.pdf"
    with PdfPages(path) as pdf:
        for page in range(1, 5):
            figure = Figure(figsize=(8.27, 11.69))
            if page in scanned:
                figure.figimage(np.random.default_rng(page).random((60, 40)), xo=50, yo=50)
            else:
                figure.text(0.1, 0.9, f"page {page}: 2 + 2", fontsize=12)
            pdf.savefig(figure)
    [doc] = iter_documents([path])
    assert (doc.status, doc.warning) == ("ok", warning)


def _hand_made_pdf(trailer: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with an empty page, its cross-reference table worked out."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


@pytest.mark.parametrize(
    "data, reason",
    [
        (
            _hand_made_pdf(
                b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>] ",
                (b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>",),
            ),
            "an encrypted PDF: it needs a password to be read",
        ),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "a damaged or invalid PDF (PDFium: Data format error)"),
        (_hand_made_pdf(), "a PDF with no text on its pages"),
        (b"", "a damaged or invalid PDF (PDFium: Data format error)"),
    ],
)
def test_unreadable_pdfs_are_skipped_with_their_reason(tmp_path, data, reason):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    [doc] = iter_documents([path])
    assert (doc.status, doc.text) == (f"skipped: {reason}", "")


def test_extract_pdf_raises_for_a_damaged_file():
    with pytest.raises(PdfError, match=r"^a damaged or invalid PDF"):
        extract_pdf(b"%PDF-1.7 truncated")


def test_a_run_over_a_folder_with_pdfs_accounts_for_every_one(tmp_path, printed):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "speech.pdf").write_bytes(printed.read_bytes())
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    summary = run_corpus([corpus], tmp_path / "out", workers=1)
    assert (summary.documents, summary.skipped) == (1, 1)
    documents = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8-sig")
    assert "skipped: a damaged or invalid PDF (PDFium: Data format error)" in documents
    assert "speech.pdf,在全县经济工作会议上的讲话,2020,text," in documents
