"""One self-contained HTML page to explore a run: ``miner report``.

The page holds everything it shows: the data as JSON, its script and style,
and the two JavaScript libraries it uses (d3 and graphology, shipped in
``miner/assets`` with their licences).  It fetches nothing (a
Content-Security-Policy forbids it), so it opens offline from disk by
double-click, and mails or archives as one file.

It shows the corpus at a glance (documents, years, characters, the inputs
skipped and why); a sortable, filterable table of the slogans (kind, years,
search in simplified or traditional characters) with a trend line per row;
a panel per slogan (trend, definition and members, variants, concordance
lines with document and year, the slogans it travels with); the
co-occurrence network of :mod:`miner.analysis.network` (hover shows a phrase's
neighbours, a click opens it; colours by community or first year); and a
comparison of two periods computed in the page from the embedded counts,
as :func:`miner.analysis.compare.compare_periods` computes it.

Caps keep the page a few MB whatever the corpus: the most mentioned
``max_phrases`` phrases, ``max_lines`` concordance lines a phrase (spread
over its years), ``max_skipped`` skipped inputs listed; the page says each
cap it applied.

With ``by`` (a document field), the page also groups the documents by that
field's values: a row per group (documents, characters, the key slogans of
:func:`miner.analysis.compare.compare_groups`, one group against the rest), each
slogan's count in every group, and a choice of group that switches the
slogan table to that group's counts and rates.  At most ``max_groups``
groups (the largest by characters) and ``max_keys`` key slogans a group.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import EmptyResultError, InputError
from ..fonts import web_cjk_font
from .report import locate_mention
from .selection import KINDS, kind_matches
from ..io.tables import read_table

__all__ = ["ReportSummary", "report_data", "write_report", "default_split", "CJK_FONTS"]

CJK_FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
             '"WenQuanYi Micro Hei", "Noto Sans SC", "Heiti SC", SimHei, system-ui, sans-serif')
# The family name of the font the page embeds (cut to the page's characters).
EMBEDDED_FONT = '"miner CJK"'
ASSETS = ("d3.min.js", "graphology.umd.min.js")
LICENCES = {"d3.min.js": "d3 7.9 (ISC licence, Copyright 2010-2026 Mike Bostock)",
            "graphology.umd.min.js": "graphology 0.25 (MIT licence, Copyright 2016-2021 Guillaume Plique)"}


@dataclass(frozen=True)
class ReportSummary:
    """What a report page holds, and the caps it applied."""

    path: Path
    documents: int
    skipped: int
    phrases: int
    phrases_shown: int
    lines: int
    network_nodes: int
    bytes: int


def _skip_reason(status: str) -> str:
    return status.split(":", 1)[1].strip() if ":" in status else status


def _corpus(table_dir: Path, max_skipped: int) -> tuple[dict, dict[str, int], list[dict]]:
    docs = list(read_table(table_dir / "documents.csv", ("doc_id", "year", "chars", "status")))
    ok = [d for d in docs if d["status"] == "ok"]
    skipped = [d for d in docs if d["status"] != "ok"]
    year_chars, year_docs = Counter(), Counter()
    for d in ok:
        if d["year"] is not None:
            year_chars[d["year"]] += d["chars"] or 0
            year_docs[d["year"]] += 1
    years = sorted(year_chars)
    reasons = Counter(_skip_reason(d["status"]) for d in skipped)
    corpus = {
        "documents": len(ok), "chars": sum(d["chars"] or 0 for d in ok),
        "undated": sum(1 for d in ok if d["year"] is None),
        "first_year": years[0] if years else None, "last_year": years[-1] if years else None,
        "skipped": len(skipped),
        "reasons": [[r, n] for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))],
        "skipped_list": [[d["doc_id"], _skip_reason(d["status"])] for d in skipped[:max_skipped]],
        "years": years, "year_chars": [year_chars[y] for y in years], "year_docs": [year_docs[y] for y in years],
    }
    index = {d["doc_id"]: i for i, d in enumerate(ok)}
    return corpus, index, ok


def _definitions(table_dir: Path, wanted: set[str]) -> dict[str, dict]:
    """Phrase → what it stands for: the members and gloss of ``dictionary.csv``
    where it exists (else the members most documents give in
    ``definitions.csv``), and up to five different member lists with the
    document and year that give them."""
    from ..extract.define import MEMBER_SEPARATOR

    def split(members) -> list[str]:
        return [m for m in str(members or "").split(MEMBER_SEPARATOR) if m]

    found: dict[str, dict] = {}
    path = table_dir / "definitions.csv"
    if path.exists():
        for r in read_table(path, ("phrase", "doc_id", "members")):
            if r["phrase"] not in wanted:
                continue
            entry = found.setdefault(r["phrase"], {"source": "definitions.csv", "gloss": "", "members": [],
                                                   "defined_in": 0, "forms": [], "_votes": Counter()})
            members = split(r["members"])
            entry["defined_in"] += 1
            entry["_votes"][tuple(members)] += 1
            if members and all(f["members"] != members for f in entry["forms"]) and len(entry["forms"]) < 5:
                entry["forms"].append({"members": members, "how": r.get("how") or "", "doc": r["doc_id"],
                                       "year": r.get("year")})
    for entry in found.values():
        votes = entry.pop("_votes")
        entry["members"] = list(max(votes, key=lambda m: (votes[m], -len(m)))) if votes else []
    dictionary = table_dir / "dictionary.csv"
    if dictionary.exists():
        for r in read_table(dictionary, ("phrase",)):
            members, gloss = split(r.get("members")), str(r.get("gloss") or "")
            if r["phrase"] not in wanted or not (members or gloss):
                continue
            entry = found.setdefault(r["phrase"], {"forms": []})
            entry.update(source="dictionary.csv", gloss=gloss, members=members,
                         defined_in=int(r.get("defined_in") or 0) or entry.get("defined_in", 0))
    return found


def _concordance(table_dir: Path, wanted: set[str], max_lines: int, width: int,
                 doc_index: dict[str, int]) -> tuple[dict[str, list], Counter, dict[str, list]]:
    """Concordance lines of each wanted phrase (at most ``max_lines``, spread over its years),
    every phrase's mention count, and the documents each phrase is in."""
    by_year: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    totals: Counter = Counter()
    doc_sets: dict[str, set] = defaultdict(set)
    searched_from: dict[tuple, int] = {}
    for r in read_table(table_dir / "mentions.csv", ("doc_id", "phrase", "surface", "context")):
        phrase = r["phrase"]
        if phrase not in wanted:
            continue
        totals[phrase] += 1
        doc = doc_index.get(r["doc_id"])
        if doc is None:
            continue
        doc_sets[phrase].add(doc)
        bucket = by_year[phrase][r["year"]]
        if len(bucket) >= max_lines:
            continue
        surface, context, i = locate_mention(r, searched_from)
        left, right = (context[:i][-width:], context[i + len(surface):][:width]) if i >= 0 else ("", "")
        bucket.append([doc, r["year"], left, surface, right])
    lines = {}
    for phrase, years in by_year.items():
        # Round-robin over the years, earliest first, so the lines show the whole life of a phrase.
        ordered = [years[y] for y in sorted(years, key=lambda y: (y is None, y or 0))]
        picked = [line for group in itertools.zip_longest(*ordered) for line in group if line is not None]
        lines[phrase] = sorted(picked[:max_lines], key=lambda line: (line[1] is None, line[1] or 0))
    return lines, totals, {p: sorted(s) for p, s in doc_sets.items()}


