"""Read a corpus: files and folders of .txt/.md, .docx, .html, .jsonl/.json and .csv/.tsv.

Every document found is yielded as a :class:`~miner.types.Document`; one
that cannot be read is yielded too, with ``status`` saying why it was
skipped, so no input is silently lost.  Encodings are detected (UTF-8 with
or without BOM, UTF-16 with BOM, GB18030/GBK, Big5).  Row formats are read as
streams, one line or row at a time.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import html
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError
from .metadata import parse_year
from .types import Document

__all__ = ["Fields", "iter_documents", "discover", "decode_bytes", "DecodeError", "SUFFIXES"]

TEXT_FIELDS = ("text", "content", "full_text", "body")
TITLE_FIELDS = ("title",)
YEAR_FIELDS = ("year", "date")
SUFFIXES = (".txt", ".md", ".docx", ".html", ".htm", ".jsonl", ".json", ".csv", ".tsv")
SNIFF_BYTES = 1 << 16
MAX_BAD_BYTES = 1 / 1000  # replace at most one undecodable byte in a thousand

BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office (.doc/.xls) file",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
}
NON_ASCII = re.compile(rb"[\x80-\xff]")
META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)

FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)  # a speech is longer than csv's default 128 KB


class DecodeError(ValueError):
    """Bytes that are binary or in no encoding we can read; the message says which."""


@dataclass(frozen=True)
class Fields:
    """Which fields of a JSON object or CSV row hold the text, title and year.

    ``None`` means: detect (text/content/full_text/body; title; year/date).
    """

    text: str | None = None
    title: str | None = None
    year: str | None = None

    def pick(self, keys: Iterable[str], which: str) -> str | None:
        given = getattr(self, which)
        keys = list(keys)
        if given is not None:
            return given if given in keys else None
        wanted = {"text": TEXT_FIELDS, "title": TITLE_FIELDS, "year": YEAR_FIELDS}[which]
        lower = {k.strip().lower(): k for k in keys if isinstance(k, str)}
        return next((lower[w] for w in wanted if w in lower), None)

    def looked_for(self) -> str:
        return self.text if self.text is not None else ", ".join(TEXT_FIELDS)


def _is_run_output(folder: Path) -> bool:
    """Whether ``folder`` holds the tables of a ``miner run`` (its run.json and documents.csv)."""
    return (folder / "run.json").is_file() and (folder / "documents.csv").is_file()


def discover(paths: Iterable[str | os.PathLike]) -> list[tuple[Path, str]]:
    """The files to read, each with the name it is reported under.

    Folders are walked recursively in sorted order; hidden files and folders,
    and the output folders of earlier runs, are not documents and are passed
    over, and a file named twice is read once.  A missing path is an error.
    """
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        # The same file named twice (or a folder and a file in it) is one document.
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, path.as_posix()))

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or folder")
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                # Hidden folders and the output folders of earlier runs hold no documents.
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".") and not _is_run_output(Path(dirpath) / d)
                )
                for name in sorted(filenames):
                    if not name.startswith("."):
                        add(Path(dirpath) / name)
        else:
            add(path)
    return found


def iter_documents(paths: Iterable[str | os.PathLike], fields: Fields = Fields()) -> Iterator[Document]:
    """Yield every document of the given files and folders, readable or not.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"text": "两个率先", "year": 2005}\\nnot json\\n', encoding="utf-8")
    >>> [(x.doc_id.split("/")[-1], x.year, x.status) for x in iter_documents([d])]
    [('a.jsonl#1', 2005, 'ok'), ('a.jsonl#2', None, 'skipped: line 2 is not valid JSON (Expecting value)')]
    """
    for path, name in discover(paths):
        yield from read_file(path, name, fields)


def read_file(path: Path, name: str, fields: Fields = Fields()) -> Iterator[Document]:
    """Yield the documents of one file (one, or one per row for row formats)."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        kinds = " ".join(SUFFIXES)
        yield _skip(name, f"unsupported file type '{suffix or path.name}' (readable: {kinds})")
        return
    try:
        yield from reader(path, name, fields)
    except DecodeError as exc:
        yield _skip(name, str(exc))
    except OSError as exc:
        yield _skip(name, f"cannot read the file ({exc.strerror or exc})")


def _skip(doc_id: str, reason: str, source: str | None = None) -> Document:
    return Document(doc_id=doc_id, source=source or doc_id.split("#")[0], status=f"skipped: {reason}")


# -- decoding ------------------------------------------------------------


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic):
            return kind
    if b"\x00" in head[:SNIFF_BYTES]:
        return "a binary file"
    return None


