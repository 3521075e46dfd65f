"""The CSV tables ``miner run`` writes, and reading them back.

Tables are UTF-8 with a byte-order mark, so that Excel on a Chinese Windows
machine opens them as UTF-8 (without it Excel assumes GBK and shows
mojibake); pandas reads them as they are.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import TableError
from .publish import recover
from ..types import DocResult, Mention

__all__ = [
    "DOCUMENT_COLUMNS",
    "MENTION_COLUMNS",
    "PHRASE_COLUMNS",
    "BY_YEAR_COLUMNS",
    "TableWriter",
    "write_table",
    "read_table",
    "document_row",
    "document_stream_row",
    "field_column",
    "write_documents",
    "DOCUMENT_STREAM_COLUMNS",
    "TEXTS",
    "TEXT_COLUMNS",
    "mention_row",
    "ENCODING",
    "guard_cell",
    "unguard_cell",
    "csv_cell",
]

ENCODING = "utf-8-sig"
BIG_CELL = 1 << 20  # characters: a longer cell is written a piece at a time
# A row with a longer cell (the cleaned text of a document) is quoted here
# rather than by the csv module, which takes some 12 ns a character over it.
LONG_CELL = 2_000
COPY_CHUNK = 1 << 20  # bytes: rows copied from a table written before are read this much at a time
DOCUMENT_COLUMNS = (
    "doc_id", "source", "title", "year", "year_source", "chars", "status", "warning",
    "stripped_lines", "stripped_chars", "mentions",
)
MENTION_COLUMNS = (
    "doc_id", "year", "phrase", "surface", "kind", "rule", "start", "end", "sentence", "paragraph", "context",
)
PHRASE_COLUMNS = ("phrase", "kind", "total", "documents", "first_year", "last_year", "per_10k", "rule", "variants",
                  "score", "evidence")
BY_YEAR_COLUMNS = ("phrase", "year", "count", "documents", "year_documents", "year_chars", "per_10k")
INT_COLUMNS = frozenset(
    "year chars stripped_lines stripped_chars mentions start end sentence paragraph total documents "
    "first_year last_year count year_documents year_chars phrases defined_in disagree".split()
)
FLOAT_COLUMNS = frozenset({"per_10k", "score"})
# Columns every row fills (a year may be unknown; a count never is).
NEVER_EMPTY = frozenset("doc_id phrase kind total documents count score status chars per_10k".split())


# A spreadsheet reads a cell that begins with one of these as a formula
# (OWASP, "CSV Injection"); a quote before it makes the cell text.  A cell
# that begins with the quote itself is guarded too, so that reading back
# can tell the guard from a quote the text really begins with.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_UNSAFE_STARTS = frozenset(FORMULA_STARTS + (GUARD,))


def guard_cell(value):
    """A CSV cell value a spreadsheet shows as text: text that begins like a
    formula (or with a quote) gets a quote before it; other values are left as they are.

    >>> guard_cell("=SUM(1,1)"), guard_cell("- 坚持四个全面"), guard_cell("'四个全面'"), guard_cell("四个全面"), guard_cell(-1)
    ("'=SUM(1,1)", "'- 坚持四个全面", "''四个全面'", '四个全面', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS + (GUARD,)):
        return GUARD + value
    return value


# What makes the csv module quote a cell (QUOTE_MINIMAL, the default dialect).
_NEEDS_QUOTES = re.compile('[,"\r\n]')


def csv_cell(cell: str) -> str:
    """``cell`` as the :mod:`csv` module writes it in a row of more than one cell.

    >>> csv_cell("两个率先"), csv_cell("一,二"), csv_cell('他说"好"\\n')
    ('两个率先', '"一,二"', '"他说""好""\\n"')
    """
    if _NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def unguard_cell(value: str) -> str:
    """The text of a cell written by :func:`guard_cell` (other text is left as it is).

    >>> unguard_cell("'=SUM(1,1)"), unguard_cell("''四个全面'"), unguard_cell("'四个全面'")
    ('=SUM(1,1)', "'四个全面'", "'四个全面'")
    """
    if value[:1] == GUARD and value[1:2] and value[1:].startswith(FORMULA_STARTS + (GUARD,)):
        return value[1:]
    return value