def _companions(doc_sets: dict[str, list], n_docs: int, top: int) -> dict[str, list]:
    """For each phrase, the phrases sharing most documents with it, with their NPMI."""
    from .network import npmi

    # Document sets as bit masks: a pair's shared documents are one AND and a bit count.
    phrases = sorted(doc_sets)
    masks = [sum(1 << d for d in doc_sets[p]) for p in phrases]
    sizes = [len(doc_sets[p]) for p in phrases]
    partners: dict[str, list] = defaultdict(list)
    for i, j in itertools.combinations(range(len(phrases)), 2):
        n = (masks[i] & masks[j]).bit_count()
        if n:
            score = round(npmi(n, sizes[i], sizes[j], max(n_docs, 1)), 3)
            partners[phrases[i]].append([phrases[j], n, score])
            partners[phrases[j]].append([phrases[i], n, score])
    return {p: sorted(v, key=lambda x: (-x[1], -x[2], x[0]))[:top] for p, v in partners.items()}


def _network(table_dir: Path, top: int, seed: int) -> tuple[dict | None, str]:
    """The network of ``miner graph`` in graphology's format, with its layout and colours."""
    from .network import build_cooccurrence_graph, network_layout, node_link_data

    reasons = []
    for kind in ("numbered", "slogans"):
        try:
            graph = build_cooccurrence_graph(table_dir, kind=kind, top=top, seed=seed)
        except EmptyResultError as exc:
            reasons.append(str(exc))
            continue
        data = node_link_data(graph, pos=network_layout(graph, seed=seed))
        data.pop("links", None)  # d3's copy of the edges: the page reads them from graphology
        return data, kind
    return None, reasons[0]


