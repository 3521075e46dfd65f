"""Map :func:`~miner.pipeline.mine_document` over documents on an engine:
in this process, in worker processes on this machine, or on a Dask cluster.

Every engine yields the results in input order, so the tables built from
them are the same row for row whichever engine ran.  Documents go to the
workers in batches of about :data:`BATCH_CHARS` characters, and only a few
batches per worker are in flight at a time, so memory stays bounded however
long the stream is.  Each worker process builds or receives one
:class:`~miner.pipeline.Miner` when it starts and keeps it, rather than
unpickling one per task.

>>> from miner.types import Document
>>> docs = [Document("a", "a", "实现“两个率先”。"), Document("b", "b", "坚持四项基本原则。")]
>>> [[m.phrase for m in r.mentions] for r in map_documents(docs, workers=1)]
[['两个率先'], ['四项基本原则']]
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import signal
import sys
import time
from collections import deque
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable, Iterator

from .errors import InputError, MinerError
from .io.read import Fields, discover, read_file
from .types import DocResult, Document

__all__ = ["map_documents", "map_files", "mine_file", "list_inputs", "read_input", "is_url", "FileTask", "FileResult", "mine_batch",
           "default_workers", "ENGINES", "BATCH_CHARS", "MIN_PARALLEL_CHARS"]

ENGINES = ("local", "dask")
BATCH_CHARS = 32_000  # text per task: large enough to amortise the hand-over, small enough to balance
BATCH_DOCS = 256
DASK_BATCH_CHARS = 1_000_000  # a scheduler round trip costs more than a pipe write
SPLIT_EVERY = 8  # counts merged on a Dask cluster: this many into one, level by level
PROGRESS_SECONDS = 0.5  # how often a run on Dask looks for files done while it waits
IN_FLIGHT = 4  # batches queued per worker: keeps workers busy without reading far ahead
# Below this many characters to mine, starting worker processes costs more than it saves.
MIN_PARALLEL_CHARS = 256_000
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends

log = logging.getLogger(__name__)


def default_workers() -> int:
    """The number of CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_documents(
    items: Iterable,
    *,
    engine: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    miner=None,
) -> Iterator:
    """Mine every document of ``items`` and yield the results in input order.

    An item that is not a :class:`~miner.types.Document` (a result reused
    from an earlier run, say) passes through unmined, in its place.  Results
    carry their document without its text, which is not needed after mining
    and would double what crosses between processes.

    Args:
        items: documents to mine, and anything to pass through.
        engine: ``"local"`` (processes on this machine) or ``"dask"``;
            default ``"dask"`` when ``scheduler`` is given, else ``"local"``.
        workers: processes to use (default: the machine's cores); with 1,
            or when there is little to mine, everything runs in this process.
            For ``"dask"`` without ``scheduler``, the workers of the local cluster.
        scheduler: address of a running Dask scheduler (``tcp://host:8786``).
        miner: the :class:`~miner.pipeline.Miner` to use (default: a new one,
            built only if anything needs mining).
    """
    engine = engine or ("dask" if scheduler else "local")
    if engine not in ENGINES:
        raise InputError(f"unknown engine '{engine}' (choose one of: {', '.join(ENGINES)})")
    if scheduler and engine != "dask":
        raise InputError(f"--scheduler {scheduler} needs the dask engine (--engine dask)")
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise InputError(f"workers must be 1 or more, not {workers}")
    runner = _DaskRunner(workers, scheduler, miner) if engine == "dask" else _LocalRunner(workers, miner)
    with runner:
        yield from _in_order(_batches(items, runner.batch_chars), runner)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive items grouped into batches of about ``size`` characters to mine."""
    batch, chars = [], 0
    for item in items:
        batch.append(item)
        if isinstance(item, Document):
            chars += len(item.text)
        if chars >= size or len(batch) >= BATCH_DOCS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _in_order(batches: Iterable[list], runner) -> Iterator:
    """Submit batches, at most ``runner.in_flight`` ahead, and yield their results in order."""
    pending: deque = deque()
    for batch in batches:
        docs = [x for x in batch if isinstance(x, Document)]
        pending.append((batch, runner.submit(docs) if docs else None))
        while len(pending) > runner.in_flight:
            yield from _merge(*pending.popleft())
    while pending:
        yield from _merge(*pending.popleft())


def _merge(batch: list, future) -> Iterator:
    """The results of one batch: mined ones from ``future``, reused ones as they were."""
    mined = iter(future.result() if future is not None else ())
    for item in batch:
        yield next(mined) if isinstance(item, Document) else item


def mine_batch(docs: list[Document], miner) -> list[DocResult]:
    """Mine a list of documents with ``miner.mine`` (a
    :class:`~miner.pipeline.Miner`, or the second pass of formulas, a
    :class:`~miner.extract.formulas.FormulaLocator`); the results carry no document text."""
    return [_lean(miner.mine(doc)) for doc in docs]


def _lean(result: DocResult) -> DocResult:
    return replace(result, document=replace(result.document, text="")) if result.document.text else result


def _new_miner():
    from .pipeline import Miner

    return Miner()


# -- in this process and in worker processes ------------------------------


class _Later:
    """A batch to mine in this process when its result is asked for."""

    def __init__(self, runner: "_LocalRunner", docs: list[Document]) -> None:
        self.runner, self.docs = runner, docs

    def result(self):
        return mine_batch(self.docs, self.runner.miner)


class _Pooled:
    """A batch mined in a worker process."""

    def __init__(self, future) -> None:
        self.future = future

    def result(self):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.future.result()
        except BrokenProcessPool:
            raise _worker_died() from None


def _worker_died() -> MinerError:
    return MinerError("a worker process died while mining (out of memory?); try fewer --workers")


def _submit(pool, docs: list[Document]) -> _Pooled:
    """Hand a batch to the pool; a pool broken by a dead worker refuses it."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return _Pooled(pool.submit(_mine_in_worker, docs))
    except BrokenProcessPool:
        raise _worker_died() from None


