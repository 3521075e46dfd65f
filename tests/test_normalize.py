"""Normalisation: what changes for matching, and that every mention still
points at its original surface form."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miner.preprocess.normalize import _WIDTH_AND_QUOTES, Normalizer, _translate, canonical_phrase
from miner.io.read import iter_documents
from miner.types import Document


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def normal(normalizer: Normalizer, text: str) -> str:
    return normalizer.normalize(text).text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("同志們：要實現兩個率先，推進三去一降一補。", "同志们：要实现两个率先，推进三去一降一补。"),
        ("２０２３年ＧＤＰ增长５％，ａｂｃ", "2023年GDP增长5%，abc"),
        ("“十四五”", "“十四五”"),
        ("〝十四五〞", "“十四五”"),
        ("〝十四五〟", "“十四五”"),
        ("「十四五」", "“十四五”"),
        ("『十四五』", "“十四五”"),
        ("﹁十四五﹂", "“十四五”"),
        ("‘十四五’", "“十四五”"),
        ("＂十四五＂", "“十四五”"),
        ('"十四五"', "“十四五”"),
        ("平安xx、平安XX、平安××", "平安*、平安*、平安*"),
        ("平安某某、平安某某某", "平安*、平安*"),
        ("平安*、平安**、平安＊＊＊", "平安*、平安*、平安*"),
        ("Taxx不是遮蔽", "Taxx不是遮蔽"),
        ("两个\u200b率先\ufeff、四个\u200d全面", "两个率先、四个全面"),
        ("“两个\n率先”", "“两个率先”"),
        ("“两个\r\n率先”", "“两个率先”"),
        ("“两个 \n\n 率先”", "“两个率先”"),
        ("「兩個\n率先」", "“两个率先”"),
        ('"六稳\n六保"和"四个全面"', "“六稳六保”和“四个全面”"),
        ("两个\n率先", "两个\n率先"),  # outside quotes a line break stays
        ("加快发展 推进改革\u3000深化开放", "加快发展\n推进改革\n深化开放"),
        ("第一行\r\n第二行", "第一行\n\n第二行"),
    ],
)
def test_normalize(normalizer, text, expected):
    assert normal(normalizer, text) == expected


def test_long_quote_keeps_its_line_breaks(normalizer):
    text = "“" + "长" * 81 + "\n”"
    assert normal(normalizer, text) == text


def test_stray_straight_quote_does_not_flip_the_next_line(normalizer):
    assert normal(normalizer, '他说"好\n"两个率先"和"四个全面"') == "他说“好\n“两个率先”和“四个全面”"


@pytest.mark.parametrize(
    "text, span, original",
    [
        ("实现「兩個\n率先」", (3, 7), (3, 8)),
        ("两个\u200b率先", (0, 4), (0, 5)),
        ("建设“平安某某”", (3, 6), (3, 7)),
        ("建设“平安某某”", (5, 6), (5, 7)),
        ("\ufeff两个率先", (0, 4), (1, 5)),
        ("“两个\r\n率先”", (1, 5), (1, 7)),
    ],
)
def test_original_span(normalizer, text, span, original):
    assert normalizer.normalize(text).original_span(*span) == original


def test_select_keeps_offsets_and_breaks(normalizer):
    nt = normalizer.normalize("「兩個率先」xx第1页“十四五”")
    assert nt.text == "“两个率先”*第1页“十四五”"
    part = nt.select([(0, 7), (10, 15)], [True, False])
    assert part.text == "“两个率先”*“十四五”"
    assert part.original_span(8, 11) == (12, 15)
    assert part.original_span(6, 7) == (6, 8)


def test_normalizer_pickles(normalizer):
    normalizer.normalize("兩個率先")
    clone = pickle.loads(pickle.dumps(normalizer))
    assert clone.normalize("兩個率先").text == "两个率先"


@pytest.mark.parametrize(
    "surface, phrase",
    [
        ("「兩個率先」", "两个率先"),
        ("兩個\n率先", "两个率先"),
        ("平安xx", "平安*"),
        ("六个某某", "六个*"),
        ("１＋８", "1+8"),
        ("十\u200b四五", "十四五"),
        ("“六稳\n六保”", "六稳六保"),
    ],
)
def test_canonical_phrase(surface, phrase):
    assert canonical_phrase(surface) == phrase


# -- every mention points at its original surface form ----------------------------

QUOTES = [("“", "”"), ("〝", "〞"), ("「", "」"), ("『", "』"), ("＂", "＂"), ('"', '"'), ("‘", "’")]
# (written form, canonical phrase): traditional and full-width forms included.
SLOGANS = [
    ("两个率先", "两个率先"),
    ("兩個率先", "两个率先"),
    ("三去一降一补", "三去一降一补"),
    ("三去一降一補", "三去一降一补"),
    ("四个全面", "四个全面"),
    ("十四五", "十四五"),
    ("工业服务年", "工业服务年"),
    ("工業服務年", "工业服务年"),
    ("项目推进年", "项目推进年"),
    ("六稳六保", "六稳六保"),
]
FILLER = ["同志们", "我们要", "坚持", "推进", "区委", "區委", "這次會議", "某某", "xx", "*", "**", "\u200b", "２０２３年", "，", "、", " ", "\u3000"]
INSIDE = ["", "\n", "\r\n", "\u200b", " ", "\u3000"]
ENDS = ["。", "。\n", "。\n\n", "！", "；"]


@st.composite
def sentences(draw):
    """A text of sentences, each with one quoted slogan with odd pieces around
    and inside it; returns the text and the canonical phrases in order."""
    parts, phrases = [], []
    for _ in range(draw(st.integers(1, 6))):
        written, phrase = draw(st.sampled_from(SLOGANS))
        cut = draw(st.integers(1, len(written) - 1))
        inside = draw(st.sampled_from(INSIDE))
        opening, closing = draw(st.sampled_from(QUOTES))
        before = "".join(draw(st.lists(st.sampled_from(FILLER), max_size=4)))
        after = "".join(draw(st.lists(st.sampled_from(FILLER), max_size=4)))
        parts.append(f"{before}{opening}{written[:cut]}{inside}{written[cut:]}{closing}{after}{draw(st.sampled_from(ENDS))}")
        phrases.append(phrase)
    return "".join(parts), phrases


def check_mentions(text: str, mentions) -> None:
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface
        # A quoted phrase keeps the spaces and inner quotes it was written with.
        assert canonical_phrase(m.surface) == re.sub(r"[\s“”]+", "", m.phrase)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentences())
def test_every_mention_is_its_original_surface(slogan_miner, case):
    text, phrases = case
    result = slogan_miner.mine(Document("d", "d.txt", text))
    assert result.document.status == "ok"
    check_mentions(text, result.mentions)
    assert [m.phrase for m in result.mentions] == phrases


@pytest.mark.parametrize("mark", ["\u00ad", "\u200e", "\u202e", "\u2066", "\ufe0f", "\U000e0100", "\u034f", "\u180e",
                                  "\u3164", "\u200b"])
def test_invisible_characters_inside_a_phrase_do_not_split_it(slogan_miner, mark):
    # a soft hyphen, a direction mark or a variation selector pasted inside a
    # slogan: the phrase is the same, its surface keeps what was written
    text = f"坚持“两个{mark}确立”，推进“放管{mark}服”改革，两个确立。"
    mentions = slogan_miner.mine(Document("d", "d.txt", text)).mentions
    assert [(m.phrase, m.surface) for m in mentions] == [
        ("两个确立", f"两个{mark}确立"), ("放管服", f"放管{mark}服"), ("两个确立", "两个确立")]
    check_mentions(text, mentions)


PIECES = FILLER + INSIDE + ENDS + [w for w, _ in SLOGANS] + [q for pair in QUOTES for q in pair] + ["第1页 / 共5页\n", "六个", "１＋８"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_mentions_in_any_mix_are_their_original_surface(slogan_miner, text):
    # A last line every mix ends with, so that mining nothing at all fails too.
    text += "\n要实现“两个率先”。"
    mentions = slogan_miner.mine(Document("d", "d.txt", text)).mentions
    check_mentions(text, mentions)
    assert (mentions[-1].phrase, mentions[-1].start, mentions[-1].end) == ("两个率先", len(text) - 6, len(text) - 2)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("两个率先兩個「」『』〝〞“”\"＂２４ｘxX×某*\u200b\n\r \u3000。，五十四全面")), max_size=60))
def test_offsets_map_inside_the_original(text):
    nt = Normalizer().normalize(text)
    assert len(nt.starts) == len(nt.ends) == len(nt.text)
    assert all(0 <= a <= b <= len(text) for a, b in zip(nt.starts, nt.ends))
    assert list(nt.starts) == sorted(nt.starts)


def test_seed_mentions_are_their_original_surface(slogan_miner, seeds_dir):
    found = 0
    for doc in iter_documents([seeds_dir]):
        result = slogan_miner.mine(doc)
        check_mentions(doc.text, result.mentions)
        found += len(result.mentions)
    assert found > 50


# -- texts with nothing to convert skip OpenCC -----------------------------


def test_t2s_list_holds_every_character_opencc_changes():
    """Each character the installed t2s changes on its own is in the list, and
    the list describes the installed OpenCC (else every text is converted)."""
    import opencc

    from miner.preprocess import normalize

    assert normalize._t2s_hints() is not None
    chars = [chr(c) for c in range(0x3000, 0x10000) if not 0xD800 <= c < 0xE000]
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    changed = "".join(c for c, o in zip(chars, out) if c != o)
    assert len(changed) > 3000
    assert [c for c in changed if not normalize.may_simplify(c)] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("瞭解情況", "了解情况"),  # 瞭 alone stays, in 瞭解 it changes: the list has it
        ("沈默是金", "沉默是金"),
        ("了解情况", "了解情况"),
        ("𠀾两个率先", "𠀾两个率先"),  # beyond the BMP: converted, whatever it holds
    ],
)
def test_to_simplified_with_and_without_the_list(normalizer, text, expected):
    assert normalizer.to_simplified(text) == expected


@pytest.fixture(scope="module")
def t2s_phrases() -> list[str]:
    from importlib import resources

    from miner.preprocess.normalize import T2S_CHARS

    return resources.files("miner").joinpath(T2S_CHARS).read_text(encoding="utf-8").split("\n")[3].split()


def test_every_listed_phrase_is_found_and_changed_by_opencc(t2s_phrases):
    import opencc

    from miner.preprocess.normalize import may_simplify

    converter = opencc.OpenCC("t2s")
    assert len(t2s_phrases) > 100
    assert [p for p in t2s_phrases if not may_simplify(f"要{p}。")] == []
    assert [p for p in t2s_phrases if converter.convert(p) == p] == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_opencc_leaves_a_text_alone_when_no_hint_is_found(t2s_phrases, data):
    """Texts made of the listed phrases' characters (and common ones) that
    the hints pass over are the same after OpenCC's t2s."""
    import opencc

    from miner.preprocess.normalize import may_simplify

    alphabet = sorted(set("".join(t2s_phrases)) | set("的了解是要坏像么，。"))
    text = data.draw(st.text(alphabet=alphabet, min_size=1, max_size=30))
    if not may_simplify(text):
        assert opencc.OpenCC("t2s").convert(text) == text


