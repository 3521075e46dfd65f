"""Metadata: the year of a document and where it came from, and its title."""

from __future__ import annotations

import json

import pytest

from miner.preprocess.metadata import YEAR_SOURCES, find_title, find_year, parse_year
from miner.io.read import iter_documents
from miner.types import Document


@pytest.mark.parametrize(
    "value, year",
    [
        (2023, 2023),
        (1985.0, 1985),
        ("2023", 2023),
        ("2018-03-05", 2018),
        ("2018/3/5", 2018),
        ("2023年2月28日", 2023),
        ("一九八五年", 1985),
        ("二〇二三年", 2023),
        ("1985年度", 1985),
        (1899, None),
        (20230228, None),
        ("n/a", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        (float("inf"), None),
    ],
)
def test_parse_year(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"field": "2005", "title": "在2019年大会上的讲话"}, (2005, "field")),
        ({"title": "在2019年全县大会上的讲话", "body": "（2023年2月28日）"}, (2019, "title")),
        ({"title": "在一九八五年全县工作会议上的讲话"}, (1985, "title")),
        ({"title": "二〇二三年政府工作报告"}, (2023, "title")),
        ({"title": "第十四届全国人民代表大会第三次会议关于政府工作报告的决议"}, (2025, "title")),
        ({"title": "第二届全国人民代表大会第三次会议关于政府工作报告的决议"}, (1962, "title")),
        ({"title": "在全区大会上的讲话", "body": "在全区大会上的讲话\n（2023年2月28日）\n同志们："}, (2023, "text")),
        ({"body": "讲话\n一九八五年十月三日\n同志们："}, (1985, "text")),
        ({"body": "（２０２３年２月２８日）"}, (None, "")),  # the text is normalised before this
        ({"header": ["时间:2022-12-01 11:08:00"]}, (2022, "header")),
        ({"header": ["发表于 2020-5-16 17:53:04 | 只看该作者"]}, (2020, "header")),
        ({"header": ["发布时间：2021/03/05"]}, (2021, "header")),
        ({"header": ["日期：2021年3月5日"]}, (2021, "header")),
        ({"header": ["时间：二〇二一年三月五日"]}, (2021, "header")),
        ({"header": ["2025-11-08 07:03:52"]}, (2025, "header")),  # a bare time stamp
        ({"header": ["2025/11/08 来源：某某日报"]}, (2025, "header")),
        ({"header": ["2019年06月01日 09:30"]}, (2019, "header")),
        ({"header": ["• 2010年02月04日 14时39分"]}, (2010, "header")),  # a bullet, hours and minutes in words
        ({"header": ["发稿时间：2021/6/9 【 字体：大"]}, (2021, "header")),
        ({"header": ["浏览：2025-11次"]}, (None, "")),
        ({"header": ["编号 2025-11-08"]}, (None, "")),  # a stamp only counts heading its line
        ({"header": ["浏览：2020次"], "source": "corpus/2019_county_report.txt"}, (2019, "filename")),
        ({"source": "corpus/20230228_讲话.txt"}, (2023, "filename")),
        ({"source": "corpus/讲话_2018-03-05.docx"}, (2018, "filename")),
        ({"source": "corpus/20231399.txt"}, (None, "")),
        ({"source": "reports.csv#3"}, (None, "")),
        ({"body": "同志们：我们1998年提出“两个率先”，今年是2003年。"}, (1998, "mention")),
        ({"title": "在全县工作会议上的讲话", "body": "同志们：要实现“两个率先”。"}, (None, "")),
    ],
)
def test_find_year_and_its_source(kwargs, expected):
    assert find_year(**kwargs) == expected
    assert expected[1] in YEAR_SOURCES + ("",)