# The Miner of a worker process, set once by the pool initializer: tasks
# would otherwise unpickle the lexicon (megabytes) each time.
_worker = SimpleNamespace(miner=None)


def _init_worker(miner, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with(parent)
    _worker.miner = miner if miner is not None else _new_miner()


def _die_with(parent: int) -> None:
    """End this worker when the process that started it ends, however it
    ends (``kill -9`` too): a worker left behind would mine on for nobody
    and hold the parent's output open (``miner run … | cat`` would never end)."""
    with contextlib.suppress(OSError):  # a worker prints nothing: keep no pipe of the parent's open
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    if not sys.platform.startswith("linux"):
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _mine_in_worker(docs: list[Document]) -> list[DocResult]:
    return mine_batch(docs, _worker.miner)


def _pool_context():
    import multiprocessing

    # Forked workers share the parent's Miner (lexicon and compiled patterns)
    # at no cost; elsewhere the Miner is pickled once per worker.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _LocalRunner:
    """This process for small jobs and ``workers=1``, else a pool of worker processes.

    The pool starts only once more than :data:`MIN_PARALLEL_CHARS` characters
    have been submitted; the batches before that are mined here, in order, while
    the workers take the rest.
    """

    def __init__(self, workers: int, miner) -> None:
        self.batch_chars = BATCH_CHARS
        self.min_parallel_chars = MIN_PARALLEL_CHARS
        self.workers = workers
        self.in_flight = IN_FLIGHT * workers
        self._miner = miner
        self.pool = None
        self.submitted = 0

    @property
    def miner(self):
        if self._miner is None:
            self._miner = _new_miner()
        return self._miner

    def submit(self, docs: list[Document]):
        if self.pool is not None:
            return _submit(self.pool, docs)
        self.submitted += sum(len(d.text) for d in docs)
        if self.workers == 1 or self.submitted < self.min_parallel_chars:
            return _Later(self, docs)
        from concurrent.futures import ProcessPoolExecutor  # imported only when needed: it takes a while

        lexicon = getattr(self.miner, "lexicon", None)  # a Miner's, not a formula locator's
        if lexicon is not None:
            lexicon.read_whole()  # shared by the forked workers, not built in each
        self.pool = ProcessPoolExecutor(self.workers, _pool_context(), _init_worker, (self.miner, os.getpid()))
        log.info("mining in %d worker processes", self.workers)
        # With fork, the workers start at the first submit; frozen, the parent's
        # objects stay out of the workers' garbage collection, so their pages stay shared.
        gc.freeze()
        try:
            return _submit(self.pool, docs)
        finally:
            gc.unfreeze()

    def __enter__(self) -> "_LocalRunner":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=exc_type is not None)


# -- on a Dask cluster ------------------------------------------------------


@contextlib.contextmanager
def _quieter(logger: logging.Logger, level: int):
    """Raise ``logger`` to ``level`` for a while (Dask's progress chatter is INFO)."""
    old = logger.level
    logger.setLevel(max(level, old))
    try:
        yield
    finally:
        logger.setLevel(old)


@contextlib.contextmanager
def _sigint_ignored():
    """Ignore Ctrl-C while inside, so that the processes started inside keep
    ignoring it (a disposition they inherit, unlike a handler).  A Ctrl-C
    while inside is lost: only the few seconds a local cluster takes to start."""
    try:
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)


def _mine_partition(docs: list[Document], miner) -> list[DocResult]:
    return mine_batch(list(docs), miner)


