// The build's promises: each browser's manifest, and a Firefox build that lints clean.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { EXTENSION } from "./harness.mjs";

test("each browser gets its own background key from the one manifest", () => {
  const read = (browser) => JSON.parse(readFileSync(join(EXTENSION, "dist", browser, "manifest.json"), "utf8"));
  const chrome = read("chrome");
  const firefox = read("firefox");
  assert.equal(chrome.background.service_worker, "background.js");
  assert.deepEqual(firefox.background.scripts, ["background.js"]);
  assert.ok(firefox.browser_specific_settings.gecko.data_collection_permissions.required.includes("websiteContent"));
  assert.deepEqual(chrome.permissions, ["activeTab", "contextMenus", "scripting", "storage"]);
  assert.deepEqual(chrome.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
});

test("the Firefox build passes web-ext lint", (t) => {
  const bin = join(EXTENSION, "node_modules", ".bin", "web-ext");
  let out;
  try {
    out = execFileSync(bin, ["lint", "--source-dir", join(EXTENSION, "dist", "firefox"), "--self-hosted", "--output", "json"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    out = error.stdout; // web-ext exits non-zero on errors; the JSON says which
  }
  const report = JSON.parse(out);
  for (const w of report.warnings) t.diagnostic(`web-ext warning: ${w.code} in ${w.file}: ${w.message}`);
  assert.deepEqual(report.errors, []);
});
