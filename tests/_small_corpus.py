"""A small corpus in three formats, written fresh for each test that needs one."""

from __future__ import annotations

import json

from miner.pipeline import TABLES

SPEECHES = [
    (2003, "标题: 2003年全县经济工作会议讲话\n同志们：要深入贯彻“三个代表”重要思想，实现“两个率先”。"),
    (2005, "要落实科学发展观，编制好“十一五”规划，推进“两个率先”，开展“工业服务年”活动。"),
    (2006, "“十一五”开局之年，全面推进“三个代表”重要思想，抓好“项目推进年”，做好“三农”工作。"),
    (2016, "协调推进“四个全面”战略布局，增强“四个意识”，推进“三去一降一补”。\n一是去产能，二是去库存。"),
    (2019, "落实“六稳”工作，坚持“两个毫不动摇”，贯彻新发展理念，打好三大攻坚战。"),
    (None, "在2021年全市大会上的讲话\n开局“十四五”，做好“六稳”“六保”，坚持“两个维护”。"),
]


def write_corpus(folder):
    """A small corpus in three formats, with one unreadable file."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "a_reports.jsonl", "w", encoding="utf-8") as fh:
        for year, text in SPEECHES[:4]:
            fh.write(json.dumps({"title": f"{year}年报告", "year": year, "content": text * 3}, ensure_ascii=False) + "\n")
    (folder / "b_speech.txt").write_text(SPEECHES[4][1] * 5, encoding="utf-8")
    (folder / "c_plenum.txt").write_text(SPEECHES[5][1] * 4, encoding="gb18030")
    (folder / "d_scan.pdf").write_bytes(b"%PDF-1.4 not text")
    return folder


def read_tables(out) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}
