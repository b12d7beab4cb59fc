// Finding the article's text on the live page (src/content/live.js and extract.js) on the layouts of
// tests/pages.mjs, in linkedom instead of a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NodeFilter, parseHTML } from "linkedom";
import * as pages from "../pages.mjs";
import { densest, exclusions, liveTwins, textNodes } from "../../src/content/live.js";

const dom = (html) => {
  const { window, document } = parseHTML(html);
  globalThis.Node = window.Node;
  globalThis.NodeFilter = NodeFilter;
  return document;
};
const kept = (nodes, excluded) => nodes.filter((n) => !excluded(n)).map((n) => n.data).join(" ");

test("exclusion words on <html>, <body> and a page-wide wrapper leave the article in; its advert and comments out", () => {
  const doc = dom(pages.wrapperClasses());
  const nodes = textNodes(doc.body);
  const text = kept(nodes, exclusions(nodes));
  assert.match(text, /Syrian troops entered Palmyra/);
  assert.match(text, /UNESCO said it would publish/);
  assert.doesNotMatch(text, /Advertisement|A reader wrote|Home/);
});

test("the densest container is the article, not a teaser <article> in the navigation", () => {
  assert.equal(densest(dom(pages.navTeaser())).className, "story");
  assert.equal(densest(dom(pages.rebuiltText())).parentElement.className, "social-layout");
  assert.equal(densest(dom(pages.liveBlog())).className, "liveblog");
  assert.equal(densest(dom(pages.wrapperClasses())).localName, "article");
});

test("an article rebuilt from the page's HTML is found on the live page by its text, in order", () => {
  const live = dom(pages.rebuiltText());
  const rebuilt = dom(pages.rebuiltText()).querySelector(".social-layout");
  const twins = liveTwins(rebuilt, live, new Map());
  const texts = textNodes(rebuilt).filter((n) => n.data.trim());
  assert.equal(twins.size, texts.length);
  for (const node of texts) {
    assert.equal(twins.get(node).data, node.data);
    assert.equal(twins.get(node).ownerDocument, live);
  }
});
