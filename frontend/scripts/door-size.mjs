// After `vite build`: the JavaScript the door screen (/door) loads, gzipped, from Vite's manifest:
// the entry chunk, the door chunk, everything they import, and what the door loads on demand
// (the jsQR decoder). Fails the build above the budget: door phones are on venue Wi-Fi.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const DOOR_SOURCE = "src/screens/door/DoorScreen.tsx";
const dist = join(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));

const files = new Set();
function collect(key, { dynamic }) {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) collect(imported, { dynamic });
  if (dynamic) for (const imported of chunk.dynamicImports ?? []) collect(imported, { dynamic });
}
if (!manifest[DOOR_SOURCE]) {
  console.error(`door-size: ${DOOR_SOURCE} is not a chunk of its own; the door must be code-split.`);
  process.exit(1);
}
collect("index.html", { dynamic: false });
collect(DOOR_SOURCE, { dynamic: true });

let total = 0;
const rows = [...files].filter((file) => file.endsWith(".js")).map((file) => {
  const gz = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += gz;
  return [file, gz];
});
rows.sort((a, b) => b[1] - a[1]);
console.log("Door screen JavaScript (gzipped):");
for (const [file, gz] of rows) console.log(`  ${(gz / 1024).toFixed(1).padStart(7)} KB  ${file}`);
const totalKb = total / 1024;
console.log(`  ${totalKb.toFixed(1).padStart(7)} KB  total (budget ${BUDGET_KB} KB)`);
if (totalKb > BUDGET_KB) {
  console.error(`door-size: the door loads ${totalKb.toFixed(1)} KB of gzipped JavaScript, over the ${BUDGET_KB} KB budget.`);
  process.exit(1);
}
