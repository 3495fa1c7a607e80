// The live chart element: one Streamlit components-v2 element holding several Plotly charts.
//
// Streamlit calls the default export again with new `data` each time Python sends a frame;
// the element keeps its DOM node (fixed key), so every chart is updated in place with
// Plotly.react: no new nodes, no blank frames.
//
// data: UTF-8 JSON bytes of
//   {seq, sent_ms, numbers: [[label, value], ...], rows: [[{flex, charts: [{id, height}]}, ...], ...],
//    charts: {id: {data, layout, overlay?}}, statics: {key: [trace, ...]}}
// A chart missing from `charts` keeps what it shows. `overlay` names a list of static
// traces (e.g. the training points) drawn once on a transparent plot stacked on top of the
// chart, with the chart's axes, and redrawn only when the key or the axes change.
//
// window.nnvizLive counts frames drawn, for tests and the benchmark.
//
// The element sets --nnviz-fit on its root: the pixels from the first chart row's top (its
// place on the page, whatever the scroll) to the window's bottom, so chart heights written
// as CSS (`var(--nnviz-fit)`) fill what the page leaves, e.g. under a preset's paragraph.

const PLOTLY_URL = "app/static/plotly.min.js";
const FIT_MARGIN = 8;           // px kept free under the charts at the window's bottom
const LEGEND_TOP = {orientation: "h", yref: "container", y: 0.995, yanchor: "top", xref: "paper"};
const CONFIG = {displaylogo: false, responsive: true, displayModeBar: "hover",
                modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]};

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__nnvizPlotly) {
    stats().plotlyRequestedMs = performance.now();
    window.__nnvizPlotly = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL(PLOTLY_URL, document.baseURI).href;
      s.onload = () => { stats().plotlyLoadedMs = performance.now(); resolve(window.Plotly); };
      s.onerror = () => { window.__nnvizPlotly = null; reject(new Error("could not load " + s.src)); };
      document.head.appendChild(s);
    });
  }
  return window.__nnvizPlotly;
}

function stats() {
  if (!window.nnvizLive) {
    window.nnvizLive = {frames: 0, charts: 0, lastSeq: -1, lagMs: [], firstFrameMs: null,
                        errors: 0, lastError: null, chartMs: {}, renderMs: 0};
  }
  return window.nnvizLive;
}

function decode(data) {
  if (data == null) return null;
  if (typeof data === "string") return JSON.parse(data);
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    return JSON.parse(new TextDecoder().decode(data));
  }
  return data;
}

function buildLayout(root, state, rows) {
  const sig = JSON.stringify(rows);
  if (state.sig === sig) return;
  state.sig = sig;
  for (const id of Object.keys(state.charts)) {
    const c = state.charts[id];
    if (window.Plotly) { window.Plotly.purge(c.main); if (c.overlay) window.Plotly.purge(c.overlay); }
  }
  state.charts = {};
  for (const old of root.querySelectorAll(":scope > .nnviz-row")) old.remove();
  for (const row of rows) {
    const rowDiv = document.createElement("div");
    rowDiv.className = "nnviz-row";
    for (const col of row) {
      const colDiv = document.createElement("div");
      colDiv.className = "nnviz-col";
      colDiv.style.flex = `${col.flex} 1 0`;
      for (const ch of col.charts) {
        const box = document.createElement("div");
        box.className = "nnviz-chart";
        box.dataset.chart = ch.id;
        box.style.height = typeof ch.height === "number" ? `${ch.height}px` : ch.height;
        const main = document.createElement("div");
        main.className = "nnviz-main";
        box.appendChild(main);
        colDiv.appendChild(box);
        state.charts[ch.id] = {box, main, overlay: null, overlaySig: null, drawn: false};
      }
      rowDiv.appendChild(colDiv);
    }
    root.appendChild(rowDiv);
  }
}

function axisBox(gd) {
  const fl = gd._fullLayout;
  if (!fl || !fl.xaxis || !fl.yaxis || !fl.xaxis._length) return null;
  const xa = fl.xaxis, ya = fl.yaxis;
  return {
    width: fl.width, height: fl.height,
    l: xa._offset, r: fl.width - xa._offset - xa._length,
    t: ya._offset, b: fl.height - ya._offset - ya._length,
    xr: xa.range.slice(), yr: ya.range.slice(),
    xtype: xa.type, ytype: ya.type,
  };
}

