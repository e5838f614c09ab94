// The strategy lab (extension/runner/lab) in process, on dirty-per-call.wasm, whose
// `touch` writes one byte into the next 4 KiB page (page 0 first) and whose image holds
// data on pages 0 and 8 (examples/dirty-per-call.wat). The counts the lab reports are
// worked out from that, not from the lab's output: under userfaultfd each touch is one
// fault (a first write to an image page, copied in); with every instance live, each has
// its touched pages as private copies, and eager instances also page 8 (V8 wrote it).
// Times are only checked to be measurements (finite, not negative): never their size.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { TOOL_STRATEGIES, type LabReport, type LabOptions } from "../../common/lab-types";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { runLab } from "../../extension/runner/lab/lab-runner";
import { buildExamples } from "../../scripts/build-examples";
import { requireBackend } from "../helpers/native";

const addon = requireBackend();
const TOUCHES = 2;
const INSTANCES = 3;

const examples = new Map<string, Uint8Array>();
before(async () => {
  for (const file of await buildExamples())
    examples.set(path.basename(file, ".wasm"), readFileSync(file));
});

function lab(
  name: string,
  options: Partial<LabOptions> = {},
  wasmtime: { path: string; version: string } | null = null,
): Promise<LabReport> {
  return runLab(addon, {
    fileName: `${name}.wasm`,
    bytes: examples.get(name)!,
    wasmtime,
    options: {
      invokes: Array.from({ length: TOUCHES }, () => ({ name: "touch", args: [] })),
      instances: INSTANCES,
      threads: [1, 2],
      strategies: [...TOOL_STRATEGIES],
      madviseSizes: false,
      ...options,
    },
  });
}

function assertMeasured(value: number | undefined, what: string): void {
  assert.ok(value !== undefined && Number.isFinite(value) && value >= 0, `${what}: ${value}`);
}

describe("the lab on dirty-per-call.wasm", () => {
  let report: LabReport;
  before(async () => {
    report = await lab("dirty-per-call");
  });

  test("every strategy ran, in the order asked, with every figure measured", () => {
    assert.deepEqual(
      report.strategies.map((s) => [s.strategy, s.unavailable]),
      TOOL_STRATEGIES.map((s) => [s, null]),
    );
    assert.deepEqual(report.image, { memory: 0, offset: 0, length: 9 * 4096 });
    for (const s of report.strategies) {
      for (const [what, d] of Object.entries({
        instantiate: s.instantiate,
        workload: s.workload,
        reset: s.reset,
      })) {
        assert.equal(d?.runs, INSTANCES, `${s.strategy} ${what}`);
        assertMeasured(d?.median, `${s.strategy} ${what}`);
      }
      assert.equal(s.firstTouch?.pages, 9, "the image's 9 host pages are touched");
      assertMeasured(s.firstTouch?.readNsPerPage, `${s.strategy} first read`);
      assertMeasured(s.firstTouch?.writeNsPerPage, `${s.strategy} first write`);
    }
  });

  test("userfaultfd: one fault per page touched, in one thread and in several", () => {
    const uffd = report.strategies.find((s) => s.strategy === "userfaultfd")!;
    assert.equal(uffd.faults?.perInstance, TOUCHES);
    assertMeasured(uffd.faults?.serviceNsPerFault, "handler time");
    assert.deepEqual(
      uffd.scaling.map((p) => [p.threads, p.faults]),
      [
        [1, INSTANCES * TOUCHES],
        [2, 2 * INSTANCES * TOUCHES],
      ],
    );
    for (const s of report.strategies.filter((s) => s.strategy !== "userfaultfd")) {
      assert.equal(s.faults, null);
      assert.ok(s.scaling.every((p) => p.faults === null));
    }
    for (const s of report.strategies)
      for (const p of s.scaling) assertMeasured(p.instancesPerSecond, `${s.strategy} scaling`);
  });

  test("live instances: each touched page a private copy, nothing of the image shared", () => {
    const live = Object.fromEntries(report.strategies.map((s) => [s.strategy, s.live!]));
    for (const strategy of ["cow-fresh", "cow-affine", "userfaultfd"]) {
      assert.equal(live[strategy]!.imagePagesPresent, INSTANCES * TOUCHES, strategy);
      assert.equal(live[strategy]!.imagePagesPrivate, INSTANCES * TOUCHES, strategy);
      assert.equal(live[strategy]!.rssBytes, INSTANCES * TOUCHES * 4096, strategy);
    }
    // V8 wrote both data pages; the touches rewrote page 0 and wrote page 1.
    assert.equal(live.eager!.imagePagesPrivate, INSTANCES * (TOUCHES + 1));
    for (const figures of Object.values(live)) {
      assert.equal(figures.instances, INSTANCES);
      assert.equal(figures.imageFramesShared, 0, "written pages are never shared");
    }
  });

  test("mappings: a fresh memory per instance adds some; an affine slot or a registration none", () => {
    const vmas = Object.fromEntries(report.strategies.map((s) => [s.strategy, s.vmas!]));
    assert.equal(vmas["cow-affine"]!.added, 0);
    assert.equal(vmas.userfaultfd!.added, 0);
    assert.ok(vmas["cow-fresh"]!.added > 0, `cow-fresh added ${vmas["cow-fresh"]!.added}`);
  });
});

