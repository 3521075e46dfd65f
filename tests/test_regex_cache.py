"""The compiled patterns kept between runs match exactly as freshly compiled ones."""

from __future__ import annotations

import re
from re import _compiler

import pytest

from miner.io import regex_cache

PATTERNS = [
    (r"[\u4e00-\u9fff]{2,4}(?=[，。])", 0),
    (r"(?P<num>[一二三四五六七八九十])(?P<cls>[个项大条])(?<![这那].)", 0),
    (r"^[ \t]*(?:责任编辑|编辑)\s*[:：].*$", re.MULTILINE),
    (r"copyright|\(c\)\s*\d{4}|all rights reserved", re.IGNORECASE),
    (r"“([^“”\n]{1,16})”|\d(?<![0-9.+]\d)\d{0,2}(?:\+(?:\d{1,2}|[A-Za-z]|N))+", 0),
]
TEXTS = ["坚持“四个全面”，落实三去一降一补。", "责任编辑：张三\n第二行 Copyright (c) 2024", "实现1+1+9目标，这三个代表两个率先。"]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MINER_CACHE_DIR", str(tmp_path))
    re.purge()
    regex_cache._loaded.clear()
    yield tmp_path
    re.purge()
    regex_cache._loaded.clear()


def test_patterns_come_back_from_the_cache_and_match_the_same(fresh_cache):
    for pattern, flags in PATTERNS:
        re.compile(pattern, flags)
    regex_cache.save()
    assert regex_cache.cache_path().parent == fresh_cache / "miner"
    re.purge()
    regex_cache.load()
    assert {(p, f) for p, f in PATTERNS} <= {(k[1], k[2]) for k in regex_cache._loaded}
    for pattern, flags in PATTERNS:
        cached = re.compile(pattern, flags)
        assert cached is re._cache[str, pattern, flags]  # taken from the cache, not compiled again
        fresh = _compiler.compile(pattern, flags)
        assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == (
            fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)
        for text in TEXTS:
            assert [m.span() for m in cached.finditer(text)] == [m.span() for m in fresh.finditer(text)]
            assert [m.groups() for m in cached.finditer(text)] == [m.groups() for m in fresh.finditer(text)]


def test_a_broken_cache_is_left_alone(fresh_cache):
    re.compile(PATTERNS[0][0])
    regex_cache.save()
    path = regex_cache.cache_path()
    path.write_bytes(path.read_bytes()[:100])
    re.purge()
    regex_cache.load()
    assert regex_cache._loaded == {}
    assert re.compile(PATTERNS[0][0]).findall(TEXTS[0]) == ["一降一补"]


def test_save_writes_only_when_a_pattern_is_new(fresh_cache):
    re.compile(PATTERNS[0][0])
    regex_cache.save()
    path = regex_cache.cache_path()
    re.purge()
    regex_cache.load()
    re.compile(PATTERNS[0][0])
    path.unlink()
    regex_cache.save()  # nothing new since the load: nothing written
    assert not path.exists()
    re.compile(PATTERNS[1][0])
    regex_cache.save()
    re.purge()
    regex_cache._loaded.clear()
    regex_cache.load()
    assert {k[1] for k in regex_cache._loaded} == {PATTERNS[0][0], PATTERNS[1][0]}
