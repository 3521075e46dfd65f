"""Reading: every format, every encoding, field detection, and bad input that
is skipped with its reason instead of crashing or going missing."""

from __future__ import annotations

import codecs
import io
import json
import os
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from miner.errors import InputError
from miner.io.read import DecodeError, Fields, decode_bytes, discover, iter_documents

SIMPLIFIED = "同志们：今年要实现“两个率先”，推进“三去一降一补”，落实“十四五”规划。"
TRADITIONAL = "同志們：今年要實現「兩個率先」，推進『三去一降一補』，落實「十四五」規劃。"
SUFFIXES_READ = " ".join((".txt", ".md", ".docx", ".html", ".htm", ".pdf", ".jsonl", ".json", ".csv", ".tsv"))


def read(*paths, fields: Fields = Fields()):
    """(file name with row, year, title, status, text) of every document."""
    return [(Path(d.doc_id).name, d.year, d.title, d.status, d.text) for d in iter_documents(paths, fields)]


def statuses(*paths, fields: Fields = Fields()):
    return [(Path(d.doc_id).name, d.status) for d in iter_documents(paths, fields)]


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# -- encodings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, encoding, bom",
    [
        (SIMPLIFIED, "utf-8", b""),
        (SIMPLIFIED, "utf-8", codecs.BOM_UTF8),
        (SIMPLIFIED, "gb18030", b""),
        (SIMPLIFIED, "gbk", b""),
        (TRADITIONAL, "big5", b""),
        (TRADITIONAL, "utf-8", b""),
        (SIMPLIFIED, "utf-16-le", codecs.BOM_UTF16_LE),
        (SIMPLIFIED, "utf-16-be", codecs.BOM_UTF16_BE),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "big5", "traditional-utf-8", "utf-16-le", "utf-16-be"],
)
def test_text_file_in_any_encoding_is_decoded_exactly(tmp_path, text, encoding, bom):
    path = tmp_path / "讲话.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert read(path) == [("讲话.txt", None, "", "ok", text)]


def test_markdown_is_one_document(tmp_path):
    path = tmp_path / "speech.md"
    path.write_text("# 在全县大会上的讲话\n\n" + SIMPLIFIED + "\n", encoding="utf-8")
    assert read(path) == [("speech.md", None, "", "ok", "在全县大会上的讲话\n\n" + SIMPLIFIED)]


@pytest.mark.parametrize(
    "data, expected",
    [
        ("兩個率先".encode("big5"), ("兩個率先", "big5")),
        ("三去一降一补".encode("gb18030"), ("三去一降一补", "gb18030")),
        (codecs.BOM_UTF8 + "十四五".encode(), ("十四五", "utf-8-sig")),
        ("十四五".encode("utf-16"), ("十四五", "utf-16")),
    ],
)
def test_decode_bytes_names_the_encoding(data, expected):
    assert decode_bytes(data) == expected


@pytest.mark.parametrize("text, encoding", [(SIMPLIFIED, "gb18030"), (TRADITIONAL, "big5")])
def test_encoding_is_found_after_a_long_ascii_head(tmp_path, text, encoding):
    page = "<script>" + "var x = 1;\n" * 8000 + "</script>\n" + text
    path = tmp_path / "page.txt"
    path.write_bytes(page.encode(encoding))
    assert read(path) == [("page.txt", None, "", "ok", page)]


def test_a_few_bad_bytes_in_utf8_are_replaced_and_counted():
    line = "要实现“两个率先”。\n".encode()  # 31 bytes
    good = line * 200
    text, encoding = decode_bytes(good[: 31 * 40] + b"\xff" + good[31 * 40 :])
    assert encoding == "utf-8 (1 bad bytes replaced)"
    assert text == "要实现“两个率先”。\n" * 40 + "\ufffd" + "要实现“两个率先”。\n" * 160
    # A stray byte inside a character costs that character too; still read.
    text, encoding = decode_bytes(good[:1000] + b"\xff" + good[1000:])
    assert encoding == "utf-8 (3 bad bytes replaced)"
    assert text.count("要实现") == 199 and text.count("两个率先") == 200


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "only blank space, no text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image, not text"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF file, not text"),
        (bytes(range(256)), "a binary file, not text"),
        (b"abc " + b"\xff" * 64, "undecodable bytes: not valid UTF-8, GB18030 or Big5"),
    ],
)
def test_decode_bytes_refuses_what_is_not_text(data, message):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert str(info.value) == message


# -- .docx and .html -----------------------------------------------------------


