// Reader Context marks: draws the backend's mentions and loaded terms over live text and shows their cards.
// One source, two hosts: the extension's content script bundles it, and so does the demo page served by the
// backend (server/reader_context/web/static/marks.js, made by extension/scripts/demo.mjs).
//
// Rules this module keeps:
// - The page's text is never changed. The CSS Custom Highlight API paints marks without touching the DOM; where it
//   is missing, text is wrapped in inert <reader-context-mark> elements and unwrapped exactly on clear().
// - Every string from the server is inserted with textContent; nothing remote is ever parsed as HTML.
// - Keyboard and screen-reader users get one visually hidden button per mark (in our shadow root, in reading
//   order), labelled with the mark's text and its card's description; focusing one opens the card.

import { mapBlock, unitIndex } from "./offsets.js";
import { CARD_CSS, PAGE_CSS, adoptStyles } from "./styles.js";
import { createHighlights, rangeOf } from "./highlights.js";
import { createPreview } from "./preview.js";

// The demo page bundles this module alone: what it needs of the others goes out from here.
export { adoptStyles, mapBlock };

const HOST_TAG = "reader-context-marks";

const KIND_LABEL = { person: "Person", place: "Place", organization: "Organisation", event: "Event", work: "Work",
  concept: "Concept", other: "Name" };

function el(doc, tag, cls, text) {
  const node = doc.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  return node;
}

