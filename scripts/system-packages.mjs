#!/usr/bin/env node
// The system packages each npm script needs, checked before it starts and, when run as
// root on Debian (CI, a fresh machine), installed with apt-get: nothing to do by hand.
// Otherwise the script stops at once with the exact command to run.
//
//   node scripts/system-packages.mjs PURPOSE...     (native, lint, test, code-server)
//
// native       node-gyp builds the addon (`npm ci`): g++, make, python3
// lint         clang-format, the C++ style check of `npm run lint`
// test         wabt (wasm-objdump, wast2json), chromium (the webview tests), the real
//              Wasmtime 49 the fidelity tests compare with (`pip install wasmtime==49.0.0`),
//              and tracefs mounted, whose syscall tracepoint ids the Wasmtime engine reads
// code-server  installing code-server offline (`npm start`, `npm run test:e2e`): Debian's
//              rg replaces the one @vscode/ripgrep downloads; kerberos, a native module of
//              VS Code, builds against krb5 with node-gyp; chromium drives it in the e2e tests
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** @param {string} name */
const onPath = (name) =>
  (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((folder) => folder !== "" && existsSync(path.join(folder, name)));

/** @param {string} command @param {string[]} args */
const succeeds = (command, args) =>
  spawnSync(command, args, { stdio: "ignore", timeout: 30_000 }).status === 0;

/** Debian package → whether what it provides is here. @type {Record<string, () => boolean>} */
const PACKAGES = {
  "g++": () => onPath("g++"),
  make: () => onPath("make"),
  python3: () => onPath("python3"),
  "clang-format": () => onPath("clang-format"),
  wabt: () => onPath("wasm-objdump") && onPath("wast2json"),
  chromium: () => onPath("chromium"),
  ripgrep: () => onPath("rg"),
  "pkg-config": () => onPath("pkg-config"),
  "libkrb5-dev": () => existsSync("/usr/include/gssapi/gssapi.h"),
  "python3-pip": () => succeeds("python3", ["-m", "pip", "--version"]),
};

/** @type {Record<string, string[]>} */
const PURPOSES = {
  native: ["g++", "make", "python3"],
  lint: ["clang-format"],
  test: ["wabt", "chromium", "python3"],
  "code-server": ["ripgrep", "pkg-config", "libkrb5-dev", "g++", "make", "python3", "chromium"],
};

const WASMTIME = "wasmtime==49.0.0";
const TRACEFS = "/sys/kernel/tracing";

const hasWasmtime = () => {
  const probe = spawnSync(
    "python3",
    ["-c", "import importlib.metadata as m; print(m.version('wasmtime'))"],
    { encoding: "utf8", timeout: 30_000 },
  );
  return probe.status === 0 && probe.stdout.trim().startsWith("49.");
};

const tracefsMounted = () => existsSync(path.join(TRACEFS, "events"));

/** One step still to do: what is missing, how to get it, and whether we may do it here. */
class Missing extends Error {}

const isRoot = () => process.getuid?.() === 0;

/** @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} [env] */
function run(command, args, env) {
  console.log(`system-packages: ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Missing(`\`${[command, ...args].join(" ")}\` failed`);
}

// apt-get update only when the package lists are missing or older than a day (.ci/run
// has just updated them; a second update would cost seconds for nothing).
function aptListsFresh() {
  const lists = "/var/lib/apt/lists";
  if (!existsSync(lists)) return false;
  const files = readdirSync(lists).filter((name) => name.endsWith("_Packages"));
  return files.some((name) => Date.now() - statSync(path.join(lists, name)).mtimeMs < 86_400_000);
}

/** @param {string[]} packages */
function installPackages(packages) {
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  if (!isRoot() || !onPath("apt-get")) {
    throw new Missing(
      `missing system packages: ${packages.join(" ")}\n` +
        (onPath("apt-get")
          ? `  sudo sh -c '${command}'`
          : `  install them with your system's package manager (Debian names given)`),
    );
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!aptListsFresh()) run("apt-get", ["update"], env);
  run("apt-get", ["install", "-y", "--no-install-recommends", ...packages], env);
}

/** Checks (and as root installs) what `purposes` need; throws Missing with the command. */
export function ensureSystemPackages(/** @type {string[]} */ purposes) {
  const unknown = purposes.filter((purpose) => !(purpose in PURPOSES));
  if (unknown.length) throw new Missing(`unknown purpose ${unknown.join(", ")}`);
  const wanted = [...new Set(purposes.flatMap((purpose) => PURPOSES[purpose]))];
  const needsWasmtime = purposes.includes("test") && !hasWasmtime();
  if (needsWasmtime) wanted.push("python3-pip");
  const missing = wanted.filter((name) => !PACKAGES[name]());
  if (missing.length) installPackages(missing);
  if (needsWasmtime) {
    // Debian's python3 refuses to install into itself (PEP 668); as root on a machine
    // set up for these tests that is what is wanted.
    if (!isRoot()) {
      throw new Missing(
        `the real Wasmtime the tests compare with is missing:\n  python3 -m pip install ${WASMTIME}`,
      );
    }
    run("python3", ["-m", "pip", "install", WASMTIME], { PIP_BREAK_SYSTEM_PACKAGES: "1" });
  }
  if (purposes.includes("test") && !tracefsMounted()) {
    if (!isRoot()) {
      throw new Missing(
        `tracefs is not mounted (the syscall-count tests read tracepoint ids there, and need root):\n  sudo mount -t tracefs nodev ${TRACEFS}`,
      );
    }
    run("mount", ["-t", "tracefs", "nodev", TRACEFS]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    ensureSystemPackages(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof Missing)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
}
