// The reader's settings, in storage.sync so they follow the reader across their browsers.
export const DEFAULTS = Object.freeze({
  backendUrl: "http://127.0.0.1:5000",
  sites: [], // origins the reader allowed to be analysed automatically, e.g. "https://www.example.org"
  kinds: { entity: true, term: true },
  density: "section", // which mentions of a name are marked: the first per "section", per "article", or "every"
  enabled: true, // false: "off everywhere", no automatic analysis and no marks
  apiKey: "", // sent as X-API-Key when the server sets READER_CONTEXT_API_KEY; empty: none sent
});

export async function loadSettings() {
  return { ...DEFAULTS, ...(await chrome.storage.sync.get(Object.keys(DEFAULTS))) };
}

export function saveSettings(changes) {
  return chrome.storage.sync.set(changes);
}

// The permission pattern for an origin: match patterns carry no port, so this covers the origin's every port.
export const originPattern = (origin) => `${new URL(origin).protocol}//${new URL(origin).hostname}/*`;
