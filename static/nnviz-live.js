// nnviz live view: plays the frames the server sends and draws every chart of a frame
// in one animation callback, so each paint shows one training step.
//
// The server (nnviz/ui/live.py) sends one message per run of its timed fragment:
// zlib-compressed bytes of a JSON header and binary arrays (nnviz/viz/wire.py).
//   {v, seq, sent_ms, stream, mode: "play" | "still", theme, rows, setups: {id: setup},
//    frames: [{step, epoch, numbers: [[label, text]], charts: {id: data}, plotly: {id: spec}}],
//    status}
// While playing, a message holds several frames (the steps trained since the last one);
// they are queued and shown one every FRAME_MS, evenly, while the next batch is made.
// A "still" message (Pause, a paused change) drops the queue and is drawn at once.
// A new `stream` (a reset, a change of settings) drops the frames of the old one.
//
// The browser only draws: every number comes computed from the server. Images are
// 8-bit and coloured through the palettes of their setup.
//
// window.nnvizLive holds counters for tests and benchmarks: frames shown, the step and
// time of the last ones, batches and bytes received, errors.

const FRAME_MS = 1000 / 36;
const START_FRAMES = 2;           // frames queued before playback (re)starts
const PLOTLY_URL = "app/static/plotly.min.js";
const FIT_MARGIN = 8;             // px kept free under the charts at the window's bottom
const FONT = 14;                  // px: ticks and labels read from the back of a room
const NARROW = 480;               // px: a chart narrower than this is on a phone
const CURVES_SIDE_BY_SIDE = 400;  // px: the curves' two panels share a row from this width
const CURVES_STACKED = 440;       // px: the curves' height with one panel above the other

const CSS = `
.nnviz-live { display: flex; flex-direction: column; gap: 0.75rem; width: 100%; }
.nnviz-row { display: flex; flex-wrap: wrap; gap: 0.75rem; width: 100%; container-type: inline-size; }
.nnviz-col { display: flex; flex-direction: column; gap: 0.75rem; min-width: min(300px, 100%); }
.nnviz-chart { position: relative; width: 100%; overflow: hidden; }
/* one column (a phone): the boundary as tall as it is wide, with room for its axes */
@container (max-width: 640px) {
  .nnviz-chart[data-chart="boundary"] { height: calc(100cqw + 70px) !important; }
}
/* too narrow for the curves' panels side by side: one above the other */
@container (max-width: ${CURVES_SIDE_BY_SIDE - 1}px) {
  .nnviz-chart[data-chart="curves"] { height: ${CURVES_STACKED}px !important; }
}
.nnviz-main { width: 100%; height: 100%; }
.nnviz-layer { position: absolute; left: 0; top: 0; }
.nnviz-legend { display: flex; flex-wrap: wrap; gap: 0.1rem 0.9rem; padding: 0 0 0.3rem 0.25rem;
  font: 14px var(--st-font, sans-serif); color: var(--st-text-color, inherit); min-height: 1.4rem; }
.nnviz-legend-item { display: inline-flex; align-items: center; gap: 0.3rem; white-space: nowrap; }
.nnviz-dot { display: inline-block; border-radius: 50%; border: 1.5px solid; box-sizing: border-box; }
.nnviz-tip { position: absolute; display: none; pointer-events: none; z-index: 2;
  padding: 0.25rem 0.5rem; border-radius: 0.3rem; font: 14px var(--st-font, sans-serif);
  background: var(--st-background-color, #fff); color: var(--st-text-color, #000);
  border: 1px solid rgba(128, 128, 128, 0.5); white-space: nowrap; }
.nnviz-numbers { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; width: 100%;
  font-family: var(--st-font, sans-serif); color: var(--st-text-color, inherit); }
.nnviz-number { flex: 1 1 7.5rem; min-width: 7.5rem; }
.nnviz-number-label { font-size: 0.875rem; opacity: 0.75; line-height: 1.4; }
.nnviz-number-value { font-size: 1.75rem; line-height: 1.2; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.nnviz-tools { position: absolute; right: 4px; top: 0; display: flex; gap: 4px; z-index: 2;
  align-items: center; }
.nnviz-tool { font: 14px var(--st-font, sans-serif); padding: 2px 7px; cursor: pointer;
  border-radius: 4px; border: 1px solid rgba(128, 128, 128, 0.5);
  background: var(--st-background-color, #fff); color: var(--st-text-color, #000); }
.nnviz-tool[aria-pressed="true"] { border: 2px solid var(--st-primary-color, #ff4b4b);
  padding: 1px 6px; }
.nnviz-value { width: 80px; }
.nnviz-units { position: absolute; left: 0; top: 0; width: 0; height: 0; }
.nnviz-unit-button { position: absolute; width: 22px; height: 20px; padding: 0; line-height: 1;
  font: 15px var(--st-font, sans-serif); cursor: pointer; border-radius: 4px;
  border: 1px solid rgba(128, 128, 128, 0.5); background: var(--st-background-color, #fff);
  color: var(--st-text-color, #000); }
.nnviz-unit-button:disabled { opacity: 0.35; cursor: default; }
.nnviz-editor { position: absolute; z-index: 3; padding: 0.4rem 0.5rem; border-radius: 0.4rem;
  font: 14px var(--st-font, sans-serif); background: var(--st-background-color, #fff);
  color: var(--st-text-color, #000); border: 1px solid rgba(128, 128, 128, 0.6); }
.nnviz-editor input { width: 9rem; margin-top: 0.25rem; font: inherit; }
.nnviz-status { display: none; font: 14px var(--st-font, sans-serif); padding: 0.3rem 0.6rem;
  border-radius: 0.4rem; background: rgba(250, 202, 43, 0.2); color: var(--st-text-color, inherit); }
`;

function ensureStyle() {
  if (document.getElementById("nnviz-live-style")) return;
  const style = el("style", "", document.head);
  style.id = "nnviz-live-style";
  style.textContent = CSS;
}

// ----------------------------------------------------------------------------------------
// Messages

// The drawing tool (on, the brush's class or value, erasing): the page's, so that the
// live view's element being made anew (a run of the whole page) keeps it.
const DRAW_TOOL = {on: false, starting: false, brush: undefined, erasing: false};

// The live elements on the page, and Pause answered at its click: the frames queued are
// dropped at once, before the server's still frame (where training stopped) comes back.
const LIVE = new Set();
let pauseWatched = false;

function watchPause(state) {
  LIVE.add(state);
  if (pauseWatched) return;
  pauseWatched = true;
  document.addEventListener("click", (event) => {
    for (const s of LIVE) {
      if (!s.root.isConnected) {
        LIVE.delete(s);
      } else if (s.pauseButton && event.target.closest?.(s.pauseButton)) {
        s.queue.length = 0;
        s.mode = "still";
        s.held = true;          // until the page's run after the click: no more frames
      }
    }
  }, true);
}

const TYPED = {u1: Uint8Array, u2: Uint16Array, i1: Int8Array, f4: Float32Array};

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decode(raw) {
  const n = new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(raw.subarray(4, 4 + n)));
  const start = raw.byteOffset + 4 + n + ((8 - ((4 + n) % 8)) % 8);
  const restore = (obj) => {
    if (Array.isArray(obj)) return obj.map(restore);
    if (obj && typeof obj === "object") {
      const ref = obj["@"];
      if (ref && Object.keys(obj).length === 1) {
        const [offset, length, code, shape] = ref;
        const T = TYPED[code];
        const a = new T(raw.buffer, start + offset, length / T.BYTES_PER_ELEMENT);
        a.shape = shape;
        return a;
      }
      const out = {};
      for (const k of Object.keys(obj)) out[k] = restore(obj[k]);
      return out;
    }
    return obj;
  };
  return restore(header);
}