def document_row(result: DocResult) -> dict:
    d = result.document
    return {
        "doc_id": d.doc_id,
        "source": d.source,
        "title": d.title,
        "year": d.year,
        "year_source": d.year_source,
        "chars": result.chars,
        "status": d.status,
        "warning": d.warning,
        "stripped_lines": result.stripped_lines,
        "stripped_chars": result.stripped_chars,
        "mentions": len(result.mentions),
    }


# The streamed copy of documents.csv that a rerun copies rows from holds a
# document's fields as one JSON object; documents.csv spreads them out.
FIELDS_COLUMN = "fields"
DOCUMENT_STREAM_COLUMNS = DOCUMENT_COLUMNS + (FIELDS_COLUMN,)
FIELD_PREFIX = "field_"
# The cleaned texts of a run (see miner.pipeline.TEXT_STREAM), searched by `miner kwic`.
TEXTS = "texts.csv"
TEXT_COLUMNS = ("doc_id", "year", "text")


def document_stream_row(result: DocResult) -> dict:
    fields = result.document.fields
    return {**document_row(result), FIELDS_COLUMN: json.dumps(dict(fields), ensure_ascii=False) if fields else ""}


def field_column(name: str) -> str:
    """The column of ``documents.csv`` a document field is written to: its
    own name, unless that is one of miner's columns (or another name miner
    reads as a number), which gets the prefix ``field_``.

    >>> field_column("province"), field_column("year"), field_column("chars"), field_column("total")
    ('province', 'field_year', 'field_chars', 'field_total')
    """
    while name in DOCUMENT_STREAM_COLUMNS or name in INT_COLUMNS or name in FLOAT_COLUMNS:
        name = FIELD_PREFIX + name
    return name


def write_documents(stream: Path, path: Path) -> tuple[str, ...]:
    """Write ``documents.csv`` from its streamed copy: miner's columns, then
    one column per document field, in the order they first appear (a
    document without a field has it empty).  Returns the field columns.
    """
    columns: dict[str, str] = {}  # column → field name
    for row in read_table(stream):
        for name in json.loads(row[FIELDS_COLUMN] or "{}"):
            columns.setdefault(field_column(name), name)
    with TableWriter(path, DOCUMENT_COLUMNS + tuple(columns)) as writer:
        for row in read_table(stream):
            fields = json.loads(row.pop(FIELDS_COLUMN) or "{}")
            writer.write({**row, **{column: fields.get(name) for column, name in columns.items()}})
    return tuple(columns)


def mention_row(m: Mention) -> tuple:
    return (m.doc_id, m.year, m.phrase, m.surface, m.kind, m.rule, m.start, m.end, m.sentence, m.paragraph, m.context)