const httpUrl = (url) => typeof url === "string" && /^https?:\/\//i.test(url);
// The first n sentences; a full stop after a capital ("U.S.") does not end one.
function firstSentences(text, n) {
  const ends = [...text.matchAll(/[\p{Ll}\d)"'\u201d\u2019][.!?]+(?=\s+[\p{Lu}"'\u201c\u2018(]|\s*$)/gu)];
  return ends.length > n ? text.slice(0, ends[n - 1].index + ends[n - 1][0].length) : text;
}
const category = (term) => term.category.replace(/_/g, " ");

// createMarks(document, { fetchCards(ids) -> Promise<{cards}>, wrap }) -> the renderer of one document.
// `wrap: true` forces the fallback, which is what browsers without CSS.highlights get.
export function createMarks(doc, { fetchCards = async () => ({ cards: {} }), wrap } = {}) {
  const win = doc.defaultView;
  const paint = createHighlights(doc, { wrap });
  const kinds = { entity: true, term: true };
  let marks = [];
  let last = null; // [blocks, analysis]: what render() last drew, kept to redraw on setKinds()
  let cards = {};
  let pending = new Set();
  const loading = new Map(); // card id -> promise, so a card is fetched once however many marks point at it

  let host = null;
  let root = null;
  let card = null;
  let removePageStyles = null;

  const preview = createPreview({ load: loadCard, show, hide }, win);
  let frame = 0;
  let pointer = null;
  let quiet = false; // set while focus is moved back to a mark by Escape, which must not reopen its card

  function ensureHost() {
    if (host?.isConnected) return;
    host = el(doc, HOST_TAG);
    root = host.attachShadow({ mode: "open" });
    adoptStyles(root, CARD_CSS);
    card = el(doc, "div", "card");
    card.id = "card";
    card.hidden = true;
    card.setAttribute("role", "tooltip");
    card.addEventListener("mouseenter", preview.cardEnter);
    card.addEventListener("mouseleave", preview.cardLeave);
    card.addEventListener("focusin", preview.cardFocused);
    card.addEventListener("focusout", (e) => { if (!isOurs(e.relatedTarget)) preview.close(); });
    root.append(card);
    // Outside <body>, so the article's text and its layout stay exactly as they were.
    doc.documentElement.append(host);
    removePageStyles ||= adoptStyles(doc, PAGE_CSS);
    doc.addEventListener("mousemove", onPointerMove, { passive: true });
    doc.addEventListener("keydown", onKeyDown, true);
    win.addEventListener("scroll", onScroll, { passive: true, capture: true });
    win.addEventListener("resize", onScroll, { passive: true });
  }

  const isOurs = (node) => !!node && (node === host || root?.contains(node));

  // --- drawing -------------------------------------------------------------------------------------------

  function render(blocks, analysis) {
    clearDrawing();
    last = [blocks, analysis];
    cards = { ...cards, ...analysis.cards };
    pending = new Set(analysis.pending || []);
    ensureHost();
    const byId = new Map(blocks.map((b, i) => [b.id, { block: b, order: i, unit: unitIndex(b.text) }]));
    const items = [];
    if (kinds.entity) for (const m of analysis.mentions) if (m.card) items.push({ kind: "entity", item: m });
    if (kinds.term) for (const t of analysis.terms) items.push({ kind: "term", item: t });
    const seen = new Set();
    for (const { kind, item } of items) {
      const at = byId.get(item.block);
      const key = `${kind} ${item.block} ${item.start} ${item.end}`;
      if (!at || seen.has(key)) continue; // one mark per span, even if the server names it twice
      seen.add(key);
      const start = at.unit(item.start);
      const end = at.unit(item.end);
      const b = at.block;
      if (!(end > start && end <= b.text.length)) continue;
      const first = b.nodeOf[start];
      const lastNode = b.nodeOf[end - 1];
      const startNode = b.nodes[first];
      const endNode = b.nodes[lastNode];
      const pieces = [];
      for (let n = first; n <= lastNode; n++) {
        pieces.push({ node: b.nodes[n], start: n === first ? b.offsetOf[start] : 0,
          end: n === lastNode ? b.offsetOf[end - 1] + 1 : b.nodes[n].length });
      }
      // A page script may have changed the text since it was read; a mark on the wrong words is worse than none
      // (the host re-reads the page and draws again).
      if (pieces.some((p, i) => !p.node.isConnected || p.node.data !== b.data[first + i])) continue;
      const style = kind === "term" && item.attributed ? "quoted" : kind;
      marks.push({ kind, style, item, order: at.order, start, pieces,
        range: { startContainer: startNode, startOffset: pieces[0].start, endContainer: endNode,
          endOffset: pieces[pieces.length - 1].end } });
    }
    marks.sort((a, z) => a.order - z.order || a.start - z.start);
    marks = paint.draw(marks);
    const fragment = doc.createDocumentFragment();
    marks.forEach((mark, index) => {
      mark.index = index;
      mark.proxy = el(doc, "button", "proxy");
      mark.proxy.type = "button";
      mark.proxy.setAttribute("aria-label", label(mark));
      mark.proxy.setAttribute("aria-describedby", "card");
      mark.proxy.addEventListener("focus", () => { if (!quiet) openByFocus(mark); });
      mark.proxy.addEventListener("blur", (e) => { if (!isOurs(e.relatedTarget)) preview.blur(mark); });
      fragment.append(mark.proxy);
    });
    root.insertBefore(fragment, card);
    return summary();
  }

  function clearDrawing() {
    preview.close();
    for (const mark of marks) mark.proxy?.remove();
    marks = [];
    paint.erase();
  }

  // Removes every trace: marks, the card, our host element and our style sheet.
  function clear() {
    clearDrawing();
    last = null;
    host?.remove();
    host = null;
    removePageStyles?.();
    removePageStyles = null;
    doc.removeEventListener("mousemove", onPointerMove);
    doc.removeEventListener("keydown", onKeyDown, true);
    win.removeEventListener("scroll", onScroll, true);
    win.removeEventListener("resize", onScroll);
  }

  function setKinds(next) {
    Object.assign(kinds, next);
    return last ? render(...last) : summary();
  }

  function summary() {
    const terms = marks.filter((m) => m.kind === "term");
    return {
      entities: marks.length - terms.length,
      terms: terms.length,
      termList: terms.map((m) => ({ index: m.index, text: m.item.text, detail: category(m.item) +
        (m.item.attributed ? (m.item.attributed.speaker ? ", quoting " + m.item.attributed.speaker : ", in a quote")
          : m.item.reported ? ", " + reportedSpeech(m.item.reported) : "") })),
    };
  }

  // --- what the card and the label say ----------------------------------------------------------------------

  function label(mark) {
    const item = mark.item;
    if (mark.kind === "term") {
      const quote = item.attributed ? `, in a quote${item.attributed.speaker ? " from " + item.attributed.speaker : ""}`
        : item.reported ? ", " + reportedSpeech(item.reported) : "";
      return `${item.text}: loaded term, ${category(item)}${quote}. ${item.why}`;
    }
    const c = cards[item.card];
    if (!c) return `${item.text}: name, card not loaded yet`;
    return `${item.text}: ${c.title}${c.description ? ", " + c.description : ""}`;
  }

  function fillEntity(c) {
    card.dataset.kind = "entity";
    const head = el(doc, "div", "head");
    const text = el(doc, "div");
    text.append(el(doc, "p", "kicker", KIND_LABEL[c.kind] || "Name"), el(doc, "h2", "title", c.title));
    if (c.description) text.append(el(doc, "p", "desc", c.description));
    head.append(text);
    if (httpUrl(c.thumbnail)) {
      const img = el(doc, "img", "thumb");
      img.alt = "";
      img.referrerPolicy = "no-referrer";
      img.src = c.thumbnail;
      head.append(img);
    }
    card.append(head);
    if (c.summary) card.append(el(doc, "p", "body", firstSentences(c.summary, 2)));
    if (c.in_article?.length) card.append(el(doc, "p", "note", "In this article: " + c.in_article.join("; ")));
    const source = el(doc, "p", "source");
    source.append(el(doc, "span", "", c.attribution || (c.source === "article" ? "From this article" : c.source)));
    if (httpUrl(c.url)) {
      const more = el(doc, "a", "", "Read more");
      more.href = c.url;
      more.target = "_blank";
      more.rel = "noopener noreferrer";
      source.append(more);
    }
    card.append(source);
  }

  function fillTerm(t) {
    card.dataset.kind = t.attributed ? "quoted" : "term";
    card.append(el(doc, "p", "kicker", "Loaded term \u00b7 " + category(t)), el(doc, "h2", "title", `\u201c${t.text}\u201d`));
    card.append(el(doc, "p", "body", t.why));
    if (t.alternatives?.length) card.append(el(doc, "p", "note", "Neutral alternatives: " + t.alternatives.join(", ")));
    // The note carries what no single word can (when the word is accurate, what to write instead, why a quote
    // offers nothing): without it a card with no alternatives would leave the reader with nothing.
    if (t.note) card.append(el(doc, "p", "note", t.note));
    if (t.attributed) {
      const who = t.attributed.speaker ? "In a quote from " + t.attributed.speaker : "In a quote";
      card.append(el(doc, "p", "note", who + ": the speaker's wording, not the outlet's."));
    } else if (t.reported) {
      const speech = reportedSpeech(t.reported);
      card.append(el(doc, "p", "note", speech[0].toUpperCase() + speech.slice(1) + ": the outlet's wording."));
    }
  }

  // Reported speech without quotation marks: the word is the outlet's, the person reported is only context.
  function reportedSpeech(reported) {
    return reported.speaker ? "reporting what " + reported.speaker + " said" : "in reported speech";
  }

  function fill(mark, state) {
    card.replaceChildren();
    card.setAttribute("aria-label", mark.item.text);
    if (mark.kind === "term") fillTerm(mark.item);
    else if (state === "ready") fillEntity(cards[mark.item.card]);
    else {
      card.dataset.kind = "entity";
      const why = { loading: "Loading\u2026", unknown: "Reader Context has no card for these words." }[state];
      card.append(el(doc, "h2", "title", mark.item.text), el(doc, "p", "desc", why || "No card could be loaded."));
    }
  }

  // Resolves once the mark's card is known (or known to be unavailable); never rejects.
  function loadCard(mark) {
    const id = mark.item.card;
    if (mark.kind === "term" || cards[id]) return Promise.resolve("ready");
    if (!pending.has(id)) return Promise.resolve("missing");
    if (!loading.has(id)) {
      loading.set(id, fetchCards([id]).then((res) => {
        Object.assign(cards, res?.cards || {});
        if (cards[id]) pending.delete(id);
      }).catch(() => {}).finally(() => loading.delete(id)));
    }
    return loading.get(id).then(() => {
      if (mark.proxy) mark.proxy.setAttribute("aria-label", label(mark));
      return cards[id] ? "ready" : "missing";
    });
  }

  // --- opening and closing ----------------------------------------------------------------------------------

  // The view the preview state machine drives.
  function show(mark, state, anchor) {
    paint.setActive(mark);
    fill(mark, state);
    card.hidden = false;
    card.classList.remove("open");
    void card.offsetWidth; // restart the entrance animation for a new card
    card.classList.add("open");
    place(anchor);
  }

  function hide() {
    paint.setActive(null);
    if (card) { card.hidden = true; card.classList.remove("open"); root.append(card); }
  }

  // Places the card under the anchor rectangle (the line the pointer is on), or above it when there is no room.
  function place(anchor) {
    const rect = anchor || rangeOf(preview.open).getClientRects()[0] || rangeOf(preview.open).getBoundingClientRect();
    const vw = doc.documentElement.clientWidth;
    const vh = doc.documentElement.clientHeight;
    const { width, height } = card.getBoundingClientRect();
    const left = Math.max(8, Math.min(rect.left, vw - width - 8));
    const below = rect.bottom + 8;
    const top = below + height <= vh - 8 || rect.top - height - 8 < 8 ? below : rect.top - height - 8;
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  }

  function openByFocus(mark) {
    const range = rangeOf(mark);
    const start = range.startContainer.parentElement;
    let rect = range.getClientRects()[0];
    if (!rect || rect.top < 0 || rect.bottom > doc.documentElement.clientHeight) {
      start?.scrollIntoView({ block: "center", behavior: "instant" });
      rect = range.getClientRects()[0];
    }
    placeProxy(mark, rect);
    mark.proxy.after(card); // Tab from the mark goes into the card (its "Read more") before the next mark
    const known = mark.kind === "term" || cards[mark.item.card];
    preview.focus(mark, rect, known ? "ready" : pending.has(mark.item.card) ? "loading" : "missing", !known);
  }

  function placeProxy(mark, rect) {
    if (!rect) return;
    Object.assign(mark.proxy.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`,
      height: `${rect.height}px` });
  }

  function onPointerMove(event) {
    pointer = event;
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (isOurs(pointer.target)) return; // inside the card: its own enter/leave handle the grace period
      const hit = marks.length ? paint.markAt(pointer.clientX, pointer.clientY) : null;
      preview.pointerAt(hit?.mark || null, hit?.rect);
    });
  }

  // Escape closes the card; if focus was inside the card it returns to the mark, without reopening the card.
  function onKeyDown(event) {
    const mark = preview.open;
    if (event.key !== "Escape" || !mark) return;
    const inCard = card.contains(root.activeElement);
    preview.close();
    if (inCard && mark.proxy) {
      quiet = true;
      mark.proxy.focus({ preventScroll: true });
      quiet = false;
    }
    event.stopPropagation();
  }

  function onScroll() {
    const mark = preview.open;
    if (!mark) return;
    const rect = rangeOf(mark).getClientRects()[0];
    if (preview.openedBy === "focus" && mark.proxy) placeProxy(mark, rect);
    if (rect) place(rect);
  }

  // Scrolls to a mark and opens its card through the same path a keyboard reader takes.
  function reveal(index) {
    const mark = marks[index];
    if (mark) mark.proxy.focus({ preventScroll: true });
  }

  // Shows `found` (a card, or null when the backend knows none) for the words the reader selected, at the
  // selection (the API's GET /cards/lookup). Focus goes into the card so a screen reader reads it; it closes on Escape or when focus leaves.
  // `failed`: the backend could not be asked, which is not the same as knowing no card.
  function lookUp(range, text, found, failed = false) {
    ensureHost();
    if (found) cards[found.id] = found;
    const { startContainer, startOffset, endContainer, endOffset } = range; // the selection may change; we may not
    const mark = { kind: "entity", item: { text, card: found?.id },
      range: { startContainer, startOffset, endContainer, endOffset } };
    const rect = range.getClientRects()[0] || range.getBoundingClientRect();
    preview.showFocused(mark, found ? "ready" : failed ? "missing" : "unknown", rect);
    card.tabIndex = -1;
    card.focus({ preventScroll: true });
  }

  // `wraps`: the fallback is drawn into the page's own text nodes, so a host must clear() it before reading them.
  return { render, clear, setKinds, reveal, lookUp, summary, wraps: paint.wraps };
}