function undelta(frames) {
  // Images sent as their difference from the frame before (nnviz/viz/wire.py: deltas),
  // made whole again, in order.
  const last = {};
  for (const f of frames) {
    for (const [id, data] of Object.entries(f.charts || {})) {
      for (const key of data.delta || []) {
        const before = last[`${id}.${key}`], d = data[key];
        const whole = new Uint8Array(d.length);
        for (let i = 0; i < d.length; i++) whole[i] = (before[i] + d[i]) & 255;
        whole.shape = d.shape;
        data[key] = whole;
      }
      for (const [key, value] of Object.entries(data)) {
        if (value instanceof Uint8Array) last[`${id}.${key}`] = value;
      }
    }
  }
  return frames;
}

function stats() {
  if (!window.nnvizLive) {
    window.nnvizLive = {frames: 0, batches: 0, bytes: 0, lastStep: -1, lastSeq: -1,
                        shown: [], lagMs: [], errors: 0, lastError: null,
                        firstFrameMs: null, queue: 0, drawMs: 0};
  }
  return window.nnvizLive;
}

function fail(err) {
  const s = stats();
  s.errors += 1;
  s.lastError = String(err && err.message ? err.message : err);
  console.error("nnviz live view:", err);
}

// ----------------------------------------------------------------------------------------
// Drawing helpers

function el(tag, cls, parent) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}

function font(size = FONT, weight = "") {
  const family = getComputedStyle(document.body).getPropertyValue("--st-font").trim() ||
    "'Source Sans Pro', sans-serif";
  return `${weight} ${size}px ${family}`.trim();
}

function sizeCanvas(canvas, w, h) {
  // A canvas of CSS size w x h drawn at the screen's pixel density; returns its context.
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== W || canvas.height !== H) {
    canvas.width = W;
    canvas.height = H;
  }
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function rgba(p, q) {
  // Colour q (0..255) of a palette p: Uint8Array of 256 x RGBA.
  return `rgba(${p[4 * q]},${p[4 * q + 1]},${p[4 * q + 2]},${p[4 * q + 3] / 255})`;
}

function paint(image, palette, r1, r2, target) {
  // An 8-bit image (r2 rows of r1) through a palette into canvas `target` (r1 x r2 px),
  // row 0 at the bottom (rows ascend in the data's second coordinate).
  if (target.width !== r1 || target.height !== r2) {
    target.width = r1;
    target.height = r2;
  }
  const ctx = target.getContext("2d");
  const data = ctx.createImageData(r1, r2);
  const px = new Uint32Array(data.data.buffer);
  const lut = new Uint32Array(palette.buffer, palette.byteOffset, 256);
  for (let i = 0; i < r2; i++) {
    const row = (r2 - 1 - i) * r1, src = i * r1;
    for (let j = 0; j < r1; j++) px[row + j] = lut[image[src + j]];
  }
  ctx.putImageData(data, 0, 0);
}

function niceTicks(lo, hi, target = 5, log = false) {
  // Tick values and full-value labels (0.05, not 5e-2) at 1, 2 or 5 x 10^k.
  if (!(hi > lo)) return [[lo], [label(lo, 1)]];
  if (log) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    }
    const every = Math.max(1, Math.ceil(out.length / (target + 2)));
    const kept = out.filter((_, i) => i % every === 0);
    return [kept, kept.map((v) => label(v, v))];
  }
  const raw = (hi - lo) / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const values = [];
  for (let k = Math.ceil(lo / step - 1e-9); k <= Math.floor(hi / step + 1e-9); k++) {
    values.push(+(k * step).toPrecision(12));
  }
  return [values, values.map((v) => label(v, step))];
}

function label(v, step) {
  if (v === 0) return "0";
  const digits = Math.max(0, -Math.floor(Math.log10(Math.abs(step)) + 1e-9));
  if (Math.abs(v) >= 1e6) return v.toExponential(1);
  return v.toFixed(Math.min(digits, 8));
}

function put(ctx, text, x, y, boxes) {
  // fillText, and the text's box (in the canvas's CSS pixels) into `boxes`, which the
  // tests read back (box.__labels) to check that no two labels overlap.
  ctx.fillText(text, x, y);
  if (!boxes || !text) return;
  const m = ctx.measureText(text);
  let left = x;
  if (ctx.textAlign === "center") left -= m.width / 2;
  else if (ctx.textAlign === "right" || ctx.textAlign === "end") left -= m.width;
  boxes.push([left, y - m.actualBoundingBoxAscent, m.width,
              m.actualBoundingBoxAscent + m.actualBoundingBoxDescent, text]);
}

function fitting(ctx, forms, room) {
  // The first of `forms` (longest first) as wide as `room` at most, else the last.
  return forms.find((text) => ctx.measureText(text).width <= room) ?? forms[forms.length - 1];
}

function compact(n) {
  return n >= 1e6 ? `${+(n / 1e6).toPrecision(3)}M` : n >= 1e3 ? `${+(n / 1e3).toPrecision(3)}k`
    : `${n}`;
}

// ----------------------------------------------------------------------------------------
// Charts. Each has setup(spec), draw(data) (one frame) and resize().

class Numbers {
  constructor(root) {
    this.box = el("div", "nnviz-numbers");
    root.prepend(this.box);
    this.sig = null;
  }

  draw(numbers, step) {
    const sig = numbers.map((n) => n[0]).join("|");
    if (sig !== this.sig) {
      this.box.textContent = "";
      for (const [name] of numbers) {
        const cell = el("div", "nnviz-number", this.box);
        cell.dataset.label = name;
        el("div", "nnviz-number-label", cell).textContent = name;
        el("div", "nnviz-number-value", cell);
      }
      this.sig = sig;
    }
    numbers.forEach(([, value], i) => {
      const v = this.box.children[i].lastChild;
      if (v.textContent !== value) v.textContent = value;
    });
    this.box.dataset.step = String(step);
  }
}

class Axes {
  // A plot area inside a box, with data ranges mapped to pixels and axes drawn on a ctx.
  constructor(x, y, rect) {
    this.x = x;
    this.y = y;
    this.rect = rect;
  }

  px(v) {
    const [a, b] = this.x.range;
    return this.rect.l + (v - a) / (b - a) * this.rect.w;
  }

  py(v) {
    const [a, b] = this.y.range;
    return this.rect.t + this.rect.h - (v - a) / (b - a) * this.rect.h;
  }

  draw(ctx, fg, muted, grid, frame = true, boxes = null) {
    const {l, t, w, h} = this.rect;
    ctx.strokeStyle = grid;
    ctx.lineWidth = 1;
    if (frame) ctx.strokeRect(l + 0.5, t + 0.5, w, h);
    ctx.fillStyle = muted;
    ctx.font = font();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    this.x.ticks.forEach((v, i) => {
      const x = this.px(v);
      if (x < l - 1 || x > l + w + 1) return;
      ctx.beginPath();
      ctx.moveTo(x, t + h);
      ctx.lineTo(x, t + h + 4);
      ctx.stroke();
      put(ctx, this.x.labels[i], x, t + h + 6, boxes);
    });
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    this.y.ticks.forEach((v, i) => {
      const y = this.py(v);
      if (y < t - 1 || y > t + h + 1) return;
      ctx.beginPath();
      ctx.moveTo(l - 4, y);
      ctx.lineTo(l, y);
      ctx.stroke();
      put(ctx, this.y.labels[i], l - 6, y, boxes);
    });
    ctx.fillStyle = fg;
    ctx.font = font(FONT + 1);
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    put(ctx, this.x.title || "", l + w / 2, t + h + 6 + FONT + 22, boxes);
    ctx.save();
    ctx.translate(l - 44, t + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(this.y.title || "", 0, 0);
    ctx.restore();
  }
}

function legendRow(box, entries, size) {
  box.textContent = "";
  for (const e of entries) {
    const item = el("span", "nnviz-legend-item", box);
    const dot = el("span", "nnviz-dot", item);
    dot.style.background = e.color;
    dot.style.borderColor = e.edge || e.color;
    dot.style.width = dot.style.height = `${Math.max(size, 9)}px`;
    el("span", "", item).textContent = e.name;
  }
}

class PlotBase {
  // The boundary (2-D) and fitted-curve (1-D) charts: a still layer (axes, points),
  // a moving layer under it (the surface, lines) and a legend above.
  constructor(box, player) {
    this.box = box;
    this.player = player;
    box.classList.add("nnviz-canvas-chart");
    this.legend = el("div", "nnviz-legend", box);
    this.moving = el("canvas", "nnviz-layer", box);
    this.marks = el("canvas", "nnviz-layer", box);
    this.still = el("canvas", "nnviz-layer", box);     // on top: it takes the pointer
    this.tip = el("div", "nnviz-tip", box);
    this.spec = null;
    this.last = null;
    this.still.addEventListener("mousemove", (ev) => this.hover(ev));
    this.still.addEventListener("mouseleave", () => { this.tip.style.display = "none"; });
  }

