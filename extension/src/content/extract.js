// Finds the article on the live page and cuts it into blocks whose offsets map back to live text nodes.
//
// Readability (the engine of Firefox Reader View) decides what the article is, but it works on a copy of the
// document and rewrites that copy. Text nodes keep their identity while Readability moves them around, so we
// pair every text node of the copy with its twin in the live page before Readability runs, and read the
// article's text nodes back through that pairing: what we send is what the reader sees, and each offset the
// backend returns lands on a live node.
import { Readability } from "@mozilla/readability";
import { mapBlock } from "../render/marks.js";
import { headlineBlock } from "./headline.js";

// Elements whose text forms one block (a paragraph, for the backend).
const BLOCK_TAGS = new Set(["P", "LI", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6", "DD", "DT", "FIGCAPTION",
  "TD", "TH", "CAPTION", "DIV", "SECTION", "ARTICLE", "MAIN", "ASIDE", "HEADER", "FOOTER", "BODY"]);
// Never sent, even when Readability keeps them: code, form controls, page chrome, comments, ads, hidden text.
// Sites put these words in the classes of <html>, <body> and page-wide wrappers too (and ASP.NET pages wrap
// everything in a <form>): see exclusions().
const EXCLUDED = [
  "pre", "code", "kbd", "samp", "script", "style", "noscript", "template", "textarea", "select", "button", "svg",
  "math", "nav", "footer", "form", "[contenteditable]", "[hidden]", "[aria-hidden='true']", "[role='navigation']",
  "[role='complementary']", "#comments", ".comments", "[id^='comment' i]", "[class*='comment' i]",
  "[class~='ad' i]", "[class*='advert' i]", "[id*='advert' i]", "[class*='sponsor' i]",
].join(",");

// Text of at least this many letters; shorter blocks (bylines, captions like "AFP") are not worth a request.
const MIN_BLOCK = 2;
// A paragraph shorter than this says little about where the article is (a teaser's one line, a caption).
const DENSE_PARAGRAPH = 40;

const textNodes = (root) => {
  const nodes = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return nodes;
};

// Maps each text node of Readability's article to its live twin. By identity first; when Readability had to
// start again (it re-parses the page's HTML for each retry, so the article it returns is made of new nodes), by
// equal text in document order, which is how the reader sees it.
function liveTwins(article, liveDoc, pairs) {
  const nodes = textNodes(article);
  const twins = new Map();
  for (const node of nodes) if (pairs.has(node)) twins.set(node, pairs.get(node));
  if (twins.size * 2 >= nodes.filter((n) => n.data.trim()).length) return twins;
  const live = textNodes(liveDoc.documentElement);
  let from = 0;
  for (const node of nodes) {
    if (twins.has(node) || !node.data.trim()) continue;
    let at = from;
    while (at < live.length && live[at].data !== node.data) at++;
    if (at === live.length) continue;
    twins.set(node, live[at]);
    from = at + 1;
  }
  return twins;
}

function blockOf(node, root) {
  for (let e = node.parentElement; e && e !== root; e = e.parentElement) if (BLOCK_TAGS.has(e.tagName)) return e;
  return root;
}

function commonAncestor(nodes) {
  if (!nodes.length) return null;
  let root = nodes[0].parentElement;
  for (const node of nodes) while (root && !root.contains(node)) root = root.parentElement;
  return root;
}

// The elements that leave their text out: an element matching EXCLUDED, unless it holds at least half of the
// article's text, which makes it a wrapper of the article (<html>, <body>, a page-wide <div> or <form>), not a
// comment thread or an advert beside it.
// `nodes` are the article's text nodes or paragraphs.
function exclusions(nodes) {
  const size = (node) => node.textContent.trim().length;
  const rule = (node) => (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(EXCLUDED);
  const total = nodes.reduce((sum, node) => sum + size(node), 0);
  const verdict = new Map();
  for (const node of nodes) {
    const hit = rule(node);
    if (!hit || verdict.has(hit)) continue;
    const held = nodes.reduce((sum, n) => sum + (hit.contains(n) ? size(n) : 0), 0);
    verdict.set(hit, held * 2 < total);
  }
  return (node) => !!verdict.get(rule(node));
}

// Groups the live text nodes by their nearest block element under `root`, in document order. `toLive` maps a
// node of the tree being walked to the live node (identity when walking the live page itself).
function group(root, toLive) {
  const found = textNodes(root).map((node) => [node, toLive(node)]).filter(([, live]) => live?.parentElement);
  const excluded = exclusions(found.map(([, live]) => live));
  const groups = new Map();
  for (const [node, live] of found) {
    if (excluded(live)) continue;
    const block = blockOf(node, root);
    if (groups.has(block)) groups.get(block).push(live); else groups.set(block, [live]);
  }
  return [...groups.values()];
}

// The live element holding the most paragraph text, scored as Readability scores (a paragraph counts fully for
// its parent and half for its grandparent), for when Readability's answer cannot be found on the live page.
function densest(doc) {
  const scores = new Map();
  const paragraphs = [...doc.querySelectorAll("p")].filter((p) => p.textContent.trim().length >= DENSE_PARAGRAPH);
  const excluded = exclusions(paragraphs);
  for (const p of paragraphs) {
    if (excluded(p)) continue;
    const length = p.textContent.trim().length;
    const parent = p.parentElement;
    if (parent) scores.set(parent, (scores.get(parent) || 0) + length);
    if (parent?.parentElement) scores.set(parent.parentElement, (scores.get(parent.parentElement) || 0) + length / 2);
  }
  let best = null;
  for (const [element, score] of scores) if (!best || score > scores.get(best)) best = element;
  return best || doc.body;
}

// -> { blocks: [{id, text, nodes, nodeOf, offsetOf}], root: the live element holding the article }
export function extractBlocks(doc = document) {
  const copy = doc.cloneNode(true);
  const pairs = new Map();
  const live = textNodes(doc.documentElement);
  textNodes(copy.documentElement).forEach((node, i) => pairs.set(node, live[i]));
  let groups = [];
  let title = "";
  try {
    const article = new Readability(copy, { serializer: (element) => element }).parse();
    title = article?.title || "";
    if (article?.content) {
      const twins = liveTwins(article.content, doc, pairs);
      groups = group(article.content, (node) => twins.get(node));
    }
  } catch {
    // Readability gives up on some documents (framesets, odd XML); the fallback below still finds the text.
  }
  if (!groups.length) {
    const main = densest(doc);
    if (main) groups = group(main, (node) => node);
  }
  const blocks = [];
  for (const nodes of groups) {
    const block = mapBlock(`b${blocks.length}`, nodes);
    // Known only here, never sent: headings divide the article into the sections density.js counts in.
    block.heading = !!nodes[0].parentElement.closest("h1, h2, h3, h4, h5, h6");
    if ((block.text.match(/\p{L}/gu) || []).length >= MIN_BLOCK) blocks.push(block);
  }
  // The root is the body's: a change above it (a ticker in the page's header) is no reason to read again.
  const root = commonAncestor(blocks.map((b) => b.nodes[0]));
  const headline = blocks.length ? headlineBlock(doc, blocks, title) : null;
  if (headline) blocks.unshift(headline);
  return { blocks, root };
}
