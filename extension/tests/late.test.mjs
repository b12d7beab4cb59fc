// End-to-end, late cards: Wikipedia (the backend's stand-in, slowed) answers after /analyze's deadline, so names
// come back pending; the extension and the demo page draw them quietly and put their cards in when they land.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchWithExtension, newsPage, startBackend, startPages, startWikipedia } from "./harness.mjs";
import { card, focusedLabel, highlights, markPoint, session } from "./session.mjs";

// These names are in the stand-in, not in the embedded knowledge base; UNESCO is in both. Each page has its own
// late names: once looked up, a name is in the backend's cache and comes back at once.
const TEXT = "Irina Bokova of UNESCO said the Fakhr-al-Din al-Maani Castle above the ruins had been damaged.";
const DEMO_TEXT = "Engineers from Syriatel restored the network in Palmyra.";
const texts = (list) => list.map((m) => m.text);

let wikipedia;
let backend;
let pages;
let browser;

before(async () => {
  wikipedia = await startWikipedia({ slow: 1 });
  // Every Wikipedia call takes a second, well past a 300 ms deadline and well within the call's time limit.
  backend = await startBackend({ settings: { WIKIPEDIA_URL: wikipedia.url, DEADLINE_MS: 300 } });
  pages = await startPages({ "/late": newsPage("Damage reported", [TEXT]) });
  browser = await launchWithExtension();
  await browser.worker.evaluate((backendUrl) => chrome.storage.sync.set({ backendUrl }), backend.url);
});

after(async () => {
  await browser?.close();
  pages?.stop();
  backend?.stop();
  wikipedia?.stop();
});

// Until the highlight of `kind` holds `text`; the poll asks every 2 s for at most 30 s.
const drawnAs = (page, kind, text) => page.waitForFunction(([kind, text]) =>
  [...(CSS.highlights.get("reader-context-" + kind) || [])].some((r) =>
    r.startContainer.data.slice(r.startOffset, r.endOffset) === text), [kind, text], { timeout: 30_000 });

test("the extension: a late name is drawn waiting, its open card fills in when Wikipedia answers", async (t) => {
  const s = session(browser, pages);
  const opened = Date.now();
  const page = await s.open("/late");
  t.diagnostic(`page open: ${Date.now() - opened} ms`);
  const popup = await s.analyze(page);
  t.diagnostic(`time to marks, /late: ${popup.ms} ms`);
  await popup.close();
  const drawn = Date.now();
  const marks = await highlights(page);
  assert.deepEqual(texts(marks.pending), ["Irina Bokova", "Fakhr-al-Din al-Maani Castle"], "nothing fetched yet");
  assert.deepEqual(texts(marks.entity), ["UNESCO"]);

  // Two Tabs: the first mark, whose card says it is on its way; it fills in where it is, focus staying put.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await focusedLabel(page), "Irina Bokova: name, looking it up");
  await card(page).waitFor({ state: "visible" });
  assert.match(await card(page).innerText(), /Loading/);
  await card(page).locator(".desc", { hasText: "Bulgarian politician" }).waitFor({ timeout: 30_000 });
  t.diagnostic(`late card in the open card, ${Date.now() - drawn} ms after the marks`);
  assert.equal(await card(page).locator(".title").innerText(), "Irina Bokova");
  assert.equal(await focusedLabel(page), "Irina Bokova: Irina Bokova, Bulgarian politician");
  await page.keyboard.press("Escape");

  // The other late name, never hovered: the poll brings its card, and the mark looks like any other name's.
  await drawnAs(page, "entity", "Fakhr-al-Din al-Maani Castle");
  t.diagnostic(`late card drawn by the poll, ${Date.now() - drawn} ms after the marks`);
  assert.deepEqual(texts((await highlights(page)).pending), []);
  const { x, y } = await markPoint(page, "Fakhr-al-Din al-Maani Castle");
  await page.mouse.move(x, y);
  await card(page).locator(".title", { hasText: "Fakhr-al-Din al-Maani Castle" }).waitFor();
  assert.match(await card(page).innerText(), /Castle near Palmyra, Syria/);
  await page.close();
});

test("the demo page: a late card reaches the reader too", async () => {
  const page = await browser.context.newPage();
  page.on("pageerror", (error) => { throw error; });
  await page.goto(backend.url + "/");
  await page.fill("#text", DEMO_TEXT);
  await page.click("button[type=submit]");
  await page.waitForSelector("#result:not([hidden])", { timeout: 60_000 });
  assert.deepEqual(texts((await highlights(page)).pending), ["Syriatel"]);
  await drawnAs(page, "entity", "Syriatel");
  const { x, y } = await markPoint(page, "Syriatel");
  await page.mouse.move(x, y);
  await card(page).locator(".desc", { hasText: "Mobile telephone company in Syria" }).waitFor();
  await page.close();
});