  size() {
    const r = this.box.getBoundingClientRect();
    return [Math.max(r.width, 50), Math.max(r.height - this.legend.offsetHeight, 50)];
  }

  resize() {
    if (!this.spec) return;
    this.layout();
    this.drawStill();
    if (this.last) this.draw(this.last, true);
  }

  drawPoints(ctx, set, colorOf) {
    if (!set) return;
    const r = this.spec.size / 2;
    ctx.lineWidth = set.width;
    ctx.strokeStyle = set.edge;
    for (let i = 0; i < set.x.length; i++) {
      const x = this.axes.px(set.x[i]), y = this.axes.py(set.y[i]);
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = colorOf(i);
      ctx.fill();
      ctx.stroke();
    }
  }

  nearest(mx, my) {
    let best = null, dist = 64;
    for (const [name, set] of [["train", this.spec.train], ["test", this.spec.test]]) {
      if (!set) continue;
      for (let i = 0; i < set.x.length; i++) {
        const dx = this.axes.px(set.x[i]) - mx, dy = this.axes.py(set.y[i]) - my;
        if (dx * dx + dy * dy < dist) {
          dist = dx * dx + dy * dy;
          best = {name, i, set};
        }
      }
    }
    return best;
  }

  showTip(ev, lines) {
    const r = this.box.getBoundingClientRect();
    this.tip.textContent = "";
    for (const line of lines) el("div", "", this.tip).textContent = line;
    this.tip.style.display = "block";
    this.tip.style.left = `${Math.min(ev.clientX - r.left + 12, r.width - 160)}px`;
    this.tip.style.top = `${ev.clientY - r.top + 12}px`;
  }
}

class Plane extends PlotBase {
  setup(spec) {
    this.spec = spec;
    this.img = this.img || document.createElement("canvas");
    this.pending = [];
    legendRow(this.legend, spec.legend, spec.size);
    this.tools(spec.draw);
    this.layout();
    this.drawStill();
  }

  // -- drawing the data: a tool row over the chart; clicks and drags on the plot add
  // points of the chosen class (or value), a right-click or the eraser removes the
  // nearest one. Each stroke goes to the server as "draw" (it owns the points: the
  // dots shown at once are only a preview until its next message).

  tools(draw) {
    if (!this.toolbar) {
      this.toolbar = el("div", "nnviz-tools", this.box);
      this.still.addEventListener("pointerdown", (ev) => this.stroke(ev, true));
      this.still.addEventListener("pointermove", (ev) => this.stroke(ev, false));
      window.addEventListener("pointerup", () => { this.down = false; });
      this.still.addEventListener("contextmenu", (ev) => {
        if (DRAW_TOOL.on) ev.preventDefault();
      });
    }
    const bar = this.toolbar;
    bar.textContent = "";
    if (!draw) return;
    const tool = DRAW_TOOL;
    if (draw.drawing) tool.starting = false;
    else if (!tool.starting) tool.on = false;          // other data: drawing ended
    const button = (text, title, onClick, pressed) => {
      const b = el("button", "nnviz-tool", bar);
      b.type = "button";
      b.textContent = text;
      b.title = title;
      if (pressed !== undefined) b.setAttribute("aria-pressed", String(pressed));
      b.addEventListener("click", onClick);
      return b;
    };
    button("✎ Draw", draw.drawing ? "Draw on the plane" : "Draw your own points (starts from these)",
           () => {
             tool.on = !tool.on;
             tool.starting = tool.on && !draw.drawing;
             if (tool.starting) this.send({start: true});
             this.tools(draw);
           }, tool.on);
    if (!tool.on) return;
    if (draw.classes) {
      tool.brush = Math.min(tool.brush || 0, draw.classes.length - 1);
      draw.classes.forEach((c, k) => {
        const b = button("●", `Draw ${c.name}`, () => { tool.brush = k; tool.erasing = false; this.tools(draw); },
                         !tool.erasing && tool.brush === k);
        b.style.color = c.color;
      });
    } else {
      const slider = el("input", "nnviz-value", bar);
      slider.type = "range";
      slider.min = "-1";
      slider.max = "1";
      slider.step = "0.1";
      tool.brush = tool.brush === undefined ? 1 : tool.brush;
      slider.value = String(tool.brush);
      slider.title = "The value of the points you draw";
      slider.setAttribute("aria-label", slider.title);
      slider.addEventListener("input", () => { tool.brush = parseFloat(slider.value); tool.erasing = false; });
    }
    button("Erase", "Remove the point you click", () => { tool.erasing = !tool.erasing; this.tools(draw); },
           tool.erasing);
    button("Clear", "Remove every point", () => this.send({clear: true}));
  }

  send(op) {
    const api = this.player.api;
    if (api && api.setTriggerValue) api.setTriggerValue("draw", op);
  }

  stroke(ev, start) {
    const tool = DRAW_TOOL;
    if (!tool.on || !this.spec || !this.spec.draw) return;
    if (start) {
      this.down = true;
      this.lastDot = null;
      ev.preventDefault();
    }
    if (!this.down) return;
    const rect = this.still.getBoundingClientRect();
    const mx = ev.clientX - rect.left, my = ev.clientY - rect.top;
    const {l, t, w, h} = this.axes.rect;
    if (mx < l || mx > l + w || my < t || my > t + h) return;
    if (this.lastDot && Math.hypot(mx - this.lastDot[0], my - this.lastDot[1]) < 12) return;
    this.lastDot = [mx, my];
    const s = this.spec;
    const x = s.x.range[0] + (mx - l) / w * (s.x.range[1] - s.x.range[0]);
    const y = s.y.range[1] - (my - t) / h * (s.y.range[1] - s.y.range[0]);
    const erase = tool.erasing || ev.button === 2 || (ev.buttons & 2);
    this.queue = this.queue || {add: [], erase: []};
    if (erase) {
      this.queue.erase.push([x, y]);
      this.down = false;                  // one point a click
    } else {
      const v = s.draw.classes ? tool.brush || 0 : tool.brush;
      this.queue.add.push([x, y, v]);
      this.pending.push([mx, my, v]);
      this.drawPending();
    }
    clearTimeout(this.flush);
    this.flush = setTimeout(() => {
      const q = this.queue;
      this.queue = null;
      if (q && (q.add.length || q.erase.length)) this.send(q);
    }, 120);
  }

