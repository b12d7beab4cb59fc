// End-to-end on layouts of real news sites that once left the reader with "No article text was found".
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchWithExtension, startBackend, startPages } from "./harness.mjs";
import { headline, liveBlog, navTeaser, rebuiltText, sections, wrapperClasses } from "./pages.mjs";
import { highlightMs, highlights, session } from "./session.mjs";

let backend;
let pages;
let browser;
let s;

before(async () => {
  backend = await startBackend();
  pages = await startPages({
    "/wrapper-classes": wrapperClasses(),
    "/nav-teaser": navTeaser(),
    "/rebuilt": rebuiltText(),
    "/live-blog": liveBlog(),
    "/sections": sections(),
    "/headline": headline(),
  });
  browser = await launchWithExtension();
  await browser.worker.evaluate((backendUrl) => chrome.storage.sync.set({ backendUrl }), backend.url);
  s = session(browser, pages);
});

after(async () => {
  await browser?.close();
  pages?.stop();
  backend?.stop();
});

// Analyses the page and returns its marks, after checking the popup found the article.
async function marksOn(t, path) {
  const page = await s.open(path);
  const popup = await s.analyze(page);
  const state = await popup.locator("#state").innerText();
  t.diagnostic(`time to marks, ${path}: ${popup.ms} ms, of which drawing ${(await highlightMs(page)).toFixed(1)} ms`);
  await popup.close();
  assert.match(state, /^Analysed \d+ words\.$/);
  const marks = await highlights(page);
  await page.close();
  return marks;
}

const texts = (marks) => [...marks.entity, ...marks.term, ...marks.quoted].map((m) => m.text);

describe("the article is found", () => {
  test("with comment, advert and sponsor in the classes of <html>, <body> and a page-wide wrapper", async (t) => {
    const marks = await marksOn(t, "/wrapper-classes");
    for (const name of ["Palmyra", "UNESCO", "Vladimir Putin", "Damascus"]) assert.ok(texts(marks).includes(name), name);
    // Inside the article, the advert and the comment thread are still left out.
    assert.ok(!texts(marks).includes("heinous reporting"));
    assert.equal(marks.term.filter((m) => m.text === "savage").length, 1, "the advert's 'savage' is not marked");
    assert.equal(marks.term.filter((m) => m.text === "heinous").length, 1, "the comment's 'heinous' is not marked");
  });

  test("after a teaser <article> in the navigation", async (t) => {
    const marks = await marksOn(t, "/nav-teaser");
    assert.ok(texts(marks).includes("Vladimir Putin"));
    assert.deepEqual([...marks.entity, ...marks.term].filter((m) => m.region === "nav"), []);
  });

  test("when Readability rebuilt the article from the page's HTML", async (t) => {
    const marks = await marksOn(t, "/rebuilt");
    for (const name of ["Palmyra", "Vladimir Putin", "Damascus"]) assert.ok(texts(marks).includes(name), name);
    assert.deepEqual([...marks.entity, ...marks.term].filter((m) => m.region === "nav"), []);
  });

  test("on a live blog, in its first post and its last", async (t) => {
    const marks = await marksOn(t, "/live-blog");
    const posts = new Set(marks.entity.map((m) => m.block));
    assert.ok(posts.has("p1") && posts.has("p5"), [...posts].join(", "));
    assert.deepEqual(marks.entity.filter((m) => m.region === "aside"), [], "the key events list is not marked");
  });
});

test("the headline is analysed with the article and marked where it is", async (t) => {
  const marks = await marksOn(t, "/headline");
  const inHeadline = marks.entity.filter((m) => m.block === "headline").map((m) => m.text);
  assert.deepEqual(inHeadline, ["Vladimir Putin", "Palmyra"]);
});

describe("density", () => {
  const palmyra = (marks) => marks.entity.filter((m) => m.text === "Palmyra").map((m) => m.block);
  const setDensity = (density) => browser.worker.evaluate((density) => chrome.storage.sync.set({ density }), density);

  test("by default a name is marked at its first mention in each section; loaded terms every time", async () => {
    const page = await s.open("/sections");
    await (await s.analyze(page)).close();
    const marks = await highlights(page);
    assert.deepEqual(palmyra(marks).filter((block) => block?.startsWith("s")), ["s1a", "s2a"]);
    assert.deepEqual(marks.term.filter((m) => m.text === "savage").map((m) => m.block), ["s1a", "s1a"]);
    await page.close();
  });

  test("the options offer every mention, or the first in the article, and open pages follow", async () => {
    const page = await s.open("/sections");
    await (await s.analyze(page)).close();
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.id}/options/options.html`);
    try {
      assert.equal(await options.isChecked("input[name=density][value=section]"), true);
      await options.check("input[name=density][value=every]");
      await page.waitForFunction(() => [...CSS.highlights.get("reader-context-entity")]
        .filter((r) => r.startContainer.data.slice(r.startOffset, r.endOffset) === "Palmyra").length === 5);
      await options.check("input[name=density][value=article]");
      await page.waitForFunction(() => [...CSS.highlights.get("reader-context-entity")]
        .filter((r) => r.startContainer.data.slice(r.startOffset, r.endOffset) === "Palmyra").length === 1);
    } finally {
      await setDensity("section");
      await options.close();
      await page.close();
    }
  });
});

describe("look up selection", () => {
  const card = (page) => page.locator("reader-context-marks .card");
  // What the context menu entry and its shortcut do (the browser's own menu and shortcuts are out of a test's reach).
  const lookUp = (page) => browser.worker.evaluate(async (url) => {
    const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
    await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: ["content.js"] });
    return chrome.tabs.sendMessage(tab.id, { type: "look-up-selection" });
  }, page.url());
  const select = (page, id, words) => page.evaluate(([id, words]) => {
    const node = document.getElementById(id).firstChild;
    const range = document.createRange();
    range.setStart(node, node.data.indexOf(words));
    range.setEnd(node, node.data.indexOf(words) + words.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    const rect = range.getBoundingClientRect();
    return { bottom: rect.bottom, top: rect.top, left: rect.left };
  }, [id, words]);

  test("shows the selected name's card at the selection, on a page not analysed", async () => {
    const page = await s.open("/sections");
    const at = await select(page, "s2a", "UNESCO");
    await lookUp(page);
    await card(page).waitFor({ state: "visible" });
    assert.equal(await card(page).locator(".title").innerText(), "UNESCO");
    assert.match(await card(page).innerText(), /Specialized agency of the United Nations/);
    const box = await card(page).boundingBox();
    assert.ok(Math.abs(box.y - at.bottom) < 20 || Math.abs(box.y + box.height - at.top) < 20, "next to the selection");
    assert.equal(await card(page).evaluate((el) => el.getRootNode().activeElement === el), true, "focus is in the card");
    assert.equal(await page.evaluate(() => CSS.highlights.get("reader-context-entity")?.size ?? 0), 0, "nothing else is analysed");
    await page.keyboard.press("Escape");
    assert.equal(await card(page).isVisible(), false);

    await select(page, "s2b", "who would pay");
    await lookUp(page);
    await card(page).waitFor({ state: "visible" });
    assert.equal(await card(page).locator(".desc").innerText(), "Reader Context has no card for these words.");
    await page.mouse.click(5, 5);
    await card(page).waitFor({ state: "hidden", timeout: 1000 });
    await page.close();
  });
});
