"""What a run's tables say: counts, networks, comparisons, plots and reports.

- ``count``: mentions into phrase and phrase × year tables.
- ``selection``: the part of a run to analyse (phrase kinds, years, ``--where`` fields).
- ``network``: phrase co-occurrence networks (build, communities, export, draw).
- ``compare``: two documents, years or ranges of years, or groups of documents, compared.
- ``plot``: trend lines, a phrase × year heatmap, a timeline.
- ``report``: leading phrases and concordances for the terminal.
- ``html_report``: one self-contained HTML page to explore a run.
- ``evaluate``: the extractor measured against a judged list.

Import from the modules themselves (``from miner.analysis.network import build_cooccurrence_graph``).
"""

__all__ = ["compare", "count", "evaluate", "html_report", "network", "plot", "report", "selection"]
