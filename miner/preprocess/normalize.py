"""Normalise text for matching while remembering where every character came from.

Matching runs on a normalised copy of each document: traditional characters
turned simplified (OpenCC ``t2s``), full-width digits and letters made
half-width, every quote style made “ and ”, masked names (``*``, ``xx``,
``某某``) made one ``*``, invisible characters (soft hyphens, direction
marks, variation selectors, zero-width spaces: :data:`INVISIBLE`) left out,
and line breaks inside short quotes removed.  Two
offset arrays map each normalised character back to the span of the original
text it came from, so mentions are reported with their original surface form
and position.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from .. import package_files


__all__ = ["NormalText", "Normalizer", "canonical_phrase", "may_simplify", "opencc_dictionaries", "OPEN_QUOTE",
           "CLOSE_QUOTE", "T2S_CHARS", "INVISIBLE"]

OPEN_QUOTE = "\u201c"  # “
CLOSE_QUOTE = "\u201d"  # ”

_OPENING = "“〝「『‘﹁﹃"
_CLOSING = "”〞〟」』’﹂﹄"
_STRAIGHT = '"＂'

_WIDTH_AND_QUOTES = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},  # ０-９
    **{0xFF21 + i: 0x41 + i for i in range(26)},  # Ａ-Ｚ
    **{0xFF41 + i: 0x61 + i for i in range(26)},  # ａ-ｚ
    ord("＋"): "+",
    ord("＊"): "*",
    ord("％"): "%",
    ord("－"): "-",
    ord("．"): ".",
    ord("／"): "/",
    ord("\u3000"): " ",
    ord("\u00a0"): " ",
    ord("\r"): "\n",
    ord("○"): "〇",
    **{ord(c): OPEN_QUOTE for c in _OPENING},
    **{ord(c): CLOSE_QUOTE for c in _CLOSING},
}

# Characters the translation changes; matching them first is much faster than
# translating every character of a long text.
# One character, not a run of them: re skips ahead on a bare class several
# times faster than on a repeated one.
TRANSLATED = re.compile("[" + re.escape("".join(chr(c) for c, v in _WIDTH_AND_QUOTES.items() if chr(c) != v and v != c)) + "]")
# Patterns start with a character class (not an alternation or a lookbehind),
# so that the regex engine skips ahead on it; the rest is checked behind it.
# Characters that show nothing and are left out: zero-width spaces and
# joiners, the soft hyphen, direction marks and embeddings, variation
# selectors, the combining grapheme joiner, fillers and tag characters.  Pasted
# or scraped text carries them inside words (两个\u00ad确立), where they would
# split one phrase into several.
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
             "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff")
MASK_HINT = re.compile(rf"[*{INVISIBLE}xX×某](?:(?<=[xX×])[xX×]|(?<=某)某|(?<=[*{INVISIBLE}]))")

_CJK = r"\u3400-\u9fff"
# A run of spaces between two CJK characters or CJK punctuation is a layout
# break left by scraping (paragraphs flattened onto one line), not a word gap.
SPACE_BETWEEN_CJK = re.compile(rf"[ \t](?<=[{_CJK}。，、；：！？）”][ \t])[ \t]*(?=[{_CJK}（“])")
# The same in a text without tabs: a pattern that begins with one character
# (not a class) is skipped to by re ten times faster.
SPACES_BETWEEN_CJK = re.compile(rf" (?<=[{_CJK}。，、；：！？）”] ) *(?=[{_CJK}（“])")
STRAIGHT_QUOTE = re.compile(f"[{_STRAIGHT}]")
MASK = re.compile(rf"[{INVISIBLE}]+|\*+|(?<![A-Za-z])(?:[xX]{{2,}}|×{{2,}})(?![A-Za-z])|某某+")
ZERO_WIDTH = re.compile(f"[{INVISIBLE}]")
SHORT_QUOTE = re.compile(r"“[^“”]{1,80}”")
LINE_BREAK_RUN = re.compile(r"[ \t]*\n[ \t\n]*")
# The characters OpenCC's t2s may change (made by scripts/make_traditional.py),
# with the sizes of the dictionaries they were taken from.
T2S_CHARS = "data/t2s_chars.txt"
T2S_FILES = ("t2s.json", "TSPhrases.ocd2", "TSCharacters.ocd2", "TSCharactersExt.ocd2",
             "CJK_Compatibility_Ideographs.ocd2")


def opencc_dictionaries() -> str | None:
    """The sizes of the installed OpenCC's t2s configuration and dictionaries,
    found without importing it (``None`` if they are not where OpenCC's
    Python package keeps them)."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "clib" / "share" / "opencc"
    try:
        return " ".join(f"{name}={(folder / name).stat().st_size}" for name in T2S_FILES)
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def _t2s_hints() -> tuple[re.Pattern, frozenset, list[str], str] | None:
    """A pattern finding a BMP character t2s changes, one that it changes
    only in some phrases (瞭 in 瞭解) or one beyond the BMP; the characters of
    the first kind; those phrases; and the characters of the second kind.
    ``None`` when the list does not describe the installed OpenCC, so that
    every text is converted."""
    try:
        _, sizes, chars, phrases, changed = (
            package_files().joinpath(T2S_CHARS).read_text(encoding="utf-8").split("\n")[:5])
    except (OSError, ValueError):
        return None
    if not chars or sizes[2:] != opencc_dictionaries():
        return None
    bmp = "".join(c for c in chars if c <= "\uffff")
    # One class with the characters beyond the BMP would be slow (re makes a
    # bitmap only of BMP classes); a branch of its own for them is not.
    either = re.compile(f"[{re.escape(bmp + changed)}]|[\U00010000-\U0010ffff]")
    return either, frozenset(bmp), phrases.split(), changed


