// The messages between the extension's parts, and the one shape of every reply to them:
// {ok: true, result} or {ok: false, error: {code, message}}.
export const MSG = Object.freeze({
  // To the background worker, the only part that talks to the backend.
  ANALYZE: "analyze", // content script: the article's blocks
  CARDS: "cards", // content script: cards not sent with the analysis
  LOOKUP: "lookup", // content script: the words the reader selected
  HEALTH: "health", // options page: is the server there
  ANALYZE_TAB: "analyze-tab", // popup: the reader clicked "Analyse this page"
  REPORT_STATUS: "report-status", // content script, after each analysis: for the toolbar badge
  // To the content script of a tab.
  RUN: "run", // analyse the page (again)
  GET_STATUS: "get-status",
  CLEAR: "clear", // remove every mark
  KINDS: "kinds", // show or hide a kind of mark
  REVEAL: "reveal", // focus the n-th mark
  LOOK_UP_SELECTION: "look-up-selection", // show the card for the selected words
});

// Answers messages whose type has a handler; a handler returns its result (or a promise) or throws.
export function listen(handlers) {
  chrome.runtime.onMessage.addListener((message, sender, reply) => {
    const handler = handlers[message?.type];
    if (!handler) return false;
    Promise.resolve().then(() => handler(message, sender)).then(
      (result) => reply({ ok: true, result }),
      (error) => reply({ ok: false, error: { code: error.code || "failed", message: error.message } }),
    );
    return true; // the reply comes asynchronously
  });
}

export function unwrap(reply) {
  if (!reply?.ok) throw Object.assign(new Error(reply?.error?.message || "No answer"), { code: reply?.error?.code });
  return reply.result;
}

// Sends to the background worker, or to a tab's content script, and returns the result (or throws its error).
export const ask = async (message) => unwrap(await chrome.runtime.sendMessage(message));
export const askTab = async (tabId, message) => unwrap(await chrome.tabs.sendMessage(tabId, message));
