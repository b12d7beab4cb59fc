// The card, model to DOM (src/render/card.js), in linkedom: what a reader sees and what a screen reader says.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHTML } from "linkedom";
import { fillCard, label } from "../../src/render/card.js";

const XSS = `<img src=x onerror="window.pwned=1">`;
const UNESCO = { id: "wikipedia:UNESCO", title: "UNESCO", kind: "organization", source: "wikipedia",
  description: "Specialized agency of the United Nations", thumbnail: "https://upload.example/u.svg",
  summary: "UNESCO is an agency of the United Nations. It was founded in 1945 by the U.S. and others in London. " +
    "It has 194 member states.",
  in_article: ["condemned the destruction"], attribution: "Wikipedia, CC BY-SA 4.0",
  url: "https://en.wikipedia.org/wiki/UNESCO" };
const SAVAGE = { text: "savage", category: "pejorative_label", why: "Condemns rather than describes.",
  alternatives: ["violent"], note: null, attributed: null, reported: { speaker: "the minister" } };

function fill(mark, state, cards = {}) {
  const { document } = parseHTML("<!doctype html><html><body><div></div></body></html>");
  const card = document.querySelector("div");
  fillCard(card, mark, state, cards);
  return card;
}
const texts = (card, selector) => [...card.querySelectorAll(selector)].map((n) => n.textContent);
const name = (text, card, pending = null) => ({ kind: "entity", item: { text }, card, pending });

test("a name's card: kind, title, description, picture, two sentences, the article's context and its source", () => {
  const card = fill(name("UNESCO", UNESCO.id), "ready", { [UNESCO.id]: UNESCO });
  assert.equal(card.dataset.kind, "entity");
  assert.deepEqual(texts(card, ".kicker, .title, .desc"), ["Organisation", "UNESCO", "Specialized agency of the United Nations"]);
  assert.equal(card.querySelector(".body").textContent,
    "UNESCO is an agency of the United Nations. It was founded in 1945 by the U.S. and others in London.",
    "two sentences; \"U.S.\" does not end one");
  assert.equal(card.querySelector(".note").textContent, "In this article: condemned the destruction");
  const img = card.querySelector("img");
  assert.deepEqual([img.getAttribute("src"), img.getAttribute("alt"), img.referrerPolicy], [UNESCO.thumbnail, "", "no-referrer"]);
  const more = card.querySelector("a");
  assert.deepEqual([more.textContent, more.getAttribute("href"), more.getAttribute("rel")],
    ["Read more", UNESCO.url, "noopener noreferrer"]);
  assert.match(card.querySelector(".source").textContent, /^Wikipedia, CC BY-SA 4\.0/);
});

test("what the server sends is shown as text, and only http(s) links and pictures are used", () => {
  const bad = { id: "k", title: XSS, kind: "person", source: "article", description: XSS, summary: `<script>x</script>`,
    url: "javascript:alert(1)", thumbnail: "data:image/svg+xml,<svg onload=alert(1)>" };
  const card = fill(name("Zorblax", "k"), "ready", { k: bad });
  assert.deepEqual(texts(card, ".title, .desc, .body"), [XSS, XSS, "<script>x</script>"]);
  assert.equal(card.querySelectorAll("img, script, a").length, 0);
  assert.equal(card.querySelector(".source").textContent, "From this article");
});

test("a loaded term's card: category, why, alternatives, and whose wording it is", () => {
  const term = { kind: "term", item: SAVAGE };
  const card = fill(term, "ready");
  assert.equal(card.dataset.kind, "term");
  assert.deepEqual(texts(card, ".kicker, .title, .body"), ["Loaded term \u00b7 pejorative label", "\u201csavage\u201d",
    "Condemns rather than describes."]);
  assert.deepEqual(texts(card, ".note"), ["Neutral alternatives: violent",
    "Reporting what the minister said: the outlet's wording."]);
  const quoted = fill({ kind: "term", item: { ...SAVAGE, reported: null, attributed: { quote: true, speaker: "Irina Bokova" } } });
  assert.equal(quoted.dataset.kind, "quoted");
  assert.equal(texts(quoted, ".note").at(-1), "In a quote from Irina Bokova: the speaker's wording, not the outlet's.");
});

test("while a name's Wikipedia card is on its way: what is known meanwhile, marked busy", () => {
  const article = { id: "article:1", title: "Syriatel", kind: "organization", source: "article", in_article: ["a mobile operator"] };
  const meanwhile = fill(name("Syriatel", article.id, "pending:x"), "loading", { [article.id]: article });
  assert.equal(meanwhile.getAttribute("aria-busy"), "true");
  assert.equal(meanwhile.querySelector(".title").textContent, "Syriatel");
  assert.equal(texts(meanwhile, ".note").at(-1), "Looking for more on Wikipedia\u2026");

  const nothingYet = fill(name("Syriatel", null, "pending:x"), "loading");
  assert.deepEqual(texts(nothingYet, ".title, .desc"), ["Syriatel", "Loading\u2026"]);
  const none = fill(name("Zorblax", null), "unknown");
  assert.deepEqual(texts(none, ".title, .desc"), ["Zorblax", "Reader Context has no card for these words."]);
  assert.equal(none.hasAttribute("aria-busy"), false);
  assert.equal(fill(name("Zorblax", null), "missing").querySelector(".desc").textContent, "No card could be loaded.");
});

test("a mark's label says its words, then its card's gist, or that it is being looked up", () => {
  assert.equal(label(name("UNESCO", UNESCO.id), { [UNESCO.id]: UNESCO }),
    "UNESCO: UNESCO, Specialized agency of the United Nations");
  assert.equal(label(name("Syriatel", null, "pending:x"), {}), "Syriatel: name, looking it up");
  assert.equal(label({ kind: "term", item: SAVAGE }, {}),
    "savage: loaded term, pejorative label, reporting what the minister said. Condemns rather than describes.");
});