test("a module without an image: the image strategies say why, eager runs", async () => {
  const report = await lab("pic", { invokes: [], threads: [1] });
  const [eager, ...imaged] = report.strategies;
  assert.equal(eager!.unavailable, null);
  assert.ok(eager!.instantiate);
  for (const s of imaged) {
    assert.match(s.unavailable ?? "", /gets no image \(no static image \(non-constant-offset\)/);
    assert.equal(s.instantiate, null);
    assert.deepEqual(s.scaling, []);
  }
});

test("a trapping workload: that strategy says which step failed, the others still run", async () => {
  // The 257th touch writes past the memory's 256 host pages.
  const report = await lab("dirty-per-call", {
    invokes: Array.from({ length: 257 }, () => ({ name: "touch", args: [] })),
    strategies: ["cow-affine", "eager"],
    threads: [],
  });
  for (const s of report.strategies) {
    assert.match(s.unavailable ?? "", /invoke touch failed: .*out of bounds/, s.strategy);
    assert.equal(s.instantiate, null);
  }
});

describe("real Wasmtime as a strategy", () => {
  test("its pooling allocator's times and mappings, and why the rest is missing", async () => {
    const search = findWasmtime();
    assert.ok("found" in search, `Wasmtime's library must be installed: ${JSON.stringify(search)}`);
    const report = await lab(
      "dirty-per-call",
      { strategies: ["cow-affine", "wasmtime"], threads: [1] },
      { path: search.found.path, version: search.found.version },
    );
    const wasmtime = report.strategies.find((s) => s.strategy === "wasmtime")!;
    assert.equal(wasmtime.unavailable, null);
    for (const d of [wasmtime.instantiate, wasmtime.workload, wasmtime.reset]) {
      assert.equal(d?.runs, INSTANCES);
      assertMeasured(d?.median, "wasmtime");
    }
    assert.ok(wasmtime.vmas, "mappings are counted");
    assert.equal(wasmtime.firstTouch, null);
    assert.equal(wasmtime.live, null);
    assert.deepEqual(wasmtime.scaling, []);
    assert.match(wasmtime.notes.join(" "), /no view of an instance's memory/);
  });

  test("without the library it says how to get it", async () => {
    const report = await lab("dirty-per-call", { strategies: ["wasmtime"], threads: [] });
    assert.match(report.strategies[0]!.unavailable ?? "", /pip3 install wasmtime==49\.0\.0/);
  });
});
