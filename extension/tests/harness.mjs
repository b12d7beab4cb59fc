// What the e2e tests stand on: a real backend, a local page server, and Chromium with the unpacked extension.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = join(EXTENSION, "..");
export const SHARED = resolve(REPO, process.env.SHARED || "../shared");
export const ARTIFACTS = join(REPO, "artifacts");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CLI = join(REPO, ".venv", "bin", "reader-context");

// The tests check what the extension does on this particular article, so without it they cannot run: a clone
// without ../shared skips the file that needs it in one line; CI, which has it, must not.
export function seedParagraphs() {
  const seed = join(SHARED, "seed", "palmyra-article.txt");
  if (!existsSync(seed)) {
    const why = `${seed} is missing (SHARED=DIR points at the evaluation data)`;
    if (/^(1|true|yes)$/i.test(process.env.CI || "")) throw new Error(`e2e: ${why}; CI runs with it`);
    process.stderr.write(`e2e tests on the seed article skipped: ${why}\n`);
    process.exit(0);
  }
  return readFileSync(seed, "utf8").split("\n").map((p) => p.trim()).filter(Boolean);
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts `reader-context serve` on a free port with its knowledge base in a temporary folder; `entries` are
// imported first as the reader's own knowledge-base entries; `settings`: more READER_CONTEXT_* variables.
export async function startBackend({ entries = [], settings = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "rc-backend-"));
  const env = { ...process.env, READER_CONTEXT_KB_PATH: join(dir, "knowledge.sqlite3"), READER_CONTEXT_DATA_DIR: dir,
    ...Object.fromEntries(Object.entries(settings).map(([k, v]) => ["READER_CONTEXT_" + k, String(v)])) };
  if (entries.length) {
    writeFileSync(join(dir, "entries.jsonl"), entries.map((e) => JSON.stringify(e)).join("\n") + "\n");
    execFileSync(CLI, ["kb", "import", join(dir, "entries.jsonl")], { env, stdio: "pipe" });
  }
  const port = await freePort();
  const child = spawn(CLI, ["serve", "--port", String(port)], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => { log += chunk; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("backend exited:\n" + log);
    const ok = await fetch(url + "/api/v1/health").then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("backend did not start:\n" + log);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    stop() { child.kill(); rmSync(dir, { recursive: true, force: true }); },
  };
}

// The backend's tests' stand-in Wikipedia (tests/wikipedia_standin.py) as a process; `slow`: seconds every
// request sits before its answer.
export async function startWikipedia({ slow = 0 } = {}) {
  const child = spawn(join(REPO, ".venv", "bin", "python"), [join(REPO, "tests", "wikipedia_standin.py"), "--slow", String(slow)],
    { env: { ...process.env, SHARED }, stdio: ["pipe", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => { out += chunk; if (out.includes("\n")) resolve(out.trim()); });
    child.on("exit", (code) => reject(new Error(`the stand-in Wikipedia exited (${code})`)));
  });
  return { url, stop() { child.stdin.end(); child.kill(); } };
}

// Serves fixed HTML pages: `pages` maps a path to its HTML.
export async function startPages(pages) {
  const server = createServer((req, res) => {
    const html = pages[new URL(req.url, "http://x").pathname];
    res.writeHead(html ? 200 : 404, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html || "not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// A news page as they come: navigation, the article, a code sample, comments, an advert and a footer, and page
// styles hostile enough to wreck a card that did not live in a shadow root.
export function newsPage(title, paragraphs) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
  body { font: 18px/1.6 Georgia, serif; max-width: 40rem; margin: 0 auto; padding: 1rem; color: #222; background: #fff; }
  nav a { margin-right: 1rem; }
  button, div, p, h2 { font-family: "Comic Sans MS", cursive !important; color: hotpink !important; }
  * { letter-spacing: 1px; }
  @media (prefers-color-scheme: dark) { body { background: #121212; color: #ddd; } nav a { color: #8ab4f8; } }
</style></head>
<body>
<header><nav><a href="/">Home</a><a href="/world">World</a><a href="/palmyra">Palmyra and UNESCO: the savage truth</a></nav></header>
<main>
<article>
  <h1>${escape(title)}</h1>
  <p class="byline">By a staff reporter</p>
  ${paragraphs.map((p) => `<p>${escape(p)}</p>`).join("\n  ")}
  <pre><code>const UNESCO = "savage heinous depraved Palmyra";</code></pre>
</article>
<section id="comments"><h2>Comments</h2>
  <div class="comment"><p>Reader 1: a savage piece on Palmyra and Vladimir Putin, frankly heinous.</p></div>
</section>
<aside class="advert"><p>Advertisement: depraved deals on UNESCO tours to Palmyra.</p></aside>
</main>
<footer><p>Contact us</p><a id="last-link" href="/about">About</a></footer>
</body></html>`;
}

export async function launchWithExtension() {
  const dir = join(EXTENSION, "dist", "chrome");
  const userData = mkdtempSync(join(tmpdir(), "rc-chromium-"));
  const context = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  const worker = context.serviceWorkers()[0] || await context.waitForEvent("serviceworker", { timeout: 15_000 });
  const id = new URL(worker.url()).host;
  return {
    context, worker, id,
    async close() { await context.close(); rmSync(userData, { recursive: true, force: true }); },
  };
}

export function saveArtifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
