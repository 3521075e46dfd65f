// The report page of a miner run: everything it shows comes from the JSON in #report-data.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var C = DATA.corpus;
  var YEARS = C.years;
  var PHRASES = DATA.phrases;
  var BY_PHRASE = new Map(PHRASES.map(function (p) { return [p.p, p]; }));
  var MAX_ROWS = 300;
  var fmt = new Intl.NumberFormat("en-US");

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  // As miner.analysis.selection.kind_matches: "slogans" is every kind but the other-* ones; numbered+quoted is both.
  function kindMatches(kind, wanted) {
    if (wanted === "all") return true;
    if (wanted === "slogans") return Boolean(kind) && kind.indexOf("other-") !== 0;
    return kind.split("+").indexOf(wanted) >= 0;
  }
  function byCodePoint(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function span(first, last) {
    if (first === null || first === undefined) return "undated";
    return first === last ? String(first) : first + "–" + last;
  }
  function rate(count, chars) { return chars ? 10000 * count / chars : 0; }

  // Rates by year, with null for the years without documents between two with documents (a gap in the line).
  function series(p) {
    var counts = new Map(p.c.map(function (c) { return [c[0], c[1]]; }));
    var out = [];
    YEARS.forEach(function (year, i) {
      if (i > 0 && year > YEARS[i - 1] + 1) out.push({ year: YEARS[i - 1] + 1, value: null });
      out.push({ year: year, value: rate(counts.get(i) || 0, C.year_chars[i]) });
    });
    return out;
  }

  // -- corpus at a glance ------------------------------------------------------
  document.getElementById("title").textContent = "Slogans in " + DATA.title;
  var glance = document.getElementById("glance");
  [["documents", fmt.format(C.documents)],
   ["years", C.first_year === null ? "none dated" : span(C.first_year, C.last_year) + " (" + YEARS.length + " with documents)"],
   ["characters", fmt.format(C.chars)],
   ["undated documents", fmt.format(C.undated)],
   ["inputs skipped", fmt.format(C.skipped)],
   ["phrases", fmt.format(DATA.caps.phrases_total)]].forEach(function (item) {
    glance.appendChild(el("div", { "data-fact": item[0] }, el("b", { text: item[1] }), item[0]));
  });
  (function yearBars() {
    if (!YEARS.length) return;
    var w = 900, h = 90, m = { l: 50, r: 10, t: 6, b: 20 };
    var svg = d3.select("#year-bars").append("svg").attr("viewBox", "0 0 " + w + " " + h).attr("width", w)
      .attr("height", h).attr("role", "img").attr("aria-label", "characters of text by year");
    var x = d3.scaleLinear().domain([YEARS[0] - 0.5, YEARS[YEARS.length - 1] + 0.5]).range([m.l, w - m.r]);
    var y = d3.scaleLinear().domain([0, d3.max(C.year_chars)]).nice().range([h - m.b, m.t]);
    var bw = Math.max(1, (w - m.l - m.r) / (YEARS[YEARS.length - 1] - YEARS[0] + 1) - 1);
    svg.selectAll("rect").data(YEARS).join("rect").attr("x", function (d) { return x(d) - bw / 2; })
      .attr("width", bw).attr("y", function (d, i) { return y(C.year_chars[i]); })
      .attr("height", function (d, i) { return y(0) - y(C.year_chars[i]); }).attr("fill", "#7a9cc6")
      .append("title").text(function (d, i) { return d + ": " + C.year_docs[i] + " documents, " + fmt.format(C.year_chars[i]) + " characters"; });
    svg.append("g").attr("transform", "translate(0," + (h - m.b) + ")")
      .call(d3.axisBottom(x).ticks(Math.min(12, YEARS.length)).tickFormat(d3.format("d")));
    svg.append("g").attr("transform", "translate(" + m.l + ",0)").call(d3.axisLeft(y).ticks(3, "~s"));
  })();
  (function skipped() {
    var box = document.getElementById("skipped");
    box.querySelector("summary").textContent = C.skipped
      ? C.skipped + " input" + (C.skipped === 1 ? "" : "s") + " skipped: " +
        C.reasons.map(function (r) { return r[0] + " (" + r[1] + ")"; }).join("; ")
      : "No input was skipped.";
    var list = box.querySelector("ul");
    C.skipped_list.forEach(function (s) { list.appendChild(el("li", {}, el("code", { text: s[0] }), ": " + s[1])); });
    if (C.skipped > C.skipped_list.length) {
      box.querySelector(".cap").textContent = "The first " + C.skipped_list.length + " of " + C.skipped +
        " are listed; documents.csv (status column) has them all.";
    }
  })();

  // -- the table of slogans ----------------------------------------------------
  var state = { key: "n", dir: -1, query: "", kind: DATA.kinds.indexOf("slogans") >= 0 ? "slogans" : "all",
                from: null, to: null, open: null, group: -1 };
  var G = DATA.groups || null;
  // A phrase's mentions in group i (its counts travel as [group index, mentions] pairs).
  function groupCount(p, i) {
    for (var j = 0; j < (p.g || []).length; j++) if (p.g[j][0] === i) return p.g[j][1];
    return 0;
  }
  // What the table shows of a phrase: with a group chosen, mentions and rate are that group's.
  function value(p, key) {
    if (state.group < 0) return p[key];
    if (key === "n") return groupCount(p, state.group);
    if (key === "r") return rate(groupCount(p, state.group), G.groups[state.group].chars);
    return p[key];
  }
  var kindSelect = document.getElementById("kind");
  kindSelect.textContent = "";
  DATA.kinds.forEach(function (k) { kindSelect.appendChild(el("option", { value: k, text: k })); });
  kindSelect.value = state.kind;
  var cap = DATA.caps;
  document.getElementById("phrase-cap").textContent =
    (cap.phrases_total > PHRASES.length
      ? "The " + fmt.format(PHRASES.length) + " most mentioned of " + fmt.format(cap.phrases_total) + " phrases are in this page (phrases.csv has them all). "
      : "All " + fmt.format(PHRASES.length) + " phrases. ") +
    "At most " + MAX_ROWS + " rows are listed at once; search or filter to see others. Click a row to open the slogan.";

  function clean(text) { return text.replace(/[\s“”"'‘’「」『』〝〞＂]/g, "").toLowerCase(); }
  function matches(p) {
    if (state.query) {
      var q = state.query;
      var hay = [p.p, p.t].concat(p.v).map(clean);
      if (!hay.some(function (h) { return h.indexOf(q) >= 0; })) return false;
    }
    if (!kindMatches(p.k, state.kind)) return false;
    if (state.group >= 0 && !groupCount(p, state.group)) return false;
    if (state.from !== null || state.to !== null) {
      var inRange = p.c.some(function (c) {
        var year = YEARS[c[0]];
        return (state.from === null || year >= state.from) && (state.to === null || year <= state.to);
      });
      if (!inRange) return false;
    }
    return true;
  }
  function compare(a, b) {
    var x = value(a, state.key), y = value(b, state.key);
    if (x === null || x === undefined) return (y === null || y === undefined) ? byCodePoint(a.p, b.p) : 1;
    if (y === null || y === undefined) return -1;
    var c = typeof x === "string" ? byCodePoint(x, y) : x - y;
    return c ? state.dir * c : byCodePoint(a.p, b.p);
  }
  function sparkline(p) {
    var w = 72, h = 18, s = series(p);
    var svg = d3.create("svg").attr("class", "spark").attr("width", w).attr("height", h).attr("viewBox", "0 0 " + w + " " + h);
    if (!YEARS.length) return svg.node();
    var x = d3.scaleLinear().domain([YEARS[0], Math.max(YEARS[YEARS.length - 1], YEARS[0] + 1)]).range([1, w - 1]);
    var y = d3.scaleLinear().domain([0, d3.max(s, function (d) { return d.value; }) || 1]).range([h - 2, 2]);
    var line = d3.line().defined(function (d) { return d.value !== null; })
      .x(function (d) { return x(d.year); }).y(function (d) { return y(d.value); });
    svg.append("path").attr("d", line(s)).attr("fill", "none").attr("stroke", "#2c6fb7").attr("stroke-width", 1.2);
    svg.append("title").text("mentions per 10,000 characters by year");
    return svg.node();
  }
  var tbody = document.querySelector("#slogan-table tbody");
  function renderTable() {
    var rows = PHRASES.filter(matches).sort(compare);
    tbody.textContent = "";
    rows.slice(0, MAX_ROWS).forEach(function (p) {
      var tr = el("tr", { "data-phrase": p.p },
        el("td", { text: p.p }), el("td", { text: p.k }), el("td", { cls: "num", text: String(value(p, "n")) }),
        el("td", { cls: "num", text: String(p.d) }), el("td", { cls: "num", text: p.f === null ? "" : String(p.f) }),
        el("td", { cls: "num", text: p.l === null ? "" : String(p.l) }),
        el("td", { cls: "num", text: value(p, "r") === null ? "" : value(p, "r").toFixed(2) }), el("td", {}, sparkline(p)));
      if (p.p === state.open) tr.classList.add("open");
      tr.addEventListener("click", function () { openPhrase(p.p); });
      tbody.appendChild(tr);
    });
    document.getElementById("matching").textContent = rows.length > MAX_ROWS
      ? "showing " + MAX_ROWS + " of " + fmt.format(rows.length) + " matching phrases"
      : fmt.format(rows.length) + " matching phrase" + (rows.length === 1 ? "" : "s");
    if (state.group >= 0) {
      document.getElementById("matching").textContent += " in " + G.by + " " + G.groups[state.group].value +
        " (mentions and per 10k of that group)";
    }
    document.querySelectorAll("#slogan-table th[data-key]").forEach(function (th) {
      th.classList.toggle("sorted-desc", th.dataset.key === state.key && state.dir < 0);
      th.classList.toggle("sorted-asc", th.dataset.key === state.key && state.dir > 0);
    });
  }
  document.querySelectorAll("#slogan-table th[data-key]").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.key;
      if (state.key === key) state.dir = -state.dir;
      else { state.key = key; state.dir = (key === "p" || key === "k" || key === "f") ? 1 : -1; }
      renderTable();
    });
  });
  document.getElementById("search").addEventListener("input", function (e) { state.query = clean(e.target.value); renderTable(); });
  kindSelect.addEventListener("change", function (e) { state.kind = e.target.value; renderTable(); });
  function yearInput(id, field) {
    document.getElementById(id).addEventListener("input", function (e) {
      var v = parseInt(e.target.value, 10);
      state[field] = isNaN(v) ? null : v;
      renderTable();
    });
  }
  yearInput("year-from", "from");
  yearInput("year-to", "to");

  // -- the groups of a document field (miner report --by FIELD) --------------------
  var groupSelect = document.getElementById("group");
  function chooseGroup(i) {
    state.group = i;
    groupSelect.value = String(i);
    document.querySelectorAll("#group-table tbody tr").forEach(function (tr) {
      tr.classList.toggle("chosen", Number(tr.dataset.index) === i);
    });
    renderTable();
  }
  if (G) {
    document.getElementById("groups").hidden = false;
    document.getElementById("groups-link").hidden = false;
    document.getElementById("group-filter").hidden = false;
    document.getElementById("groups-title").textContent = "Groups by " + G.by;
    document.getElementById("group-field").textContent = G.by;
    document.getElementById("group-filter-name").textContent = G.by;
    groupSelect.appendChild(el("option", { value: "-1", text: "all" }));
    G.groups.forEach(function (g, i) { groupSelect.appendChild(el("option", { value: String(i), text: g.value })); });
    groupSelect.addEventListener("change", function (e) { chooseGroup(parseInt(e.target.value, 10)); });
    document.getElementById("groups-cap").textContent =
      (G.groups_total > G.groups.length
        ? "The " + G.groups.length + " largest of " + G.groups_total + " groups (by characters) are in this page. " : "") +
      "Key slogans: those more frequent in the group than in the other groups together (G², log-likelihood), " +
      "with a p adjusted for the " + G.groups_total + " groups (Holm) under " + G.level + "; at most " + G.max_keys +
      " a group, as miner compare --by " + G.by + " ranks them. Click a group to list its slogans with its counts.";
    var gbody = document.querySelector("#group-table tbody");
    G.groups.forEach(function (g, i) {
      var keys = el("td", {});
      g.keys.forEach(function (k) {
        var key = el("span", { cls: "key", "data-phrase": k[0], title: "per 10k " + k[2].toFixed(2) + " here, " + k[3].toFixed(2) + " elsewhere" },
          k[0] + " ", el("small", { text: "(" + k[1] + ", " + k[2].toFixed(1) + "/" + k[3].toFixed(1) + ", " +
            (k[4] > 0 ? "+" : "") + k[4].toFixed(2) + ", G² " + k[5].toFixed(1) + ", p " + k[6].toPrecision(2) + ")" }));
        key.addEventListener("click", function (e) { e.stopPropagation(); openPhrase(k[0]); document.getElementById("slogans").scrollIntoView(); });
        keys.appendChild(key);
      });
      if (g.nkeys > g.keys.length) keys.appendChild(el("small", { text: "and " + (g.nkeys - g.keys.length) + " more" }));
      if (!g.keys.length) keys.appendChild(el("small", { text: "none significant" }));
      var tr = el("tr", { "data-group": g.value, "data-index": String(i) }, el("td", { text: g.value }),
        el("td", { cls: "num", text: fmt.format(g.documents) }), el("td", { cls: "num", text: fmt.format(g.chars) }), keys);
      tr.addEventListener("click", function () {
        chooseGroup(state.group === i ? -1 : i);
        document.getElementById("slogans").scrollIntoView();
      });
      gbody.appendChild(tr);
    });
  }
  function groupRates(p) {
    var box = document.getElementById("panel-groups");
    box.textContent = "";
    if (!G || !p) return;
    box.appendChild(el("h3", { text: "By " + G.by + " (per 10k characters)" }));
    var list = el("ul", { cls: "group-rates" });
    G.groups.forEach(function (g, i) {
      var n = groupCount(p, i);
      list.appendChild(el("li", { "data-group": g.value }, g.value + ": " + rate(n, g.chars).toFixed(2) + " (" + n + " mention" + (n === 1 ? "" : "s") + ")"));
    });
    box.appendChild(list);
  }

  // -- the panel of one slogan -------------------------------------------------
  var panel = document.getElementById("panel");
  function trendChart(p) {
    var box = document.getElementById("panel-trend");
    box.textContent = "";
    if (!YEARS.length) return;
    var w = 460, h = 150, m = { l: 40, r: 10, t: 10, b: 22 }, s = series(p);
    var svg = d3.select(box).append("svg").attr("width", w).attr("height", h).attr("viewBox", "0 0 " + w + " " + h);
    var x = d3.scaleLinear().domain([YEARS[0], Math.max(YEARS[YEARS.length - 1], YEARS[0] + 1)]).range([m.l, w - m.r]);
    var y = d3.scaleLinear().domain([0, d3.max(s, function (d) { return d.value; }) || 1]).nice().range([h - m.b, m.t]);
    svg.append("g").attr("transform", "translate(0," + (h - m.b) + ")").call(d3.axisBottom(x).ticks(8).tickFormat(d3.format("d")));
    svg.append("g").attr("transform", "translate(" + m.l + ",0)").call(d3.axisLeft(y).ticks(4));
    var line = d3.line().defined(function (d) { return d.value !== null; })
      .x(function (d) { return x(d.year); }).y(function (d) { return y(d.value); });
    svg.append("path").attr("d", line(s)).attr("fill", "none").attr("stroke", "#2c6fb7").attr("stroke-width", 1.8);
    svg.selectAll("circle").data(s.filter(function (d) { return d.value; })).join("circle")
      .attr("cx", function (d) { return x(d.year); }).attr("cy", function (d) { return y(d.value); }).attr("r", 2.5)
      .attr("fill", "#2c6fb7").append("title").text(function (d) { return d.year + ": " + d.value.toFixed(2) + " per 10k characters"; });
    svg.append("text").attr("x", m.l + 4).attr("y", m.t + 8).attr("font-size", 11).attr("fill", "#555")
      .text("mentions per 10,000 characters (gaps: years without documents)");
  }
  function docLabel(index) {
    var d = DATA.docs[index];
    return d ? (d[1] || d[0]) : "";
  }
  function openPhrase(phrase) {
    var p = BY_PHRASE.get(phrase);
    state.open = phrase;
    panel.hidden = false;
    document.getElementById("panel-phrase").textContent = phrase;
    var facts = document.getElementById("panel-facts");
    var definition = document.getElementById("panel-definition");
    var withList = document.getElementById("panel-with");
    var lines = document.getElementById("panel-lines");
    [definition, withList, lines].forEach(function (n) { n.textContent = ""; });
    document.getElementById("panel-variants").textContent = "";
    document.getElementById("panel-lines-cap").textContent = "";
    groupRates(p);
    if (!p) {
      facts.textContent = "Not among the phrases of this page.";
      document.getElementById("panel-trend").textContent = "";
      return;
    }
    facts.textContent = p.k + "; " + fmt.format(p.n) + " mention" + (p.n === 1 ? "" : "s") + " in " + fmt.format(p.d) +
      " document" + (p.d === 1 ? "" : "s") + "; " + span(p.f, p.l) + (p.r === null ? "" : "; " + p.r.toFixed(2) + " per 10k characters") +
      (p.t !== p.p ? "; traditional " + p.t : "");
    trendChart(p);
    if (p.def) {
      if (p.def.gloss) definition.appendChild(el("p", { cls: "gloss", text: p.def.gloss }));
      if (p.def.members.length) {
        definition.appendChild(el("h3", { text: "Members" }));
        definition.appendChild(el("p", { cls: "members-main", text: p.def.members.join("、") }));
      }
      definition.appendChild(el("p", { cls: "cap", text: "From " + p.def.source + (p.def.defined_in
        ? "; defined in " + p.def.defined_in + " document" + (p.def.defined_in === 1 ? "" : "s") : "") + "." }));
      if (p.def.forms.length) {
        var ul = el("ul", { cls: "members" });
        p.def.forms.forEach(function (f) {
          var doc = DATA.docs.findIndex(function (d) { return d[0] === f.doc; });
          var where = [f.year === null || f.year === undefined ? "" : String(f.year), doc >= 0 ? docLabel(doc) : f.doc, f.how]
            .filter(Boolean).join(", ");
          ul.appendChild(el("li", {}, f.members.join("、"), where ? el("span", { cls: "src", text: " (" + where + ")" }) : null));
        });
        definition.appendChild(ul);
      }
    }
    if (p.v.length && (p.v.length > 1 || p.v[0] !== p.p)) {
      document.getElementById("panel-variants").textContent = "Written as: " + p.v.join(" | ");
    }
    p.with.forEach(function (w) {
      var chip = el("li", { "data-phrase": w[0], title: w[1] + " shared documents, NPMI " + w[2] }, w[0] + " ", el("small", { text: "(" + w[1] + ")" }));
      chip.addEventListener("click", function () { openPhrase(w[0]); });
      withList.appendChild(chip);
    });
    if (!p.with.length) withList.appendChild(el("li", { text: "no other phrase shares a document with it" }));
    p.lines.forEach(function (line) {
      lines.appendChild(el("li", {}, el("b", { text: line[1] === null ? "----" : String(line[1]) }), " ", line[2],
        el("mark", { text: line[3] }), line[4], el("span", { cls: "src", text: docLabel(line[0]) })));
    });
    document.getElementById("panel-lines-cap").textContent = p.lines.length + " of " + fmt.format(p.nlines) +
      " mention" + (p.nlines === 1 ? "" : "s") + " shown" + (p.lines.length < p.nlines
        ? " (at most " + cap.lines + " a phrase, spread over its years; miner kwic lists them all)" : "") + ".";
    tbody.querySelectorAll("tr").forEach(function (tr) { tr.classList.toggle("open", tr.dataset.phrase === phrase); });
    if (history.replaceState) history.replaceState(null, "", "#slogan=" + encodeURIComponent(phrase));
  }
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true;
    state.open = null;
    tbody.querySelectorAll("tr.open").forEach(function (tr) { tr.classList.remove("open"); });
  });

  // -- the network -------------------------------------------------------------
  var graph = null;
  (function network() {
    var note = document.getElementById("network-note");
    if (!DATA.network) {
      // The reason without the command-line advice that follows it.
      note.textContent = "No network: " + DATA.network_note.split("; ")[0] + ".";
      document.getElementById("network-view").hidden = true;
      document.querySelector("#network .filters").hidden = true;
      return;
    }
    graph = graphology.Graph.from(DATA.network);
    var a = DATA.network.attributes;
    note.textContent = graph.order + " " + (DATA.network_note === "all" ? "" : DATA.network_note + " ") +
      "phrases (the " + DATA.caps.network + " most mentioned that share a " + (a.window || "document") +
      " with another more often than chance), " + graph.size + " edges; size: mentions. miner graph writes it for Gephi.";
    var w = 1000, h = 640, pad = 40;
    var xs = [], ys = [];
    graph.forEachNode(function (k, at) { xs.push(at.x); ys.push(at.y); });
    // One scale for both axes, so the layout keeps its shape.
    var ex = d3.extent(xs), ey = d3.extent(ys);
    var k = Math.min((w - 2 * pad) / ((ex[1] - ex[0]) || 1), (h - 2 * pad) / ((ey[1] - ey[0]) || 1));
    var cx = (ex[0] + ex[1]) / 2, cy = (ey[0] + ey[1]) / 2;
    var x = function (v) { return w / 2 + k * (v - cx); };
    var y = function (v) { return h / 2 - k * (v - cy); };
    var svg = d3.select("#network-view").append("svg").attr("viewBox", "0 0 " + w + " " + h);
    var root = svg.append("g");
    svg.call(d3.zoom().scaleExtent([0.3, 8]).on("zoom", function (e) { root.attr("transform", e.transform); }));
    var edges = root.append("g").selectAll("line").data(graph.mapEdges(function (k, at, s, t) { return { key: k, s: s, t: t, npmi: at.npmi || 0 }; }))
      .join("line").attr("class", "edge")
      .attr("x1", function (e) { return x(graph.getNodeAttribute(e.s, "x")); })
      .attr("y1", function (e) { return y(graph.getNodeAttribute(e.s, "y")); })
      .attr("x2", function (e) { return x(graph.getNodeAttribute(e.t, "x")); })
      .attr("y2", function (e) { return y(graph.getNodeAttribute(e.t, "y")); })
      .attr("stroke-width", function (e) { return 0.4 + 2 * Math.max(e.npmi, 0); })
      .attr("stroke-opacity", function (e) { return 0.15 + 0.5 * Math.max(e.npmi, 0); });
    var nodes = root.append("g").selectAll("g").data(graph.nodes()).join("g").attr("class", "node")
      .attr("data-key", function (k) { return k; })
      .attr("transform", function (k) { return "translate(" + x(graph.getNodeAttribute(k, "x")) + "," + y(graph.getNodeAttribute(k, "y")) + ")"; });
    nodes.append("circle").attr("r", function (k) { return graph.getNodeAttribute(k, "size") * 1.1; })
      .attr("stroke", "#fff").attr("stroke-width", 1);
    nodes.append("text").attr("dy", "0.35em").attr("text-anchor", "middle").text(function (k) { return graph.getNodeAttribute(k, "label") || k; });
    var hoverNote = document.getElementById("network-hover");
    var hint = hoverNote.textContent;
    nodes.on("mouseenter", function (event, k) {
      var near = new Set(graph.neighbors(k));
      nodes.classed("focus", function (n) { return n === k; })
        .classed("neighbour", function (n) { return near.has(n); })
        .classed("faded", function (n) { return n !== k && !near.has(n); });
      edges.classed("near", function (e) { return e.s === k || e.t === k; })
        .classed("faded", function (e) { return e.s !== k && e.t !== k; });
      hoverNote.textContent = k + " — " + near.size + " neighbour" + (near.size === 1 ? "" : "s") + ": " +
        Array.from(near).sort(function (p, q) { return graph.getNodeAttribute(q, "total") - graph.getNodeAttribute(p, "total") || byCodePoint(p, q); }).join("、");
    }).on("mouseleave", function () {
      nodes.classed("focus", false).classed("neighbour", false).classed("faded", false);
      edges.classed("near", false).classed("faded", false);
      hoverNote.textContent = hint;
    }).on("click", function (event, k) {
      openPhrase(k);
      document.getElementById("slogans").scrollIntoView();
    });
    nodes.append("title").text(function (k) {
      var at = graph.getNodeAttribute.bind(graph, k);
      return k + ": " + at("total") + " mentions, " + span(at("first_year"), at("last_year")) + ", community " + at("community");
    });
    var colorBy = document.getElementById("color-by");
    function colour() {
      var legend = document.getElementById("network-legend");
      legend.textContent = "";
      if (colorBy.value === "community") {
        nodes.select("circle").attr("fill", function (k) { return graph.getNodeAttribute(k, "color"); });
        var groups = d3.groups(graph.nodes(), function (k) { return graph.getNodeAttribute(k, "community"); })
          .sort(function (p, q) { return p[0] - q[0]; });
        groups.forEach(function (g) {
          var members = g[1].slice().sort(function (p, q) { return graph.getNodeAttribute(q, "total") - graph.getNodeAttribute(p, "total") || byCodePoint(p, q); });
          legend.appendChild(el("span", { "data-community": g[0] }, el("i", { style: "background:" + graph.getNodeAttribute(g[1][0], "color") }),
            "community " + g[0] + " (" + g[1].length + "): " + members.slice(0, 4).join("、") + (members.length > 4 ? "…" : "")));
        });
      } else {
        var years = graph.nodes().map(function (k) { return graph.getNodeAttribute(k, "first_year"); }).filter(function (v) { return v !== null && v !== undefined; });
        var lo = d3.min(years), hi = d3.max(years);
        var scale = d3.scaleSequential(d3.interpolateViridis).domain([lo, hi > lo ? hi : lo + 1]);
        nodes.select("circle").attr("fill", function (k) {
          var v = graph.getNodeAttribute(k, "first_year");
          return v === null || v === undefined ? "#bbb" : scale(v);
        });
        [lo, Math.round((lo + hi) / 2), hi].forEach(function (v) {
          legend.appendChild(el("span", {}, el("i", { style: "background:" + scale(v) }), "first year " + v));
        });
        legend.appendChild(el("span", {}, el("i", { style: "background:#bbb" }), "undated"));
      }
    }
    colorBy.addEventListener("change", colour);
    colour();
  })();

  // -- comparing two periods ---------------------------------------------------
  function side(from, to) {
    var chars = 0, docs = 0, idx = [];
    YEARS.forEach(function (year, i) {
      if (year >= from && year <= to) { chars += C.year_chars[i]; docs += C.year_docs[i]; idx.push(i); }
    });
    return { from: from, to: to, chars: chars, docs: docs, idx: new Set(idx) };
  }
  function logLikelihood(a, b, sa, sb) {
    var total = sa + sb, ea = sa * (a + b) / total, eb = sb * (a + b) / total, g2 = 0;
    if (a) g2 += a * Math.log(a / ea);
    if (b) g2 += b * Math.log(b / eb);
    return Math.max(2 * g2, 0);
  }
  function logRatio(a, b, sa, sb) {
    var ratio = Math.log2(((a || 0.5) / sa) / ((b || 0.5) / sb));
    var observed = a * sb - b * sa;
    return ratio * observed > 0 ? ratio : 0;
  }
  function round4(v) { return Math.round(v * 10000) / 10000; }
  function comparePeriods(aFrom, aTo, bFrom, bTo) {
    var A = side(aFrom, aTo), B = side(bFrom, bTo);
    if (aFrom > aTo || bFrom > bTo) return { error: "a period ends before it starts" };
    if (Math.max(aFrom, bFrom) <= Math.min(aTo, bTo)) return { error: "the two periods overlap; choose years that do not" };
    if (!A.chars || !B.chars) return { error: (A.chars ? "B" : "A") + " has no documents in those years" };
    var rows = [];
    PHRASES.forEach(function (p) {
      if (!kindMatches(p.k, "slogans")) return;  // as miner compare's default kind
      var a = 0, b = 0;
      p.c.forEach(function (c) { if (A.idx.has(c[0])) a += c[1]; else if (B.idx.has(c[0])) b += c[1]; });
      if (!a && !b) return;
      rows.push({ p: p.p, a: a, b: b, g2: round4(logLikelihood(a, b, A.chars, B.chars)), lr: round4(logRatio(a, b, A.chars, B.chars)),
                  dir: Math.sign(a * B.chars - b * A.chars) });
    });
    rows.sort(function (r, s) { return (s.g2 - r.g2) || (Math.abs(s.lr) - Math.abs(r.lr)) || byCodePoint(r.p, s.p); });
    return { A: A, B: B, rows: rows };
  }
  var inputs = ["a-from", "a-to", "b-from", "b-to"].map(function (id) { return document.getElementById(id); });
  function runCompare() {
    var v = inputs.map(function (i) { return parseInt(i.value, 10); });
    var summary = document.getElementById("compare-summary");
    ["compare-a", "compare-b"].forEach(function (id) { document.querySelector("#" + id + " tbody").textContent = ""; });
    if (v.some(isNaN)) { summary.textContent = "Give the first and last year of both periods."; return; }
    var result = comparePeriods(v[0], v[1], v[2], v[3]);
    if (result.error) { summary.textContent = "Cannot compare: " + result.error + "."; return; }
    var shared = result.rows.filter(function (r) { return r.a && r.b; }).length;
    summary.textContent = "A: " + span(v[0], v[1]) + ": " + result.A.docs + " documents, " + fmt.format(result.A.chars) +
      " characters. B: " + span(v[2], v[3]) + ": " + result.B.docs + " documents, " + fmt.format(result.B.chars) + " characters. " +
      shared + " phrases shared, " + result.rows.filter(function (r) { return r.a && !r.b; }).length + " only in A, " +
      result.rows.filter(function (r) { return r.b && !r.a; }).length + " only in B; Jaccard similarity " +
      (result.rows.length ? (shared / result.rows.length).toFixed(3) : "0.000") +
      (DATA.caps.phrases_total > PHRASES.length ? " (among the " + PHRASES.length + " phrases of this page)" : "") + ".";
    [["compare-a", 1], ["compare-b", -1]].forEach(function (t) {
      var body = document.querySelector("#" + t[0] + " tbody");
      result.rows.filter(function (r) { return r.dir === t[1]; }).slice(0, 15).forEach(function (r) {
        var tr = el("tr", { "data-phrase": r.p }, el("td", { text: r.p }), el("td", { cls: "num", text: String(r.a) }),
          el("td", { cls: "num", text: String(r.b) }), el("td", { cls: "num", text: (r.lr > 0 ? "+" : "") + r.lr.toFixed(2) }),
          el("td", { cls: "num", text: r.g2.toFixed(1) }));
        tr.addEventListener("click", function () { openPhrase(r.p); document.getElementById("slogans").scrollIntoView(); });
        body.appendChild(tr);
      });
    });
    document.getElementById("compare-a-title").textContent = "Key to A (" + span(v[0], v[1]) + ")";
    document.getElementById("compare-b-title").textContent = "Key to B (" + span(v[2], v[3]) + ")";
  }
  if (DATA.split) {
    inputs[0].value = DATA.split[0][0]; inputs[1].value = DATA.split[0][1];
    inputs[2].value = DATA.split[1][0]; inputs[3].value = DATA.split[1][1];
  }
  document.getElementById("compare-go").addEventListener("click", runCompare);
  inputs.forEach(function (i) { i.addEventListener("keydown", function (e) { if (e.key === "Enter") runCompare(); }); });

  renderTable();
  if (DATA.split) runCompare();
  else document.getElementById("compare-summary").textContent = "Fewer than two years have documents: nothing to compare.";
  var wanted = /^#slogan=(.+)$/.exec(location.hash);
  if (wanted) openPhrase(decodeURIComponent(wanted[1]));
  window.minerReport = { data: DATA, graph: graph, openPhrase: openPhrase, comparePeriods: comparePeriods, chooseGroup: chooseGroup };
})();
