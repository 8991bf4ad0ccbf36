import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "dist", "bench/results", "e2e/screenshots", "docs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // The rules engine is shared by the server, the browser and third-party bots: it stays pure.
    files: ["src/rules/**/*.ts"],
    ignores: ["src/rules/**/*.test.ts"],
    rules: {
      "no-console": "error",
      "no-restricted-imports": ["error", { patterns: ["node:*", "../*"] }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Randomness comes from a seed or an RNG passed in." },
        { object: "Date", property: "now", message: "The rules engine does not read the clock." },
      ],
    },
  },
);