def may_simplify(text: str) -> bool:
    """Whether OpenCC's t2s might change ``text``: it holds a traditional
    character, a phrase t2s changes (瞭解), or a character beyond the BMP.

    >>> may_simplify("兩個率先"), may_simplify("两个率先"), may_simplify("瞭解"), may_simplify("了解"), may_simplify("𠮷")
    (True, False, True, False, True)
    """
    hints = _t2s_hints()
    if hints is None:
        return True
    either, traditional, phrases, changed_chars = hints
    # One pass: most texts in simplified characters hold none of these; the
    # others hold a few hundred characters t2s changes only in some phrases
    # (坏, 覆, 么 in a long corpus), where the phrases are looked for.
    at = None
    for m in either.finditer(text):
        char = m.group()
        if char in traditional or char > "\uffff":
            return True  # beyond the BMP: rare, and not looked into
        if at is None:
            at = _phrases_at(tuple(phrases), changed_chars)
        pos = m.start()
        if any(pos >= i and text.startswith(phrase, pos - i) for i, phrase in at[char]):
            return True
    return False


@functools.lru_cache(maxsize=2)
def _phrases_at(phrases: tuple[str, ...], changed: str) -> dict[str, tuple[tuple[int, str], ...]]:
    """For each character of ``changed``, the phrases whose first character
    of ``changed`` it is, with where it stands in them.

    >>> _phrases_at(("不瞭解", "明瞭", "沈默"), "沈瞭")
    {'沈': ((0, '沈默'),), '瞭': ((1, '不瞭解'), (1, '明瞭'))}
    """
    at: dict[str, list[tuple[int, str]]] = {c: [] for c in changed}
    for phrase in phrases:
        i = next((i for i, c in enumerate(phrase) if c in changed), -1)
        if i < 0:
            return {c: ((0, ""),) for c in changed}  # a list not made by the script: convert every such text
        at[phrase[i]].append((i, phrase))
    return {c: tuple(found) for c, found in at.items()}


