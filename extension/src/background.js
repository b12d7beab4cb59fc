// The background worker: the only part that talks to the backend. Content scripts cannot do it reliably:
// the page's CSP and CORS apply to them, and Chrome asks the reader before a public page reaches a local address.
import { loadApiKey, loadSettings, originPattern } from "./settings.js";
import { ANALYZE_TIMEOUT_MS, CARDS_TIMEOUT_MS } from "./timing.js";
import { MSG, askTab, listen } from "./messages.js";

class BackendError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

async function callBackend(path, init, timeout) {
  const { backendUrl } = await loadSettings();
  const apiKey = await loadApiKey();
  const base = backendUrl.replace(/\/+$/, "");
  // The key goes only to the server the reader set, and only as a header (never in a URL).
  const headers = { ...(init.headers || {}), ...(apiKey ? { "X-API-Key": apiKey } : {}) };
  let response;
  try {
    response = await fetch(base + path, { ...init, headers, signal: AbortSignal.timeout(timeout), credentials: "omit" });
  } catch (error) {
    if (error.name === "TimeoutError") {
      throw new BackendError("timeout", `The Reader Context server at ${base} did not answer within ${timeout / 1000} s.`);
    }
    throw new BackendError("not_running", `The Reader Context server is not running at ${base}. ` +
      "Start it with `make run` in the reader-context folder (or `reader-context serve`).");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const code = body?.error?.code || "http_" + response.status;
    const hint = code.startsWith("api_key_") ? " Set the server's API key in Reader Context's options." : "";
    throw new BackendError(code, (body?.error?.message || response.statusText) + hint);
  }
  return body;
}

listen({
  // From the content script: only the article's blocks (id, text and what kind of block) leave the page.
  [MSG.ANALYZE]: ({ blocks }) => callBackend("/api/v1/analyze", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ blocks: blocks.map(({ id, text, kind }) => (kind ? { id, text, kind } : { id, text })) }),
  }, ANALYZE_TIMEOUT_MS),
  [MSG.CARDS]: ({ ids }) => callBackend("/api/v1/cards?" + ids.map((id) => "id=" + encodeURIComponent(id)).join("&"),
    {}, CARDS_TIMEOUT_MS),
  // From the content script, for "Look up selection": only the selected words.
  [MSG.LOOKUP]: ({ q }) => callBackend("/api/v1/cards/lookup?q=" + encodeURIComponent(q), {}, CARDS_TIMEOUT_MS),
  [MSG.HEALTH]: () => callBackend("/api/v1/health", {}, CARDS_TIMEOUT_MS),
  // From the popup, after the reader clicked "Analyse this page".
  [MSG.ANALYZE_TAB]: ({ tabId }) => analyzeTab(tabId),
  // From the content script, after each analysis: the toolbar badge shows how many loaded terms it marked.
  [MSG.REPORT_STATUS]: ({ status }, sender) => showBadge(sender.tab?.id, status),
});

async function analyzeTab(tabId) {
  await chrome.scripting.executeScript({ target: { tabId }, files: ["content.js"] });
  return askTab(tabId, { type: MSG.RUN });
}

function showBadge(tabId, status) {
  if (tabId == null) return;
  const text = status.state === "error" ? "!" : status.state === "ready" ? String(status.terms) : "";
  chrome.action.setBadgeText({ tabId, text });
  chrome.action.setBadgeBackgroundColor({ tabId, color: status.state === "error" ? "#b00020" : "#b34700" });
}

// Automatic mode: pages of sites the reader allowed (and granted the permission for) are analysed on load.
chrome.tabs.onUpdated.addListener(async (tabId, change, tab) => {
  if (change.status !== "complete" || !tab.url || !/^https?:/.test(tab.url)) return;
  const { enabled, sites } = await loadSettings();
  const origin = new URL(tab.url).origin;
  if (!enabled || !sites.includes(origin)) return;
  if (!(await chrome.permissions.contains({ origins: [originPattern(origin)] }))) return;
  analyzeTab(tabId).catch(() => {}); // the content script reports its own failure through the badge
});

// "Look up selection", from the context menu or its shortcut: both count as the reader's click for activeTab.
async function lookUpTab(tabId) {
  await chrome.scripting.executeScript({ target: { tabId }, files: ["content.js"] });
  return askTab(tabId, { type: MSG.LOOK_UP_SELECTION });
}

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: "look-up", title: "Look up \u201c%s\u201d in Reader Context", contexts: ["selection"] });
});
chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === "look-up" && tab?.id) lookUpTab(tab.id).catch(() => {});
});

// The keyboard shortcut that brings keyboard focus to the page's first mark.
async function focusMarks(tabId) {
  const revealed = await askTab(tabId, { type: MSG.REVEAL, index: 0 }).catch(() => false);
  if (revealed) return;
  await analyzeTab(tabId); // the shortcut counts as the reader's click: analyse, then go to the first mark
  await askTab(tabId, { type: MSG.REVEAL, index: 0 });
}

chrome.commands.onCommand.addListener((command, tab) => {
  if (!tab?.id) return;
  if (command === "focus-marks") focusMarks(tab.id).catch(() => {});
  if (command === "look-up-selection") lookUpTab(tab.id).catch(() => {});
});
