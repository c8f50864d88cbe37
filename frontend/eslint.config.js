// `npm run lint`: ESLint's and typescript-eslint's recommended rules, and the rules of hooks.
// `make test` runs it before the unit tests; any error or warning fails the build.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Built output, and the API types generated from openapi.json by `make api-types`.
  globalIgnores(["dist/", "src/lib/api-schema.ts"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    // Preact's hooks follow React's rules: called in the same order on every render, and effects list
    // what they read. The plugin's other recommended rules check code for the React Compiler, which
    // does not know preact/hooks (it takes a useRef from there for a value that must not change).
    rules: {
      "react-hooks/rules-of-hooks": "error",
      // useLoad(load, deps) takes its deps as useEffect does: check them the same way.
      "react-hooks/exhaustive-deps": ["error", { additionalHooks: "^useLoad$" }],
    },
  },
  {
    // Build scripts and configs run in Node.
    files: ["scripts/**/*.mjs", "*.config.{js,ts}"],
    languageOptions: { globals: globals.node },
  },
  {
    // The service worker's source; build-sw.mjs fills in the placeholders.
    files: ["scripts/sw-template.js"],
    languageOptions: { globals: { ...globals.serviceworker, __PRECACHE__: "readonly" } },
  },
);
