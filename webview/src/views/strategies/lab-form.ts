// The Strategies tab's form as text fields, parsed into the lab's options with the same
// bounds the host checks (common/lab-options.ts): an error in words, or the options.

import { splitInvocation } from "../../../../common/invocation";
import { MAX_LAB_INSTANCES, MAX_LAB_THREADS } from "../../../../common/lab-options";
import type { LabInvoke, LabOptions, LabStrategy } from "../../../../common/lab-types";

export interface LabFormFields {
  /** `NAME=ARG,ARG; NAME`: the exports each instance calls, in order. */
  workload: string;
  instances: string;
  /** `1,2,4` */
  threads: string;
  strategies: LabStrategy[];
  madviseSizes: boolean;
}

export function parseWorkload(text: string): LabInvoke[] {
  return text
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const { name, args } = splitInvocation(part);
      return { name: name.trim(), args: args.map((a) => a.trim()) };
    });
}

export function labOptionsFrom(fields: LabFormFields): { options: LabOptions } | { error: string } {
  const instances = /^\d+$/.test(fields.instances.trim()) ? Number(fields.instances) : NaN;
  if (!(instances >= 1 && instances <= MAX_LAB_INSTANCES))
    return { error: `Instances must be a whole number from 1 to ${MAX_LAB_INSTANCES}.` };
  const threadTexts = fields.threads
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  const threads = threadTexts.map((t) => (/^\d+$/.test(t) ? Number(t) : NaN));
  if (threads.length > 8 || threads.some((t) => !(t >= 1 && t <= MAX_LAB_THREADS)))
    return {
      error: `Threads must be up to 8 counts from 1 to ${MAX_LAB_THREADS}, separated by commas.`,
    };
  if (!fields.strategies.length) return { error: "Choose at least one strategy." };
  const invokes = parseWorkload(fields.workload);
  if (invokes.some((i) => i.name.length === 0))
    return { error: "Every call of the workload needs an export name (NAME=ARG,ARG)." };
  return {
    options: {
      invokes,
      instances,
      threads: [...new Set(threads)],
      strategies: fields.strategies,
      madviseSizes: fields.madviseSizes,
    },
  };
}
