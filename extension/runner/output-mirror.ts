// The runner's copy of WASI output for its caller, written as it happens to a pipe the
// caller reads (fd OUTPUT_FD_ENV names it), in frames: [kind u8][length u32 LE][payload].
// A watchdog kill ends the runner in the middle of a call; the caller still has every
// byte written before it, framed by request, so a time-out does not lose the output.
// The frames are ours: module bytes are only ever a payload, so a module cannot forge a
// boundary.

import { writeSync } from "node:fs";

/** The environment variable the client sets to the fd of the pipe. */
export const OUTPUT_FD_ENV = "WASM_COW_OUTPUT_FD";

export const FRAME_REQUEST = 0; // payload: the request id (u32 LE)
export const FRAME_STDOUT = 1;
export const FRAME_STDERR = 2;

const HEADER = 5;

export function encodeFrame(kind: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(HEADER + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, payload.length, true);
  frame.set(payload, HEADER);
  return frame;
}

/** Splits a byte stream into frames; keeps a partial frame until the rest arrives. */
export class FrameReader {
  private pending = new Uint8Array(0);

  push(chunk: Uint8Array, onFrame: (kind: number, payload: Uint8Array) => void): void {
    const bytes = new Uint8Array(this.pending.length + chunk.length);
    bytes.set(this.pending);
    bytes.set(chunk, this.pending.length);
    let at = 0;
    while (bytes.length - at >= HEADER) {
      const view = new DataView(bytes.buffer, at);
      const length = view.getUint32(1, true);
      if (bytes.length - at < HEADER + length) break;
      onFrame(view.getUint8(0), bytes.subarray(at + HEADER, at + HEADER + length));
      at += HEADER + length;
    }
    this.pending = bytes.slice(at);
  }
}

export class OutputMirror {
  private constructor(private fd: number | null) {}

  /** The mirror the client asked for, or null (a runner session used in-process). */
  static fromEnvironment(): OutputMirror | null {
    const fd = Number(process.env[OUTPUT_FD_ENV]);
    return Number.isSafeInteger(fd) && fd > 2 ? new OutputMirror(fd) : null;
  }

  beginRequest(id: number): void {
    const payload = new Uint8Array(4);
    new DataView(payload.buffer).setUint32(0, id >>> 0, true);
    this.send(encodeFrame(FRAME_REQUEST, payload));
  }

  write(fd: 1 | 2, bytes: Uint8Array): void {
    this.send(encodeFrame(fd === 1 ? FRAME_STDOUT : FRAME_STDERR, bytes));
  }

  private send(frame: Uint8Array): void {
    if (this.fd === null) return;
    let at = 0;
    try {
      // Blocking writes: the caller drains the pipe from its own event loop.
      while (at < frame.length) at += writeSync(this.fd, frame, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") {
        this.fd = null; // the caller is gone: the runner is about to end too
        return;
      }
      // A non-blocking pipe that is full: wait a moment for the caller to drain it.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      this.send(frame.subarray(at));
    }
  }
}

/** The caller's side: what each request's call wrote, from the frames, kept until the
 *  next request begins (the runner sends only what it kept, so this is bounded too). */
export class OutputCollector {
  private readonly reader = new FrameReader();
  private request: number | null = null;
  private chunks: [Uint8Array[], Uint8Array[]] = [[], []];

  push(chunk: Uint8Array): void {
    this.reader.push(chunk, (kind, payload) => {
      if (kind === FRAME_REQUEST) {
        this.request = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
        this.chunks = [[], []];
      } else if (kind === FRAME_STDOUT || kind === FRAME_STDERR) {
        this.chunks[kind - 1]!.push(payload.slice());
      }
    });
  }

  /** What request `id` wrote, or null when it wrote nothing (or is not the last one). */
  outputOf(id: number): { stdout: string; stderr: string } | null {
    if (this.request !== id) return null;
    const [stdout, stderr] = this.chunks.map((list) => Buffer.concat(list).toString("utf8"));
    return stdout || stderr ? { stdout: stdout!, stderr: stderr! } : null;
  }
}
