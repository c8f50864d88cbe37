// After `vite build`: write dist/sw.js with the precache list of this build's files
// (read from Vite's manifest, so the names carry their content hashes).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = join(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
const files = new Set(["/static/index.html"]);
for (const chunk of Object.values(manifest)) {
  files.add(`/static/${chunk.file}`);
  for (const css of chunk.css ?? []) files.add(`/static/${css}`);
  for (const asset of chunk.assets ?? []) files.add(`/static/${asset}`);
}
const precache = [...files].sort();
const version = createHash("sha256").update(precache.join("\n")).update(readFileSync(join(dist, "index.html"))).digest("hex").slice(0, 12);
const template = readFileSync(join(import.meta.dirname, "sw-template.js"), "utf8");
writeFileSync(join(dist, "sw.js"), template.replace("__VERSION__", version).replace("__PRECACHE__", JSON.stringify(precache, null, 2)));
console.log(`wrote dist/sw.js: ${precache.length} files precached (version ${version})`);
