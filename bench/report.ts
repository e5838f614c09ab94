// Output shared by the benches: a Markdown table for the console (and the README), the
// facts about the machine a result was measured on, and the results JSON in the
// git-ignored bench/results/.

import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { toJsonText } from "../extension/analysis/json-text";

export interface MachineFacts {
  cores: number;
  cpu: string;
  kernel: string;
  node: string;
  v8: string;
}

export function machineFacts(): MachineFacts {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    kernel: os.release(), // what `uname -r` prints
    node: process.version,
    v8: process.versions.v8,
  };
}

export function describeMachine(facts: MachineFacts = machineFacts()): string {
  return `${facts.cores} cores (${facts.cpu}), Linux ${facts.kernel}, Node ${facts.node} (V8 ${facts.v8})`;
}

/** Writes bench/results/NAME.json (bigint-aware) with the machine facts. */
export function writeResults(name: string, results: unknown): string {
  const directory = path.resolve(process.cwd(), "bench/results");
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.json`);
  writeFileSync(file, toJsonText({ machine: machineFacts(), results }) + "\n");
  return file;
}
