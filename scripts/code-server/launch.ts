// Starts code-server on a free loopback port with a fresh profile (user data and extensions
// folders made for this run only), the packaged extension installed from its .vsix, and a
// folder open. code-server runs in its own process group so `stop()` can end it together
// with everything it started (extension host, our runner, watchers) by that one id.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { CODE_SERVER_VERSION, ensureCodeServer } from "./install";
import { endProcessGroup, killGroupOnExit } from "./process-group";

export interface LaunchOptions {
  /** The packaged extension, installed before the server starts. */
  vsix: string;
  /** The folder the workbench opens. */
  folder: string;
  /** Keep workspace trust on (the folder then opens in Restricted Mode until trusted). */
  workspaceTrust?: boolean;
  /** User settings written to the fresh profile's settings.json. */
  settings?: Record<string, unknown>;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  /** How long to wait for the server to answer. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface CodeServer {
  /** The workbench's address, with the folder open. */
  url: string;
  port: number;
  /** code-server's process id, which is also its process group id. */
  pid: number;
  /** Everything code-server printed. */
  logFile: string;
  /** The profile's user data folder (the workbench's logs are under `logs/`). */
  userData: string;
  /** Resolves with the exit code when the server process ends, for whatever reason. */
  exited: Promise<number | null>;
  /** Ends the process group (SIGTERM, then SIGKILL), then removes the profile folders. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5000;

export async function launchCodeServer(options: LaunchOptions): Promise<CodeServer> {
  const log = options.log ?? (() => {});
  const entry = ensureCodeServer(log);
  const base = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-code-server-"));
  const profile = {
    base,
    userData: path.join(base, "user-data"),
    extensions: path.join(base, "extensions"),
    config: path.join(base, "config.yaml"),
    log: path.join(base, "code-server.log"),
  };
  try {
    mkdirSync(path.join(profile.userData, "User"), { recursive: true });
    writeFileSync(
      path.join(profile.userData, "User", "settings.json"),
      JSON.stringify(options.settings ?? {}, null, 2),
    );
    writeFileSync(profile.config, "auth: none\ncert: false\n");
    installExtension(entry, profile, options.vsix);
    log(`code-server: installed ${path.basename(options.vsix)}`);
    const port = options.port ?? (await freePort());
    const child = startServer(entry, profile, port, options);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const cancelExitHook = killGroupOnExit(child.pid!);
    const stop = once(() =>
      stopGroup(child, exited).finally(() => {
        cancelExitHook();
        removeQuietly(base);
      }),
    );
    try {
      await waitUntilServing(port, exited, options.timeoutMs ?? 60_000);
    } catch (error) {
      const printed = tail(profile.log);
      await stop();
      throw new Error(`${(error as Error).message}\n${printed}`, { cause: error });
    }
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(options.folder))}`;
    log(`code-server ${CODE_SERVER_VERSION}: ${url} (pid ${child.pid})`);
    return {
      url,
      port,
      pid: child.pid!,
      logFile: profile.log,
      userData: profile.userData,
      exited,
      stop,
    };
  } catch (error) {
    removeQuietly(base);
    throw error;
  }
}

type Profile = { base: string; userData: string; extensions: string; config: string; log: string };

/** code-server keeps logs, a heartbeat and a device id under the XDG folders: keep them in
 *  the run's own folder rather than the user's home. */
function profileEnv(profile: Profile): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_DATA_HOME: path.join(profile.base, "xdg-data"),
    XDG_CONFIG_HOME: path.join(profile.base, "xdg-config"),
    XDG_CACHE_HOME: path.join(profile.base, "xdg-cache"),
  };
}

function profileArgs(profile: Profile): string[] {
  return [
    "--user-data-dir",
    profile.userData,
    "--extensions-dir",
    profile.extensions,
    "--config",
    profile.config,
  ];
}

function installExtension(entry: string, profile: Profile, vsix: string): void {
  const result = spawnSync(
    process.execPath,
    [entry, ...profileArgs(profile), "--install-extension", path.resolve(vsix)],
    { encoding: "utf8", timeout: 120_000, env: profileEnv(profile) },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/.test(output)) {
    throw new Error(`code-server could not install ${vsix}:\n${output || result.error?.message}`);
  }
}

function startServer(
  entry: string,
  profile: Profile,
  port: number,
  options: LaunchOptions,
): ChildProcess {
  const args = [
    entry,
    ...profileArgs(profile),
    "--auth",
    "none",
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    ...(options.workspaceTrust ? [] : ["--disable-workspace-trust"]),
    path.resolve(options.folder),
  ];
  const out = openSync(profile.log, "a");
  try {
    // detached: its own process group, which stop() ends as a whole; Ctrl+C in a terminal
    // reaches only our process, which then stops it.
    return spawn(process.execPath, args, {
      detached: true,
      stdio: ["ignore", out, out],
      env: profileEnv(profile),
    });
  } finally {
    closeSync(out);
  }
}

/** Polls code-server's health endpoint until it answers (or the process dies). */
async function waitUntilServing(port: number, exited: Promise<number | null>, timeoutMs: number) {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`code-server exited (code ${exitCode})`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`code-server did not answer on port ${port} within ${timeoutMs} ms`);
}

async function stopGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.pid === undefined) return;
  await endProcessGroup(child.pid, STOP_GRACE_MS);
  await exited;
}

/** A port nobody listens on right now (the OS picks it; we release it for code-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "";
  }
}

function removeQuietly(folder: string): void {
  rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
}
