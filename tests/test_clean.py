"""Cleaning: web-page chrome is dropped and counted, the speech body is kept,
and mentions are still placed in the original text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from miner.preprocess.clean import clean_text, inline_chrome, is_chrome_line, site_names
from miner.preprocess.normalize import Normalizer
from miner.io.read import iter_documents
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
        # a site's foot and its lists of links
        "相关链接",
        "主办单位：中共*县委办公室",
        "建议使用1024×768以上分辨率浏览本站",
        "* 全县一季度经济运行分析会召开 2016-04-06",
        "首页 > 领导讲话 > 正文",
        "点击数：",
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
    # the title heads the page once: the speech's own heading, not chrome
    assert result.document.title == "在全区大会上的讲话"
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
    from miner.preprocess.clean import clean_text
    from miner.preprocess.normalize import Normalizer

    body = ["继续努力。"] * 9 + ["二是建设智慧社区", "大力发展工业互联网"] + ["继续努力。"] * 9
    page = "\n".join(["公文范文网", *body, "公文范文网"])
    cleaned = clean_text(Normalizer().normalize(page))
    assert cleaned.chrome == ("公文范文网", "公文范文网")
    assert "大力发展工业互联网" in cleaned.body.text and "二是建设智慧社区" in cleaned.body.text


# -- chrome shaped like the body -------------------------------------------------

TITLED = (
    "在全区开展“工业服务年”活动动员大会上的致辞_\n"
    "上传人:回**** 文档编号:177647489 上传时间:2022-12-26\n"
    "在全区开展“工业服务年”活动动员大会上旳讲话 重点突破狠抓落实 "
    "在全区开展“工业服务年”活动动员大会上旳讲话 (2023年2月28日) 同志们: 这次“工业服务年”动员大会很重要。\n"
    "在全区开展“工业服务年”活动动员大会上旳讲话\n"
    "今年要把“工业服务年”落到实处。\n"
)


def test_copies_of_the_title_heading_the_body_are_chrome(slogan_miner):
    result = slogan_miner.mine(Document("t.txt", "t.txt", TITLED))
    assert result.document.title == "在全区开展“工业服务年”活动动员大会上的致辞"
    assert result.document.year == 2023
    # the title, its copy as a line, and its copy before the date are gone; the
    # subtitle stays, and so does a copy after the speech has begun
    mentions = [(m.phrase, TITLED[m.start : m.end], m.paragraph) for m in result.mentions]
    assert mentions == [("工业服务年", "工业服务年", 1), ("工业服务年", "工业服务年", 2), ("工业服务年", "工业服务年", 3)]
    cleaned = clean_text(slogan_miner.normalizer.normalize(TITLED), title=result.document.title)
    assert cleaned.body.text.split("\n")[:3] == [
        "重点突破狠抓落实",
        "(2023年2月28日) 同志们: 这次“工业服务年”动员大会很重要。",
        "在全区开展“工业服务年”活动动员大会上旳讲话",
    ]
    assert cleaned.chrome[0] == "在全区开展“工业服务年”活动动员大会上的致辞_"
    assert cleaned.chrome[2] == "在全区开展“工业服务年”活动动员大会上旳讲话"
    assert cleaned.stripped_lines == 3


@pytest.mark.parametrize(
    "title, line, copy",
    [
        ("在全区大会上的讲话", "在全区大会上旳讲话", True),
        ("在全区大会上的讲话_某某范文网", "在全区大会上的讲话", True),  # the site's part of a page title
        ("2023年开发区工作总结大会领导致辞稿", "开发区工作总结大会领导讲话稿", True),
        ("在全区大会上的讲话", "一、把握形势，明确任务", False),
        ("在全区大会上的讲话", "同志们：", False),
        ("同志们：", "同志们：", False),  # a salutation taken for a title
        ("“两个率先”；", "“两个率先”；", False),
    ],
)
def test_what_a_copy_of_the_title_is(normalizer, title, line, copy):
    # a title given from outside the text (a page's <title>, a field): one copy heading the body is a repeat
    cleaned = clean_text(normalizer.normalize(f"{line}\n要落实“两个率先”。"), title=title, title_given=True)
    assert (cleaned.chrome == (line,)) is copy
    assert cleaned.body.text.endswith("要落实“两个率先”。")


def test_a_title_found_in_the_text_is_chrome_only_when_repeated(normalizer):
    once = "在全区大会上的讲话\n同志们：要落实“两个率先”。"
    assert clean_text(normalizer.normalize(once), title="在全区大会上的讲话").chrome == ()
    twice = "在全区大会上的讲话\n在全区大会上旳讲话 (2023年2月28日)\n同志们：要落实“两个率先”。"
    cleaned = clean_text(normalizer.normalize(twice), title="在全区大会上的讲话")
    assert cleaned.chrome == ("在全区大会上的讲话",)  # and the copy before the date, cut from its line
    assert cleaned.body.text == "(2023年2月28日)\n同志们：要落实“两个率先”。"
    assert cleaned.stripped_chars == 9 + 9


NEWS = (
    "習近平在全區大會上的講話\n"
    "2025-11-08 07:03:52 來源：新華網\n"
    "新华社北京12月31日电（记者 张三 李四）全区要落实“两个率先”，推进“三去一降一补”。\n"
    "3月5日，全区大会在北京开幕。新华社记者 鞠鹏 摄\n"
    "要加强党的建设稿子汇 www.gaozihui.com，推动“四个全面”落地。\n"
    "要合理控制盐的摄入，12月31日电力供应平稳，他亲自拍摄了纪录片。\n"
    "書記在新區(qū)開(kāi)發(fā)建設(shè)會(huì)發言，提出“四创(chuàng)战略”。\n"
    "要坚持“两个毫不动摇”。（责任编辑：王五）\n"
    "【纠错】 【打印】\n"
    "\n"
    "本作品来自中华人民共和国政府，依据《中华人民共和国著作权法》第五条，不适用于该法，属于公有领域。\n"
)


def test_a_news_page_loses_its_chrome_and_keeps_its_sentences(slogan_miner):
    result = slogan_miner.mine(Document("news.txt", "news.txt", NEWS))
    doc = result.document
    assert (doc.title, doc.year, doc.year_source) == ("习近平在全区大会上的讲话", 2025, "header")
    cleaned = clean_text(slogan_miner.normalizer.normalize(NEWS), title="习近平在全区大会上的讲话")
    assert cleaned.body.text == (
        "习近平在全区大会上的讲话\n"  # the title, heading the page once, stays
        "全区要落实“两个率先”，推进“三去一降一补”。\n"
        "要加强党的建设，推动“四个全面”落地。\n"
        "要合理控制盐的摄入，12月31日电力供应平稳，他亲自拍摄了纪录片。\n"
        "书记在新区开发建设会发言，提出“四创战略”。\n"
        "要坚持“两个毫不动摇”。"
    )
    assert [(m.phrase, NEWS[m.start : m.end]) for m in result.mentions] == [
        ("两个率先", "两个率先"),
        ("三去一降一补", "三去一降一补"),
        ("四个全面", "四个全面"),
        ("四创战略", "四创(chuàng)战略"),  # the reading inside is skipped, the offsets are the original's
        ("两个毫不动摇", "两个毫不动摇"),
    ]
    # whole lines (the normaliser broke "记者 张三 李四" at its spaces), then the cuts inside lines
    assert cleaned.chrome == (
        "2025-11-08 07:03:52 来源：新华网", "新华社北京12月31日电（记者", "张三",
        "3月5日，全区大会在北京开幕。新华社记者", "鞠鹏", "摄", "【纠错】 【打印】",
        "本作品来自中华人民共和国政府，依据《中华人民共和国著作权法》第五条，不适用于该法，属于公有领域。",
    )
    inside = ("李四）", "稿子汇", "www.gaozihui.com", "(qū)", "(kāi)", "(fā)", "(shè)", "(huì)", "(chuàng)", "（责任编辑：王五）")
    assert cleaned.stripped_chars == sum(map(len, cleaned.chrome)) + sum(map(len, inside)) == 197 - 12
    assert (result.stripped_lines, result.stripped_chars) == (cleaned.stripped_lines, cleaned.stripped_chars)


def test_contexts_and_kept_texts_show_no_chrome_in_the_characters_written(slogan_miner):
    result = slogan_miner.mine(Document("news.txt", "news.txt", NEWS))
    assert [(m.surface, m.context) for m in result.mentions] == [
        ("两个率先", "全区要落实“两个率先”，推进“三去一降一补”"),
        ("三去一降一补", "全区要落实“两个率先”，推进“三去一降一补”"),
        ("四个全面", "要加强党的建设，推动“四个全面”落地"),  # the watermark is out, the words join
        ("四创战略", "書記在新區開發建設會發言，提出“四创战略”"),  # readings out, traditional stays
        ("两个毫不动摇", "要坚持“两个毫不动摇”"),
    ]
    # the text `miner kwic` searches
    assert result.body == (
        "習近平在全區大會上的講話\n全区要落实“两个率先”，推进“三去一降一补”。\n要加强党的建设，推动“四个全面”落地。\n"
        "要合理控制盐的摄入，12月31日电力供应平稳，他亲自拍摄了纪录片。\n書記在新區開發建設會發言，提出“四创战略”。\n"
        "要坚持“两个毫不动摇”。"
    )


def test_a_watermark_written_apart_inside_a_sentence_leaves_one_sentence(slogan_miner):
    # the normaliser reads the blank between "”" and "稿" as a line break
    text = "同志们，要落实“三去一降一补” 稿子汇 www.gaozihui.com 任务。\n要推进“两个率先”。"
    result = slogan_miner.mine(Document("d.txt", "d.txt", text))
    assert [(m.phrase, m.context, m.sentence, m.paragraph) for m in result.mentions] == [
        ("三去一降一补", "同志们，要落实“三去一降一补”任务", 0, 0),
        ("两个率先", "要推进“两个率先”", 2, 1),
    ]
    assert result.body == "同志们，要落实“三去一降一补”任务。\n要推进“两个率先”。"
    assert result.stripped_chars == len("稿子汇www.gaozihui.com")


def test_what_the_normaliser_folds_stays_in_surface_and_context(slogan_miner):
    # a line break inside a quote is no chrome: the surface keeps it, the context shows a blank
    text = "要实现“两个\n率先”，推进发展。"
    (m,) = slogan_miner.mine(Document("d.txt", "d.txt", text)).mentions
    assert (m.surface, m.context) == ("两个\n率先", "要实现“两个 率先”，推进发展")


def test_a_run_keeps_readings_out_of_contexts_concordances_and_definitions(tmp_path):
    from miner.pipeline import run_corpus
    from miner.analysis.report import concordance
    from miner.io.tables import read_table

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(
        "在新區開發建設會上的講話\n時(shí)間:2022-05-21\n"
        "書(shū)記在新區(qū)開(kāi)發(fā)建設(shè)會(huì)上強調，要實現「兩個率先」，即率(lǜ)先全面建成小康社會、率先基本實現現代化。\n"
        "要堅持“四個(gè)全面”戰略佈局 稿子汇 www.gaozihui.com 推進改革。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run_corpus([tmp_path / "in"], out)
    sentence = "書記在新區開發建設會上強調，要實現「兩個率先」，即率先全面建成小康社會、率先基本實現現代化"
    rows = read_table(out / "mentions.csv", ("year", "surface", "context"))
    assert [(r["year"], r["surface"], r["context"]) for r in rows] == [
        (2022, "兩個率先", sentence), (2022, "四個全面", "要堅持“四個全面”戰略佈局推進改革"),
    ]
    assert [r["evidence"] for r in read_table(out / "definitions.csv", ("evidence",))] == [sentence]
    lines = concordance(out, "四个全面", width=12)
    assert [(x.left, x.match, x.right) for x in lines] == [("本實現現代化。 要堅持“", "四個全面", "”戰略佈局推進改革。")]


@pytest.mark.parametrize(
    "page",
    [
        "新华社北京12月12日电 中央经济工作会议12日在北京举行，会议强调落实“四个全面”。\n",
        "会议强调，要坚持“四个全面”。\n12月12日，中央经济工作会议在北京举行。新华社记者 李学仁 摄\n",
    ],
)
def test_a_dateline_or_a_credit_is_not_taken_for_the_title(slogan_miner, page):
    # the normaliser breaks both at their blanks, leaving short lines that read like a title
    result = slogan_miner.mine(Document("d.txt", "d.txt", page))
    assert (result.document.title, [m.phrase for m in result.mentions]) == ("", ["四个全面"])


@pytest.mark.parametrize(
    "text, chrome",
    [
        ("新华社北京12月31日电 国家主席发表新年贺词。", ["新华社北京12月31日电"]),
        ("人民网北京3月5日电（记者 王五）会议开幕。", ["人民网北京3月5日电（记者 王五）"]),
        ("本报讯（记者 王五）全区召开大会。", ["本报讯（记者 王五）"]),
        ("中新社香港2023年3月5日电 据报道，", ["中新社香港2023年3月5日电"]),
        ("中新社广州一月十七日电 (记者 莫非)广东省人代会开幕。", ["中新社广州一月十七日电 (记者 莫非)"]),
        ("他在一月十七日电话会议上讲话。", []),
        ("图为会议现场。（李四 摄）", ["图为会议现场。（李四 摄）"]),
        ("（张三/摄）", ["（张三/摄）"]),
        ("新华社发（王五 摄）", ["新华社发（王五 摄）"]),
        ("通讯员 赵六 摄", ["通讯员 赵六 摄"]),
        ("陈玲芳作政府工作报告 (马玉龙摄)", ["陈玲芳作政府工作报告 (马玉龙摄)"]),  # the name against 摄, in brackets
        ("全区群众积极参与。（摄制组）", []),
        ("要奋斗。（责任编辑：张三）", ["（责任编辑：张三）"]),
        ("要奋斗。 【纠错】 【打印】", [" 【纠错】 【打印】"]),
        ("書記在新區(qū)開(kāi)發(fā)", ["(qū)", "(kāi)", "(fā)"]),
        ("推进四创(chuang)战略", ["(chuang)"]),  # no tone mark, but the reading of 创
        # a copy site's reading of a character its encoding garbled: a tone mark after no Chinese character
        ("。ㄒ唬┙(jīng)濟(jì)運(yùn)行", ["(jīng)", "(jì)", "(yùn)"]),
        ("人文宋年P(guān)懷", ["(guān)"]),
        ("读作Beijing(bei)和(a)", []),  # letters without a tone mark after no Chinese character are kept
        ("要加强党建稿子汇 www.gaozihui.com，推动发展。", ["稿子汇 www.gaozihui.com"]),
        ("请登录中国政府网www.gov.cn查询。", ["www.gov.cn"]),  # the site's name is not spelled by its address
        # a real sentence with 电, 摄, brackets and letters is not chrome
        ("12月31日电话会议上，3月5日电力供应平稳。", []),
        ("要合理控制盐的摄入，他亲自拍摄了纪录片。", []),
        ("这张照片是记者去年在现场拍摄的。", []),
        ("实现GDP(gdp)增长，指标(b)达标，第(一)项，编辑出版工作。", []),
        ("他们在3月5日电告全县：", []),
    ],
)
def test_inline_chrome(normalizer, text, chrome):
    nt = normalizer.normalize(text)
    found = [nt.text[a:b] for a, b in inline_chrome(nt.text)]
    assert [" ".join(x.split()) for x in found] == [" ".join(normalizer.normalize(x).text.split()) for x in chrome]


@pytest.mark.parametrize(
    "line",
    [
        "责任编辑：张三",
        "【责任编辑：李四】",
        "（责编：王五、赵六）",
        "来源：新华网",
        "【纠错】",
        "[打印] [关闭]",
        "2025-11-08 07:03:52",
        "2025/11/08 来源：某某日报",
        "2025年11月08日 07:03",
        "摄影：张三",
        "Public domain",
        # a government page's record, a bulleted stamp and source, a newspaper's page
        "索引號: 006939748/2019-00435 分類:",
        "發布機構: 廣東省人民政府",
        "• 2010年02月04日 14时39分",
        "• 来源: 四川人大网",
        "发稿时间：2021/6/9 【 字体：大",
        "（信息来源：浙江发布）",
        "第1版(要闻)",
        # paywalls, document-sharing sites, Wikisource, a channel's link, a scraper's note, a counter
        "……(新文秘网省略866字,正式会员可完整阅读)",
        "……(未完,全文共8903字,当前仅显示2431字,请阅读下面提示信息。",
        "《市委书记在市委工作会议上的讲话》由会员分享,可在线阅读,更多相关《市委书记讲话(37页珍藏版)》请在某某文库上搜索。",
        "維基文庫,自由的圖書館",
        "本作品收錄於《广东省人民政府工作报告",
        ">>西藏频道",
        "Original URL:",
        "999+",
    ],
)
def test_page_lines_that_name_their_makers_or_time_are_chrome(normalizer, line):
    assert is_chrome_line(normalizer.normalize(line).text)


@pytest.mark.parametrize(
    "line",
    [
        "编辑出版工作要加强。",
        "2025年要实现“两个率先”。",
        "2025年11月8日，全区召开大会。",
        "加强版权保护，繁荣文艺创作。",
        "记者：请问“十四五”规划有哪些新提法？",  # an interview's question
        "第1版规划纲要已经印发。",
        "全文共分三个部分，省略号表示删节。",
        "会议审议通过了政府工作报告，报告全文共9800字。",
        "《建议》稿全文共15000字，分为15个部分，提出了“两个率先”的目标。",
        "会员单位要发挥带头作用，正式会员享有表决权。",  # a membership, not a paywall
        "原创作品要依法保护。",
        "1+8城市圈建设取得新进展。",
    ],
)
def test_body_lines_with_those_words_are_not(normalizer, line):
    assert not is_chrome_line(normalizer.normalize(line).text)


@pytest.mark.parametrize(
    "footer",
    [
        # Wikisource's, broken into lines at its links
        "本作品是中华人民共和国的\n法律\n、\n法规\n，根据《\n中华人民共和国著作权法\n》第五条第一项，"
        "本作品不适用于该法，属于\n公有领域\n。\n\n注：中文维基文库社群认为，公务演讲\n不总是\n具有立法性质的文件。"
        "\n\nPublic domain\nPublic domain\nfalse\nfalse",
        "本文采用知识共享署名-相同方式共享 4.0 协议授权。",
        "本文为原创，转载请注明出处。",
    ],
)
def test_trailing_licence_footers_are_chrome(normalizer, footer):
    page = "同志们：\n要加强版权保护，推进“两个率先”。\n\n谢谢大家！\n\n\n" + footer + "\n"
    cleaned = clean_text(normalizer.normalize(page))
    assert cleaned.body.text == "同志们：\n要加强版权保护，推进“两个率先”。\n谢谢大家！"
    # a whole line counts with the spaces inside it
    assert cleaned.stripped_chars == sum(len(line.strip()) for line in normalizer.normalize(footer).text.split("\n"))


def test_a_last_paragraph_about_copyright_is_not_a_footer(normalizer):
    page = "同志们：\n要推进“两个率先”。\n\n要加强版权保护，严厉打击盗版侵权。"
    assert clean_text(normalizer.normalize(page)).body.text == "同志们：\n要推进“两个率先”。\n要加强版权保护，严厉打击盗版侵权。"


@pytest.mark.parametrize(
    "header, year",
    [
        ("時(shí)間:2022-05-21", 2022),  # a date line with readings inserted
        ("2025-11-08 07:03:52", 2025),  # a bare time stamp under the title
        ("2019年06月01日 09:30 来源：某某日报", 2019),
    ],
)
def test_date_lines_in_any_shape_date_the_page(slogan_miner, header, year):
    text = f"在全区大会上的讲话\n{header}\n同志们：要落实“两个率先”。"
    result = slogan_miner.mine(Document("d.txt", "d.txt", text))
    assert (result.document.year, result.document.year_source) == (year, "header")
    assert [m.phrase for m in result.mentions] == ["两个率先"]


PRINTED = (
    "某某县人民政府文件\n在全县大会上的讲话\n同志们：今年要全面落实“十四五”规划，实现“两个\n率先”，推进“三去一降一补”，坚\n— 1 —\n\f\n"
    "某某县人民政府文件\n持稳中求进工作总基调，深化“放管服”改革，持续优化营\n商环境。\n3\n第2页\n\f\n"
    "某某县人民政府文件\n二、下一步工作\n要坚持“两个毫不动摇”。\n3/12\n"
)


def test_printed_pages_lose_heads_feet_and_numbers_and_join_their_lines(normalizer):
    cleaned = clean_text(normalizer.normalize(PRINTED))
    assert cleaned.chrome == (
        "*县人民政府文件", "— 1 —", "*县人民政府文件", "3", "第2页", "*县人民政府文件", "3/12",
    )
    # a full line that ends no sentence runs on into the next, across a page break too;
    # a short one ("商环境。", a heading) ends its paragraph
    assert cleaned.body.text == (
        "在全县大会上的讲话\n"
        "同志们：今年要全面落实“十四五”规划，实现“两个率先”，推进“三去一降一补”，坚持稳中求进工作总基调，"
        "深化“放管服”改革，持续优化营商环境。\n"
        "二、下一步工作\n"
        "要坚持“两个毫不动摇”。"
    )


def test_a_number_on_a_line_of_its_own_is_body_text_outside_printed_pages(normalizer):
    text = "第三部分\n3\n要实现“两个率先”。\n第2页"
    assert clean_text(normalizer.normalize(text)).body.text == "第三部分\n3\n要实现“两个率先”。\n第2页"


PIECES = [
    "同志们：", "要落实“两个率先”。", "新华社北京3月5日电", "（记者 张三）", "新华社记者 李四 摄", "（王五/摄）",
    "責任編輯：赵六", "【纠错】", "區(qū)", "创(chuàng)", "(a)", "稿子汇 www.gaozihui.com", "2025-11-08 07:03:52",
    "本作品属于公有领域。", "— 3 —", "第2页", "3/12", "\f", "\n", "\n\n", " ", "。", "在全区大会上的讲话", "2023年",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(["", "在全区大会上的讲话"]), st.booleans())
def test_cleaning_keeps_the_body_in_order_and_counts_what_it_drops(pieces, title, given_title):
    normal = Normalizer().normalize("".join(pieces))
    cleaned = clean_text(normal, title=title, title_given=given_title)
    assert cleaned.stripped_lines == len(cleaned.chrome) and cleaned.stripped_chars >= 0
    # the body is the normalised text with pieces left out: its characters come
    # in order, each from the place the map gives
    body = cleaned.body
    starts = [body.char_span(i)[0] for i, c in enumerate(body.text) if c != "\n"]
    assert starts == sorted(starts)
    kept = "".join(c for c in body.text if c != "\n")
    assert len("".join(normal.text.split())) >= len("".join(kept.split()))


def test_the_national_reports_lose_their_licence_footers_and_end_with_their_last_sentence(slogan_miner, gov_reports):
    from miner.pipeline import prepare_document

    ends, footers = [], 0
    for doc in iter_documents([gov_reports]):
        doc, cleaned = prepare_document(doc, slogan_miner)
        body = cleaned.body.text.rstrip()
        assert "公有领域" not in body and "Public domain" not in body
        footers += "公有领域" in cleaned.chrome
        ends.append(body[-1])
    assert footers == 65 and len(ends) == 72
    # all but one, which ends in Wikisource's notes on characters its font lacks
    assert sum(end in "。！!" for end in ends) == 71


@pytest.mark.parametrize(
    "page, chrome",
    [
        ("落实“两个率先”。\nCopyright © 2024 新华网\nGDP增长6%。", ["Copyright © 2024 新华网"]),
        ("落实“两个率先”。\nCOPYRıGHT 2024 Xinhua\nGDP增长6%。", ["COPYRıGHT 2024 Xinhua"]),  # ı is i to IGNORECASE
        ("落实“两个率先”。\n京ICP备12345号，内容仅供学习参考与交流之用，不代表本单位立场与观点，欢迎各位读者批评指正与提出宝贵意见\nGDP增长6%。",
         ["京ICP备12345号，内容仅供学习参考与交流之用，不代表本单位立场与观点，欢迎各位读者批评指正与提出宝贵意见"]),
        ("落实“两个率先”，GDP年均增长6%，推进CPI稳定和PPI回升，实施all in one的办法，落实总体要求，推进重点工作。",
         []),
    ],
)
def test_latin_chrome_is_found_whether_or_not_its_words_are_looked_for_first(normalizer, page, chrome):
    # the text is searched once for what STRONG_LATIN needs; lines are tested only if it is there
    cleaned = clean_text(normalizer.normalize(page))
    assert list(cleaned.chrome) == chrome
    assert [is_chrome_line(line) for line in page.split("\n")] == [line in chrome for line in page.split("\n")]


def _chrome_by_every_pattern(line: str, edge: bool, latin: bool) -> bool:
    """_is_chrome as it read before its first-character shortcuts: every pattern tried."""
    from miner.preprocess import clean as c

    if not line:
        return False
    if (c.STRONG_CHROME.search(line) or c.STRONG_NOTE.match(line) or (latin and c.LATIN.search(line)
            and c.STRONG_LATIN.search(line)) or c.BUTTON_LINE.match(line)):
        return True
    return len(line) <= c.SHORT_LINE and bool(
        c.SHORT_CHROME.search(line) or c.LABEL_LINE.match(line) or (edge and c.SITE_NAME.match(line))
        or c.DATED_LINK.search(line) or c.FOOT_CHROME.match(line))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="１1٣.、 本文档下载前【】[]()（）返回首页QQ空间分享|/大中小：责任编辑张三", min_size=1, max_size=20))
@example("【张三】 【责编】")  # labels only
@example("٣. 本文档为网友上传")  # a note numbered in another script's digits
@example("（返回）| 分享")
def test_the_first_character_shortcuts_of_the_chrome_test_change_no_verdict(line):
    from miner.preprocess.clean import _is_chrome

    for edge in (False, True):
        assert _is_chrome(line, edge, True) == _chrome_by_every_pattern(line, edge, True)


def test_no_line_of_the_seeds_changes_verdict(seeds_dir, normalizer):
    from miner.preprocess.clean import _is_chrome

    lines = {line.strip() for path in sorted(seeds_dir.iterdir()) if path.is_file()
             for line in normalizer.normalize(path.read_text(encoding="utf-8", errors="replace")).text.split("\n")}
    chrome = [line for line in lines if _chrome_by_every_pattern(line, True, True)]
    assert len(chrome) > 20  # the seeds are scraped pages: their chrome is here to be judged
    assert [line for line in lines if _is_chrome(line, True, True) != _chrome_by_every_pattern(line, True, True)] == []


CMS_PAGE = """<html><head><title>每周一学（2022年10月17日-10月23日）--学习专栏-某某中学</title></head><body>
<div class="toplink"><a href="/a">公共文件夹</a> | <a href="/b">智慧校园</a> | <a href="/c">教学平台</a> | <a href="/d">图书馆</a></div>
<ul><li><a href="/">首页</a></li>
<li><a href="/1">新闻中心</a><ul><li><a href="/11">学校公告</a></li><li><a href="/12">一中新闻</a></li></ul></li>
<li><a href="/2">党建引领</a><ul><li><a href="/21">组织架构</a></li><li><a href="/22">学习专栏</a></li></ul></li></ul>
<h3>推荐阅读</h3>
<ul><li><a href="/x">每周一学（2026年6月1日-6月7日）义乌发展经验</a> [06-01]</li>
<li><a href="/y">每周一学（2026年5月4日-5月10日）着力提高防范应对自然…</a> [05-07]</li></ul>
<div>首页 &gt; 党建引领&gt; 学习专栏</div>
<h2>每周一学（2022年10月17日-10月23日）</h2>
<div>点击数：<span id="n"></span></div>
<p>同志们：</p>
<p>要坚持“两个毫不动摇”，推进“放管服”改革。</p>
<p>一、坚持稳中求进</p><p>二、推动高质量发展</p><p>三、深化改革开放</p><p>四、保障和改善民生</p><p>五、加强党的建设</p>
<p>各地要抓好落实。</p>
<div><a href="/p">每周一学（2022年10月10日-10月16日）</a>[ 10-11 ]</div>
<ul><li><a href="/m">网站地图</a></li><li>|</li><li><a href="/o">怀旧网站</a></li><li>|</li><li><a href="/w">学校外网</a></li>
<li>|</li><li><a href="/l">校长信箱</a></li><li>|</li><li><a href="/f">反馈意见</a></li></ul>
<div>地址：某某市站前大道1898号</div><div>电话&amp;传真：0575-85173853</div>
</body></html>"""


def test_a_site_page_loses_its_menus_links_and_feet_and_keeps_its_numbered_headings(slogan_miner, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(CMS_PAGE, encoding="utf-8")
    doc = next(iter_documents([page]))
    result = slogan_miner.mine(doc)
    cleaned = clean_text(slogan_miner.normalizer.normalize(doc.text), title=doc.title, title_given=True)
    body = [line.strip() for line in cleaned.body.text.split("\n") if line.strip()]
    assert body == [
        "同志们：",
        "要坚持“两个毫不动摇”，推进“放管服”改革。",
        "一、坚持稳中求进", "二、推动高质量发展", "三、深化改革开放", "四、保障和改善民生", "五、加强党的建设",
        "各地要抓好落实。",
    ]
    assert {"+ 学习专栏", "首页 > 党建引领> 学习专栏", "点击数：", "每周一学（2022年10月10日-10月16日）[ 10-11 ]", "* |", "地址：*市站前大道1898号",
            "每周一学（2022年10月17日-10月23日）"} <= set(cleaned.chrome)
    assert result.stripped_lines == cleaned.stripped_lines == len(cleaned.chrome)
    assert [m.phrase for m in result.mentions] == ["两个毫不动摇", "放管服"]


def test_a_few_short_lines_in_a_row_are_body_text(normalizer):
    text = "同志们：\n我讲四点意见\n抓项目\n强产业\n优环境\n要把这些落到实处。"
    assert clean_text(normalizer.normalize(text)).body.text == text
