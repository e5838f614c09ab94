// `npm start`: VS Code in the browser with the freshly packaged extension and the sample
// modules open, for someone without VS Code at hand. `npm start` first builds and packages
// (`npm run package`); this installs code-server on first use (offline, into .vscode-test/),
// starts it on a free loopback port, prints the address and stops it on Ctrl+C.
// `npm start -- --port 8080` picks the port (for example to forward it from a remote machine).

import path from "node:path";
import { parseArgs } from "node:util";
import { launchCodeServer, type CodeServer } from "./code-server/launch";
import { vsixPath } from "./package";

const examples = path.resolve(__dirname, "../examples");

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" } } });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port: not a port number: ${values.port}`);
  }
  const server = await launchCodeServer({
    vsix: vsixPath(),
    folder: examples,
    port,
    log: console.log,
  });
  stopOnSignals(server);
  console.log(
    `\nWasm CoW Inspector in VS Code (code-server): ${server.url}\n` +
      "Open a .wasm file under build/ in the explorer. Press Ctrl+C to stop.",
  );
  const code = await server.exited;
  if (!stopping) {
    console.error(`code-server exited on its own (code ${code}); its log: ${server.logFile}`);
    process.exitCode = 1;
  }
}

let stopping = false;

function stopOnSignals(server: CodeServer): void {
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping code-server (pid ${server.pid})`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
