"""The report page: its data, and the page itself driven in a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from miner.analysis.html_report import default_split, report_data, write_report
from miner.analysis.selection import kind_matches
from miner.io.tables import read_table

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The only URLs the page may hold: XML namespace names inside d3, which no browser fetches.
NAMESPACES = {"http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink", "http://www.w3.org/2000/svg",
              "http://www.w3.org/2000/xmlns/", "http://www.w3.org/XML/1998/namespace"}
# Text that must not break out of the page's script or be taken for part of its template.
HOSTILE_TEXT = "要落实“</script>”和“/*APP*/”，坚持“四个全面”。\n“<!--”也要落实。"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, sample_dir):
    """The sample corpus plus an empty file, a binary file and text that looks like the page's markup."""
    from click.testing import CliRunner

    from miner.cli import cli

    base = tmp_path_factory.mktemp("report")
    corpus = base / "corpus"
    shutil.copytree(sample_dir, corpus)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "2024_hostile.txt").write_text("2024年\n" + HOSTILE_TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(corpus), "-o", str(base / "out"), "-n", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return base / "out"


@pytest.fixture(scope="module")
def page(run_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "report.html"
    write_report(run_dir, path)
    return path


def _phrases(run_dir):
    return list(read_table(run_dir / "phrases.csv"))


# -- the data -----------------------------------------------------------------------


def test_report_data_corpus_at_a_glance(run_dir):
    data = report_data(run_dir)
    corpus = data["corpus"]
    docs = list(read_table(run_dir / "documents.csv"))
    assert corpus["documents"] == 14 == sum(d["status"] == "ok" for d in docs)
    assert corpus["skipped"] == 2 and len(docs) == 16  # every input accounted for
    assert sorted(doc.rsplit("/", 1)[-1] for doc, _ in corpus["skipped_list"]) == ["binary.txt", "empty.txt"]
    assert sum(n for _, n in corpus["reasons"]) == 2
    assert corpus["chars"] == sum(d["chars"] for d in docs if d["status"] == "ok")
    assert (corpus["first_year"], corpus["last_year"]) == (1984, 2025)
    assert corpus["years"] == sorted({d["year"] for d in docs if d["status"] == "ok" and d["year"]})
    assert sum(corpus["year_chars"]) == corpus["chars"]  # every document of the sample is dated


def test_report_data_phrases_lines_and_definitions(run_dir):
    data = report_data(run_dir)
    phrases = {p["p"]: p for p in data["phrases"]}
    assert set(phrases) == {r["phrase"] for r in _phrases(run_dir)}
    rep = phrases["三个代表"]
    assert (rep["t"], rep["n"], rep["nlines"], len(rep["lines"])) == ("三個代表", 5, 5, 5)
    doc, year, left, match, right = rep["lines"][0]
    assert (year, match) == (2003, "三個代表")
    assert data["docs"][doc][0].endswith("2003_county_party_plenum_big5.txt")
    contexts = [m["context"] for m in read_table(run_dir / "mentions.csv") if m["phrase"] == "三个代表"]
    assert all(any(left + match + right in c for c in contexts) for _, _, left, match, right in rep["lines"])
    definitions = [r for r in read_table(run_dir / "definitions.csv") if r["phrase"] == "三去一降一补"]
    assert [d["members"] for d in definitions] == ["去产能 | 去库存 | 去杠杆 | 降成本 | 补短板"]
    entry = phrases["三去一降一补"]["def"]
    assert entry["members"] == ["去产能", "去库存", "去杠杆", "降成本", "补短板"]
    assert entry["forms"] == [{"members": entry["members"], "how": definitions[0]["how"],
                               "doc": definitions[0]["doc_id"], "year": 2016}]
    in_dictionary = (run_dir / "dictionary.csv").exists() and any(
        r["phrase"] == "三去一降一补" and r["members"] for r in read_table(run_dir / "dictionary.csv"))
    assert entry["source"] == ("dictionary.csv" if in_dictionary else "definitions.csv")
    # Travels with: the phrases sharing most documents, each with its count of shared documents.
    mentions = list(read_table(run_dir / "mentions.csv"))
    docs_of = {}
    for m in mentions:
        docs_of.setdefault(m["phrase"], set()).add(m["doc_id"])
    expected = sorted(((p, len(docs_of["十四五"] & d)) for p, d in docs_of.items() if p != "十四五" and docs_of["十四五"] & d),
                      key=lambda x: -x[1])
    got = [(p, n) for p, n, _ in phrases["十四五"]["with"]]
    assert got[0][1] == expected[0][1] and len(got) == min(8, len(expected))
    assert all(n == len(docs_of["十四五"] & docs_of[p]) for p, n in got)


def test_report_data_caps_and_spread_over_years(run_dir):
    data = report_data(run_dir, max_phrases=5, max_lines=2)
    assert [p["p"] for p in data["phrases"]] == [r["phrase"] for r in sorted(
        _phrases(run_dir), key=lambda r: (-r["total"], r["phrase"]))][:5]
    assert data["caps"]["phrases_total"] == len(_phrases(run_dir))
    ssw = next(p for p in data["phrases"] if p["p"] == "十四五")  # 8 mentions in 2020, 2021? and 2025
    years = {line[1] for line in ssw["lines"]}
    assert len(ssw["lines"]) == 2 and ssw["nlines"] == 8 and len(years) == 2


def test_dictionary_csv_is_preferred_to_definitions(run_dir, tmp_path):
    shutil.copytree(run_dir, tmp_path / "run")
    (tmp_path / "run" / "dictionary.csv").write_text(
        "phrase,members,gloss,defined_in\n三去一降一补,去产能 | 去库存 | 去杠杆,supply-side tasks,3\n四风,,,\n",
        encoding="utf-8-sig")
    (tmp_path / "run" / "definitions.csv").unlink()
    data = {p["p"]: p["def"] for p in report_data(tmp_path / "run")["phrases"]}
    assert data["三去一降一补"] == {"source": "dictionary.csv", "gloss": "supply-side tasks",
                                "members": ["去产能", "去库存", "去杠杆"], "defined_in": 3, "forms": []}
    assert data["四风"] is None  # an entry with neither members nor gloss says nothing


def test_default_split_halves_the_text():
    assert default_split([1990, 1991, 1992, 1993], [100, 100, 100, 100]) == ((1990, 1991), (1992, 1993))
    assert default_split([1990, 2000], [5, 500]) == ((1990, 1990), (2000, 2000))
    assert default_split([1990, 1991, 1992], [10, 1000, 10]) == ((1990, 1990), (1991, 1992))


def test_page_holds_no_external_url_and_escapes_the_corpus(page):
    text = page.read_text(encoding="utf-8")
    assert set(re.findall(r"https?://[^\s\"'<>)]+", text)) <= NAMESPACES
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\((?!data:)""", text, re.I)
    assert "default-src 'none'" in text  # the browser refuses any fetch
    assert text.count("</script>") == 3  # data, libraries, page script: the corpus adds none
    assert "d3 7.9 (ISC licence" in text and "graphology 0.25 (MIT licence" in text


def test_page_embeds_a_font_with_every_chinese_character_it_shows(page):
    import base64
    import io

    from fontTools.ttLib import TTFont

    text = page.read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{ font-family: \"miner CJK\"; src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", text)
    assert len(faces) == 1
    font = TTFont(io.BytesIO(base64.b64decode(faces[0])))
    covered = {chr(c) for c in font.getBestCmap()}
    shown = {c for c in text.replace(faces[0], "") if c >= "\u2e80"}
    assert {"四", "个", "全", "面", "學"} <= shown  # simplified and traditional text of the corpus
    assert shown - covered == set()
    assert len(covered) < len(shown) + 50  # cut down to the page, not the whole font


def test_report_cli(run_dir, tmp_path, run_cli):
    result = run_cli("report", "-d", run_dir, "-o", tmp_path / "r.html", "--max-phrases", 10)
    assert result.exit_code == 0
    from miner.analysis.network import build_cooccurrence_graph

    phrases = sorted(_phrases(run_dir), key=lambda r: (-r["total"], r["phrase"]))
    lines = sum(min(20, r["total"]) for r in phrases[:10])
    nodes = build_cooccurrence_graph(run_dir).number_of_nodes()
    assert re.fullmatch(rf"14 documents, 10 of {len(phrases)} phrases, {lines} concordance lines, a network of {nodes} "
                        rf"phrases; written: {re.escape(str(tmp_path / 'r.html'))} \(0\.\d MB\), open it in a browser\n",
                        result.output)
    result = run_cli("report", "-d", tmp_path / "nothing", "-o", tmp_path / "x.html")
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path / 'nothing'}: no such folder; run `miner run CORPUS -o {tmp_path / 'nothing'}` first\n")
    assert not (tmp_path / "x.html").exists()


def test_report_on_the_national_reports_stays_a_few_mb(gov_reports, tmp_path, run_cli):
    assert run_cli("run", gov_reports, "-o", tmp_path / "gov", "-n", 0).exit_code == 0
    summary = write_report(tmp_path / "gov", tmp_path / "gov.html")
    from miner.analysis.network import build_cooccurrence_graph

    nodes = build_cooccurrence_graph(tmp_path / "gov").number_of_nodes()
    phrases = len(list(read_table(tmp_path / "gov" / "phrases.csv")))
    assert (summary.documents, summary.skipped, summary.phrases, summary.network_nodes) == (72, 0, phrases, nodes)
    assert summary.phrases_shown == phrases and summary.lines == sum(
        min(20, r["total"]) for r in read_table(tmp_path / "gov" / "phrases.csv"))
    assert summary.bytes < 3_000_000


# -- the page in a browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("no headless browser: install the Debian packages chromium and chromium-driver")
    profile = tempfile.mkdtemp(prefix="miner-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def loaded(browser, page):
    browser.get(page.as_uri())
    browser.get_log("browser")  # start each test with an empty console
    return browser


def _rows(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#slogan-table tbody tr')).map(r => r.dataset.phrase)")


def _click(driver, selector):
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, selector).click()


def _type(driver, selector, text):
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, selector)
    box.clear()
    box.send_keys(text)


def test_page_loads_without_console_errors_or_requests(browser, page):
    browser.get(page.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.title == f"{page.parent.name}: slogans" or browser.title.endswith(": slogans")
    facts = browser.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('#glance [data-fact]'))"
        ".map(d => [d.dataset.fact, d.querySelector('b').textContent]))")
    assert facts["documents"] == "14" and facts["inputs skipped"] == "2"
    assert browser.find_element("css selector", "#skipped summary").text.startswith("2 inputs skipped: ")


def test_chinese_is_drawn_with_the_embedded_font(loaded):
    # On a machine with no CJK font the page still shows its Chinese: the embedded font loads and has the glyphs.
    state = loaded.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.ready.then(() => done([Array.from(document.fonts).map(f => [f.family, f.status]),"
        " document.fonts.check('16px \"miner CJK\"', '四个全面三個代表')]));")
    assert state == [[["miner CJK", "loaded"]], True]


def test_table_sorts(loaded, run_dir):
    # The table starts with the slogans, as miner's commands do (not the phrases of kind other-*).
    phrases = [r for r in _phrases(run_dir) if kind_matches(r["kind"], "slogans")]
    assert len(phrases) < len(_phrases(run_dir))
    by_total = [r["phrase"] for r in sorted(phrases, key=lambda r: (-r["total"], r["phrase"]))]
    assert _rows(loaded) == by_total
    _click(loaded, "th[data-key=n]")  # again: ascending
    assert _rows(loaded) == [r["phrase"] for r in sorted(phrases, key=lambda r: (r["total"], r["phrase"]))]
    _click(loaded, "th[data-key=p]")
    assert _rows(loaded) == sorted(r["phrase"] for r in phrases)
    _click(loaded, "th[data-key=f]")  # first year, earliest first
    assert _rows(loaded)[:3] == [r["phrase"] for r in sorted(phrases, key=lambda r: (r["first_year"], r["phrase"]))][:3]
    assert loaded.find_element("css selector", "th[data-key=f]").get_attribute("class").split() == ["num", "sorted-asc"]


def test_table_filters_in_either_script_by_kind_and_years(loaded, run_dir):
    phrases = _phrases(run_dir)
    _type(loaded, "#search", "三个代表")
    assert _rows(loaded) == ["三个代表"]
    _type(loaded, "#search", "三個代表")  # traditional
    assert _rows(loaded) == ["三个代表"]
    _type(loaded, "#search", "两个")
    assert sorted(_rows(loaded)) == sorted(r["phrase"] for r in phrases
                                           if "两个" in r["phrase"] and kind_matches(r["kind"], "slogans"))
    from selenium.webdriver.support.ui import Select

    loaded.execute_script("const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))")
    Select(loaded.find_element("css selector", "#kind")).select_by_value("quoted")
    assert sorted(_rows(loaded)) == sorted(r["phrase"] for r in phrases if kind_matches(r["kind"], "quoted"))
    Select(loaded.find_element("css selector", "#kind")).select_by_value("all")
    _type(loaded, "#year-from", "2016")
    _type(loaded, "#year-to", "2016")
    by_year = {r["phrase"] for r in read_table(run_dir / "by_year.csv") if r["year"] == 2016}
    assert sorted(_rows(loaded)) == sorted(by_year)
    assert loaded.find_element("css selector", "#matching").text == f"{len(by_year)} matching phrases"


def test_a_click_opens_the_slogan(loaded, run_dir):
    from selenium.webdriver.common.by import By

    loaded.find_element(By.CSS_SELECTOR, '#slogan-table tr[data-phrase="两学一做"]').click()
    assert loaded.find_element(By.ID, "panel-phrase").text == "两学一做"
    facts = loaded.find_element(By.ID, "panel-facts").text
    total = next(r["total"] for r in _phrases(run_dir) if r["phrase"] == "两学一做")
    assert total > 1
    assert facts.startswith(f"numbered+quoted; {total} mentions in 1 document; 2016; ")
    assert loaded.find_element(By.CSS_SELECTOR, "#panel-definition .members-main").text == "学党章党规、学系列讲话、做合格党员"
    assert loaded.find_element(By.CSS_SELECTOR, "#panel-definition .members li").text.startswith(
        "学党章党规、学系列讲话、做合格党员 (2016, ")
    lines = loaded.find_elements(By.CSS_SELECTOR, "#panel-lines li")
    assert len(lines) == total
    assert all(line.find_element(By.TAG_NAME, "mark").text == "两学一做" for line in lines)
    assert lines[0].text.startswith("2016 ")
    assert loaded.find_element(By.ID, "panel-lines-cap").text == f"{total} of {total} mentions shown."
    assert loaded.find_elements(By.CSS_SELECTOR, "#panel-trend svg path")  # its trend is drawn
    # A slogan it travels with opens in turn.
    chip = loaded.find_element(By.CSS_SELECTOR, "#panel-with li[data-phrase]")
    name = chip.get_attribute("data-phrase")
    chip.click()
    assert loaded.find_element(By.ID, "panel-phrase").text == name


def test_corpus_text_is_shown_as_text(loaded):
    from selenium.webdriver.common.by import By

    from selenium.webdriver.support.ui import Select

    Select(loaded.find_element(By.ID, "kind")).select_by_value("all")
    assert {"</script>", "/*APP*/"} <= set(_rows(loaded))
    loaded.find_element(By.CSS_SELECTOR, '#slogan-table tr[data-phrase="</script>"]').click()
    assert loaded.find_element(By.ID, "panel-phrase").text == "</script>"
    assert loaded.get_log("browser") == []


def test_network_hover_shows_neighbours_and_click_opens(loaded, run_dir):
    import networkx as nx
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    from miner.analysis.network import build_cooccurrence_graph

    graph = build_cooccurrence_graph(run_dir, kind="numbered")
    keys = loaded.execute_script("return Array.from(document.querySelectorAll('#network .node')).map(n => n.dataset.key)")
    assert sorted(keys) == sorted(graph.nodes)
    hub = max(graph.nodes, key=lambda p: (graph.degree(p), p))
    node = loaded.find_element(By.CSS_SELECTOR, f'#network .node[data-key="{hub}"]')
    loaded.execute_script("arguments[0].scrollIntoView({block: 'center'})", node)
    ActionChains(loaded).move_to_element(node).perform()
    near = loaded.execute_script(
        "return Array.from(document.querySelectorAll('#network .node.neighbour')).map(n => n.dataset.key)")
    assert sorted(near) == sorted(nx.all_neighbors(graph, hub))
    faded = loaded.execute_script("return document.querySelectorAll('#network .node.faded').length")
    assert faded == graph.number_of_nodes() - 1 - len(near)
    assert loaded.find_element(By.ID, "network-hover").text.startswith(f"{hub} — {len(near)} neighbours: ")
    node.click()
    assert loaded.find_element(By.ID, "panel-phrase").text == hub
    from selenium.webdriver.support.ui import Select

    Select(loaded.find_element(By.ID, "color-by")).select_by_value("first_year")
    legend = loaded.find_element(By.ID, "network-legend").text
    firsts = [graph.nodes[p]["first_year"] for p in graph]
    assert legend.startswith(f"first year {min(firsts)}") and f"first year {max(firsts)}" in legend


def test_compare_two_periods_matches_miner_compare(loaded, run_dir):
    from selenium.webdriver.common.by import By

    from miner.analysis.compare import compare_periods

    def table(side):
        return loaded.execute_script(
            f"return Array.from(document.querySelectorAll('#compare-{side} tbody tr')).map(r => r.dataset.phrase)")

    data = report_data(run_dir)
    (a0, a1), (b0, b1) = data["split"]
    assert [loaded.find_element(By.ID, i).get_attribute("value") for i in ("a-from", "a-to", "b-from", "b-to")] == [
        str(a0), str(a1), str(b0), str(b1)]
    expected = compare_periods(run_dir, (a0, a1), (b0, b1), kind="slogans")
    assert table("a") == [r.phrase for r in expected.key_a(15)]
    assert table("b") == [r.phrase for r in expected.key_b(15)]
    for box, value in zip(("a-from", "a-to", "b-from", "b-to"), ("1984", "2003", "2013", "2025")):
        _type(loaded, f"#{box}", value)
    _click(loaded, "#compare-go")
    expected = compare_periods(run_dir, "1984-2003", "2013-2025", kind="slogans")
    assert table("a") == [r.phrase for r in expected.key_a(15)]
    assert table("b") == [r.phrase for r in expected.key_b(15)]
    summary = loaded.find_element(By.ID, "compare-summary").text
    assert f"{len(expected.shared)} phrases shared, {len(expected.only_a)} only in A, {len(expected.only_b)} only in B; " \
           f"Jaccard similarity {expected.jaccard:.3f}." in summary
    _type(loaded, "#b-from", "2000")
    _click(loaded, "#compare-go")
    assert summary != loaded.find_element(By.ID, "compare-summary").text
    assert loaded.find_element(By.ID, "compare-summary").text == (
        "Cannot compare: the two periods overlap; choose years that do not.")


def test_network_json_imports_into_graphology_and_d3(loaded, run_dir, tmp_path, run_cli):
    import networkx as nx

    from miner.analysis.network import build_cooccurrence_graph

    assert run_cli("graph", "-d", run_dir, "-o", tmp_path, "-f", "json").exit_code == 0
    data = json.loads((tmp_path / "network.json").read_text(encoding="utf-8"))
    result = loaded.execute_script("""
        const data = arguments[0];
        const g = graphology.Graph.from(data);
        const nodes = data.nodes.map(n => Object.assign({key: n.key}, n.attributes));
        const links = data.edges.map(e => ({source: e.source, target: e.target}));
        const sim = d3.forceSimulation(nodes).force('link', d3.forceLink(links).id(d => d.key)).stop();
        sim.tick();
        return {order: g.order, size: g.size, type: g.type,
                neighbours: g.neighbors(arguments[1]).sort(),
                resolved: links.every(l => typeof l.source === 'object' && typeof l.target === 'object'),
                positioned: data.nodes.every(n => typeof n.attributes.x === 'number' && typeof n.attributes.y === 'number')};
    """, data, "三严三实")
    graph = build_cooccurrence_graph(run_dir, kind="numbered")
    assert (result["order"], result["size"], result["type"]) == (graph.number_of_nodes(), graph.number_of_edges(),
                                                                "undirected")
    assert result["neighbours"] == sorted(nx.all_neighbors(graph, "三严三实"))
    assert result["resolved"] and result["positioned"]
    assert loaded.get_log("browser") == []


# -- grouped by a document field (miner report --by FIELD) ----------------------------


@pytest.fixture(scope="module")
def provinces(tmp_path_factory):
    from _provinces import mine_provinces

    return mine_provinces(tmp_path_factory.mktemp("provinces"))


@pytest.fixture(scope="module")
def province_page(provinces, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "provinces.html"
    write_report(provinces, path, by="province")
    return path


def _mentions_by_province(run_dir):
    """Phrase → province → mentions, counted from the run's tables (not from the page's data)."""
    province = {d["doc_id"]: d["province"] for d in read_table(run_dir / "documents.csv")}
    counts = {}
    for r in read_table(run_dir / "mentions.csv"):
        by = counts.setdefault(r["phrase"], {})
        by[province[r["doc_id"]]] = by.get(province[r["doc_id"]], 0) + 1
    return counts


def test_report_groups_hold_the_key_slogans_of_compare_by(provinces):
    from miner.analysis.compare import compare_groups

    groups = report_data(provinces, by="province")["groups"]
    assert [(g["value"], g["documents"]) for g in groups["groups"]] == [("四川省", 3), ("广东省", 3), ("浙江省", 3)]
    assert {g["value"]: [k[0] for k in g["keys"]] for g in groups["groups"]} == {
        "四川省": ["一干多支、五区协同", "四向拓展、全域开放"],
        "广东省": ["1+1+9", "四个走在全国前列"],
        "浙江省": ["八八战略", "最多跑一次"],
    }
    compared = compare_groups(provinces, "province")
    for g in groups["groups"]:
        assert g["chars"] == next(s.chars for s in compared.groups if s.label == g["value"])
        assert g["keys"] == [[k.phrase, k.count, k.per_10k, k.rest_per_10k, k.log_ratio, k.g2, k.p_adjusted]
                             for k in compared.key(g["value"], 10)]
    assert (groups["by"], groups["groups_total"], groups["level"]) == ("province", 3, 0.05)


def test_report_groups_count_every_phrase_in_every_group(provinces):
    data = report_data(provinces, by="province")
    order = [g["value"] for g in data["groups"]["groups"]]
    expected = _mentions_by_province(provinces)
    got = {p["p"]: {order[i]: n for i, n in p["g"]} for p in data["phrases"]}
    assert got == expected
    assert got["六稳"] == {"四川省": 1, "广东省": 2, "浙江省": 1}


def test_report_groups_caps_and_the_default_page_has_none(provinces):
    capped = report_data(provinces, by="province", max_groups=2, max_keys=1)["groups"]
    # The two largest groups by characters, in the field's order; each phrase's counts name only those.
    assert [(g["value"], [k[0] for k in g["keys"]], g["nkeys"]) for g in capped["groups"]] == [
        ("四川省", ["一干多支、五区协同"], 2), ("广东省", ["1+1+9"], 2)]
    assert (capped["groups_total"], capped["max_groups"], capped["max_keys"]) == (3, 2, 1)
    plain = report_data(provinces)
    assert "groups" not in plain and not any("g" in p for p in plain["phrases"])


def test_report_by_an_unknown_field_names_the_fields(provinces, tmp_path, run_cli):
    result = run_cli("report", "-d", str(provinces), "-o", str(tmp_path / "r.html"), "--by", "speaker")
    assert result.exit_code == 1 and not (tmp_path / "r.html").exists()
    assert result.output.count("\n") == 1 and result.output.startswith("Error: no field 'speaker' in ")
    assert "province, level" in result.output
    one = run_cli("report", "-d", str(provinces), "-o", str(tmp_path / "r.html"), "--by", "province",
                  "--where", "province=广东省")
    assert one.exit_code == 1 and one.output.startswith("Error: province has 1 value in ")


def test_report_by_cli_writes_the_groups(provinces, tmp_path, run_cli):
    path = tmp_path / "r.html"
    result = run_cli("report", "-d", str(provinces), "-o", str(path), "--by", "province")
    assert result.exit_code == 0 and result.output.startswith("9 documents, 18 of 18 phrases")
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="report-data" type="application/json">(.*?)</script>', text, re.S).group(1))
    assert [g["value"] for g in data["groups"]["groups"]] == ["四川省", "广东省", "浙江省"]


def test_group_section_lists_the_groups_and_a_click_filters_the_table(browser, province_page, provinces):
    from selenium.webdriver.common.by import By

    browser.get(province_page.as_uri())
    browser.get_log("browser")
    assert browser.find_element(By.ID, "groups").is_displayed()
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#group-table tbody tr')).map(r => "
        "[r.dataset.group, r.cells[1].textContent, Array.from(r.querySelectorAll('.key')).map(k => k.dataset.phrase)])")
    assert rows == [["四川省", "3", ["一干多支、五区协同", "四向拓展、全域开放"]],
                    ["广东省", "3", ["1+1+9", "四个走在全国前列"]],
                    ["浙江省", "3", ["八八战略", "最多跑一次"]]]
    everything = set(_rows(browser))
    _click(browser, '#group-table tr[data-group="浙江省"] td:first-child')
    kinds = {r["phrase"]: r["kind"] for r in _phrases(provinces)}
    counts = _mentions_by_province(provinces)
    wanted = {p: by["浙江省"] for p, by in counts.items() if by.get("浙江省") and kind_matches(kinds[p], "slogans")}
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#slogan-table tbody tr')).map(r => [r.dataset.phrase, r.cells[2].textContent])")
    assert {p: int(n) for p, n in shown} == wanted and set(wanted) < everything
    assert "一干多支、五区协同" not in wanted and wanted["六稳"] == 1
    assert browser.find_element(By.ID, "group").get_attribute("value") == "2"
    # Back to every group: the select switches the table's counts back.
    browser.execute_script("var s = document.getElementById('group'); s.value = '-1'; s.dispatchEvent(new Event('change'));")
    assert set(_rows(browser)) == everything
    browser.execute_script("window.minerReport.openPhrase('六稳')")
    rates = browser.execute_script(
        "return Array.from(document.querySelectorAll('#panel-groups li')).map(li => li.textContent)")
    assert rates == [f"四川省: {1e4 / 249:.2f} (1 mention)", f"广东省: {2e4 / 330:.2f} (2 mentions)",
                     f"浙江省: {1e4 / 210:.2f} (1 mention)"]
    assert not [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_default_page_has_no_group_section(loaded):
    from selenium.webdriver.common.by import By

    assert not loaded.find_element(By.ID, "groups").is_displayed()
    assert not loaded.find_element(By.ID, "group-filter").is_displayed()
