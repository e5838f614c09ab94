// Installs code-server (a real VS Code with a Node extension host, served to a browser)
// from npm without touching the internet beyond the npm registry, following
// ../shared/reference/e2e-offline.md: every install script is skipped, the native modules
// are built here with node-gyp against the local Node headers, Debian's `rg` stands in for
// the one @vscode/ripgrep would download, and argon2 is compiled from source.
//
// The result is cached in the git-ignored `.vscode-test/code-server-<version>/`. It is built
// in a scratch folder and renamed into place at the end, so an interrupted install leaves
// nothing that looks complete.

import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/** code-server 4.100.x is VS Code 1.100.3 and the last line that runs on Node 20. */
export const CODE_SERVER_VERSION = "4.100.3";

const root = path.resolve(__dirname, "../..");
export const cacheRoot = path.join(root, ".vscode-test");
export const installDir = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
const marker = ".installed.json";

/** VS Code's native modules that Linux loads (the others are Windows-only or prebuilt). */
const VSCODE_NATIVE_MODULES = ["kerberos", "@vscode/spdlog", "native-watchdog", "node-pty"];

type Log = (line: string) => void;

/** code-server's entry script (run it with `node`). */
export function codeServerEntry(dir = installDir): string {
  return path.join(dir, "node_modules", "code-server", "out", "node", "entry.js");
}

export function isInstalled(dir = installDir): boolean {
  return existsSync(path.join(dir, marker)) && existsSync(codeServerEntry(dir));
}

/** Returns code-server's entry script, installing it first if the cache is empty (with
 *  the Debian packages `scripts/system-packages.mjs code-server` sees to, as the npm
 *  scripts that get here run first). */
export function ensureCodeServer(log: Log = console.log): string {
  if (isInstalled()) return codeServerEntry();
  const started = Date.now();
  const progress: Log = (line) => log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  mkdirSync(cacheRoot, { recursive: true });
  const scratch = `${installDir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  try {
    install(scratch, progress);
    writeFileSync(
      path.join(scratch, marker),
      JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version }, null, 2) + "\n",
    );
    if (isInstalled()) {
      log("code-server: another process finished the same install first; using it");
    } else {
      rmSync(installDir, { recursive: true, force: true });
      renameSync(scratch, installDir);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(
    `code-server ${CODE_SERVER_VERSION}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return codeServerEntry();
}

function install(dir: string, log: Log): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ private: true, dependencies: { "code-server": CODE_SERVER_VERSION } }) + "\n",
  );
  const server = path.join(dir, "node_modules", "code-server");
  const vscode = path.join(server, "lib", "vscode");

  log(`code-server ${CODE_SERVER_VERSION}: npm install (scripts skipped)`);
  npmInstall(dir);
  log("code-server: VS Code's own dependencies");
  npmInstall(vscode);
  npmInstall(path.join(vscode, "extensions"));
  // What the skipped postinstall scripts would have done, minus the downloads.
  run(process.execPath, ["postinstall.mjs"], path.join(vscode, "extensions")); // trims typescript
  symlinkSync("node_modules", path.join(vscode, "node_modules.asar"));
  linkBinScript(vscode, "remote-cli", "code-linux.sh", "code-server");
  linkBinScript(vscode, "helpers", "browser-linux.sh", "browser.sh");
  placeRipgrep(vscode);

  for (const name of VSCODE_NATIVE_MODULES) {
    log(`code-server: building ${name}`);
    nodeGyp(path.join(vscode, "node_modules", name));
  }
  log("code-server: building argon2 from source");
  const argon2 = path.join(dir, "node_modules", "argon2");
  run(
    process.execPath,
    [
      path.join(dir, "node_modules", "@mapbox", "node-pre-gyp", "bin", "node-pre-gyp"),
      "rebuild",
      "--build-from-source",
      ...nodedirArgs(),
    ],
    argon2,
  );
}

function npmInstall(cwd: string): void {
  // --ignore-scripts: the scripts would download prebuilt binaries and rg from GitHub.
  run(npmCommand(), ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], cwd);
}

/** `bin/<folder>/<link>` → the Linux variant of the script, as postinstall.sh links it. */
function linkBinScript(vscode: string, folder: string, target: string, link: string): void {
  const file = path.join(vscode, "bin", folder, link);
  rmSync(file, { force: true });
  symlinkSync(target, file);
}

/** @vscode/ripgrep looks for its binary at bin/rg; Debian's ripgrep provides it. */
function placeRipgrep(vscode: string): void {
  const bin = path.join(vscode, "node_modules", "@vscode", "ripgrep", "bin");
  mkdirSync(bin, { recursive: true });
  copyFileSync(findOnPath("rg")!, path.join(bin, "rg"));
}

function nodeGyp(cwd: string): void {
  run(process.execPath, [nodeGypScript(), "rebuild", "-j", "max", ...nodedirArgs()], cwd);
  // Keep only the built modules (node-pty's own post-install does this, then calls npx).
  for (const entry of readdirSync(path.join(cwd, "build", "Release"), { withFileTypes: true })) {
    if (entry.isDirectory())
      rmSync(path.join(cwd, "build", "Release", entry.name), { recursive: true });
  }
}

let nodeGypPath: string | undefined;

/** npm's own node-gyp: npm names it to lifecycle scripts; otherwise it sits inside npm. */
function nodeGypScript(): string {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  if (nodeGypPath) return nodeGypPath;
  const global = spawnSync(npmCommand(), ["root", "-g"], { encoding: "utf8" }).stdout.trim();
  const script = path.join(global, "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
  if (!existsSync(script)) throw new Error(`node-gyp not found (looked at ${script})`);
  return (nodeGypPath = script);
}

/**
 * The running Node's own headers, so node-gyp never tries to download them: npm's
 * `nodedir` setting, else the install prefix of this `node` when it ships its headers.
 */
function nodedirArgs(): string[] {
  const configured = process.env.npm_config_nodedir;
  if (configured) return [`--nodedir=${configured}`];
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  return existsSync(path.join(prefix, "include", "node", "node_api.h"))
    ? [`--nodedir=${prefix}`]
    : [];
}

function npmCommand(): string {
  return process.platform === "win32" ? "npm.cmd" : "npm";
}

function run(command: string, args: string[], cwd: string): void {
  const env = {
    ...process.env,
    npm_config_node_gyp: nodeGypScript(),
    // Installs as root would otherwise refuse lifecycle steps; inner npx must not prompt.
    npm_config_unsafe_perm: "true",
    npm_config_yes: "true",
  };
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-40).join("\n");
    throw new Error(`\`${[command, ...args].join(" ")}\` failed in ${cwd}:\n${output}`);
  }
}

function findOnPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
    if (folder && existsSync(path.join(folder, name))) return path.join(folder, name);
  }
  return undefined;
}

if (require.main === module) {
  try {
    const entry = ensureCodeServer();
    console.log(`code-server ${CODE_SERVER_VERSION}: ${path.relative(process.cwd(), entry)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
