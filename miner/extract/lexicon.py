"""Word lists the extractor consults: jieba's dictionary and the known slogans.

jieba's dictionary gives word boundaries (where the head of "四个现代化建设"
ends) and tells ordinary words from slogans (一些, 一定 and 四川 are words;
千方百计 is an idiom).  Reading it is done once per process, without
building jieba's prefix dictionary or segmenting any text, and a compact copy
is cached so later runs start fast.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping, Set
import importlib.util
import marshal
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import package_files
from ..errors import MinerError

__all__ = ["Lexicon", "WordSet", "TagMap", "load_lexicon", "cache_dir", "write_atomically", "load_known_slogans", "jieba_dictionary", "iter_jieba_dictionary", "NUMERALS", "trie_pattern"]

NUMERALS = "〇零一二三四五六七八九十两双百千万亿"
CACHE_VERSION = "6"
# Words rarer than this in jieba's dictionary (two thirds of its entries, mostly
# names and technical terms) never bound a slogan's head; leaving them out
# halves the time a run spends loading the dictionary.
MIN_FREQ = 5


def _buckets(words) -> dict[str, str]:
    """Words grouped by their first character, each group one string of lines."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word)
    return {first: "\n".join(group) for first, group in groups.items()}


class WordSet(Set):
    """A set of words read a first character at a time: the words that start
    with a character become a set the first time one of them is asked for, so
    that a run pays only for the characters its texts hold words at, not for
    the whole dictionary (which takes longer to build than a report takes to mine).

    >>> words = WordSet.of(["四川", "四化", "统一"])
    >>> "四川" in words, "四个" in words, len(words), sorted(words) == ["四化", "四川", "统一"]
    (True, False, 3, True)
    """

    __slots__ = ("_raw", "_sets", "_size")

    def __init__(self, raw: dict[str, str], size: int) -> None:
        self._raw = raw  # first character → its words, one a line
        self._sets: dict[str, frozenset[str]] = {}
        self._size = size

    @classmethod
    def of(cls, words) -> "WordSet":
        words = frozenset(words)
        return cls(_buckets(words), len(words))

    def starting(self, first: str) -> frozenset[str]:
        """The words that start with the character ``first``."""
        group = self._sets.get(first)
        return self._group(first) if group is None else group

    def _group(self, first: str) -> frozenset[str]:
        group = self._sets[first] = frozenset(self._raw[first].split("\n")) if first in self._raw else frozenset()
        return group

    def __contains__(self, word) -> bool:
        first = word[:1]
        group = self._sets.get(first)
        if group is None:
            group = self._group(first)
        return word in group

    def read_whole(self) -> None:
        """Build every group now, and let go of the lines they are read from."""
        for first in list(self._raw):
            self.starting(first)
        self._raw = {}

    def __iter__(self):
        for first in list(self._raw):
            self.starting(first)
        for group in list(self._sets.values()):
            yield from group

    def __len__(self) -> int:
        return self._size

    def __reduce__(self):
        raw = {first: "\n".join(group) for first, group in self._sets.items() if group}
        return (WordSet, ({**raw, **self._raw}, self._size))

    __hash__ = Set._hash


class TagMap(Mapping):
    """Words' tags, read a first character at a time as :class:`WordSet` is.

    >>> tags = TagMap.of({"率先": "d", "四川": "ns"})
    >>> tags.get("率先"), tags.get("工厂", ""), dict(tags) == {"率先": "d", "四川": "ns"}
    ('d', '', True)
    """

    __slots__ = ("_raw", "_maps", "_size")

    def __init__(self, raw: dict[str, tuple[str, str]], size: int) -> None:
        self._raw = raw  # first character → its words and their tags, one a line
        self._maps: dict[str, dict[str, str]] = {}
        self._size = size

    @classmethod
    def of(cls, tags: dict[str, str]) -> "TagMap":
        words = _buckets(tags)
        return cls({first: (group, "\n".join(tags[w] for w in group.split("\n"))) for first, group in words.items()},
                   len(tags))

    def _group(self, first: str) -> dict[str, str]:
        words, tags = self._raw.get(first, ("", ""))
        group = self._maps[first] = dict(zip(words.split("\n"), tags.split("\n"))) if words else {}
        return group

    def get(self, word, default=None):
        first = word[:1]
        group = self._maps.get(first)
        if group is None:
            group = self._group(first)
        return group.get(word, default)

    def __getitem__(self, word) -> str:
        tag = self.get(word, _MISSING)
        if tag is _MISSING:
            raise KeyError(word)
        return tag

    def __contains__(self, word) -> bool:
        return self.get(word, _MISSING) is not _MISSING

    def read_whole(self) -> None:
        """Build every group now, and let go of the lines they are read from."""
        for first in list(self._raw):
            if self._maps.get(first) is None:
                self._group(first)
        self._raw = {}

    def __iter__(self):
        for first in list(self._raw):
            if self._maps.get(first) is None:
                self._group(first)
        for group in list(self._maps.values()):
            yield from group

    def __len__(self) -> int:
        return self._size

    def __reduce__(self):
        raw = {first: ("\n".join(group), "\n".join(group.values())) for first, group in self._maps.items() if group}
        return (TagMap, ({**raw, **self._raw}, self._size))


_MISSING = object()


