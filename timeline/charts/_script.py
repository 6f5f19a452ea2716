"""The page's own script and style, kept as Python strings so they ship with the package.

The script embeds the Vega view, draws the tooltip and the linked table. Every
piece of chronology text reaches the DOM through ``textContent`` only: article
text is data, never markup. It reads two JSON blocks that the page builder wrote
(``type="application/json"``, never executed): the Vega spec and the table rows.
"""

PAGE_SCRIPT = r"""
(function () {
  "use strict";
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const spec = read("timeline-spec");
  const page = read("timeline-data");
  const PAGE_SIZE = 50;
  const status = document.getElementById("timeline-status");
  const caption = document.getElementById("table-caption");
  const tbody = document.getElementById("events-body");
  const prev = document.getElementById("page-prev");
  const next = document.getElementById("page-next");
  let view = null;
  let offset = 0;
  let pending = 0;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // Tooltip: our own element filled with textContent, never HTML.
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

  const day = (ms) => new Date(ms).toISOString().slice(0, 10);

  function visibleRange() {
    const domain = view.scale(page.detail_scale).domain();
    return [+domain[0], +domain[1]];
  }

  function picked() {
    // The legend filter: {color_key: [values]} when set, {} when not.
    const pick = view.signal(page.pick) || {};
    const values = pick.color_key;
    if (!values || !values.length) return null;
    return new Set(values.map(String));
  }

  function selectedEvents() {
    const [lo, hi] = visibleRange();
    const keys = picked();
    const field = view.signal(page.color_by) === "language" ? "language_key" : "source_key";
    return page.events.filter((e) => e.start_ms < hi && e.end_ms > lo &&
      (keys === null || keys.has(e[field])));
  }

  function evidenceCell(event) {
    const cell = el("td", null, "evidence");
    if (!event.evidence.length) { cell.textContent = "(no evidence kept)"; return cell; }
    const list = el("ul");
    for (const m of event.evidence) {
      const item = el("li");
      item.appendChild(el("q", m.text));
      const origin = [m.source, m.published].filter(Boolean).join(", ");
      const cite = el("span", (origin ? " — " + origin : "") + (m.timex ? " [" + m.timex + "]" : ""),
        "origin");
      item.appendChild(cite);
      list.appendChild(item);
    }
    if (event.mentions > event.evidence.length) {
      list.appendChild(el("li", "… and " + (event.mentions - event.evidence.length) +
        " more mentions", "more"));
    }
    cell.appendChild(list);
    return cell;
  }

  function renderTable() {
    pending = 0;
    const rows = selectedEvents();
    const [lo, hi] = visibleRange();
    if (offset >= rows.length) offset = Math.max(0, rows.length - PAGE_SIZE);
    const end = Math.min(rows.length, offset + PAGE_SIZE);
    const fragment = document.createDocumentFragment();
    for (const event of rows.slice(offset, end)) {
      const tr = el("tr");
      tr.dataset.eventId = event.id;
      if (event.has_conflict) tr.className = "conflict";
      tr.appendChild(el("td", event.date, "date"));
      tr.appendChild(el("td", event.summary, "summary"));
      tr.appendChild(el("td", event.sources));
      tr.appendChild(el("td", event.mentions, "num"));
      tr.appendChild(el("td", event.conflict));
      tr.appendChild(evidenceCell(event));
      fragment.appendChild(tr);
    }
    tbody.replaceChildren(fragment);
    const range = day(lo) + " to " + day(hi);
    caption.textContent = rows.length === 0
      ? "No drawn event in the range shown (" + range + ")."
      : rows.length + " drawn events in the range shown (" + range + "); rows " +
        (offset + 1) + "–" + end + ".";
    prev.disabled = offset === 0;
    next.disabled = end >= rows.length;
    document.body.dataset.tableRows = String(end - offset);
  }

  function schedule() {
    // Signal listeners run before scales settle; read them after the frame.
    if (pending) return;
    pending = requestAnimationFrame(() => { offset = 0; renderTable(); });
  }

  prev.addEventListener("click", () => { offset = Math.max(0, offset - PAGE_SIZE); renderTable(); });
  next.addEventListener("click", () => { offset += PAGE_SIZE; renderTable(); });

  const options = {
    mode: "vega",
    renderer: "canvas",
    actions: { export: true, source: false, compiled: false, editor: false },
    tooltip: tooltip,
  };
  vegaEmbed("#timeline-chart", spec, options).then((result) => {
    view = result.view;
    window.timelineView = view;
    for (const name of [page.zoom, page.pick, page.color_by]) {
      view.addSignalListener(name, schedule);
    }
    for (const input of document.querySelectorAll("input[name=color-by]")) {
      input.addEventListener("change", () => {
        if (!input.checked) return;
        // A legend filter on sources means nothing once colour is by language.
        view.signal(page.pick_legend, null);
        view.signal(page.color_by, input.value).runAsync();
      });
    }
    renderTable();
    document.body.dataset.ready = "1";
  }).catch((error) => {
    status.textContent = "The chart could not be drawn: " + error;
    document.body.dataset.ready = "error";
    console.error(error);
  });
})();
"""

PAGE_STYLE = """
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 18px 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
.note { margin: 2px 0 8px; color: #444; max-width: 1100px; }
.controls { margin: 6px 0 10px; }
.controls label { margin-right: 12px; }
#timeline-status:empty { display: none; }
#timeline-status { color: #a00; font-weight: bold; }
table.events { border-collapse: collapse; width: 100%; max-width: 1400px; margin-top: 6px; }
table.events th, table.events td { border-bottom: 1px solid #ddd; padding: 4px 6px;
                                   text-align: left; vertical-align: top; }
table.events th { background: #f3f4f6; position: sticky; top: 0; }
table.events td.date { white-space: nowrap; }
table.events td.num { text-align: right; }
table.events tr.conflict td { background: #fff6e5; }
td.evidence ul { margin: 0; padding-left: 16px; }
td.evidence q { font-style: italic; }
td.evidence .origin, td.evidence .more { color: #666; }
.pager button { margin-right: 6px; }
.timeline-tooltip { position: absolute; z-index: 10; max-width: 420px; padding: 6px 8px;
  background: rgba(255,255,255,0.97); border: 1px solid #999; border-radius: 3px;
  box-shadow: 0 2px 6px rgba(0,0,0,.2); font-size: 12px; pointer-events: none;
  overflow-wrap: anywhere; }
.timeline-tooltip th { text-align: right; padding-right: 6px; color: #555; vertical-align: top;
                      white-space: nowrap; }
.timeline-tooltip td { white-space: pre-wrap; }
"""
