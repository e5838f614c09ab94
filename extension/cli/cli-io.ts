// What a CLI command may touch: two output streams. Tests pass collectors.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A mistake in the command line: exit code 2 with the usage text. */
export class UsageError extends Error {}
