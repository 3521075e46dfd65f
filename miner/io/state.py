"""What earlier runs mined, kept next to their outputs so that the next run
mines only what changed.

``OUT/.miner-state/`` holds an index (``index.json``: each input file's size
and content hash, where its rows are in the per-document tables, and the
fingerprint of the code and options that mined it) and, per input file, the
results of its documents, each under a hash of the document's content, and
the file's counts.  On the next run a file whose bytes did not change is not
even decoded: its rows are copied from the last tables and its counts merged.
In a changed file only the documents whose content hash is new are mined.
Files and documents that are gone simply drop out, and the tables come out
the same as a full run's.

>>> import tempfile
>>> from miner.types import DocResult, Document
>>> out = Path(tempfile.mkdtemp())
>>> doc = Document("a.txt", "a.txt", "两个率先")
>>> state = RunState.open(out, "v1")
>>> state.add_file("a.txt", 12, "ab"); state.record("a.txt", document_key(doc), DocResult(doc, 4, 0, 0))
>>> state.finish_file("a.txt", {"mentions": 0}, rows={}, documents=1)
>>> state.commit()
>>> again = RunState.open(out, "v1")
>>> again.unchanged("a.txt", 12, "ab"), [r.chars for _, r in again.results("a.txt")], again.counts("a.txt")
(True, [4], {'mentions': 0})
>>> RunState.open(out, "v2").unchanged("a.txt", 12, "ab")  # other code or options: mine again
False
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import pickle
import re
import struct
import time
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from .. import __version__, package_files
from ..errors import MinerError
from ..extract.lexicon import jieba_dictionary
from .read import open_regular
from ..types import DocResult, Document

__all__ = ["RunState", "STATE_DIR", "RACY_NS", "document_key", "file_digest", "file_stat", "code_fingerprint"]

STATE_DIR = ".miner-state"
INDEX = "index.json"
FORMAT = 3
KEY_BYTES = 16
HEADER = struct.Struct(f"<{KEY_BYTES}sI")  # document key, pickled result length
BODY_PIECE = 1 << 20  # characters: a longer cleaned text is recorded in pieces this long
READ_CHUNK = 1 << 20


# A file whose size, modification and status change times and inode are those
# it had when it was last hashed is taken to have the same bytes (as make,
# rsync and git do), unless it was changed less than this long (ns) before
# that hashing began: a later change within the same tick of a coarse clock
# would not show.
RACY_NS = 2_000_000_000


def file_stat(path) -> list[int] | None:
    """``[size, mtime_ns, ctime_ns, inode, device]`` of a local file,
    ``None`` if it has none.  The status change time moves on every write and
    cannot be set back, so a file rewritten and given its old modification
    time again still differs."""
    try:
        st = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def file_digest(path: Path) -> tuple[int, str]:
    """The size and content hash of a file, read in chunks."""
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    size = 0
    with open_regular(path) as fh:  # a FIFO or a device is refused, never read
        while chunk := fh.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def document_key(doc: Document) -> bytes:
    """A hash of everything about a document that mining reads."""
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    head = "\x1f".join((doc.doc_id, doc.source, doc.title, str(doc.year), doc.year_source, doc.status))
    digest.update(head.encode("utf-8", "surrogatepass"))
    if doc.fields:  # a field's new value is a new document: its rows change
        digest.update(json.dumps(sorted(doc.fields.items()), ensure_ascii=False).encode("utf-8", "surrogatepass"))
    digest.update(b"\x1e")
    digest.update(doc.text.encode("utf-8", "surrogatepass"))
    return digest.digest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code and data that mining depends on: the modules
    :mod:`miner.pipeline` imports, directly or not, the slogan list, and
    jieba's dictionary (by size and time).

    Computed once per process: the code that runs is the code imported
    when the process started, whatever happens to the files later.
    """
    digest = hashlib.blake2b(__version__.encode(), digest_size=KEY_BYTES)
    package = package_files()
    sources: dict[str, bytes] = {}
    for module in sorted(_imported_modules(package, "pipeline", sources)):
        digest.update(module.encode() + b"\0" + sources[module])
    digest.update(package.joinpath("data/slogans.txt").read_bytes())
    try:
        stat = jieba_dictionary().stat()
        digest.update(f"{stat.st_size}|{stat.st_mtime_ns}".encode())
    except (MinerError, OSError):
        pass  # mining will say that jieba is missing
    return digest.hexdigest()


