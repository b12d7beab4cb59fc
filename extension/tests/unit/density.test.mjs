// Which mentions of a name carry a mark (src/content/density.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { selectMentions } from "../../src/content/density.js";

// A headline, two paragraphs, a subheading, one paragraph.
const blocks = [{ id: "h", heading: true }, { id: "a" }, { id: "b" }, { id: "s", heading: true }, { id: "c" }];
const m = (block, start, card) => ({ block, start, end: start + 3, card });
// Given out of order, as nothing in the API promises an order.
const mentions = [m("c", 0, "x"), m("b", 5, "x"), m("a", 9, "x"), m("a", 2, "x"), m("h", 0, "x"), m("s", 0, "x"),
  m("b", 0, "y"), m("c", 4, "y")];
const where = (list) => list.map((x) => `${x.card}@${x.block}:${x.start}`);

test("by default, the first mention of each name in each section; a heading is a section of its own", () => {
  assert.deepEqual(where(selectMentions(mentions, blocks)), ["x@h:0", "x@a:2", "y@b:0", "x@s:0", "x@c:0", "y@c:4"]);
});

test("the first mention in the whole article", () => {
  assert.deepEqual(where(selectMentions(mentions, blocks, "article")), ["x@h:0", "y@b:0"]);
});

test("every mention, untouched", () => {
  assert.equal(selectMentions(mentions, blocks, "every"), mentions);
});

test("without headings the article is one section", () => {
  const plain = [{ id: "a" }, { id: "b" }];
  assert.deepEqual(where(selectMentions([m("b", 0, "x"), m("a", 1, "x")], plain)), ["x@a:1"]);
});

test("names still waiting for their card are told apart by their pending ids", () => {
  const plain = [{ id: "a" }];
  const late = (start, pending) => ({ block: "a", start, end: start + 3, card: null, pending });
  const chosen = selectMentions([late(0, "pending:p"), late(5, "pending:q"), late(9, "pending:p")], plain);
  assert.deepEqual(chosen.map((x) => `${x.pending}:${x.start}`), ["pending:p:0", "pending:q:5"]);
});
