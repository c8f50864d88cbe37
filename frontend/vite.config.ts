import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// Built into dist/, served by Flask under /static/ (index.html for every app route).
export default defineConfig({
  base: "/static/",
  plugins: [preact()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, reportCompressedSize: true },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
