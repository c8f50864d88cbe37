/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { VitePWA } from "vite-plugin-pwa";

// Built into dist/, served by Flask under /static/ (index.html for every app route).
// The manifest lets scripts/door-size.mjs measure what the door screen loads. The service worker
// (src/sw.ts) is built by vite-plugin-pwa with Workbox, its precache list injected from this build;
// the app registers it itself, at /sw.js, so that it controls every page, not only /static/.
// The organizer's network picture (cytoscape, 445 KB) is left out of the precache: it would more than double
// what every phone, the door's included, downloads on its first visit for a picture only organizers open online.
export default defineConfig({
  base: "/static/",
  plugins: [
    preact(),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ["index.html", "assets/**/*.{js,css,svg,png,woff2}"],
        globIgnores: ["assets/NetworkPicture-*.js"],
        modifyURLPrefix: { "": "/static/" },
      },
    }),
  ],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, reportCompressedSize: true, manifest: true },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