function drawOverlay(Plotly, c, spec, traces) {
  const box = axisBox(c.main);
  if (!box || !traces) {
    if (c.overlay) c.overlay.style.display = "none";
    return Promise.resolve();
  }
  const sig = JSON.stringify([spec.overlay, box]);
  if (c.overlay && c.overlaySig === sig && c.overlay.style.display !== "none") return Promise.resolve();
  if (!c.overlay) {
    c.overlay = document.createElement("div");
    c.overlay.className = "nnviz-overlay";
    c.box.appendChild(c.overlay);
  }
  c.overlay.style.display = "";
  c.overlaySig = sig;
  const lay = spec.layout || {};
  const axis = (r, type) => ({range: r, type, visible: false, fixedrange: true, autorange: false});
  const plotWidth = Math.max(box.width - box.l - box.r, 1);
  const plotHeight = Math.max(box.height - box.t - box.b, 1);
  const lift = 9;                 // px between the legend and the plot (its top tick label)
  const layout = {
    width: box.width, height: box.height, autosize: false,
    margin: {l: box.l, r: box.r, t: box.t, b: box.b, pad: 0},
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    xaxis: axis(box.xr, box.xtype), yaxis: axis(box.yr, box.ytype),
    font: lay.font, showlegend: true, hovermode: false,
    // Just above the plot, from the figure's left edge: placed left of the plot area
    // (x < 0), Plotly lets a horizontal legend use the margin's width too before wrapping.
    legend: Object.assign({}, lay.legend || {}, {
      orientation: "h", xref: "paper", yref: "paper", xanchor: "left", yanchor: "bottom",
      x: -(box.l - 4) / plotWidth, y: 1 + lift / plotHeight, font: Object.assign({}, (lay.legend || {}).font, {size: 11}),
    }),
  };
  if (lay.coloraxis) layout.coloraxis = Object.assign({}, lay.coloraxis, {showscale: false});
  return Plotly.react(c.overlay, traces, layout, {staticPlot: true, responsive: false}).then(() => {
    // A legend that wraps into more rows than the top margin holds: a taller margin.
    const legend = c.overlay._fullLayout && c.overlay._fullLayout.legend;
    const need = Math.ceil((legend && legend._height) || 0) + lift + 4;
    if (need <= box.t + 1 || need <= (c.legendTop || 0)) return null;
    c.legendTop = need;
    const margin = Object.assign({}, c.main.layout.margin || {}, {t: need});
    return Plotly.relayout(c.main, {margin}).then(() => drawOverlay(Plotly, c, spec, traces));
  });
}

function fit(root, state) {
  // Set --nnviz-fit from the first row's top on the page; true when it changed.
  const first = root.querySelector(":scope > .nnviz-row");
  if (!first || !root.isConnected) return false;
  let top = first.getBoundingClientRect().top + window.scrollY;
  for (let el = root.parentElement; el; el = el.parentElement) top += el.scrollTop || 0;
  const px = Math.max(Math.floor(window.innerHeight - top - FIT_MARGIN), 0);
  if (state.fit === px) return false;
  state.fit = px;
  root.style.setProperty("--nnviz-fit", `${px}px`);
  return true;
}

function watchFit(root, state) {
  // Refit when the window or the page above the charts changes size (a note, the
  // preset's "more"), between frames too: resize the drawn charts and their overlays.
  if (state.refit) return;
  const page = root.closest('[data-testid="stMainBlockContainer"]') || document.body;
  const observer = new ResizeObserver(() => state.refit());
  state.refit = () => {
    if (!root.isConnected) {
      window.removeEventListener("resize", state.refit);
      observer.disconnect();
      return;
    }
    if (!fit(root, state) || !window.Plotly) return;
    for (const c of Object.values(state.charts)) {
      if (!c.drawn) continue;
      window.Plotly.Plots.resize(c.main).then(() => c.spec && c.spec.overlay
        ? drawOverlay(window.Plotly, c, c.spec, state.statics[c.spec.overlay]) : null)
        .catch(() => null);
    }
  };
  window.addEventListener("resize", state.refit);
  observer.observe(page);
}

function drawNumbers(root, state, numbers) {
  // The counters and metrics as large numbers, updated in place (text only).
  let box = root.querySelector(":scope > .nnviz-numbers");
  const sig = numbers.map((n) => n[0]).join("|");
  if (!box || state.numbersSig !== sig) {
    if (box) box.remove();
    box = document.createElement("div");
    box.className = "nnviz-numbers";
    for (const [label] of numbers) {
      const cell = document.createElement("div");
      cell.className = "nnviz-number";
      cell.dataset.label = label;
      cell.innerHTML = '<div class="nnviz-number-label"></div><div class="nnviz-number-value"></div>';
      cell.firstChild.textContent = label;
      box.appendChild(cell);
    }
    root.prepend(box);
    state.numbersSig = sig;
  }
  numbers.forEach(([, value], i) => {
    const v = box.children[i].lastChild;
    if (v.textContent !== value) v.textContent = value;
  });
}