# ``from .x import a``, ``from ..x.y import a``, ``from . import x, y`` and ``from .x import (`` names over lines ``)``.
RELATIVE_IMPORT = re.compile(r"^\s*from (\.+)([\w.]*) import (\([\w,\s]+\)|[\w, ]+)", re.MULTILINE)


def _relative_imports(source: str) -> Iterator[re.Match]:
    """The matches of :data:`RELATIVE_IMPORT` in ``source`` (their groups),
    tried only at the lines that hold ``from .``: ``str.find`` skips to those
    faster than the pattern tries the start of every line.

    >>> source = "import re\\nfrom . import a\\n    from ..b.c import (\\n        d,\\n    )\\nx = 'from . import z'\\n"
    >>> [m.groups() for m in _relative_imports(source)] == [m.groups() for m in RELATIVE_IMPORT.finditer(source)]
    True
    """
    at = source.find("from .")
    while at >= 0:
        line = source.rfind("\n", 0, at) + 1
        if not source[line:at].strip():
            m = RELATIVE_IMPORT.match(source, line)
            if m:
                yield m
        at = source.find("from .", at + 1)


def _module_file(package, module: str):
    """The file of a dotted module name inside the package (``io.read`` is ``io/read.py``)."""
    *folders, name = module.split(".")
    return package.joinpath(*folders, f"{name}.py")


def _imported_modules(package, start: str, sources: dict[str, bytes] | None = None) -> set[str]:
    """``start`` and the package's modules it imports, directly or not, as
    dotted names inside the package (``pipeline``, ``io.read``, ``extract.__init__``).

    >>> [m.groups() for m in RELATIVE_IMPORT.finditer("from ..a.b import (\\n    c,\\n    d,\\n)\\n    from . import e, f")]
    [('..', 'a.b', '(\\n    c,\\n    d,\\n)'), ('.', '', 'e, f')]
    """
    found, todo = set(), [start]
    sources = {} if sources is None else sources  # the bytes of each module found, read once
    missing: set[str] = set()
    while todo:
        module = todo.pop()
        if module in found or not module or module in missing:
            continue
        try:
            source = _module_file(package, module).read_bytes()
        except OSError:  # not a module of the package (a name it imports, a folder)
            missing.add(module)
            continue
        found.add(module)
        sources[module] = source
        here = module.split(".")[:-1]  # the subpackage the module is in
        for m in _relative_imports(source.decode("utf-8")):
            dots, name, names = m.groups()
            up = len(dots) - 1
            if up > len(here):
                continue  # outside the package
            base = here[:len(here) - up] + (name.split(".") if name else [])
            # ``from .x import y``: x is a module, or a package (its __init__) whose y may be a module
            todo.append(".".join(base))
            todo.extend(".".join(base[:i] + ["__init__"]) for i in range(len(base) + 1))
            todo.extend(".".join(base + [n.split()[0]]) for n in names.strip("()").split(",") if n.strip())
    return found


