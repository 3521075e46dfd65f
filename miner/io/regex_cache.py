"""Compiled regular expressions kept between runs of the command line.

Python's :mod:`re` compiles every pattern anew in each process, and it
expands a class of Chinese characters (``[\\u4e00-\\u9fff]``) one character
at a time: the 150-odd patterns a ``miner run`` compiles take about a tenth
of its time on a report-sized corpus.  :func:`save` keeps their compiled
form (the ``sre`` code :mod:`re` builds) in the user's cache folder, under a
name keyed by this Python's exact version; :func:`load` puts them into
:mod:`re`'s own cache at the next start, where ``re.compile`` finds them.

This leans on internals of CPython's :mod:`re` (its cache, ``_sre.compile``
and the compiler that makes the code).  Where they are not as expected, or
the cache cannot be read or written, nothing is loaded or saved and
patterns are compiled as usual: the results are the same either way.

>>> import re
>>> load() is None and save() is None
True
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
from pathlib import Path

__all__ = ["load", "save", "cache_path"]

CACHE_VERSION = "1"
# re keeps this many patterns in its cache (_MAXCACHE), and drops the oldest beyond.
MAX_PATTERNS = 400
_ERRORS = (OSError, ValueError, EOFError, TypeError, AttributeError, ImportError, KeyError, IndexError,
           RuntimeError, RecursionError, re.error)
# The patterns load() put into re's cache, with their entries (saved again as they are).
_loaded: dict[tuple, tuple] = {}


def cache_path() -> Path:
    """Where the compiled patterns of this Python are kept."""
    import _sre

    from ..extract.lexicon import cache_dir

    key = f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}|{CACHE_VERSION}"
    return cache_dir() / f"regex-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.marshal"


def load() -> None:
    """Put the patterns saved by the last run into :mod:`re`'s cache."""
    try:
        import _sre

        cache = re._cache
        entries = marshal.loads(cache_path().read_bytes())
        for entry in entries[: MAX_PATTERNS]:
            pattern, flags, all_flags, code, groups, groupindex, indexgroup = entry
            key = (str, pattern, flags)
            if key not in cache:
                cache[key] = _sre.compile(pattern, all_flags, code, groups - 1, groupindex, indexgroup)
            _loaded[key] = entry
    except _ERRORS:
        return


def save() -> None:
    """Keep the compiled form of the patterns in :mod:`re`'s cache, if any of
    them is not kept yet (at most :data:`MAX_PATTERNS`, the latest)."""
    try:
        from re import _compiler, _parser

        keys = [k for k in list(re._cache) if k[0] is str and not k[2] & re.DEBUG][-MAX_PATTERNS:]
        if all(k in _loaded for k in keys):
            return
        entries = [_loaded.get(k) or _entry(k[1], k[2], _compiler, _parser) for k in keys]
        from ..extract.lexicon import write_atomically

        write_atomically(cache_path(), marshal.dumps(entries))
    except _ERRORS:
        return


def _entry(pattern: str, flags: int, compiler, parser) -> tuple:
    """What ``_sre.compile`` is given for ``pattern``, as :mod:`re` compiles it."""
    parsed = parser.parse(pattern, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    code = [int(op) for op in compiler._code(parsed, flags)]  # opcodes are int subclasses marshal does not take
    return (pattern, int(flags), int(flags | parsed.state.flags), code, parsed.state.groups, groupindex,
            tuple(indexgroup))