  drawPending() {
    const ctx = this.marks.getContext("2d"), s = this.spec;
    for (const [x, y, v] of this.pending) {
      ctx.beginPath();
      ctx.arc(x, y, s.size / 2 + 1, 0, 2 * Math.PI);
      ctx.fillStyle = s.draw.classes ? s.draw.classes[v].color
        : rgba(s.draw.values, Math.round((v + 1) / 2 * 255));
      ctx.fill();
      ctx.strokeStyle = s.paper;
      ctx.stroke();
    }
  }

  layout() {
    const [W, H] = this.size();
    const s = this.spec;
    // narrow (a phone): the colour bar goes under the plot, which takes the width
    this.narrow = W < NARROW;
    const right = s.colorbar && !this.narrow ? 92 : 16, left = 58, top = 8;
    const bottom = 58 + (s.colorbar && this.narrow ? 40 : 0);
    const [x0, x1] = s.x.range, [y0, y1] = s.y.range;
    const aspect = Math.min(Math.max((y1 - y0) / Math.max(x1 - x0, 1e-12), 0.3), 3);
    const aw = Math.max(W - left - right, 40), ah = Math.max(H - top - bottom, 40);
    const w = Math.min(aw, ah / aspect), h = w * aspect;
    const l = left + (aw - w) / 2;
    this.axes = new Axes(s.x, s.y, {l, t: top, w, h});
    this.W = W;
    this.H = H;
  }

  drawStill() {
    const s = this.spec, a = this.axes;
    const top = this.legend.offsetHeight;
    for (const c of [this.moving, this.still, this.marks]) c.style.top = `${top}px`;
    sizeCanvas(this.moving, this.W, this.H);
    sizeCanvas(this.marks, this.W, this.H);
    const ctx = sizeCanvas(this.still, this.W, this.H);
    ctx.clearRect(0, 0, this.W, this.H);
    this.box.__labels = [];
    a.draw(ctx, s.fg, s.muted, s.grid, true, this.box.__labels);
    const p = s.points;
    this.drawPoints(ctx, s.train, (i) => rgba(p, s.train.c[i]));
    this.drawPoints(ctx, s.test, (i) => rgba(p, s.test.c[i]));
    if (s.colorbar) this.drawBar(ctx);
  }

  drawBar(ctx) {
    const s = this.spec, {l, t, w, h} = this.axes.rect;
    if (this.narrow) {
      // across, under the x axis: the colours left to right, ticks under, title before
      const y = t + h + 58, bw = w * 0.6, x = l + w - bw;
      for (let i = 0; i < bw; i++) {
        ctx.fillStyle = rgba(s.surface, Math.round(255 * i / bw));
        ctx.fillRect(x + i, y, 1.5, 10);
      }
      ctx.fillStyle = s.muted;
      ctx.font = font();
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      s.colorbar.ticks.forEach((v, i) => put(ctx, s.colorbar.labels[i], x + bw * v, y + 12,
                                              this.box.__labels));
      ctx.fillStyle = s.fg;
      ctx.textAlign = "right";
      ctx.textBaseline = "top";
      put(ctx, s.colorbar.title, x - 8, y - 2, this.box.__labels);
      return;
    }
    const x = l + w + 14, bh = h * 0.8, y = t + (h - bh) / 2;
    for (let i = 0; i < bh; i++) {
      ctx.fillStyle = rgba(s.surface, Math.round(255 * (1 - i / bh)));
      ctx.fillRect(x, y + i, 12, 1.5);
    }
    ctx.fillStyle = s.muted;
    ctx.font = font();
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    s.colorbar.ticks.forEach((v, i) => put(ctx, s.colorbar.labels[i], x + 16, y + bh * (1 - v),
                                            this.box.__labels));
    ctx.fillStyle = s.fg;
    ctx.textBaseline = "bottom";
    put(ctx, s.colorbar.title, x - 4, y - 6, this.box.__labels);
  }

  redraw() {
    if (this.last) this.draw(this.last, true);
  }

  focusImage(f) {
    // [image, palette, label] of the unit the pointer rests on in the diagram: the map
    // the server drew at full resolution, else the diagram's own small one
    const focus = this.player.focus, diagram = this.player.charts.diagram;
    if (!focus) return null;
    if (f.focus && f.focus.k === focus.k) return [f.focus.image, f.focus.palette, f.focus.label];
    const d = diagram && diagram.last, ds = diagram && diagram.spec;
    if (!d || !ds) return null;
    const [rows, cols] = ds.map_shape;
    if (rows !== cols) return null;
    const size = rows * cols, part = d.maps.subarray(focus.k * size, (focus.k + 1) * size);
    part.shape = [rows, cols];
    const layer = ds.layers[focus.layer];
    return [part, ds.palette, `${layer.label}: ${layer.names[focus.unit]}`];
  }

  draw(f, again = false) {
    if (!this.spec || !f || !f.image) return;
    const s = this.spec, a = this.axes, {l, t, w, h} = a.rect;
    const focused = this.focusImage(f);
    const [image, palette] = focused || [f.image, s.surface];
    const [r2, r1] = image.shape;
    paint(image, palette, r1, r2, this.img);
    const ctx = this.moving.getContext("2d");
    ctx.clearRect(0, 0, this.W, this.H);
    ctx.imageSmoothingEnabled = true;
    // cell centres sit on the grid's points: the image spans half a cell beyond them
    const cw = w / Math.max(r1 - 1, 1), ch = h / Math.max(r2 - 1, 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(l, t, w, h);
    ctx.clip();
    ctx.drawImage(this.img, l - cw / 2, t - ch / 2, w + cw, h + ch);
    if (focused) {
      ctx.fillStyle = s.fg;
      ctx.font = font(FONT, "bold");
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      ctx.fillText(focused[2], l + 6, t + 6);
    }
    if (!focused && f.segments && f.segments.length) {
      // each segment's ends as 16-bit fractions of the plot's width and height
      const c = f.segments, sx = w / 65535, sy = h / 65535;
      ctx.strokeStyle = s.fg;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let i = 0; i + 3 < c.length; i += 4) {
        ctx.moveTo(l + c[i] * sx, t + h - c[i + 1] * sy);
        ctx.lineTo(l + c[i + 2] * sx, t + h - c[i + 3] * sy);
      }
      ctx.stroke();
    }
    ctx.restore();
    const m = this.marks.getContext("2d");
    m.clearRect(0, 0, this.W, this.H);
    if (f.wrong && f.wrong.length) {
      m.strokeStyle = s.wrong;
      m.lineWidth = 2;
      m.beginPath();
      for (let i = 0; i + 1 < f.wrong.length; i += 2) {
        const x = a.px(f.wrong[i]), y = a.py(f.wrong[i + 1]);
        m.moveTo(x - 4, y - 4);
        m.lineTo(x + 4, y + 4);
        m.moveTo(x + 4, y - 4);
        m.lineTo(x - 4, y + 4);
      }
      m.stroke();
    }
    this.last = f;
    if (!again) this.box.dataset.step = String(f.step);
  }

  hover(ev) {
    if (!this.spec) return;
    const rect = this.still.getBoundingClientRect();
    const mx = ev.clientX - rect.left, my = ev.clientY - rect.top;
    const a = this.axes, {l, t, w, h} = a.rect;
    if (mx < l || mx > l + w || my < t || my > t + h) {
      this.tip.style.display = "none";
      return;
    }
    const s = this.spec;
    const x = s.x.range[0] + (mx - l) / w * (s.x.range[1] - s.x.range[0]);
    const y = s.y.range[1] - (my - t) / h * (s.y.range[1] - s.y.range[0]);
    const lines = [`${s.x.title} ${x.toPrecision(3)}, ${s.y.title} ${y.toPrecision(3)}`];
    const near = this.nearest(mx, my);
    if (near) lines.push(`a ${near.name} point`);
    if (this.last && this.last.image && s.colorbar) {
      const [r2, r1] = this.last.image.shape;
      const j = Math.round((mx - l) / w * (r1 - 1)), i = Math.round((t + h - my) / h * (r2 - 1));
      const q = this.last.image[i * r1 + j];
      const v = s.scale[0] + q / 255 * (s.scale[1] - s.scale[0]);
      lines.push(`${s.colorbar.title}: ${v.toPrecision(3)}`);
    }
    this.showTip(ev, lines);
  }
}

class Line extends PlotBase {
  setup(spec) {
    this.spec = spec;
    const entries = [{name: "train", color: "rgba(128,128,128,0.6)", edge: spec.paper}];
    if (spec.test) entries.push({name: "test", color: "rgba(128,128,128,0.6)", edge: spec.fg});
    legendRow(this.legend, entries.concat(spec.lines.map((ln) => ({name: ln.name,
      color: ln.color}))), spec.size);
    this.layout();
    this.drawStill();
  }

