"""A slogan dictionary: what each slogan of a corpus stands for, across its documents.

``definitions.csv`` has one row per slogan and document that spells it out;
documents often agree (六稳 is always the same six) but not always (a county's
四个一 is not the next county's).  :func:`dictionary_rows` folds those rows and
the phrase counts into one entry per slogan, which ``miner run`` writes to
``dictionary.csv``: the member list most documents give, how many documents
define the slogan and how many give other members, a gloss for slogans whose
notes describe rather than list, and the slogan's years, documents, total,
written variants and one defining sentence.  :func:`lookup` finds a slogan's
entry and the sentences that define it, as ``miner define`` prints them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..analysis.count import PhraseCounts
from .define import MEMBER_SEPARATOR, slogan_count
from ..errors import EmptyResultError, TableError
from .core import NUMBERED, NUMBERED_QUOTED
from ..io.tables import read_table

__all__ = ["DICTIONARY_COLUMNS", "DictionaryEntry", "dictionary_rows", "read_dictionary", "lookup", "format_entry"]

DICTIONARY_COLUMNS = (
    "phrase", "kind", "members", "count", "defined_in", "disagree", "gloss", "first_year", "last_year",
    "documents", "total", "variants", "evidence",
)


@dataclass(frozen=True)
class DictionaryEntry:
    """One slogan of ``dictionary.csv`` and the rows of ``definitions.csv`` that define it."""

    phrase: str
    kind: str
    members: tuple[str, ...]
    defined_in: int
    disagree: int
    gloss: str
    first_year: int | None
    last_year: int | None
    documents: int
    total: int
    variants: str
    evidence: str
    definitions: tuple[dict, ...] = ()


def dictionary_rows(counts: PhraseCounts, definitions: Iterable[dict]) -> list[dict]:
    """One row per slogan: every numbered phrase of ``counts`` and every
    phrase some document defines, most mentioned first.

    Args:
        counts: The run's phrase counts.
        definitions: Rows of ``definitions.csv`` (as :func:`~miner.io.tables.read_table` gives them).

    A document agrees with the entry when one of its member lists for the
    slogan is the entry's; ``disagree`` counts the documents that list other
    members; a document that only explains the slogan (a gloss) counts in
    ``defined_in`` but neither agrees nor disagrees.

    >>> from miner.analysis.count import PhraseCounts, PhraseStats
    >>> c = PhraseCounts(); c.phrases["六稳"] = PhraseStats(3, 2, 2019, 2021, {"numbered"})
    >>> rows = [{"phrase": "六稳", "doc_id": d, "year": y, "members": m, "gloss": "", "evidence": d + "……"}
    ...         for d, y, m in (("a", 2019, "稳就业 | 稳金融"), ("b", 2021, "稳就业 | 稳金融"), ("c", 2020, "稳外贸 | 稳外资"))]
    >>> r = dictionary_rows(c, rows)[0]
    >>> r["members"], r["defined_in"], r["disagree"], r["evidence"]
    ('稳就业 | 稳金融', 3, 1, 'a……')
    """
    lists: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # phrase → doc → member lists
    glosses: dict[str, Counter] = defaultdict(Counter)
    evidence: dict[tuple[str, str], str] = {}  # (phrase, members or gloss) → the first evidence
    for row in definitions:
        phrase, doc, members = row["phrase"], row["doc_id"], row["members"] or ""
        docs = lists[phrase][doc]
        if members:
            docs.add(members)
        else:
            glosses[phrase][row.get("gloss") or ""] += 1
        evidence.setdefault((phrase, members or "\0" + (row.get("gloss") or "")), row.get("evidence") or "")
    rows = []
    ordered = counts.ordered()
    seen = {p for p, _ in ordered}
    extra = sorted(p for p in lists if p not in seen)
    for phrase, stats in ordered + [(p, None) for p in extra]:
        kind = stats.kind if stats else (NUMBERED if slogan_count(phrase) else "quoted")
        if phrase not in lists and kind not in (NUMBERED, NUMBERED_QUOTED):
            continue
        docs = lists.get(phrase, {})
        votes = Counter(m for given in docs.values() for m in given)
        members = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0] if votes else ""
        disagree = sum(1 for given in docs.values() if given and members not in given)
        gloss = min(glosses[phrase].items(), key=lambda kv: (-kv[1], kv[0]))[0] if glosses.get(phrase) else ""
        rows.append({
            "phrase": phrase,
            "kind": kind,
            "members": members,
            "count": len(members.split(MEMBER_SEPARATOR)) if members else 0,
            "defined_in": len(docs),
            "disagree": disagree,
            "gloss": gloss,
            "first_year": stats.first_year if stats else None,
            "last_year": stats.last_year if stats else None,
            "documents": stats.documents if stats else 0,
            "total": stats.total if stats else 0,
            "variants": " | ".join(v for v, _ in sorted(stats.variants.items(), key=lambda kv: (-kv[1], kv[0])))
            if stats else "",
            "evidence": evidence.get((phrase, members), "") if members
            else evidence.get((phrase, "\0" + gloss), "") if docs else "",
        })
    return rows


def read_dictionary(table_dir: str | Path) -> dict[str, dict]:
    """The rows of a run's ``dictionary.csv`` by phrase.

    Raises:
        TableError: The run wrote no ``dictionary.csv``.
    """
    path = Path(table_dir) / "dictionary.csv"
    if not path.exists():
        raise TableError(f"{path} not found; `miner run` writes it")
    return {row["phrase"]: row for row in read_table(path, DICTIONARY_COLUMNS)}


def lookup(table_dir: str | Path, phrase: str) -> DictionaryEntry:
    """A slogan's dictionary entry with the definitions behind it.

    ``phrase`` may be written in traditional or simplified characters, with
    or without quotes.

    Raises:
        TableError: The run wrote no ``dictionary.csv``.
        EmptyResultError: The phrase is not in the dictionary.
    """
    from ..preprocess.normalize import canonical_phrase

    table_dir = Path(table_dir)
    entries = read_dictionary(table_dir)
    wanted = canonical_phrase(phrase)
    row = entries.get(wanted)
    if row is None:
        raise EmptyResultError(f"'{phrase}' is not in {table_dir / 'dictionary.csv'}; `miner top` lists the "
                               "phrases found")
    definitions = ()
    path = table_dir / "definitions.csv"
    if path.exists():
        definitions = tuple(r for r in read_table(path, ("phrase", "doc_id", "year", "members", "how", "evidence"))
                            if r["phrase"] == wanted)
    members = tuple(row["members"].split(MEMBER_SEPARATOR)) if row["members"] else ()
    return DictionaryEntry(
        wanted, row["kind"], members, row["defined_in"], row["disagree"], row["gloss"] or "",
        row["first_year"], row["last_year"], row["documents"], row["total"], row["variants"] or "",
        row["evidence"] or "", definitions,
    )


def format_entry(entry: DictionaryEntry) -> list[str]:
    """The lines ``miner define`` prints for an entry.

    >>> e = DictionaryEntry("两山", "numbered+quoted", (), 1, 0, "绿水青山就是金山银山", 2022, 2022, 1, 2, "两山", "",
    ...                     ({"doc_id": "r3", "year": 2022, "members": "", "how": "note", "evidence": "两山：即……"},))
    >>> print("\\n".join(format_entry(e)))
    两山 (numbered+quoted): 2 mentions in 1 document, 2022–2022
      gloss: 绿水青山就是金山银山
      written: 两山
    defined in 1 document, 0 with other members:
      2022 r3 [note] 两山：即……
    """
    years = f"{entry.first_year or '?'}–{entry.last_year or '?'}"
    lines = [f"{entry.phrase} ({entry.kind}): {entry.total} mention{'s' * (entry.total != 1)} in "
             f"{entry.documents} document{'s' * (entry.documents != 1)}, {years}"]
    if entry.members:
        lines.append(f"  = {MEMBER_SEPARATOR.join(entry.members)}")
    if entry.gloss:
        lines.append(f"  gloss: {entry.gloss}")
    if entry.variants:
        lines.append(f"  written: {entry.variants}")
    if not entry.defined_in:
        lines.append("not defined in any document")
        return lines
    lines.append(f"defined in {entry.defined_in} document{'s' * (entry.defined_in != 1)}, "
                 f"{entry.disagree} with other members:")
    for d in entry.definitions:
        year = d.get("year") or "----"
        other = d["members"] and entry.members and d["members"] != MEMBER_SEPARATOR.join(entry.members)
        lines.append(f"  {year} {d['doc_id']} [{d['how']}] {d['evidence']}")
        if other:
            lines.append(f"    = {d['members']}")
    return lines
