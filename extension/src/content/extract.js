// Finds the article on the live page and cuts it into blocks whose offsets map back to live text nodes.
//
// Readability (the engine of Firefox Reader View) decides what the article is, but it works on a copy of the
// document and rewrites that copy. Text nodes keep their identity while Readability moves them around, so we
// pair every text node of the copy with its twin in the live page before Readability runs, and read the
// article's text nodes back through that pairing: what we send is what the reader sees, and each offset the
// backend returns lands on a live node.
import { Readability } from "@mozilla/readability";
import { mapBlock } from "../render/offsets.js";
import { headlineBlock } from "./headline.js";
import { densest, exclusions, liveTwins, textNodes } from "./live.js";

// Elements whose text forms one block (a paragraph, for the backend).
const BLOCK_TAGS = new Set(["P", "LI", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6", "DD", "DT", "FIGCAPTION",
  "TD", "TH", "CAPTION", "DIV", "SECTION", "ARTICLE", "MAIN", "ASIDE", "HEADER", "FOOTER", "BODY"]);
// Text of at least this many letters; shorter blocks (bylines, captions like "AFP") are not worth a request.
const MIN_BLOCK = 2;
// What a block is, for the backend's voices (API `blocks[].kind`): a blockquote's words are someone else's, a
// heading ends a transcript, a caption is the outlet's aside. Read on the live page, which Readability leaves alone.
const KINDS = [["blockquote", "quote"], ["h1, h2, h3, h4, h5, h6", "heading"], ["figcaption, caption", "caption"]];

function kindOf(node) {
  const element = node.parentElement;
  return KINDS.find(([selector]) => element?.closest(selector))?.[1];
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

// -> { blocks: [{id, text, kind?, nodes, nodeOf, offsetOf}], root: the live element holding the article }
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
    const kind = kindOf(nodes[0]);
    if (kind) block.kind = kind;
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