  layout() {
    const [W, H] = this.size();
    this.axes = new Axes(this.spec.x, this.spec.y, {l: 64, t: 8, w: W - 80, h: H - 66});
    this.W = W;
    this.H = H;
  }

  drawStill() {
    const s = this.spec;
    const top = this.legend.offsetHeight;
    for (const c of [this.moving, this.still, this.marks]) c.style.top = `${top}px`;
    sizeCanvas(this.moving, this.W, this.H);
    sizeCanvas(this.marks, this.W, this.H);
    const ctx = sizeCanvas(this.still, this.W, this.H);
    ctx.clearRect(0, 0, this.W, this.H);
    this.box.__labels = [];
    this.axes.draw(ctx, s.fg, s.muted, s.grid, true, this.box.__labels);
    this.drawPoints(ctx, s.train, (i) => s.colors[s.train.i[i]]);
    this.drawPoints(ctx, s.test, (i) => s.colors[s.test.i[i]]);
  }

  draw(f, again = false) {
    if (!this.spec || !f || !f.y) return;
    const s = this.spec, a = this.axes, gx = s.grid_x;
    const [n, r] = f.y.shape;
    const ctx = this.moving.getContext("2d");
    ctx.clearRect(0, 0, this.W, this.H);
    for (let k = 0; k < n; k++) {
      ctx.strokeStyle = s.lines[k].color;
      ctx.lineWidth = 3;
      ctx.beginPath();
      for (let j = 0; j < r; j++) {
        const x = a.px(gx[j]), y = a.py(f.y[k * r + j]);
        if (j) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
      }
      ctx.stroke();
    }
    this.last = f;
    if (!again) this.box.dataset.step = String(f.step);
  }

  hover(ev) {
    if (!this.spec) return;
    const rect = this.still.getBoundingClientRect();
    const near = this.nearest(ev.clientX - rect.left, ev.clientY - rect.top);
    if (!near) {
      this.tip.style.display = "none";
      return;
    }
    const {set, i, name} = near;
    this.showTip(ev, [`a ${name} point`, `${this.spec.x.title} ${set.x[i].toPrecision(3)}`]);
  }
}

class Diagram {
  // The network: a column of units per layer, each drawn as its map, links coloured by
  // the weight's sign and thickened by its size. Touch it: hovering a unit shows its map
  // large on the boundary chart; clicking a link edits its weight; the + and - under a
  // hidden layer's header add or remove a unit.
  constructor(box, player) {
    this.box = box;
    this.player = player;
    box.classList.add("nnviz-canvas-chart");
    this.canvas = el("canvas", "nnviz-layer", box);
    this.controls = el("div", "nnviz-units", box);
    this.maps = document.createElement("canvas");
    this.spec = null;
    this.last = null;
    this.editor = null;
    this.canvas.addEventListener("mousemove", (ev) => this.hover(ev));
    this.canvas.addEventListener("mouseleave", () => this.focus(null));
    this.canvas.addEventListener("click", (ev) => this.click(ev));
  }

  setup(spec) {
    this.spec = spec;
    this.closeEditor();
    if (this.last && !this.fits(this.last)) this.last = null;   // drawn for other layers
    this.resize();
  }

  fits(f) {
    // A frame of this setup's network: a weight matrix between each pair of layers shown.
    const layers = this.spec.layers;
    return f.weights.length === layers.length - 1 &&
      f.weights.every((W, l) => W.length === layers[l].shown * layers[l + 1].shown);
  }

  where(ev) {
    const r = this.canvas.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  }

  unitAt(x, y) {
    const node = this.node;
    let k = 0;
    for (let l = 0; l < this.spec.layers.length; l++) {
      for (let i = 0; i < this.spec.layers[l].shown; i++, k++) {
        const x0 = this.xs[l], y0 = this.ys[l][i];
        if (x >= x0 && x <= x0 + node && y >= y0 && y <= y0 + node) return {layer: l, unit: i, k};
      }
    }
    return null;
  }

  linkAt(x, y) {
    // the link nearest (x, y) within 5 px: {layer, i, j, weight}
    if (!this.last) return null;
    let best = null, dist = 25;
    this.last.weights.forEach((W, l) => {
      const nIn = this.spec.layers[l].shown, nOut = this.spec.layers[l + 1].shown;
      const ax = this.xs[l] + this.node, bx = this.xs[l + 1];
      if (x < ax || x > bx) return;
      for (let i = 0; i < nIn; i++) {
        for (let j = 0; j < nOut; j++) {
          const ay = this.ys[l][i] + this.node / 2, by = this.ys[l + 1][j] + this.node / 2;
          const t = (x - ax) / (bx - ax), py = ay + t * (by - ay);
          const d = (y - py) ** 2;
          if (d < dist) {
            dist = d;
            best = {layer: l, i, j, weight: W[i * nOut + j]};
          }
        }
      }
    });
    return best;
  }

  hover(ev) {
    if (!this.spec || this.editor) return;
    const [x, y] = this.where(ev);
    const unit = this.unitAt(x, y);
    this.canvas.style.cursor = unit ? "zoom-in" : this.linkAt(x, y) ? "pointer" : "default";
    this.focus(unit);
  }

  focus(unit) {
    // the unit whose map the boundary chart shows instead of the output (null: none)
    const p = this.player, same = (a, b) => (a && b ? a.k === b.k : a === b);
    if (same(p.focus, unit)) return;
    p.focus = unit;
    for (const c of Object.values(p.charts)) if (c.redraw) c.redraw();
    clearTimeout(this.focusTimer);
    // ask the server for the map at full resolution once the pointer rests on a unit
    this.focusTimer = setTimeout(() => {
      if (p.api && p.api.setStateValue) {
        p.api.setStateValue("focus", unit ? [unit.layer, unit.unit] : null);
      }
    }, unit ? 150 : 0);
  }

  click(ev) {
    if (!this.spec) return;
    const [x, y] = this.where(ev);
    if (this.unitAt(x, y)) return;
    const link = this.linkAt(x, y);
    if (link) this.openEditor(link, x, y);
  }

