"""One error hierarchy: the CLI turns each into a one-line ``Error: …`` exit."""

__all__ = ["MinerError", "InputError", "TableError", "EmptyResultError", "BusyError"]


class MinerError(Exception):
    """Base class of every error ``miner`` raises on purpose."""


class InputError(MinerError):
    """An input path or option cannot be used (missing path, bad field name, …)."""


class TableError(MinerError):
    """A table written by ``miner run`` is missing or malformed."""


class EmptyResultError(MinerError):
    """A stage had nothing to work on (no phrases left after filtering, …)."""


class BusyError(MinerError):
    """An output folder is being written by another run."""
