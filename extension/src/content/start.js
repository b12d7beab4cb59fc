// The keyboard reader's way in: the marks' buttons come last in the tab order (after the page's own links, so
// they never stand between a reader and the site), which on a news page is a hundred Tabs or more away. This
// control comes first instead, and the Tab after it (or Enter) lands on the first mark: two Tabs from the top of
// the page. Shift+Tab from there goes back the page's own way. It also tells screen-reader users, once per
// analysis, what was marked.
import { adoptStyles } from "../render/styles.js";
import { ANNOUNCE_DELAY_MS } from "../timing.js";

// A skip link: invisible until focused, then at the top left of the window, above the page.
const CSS = `
:host { all: initial; position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483647; }
button, .status { position: fixed; top: 8px; left: 8px; width: 1px; height: 1px; margin: 0; padding: 0; border: 0;
  overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
button:focus { width: auto; height: auto; padding: 8px 12px; clip-path: none; border-radius: 6px;
  background: #ffffff; color: #202122; border: 1px solid #a2a9b1; box-shadow: 0 2px 8px rgba(0, 0, 0, .2);
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; outline: 3px solid #1a73e8; outline-offset: 2px; }
@media (prefers-color-scheme: dark) { button:focus { background: #202124; color: #e8eaed; border-color: #5f6368; } }
`;

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// createStart(document, { goToFirst() }) -> { show({entities, terms}), remove() }
export function createStart(doc, { goToFirst }) {
  let host = null;
  let button = null;
  let status = null;
  let said = "";
  let timer = 0;

  function ensure() {
    if (host?.isConnected) return;
    host = doc.createElement("reader-context-start");
    const root = host.attachShadow({ mode: "open" });
    adoptStyles(root, CSS);
    button = doc.createElement("button");
    button.type = "button";
    button.addEventListener("click", goToFirst);
    button.addEventListener("keydown", (event) => {
      if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault(); // the next stop in the document's order is the page's first link, not our marks
      goToFirst();
    });
    status = doc.createElement("div");
    status.className = "status";
    status.setAttribute("role", "status");
    root.append(button, status);
    // Before <body>: first in the tab order, and outside the page's text and layout.
    doc.documentElement.insertBefore(host, doc.body);
    said = "";
  }

  function show({ entities, terms }) {
    ensure();
    const what = `${count(entities, "name", "names")}, ${count(terms, "loaded term", "loaded terms")}`;
    button.hidden = entities + terms === 0;
    button.textContent = `Reader Context: ${what} \u2014 Tab or Enter goes to the first mark`;
    const sentence = `Reader Context marked ${what}.`;
    if (sentence === said) return; // a redraw of the same marks is not news
    said = sentence;
    clearTimeout(timer);
    timer = setTimeout(() => { status.textContent = sentence; }, ANNOUNCE_DELAY_MS);
  }

  function remove() {
    clearTimeout(timer);
    host?.remove();
    host = null;
  }

  return { show, remove };
}
