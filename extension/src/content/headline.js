// The headline: Readability leaves it out of the article (it drops the heading that repeats the page's title, and
// the top of a page often sits outside the element it scores best), yet it is the sentence most readers read.
import { mapBlock } from "../render/offsets.js";

// Headings in these are the site's, not the article's: section titles, teasers, widgets.
const CHROME = "nav, header nav, footer, aside, [role='navigation'], [role='complementary'], [hidden], [aria-hidden='true']";

const words = (text) => text.toLowerCase().replace(/\s+/g, " ").trim();

// The live <h1> of the article: the one that says what the page's title says (titles add the site's name, and a
// site's logo in an <h1> is a small part of its title), else the last one before the article's first paragraph.
// `first`: the first live text node of the article.
function findHeadline(doc, title, first) {
  const all = [...doc.querySelectorAll("h1")].filter((h) => !h.closest(CHROME) && words(h.textContent));
  const says = (text) => (title.includes(text) && text.length * 2 >= title.length) || text.includes(title);
  const named = all.find((h) => says(words(h.textContent)));
  if (named) return named;
  const at = first?.parentElement;
  const before = all.filter((h) => at && h.compareDocumentPosition(at) & Node.DOCUMENT_POSITION_FOLLOWING);
  return before.at(-1) || null;
}

// -> the headline's block to put before the article's blocks, or null when the article already holds it. With no
// <h1> on the page, the title alone is sent: it still tells the backend what the article is about, and there is
// nothing on the page to mark.
export function headlineBlock(doc, blocks, readabilityTitle) {
  const title = words(readabilityTitle || doc.title || "");
  const h1 = findHeadline(doc, title, blocks[0]?.nodes[0]);
  if (h1 && blocks.some((b) => h1.contains(b.nodes[0]))) return null;
  if (h1) {
    const nodes = [];
    const walker = doc.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    return Object.assign(mapBlock("headline", nodes), { heading: true, kind: "heading" });
  }
  const text = (readabilityTitle || doc.title || "").replace(/\s+/g, " ").trim();
  return text ? { id: "headline", text, nodes: [], heading: true, kind: "heading" } : null;
}