  openEditor(link, x, y) {
    this.closeEditor();
    const names = this.spec.layers;
    const box = el("div", "nnviz-editor", this.box);
    box.style.left = `${Math.min(x, this.W - 190)}px`;
    box.style.top = `${Math.min(y + 8, this.H - 60)}px`;
    const from = names[link.layer].names[link.i], to = names[link.layer + 1].names[link.j];
    el("div", "", box).textContent = `weight ${from} → ${to}`;
    const input = el("input", "", box);
    input.type = "number";
    input.step = "any";
    input.value = link.weight.toPrecision(4);
    input.setAttribute("aria-label", `weight from ${from} to ${to}`);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.closeEditor();
      if (e.key !== "Enter") return;
      const value = parseFloat(input.value);
      const api = this.player.api;
      if (Number.isFinite(value) && api && api.setTriggerValue) {
        api.setTriggerValue("weight", {layer: link.layer, i: link.i, j: link.j, value});
      }
      this.closeEditor();
    });
    input.addEventListener("blur", () => setTimeout(() => this.closeEditor(), 100));
    this.editor = box;
    input.focus();
    input.select();
  }

  closeEditor() {
    if (this.editor) this.editor.remove();
    this.editor = null;
  }

  drawControls() {
    // + and - under each hidden layer's header
    this.controls.textContent = "";
    const layers = this.spec.layers, api = this.player.api;
    for (let l = 1; l < layers.length - 1; l++) {
      for (const [text, delta] of [["−", -1], ["+", 1]]) {
        const b = el("button", "nnviz-unit-button", this.controls);
        b.type = "button";
        b.textContent = text;
        b.title = `${delta > 0 ? "Add a unit to" : "Remove a unit from"} ${layers[l].label}`;
        b.setAttribute("aria-label", b.title);
        b.disabled = (delta < 0 && layers[l].size <= 1) ||
          (delta > 0 && layers[l].size >= this.spec.max_units);
        b.style.left = `${this.xs[l] + this.node / 2 + (delta < 0 ? -24 : 2)}px`;
        b.style.top = `${2 * FONT + 10}px`;
        b.addEventListener("click", () => {
          if (api && api.setTriggerValue) api.setTriggerValue("units", {layer: l, delta});
        });
      }
    }
  }

  resize() {
    if (!this.spec) return;
    const r = this.box.getBoundingClientRect();
    this.W = Math.max(r.width, 50);
    this.H = Math.max(r.height, 50);
    const layers = this.spec.layers, L = layers.length;
    const tallest = Math.max(...layers.map((ly) => ly.shown));
    const top = 2 * FONT + 40, bottom = layers.some((ly) => ly.shown < ly.size) ? 2 * FONT + 8 : 8;
    // room beside the first and last columns for the inputs' and outputs' names
    const ctx = this.canvas.getContext("2d");
    ctx.font = font(FONT);
    const widest = (names) => Math.max(0, ...names.map((n) => ctx.measureText(n).width));
    // the first and last columns' headers are centred on their nodes: half of each
    // must fit inside the chart too
    const header = (ly) => {
      ctx.font = font(FONT, "bold");
      const a = ctx.measureText(ly.label).width;
      ctx.font = font(FONT);
      return Math.max(a, ctx.measureText(ly.detail).width) / 2 - 10;
    };
    const sideIn = Math.min(Math.max(widest(layers[0].names) + 8, header(layers[0])),
                            this.W * 0.2);
    const sideOut = Math.min(Math.max(widest(layers[L - 1].names) + 8, header(layers[L - 1])),
                             this.W * 0.25);
    const node = Math.max(8, Math.min(40, (this.H - top - bottom) / (tallest * 1.35),
                                      (this.W - sideIn - sideOut) / (L * 2.2)));
    this.node = node;
    this.gap = node * 0.35;
    const span = this.W - sideIn - sideOut - node;
    this.xs = layers.map((_, l) => sideIn + (L > 1 ? l * span / (L - 1) : span / 2));
    this.top = top;
    this.ys = layers.map((ly) => {
      const total = ly.shown * node + (ly.shown - 1) * this.gap;
      const y0 = top + (this.H - top - bottom - total) / 2;
      return Array.from({length: ly.shown}, (_, i) => y0 + i * (node + this.gap));
    });
    sizeCanvas(this.canvas, this.W, this.H);
    this.drawControls();
    if (this.last) this.draw(this.last, true);
  }

  draw(f, again = false) {
    const s = this.spec;
    if (!s || !f || !f.maps || !this.fits(f)) return;
    const focus = this.player.focus;
    const ctx = this.canvas.getContext("2d");
    ctx.clearRect(0, 0, this.W, this.H);
    const node = this.node, layers = s.layers;
    // edges, coloured by sign and thickened by |w|
    let top = 0;
    for (const W of f.weights) for (const w of W) top = Math.max(top, Math.abs(w));
    top = top || 1;
    f.weights.forEach((W, l) => {
      const nIn = layers[l].shown, nOut = layers[l + 1].shown;
      for (let i = 0; i < nIn; i++) {
        for (let j = 0; j < nOut; j++) {
          const w = W[i * nOut + j], m = Math.abs(w) / top;
          if (!(m > 0)) continue;
          ctx.strokeStyle = w > 0 ? s.positive : s.negative;
          ctx.globalAlpha = 0.25 + 0.6 * m;
          ctx.lineWidth = 0.5 + 4 * m;
          ctx.beginPath();
          ctx.moveTo(this.xs[l] + node, this.ys[l][i] + node / 2);
          ctx.lineTo(this.xs[l + 1], this.ys[l + 1][j] + node / 2);
          ctx.stroke();
        }
      }
    });
    ctx.globalAlpha = 1;
    // the units' maps: rows x cols each (a grid over the plane, a line, or samples)
    const [rows, cols] = s.map_shape, units = f.maps.length / (rows * cols);
    paint(f.maps, s.palette, cols, rows * units, this.maps);
    ctx.imageSmoothingEnabled = s.smooth;
    let k = 0;
    layers.forEach((ly, l) => {
      for (let i = 0; i < ly.shown; i++, k++) {
        // paint() puts the first row at the bottom: unit k sits at rows (units-1-k)*rows..
        ctx.drawImage(this.maps, 0, (units - 1 - k) * rows, cols, rows, this.xs[l], this.ys[l][i],
                      node, node);
        const on = focus && focus.k === k;
        ctx.strokeStyle = on ? s.fg : s.muted;
        ctx.lineWidth = on ? 2.5 : 0.5;
        ctx.strokeRect(this.xs[l] + 0.25, this.ys[l][i] + 0.25, node - 0.5, node - 0.5);
      }
    });
    // headers and names
    const boxes = this.box.__labels = [];
    ctx.fillStyle = s.fg;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    // columns close together (many layers) take the shorter form of each text
    const room = (layers.length > 1 ? this.xs[1] - this.xs[0] : this.W) - 6;
    layers.forEach((ly, l) => {
      const x = this.xs[l] + node / 2;
      ctx.font = font(FONT, "bold");
      put(ctx, ly.label, x, 2, boxes);
      ctx.font = font(FONT);
      put(ctx, fitting(ctx, [ly.detail, ly.detail.split(" ")[0]], room), x, FONT + 4, boxes);
      if (ly.shown < ly.size) {
        ctx.fillStyle = s.muted;
        const note = fitting(ctx, [`${ly.shown} of ${ly.size} shown`, `${ly.shown}/${ly.size}`],
                             room);
        put(ctx, note, x, this.ys[l][ly.shown - 1] + node + 4, boxes);
        ctx.fillStyle = s.fg;
      }
    });
    ctx.font = font(FONT);
    ctx.textBaseline = "middle";
    const inputs = layers[0], outputs = layers[layers.length - 1];
    ctx.textAlign = "right";
    inputs.names.forEach((name, i) => put(ctx, name, this.xs[0] - 4, this.ys[0][i] + node / 2,
                                          boxes));
    ctx.textAlign = "left";
    const lo = layers.length - 1;
    outputs.names.forEach((name, i) => put(ctx, name, this.xs[lo] + node + 4,
                                           this.ys[lo][i] + node / 2, boxes));
    this.last = f;
    if (!again) this.box.dataset.step = String(f.step);
  }
}

class Curves {
  // The loss and the metric over the steps: the history the setup carries, up to the
  // frame's own step, then the frame's point of now.
  constructor(box) {
    this.box = box;
    box.classList.add("nnviz-canvas-chart");
    this.canvas = el("canvas", "nnviz-layer", box);
    this.spec = null;
    this.last = null;
  }

