// The inline code of every nnviz element (nnviz/ui/player.py puts the URL of the
// element's own module, with its version, in place of MODULE_URL): it imports that
// module once per page, then hands it every render.
const url = new URL(MODULE_URL, document.baseURI).href;

export default function (component) {
  const cache = (window.__nnvizModules = window.__nnvizModules || {});
  cache[url] = cache[url] || import(url);
  return cache[url].then((m) => m.render(component));
}
