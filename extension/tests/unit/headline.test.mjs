// Which <h1> is the article's headline (src/content/headline.js), in linkedom.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NodeFilter, parseHTML } from "linkedom";
import { headlineBlock } from "../../src/content/headline.js";
import { mapBlock } from "../../src/render/offsets.js";

// linkedom's Node lacks the document-position constants the browser's has.
const withPositions = (Node) => ({ TEXT_NODE: Node.TEXT_NODE, DOCUMENT_POSITION_FOLLOWING: 4 });

function page(html, title) {
  const { window, document } = parseHTML(`<!doctype html><html><head><title>${title}</title></head><body>${html}</body></html>`);
  globalThis.Node = withPositions(window.Node);
  globalThis.NodeFilter = NodeFilter;
  const body = document.querySelector("p").firstChild;
  return { document, blocks: [mapBlock("b0", [body])] };
}

test("the headline that says what the title says, not the site's logo in an <h1>", () => {
  const { document, blocks } = page(`<h1 class="logo">Daily Example</h1><h1>Vladimir Putin visits Palmyra</h1>
    <p>The visit lasted an hour.</p>`, "Vladimir Putin visits Palmyra | Daily Example");
  assert.equal(headlineBlock(document, blocks, "Vladimir Putin visits Palmyra").text, "Vladimir Putin visits Palmyra");
});

test("without a headline that matches the title, the last <h1> before the article", () => {
  const { document, blocks } = page(`<h1>Daily Example</h1><h1>Palmyra reopens</h1><p>The visit lasted an hour.</p>
    <h1>Most read</h1>`, "A visit | Daily Example");
  assert.equal(headlineBlock(document, blocks, "A visit").text, "Palmyra reopens");
});

test("with no <h1>, the title alone is sent, with nothing to mark", () => {
  const { document, blocks } = page(`<p>The visit lasted an hour.</p>`, "Palmyra reopens | Daily Example");
  assert.deepEqual(headlineBlock(document, blocks, "Palmyra reopens"),
    { id: "headline", text: "Palmyra reopens", nodes: [], heading: true, kind: "heading" });
});

test("a headline already in the article is not sent twice", () => {
  const { window, document } = parseHTML("<html><body><article><h1>Palmyra reopens</h1><p>x</p></article></body></html>");
  globalThis.Node = withPositions(window.Node);
  globalThis.NodeFilter = NodeFilter;
  const h1 = document.querySelector("h1").firstChild;
  assert.equal(headlineBlock(document, [mapBlock("b0", [h1])], "Palmyra reopens"), null);
});
