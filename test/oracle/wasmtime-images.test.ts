// The real Wasmtime 49.0.0 as the oracle for our report: for every spec-suite module with
// a memory, every example and every generated edge case, Wasmtime's compile verdict
// (default configuration) and the copy-on-write images it really mapped must be what
// `inspectModule` says. Also checks the oracle itself on Wasmtime's known behaviour, and
// takes Wasmtime 49's default verdict for one probe module per WebAssembly feature.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { readModule } from "../../extension/analysis/module-reader";
import { buildExamples } from "../../scripts/build-examples";
import { EDGE_MODULES, FEATURE_PROBES } from "../helpers/edge-modules";
import {
  isBinaryModule,
  readSpecModule,
  specCommands,
  where,
  type SpecSet,
} from "../helpers/spec-suite";
import {
  differential,
  runWasmtimeOracle,
  SWITCHED,
  type OracleImage,
  type OracleOptions,
  type OracleResult,
  type Subject,
} from "../helpers/wasmtime-oracle";

/** Small modules compile in tens of milliseconds; a start function gets 2 s. */
const OPTIONS: OracleOptions = { instantiateTimeoutMs: 2_000, moduleTimeoutMs: 120_000 };
const TIMEOUT = 20 * 60_000;

// --- the oracle itself --------------------------------------------------------------

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** An image of `length` bytes holding `text` at `at`, zeros elsewhere. */
function imageOf(length: number, at = 0, text = ""): string {
  const image = new Uint8Array(length);
  image.set(Buffer.from(text, "latin1"), at);
  return sha256(image);
}

const edge = (id: string): Uint8Array => {
  const found = EDGE_MODULES.find((m) => m.id === id) ?? FEATURE_PROBES.find((m) => m.id === id);
  assert.ok(found, `no edge module or probe ${id}`);
  return found.bytes;
};

const image = (result: OracleResult | undefined, memory = 0): OracleImage | null | undefined =>
  result?.memories?.[memory]?.image;

test("the oracle reproduces Wasmtime 49's documented behaviour", { timeout: TIMEOUT }, async () => {
  const ids = [
    "zeros/4 zero bytes at 0",
    "zeros/10,000 zero bytes at 5,000",
    "imported/imported memory plus defined memory with data",
    "legacy-exceptions: try, catch_all",
    "custom page size/65,536 bytes explicit",
    "start/no start function, memory exported",
    "start/start function traps",
    "start/start function loops forever",
    "multi-memory/data in both memories",
    "density/span dense limit - 1",
    "density/span exactly the dense limit",
  ];
  const modules = [
    ...ids.map((id) => ({ id, bytes: edge(id) })),
    {
      id: "custom pages on",
      bytes: edge("custom page size/65,536 bytes explicit"),
      features: ["custom_page_sizes"],
    },
    {
      id: "shared on",
      bytes: edge("shared/shared memory with data"),
      features: ["shared_memory"],
    },
  ];
  const results = await runWasmtimeOracle(modules, OPTIONS);
  const get = (id: string): OracleResult => results.get(id)!;
  const mapped = (id: string, memory = 0) => {
    const found = image(get(id), memory);
    return found && { offset: found.offset, length: found.length, sha256: found.sha256 };
  };

  // All-zero data gets an image of zeros (real-wasmtime.md, wasmtime-cow.md §1.3).
  assert.deepEqual(mapped("zeros/4 zero bytes at 0"), {
    offset: 0,
    length: 4096,
    sha256: imageOf(4096),
  });
  assert.equal(image(get("zeros/4 zero bytes at 0"))?.memfdSize, 4096);
  assert.deepEqual(mapped("zeros/10,000 zero bytes at 5,000"), {
    offset: 4096,
    length: 12288,
    sha256: imageOf(12288),
  });
  // A module importing any memory maps no image, not even for its defined memory.
  const imported = get("imported/imported memory plus defined memory with data");
  assert.equal(imported.instantiated, "ok");
  assert.deepEqual(
    imported.memories?.map((m) => m.image),
    [null, null],
  );
  // Legacy exception handling: refused, in Wasmtime's words with the offset.
  const legacy = get("legacy-exceptions: try, catch_all");
  assert.equal(legacy.compiles, false);
  assert.match(
    legacy.error ?? "",
    /^Invalid input WebAssembly code at offset \d+: legacy_exceptions feature required for try instruction$/,
  );
  // Custom page sizes are off by default; on, a 64 KiB page size behaves as usual.
  assert.equal(get("custom page size/65,536 bytes explicit").compiles, false);
  assert.deepEqual(mapped("custom pages on"), {
    offset: 0,
    length: 4096,
    sha256: imageOf(4096, 100, "xyz"),
  });
  // The memfd exists from the first instantiation on, before the start function runs;
  // the base found through the guard region equals the exported memory's data_ptr.
  const abc = { offset: 69632, length: 4096, sha256: imageOf(4096, 70_000 - 69632, "abc") };
  assert.deepEqual(mapped("start/no start function, memory exported"), abc);
  assert.equal(
    image(get("start/no start function, memory exported"))?.attributedBy,
    "exported memory's data_ptr",
  );
  assert.match(get("start/start function traps").instantiated ?? "", /^trapped: .*unreachable/);
  assert.deepEqual(mapped("start/start function traps"), abc);
  assert.match(get("start/start function loops forever").instantiated ?? "", /^timed out/);
  assert.deepEqual(mapped("start/start function loops forever"), abc);
  // Two memories, one image each.
  const both = "multi-memory/data in both memories";
  assert.equal(get(both).instantiatedFrom, "a copy exporting every memory");
  assert.deepEqual(mapped(both, 0), {
    offset: 4096,
    length: 4096,
    sha256: imageOf(4096, 904, "abc"),
  });
  assert.deepEqual(mapped(both, 1), {
    offset: 8192,
    length: 4096,
    sha256: imageOf(4096, 808, "xyz"),
  });
  // The dense limit is strict: a 16 MiB - 1 span is accepted, 16 MiB is not.
  assert.equal(image(get("density/span dense limit - 1"))?.length, 16 * 1024 * 1024);
  assert.equal(image(get("density/span exactly the dense limit")), null);
  // A defined shared memory gets its image (with the host allowed to create one).
  assert.deepEqual(mapped("shared on"), {
    offset: 4096,
    length: 4096,
    sha256: imageOf(4096, 904, "xyz"),
  });
});