@pytest.mark.parametrize(
    "lines, given, title",
    [
        (["老秘网_材夜思范文", "", "标题: 在全区大会上的讲话 [打印本页]"], "", "在全区大会上的讲话"),
        (["分享", "2023年开发区工作总结大会领导致辞稿.docx", "下载文档"], "", "2023年开发区工作总结大会领导致辞稿"),
        (["返回 下载", "在全区开展“工业服务年”活动动员大会上的致辞_", "同志们："], "", "在全区开展“工业服务年”活动动员大会上的致辞"),
        (["同志们：", "今天的会议很重要。"], "", ""),  # a salutation leads into the speech: no title
        # a numbered section heading is no title, nor a line that leads into a list
        (["各位代表：", "一、2006年工作的回顾", "一年来，主要做了以下几方面工作：", "（一）推进新农村建设"], "", ""),
        (["（一）推进新农村建设", "在全省农村工作会议上的讲话"], "", "在全省农村工作会议上的讲话"),
        (["同志们：", "今天的会议很重要。"], "在大会上的讲话", "在大会上的讲话"),
        ([], "", ""),
        (["書記在新區(qū)開(kāi)發(fā)建設(shè)會(huì)上的發言"], "", "書記在新區開發建設會上的發言"),  # readings left out
        # a line of bytes that did not decode is no title, nor one that ends in them
        (["坚持“两个毫不动摇”，推进“放管服”改革。", "\ufffd\ufffd", "深化改革，扩大开放。"], "", ""),
        (["在全县大会上的讲\ufffd", "同志们："], "", ""),
    ],
)
def test_find_title(lines, given, title):
    assert find_title(lines, given) == title


@pytest.mark.parametrize(
    "source, text, year, year_source",
    [
        ("a.txt", "在全区大会上的讲话\n（2023年2月28日）\n同志们：要实现“两个率先”。", 2023, "text"),
        ("b.txt", "区长在动员会上的讲话\n时间:2022-12-01 11:08:00\n同志们：要实现“两个率先”。", 2022, "header"),
        ("c.txt", "在全县大会上的讲话\n发表于 2020-5-16 17:53:04\n同志们：要实现“两个率先”。", 2020, "header"),
        ("d.txt", "在一九八五年全县工作会议上的讲话\n同志们：要实现“两个率先”。", 1985, "title"),
        # the report's date, not the year its first section looks back on
        ("r.txt", "（2007年2月1日）\n各位代表：\n现在，我代表省人民政府向大会作政府工作报告。\n一、2006年工作的回顾\n"
                  "2006年，全省要实现“两个率先”。", 2007, "text"),
        ("e.txt", "在２０２３年全县工作会议上的讲话\n同志们：要实现“两个率先”。", 2023, "title"),
        ("f.txt", "在全县工作会议上的讲话\n（２０２３年２月２８日）\n同志们：要实现“两个率先”。", 2023, "text"),
        ("2019_report.txt", "在全县工作会议上的讲话\n同志们：要实现“两个率先”。", 2019, "filename"),
        ("g.txt", "在全县工作会议上的讲话\n同志们：要实现“两个率先”。", None, ""),
    ],
)
def test_documents_are_dated_and_mined(slogan_miner, source, text, year, year_source):
    result = slogan_miner.mine(Document(source, source, text))
    assert (result.document.year, result.document.year_source, result.document.status) == (year, year_source, "ok")
    assert [(m.phrase, m.year) for m in result.mentions] == [("两个率先", year)]


def test_a_field_year_is_kept(slogan_miner):
    doc = Document("r.jsonl#1", "r.jsonl", "在2019年大会上的讲话\n要实现“两个率先”。", year=2005, year_source="field")
    assert (slogan_miner.mine(doc).document.year, slogan_miner.mine(doc).document.year_source) == (2005, "field")


def test_seed_years(slogan_miner, seeds_dir):
    docs = sorted(iter_documents([seeds_dir]), key=lambda d: d.doc_id)
    assert [d.doc_id.rsplit("/", 1)[-1][:3] for d in docs] == ["000", "001", "002", "003", "004"]
    years = [slogan_miner.mine(d).document.year for d in docs]
    assert years == [2023, 2025, 2022, 2023, 2020]


# The congress resolutions approving a report carry no year field.
RESOLUTION_YEARS = [2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014, 2013, 2012, 2011, 2010,
                    2009, 2008, 2007, 1962]


def test_every_national_report_is_dated(slogan_miner, gov_reports):
    records = [json.loads(line) for line in gov_reports.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(iter_documents([gov_reports]))
    assert len(docs) == len(records) == 72
    resolutions = []
    for record, doc in zip(records, docs):
        result = slogan_miner.mine(doc)
        assert result.document.status == "ok"
        if record["year"] is None:
            assert result.document.year_source in ("title", "text")
            resolutions.append(result.document.year)
        else:
            assert (result.document.year, result.document.year_source) == (int(record["year"]), "field")
    assert resolutions == RESOLUTION_YEARS
