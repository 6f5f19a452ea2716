(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const spec = read("timeline-spec");
  const cfg = read("timeline-data");
  const idx = read("timeline-index");
  const S = cfg.strings, L = cfg.layout, N = cfg.names;
  const DAY = 86400000;
  const PAGE_SIZE = 50;
  const numberFormat = new Intl.NumberFormat(cfg.lang);
  const $ = (id) => document.getElementById(id);
  const status = $("timeline-status");
  const chartBox = $("timeline-chart");

  // A key's "_one" variant is used when the count it shows is 1 ("1 event").
  function t(key, values) {
    const shown = values || {};
    if ((String(shown.count) === "1" || String(shown.events) === "1") && (key + "_one") in S) {
      key += "_one";
    }
    let text = S[key];
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }
  const num = (n) => numberFormat.format(n);

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // --- the events ------------------------------------------------------------------
  const T = idx.tables;
  const events = idx.id.map((id, i) => {
    const summary = idx.summary[i];
    const cut = idx.headline[i];
    return {
      i: i, id: id, start: idx.start[i], end: idx.end[i],
      earliest: idx.earliest[i], latest: idx.latest[i], value: idx.value[i],
      date: idx.date[i], granularity: idx.granularity[i],
      precision: cfg.precisions[idx.precision[i]], conflict: idx.conflict[i] === 1,
      summary: summary,
      headline: typeof cut === "number"
        ? (cut >= summary.length ? summary : summary.slice(0, cut) + "…") : cut,
      sources: idx.sources[i].map((k) => T.sources[k]),
      languages: idx.languages[i].map((k) => T.languages[k]),
      places: idx.places[i].map((k) => T.places[k]),
      actors: idx.actors[i].map((k) => T.actors[k]),
      n_sources: idx.n_sources[i], n_mentions: idx.n_mentions[i], rank: idx.rank[i],
      apart: idx.apart[i], hay: null,
    };
  });
  const byId = new Map(events.map((e) => [e.id, e]));
  const drawn = events.filter((e) => !e.apart);
  const apart = events.filter((e) => e.apart);

  const chunks = new Map();
  function mentionsOf(event) {
    const k = Math.floor(event.i / cfg.chunk);
    if (!chunks.has(k)) chunks.set(k, read("timeline-chunk-" + k));
    const [mentions, conflicts] = chunks.get(k)[event.i % cfg.chunk];
    return {
      conflicts: conflicts,
      mentions: mentions.map((m) => ({text: m[0], source: m[1], published: m[2], timex: m[3],
                                      lang: m[4], url: m[5], title: m[6]})),
    };
  }

  // --- filters ------------------------------------------------------------------------
  const fold = (text) => String(text).normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
  const state = {terms: [], hidden: new Set(), lane: cfg.lane, sort: "date",
                 offset: 0, apartOffset: 0};
  function haystack(e) {
    if (e.hay === null) {
      e.hay = fold([e.summary, e.value, e.earliest, e.latest, e.sources.join("\n"),
                    e.places.join("\n"), e.actors.join("\n"), e.languages.join("\n")].join("\n"));
    }
    return e.hay;
  }
  function passes(e) {
    if (state.hidden.has(e.precision)) return false;
    if (!state.terms.length) return true;
    const hay = haystack(e);
    return state.terms.every((term) => hay.includes(term));
  }
  const filtering = () => state.terms.length > 0 || state.hidden.size > 0;
  let shown = drawn, shownApart = apart;

  // --- chart data ---------------------------------------------------------------------
  const keyHeight = L.key_height;
  function laneName(kind, name) {
    if (name === "") return S["lane_none_" + kind];
    if (name === "other") return S.lane_other;
    return name;
  }
  function laneRows() {
    const rows = [{lane: -1, name: S.key_events, y0: 0, y1: keyHeight, yc: L.lane_caption,
                   stripe: false}];
    cfg.lanes[state.lane].forEach((name, i) => {
      const y0 = keyHeight + i * L.lane_height;
      rows.push({lane: i, name: laneName(state.lane, name), y0: y0, y1: y0 + L.lane_height,
                 yc: y0 + L.lane_caption, stripe: i % 2 === 0});
    });
    return rows;
  }
  function eventRow(e) {
    const lane = idx.lane[state.lane][e.i], sub = idx.sub[state.lane][e.i];
    const y = keyHeight + lane * L.lane_height + L.sub_top + sub * L.sub_step;
    const start = e.start * DAY, end = e.end * DAY;
    return {id: e.id, start: start, end: end, mid: (start + end) / 2, y: y,
            y0: y - L.bar_half, y1: y + L.bar_half, shape: e.end - e.start === 1 ? "point" : "bar",
            precision: e.precision, conflict: e.conflict, headline: e.headline, date: e.date,
            sources: e.sources.join(", "), mentions: e.n_mentions, rank: e.rank};
  }
  let rows = [];   // chart rows of the events that pass the filters

  function placeLabels(lo, hi, width) {
    // As spec.place_labels: best-ranked first, on the first label row where it fits.
    const taken = Array.from({length: L.key_rows}, () => []);
    const placed = [];
    const perMs = width / Math.max(hi - lo, 1);
    const candidates = rows.filter((r) => r.end > lo && r.start < hi);
    candidates.sort((a, b) => a.rank - b.rank);
    for (const r of candidates) {
      const anchor = Math.max(r.shape === "bar" ? r.start : r.mid, lo);
      const x0 = (anchor - lo) * perMs - 4;
      const textPx = Math.min(r.headline.length * L.label_chars_px, L.label_max_px,
                              width - x0 - 12);
      if (textPx < 60) continue;
      const x1 = x0 + 12 + textPx;
      for (let k = 0; k < taken.length; k++) {
        if (taken[k].every(([a, b]) => x1 + L.label_gap_px <= a || x0 >= b + L.label_gap_px)) {
          taken[k].push([x0, x1]);
          const y = L.key_top + k + 0.5;
          placed.push(Object.assign({}, r, {anchor: anchor, row: k, y: y, limit: textPx,
                                            y0: y + 0.3, y1: y + 0.42}));
          break;
        }
      }
      if (placed.length >= 6 * L.key_rows) break;
      if (taken.every((row) => row.reduce((s, [a, b]) => s + b - a, 0) > 0.9 * width)) break;
    }
    return placed;
  }

  // --- the list -----------------------------------------------------------------------
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  let view = null;
  let period = cfg.period || [0, DAY];
  function visibleRange() {
    if (!view) return period;
    const domain = view.scale(N.detail_scale).domain();
    return [+domain[0], +domain[1]];
  }
  // The dates shown, without the margins around the first and last day.
  const shownDates = () => visibleRange().map((x) => Math.min(Math.max(x, period[0]), period[1]));
  function inRange() {
    const [lo, hi] = visibleRange();
    const list = shown.filter((e) => e.end * DAY > lo && e.start * DAY < hi);
    if (state.sort === "evidence") list.sort((a, b) => a.rank - b.rank);
    return list;
  }

  const columns = ["date", "event", "sources", "mentions", "precision", "conflict"];
  function rowFor(e) {
    const tr = el("tr");
    tr.dataset.eventId = e.id;
    if (e.conflict) tr.className = "conflict";
    const cells = {
      date: e.date + (e.apart ? " (" + S["apart_" + e.apart] + ")" : ""),
      sources: e.sources.join(", "),
      mentions: num(e.n_mentions),
      precision: S["precision_" + e.precision],
      conflict: e.conflict ? S.yes : S.no,
    };
    for (const name of columns) {
      const td = el("td", null, "c-" + name);
      td.setAttribute("data-label", S["col_" + name]);
      if (name === "event") {
        const button = el("button", e.summary || e.headline || e.id, "open");
        button.type = "button";
        button.addEventListener("click", () => openDetail(e, button));
        td.appendChild(button);
      } else {
        td.textContent = cells[name];
      }
      tr.appendChild(td);
    }
    return tr;
  }

  function pager(list, offset, body, caption, prev, next, texts) {
    if (offset >= list.length) offset = Math.max(0, list.length - PAGE_SIZE);
    offset = Math.floor(offset / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.min(list.length, offset + PAGE_SIZE);
    const fragment = document.createDocumentFragment();
    for (const e of list.slice(offset, end)) fragment.appendChild(rowFor(e));
    body.replaceChildren(fragment);
    const filtered = filtering() ? S.caption_filtered : "";
    caption.textContent = list.length === 0 ? t(texts[1], Object.assign({filtered}, texts[2]))
      : t(texts[0], Object.assign({count: num(list.length), from: num(offset + 1), to: num(end),
                                   filtered: filtered}, texts[2]));
    prev.disabled = offset === 0;
    next.disabled = end >= list.length;
    return [offset, end - offset];
  }

  function renderTable() {
    const [lo, hi] = shownDates();
    const list = inRange();
    const range = {lo: day(lo), hi: day(hi - 1)};  // the range's end is exclusive
    const [offset, count] = pager(list, state.offset, $("events-body"), $("table-caption"),
                                  $("page-prev"), $("page-next"),
                                  ["caption_rows", "caption_none", range]);
    state.offset = offset;
    document.body.dataset.tableRows = String(count);
    document.body.dataset.matching = String(list.length);
    chartBox.setAttribute("aria-label", t("chart_label", {events: num(list.length),
                                                          first: range.lo, last: range.hi}));
  }
  function renderApart() {
    if (!apart.length) return;
    const [offset, count] = pager(shownApart, state.apartOffset, $("apart-body"),
                                  $("apart-caption"), $("apart-prev"), $("apart-next"),
                                  ["apart_caption", "apart_none", {}]);
    state.apartOffset = offset;
    document.body.dataset.apartRows = String(count);
  }

  // --- detail panel --------------------------------------------------------------------
  const panel = $("detail"), panelBody = $("detail-body"), closeButton = $("detail-close");
  let opener = null;
  function safeUrl(text) {
    if (!text) return null;
    try {
      const url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }
  function listSection(heading, items) {
    const section = el("section");
    section.appendChild(el("h3", heading));
    const ul = el("ul", null, "inline");
    for (const item of items) ul.appendChild(el("li", item));
    section.appendChild(ul);
    return section;
  }
  function openDetail(e, from) {
    const extra = mentionsOf(e);
    const parts = [];
    const title = el("h2", e.summary || e.headline || e.id);
    title.id = "detail-title";
    parts.push(title);
    const when = el("p", null, "when");
    when.appendChild(el("strong", S.detail_date + ": "));
    when.appendChild(el("span", e.value || e.earliest || "?", "value"));
    const facts = [];
    if (e.earliest && (e.earliest !== e.latest || (e.value && e.value !== e.earliest))) {
      facts.push(t("detail_interval", {earliest: e.earliest, latest: e.latest}));
    }
    facts.push(t("detail_precision", {precision: S["precision_" + e.precision]}));
    if (e.apart) facts.push(S["apart_" + e.apart]);
    when.appendChild(el("span", " · " + facts.join(" · "), "facts"));
    parts.push(when);
    if (e.sources.length) parts.push(listSection(S.detail_sources, e.sources));
    if (e.places.length) parts.push(listSection(S.detail_places, e.places));
    if (e.actors.length) parts.push(listSection(S.detail_actors, e.actors));
    if (extra.conflicts.length) {
      const section = listSection(S.detail_conflicts, extra.conflicts);
      section.className = "conflicts";
      parts.push(section);
    }
    const mentionsSection = el("section", null, "mentions");
    mentionsSection.appendChild(el("h3", t("detail_mentions", {count: num(extra.mentions.length)})));
    if (!extra.mentions.length) mentionsSection.appendChild(el("p", S.detail_no_mentions));
    const list = el("ol");
    for (const m of extra.mentions) {
      const item = el("li", null, "mention");
      item.appendChild(el("q", m.text));
      const meta = el("p", null, "meta");
      const bits = [m.source];
      if (m.published) bits.push(t("detail_published", {date: m.published}));
      if (m.timex) bits.push(t("detail_timex", {timex: m.timex}));
      meta.appendChild(el("span", bits.filter(Boolean).join(" · ")));
      const href = safeUrl(m.url);
      if (href) {
        meta.appendChild(el("span", " · "));
        const link = el("a", m.title ? S.detail_link + ": " + m.title : S.detail_link);
        link.href = href;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        meta.appendChild(link);
      }
      item.appendChild(meta);
      list.appendChild(item);
    }
    mentionsSection.appendChild(list);
    parts.push(mentionsSection);
    panelBody.replaceChildren(...parts);
    panel.dataset.eventId = e.id;
    panel.hidden = false;
    opener = from || null;
    closeButton.focus();
  }
  function closeDetail() {
    if (panel.hidden) return;
    panel.hidden = true;
    delete panel.dataset.eventId;
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }
  closeButton.addEventListener("click", closeDetail);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeDetail();
  });

  // --- CSV ---------------------------------------------------------------------------
  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    // A spreadsheet would run a cell starting with these as a formula.
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function downloadCsv() {
    const [lo, hi] = shownDates();
    const header = ["event_id", "earliest", "latest", "value", "granularity", "precision",
                    "summary", "sources", "n_sources", "n_mentions", "conflict", "conflicts",
                    "places", "actors", "languages", "urls"];
    const lines = [header.join(",")];
    for (const e of inRange()) {
      const extra = mentionsOf(e);
      const urls = [...new Set(extra.mentions.map((m) => safeUrl(m.url)).filter(Boolean))];
      lines.push([e.id, e.earliest, e.latest, e.value, e.granularity, e.precision, e.summary,
                  e.sources.join("; "), e.n_sources, e.n_mentions, e.conflict ? "yes" : "no",
                  extra.conflicts.join("; "), e.places.join("; "), e.actors.join("; "),
                  e.languages.join("; "), urls.join(" ")].map(csvCell).join(","));
    }
    const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"],
                          {type: "text/csv;charset=utf-8"});
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = "timeline-" + day(lo) + "-" + day(hi - 1) + ".csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  $("download").addEventListener("click", downloadCsv);

  // --- tooltip: our own element filled with textContent, never HTML ---------------------
  const tip = el("div", null, "timeline-tooltip");
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.appendChild(tip);
  function tooltip(handler, event, item, value) {
    if (value === null || value === undefined || value === "") { tip.hidden = true; return; }
    tip.replaceChildren();
    if (typeof value === "object" && !Array.isArray(value)) {
      const table = el("table");
      for (const [key, val] of Object.entries(value)) {
        const row = el("tr");
        row.appendChild(el("th", key));
        row.appendChild(el("td", val));
        table.appendChild(row);
      }
      tip.appendChild(table);
    } else {
      tip.textContent = String(value);
    }
    tip.hidden = false;
    const pad = 14;
    const box = tip.getBoundingClientRect();
    let x = event.clientX + pad, y = event.clientY + pad;
    if (x + box.width > window.innerWidth) x = Math.max(0, event.clientX - box.width - pad);
    if (y + box.height > window.innerHeight) y = Math.max(0, event.clientY - box.height - pad);
    tip.style.left = (x + window.scrollX) + "px";
    tip.style.top = (y + window.scrollY) + "px";
  }

  // --- wiring ---------------------------------------------------------------------------
  let labelKey = "";
  function updateLabels() {
    const [lo, hi] = visibleRange();
    const width = view.width();
    const placed = placeLabels(lo, hi, width);
    const key = placed.map((r) => r.id + ":" + r.row + ":" + Math.round(r.limit)).join("|") +
      "@" + lo + ":" + hi;
    if (key === labelKey) return;
    labelKey = key;
    view.change(N.labels, view.changeset().remove(() => true).insert(placed));
    document.body.dataset.labels = String(placed.length);
  }
  function pushData() {
    rows = shown.map(eventRow);
    const lanes = laneRows();
    const total = keyHeight + Math.max(cfg.lanes[state.lane].length, 1) * L.lane_height;
    view.change(N.events, view.changeset().remove(() => true).insert(rows));
    view.change(N.lanes, view.changeset().remove(() => true).insert(lanes));
    view.signal(N.rows_total, total);
    view.signal(N.height, Math.round(total * L.unit_px));
    labelKey = "";
  }
  function refilter() {
    shown = drawn.filter(passes);
    shownApart = apart.filter(passes);
    state.offset = 0;
    state.apartOffset = 0;
    renderApart();
    if (view) {
      pushData();
      view.runAsync().then(afterChange);
    } else {
      document.body.dataset.query = state.terms.join(" ");
    }
  }
  function afterChange() {
    updateLabels();
    view.runAsync();
    renderTable();
    document.body.dataset.marks = String(rows.length);
    // What the tests wait for: the list and the marks now follow this search.
    document.body.dataset.query = state.terms.join(" ");
  }
  let pending = 0;
  function schedule() {
    // Signal listeners run before scales settle; read them after the frame.
    if (pending) return;
    pending = requestAnimationFrame(() => { pending = 0; state.offset = 0; afterChange(); });
  }

  let searchTimer = 0;
  $("search").addEventListener("input", (event) => {
    clearTimeout(searchTimer);
    const text = event.target.value;
    searchTimer = setTimeout(() => {
      state.terms = fold(text).split(/\s+/).filter(Boolean);
      refilter();
    }, 120);
  });
  for (const button of document.querySelectorAll("button.precision")) {
    button.addEventListener("click", () => {
      const p = button.dataset.precision;
      if (state.hidden.has(p)) state.hidden.delete(p); else state.hidden.add(p);
      button.setAttribute("aria-pressed", state.hidden.has(p) ? "false" : "true");
      refilter();
    });
  }
  $("lanes").addEventListener("change", (event) => {
    state.lane = event.target.value;
    if (view) { pushData(); view.runAsync().then(afterChange); }
  });
  $("sort").addEventListener("change", (event) => {
    state.sort = event.target.value; state.offset = 0; renderTable();
  });
  $("page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE); renderTable();
  });
  $("page-next").addEventListener("click", () => { state.offset += PAGE_SIZE; renderTable(); });
  $("apart-prev").addEventListener("click", () => {
    state.apartOffset = Math.max(0, state.apartOffset - PAGE_SIZE); renderApart();
  });
  $("apart-next").addEventListener("click", () => { state.apartOffset += PAGE_SIZE; renderApart(); });

  function setRange(range) {
    if (!view) return;
    view.signal(N.zoom_signal, range).runAsync();
  }
  for (const button of document.querySelectorAll(".range button")) {
    button.addEventListener("click", () => {
      const [lo, hi] = visibleRange();
      const span = hi - lo, whole = period[1] - period[0];
      const move = button.dataset.range;
      if (move === "all") return setRange(null);
      if (move === "earlier" || move === "later") {
        const step = 0.8 * span * (move === "earlier" ? -1 : 1);
        const start = Math.min(Math.max(lo + step, period[0] - span / 2), period[1] - span / 2);
        return setRange([start, start + span]);
      }
      const next = move === "in" ? Math.max(span / 2, 2 * DAY) : span * 2;
      if (next >= whole) return setRange(null);
      const centre = (lo + hi) / 2;
      setRange([centre - next / 2, centre + next / 2]);
    });
  }

  let extraWidth = null;
  function fit() {
    // The chart fills the page's width: the plot is what is left after the axes.
    const available = Math.max(200, chartBox.clientWidth);
    const plot = Math.max(120, available - (extraWidth === null ? 60 : extraWidth));
    if (Math.abs(view.width() - plot) < 1) return Promise.resolve();
    view.width(plot);
    return view.runAsync();
  }
  function measure() {
    const canvas = chartBox.querySelector("canvas");
    if (canvas) extraWidth = canvas.getBoundingClientRect().width - view.width();
  }

  refilter();
  if (!cfg.period) {
    // Nothing to draw on a time axis: the page is the list of events apart.
    for (const node of document.querySelectorAll("#timeline-chart, .range, .caption, .legend, " +
                                                 "#in-range")) {
      node.hidden = true;
    }
    document.body.dataset.ready = "1";
    return;
  }
  const options = {mode: "vega", renderer: "canvas", actions: false, tooltip: tooltip};
  vegaEmbed("#timeline-chart", spec, options).then(async (result) => {
    view = result.view;
    window.timelineView = view;
    pushData();
    await fit();
    measure();
    await fit();
    view.addSignalListener(N.zoom, schedule);
    view.addEventListener("click", (event, item) => {
      const datum = item && item.datum;
      if (datum && typeof datum.id === "string" && byId.has(datum.id)) {
        openDetail(byId.get(datum.id), null);
      }
    });
    let resizeTimer = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => fit().then(() => { labelKey = ""; schedule(); }), 100);
    });
    afterChange();
    document.body.dataset.ready = "1";
  }).catch((error) => {
    status.textContent = t("status_error", {error: error});
    document.body.dataset.ready = "error";
    console.error(error);
  });
})();
