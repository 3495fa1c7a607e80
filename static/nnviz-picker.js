// The dataset picker: a grid of buttons, one per dataset drawn on a plane, each with a
// thumbnail of its points (as TensorFlow Playground shows them). Real buttons: Tab and
// the arrow keys move between them, Enter or Space picks one; the current dataset is
// marked with aria-pressed. A pick goes back to Python as the trigger "pick".

const CSS = `
.nnviz-picker { display: grid; grid-template-columns: repeat(auto-fill, minmax(64px, 1fr));
  gap: 6px; }
.nnviz-pick { display: flex; flex-direction: column; align-items: center; gap: 2px;
  padding: 4px 2px 3px; cursor: pointer; border-radius: 6px;
  border: 1px solid rgba(128, 128, 128, 0.35); background: transparent;
  color: var(--st-text-color, inherit); font: 12px var(--st-font, sans-serif); }
.nnviz-pick:hover { border-color: var(--st-primary-color, #ff4b4b); }
.nnviz-pick:focus-visible { outline: 2px solid var(--st-primary-color, #ff4b4b); outline-offset: 1px; }
.nnviz-pick[aria-pressed="true"] { border: 2px solid var(--st-primary-color, #ff4b4b);
  padding: 3px 1px 2px; }
.nnviz-pick canvas { width: 48px; height: 48px; border-radius: 4px; }
`;

function ensureStyle() {
  if (document.getElementById("nnviz-picker-style")) return;
  const style = document.createElement("style");
  style.id = "nnviz-picker-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

function thumbnail(canvas, item) {
  // item.points: [x, y, colour index] triples, x and y in 0..255 across the plane
  const dpr = window.devicePixelRatio || 1, size = 48;
  canvas.width = canvas.height = size * dpr;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = item.background;
  ctx.fillRect(0, 0, size, size);
  const p = item.points;
  for (let k = 0; k + 2 < p.length; k += 3) {
    ctx.fillStyle = item.colors[p[k + 2]];
    ctx.beginPath();
    ctx.arc(2 + p[k] / 255 * (size - 4), size - 2 - p[k + 1] / 255 * (size - 4), 1.6, 0, 2 * Math.PI);
    ctx.fill();
  }
}

export function render({data, parentElement, setTriggerValue}) {
  if (!data) return;
  ensureStyle();
  let grid = parentElement.querySelector(".nnviz-picker");
  const sig = data.items.map((i) => i.name).join("|");
  if (!grid || grid.dataset.sig !== sig) {
    if (grid) grid.remove();
    grid = document.createElement("div");
    grid.className = "nnviz-picker";
    grid.setAttribute("role", "group");
    grid.setAttribute("aria-label", "Datasets on a plane");
    grid.dataset.sig = sig;
    for (const item of data.items) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "nnviz-pick";
      b.dataset.name = item.name;
      b.title = item.description;
      b.setAttribute("aria-label", `${item.name}: ${item.description}`);
      thumbnail(b.appendChild(document.createElement("canvas")), item);
      b.appendChild(document.createElement("span")).textContent = item.name;
      b.addEventListener("click", () => setTriggerValue("pick", item.name));
      grid.appendChild(b);
    }
    grid.addEventListener("keydown", (ev) => {
      const buttons = [...grid.querySelectorAll("button")];
      const i = buttons.indexOf(document.activeElement);
      const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[ev.key];
      if (i < 0 || !step) return;
      ev.preventDefault();
      buttons[(i + step + buttons.length) % buttons.length].focus();
    });
    parentElement.appendChild(grid);
  }
  for (const b of grid.querySelectorAll("button")) {
    b.setAttribute("aria-pressed", String(b.dataset.name === data.current));
  }
}
