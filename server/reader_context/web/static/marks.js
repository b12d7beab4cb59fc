// Made by extension/scripts/demo.mjs from extension/src/render/marks.js: edit that, never this.

// src/render/offsets.js
function mapBlock(id, textNodes) {
  let text = "";
  const nodeOf = [];
  const offsetOf = [];
  let space = true;
  textNodes.forEach((node, n) => {
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13 || c === 12) {
        if (space) continue;
        space = true;
        text += " ";
      } else {
        space = false;
        text += data[i];
      }
      nodeOf.push(n);
      offsetOf.push(i);
    }
  });
  if (text.endsWith(" ")) {
    text = text.slice(0, -1);
    nodeOf.pop();
    offsetOf.pop();
  }
  return {
    id,
    text,
    nodes: textNodes,
    data: textNodes.map((node) => node.data),
    nodeOf: Int32Array.from(nodeOf),
    offsetOf: Int32Array.from(offsetOf)
  };
}
function unitIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (cp) => cp;
  const units = [];
  let u = 0;
  for (const ch of text) {
    units.push(u);
    u += ch.length;
  }
  units.push(u);
  return (cp) => units[Math.min(cp, units.length - 1)];
}

// src/render/styles.js
var WRAP_TAG = "reader-context-mark";
var HL = {
  entity: "reader-context-entity",
  term: "reader-context-term",
  quoted: "reader-context-quoted",
  active: "reader-context-active"
};
var PAGE_CSS = `
::highlight(${HL.entity}) { background-color: rgba(66, 133, 244, .14); text-decoration: underline dotted rgba(66, 133, 244, .9); }
::highlight(${HL.term}) { background-color: rgba(255, 152, 0, .26); text-decoration: underline wavy rgba(230, 81, 0, .9); }
::highlight(${HL.quoted}) { background-color: rgba(156, 39, 176, .16); text-decoration: underline dashed rgba(123, 31, 162, .9); }
::highlight(${HL.active}) { background-color: rgba(255, 213, 79, .55); }
${WRAP_TAG} { all: unset; display: inline; cursor: help; }
${WRAP_TAG}[data-kind="entity"] { background-color: rgba(66, 133, 244, .14); text-decoration: underline dotted rgba(66, 133, 244, .9); }
${WRAP_TAG}[data-kind="term"] { background-color: rgba(255, 152, 0, .26); text-decoration: underline wavy rgba(230, 81, 0, .9); }
${WRAP_TAG}[data-kind="quoted"] { background-color: rgba(156, 39, 176, .16); text-decoration: underline dashed rgba(123, 31, 162, .9); }
${WRAP_TAG}[data-active] { background-color: rgba(255, 213, 79, .55); }
`;
var CARD_CSS = `
:host { all: initial; position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483647; }
.proxy { position: fixed; width: 1px; height: 1px; margin: 0; padding: 0; border: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; background: none; pointer-events: none; }
/* The focused proxy sits exactly over its mark, so the focus ring (and a screen magnifier) is where the word is. */
.proxy:focus { clip-path: none; background: transparent; outline: 3px solid #1a73e8; outline-offset: 2px; border-radius: 3px; }
.card { --bg: #ffffff; --fg: #202122; --muted: #54595d; --rule: #eaecf0; --accent: #3366cc; --term: #b34700; --quote: #7b1fa2;
  position: fixed; box-sizing: border-box; width: min(340px, calc(100vw - 16px)); padding: 14px 16px 12px;
  background: var(--bg); color: var(--fg); border: 1px solid var(--rule); border-radius: 8px;
  box-shadow: 0 4px 18px rgba(0, 0, 0, .18), 0 1px 3px rgba(0, 0, 0, .12);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; letter-spacing: normal;
  overflow-wrap: anywhere; }
.card[hidden] { display: none; }
@media (prefers-color-scheme: dark) {
  .card { --bg: #202124; --fg: #e8eaed; --muted: #b0b4ba; --rule: #3c4043; --accent: #8ab4f8; --term: #ffb74d; --quote: #ce93d8;
    box-shadow: 0 4px 18px rgba(0, 0, 0, .6); }
}
/* Motion only for readers who have not asked for less. */
@media (prefers-reduced-motion: no-preference) {
  .card.open { animation: reader-context-in 120ms ease-out; }
}
@keyframes reader-context-in { from { opacity: 0; transform: translateY(-4px); } to { opacity: 1; transform: none; } }
.head { display: flex; gap: 12px; align-items: flex-start; }
.head > div { flex: 1; min-width: 0; }
.thumb { width: 64px; height: 64px; object-fit: cover; border-radius: 4px; flex: none; }
.kicker { margin: 0 0 2px; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card[data-kind="term"] .kicker { color: var(--term); }
.card[data-kind="quoted"] .kicker { color: var(--quote); }
.title { margin: 0; font: 600 17px/1.3 Georgia, "Linux Libertine", serif; }
.desc { margin: 2px 0 0; color: var(--muted); }
.body { margin: 8px 0 0; }
.note { margin: 8px 0 0; color: var(--muted); font-size: 13px; }
.source { margin: 10px 0 0; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px;
  display: flex; justify-content: space-between; gap: 8px; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
`;
function adoptStyles(target, css) {
  const doc = target.ownerDocument || target;
  try {
    const sheet = new doc.defaultView.CSSStyleSheet();
    sheet.replaceSync(css);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
    return () => {
      target.adoptedStyleSheets = target.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  } catch {
    const style = doc.createElement("style");
    style.textContent = css;
    (target.head || target).append(style);
    return () => style.remove();
  }
}

// src/render/highlights.js
function rangeOf(mark) {
  const range = mark.range.startContainer.ownerDocument.createRange();
  range.setStart(mark.range.startContainer, mark.range.startOffset);
  range.setEnd(mark.range.endContainer, mark.range.endOffset);
  return range;
}
function createHighlights(doc, { wrap } = {}) {
  const win = doc.defaultView;
  const useHighlights = !wrap && typeof win.Highlight === "function" && !!win.CSS?.highlights;
  let drawn = [];
  let byNode = /* @__PURE__ */ new Map();
  let splits = /* @__PURE__ */ new Map();
  function draw(marks) {
    drawn = marks;
    if (useHighlights) paintHighlights(marks);
    else drawn = wrapPieces(marks);
    byNode = /* @__PURE__ */ new Map();
    for (const mark of drawn) for (const p of mark.pieces) {
      const list = byNode.get(p.node);
      if (list) list.push({ mark, start: p.start, end: p.end });
      else byNode.set(p.node, [{ mark, start: p.start, end: p.end }]);
    }
    return drawn;
  }
  function paintHighlights(marks) {
    const groups = { entity: [], term: [], quoted: [] };
    for (const mark of marks) groups[mark.style].push(new win.StaticRange(mark.range));
    for (const [style, ranges] of Object.entries(groups)) {
      const highlight = new win.Highlight(...ranges);
      highlight.priority = style === "entity" ? 0 : 1;
      win.CSS.highlights.set(HL[style], highlight);
    }
  }
  function wrapPieces(marks) {
    const all = [];
    const kept = marks.filter((mark) => {
      const clash = mark.pieces.some((p) => (byNode.get(p.node) || []).some((q) => p.start < q.end && q.start < p.end));
      if (clash) return false;
      for (const p of mark.pieces) {
        const list = byNode.get(p.node) || [];
        list.push(p);
        byNode.set(p.node, list);
        all.push({ mark, piece: p });
      }
      return true;
    });
    byNode = /* @__PURE__ */ new Map();
    all.reverse();
    for (const { mark, piece } of all) {
      const node = piece.node;
      if (!splits.has(node)) splits.set(node, { data: node.data, added: [] });
      const record = splits.get(node);
      const middle = node.splitText(piece.start);
      const tail = middle.splitText(piece.end - piece.start);
      const wrapper = doc.createElement(WRAP_TAG);
      wrapper.dataset.kind = mark.style;
      middle.before(wrapper);
      wrapper.append(middle);
      record.added.push(wrapper, tail);
      piece.node = middle;
      piece.start = 0;
      piece.end = middle.length;
      piece.wrapper = wrapper;
    }
    for (const mark of kept) {
      const first = mark.pieces[0];
      const lastPiece = mark.pieces[mark.pieces.length - 1];
      mark.range = { startContainer: first.node, startOffset: 0, endContainer: lastPiece.node, endOffset: lastPiece.end };
    }
    return kept;
  }
  function erase() {
    drawn = [];
    byNode = /* @__PURE__ */ new Map();
    if (useHighlights) for (const name of Object.values(HL)) win.CSS.highlights.delete(name);
    for (const [node, { data, added }] of splits) {
      for (const n of added) n.remove();
      node.data = data;
    }
    splits = /* @__PURE__ */ new Map();
  }
  function setActive(mark) {
    if (useHighlights) {
      if (mark) win.CSS.highlights.set(HL.active, new win.Highlight(new win.StaticRange(mark.range)));
      else win.CSS.highlights.delete(HL.active);
    } else {
      for (const m of drawn) for (const p of m.pieces) p.wrapper?.toggleAttribute("data-active", m === mark);
    }
  }
  function markAt(x, y) {
    const pos = doc.caretPositionFromPoint ? doc.caretPositionFromPoint(x, y) : null;
    const node = pos ? pos.offsetNode : doc.caretRangeFromPoint?.(x, y)?.startContainer;
    const offset = pos ? pos.offset : doc.caretRangeFromPoint?.(x, y)?.startOffset;
    const here = byNode.get(node);
    if (!here) return null;
    let best = null;
    for (const { mark, start, end } of here) {
      if (offset < start || offset > end) continue;
      for (const rect of rangeOf(mark).getClientRects()) {
        if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) {
          if (!best || mark.item.end - mark.item.start < best.mark.item.end - best.mark.item.start) best = { mark, rect };
        }
      }
    }
    return best;
  }
  return { draw, erase, setActive, markAt, wraps: !useHighlights };
}