@dataclass(frozen=True)
class Lexicon:
    """Dictionary words (2–4 characters), part-of-speech tags of the words
    that contain a numeral and of the words not tagged a plain noun (``n``,
    the tag most words have), and the known slogans."""

    words: frozenset[str] | WordSet
    tags: dict[str, str] | TagMap
    known: frozenset[str]

    def longest_word(self, text: str, pos: int, longest: int = 4) -> str:
        """The longest dictionary word starting at ``pos`` (2–``longest`` chars), or ``""``."""
        words = self.starting(text[pos : pos + 1])
        for size in range(longest, 1, -1):
            word = text[pos : pos + size]
            if len(word) == size and word in words:
                return word
        return ""

    def read_whole(self) -> None:
        """Read every group of the word lists now: before worker processes
        are forked, so that they share the groups instead of each building
        its own copy of most of them."""
        for table in (self.words, self.tags):
            if isinstance(table, (WordSet, TagMap)):
                table.read_whole()

    def starting(self, first: str):
        """A set holding every dictionary word that starts with ``first`` (and
        perhaps others): the words of a :class:`WordSet` read for ``first``,
        a plain set whole."""
        return self.words.starting(first) if isinstance(self.words, WordSet) else self.words

    def tag(self, word: str) -> str:
        """jieba's part-of-speech tag of ``word``: ``n`` for a plain noun, ``""`` for no word.

        >>> lex = Lexicon(frozenset(["工厂", "率先"]), {"率先": "d"}, frozenset())
        >>> lex.tag("工厂"), lex.tag("率先"), lex.tag("工率")
        ('n', 'd', '')
        """
        return self.tags.get(word) or ("n" if word in self.words else "")


def load_known_slogans() -> frozenset[str]:
    """The bundled list of known numbered slogans (``miner/data/slogans.txt``)."""
    text = package_files().joinpath("data/slogans.txt").read_text(encoding="utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def cache_dir() -> Path:
    """The user's cache folder for miner: ``$MINER_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/miner``, else ``~/.cache/miner``."""
    base = os.environ.get("MINER_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "miner"


def iter_jieba_dictionary(path: str | Path | None = None) -> Iterator[tuple[str, int, str]]:
    """``(word, frequency, tag)`` for every entry of jieba's dictionary (or of ``path``)."""
    with open(path or jieba_dictionary(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                yield parts[0], int(parts[1]), parts[2] if len(parts) > 2 else ""


def _parse_jieba(path: Path) -> tuple[list[str], dict[str, str]]:
    words, tags = [], {}
    for word, freq, tag in iter_jieba_dictionary(path):
        numeral = any(c in NUMERALS for c in word)
        common = 2 <= len(word) <= 4 and freq >= MIN_FREQ
        if common or (2 <= len(word) <= 4 and numeral):
            words.append(word)
        if len(word) >= 2 and (tag in ("i", "l") or numeral or (common and tag != "n")):
            tags[word] = tag
    return words, tags


def jieba_dictionary() -> Path:
    """The path of jieba's main dictionary, found without importing jieba
    (whose import alone takes longer than mining a report)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise MinerError("jieba is not installed: pip install jieba")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def load_lexicon(known: frozenset[str] | None = None) -> Lexicon:
    """Read jieba's dictionary and the known slogans.

    The words and tags taken from the dictionary are cached in the user's
    cache folder (``$MINER_CACHE_DIR``, else ``$XDG_CACHE_HOME/miner``, else
    ``~/.cache/miner``) in :mod:`marshal` form, grouped by first character
    (see :class:`WordSet`): it loads in a few milliseconds, a hundredth of
    the time of parsing the dictionary, under a name keyed by the dictionary's fingerprint
    (path, size and modification time) and this Python's version.  A cache
    is written whole to a file of its own and renamed into place, so runs
    that start together never read a half-written one.
    """
    path = jieba_dictionary()
    stat = path.stat()
    fingerprint = f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{MIN_FREQ}|{marshal.version}|{sys.version_info[:2]}"
    key = hashlib.blake2b(fingerprint.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    cache = cache_dir() / f"jieba-{CACHE_VERSION}-{key}.marshal"
    try:
        word_groups, word_count, tag_groups, tag_count = marshal.loads(cache.read_bytes())
        if not (isinstance(word_groups, dict) and isinstance(tag_groups, dict)
                and isinstance(word_count, int) and isinstance(tag_count, int)):
            raise ValueError("not a lexicon cache")
        words, tags = WordSet(word_groups, word_count), TagMap(tag_groups, tag_count)
    except (OSError, ValueError, EOFError, TypeError):
        parsed, parsed_tags = _parse_jieba(path)
        words, tags = WordSet.of(parsed), TagMap.of(parsed_tags)
        write_atomically(cache, marshal.dumps((words._raw, len(words), tags._raw, len(tags))))
    return Lexicon(words, tags, known if known is not None else load_known_slogans())


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a file of this process's own, then rename it to ``path``."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):  # a read-only home only costs the cache
            tmp.unlink()


def trie_pattern(words) -> str:
    """A regular expression matching any of ``words``, longest first, built as
    a trie so that the regex engine tests one branch per character.

    >>> import re
    >>> re.findall(trie_pattern(["三农", "三个代表", "三个"]), "三个代表和三农")
    ['三个代表', '三农']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)