class TableWriter:
    """A CSV table written row by row (for the streamed tables).

    Given ``base``, the same table as the last run wrote it, the writer
    takes rows copied from it (:meth:`copy`) without writing them for as
    long as they are that table's bytes in order from its start: an
    unchanged corpus's table is then linked, not written again
    (:attr:`carried`).  Anything else written first copies what was taken
    over so far.
    """

    def __init__(self, path: Path, columns: Iterable[str], *, base: Path | None = None) -> None:
        self.path = Path(path)
        self.columns = tuple(columns)
        self.carried = False  # whether the table is ``base`` itself, linked
        self._fh = None
        self._sources: dict[Path, object] = {}
        # The byte-order mark written by hand: Python's utf-8-sig encoder is
        # written in Python, its utf-8 one is not (the same bytes).
        self._head = "\ufeff" + _csv_line(map(guard_cell, self.columns))  # a field may be named "=cmd|…"
        self._base, self._taken = None, 0
        if base is not None:
            from .read import open_regular  # a FIFO or a device in base's place is refused, never read

            with contextlib.suppress(OSError):
                head = self._head.encode("utf-8")
                with open_regular(base) as fh:
                    if fh.read(len(head)) == head:
                        self._base, self._taken = Path(base), len(head)
        if self._base is None:
            self._open()

    def _open(self) -> None:
        """Start writing the file, with what was taken over from ``base`` so far."""
        self._fh = self.path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._fh)
        if self._base is None:
            self._fh.write(self._head)
        else:
            self._fh.flush()
            self._copy_bytes(self._base, 0, self._taken)
            self._base = None

    def write(self, row: dict | tuple) -> None:
        if self._fh is None:
            self._open()
        if isinstance(row, dict):
            row = tuple(row.get(c) for c in self.columns)
        cells = ["" if v is None else guard_cell(v) for v in row]
        if any(isinstance(c, str) and len(c) > LONG_CELL for c in cells):
            self._write_long(cells)
        else:
            self._writer.writerow(cells)

    def _write_long(self, cells: list) -> None:
        """A row with a long cell (the text of a document), quoted as the
        :mod:`csv` module quotes (``QUOTE_MINIMAL``), only faster; a cell of
        millions of characters is written a piece at a time, where :mod:`csv`
        would build the whole line, and the file its encoding, in memory."""
        write = self._fh.write
        for i, cell in enumerate(cells):
            if i:
                write(",")
            if not isinstance(cell, str):
                write(str(cell))
            elif len(cell) > BIG_CELL:
                write('"')
                for k in range(0, len(cell), BIG_CELL):
                    write(cell[k : k + BIG_CELL].replace('"', '""'))
                write('"')
            else:
                write(csv_cell(cell))
        write("\r\n")

    def write_many(self, rows: Iterable) -> None:
        # Most cells need nothing done (numbers, and text that begins with a
        # Chinese character): a row goes to the csv module as it is unless a
        # cell is empty, begins like a formula or is very long.
        plain: list = []
        columns = self.columns
        for row in rows:
            if self._fh is None:
                self._open()
            if isinstance(row, dict):
                row = tuple(row.get(c) for c in columns)
            for v in row:
                if v is None or (isinstance(v, str) and (v[:1] in _UNSAFE_STARTS or len(v) > LONG_CELL)):
                    if plain:
                        self._writer.writerows(plain)
                        plain = []
                    self.write(row)
                    break
            else:
                plain.append(row)
        if plain:
            self._writer.writerows(plain)

    def tell(self) -> int:
        """The size in bytes of what has been written so far."""
        return self._taken if self._fh is None else self._fh.tell()

    def copy(self, source: Path, offset: int, length: int) -> None:
        """Append the ``length`` bytes of file ``source`` from ``offset``:
        rows of a table written before, as they were written."""
        if self._fh is None and source == self._base and offset == self._taken:
            self._taken += length
            return
        if self._fh is None:
            self._open()
        self._fh.flush()
        self._copy_bytes(source, offset, length)

    def _copy_bytes(self, source: Path, offset: int, length: int) -> None:
        fh = self._sources.get(source)
        if fh is None:
            fh = self._sources[source] = open(source, "rb")
        fh.seek(offset)
        out = self._fh.buffer
        while length > 0:
            chunk = fh.read(min(length, COPY_CHUNK))
            if not chunk:
                raise TableError(f"{source}: shorter than the last run left it; run again with --full")
            out.write(chunk)
            length -= len(chunk)

    def close(self) -> None:
        """Finish the table: link ``base`` if the table is ``base`` whole, else
        write out what was taken over from it."""
        if self._fh is None and self._base is not None and self._taken == self._base.stat().st_size:
            try:
                os.link(self._base, self.path)
            except OSError:  # a file system without hard links
                shutil.copyfile(self._base, self.path)
            self.carried = True
        elif self._fh is None:
            self._open()
        if self._fh is not None:
            self._fh.close()
        for fh in self._sources.values():
            fh.close()
        self._sources.clear()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.close()
        else:  # a failed run's table is thrown away: nothing taken over is copied out
            self._base = None
            for fh in (self._fh, *self._sources.values()):
                if fh is not None:
                    fh.close()
            self._sources.clear()


