"""Finding slogans in prepared text, and what they stand for.

- ``core``: numbered slogans and quoted phrases in normalised text.
- ``formulas``: recurring unnumbered formulas from character n-gram statistics.
- ``lexicon``: the word lists the extractor consults (jieba's dictionary, the known slogans).
- ``define``: what a numbered slogan stands for, the members it is spelled out as.
- ``dictionary``: one slogan dictionary of a corpus from the definitions of its documents.
- ``patterns``: slogans grouped into templates (三个*, *个全面) and counted by year.
- ``reference``: the national reports' profile of political language that formulas are scored against.

Import from the modules themselves (``from miner.extract.core import Extractor``).
"""

__all__ = ["core", "define", "dictionary", "formulas", "lexicon", "patterns", "reference"]
