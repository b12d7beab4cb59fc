// The demo page served by the backend runs the extension's renderer, bundled into one ES module. The bundle is
// committed so the backend needs no node; tests/build.test.mjs fails when it is not what this makes.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DEMO_BUNDLE = join(here, "..", "server", "reader_context", "web", "static", "marks.js");

export async function bundleDemo() {
  const out = await build({
    entryPoints: [join(here, "src", "render", "marks.js")], bundle: true, format: "esm", target: "es2022",
    write: false, logLevel: "warning",
    banner: { js: "// Made by extension/scripts/demo.mjs from extension/src/render/marks.js: edit that, never this." },
  });
  return Buffer.from(out.outputFiles[0].contents);
}
