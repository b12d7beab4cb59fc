// Finds the article on the live page and cuts it into blocks whose offsets map back to live text nodes.
//
// Readability (the engine of Firefox Reader View) decides what the article is, but it works on a copy of the
// document and rewrites that copy. Text nodes keep their identity while Readability moves them around, so we
// pair every text node of the copy with its twin in the live page before Readability runs, and read the
// article's text nodes back through that pairing: what we send is what the reader sees, and each offset the
// backend returns lands on a live node.
import { Readability } from "@mozilla/readability";
import { mapBlock } from "../render/marks.js";

// Elements whose text forms one block (a paragraph, for the backend).
const BLOCK_TAGS = new Set(["P", "LI", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6", "DD", "DT", "FIGCAPTION",
  "TD", "TH", "CAPTION", "DIV", "SECTION", "ARTICLE", "MAIN", "ASIDE", "HEADER", "FOOTER", "BODY"]);
// Never sent, even when Readability keeps them: code, form controls, page chrome, comments, ads, hidden text.
const EXCLUDED = [
  "pre", "code", "kbd", "samp", "script", "style", "noscript", "template", "textarea", "select", "button", "svg",
  "math", "nav", "footer", "form", "[contenteditable]", "[hidden]", "[aria-hidden='true']", "[role='navigation']",
  "[role='complementary']", "#comments", ".comments", "[id^='comment' i]", "[class*='comment' i]",
  "[class~='ad' i]", "[class*='advert' i]", "[id*='advert' i]", "[class*='sponsor' i]",
].join(",");

// Text of at least this many letters; shorter blocks (bylines, captions like "AFP") are not worth a request.
const MIN_BLOCK = 2;
// What a block is, for the backend's voices (API `blocks[].kind`): a blockquote's words are someone else's, a
// heading ends a transcript, a caption is the outlet's aside. Read on the live page, which Readability leaves alone.
const KINDS = [["blockquote", "quote"], ["h1, h2, h3, h4, h5, h6", "heading"], ["figcaption, caption", "caption"]];

function kindOf(node) {
  const element = node.parentElement;
  return KINDS.find(([selector]) => element?.closest(selector))?.[1];
}

function pairTextNodes(liveDoc, copyDoc) {
  const pairs = new Map();
  const live = liveDoc.createTreeWalker(liveDoc, NodeFilter.SHOW_TEXT);
  const copy = copyDoc.createTreeWalker(copyDoc, NodeFilter.SHOW_TEXT);
  for (let a = live.nextNode(), b = copy.nextNode(); a && b; a = live.nextNode(), b = copy.nextNode()) pairs.set(b, a);
  return pairs;
}

function blockOf(node, root) {
  for (let e = node.parentElement; e && e !== root; e = e.parentElement) if (BLOCK_TAGS.has(e.tagName)) return e;
  return root;
}

// Groups text nodes under `root` by their nearest block element, in document order. `toLive` maps a node of the
// tree being walked to the live node (identity when walking the live page itself).
function group(root, toLive) {
  const groups = new Map();
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const live = toLive(node);
    if (!live || !live.parentElement || live.parentElement.closest(EXCLUDED)) continue;
    const block = blockOf(node, root);
    if (groups.has(block)) groups.get(block).push(live); else groups.set(block, [live]);
  }
  return [...groups.values()];
}

// -> { blocks: [{id, text, kind?, nodes, nodeOf, offsetOf}], root: the live element holding the article }
export function extractBlocks(doc = document) {
  const copy = doc.cloneNode(true);
  const pairs = pairTextNodes(doc, copy);
  let groups = [];
  try {
    const article = new Readability(copy, { serializer: (element) => element }).parse();
    if (article?.content) groups = group(article.content, (node) => pairs.get(node));
  } catch {
    // Readability gives up on some documents (framesets, odd XML); the fallback below still finds the text.
  }
  if (!groups.length) {
    const main = doc.querySelector("article, main, [role='main']") || doc.body;
    if (main) groups = group(main, (node) => node);
  }
  const blocks = [];
  for (const nodes of groups) {
    const block = mapBlock(`b${blocks.length}`, nodes);
    const kind = kindOf(nodes[0]);
    if (kind) block.kind = kind;
    if ((block.text.match(/\p{L}/gu) || []).length >= MIN_BLOCK) blocks.push(block);
  }
  return { blocks, root: commonAncestor(blocks.map((b) => b.nodes[0])) };
}

function commonAncestor(nodes) {
  if (!nodes.length) return null;
  let root = nodes[0].parentElement;
  for (const node of nodes) while (root && !root.contains(node)) root = root.parentElement;
  return root;
}
