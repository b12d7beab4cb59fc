// Offsets from the text the backend reads back to live text nodes (src/render/offsets.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { mapBlock, unitIndex } from "../../src/render/offsets.js";

// mapBlock reads only `data` from its text nodes.
const nodes = (...texts) => texts.map((data) => ({ data }));

test("white space is collapsed as the browser renders it, and each character remembers its node and offset", () => {
  const block = mapBlock("b0", nodes("\n  Vladimir ", "\tPutin\n", " spoke.  "));
  assert.equal(block.text, "Vladimir Putin spoke.");
  const at = (i) => [block.nodeOf[i], block.offsetOf[i]];
  assert.deepEqual(at(0), [0, 3]); // "V", after the indentation
  assert.deepEqual(at(8), [0, 11]); // the space between the names is the first node's trailing one
  assert.deepEqual(at(9), [1, 1]); // "P", after the tab
  assert.deepEqual(at(block.text.length - 1), [2, 6]); // the full stop; the trailing spaces are dropped
  assert.equal(block.nodeOf.length, block.text.length);
});

test("the text as read is kept, so a page that changed its text since is noticed", () => {
  const block = mapBlock("b1", nodes("Palmyra", " and UNESCO"));
  assert.deepEqual(block.data, ["Palmyra", " and UNESCO"]);
});

test("a block of white space alone is empty", () => {
  assert.equal(mapBlock("b2", nodes("  \n", "\t")).text, "");
});

test("the API's code points become UTF-16 units only where the text has astral characters", () => {
  assert.equal(unitIndex("plain")(3), 3);
  const text = "\u{1F600} Palmyra"; // one emoji: one code point, two units
  assert.equal(text.slice(unitIndex(text)(2), unitIndex(text)(9)), "Palmyra");
});
