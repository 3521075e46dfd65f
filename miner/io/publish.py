"""Write into an output folder safely: one run at a time, all tables at once.

A run holds :func:`output_lock` on its output folder while it works, so a
second run into the same folder stops at once with a one-line error naming
the first (its process id and host).  The lock is an advisory lock on
``OUT/.miner-lock``: the operating system drops it when its process ends,
however it ends, so the lock of a killed run is simply taken over.

A run writes its tables, ``run.json`` and its state into a staging folder
(:class:`Staging`) beside the last run's; :meth:`Staging.publish` then writes
a journal naming every file to move (in one atomic rename: the commit point)
and moves the files into place.  A failure or a kill before the journal
leaves the last run's files as they were; after it, :func:`recover` (run by
the next run and by readers of the tables) finishes the moves.  Either way
the folder never holds a mix of two runs' tables.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> with output_lock(out):
...     staging = Staging(out)
...     _ = staging.path("a.csv").write_text("new")
...     staging.publish()
>>> (out / "a.csv").read_text(), sorted(p.name for p in out.iterdir())
('new', ['.miner-lock', 'a.csv'])
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from pathlib import Path, PurePath
from typing import Iterator

from ..errors import BusyError, TableError

__all__ = ["output_lock", "Staging", "recover", "LOCK_FILE", "JOURNAL", "STAGING_PREFIX"]

LOCK_FILE = ".miner-lock"
JOURNAL = ".miner-publish.json"
STAGING_PREFIX = ".miner-staging-"

try:
    import fcntl
except ImportError:  # not POSIX: a lock file created exclusively stands in
    fcntl = None


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder ``out`` (made if missing) for one run.

    Raises:
        BusyError: another live run holds it.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    holder = f"pid {os.getpid()} on {_host()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}"
    if fcntl is None:
        with _exclusive_file(path, holder):
            yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(_busy_message(out, os.pread(fd, 400, 0))) from None
        except OSError:
            pass  # a file system without locks (some network mounts): go on unlocked
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _host() -> str:
    """This machine's name (without importing :mod:`socket`, slow to import, where the OS tells it)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _busy_message(out: Path, holder: bytes) -> str:
    who = holder.decode("utf-8", "replace").strip() or "another process"
    return f"{out}: another miner run is writing here ({who}); wait for it to end or give another --out"


@contextlib.contextmanager
def _exclusive_file(path: Path, holder: str) -> Iterator[None]:
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            text = path.read_bytes()
            pid = text.split()[1] if text.startswith(b"pid ") else b""
            if pid.isdigit() and _alive(int(pid)):
                raise BusyError(_busy_message(path.parent, text)) from None
            path.unlink(missing_ok=True)  # a dead run's lock
    else:
        raise BusyError(_busy_message(path.parent, b""))
    try:
        os.write(fd, holder.encode())
        os.close(fd)
        yield
    finally:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class Staging:
    """A folder beside the published files where a run writes its new ones.

    ``path(name)`` is where the new version of ``OUT/name`` is written (a
    name may hold a sub-folder: ``.miner-state/index.json``); every file
    written there is published by :meth:`publish`, so a new table needs
    nothing but a path.
    """

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.folder = self.out / f"{STAGING_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
        self.folder.mkdir()
        self.committed = False  # whether publish reached its commit point

    def path(self, name: str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def publish(self) -> None:
        """Move every staged file over the published one, all or none."""
        moves = [
            (str(p.relative_to(self.out)), str(p.relative_to(self.folder)))
            for p in sorted(self.folder.rglob("*")) if p.is_file()
        ]
        for _, dst in moves:  # found now, before the commit point, not half-way through the moves
            target = self.out / dst
            if target.is_dir() and not target.is_symlink():
                raise TableError(f"{target}: a folder stands where this table goes; move it away and run again")
        _fsync_all([p for p in self.folder.rglob("*") if p.is_file()])
        _fsync(self.folder)
        tmp = self.folder / JOURNAL  # inside the staging folder: never taken for a journal half written
        tmp.write_text(json.dumps({"staging": self.folder.name, "moves": moves}, ensure_ascii=False), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, self.out / JOURNAL)  # the commit point
        self.committed = True
        _fsync(self.out)
        recover(self.out)

    def discard(self) -> None:
        """Drop the staged files, unless they are published already (in part:
        :func:`recover` moves the rest)."""
        if not self.committed:
            shutil.rmtree(self.folder, ignore_errors=True)


def recover(out: Path) -> bool:
    """Finish a publication that a killed run began (see the module
    docstring); whether there was one.  Safe to run at any time, by
    several processes at once."""
    journal = Path(out) / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return False  # unreadable: leave it for a run to replace
    moves = _plan_moves(plan)
    if moves is None:
        return False  # not a journal this code wrote: nothing it names is touched, and a run replaces it
    for src, dst in moves:
        target = Path(out) / dst
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(Path(out) / src, target)
        except FileNotFoundError:
            pass  # moved already
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()
    shutil.rmtree(Path(out) / plan["staging"], ignore_errors=True)
    return True


def _plan_moves(plan) -> list[tuple[str, str]] | None:
    """The moves a journal names, if it is one :meth:`Staging.publish`
    writes: a staging folder of the output folder and moves from inside it
    to paths inside the output folder; else ``None`` (a damaged or foreign
    file must not move or delete anything, least of all outside the folder).

    >>> _plan_moves({"staging": ".miner-staging-1-ab", "moves": [[".miner-staging-1-ab/a.csv", "a.csv"]]})
    [('.miner-staging-1-ab/a.csv', 'a.csv')]
    >>> _plan_moves({"staging": "/elsewhere", "moves": []}), _plan_moves([]), _plan_moves({"staging": ".miner-staging-1", "moves": [["../a", "b"]]})
    (None, None, None)
    """
    if not isinstance(plan, dict):
        return None
    staging, moves = plan.get("staging"), plan.get("moves")
    if not (isinstance(staging, str) and staging.startswith(STAGING_PREFIX) and _inside(staging)
            and len(PurePath(staging).parts) == 1 and isinstance(moves, list)):
        return None
    checked = []
    for move in moves:
        if not (isinstance(move, list) and len(move) == 2 and all(isinstance(m, str) and _inside(m) for m in move)
                and PurePath(move[0]).parts[0] == staging):
            return None
        checked.append((move[0], move[1]))
    return checked


def _inside(name: str) -> bool:
    """Whether ``name`` is a relative path that stays inside the folder it is relative to."""
    path = PurePath(name)
    return bool(name) and not path.is_absolute() and not path.anchor and ".." not in path.parts


def remove_stale_staging(out: Path) -> None:
    """Remove the staging folders of runs that died before publishing
    (call only while holding the lock: then no live run has one)."""
    for path in Path(out).glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)


FSYNC_THREADS = 8


def _fsync_all(paths: list[Path]) -> None:
    """Flush files to disk, several at once: each waits on the disk, not on
    the processor, and a journaling file system commits them together, so
    a run's dozen tables take about the time of one."""
    import threading

    todo = iter(paths)  # shared by the threads; next() on it is atomic under the GIL

    def flush() -> None:
        for path in todo:
            _fsync(path)

    threads = [threading.Thread(target=flush) for _ in range(min(FSYNC_THREADS, len(paths)) - 1)]
    for t in threads:
        t.start()
    flush()
    for t in threads:
        t.join()


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, where the system allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
