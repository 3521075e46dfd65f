"""The lexicon's start-up cache: what it loads equals what parsing gives,
and a missing, damaged or foreign cache file is rebuilt, never trusted."""

from __future__ import annotations

import marshal
import multiprocessing

from miner.extract import lexicon
from miner.extract.lexicon import _parse_jieba, jieba_dictionary, load_lexicon


def _cache_files(folder):
    return sorted(p.name for p in (folder / "miner").iterdir())


def test_the_cache_loads_what_parsing_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("MINER_CACHE_DIR", str(tmp_path))
    words, tags = _parse_jieba(jieba_dictionary())
    first = load_lexicon()  # parses and writes the cache
    [name] = _cache_files(tmp_path)
    assert name.startswith(f"jieba-{lexicon.CACHE_VERSION}-") and name.endswith(".marshal")
    word_groups, word_count, tag_groups, tag_count = marshal.loads((tmp_path / "miner" / name).read_bytes())
    assert (word_count, tag_count) == (len(frozenset(words)), len(tags))
    assert {w for group in word_groups.values() for w in group.split("\n")} == frozenset(words)
    assert all(w[0] == first for first, group in word_groups.items() for w in group.split("\n"))
    assert {w: t for ws, ts in tag_groups.values() for w, t in zip(ws.split("\n"), ts.split("\n"))} == tags
    second = load_lexicon()  # reads the cache
    assert (second.words, second.tags) == (first.words, first.tags) == (frozenset(words), tags)
    assert "四个现代化" not in second.words and "千方百计" in second.words
    assert second.tag("千方百计") == "i"
    assert second.tags.get("四化", "") == tags.get("四化", "") and second.tags.get("千方百计") == "i"
    assert "" not in second.words and second.tags.get("", "") == ""


def test_a_lexicon_is_pickled_with_its_words(tmp_path, monkeypatch):
    import pickle

    monkeypatch.setenv("MINER_CACHE_DIR", str(tmp_path))
    lex = load_lexicon()
    assert "千方百计" in lex.words  # one group read before pickling, the others not
    again = pickle.loads(pickle.dumps(lex))
    assert again.words == lex.words and dict(again.tags) == dict(lex.tags) and again.known == lex.known
    words, tags = frozenset(lex.words), dict(lex.tags)
    lex.read_whole()  # as before worker processes are forked: every group built, the lines let go
    assert frozenset(lex.words) == words and dict(lex.tags) == tags and len(lex.words) == len(words)
    assert "千方百计" in lex.words and lex.tag("千方百计") == "i" and "四个现代化" not in lex.words
    again = pickle.loads(pickle.dumps(lex))
    assert frozenset(again.words) == words and dict(again.tags) == tags


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("MINER_CACHE_DIR", str(tmp_path))
    load_lexicon()
    [name] = _cache_files(tmp_path)
    cache = tmp_path / "miner" / name
    good = cache.read_bytes()
    for damaged in (good[: len(good) // 2], b"", marshal.dumps(["not", "a", "lexicon"])):
        cache.write_bytes(damaged)
        assert load_lexicon().words == frozenset(_parse_jieba(jieba_dictionary())[0])
        assert cache.read_bytes() == good
    assert _cache_files(tmp_path) == [name]  # no temporary file left behind


def test_an_unwritable_cache_folder_only_costs_the_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MINER_CACHE_DIR", str(blocker / "miner"))
    assert "千方百计" in load_lexicon().words


def _load_words(folder: str) -> int:
    import os

    os.environ["MINER_CACHE_DIR"] = folder
    return len(load_lexicon().words)


def test_runs_that_start_together_each_get_the_whole_lexicon(tmp_path):
    words = len(frozenset(_parse_jieba(jieba_dictionary())[0]))
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        sizes = pool.map(_load_words, [str(tmp_path)] * 4)
    assert sizes == [words] * 4
    assert len(_cache_files(tmp_path)) == 1
