"""Preparing a document's text for the extractors.

- ``normalize``: normalise text for matching, remembering where every character came from.
- ``clean``: strip web-page chrome (banners, buttons, page counters, footers).
- ``metadata``: find a document's title and year, and say where the year came from.

Import from the modules themselves (``from miner.preprocess.clean import clean_text``).
"""

__all__ = ["clean", "metadata", "normalize"]
