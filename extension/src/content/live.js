// Where the article's text is on the live page, whatever Readability did with its copy, and which of it to leave
// out. No Readability here: these run on any DOM, and the unit tests run them on linkedom.

// Never sent, even when Readability keeps them: code, form controls, page chrome, comments, ads, hidden text.
// Sites put these words in the classes of <html>, <body> and page-wide wrappers too (and ASP.NET pages wrap
// everything in a <form>): see exclusions().
const EXCLUDED = [
  "pre", "code", "kbd", "samp", "script", "style", "noscript", "template", "textarea", "select", "button", "svg",
  "math", "nav", "footer", "form", "[contenteditable]", "[hidden]", "[aria-hidden='true']", "[role='navigation']",
  "[role='complementary']", "#comments", ".comments", "[id^='comment' i]", "[class*='comment' i]",
  "[class~='ad' i]", "[class*='advert' i]", "[id*='advert' i]", "[class*='sponsor' i]",
].join(",");

// A paragraph shorter than this says little about where the article is (a teaser's one line, a caption).
const DENSE_PARAGRAPH = 40;

export const textNodes = (root) => {
  const nodes = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return nodes;
};

// Maps each text node of Readability's article to its live twin. By identity first; when Readability had to
// start again (it re-parses the page's HTML for each retry, so the article it returns is made of new nodes), by
// equal text in document order, which is how the reader sees it.
export function liveTwins(article, liveDoc, pairs) {
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

// The elements that leave their text out: an element matching EXCLUDED, unless it holds at least half of the
// article's text, which makes it a wrapper of the article (<html>, <body>, a page-wide <div> or <form>), not a
// comment thread or an advert beside it. `nodes`: the article's text nodes, or the page's paragraphs.
export function exclusions(nodes) {
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

// The live element holding the most paragraph text, scored as Readability scores (a paragraph counts fully for
// its parent and half for its grandparent), for when Readability's answer cannot be found on the live page.
export function densest(doc) {
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
