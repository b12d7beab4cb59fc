// Reader Context marks: draws the backend's mentions and loaded terms over live text and shows their cards.
// One source, two hosts: the extension's content script bundles it, and the demo page imports it as it is.
// This module ties the parts together: offsets.js places marks, highlights.js paints them, preview.js decides when
// a card shows, card.js says what it says, surface.js holds it, input.js follows the pointer and keys, and
// pending.js brings the cards that came late.
import { placeAll } from "./offsets.js";
import { createHighlights, rangeOf } from "./highlights.js";
import { createPreview } from "./preview.js";
import { fillCard, label, termDetail } from "./card.js";
import { createPendingCards } from "./pending.js";
import { createSurface } from "./surface.js";
import { createInput } from "./input.js";

// createMarks(document, { fetchCards(ids) -> Promise<{cards, pending}>, wrap, timers }) -> the renderer of one
// document. `wrap: true` forces the fallback, which is what browsers without CSS.highlights get; `timers`
// ({setTimeout, clearTimeout}) are the window's unless a test brings a fake clock.
export function createMarks(doc, { fetchCards = async () => ({ cards: {}, pending: [] }), wrap, timers = doc.defaultView } = {}) {
  const paint = createHighlights(doc, { wrap });
  const kinds = { entity: true, term: true };
  const cards = {};
  let marks = [];
  let last = null; // [blocks, analysis]: what render() last drew, kept to redraw on setKinds()
  let shown = null; // [mark, anchor] of the card on screen, to refill it when its late card arrives

  const preview = createPreview({ load, show, hide }, timers);
  const surface = createSurface(doc, preview);
  const input = createInput(doc, { preview, paint, surface, hasMarks: () => marks.length > 0,
    moved: (rect) => { surface.place(rect); if (shown) shown[1] = rect; } });
  const late = createPendingCards({ fetchCards, onCard: arrived, timers });

  function render(blocks, analysis) {
    clearDrawing();
    last = [blocks, analysis];
    Object.assign(cards, analysis.cards);
    const waiting = analysis.mentions.filter((m) => m.pending).map((m) => m.pending);
    late.watch(waiting);
    surface.ensure(input);
    const wanted = [];
    if (kinds.entity) for (const m of analysis.mentions) wanted.push(entityMark(m));
    if (kinds.term) for (const t of analysis.terms) wanted.push({ kind: "term", style: t.attributed ? "quoted" : "term", item: t });
    marks = paint.draw(placeAll(blocks, wanted.filter((m) => m.kind === "term" || m.card || m.pending)));
    const fragment = doc.createDocumentFragment();
    marks.forEach((mark, index) => {
      mark.index = index;
      mark.proxy = surface.proxy(label(mark, cards));
      mark.proxy.addEventListener("focus", () => { if (!input.quiet) openByFocus(mark); });
      mark.proxy.addEventListener("blur", (e) => { if (!surface.isOurs(e.relatedTarget)) preview.blur(mark); });
      fragment.append(mark.proxy);
    });
    surface.addProxies(fragment);
    return summary();
  }

  // A name's mark: its card, or while Wikipedia's is on its way the pending id (and the article's card, if any).
  function entityMark(m) {
    const state = m.pending ? late.state(m.pending) : "none";
    if (state === "ready") return { kind: "entity", style: "entity", item: m, card: m.pending };
    const pending = state === "waiting" ? m.pending : null;
    return { kind: "entity", style: pending ? "pending" : "entity", item: m, card: m.card, pending };
  }

  // A late card (or the news that there is none) for every mark that waited on `id`.
  function arrived(id, found) {
    if (found) cards[id] = found;
    for (const mark of marks.filter((m) => m.pending === id)) {
      mark.pending = null;
      if (found) mark.card = id;
      paint.restyle(mark, mark.card ? "entity" : null);
      if (mark.card) mark.proxy.setAttribute("aria-label", label(mark, cards));
      else { mark.proxy.remove(); mark.proxy = null; } // no card after all: no longer a mark
      if (shown?.[0] === mark) surface.show((card) => fillCard(card, mark, mark.card ? "ready" : "unknown", cards), shown[1], true);
    }
  }

  function clearDrawing() {
    preview.close();
    for (const mark of marks) mark.proxy?.remove();
    marks = [];
    paint.erase();
  }

  // Removes every trace: marks, the card, our host element and our style sheet; and stops asking for late cards.
  function clear() {
    clearDrawing();
    late.clear();
    last = null;
    surface.remove();
  }

  function setKinds(next) {
    Object.assign(kinds, next);
    return last ? render(...last) : summary();
  }

  function summary() {
    const on = marks.filter((m) => m.proxy);
    const terms = on.filter((m) => m.kind === "term");
    return { entities: on.length - terms.length, terms: terms.length,
      termList: terms.map((m) => ({ index: m.index, text: m.item.text, detail: termDetail(m.item) })) };
  }

  // The preview's view. load(mark) resolves once the mark's card is known, or known to be still on its way.
  function load(mark) {
    if (mark.kind === "term" || (!mark.pending && cards[mark.card])) return Promise.resolve("ready");
    if (!mark.pending) return Promise.resolve("missing");
    return late.load(mark.pending).then(() => (mark.pending ? "loading" : mark.card ? "ready" : "unknown"));
  }

  function show(mark, state, anchor) {
    paint.setActive(mark);
    const at = anchor || rangeOf(mark).getClientRects()[0] || rangeOf(mark).getBoundingClientRect();
    surface.show((card) => fillCard(card, mark, state, cards), at, shown?.[0] === mark);
    shown = [mark, at];
  }

  function hide() {
    paint.setActive(null);
    surface.hide();
    shown = null;
  }

  function openByFocus(mark) {
    const range = rangeOf(mark);
    let rect = range.getClientRects()[0];
    if (!rect || rect.top < 0 || rect.bottom > doc.documentElement.clientHeight) {
      range.startContainer.parentElement?.scrollIntoView({ block: "center", behavior: "instant" });
      rect = range.getClientRects()[0];
    }
    surface.placeProxy(mark.proxy, rect);
    surface.cardAfter(mark.proxy);
    const ready = mark.kind === "term" || (!mark.pending && cards[mark.card]);
    preview.focus(mark, rect, ready ? "ready" : mark.pending ? "loading" : "missing", !!mark.pending);
  }

  // Scrolls to a mark (the first one still a mark from `index` on) and opens its card as a keyboard reader would.
  function reveal(index) {
    marks.slice(index).find((m) => m.proxy)?.proxy.focus({ preventScroll: true });
  }

  // Shows `found` (a card, or null when the backend knows none) for the words the reader selected, at the selection
  // (GET /cards/lookup). Focus goes into the card so a screen reader reads it; it closes on Escape or when focus
  // leaves. `failed`: the backend could not be asked, which is not the same as knowing no card.
  function lookUp(range, text, found, failed = false) {
    surface.ensure(input);
    if (found) cards[found.id] = found;
    const { startContainer, startOffset, endContainer, endOffset } = range; // the selection may change; we may not
    const mark = { kind: "entity", item: { text }, card: found?.id,
      range: { startContainer, startOffset, endContainer, endOffset } };
    preview.showFocused(mark, found ? "ready" : failed ? "missing" : "unknown",
      range.getClientRects()[0] || range.getBoundingClientRect());
    surface.focusCard();
  }

  // `wraps`: the fallback is drawn into the page's own text nodes, so a host must clear() it before reading them.
  return { render, clear, setKinds, reveal, lookUp, summary, wraps: paint.wraps };
}
