// parseWebviewMessage: the host's gate for everything the webview posts. Valid messages
// come back as they are; malformed ones (wrong types, out-of-range numbers, unknown
// types, junk) come back as null; extra properties never reach the host.

import assert from "node:assert/strict";
import { test } from "node:test";
import { TARGET_PAGE_SIZES } from "../../extension/analysis/image-planner";
import {
  MAX_ARGUMENT_CHARS,
  MAX_READ_BYTES,
  parseWebviewMessage,
  type WebviewMessage,
} from "../../common/webview-protocol";

const READ: WebviewMessage = {
  type: "readBytes",
  requestId: 7,
  side: "left",
  source: "image",
  memory: 0,
  offset: 4096,
  length: 4096,
};

const VALID: WebviewMessage[] = [
  { type: "ready" },
  { type: "compareWith" },
  READ,
  { ...READ, side: "right", source: "live", memory: 3, offset: 0, length: 0, requestId: 0 },
  // The largest target page must be readable at once (the hex view shows one page).
  { ...READ, length: Math.max(...TARGET_PAGE_SIZES) },
  { ...READ, offset: Number.MAX_SAFE_INTEGER },
  { type: "run", engines: ["v8"], action: "instantiate" },
  { type: "run", engines: ["v8"], action: "instantiateOther" },
  { type: "run", engines: ["v8"], action: "release" },
  { type: "run", engines: ["v8"], action: "runToEnd" },
  { type: "run", engines: ["wasmtime"], action: "instantiate" },
  { type: "run", engines: ["v8", "wasmtime"], action: "release" },
  { type: "run", engines: ["v8"], action: "invoke", export: "touch", args: [] },
  { type: "run", engines: ["v8"], action: "invoke", export: "add", args: ["1", "-2", "0x10"] },
  {
    type: "run",
    engines: ["v8"],
    action: "invoke",
    export: "e".repeat(1024),
    args: Array(64).fill("a"),
  },
  { type: "run", engines: ["v8"], action: "invoke", export: "f", args: ["x".repeat(256)] },
  // A component's arguments: one JSON array, up to the limit.
  {
    type: "run",
    engines: ["wasmtime"],
    action: "invoke",
    export: "hello",
    args: [JSON.stringify(["x".repeat(MAX_ARGUMENT_CHARS - 6)])],
  },
  { type: "manageTrust" },
  { type: "setReset", strategy: "madvise", keepResidentBytes: 0 },
  { type: "setReset", strategy: "keep-resident", keepResidentBytes: 1048576 },
  { type: "setReset", strategy: "pagemap", keepResidentBytes: 4096 },
  { type: "exportReport", format: "json" },
  { type: "exportReport", format: "markdown" },
  { type: "chooseModule", side: "left", module: 0 },
  { type: "chooseModule", side: "right", module: 12 },
  { type: "exportLab", format: "json" },
  { type: "error", message: "" },
  { type: "error", message: "TypeError: x is undefined" },
];

test("every valid message is accepted unchanged", () => {
  for (const message of VALID) {
    // A structured clone, as postMessage delivers it.
    assert.deepEqual(parseWebviewMessage(structuredClone(message)), message);
  }
});

test("error messages are cut to 2000 characters", () => {
  const parsed = parseWebviewMessage({ type: "error", message: "é".repeat(5000) });
  assert.deepEqual(parsed, { type: "error", message: "é".repeat(2000) });
});