class _DaskRunner:
    """Batches as Dask bags on a cluster: a local one, or the one at ``scheduler``.

    The Miner is scattered to every worker once; each batch is a bag of
    documents whose partitions are mined by :func:`mine_batch` and come back
    concatenated in partition order.  Files (:meth:`submit_file`) are read,
    mined and counted on the workers, and their counts merged there in
    :attr:`tree`; with ``state`` each file's counts also come back pickled,
    with its rows, for the run's state.
    """

    def __init__(self, workers: int, scheduler: str | None, miner, *, state: bool = True) -> None:
        self.batch_chars = DASK_BATCH_CHARS
        self.state = state  # whether a file's result carries its counts, for the run's state
        try:
            import dask.bag
            import distributed
        except ImportError:
            raise MinerError("the dask engine needs Dask: pip install 'miner[dask]'") from None
        self.bag = dask.bag
        self.distributed = distributed
        self.workers = workers
        self.scheduler = scheduler
        self.miner = miner
        self.slots = self.in_flight = workers
        self.client = None
        self.tree: _CountTree | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> "_DaskRunner":
        return self

    def _connect(self) -> None:
        """Start a local cluster, or connect to the scheduler (only once there is work)."""
        distributed = self.distributed
        if not log.isEnabledFor(logging.INFO):
            self._stack.enter_context(_quieter(logging.getLogger("distributed"), logging.WARNING))
        if self.scheduler:
            try:
                client = distributed.Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise InputError(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from None
        else:
            # The workers start with Ctrl-C ignored (they inherit it): Ctrl-C
            # reaches every process of the terminal's group, and workers that die
            # on it first would flood the terminal with their failed heartbeats;
            # this process shuts them down in order instead.
            with _sigint_ignored():
                cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=":0",  # any free port: others may run one
                    # What a worker logs reaches the terminal straight; its errors
                    # reach this process as exceptions, and a worker stopped on
                    # Ctrl-C complains of the scheduler gone: only with -v.
                    silence_logs=logging.ERROR if log.isEnabledFor(logging.INFO) else logging.CRITICAL,
                )
            self._stack.enter_context(cluster)
            client = distributed.Client(cluster)
        self.client = self._stack.enter_context(client)
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.in_flight = self.slots + 2  # each batch is already split over the workers
        log.info("mining on Dask: %d worker threads, dashboard %s", self.slots, self.client.dashboard_link)
        self._miner = self.client.scatter(self.miner or _new_miner(), broadcast=True)
        self.tree = _CountTree(self.client)

    def submit(self, docs: list[Document]):
        if self.client is None:
            self._connect()
        chars = sum(len(d.text) for d in docs)
        parts = max(1, min(len(docs), self.slots, -(-chars // (self.batch_chars // 4 or 1))))
        bag = self.bag.from_sequence(docs, npartitions=parts).map_partitions(_mine_partition, self._miner)
        return _OnDask(self.client.compute(bag), self.distributed.KilledWorker)

    def submit_file(self, task: "FileTask", *, whole: bool = False):
        """Mine the file of ``task`` on the cluster: a handle whose ``result()``
        is its :class:`FileResult`; its counts join :attr:`tree`."""
        if self.client is None:
            self._connect()
        if not whole and task.path.lower().endswith(RANGED_SUFFIXES):
            size = _file_size(task.path)
            if size is not None and size > RANGE_BYTES:
                return _RangedFile(self, task, size)
        if not self.state:  # the rows come here, the counts stay on the cluster to be merged
            rows, counts = self._split(self.client.submit(_mine_file_apart, task, self._miner, pure=False))
            self.tree.add(counts)
            return _OnDask(rows, self.distributed.KilledWorker)
        found = self.client.submit(_mine_file_on_worker, task, self._miner, pure=False)
        # The counts are taken out of the result by a small task, which Dask
        # runs where the result is, so that only they move to be merged.
        self.tree.add(self.client.submit(_counts_of, found, pure=False))
        return _OnDask(found, self.distributed.KilledWorker)

    def _split(self, future):
        """Futures of the two halves of a task's ``(rows, counts)``: the rows
        come here, the counts stay on the cluster."""
        submit = self.client.submit
        return submit(_first, future, pure=False), submit(_second, future, pure=False)

    def __exit__(self, exc_type, *exc) -> None:
        # After Ctrl-C or an error the workers are stopped mid-task: what
        # Dask says about stopping them is noise around the one-line error.
        quiet = _quieter(logging.getLogger("distributed"), logging.CRITICAL) if exc_type else contextlib.nullcontext()
        with quiet:
            self._stack.close()


class _OnDask:
    """A batch mined on Dask; a worker that died gives a one-line error."""

    def __init__(self, future, killed: type) -> None:
        self.future, self.killed = future, killed

    @property
    def futures(self) -> list:
        """What must finish before :meth:`result` can return without waiting."""
        return [self.future]

    def result(self):
        try:
            return self.future.result()
        except self.killed:
            raise MinerError("a Dask worker died while mining (out of memory?); try fewer --workers") from None


def _first(pair):
    return pair[0]


def _second(pair):
    return pair[1]


def _merge_counts(*parts):
    """The counts of ``parts`` merged into new ones (``None`` parts are left
    out; ``None`` if all are), without changing the parts, which a retried
    task may read again.  Parts are :class:`~miner.analysis.count.PhraseCounts`,
    or any counts with ``merge`` and ``empty`` (those of the formulas' second pass)."""
    from .analysis.count import PhraseCounts

    merged = None
    for part in parts:
        if part is not None:
            if merged is None:
                merged = part.empty() if hasattr(part, "empty") else PhraseCounts()
            merged = merged.merge(part)
    return merged if merged is None else _compact(merged)


class _CountTree:
    """Counts merged on the cluster in a tree, as they come.

    Each file mined on the cluster adds its counts (a future: they stay on
    the worker that made them) at level 0; every :data:`SPLIT_EVERY` futures
    of a level are merged by one task into one future of the next level, so
    the cluster holds a few partial counts per level and this process none.
    :meth:`total` merges what is left into one and fetches it: the only
    counts that come here.  Merging adds integers and takes maxima and
    unions, and a phrase's score sums are rounded to the decimals scores have
    (see :attr:`miner.analysis.count.PhraseStats.score`), so the order of the merges
    changes no table.

    >>> class Now:  # a stand-in for a client that runs each task at once
    ...     def submit(self, fn, *args, pure=True):
    ...         return SimpleNamespace(result=lambda: fn(*(a.result() for a in args)))
    >>> from miner.analysis.count import count_phrases
    >>> from miner.pipeline import Miner
    >>> m, tree = Miner(), _CountTree(Now())
    >>> for text in ["落实“两个率先”。", "坚持四项基本原则。", "实现“两个率先”。"] * 4:
    ...     tree.add(SimpleNamespace(result=lambda t=text: count_phrases([m.mine(Document(t, "s", t))])))
    >>> [len(level) for level in tree.levels], tree.merges
    ([4, 1], 1)
    >>> total = tree.total().result()
    >>> total.documents, {p: s.total for p, s in total.phrases.items()}
    (12, {'两个率先': 8, '四项基本原则': 4})
    """

    def __init__(self, client) -> None:
        self.client = client
        self.levels: list[list] = []
        self.merges = 0  # merge tasks submitted

    def add(self, future, level: int = 0) -> None:
        """Add counts (a future of :class:`~miner.analysis.count.PhraseCounts`, or of ``None``)."""
        while True:
            if len(self.levels) <= level:
                self.levels.append([])
            nodes = self.levels[level]
            nodes.append(future)
            if len(nodes) < SPLIT_EVERY:
                return
            self.levels[level] = []
            future = self._merge(nodes)
            level += 1

    def total(self):
        """A future of all the counts added, merged on the cluster into one
        (``None`` if none were added)."""
        nodes = [node for level in self.levels for node in level]
        self.levels = []
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else self._merge(nodes)

    def _merge(self, nodes: list):
        self.merges += 1
        return self.client.submit(_merge_counts, *nodes, pure=False)


# -- files read where they are mined ----------------------------------------
#
# With the dask engine, run_corpus hands the workers files, not documents:
# this process only lists the inputs (stat and directory listings, or an
# fsspec listing of a URL), and each worker hashes, reads, decodes, cleans
# and mines its file, and sends back the rows it needs: the results without
# their text.  The worker also counts the file; those counts are merged on the
# cluster (_CountTree) and only their total comes here.  What crosses to this
# process is bounded by the tables, not by the corpus.


def is_url(path) -> bool:
    """Whether ``path`` names a file through fsspec (``s3://bucket/x.jsonl``, ``file:///data/x.txt``)."""
    return "://" in str(path)


def list_inputs(paths: Iterable, *, out_dir=None, passed: list | None = None) -> list[tuple[str | Path, str]]:
    """The files to read, each with the name it is reported under: local
    paths as :func:`~miner.io.read.discover` finds them, and the files under
    each URL as its fsspec file system lists them (sorted, hidden ones left
    out), without opening any; ``passed`` collects what a local folder's walk
    passed over (see :func:`~miner.io.read.discover`).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a/c.txt", ".hidden.txt"):
    ...     (d / name).parent.mkdir(exist_ok=True)
    ...     _ = (d / name).write_text("两个率先", encoding="utf-8")
    >>> [name[len(d.as_uri()) + 1 :] for _, name in list_inputs([d.as_uri()])]
    ['a/c.txt', 'b.txt']
    """
    paths = list(paths)
    if not any(is_url(p) for p in paths):
        return discover(paths, out_dir=out_dir, passed=passed)
    found: list[tuple[str | Path, str]] = []
    seen: set[str] = set()
    for raw in paths:
        listed = _list_url(str(raw)) if is_url(raw) else discover([raw], out_dir=out_dir, passed=passed)
        for path, name in listed:
            if name not in seen:
                seen.add(name)
                found.append((path, name))
    return found


def _list_url(url: str) -> list[tuple[str, str]]:
    try:
        import fsspec
    except ImportError:
        raise MinerError(f"{url}: reading URLs needs fsspec: pip install 'miner[dask]'") from None
    try:
        fs, root = fsspec.core.url_to_fs(url)
        if fs.isdir(root):
            names = sorted(p for p in fs.find(root) if not any(part.startswith(".") for part in
                                                                p[len(root.rstrip("/")):].split("/")))
        elif fs.exists(root):
            names = [root]
        else:
            raise InputError(f"{url}: no such file or folder")
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(f"{url}: cannot list it ({exc})") from None
    return [(fs.unstrip_protocol(p), fs.unstrip_protocol(p)) for p in names]


@dataclass(frozen=True)
class FileTask:
    """One file for a worker to read and mine.

    ``last`` is the size and digest the file had when the last run mined it
    (when that run's rows of it can be taken over): a file that still has
    them is not read.  Documents whose key is in ``earlier`` were mined
    before and are not mined again.
    """

    path: str
    name: str
    fields: Fields = Fields()
    last: tuple[int, str] | None = None
    earlier: frozenset = frozenset()


@dataclass(frozen=True)
class FileResult:
    """What a worker found in one file: its size and digest, whether it is
    unchanged, and each document's key with its result (``None`` for a
    document in ``earlier``), in order and without text.

    ``counts`` is the file's :class:`~miner.analysis.count.PhraseCounts`, pickled,
    when the workers counted it (every document of it mined there): for the
    run's state, which keeps it as it is; the counts themselves are merged
    on the cluster (see :func:`map_files`).

    ``sample`` is the :class:`~miner.extract.formulas.FormulaSample` of the
    documents mined there, when the miner's ``formula_sample`` gives its
    budget (a run with formulas): the results then come without their masked
    texts (``formula_text``), the largest part of them, which only the
    sample needs."""

    name: str
    size: int
    digest: str
    unchanged: bool = False
    results: tuple = ()
    counts: bytes | None = None
    sample: object = None


def mine_file(task: FileTask, miner) -> FileResult:
    """Hash, read and mine one file where this runs (a Dask worker).

    >>> import tempfile, pathlib
    >>> from miner.pipeline import Miner
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_text("实现“两个率先”。", encoding="utf-8")
    >>> r = mine_file(FileTask(str(f), "a.txt"), Miner())
    >>> r.size, [[m.phrase for m in x.mentions] for _, x in r.results]
    (27, [['两个率先']])
    >>> mine_file(FileTask(str(f), "a.txt", last=(r.size, r.digest)), Miner()).unchanged
    True
    """
    from .io.state import document_key, file_digest

    with _local_copy(task) as (path, problem):
        if problem:
            doc = Document(task.name, task.name, status=f"skipped: {problem}")
            return FileResult(task.name, -1, "", results=((document_key(doc), _lean(miner.mine(doc))),))
        try:
            size, digest = file_digest(path)
        except OSError:
            size, digest = -1, ""  # read_file reports why
        if task.last == (size, digest):
            return FileResult(task.name, size, digest, unchanged=True)
        results = []
        for doc in read_file(path, task.name, task.fields):
            key = document_key(doc)
            results.append((key, None if key in task.earlier else _lean(miner.mine(doc))))
        return FileResult(task.name, size, digest, results=tuple(results))


@contextlib.contextmanager
def _local_copy(task: FileTask):
    """``(path, None)`` of the file of ``task`` on this machine (a URL copied
    to a temporary file with the same suffix), or ``(None, reason)``."""
    if not is_url(task.path):
        yield Path(task.path), None
        return
    import fsspec

    with tempfile.TemporaryDirectory(prefix="miner-") as tmp:
        local = Path(tmp) / ("file" + Path(task.path.rsplit("/", 1)[-1]).suffix)
        try:
            with fsspec.open(task.path, "rb") as src, open(local, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        except (OSError, ValueError) as exc:
            yield None, f"cannot read the file ({exc})"
            return
        yield local, None


def _mine_file_on_worker(task: FileTask, miner) -> FileResult:
    """:func:`mine_file`, with the file's counts if every document of it was
    mined here (not if some were reused: their counts are where the last run
    kept them)."""
    found = mine_file(task, miner)
    if found.unchanged:
        return found
    counts = _count_results(found.results, miner)
    results, sample = _sampled(found.results, miner)
    return replace(found, results=results, sample=sample, counts=None if counts is None else _pickled(counts))


def _sampled(results, miner) -> tuple[tuple, object]:
    """``(key, result)`` pairs without their masked texts, and the
    :class:`~miner.extract.formulas.FormulaSample` of those texts; as they
    are and ``None`` if ``miner`` has no ``formula_sample`` budget.

    >>> from miner.pipeline import Miner
    >>> m = Miner(formulas=True)
    >>> m.formula_sample = 100
    >>> results, sample = _sampled([(b"k", m.mine(Document("d", "d", "坚持改革开放。")))], m)
    >>> results[0][1].formula_text, sample.documents()
    ('', [('d', None, '坚持改革开放')])
    """
    budget = getattr(miner, "formula_sample", None)
    if budget is None:
        return tuple(results), None
    from .extract.formulas import FormulaSample

    sample = FormulaSample(budget)
    for _, result in results:
        if result is not None:
            sample.add_result(result)
    return tuple((key, replace(r, formula_text="") if r is not None and r.formula_text else r)
                 for key, r in results), sample


def _mine_file_apart(task: FileTask, miner) -> tuple:
    """``(result, counts)``: :func:`mine_file` without the per-document
    counts of its results, and the counts it made of them (``None`` if none)."""
    found = mine_file(task, miner)
    counts = _count_results(found.results, miner) if not found.unchanged else None
    return replace(found, results=_rows_only(found.results)), counts


def _counts_of(found: FileResult):
    """The counts a worker made of a file, ``None`` if it made none."""
    import pickle

    return None if found.counts is None else pickle.loads(found.counts)


def _count_results(results, miner=None) -> object | None:
    """The counts of ``(key, result)`` pairs mined by ``miner``, ``None`` if a
    result is missing (reused): a :class:`~miner.analysis.count.PhraseCounts`,
    or what ``miner.new_counts()`` makes (the second pass of formulas counts
    with a :class:`~miner.extract.formulas.LocatedCounts`)."""
    from .analysis.count import PhraseCounts

    new = getattr(miner, "new_counts", None)
    counts = new() if new else PhraseCounts()
    for _, result in results:
        if result is None:
            return None
        counts.add(result)
    return _compact(counts)


def _compact(counts):
    """``counts`` without room kept for more (the formulas' second pass's:
    they are done with, and kept until merged)."""
    compact = getattr(counts, "compact", None)
    return compact() if compact else counts


def _rows_only(results) -> tuple:
    """``(key, result)`` pairs without the results' formula counts: counted
    where they were made, not needed where the rows are written."""
    return tuple((key, replace(r, formula_counts=()) if r is not None and r.formula_counts else r)
                 for key, r in results)


def _pickled(counts) -> bytes:
    import pickle

    return pickle.dumps(counts, protocol=pickle.HIGHEST_PROTOCOL)


def map_files(tasks: Iterable[FileTask], *, workers: int | None = None, scheduler: str | None = None,
              miner=None, progress: Callable[[int], None] | None = None,
              merged: Callable[[object], None] | None = None, state: bool = True) -> Iterator[FileResult]:
    """Mine each file of ``tasks`` on a Dask cluster (a local one, or the one
    at ``scheduler``), where it is also read, and yield the results in order.

    Only a few files per worker thread are in flight at a time, so however
    many files there are, this process holds the results of those few.  The
    counts of the files the workers counted (see :attr:`FileResult.counts`)
    are merged on the cluster, in a tree (see :class:`_CountTree`), and
    handed to ``merged`` once, after the last result: this process merges
    none of them.  ``progress`` is called with 1 for each file as soon as
    the workers are done with it, in whatever order they finish.

    With ``state`` false no result carries counts, nor does any result
    carry the per-document formula counts of the second pass of a run with
    formulas (``miner`` a :class:`~miner.extract.formulas.FormulaLocator`):
    the counts of every file are merged on the cluster, and ``merged``
    receives them as one.
    """
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise InputError(f"workers must be 1 or more, not {workers}")
    with _DaskRunner(workers, scheduler, miner, state=state) as runner:
        pending: deque = deque()
        waiting: list = []  # files whose progress is not reported yet

        def report() -> None:
            for handle in [h for h in waiting if all(f.done() for f in h.futures)]:
                waiting.remove(handle)
                if progress:
                    progress(1)

        def next_result() -> FileResult:
            head = pending.popleft()
            while True:
                report()
                try:
                    runner.distributed.wait(head.futures, timeout=PROGRESS_SECONDS)
                    break
                except runner.distributed.TimeoutError:
                    continue
            report()
            return head.result()

        for task in tasks:
            handle = runner.submit_file(task)
            pending.append(handle)
            waiting.append(handle)
            while len(pending) > runner.in_flight:
                yield next_result()
        while pending:
            yield next_result()
        total = runner.tree.total() if runner.tree is not None and merged is not None else None
        if total is not None:
            total = _OnDask(total, runner.distributed.KilledWorker).result()  # the only counts fetched
            if total is not None:
                merged(total)


# -- byte ranges of a large JSON Lines file ---------------------------------
#
# A JSON Lines file larger than RANGE_BYTES is read by several workers at
# once, each taking the lines that start in its range of bytes.  A first task
# per range finds where its lines start and end, counts them and hashes its
# bytes; a second, once all the first are done, decodes and mines its lines,
# numbered on from the count of the lines before it.  The lines are decoded
# and read exactly as miner.io.read reads a whole file (in UTF-8, GB18030 and
# Big5 no byte of a character is a line end; UTF-16 files are read whole).

RANGE_BYTES = 64 << 20
RANGED_SUFFIXES = (".jsonl",)


@dataclass(frozen=True)
class _Range:
    """What the first task found in range ``index``: its lines' bytes
    ``[start, end)``, their count, the hash of its nominal bytes, and (the
    first range only) the file's encoding, ``""`` if it cannot be split,
    with the doubt its sniff left (see :func:`miner.io.read.sniff`)."""

    index: int
    start: int
    end: int
    lines: int
    digest: bytes
    encoding: str | None = None
    doubt: str = ""


def _open_bytes(path: str):
    if is_url(path):
        import fsspec

        return fsspec.open(path, "rb").open()
    from .io.read import open_regular

    return open_regular(Path(path))


def _line_start(fh, offset: int) -> int:
    """The first line start at or after ``offset`` (the file's size if none)."""
    if offset == 0:
        return 0
    fh.seek(offset - 1)
    at = offset - 1
    while chunk := fh.read(1 << 16):
        cut = chunk.find(b"\n")
        if cut >= 0:
            return at + cut + 1
        at += len(chunk)
    return at


def _scan_range(path: str, index: int, size: int, step: int) -> _Range:
    """The first task of range ``index`` (of ``step`` bytes) of a file of ``size`` bytes."""
    import hashlib

    from .io.read import DecodeError, _sniff_stream_doubt

    lo, hi = index * step, min(size, (index + 1) * step)
    encoding, doubt = None, ""
    with _open_bytes(path) as fh:
        if index == 0:
            try:
                encoding, doubt = _sniff_stream_doubt(fh)
            except DecodeError:
                encoding = ""
            if encoding.startswith("utf-16"):
                encoding = ""
        start, end = _line_start(fh, lo), _line_start(fh, hi) if hi < size else size
        digest, lines = hashlib.blake2b(digest_size=16), 0
        fh.seek(lo)
        at = lo
        while at < max(hi, end):
            chunk = fh.read(min(1 << 20, max(hi, end) - at))
            if not chunk:
                break
            if at < hi:
                digest.update(chunk[: hi - at])
            a, b = max(start, at) - at, min(end, at + len(chunk)) - at
            if a < b:
                lines += chunk.count(b"\n", a, b)
            at += len(chunk)
    return _Range(index, start, end, lines, digest.digest(), encoding, doubt)


def _range_digest(ranges) -> tuple[int, str]:
    import hashlib

    digest = hashlib.blake2b(b"ranges", digest_size=16)
    for r in ranges:
        digest.update(r.digest)
    return ranges[-1].end if ranges else 0, digest.hexdigest()


class _BrokenRecord(Exception):
    """A line ends inside a string: miner.io.read may join it with the next lines."""


WHOLE = "whole"  # what a range says when its file must be read whole after all


def _mine_range(task: FileTask, index: int, miner, *ranges: _Range):
    """The second task of range ``index``: ``None`` if the file is unchanged
    or cannot be split, :data:`WHOLE` if a record in it may be broken over
    lines (miner.io.read joins such lines again, which ranges read apart
    cannot), else ``(records, [(key, result or None), …])``."""
    import io

    from .io.read import _blocks, _decode_block, _ends_in_string, _jsonl_line, _warned, _with_path_fields
    from .io.state import document_key

    encoding = ranges[0].encoding
    if not encoding or task.last == _range_digest(ranges):
        return None
    own = ranges[index]
    number = sum(r.lines for r in ranges[:index])
    with _open_bytes(task.path) as fh:
        fh.seek(own.start)
        data = fh.read(own.end - own.start)

    def documents():
        nonlocal records
        nonlocal number
        for block in _blocks(io.BytesIO(data)):
            lines = _decode_block(block, encoding, False)
            lines, bad = lines if isinstance(lines, tuple) else (lines, ())
            bad = {number + i for i in bad}
            for line in lines:
                number += 1
                doc = _jsonl_line(number, line, number in bad, encoding, task.name, task.fields)
                if _ends_in_string(doc, number):
                    raise _BrokenRecord
                if doc is not None:
                    records += 1
                    yield _warned(doc, ranges[0].doubt)

    records, results = 0, []
    try:
        for doc in _with_path_fields(documents(), task.name, task.fields):
            key = document_key(doc)
            results.append((key, None if key in task.earlier else _lean(miner.mine(doc))))
    except _BrokenRecord:
        return WHOLE
    return records, results


def _mine_empty(task: FileTask, miner) -> tuple:
    """A file of ranges that held no record: one document, skipped, as miner.io.read reports it."""
    from .io.read import _skip, _with_path_fields
    from .io.state import document_key

    docs = _with_path_fields(iter([_skip(task.name, "no JSON lines, only blank space", task.name)]), task.name,
                             task.fields)
    return tuple((document_key(doc), _lean(miner.mine(doc))) for doc in docs)


def _file_size(path: str) -> int | None:
    """The size of a file, from its metadata (it is not opened); ``None`` if unknown."""
    try:
        if is_url(path):
            import fsspec

            fs, root = fsspec.core.url_to_fs(path)
            return int(fs.size(root))
        return os.stat(path).st_size
    except (OSError, ValueError, TypeError, ImportError):
        return None


class _RangedFile:
    """A large JSON Lines file read in byte ranges on the cluster (see above)."""

    def __init__(self, runner, task: FileTask, size: int) -> None:
        self.runner, self.task = runner, task
        submit = runner.client.submit
        step = RANGE_BYTES
        self.scans = [submit(_scan_range, task.path, i, size, step, pure=False) for i in range(-(-size // step))]
        self.mines, self.counts = [], []  # each range's rows, here; its counts, on the cluster
        for i in range(len(self.scans)):
            rows, counts = runner._split(submit(_mine_range_counted, task, i, runner._miner, *self.scans,
                                                pure=False))
            self.mines.append(rows)
            self.counts.append(counts)

    @property
    def futures(self) -> list:
        return self.scans + self.mines

    def result(self) -> FileResult:
        task, wait = self.task, lambda future: _OnDask(future, self.runner.distributed.KilledWorker).result()
        try:
            mined = [wait(f) for f in self.mines]
            ranges = [wait(f) for f in self.scans]
        except OSError:  # read whole, the file's reader says what is wrong with it
            return self.runner.submit_file(task, whole=True).result()
        size, digest = _range_digest(ranges)
        if not ranges[0].encoding or WHOLE in mined:  # not splittable (UTF-16, not text, a record over lines)
            return self.runner.submit_file(task, whole=True).result()
        if any(m is None for m in mined):
            return FileResult(task.name, size, digest, unchanged=True)
        results = [r for _, part, _ in mined for r in part]
        samples = [sample for _, _, sample in mined if sample is not None]
        sample = functools.reduce(lambda a, b: a.merge(b), samples) if samples else None
        if not sum(records for records, _, _ in mined):  # counted here: one skipped document
            results = list(wait(self.runner.client.submit(_mine_empty, task, self.runner._miner, pure=False)))
            return FileResult(task.name, size, digest, results=tuple(results))
        # The ranges' counts are merged on the cluster into the file's, which
        # join the tree; this process fetches them only pickled, for the state.
        counts = self.runner.client.submit(_merge_if_all, *self.counts, pure=False)
        self.runner.tree.add(counts)
        if not self.runner.state:
            return FileResult(task.name, size, digest, results=tuple(results), sample=sample)
        pickled = wait(self.runner.client.submit(_pickled_if_any, counts, pure=False))
        return FileResult(task.name, size, digest, results=tuple(results), counts=pickled, sample=sample)


def _mine_range_counted(task: FileTask, index: int, miner, *ranges: _Range) -> tuple:
    """``(rows, counts)``: :func:`_mine_range`, with the counts of its
    documents if every one was mined here (else ``None``), which the rows
    then come without (see :func:`_rows_only`); the rows are ``(records,
    results, sample)``, with the range's formula sample (see :func:`_sampled`)."""
    rows = _mine_range(task, index, miner, *ranges)
    if rows is None or rows == WHOLE:
        return rows, None
    counts = _count_results(rows[1], miner)
    results, sample = _sampled(rows[1], miner)
    return (rows[0], _rows_only(results), sample), counts


def _merge_if_all(*parts):
    """The counts of a file's ranges merged, ``None`` if one is missing."""
    return None if any(part is None for part in parts) else _merge_counts(*parts)


def _pickled_if_any(counts) -> bytes | None:
    return None if counts is None else _pickled(counts)


def read_input(path, name: str, fields: Fields = Fields()) -> Iterator[Document]:
    """The documents of one input that :func:`list_inputs` listed, a local
    path or a URL (copied to a temporary file first), read in this process.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_text("实现“两个率先”。", encoding="utf-8")
    >>> [(d.doc_id == f.as_uri(), d.text) for d in read_input(f.as_uri(), f.as_uri())]
    [(True, '实现“两个率先”。')]
    >>> [d.status for d in read_input(f.as_uri() + "x", "gone.txt")][0].startswith("skipped: cannot read the file")
    True
    """
    with _local_copy(FileTask(str(path), name, fields)) as (local, problem):
        if problem:
            yield Document(name, name, status=f"skipped: {problem}")
            return
        yield from read_file(local, name, fields)