def test_docx_paragraphs_tables_and_title(tmp_path):
    book = docx.Document()
    book.core_properties.title = "在全县经济工作会议上的讲话"
    book.add_paragraph("同志们：")
    book.add_paragraph("今年要实现“两个率先”。")
    table = book.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "三去一降一补"
    table.cell(0, 1).text = "2016年"
    book.save(tmp_path / "speech.docx")
    assert read(tmp_path / "speech.docx") == [
        ("speech.docx", None, "在全县经济工作会议上的讲话", "ok", "同志们：\n今年要实现“两个率先”。\n三去一降一补\t2016年")
    ]


def test_docx_table_comes_in_its_place_with_each_merged_cell_once(tmp_path):
    book = docx.Document()
    book.add_paragraph("一、深化改革")
    table = book.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "放管服"  # across the three columns (gridSpan)
    table.cell(1, 0).merge(table.cell(2, 0)).text = "简政放权"  # down two rows (vMerge)
    table.cell(1, 1).text, table.cell(1, 2).text = "放管结合", "优化服务"
    table.cell(2, 1).text, table.cell(2, 2).text = "降低门槛", "加强监管"
    book.add_paragraph("二、扩大开放")
    book.save(tmp_path / "speech.docx")
    [(_, _, _, status, text)] = read(tmp_path / "speech.docx")
    assert (status, text) == ("ok", "一、深化改革\n放管服\n简政放权\t放管结合\t优化服务\n降低门槛\t加强监管\n二、扩大开放")
    assert text.count("放管服") == 1 and text.count("简政放权") == 1


def test_docx_nested_table_is_read_inside_its_cell(tmp_path):
    book = docx.Document()
    book.add_paragraph("一、重点任务")
    outer = book.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "稳增长"
    inner = outer.cell(0, 0).add_table(rows=2, cols=2)  # python-docx ends the cell with an empty paragraph
    for row, cells in zip(inner.rows, (("扩内需", "促消费"), ("稳投资", "保就业"))):
        row.cells[0].text, row.cells[1].text = cells
    outer.cell(0, 1).text = "2016年"
    book.add_paragraph("二、保障措施")
    book.save(tmp_path / "speech.docx")
    assert read(tmp_path / "speech.docx") == [
        ("speech.docx", None, "", "ok", "一、重点任务\n稳增长\n扩内需\t促消费\n稳投资\t保就业\n\t2016年\n二、保障措施")
    ]


def _docx_with_body(path: Path, body: str) -> None:
    """A .docx whose body is the WordprocessingML ``body``: structures python-docx cannot build."""
    docx.Document().save(path.with_suffix(".tmp"))
    with zipfile.ZipFile(path.with_suffix(".tmp")) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body.encode(), 1)
            zout.writestr(item, data)
    path.with_suffix(".tmp").unlink()