  setup(spec) {
    this.spec = spec;
    this.resize();
  }

  resize() {
    const r = this.box.getBoundingClientRect();
    this.W = Math.max(r.width, 50);
    this.H = Math.max(r.height, 50);
    sizeCanvas(this.canvas, this.W, this.H);
    if (this.last) this.draw(this.last, true);
  }

  series(step, now) {
    // [steps, train loss, test loss, train metric, test metric] up to `step`, then now.
    const h = this.spec.history, n = h.shape[1];
    let m = n;
    while (m > 0 && h[m - 1] > step) m--;
    return [0, 1, 2, 3, 4].map((k) => {
      const row = Array.from(h.subarray(k * n, k * n + m));
      if (now) row.push(now[k]);
      return row;
    });
  }

  draw(f, again = false) {
    const s = this.spec;
    if (!s || !f) return;
    const ctx = this.canvas.getContext("2d");
    ctx.clearRect(0, 0, this.W, this.H);
    const [xs, ...series] = this.series(f.step, f.now);
    const boxes = this.box.__labels = [];
    const xmax = Math.max(1, xs.length ? xs[xs.length - 1] : 1);
    const gap = 20, right = 18, head = 2 * FONT + 18, bottom = 2 * FONT + 16, left = 58;
    // side by side, or (a phone) one above the other
    const stacked = this.W < CURVES_SIDE_BY_SIDE;
    const pw = stacked ? this.W - left - right : (this.W - 2 * left - gap - 2 * right) / 2;
    const ph = (stacked ? (this.H - gap) / 2 : this.H) - head - bottom;
    s.panels.forEach((panel, p) => {
      const a = series[2 * p], b = series[2 * p + 1];
      const l = stacked ? left : left + p * (pw + right + gap + left);
      const top = head + (stacked ? p * (head + ph + bottom + gap) : 0);
      const finite = a.concat(b).filter((v) => Number.isFinite(v) && (!panel.log || v > 0));
      let lo, hi;
      if (panel.percent) {
        lo = 0;
        hi = 1.02;
      } else if (panel.name === "loss") {
        lo = finite.length ? Math.min(...finite) : 0;
        hi = finite.length ? Math.max(...finite) : 1;
        if (panel.log) {
          lo = lo > 0 ? lo / 1.15 : 1e-3;
          hi = hi > 0 ? hi * 1.15 : 1;
        } else {
          lo = Math.min(0, lo);
          hi = hi > lo ? hi * 1.05 : lo + 1;
        }
      } else {
        lo = Math.max(Math.min(finite.length ? Math.min(...finite) : 0, 0), -1) - 0.02;
        hi = 1.02;
      }
      const [xt] = niceTicks(0, xmax, 4);
      const [yt, yl] = niceTicks(lo, hi, 4, panel.log);
      const yLabels = panel.percent ? yt.map((v) => `${Math.round(v * 100)}%`) : yl;
      const map = panel.log ? (v) => Math.log10(v) : (v) => v;
      const axes = new Axes({range: [0, xmax], ticks: xt, labels: xt.map(compact), title: "step"},
                            {range: [map(lo), map(hi)], ticks: yt.map(map), labels: yLabels,
                             title: ""}, {l, t: top, w: pw, h: ph});
      axes.draw(ctx, s.fg, s.muted, s.grid, true, boxes);
      ctx.save();
      ctx.beginPath();
      ctx.rect(l, top, pw, ph);
      ctx.clip();
      for (const [values, color] of [[a, s.train], [b, s.test]]) {
        ctx.strokeStyle = color;
        ctx.lineWidth = 2;
        ctx.beginPath();
        let on = false;
        for (let i = 0; i < xs.length; i++) {
          const v = values[i];
          if (!Number.isFinite(v) || (panel.log && v <= 0)) {
            on = false;
            continue;
          }
          const x = axes.px(xs[i]), y = axes.py(map(v));
          if (on) ctx.lineTo(x, y);
          else ctx.moveTo(x, y);
          on = true;
        }
        ctx.stroke();
      }
      ctx.restore();
      // the panel's name, and the latest values naming the lines
      const latest = (v) => {
        for (let i = v.length - 1; i >= 0; i--) if (Number.isFinite(v[i])) return v[i];
        return null;
      };
      const fmt = (v) => (v === null ? "–" : panel.percent ? `${(100 * v).toFixed(1)}%`
        : v.toPrecision(4));
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      ctx.fillStyle = s.fg;
      ctx.font = font(FONT + 1, "bold");
      put(ctx, panel.name, l - left + 8, top - head + 2, boxes);
      ctx.font = font(FONT);
      let x = l - left + 8;
      for (const [name, color, v] of [["train", s.train, latest(a)], ["test", s.test, latest(b)]]) {
        ctx.fillStyle = color;
        const text = `━ ${name} `;
        put(ctx, text, x, top - head + FONT + 6, boxes);
        x += ctx.measureText(text).width;
        ctx.fillStyle = s.fg;
        const value = `${fmt(v)}`;
        put(ctx, value, x, top - head + FONT + 6, boxes);
        x += ctx.measureText(`${value}   `).width;
      }
    });
    if (!xs.length) {
      ctx.fillStyle = s.muted;
      ctx.textAlign = "center";
      ctx.fillText("no steps yet", this.W / 2, this.H / 2);
    }
    this.last = f;
    if (!again) this.box.dataset.step = String(f.step);
  }
}

let plotly = null;

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotly) {
    plotly = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL(PLOTLY_URL, document.baseURI).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { plotly = null; reject(new Error("could not load " + s.src)); };
      document.head.appendChild(s);
    });
  }
  return plotly;
}

const PLOTLY_CONFIG = {displaylogo: false, responsive: true, displayModeBar: "hover",
                       modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]};

class PlotlyChart {
  // The charts that change slowly (digits, confusion matrix, weights, ...): a Plotly
  // spec per frame that carries one, drawn with Plotly.react in place.
  constructor(box) {
    this.box = box;
    this.main = el("div", "nnviz-main", box);
    this.pending = null;
    this.busy = false;
  }

  draw(spec, step) {
    this.pending = {spec, step};
    if (this.busy) return;
    this.busy = true;
    const next = async () => {
      while (this.pending) {
        const {spec: sp, step: st} = this.pending;
        this.pending = null;
        try {
          const P = await loadPlotly();
          const layout = Object.assign({}, sp.layout, {autosize: true});
          const bg = pageBackground(this.box);
          if (bg && layout.paper_bgcolor) {
            if (layout.plot_bgcolor === layout.paper_bgcolor) layout.plot_bgcolor = bg;
            layout.paper_bgcolor = bg;
          }
          await P.react(this.main, sp.data, layout, PLOTLY_CONFIG);
          this.box.dataset.step = String(st);
          this.drawn = true;
        } catch (err) {
          fail(err);
        }
      }
      this.busy = false;
    };
    next();
  }

  resize() {
    if (this.drawn && window.Plotly) window.Plotly.Plots.resize(this.main).catch(() => null);
  }
}

const KINDS = {plane: Plane, line: Line, diagram: Diagram, curves: Curves, plotly: PlotlyChart};

// ----------------------------------------------------------------------------------------
// Page layout: rows of columns of charts, heights as CSS (the room the window leaves)

function buildLayout(root, state, rows) {
  const sig = JSON.stringify(rows);
  if (state.sig === sig) return;
  state.sig = sig;
  for (const old of root.querySelectorAll(":scope > .nnviz-row")) old.remove();
  state.charts = {};
  for (const row of rows) {
    const rowDiv = el("div", "nnviz-row", root);
    for (const col of row) {
      const colDiv = el("div", "nnviz-col", rowDiv);
      colDiv.style.flex = `${col.flex} 1 0`;
      for (const ch of col.charts) {
        const box = el("div", "nnviz-chart", colDiv);
        box.dataset.chart = ch.id;
        box.style.height = typeof ch.height === "number" ? `${ch.height}px` : ch.height;
        state.charts[ch.id] = new KINDS[ch.kind](box, state);
      }
    }
  }
  state.setups = {};
}

