// Reads a file into memory shared between threads: the analysis worker gets the module's
// bytes without a copy. Structured cloning a 50 MB Uint8Array to a worker copies it twice
// (into the message and out of it), about 430 ms on the 2-core CI-kind VM where every
// fresh page costs a fault; a SharedArrayBuffer travels as a reference. Nothing writes to
// these bytes after the read. Node's child-process IPC ("advanced" serialization) still
// copies them to the runner, as it does any Uint8Array.

import { open } from "node:fs/promises";

export async function readSharedFile(path: string): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      // The file shrank since stat: its bytes are what could be read.
      if (bytesRead === 0) return bytes.subarray(0, at);
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