def _r(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def _p(*inner: str) -> str:
    return "<w:p>" + "".join(inner) + "</w:p>"


def _text_box(*paragraphs: str) -> str:
    """A run holding a text box as Word 2010 on writes it: a DrawingML shape,
    and the same box again in VML for older readers."""
    content = "<w:txbxContent>" + "".join(paragraphs) + "</w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


DOCX_BODIES = {
    "content controls": (
        _p(_r("一、总体要求"))
        + '<w:sdt><w:sdtPr><w:alias w:val="要求"/></w:sdtPr><w:sdtContent>'
        + _p(_r("坚持稳中求进工作总基调")) + "</w:sdtContent></w:sdt>"
        + _p(_r("推进"), "<w:sdt><w:sdtContent>" + _r("“放管服”") + "</w:sdtContent></w:sdt>", _r("改革"))
        # a control still showing its prompt holds no text of the speech
        + "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + _p(_r("单击或点击此处输入文字。")) + "</w:sdtContent></w:sdt>"
        + _p(_r("二、主要任务")),
        "一、总体要求\n坚持稳中求进工作总基调\n推进“放管服”改革\n二、主要任务",
    ),
    "table of contents": (
        # the headings again with their pages: counted once, where they head the text
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent>"
        + _p(_r("目录")) + _p(_r("一、深化“放管服”改革\t1")) + _p(_r("二、主要任务\t3"))
        + "</w:sdtContent></w:sdt>"
        + _p(_r("一、深化“放管服”改革")) + _p(_r("二、主要任务")),
        "一、深化“放管服”改革\n二、主要任务",
    ),
    "tracked changes": (
        _p(
            _r("实现"),
            '<w:del w:id="1" w:author="审稿人"><w:r><w:delText>三个</w:delText></w:r></w:del>',
            '<w:ins w:id="2" w:author="审稿人">' + _r("两个") + "</w:ins>",
            _r("率先"),
        )
        # a paragraph deleted whole, its mark with it
        + '<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="审稿人"/></w:rPr></w:pPr>'
        '<w:del w:id="4" w:author="审稿人"><w:r><w:delText>删去的一段话</w:delText></w:r></w:del></w:p>'
        # a table row deleted whole
        + '<w:tbl><w:tblGrid><w:gridCol w:w="2880"/></w:tblGrid>'
        '<w:tr><w:trPr><w:del w:id="5" w:author="审稿人"/></w:trPr><w:tc>'
        '<w:p><w:del w:id="6" w:author="审稿人"><w:r><w:delText>旧的一行</w:delText></w:r></w:del></w:p></w:tc></w:tr>'
        "<w:tr><w:tc>" + _p(_r("新的一行")) + "</w:tc></w:tr></w:tbl>"
        # text moved: read where it went, not where it was
        + _p(
            '<w:moveFrom w:id="7" w:author="审稿人">' + _r("挪走的话") + "</w:moveFrom>",
            _r("留下"),
            '<w:moveTo w:id="8" w:author="审稿人">' + _r("挪来的话") + "</w:moveTo>",
        ),
        "实现两个率先\n新的一行\n留下挪来的话",
    ),
    "fields, links and smart tags": (
        _p(
            _r("详见"),
            '<w:hyperlink w:anchor="gongbao">' + _r("国务院公报") + "</w:hyperlink>",
            _r("第"),
            '<w:fldSimple w:instr=" PAGE ">' + _r("3") + "</w:fldSimple>",
            _r("页"),
        )
        + _p(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy年M月d日" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            _r("2021年3月5日"),
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        )
        + _p('<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
             + _r("北京") + "</w:smartTag>", _r("召开")),
        "详见国务院公报第3页\n2021年3月5日\n北京召开",
    ),
    "ruby": (
        # pinyin set over a character is not text of the speech
        _p("<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>fàng</w:t></w:r></w:rt>"
           "<w:rubyBase><w:r><w:t>放</w:t></w:r></w:rubyBase></w:ruby></w:r>", _r("管服")),
        "放管服",
    ),
    "rows in content controls and old-style merges": (
        '<w:tbl><w:tblGrid><w:gridCol w:w="2880"/><w:gridCol w:w="2880"/></w:tblGrid>'
        '<w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>' + _p(_r("放管服")) + "</w:tc>"
        "<w:tc><w:tcPr><w:hMerge/></w:tcPr>" + _p(_r("放管服")) + "</w:tc></w:tr>"
        "<w:sdt><w:sdtContent><w:tr><w:tc>" + _p(_r("简政放权")) + "</w:tc>"
        "<w:sdt><w:sdtContent><w:tc>" + _p(_r("优化服务")) + "</w:tc></w:sdtContent></w:sdt>"
        "</w:tr></w:sdtContent></w:sdt></w:tbl>",
        "放管服\n简政放权\t优化服务",
    ),
    "text boxes": (
        _p(_r("正文前半，"), _text_box(_p(_r("专栏1")), _p(_r("深化“放管服”改革"))), _r("正文后半。"))
        + _p(_r("附表"), "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + _p(_r("旧式文本框"))
             + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
        + _p(_r("下一段")),
        "正文前半，正文后半。\n专栏1\n深化“放管服”改革\n附表\n旧式文本框\n下一段",
    ),
    "breaks and hyphens": (
        _p(
            "<w:r><w:t>一、</w:t><w:tab/><w:t>总体要求</w:t><w:br/><w:t>（一）指导思想</w:t>"
            '<w:br w:type="page"/><w:t>（二）基本原则</w:t><w:cr/>'
            "<w:t>“互联\u00ad网</w:t><w:softHyphen/><w:t>+”行动，COVID</w:t><w:noBreakHyphen/><w:t>19</w:t></w:r>"
        ),
        "一、\t总体要求\n（一）指导思想\n（二）基本原则\n“互联网+”行动，COVID-19",
    ),
}


@pytest.mark.parametrize("body, expected", DOCX_BODIES.values(), ids=DOCX_BODIES)
def test_docx_reads_the_text_word_shows_and_only_that(tmp_path, body, expected):
    _docx_with_body(tmp_path / "speech.docx", body)
    assert read(tmp_path / "speech.docx") == [("speech.docx", None, "", "ok", expected)]


PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>在全县经济工作会议上的讲话_某某网</title></head>
<body><div class="nav"><a href="/">首页</a> | <a>下载</a> | <a>收藏</a> | <a>打印</a></div>
<h1>在全县经济工作会议上的讲话</h1>
<div class="info">发布时间：2016-03-08</div>
<div class="content"><p>同志们：</p><p>今年要全面落实“四个全面”战略布局。</p></div>
<div class="footer">Copyright © 2016 某某网 版权所有</div>
</body></html>"""


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gb2312", "gb18030"), ("x-unknown", "utf-8")])
def test_html_page_text_and_title(tmp_path, charset, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset=charset).encode(encoding))
    [(name, year, title, status, text)] = read(path)
    assert (name, year, title, status) == ("page.html", None, "在全县经济工作会议上的讲话_某某网", "ok")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == [
        "首页 | 下载 | 收藏 | 打印",
        "在全县经济工作会议上的讲话",
        "发布时间：2016-03-08",
        "同志们：",
        "今年要全面落实“四个全面”战略布局。",
        "Copyright © 2016 某某网 版权所有",
    ]


def test_html_runs_of_one_font_keep_their_sentence_whole(tmp_path, slogan_miner):
    # A page pasted from a word processor: every run of one font is a span, the
    # quote marks in one font and the words in another.  Laid out as a browser
    # shows it, the sentence stays one line, with no space inside it.
    path = tmp_path / "word.html"
    path.write_text('<p><span style="font-family:宋体">切实增强</span><span style="font-family:Calibri">“</span>'
                    '<span style="font-family:宋体">四个意识</span><span style="font-family:Calibri">”</span>'
                    '<span style="font-family:宋体">，做到</span><span style="font-family:Calibri">“</span>'
                    '<span style="font-family:宋体">两个维护</span><span style="font-family:Calibri">”</span>'
                    '<span style="font-family:宋体">。</span></p>', encoding="utf-8")
    [(_, _, _, _, text)] = read(path)
    assert text.strip() == "切实增强“四个意识”，做到“两个维护”。"
    result = slogan_miner.mine(next(iter_documents([path])))
    assert [(m.phrase, m.sentence) for m in result.mentions] == [("四个意识", 0), ("两个维护", 0)]


def test_html_title_entities_are_unescaped(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text("<title>讲话&nbsp;&amp;&nbsp;致辞</title><p>要实现“两个率先”。</p>", encoding="utf-8")
    assert read(path)[0][2] == "讲话 & 致辞"


# -- row formats -----------------------------------------------------------------


def test_jsonl_detects_fields_and_skips_bad_lines(tmp_path):
    path = tmp_path / "speeches.jsonl"
    path.write_text(
        jsonl({"title": "甲", "content": "要实现“两个率先”。", "year": 2005})
        + "\n"  # a blank line is no document
        + '{"title": "乙", "content": broken}\n'
        + jsonl(
            ["不是对象"],
            {"Title": "丙", "full_text": "推进“三去一降一补”。", "date": "2016-03-05"},
            {"title": "丁"},
            {"body": "落实“十四五”规划。", "year": None},
            {"text": None},
            {"text": 2021},
        ),
        encoding="utf-8",
    )
    assert read(path) == [
        ("speeches.jsonl#1", 2005, "甲", "ok", "要实现“两个率先”。"),
        ("speeches.jsonl#3", None, "", "skipped: line 3 is not valid JSON (Expecting value at column 27)", ""),
        ("speeches.jsonl#4", None, "", "skipped: line 4 is a JSON list, not an object", ""),
        ("speeches.jsonl#5", 2016, "丙", "ok", "推进“三去一降一补”。"),
        ("speeches.jsonl#6", None, "", "skipped: no text field (looked for text, content, full_text, body, 正文, 内容, "
                                       "全文, 文本; found title)", ""),
        ("speeches.jsonl#7", None, "", "ok", "落实“十四五”规划。"),
        ("speeches.jsonl#8", None, "", "skipped: the text field 'text' is empty", ""),
        ("speeches.jsonl#9", None, "", "skipped: the text field 'text' is a JSON number, not a string", ""),
    ]


def test_jsonl_year_source_is_field(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"text": "要实现“两个率先”。", "year": "2005"}), encoding="utf-8")
    [doc] = iter_documents([path])
    assert (doc.year, doc.year_source) == (2005, "field")


@pytest.mark.parametrize("encoding, bom", [("gb18030", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_jsonl_in_other_encodings(tmp_path, encoding, bom):
    path = tmp_path / "a.jsonl"
    records = jsonl({"text": SIMPLIFIED, "year": 2021}, {"text": "实现“两个率先”的目标。", "year": 2022})
    path.write_bytes(bom + records.encode(encoding))
    assert read(path) == [
        ("a.jsonl#1", 2021, "", "ok", SIMPLIFIED),
        ("a.jsonl#2", 2022, "", "ok", "实现“两个率先”的目标。"),
    ]


def test_jsonl_nan_and_infinite_years_are_no_year(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "两个率先", "year": NaN}\n{"text": "两个率先", "year": Infinity}\n', encoding="utf-8")
    assert [(d.year, d.status) for d in iter_documents([path])] == [(None, "ok"), (None, "ok")]


def test_jsonl_undecodable_line_is_skipped_the_others_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        jsonl({"text": "实现“两个率先”。"}).encode() + b'{"text": "\xff\xfe\xff"}\n' + jsonl({"text": "落实“十四五”。"}).encode()
    )
    assert statuses(path) == [("a.jsonl#1", "ok"), ("a.jsonl#2", "skipped: line 2 is not valid utf-8"), ("a.jsonl#3", "ok")]


def test_json_list_object_and_single_record(tmp_path):
    (tmp_path / "list.json").write_text(
        json.dumps([{"content": "实现“两个率先”。", "title": "甲", "date": "2019-01-02"}, 5], ensure_ascii=False),
        encoding="utf-8",
    )
    (tmp_path / "wrapped.json").write_text(
        json.dumps({"documents": [{"text": "推进“三去一降一补”。"}]}, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "single.json").write_text(json.dumps({"body": "落实“十四五”。", "year": 2021}, ensure_ascii=False), encoding="utf-8")
    assert read(tmp_path) == [
        ("list.json#1", 2019, "甲", "ok", "实现“两个率先”。"),
        ("list.json#2", None, "", "skipped: item 2 is a JSON number, not an object", ""),
        ("single.json", 2021, "", "ok", "落实“十四五”。"),
        ("wrapped.json#1", None, "", "ok", "推进“三去一降一补”。"),
    ]


def test_json_records_an_api_answer_wraps_deeper_are_found(tmp_path):
    answer = {"status": 200, "result": {"total": 2, "list": [{"title": "甲", "content": "推进“放管服”改革。"},
                                                          {"title": "乙", "content": "落实“六稳”“六保”。"}]}}
    (tmp_path / "api.json").write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    assert [(Path(d.doc_id).name, d.title, d.text, d.warning) for d in iter_documents([tmp_path])] == [
        ("api.json#1", "甲", "推进“放管服”改革。", "a record of the list at result.list"),
        ("api.json#2", "乙", "落实“六稳”“六保”。", "a record of the list at result.list"),
    ]
    # an object with a text of its own is one document, whatever lists it holds
    (tmp_path / "api.json").write_text(json.dumps({"text": "坚持“两个确立”。", **answer}, ensure_ascii=False),
                                       encoding="utf-8")
    assert read(tmp_path) == [("api.json", None, "", "ok", "坚持“两个确立”。")]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)"),
        ("[]", "an empty JSON list"),
        ('"两个率先"', "a JSON string; expected an object or a list of objects"),
    ],
)
def test_json_that_holds_no_documents_is_skipped(tmp_path, content, reason):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    assert statuses(tmp_path / "bad.json") == [("bad.json", f"skipped: {reason}")]


def test_csv_rows_fields_and_bad_rows(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(
        "Title,Body,Date\n"
        "甲,实现“两个率先”。,2010-01-01\n"
        '乙,"多行\n推进“三去一降一补”。",2016\n'
        "丙,只有两列\n"
        ",,\n"
        "\n"
        "丁,落实“十四五”。,2021年\n",
        encoding="utf-8",
    )
    assert read(path) == [
        ("reports.csv#1", 2010, "甲", "ok", "实现“两个率先”。"),
        ("reports.csv#2", 2016, "乙", "ok", "多行\n推进“三去一降一补”。"),
        ("reports.csv#3", None, "", "skipped: row 3 has 2 fields, the header has 3", ""),
        ("reports.csv#4", None, "", "skipped: row 4 is empty", ""),
        ("reports.csv#5", 2021, "丁", "ok", "落实“十四五”。"),
    ]


def test_csv_rows_that_end_in_a_comma_are_read_and_a_short_one_says_what_it_lacks(tmp_path):
    # some exports end every row with a comma: an empty field the header does not name
    path = tmp_path / "a.csv"
    path.write_text("title,year,text\n甲,2020,实现“两个率先”。,\n乙,2021,推进“放管服”改革。,,\n丙\n丁,2022,多,出,来\n",
                    encoding="utf-8")
    assert [(Path(d.doc_id).name, d.status, d.text, d.warning) for d in iter_documents([path])] == [
        ("a.csv#1", "ok", "实现“两个率先”。", "row 1 ends in 1 empty field the header does not name, left out"),
        ("a.csv#2", "ok", "推进“放管服”改革。", "row 2 ends in 2 empty fields the header does not name, left out"),
        ("a.csv#3", "skipped: row 3 has 1 field, the header has 3", "", ""),
        ("a.csv#4", "skipped: row 4 has 5 fields, the header has 3", "", ""),  # fields beyond the header that hold text
    ]


def test_csv_unbalanced_quote_loses_only_its_own_row(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('title,text,year\n甲,"实现两个率先,2010\n乙,推进“三去一降一补”。,2016\n丙,落实“十四五”。,2021\n', encoding="utf-8")
    assert read(path) == [
        ("a.csv#1", None, "", "skipped: row 1 (line 2) has a quote that is never closed", ""),
        ("a.csv#2", 2016, "乙", "ok", "推进“三去一降一补”。"),
        ("a.csv#3", 2021, "丙", "ok", "落实“十四五”。"),
    ]


@pytest.mark.parametrize("encoding, bom", [("gb18030", b""), ("big5", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_tsv_in_other_encodings(tmp_path, encoding, bom):
    path = tmp_path / "a.tsv"
    text = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    path.write_bytes(bom + f"title\tcontent\tyear\n在大會上的講話\t{text}\t2003\n".encode(encoding))
    assert read(path) == [("a.tsv#1", 2003, "在大會上的講話", "ok", text)]


def test_fields_can_be_named(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("标题,正文,年份,text\n在大会上的讲话,实现“两个率先”。,2005,不是正文\n", encoding="utf-8")
    fields = Fields(text="正文", title="标题", year="年份")
    assert read(path, fields=fields) == [("a.csv#1", 2005, "在大会上的讲话", "ok", "实现“两个率先”。")]
    assert statuses(path, fields=Fields(text="内容")) == [
        ("a.csv#1", "skipped: no text field (looked for 内容; found 标题, 正文, 年份, text)")
    ]


def test_chinese_field_names_are_found(tmp_path):
    # a GBK dump whose columns are named in Chinese: the text, title and date are found by name
    (tmp_path / "a.csv").write_bytes("标题,发布日期,正文,来源\n在大会上的讲话,2005年3月5日,实现“两个率先”。,新华网\n"
                                     .encode("gbk"))
    (tmp_path / "b.jsonl").write_text(json.dumps({"题目": "讲话", "年份": 1998, "内容": "抓好“三讲”教育。"},
                                                 ensure_ascii=False) + "\n", encoding="utf-8")
    # named in traditional characters, as a Big5 export names them: 標題, 發佈日期, 內容 (not 内容)
    (tmp_path / "c.csv").write_bytes("標題,發佈日期,內容\n在大會上的講話,2006-03-05,實現“兩個率先”。\n".encode("big5"))
    assert read(tmp_path) == [("a.csv#1", 2005, "在大会上的讲话", "ok", "实现“两个率先”。"),
                              ("b.jsonl#1", 1998, "讲话", "ok", "抓好“三讲”教育。"),
                              ("c.csv#1", 2006, "在大會上的講話", "ok", "實現“兩個率先”。")]
    # an English name comes first: 内容 is only a field kept beside the text
    (tmp_path / "c.csv").write_text("text,内容\n坚持“两个确立”。,摘要\n", encoding="utf-8")
    assert read(tmp_path / "c.csv") == [("c.csv#1", None, "", "ok", "坚持“两个确立”。")]


def test_markdown_is_read_without_its_markup(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: 在全省经济工作会议上的讲话\ndate: 2021-12-20\ntags: [“三个代表”, 讲话]\n---\n\n"
        "## 一、总体要求\n\n> 坚持“**两个确立**”，做到“*两个维护*”，实施“[十四五](https://x.cn)”规划。\n\n"
        "| 任务 | 内容 |\n|---|---|\n| 建设 | “六个*” |\n\n<!-- 草稿：“四个全面” -->\n```\n“三个代表”\n```\n- 抓好`三农`工作\n",
        encoding="utf-8")
    # the front matter gives the title and the date, and is no text; comments and code are not said
    assert read(tmp_path / "a.md") == [(
        "a.md", 2021, "在全省经济工作会议上的讲话", "ok",
        "一、总体要求\n\n坚持“两个确立”，做到“两个维护”，实施“十四五”规划。\n\n任务\n内容\n建设\n“六个*”\n\n\n\n抓好三农工作")]
    # a .txt file is not Markdown: its stars and hashes are its own
    (tmp_path / "b.txt").write_text("# 坚持“**两个确立**”", encoding="utf-8")
    assert read(tmp_path / "b.txt")[0][4] == "# 坚持“**两个确立**”"


@pytest.mark.parametrize("suffix, sep", [(".tsv", "\t"), (".csv", ",")])
def test_a_field_that_begins_with_its_own_quote_is_read_as_written(tmp_path, suffix, sep):
    # Chinese text with straight quotes: "十四五"规划 is no quoted field, and its row is not lost
    text = '"十四五"规划开局良好，坚持"两个确立"。'
    path = tmp_path / f"a{suffix}"
    path.write_text(sep.join(["title", "year", "text"]) + "\n" + sep.join(["甲", "2023", text]) + "\n"
                    + sep.join(["乙", "2022", "实施“十四五”规划。"]) + "\n", encoding="utf-8")
    assert [(d.doc_id.rsplit("/", 1)[-1], d.status, d.text, d.warning) for d in iter_documents([path])] == [
        (f"a{suffix}#1", "ok", text,
         "row 1 (line 2) read with its quotes as written: a field begins with a quote that closes inside it"),
        (f"a{suffix}#2", "ok", "实施“十四五”规划。", ""),
    ]


def test_a_csv_without_a_header_loses_no_row(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("甲,2023,坚持“两个确立”，推动高质量发展。\n乙,2022,实施“十四五”规划。\n", encoding="utf-8")
    said = "no header row: the first line is read as a record, the text from its column 3, the longest"
    assert [(d.doc_id.rsplit("/", 1)[-1], d.status, d.text, d.warning, d.fields) for d in iter_documents([path])] == [
        ("a.csv#1", "ok", "坚持“两个确立”，推动高质量发展。", said, {"column 1": "甲", "column 2": "2023"}),
        ("a.csv#2", "ok", "实施“十四五”规划。", said, {"column 1": "乙", "column 2": "2022"}),
    ]
    # a first row of short names that name no text field is a header all the same
    path.write_text("编号,标题,正文内容\n1,讲话,坚持“两个确立”。\n", encoding="utf-8")
    assert statuses(path) == [("a.csv#1", "skipped: no text field (looked for text, content, full_text, body, 正文, "
                                          "内容, 全文, 文本; found 编号, 标题, 正文内容)")]


def test_an_inline_frame_shows_its_own_page_in_its_place(tmp_path):
    (tmp_path / "a.html").write_text(
        '<html><body><p>坚持“两个确立”。</p><iframe srcdoc="&lt;p&gt;实施“十四五”规划&lt;/p&gt;">不支持</iframe>'
        '<p>推动高质量发展。</p><iframe src="ad.html"></iframe></body></html>', encoding="utf-8")
    [doc] = iter_documents([tmp_path / "a.html"])
    assert (doc.text.split(), doc.warning) == (["坚持“两个确立”。", "实施“十四五”规划", "推动高质量发展。"], "")


def test_csv_without_rows_or_text_column(tmp_path):
    (tmp_path / "header.csv").write_text("title,text\n", encoding="utf-8")
    (tmp_path / "nocol.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert statuses(tmp_path) == [
        ("header.csv", "skipped: no rows after the header"),
        ("nocol.csv#1", "skipped: no text field (looked for text, content, full_text, body, 正文, 内容, 全文, 文本; "
                        "found a, b)"),
    ]


# -- folders and bad files ------------------------------------------------------


def test_folders_are_walked_recursively_in_order(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("实现“两个率先”。", encoding="utf-8")
    (tmp_path / "b" / "c" / "d.txt").write_text("落实“十四五”。", encoding="utf-8")
    (tmp_path / "b" / "e.md").write_text("推进“三去一降一补”。", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / "b" / "notes.pdf").write_bytes(b"%PDF-1.4")
    names = [name[len(tmp_path.as_posix()) + 1 :] for _, name in discover([tmp_path])]
    assert names == ["a.txt", "b/e.md", "b/notes.pdf", "b/c/d.txt"]
    assert statuses(tmp_path) == [
        ("a.txt", "ok"),
        ("e.md", "ok"),
        ("notes.pdf", "skipped: a damaged or invalid PDF (PDFium: Data format error)"),
        ("d.txt", "ok"),
    ]


def test_a_file_named_twice_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text("实现“两个率先”。", encoding="utf-8")
    assert [name for _, name in discover([tmp_path, tmp_path / "a.txt", tmp_path / "." / "a.txt"])] == [
        (tmp_path / "a.txt").as_posix()
    ]


def test_missing_path_is_an_error():
    with pytest.raises(InputError) as info:
        discover(["no/such/folder"])
    assert str(info.value) == "no/such/folder: no such file or folder"


def _zip_without_word_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a word document")


def _docx_with_broken_xml(path: Path) -> None:
    docx.Document().save(path.with_suffix(".tmp"))
    with zipfile.ZipFile(path.with_suffix(".tmp")) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    path.with_suffix(".tmp").unlink()


def test_bad_files_are_skipped_with_their_reason(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a_empty.txt").write_bytes(b"")
    (bad / "b_png.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    (bad / "c_pdf.txt").write_bytes(b"%PDF-1.7\n" + os.urandom(64))
    (bad / "d_random.txt").write_bytes(bytes(range(256)) * 4)
    (bad / "e_undecodable.txt").write_bytes(b"abc " + b"\xff" * 64)
    (bad / "f_notzip.docx").write_text("这不是Word文件", encoding="utf-8")
    (bad / "g_doc.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    _zip_without_word_document(bad / "h_zip.docx")
    (bad / "i_empty.jsonl").write_text("\n\n", encoding="utf-8")
    (bad / "j_png.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (bad / "k_empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (bad / "l_zip.csv").write_bytes(b"PK\x03\x04" + bytes(64))
    (bad / "m_blank.md").write_text("\u3000\n", encoding="utf-8")
    assert statuses(bad) == [
        ("a_empty.txt", "skipped: empty file"),
        ("b_png.txt", "skipped: a PNG image, not text"),
        ("c_pdf.txt", "skipped: a PDF file, not text"),
        ("d_random.txt", "skipped: a binary file, not text"),
        ("e_undecodable.txt", "skipped: undecodable bytes: not valid UTF-8, GB18030 or Big5"),
        ("f_notzip.docx", "skipped: not a .docx file: a .docx is a ZIP package and this is not one"),
        (
            "g_doc.docx",
            "skipped: not a .docx file: a .docx is a ZIP package and this is an old Office (.doc/.xls) file",
        ),
        (
            "h_zip.docx",
            "skipped: not a valid .docx file (KeyError: \"There is no item named '[Content_Types].xml' in the archive\")",
        ),
        ("i_empty.jsonl", "skipped: empty file"),
        ("j_png.jsonl", "skipped: a PNG image, not text"),
        ("k_empty.html", "skipped: empty text"),
        ("l_zip.csv", "skipped: a ZIP archive, not text"),
        ("m_blank.md", "skipped: empty text"),
    ]


def test_docx_with_broken_xml_is_skipped(tmp_path):
    _docx_with_broken_xml(tmp_path / "broken.docx")
    [(name, status)] = statuses(tmp_path / "broken.docx")
    assert name == "broken.docx"
    assert status.startswith("skipped: not a valid .docx file (XMLSyntaxError: ")


def _docx_with_damaged_part(path: Path, *, flag_bits: int = 0, method: int | None = None,
                            size: int | None = None, bad_deflate: bool = False) -> None:
    """A .docx whose word/document.xml has its ZIP headers (flags, compression
    method, sizes) or the start of its deflate stream overwritten."""
    book = docx.Document()
    book.add_paragraph("实现“两个率先”")
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    member = b"word/document.xml"
    with zipfile.ZipFile(buffer) as z:
        local = z.getinfo(member.decode()).header_offset
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(member)] != member:
        central = data.index(b"PK\x01\x02", central + 4)
    for header in (local, central + 2):  # the central directory's fields sit two bytes further on
        struct.pack_into("<H", data, header + 6, struct.unpack_from("<H", data, header + 6)[0] | flag_bits)
        if method is not None:
            struct.pack_into("<H", data, header + 8, method)
        if size is not None:
            struct.pack_into("<II", data, header + 18, size, size)
    if bad_deflate:
        name_length, extra_length = struct.unpack_from("<HH", data, local + 26)
        data[local + 30 + name_length + extra_length] = 0xFF  # block type 3: reserved, invalid
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage, reason",
    [
        (dict(bad_deflate=True), "zlib.error: Error -3 while decompressing data: invalid block type"),
        (dict(flag_bits=1), "RuntimeError: File 'word/document.xml' is encrypted, password required for extraction"),
        (dict(method=99), "NotImplementedError: That compression method is not supported"),
        (dict(method=0, size=1_000_000), "EOFError: a part ends before its declared size"),
    ],
    ids=["corrupt-deflate", "encrypted", "compression-99", "cut-short"],
)
def test_docx_with_a_damaged_zip_member_is_skipped(tmp_path, damage, reason):
    _docx_with_damaged_part(tmp_path / "damaged.docx", **damage)
    assert statuses(tmp_path / "damaged.docx") == [("damaged.docx", f"skipped: not a valid .docx file ({reason})")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_skipped(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("实现“两个率先”。", encoding="utf-8")
    path.chmod(0)
    try:
        assert statuses(path) == [("locked.txt", "skipped: cannot read the file (Permission denied)")]
    finally:
        path.chmod(0o644)


def test_output_folders_of_earlier_runs_are_not_read(tmp_path):
    from miner.io.read import discover

    (tmp_path / "a.txt").write_text("坚持“四个全面”。", encoding="utf-8")
    out = tmp_path / "outputs"
    out.mkdir()
    (out / "run.json").write_text("{}", encoding="utf-8")
    (out / "documents.csv").write_text("doc_id\n", encoding="utf-8")
    assert [name.split("/")[-1] for _, name in discover([tmp_path])] == ["a.txt"]


def test_a_jsonl_file_of_blank_space_is_recorded(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_bytes("\ufeff\n\u3000\n".encode("utf-8"))
    assert [d.status for d in iter_documents([path])] == ["skipped: no JSON lines, only blank space"]
