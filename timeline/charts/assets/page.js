(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const spec = read("timeline-spec");
  const cfg = read("timeline-data");
  const skeleton = read("timeline-skeleton");
  const S = cfg.strings, L = cfg.layout, N = cfg.names;
  const DAY = 86400000;
  const PAGE_SIZE = 50;
  const C = cfg.chunk;
  const numberFormat = new Intl.NumberFormat(cfg.lang);
  const $ = (id) => document.getElementById(id);
  const status = $("timeline-status");
  const chartBox = $("timeline-chart");
  const phone = () => window.matchMedia("(max-width: 640px)").matches;

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
  // Text shown is cut to a length the browser lays out at once, whatever the data holds.
  const clip = (text, n) => {
    const s = text === null || text === undefined ? "" : String(text);
    return s.length > n ? s.slice(0, n - 1) + "…" : s;
  };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  const iso = (dayNumber) => new Date(dayNumber * DAY).toISOString().slice(0, 10);

  // --- the skeleton: a few numbers per drawn event, in time order -----------------------
  const nDrawn = cfg.n_drawn, nApart = cfg.n_events - cfg.n_drawn;
  const starts = new Float64Array(nDrawn), ends = new Float64Array(nDrawn);
  const precs = new Uint8Array(nDrawn), nSources = new Float64Array(nDrawn);
  const nMentions = new Float64Array(nDrawn);
  const ranks = skeleton.rank ? new Float64Array(nDrawn) : null;
  {
    let at = 0;
    for (let i = 0; i < nDrawn; i++) {
      at += skeleton.start[i];
      starts[i] = at;
      ends[i] = at + skeleton.length[i];
      precs[i] = skeleton.precision[i];
      nSources[i] = skeleton.n_sources[i];
      nMentions[i] = skeleton.n_mentions[i];
      if (ranks) ranks[i] = skeleton.rank[i];
    }
  }
  // Most important first: the chronology's rank where it has one, then outlets,
  // mentions, a finer date, the earlier event.
  function byImportance(a, b) {
    if (ranks && ranks[a] !== ranks[b]) return ranks[a] - ranks[b];
    return nSources[b] - nSources[a] || nMentions[b] - nMentions[a] || precs[a] - precs[b] ||
      starts[a] - starts[b] || a - b;
  }

  // --- events, read from chunks as they are needed ---------------------------------------
  const drawnEvents = new Array(nDrawn).fill(null);
  const apartEvents = new Array(nApart).fill(null);
  const byId = new Map();
  function readEvents(block, positions, apart) {
    const names = block.names;
    const list = (ks) => ks.map((k) => names[k]);
    block.id.forEach((id, j) => {
      const at = positions[j];
      const target = apart ? apartEvents : drawnEvents;
      if (target[at]) return;
      const summary = block.summary[j], cut = block.headline[j];
      const e = {
        pos: at, apart: apart ? block.apart[j] : "", id: id,
        start: block.start[j], end: block.end[j], value: block.value[j],
        granularity: block.granularity[j], precision: cfg.precisions[block.precision[j]],
        conflict: block.conflict[j] === 1, summary: summary,
        headline: typeof cut === "number"
          ? (cut >= summary.length ? summary : summary.slice(0, cut) + "…") : cut,
        sources: list(block.sources[j]), languages: list(block.languages[j]),
        places: list(block.places[j]), actors: list(block.actors[j]),
        spellings: list(block.spellings[j]),
        n_sources: block.n_sources[j], n_mentions: block.n_mentions[j],
        lane: {}, sub: {}, hay: null,
      };
      for (const kind of Object.keys(block.lane)) {
        e.lane[kind] = block.lane[kind][j];
        e.sub[kind] = block.sub[kind][j];
      }
      if (apart) {
        e.earliest = block.earliest[j];
        e.latest = block.latest[j];
        e.date = block.date[j];
      } else {
        e.earliest = iso(e.start);
        e.latest = iso(e.end - 1);
        const interval = e.earliest === e.latest ? e.earliest : e.earliest + " – " + e.latest;
        e.date = e.value && e.value !== e.earliest ? e.value + " (" + interval + ")" : interval;
      }
      target[at] = e;
      byId.set(id, e);
    });
  }
  const keys = read("timeline-keys");
  readEvents(keys, keys.position, false);
  const keyPositions = Int32Array.from(keys.position).sort();

  // Chunks: a JSON block of the page, or a file next to it that hands its chunk over.
  const chunks = new Map(), waiting = new Map();
  window.timelineChunk = (kind, number, data) => {
    const key = kind + ":" + number;
    if (waiting.has(key)) {
      waiting.get(key).resolve(data);
      waiting.delete(key);
    }
  };
  function chunk(kind, number) {
    const key = kind + ":" + number;
    if (!chunks.has(key)) {
      const block = document.getElementById("timeline-" + kind + "-" + number);
      let loading;
      if (block) {
        loading = Promise.resolve().then(() => JSON.parse(block.textContent));
      } else if (cfg.files) {
        loading = new Promise((resolve, reject) => {
          waiting.set(key, {resolve: resolve});
          const script = document.createElement("script");
          script.src = cfg.files + "/" + kind + "-" + String(number).padStart(6, "0") + ".js";
          script.onload = () => script.remove();
          script.onerror = () => {
            script.remove();
            waiting.delete(key);
            chunks.delete(key);
            reject(new Error(t("status_missing", {folder: cfg.files})));
          };
          document.head.appendChild(script);
        });
      } else {
        loading = Promise.reject(new Error("no data block " + key));
      }
      chunks.set(key, loading);
    }
    return chunks.get(key);
  }
  const range = (from, count) => Array.from({length: count}, (_, j) => from + j);
  function loadIndex(apart, number) {
    const kind = apart ? "apart" : "drawn";
    const total = apart ? nApart : nDrawn;
    return chunk(kind, number).then((block) => {
      if (!block.loaded) {
        readEvents(block, range(number * C, Math.min(C, total - number * C)), apart);
        block.loaded = true;
      }
    });
  }
  // The events at these drawn positions, read from their chunks.
  function ensure(positions) {
    const needed = new Set();
    for (const i of positions) if (!drawnEvents[i]) needed.add(Math.floor(i / C));
    return Promise.all([...needed].map((k) => loadIndex(false, k)));
  }
  let everything = null;
  function loadAll() {
    if (!everything) {
      const jobs = [];
      for (let k = 0; k < cfg.n_chunks; k++) jobs.push(loadIndex(false, k));
      for (let k = 0; k < cfg.n_apart_chunks; k++) jobs.push(loadIndex(true, k));
      everything = Promise.all(jobs);
    }
    return everything;
  }
  function mentionsOf(e) {
    const kind = e.apart ? "apart-mentions" : "drawn-mentions";
    return chunk(kind, Math.floor(e.pos / C)).then((block) => {
      const [mentions, conflicts] = block[e.pos % C];
      return {
        conflicts: conflicts,
        mentions: mentions.map((m) => ({text: m[0], source: m[1], published: m[2], timex: m[3],
                                        lang: m[4], url: m[5], title: m[6]})),
      };
    });
  }

  // --- filters ------------------------------------------------------------------------
  // Case, accents and the spelling of a place or actor do not matter to the search.
  const fold = (text) => String(text).normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
  const state = {terms: [], hidden: new Set(), lane: cfg.lane, sort: "date",
                 offset: 0, apartOffset: 0};
  function haystack(e) {
    if (e.hay === null) {
      e.hay = fold([e.summary, e.headline, e.value, e.earliest, e.latest,
                    e.sources.join("\n"), e.places.join("\n"), e.actors.join("\n"),
                    e.spellings.join("\n"), e.languages.join("\n")].join("\n"));
    }
    return e.hay;
  }
  function matches(e) {
    if (!state.terms.length) return true;
    const hay = haystack(e);
    return state.terms.every((term) => hay.includes(term));
  }
  const filtering = () => state.terms.length > 0 || state.hidden.size > 0;
  const hiddenPrecision = (p) => state.hidden.has(cfg.precisions[p]);

  // --- chart data ---------------------------------------------------------------------
  // A phone gets fewer label rows and smaller rows: the list below stays in view.
  const keyRows = () => (phone() ? L.phone_key_rows : L.key_rows);
  const keyHeight = () => L.key_top + keyRows() + 0.25;
  const unitPx = () => (phone() ? L.phone_unit_px : L.unit_px);
  function laneName(kind, name) {
    if (name === "") return S["lane_none_" + kind];
    if (name === "other") return S.lane_other;
    return name;
  }
  function laneRows() {
    const top = keyHeight();
    const rows = [{lane: -1, name: S.key_events, y0: 0, y1: top, yc: L.lane_caption,
                   stripe: false}];
    cfg.lanes[state.lane].forEach((name, i) => {
      const y0 = top + i * L.lane_height;
      rows.push({lane: i, name: clip(laneName(state.lane, name), 60), y0: y0,
                 y1: y0 + L.lane_height, yc: y0 + L.lane_caption, stripe: i % 2 === 0});
    });
    return rows;
  }
  function eventRow(e) {
    const lane = e.lane[state.lane] || 0, sub = e.sub[state.lane] || 0;
    const y = keyHeight() + lane * L.lane_height + L.sub_top + sub * L.sub_step;
    const start = e.start * DAY, end = e.end * DAY;
    return {id: e.id, pos: e.pos, start: start, end: end, mid: (start + end) / 2, y: y,
            y0: y - L.bar_half, y1: y + L.bar_half, shape: e.end - e.start === 1 ? "point" : "bar",
            precision: e.precision, conflict: e.conflict, headline: clip(e.headline, 200),
            date: e.date, sources: clip(e.sources.join(", "), 200), mentions: e.n_mentions};
  }

  // Headlines of the most important events shown, each on the first label row where its
  // measured text keeps clear of the others: none overprints another.
  const measure = document.createElement("canvas").getContext("2d");
  function textWidth(text) {
    measure.font = L.label_font;
    return measure.measureText(text).width;
  }
  function placeLabels(rows, lo, hi, width) {
    const taken = Array.from({length: keyRows()}, () => []);
    const placed = [];
    const x = view.scale(N.detail_scale);
    const candidates = rows.filter((r) => r.end > lo && r.start < hi);
    candidates.sort((a, b) => byImportance(a.pos, b.pos));
    for (const r of candidates) {
      const anchor = Math.max(r.shape === "bar" ? r.start : r.mid, lo);
      const x0 = x(anchor) - L.label_dot_px;
      const room = width - (x0 + L.label_dx_px) - 2;
      const textPx = Math.min(textWidth(r.headline), L.label_max_px, room);
      if (textPx < L.label_min_px) continue;
      const x1 = x0 + L.label_dx_px + textPx;
      for (let k = 0; k < taken.length; k++) {
        if (taken[k].every(([a, b]) => x1 + L.label_gap_px <= a || x0 >= b + L.label_gap_px)) {
          taken[k].push([x0, x1]);
          const y = L.key_top + k + 0.5;
          placed.push(Object.assign({}, r, {anchor: anchor, row: k, y: y, limit: textPx,
                                            x0: x0, x1: x1, y0: y + 0.3, y1: y + 0.42,
                                            end: Math.min(r.end, x.invert(x1))}));
          break;
        }
      }
      if (placed.length >= 6 * keyRows()) break;
      if (taken.every((row) => row.reduce((s, [a, b]) => s + b - a, 0) > 0.9 * width)) break;
    }
    return placed;
  }

  // --- the period shown ---------------------------------------------------------------
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  let view = null;
  const period = cfg.period || [0, DAY];
  function visibleRange() {
    if (!view) return period;
    const domain = view.scale(N.detail_scale).domain();
    return [+domain[0], +domain[1]];
  }
  // The dates shown, without the margins around the first and last day.
  const shownDates = () => visibleRange().map((x) => Math.min(Math.max(x, period[0]), period[1]));

  // Drawn positions in the period shown that pass the filters, in time order.
  function inRange() {
    const [lo, hi] = visibleRange();
    const from = lo / DAY, to = hi / DAY;
    const found = [];
    for (let i = 0; i < nDrawn; i++) {
      if (ends[i] > from && starts[i] < to && !hiddenPrecision(precs[i]) &&
          (!state.terms.length || matches(drawnEvents[i]))) found.push(i);
    }
    return found;
  }
  function ordered(positions) {
    return state.sort === "evidence" ? positions.slice().sort(byImportance) : positions;
  }

  // --- the list -----------------------------------------------------------------------
  const columns = ["date", "event", "sources", "mentions", "precision", "conflict"];
  function rowFor(e) {
    const tr = el("tr");
    tr.dataset.eventId = e.id;
    if (e.conflict) tr.className = "conflict";
    const cells = {
      date: e.date + (e.apart ? " (" + S["apart_" + e.apart] + ")" : ""),
      sources: clip(e.sources.join(", "), 300),
      mentions: num(e.n_mentions),
      precision: S["precision_" + e.precision],
      conflict: e.conflict ? S.yes : S.no,
    };
    for (const name of columns) {
      const td = el("td", null, "c-" + name);
      td.setAttribute("data-label", name === "mentions" && e.n_mentions === 1
        ? S.col_mentions_one : S["col_" + name]);
      if (name === "event") {
        const button = el("button", cfg.headlines ? e.headline : (e.summary || e.headline || e.id),
                          "open");
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

  function pageOf(count, offset) {
    if (offset >= count) offset = Math.max(0, count - PAGE_SIZE);
    offset = Math.floor(offset / PAGE_SIZE) * PAGE_SIZE;
    return [offset, Math.min(count, offset + PAGE_SIZE)];
  }
  function fillList(list, offset, end, body, caption, prev, next, texts) {
    const fragment = document.createDocumentFragment();
    for (const e of list) fragment.appendChild(rowFor(e));
    body.replaceChildren(fragment);
    const filtered = filtering() ? S.caption_filtered : "";
    caption.textContent = texts[3] === 0 ? t(texts[1], Object.assign({filtered}, texts[2]))
      : t(texts[0], Object.assign({count: num(texts[3]), from: num(offset + 1), to: num(end),
                                   filtered: filtered}, texts[2]));
    prev.disabled = offset === 0;
    next.disabled = end >= texts[3];
  }

  async function renderTable(positions) {
    const [lo, hi] = shownDates();
    const list = ordered(positions);
    const [offset, end] = pageOf(list.length, state.offset);
    state.offset = offset;
    const page = list.slice(offset, end);
    await ensure(page);
    const range = {lo: day(lo), hi: day(hi - 1)};  // the range's end is exclusive
    fillList(page.map((i) => drawnEvents[i]), offset, end, $("events-body"),
             $("table-caption"), $("page-prev"), $("page-next"),
             ["caption_rows", "caption_none", range, list.length]);
    document.body.dataset.tableRows = String(end - offset);
    document.body.dataset.matching = String(list.length);
    chartBox.setAttribute("aria-label", t("chart_label", {events: num(list.length),
                                                          first: range.lo, last: range.hi}));
  }
  async function renderApart() {
    if (!nApart) return;
    for (let k = 0; k < cfg.n_apart_chunks; k++) await loadIndex(true, k);
    const list = apartEvents.filter((e) => !state.hidden.has(e.precision) && matches(e));
    const [offset, end] = pageOf(list.length, state.apartOffset);
    state.apartOffset = offset;
    fillList(list.slice(offset, end), offset, end, $("apart-body"), $("apart-caption"),
             $("apart-prev"), $("apart-next"), ["apart_caption", "apart_none", {}, list.length]);
    document.body.dataset.apartRows = String(end - offset);
  }

  // --- detail panel --------------------------------------------------------------------
  const panel = $("detail"), panelBody = $("detail-body"), closeButton = $("detail-close");
  let opener = null, opening = 0;
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
    for (const item of items) ul.appendChild(el("li", clip(item, 300)));
    section.appendChild(ul);
    return section;
  }
  async function openDetail(e, from) {
    const ticket = ++opening;
    let extra;
    try {
      extra = await mentionsOf(e);
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    if (ticket !== opening) return;
    const parts = [];
    const title = el("h2", clip(cfg.headlines ? e.headline : (e.summary || e.headline || e.id),
                                700));
    title.id = "detail-title";
    parts.push(title);
    if (cfg.headlines && e.summary && e.summary !== e.headline) {
      parts.push(el("p", e.summary, "summary"));
    }
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
      item.appendChild(el("q", clip(m.text, 1000)));
      const meta = el("p", null, "meta");
      const bits = [clip(m.source, 160)];
      if (m.published) bits.push(t("detail_published", {date: m.published}));
      if (m.timex) bits.push(t("detail_timex", {timex: clip(m.timex, 160)}));
      meta.appendChild(el("span", bits.filter(Boolean).join(" · ")));
      const href = safeUrl(m.url);
      if (href) {
        meta.appendChild(el("span", " · "));
        const link = el("a", m.title ? S.detail_link + ": " + clip(m.title, 300) : S.detail_link);
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
  async function downloadCsv() {
    const [lo, hi] = shownDates();
    const positions = ordered(inRange());
    await ensure(positions);
    const header = ["event_id", "earliest", "latest", "value", "granularity", "precision",
                    "headline", "summary", "sources", "n_sources", "n_mentions", "conflict",
                    "conflicts", "places", "actors", "languages", "urls"];
    const lines = [header.join(",")];
    for (const i of positions) {
      const e = drawnEvents[i];
      const extra = await mentionsOf(e);
      const urls = [...new Set(extra.mentions.map((m) => safeUrl(m.url)).filter(Boolean))];
      lines.push([e.id, e.earliest, e.latest, e.value, e.granularity, e.precision, e.headline,
                  e.summary, e.sources.join("; "), e.n_sources, e.n_mentions,
                  e.conflict ? "yes" : "no", extra.conflicts.join("; "), e.places.join("; "),
                  e.actors.join("; "), e.languages.join("; "), urls.join(" ")]
        .map(csvCell).join(","));
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
  $("download").addEventListener("click", () => {
    downloadCsv().catch((error) => { status.textContent = error.message; });
  });

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
        row.appendChild(el("td", clip(val, 400)));
        table.appendChild(row);
      }
      tip.appendChild(table);
    } else {
      tip.textContent = clip(value, 400);
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

  // --- what is shown follows the period, the filters and the lanes ----------------------
  let generation = 0;
  async function update() {
    const ticket = ++generation;
    if (state.terms.length) {
      $("timeline-busy").textContent = S.status_searching;
      await loadAll();
      $("timeline-busy").textContent = "";
    }
    if (ticket !== generation) return;
    const positions = inRange();
    // Every event of the period when they are few enough to draw; else the key events.
    const dense = positions.length > cfg.marks_limit;
    let marks = positions;
    if (dense) {
      const shown = new Set(positions);
      marks = Array.from(keyPositions).filter((i) => shown.has(i));
    } else {
      await ensure(positions);
    }
    if (ticket !== generation) return;
    if (view) {
      const rows = marks.map((i) => eventRow(drawnEvents[i]));
      const total = keyHeight() + Math.max(cfg.lanes[state.lane].length, 1) * L.lane_height;
      view.change(N.events, view.changeset().remove(() => true).insert(rows));
      view.change(N.lanes, view.changeset().remove(() => true).insert(laneRows()));
      view.signal(N.rows_total, total);
      view.signal(N.height, Math.round(total * unitPx()));
      view.resize();  // the canvas follows the chart's height, shrinking too
      await view.runAsync();
      if (ticket !== generation) return;
      const [lo, hi] = visibleRange();
      const placed = placeLabels(rows, lo, hi, view.width());
      view.change(N.labels, view.changeset().remove(() => true).insert(placed));
      await view.runAsync();
      if (ticket !== generation) return;
      document.body.dataset.labels = String(placed.length);
      document.body.dataset.marks = String(rows.length);
      $("dense-note").textContent = dense
        ? t("dense_note", {shown: num(marks.length), count: num(positions.length)}) : "";
    }
    await renderTable(positions);
    await renderApart();
    if (ticket !== generation) return;
    // What the tests wait for: the list and the marks now follow this period and search.
    document.body.dataset.query = state.terms.join(" ");
    document.body.dataset.settled = String(ticket);
  }
  function refresh() {
    update().catch((error) => {
      status.textContent = t("status_error", {error: error.message || error});
      console.error(error);
    });
  }
  let pending = 0;
  function schedule() {
    // Signal listeners run before scales settle; read them after the frame.
    if (pending) return;
    pending = requestAnimationFrame(() => { pending = 0; state.offset = 0; refresh(); });
  }
  function refilter() {
    state.offset = 0;
    state.apartOffset = 0;
    refresh();
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
    refresh();
  });
  $("sort").addEventListener("change", (event) => {
    state.sort = event.target.value; state.offset = 0; refresh();
  });
  $("page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE); refresh();
  });
  $("page-next").addEventListener("click", () => { state.offset += PAGE_SIZE; refresh(); });
  $("apart-prev").addEventListener("click", () => {
    state.apartOffset = Math.max(0, state.apartOffset - PAGE_SIZE); refresh();
  });
  $("apart-next").addEventListener("click", () => { state.apartOffset += PAGE_SIZE; refresh(); });

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
  function measureExtra() {
    const canvas = chartBox.querySelector("canvas");
    if (canvas) extraWidth = canvas.getBoundingClientRect().width - view.width();
  }

  if (!cfg.period) {
    // Nothing to draw on a time axis: the page is the list of events apart.
    for (const node of document.querySelectorAll("#timeline-chart, .range, .caption, .legend, " +
                                                 "#in-range")) {
      node.hidden = true;
    }
    update().then(() => { document.body.dataset.ready = "1"; }, (error) => {
      status.textContent = t("status_error", {error: error.message || error});
      document.body.dataset.ready = "error";
    });
    return;
  }
  const options = {mode: "vega", renderer: "canvas", actions: false, tooltip: tooltip};
  vegaEmbed("#timeline-chart", spec, options).then(async (result) => {
    view = result.view;
    window.timelineView = view;
    await fit();
    measureExtra();
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
      resizeTimer = setTimeout(() => fit().then(schedule), 100);
    });
    await update();
    document.body.dataset.ready = "1";
  }).catch((error) => {
    status.textContent = t("status_error", {error: error.message || error});
    document.body.dataset.ready = "error";
    console.error(error);
  });
})();