async function render(root, state, msg) {
  if (msg.numbers) drawNumbers(root, state, msg.numbers);
  const Plotly = await loadPlotly();
  const t0 = performance.now();
  if (msg.rows) buildLayout(root, state, msg.rows);
  fit(root, state);               // heights from the room left, before drawing
  watchFit(root, state);
  if (msg.statics) Object.assign(state.statics, msg.statics);
  // Charts take the page's own background (a theme's exact shade varies between
  // Streamlit versions and custom themes), when they were built for the page's theme.
  const bg = pageBackground(root);
  const pageBg = bg && msg.theme && pageTheme(root) === msg.theme ? bg : null;
  const jobs = [];
  for (const [id, spec] of Object.entries(msg.charts || {})) {
    const c = state.charts[id];
    if (!c) continue;
    const layout = Object.assign({}, spec.layout, {autosize: true});
    if (pageBg && layout.paper_bgcolor) {
      if (layout.plot_bgcolor === layout.paper_bgcolor) layout.plot_bgcolor = pageBg;
      layout.paper_bgcolor = pageBg;
    }
    if (spec.overlay) {
      // The overlay carries the static traces' legend above the plot at the left; the
      // chart's own goes to the top right. New points may need another legend height.
      if (c.overlayKey !== spec.overlay) c.legendTop = null;
      c.overlayKey = spec.overlay;
      layout.legend = Object.assign({}, layout.legend || {}, LEGEND_TOP, {x: 1, xanchor: "right"});
      const m = Object.assign({}, layout.margin || {});
      m.t = Math.max(m.t || 0, c.legendTop || 30);
      layout.margin = m;
    }
    const tc = performance.now();
    const job = Plotly.react(c.main, spec.data, layout, CONFIG).then(() => {
      c.drawn = true;
      c.spec = spec;
      stats().chartMs[id] = performance.now() - tc;
      if (spec.overlay) return drawOverlay(Plotly, c, spec, state.statics[spec.overlay]);
      if (c.overlay) c.overlay.style.display = "none";
      return null;
    });
    jobs.push(job);
  }
  await Promise.all(jobs);
  const s = stats();
  s.frames += 1;
  s.charts = Object.values(state.charts).filter((c) => c.drawn).length;
  s.lastSeq = msg.seq;
  s.renderMs = performance.now() - t0;
  const now = Date.now();
  if (msg.sent_ms) {
    s.lagMs.push(now - msg.sent_ms);
    if (s.lagMs.length > 600) s.lagMs.splice(0, s.lagMs.length - 600);
  }
  if (s.firstFrameMs === null) {
    s.firstFrameMs = performance.now();
    s.firstFrameDrawMs = s.firstFrameMs - t0;
  }
  root.dataset.frames = String(s.frames);
  root.dataset.seq = String(msg.seq);
}

function pageBackground(el) {
  // The page's background colour as "#rrggbb" (Streamlit's theme variable), or null.
  const bg = getComputedStyle(el).getPropertyValue("--st-background-color").trim();
  return /^#[0-9a-f]{6}$/i.test(bg) ? bg : null;
}

function pageTheme(el) {
  // "dark" | "light" from the page's actual background.
  const bg = pageBackground(el);
  if (!bg) return null;
  const n = parseInt(bg.slice(1), 16);
  const lum = (0.2126 * (n >> 16) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
  return lum < 0.5 ? "dark" : "light";
}

export default function (component) {
  const {data, parentElement, setStateValue} = component;
  loadPlotly().catch((err) => { stats().errors += 1; stats().lastError = String(err); });
  if (data == null) return;      // a preload mount: fetch plotly.js early, draw nothing
  let root = parentElement.querySelector(":scope > .nnviz-live");
  if (!root) {
    root = document.createElement("div");
    root.className = "nnviz-live";
    parentElement.appendChild(root);
  }
  const state = root.__nnviz || (root.__nnviz = {sig: null, charts: {}, statics: {},
                                                 busy: false, pending: null});
  let msg;
  try {
    msg = decode(data);
  } catch (err) {
    stats().errors += 1;
    stats().lastError = String(err);
    return;
  }
  if (!msg) return;
  // Streamlit's own idea of the theme can lag a change; tell Python what the page shows.
  const theme = pageTheme(parentElement);
  if (theme && msg.theme && theme !== msg.theme && state.toldTheme !== theme && setStateValue) {
    state.toldTheme = theme;
    setStateValue("theme", theme);
  }
  // While one frame draws, later ones merge into a single waiting frame (newest wins
  // per chart), so a slow browser skips frames instead of queueing them.
  if (state.pending) {
    const p = state.pending;
    msg.charts = Object.assign({}, p.charts || {}, msg.charts || {});
    msg.statics = Object.assign({}, p.statics || {}, msg.statics || {});
    msg.rows = msg.rows || p.rows;
    msg.numbers = msg.numbers || p.numbers;
  }
  state.pending = msg;
  if (state.busy) return;
  state.busy = true;
  (async () => {
    while (state.pending) {
      const next = state.pending;
      state.pending = null;
      try {
        await render(root, state, next);
      } catch (err) {
        stats().errors += 1;
        stats().lastError = String(err && err.message ? err.message : err);
        console.error("nnviz live chart:", err);
      }
    }
    state.busy = false;
  })();
}
