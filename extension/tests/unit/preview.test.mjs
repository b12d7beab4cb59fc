// When cards open and close (src/render/preview.js), on a fake clock: Page Previews' timing contract and what
// happens when the mouse and the keyboard are used together.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPreview } from "../../src/render/preview.js";
import { fakeClock, settle } from "./clock.mjs";

// A view that records what was loaded and shown; loads answer at once unless held.
function setUp() {
  const clock = fakeClock();
  const log = [];
  const held = new Map();
  const view = {
    load: (mark) => { log.push(`load ${mark}`); return held.get(mark) || Promise.resolve("ready"); },
    show: (mark, state, _anchor, by) => log.push(`show ${mark} ${state} by ${by}`),
    hide: () => log.push("hide"),
  };
  return { clock, log, held, preview: createPreview(view, clock) };
}

test("a pointer crossing a mark costs nothing; dwelling fetches at 150 ms and shows at 500 ms", async () => {
  const { clock, log, preview } = setUp();
  preview.pointerAt("A");
  await clock.tick(100);
  preview.pointerAt(null);
  await clock.tick(1000);
  assert.deepEqual(log, []);
  preview.pointerAt("A");
  await clock.tick(149);
  assert.deepEqual(log, []);
  await clock.tick(1);
  assert.deepEqual(log, ["load A"]);
  await clock.tick(349);
  assert.deepEqual(log, ["load A"]);
  await clock.tick(1);
  assert.deepEqual(log, ["load A", "show A ready by pointer"]);
});

test("a hovered card closes 300 ms after the pointer leaves, unless the pointer reaches the card", async () => {
  const { clock, log, preview } = setUp();
  preview.pointerAt("A");
  await clock.tick(500);
  preview.pointerAt(null);
  await clock.tick(200);
  preview.cardEnter();
  await clock.tick(1000);
  assert.equal(preview.open, "A");
  preview.cardLeave();
  await clock.tick(299);
  assert.equal(preview.open, "A");
  await clock.tick(1);
  assert.equal(preview.open, null);
  assert.equal(log.at(-1), "hide");
});

test("after a card opened by focus was closed, a hovered card still closes when the pointer leaves", async () => {
  const { clock, preview } = setUp();
  preview.focus("A", null, "ready", false);
  preview.close(); // Escape: focus stays on A's mark
  preview.pointerAt("B");
  await clock.tick(500);
  assert.equal(preview.open, "B");
  preview.pointerAt(null);
  await clock.tick(300);
  assert.equal(preview.open, null);
});

test("a card opened by focus stays whatever the pointer does, and closes on blur", async () => {
  const { clock, log, preview } = setUp();
  preview.focus("A", null, "loading", true);
  await settle();
  assert.deepEqual(log, ["show A loading by focus", "load A", "show A ready by focus"]);
  preview.pointerAt("A");
  preview.pointerAt(null);
  await clock.tick(1000);
  assert.equal(preview.open, "A");
  preview.blur("B"); // another mark's blur is not this card's
  assert.equal(preview.open, "A");
  preview.blur("A");
  assert.equal(preview.open, null);
});

test("focus moved into a hovered card keeps it open after the pointer leaves", async () => {
  const { clock, preview } = setUp();
  preview.pointerAt("A");
  await clock.tick(500);
  preview.cardFocused();
  preview.cardLeave();
  preview.pointerAt(null);
  await clock.tick(1000);
  assert.equal(preview.open, "A");
});

test("a late answer for a mark the pointer has left is dropped", async () => {
  const { clock, log, held, preview } = setUp();
  let answer;
  held.set("A", new Promise((resolve) => { answer = resolve; }));
  preview.pointerAt("A");
  await clock.tick(600); // fetched at 150 ms, still on its way at 500 ms
  preview.pointerAt("B");
  await clock.tick(500);
  answer("ready");
  await settle();
  assert.deepEqual(log.filter((l) => l.startsWith("show")), ["show B ready by pointer"]);
  assert.equal(preview.open, "B");
});