function fit(root, state) {
  // --nnviz-fit: the pixels from the first chart row's top to the window's bottom.
  const first = root.querySelector(":scope > .nnviz-row");
  if (!first || !root.isConnected) return false;
  let top = first.getBoundingClientRect().top + window.scrollY;
  for (let e = root.parentElement; e; e = e.parentElement) top += e.scrollTop || 0;
  const px = Math.max(Math.floor(window.innerHeight - top - FIT_MARGIN), 0);
  if (state.fit === px) return false;
  state.fit = px;
  root.style.setProperty("--nnviz-fit", `${px}px`);
  return true;
}

function watchSize(root, state) {
  if (state.observer) return;
  const resizeAll = () => {
    if (!root.isConnected) {
      state.observer.disconnect();
      window.removeEventListener("resize", resizeAll);
      return;
    }
    fit(root, state);
    for (const c of Object.values(state.charts)) c.resize();
  };
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; resizeAll(); });
  };
  state.observer = new ResizeObserver(later);
  state.observer.observe(root);
  const page = root.closest('[data-testid="stMainBlockContainer"]');
  if (page) state.observer.observe(page);
  window.addEventListener("resize", later);
}

function pageBackground(e) {
  const bg = getComputedStyle(e).getPropertyValue("--st-background-color").trim();
  return /^#[0-9a-f]{6}$/i.test(bg) ? bg : null;
}

function pageTheme(e) {
  const bg = pageBackground(e);
  if (!bg) return null;
  const n = parseInt(bg.slice(1), 16);
  const lum = (0.2126 * (n >> 16) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
  return lum < 0.5 ? "dark" : "light";
}

// ----------------------------------------------------------------------------------------
// The player

function show(root, state, frame) {
  // Draw one frame: every chart it carries, and the numbers, in this callback.
  const t0 = performance.now();
  for (const [id, data] of Object.entries(frame.charts || {})) {
    const c = state.charts[id];
    if (c) {
      data.step = frame.step;
      c.draw(data);
    }
  }
  for (const [id, spec] of Object.entries(frame.plotly || {})) {
    const c = state.charts[id];
    if (c) c.draw(spec, frame.step);
  }
  if (frame.numbers) state.numbers.draw(frame.numbers, frame.step);
  root.dataset.step = String(frame.step);
  const s = stats();
  s.frames += 1;
  s.lastStep = frame.step;
  s.drawMs = performance.now() - t0;
  s.drawLog = (s.drawLog || []).concat([Math.round(10 * s.drawMs) / 10]).slice(-300);
  s.shown.push([Math.round(performance.now()), frame.step]);
  if (s.shown.length > 1200) s.shown.splice(0, s.shown.length - 1200);
  if (s.firstFrameMs === null) s.firstFrameMs = performance.now();
}

function play(root, state) {
  // One frame every FRAME_MS, on a clock, so the gaps stay even. Playback starts once a
  // batch is queued (the next arrives while it plays); the server sends a little more
  // than FRAME_MS asks, and while more than a batch and a half wait, every frame shown skips
  // the one after it (a step a little longer, never a jump), so the queue neither runs
  // dry nor lags behind.
  if (state.playing) return;
  state.playing = true;
  const tick = (now) => {
    if (!root.isConnected) {
      state.playing = false;
      return;
    }
    const q = state.queue;
    const batch = Math.max(Math.round(state.batch) || 1, START_FRAMES);
    if (state.waiting && (q.length >= batch || (q.length && now - state.waitedFrom > 400))) {
      state.waiting = false;
      state.due = now;
    }
    if (!state.waiting && q.length && now >= state.due - 3) {
      if (2 * q.length > 3 * batch) {
        q.shift();
        stats().skipped = (stats().skipped || 0) + 1;
      }
      show(root, state, q.shift());
      // behind by more than a frame (a busy or hidden tab): start the clock again
      state.due = now - state.due > FRAME_MS ? now + FRAME_MS : state.due + FRAME_MS;
    }
    if (!q.length && !state.waiting) {
      state.waiting = true;
      state.waitedFrom = now;
      if (state.mode === "play") stats().starved = (stats().starved || 0) + 1;
    }
    stats().queue = q.length;
    if (state.mode === "play" || q.length) requestAnimationFrame(tick);
    else state.playing = false;
  };
  requestAnimationFrame(tick);
}

function receive(root, state, msg, setStateValue) {
  const s = stats();
  s.batches += 1;
  s.lastSeq = msg.seq;
  if (msg.sent_ms) {
    s.lagMs.push(Date.now() - msg.sent_ms);
    if (s.lagMs.length > 600) s.lagMs.splice(0, s.lagMs.length - 600);
  }
  if (msg.rows) buildLayout(root, state, msg.rows);
  fit(root, state);
  watchSize(root, state);
  for (const [id, spec] of Object.entries(msg.setups || {})) {
    const c = state.charts[id];
    // the same setup again (every message carries them all): nothing to redo
    if (c && c.setup && (spec.sig === undefined || spec.sig !== c.sig)) {
      c.sig = spec.sig;
      c.setup(spec);
    }
  }
  const theme = pageTheme(root);
  if (theme && msg.theme && theme !== msg.theme && state.toldTheme !== theme && setStateValue) {
    state.toldTheme = theme;
    setStateValue("theme", theme);
  }
  state.status.textContent = msg.status || "";
  state.status.style.display = msg.status ? "block" : "none";
  const frames = undelta(msg.frames || []);
  if (msg.stream !== state.stream || (msg.fresh && msg.mode === "play")) {
    state.queue.length = 0;
    state.stream = msg.stream;
    state.waiting = true;
    state.waitedFrom = performance.now();
  }
  state.pauseButton = msg.pause_button;
  if (msg.fresh) state.held = false;
  if (state.held && msg.mode === "play") return;    // sent before Pause reached the server
  state.mode = msg.mode;
  if (msg.mode !== "play") {
    state.queue.length = 0;
    if (frames.length) show(root, state, frames[frames.length - 1]);
    return;
  }
  state.batch = state.batch ? 0.7 * state.batch + 0.3 * frames.length : frames.length;
  s.batchSizes = (s.batchSizes || []).concat([[Math.round(performance.now()), frames.length]]).slice(-100);
  state.queue.push(...frames);
  play(root, state);
}

export function render(component) {
  const {data, parentElement, setStateValue} = component;
  if (data == null) return;
  ensureStyle();
  let root = parentElement.querySelector(":scope > .nnviz-live");
  if (!root) {
    root = el("div", "nnviz-live", parentElement);
  }
  const state = root.__nnviz || (root.__nnviz = {
    sig: null, charts: {}, setups: {}, queue: [], stream: null, mode: "still",
    playing: false, waiting: true, waitedFrom: 0, due: 0, batch: 0, inbox: Promise.resolve(),
    focus: null, api: null, root, pauseButton: null,
    numbers: new Numbers(root), status: el("div", "nnviz-status", root)});
  watchPause(state);
  state.api = {setStateValue, setTriggerValue: component.setTriggerValue};
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  stats().bytes += bytes.byteLength;
  // Messages are decoded in the order they came, however long each inflate takes.
  state.inbox = state.inbox.then(() => inflate(bytes)).then((raw) => {
    const t0 = performance.now();
    receive(root, state, decode(raw), setStateValue);
    const s = stats();
    s.receiveMs = (s.receiveMs || []).concat([Math.round(performance.now() - t0)]).slice(-100);
  }).catch(fail);
}
