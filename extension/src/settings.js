// The reader's settings, in storage.sync so they follow the reader across their browsers; the API key alone stays
// in storage.local: a secret should not travel with the browser account, and content scripts never read it.
export const DEFAULTS = Object.freeze({
  backendUrl: "http://127.0.0.1:5000",
  sites: [], // origins the reader allowed to be analysed automatically, e.g. "https://www.example.org"
  kinds: { entity: true, term: true },
  density: "section", // which mentions of a name are marked: the first per "section", per "article", or "every"
  enabled: true, // false: "off everywhere", no automatic analysis and no marks
});

export async function loadSettings() {
  return { ...DEFAULTS, ...(await chrome.storage.sync.get(Object.keys(DEFAULTS))) };
}

export function saveSettings(changes) {
  return chrome.storage.sync.set(changes);
}

// Sent as X-API-Key when the server sets READER_CONTEXT_API_KEY; empty: none sent. Versions up to 0.1 kept it in
// storage.sync: it is moved once (a key set since on this browser wins) and removed from the account.
export async function loadApiKey() {
  const { apiKey: synced } = await chrome.storage.sync.get("apiKey");
  if (synced !== undefined) {
    const { apiKey: local } = await chrome.storage.local.get("apiKey");
    await chrome.storage.local.set({ apiKey: local || synced });
    await chrome.storage.sync.remove("apiKey");
  }
  return (await chrome.storage.local.get("apiKey")).apiKey || "";
}

export const saveApiKey = (apiKey) => chrome.storage.local.set({ apiKey });

// The permission pattern for an origin: match patterns carry no port, so this covers the origin's every port.
export const originPattern = (origin) => `${new URL(origin).protocol}//${new URL(origin).hostname}/*`;
