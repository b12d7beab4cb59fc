// The unit tests in one process: node starts a process per file for `node --test DIR`, and on a small machine
// that start-up, not the tests, is most of the wait. `npm run test:unit` runs this file.
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
for (const name of readdirSync(here).filter((n) => n.endsWith(".test.mjs")).sort()) {
  await import(`./${name}`);
}