class RunState:
    """The state of one output folder: read the last run's, record this run's.

    Per input file it keeps the results of its documents (under their
    content hashes), the file's counts, and where the file's rows are in
    each per-document table, so that an unchanged file's rows are copied
    from the last tables as they are and its counts merged, without
    unpickling a single result.  Results are written to new record files as
    they come; :meth:`commit` then replaces the index in one step and deletes
    the files it no longer names, so a run that fails half-way leaves the
    last good state in place.
    """

    def __init__(self, out_dir: Path, fingerprint: str, old: dict, tables: tuple[str, ...], rows_ok: bool,
                 saved: dict[str, list]) -> None:
        self.out_dir = out_dir
        self.folder = out_dir / STATE_DIR
        self.fingerprint = fingerprint
        self.old = old
        self.tables = tables
        self.rows_ok = rows_ok
        self.saved = saved  # the last tables' checksums
        self.files: dict[str, dict] = {}
        self.stats: dict[str, list[int]] = {}  # per input: its file_stat and when its hashing began
        self._token = f"{os.getpid()}-{os.urandom(4).hex()}"
        self._writers: dict[str, object] = {}
        self._reading: tuple[str, object] | None = None  # the input whose records are open, and the file

    @classmethod
    def open(cls, out_dir: str | Path, fingerprint: str, *, tables: Iterable[str] = (), full: bool = False) -> "RunState":
        """The state kept in ``out_dir``, whose per-document ``tables`` it
        points into; with ``full``, or when it was made by other code or
        options (another ``fingerprint``), an empty one."""
        out_dir = Path(out_dir)
        folder = out_dir / STATE_DIR
        old: dict = {}
        saved: dict = {}
        rows_ok = False
        if not full:
            try:
                index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                index = {}
            if not isinstance(index, dict):
                index = {}  # not an index this code wrote: everything is mined again
            if index.get("format") == FORMAT and index.get("fingerprint") == fingerprint:
                files = index.get("files")
                old = {
                    name: entry for name, entry in (files.items() if isinstance(files, dict) else ())
                    if isinstance(name, str) and _entry_ok(entry) and (folder / entry["records"]).is_file()
                }
                # Rows are copied from the last tables only if nobody has touched them since.
                last = index.get("tables") if isinstance(index.get("tables"), dict) else {}
                saved = {t: last.get(t) for t in tables}
                rows_ok = all(d and d == _table_digest(out_dir / t) for t, d in saved.items())
        return cls(out_dir, fingerprint, old, tuple(tables), rows_ok, saved)

    # -- what the last run left -------------------------------------------

    def digest(self, name: str, path) -> tuple[int, str]:
        """The size and content hash of input ``name`` at ``path``
        (:func:`file_digest`), or those recorded when it was last hashed if
        it still has the :func:`file_stat` it had then and was last changed
        :data:`RACY_NS` or more before that: an unchanged corpus is not read
        again to be told unchanged.

        Raises:
            OSError: The file cannot be read.
        """
        stat = file_stat(path)
        entry = self.old.get(name) or {}
        seen = entry.get("stat")
        if stat and seen and seen[:-1] == stat and max(stat[1], stat[2]) + RACY_NS <= seen[-1]:
            self.stats[name] = seen
            return entry["size"], entry["blake2b"]
        started = time.time_ns()
        size, digest = file_digest(path)
        if stat:
            self.stats[name] = [*stat, started]
        return size, digest

    def unchanged(self, name: str, size: int, digest: str) -> bool:
        """Whether file ``name`` has the same bytes as when it was last mined."""
        entry = self.old.get(name)
        return entry is not None and entry["size"] == size and entry["blake2b"] == digest

    def last(self, name: str) -> tuple[int, str] | None:
        """The size and digest file ``name`` had when it was last mined, if
        its rows and counts can be taken over whole should it still have them."""
        if name not in self.old or not self.copyable(name):
            return None
        return self.old[name]["size"], self.old[name]["blake2b"]

    def copyable(self, name: str) -> bool:
        """Whether an unchanged file's rows and counts can be taken over whole."""
        return self.rows_ok and set(self.tables) <= set(self.old[name].get("rows", ()))

    def documents(self, name: str) -> int:
        """How many documents file ``name`` had when it was last mined."""
        return self.old[name]["documents"]

    def results(self, name: str) -> Iterator[tuple[bytes, DocResult]]:
        """The key and result of every document of an unchanged file, in order."""
        for key, where in self.lookup(name).items():
            yield key, self.load(name, where)

    def lookup(self, name: str) -> dict[bytes, tuple[int, int]]:
        """Where each document of the last version of ``name`` is recorded, by key."""
        if name not in self.old:
            return {}
        entry = self.old[name]
        path = self.folder / entry["records"]
        where = {}
        with open(path, "rb") as fh:
            end = entry["counts"][0] - HEADER.size  # the counts (and a formula sample) come last
            while fh.tell() < end:
                header = fh.read(HEADER.size)
                if len(header) < HEADER.size:
                    raise self._damaged(path)
                key, length = HEADER.unpack(header)
                where[key] = (fh.tell(), length)
                fh.seek(length, os.SEEK_CUR)
        return where

    def load(self, name: str, where: tuple[int, int]):
        """One recorded result of the last version of ``name``, by its place from :meth:`lookup`."""
        if self._reading is None or self._reading[0] != name:
            # Files are read one after the other: keep one records file open,
            # not one per input file (a corpus may have more files than the
            # process may open).
            self._close_reading()
            self._reading = name, open(self.folder / self.old[name]["records"], "rb")
        fh = self._reading[1]
        offset, length = where
        fh.seek(offset)
        data = io.BytesIO(fh.read(length))
        try:
            result = pickle.load(data)
            if data.tell() < length:  # the cleaned text of a long document, in pieces (see record)
                pieces = [pickle.load(data) for _ in range(pickle.load(data))]
                result = dataclasses.replace(result, body="".join(pieces))
            return result
        except Exception:
            raise self._damaged(Path(fh.name)) from None

    def counts(self, name: str):
        """The :class:`~miner.analysis.count.PhraseCounts` of an unchanged file."""
        return self.load(name, self.old[name]["counts"])

    def sample(self, name: str):
        """The formula sample of the documents of the last version of
        ``name`` (:class:`~miner.extract.formulas.FormulaSample`), if that
        run kept one rather than their masked texts in its records (a run
        with formulas on Dask); else ``None``."""
        if name not in self.old or "sample" not in self.old[name]:
            return None
        return self.load(name, tuple(self.old[name]["sample"]))

    def rows(self, name: str, table: str) -> tuple[Path, int, int]:
        """Where the rows of an unchanged file are in the last run's
        ``table``: the table's path, the offset and the length in bytes."""
        offset, length = self.old[name]["rows"][table]
        return self.out_dir / table, offset, length

    def _damaged(self, path: Path) -> MinerError:
        return MinerError(f"{path}: the saved state of the last run is damaged; run again with --full")

    # -- what this run did ------------------------------------------------

    def add_file(self, name: str, size: int, digest: str) -> None:
        """Start new records for file ``name``, whose results :meth:`record` adds."""
        self.files[name] = {"size": size, "blake2b": digest, "records": None, **self._stat(name)}

    def record(self, name: str, key: bytes, result: DocResult) -> None:
        """Save the result of one document of file ``name`` (in order)."""
        fh = self._writers.get(name)
        if fh is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
            self.files[name]["records"] = f"{stem}.{self._token}.rec"
            fh = self._writers[name] = open(self.folder / self.files[name]["records"], "wb")
        # Pickled straight into the file, its length filled in after: a result
        # may hold a long document's text, and a copy of it as bytes is not needed.
        at = fh.tell()
        fh.write(HEADER.pack(key, 0))
        body = getattr(result, "body", "")
        if len(body) > BODY_PIECE:
            # A long document's cleaned text follows its result a piece at a
            # time: pickled whole, its encoding would be a second copy of it.
            pickle.dump(dataclasses.replace(result, body=""), fh, protocol=pickle.HIGHEST_PROTOCOL)
            pieces = range(0, len(body), BODY_PIECE)
            pickle.dump(len(pieces), fh, protocol=pickle.HIGHEST_PROTOCOL)
            for k in pieces:
                pickle.dump(body[k : k + BODY_PIECE], fh, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        end = fh.tell()
        fh.seek(at)
        fh.write(HEADER.pack(key, end - at - HEADER.size))
        fh.seek(end)

    def finish_file(self, name: str, counts, rows: dict[str, tuple[int, int]], documents: int,
                    sample=None) -> None:
        """Close file ``name``'s records with its counts (or the bytes of them
        pickled, as a Dask worker sends them), and note where its rows went.
        ``sample`` is the formula sample of its documents, kept when the
        records lack their masked texts (see :meth:`sample`)."""
        fh = self._writers.pop(name)
        data = counts if isinstance(counts, bytes) else pickle.dumps(counts, protocol=pickle.HIGHEST_PROTOCOL)
        fh.write(HEADER.pack(bytes(KEY_BYTES), len(data)))
        self.files[name].update(counts=(fh.tell(), len(data)), rows=rows, documents=documents)
        fh.write(data)
        if sample is not None:  # after the counts, which end the records
            data = pickle.dumps(sample, protocol=pickle.HIGHEST_PROTOCOL)
            fh.write(HEADER.pack(bytes(KEY_BYTES), len(data)))
            self.files[name]["sample"] = (fh.tell(), len(data))
            fh.write(data)
        fh.close()

    def keep_file(self, name: str, rows: dict[str, tuple[int, int]]) -> None:
        """Carry an unchanged file over to the new state, its rows now at ``rows``."""
        self.files[name] = {**self.old[name], "rows": rows, **self._stat(name)}

    def _stat(self, name: str) -> dict:
        return {"stat": self.stats[name]} if name in self.stats else {}

    def commit(self, tables: Iterable[str] = ()) -> None:
        """Write the new index in place and remove the record files it no longer uses."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"index.{self._token}.tmp"
        self.write_index(tmp, {t: self.out_dir / t for t in tables})
        tmp.replace(self.folder / INDEX)
        self.clean()

    def write_index(self, path: Path, tables: dict[str, Path], carried: Iterable[str] = ()) -> None:
        """Write the new index to ``path`` (to be published with the tables it
        points into, ``tables``: name → where the new table is now; those
        named in ``carried`` are the last run's, linked)."""
        carried = set(carried)
        self._close()
        self.folder.mkdir(parents=True, exist_ok=True)
        index = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "tables": {t: self.saved[t] if t in carried else _table_digest(p) for t, p in tables.items()},
            "files": self._finished(),
        }
        Path(path).write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")

    def clean(self) -> None:
        """Remove the record files the published index does not use (those of
        earlier runs, and of runs that died)."""
        used = {entry["records"] for entry in self._finished().values()}
        used |= {t.split("/", 1)[1] for t in self.tables if t.startswith(f"{STATE_DIR}/")}  # tables kept here
        for path in self.folder.iterdir():
            if path.name != INDEX and path.name not in used:
                path.unlink(missing_ok=True)

    def _finished(self) -> dict[str, dict]:
        return {name: entry for name, entry in self.files.items() if "counts" in entry}

    def abandon(self) -> None:
        """Drop what this run recorded, keeping the last good state."""
        self._close()
        for name, entry in self.files.items():
            if entry["records"] and self.old.get(name, {}).get("records") != entry["records"]:
                (self.folder / entry["records"]).unlink(missing_ok=True)

    def _close(self) -> None:
        for fh in self._writers.values():
            fh.close()
        self._writers.clear()
        self._close_reading()

    def _close_reading(self) -> None:
        if self._reading is not None:
            self._reading[1].close()
            self._reading = None


def _entry_ok(entry) -> bool:
    """Whether an input file's entry of the index has what this code reads,
    of the types it wrote (a damaged entry is mined again, never read).

    >>> _entry_ok({"records": "a.rec", "size": 3, "blake2b": "ab", "counts": [0, 9], "documents": 1, "rows": {}})
    True
    >>> _entry_ok({"records": "../a.rec", "size": 3, "blake2b": "ab", "counts": [0, 9], "documents": 1})
    False
    """
    def pair(value) -> bool:
        return isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)

    if not isinstance(entry, dict):
        return False
    records, rows, stat = entry.get("records"), entry.get("rows", {}), entry.get("stat")
    return (
        isinstance(records, str) and bool(records) and Path(records).name == records  # a file of the state folder
        and isinstance(entry.get("size"), int) and isinstance(entry.get("blake2b"), str)
        and pair(entry.get("counts")) and isinstance(entry.get("documents"), int)
        and isinstance(rows, dict) and all(pair(v) for v in rows.values())
        and (stat is None or (isinstance(stat, list) and all(isinstance(v, int) for v in stat)))
        and ("sample" not in entry or pair(entry["sample"]))
    )


def _table_digest(path: Path) -> list | None:
    """The size and CRC-32 of a table: enough to tell that someone changed
    it, at over twice the speed of :func:`file_digest` (a table is checked
    on every run)."""
    crc, size = 0, 0
    try:
        with open_regular(path) as fh:  # a FIFO or a device in a table's place is refused, never read
            while chunk := fh.read(READ_CHUNK):
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
    except OSError:
        return None
    return [size, f"crc32:{crc:08x}"]
