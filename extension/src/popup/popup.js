// The toolbar popup. It works on the active tab, or on the tab named by ?tab=ID when opened as a page
// (the e2e tests do that, and it is handy when debugging a page).
import { loadSettings, saveSettings, originPattern } from "../settings.js";
import { MSG, ask, askTab } from "../messages.js";

const $ = (id) => document.getElementById(id);
const param = Number(new URLSearchParams(location.search).get("tab"));
const tab = param ? await chrome.tabs.get(param) : (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
const origin = /^https?:/.test(tab?.url || "") ? new URL(tab.url).origin : null;
let settings = await loadSettings();

function say(text, error = false) {
  $("state").textContent = text;
  $("state").classList.toggle("error", error);
}

function show(status) {
  $("result").hidden = status?.state !== "ready";
  switch (status?.state) {
    case "ready": break;
    case "analysing": say("Analysing\u2026"); return;
    case "error": say(status.message, true); return;
    case "empty": say("No article text was found on this page."); return;
    case "off": say("Reader Context is off everywhere. Turn it on in Options."); return;
    case "cleared": say("Marks removed."); return;
    default: say(origin ? "This page has not been analysed." : "Reader Context works on web pages only."); return;
  }
  say(`Analysed ${status.words.toLocaleString("en")} words.`);
  $("entities").textContent = status.entities;
  $("terms").textContent = status.terms;
  $("profile").textContent = `Author's voice: ${Math.round(status.author)} loaded terms per 1,000 words; quotes: ${status.quotes}.`;
  $("list").replaceChildren(...status.termList.map((term) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.append(term.text + " ");
    const detail = document.createElement("span");
    detail.className = "category";
    detail.textContent = term.detail;
    button.append(detail);
    button.addEventListener("click", () => askTab(tab.id, { type: MSG.REVEAL, index: term.index }));
    item.append(button);
    return item;
  }));
}

async function analyze() {
  $("analyze").disabled = true;
  say("Analysing\u2026");
  const status = await ask({ type: MSG.ANALYZE_TAB, tabId: tab.id })
    .catch((error) => ({ state: "error", message: error.message }));
  $("analyze").disabled = false;
  show(status);
}

$("analyze").disabled = !origin;
$("analyze").addEventListener("click", analyze);
$("clear").addEventListener("click", async () => show(await askTab(tab.id, { type: MSG.CLEAR })));
for (const kind of ["entity", "term"]) {
  $("kind-" + kind).checked = settings.kinds[kind];
  $("kind-" + kind).addEventListener("change", async (event) => {
    settings.kinds = { ...settings.kinds, [kind]: event.target.checked };
    await saveSettings({ kinds: settings.kinds });
    show(await askTab(tab.id, { type: MSG.KINDS, kinds: settings.kinds }).catch(() => null));
  });
}

// Allowing a site asks for its permission now, while the reader's click still counts as consent.
$("auto").disabled = !origin;
$("auto").checked = !!origin && settings.sites.includes(origin);
$("auto").addEventListener("change", async (event) => {
  const sites = settings.sites.filter((site) => site !== origin);
  if (event.target.checked) {
    if (!(await chrome.permissions.request({ origins: [originPattern(origin)] }))) { event.target.checked = false; return; }
    sites.push(origin);
  }
  settings.sites = sites;
  await saveSettings({ sites });
});

// The content script is there only once the page was analysed; until then there is nothing to ask.
show(await askTab(tab.id, { type: MSG.GET_STATUS }).catch(() => null));
