// SIGINT and SIGTERM to the CLI while a run is in progress: the runner is ended by its pid
// before the CLI exits, with the shell's exit status for the signal (128 + its number).
// (A SIGKILL of the CLI cannot be caught: then the kernel ends the runner, see
// native/src/parent_death.cc.)

import type { RunnerClient } from "../runner/runner-client";
import type { CliIo } from "./cli-io";

const EXIT_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
type ForwardedSignal = keyof typeof EXIT_STATUS;

/** Installs the handlers for the duration of a run; returns their removal. */
export function endRunnerOnSignals(client: RunnerClient, io: CliIo): () => void {
  const installed = (Object.keys(EXIT_STATUS) as ForwardedSignal[]).map((signal) => {
    const handler = (): void => {
      const pid = client.pid;
      client.dispose(); // SIGKILL to the runner's pid
      io.stderr(
        `error: interrupted (${signal})${pid === null ? "" : `: the runner (pid ${pid}) was ended`}`,
      );
      process.exit(EXIT_STATUS[signal]);
    };
    process.on(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of installed) process.off(signal, handler);
  };
}
