// @ts-check
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

// The rooms and the direction of every arrow between them (README: Architecture). Each
// room's rule lists everything it may not import; a file gets exactly one of them (the
// rule is replaced, not merged, by a later matching block), so each list is complete.
const ARCHITECTURE = "see README: Architecture";
const NODE_BUILTINS = {
  group: ["node:*", ...builtinModules],
  message: `Node built-ins do not exist here (${ARCHITECTURE}).`,
};
const VSCODE = {
  name: "vscode",
  message: `only extension/editor and extension.ts use vscode (${ARCHITECTURE}).`,
};
const INTO_WEBVIEW = {
  regex: "(^|/)webview/",
  message: `the host never imports the webview: share code through common/ (${ARCHITECTURE}).`,
};
/** A relative import into a sibling room of extension/ (`../cli/…`, `../settings`). */
const intoExtensionRoom = (...rooms) => ({
  regex: `^\\.\\./(${rooms.join("|")})(/|$)`,
  message: `this room does not import extension/${rooms.join(", extension/")} (${ARCHITECTURE}).`,
});
const restrict = (...patterns) => ({
  "no-restricted-imports": "off",
  "@typescript-eslint/no-restricted-imports": [
    "error",
    {
      paths: patterns.filter((p) => "name" in p),
      patterns: patterns.filter((p) => !("name" in p)),
    },
  ],
});

export default defineConfig(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "out/",
      ".vscode-test/",
      "test-results/",
      "coverage/",
      "bench/results/",
      // Fixtures that break the rules on purpose (test/lint/boundaries.test.ts lints them).
      "test/fixtures/lint/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {
        ...globals.node,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The shared room: Node-free, DOM-free, vscode-free, and self-contained.
    files: ["common/**/*.ts"],
    rules: restrict({
      regex: "^(?!\\./[^/]+$)",
      message: `common/ imports only from common/ (no packages, no other room; ${ARCHITECTURE}).`,
    }),
  },
  {
    files: ["webview/src/**/*.ts", "webview/src/**/*.tsx"],
    rules: restrict(
      {
        regex: "(^|/)(extension|native)(/|$)",
        message: `the webview imports only from common/ and npm packages (${ARCHITECTURE}).`,
      },
      VSCODE,
      NODE_BUILTINS,
    ),
  },
  {
    files: ["extension/*.ts", "extension/editor/**/*.ts"],
    rules: restrict(INTO_WEBVIEW),
  },
  {
    files: ["extension/analysis/**/*.ts"],
    rules: restrict(
      INTO_WEBVIEW,
      VSCODE,
      intoExtensionRoom("cli", "editor", "runner", "settings", "extension"),
    ),
  },
  {
    files: ["extension/runner/**/*.ts"],
    rules: restrict(
      INTO_WEBVIEW,
      VSCODE,
      intoExtensionRoom("cli", "editor", "settings", "extension"),
    ),
  },
  {
    files: ["extension/cli/**/*.ts"],
    rules: restrict(INTO_WEBVIEW, VSCODE, intoExtensionRoom("editor", "settings", "extension")),
  },
  {
    // CommonJS configuration files (webpack.config.js).
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
    },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