def _csv_line(cells: Iterable[str]) -> str:
    """One row as :mod:`csv` writes it (``QUOTE_MINIMAL``, ``\\r\\n``)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


def write_table(path: Path, columns: Iterable[str], rows: Iterable[dict | tuple]) -> Path:
    """Write a whole table at once."""
    with TableWriter(path, columns) as writer:
        writer.write_many(rows)
    return Path(path)


def _convert(column: str, value: str | None):
    if value is None or value == "":  # None: a row shorter than the header
        return None if column in INT_COLUMNS or column in FLOAT_COLUMNS else ""
    if column in INT_COLUMNS:
        try:
            return int(value)
        except ValueError:
            number = float(value)  # "2016.0": a table saved again by pandas
            if not number.is_integer():
                raise
            return int(number)
    if column in FLOAT_COLUMNS:
        return float(value)
    return unguard_cell(value)


FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)
_wide = {"users": 0, "previous": 0}
_wide_lock = threading.Lock()


@contextlib.contextmanager
def wide_csv_fields() -> Iterator[None]:
    """Let :mod:`csv` read fields of any length (a speech, a title) while
    inside; the default limit is 131,072 characters.

    The limit is process-wide: it is raised by the first reader in and put
    back by the last one out, so readers may interleave.

    >>> with wide_csv_fields():
    ...     csv.field_size_limit() == FIELD_SIZE_LIMIT
    True
    """
    with _wide_lock:
        if not _wide["users"]:
            _wide["previous"] = csv.field_size_limit(FIELD_SIZE_LIMIT)
        _wide["users"] += 1
    try:
        yield
    finally:
        with _wide_lock:
            _wide["users"] -= 1
            if not _wide["users"]:
                csv.field_size_limit(_wide["previous"])


def read_table(path: Path, required: Iterable[str] = ()) -> Iterator[dict]:
    """Rows of a table written by ``miner run``, with numbers as numbers.

    Fields may be of any length (``miner run`` writes whole titles and contexts).
    """
    path = Path(path)
    with contextlib.suppress(OSError):  # read-only: read what is there
        recover(path.parent)  # a publication a killed run left half done: finish it first
    if not path.exists():
        command = "miner formulas" if path.name.startswith("formulas") else "miner run"
        raise TableError(f"{path}: not found; run `{command} CORPUS -o {path.parent}` first")
    with wide_csv_fields(), path.open(encoding=ENCODING, newline="") as fh:
        try:
            reader = csv.DictReader(fh)
            if reader.fieldnames:
                reader.fieldnames = [unguard_cell(name) for name in reader.fieldnames]
            missing = [c for c in required if c not in (reader.fieldnames or ())]
            if missing:
                raise TableError(
                    f"{path}: missing column(s) {', '.join(missing)}; is it a table written by `miner run`?"
                )
            for row in reader:
                empty = [c for c in required if c in NEVER_EMPTY and row.get(c) in (None, "")]
                if empty:
                    raise TableError(
                        f"{path}, line {reader.line_num}: no value for {', '.join(empty)}; "
                        f"run `miner run CORPUS -o {path.parent}` again"
                    )
                try:
                    converted = {k: _convert(k, v) for k, v in row.items()}
                except ValueError:
                    bad = next(k for k, v in row.items() if not _converts(k, v))
                    raise TableError(
                        f"{path}, line {reader.line_num}: {bad} is '{row[bad]}', not a number; "
                        f"run `miner run CORPUS -o {path.parent}` again"
                    ) from None
                yield converted
        except csv.Error as exc:
            raise TableError(
                f"{path}, line {reader.line_num}: not a well-formed CSV table ({exc}); "
                f"run `miner run CORPUS -o {path.parent}` again"
            ) from None
        except UnicodeDecodeError:
            raise TableError(
                f"{path}: not UTF-8 (saved again by another program?); run `miner run CORPUS -o {path.parent}` again"
            ) from None


def _converts(column: str, value: str | None) -> bool:
    try:
        _convert(column, value)
        return True
    except ValueError:
        return False