// src/timing.js
var PREVIEW = Object.freeze({
  // A pointer merely crossing a mark on its way elsewhere must cost nothing: wait this long before fetching.
  FETCH_START_DELAY: 150,
  // Total dwell before the card shows: long enough to be intended, short enough to feel immediate.
  PREVIEW_DELAY: 500,
  // Grace for the pointer to travel from the mark into the card (to click "Read more") before the card closes.
  ABANDON_DELAY: 300
});

// src/render/preview.js
function createPreview(view, timers) {
  let hovered = null;
  let open = null;
  let openedBy = null;
  let token = 0;
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
  function pointerAt(mark, anchor) {
    if (mark && mark === open) {
      timers.clearTimeout(abandonTimer);
      return;
    }
    if (mark === hovered) return;
    if (mark) {
      cancel();
      const mine = ++token;
      hovered = mark;
      let ready = null;
      dwell.push(timers.setTimeout(() => {
        ready = view.load(mark);
      }, PREVIEW.FETCH_START_DELAY));
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
  function focus(mark, anchor, now, fetch) {
    cancel();
    const mine = ++token;
    hovered = null;
    show(mark, now, anchor, "focus");
    if (fetch) view.load(mark).then((state) => {
      if (mine === token) show(mark, state, anchor, "focus");
    });
  }
  return {
    pointerAt,
    focus,
    close,
    // A card shown directly (a looked-up selection) belongs to focus: it closes on blur or Escape.
    showFocused: (mark, state, anchor) => {
      close();
      show(mark, state, anchor, "focus");
    },
    blur: (mark) => {
      if (open === mark && openedBy === "focus") close();
    },
    cardEnter: () => timers.clearTimeout(abandonTimer),
    cardLeave: () => {
      if (openedBy === "pointer") abandon();
    },
    // Focus moved into a hovered card ("Read more") makes it the reader's: it now stays until blur or Escape.
    cardFocused: () => {
      openedBy = "focus";
      timers.clearTimeout(abandonTimer);
    },
    get open() {
      return open;
    },
    get openedBy() {
      return openedBy;
    }
  };
}

// src/render/marks.js
var HOST_TAG = "reader-context-marks";
var KIND_LABEL = {
  person: "Person",
  place: "Place",
  organization: "Organisation",
  event: "Event",
  work: "Work",
  concept: "Concept",
  other: "Name"
};
function el(doc, tag, cls, text) {
  const node = doc.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  return node;
}
var httpUrl = (url) => typeof url === "string" && /^https?:\/\//i.test(url);
function firstSentences(text, n) {
  const ends = [...text.matchAll(/[\p{Ll}\d)"'\u201d\u2019][.!?]+(?=\s+[\p{Lu}"'\u201c\u2018(]|\s*$)/gu)];
  return ends.length > n ? text.slice(0, ends[n - 1].index + ends[n - 1][0].length) : text;
}
var category = (term) => term.category.replace(/_/g, " ");
function createMarks(doc, { fetchCards = async () => ({ cards: {} }), wrap } = {}) {
  const win = doc.defaultView;
  const paint = createHighlights(doc, { wrap });
  const kinds = { entity: true, term: true };
  let marks = [];
  let last = null;
  let cards = {};
  let pending = /* @__PURE__ */ new Set();
  const loading = /* @__PURE__ */ new Map();
  let host = null;
  let root = null;
  let card = null;
  let removePageStyles = null;
  const preview = createPreview({ load: loadCard, show, hide }, win);
  let frame = 0;
  let pointer = null;
  let quiet = false;
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
    card.addEventListener("focusout", (e) => {
      if (!isOurs(e.relatedTarget)) preview.close();
    });
    root.append(card);
    doc.documentElement.append(host);
    removePageStyles ||= adoptStyles(doc, PAGE_CSS);
    doc.addEventListener("mousemove", onPointerMove, { passive: true });
    doc.addEventListener("keydown", onKeyDown, true);
    win.addEventListener("scroll", onScroll, { passive: true, capture: true });
    win.addEventListener("resize", onScroll, { passive: true });
  }
  const isOurs = (node) => !!node && (node === host || root?.contains(node));
  function render(blocks, analysis) {
    clearDrawing();
    last = [blocks, analysis];
    cards = { ...cards, ...analysis.cards };
    pending = new Set(analysis.pending || []);
    ensureHost();
    const byId = new Map(blocks.map((b, i) => [b.id, { block: b, order: i, unit: unitIndex(b.text) }]));
    const items = [];
    if (kinds.entity) {
      for (const m of analysis.mentions) if (m.card) items.push({ kind: "entity", item: m });
    }
    if (kinds.term) for (const t of analysis.terms) items.push({ kind: "term", item: t });
    const seen = /* @__PURE__ */ new Set();
    for (const { kind, item } of items) {
      const at = byId.get(item.block);
      const key = `${kind} ${item.block} ${item.start} ${item.end}`;
      if (!at || seen.has(key)) continue;
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
        pieces.push({
          node: b.nodes[n],
          start: n === first ? b.offsetOf[start] : 0,
          end: n === lastNode ? b.offsetOf[end - 1] + 1 : b.nodes[n].length
        });
      }
      if (pieces.some((p, i) => !p.node.isConnected || p.node.data !== b.data[first + i])) continue;
      const style = kind === "term" && item.attributed ? "quoted" : kind;
      marks.push({
        kind,
        style,
        item,
        order: at.order,
        start,
        pieces,
        range: {
          startContainer: startNode,
          startOffset: pieces[0].start,
          endContainer: endNode,
          endOffset: pieces[pieces.length - 1].end
        }
      });
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
      mark.proxy.addEventListener("focus", () => {
        if (!quiet) openByFocus(mark);
      });
      mark.proxy.addEventListener("blur", (e) => {
        if (!isOurs(e.relatedTarget)) preview.blur(mark);
      });
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
      termList: terms.map((m) => ({ index: m.index, text: m.item.text, detail: category(m.item) + (m.item.attributed ? m.item.attributed.speaker ? ", quoting " + m.item.attributed.speaker : ", in a quote" : m.item.reported ? ", " + reportedSpeech(m.item.reported) : "") }))
    };
  }
  function label(mark) {
    const item = mark.item;
    if (mark.kind === "term") {
      const quote = item.attributed ? `, in a quote${item.attributed.speaker ? " from " + item.attributed.speaker : ""}` : item.reported ? ", " + reportedSpeech(item.reported) : "";
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
    card.append(el(doc, "p", "kicker", "Loaded term \xB7 " + category(t)), el(doc, "h2", "title", `\u201C${t.text}\u201D`));
    card.append(el(doc, "p", "body", t.why));
    if (t.alternatives?.length) card.append(el(doc, "p", "note", "Neutral alternatives: " + t.alternatives.join(", ")));
    if (t.note) card.append(el(doc, "p", "note", t.note));
    if (t.attributed) {
      const who = t.attributed.speaker ? "In a quote from " + t.attributed.speaker : "In a quote";
      card.append(el(doc, "p", "note", who + ": the speaker's wording, not the outlet's."));
    } else if (t.reported) {
      const speech = reportedSpeech(t.reported);
      card.append(el(doc, "p", "note", speech[0].toUpperCase() + speech.slice(1) + ": the outlet's wording."));
    }
  }
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
  function loadCard(mark) {
    const id = mark.item.card;
    if (mark.kind === "term" || cards[id]) return Promise.resolve("ready");
    if (!pending.has(id)) return Promise.resolve("missing");
    if (!loading.has(id)) {
      loading.set(id, fetchCards([id]).then((res) => {
        Object.assign(cards, res?.cards || {});
        if (cards[id]) pending.delete(id);
      }).catch(() => {
      }).finally(() => loading.delete(id)));
    }
    return loading.get(id).then(() => {
      if (mark.proxy) mark.proxy.setAttribute("aria-label", label(mark));
      return cards[id] ? "ready" : "missing";
    });
  }
  function show(mark, state, anchor) {
    paint.setActive(mark);
    fill(mark, state);
    card.hidden = false;
    card.classList.remove("open");
    void card.offsetWidth;
    card.classList.add("open");
    place(anchor);
  }
  function hide() {
    paint.setActive(null);
    if (card) {
      card.hidden = true;
      card.classList.remove("open");
      root.append(card);
    }
  }
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
    mark.proxy.after(card);
    const known = mark.kind === "term" || cards[mark.item.card];
    preview.focus(mark, rect, known ? "ready" : pending.has(mark.item.card) ? "loading" : "missing", !known);
  }
  function placeProxy(mark, rect) {
    if (!rect) return;
    Object.assign(mark.proxy.style, {
      left: `${rect.left}px`,
      top: `${rect.top}px`,
      width: `${rect.width}px`,
      height: `${rect.height}px`
    });
  }
  function onPointerMove(event) {
    pointer = event;
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (isOurs(pointer.target)) return;
      const hit = marks.length ? paint.markAt(pointer.clientX, pointer.clientY) : null;
      preview.pointerAt(hit?.mark || null, hit?.rect);
    });
  }
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
  function reveal(index) {
    const mark = marks[index];
    if (mark) mark.proxy.focus({ preventScroll: true });
  }
  function lookUp(range, text, found, failed = false) {
    ensureHost();
    if (found) cards[found.id] = found;
    const { startContainer, startOffset, endContainer, endOffset } = range;
    const mark = {
      kind: "entity",
      item: { text, card: found?.id },
      range: { startContainer, startOffset, endContainer, endOffset }
    };
    const rect = range.getClientRects()[0] || range.getBoundingClientRect();
    preview.showFocused(mark, found ? "ready" : failed ? "missing" : "unknown", rect);
    card.tabIndex = -1;
    card.focus({ preventScroll: true });
  }
  return { render, clear, setKinds, reveal, lookUp, summary, wraps: paint.wraps };
}
export {
  adoptStyles,
  createMarks,
  mapBlock
};
