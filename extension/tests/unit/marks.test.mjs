// The renderer as a whole (src/render/marks.js) in linkedom, with the Custom Highlight API's registry standing in
// for the painting and a fake clock: which marks are drawn, in which style, and what a late card changes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHTML } from "linkedom";
import { createMarks } from "../../src/render/marks.js";
import { mapBlock } from "../../src/render/offsets.js";
import { fakeClock } from "./clock.mjs";

const TEXT = "Irina Bokova of UNESCO called Zorblax savage.";
const at = (text) => ({ start: TEXT.indexOf(text), end: TEXT.indexOf(text) + text.length, text, block: "p" });
const ANALYSIS = {
  mentions: [
    { ...at("Irina Bokova"), card: null, pending: "pending:bokova" },
    { ...at("UNESCO"), card: "wikipedia:UNESCO", pending: null },
    { ...at("Zorblax"), card: null, pending: "pending:zorblax" },
  ],
  terms: [{ ...at("savage"), category: "pejorative", why: "Condemns.", alternatives: [], attributed: null }],
  cards: { "wikipedia:UNESCO": { id: "wikipedia:UNESCO", title: "UNESCO", kind: "organization", source: "wikipedia" } },
  pending: ["pending:bokova", "pending:zorblax"],
};

function setUp() {
  const { window, document } = parseHTML(`<!doctype html><html><body><p>${TEXT}</p></body></html>`);
  window.StaticRange = class { constructor(init) { Object.assign(this, init); } };
  window.Highlight = class extends Set { constructor(...ranges) { super(ranges); } };
  window.CSS = { highlights: new Map() };
  const clock = fakeClock();
  const server = { landed: {}, asked: [] };
  const marks = createMarks(document, { timers: clock, fetchCards: async (ids) => {
    server.asked.push(ids);
    return { cards: Object.fromEntries(ids.filter((id) => server.landed[id]).map((id) => [id, server.landed[id]])),
      pending: ids.filter((id) => !(id in server.landed)) };
  } });
  const block = mapBlock("p", [document.querySelector("p").firstChild]);
  const painted = (style) => [...(window.CSS.highlights.get("reader-context-" + style) || [])]
    .map((r) => r.startContainer.data.slice(r.startOffset, r.endOffset));
  const labels = () => [...document.querySelector("reader-context-marks").shadowRoot.querySelectorAll(".proxy")]
    .map((b) => b.getAttribute("aria-label"));
  return { marks, block, clock, server, painted, labels };
}

test("names, loaded terms, and names still being looked up each get their style and a keyboard proxy", () => {
  const { marks, block, painted, labels } = setUp();
  const counts = marks.render([block], ANALYSIS);
  assert.deepEqual([counts.entities, counts.terms], [3, 1]);
  assert.deepEqual(painted("entity"), ["UNESCO"]);
  assert.deepEqual(painted("pending"), ["Irina Bokova", "Zorblax"]);
  assert.deepEqual(painted("term"), ["savage"]);
  assert.deepEqual(labels(), ["Irina Bokova: name, looking it up", "UNESCO: UNESCO", "Zorblax: name, looking it up",
    "savage: loaded term, pejorative. Condemns."]);
});

test("the poll's answer repaints a late name as a name; one Wikipedia does not know loses its mark", async () => {
  const { marks, block, clock, server, painted, labels } = setUp();
  marks.render([block], ANALYSIS);
  server.landed["pending:bokova"] = { id: "pending:bokova", title: "Irina Bokova", description: "Bulgarian politician",
    kind: "person", source: "wikipedia" };
  server.landed["pending:zorblax"] = null;
  await clock.tick(2000);
  assert.deepEqual(server.asked, [["pending:bokova", "pending:zorblax"]]);
  assert.deepEqual(painted("entity"), ["UNESCO", "Irina Bokova"]);
  assert.deepEqual(painted("pending"), []);
  assert.deepEqual(labels(), ["Irina Bokova: Irina Bokova, Bulgarian politician", "UNESCO: UNESCO",
    "savage: loaded term, pejorative. Condemns."]);
  assert.deepEqual(marks.summary().entities, 2);
  await clock.tick(60000);
  assert.equal(server.asked.length, 1, "none wait: no more polls");

  // Drawn again (the page changed, or a kind was toggled), the late card is kept and not asked for again.
  marks.setKinds({ term: false });
  assert.deepEqual([painted("entity"), painted("pending"), painted("term")], [["Irina Bokova", "UNESCO"], [], []]);
  await clock.tick(10000);
  assert.equal(server.asked.length, 1);
});
