"""miner: find the campaign slogans in Chinese political speeches."""

__version__ = "0.1.0"


def package_files():
    """The files of the package (``data/``, ``assets/``, its modules): its
    folder, or where the package is no folder (inside a zip) what
    :func:`importlib.resources.files` gives for it.  Importing
    :mod:`importlib.resources` (and the zip reader it brings) would take a
    good part of a run's start-up.

    >>> (package_files() / "data" / "slogans.txt").is_file()
    True
    """
    from pathlib import Path

    folder = Path(__file__).parent
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files(__name__)