@dataclass(frozen=True)
class NormalText:
    """A normalised text and where each of its characters came from.

    ``segments`` are ``(n0, n1, o0, o1)``: normalised ``[n0, n1)`` comes from
    original ``[o0, o1)``.  Where both have the same length the characters
    correspond one to one; otherwise (``xx`` made ``*``, an inserted line
    break) every character of the segment stands for the whole original span.
    A few segments per line describe a document, so nothing is kept per
    character.
    """

    text: str
    segments: tuple[tuple[int, int, int, int], ...]

    @functools.cached_property
    def _firsts(self) -> list[int]:
        return [seg[0] for seg in self.segments]

    def char_span(self, i: int) -> tuple[int, int]:
        """The original span of normalised character ``i``."""
        n0, n1, o0, o1 = self.segments[bisect.bisect_right(self._firsts, i) - 1]
        if n1 - n0 == o1 - o0:
            return o0 + i - n0, o0 + i - n0 + 1
        return o0, o1

    @property
    def starts(self) -> list[int]:
        """The original start of every character (for inspection and tests)."""
        return [self.char_span(i)[0] for i in range(len(self.text))]

    @property
    def ends(self) -> list[int]:
        """The original end of every character (for inspection and tests)."""
        return [self.char_span(i)[1] for i in range(len(self.text))]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to the original text."""
        first = self.char_span(start)[0]
        if end <= start:
            return first, first
        return first, self.char_span(end - 1)[1]

    def original_pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """The pieces of the original text the normalised span ``[start, end)``
        comes from, in order: more than one where something (page chrome cut
        out by :func:`miner.preprocess.clean.clean_text`) lies between its characters.

        >>> nt = NormalText("新区开发", ((0, 2, 0, 2), (2, 3, 6, 7), (3, 4, 12, 13)))
        >>> nt.original_pieces(0, 4)
        [(0, 2), (6, 7), (12, 13)]
        """
        pieces: list[tuple[int, int]] = []
        k = max(0, bisect.bisect_right(self._firsts, start) - 1)
        if k < len(self.segments):
            n0, n1, o0, o1 = self.segments[k]
            if n0 <= start < end <= n1 and n1 - n0 == o1 - o0:
                return [(o0 + start - n0, o0 + end - n0)]  # most spans: inside one segment
        while k < len(self.segments) and self.segments[k][0] < end:
            n0, n1, o0, o1 = self.segments[k]
            lo, hi = max(n0, start), min(n1, end)
            if hi > lo:
                a, b = (o0 + lo - n0, o0 + hi - n0) if n1 - n0 == o1 - o0 else (o0, o1)
                if pieces and pieces[-1][1] >= a:
                    pieces[-1] = (pieces[-1][0], max(pieces[-1][1], b))
                elif b > a:
                    pieces.append((a, b))
            k += 1
        return pieces

    def select(self, ranges: list[tuple[int, int]], breaks: list[bool] | None = None) -> "NormalText":
        """Keep only the ``[a, b)`` ranges, with a line break before piece ``i``
        where ``breaks[i]`` is true (default: between every two pieces)."""
        parts: list[str] = []
        segments: list[tuple[int, int, int, int]] = []
        size = 0
        text, own, firsts = self.text, self.segments, self._firsts
        count = len(own)
        k = 0
        for i, (a, b) in enumerate(ranges):
            # The segment holding ``a``: most often the one the last range ended
            # in, or the next (ranges come in order), else found by bisection.
            if not (0 <= k < count and firsts[k] <= a and (k + 1 == count or firsts[k + 1] > a)):
                if k + 1 < count and firsts[k + 1] <= a and (k + 2 == count or firsts[k + 2] > a):
                    k += 1
                else:
                    k = bisect.bisect_right(firsts, a) - 1
            if parts and (breaks is None or breaks[i]):
                n0, n1, o0, o1 = own[k]
                at = o0 + a - n0 if n1 - n0 == o1 - o0 else o0
                parts.append("\n")
                segments.append((size, size + 1, at, at))
                size += 1
            parts.append(text[a:b])
            while k < count and own[k][0] < b:
                n0, n1, o0, o1 = own[k]
                lo, hi = max(n0, a), min(n1, b)
                if hi > lo:
                    new = size + lo - a
                    if n1 - n0 == o1 - o0:
                        segments.append((new, new + hi - lo, o0 + lo - n0, o0 + hi - n0))
                    else:
                        segments.append((new, new + hi - lo, o0, o1))
                k += 1
            k -= 1  # the segment the range ended in
            size += b - a
        return NormalText("".join(parts), tuple(segments))


class Normalizer:
    """Turns raw document text into a :class:`NormalText`.

    The OpenCC converter is built lazily and rebuilt after pickling, so one
    normaliser can be shipped to worker processes.

    >>> n = Normalizer()
    >>> nt = n.normalize("兩個率先〞和＂十四五＂")
    >>> nt.text
    '两个率先”和“十四五”'
    >>> nt.original_span(6, 9)
    (6, 9)
    """

    def __init__(self) -> None:
        self._converter = None

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._converter = None

    def to_simplified(self, text: str) -> str:
        """Convert traditional to simplified characters, keeping the length."""
        if not may_simplify(text):
            return text  # nothing to convert: OpenCC is not even started
        if self._converter is None:
            import opencc

            self._converter = opencc.OpenCC("t2s")
        out = self._converter.convert(text)
        if len(out) == len(text):
            return out
        # A phrase-level conversion changed the length: fall back to lines,
        # then characters, so that offsets stay one-to-one.
        lines = []
        for line in text.split("\n"):
            conv = self._converter.convert(line)
            if len(conv) != len(line):
                conv = "".join(c2 if len(c2 := self._converter.convert(c)) == 1 else c for c in line)
            lines.append(conv)
        return "\n".join(lines)

    def normalize(self, text: str) -> NormalText:
        """Normalise ``text``; see the module docstring for what changes."""
        s = _translate(self.to_simplified(text))
        s = _pair_straight_quotes(s)
        s = (SPACE_BETWEEN_CJK if "\t" in s else SPACES_BETWEEN_CJK).sub(lambda m: "\n" * len(m.group()), s)
        edits = []
        if MASK_HINT.search(s):
            edits = [
                (m.start(), m.end(), "" if ZERO_WIDTH.match(m.group()) else "*")
                for m in MASK.finditer(s)
                if m.group() != "*"
            ]
        for m in SHORT_QUOTE.finditer(s):
            if "\n" in m.group():
                base = m.start()
                edits.extend(
                    (base + b.start(), base + b.end(), "") for b in LINE_BREAK_RUN.finditer(m.group())
                )
        return _apply_edits(s, sorted(edits))


_TRANSLATION = {chr(c): v if isinstance(v, str) else chr(v) for c, v in _WIDTH_AND_QUOTES.items()}


def _translate(s: str) -> str:
    """``s.translate(_WIDTH_AND_QUOTES)``, one ``str.replace`` for each of the
    characters to change that ``s`` holds (no character is changed into
    another one that changes): much faster on a long text than translating
    every character, or each run of them.

    >>> _translate("１９９１年\\u3000“十四五”\\r\\n")
    '1991年 “十四五”\\n\\n'
    """
    # Each character found is replaced all through the text at once, and the
    # search goes on after it: the text is searched once, replaced once a character.
    m = TRANSLATED.search(s)
    while m:
        char = m.group()
        s = s.replace(char, _TRANSLATION[char])  # one character for one: later offsets stay
        m = TRANSLATED.search(s, m.end())
    return s


def _pair_straight_quotes(s: str) -> str:
    r"""Turn straight quotes into “ and ”.

    On one line they alternate, opening first.  A quote left open at the end
    of a line is closed by the first quote of a later line (a line break
    inside the quote) when that is at most 80 characters on and makes fewer
    quotes stray; otherwise it is a stray quote, and the next line starts
    afresh, so one stray quote does not flip the quotes of the lines after it.

    >>> _pair_straight_quotes('"六稳\n六保"和"两个\n率先"')
    '“六稳\n六保”和“两个\n率先”'
    >>> _pair_straight_quotes('他说"好\n"两个率先"和"四个全面"')
    '他说“好\n“两个率先”和“四个全面”'
    """
    if '"' not in s and "＂" not in s:
        return s
    at = [m.start() for m in STRAIGHT_QUOTE.finditer(s)]
    n = len(at)
    # A quote that could close the quote opened by the one before it, across a line break.
    may_join = [k > 0 and "\n" in s[at[k - 1] : at[k]] and at[k] - at[k - 1] <= 81 for k in range(n)]
    forced = [k > 0 and "\n" not in s[at[k - 1] : at[k]] for k in range(n)]
    # strays[k][o]: fewest stray quotes among quotes k… when quote k-1 opened (o=1) or not (o=0).
    strays = [[0, 0] for _ in range(n + 1)]
    strays[n] = [0, 1]
    join = [False] * n
    for k in range(n - 1, -1, -1):
        strays[k][0] = strays[k + 1][1]
        if forced[k] or k == 0:
            strays[k][1] = strays[k + 1][0]
        else:
            stray = 1 + strays[k + 1][1]
            join[k] = may_join[k] and strays[k + 1][0] < stray
            strays[k][1] = strays[k + 1][0] if join[k] else stray
    # Pieces between the quotes, not a list of every character: that would
    # take some 80 bytes a character (a long one-line document).
    parts = []
    opened = False
    prev = 0
    for k, i in enumerate(at):
        closes = opened and (forced[k] or join[k])
        parts += (s[prev:i], CLOSE_QUOTE if closes else OPEN_QUOTE)
        prev = i + 1
        opened = not closes
    parts.append(s[prev:])
    return "".join(parts)


def _apply_edits(s: str, edits: list[tuple[int, int, str]]) -> NormalText:
    parts: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    pos = size = 0
    for a, b, repl in edits + [(len(s), len(s), "")]:
        if a < pos:  # overlapping edit: the earlier one wins
            continue
        if a > pos:
            parts.append(s[pos:a])
            segments.append((size, size + a - pos, pos, a))
            size += a - pos
        if repl:
            parts.append(repl)
            segments.append((size, size + len(repl), a, b))
            size += len(repl)
        pos = max(pos, b)
    return NormalText("".join(parts), tuple(segments))


_CANON_STRIP = re.compile(r"[\s“”]+")


def canonical_phrase(surface: str, normalizer: Normalizer | None = None) -> str:
    """The one form a phrase is counted under: simplified, half-width, unquoted.

    >>> canonical_phrase("「兩個率先」")
    '两个率先'
    >>> canonical_phrase("平安xx")
    '平安*'
    """
    normalizer = normalizer or Normalizer()
    return _CANON_STRIP.sub("", normalizer.normalize(surface).text)
