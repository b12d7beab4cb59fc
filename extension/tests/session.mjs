// What the e2e tests do with a page: analyse it through the popup, read its marks, find a mark on screen.

// Pages of `pages` opened in the browser, and the popup that works on them.
export function session(browser, pages) {
  async function open(path) {
    const page = await browser.context.newPage();
    page.on("pageerror", (error) => { throw error; });
    await page.goto(pages.url + path);
    return page;
  }

  async function openPopup(page, size = { width: 360, height: 620 }) {
    const tabId = await browser.worker.evaluate(
      async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url).id, page.url());
    const popup = await browser.context.newPage();
    await popup.setViewportSize(size);
    await popup.goto(`chrome-extension://${browser.id}/popup/popup.html?tab=${tabId}`);
    return popup;
  }

  // Clicks "Analyse this page" in the popup and waits for its answer; `ms` is the reader's wait from the click
  // to the marks on the page.
  async function analyze(page) {
    const popup = await openPopup(page);
    const start = Date.now();
    await popup.click("#analyze");
    await popup.waitForFunction(() => !document.getElementById("analyze").disabled, null, { timeout: 60_000 });
    popup.ms = Date.now() - start;
    await page.bringToFront();
    return popup;
  }

  return { open, openPopup, analyze };
}

// The marks as the page's own document sees them: each highlight's text and the page region it sits in.
export function highlights(page) {
  return page.evaluate(() => Object.fromEntries(["entity", "pending", "term", "quoted"].map((kind) => {
    const ranges = [...(CSS.highlights.get("reader-context-" + kind) || [])];
    return [kind, ranges.map((r) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      const at = r.startContainer.parentElement;
      return { text: range.toString(), region: at.closest("nav, #comments, pre, aside, footer, article")?.localName,
        block: at.closest("[id]")?.id };
    })];
  })));
}

// The centre of the first line box of the n-th mark whose text is `text`.
export function markPoint(page, text, nth = 0) {
  return page.evaluate(([text, nth]) => {
    const all = ["entity", "pending", "term", "quoted"].flatMap((kind) => [...(CSS.highlights.get("reader-context-" + kind) || [])]);
    const found = all.map((r) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      return range;
    }).filter((range) => range.toString() === text)[nth];
    found.startContainer.parentElement.scrollIntoView({ block: "center" });
    const rect = found.getClientRects()[0];
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  }, [text, nth]);
}

export const card = (page) => page.locator("reader-context-marks .card");
export const focusedLabel = (page) => page.evaluate(() =>
  document.querySelector("reader-context-marks")?.shadowRoot.activeElement?.getAttribute("aria-label") ?? null);
export const focusedIndex = (page) => page.evaluate(() => {
  const root = document.querySelector("reader-context-marks").shadowRoot;
  return [...root.querySelectorAll(".proxy")].indexOf(root.activeElement);
});
export const highlightMs = (page) => page.evaluate(() =>
  performance.getEntriesByName("reader-context:highlight").at(-1)?.duration);
