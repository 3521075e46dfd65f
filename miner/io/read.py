"""Read a corpus: files and folders of .txt/.md, .docx, .html, .pdf, .jsonl/.json and .csv/.tsv.

Every document found is yielded as a :class:`~miner.types.Document`; one
that cannot be read is yielded too, with ``status`` saying why it was
skipped, so no input is silently lost: a bad byte, a NUL or a stray quote
costs the one row or line holding it, and what is not a regular file (a
FIFO, a device, a link loop, a folder that cannot be listed) is skipped
unopened.  Encodings are detected (UTF-8 with or without BOM, UTF-16 with or
without BOM, GB18030/GBK, Big5 and Big5-HKSCS) by weighing every reading of
the bytes; a document read all the same but in some doubt (an encoding
another reads nearly as well, bad bytes replaced, a row read again after a
stray quote) says so in ``warning``.  Row formats are read as streams, a
block of lines at a time.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import errno
import functools
import html
import io
import itertools
import json
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..preprocess.metadata import parse_year
from ..types import Document
from .markdown import markdown_text

__all__ = [
    "Fields", "iter_documents", "discover", "read_file", "file_kind", "decode_bytes", "detect_encoding", "open_regular",
    "DecodeError", "NotRegularFileError", "SUFFIXES", "output_names", "path_fields", "record_fields", "passed_over",
]

# Field names looked for, in this order; Chinese dumps name their columns in
# Chinese (标题, 正文, 发布日期).
TEXT_FIELDS = ("text", "content", "full_text", "body", "正文", "内容", "全文", "文本")
TITLE_FIELDS = ("title", "标题", "题目")
YEAR_FIELDS = ("year", "date", "年份", "年度", "日期", "发布日期", "发布时间", "时间")
SUFFIXES = (".txt", ".md", ".docx", ".html", ".htm", ".pdf", ".jsonl", ".json", ".csv", ".tsv")
SNIFF_BYTES = 1 << 16
MAX_BAD_BYTES = 1 / 1000  # replace at most one run of undecodable bytes in a thousand bytes
MAX_NUL_BYTES = 1 / 1000  # more NUL bytes than this make a file binary
FEW_NULS = 8  # … and more than this in a file too small for that share to tell
MAX_CONTROL_BYTES = 1 / 20  # and so do more control characters than this
SNIFF_SCORE_BYTES = 1 << 13  # enough to tell GBK from Big5
BLOCK_BYTES = 1 << 20  # rows are decoded a block at a time
# Where the sniffed encoding does not read a file, its superset is tried: the
# sniff sees 64 KB, and the Hong Kong characters may come later.
SUPERSETS = {"big5": ("big5hkscs",)}
EMPTY_PATH = "an empty path: name a file or folder (. for this folder)"
UTF16_SHARE = 0.95  # of the characters of UTF-16 text without a BOM: Chinese, ASCII or CJK punctuation

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
    b"{\\rtf": "an RTF document (save it as .docx or text)",
}
# Office packages that are no Word document, by their main part's content type.
OTHER_OFFICE = {"spreadsheetml": "an Excel workbook (.xlsx)", "presentationml": "a PowerPoint presentation (.pptx)"}
NON_ASCII = re.compile(rb"[\x80-\xff]")
NON_ASCII_TEXT = re.compile(r"[^\x00-\x7f]")
BAD_RUN = re.compile("\ufffd+")  # one stray byte can break the character it falls in: one run
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON's "\\ud800", or a file name's undecodable byte
ASCII_RARE = frozenset("{}[]\\|^~`<>@#$&*_+=")
# Chinese, ASCII, CJK punctuation, Latin-1 signs (no-break space, ·) and
# general punctuation (dashes, quotes, zero-width spaces).
UTF16_PLAUSIBLE = re.compile("[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # not tab, newlines, form feed or escape
CSV_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
LINE_END = re.compile(r"\r\n?|\n")
LINE_END_BYTES = re.compile(rb"\r\n?|\n")
OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines breaks at these too
# The start of an HTML page: a doctype or an <html> tag, after a byte-order
# mark, blank space or an XML declaration (in an ASCII-compatible encoding).
HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE,
)
META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)

# What the other commands write into an output folder besides the tables of
# ``miner run`` (see output_names).
OTHER_OUTPUTS = ("run.json", "formulas.csv", "formulas_by_year.csv", "compare.csv", "network.json")


class DecodeError(ValueError):
    """Bytes that are binary or in no encoding we can read; the message says which."""


@dataclass(frozen=True)
class Fields:
    """Which fields of a JSON object or CSV row hold the text, title and year.

    ``None`` means: detect (:data:`TEXT_FIELDS`, :data:`TITLE_FIELDS`, :data:`YEAR_FIELDS`).
    """

    text: str | None = None
    title: str | None = None
    year: str | None = None
    # ``--field NAME=PATTERN``: (name, regular expression) pairs, each
    # giving a field from the first group the pattern finds in a file's path.
    derived: tuple[tuple[str, str], ...] = ()

    def pick(self, keys: Iterable[str], which: str) -> str | None:
        given = getattr(self, which)
        keys = list(keys)
        if given is not None:
            return given if given in keys else None
        wanted = {"text": TEXT_FIELDS, "title": TITLE_FIELDS, "year": YEAR_FIELDS}[which]
        lower: dict[str, str] = {}
        for key in (k for k in keys if isinstance(k, str)):  # "text" before "text " or "Text"
            lower.setdefault(key, key)
        for key in (k for k in keys if isinstance(k, str)):
            lower.setdefault(key.strip().lower(), key)
        for key in (k for k in keys if isinstance(k, str) and not k.isascii()):
            lower.setdefault(_simplified(key.strip()), key)  # 內容, 標題, 發佈日期: the names in traditional characters
        return next((lower[w] for w in wanted if w in lower), None)

    def looked_for(self) -> str:
        return self.text if self.text is not None else ", ".join(TEXT_FIELDS)


@functools.lru_cache(maxsize=256)
def _simplified(name: str) -> str:
    """A field's name in simplified characters (標題 → 标题)."""
    from ..preprocess.normalize import canonical_phrase

    return canonical_phrase(name)


def _is_run_output(folder: Path) -> bool:
    """Whether ``folder`` holds the tables of a ``miner run`` (its run.json and documents.csv)."""
    try:
        return (folder / "run.json").is_file() and (folder / "documents.csv").is_file()
    except OSError:  # an unreadable or too deep folder: read_file says why
        return False


def _real(path: Path) -> str:
    """``path`` with its links resolved, never raising: a link loop or a path
    too long to resolve stays as it is (reading it says why)."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.abspath(path)


def discover(paths: Iterable[str | os.PathLike], *, out_dir: str | os.PathLike | None = None,
             passed: list[tuple[str, str]] | None = None) -> list[tuple[Path, str]]:
    """The files to read, each with the name it is reported under.

    Folders are walked recursively in sorted order.  Hidden files and
    folders, the output folders of earlier runs and ``out_dir`` (the folder
    this run writes to, when it lies inside an input folder) are not
    documents and are passed over; when ``out_dir`` is itself an input
    folder, the tables written there (:func:`output_names`) are.  A linked
    folder is followed once (a link back to a folder being walked is not
    followed again), and a file named twice is read once.  Whatever cannot be
    walked or opened — a folder that cannot be listed, a path too long, a
    link loop, a FIFO or a device — is listed all the same: :func:`read_file`
    reports it as skipped with the reason, without opening it.  A missing
    path is an error.  ``passed``, if given, collects what was passed over
    as ``(name, why)``: ``"hidden"`` or ``"an earlier run's tables"``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a.txt", "out/documents.csv", ".hidden/c.txt"):
    ...     (d / name).parent.mkdir(exist_ok=True)
    ...     _ = (d / name).write_text("两个率先", encoding="utf-8")
    >>> (d / "loop").symlink_to(d / "loop")
    >>> passed = []
    >>> [name[len(str(d)) + 1 :] for _, name in discover([d], out_dir=d / "out", passed=passed)]
    ['a.txt', 'b.txt', 'loop']
    >>> [(name[len(str(d)) + 1 :], why) for name, why in passed]
    [('.hidden', 'hidden')]
    """
    found: list[tuple[Path, str]] = []
    seen: set[str] = set()
    names: set[str] = set()
    out = _real(Path(out_dir)) if out_dir is not None else None

    def add(path: Path) -> None:
        # The same file named twice (or a folder and a file in it) is one document.
        key = _real(path)
        if key not in seen:
            seen.add(key)
            # bad\xffname.txt, its bytes escaped, and a file named so in letters are two files
            name = printable = printable_name(path.as_posix())
            copies = 1
            while name in names:
                copies += 1
                name = f"{printable} ({copies})"
            names.add(name)
            found.append((path, name))

    for raw in paths:
        if not os.fspath(raw):
            raise InputError(EMPTY_PATH)
        path = Path(raw)
        if not _exists(path):
            raise InputError(f"{raw}: no such file or folder")
        if _is_folder(path):
            _walk(path, add, out, passed if passed is not None else [])
        else:
            add(path)
    return found


RUN_OUTPUT = "an earlier run's tables"


def passed_over(passed: Iterable[tuple[str, str]], most: int = 3) -> str:
    """What :func:`discover` passed over, in a line: how many of each kind,
    with the first names.

    >>> passed_over([("a/.x.txt", "hidden"), ("a/.git", "hidden"), ("a/out", RUN_OUTPUT)])
    "passed over: 2 hidden (a/.x.txt, a/.git), 1 folder of an earlier run's tables (a/out)"
    """
    kinds: dict[str, list[str]] = {}
    for name, why in passed:
        kinds.setdefault(why, []).append(name)
    parts = []
    for why, names in kinds.items():
        shown = ", ".join(names[:most]) + (", …" if len(names) > most else "")
        label = why if why == "hidden" else f"folder{'s' if len(names) > 1 else ''} of {why}"
        parts.append(f"{len(names)} {label} ({shown})")
    return f"passed over: {', '.join(parts)}" if parts else ""


def printable_name(name: str) -> str:
    """A file name as it is reported: the bytes of a name that is not valid
    UTF-8 (which Python holds as lone surrogates) shown as ``\\xff``.

    >>> printable_name(os.fsdecode(b"bad\\xffname.txt"))
    'bad\\\\xffname.txt'
    """
    if not LONE_SURROGATE.search(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@functools.lru_cache(maxsize=1)
def output_names() -> frozenset[str]:
    """The names of the files miner's commands write into an output folder:
    when that folder is also an input folder, they are not documents."""
    from ..pipeline import TABLES  # the pipeline reads through this module

    return frozenset(TABLES) | frozenset(OTHER_OUTPUTS)


def _exists(path: Path) -> bool:
    """Whether there is something at ``path``, a broken link included; a path
    that cannot be looked at (too long, a folder on the way unreadable) is
    there too, for :func:`read_file` to report."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return True
    return True


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _walk(top: Path, add, out: str | None, passed: list[tuple[str, str]]) -> None:
    """Add the files under ``top``; a folder that cannot be listed is added
    itself, for :func:`read_file` to report; what is passed over goes to ``passed``."""
    walked = {_folder_id(top)}
    leave_out = output_names() if out is not None and _real(top) == out else frozenset()

    def unlisted(exc: OSError) -> None:
        if exc.filename:
            add(Path(os.fsdecode(exc.filename)))

    for dirpath, dirnames, filenames in os.walk(top, followlinks=True, onerror=unlisted):
        here = Path(dirpath)
        kept = []
        for d in sorted(dirnames):
            sub = here / d
            if out is not None and _real(sub) == out:
                continue  # the tables this run writes
            if d.startswith(".") or _is_run_output(sub):
                # hidden folders and the outputs of runs hold no documents
                passed.append((printable_name(sub.as_posix()), "hidden" if d.startswith(".") else RUN_OUTPUT))
                continue
            key = _folder_id(sub)
            if key is None:
                add(sub)  # cannot even be looked at: read_file says why
            elif key not in walked:  # a link to a folder walked already is not followed again
                walked.add(key)
                kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                passed.append((printable_name((here / name).as_posix()), "hidden"))
            elif not (here == top and name in leave_out):
                add(here / name)