def default_split(years: list[int], year_chars: list[int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Two periods of about equal text: the split of the years whose two sides
    differ least in characters (the earliest such split on a tie).

    >>> default_split([2001, 2002, 2003, 2004], [10, 10, 30, 10])
    ((2001, 2002), (2003, 2004))
    >>> default_split([2001], [10]) is None
    True
    """
    if len(years) < 2:
        return None
    total, seen, best = sum(year_chars), 0, None
    for i, chars in enumerate(year_chars[:-1]):
        seen += chars
        gap = abs(total - 2 * seen)
        if best is None or gap < best[0]:
            best = (gap, i)
    i = best[1]
    return (years[0], years[i]), (years[i + 1], years[-1])


def _groups(table_dir: Path, by: str, wanted: set[str], max_groups: int, max_keys: int) -> dict:
    """The groups of field ``by``: each group's documents, characters and key
    slogans (against the rest), and the mentions of each wanted phrase in each group."""
    from .compare import compare_groups, group_table

    result = compare_groups(table_dir, by)
    table = group_table(table_dir, by, kind="all")
    sides = sorted(result.groups, key=lambda s: (-s.chars, s.label))[:max_groups]
    kept = {s.label for s in sides}
    sides = [s for s in result.groups if s.label in kept]  # in the order of the field's values
    position = {s.label: i for i, s in enumerate(sides)}
    groups = []
    for side in sides:
        keys = result.key(side.label, None)
        groups.append({
            "value": side.label, "documents": side.documents, "chars": side.chars, "nkeys": len(keys),
            "keys": [[k.phrase, k.count, k.per_10k, k.rest_per_10k, k.log_ratio, k.g2, k.p_adjusted]
                     for k in keys[:max_keys]],
        })
    counts = {p: sorted([position[g], n] for g, n in by_group.items() if g in position)
              for p, by_group in table.counts.items() if p in wanted}
    return {"by": by, "groups": groups, "groups_total": len(result.groups), "max_groups": max_groups,
            "max_keys": max_keys, "level": result.level, "counts": counts}


def report_data(
    table_dir: str | Path,
    *,
    by: str | None = None,
    max_groups: int = 50,
    max_keys: int = 10,
    max_phrases: int = 1000,
    max_lines: int = 20,
    width: int = 30,
    max_skipped: int = 200,
    network_top: int = 60,
    companions: int = 8,
    seed: int = 42,
) -> dict:
    """The data a report page embeds (plain JSON types), read from a run's tables.

    With ``by``, a ``groups`` entry holds the groups of that document field
    (see the module's docstring) and each phrase a ``g`` list of
    ``[group index, mentions]``.

    Raises:
        InputError: No such folder, a cap under 1, or ``by`` names no field
            of ``documents.csv`` or has fewer than two values.
        EmptyResultError: The run found no phrases.
    """
    from opencc import OpenCC

    table_dir = Path(table_dir)
    if not table_dir.is_dir():
        raise InputError(f"{table_dir}: no such folder; run `miner run CORPUS -o {table_dir}` first")
    for name, value in (("max_phrases", max_phrases), ("max_lines", max_lines), ("max_groups", max_groups),
                        ("max_keys", max_keys)):
        if value < 1:
            raise InputError(f"{name} is {value}; it must be 1 or more")
    corpus, doc_index, docs = _corpus(table_dir, max_skipped)
    rows = list(read_table(table_dir / "phrases.csv", ("phrase", "kind", "total", "documents")))
    if not rows:
        raise EmptyResultError(f"{table_dir / 'phrases.csv'} has no phrases; there is nothing to report")
    rows.sort(key=lambda r: (-r["total"], r["phrase"]))
    shown = rows[:max_phrases]
    wanted = {r["phrase"] for r in shown}
    year_pos = {y: i for i, y in enumerate(corpus["years"])}
    counts: dict[str, list] = defaultdict(list)
    for r in read_table(table_dir / "by_year.csv", ("phrase", "year", "count", "documents")):
        if r["phrase"] in wanted and r["year"] in year_pos:
            counts[r["phrase"]].append([year_pos[r["year"]], r["count"], r["documents"]])
    lines, mention_totals, doc_sets = _concordance(table_dir, wanted, max_lines, width, doc_index)
    partners = _companions(doc_sets, len(docs), companions)
    definitions = _definitions(table_dir, wanted)
    to_traditional = OpenCC("s2t")
    phrases = []
    for r in shown:
        p = r["phrase"]
        variants = [v for v in str(r.get("variants") or "").split(" | ") if v]
        phrases.append({
            "p": p, "t": to_traditional.convert(p), "k": r["kind"], "n": r["total"], "d": r["documents"],
            "f": r.get("first_year"), "l": r.get("last_year"), "r": r.get("per_10k"), "v": variants,
            "c": sorted(counts.get(p, [])), "lines": lines.get(p, []), "nlines": mention_totals.get(p, 0),
            "with": partners.get(p, []), "def": definitions.get(p),
        })
    # Only the documents some line or definition names travel with the page.
    named = sorted({line[0] for p in phrases for line in p["lines"]} | {
        doc_index[f["doc"]] for p in phrases if p["def"] for f in p["def"]["forms"] if f["doc"] in doc_index})
    renumber = {old: new for new, old in enumerate(named)}
    for p in phrases:
        for line in p["lines"]:
            line[0] = renumber[line[0]]
    network, network_note = _network(table_dir, network_top, seed)
    split = default_split(corpus["years"], corpus["year_chars"])
    grouped = None
    if by is not None:
        grouped = _groups(table_dir, by, wanted, max_groups, max_keys)
        for p in phrases:
            p["g"] = grouped["counts"].get(p["p"], [])
        del grouped["counts"]
    data = {
        "title": table_dir.resolve().name,
        "corpus": corpus,
        "docs": [[docs[i]["doc_id"], docs[i].get("title") or "", docs[i]["year"]] for i in named],
        "phrases": phrases,
        "caps": {"phrases": max_phrases, "phrases_total": len(rows), "lines": max_lines, "width": width,
                 "skipped": max_skipped, "network": network_top},
        "network": network,
        "network_note": network_note,
        "split": split,
        "kinds": [k for k in KINDS if any(kind_matches(r["kind"], k) for r in rows)],
    }
    if grouped is not None:
        data["groups"] = grouped
    return data


def _font_face(text: str) -> str:
    """An @font-face rule embedding the CJK font cut to the CJK characters of ``text``.

    The page then shows its Chinese on a machine with no CJK font of its own
    (the font stacks after it name the usual system fonts, for a page saved
    without it).  Empty when no CJK font is at hand.
    """
    chars = "".join(sorted({c for c in text if c >= "\u2e80"}))
    font = web_cjk_font(chars) if chars else None
    if font is None:
        return ""
    source = base64.b64encode(font).decode("ascii")
    return f"@font-face {{ font-family: {EMBEDDED_FONT}; src: url(data:font/woff;base64,{source}) format('woff'); }}\n"


def _asset(name: str) -> str:
    text = resources.files("miner").joinpath("assets", name).read_text(encoding="utf-8")
    # Comments that only name a home page or a source map: the page names nothing outside itself.
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _script_json(data) -> str:
    """JSON safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_report(table_dir: str | Path, path: str | Path, **caps) -> ReportSummary:
    """Write the report page of a run to ``path`` (one self-contained HTML file).

    Args:
        table_dir: A folder written by ``miner run``.
        path: The HTML file to write.
        **caps: ``max_phrases`` (1000), ``max_lines`` (20 concordance lines a
            phrase), ``width`` (30 characters of context a side),
            ``max_skipped`` (200), ``network_top`` (60 phrases), ``companions`` (8);
            and ``by`` (a document field to group by), ``max_groups`` (50),
            ``max_keys`` (10 key slogans a group).

    Raises:
        TableError: A table of the run is missing or malformed.
        EmptyResultError: The run found no phrases.
    """
    data = report_data(table_dir, **caps)
    asset = resources.files("miner").joinpath("assets")
    payload = _script_json(data)
    app = asset.joinpath("report.js").read_text(encoding="utf-8")
    template = asset.joinpath("report.html").read_text(encoding="utf-8")
    parts = {
        "/*FONTS*/": f"{EMBEDDED_FONT}, {CJK_FONTS}",
        "<!--TITLE-->": html.escape(f"{data['title']}: slogans"),
        "/*CSS*/": _font_face(payload + data["title"] + app + template)
                   + asset.joinpath("report.css").read_text(encoding="utf-8"),
        "/*LIBS*/": "\n".join(_asset(a) for a in ASSETS),
        "<!--LICENCES-->": html.escape("; ".join(LICENCES[a] for a in ASSETS)),
        "/*DATA*/": payload,
        "/*APP*/": app,
    }
    # One pass, so that text from the corpus is never taken for a placeholder.
    page = re.sub("|".join(map(re.escape, parts)), lambda m: parts[m.group(0)], template)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    network = data["network"]
    return ReportSummary(path, data["corpus"]["documents"], data["corpus"]["skipped"], data["caps"]["phrases_total"],
                         len(data["phrases"]), sum(len(p["lines"]) for p in data["phrases"]),
                         len(network["nodes"]) if network else 0, len(page.encode("utf-8")))
