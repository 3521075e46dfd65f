"""Four tiny speeches with hand-countable slogans, shared by the CLI and report tests."""

from __future__ import annotations

import json
from pathlib import Path

SPEECHES = [
    {"title": "甲", "text": "要实现“两个率先”，坚持“三个代表”重要思想。", "year": 2001},
    {"title": "乙", "text": "这一年没有口号，只有工作。", "year": 2002},
    {"title": "丙", "text": "要實現「兩個率先」，推進“三去一降一补”。", "year": 2003},
    {"title": "丁", "text": "同志们：\n要实现“两个率先”。"},
]


def write_speeches(path: Path, tail: str = "") -> Path:
    """Write :data:`SPEECHES` as JSON Lines (plus ``tail``) to ``path``."""
    path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in SPEECHES) + tail, encoding="utf-8")
    return path