/** `base` with one property replaced (or removed, for undefined). */
function withField(base: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

const BAD_COUNTS = [-1, 1.5, NaN, Infinity, 2 ** 53, "4", null, undefined, 4n, [4], { n: 4 }];

const MALFORMED: [string, unknown][] = [
  ...BAD_COUNTS.flatMap((bad) =>
    ["requestId", "memory", "offset", "length"].map((key): [string, unknown] => [
      `readBytes.${key} = ${String(bad)}`,
      withField(READ, key, bad),
    ]),
  ),
  ["readBytes.length > MAX_READ_BYTES", { ...READ, length: MAX_READ_BYTES + 1 }],
  ["readBytes.length 2^31", { ...READ, length: 2 ** 31 }],
  ["readBytes.side", { ...READ, side: "middle" }],
  ["readBytes.side missing", withField(READ, "side", undefined)],
  ["readBytes.source", { ...READ, source: "disk" }],
  ["readBytes.source case", { ...READ, source: "IMAGE" }],
  ["run without action", { type: "run", engines: ["v8"] }],
  ["run without engines", { type: "run", action: "instantiate" }],
  ["run with no engine", { type: "run", engines: [], action: "instantiate" }],
  ["run with an unknown engine", { type: "run", engines: ["spidermonkey"], action: "release" }],
  ["run with an engine twice", { type: "run", engines: ["v8", "v8"], action: "release" }],
  ["run engines not an array", { type: "run", engines: "v8", action: "release" }],
  ["run unknown action", { type: "run", engines: ["v8"], action: "reboot" }],
  ["run action not a string", { type: "run", engines: ["v8"], action: 1 }],
  ["invoke without export", { type: "run", engines: ["v8"], action: "invoke", args: [] }],
  ["invoke empty export", { type: "run", engines: ["v8"], action: "invoke", export: "", args: [] }],
  [
    "invoke export too long",
    { type: "run", engines: ["v8"], action: "invoke", export: "e".repeat(1025), args: [] },
  ],
  [
    "invoke export not a string",
    { type: "run", engines: ["v8"], action: "invoke", export: 5, args: [] },
  ],
  ["invoke without args", { type: "run", engines: ["v8"], action: "invoke", export: "f" }],
  [
    "invoke args not an array",
    { type: "run", engines: ["v8"], action: "invoke", export: "f", args: "1,2" },
  ],
  [
    "invoke numeric arg",
    { type: "run", engines: ["v8"], action: "invoke", export: "f", args: [1] },
  ],
  [
    "invoke null arg",
    { type: "run", engines: ["v8"], action: "invoke", export: "f", args: [null] },
  ],
  [
    "invoke 65 args",
    { type: "run", engines: ["v8"], action: "invoke", export: "f", args: Array(65).fill("1") },
  ],
  [
    "invoke arg too long",
    {
      type: "run",
      engines: ["v8"],
      action: "invoke",
      export: "f",
      args: ["1".repeat(MAX_ARGUMENT_CHARS + 1)],
    },
  ],
  ["setReset unknown strategy", { type: "setReset", strategy: "munmap", keepResidentBytes: 0 }],
  ["setReset strategy missing", { type: "setReset", keepResidentBytes: 0 }],
  ["setReset unaligned bytes", { type: "setReset", strategy: "madvise", keepResidentBytes: 4095 }],
  ["setReset negative bytes", { type: "setReset", strategy: "madvise", keepResidentBytes: -4096 }],
  ["setReset bytes string", { type: "setReset", strategy: "madvise", keepResidentBytes: "4096" }],
  ["setReset bytes 2^53", { type: "setReset", strategy: "madvise", keepResidentBytes: 2 ** 53 }],
  ["setReset bytes missing", { type: "setReset", strategy: "madvise" }],
  ["exportReport unknown format", { type: "exportReport", format: "pdf" }],
  ["exportReport format missing", { type: "exportReport" }],
  ["chooseModule negative", { type: "chooseModule", side: "left", module: -1 }],
  ["chooseModule fraction", { type: "chooseModule", side: "left", module: 0.5 }],
  ["chooseModule side", { type: "chooseModule", side: "top", module: 0 }],
  ["chooseModule missing module", { type: "chooseModule", side: "left" }],
  ["error message not a string", { type: "error", message: { text: "x" } }],
  ["error message missing", { type: "error" }],
  // Unknown types, host-to-webview types, case variants.
  ["unknown type", { type: "shutdown" }],
  ["host message type", { type: "init", view: "inspector" }],
  ["host message type bytes", { type: "bytes", requestId: 1, bytes: null, error: null }],
  ["type case", { type: "READY" }],
  ["empty type", { type: "" }],
  ["type not a string", { type: 1 }],
  ["type an array", { type: ["ready"] }],
  ["no type", { action: "instantiate" }],
  // Junk instead of a message.
  ["null", null],
  ["undefined", undefined],
  ["a number", 42],
  ["a string", "ready"],
  ["a JSON string", JSON.stringify({ type: "ready" })],
  ["an array", [{ type: "ready" }]],
  ["an array with type", Object.assign([], { type: "ready" })],
  ["a boolean", true],
];

test("malformed messages are rejected", () => {
  for (const [what, value] of MALFORMED) {
    assert.equal(parseWebviewMessage(value), null, what);
  }
});

test("extra properties never reach the host", () => {
  for (const message of VALID) {
    const padded = { ...message, extra: "junk", nested: { polluted: true }, eval: "alert(1)" };
    const parsed = parseWebviewMessage(structuredClone(padded));
    // Rejected, or exactly the message without the junk.
    if (parsed !== null) assert.deepEqual(parsed, message, message.type);
  }
});
