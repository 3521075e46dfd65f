"""Cleaning: web-page chrome is dropped and counted, the speech body is kept,
and mentions are still placed in the original text."""

from __future__ import annotations

import pytest

from miner.clean import clean_text, is_chrome_line, site_names
from miner.normalize import Normalizer
from miner.read import iter_documents
from miner.types import Document


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


@pytest.mark.parametrize(
    "line",
    [
        # upload banners and document-site buttons
        "上传人:回**** 文档编号:177647489 上传时间:2022-12-26 格式:DOCX 页数:5 大小:13.61KB",
        "返回 下载 相关 举报",
        "收藏 分享赚钱",
        "下载文档",
        "[打印本页]",
        "点击查看更多>>",
        "资源描述",
        "温馨提示:",
        "网站客服:3074922707",
        # page counters
        "第1页 / 共5页",
        "第２页／共５页",
        "在全区大会上的致辞__第1页",
        # copyright and ICP lines
        "Copyright © 2008-2023 某某网 All Rights Reserved",
        "版权所有 某某网",
        "备案号：京ICP备12345678号",
        "京ICP证030173号",
        "川公网安备51140202000466号",
        # forum headers
        "查看: 2525|回复: 0",
        "打印 上一主题 下一主题",
        "[复制链接]",
        "跳转到指定楼层",
        "楼主",
        "发表于 2020-5-16 17:53:04 | 只看该作者 回帖奖励 |倒序浏览 |阅读模式",
        "找回密码",
        "QQ登录",
        "作者: 释然    时间: 昨天 14:58",
        "时间:2022-12-01 11:08:00",
        "上一篇：坚持“四个全面”战略布局",
        "老秘网_材夜思范文",
        "绿色圃中小学教育网",
    ],
)
def test_chrome_lines(normalizer, line):
    assert is_chrome_line(normalizer.normalize(line).text)


@pytest.mark.parametrize(
    "line",
    [
        "同志们：",
        "要实现“两个率先”，下载并打印本文件。",
        "一、客观总结上半年工作，倍加珍惜来之不易的发展成果",
        "下一步，我们要把“两个率先”落到实处，请大家回去后认真传达，做好收藏和分享工作，加强版权保护工作，推进“三去一降一补”。",
        "时间紧、任务重，",
        "",
    ],
)
def test_speech_lines_are_not_chrome(normalizer, line):
    assert not is_chrome_line(normalizer.normalize(line).text)


PAGE = (
    "老秘网_材夜思范文\n"
    "\n"
    "上传人:回**** 文档编号:177647489 上传时间:2022-12-26 格式:DOCX 页数:5 大小:13.61KB\n"
    "返回 下载 相关 举报\n"
    "在全区大会上的讲话\n"
    "第１页 / 共５页\n"
    "同志们：\n"
    "今年要实现「兩個率先」，我老秘网区要推进“三去一降一补”。\n"
    "上一篇：坚持“四个全面”战略布局\n"
    "收藏 分享 打印\n"
    "Copyright © 2023 老秘网 版权所有\n"
    "备案号：京ICP备12345678号\n"
)
CHROME = (
    "老秘网_材夜思范文",
    "上传人:回* 文档编号:177647489 上传时间:2022-12-26 格式:DOCX 页数:5 大小:13.61KB",
    # a space between two CJK characters is a layout break: each button is a line
    "返回",
    "下载",
    "相关",
    "举报",
    "第1页 / 共5页",
    "上一篇：坚持“四个全面”战略布局",
    "收藏",
    "分享",
    "打印",
    "Copyright © 2023 老秘网",
    "版权所有",
    "备案号：京ICP备12345678号",
)


def test_clean_text_keeps_the_body_and_counts_the_chrome(normalizer):
    cleaned = clean_text(normalizer.normalize(PAGE))
    assert cleaned.body.text == "在全区大会上的讲话\n同志们：\n今年要实现“两个率先”，我区要推进“三去一降一补”。"
    assert cleaned.chrome == CHROME
    assert cleaned.stripped_lines == 14
    # the chrome lines and the site's name stamped into the body ("我老秘网区")
    assert cleaned.stripped_chars == sum(map(len, CHROME)) + len("老秘网") == 154


def test_site_names_are_read_from_the_header():
    assert site_names(["老秘网_材夜思范文", "标题: 在大会上的讲话"]) == ["老秘网", "材夜思范文"]
    assert site_names(["在大会上的讲话"]) == []


def test_the_body_maps_back_to_the_original(normalizer):
    cleaned = clean_text(normalizer.normalize(PAGE))
    body = cleaned.body.text
    a = body.index("两个率先")
    start, end = cleaned.body.original_span(a, a + 4)
    assert PAGE[start:end] == "兩個率先"
    a = body.index("我区")
    start, end = cleaned.body.original_span(a, a + 2)
    assert PAGE[start:end] == "我老秘网区"  # the watermark inside is skipped


def test_chrome_is_not_mined_and_is_counted(slogan_miner):
    result = slogan_miner.mine(Document("page.txt", "page.txt", PAGE))
    assert result.document.status == "ok"
    assert [(m.phrase, m.surface, PAGE[m.start : m.end]) for m in result.mentions] == [
        ("两个率先", "兩個率先", "兩個率先"),
        ("三去一降一补", "三去一降一补", "三去一降一补"),
    ]
    assert (result.stripped_lines, result.stripped_chars) == (14, 154)
    assert result.chars == len("在全区大会上的讲话同志们：今年要实现“两个率先”，我区要推进“三去一降一补”。")


def test_a_page_of_nothing_but_chrome_is_skipped(slogan_miner):
    result = slogan_miner.mine(Document("p.txt", "p.txt", "返回 下载 相关 举报\n第1页 / 共5页\n"))
    assert result.document.status == "skipped: nothing left after removing web-page chrome"
    assert (result.chars, result.stripped_lines, result.mentions) == (0, 5, ())


def test_seeds_lose_their_chrome(slogan_miner, seeds_dir):
    for doc in iter_documents([seeds_dir]):
        result = slogan_miner.mine(doc)
        assert result.document.status == "ok"
        assert result.stripped_lines > 0 and result.stripped_chars > 0
        body = clean_text(slogan_miner.normalizer.normalize(doc.text)).body.text
        for chrome in ("上传人", "第1页 / 共5页", "返回 下载", "免费注册", "跳转到指定楼层", "网站客服", "ICP"):
            assert chrome not in body
        assert "同志们" in body


def test_site_names_only_at_the_edges_of_a_page():
    from miner.clean import clean_text
    from miner.normalize import Normalizer

    body = ["继续努力。"] * 9 + ["二是建设智慧社区", "大力发展工业互联网"] + ["继续努力。"] * 9
    page = "\n".join(["公文范文网", *body, "公文范文网"])
    cleaned = clean_text(Normalizer().normalize(page))
    assert cleaned.chrome == ("公文范文网", "公文范文网")
    assert "大力发展工业互联网" in cleaned.body.text and "二是建设智慧社区" in cleaned.body.text
