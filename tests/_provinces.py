"""A small provincial corpus as a CSV with a ``province`` column: three
provinces' work reports, each with the national slogans every province
repeats and the province's own campaign slogans."""

from __future__ import annotations

import csv
from pathlib import Path

# (province, year, level, title, text)
REPORTS = (
    ("广东省", 2019, "省", "2019年广东省政府工作报告",
     "过去一年，我们坚持以习近平新时代中国特色社会主义思想为指导，统筹推进“五位一体”总体布局，协调推进“四个全面”战略布局，"
     "奋力实现“四个走在全国前列”。深入推进供给侧结构性改革，扎实推进“三去一降一补”。\n"
     "今年要全面落实“1+1+9”工作部署，加快建设粤港澳大湾区，推动“四个走在全国前列”取得新进展。"),
    ("广东省", 2020, "省", "2020年广东省政府工作报告",
     "我们坚决打好三大攻坚战，扎实做好“六稳”工作。全面落实“1+1+9”工作部署，坚持以“四个走在全国前列”为目标。\n"
     "深化“放管服”改革，以“1+1+9”工作部署为总抓手，推动“双区”建设。"),
    ("广东省", 2021, "省", "2021年广东省政府工作报告",
     "今年是“十四五”开局之年。扎实做好“六稳”工作、全面落实“六保”任务，继续落实“1+1+9”工作部署，"
     "推进“双区”和横琴、前海两个合作区建设，在“四个走在全国前列”上展现新作为。"),
    ("四川省", 2019, "省", "2019年四川省政府工作报告",
     "过去一年，全省深入贯彻“四个全面”战略布局，扎实推进“三去一降一补”。\n"
     "我们大力实施“一干多支、五区协同”区域发展战略，构建“四向拓展、全域开放”立体全面开放新态势，"
     "推动“一干多支、五区协同”走深走实。"),
    ("四川省", 2020, "省", "2020年四川省政府工作报告",
     "坚决打好三大攻坚战，扎实做好“六稳”工作。深入推进“一干多支、五区协同”，"
     "坚持“四向拓展、全域开放”，加快建设“5+1”现代产业体系。"),
    ("四川省", 2021, "省", "2021年四川省政府工作报告",
     "今年是“十四五”开局之年。全面落实“六保”任务，推动成渝地区双城经济圈建设，"
     "深化“一干多支、五区协同”，做强“5+1”现代产业体系，持续深化“四向拓展、全域开放”。"),
    ("浙江省", 2019, "省", "2019年浙江省政府工作报告",
     "过去一年，我们坚持“八八战略”再深化、改革开放再出发，协调推进“四个全面”战略布局，扎实推进“三去一降一补”。\n"
     "深化“最多跑一次”改革，持续推进“千万工程”，以“八八战略”为总纲。"),
    ("浙江省", 2020, "省", "2020年浙江省政府工作报告",
     "坚决打好三大攻坚战，扎实做好“六稳”工作。忠实践行“八八战略”，深化“最多跑一次”改革，"
     "推进“千万工程”迭代升级。"),
    ("浙江省", 2021, "省", "2021年浙江省政府工作报告",
     "今年是“十四五”开局之年。全面落实“六保”任务，坚持“八八战略”，争创社会主义现代化先行省，"
     "以“最多跑一次”改革撬动各领域改革。"),
)


def write_provinces(path: Path) -> Path:
    """Write the corpus to ``path`` (CSV: title, year, province, level, text) and return it."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("title", "year", "province", "level", "text"))
        for province, year, level, title, text in REPORTS:
            writer.writerow((title, year, province, level, text))
    return Path(path)


def mine_provinces(root: Path) -> Path:
    """Write the corpus under ``root``, mine it in one process into
    ``root/out`` and return that folder."""
    from miner.pipeline import run_corpus

    run_corpus([write_provinces(root / "provinces.csv")], root / "out", workers=1)
    return root / "out"
