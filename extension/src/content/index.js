// The content script: injected only when the reader asks (popup, shortcut) or allowed the site. It extracts the
// article, asks the background worker to analyse it, draws the marks, and keeps them in step with the page.
import { createMarks } from "../render/marks.js";
import { extractBlocks } from "./extract.js";
import { loadSettings } from "../settings.js";
import { createStart } from "./start.js";
import { selectMentions } from "./density.js";
import { REAPPLY_DELAY_MS } from "../timing.js";
import { MSG, ask, listen } from "../messages.js";

// The API's limit for a name to look up; a longer selection is not a name.
const LOOKUP_MAX_CHARS = 300;

// executeScript may inject us again into a page we already run in; the first instance keeps the job.
if (!globalThis.__readerContext) {
  globalThis.__readerContext = true;

  const marks = createMarks(document, {
    fetchCards: (ids) => ask({ type: MSG.CARDS, ids }),
  });
  const start = createStart(document, { goToFirst: () => marks.reveal(0) });
  let status = { state: "idle" };
  let extracted = null; // {blocks, root} of the last drawing
  let analysis = null; // the backend's answer for those blocks
  let sentText = ""; // the blocks' texts as last sent, to tell a real change from a re-render
  let density = "section";
  let running = null;
  let timer = 0;

  const observer = new MutationObserver((records) => {
    const root = extracted?.root;
    if (!root) return;
    if (!root.isConnected || records.some((r) => root.contains(r.target))) {
      clearTimeout(timer);
      timer = setTimeout(run, REAPPLY_DELAY_MS);
    }
  });
  // Our own drawing (the fallback wraps text) must not look like a page change.
  const quietly = (draw) => {
    observer.disconnect();
    const result = draw();
    observer.takeRecords();
    if (extracted) observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    return result;
  };

  // Called as soon as the answer is in: the measure is the main-thread cost of drawing it (see the e2e tests).
  function draw() {
    performance.mark("reader-context:response");
    const mentions = selectMentions(analysis.mentions, extracted.blocks, density);
    const onPage = extracted.blocks.filter((b) => b.nodes.length); // a title not shown on the page has no marks
    const counts = quietly(() => marks.render(onPage, { ...analysis, mentions }));
    start.show(counts);
    performance.mark("reader-context:highlighted");
    const measure = performance.measure("reader-context:highlight", "reader-context:response", "reader-context:highlighted");
    const s = analysis.stats;
    status = { state: "ready", ...counts, words: s.words, highlightMs: Math.round(measure.duration * 10) / 10,
      author: s.author?.per_1000_words ?? s.terms_per_1000_words, quotes: s.quoted?.count ?? 0 };
  }

  async function analyze() {
    const { enabled, kinds, density: chosen } = await loadSettings();
    density = chosen;
    if (!enabled) return { state: "off" };
    if (!extracted) marks.setKinds(kinds); // the reader's default; once drawn, the popup sets them for this page
    if (marks.wraps) quietly(() => marks.clear());
    const next = extractBlocks(document);
    if (!next.blocks.length) {
      quietly(() => marks.clear());
      start.remove();
      return { state: "empty" };
    }
    const text = next.blocks.map((b) => b.text).join("\n");
    if (text !== sentText || !analysis) {
      status = { state: "analysing" };
      const blocks = next.blocks.map(({ id, text, kind }) => (kind ? { id, text, kind } : { id, text }));
      analysis = await ask({ type: MSG.ANALYZE, blocks });
      sentText = text;
    }
    extracted = next; // same text, new nodes: redraw the cached answer on the page's new nodes
    draw();
    return status;
  }

  // One analysis at a time; a request while one runs gets that one's result.
  function run() {
    running ||= analyze().catch((error) => ({ state: "error", code: error.code, message: error.message }))
      .then((result) => {
        status = result;
        ask({ type: MSG.REPORT_STATUS, status }).catch(() => {});
        return status;
      })
      .finally(() => { running = null; });
    return running;
  }

  function clear() {
    clearTimeout(timer);
    observer.disconnect();
    extracted = null;
    marks.clear();
    start.remove();
    status = { state: "cleared" };
    return status;
  }

  listen({
    [MSG.RUN]: run,
    [MSG.GET_STATUS]: () => status,
    [MSG.CLEAR]: clear,
    [MSG.KINDS]: ({ kinds }) => {
      if (status.state !== "ready") return status;
      status = { ...status, ...quietly(() => marks.setKinds(kinds)) };
      start.show(status);
      return status;
    },
    // Only the selected words leave the page, not the article.
    [MSG.LOOK_UP_SELECTION]: async () => {
      const selection = document.getSelection();
      const text = selection.toString().replace(/\s+/g, " ").trim();
      if (!text || !selection.rangeCount) return { state: "no-selection" };
      const range = selection.getRangeAt(0);
      if (text.length > LOOKUP_MAX_CHARS) {
        marks.lookUp(range, text, null);
        return true;
      }
      try {
        marks.lookUp(range, text, (await ask({ type: MSG.LOOKUP, q: text })).card);
      } catch {
        marks.lookUp(range, text, null, true);
      }
      return true;
    },
    [MSG.REVEAL]: ({ index }) => {
      if (status.state !== "ready") return false;
      marks.reveal(index);
      return true;
    },
  });

  // "Off everywhere" and the density of marks reach every page at once; kinds of marks are set per page from the
  // popup.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "sync" || !extracted) return;
    if (changes.enabled?.newValue === false) clear();
    else if (changes.density && status.state === "ready") {
      density = changes.density.newValue;
      draw();
    }
  });
}
