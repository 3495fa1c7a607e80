// The "Copy link" button: the page's address (which the app keeps equal to the run's
// settings) to the clipboard, with a fallback where the Clipboard API is off (plain
// http on a shared server), and a word on the button when it is done.

const CSS = `.nnviz-copy { width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem; cursor: pointer;
              font-family: var(--st-font, sans-serif); font-size: 1rem;
              color: var(--st-text-color, inherit);
              background: var(--st-background-color, transparent);
              border: 1px solid var(--st-border-color, rgba(128, 128, 128, 0.4));
              border-radius: var(--st-button-radius, 0.5rem); }
.nnviz-copy::before { content: ""; display: inline-block; width: 1.1em; height: 1.1em;
                      margin-right: 0.4em; vertical-align: -0.2em; background: currentColor;
                      -webkit-mask: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 -960 960 960'><path d='M440-280H280q-83 0-141.5-58.5T80-480q0-83 58.5-141.5T280-680h160v80H280q-50 0-85 35t-35 85q0 50 35 85t85 35h160v80ZM320-440v-80h320v80H320Zm200 160v-80h160q50 0 85-35t35-85q0-50-35-85t-85-35H520v-80h160q83 0 141.5 58.5T880-480q0 83-58.5 141.5T680-280H520Z'/></svg>") center / contain no-repeat;
                      mask: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 -960 960 960'><path d='M440-280H280q-83 0-141.5-58.5T80-480q0-83 58.5-141.5T280-680h160v80H280q-50 0-85 35t-35 85q0 50 35 85t85 35h160v80ZM320-440v-80h320v80H320Zm200 160v-80h160q50 0 85-35t35-85q0-50-35-85t-85-35H520v-80h160q83 0 141.5 58.5T880-480q0 83-58.5 141.5T680-280H520Z'/></svg>") center / contain no-repeat; }
.nnviz-copy:hover { border-color: var(--st-primary-color, currentColor);
                    color: var(--st-primary-color, inherit); }
.nnviz-copy[data-copied="yes"] { border-color: var(--st-green-color, green);
                                 color: var(--st-green-color, green); }`;

function ensureStyle() {
  if (document.getElementById("nnviz-copy-style")) return;
  const style = document.createElement("style");
  style.id = "nnviz-copy-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (err) {
    const area = document.createElement("textarea");
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try { copied = document.execCommand("copy"); } catch (err2) { copied = false; }
    area.remove();
    return copied;
  }
}

export function render({data, parentElement}) {
  ensureStyle();
  let button = parentElement.querySelector("button.nnviz-copy");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "nnviz-copy";
    parentElement.appendChild(button);
    button.addEventListener("click", async () => {
      const copied = await copy(window.location.href);
      button.dataset.copied = copied ? "yes" : "no";
      button.textContent = copied ? "Copied: paste it anywhere" : "Could not copy: use the box below";
      clearTimeout(button.timer);
      button.timer = setTimeout(() => {
        button.textContent = button.dataset.label;
        delete button.dataset.copied;
      }, 2500);
    });
  }
  button.dataset.label = (data && data.label) || "Copy link";
  if (!button.dataset.copied) button.textContent = button.dataset.label;
}
