// Every delay and time limit of the extension, with the reason for its value.

// Page Previews' timing contract (mediawiki-extensions-Popups), which readers already know from Wikipedia.
export const PREVIEW = Object.freeze({
  // A pointer merely crossing a mark on its way elsewhere must cost nothing: wait this long before fetching.
  FETCH_START_DELAY: 150,
  // Total dwell before the card shows: long enough to be intended, short enough to feel immediate.
  PREVIEW_DELAY: 500,
  // Grace for the pointer to travel from the mark into the card (to click "Read more") before the card closes.
  ABANDON_DELAY: 300,
});

// Late cards: Wikipedia answered after /analyze's deadline (1.5 s by default). The server's calls time out after
// 2.5 s, a few at a time, so even a queue of names is done well within half a minute; asking every 2 s shows a late
// card soon after it lands, at one small read per page, and only while some still wait. Hovering asks at once.
export const POLL = Object.freeze({ INTERVAL: 2000, LIMIT: 30000 });

// Pages that stream in their text or re-render often would otherwise re-extract on every tick of a ticker.
export const REAPPLY_DELAY_MS = 400;

// Live regions announce changes, not content present when they are inserted: the text is set once it is in place.
export const ANNOUNCE_DELAY_MS = 100;

// A long article on a cold server takes a few seconds; beyond this, the reader is told rather than left waiting.
export const ANALYZE_TIMEOUT_MS = 20000;

// A card or a look-up is one store read (or one Wikipedia call): slower than this means the server is in trouble.
export const CARDS_TIMEOUT_MS = 8000;