// --- the differential ------------------------------------------------------------------

/** Commands whose module decodes and validates (an assert_uninstantiable module traps
 *  at instantiation, an assert_unlinkable one needs imports the script cannot give). */
const VALID_MODULE_COMMANDS = new Set(["module", "assert_uninstantiable", "assert_unlinkable"]);

function hasMemory(bytes: Uint8Array): boolean {
  try {
    return readModule(bytes).memories.length > 0;
  } catch {
    return true; // our reader refuses it: Wasmtime's verdict is compared instead
  }
}

function specSubjects(set: SpecSet): Subject[] {
  return specCommands(
    (c) => c.set === set && VALID_MODULE_COMMANDS.has(c.type) && isBinaryModule(c),
  )
    .map((c) => ({ label: where(c), fileName: path.basename(c.file!), bytes: readSpecModule(c) }))
    .filter((s) => hasMemory(s.bytes));
}

async function exampleSubjects(): Promise<Subject[]> {
  const dir = path.resolve(process.cwd(), "examples/build");
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith(".wasm"))) await buildExamples();
  return readdirSync(dir)
    .filter((f) => f.endsWith(".wasm"))
    .sort()
    .map((f) => ({ label: `examples/${f}`, fileName: f, bytes: readFileSync(path.join(dir, f)) }));
}

const edgeSubjects = (): Subject[] =>
  EDGE_MODULES.map((m) => ({
    label: m.id,
    fileName: "edge.wasm",
    bytes: m.bytes,
    switches: m.switches,
  }));

async function compareAll(t: TestContext, subjects: Subject[], minimum: number): Promise<void> {
  const { disagreements, counts } = await differential(subjects, OPTIONS);
  t.diagnostic(
    `${counts.modules} modules, ${counts.oracleRuns} Wasmtime runs: ${counts.verdicts} compile verdicts, ` +
      `${counts.compiled} compiled, ${counts.memories} memories compared, ${counts.images} images on both sides`,
  );
  for (const line of disagreements) t.diagnostic(line);
  assert.ok(counts.modules >= minimum, `only ${counts.modules} modules`);
  assert.deepEqual(disagreements, []);
}

test("spec suite 2.0: Wasmtime agrees with our report", { timeout: TIMEOUT }, (t) =>
  compareAll(t, specSubjects("wasm-2.0"), 100),
);

test("spec suite 3.0: Wasmtime agrees with our report", { timeout: TIMEOUT }, (t) =>
  compareAll(t, specSubjects("wasm-3.0"), 100),
);

test("examples: Wasmtime agrees with our report", { timeout: TIMEOUT }, async (t) =>
  compareAll(t, await exampleSubjects(), 5),
);

test("edge cases: Wasmtime agrees with our report", { timeout: TIMEOUT }, (t) =>
  compareAll(t, edgeSubjects(), 40),
);

test(
  "feature probes: Wasmtime 49's default verdict agrees with ours",
  { timeout: TIMEOUT },
  async (t) => {
    const subjects = FEATURE_PROBES.map((p) => ({
      label: p.id,
      fileName: "probe.wasm",
      bytes: p.bytes,
      switches: p.switches,
    }));
    const { disagreements, results } = await differential(subjects, OPTIONS);
    // The table for wasmtime-verdict.ts: default verdict, and with the feature's switch.
    for (const probe of FEATURE_PROBES) {
      const plain = results.get(probe.id)!;
      const switched = results.get(probe.id + SWITCHED);
      const on = switched ? `; with ${probe.switches.join(", ")}: ${verdictText(switched)}` : "";
      t.diagnostic(`${probe.feature} (${probe.id}): default ${verdictText(plain)}${on}`);
    }
    assert.deepEqual(disagreements, []);
  },
);

function verdictText(result: OracleResult): string {
  return result.compiles ? "compiles" : `refused: ${result.error ?? result.status}`;
}