def _folder_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def iter_documents(paths: Iterable[str | os.PathLike], fields: Fields = Fields()) -> Iterator[Document]:
    """Yield every document of the given files and folders, readable or not.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"text": "两个率先", "year": 2005}\\nnot json\\n', encoding="utf-8")
    >>> [(x.doc_id.split("/")[-1], x.year, x.status) for x in iter_documents([d])]
    [('a.jsonl#1', 2005, 'ok'), ('a.jsonl#2', None, 'skipped: line 2 is not valid JSON (Expecting value at column 1)')]
    """
    for path, name in discover(paths):
        yield from read_file(path, name, fields)


def read_file(path: Path, name: str, fields: Fields = Fields()) -> Iterator[Document]:
    """Yield the documents of one file (one, or one per row for row formats).

    Anything but a regular file is skipped with the reason, unopened:

    >>> [d.status for d in read_file(Path("/dev/null"), "/dev/null")]
    ['skipped: not a regular file but a character device']
    """
    problem = _not_a_file(path)
    if problem:
        yield _skip(name, problem)
        return
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        kinds = " ".join(SUFFIXES)
        yield _skip(name, f"unsupported file type '{suffix or path.name}' (readable: {kinds})")
        return
    try:
        head = _head(path) if reader not in (_read_docx, _read_pdf) else b""  # their own readers say what they are
        if head[:1] == b"\x00" and _only_nuls(path):
            yield _skip(name, "only NUL bytes, no text")
            return
        if reader in (_read_jsonl, _read_json, _read_table) and HTML_START.match(head):
            # a page saved under a data format's name: read as the page it is
            yield from (_warned(doc, f"an HTML page named like a {suffix[1:].upper()} file: read as HTML")
                        for doc in _with_path_fields(_read_html(path, name, fields), name, fields))
            return
        yield from _with_path_fields(reader(path, name, fields), name, fields)
    except DecodeError as exc:
        yield _skip(name, str(exc))
    except OSError as exc:
        yield _skip(name, f"cannot read the file ({exc.strerror or exc})")


