"""Export the tables of a run as one Excel workbook (.xlsx), a sheet a table.

A spreadsheet opening a CSV guesses: ``863`` becomes a number, ``=1+8`` a
formula.  The workbook says what each cell is instead: text from the corpus
is stored as text (never a formula, whatever its first character), counts
and rates as numbers.  Each sheet's header row is frozen and its columns are
as wide as their contents (up to a limit); a table longer than a sheet can
hold is cut at the sheet's limit, and the first sheet, ``about``, says so.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import InputError, TableError
from .tables import ENCODING, unguard_cell

__all__ = ["SheetSummary", "export_xlsx", "MAX_ROWS", "MAX_CELL_CHARS"]

MAX_ROWS = 1_048_576  # rows of a sheet in Excel and LibreOffice, the header included
MAX_CELL_CHARS = 32_767  # characters of a cell
SHEET_ORDER = (
    "documents", "phrases", "by_year", "mentions", "definitions", "dictionary", "patterns", "patterns_by_year",
    "formulas", "formulas_by_year", "compare",
)
# Columns that hold text from the corpus or names: text even when every value looks like a number.
TEXT_COLUMNS = frozenset(
    "doc_id source title year_source status phrase surface kind rule context variants members how evidence "
    "template family where gloss".split()
)
NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$")
# Characters an .xlsx file cannot hold (XML 1.0 forbids them).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FIELD_SIZE_LIMIT = 2**31 - 1
MIN_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 6, 60, 2000


@dataclass(frozen=True)
class SheetSummary:
    """One sheet of the workbook: the table it holds and how much of it."""

    name: str
    table: str
    rows: int
    written: int
    cut_cells: int = 0

    @property
    def complete(self) -> bool:
        return self.rows == self.written


def _tables(table_dir: Path) -> list[Path]:
    found = {p.stem: p for p in sorted(table_dir.glob("*.csv"))}
    order = [n for n in SHEET_ORDER if n in found] + sorted(n for n in found if n not in SHEET_ORDER)
    return [found[n] for n in order]


def _rows(path: Path) -> Iterator[list[str]]:
    previous = csv.field_size_limit(FIELD_SIZE_LIMIT)
    try:
        with path.open(encoding=ENCODING, newline="") as fh:
            yield from csv.reader(fh)
    except UnicodeDecodeError:
        raise TableError(f"{path}: not UTF-8 (saved again by another program?); write it again with miner") from None
    finally:
        csv.field_size_limit(previous)


def _numeric_columns(header: list[str], path: Path) -> set[int]:
    """Columns whose every value is a number, text columns aside."""
    candidates = {i for i, name in enumerate(header) if name not in TEXT_COLUMNS}
    for row in _body(path):
        for i in list(candidates):
            if i < len(row) and row[i] and not NUMBER.match(row[i]):
                candidates.discard(i)
        if not candidates:
            break
    return candidates


def _body(path: Path) -> Iterator[list[str]]:
    rows = _rows(path)
    next(rows, None)
    return rows


def _width(text: str) -> int:
    """Display width: CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet_name(stem: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", stem)[:31] or "table"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def export_xlsx(table_dir: str | Path, path: str | Path, *, max_rows: int = MAX_ROWS) -> list[SheetSummary]:
    """Write every table (``*.csv``) of a run folder as a sheet of one workbook.

    Text stays text: a cell is never a formula, and phrases that look like
    numbers (``863``) are text; counts, years and rates are numbers.  CSV
    cells guarded against spreadsheets (a quote before ``=``, ``+``, ``-``,
    ``@``) are written as the text they guard.  The first sheet, ``about``,
    lists the sheets, and says where a table was cut at the sheet limit
    (``max_rows`` rows, the header included) or a cell at 32,767 characters.

    Args:
        table_dir: A folder written by ``miner run`` (and the other commands).
        path: The .xlsx file to write.
        max_rows: Most rows of a sheet, the header included.

    Returns:
        One summary per table, in the order of the sheets.

    Raises:
        TableError: The folder holds no table, or a table is unreadable.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "phrases.csv").write_text("phrase,total\\n863,4\\n'=1+8,2\\n", encoding="utf-8-sig")
    >>> [(s.name, s.rows) for s in export_xlsx(d, d / "run.xlsx")]
    [('phrases', 2)]
    >>> from openpyxl import load_workbook
    >>> [[c.value for c in row] for row in load_workbook(d / "run.xlsx")["phrases"].iter_rows()]
    [['phrase', 'total'], ['863', 4], ['=1+8', 2]]
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table_dir, path = Path(table_dir), Path(path)
    if not table_dir.is_dir():
        raise InputError(f"{table_dir}: no such folder; run `miner run CORPUS -o {table_dir}` first")
    tables = _tables(table_dir)
    if not tables:
        raise TableError(f"{table_dir}: no tables (*.csv) to export; run `miner run CORPUS -o {table_dir}` first")
    if max_rows < 2:
        raise InputError(f"max_rows is {max_rows}; a sheet needs room for the header and a row")

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    # Opened before the sheets are made: a workbook that cannot be saved would
    # leave its sheets' writers open, and they complain when collected.
    out = open(tmp, "wb")
    try:
        book = Workbook(write_only=True)
        about = book.create_sheet("about")
        taken = {"about"}
        summaries = []
        bold = Font(bold=True)
        for table in tables:
            header = next(_rows(table), None)
            if header is None:
                continue
            numeric = _numeric_columns(header, table)
            sheet = book.create_sheet(_sheet_name(table.stem, taken))
            widths = [_width(h) for h in header]
            for i, row in enumerate(_body(table)):
                if i >= WIDTH_SAMPLE:
                    break
                for j, value in enumerate(row[: len(widths)]):
                    widths[j] = max(widths[j], _width(value[:MAX_WIDTH]))
            for j, w in enumerate(widths, start=1):
                sheet.column_dimensions[get_column_letter(j)].width = min(max(w + 2, MIN_WIDTH), MAX_WIDTH)
            sheet.freeze_panes = "A2"
            head = []
            for name in header:
                cell = WriteOnlyCell(sheet, value=_text(name)[0])
                cell.font = bold
                head.append(cell)
            sheet.append(head)
            rows = written = cut = 0
            for row in _body(table):
                rows += 1
                if written + 1 >= max_rows:
                    continue
                cells = []
                for j, value in enumerate(row):
                    if j in numeric and value:
                        cells.append(float(value) if re.search(r"[.eE]", value) else int(value))
                        continue
                    text, was_cut = _text(unguard_cell(value))
                    cut += was_cut
                    cell = WriteOnlyCell(sheet, value=text)
                    cell.data_type = "s"  # text, even when it begins with "="
                    cells.append(cell)
                sheet.append(cells)
                written += 1
            summaries.append(SheetSummary(sheet.title, table.name, rows, written, cut))

        about.column_dimensions["A"].width = 20
        about.column_dimensions["B"].width = 24
        about.column_dimensions["C"].width = 12
        about.column_dimensions["D"].width = 90
        about.freeze_panes = "A2"

        def text_cell(sheet, value: str):
            cell = WriteOnlyCell(sheet, value=_text(value)[0])
            cell.data_type = "s"  # text, even when it begins with "="
            return cell

        about.append([text_cell(about, v) for v in ("sheet", "table", "rows", "note")])
        for s in summaries:
            notes = []
            if not s.complete:
                notes.append(f"only the first {s.written:,} of {s.rows:,} rows: a sheet holds {max_rows:,} rows "
                             f"with its header; the whole table is {s.table}")
            if s.cut_cells:
                notes.append(f"{s.cut_cells:,} cells cut at {MAX_CELL_CHARS:,} characters, the most a cell holds")
            about.append([text_cell(about, s.name), text_cell(about, s.table), s.rows, text_cell(about, "; ".join(notes))])
        book.save(out)
        out.close()
        tmp.replace(path)
    finally:
        out.close()
        tmp.unlink(missing_ok=True)
    return summaries


def _text(value: str) -> tuple[str, bool]:
    """Text a cell can hold: no XML-illegal control characters, at most 32,767 characters."""
    value = ILLEGAL.sub("\ufffd", value)
    if len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS], True
    return value, False
