// What a WASI instance writes to stdout and stderr, captured in memory: the module's
// fd_write for fds 1 and 2 is ours, so nothing touches the disk and nothing can outlive
// the instance. Each stream keeps at most `maxBytes` per step; the rest is counted, not
// kept, so 600 MB of output costs neither memory nor a temporary file. What is kept is
// also mirrored to the caller as it is written (see output-mirror.ts), so the output of
// a call that the watchdog kills is not lost with the runner.

import type { OutputMirror } from "./output-mirror";

/** WASI errno values this file returns (wasi_snapshot_preview1). */
const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_FAULT = 21;

export interface StepOutput {
  stdout: string;
  stderr: string;
  /** Bytes written past the cap, by stream: counted, not kept. */
  dropped: { stdout: number; stderr: number };
}

type FdWrite = (fd: number, iovs: number, iovsLength: number, written: number) => number;

class Stream {
  private chunks: Uint8Array[] = [];
  kept = 0;
  dropped = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps what fits under the cap; returns the part kept. */
  append(bytes: Uint8Array): Uint8Array {
    const room = Math.max(0, this.maxBytes - this.kept);
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.dropped += bytes.length - kept.length;
    if (kept.length > 0) {
      this.chunks.push(kept.slice()); // a copy: the module may overwrite its buffer
      this.kept += kept.length;
    }
    return kept;
  }

  take(): { text: string; dropped: number } {
    const text = Buffer.concat(this.chunks).toString("utf8");
    const dropped = this.dropped;
    this.chunks = [];
    this.kept = 0;
    this.dropped = 0;
    return { text, dropped };
  }
}

export class OutputCapture {
  private readonly streams: [Stream, Stream];
  private memory: WebAssembly.Memory | null = null;

  constructor(
    maxBytes: number,
    private readonly mirror: OutputMirror | null,
  ) {
    this.streams = [new Stream(maxBytes), new Stream(maxBytes)];
  }

  /** The instance whose memory fd_write reads (WASI modules export it as "memory"). */
  attach(instance: WebAssembly.Instance): void {
    const memory = instance.exports.memory;
    this.memory = memory instanceof WebAssembly.Memory ? memory : null;
  }

  /** fd_write: fds 1 and 2 are captured; any other goes to `fallback` (node:wasi). */
  fdWrite(fallback: FdWrite): FdWrite {
    return (fd, iovs, iovsLength, written) => {
      if (fd !== 1 && fd !== 2) return fallback(fd, iovs, iovsLength, written);
      if (!this.memory) return ERRNO_BADF; // before start/_initialize: node:wasi refuses too
      const view = new DataView(this.memory.buffer);
      const bytes = new Uint8Array(this.memory.buffer);
      let total = 0;
      try {
        for (let i = 0; i < iovsLength; i++) {
          const base = view.getUint32(iovs + i * 8, true);
          const length = view.getUint32(iovs + i * 8 + 4, true);
          if (base + length > bytes.length) return ERRNO_FAULT;
          const kept = this.streams[fd - 1]!.append(bytes.subarray(base, base + length));
          if (kept.length > 0) this.mirror?.write(fd, kept);
          total += length;
        }
        view.setUint32(written, total, true);
      } catch (error) {
        if (error instanceof RangeError) return ERRNO_FAULT; // a pointer out of bounds
        throw error;
      }
      return ERRNO_SUCCESS;
    };
  }

  /** What was written since the last call; null when nothing was. */
  take(): StepOutput | null {
    const [stdout, stderr] = this.streams.map((stream) => stream.take()) as [
      { text: string; dropped: number },
      { text: string; dropped: number },
    ];
    if (!stdout.text && !stderr.text && !stdout.dropped && !stderr.dropped) return null;
    return {
      stdout: stdout.text,
      stderr: stderr.text,
      dropped: { stdout: stdout.dropped, stderr: stderr.dropped },
    };
  }
}
