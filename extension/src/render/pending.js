// Late cards: names the server could not finish within /analyze's deadline come with a pending id, and their cards
// from GET /cards once Wikipedia has answered. They are asked for at once when the reader wants one (hover, focus)
// and otherwise by a short poll that stops when none wait or after POLL.LIMIT, so a page left open costs nothing.
import { POLL } from "../timing.js";

// A GET /cards URL carries every id; gunicorn refuses request lines over 4 KiB, which ~100 pending ids reach.
const IDS_PER_REQUEST = 40;

// fetchCards(ids) -> Promise<{cards, pending}> (may reject); onCard(id, card or null when there is none after all);
// timers: { setTimeout, clearTimeout }, the window's or fake ones.
export function createPendingCards({ fetchCards, onCard, timers, interval = POLL.INTERVAL, limit = POLL.LIMIT }) {
  const waiting = new Set();
  const asking = new Map(); // id -> the promise of the request that asks for it, so an id is asked once at a time
  const settled = new Map(); // id -> its card, or null when there is none
  let timer = 0;
  let elapsed = 0; // since the last watch(), counted in intervals: the poll gives up at `limit`

  // Asks for `ids` (those not already being asked) and settles each: a card, still waiting, or none.
  function ask(ids) {
    const fresh = ids.filter((id) => waiting.has(id) && !asking.has(id));
    for (let i = 0; i < fresh.length; i += IDS_PER_REQUEST) {
      const batch = fresh.slice(i, i + IDS_PER_REQUEST);
      const request = fetchCards(batch).then((res) => {
        const still = new Set(res?.pending || []);
        for (const id of batch) {
          if (!waiting.has(id)) continue; // forgotten meanwhile (the marks were cleared)
          const card = res?.cards?.[id];
          if (card || !still.has(id)) {
            waiting.delete(id);
            settled.set(id, card || null);
            onCard(id, card || null);
          }
        }
      }, () => {}) // the server did not answer: the ids still wait, and the next poll or hover asks again
        .finally(() => batch.forEach((id) => asking.delete(id)));
      batch.forEach((id) => asking.set(id, request));
    }
    return Promise.all(ids.map((id) => asking.get(id)));
  }

  const state = (id) => (waiting.has(id) ? "waiting" : settled.get(id) ? "ready" : "gone");

  function schedule() {
    timers.clearTimeout(timer);
    timer = 0;
    if (!waiting.size || elapsed >= limit) return;
    timer = timers.setTimeout(async () => {
      timer = 0;
      elapsed += interval;
      await ask([...waiting]);
      schedule();
    }, interval);
  }

  return {
    // Pending ids to fetch: when any is new, the poll (re)starts and runs for `limit` from now.
    watch(ids) {
      const before = waiting.size;
      for (const id of ids) if (!settled.has(id)) waiting.add(id);
      if (waiting.size === before) return;
      elapsed = 0;
      schedule();
    },
    // "waiting", "ready" (onCard has had its card) or "gone" (there is none, or the id was never watched).
    state,
    // The reader wants this one now: asks at once and resolves its state after; never rejects.
    load: (id) => (waiting.has(id) ? ask([id]).then(() => state(id)) : Promise.resolve(state(id))),
    // Forget every id: the marks they were for are gone.
    clear() {
      waiting.clear();
      settled.clear();
      timers.clearTimeout(timer);
      timer = 0;
    },
  };
}
