// When a card opens and closes: Page Previews' state machine, apart from any DOM so it can be tested with fake
// timers. What opened a card decides what closes it: one opened by hovering closes when the pointer leaves,
// wherever focus is; one opened by focus closes on blur or Escape, whatever the pointer does.
import { PREVIEW } from "../timing.js";

// view: { load(mark) -> Promise<state> (never rejects), show(mark, state, anchor, by), hide() }
// timers: { setTimeout, clearTimeout }: the window's, or fake ones.
export function createPreview(view, timers) {
  let hovered = null; // the mark the pointer dwells on, before its card shows
  let open = null;
  let openedBy = null; // "pointer" or "focus"
  let token = 0; // lets a late answer for a mark already left be dropped
  let dwell = [];
  let abandonTimer = 0;

  function cancel() {
    dwell.forEach((id) => timers.clearTimeout(id));
    dwell = [];
    timers.clearTimeout(abandonTimer);
  }

  function show(mark, state, anchor, by) {
    open = mark;
    openedBy = by;
    view.show(mark, state, anchor, by);
  }

  function close() {
    cancel();
    token++;
    hovered = null;
    if (!open) return;
    open = null;
    openedBy = null;
    view.hide();
  }

  function abandon() {
    timers.clearTimeout(abandonTimer);
    abandonTimer = timers.setTimeout(close, PREVIEW.ABANDON_DELAY);
  }

  // The pointer is on `mark` (at `anchor`, the line box it is on), or on nothing of ours (null).
  function pointerAt(mark, anchor) {
    if (mark && mark === open) { timers.clearTimeout(abandonTimer); return; }
    if (mark === hovered) return;
    if (mark) {
      cancel();
      const mine = ++token;
      hovered = mark;
      let ready = null;
      dwell.push(timers.setTimeout(() => { ready = view.load(mark); }, PREVIEW.FETCH_START_DELAY));
      dwell.push(timers.setTimeout(async () => {
        const state = await (ready || view.load(mark));
        if (mine === token) show(mark, state, anchor, "pointer");
      }, PREVIEW.PREVIEW_DELAY));
    } else if (open && openedBy === "pointer") {
      hovered = null;
      abandon();
    } else if (hovered) {
      cancel();
      token++;
      hovered = null;
    }
  }

  // Keyboard focus is a deliberate act: no dwell, the card opens at once (in state `now`) and, when `fetch`, fills
  // in once its data arrives.
  function focus(mark, anchor, now, fetch) {
    cancel();
    const mine = ++token;
    hovered = null;
    show(mark, now, anchor, "focus");
    if (fetch) view.load(mark).then((state) => { if (mine === token) show(mark, state, anchor, "focus"); });
  }

  return {
    pointerAt,
    focus,
    close,
    // A card shown directly (a looked-up selection) belongs to focus: it closes on blur or Escape.
    showFocused: (mark, state, anchor) => { close(); show(mark, state, anchor, "focus"); },
    blur: (mark) => { if (open === mark && openedBy === "focus") close(); },
    cardEnter: () => timers.clearTimeout(abandonTimer),
    cardLeave: () => { if (openedBy === "pointer") abandon(); },
    // Focus moved into a hovered card ("Read more") makes it the reader's: it now stays until blur or Escape.
    cardFocused: () => { openedBy = "focus"; timers.clearTimeout(abandonTimer); },
    get open() { return open; },
    get openedBy() { return openedBy; },
  };
}