def path_fields(name: str, derived: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The fields ``--field NAME=PATTERN`` takes from a file's path: the first
    group of the pattern (or the whole match if it has none); a pattern that
    does not match leaves its field out.

    >>> path_fields("reports/广东省/2019.txt", [("province", "([^/]+省)"), ("city", "([^/]+市)")])
    {'province': '广东省'}
    """
    found = {}
    for field_name, pattern in derived:
        m = re.search(pattern, name.replace("\\", "/"))
        if m:
            value = m.group(1) if m.re.groups else m.group(0)
            if value:
                found[field_name] = value
    return found


def _with_path_fields(documents: Iterator[Document], name: str, fields: Fields) -> Iterator[Document]:
    if not fields.derived:
        yield from documents
        return
    taken = path_fields(name, fields.derived)
    for doc in documents:
        # A field the record itself holds gives way to the one named on the command line.
        yield replace(doc, fields={**doc.fields, **taken}) if taken else doc


FILE_KINDS = (
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(path: str | os.PathLike) -> str:
    """What ``path`` is, following links, in words; it is not opened.

    >>> file_kind("/dev/null"), file_kind("/")
    ('a character device', 'a folder')
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as exc:
        return f"not to be looked at ({getattr(exc, 'strerror', None) or exc})"
    return _mode_kind(mode)


def _mode_kind(mode: int) -> str:
    return next((what for test, what in FILE_KINDS if test(mode)), "a special file")


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file that can be read, or ``None``; it is looked at, never opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if exc.errno == errno.ENAMETOOLONG:
            return "the path is too long to open"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return "a broken symbolic link"
        return f"cannot read the file ({exc.strerror or exc})"
    except ValueError as exc:  # a NUL in the name
        return f"cannot read the file ({exc})"
    if stat.S_ISDIR(mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            return f"a folder that cannot be read ({exc.strerror or exc})"
        return "a folder that could not be listed"
    if stat.S_ISREG(mode):
        return None
    return f"not a regular file but {_mode_kind(mode)}"


class NotRegularFileError(OSError):
    """A path that is not a regular file (a FIFO, a device, a folder …)."""


def open_regular(path: str | os.PathLike) -> io.BufferedReader:
    """Open a regular file for reading in binary; anything else (a FIFO, a
    device) raises :class:`NotRegularFileError` without blocking or reading.

    >>> open_regular("/dev/zero")
    Traceback (most recent call last):
    miner.io.read.NotRegularFileError: /dev/zero: not a regular file
    """
    # O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError(f"{os.fspath(path)}: not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _head(path: Path) -> bytes:
    """The first bytes of the file at ``path``, enough to tell an HTML page."""
    with open_regular(path) as fh:
        return fh.read(SNIFF_SCORE_BYTES)


def _only_nuls(path: Path) -> bool:
    """Whether the file at ``path`` holds NUL bytes and nothing else (a
    preallocated or zeroed file), found a block at a time without reading
    more than a block into memory.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     _ = f.write(bytes(3 * BLOCK_BYTES)); _ = f.flush()
    ...     _only_nuls(Path(f.name))
    True
    """
    with open_regular(path) as fh:
        block = fh.read(BLOCK_BYTES)
        if not block:
            return False  # an empty file
        while block:
            if block.strip(b"\x00"):
                return False
            block = fh.read(BLOCK_BYTES)
    return True


def _skip(doc_id: str, reason: str, source: str | None = None) -> Document:
    return Document(doc_id=doc_id, source=source or doc_id.split("#")[0], status=f"skipped: {reason}")


# -- decoding ------------------------------------------------------------


def _binary_kind(head: bytes) -> str | None:
    """What kind of binary file ``head`` starts, or ``None`` for text.

    A few stray NUL bytes do not make a file binary (the row or line holding
    one is dealt with alone), nor does a run of them at the end (the padding
    a writer that died leaves): more than one NUL in a thousand bytes does,
    and more than :data:`FEW_NULS` in a small file (UTF-16 without a
    byte-order mark, executables, compressed or random data), and so does
    more than one control character in twenty bytes.
    """
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic):
            return kind
    head = head[:SNIFF_BYTES].rstrip(b"\x00")
    if head.count(0) > max(FEW_NULS, len(head) * MAX_NUL_BYTES):
        return "a binary file"
    if len(CONTROL.findall(head)) > len(head) * MAX_CONTROL_BYTES:
        return "a binary file"
    return None


def detect_encoding(head: bytes, *, final: bool = True, hint: str | None = None) -> str:
    """The encoding of a file from its first bytes (raises :class:`DecodeError`).

    ``final``: whether ``head`` is the whole file; a prefix may end inside a
    character.  ``hint``: the encoding a page declares (its ``<meta
    charset>``), which is weighed, not trusted.  Bytes that are valid UTF-8
    are UTF-8; otherwise every encoding that decodes them (GB18030, Big5,
    UTF-16 without a byte-order mark in either order, the hint, and, against
    odds, those of Korean and Japanese: :data:`FOREIGN`) is a candidate, and
    the reading that is most plausible as text wins
    (:func:`_plausibility`): GB18030 decodes almost any bytes, short GBK
    texts are often valid Big5 too, and short UTF-16 holds no NUL to give it
    away.  :func:`sniff` also says when the choice is in doubt.

    >>> detect_encoding("两个率先".encode("gbk")), detect_encoding("兩個率先".encode("big5"))
    ('gb18030', 'big5')
    >>> detect_encoding("区长在争创".encode("utf-16-be")), detect_encoding("區長".encode("gbk"))
    ('utf-16-be', 'gb18030')
    >>> detect_encoding(("x" * 65535 + "两").encode("utf-8")[:65536], final=False)
    'utf-8'
    """
    return sniff(head, final=final, hint=hint)[0]


def sniff(head: bytes, *, final: bool = True, hint: str | None = None) -> tuple[str, str]:
    """``(encoding, doubt)``: the encoding of a file from its first bytes, as
    :func:`detect_encoding` finds it, and, when another encoding reads them
    nearly as plausibly into a different text, a warning naming both
    (else ``""``).  Very short texts can be truly ambiguous; the warning
    records that rather than guessing silently.

    >>> sniff("改革开放".encode("gbk"))
    ('gb18030', '')
    >>> sniff("    某".encode("gbk"))  # 某 in GBK, 議 in Big5: both common
    ('big5', 'the encoding is in doubt: read as Big5, but GB18030 reads the 6 bytes almost as well')
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's: FF FE begins both
        return "utf-32", ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    # UTF-16 without a byte-order mark: tried first where the bytes hold a
    # NUL (as every ASCII character, line ends included, does in UTF-16) or
    # look binary.
    utf16 = functools.cache(functools.partial(_utf16_without_bom, head, final=final))  # looked at once
    utf32 = _utf32_without_bom(head, final=final)
    if utf32 and not head.startswith(tuple(BINARY_MAGIC)):
        return utf32, ""
    if b"\x00" in head[:SNIFF_BYTES] and utf16():
        return utf16(), ""
    kind = _binary_kind(head)
    if kind:
        # A file that begins with the mark of its format (%PDF, {\\rtf, PK) is
        # that format, however its bytes pair up as UTF-16; one that only
        # looks binary may be UTF-16 without a byte-order mark.
        if not head.startswith(tuple(BINARY_MAGIC)) and utf16():
            return utf16(), ""
        raise DecodeError(f"{kind}, not text")
    utf8 = _reading(head, "utf-8", final=final)
    if utf8 is not None and len(NON_ASCII_TEXT.findall(utf8)) >= UTF8_SURE:
        return "utf-8", ""
    if b"~{" in head and not NON_ASCII.search(head[:SNIFF_BYTES]):
        # HZ (RFC 1843): GB2312 in seven bits, between ~{ and ~}, as old mail and news wrote it
        hz = _reading(head, "hz", final=final)
        if hz and len(HAN_TEXT.findall(hz)) >= HZ_SURE:
            return "hz", ""
    # Big5 with the Hong Kong characters when plain Big5 does not decode.
    big5 = "big5" if _decodes(head, "big5", final=final) else "big5hkscs"
    names = ["utf-8", "gb18030", big5, "utf-16-le", "utf-16-be", *FOREIGN]
    declared = _codec_name(hint)
    if declared and declared not in names:
        names.append(declared)
    readings: dict[str, float] = {}  # plausibility, with the priors
    raw: dict[str, float] = {}  # plausibility alone, which the doubt is judged on
    texts: dict[str, str] = {}
    for name in names:
        text = _reading(head, name, final=final)
        if name == "gb18030" and text:
            text = _windows_quotes(head, text)[0]  # “” pasted from Windows-1252 among GBK
        if text is None or text in texts.values() or not text:
            continue  # does not decode, or reads the same as a likelier name
        if name.startswith("utf-16") and len(UTF16_PLAUSIBLE.findall(text)) < UTF16_SHARE * len(text):
            continue  # UTF-16 without a byte-order mark must read as Chinese, ASCII or punctuation
        if sum(_char_cost(c) == COST_IMPOSSIBLE for c in text) > len(text) * MAX_IMPOSSIBLE:
            continue  # controls, private-use characters, U+FFFF: not text in this encoding
        if name in FOREIGN and not _foreign_text(text, FOREIGN[name]):
            continue
        texts[name] = text
        prior = HINT_PRIOR if name == declared else -FOREIGN_PRIOR if name in FOREIGN else 0.0
        if name == "utf-8":  # bytes in other encodings seldom form valid UTF-8 characters
            prior += UTF8_PRIOR * len(NON_ASCII_TEXT.findall(text))
        raw[name] = _plausibility(text)
        readings[name] = raw[name] + prior
    if not readings:
        # No encoding reads every byte: the one that reads them best with a
        # few bad bytes replaced (a stray byte in GBK text), else UTF-16 or UTF-8.
        return _with_bad_bytes(head, names, final=final) or utf16() or "utf-8", ""
    ranked = sorted(readings, key=readings.get, reverse=True)
    best = ranked[0]
    if "utf-8" in readings and not NON_ASCII.search(head[:SNIFF_BYTES]) and best != "utf-8":
        # Bytes that are all ASCII stay ASCII: a few Chinese characters in
        # UTF-16 can look like them, but far more files are plain ASCII.
        return "utf-8", (f"the encoding is in doubt: read as ASCII, but {_label(best)} "
                         f"reads the {len(head[:SNIFF_BYTES])} bytes as Chinese")
    # In doubt when another reading is nearly as plausible as the one taken,
    # whatever the page declares: the declaration may be the wrong one.  A
    # Korean or Japanese reading keeps its prior: few files are.
    odds = {name: raw[name] - (FOREIGN_PRIOR if name in FOREIGN else 0.0) for name in raw}
    second = max(ranked[1:], key=odds.get, default=None)
    if second is not None and odds[best] - odds[second] < DOUBT_MARGIN:
        return best, (f"the encoding is in doubt: read as {_label(best)}, but {_label(second)} "
                      f"reads the {len(head[:SNIFF_BYTES])} bytes almost as well")
    return best, ""


def _foreign_text(text: str, language: str) -> bool:
    """Whether ``text`` can be ``language`` ("Korean" or "Japanese"): Japanese
    is written with kana among its characters, Korean in Hangul with a space
    between words.  Chinese bytes read in their encodings make Hangul without
    spaces, or Chinese characters with hardly a kana.

    >>> _foreign_text("정부는 노력한다", "Korean"), _foreign_text("갠끔흔", "Korean"), _foreign_text("日本政府は努力する", "Japanese")
    (True, False, True)
    """
    letters = KANA_HANGUL.findall(text)
    if len(letters) < FOREIGN_SHARE * len(NON_ASCII_TEXT.findall(text)):
        return False
    return language != "Korean" or text.count(" ") * KOREAN_WORD >= len(letters)


def _with_bad_bytes(head: bytes, names: Iterable[str], *, final: bool) -> str | None:
    """The encoding of ``names`` that reads ``head`` most plausibly with bad
    bytes in at most one line in a thousand bytes, or ``None``.

    >>> _with_bad_bytes("两个率先，四个全面。\\n".encode("gbk") * 100 + b"\\xff", ["utf-8", "gb18030", "big5"], final=True)
    'gb18030'
    """
    data = head[:SNIFF_BYTES]
    best, score = None, -math.inf
    for name in names:
        try:
            decoder = codecs.getincrementaldecoder(name)(errors="replace")
            text = decoder.decode(data, final=final and len(head) <= SNIFF_BYTES)
        except (LookupError, ValueError, TypeError):
            continue
        # Counted and judged by lines: after a stray byte the rest of its line
        # may read out of step, and a row format skips that line alone.
        lines = text.split("\n")
        good = "\n".join(line for line in lines if "\ufffd" not in line)
        bad = len(lines) - good.count("\n") - 1 if good else len(lines)
        if not bad or bad > max(1, len(data) * MAX_BAD_BYTES) or len(good) < len(text) / 2:
            continue
        text = good[:SNIFF_SCORE_BYTES]
        if sum(_char_cost(c) == COST_IMPOSSIBLE for c in text) > len(text) * MAX_IMPOSSIBLE:
            continue
        plausible = _plausibility(text)
        if plausible > score:
            best, score = name, plausible
    return best


def _label(encoding: str) -> str:
    return {"gb18030": "GB18030", "big5": "Big5", "big5hkscs": "Big5-HKSCS", "utf-16-le": "UTF-16 LE",
            "utf-16-be": "UTF-16 BE", "utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16",
            "utf-32": "UTF-32", "hz": "HZ", "cp949": "EUC-KR", "cp932": "Shift-JIS", "euc_jp": "EUC-JP"
            }.get(encoding, encoding)


# What a page's declared charset is read with (after the WHATWG Encoding
# standard: GB2312 and GBK pages are decoded as GBK's superset, GB18030).
CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030",
    "chinese": "gb18030", "iso-ir-58": "gb18030", "gb18030": "gb18030", "cp936": "gb18030",
    "big5": "big5", "cn-big5": "big5", "x-x-big5": "big5", "csbig5": "big5", "big5-hkscs": "big5hkscs",
    "cp950": "big5", "utf-16": "utf-16-le", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}


def _codec_name(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or ``None`` if it names none."""
    if not charset:
        return None
    charset = charset.strip().lower()
    name = CHARSET_ALIASES.get(charset, charset)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13: not a charset
        return None
    return name if name in CHARSET_ALIASES.values() else info.name


def _reading(head: bytes, encoding: str, *, final: bool) -> str | None:
    """``head`` decoded as ``encoding`` (its first 8 KB of text), or ``None``
    if it does not decode; a prefix may end inside a character."""
    data = head[:SNIFF_BYTES]
    if encoding.startswith("utf-16") and (len(data) < 2 or (final and len(data) % 2)):
        return None
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        text = decoder.decode(data, final=final and len(head) <= SNIFF_BYTES)
    except (UnicodeError, LookupError, ValueError, TypeError):
        return None
    return text[:SNIFF_SCORE_BYTES] if isinstance(text, str) else None


# The cost (a negative log-probability, in nats) of a character of Chinese
# text, by kind; a reading's plausibility is minus the sum over its
# characters.  Every reading of the same bytes is scored alike, so the
# reading that explains them with fewer, commoner characters wins.
COST_HAN = 0.3  # Chinese characters are about three in four of the text; each also costs its own rarity
COST_UNLISTED_HAN = 16.5  # the rarity of a character too rare to be listed (see _han_costs)
COST_WHITESPACE = 4.6  # line ends and tabs
COST_ASCII = 6.8  # letters, digits, the space and common punctuation
COST_ASCII_RARE = 10.0  # the ASCII symbols prose seldom holds: {}[]\\|^~`<>@#$&*_+=
COST_PUNCT = 7.8  # CJK punctuation and full-width forms
COST_SYMBOL = 11.0  # GB2312's other symbols (kana, Greek, box drawing …)
COST_KANA = 8.0  # Japanese kana, and Korean Hangul syllables: text in its own language, read right
COST_HANGUL = 8.5
# A Hangul syllable with a rare vowel (ㅒ ㅙ ㅞ) or a rare final consonant
# (ㄲ ㄳ ㄵ ㄶ ㄷ, the double finals, ㅄ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ) costs this much more:
# bytes of other encodings read as Korean make them at random.
COST_RARE_JAMO = 4.0
RARE_MEDIALS = frozenset({3, 10, 15})
RARE_FINALS = frozenset({2, 3, 5, 6, 7, *range(9, 16), 18, *range(22, 28)})
COST_OTHER = 20.0  # any other character: Yi, Latin-1 letters, CJK extensions …
COST_IMPOSSIBLE = 30.0  # controls, private use, surrogates, unassigned, U+FFFD
UTF8_SURE = 8  # valid UTF-8 with this many characters beyond ASCII is UTF-8
HZ_SURE = 2  # ASCII that HZ reads as this many Chinese characters is HZ
HAN_TEXT = re.compile("[\u4e00-\u9fff]")
ANSI_CODE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")  # a terminal's colour and cursor codes (ESC [ … m)
SENTENCE_MARK = re.compile("[，。；！？]")
UTF8_PRIOR = 1.6  # each one is about five times likelier in UTF-8 than in GBK or Big5 bytes
MAX_IMPOSSIBLE = 1 / 20  # a reading with more such characters than this is no reading
HINT_PRIOR = 3.0  # a page's declared charset is right about 19 times in 20
FOREIGN_PRIOR = 4.0  # Korean and Japanese files are rare among the Chinese ones: odds of about 1 in 50
FOREIGN_SHARE = 0.3  # and their text is at least this share kana or Hangul (of the characters beyond ASCII)
KANA_HANGUL = re.compile("[\u3041-\u30fa\uac00-\ud7a3]")
KOREAN_WORD = 8  # Korean puts a space between words: one at least every this many syllables
DOUBT_MARGIN = 3.0  # two readings closer than this (odds under 20:1) leave the encoding in doubt


@functools.lru_cache(maxsize=1)
def _han_costs() -> dict[str, float]:
    """How rare each Chinese character is: minus the log of its share of all
    Chinese characters, from ``miner/data/han_frequency.txt`` (written by
    ``scripts/han_frequency.py`` from jieba's dictionary)."""
    from importlib import resources

    text = resources.files("miner").joinpath("data/han_frequency.txt").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {char: float(cost) for char, cost in pairs}


@functools.lru_cache(maxsize=1 << 16)
def _char_cost(char: str) -> float:
    """The cost of ``char`` in Chinese text: minus the log of how likely it is.

    >>> [_char_cost(c) for c in "的镕\\n,한촟の"]
    [5.9, 13.5, 4.6, 6.8, 8.5, 12.5, 8.0]
    """
    if char in "\n\r\t":
        return COST_WHITESPACE
    if " " <= char <= "~":
        return COST_ASCII_RARE if char in ASCII_RARE else COST_ASCII
    if "\u4e00" <= char <= "\u9fff":
        return round(COST_HAN + _han_costs().get(char, COST_UNLISTED_HAN), 1)
    if "\u3041" <= char <= "\u30fa":
        return COST_KANA
    if "\uac00" <= char <= "\ud7a3":
        medial, final = divmod((ord(char) - 0xAC00) % 588, 28)
        return COST_HANGUL + COST_RARE_JAMO * ((medial in RARE_MEDIALS) + (final in RARE_FINALS))
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        encoded = b""
    if len(encoded) == 2:
        return COST_PUNCT if encoded[0] <= 0xA3 else COST_SYMBOL
    if "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or char in "‐‑‒–—―‖‗‘’‚‛“”„‟…‥":
        return COST_PUNCT
    if char == "\ufffd" or unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn"):
        return COST_IMPOSSIBLE
    return COST_OTHER


def _plausibility(text: str) -> float:
    """How plausible ``text`` is as Chinese text: minus the summed cost of its
    characters once converted to simplified ones (so traditional text read as
    Big5 scores like simplified text), less the higher the better.

    >>> data = "改革开放".encode("gbk")
    >>> round(_plausibility(data.decode("gb18030")), 1), round(_plausibility(data.decode("big5")), 1)
    (-29.0, -46.8)
    """
    return -sum(map(_char_cost, _to_simplified().convert(text)))


def _reads_as_utf16(data: bytes) -> bool:
    """Whether ``data``, which begins with a UTF-16 byte-order mark, reads as
    UTF-16 text: Chinese, ASCII and punctuation, not Hangul, Yi and
    surrogates."""
    try:
        text = data[2 : SNIFF_BYTES // 2 * 2].decode("utf-16-le" if data[0] == 0xFF else "utf-16-be")
    except UnicodeDecodeError:
        return False
    return not text or len(UTF16_PLAUSIBLE.findall(text)) >= UTF16_SHARE * len(text)


def _utf32_without_bom(head: bytes, *, final: bool) -> str | None:
    """``"utf-32-le"`` or ``"utf-32-be"`` for text in UTF-32 without a
    byte-order mark (two NUL bytes in every character of Chinese, three in
    every one of ASCII), else ``None``.

    >>> _utf32_without_bom("实现“两个率先”。\\n".encode("utf-32-le"), final=True)
    'utf-32-le'
    >>> _utf32_without_bom("实现“两个率先”。\\n".encode("utf-16-le"), final=True) is None
    True
    """
    head = head[:SNIFF_BYTES]
    if len(head) < 4 or (final and len(head) % 4) or b"\x00\x00" not in head:
        return None
    for encoding in ("utf-32-le", "utf-32-be"):
        try:
            text = head[: len(head) // 4 * 4].decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(UTF16_PLAUSIBLE.findall(text)) >= UTF16_SHARE * len(text):
            return encoding
    return None


def _utf16_without_bom(head: bytes, *, final: bool) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` for text in UTF-16 without a
    byte-order mark, else ``None``.

    Read in the right byte order, nearly every character is Chinese, ASCII,
    or punctuation; read the wrong way, or when the bytes are GBK, Big5
    or binary, most are Hangul, Yi, private-use or unpaired surrogates.  When
    both orders pass, the more plausible reading (:func:`_plausibility`) wins.

    >>> _utf16_without_bom("实现“两个率先”。\\n".encode("utf-16-be"), final=True)
    'utf-16-be'
    >>> _utf16_without_bom("实现“两个率先”。\\n".encode("utf-16-le"), final=True)
    'utf-16-le'
    >>> _utf16_without_bom("实现两个率先".encode("gbk"), final=True) is None
    True
    """
    head = head[:SNIFF_BYTES]
    if len(head) < 2 or (final and len(head) % 2):
        return None
    fits = {}
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = head[: len(head) // 2 * 2].decode(encoding, errors="strict" if final else "ignore")
        except UnicodeDecodeError:
            continue
        text = text[:SNIFF_SCORE_BYTES]
        if text and len(UTF16_PLAUSIBLE.findall(text)) >= UTF16_SHARE * len(text):
            fits[encoding] = _plausibility(text)
    return max(fits, key=fits.get) if fits else None


def _decodes(head: bytes, encoding: str, *, final: bool = True) -> bool:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:  # an unknown charset name, e.g. from an HTML meta tag
        return False
    try:
        decoder.decode(head[:SNIFF_BYTES], final=final and len(head) <= SNIFF_BYTES)
    except UnicodeDecodeError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode a whole file; returns ``(text, encoding)``.

    A file that is UTF-8 but for a few bad bytes (at most one in a thousand)
    is read with those bytes replaced, and the encoding says so.

    >>> decode_bytes("兩個率先".encode("big5"))
    ('兩個率先', 'big5')
    >>> decode_bytes(b"\\x00\\x01\\x02")
    Traceback (most recent call last):
    miner.io.read.DecodeError: a binary file, not text
    """
    text, encoding, _ = _decode_whole(data, hint)
    return text, encoding


def _decode_whole(data: bytes, hint: str | None = None) -> tuple[str, str, str]:
    """``(text, encoding, warning)`` of a whole file; the warning says when
    the encoding is in doubt, bad bytes were replaced or a part reads as
    garbled (else ``""``)."""
    if not data.strip():
        raise DecodeError("empty file" if not data else "only blank space, no text")
    misled = ""
    if data.startswith(codecs.BOM_UTF8) and not _decodes(data, "utf-8-sig"):
        # a UTF-8 byte-order mark an editor put before text in another encoding
        data, misled = data[len(codecs.BOM_UTF8) :], "begins with a UTF-8 byte-order mark but is not UTF-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE) \
            and not _reads_as_utf16(data):
        # the same, a UTF-16 byte-order mark (FF FE) before GBK or UTF-8 text
        data, misled = data[len(codecs.BOM_UTF16_LE) :], "begins with a UTF-16 byte-order mark but is not UTF-16"
    text, encoding, named, warnings = _decoded(data, hint)
    warnings.insert(0, f"{misled}: read as {_label(named)}" if misled else "")
    if encoding == "gb18030":
        text, quotes = _windows_quotes(data, text)
        warnings.append(f"{quotes} Windows-1252 quotes among the GBK text read as quotes" if quotes else "")
    warnings.append(garbled_part(text, encoding))
    return text, named, "; ".join(w for w in warnings if w)


# The curly quotes of Windows-1252 (‘ ’ “ ”), as bytes, and the same in GBK.
WINDOWS_QUOTES = {0x91: "‘".encode("gbk"), 0x92: "’".encode("gbk"), 0x93: "“".encode("gbk"), 0x94: "”".encode("gbk")}
QUOTE_GAIN = 5.0  # nats each quote must make the text more plausible by
WINDOWS_QUOTE_BYTES = re.compile(rb"[\x91-\x94]")


def _windows_quotes(data: bytes, text: str) -> tuple[str, int]:
    """``text``, GBK ``data`` decoded, with the Windows-1252 curly quotes
    pasted among its characters (0x93 两个确立 0x94) read as quotes, and how
    many there were; GB18030 takes such a byte for the first of a character
    and garbles the characters after it (摿礁鋈妨).  Only bytes where a
    character begins are looked at, and they are read as quotes only when
    that makes the text much more plausible (:data:`QUOTE_GAIN` each), in a
    file of up to a block (:data:`BLOCK_BYTES`), as a speech is.

    >>> data = "坚持".encode("gbk") + b"\\x93" + "两个确立".encode("gbk") + b"\\x94" + "。".encode("gbk")
    >>> _windows_quotes(data, data.decode("gb18030"))
    ('坚持“两个确立”。', 2)
    >>> _windows_quotes("撠".encode("gbk"), "撠")  # a character whose first byte is 0x93
    ('撠', 0)
    """
    if len(data) > BLOCK_BYTES or not WINDOWS_QUOTE_BYTES.search(data):
        return text, 0  # such bytes are rare in GBK text; a file of megabytes is not scanned byte by byte
    found, i = [], 0
    while i < len(data):
        byte = data[i]
        if byte < 0x80:
            i += 1
            continue
        if byte in WINDOWS_QUOTES:
            found.append(i)  # a quote of one byte, if it is one: the next character begins right after it
            i += 1
            continue
        i += 4 if i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x39 else 2
    if not found:
        return text, 0
    repaired = bytearray()
    last = 0
    for at in found:
        repaired += data[last:at] + WINDOWS_QUOTES[data[at]]
        last = at + 1
    repaired += data[last:]
    try:
        fixed = bytes(repaired).decode("gb18030")
    except UnicodeDecodeError:
        return text, 0
    if _plausibility(fixed) - _plausibility(text) < QUOTE_GAIN * len(found):
        return text, 0
    return fixed, len(found)


def _decoded(data: bytes, hint: str | None) -> tuple[str, str, str, list[str]]:
    """The text of a whole file, its encoding, the encoding as
    :func:`decode_bytes` names it (with the bad bytes it replaced), and
    the doubt and the replacement as warnings."""
    tried: dict[str, str] = {}
    for encoding, doubt in _candidates(data, hint):
        for name in (encoding, *SUPERSETS.get(encoding, ())):
            try:
                return data.decode(name), name, name, [doubt]
            except (UnicodeDecodeError, LookupError):
                tried.setdefault(name, doubt)
    tried.setdefault("utf-8", "")
    for encoding, doubt in tried.items():
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            continue
        if _bad_bytes(text) <= max(1, len(data) * MAX_BAD_BYTES):
            bad = text.count("\ufffd")
            warning = f"{bad} bytes that are not valid {_label(encoding)} were replaced"
            return text, encoding, f"{encoding} ({bad} bad bytes replaced)", [doubt, warning]
    named = list(dict.fromkeys(_label(e) for e in [*tried, "utf-8", "gb18030", "big5"]))
    raise DecodeError(f"undecodable bytes: not valid {', '.join(named[:-1])} or {named[-1]}")


# Garbled text (mojibake: Big5 read as GBK, GBK as Big5, UTF-8 as GBK) is a
# run of rare characters in the text converted to simplified characters
# (traditional text is rare only until converted).  A run is rare characters
# each at most GARBLE_GAP characters after the last; one of GARBLE_RUN or
# more is garbled if more than GARBLED_SHARE of its characters beyond ASCII
# are rare: seven to nine in ten in mojibake; no run of the national
# reports, the seeds, the sample or the test pages comes near.
GARBLE_GAP = 5
GARBLE_RUN = 20
GARBLED_SHARE = 0.5
COMMON_HAN_COST = 11.0  # the rarest Chinese character counted common (about 2,800 of them)
# Encodings that read almost any bytes, so that a wrong guess still decodes:
# the legacy byte encodings, and UTF-16 without a byte-order mark.
LEGACY = frozenset({"gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be"})
# The encodings of Korean and Japanese text (Windows' supersets of EUC-KR and
# Shift-JIS, and EUC-JP), and their language.  Without them a Korean or
# Japanese file is read as GB18030 or UTF-16 into Chinese characters that mean
# nothing; with them it is read right and said to be no Chinese text.
FOREIGN = {"cp949": "Korean", "cp932": "Japanese", "euc_jp": "Japanese"}


def garbled_part(text: str, encoding: str) -> str:
    """A warning naming the first stretch of ``text`` that reads as garbled
    when decoded from ``encoding`` (a file in two encodings, sniffed on its
    first part), or ``""``.  Only the encodings of :data:`LEGACY` are
    judged: bytes that are valid UTF-8, or that begin with a byte-order
    mark, are seldom anything else.  A text read in a Korean or Japanese
    encoding (:data:`FOREIGN`) is said to be no Chinese text.

    >>> garbled_part("關於優先發展國營經濟、鼓勵和指導資本主義經濟轉變為國家資本主義經濟的規定" * 50, "big5")
    ''
    >>> garbled_part("各位代表。" * 500 + "我們要深化放管服改革，協調推進四個全面戰略佈局。".encode("big5").decode("gb18030") * 5, "gb18030")
    'characters 2,501–2,620 look garbled read as GB18030 (mostly rare characters): part of the file may be in another encoding'
    """
    if encoding in FOREIGN:
        return f"read as {_label(encoding)}: the text is {FOREIGN[encoding]}, not Chinese"
    if encoding not in LEGACY:
        return ""
    rare = _rare_characters()
    if encoding.startswith("big5"):  # traditional text: every other character is rare until converted
        text = _to_simplified().convert(text)
    for m in _rare_runs().finditer(text):
        simplified = _to_simplified().convert(m.group())  # a GB18030 text may hold traditional characters
        if len(rare.findall(simplified)) > GARBLED_SHARE * len(NON_ASCII_TEXT.findall(simplified)):
            return (f"characters {m.start() + 1:,}–{m.end():,} look garbled read as {_label(encoding)} (mostly rare "
                    f"characters): part of the file may be in another encoding")
    return ""


def _garbled_warned(doc: Document, encoding: str) -> Document:
    """``doc``, a record of a file read as ``encoding``, warned if its text reads as garbled."""
    return _warned(doc, garbled_part(doc.text, encoding))


@functools.lru_cache(maxsize=1)
def _rare_runs() -> re.Pattern:
    """A run of :data:`GARBLE_RUN` rare characters or more, each at most :data:`GARBLE_GAP` after the last."""
    rare = _rare_characters().pattern
    return re.compile(f"{rare}(?:.{{0,{GARBLE_GAP - 1}}}{rare}){{{GARBLE_RUN - 1},}}", re.DOTALL)


@functools.lru_cache(maxsize=1)
def _rare_characters() -> re.Pattern:
    """Any character beyond ASCII but CJK punctuation and the commonest Chinese characters."""
    common = "".join(sorted(c for c, cost in _han_costs().items() if cost <= COMMON_HAN_COST))
    return re.compile("[^\x00-\x7f\u3000-\u303f\uff00-\uffef‘’“”…—·" + re.escape(common) + "]")


def _bad_bytes(text: str) -> int:
    """How many bad bytes the replacement characters in ``text`` stand for,
    counting a run of up to four (a stray byte, the character it broke and its
    orphaned continuation bytes) as one.

    >>> _bad_bytes("两\ufffd\ufffd\ufffd个"), _bad_bytes("\ufffd" * 64)
    (1, 61)
    """
    return sum(max(1, len(run) - 3) for run in BAD_RUN.findall(text))


def _candidates(data: bytes, hint: str | None) -> Iterator[tuple[str, str]]:
    """Encodings to try on a whole file, most likely first, each with its
    doubt (see :func:`sniff`) and found only if needed."""
    yield sniff(data[:SNIFF_BYTES], final=len(data) <= SNIFF_BYTES, hint=hint)
    first = NON_ASCII.search(data)
    if first and first.start() > 0:
        # A long ASCII head (scripts, styles, English) says nothing about the
        # encoding: sniff again where the non-ASCII text starts.
        end = first.start() + SNIFF_BYTES
        with contextlib.suppress(DecodeError):
            yield sniff(data[first.start() : end], final=end >= len(data), hint=hint)


def _sniff_stream(fh: io.BufferedReader) -> str:
    """The encoding of an open file read as a stream, leaving it at its start.

    The sniff looks at the first 64 KB, or, if those are all ASCII, at the
    64 KB from the first non-ASCII byte (found reading on in chunks).
    """
    return _sniff_stream_doubt(fh)[0]


def _sniff_stream_doubt(fh: io.BufferedReader) -> tuple[str, str]:
    """:func:`_sniff_stream`, with the doubt :func:`sniff` records."""
    head = fh.read(SNIFF_BYTES)
    more = fh.read(1)
    if not head.strip() and not more:
        raise DecodeError("empty file")
    encoding, doubt = sniff(head, final=not more)
    if encoding == "utf-8" and more and not NON_ASCII.search(head):
        offset = len(head)
        chunk = more + fh.read(SNIFF_BYTES)
        while chunk:
            first = NON_ASCII.search(chunk)
            if first:
                fh.seek(offset + first.start())
                window = fh.read(SNIFF_BYTES)
                with contextlib.suppress(DecodeError):
                    encoding, doubt = sniff(window, final=not fh.read(1))
                break
            offset += len(chunk)
            chunk = fh.read(SNIFF_BYTES)
    fh.seek(0)
    return encoding, doubt


# -- one-document formats ------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    with open_regular(path) as fh:
        return fh.read()


def _read_unpadded(path: Path) -> tuple[bytes, int]:
    """The bytes of a file but for a run of NUL padding of a block or more at
    its end (a preallocated file a writer died in), found from the end a
    block at a time and never read; and how many bytes that left out.  The
    cut keeps a multiple of four bytes, so that UTF-16 and UTF-32 text keeps
    its last character whole (the rest of the padding is left out after
    decoding).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     _ = f.write("两个率先".encode("utf-16-le") + bytes(3 * BLOCK_BYTES)); _ = f.flush()
    ...     data, cut = _read_unpadded(Path(f.name))
    >>> data.decode("utf-16-le"), cut == 3 * BLOCK_BYTES
    ('两个率先', True)
    """
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > BLOCK_BYTES:
            fh.seek(size - 1)
        if size <= BLOCK_BYTES or fh.read(1) != b"\x00":
            fh.seek(0)
            return fh.read(), 0  # no long padding: read once, as it is
        end = size
        while end > 0:
            start = max(0, end - BLOCK_BYTES)
            fh.seek(start)
            block = fh.read(end - start).rstrip(b"\x00")
            if block:
                end = start + len(block)
                break
            end = start
        end = min(size, -(-end // 4) * 4)
        if size - end < BLOCK_BYTES:
            end = size  # a little padding is left out after decoding, as NULs
        fh.seek(0)
        return fh.read(end), size - end


def _read_plain(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    data, cut = _read_unpadded(path)
    if HTML_START.match(data[:SNIFF_SCORE_BYTES]):  # a page saved as text: laid out as the page it is
        yield from (_warned(doc, "an HTML page named like a text file: read as HTML")
                    for doc in _html_document(data, name))
        return
    text, _, warning = _decode_whole(data)
    # the padding a writer that died leaves at the end, or a zeroed block at the start
    kept = text.strip("\x00")
    leading = len(text) - len(text.lstrip("\x00")) if kept.strip() else 0
    padding = len(text) - len(text.rstrip("\x00")) if kept.strip() else 0
    text = text[leading : len(text) - padding]
    text, colours = ANSI_CODE.subn("", text) if "\x1b[" in text else (text, 0)  # a terminal's capture
    if path.suffix.lower() == ".md":  # the words a reader sees, without the markup; the front matter's title and date
        marked = markdown_text(text)
        doc = _warned(_document(name, name, marked.text, title=marked.title, year=marked.date or None), warning)
    else:
        doc = _warned(_document(name, name, text), warning)
    if colours:
        doc = _warned(doc, f"{colours} terminal colour codes left out")
    if leading:
        doc = _warned(doc, f"starts with {leading} NUL characters, left out")
    if cut:  # a long run of padding, left unread
        doc = _warned(doc, f"ends in {cut + padding:,} NUL bytes of padding, left out")
    elif padding:
        doc = _warned(doc, f"ends in {padding} NUL characters of padding, left out")
    nuls = text.count("\x00")  # a few: more would have made the file binary
    yield _warned(doc, f"holds {nuls} NUL {'byte' if nuls == 1 else 'bytes'}") if nuls else doc


def _warned(doc: Document, warning: str) -> Document:
    """``doc`` with ``warning`` added to its own (a skipped document needs none)."""
    if not warning or not doc.ok:
        return doc
    return replace(doc, warning=f"{doc.warning}; {warning}" if doc.warning else warning)


def _read_html(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    yield from _html_document(_read_bytes(path), name)


def _html_document(data: bytes, name: str) -> Iterator[Document]:
    m = META_CHARSET.search(data[:4096])
    text, _, warning = _decode_whole(data, m.group(1).decode("ascii").lower() if m else None)
    title_match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    body, lost = _html_text(text)
    title = " ".join(html.unescape(title_match.group(1)).split()) if title_match else ""
    yield _warned(_warned(_document(name, name, body, title=title), warning), lost)


HTML_NOT_BODY = re.compile(r"<(script|style|head|title|noscript|template)\b.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>",
                           re.IGNORECASE | re.DOTALL)
HTML_TAG = re.compile(r"<[^>]*>")
FRAMES = re.compile(r"</?(?:frameset|noframes)\b[^>]*>|<frame\b[^>]*>", re.IGNORECASE)
HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_HTML_LOST = 0.1  # the page's layout may drop a little text (a form's options), not more
_HIDDEN = ('(@hidden or contains(translate(@style, "DISPLAYNOE ", "displaynoe"), "display:none")'
           ' or contains(translate(@style, "VISBLTYHDEN ", "visbltyhden"), "visibility:hidden"))')
HTML_HIDDEN = f"//*[{_HIDDEN} and not(ancestor::*[{_HIDDEN}])]"  # the outermost hidden elements


def _strict_layout():
    """inscriptis's strict CSS profile: inline elements laid out as a browser
    shows them, with no space added between them.  The default ("relaxed")
    pads every ``<span>``, and a page pasted from a word processor, whose
    every run of one font is a span, would come out as 指挥全党全军， “ 嘀嗒 ”
    就是: a space between Chinese characters, which the normaliser reads as a
    line break inside the sentence.  A new one each page, so that no
    page is read with what another left in it."""
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    return ParserConfig(css=CSS_PROFILES["strict"].copy())


def _html_text(page: str) -> tuple[str, str]:
    """The text of an HTML page as laid out by inscriptis, and ``""``; or,
    when that loses the page's text, the text between its tags and a warning.

    libxml2 stops reading a tree 256 elements deep and inscriptis recurses
    once per level, so a page of 300 unclosed ``<font>`` tags would come out
    empty or cut short.  The tree is parsed without the depth limit, and if
    the laid-out text still holds fewer than nine in ten of the Chinese
    characters between the tags of the body, those are read instead.

    >>> _html_text("<p>实现两个率先</p>")
    ('实现两个率先\\n', '')
    >>> body, lost = _html_text("<body>" + "<font>" * 5000 + "实现两个率先")
    >>> body.strip(), lost
    ('实现两个率先', 'the page is nested too deeply to lay out (read with its tags left out)')
    """
    import lxml.html
    from inscriptis import Inscriptis
    from lxml.etree import LxmlError

    stripped = FRAMES.sub("", page).strip()  # a frameset page's own text is in <noframes>, which parsers keep raw
    if not stripped:
        return "", ""
    tree = None
    try:
        tree = lxml.html.document_fromstring(stripped, parser=lxml.html.HTMLParser(huge_tree=True))
        for annotation in list(tree.iter("rt", "rp")):  # the pinyin set over characters (<ruby>放<rt>fàng</rt>)
            annotation.drop_tree()
        for fallback in list(tree.iter("noscript")):  # 请开启脚本: shown only where scripts do not run
            fallback.drop_tree()
        for frame in list(tree.iter("iframe")):
            # an inline frame's own page, written in its srcdoc, is shown in its place
            inline = frame.get("srcdoc")
            if inline and inline.strip():
                try:
                    frame.addnext(lxml.html.fragment_fromstring(inline, create_parent="div"))
                except (LxmlError, ValueError):
                    pass
            frame.drop_tree()
        body = Inscriptis(tree, _strict_layout()).get_text()
    except RecursionError:
        body = None
    except (LxmlError, ValueError):  # inscriptis's own fallback for what lxml refuses
        from inscriptis import get_text

        body = get_text(page, _strict_layout())
    between = html.unescape(HTML_TAG.sub(" ", HTML_NOT_BODY.sub(" ", page)))
    wanted = len(HAN.findall(between))
    if body is not None and len(HAN.findall(body)) >= (1 - MAX_HTML_LOST) * wanted:
        return body, ""
    if body is not None and tree is not None:  # what the page hides (display:none) is not lost by the layout
        hidden = sum(len(HAN.findall(el.text_content())) for el in tree.xpath(HTML_HIDDEN))
        if len(HAN.findall(body)) >= (1 - MAX_HTML_LOST) * (wanted - hidden):
            return body, ""
    lines = (" ".join(line.split()) for line in between.splitlines())
    return "\n".join(line for line in lines if line), "the page is nested too deeply to lay out (read with its tags left out)"


def _read_docx(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    from .docx import extract_docx_text, main_document, pasted_parts

    if not zipfile.is_zipfile(path):
        with open_regular(path) as fh:
            head = fh.read(SNIFF_BYTES)
        if not head.strip():
            raise DecodeError("empty file")
        kind = _binary_kind(head)
        what = "a damaged or truncated one" if kind == "a ZIP archive" else kind or "not one"
        raise DecodeError(f"not a .docx file: a .docx is a ZIP package and this is {what}")
    bomb = _zip_bomb(path)
    if bomb:
        raise DecodeError(bomb)
    try:
        raw = None
        try:
            book = docx.Document(str(path))
        except (KeyError, ValueError):  # Strict Open XML, or a .docm or .dotx named .docx: read the XML itself
            with zipfile.ZipFile(path) as package:
                raw = main_document(package)
            if raw is None:
                raise
        if raw is not None:
            text, title, properties, pasted = extract_docx_text(raw), "", {}, pasted_parts(raw)
        else:
            text, pasted = extract_docx_text(book), pasted_parts(book)
            title = book.core_properties.title or ""
            properties = _docx_properties(book.core_properties)
    # A damaged ZIP member fails as it is unpacked: zlib.error (a corrupt deflate
    # stream), EOFError (one cut short), RuntimeError (an encrypted one: "password
    # required") or NotImplementedError (a compression method zipfile lacks).
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError,
            zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        kind = "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__
        detail = str(exc) or ("a part ends before its declared size" if isinstance(exc, EOFError) else "no detail")
        if "Excessive depth" in detail:
            detail = "its XML is nested deeper than the parser's 256 levels"
        other = next((what for part, what in OTHER_OFFICE.items() if part in detail), None)
        if other:
            raise DecodeError(f"not a Word document but {other}") from None
        raise DecodeError(f"not a valid .docx file ({kind}: {detail})") from None
    if pasted and not text.strip():
        raise DecodeError(f"its text is in {pasted} part{'s' * (pasted != 1)} pasted in another format "
                          "(altChunk), which is not read")
    doc = _document(name, name, text, title=title)
    if pasted:
        doc = _warned(doc, f"{pasted} part{'s' * (pasted != 1)} pasted in another format (altChunk) not read")
    yield replace(doc, fields=properties) if properties and doc.ok else doc


MAX_UNZIPPED = 1 << 30  # a .docx larger than this unpacked is not a speech
MAX_ZIP_RATIO = 200  # nor is a part over ZIP_RATIO_FROM bytes packed tighter than this
ZIP_RATIO_FROM = 1 << 24


def _zip_bomb(path: Path) -> str | None:
    """Why the ZIP package at ``path`` is not to be unpacked (a ZIP bomb), or ``None``.

    Text packs about ten to one; a part that unpacks to more than 16 MB at
    over 200 to one, or a package over 1 GB unpacked, is filler made to
    exhaust memory.  The sizes are those the package declares; a part that
    unpacks to more than it declares fails its check when read.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # python-docx says what is wrong with it
    total = sum(p.file_size for p in parts)
    if total > MAX_UNZIPPED:
        return f"a ZIP bomb: the .docx would unpack to {total / 1e6:,.0f} MB"
    for p in parts:
        if p.file_size > ZIP_RATIO_FROM and p.file_size > MAX_ZIP_RATIO * max(1, p.compress_size):
            return (f"a ZIP bomb: {p.filename} would unpack to {p.file_size / 1e6:,.0f} MB "
                    f"from {p.compress_size / 1e6:,.1f} MB")
    return None


DOCX_PROPERTIES = ("author", "created", "subject", "keywords", "category")


def _docx_properties(core) -> dict[str, str]:
    """The core properties of a .docx file that are set, as text (dates as ISO dates)."""
    found = {}
    for key in DOCX_PROPERTIES:
        try:
            value = getattr(core, key)
        except (ValueError, TypeError):  # a date python-docx cannot parse
            continue
        if hasattr(value, "isoformat"):
            value = value.date().isoformat() if hasattr(value, "date") else value.isoformat()
        value = " ".join(str(value or "").split())
        if value:
            found[key] = value
    return found


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
    record, warning = _without_surrogates(record)
    return _warned(_record_document(doc_id, source, record, fields), warning)


def _without_surrogates(record: dict) -> tuple[dict, str]:
    """``record`` with the lone surrogates of its keys and strings, and of
    the strings of its lists (JSON's ``"\\ud800"``, which no UTF-8 table can
    hold), replaced by U+FFFD, and a warning if any were."""
    found = 0

    def clean(value):
        nonlocal found
        if isinstance(value, str) and LONE_SURROGATE.search(value):
            found += len(LONE_SURROGATE.findall(value))
            return LONE_SURROGATE.sub("\ufffd", value)
        return value

    def clean_value(value):  # a title given in parts is read too; deeper values never are
        return [clean(v) for v in value] if isinstance(value, list) else clean(value)

    record = {clean(k): clean_value(v) for k, v in record.items()}
    if not found:
        return record, ""
    return record, f"{found} lone surrogate{'s' * (found != 1)} (\\ud800–\\udfff) replaced by U+FFFD"


def _record_document(doc_id: str, source: str, record: dict, fields: Fields) -> Document:
    keys = list(record)
    text_key = fields.pick(keys, "text")
    if text_key is None:
        return _skip(doc_id, f"no text field (looked for {fields.looked_for()}; found {', '.join(map(str, keys)) or 'none'})", source)
    text, instead = record.get(text_key), ""
    if fields.text is None and not (isinstance(text, str) and text.strip()):
        # "text" empty in a row whose "content" holds the speech: the field that has it is read
        other = fields.pick([k for k in keys if k != text_key and isinstance(record[k], str) and record[k].strip()], "text")
        if other is not None:
            text, instead = record[other], f"the text field '{text_key}' is empty: '{other}' read instead"
            text_key = other
    if not isinstance(text, str):
        kind = "empty" if text is None else f"{_json_kind(text)}, not a string"
        return _skip(doc_id, f"the text field '{text_key}' is {kind}", source)
    title_key, year_key = fields.pick(keys, "title"), fields.pick(keys, "year")
    title = record.get(title_key) if title_key else ""
    if isinstance(title, list) and all(isinstance(t, str) for t in title):
        title = " ".join(t.strip() for t in title if t.strip())  # a title given in parts
    elif isinstance(title, bool) or not isinstance(title, (str, int, float)):
        title = ""  # an object or null names nothing
    doc = _warned(_document(doc_id, source, text, title=str(title), year=record.get(year_key) if year_key else None),
                  instead)
    extra = record_fields(record, (text_key, title_key, year_key))
    return replace(doc, fields=extra) if extra and doc.ok else doc


def record_fields(record: dict, used: Iterable[str | None]) -> dict[str, str]:
    """A record's scalar fields other than those read as text, title and year,
    as text; a list, an object or an empty value is left out.

    >>> record_fields({"text": "…", "province": "广东省", "level": 1, "ok": True, "tags": ["a"], "note": ""}, ["text"])
    {'province': '广东省', 'level': '1', 'ok': 'true'}
    """
    skip = set(used)
    found = {}
    for key, value in record.items():
        if key in skip or not isinstance(key, str) or not key.strip():
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        elif not isinstance(value, str):
            continue
        value = " ".join(value.split())
        if value:
            found[key.strip()] = value
    return found


JSONL_JOIN_LINES = 100  # a string broken over more lines than this is not joined again


def _read_jsonl(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    """The lines of a JSON Lines file, each a document or a skip with its reason.

    A line whose strings hold a raw control character (a tab) is read, and
    so is a record broken over several lines by a raw line break in a
    string, when joining the lines gives one object; each with a warning.
    """
    with open_regular(path) as fh:
        encoding, doubt = _sniff_stream_doubt(fh)
        records = 0
        bad: set[int] = set()
        numbered = enumerate(itertools.chain.from_iterable(_decoded_blocks(fh, encoding, bad, csv_lines=False)), 1)
        ahead: collections.deque[tuple[int, str]] = collections.deque()  # lines read ahead, not yet used
        while (item := next(numbered, None)) is not None and not item[1].strip():
            pass  # blank lines before the first record
        if item is not None and item[1].strip() in ("{", "["):
            # A record never starts with a line of its own brace: a JSON
            # file laid out over lines, named .jsonl (else read line by line).
            fh.seek(0)
            whole = _json_file(fh.read(), name, fields)
            if whole is not None:
                yield from (_warned(d, "a JSON file laid out over lines, not JSON Lines: read whole") for d in whole)
                return
            fh.seek(0)
            bad.clear()
            numbered = enumerate(itertools.chain.from_iterable(_decoded_blocks(fh, encoding, bad, csv_lines=False)), 1)
            item = next(numbered, None)
        if item is not None:
            ahead.append(item)
        while (item := ahead.popleft() if ahead else next(numbered, None)) is not None:
            number, line = item
            doc = _jsonl_line(number, line, number in bad, encoding, name, fields)
            if doc is not None and doc.status.startswith(f"skipped: line {number} is not valid JSON"):
                several = _jsonl_several(number, line, name, fields)
                if several:
                    records += len(several)
                    yield from (_garbled_warned(_warned(d, doubt), encoding) for d in several)
                    continue
            if _ends_in_string(doc, number):
                while len(ahead) < JSONL_JOIN_LINES and (more := next(numbered, None)) is not None:
                    ahead.append(more)
                    if more[0] in bad or _is_json_object(more[1]):
                        break  # a record of its own: the string did not go on there
                    joined = _jsonl_joined(number, [line] + [text for _, text in ahead], name, fields)
                    if joined is not None:
                        doc = joined
                        ahead.clear()
                        break
                else:
                    if not ahead:  # the last line, cut off inside a string
                        doc = replace(doc, status=doc.status + ": the file ends inside it")
            if doc is not None:
                records += 1
                yield _garbled_warned(_warned(doc, doubt), encoding)
        if not records:
            yield _skip(name, "no JSON lines, only blank space", name)


# Python refuses to turn more digits than this into an int (a guard against
# slow conversions); a longer number in a record is kept as its digits.
MAX_INT_DIGITS = 4300


def _json_loads(text: str, *, strict: bool = True):
    """``json.loads``, with a number too long for an int kept as its digits.

    >>> _json_loads('{"n": ' + "9" * 5000 + "}")["n"] == "9" * 5000
    True
    """
    return json.loads(text, strict=strict, parse_int=_json_int)


def _json_int(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) < MAX_INT_DIGITS else digits


def _is_json_object(line: str) -> bool:
    line = line.strip()
    if not line.startswith("{"):
        return False
    try:
        return isinstance(_json_loads(line, strict=False), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def _jsonl_joined(number: int, lines: list[str], name: str, fields: Fields) -> Document | None:
    """The document of lines ``number`` on, joined by the line breaks between
    them, if that is one JSON object, else ``None``."""
    try:
        record = _json_loads("\n".join(lines), strict=False)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    last = number + len(lines) - 1
    doc = _row_document(f"{name}#{number}", name, record, fields)
    return _warned(doc, f"lines {number}-{last} read as one record: a string holds a raw line break")


# The start of json's message for a string cut off by the end of its line.
UNTERMINATED = "Unterminated string"


def _json_error(exc: json.JSONDecodeError, *, line: bool = True) -> str:
    """What is wrong with some JSON and where, in words: json's own message
    ("Expecting ',' delimiter"; "Unterminated string starting at", which
    names its place only in the full text) with the line and column.

    >>> try:
    ...     json.loads('{"text": "两个率先')
    ... except json.JSONDecodeError as exc:
    ...     _json_error(exc), _json_error(exc, line=False)
    ('Unterminated string starting at line 1, column 10', 'Unterminated string starting at column 10')
    """
    where = f"line {exc.lineno}, column {exc.colno}" if line else f"column {exc.colno}"
    return f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"


def _jsonl_several(number: int, line: str, name: str, fields: Fields) -> list[Document]:
    """The documents of line ``number`` if it holds several JSON objects one
    after the other (``{…} {…}``), each with a warning; else ``[]``."""
    records = _json_objects(line)
    if len(records) < 2:
        return []
    warning = f"line {number} holds {len(records)} JSON objects: each read as a record"
    return [_warned(_row_document(f"{name}#{number}.{k}", name, record, fields), warning)
            for k, record in enumerate(records, 1)]


def _json_objects(text: str) -> list[dict]:
    """The JSON objects ``text`` holds one after the other (blanks or commas
    between them, raw control characters in strings allowed), or ``[]`` if
    it holds anything else.

    >>> _json_objects('{"a": 1} {"a": 2},{"a": 3}'), _json_objects('{"a": 1} [2]')
    ([{'a': 1}, {'a': 2}, {'a': 3}], [])
    """
    decoder = json.JSONDecoder(parse_int=_json_int, strict=False)
    records, at = [], 0
    text = text.strip()
    try:
        while at < len(text):
            record, at = decoder.raw_decode(text, at)
            if not isinstance(record, dict):
                return []
            records.append(record)
            while at < len(text) and text[at] in " \t\r\n,":
                at += 1
    except (json.JSONDecodeError, RecursionError):
        return []
    return records


def _ends_in_string(doc: Document | None, number: int) -> bool:
    """Whether line ``number`` was skipped because it ends inside a JSON
    string: a record a raw line break may have broken over several lines."""
    return doc is not None and doc.status.startswith(f"skipped: line {number} is not valid JSON ({UNTERMINATED}")


def _jsonl_line(number: int, line: str, bad: bool, encoding: str, name: str, fields: Fields) -> Document | None:
    """The document of line ``number`` of a JSON Lines file (skipped if it
    cannot be read; ``bad``: it did not decode), ``None`` for a blank line."""
    doc_id = f"{name}#{number}"
    if bad:
        return _skip(doc_id, f"line {number} is not valid {encoding}", name)
    line = line.strip()
    warning = ""
    if line.startswith("\ufeff"):  # files joined one after the other, each with its byte-order mark
        line = line.lstrip("\ufeff").strip()
        warning = f"line {number} begins with a byte-order mark, left out"
    if not line.strip("\x00"):
        return None  # blank, or the NUL padding a writer that died leaves
    try:
        record = _json_loads(line)
    except json.JSONDecodeError as exc:
        try:
            record = _json_loads(line, strict=False)  # a raw tab or other control character in a string
        except (json.JSONDecodeError, RecursionError):
            return _skip(doc_id, f"line {number} is not valid JSON ({_json_error(exc, line=False)})", name)
        control = f"line {number} holds a raw control character (U+{ord(line[exc.pos]):04X}) in a string"
        warning = "; ".join(w for w in (warning, control) if w)
    except RecursionError:
        return _skip(doc_id, f"line {number} is JSON nested too deeply to read", name)
    if not isinstance(record, dict):
        return _skip(doc_id, f"line {number} is {_json_kind(record)}, not an object", name)
    return _warned(_row_document(doc_id, name, record, fields), warning)


def _read_json(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    text, _, warning = _decode_whole(_read_bytes(path))
    try:
        docs = list(_json_documents(text, name, fields))
    except DecodeError:
        # JSON Lines (or objects one after the other) in a file named .json
        records = _json_objects(text)
        if len(records) < 2:
            raise
        warning = "; ".join(w for w in (warning, "JSON objects one after the other in a .json file: one document each")
                            if w)
        docs = [_row_document(f"{name}#{k}", name, record, fields) for k, record in enumerate(records, 1)]
    for doc in docs:
        yield _warned(doc, warning)


def _json_file(data: bytes, name: str, fields: Fields) -> list[Document] | None:
    """The documents of a whole JSON file, or of JSON objects laid out over
    lines one after the other (as ``jq`` prints them), or ``None`` if it is
    neither."""
    try:
        text, _, warning = _decode_whole(data)
    except DecodeError:
        return None
    try:
        return [_warned(doc, warning) for doc in _json_documents(text, name, fields)]
    except DecodeError:
        records = _json_objects(text)
    if not records:
        return None
    return [_warned(_row_document(f"{name}#{k}", name, record, fields), warning) for k, record in enumerate(records, 1)]


def _json_documents(text: str, name: str, fields: Fields) -> Iterator[Document]:
    try:
        data = _json_loads(text)
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not valid JSON ({_json_error(exc)})") from None
    except RecursionError:
        raise DecodeError("JSON nested too deeply to read") from None
    where = ""
    if isinstance(data, dict):
        key = next((k for k in ("documents", "docs", "data", "items", "records") if isinstance(data.get(k), list)), None)
        inner = None if key or fields.pick(data, "text") else _records_inside(data, fields)
        if inner:
            where, data = inner  # an API's answer: {"status": 200, "result": {"list": […]}}
        elif key is None:
            yield _row_document(name, name, data, fields)
            return
        else:
            if fields.pick([k for k, v in data.items() if isinstance(v, str)], "text"):  # a text of its own, too
                own = _row_document(name, name, {k: v for k, v in data.items() if k != key}, fields)
                yield _warned(own, f"the object's own text, read beside its list of {key}")
            data = data[key]
    if not isinstance(data, list):
        raise DecodeError(f"{_json_kind(data)}; expected an object or a list of objects")
    if not data:
        raise DecodeError("an empty JSON list")
    for number, record in enumerate(data, 1):
        doc_id = f"{name}#{number}"
        if isinstance(record, dict):
            yield _warned(_row_document(doc_id, name, record, fields), where and f"a record of the list at {where}")
        else:
            yield _skip(doc_id, f"item {number} is {_json_kind(record)}, not an object", name)


def _records_inside(data: dict, fields: Fields, depth: int = 3) -> tuple[str, list] | None:
    """``(path, records)``: the first list of objects with a text field
    that ``data`` holds a few levels down, as an API's answer wraps them
    (``{"status": 200, "result": {"list": […]}}`` → ``("result.list", […])``);
    ``None`` if there is none.

    >>> _records_inside({"status": 200, "result": {"list": [{"content": "两个率先"}]}}, Fields())
    ('result.list', [{'content': '两个率先'}])
    >>> _records_inside({"result": {"list": [1, 2]}}, Fields()) is None
    True
    """
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value[:10]) \
                and any(fields.pick(v, "text") for v in value[:10]):
            return str(key), value
        if isinstance(value, dict) and depth > 1:
            found = _records_inside(value, fields, depth - 1)
            if found:
                return f"{key}.{found[0]}", found[1]
    return None


def _blocks(fh: io.BufferedReader) -> Iterator[bytes]:
    """The bytes of a file in blocks of about a megabyte, each ending at a line end."""
    pending: list[bytes] = []
    while chunk := fh.read(BLOCK_BYTES):
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            pending.append(chunk)  # a line longer than a block
            continue
        pending.append(chunk[:cut])
        yield b"".join(pending)
        pending = [chunk[cut:]] if cut < len(chunk) else []
    if pending:
        yield b"".join(pending)


def _split_lines(text: str, csv_lines: bool) -> list[str]:
    if not csv_lines:
        # A record never holds a raw line break (JSON escapes it): lines end at \n, \r\n or a lone \r.
        lines = LINE_END.split(text) if "\r" in text else text.split("\n")
        return lines[:-1] if not lines[-1] else lines
    if OTHER_LINE_BREAKS.search(text):  # str.splitlines would break lines at these too
        return CSV_LINE.findall(text)
    return text.splitlines(keepends=True)


def _decoded_blocks(
    fh: io.BufferedReader, encoding: str, bad: set[int], *, csv_lines: bool, nul: set[int] | None = None
) -> Iterator[list[str]]:
    """The lines of a file, decoded, a block at a time; the numbers (from 1)
    of lines whose bytes are not valid ``encoding`` are added to ``bad``
    (their text has the bad bytes replaced), and those of lines holding a
    NUL to ``nul``.

    A block is decoded at once and, only if that fails, line by line, so a
    bad byte costs one line, not the rest of the file: in UTF-8, GB18030 and
    Big5 no byte of a character is a line end.  UTF-16 and UTF-32 are decoded as a
    stream.  ``csv_lines``: lines end at \\r\\n, \\r or \\n and keep their ends,
    as :func:`csv.reader` wants them; otherwise they end at \\n, which is dropped.
    """
    if encoding.startswith(("utf-16", "utf-32")):  # a byte of a character may be a line end
        text = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
        blocks: Iterator[list[str]] = iter(lambda: [line if csv_lines else line.rstrip("\r\n")
                                                    for line in itertools.islice(text, 4096)], [])
        replaced = "\ufffd"
    else:
        blocks = (_decode_block(block, encoding, csv_lines) for block in _blocks(fh))
        replaced = None
    number = 0
    for lines in blocks:
        if isinstance(lines, tuple):  # decoded line by line: (lines, numbers in the block of the bad ones)
            lines, bad_here = lines
            bad.update(number + i for i in bad_here)
        elif replaced and any(replaced in line for line in lines):
            bad.update(number + i for i, line in enumerate(lines, 1) if replaced in line)
        if nul is not None and any("\x00" in line for line in lines):
            nul.update(number + i for i, line in enumerate(lines, 1) if "\x00" in line)
        number += len(lines)
        yield lines


def _decode_block(block: bytes, encoding: str, csv_lines: bool) -> list[str] | tuple[list[str], list[int]]:
    """The lines of a block; if a byte does not decode, ``(lines, numbers of the bad lines in the block)``."""
    for name in (encoding, *SUPERSETS.get(encoding, ())):
        try:
            return _split_lines(block.decode(name), csv_lines)
        except UnicodeDecodeError:
            pass
    lines, bad = [], []
    raws = block.splitlines(keepends=True) if csv_lines else LINE_END_BYTES.split(block)
    if not csv_lines and not raws[-1]:
        raws.pop()
    for raw in raws:
        for name in (encoding, *SUPERSETS.get(encoding, ())):
            try:
                lines.append(raw.decode(name))
                break
            except UnicodeDecodeError:
                pass
        else:
            lines.append(raw.decode(encoding, errors="replace"))
            bad.append(len(lines))
    return lines, bad


class _Rows:
    """The records of a CSV/TSV file, each with the numbers of the lines it
    took, read by a strict :func:`csv.reader`; after a malformed record the
    lines it swallowed can be read again.

    The reader takes the decoded lines straight from the blocks (no Python
    call per line); the blocks since the current record's first line are
    kept, to give those lines back.
    """

    def __init__(self, fh: io.BufferedReader, encoding: str, delimiter: str) -> None:
        self.bad: set[int] = set()  # lines whose bytes did not decode
        self.nul: set[int] = set()  # lines holding a NUL
        self.delimiter = delimiter
        self.exhausted = False
        self.first = self.last = 0  # the lines of the last record
        self._kept: collections.deque[tuple[int, list[str]]] = collections.deque()  # (number of first line, lines)
        self._feed = self._keep(_decoded_blocks(fh, encoding, self.bad, csv_lines=True, nul=self.nul))
        self._read_from(1, [])

    def _keep(self, blocks: Iterator[list[str]]) -> Iterator[list[str]]:
        number = 1
        for block in blocks:
            self._kept.append((number, block))
            number += len(block)
            yield block
        self.exhausted = True

    def _read_from(self, number: int, replay: list[str]) -> None:
        self._base = number - 1  # line_num counts from here
        source = itertools.chain(replay, itertools.chain.from_iterable(self._feed))
        self._reader = csv.reader(source, delimiter=self.delimiter, strict=True)

    def __iter__(self) -> "_Rows":
        return self

    def __next__(self) -> list[str]:
        """The next record; raises :class:`csv.Error` for a malformed one (its
        lines are :attr:`first` to :attr:`last` all the same)."""
        self.first = self._base + self._reader.line_num + 1
        while self._kept and self._kept[0][0] + len(self._kept[0][1]) <= self.first and len(self._kept) > 1:
            self._kept.popleft()  # blocks wholly before this record
        try:
            return next(self._reader)
        finally:
            self.last = self._base + self._reader.line_num

    def lines(self, first: int, last: int | None = None) -> list[str]:
        """The lines ``first`` to ``last`` (default: all kept), as read."""
        out: list[str] = []
        for start, block in self._kept:
            end = start + len(block) - 1
            lo, hi = max(first, start), end if last is None else min(last, end)
            if lo <= hi:
                out.extend(block[lo - start : hi - start + 1])
        return out

    def has(self, numbers: set[int]) -> bool:
        """Whether a line of the last record is one of ``numbers`` (:attr:`bad`, :attr:`nul`)."""
        return bool(numbers) and any(n in numbers for n in range(self.first, self.last + 1))

    def recover(self, width: int) -> None:
        """After a malformed record, read again from the first of the lines
        it swallowed that starts a well-formed record of ``width`` fields;
        the lines before that belong to the malformed record."""
        swallowed = self.lines(self.first + 1, self.last)
        for start in range(len(swallowed)):
            if _starts_record(swallowed[start:], width, self.delimiter, more=not self.exhausted):
                number = self.first + 1 + start
                self._read_from(number, self.lines(number))
                return


def _starts_record(lines: list[str], width: int, delimiter: str, *, more: bool) -> bool:
    """Whether ``lines`` start with a well-formed record of ``width`` fields.

    ``more``: the file goes on after ``lines``, so a quoted field still open
    at their end may yet close.
    """
    if not lines[0].strip():
        return False
    try:
        row = next(csv.reader(iter(lines), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return more and str(exc) == "unexpected end of data"
    except StopIteration:
        return False
    return len(row) == width


def _a_record(header: list[str]) -> bool:
    """Whether a CSV's first row, which names no text field, is a record
    rather than a header: a field of it is a sentence (its punctuation, or
    twenty Chinese characters), which no column's name is.

    >>> _a_record(["甲", "2023", "坚持“两个确立”，推动高质量发展。"]), _a_record(["编号", "标题", "正文内容"])
    (True, False)
    """
    return any(SENTENCE_MARK.search(cell) or len(HAN_TEXT.findall(cell)) >= 20 for cell in header)


def _quotes_as_written(lines: list[str], width: int, delimiter: str) -> list[str] | None:
    """The fields of a record on one line whose quotes are its text's own
    (a field that begins with a quote and goes on after the quote closes,
    as Chinese text written with straight quotes does: "十四五"规划), read
    with every quote as written; ``None`` if that does not give ``width`` fields.

    >>> _quotes_as_written(['甲\\t"十四五"规划，坚持"两个确立"。\\n'], 2, "\\t")
    ['甲', '"十四五"规划，坚持"两个确立"。']
    >>> _quotes_as_written(['甲,"十四五"规划,多\\n'], 2, ",") is None
    True
    """
    if len(lines) != 1:
        return None
    cells = next(csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
    return cells if len(cells) == width else None


KEY_CELL = re.compile(r"\s*[0-9０-９][0-9０-９\-/.:年月日 ]*\s*")  # a number, a year or a date


def _stray_quote(lines: list[str], width: int, delimiter: str) -> bool:
    """Whether the lines of a record that spans them are rather ``width``-field
    records of their own, one per line, run together by a stray quote.

    So it is when each line read alone is a well-formed record of ``width``
    fields (the first one's open quote running to the end of its line) and
    one column holds a number or a date on every line, as an id, a year or
    a date column does.  A quoted field that really spans lines fails this:
    its first line holds fewer fields, or one of its lines (a blank line, a
    paragraph) is no record or has no number where the others have one.

    >>> _stray_quote(['1,"实现两个率先\\n', '2,推进改革\\n', '3,全面深化改革"\\n'], 2, ",")
    True
    >>> _stray_quote(['甲,"第一段，\\n', '第二段,2010",2010\\n'], 3, ",")
    False
    >>> _stray_quote(['甲,"第一段,\\n', '第二段,第三段"\\n'], 2, ",")
    False
    """
    if width < 2 or len(lines) < 2:
        return False
    rows = [next(csv.reader([lines[0]], delimiter=delimiter))]  # not strict: the quote runs to the line's end
    for line in lines[1:]:
        try:
            rows.append(next(csv.reader([line], delimiter=delimiter, strict=True)))
        except (csv.Error, StopIteration):
            return False
    if any(len(row) != width for row in rows):
        return False
    return any(all(KEY_CELL.fullmatch(row[column]) for row in rows) for column in range(width))


def _read_table(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    from .tables import wide_csv_fields

    with wide_csv_fields():  # a speech is longer than csv's default field limit of 128 KB
        yield from _read_table_rows(path, name, fields)


def _read_table_rows(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    """The rows of a CSV/TSV file, each a document or a skip with its reason
    (see :func:`_table_rows`); when the encoding is in doubt, each says so."""
    doubt: list[str] = []
    for doc in _table_rows(path, name, fields, doubt):
        yield _warned(doc, "; ".join(doubt))


def _table_rows(path: Path, name: str, fields: Fields, doubt: list[str]) -> Iterator[Document]:
    """The rows of a CSV/TSV file, each a document or a skip with its reason;
    the doubt about its encoding, if any, is put in ``doubt``.

    The reader is strict, so a stray quote shows as an error rather than a
    field run on over the next rows; a malformed row is skipped and reading
    goes on at the next line that starts a well-formed record.
    """
    with open_regular(path) as raw:
        encoding, in_doubt = _sniff_stream_doubt(raw)
        if in_doubt:
            doubt.append(in_doubt)
        delimiter, sep_line = _delimiter(raw, encoding, "\t" if path.suffix.lower() == ".tsv" else ",")
        records = _Rows(raw, encoding, delimiter)
        try:
            if sep_line:
                next(records)
            header = next(records)
        except StopIteration:
            raise DecodeError("empty file") from None
        except csv.Error as exc:
            raise DecodeError(f"cannot read the header row ({exc})") from None
        if records.has(records.bad):
            raise DecodeError(f"the header row is not valid {encoding}")
        pending = []
        if fields.text is None and fields.pick(header, "text") is None and _a_record(header):
            # no header: the first line is a record, and its longest field the text
            pending, longest = [header], max(range(len(header)), key=lambda k: len(header[k]))
            header = [f"column {k}" for k in range(1, len(header) + 1)]
            fields = replace(fields, text=header[longest])
            doubt.append(f"no header row: the first line is read as a record, the text from its column {longest + 1}, "
                         "the longest")
        header, twice = _unique_header([h.strip() for h in header])
        if twice:
            doubt.append(f"the header names {', '.join(twice)} twice: the first is read as such, "
                         f"the next kept as {', '.join(f'{t} (2)' for t in twice)}")
        rows = 0
        while True:
            try:
                row = pending.pop() if pending else next(records)
            except StopIteration:
                break
            except csv.Error as exc:
                closes_inside = str(exc).endswith("expected after '\"'")
                written = closes_inside and _quotes_as_written(records.lines(records.first, records.last), len(header),
                                                               delimiter)
                if not written:
                    rows += 1
                    never_closed = str(exc) == "unexpected end of data"
                    problem = "has a quote that is never closed" if never_closed else f"is malformed ({exc})"
                    yield _skip(f"{name}#{rows}", f"row {rows} (line {records.first}) {problem}", name)
                    records.recover(len(header))
                    continue
                # "十四五"规划开局良好: a field that begins with a quote and goes on after it
                row, quoted = written, (f"row {rows + 1} (line {records.first}) read with its quotes as written: "
                                        "a field begins with a quote that closes inside it")
            else:
                quoted = ""
            if not row:  # a blank line holds no document
                continue
            rows += 1
            doc_id = f"{name}#{rows}"
            if records.has(records.bad):
                yield _skip(doc_id, f"row {rows} (line {records.first}) is not valid {encoding}", name)
            elif records.has(records.nul):
                yield _skip(doc_id, f"row {rows} (line {records.first}) holds a NUL byte", name)
            elif not any(cell.strip() for cell in row):
                yield _skip(doc_id, f"row {rows} is empty", name)
            elif len(row) > len(header) and records.last == records.first and not "".join(row[len(header):]).strip():
                # 报告一,2020,正文, : a comma after the last field, as some exports write every row
                extra = len(row) - len(header)
                doc = _row_document(doc_id, name, dict(zip(header, row)), fields)
                empty = f"row {rows} ends in {_plural(extra, 'empty field')} the header does not name, left out"
                yield _garbled_warned(_warned(doc, "; ".join(w for w in (quoted, empty) if w)), encoding)
            elif len(row) != len(header):
                reason = f"row {rows} has {_plural(len(row), 'field')}, the header has {len(header)}"
                if records.last > records.first:
                    # A stray quote ran this row on over the next lines; read
                    # those again as rows rather than lose them.
                    records.recover(len(header))
                    reason += " (an unbalanced quote?)"
                yield _skip(doc_id, reason, name)
            elif records.last > records.first and _stray_quote(records.lines(records.first, records.last),
                                                               len(header), delimiter):
                # A quote that opens a field and closes only lines later, at
                # the end of what reads as a record: the lines it ran over
                # are rows of their own, read again; the row holding the
                # stray quote costs only itself.
                first, last = records.first, records.last
                yield _skip(doc_id, f"row {rows} (line {first}) has a quote that is not closed on its line "
                                    f"but on line {last}, over lines that are rows of their own", name)
                for number, line in enumerate(records.lines(first + 1, last), first + 1):
                    rows += 1
                    cells = next(csv.reader([line], delimiter=delimiter))
                    doc = _row_document(f"{name}#{rows}", name, dict(zip(header, cells)), fields)
                    doc = _warned(doc, f"line {number} read as a row of its own after the stray quote on line {first}")
                    yield _garbled_warned(doc, encoding)
            else:
                doc = _row_document(doc_id, name, dict(zip(header, row)), fields)
                yield _garbled_warned(_warned(doc, quoted), encoding)
        if rows == 0:
            yield _skip(name, "no rows after the header", name)


def _plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural unless one: "1 field", "2 empty fields"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _unique_header(header: list[str]) -> tuple[list[str], list[str]]:
    """``header`` with a name given again numbered (text, text (2)), and the names given twice.

    >>> _unique_header(["title", "text", "text", "year"])
    (['title', 'text', 'text (2)', 'year'], ['text'])
    """
    seen: collections.Counter = collections.Counter()
    unique, twice = [], []
    for name in header:
        seen[name] += 1
        if seen[name] == 2:
            twice.append(name)
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique, twice


DELIMITERS = ("\t", ";", "|", ",")  # looked for, in this order, in a header without the expected one
SEP_LINE = re.compile(r"\ufeff?sep=(.)\r?")  # Excel's line naming the delimiter


def _delimiter(raw: io.BufferedReader, encoding: str, expected: str) -> tuple[str, bool]:
    """The delimiter of a CSV/TSV file open at its start, and whether its
    first line is Excel's ``sep=;`` line: the one that line names, else
    ``expected`` if the header holds it, else the first of
    :data:`DELIMITERS` it holds (a "CSV" saved with semicolons)."""
    head = raw.read(SNIFF_SCORE_BYTES)
    raw.seek(0)
    try:
        first = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head).split("\n", 1)[0]
    except LookupError:
        return expected, False
    m = SEP_LINE.fullmatch(first)
    if m:
        return m.group(1), True
    if expected in first:
        return expected, False
    return next((d for d in DELIMITERS if d in first), expected), False


def _read_pdf(path: Path, name: str, fields: Fields) -> Iterator[Document]:
    from .pdf import read_pdf  # PDFium is loaded only when a PDF is read

    yield from read_pdf(path, name)


READERS = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".jsonl": _read_jsonl,
    ".json": _read_json,
    ".csv": _read_table,
    ".tsv": _read_table,
}
