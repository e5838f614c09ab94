// @ts-check
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const webpack = require("webpack");
const MiniCssExtractPlugin = require("mini-css-extract-plugin");

/**
 * Settings shared by every bundle that runs in Node (the extension host, the CLI, the runner).
 * @param {string} name
 * @param {string} entry
 * @param {string} filename
 * @returns {import("webpack").Configuration}
 */
function nodeBundle(name, entry, filename) {
  return {
    name,
    target: "node20",
    devtool: "source-map",
    entry,
    output: {
      path: path.resolve(__dirname, "dist"),
      filename,
      libraryTarget: "commonjs2",
      devtoolModuleFilenameTemplate: "../[resource-path]",
    },
    resolve: {
      extensions: [".ts", ".js"],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: [{ loader: "ts-loader", options: { transpileOnly: true } }],
        },
      ],
    },
    node: {
      __dirname: false,
      __filename: false,
    },
    infrastructureLogging: {
      level: "log",
    },
  };
}

/** Makes an emitted file executable (the CLI bundle carries a shebang). */
class ChmodPlugin {
  /**
   * @param {string} filename file name relative to the output path
   * @param {number} mode
   */
  constructor(filename, mode) {
    this.filename = filename;
    this.mode = mode;
  }

  /** @param {import("webpack").Compiler} compiler */
  apply(compiler) {
    compiler.hooks.afterEmit.tap("ChmodPlugin", (compilation) => {
      const outputPath = compilation.outputOptions.path ?? compiler.outputPath;
      const file = path.join(outputPath, this.filename);
      if (fs.existsSync(file)) {
        fs.chmodSync(file, this.mode);
      }
    });
  }
}

/** The VS Code extension host bundle. `vscode` is provided by the host at run time. */
const extensionConfig = {
  ...nodeBundle("extension", "./extension/extension.ts", "extension.js"),
  externals: {
    vscode: "commonjs vscode",
  },
};

/** The `wasm-cow` command-line tool. */
const cliConfig = nodeBundle("cli", "./extension/cli/main.ts", "cli.js");
cliConfig.plugins = [
  new webpack.BannerPlugin({ banner: "#!/usr/bin/env node", raw: true, entryOnly: true }),
  new ChmodPlugin("cli.js", 0o755),
];

/** The runner process, which owns the native addon and runs module code. */
const runnerConfig = nodeBundle("runner", "./extension/runner/runner-main.ts", "runner.js");

/** The strategy lab's worker threads, started by the runner (thread-scaling.ts). */
const labWorkerConfig = nodeBundle(
  "lab-worker",
  "./extension/runner/lab/lab-worker.ts",
  "lab-worker.js",
);

/** The analysis worker thread of the extension host. */
const workerConfig = nodeBundle(
  "analysis-worker",
  "./extension/editor/analysis-worker.ts",
  "analysis-worker.js",
);

/** The React webview: one script and one CSS file (no inline styles, for the CSP). */
const webviewConfig = {
  name: "webview",
  target: "web",
  devtool: "source-map",
  entry: "./webview/src/main.tsx",
  output: { path: path.resolve(__dirname, "dist"), filename: "webview.js" },
  resolve: { extensions: [".tsx", ".ts", ".js"] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: [
          {
            loader: "ts-loader",
            options: {
              transpileOnly: true,
              configFile: path.resolve(__dirname, "webview/tsconfig.json"),
            },
          },
        ],
      },
      { test: /\.css$/, use: [MiniCssExtractPlugin.loader, "css-loader"] },
    ],
  },
  plugins: [new MiniCssExtractPlugin({ filename: "webview.css" })],
  performance: { hints: false },
};

module.exports = [
  extensionConfig,
  cliConfig,
  runnerConfig,
  labWorkerConfig,
  workerConfig,
  webviewConfig,
];