def detect_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes (raises :class:`DecodeError`)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    kind = _binary_kind(head)
    if kind:
        raise DecodeError(f"{kind}, not text")
    fits = [enc for enc in ("utf-8", "gb18030", "big5") if _decodes(head, enc)]
    if fits and fits[0] == "utf-8":
        return "utf-8"
    if len(fits) == 2:
        # GB18030 decodes almost any byte string; let the statistics choose.
        from charset_normalizer import from_bytes

        best = from_bytes(head[:SNIFF_BYTES], cp_isolation=["gb18030", "big5"]).best()
        return "big5" if best is not None and best.encoding == "big5" else "gb18030"
    if fits:
        return fits[0]
    return "utf-8"  # mostly UTF-8 with a few bad bytes; decode_bytes decides


def _decodes(head: bytes, encoding: str) -> bool:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:  # an unknown charset name, e.g. from an HTML meta tag
        return False
    try:
        decoder.decode(head[:SNIFF_BYTES], final=len(head) <= SNIFF_BYTES)
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode a whole file; returns ``(text, encoding)``.

    A file that is UTF-8 but for a few bad bytes (at most one in a thousand)
    is read with those bytes replaced, and the encoding says so.

    >>> decode_bytes("兩個率先".encode("big5"))
    ('兩個率先', 'big5')
    >>> decode_bytes(b"\\x00\\x01\\x02")
    Traceback (most recent call last):
    miner.read.DecodeError: a binary file, not text
    """
    if not data.strip():
        raise DecodeError("empty file")
    for encoding in _candidates(data, hint):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(1, len(data) * MAX_BAD_BYTES):
        return text, f"utf-8 ({bad} bad bytes replaced)"
    raise DecodeError("undecodable bytes: not valid UTF-8, GB18030 or Big5")


def _candidates(data: bytes, hint: str | None) -> Iterator[str]:
    """Encodings to try on a whole file, most likely first, each found only if needed."""
    if hint and _decodes(data, hint):
        yield hint
    yield detect_encoding(data[:SNIFF_BYTES])
    first = NON_ASCII.search(data)
    if first and first.start() > 0:
        # A long ASCII head (scripts, styles, English) says nothing about the
        # encoding: sniff again where the non-ASCII text starts.
        with contextlib.suppress(DecodeError):
            yield detect_encoding(data[first.start() : first.start() + SNIFF_BYTES])


# -- one-document formats ------------------------------------------------


def _read_plain(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    text, _ = decode_bytes(path.read_bytes())
    yield _document(name, name, text)


def _read_html(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    from inscriptis import get_text

    data = path.read_bytes()
    m = META_CHARSET.search(data[:4096])
    text, _ = decode_bytes(data, m.group(1).decode("ascii").lower() if m else None)
    title_match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    body = get_text(text)
    title = " ".join(html.unescape(title_match.group(1)).split()) if title_match else ""
    yield _document(name, name, body, title=title)


def _read_docx(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    if not zipfile.is_zipfile(path):
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        if not head.strip():
            raise DecodeError("empty file")
        kind = _binary_kind(head)
        what = "a damaged or truncated one" if kind == "a ZIP archive" else kind or "not one"
        raise DecodeError(f"not a .docx file: a .docx is a ZIP package and this is {what}")
    try:
        book = docx.Document(str(path))
        parts = [p.text for p in book.paragraphs]
        for table in book.tables:
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
        title = book.core_properties.title or ""
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError) as exc:
        raise DecodeError(f"not a valid .docx file ({type(exc).__name__}: {exc})") from None
    yield _document(name, name, "\n".join(parts), title=title)


def _document(doc_id: str, source: str, text: str, *, title: str = "", year: object = None) -> Document:
    if not text.strip():
        return _skip(doc_id, "empty text", source)
    parsed = parse_year(year)
    return Document(doc_id, source, text, title=title or "", year=parsed, year_source="field" if parsed else "")


# -- row formats ---------------------------------------------------------


def _json_kind(value: object) -> str:
    """How a JSON value is named in a skip reason ("a JSON number")."""
    if isinstance(value, bool):
        return "a JSON boolean"
    if isinstance(value, (int, float)):
        return "a JSON number"
    return {list: "a JSON list", dict: "a JSON object", str: "a JSON string"}.get(type(value), "a JSON null")


def _row_document(doc_id: str, source: str, record: dict, fields: Fields) -> Document:
    keys = list(record)
    text_key = fields.pick(keys, "text")
    if text_key is None:
        return _skip(doc_id, f"no text field (looked for {fields.looked_for()}; found {', '.join(map(str, keys)) or 'none'})", source)
    text = record.get(text_key)
    if not isinstance(text, str):
        kind = "empty" if text is None else f"{_json_kind(text)}, not a string"
        return _skip(doc_id, f"the text field '{text_key}' is {kind}", source)
    title_key, year_key = fields.pick(keys, "title"), fields.pick(keys, "year")
    title = record.get(title_key) if title_key else ""
    return _document(doc_id, source, text, title=str(title or ""), year=record.get(year_key) if year_key else None)


def _read_jsonl(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        if not head.strip():
            raise DecodeError("empty file")
        encoding = detect_encoding(head)
        fh.seek(0)
        # UTF-16 lines do not end in the byte b"\n": read those as text.
        lines = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="") if encoding == "utf-16" else fh
        records = 0
        for number, raw in enumerate(lines, 1):
            doc_id = f"{name}#{number}"
            try:
                line = (raw.decode(encoding) if isinstance(raw, bytes) else raw).strip()
            except UnicodeDecodeError:
                records += 1
                yield _skip(doc_id, f"line {number} is not valid {encoding}", name)
                continue
            if not line:
                continue
            records += 1
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield _skip(doc_id, f"line {number} is not valid JSON ({exc.msg})", name)
                continue
            if not isinstance(record, dict):
                yield _skip(doc_id, f"line {number} is {_json_kind(record)}, not an object", name)
                continue
            yield _row_document(doc_id, name, record, fields)
        if not records:
            yield _skip(name, "no JSON lines, only blank space", name)


def _read_json(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    text, _ = decode_bytes(path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if isinstance(data, dict):
        listed = next((data[k] for k in ("documents", "docs", "data", "items", "records") if isinstance(data.get(k), list)), None)
        if listed is None:
            yield _row_document(name, name, data, fields)
            return
        data = listed
    if not isinstance(data, list):
        raise DecodeError(f"{_json_kind(data)}; expected an object or a list of objects")
    if not data:
        raise DecodeError("an empty JSON list")
    for number, record in enumerate(data, 1):
        doc_id = f"{name}#{number}"
        if isinstance(record, dict):
            yield _row_document(doc_id, name, record, fields)
        else:
            yield _skip(doc_id, f"item {number} is {_json_kind(record)}, not an object", name)


class _Lines:
    """The lines a :func:`csv.reader` takes, remembered row by row so that the
    lines a malformed row swallowed can be given back and read again."""

    def __init__(self, stream: Iterator[str]) -> None:
        self._stream = stream
        self.taken: list[str] = []
        self._again: list[str] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self._again.pop() if self._again else next(self._stream)
        self.taken.append(line)
        return line

    def give_back(self, lines: list[str]) -> None:
        self._again.extend(reversed(lines))


def _read_table(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    # csv's field limit is process-wide: raise it while this file is read.
    previous = csv.field_size_limit(FIELD_SIZE_LIMIT)
    try:
        yield from _read_table_rows(path, name, fields)
    finally:
        csv.field_size_limit(previous)


def _read_table_rows(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
        if not head.strip():
            raise DecodeError("empty file")
        encoding = detect_encoding(head)
        raw.seek(0)
        lines = _Lines(io.TextIOWrapper(raw, encoding=encoding, newline=""))
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DecodeError(f"cannot read the header row ({exc})") from None
        header = [h.strip() for h in header]
        rows = 0
        while True:
            lines.taken.clear()
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                yield _skip(f"{name}#{rows + 1}", f"rows from row {rows + 1} on are not valid {encoding}", name)
                break
            except csv.Error as exc:
                rows += 1
                yield _skip(f"{name}#{rows}", f"row {rows} is malformed ({exc})", name)
                continue
            if not row:  # a blank line holds no document
                continue
            rows += 1
            doc_id = f"{name}#{rows}"
            if not any(cell.strip() for cell in row):
                yield _skip(doc_id, f"row {rows} is empty", name)
            elif len(row) != len(header):
                reason = f"row {rows} has {len(row)} fields, the header has {len(header)}"
                if len(lines.taken) > 1:
                    # A stray quote ran this row on over the next lines; read
                    # those again as rows rather than lose them.
                    lines.give_back(lines.taken[1:])
                    reason += " (an unbalanced quote?)"
                yield _skip(doc_id, reason, name)
            else:
                yield _row_document(doc_id, name, dict(zip(header, row)), fields)
        if rows == 0:
            yield _skip(name, "no rows after the header", name)


READERS = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".jsonl": _read_jsonl,
    ".json": _read_json,
    ".csv": _read_table,
    ".tsv": _read_table,
}
