/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// Built into dist/, served by Flask under /static/ (index.html for every app route).
// The manifest lets scripts/build-sw.mjs list what the service worker precaches and
// scripts/door-size.mjs measure what the door screen loads.
export default defineConfig({
  base: "/static/",
  plugins: [preact()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, reportCompressedSize: true, manifest: true },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