def test_plain_text_is_not_converted_but_an_unknown_opencc_converts_everything(monkeypatch):
    from miner.preprocess import normalize

    assert normalize.may_simplify("坚持以经济建设为中心") is False
    assert normalize.may_simplify("坚持以經濟建設为中心") is True
    normalize._t2s_hints.cache_clear()
    monkeypatch.setattr(normalize, "opencc_dictionaries", lambda: "TSPhrases.ocd2=1")
    try:
        assert normalize.may_simplify("坚持以经济建设为中心") is True
    finally:
        normalize._t2s_hints.cache_clear()


_TABLE_CHARS = sorted({chr(c) for c in _WIDTH_AND_QUOTES} | set("两个率先 \n\"*x某"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TABLE_CHARS)))
def test_translate_is_the_translation_table(text):
    assert _translate(text) == text.translate(_WIDTH_AND_QUOTES)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="两个率先 。，）”（“ab\n", max_size=30))
def test_spaces_between_cjk_in_a_text_without_tabs(text):
    # the faster pattern, used where a text holds no tab, breaks the lines where the general one does
    from miner.preprocess.normalize import SPACE_BETWEEN_CJK, SPACES_BETWEEN_CJK

    assert [m.span() for m in SPACES_BETWEEN_CJK.finditer(text)] == [m.span() for m in SPACE_BETWEEN_CJK.finditer(text)]
