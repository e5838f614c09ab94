// Module bytes held as the editor holds a local file's (extension/editor/read-shared-file.ts):
// in a SharedArrayBuffer, which reaches the analysis worker without a copy.

export function asEditorHoldsThem(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}
