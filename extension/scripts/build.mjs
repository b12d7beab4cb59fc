// Builds the extension for each browser from the one source tree. (The demo page needs no build: the backend
// serves the renderer's modules from src/render as they are.)
//   dist/chrome/   background.service_worker
//   dist/firefox/  background.scripts + browser_specific_settings.gecko
// The content script is bundled (content scripts cannot be ES modules, and it carries Readability); the other
// pages load their modules as they are.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(here, "src");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const common = JSON.parse(readFileSync(join(src, "manifest.json"), "utf8"));

const browsers = {
  chrome: {
    background: { service_worker: "background.js", type: "module" },
    minimum_chrome_version: "121", // StaticRange highlights and Promise-returning chrome.* in every API we call
  },
  firefox: {
    background: { scripts: ["background.js"], type: "module" },
    browser_specific_settings: {
      gecko: {
        id: "reader-context@reader-context.org",
        strict_min_version: "142.0",
        // The article's text goes to the backend the reader configured: declared, as Firefox requires.
        data_collection_permissions: { required: ["websiteContent"] },
      },
    },
  },
};

for (const [name, extra] of Object.entries(browsers)) {
  const out = join(here, "dist", name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const part of ["background.js", "messages.js", "settings.js", "timing.js", "popup", "options"]) cpSync(join(src, part), join(out, part), { recursive: true });
  const manifest = { ...common, version: pkg.version, ...extra };
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  await build({
    entryPoints: [join(src, "content", "index.js")], outfile: join(out, "content.js"), bundle: true, format: "iife",
    target: name === "chrome" ? "chrome121" : "firefox142", legalComments: "eof", logLevel: "warning",
  });
}
console.log("built dist/chrome, dist/firefox");
