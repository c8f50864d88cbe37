// After `vite build`: a gzip and a brotli copy next to each hashed file in dist/assets/, so Flask sends
// them as they are (netevents/web/routes.py) instead of compressing on every request. A copy that
// would not be smaller is not written.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const assets = join(import.meta.dirname, "..", "dist", "assets");
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|wasm|html|txt)$/;
let before = 0;
let gzipped = 0;
let brotlied = 0;
for (const name of readdirSync(assets)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const data = readFileSync(join(assets, name));
  const gz = gzipSync(data, { level: 9 });
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  before += data.length;
  if (gz.length < data.length) writeFileSync(join(assets, `${name}.gz`), gz);
  if (br.length < data.length) writeFileSync(join(assets, `${name}.br`), br);
  gzipped += Math.min(gz.length, data.length);
  brotlied += Math.min(br.length, data.length);
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`compressed dist/assets: ${kb(before)} -> gzip ${kb(gzipped)}, brotli ${kb(brotlied)}`);
