// Late cards (src/render/pending.js) on a fake clock: asked for on hover at once, otherwise by a short poll that
// stops when none wait.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPendingCards } from "../../src/render/pending.js";
import { fakeClock, settle } from "./clock.mjs";

// A server whose cards for pending ids land when the test says; every request is logged with its ids.
function setUp() {
  const clock = fakeClock();
  const landed = {}; // id -> card, or null: resolved to no card (then the server knows the id no more)
  const requests = [];
  let failing = false;
  const fetchCards = async (ids) => {
    requests.push(ids);
    if (failing) throw new Error("the server is down");
    return { cards: Object.fromEntries(ids.filter((id) => landed[id]).map((id) => [id, landed[id]])),
      pending: ids.filter((id) => !(id in landed)) };
  };
  const got = [];
  const late = createPendingCards({ fetchCards, onCard: (id, card) => got.push([id, card?.title ?? null]), timers: clock });
  return { clock, landed, requests, got, late, fail: (on) => { failing = on; } };
}

test("polls every 2 s while cards wait, hands each over as it lands, and stops when none wait", async () => {
  const { clock, landed, requests, got, late } = setUp();
  late.watch(["p:a", "p:b"]);
  await clock.tick(1999);
  assert.equal(requests.length, 0);
  await clock.tick(1);
  assert.deepEqual(requests, [["p:a", "p:b"]]);
  landed["p:a"] = { title: "Syriatel" };
  await clock.tick(2000);
  assert.deepEqual(got, [["p:a", "Syriatel"]]);
  assert.deepEqual(requests.at(-1), ["p:a", "p:b"]);
  assert.equal(late.state("p:a"), "ready");
  assert.equal(late.state("p:b"), "waiting");
  landed["p:b"] = null; // Wikipedia had nothing after all
  await clock.tick(2000);
  assert.deepEqual(requests.at(-1), ["p:b"], "a card already here is not asked again");
  assert.deepEqual(got, [["p:a", "Syriatel"], ["p:b", null]]);
  assert.equal(late.state("p:b"), "gone");
  assert.equal(clock.timers, 0, "nothing waits, so nothing is scheduled");
  await clock.tick(60000);
  assert.equal(requests.length, 3);
});

test("gives up after 30 s; hovering a mark still asks for its card at once", async () => {
  const { clock, landed, requests, got, late } = setUp();
  late.watch(["p:a"]);
  await clock.tick(30000);
  assert.equal(requests.length, 15);
  await clock.tick(60000);
  assert.equal(requests.length, 15, "no poll after 30 s");
  landed["p:a"] = { title: "Palmyra" };
  assert.equal(await late.load("p:a"), "ready");
  assert.equal(requests.length, 16);
  assert.deepEqual(got, [["p:a", "Palmyra"]]);
  assert.equal(await late.load("p:a"), "ready", "kept: asked once");
  assert.equal(requests.length, 16);
});

test("a hover while the poll's request is on its way waits for that one instead of asking again", async () => {
  const clock = fakeClock();
  const requests = [];
  let answer;
  const late = createPendingCards({
    fetchCards: (ids) => { requests.push(ids); return new Promise((resolve) => { answer = resolve; }); },
    onCard: () => {}, timers: clock,
  });
  late.watch(["p:a"]);
  await clock.tick(2000);
  const hover = late.load("p:a");
  await settle();
  assert.equal(requests.length, 1);
  answer({ cards: { "p:a": { title: "UNESCO" } }, pending: [] });
  assert.equal(await hover, "ready");
});

test("a failed request leaves the cards waiting for the next poll", async () => {
  const { clock, landed, got, fail, late } = setUp();
  late.watch(["p:a"]);
  fail(true);
  await clock.tick(2000);
  assert.equal(late.state("p:a"), "waiting");
  fail(false);
  landed["p:a"] = { title: "Damascus" };
  await clock.tick(2000);
  assert.deepEqual(got, [["p:a", "Damascus"]]);
});

test("many ids go in requests of at most 40, each short enough for the server's request line", async () => {
  const { clock, requests, late } = setUp();
  late.watch(Array.from({ length: 100 }, (_, i) => `pending:${"x".repeat(22)}${i}`));
  await clock.tick(2000);
  assert.deepEqual(requests.map((ids) => ids.length), [40, 40, 20]);
  for (const ids of requests) assert.ok(ids.map((id) => "id=" + encodeURIComponent(id)).join("&").length < 4000);
});

test("clear() forgets every id and stops the poll", async () => {
  const { clock, landed, requests, got, late } = setUp();
  late.watch(["p:a"]);
  late.clear();
  landed["p:a"] = { title: "Palmyra" };
  await clock.tick(10000);
  assert.deepEqual([requests.length, got.length, late.state("p:a")], [0, 0, "gone"]);
});

test("watching the same ids again (the page drawn again) does not stretch the poll past 30 s", async () => {
  const { clock, requests, late } = setUp();
  late.watch(["p:a"]);
  await clock.tick(20000);
  late.watch(["p:a"]);
  await clock.tick(20000);
  assert.equal(requests.length, 15);
});
