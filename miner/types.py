"""Typed values passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Document", "Mention", "DocResult", "OK"]

OK = "ok"


@dataclass(frozen=True)
class Document:
    """One input document, or the record of one that could not be read.

    ``status`` is ``"ok"`` or ``"skipped: <reason>"``; a skipped document has
    empty ``text`` but is still written to ``documents.csv``.
    """

    doc_id: str
    source: str
    text: str = ""
    title: str = ""
    year: int | None = None
    year_source: str = ""
    status: str = OK

    @property
    def ok(self) -> bool:
        return self.status == OK


@dataclass(frozen=True)
class Mention:
    """One occurrence of a phrase, located in the document's original text.

    ``start``/``end`` index the decoded original text, so ``surface`` equals
    ``document.text[start:end]`` (traditional characters, odd quotes and all),
    while ``phrase`` is the canonical simplified form everything is counted by.
    """

    doc_id: str
    year: int | None
    phrase: str
    surface: str
    kind: str
    rule: str
    start: int
    end: int
    sentence: int
    paragraph: int
    context: str


@dataclass(frozen=True)
class DocResult:
    """What mining one document yields: its metadata row and its mentions."""

    document: Document
    chars: int
    stripped_lines: int
    stripped_chars: int
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
