"""Getting text in and results out: input formats, output tables and what runs keep.

- ``read``: read a corpus (text, Word, HTML, PDF, JSON Lines, CSV) into documents.
- ``pdf``: the text layer of PDF files.
- ``docx``: the text of Word files, in reading order.
- ``markdown``: the text of Markdown files, without their markup.
- ``tables``: the CSV tables ``miner run`` writes, and reading them back.
- ``xlsx``: the tables of a run as one Excel workbook.
- ``export``: the mined slogans as a jieba user dictionary.
- ``publish``: write into an output folder safely, one run at a time.
- ``state``: what earlier runs mined, so that the next run redoes only what changed.
- ``regex_cache``: compiled regular expressions kept between runs.

Import from the modules themselves (``from miner.io.read import iter_documents``).
"""

__all__ = ["docx", "export", "markdown", "pdf", "publish", "read", "regex_cache", "state", "tables", "xlsx"]
