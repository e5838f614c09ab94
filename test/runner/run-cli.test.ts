// `wasm-cow run` through runCli (in process; the runner child runs the TypeScript
// sources through tsx) on the sample modules, plus one run of the built dist/cli.js.
// Expected page numbers come from the WAT sources: see examples/*.wat and
// test/helpers/runner-fixtures.ts.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { EXIT_STEP_FAILED } from "../../extension/cli/run-command";
import { captureCli, type CliRun } from "../helpers/cli-capture";
import { buildExamples } from "../../scripts/build-examples";
import { fixtureBytes, type RunnerFixture } from "../helpers/runner-fixtures";
import { assertNoRunnerLeft } from "../helpers/runner-process";

enableWasmFeatures();

const root = path.resolve(__dirname, "../..");
const HOST_PAGE = Number(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim());
const WASM_PAGE = 65536;
const PAGE_STATES = ["notPresent", "zero", "imageClean", "imageDirty", "anonDirty", "swapped"];

const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-run-"));
const examples = new Map<string, string>();
before(async () => {
  for (const file of await buildExamples()) examples.set(path.basename(file), file);
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await assertNoRunnerLeft();
});

function example(name: string): string {
  const file = examples.get(name);
  assert.ok(file, `${name} was not built`);
  return file;
}

async function fixtureFile(name: RunnerFixture): Promise<string> {
  const file = path.join(dir, `${name}.wasm`);
  writeFileSync(file, await fixtureBytes(name));
  return file;
}

function cli(...argv: string[]): Promise<CliRun> {
  return captureCli(["run", ...argv]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function runJson(...argv: string[]): Promise<Json> {
  const run = await cli(...argv, "--json");
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  return JSON.parse(run.stdout);
}

const stepsNamed = (report: Json, name: string): Json[] =>
  report.steps.filter((s: Json) => s.step === name);

/** Every memory snapshot of every step counts each host page exactly once, and only
 *  pages inside the mapped image can be image pages. */
function assertPagesAddUp(report: Json, memoryPages: number): void {
  for (const step of report.steps) {
    for (const memory of step.memories) {
      const total = PAGE_STATES.reduce((sum, state) => sum + memory.pages[state], 0);
      assert.equal(total, (memoryPages * WASM_PAGE) / HOST_PAGE, `${step.step} page total`);
      const imagePages = (memory.imageLength ?? 0) / HOST_PAGE;
      assert.ok(
        memory.pages.imageClean + memory.pages.imageDirty <= imagePages,
        `${step.step}: image pages ${JSON.stringify(memory.pages)} outside a ${imagePages}-page image`,
      );
    }
  }
}

const dirtyPages = (memory: Json): number => memory.pages.imageDirty + memory.pages.anonDirty;

describe("the JSON report", () => {
  test("backend and step fields, values and page totals (tiny.wasm, 3 instances)", async () => {
    const report = await runJson(example("tiny.wasm"), "--invoke", "greeting", "--instances", "3");
    assert.equal(typeof report.backend.pagemapScan, "boolean");
    assert.equal(typeof report.backend.pfnReadable, "boolean");
    assert.equal(report.backend.kernel, `${os.type()} ${os.release()}`);
    for (const step of report.steps) {
      for (const key of ["step", "export", "instance", "slot", "pick", "ns", "result", "error"])
        assert.ok(key in step, `${step.step} has ${key}`);
      for (const key of ["mmap", "mprotect", "madvise"])
        assert.equal(typeof step.syscalls[key], "number", `${step.step} syscalls.${key}`);
      assert.equal(typeof step.ns, "number");
      for (const memory of step.memories) {
        for (const key of ["memory", "sharedImagePages", "rssBytes", "privateDirtyBytes"])
          assert.ok(key in memory, `${step.step} memory has ${key}`);
        for (const state of PAGE_STATES) assert.equal(typeof memory.pages[state], "number");
      }
    }
    const perInstance = ["acquire", "map", "instantiate", "invoke", "reset"];
    assert.deepEqual(
      report.steps.map((s: Json) => s.step),
      ["plan", "image", ...perInstance, ...perInstance, ...perInstance],
    );
    // tiny.wat: greeting returns (i32.const 1024); memory of 1 page.
    for (const invoke of stepsNamed(report, "invoke")) {
      assert.equal(invoke.export, "greeting");
      assert.deepEqual(invoke.result, [{ type: "i32", value: 1024 }]);
    }
    assertPagesAddUp(report, 1);

    // Slot reuse: the first acquire takes a cold slot and maps the image with one mmap;
    // the others get the same slot back (affine) with the image still mapped.
    const acquires = stepsNamed(report, "acquire");
    assert.deepEqual(
      acquires.map((s: Json) => s.pick),
      ["cold", "affine", "affine"],
    );
    assert.equal(new Set(acquires.map((s: Json) => s.slot)).size, 1);
    assert.deepEqual(
      stepsNamed(report, "map").map((s: Json) => s.syscalls.mmap),
      [1, 0, 0],
    );
  });
});

describe("dirty pages (dirty-per-call.wasm)", () => {
  // dirty-per-call.wat: 16 pages; data ends at 0x8000 + 24 bytes, so the image is host
  // pages 0-8. Call k (1-based) stores into host page k-1 and returns 4096 * k.
  const IMAGE_PAGES = Math.ceil((0x8000 + "page 8: more image bytes".length) / HOST_PAGE);
  const CALLS = IMAGE_PAGES + 2;
  const touches = Array.from({ length: CALLS }, () => ["--invoke", "touch"]).flat();

  test("each touch dirties exactly one more page: image pages first, then anonymous", async () => {
    const report = await runJson(example("dirty-per-call.wasm"), ...touches);
    assert.deepEqual(report.module.images, [
      { memory: 0, offset: 0, length: IMAGE_PAGES * HOST_PAGE },
    ]);
    assertPagesAddUp(report, 16);
    const [instantiate] = stepsNamed(report, "instantiate");
    assert.equal(dirtyPages(instantiate.memories[0]), 0, "the image is mapped, not copied");
    stepsNamed(report, "invoke").forEach((step: Json, i: number) => {
      const k = i + 1;
      assert.equal(step.error, null);
      assert.deepEqual(step.result, [{ type: "i32", value: 4096 * k }]);
      const pages = step.memories[0].pages;
      assert.equal(pages.imageDirty, Math.min(k, IMAGE_PAGES), `imageDirty after call ${k}`);
      assert.equal(pages.anonDirty, Math.max(0, k - IMAGE_PAGES), `anonDirty after call ${k}`);
      assert.equal(step.memories[0].privateDirtyBytes, k * HOST_PAGE);
    });
  });

  test("--reset pagemap restores exactly the dirty pages", async () => {
    const report = await runJson(example("dirty-per-call.wasm"), ...touches, "--reset", "pagemap");
    const invokes = stepsNamed(report, "invoke");
    const dirty = dirtyPages(invokes.at(-1).memories[0]);
    assert.equal(dirty, CALLS);
    const [reset] = stepsNamed(report, "reset");
    assert.equal(reset.detail.strategy, "pagemap");
    assert.equal(reset.detail.pagesRestored, dirty);
    assert.equal(reset.detail.bytesResident, dirty * HOST_PAGE);
  });

  test("--reset madvise leaves no dirty page behind", async () => {
    const report = await runJson(
      example("dirty-per-call.wasm"),
      "--invoke",
      "touch",
      "--invoke",
      "touch",
      "--instances",
      "2",
      "--reset",
      "madvise",
    );
    const resets = stepsNamed(report, "reset");
    assert.equal(resets.length, 2);
    for (const reset of resets) {
      assert.equal(reset.syscalls.madvise, 1);
      assert.equal(dirtyPages(reset.memories[0]), 0);
    }
    // The second instance starts clean and dirties the same pages again.
    const invokes = stepsNamed(report, "invoke");
    assert.deepEqual(
      invokes.map((s: Json) => dirtyPages(s.memories[0])),
      [1, 2, 1, 2],
    );
  });
});

describe("initialisation modes (stack-first.wasm)", () => {
  // stack-first.wat: 32 pages; data at 0x100000 and 0x100400 (both in host page 256);
  // first_byte loads 0x100400, the byte 1.
  const IMAGE = { memory: 0, offset: 0x100000, length: HOST_PAGE };

  test("--init eager runs without mapping and V8 writes the segments", async () => {
    const report = await runJson(
      example("stack-first.wasm"),
      "--invoke",
      "first_byte",
      "--init",
      "eager",
    );
    assert.equal(report.init, "eager");
    assertPagesAddUp(report, 32);
    for (const map of stepsNamed(report, "map")) assert.equal(map.syscalls.mmap, 0);
    for (const step of report.steps) {
      for (const memory of step.memories) {
        assert.equal(memory.imageOffset, null);
        assert.equal(memory.pages.imageClean + memory.pages.imageDirty, 0, step.step);
      }
    }
    const [instantiate] = stepsNamed(report, "instantiate");
    assert.equal(instantiate.memories[0].pages.anonDirty, 1, "both segments share a page");
    assert.deepEqual(stepsNamed(report, "invoke")[0].result, [{ type: "i32", value: 1 }]);
  });

  test("--init cow reads the same byte from the mapped image", async () => {
    const report = await runJson(example("stack-first.wasm"), "--invoke", "first_byte");
    assert.deepEqual(report.module.images, [IMAGE]);
    assert.deepEqual(
      stepsNamed(report, "map").map((s: Json) => s.syscalls.mmap),
      [1],
    );
    const [invoke] = stepsNamed(report, "invoke");
    assert.deepEqual(invoke.result, [{ type: "i32", value: 1 }]);
    assert.equal(dirtyPages(invoke.memories[0]), 0, "reading dirties nothing");
    assert.ok(invoke.memories[0].pages.imageClean >= 1, "the page read is an image page");
  });

  test("--init userfaultfd: the page read is copied by the handler, one fault per page touched", async () => {
    const report = await runJson(
      example("stack-first.wasm"),
      "--invoke",
      "first_byte",
      "--init",
      "userfaultfd",
      "--instances",
      "2",
    );
    assert.equal(report.init, "userfaultfd");
    assert.deepEqual(report.module.images, [IMAGE]);
    assert.deepEqual(
      stepsNamed(report, "map").map((s: Json) => [s.syscalls.mmap, s.syscalls.ioctl]),
      [
        [0, 1],
        [0, 0],
      ],
      "registered once (UFFDIO_REGISTER), then reused affinely",
    );
    for (const invoke of stepsNamed(report, "invoke")) {
      assert.deepEqual(invoke.result, [{ type: "i32", value: 1 }]);
      const memory = invoke.memories[0];
      assert.equal(memory.origin.init, "userfaultfd");
      assert.deepEqual(
        [memory.userfaults.faults, memory.userfaults.copies, memory.userfaults.zeroPages],
        [1, 1, 0],
        "one fault: the image page read, copied",
      );
      assert.equal(memory.pages.imageDirty, 1, "a copied page is the instance's own");
      assert.equal(memory.pages.imageClean, 0);
    }
    const text = await cli(
      example("stack-first.wasm"),
      "--invoke",
      "first_byte",
      "--init",
      "userfaultfd",
    );
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /userfaultfd: the image copied in page by page/);
    assert.match(
      text.stdout,
      /invoke first_byte .* 1 \[1 fault: 1 copied, 0 zero pages, handler \d+\.\d µs\]/,
    );
  });

  test("a memory whose data is all zeros maps an image of zeros and writes nothing", async () => {
    // Real Wasmtime 49 maps a 4,096-byte memfd of zeros for four zero bytes at 0: its
    // zero trims find no non-zero byte and trim nothing.
    const report = await runJson(await fixtureFile("zeroData"), "--invoke", "first");
    assert.deepEqual(report.module.images, [{ memory: 0, offset: 0, length: HOST_PAGE }]);
    assert.deepEqual(
      stepsNamed(report, "map").map((s: Json) => s.syscalls.mmap),
      [1],
    );
    const [instantiate] = stepsNamed(report, "instantiate");
    assert.equal(dirtyPages(instantiate.memories[0]), 0);
    const [invoke] = stepsNamed(report, "invoke");
    assert.deepEqual(invoke.result, [{ type: "i32", value: 0 }]);
    assert.equal(invoke.memories[0].pages.imageClean, 1, "the page read is the image's page");
  });
});

describe("time limits", () => {
  test("a runaway start function times out and the next instance gets a fresh runner", async () => {
    const run = await cli(
      await fixtureFile("runawayStart"),
      "--timeout",
      "1000",
      "--instances",
      "2",
      "--json",
    );
    assert.equal(run.code, EXIT_STEP_FAILED, run.stderr);
    const report = JSON.parse(run.stdout);
    const instantiates = stepsNamed(report, "instantiate");
    // Two attempts, each killed by the watchdog: the second ran on a new runner
    // (a dead one would have failed it as a crash, not a time-out).
    assert.equal(instantiates.length, 2);
    for (const step of instantiates) assert.match(step.error, /timed out/);
  });

  test("--timeout limits calls into module code, not the runner's start-up", async () => {
    // A runner that takes 600 ms to start (a busy machine, simulated through
    // NODE_OPTIONS, which the runner inherits) under a 300 ms limit: tiny.wasm's calls
    // need a few milliseconds, so the run must succeed.
    const slow = path.join(dir, "slow-start.cjs");
    writeFileSync(slow, "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);\n");
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${saved ?? ""} --require "${slow}"`;
    let run: CliRun;
    try {
      run = await cli(example("tiny.wasm"), "--invoke", "greeting", "--timeout", "300", "--json");
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
    assert.equal(run.code, 0, run.stderr);
    const [invoke] = stepsNamed(JSON.parse(run.stdout), "invoke");
    assert.deepEqual(invoke.result, [{ type: "i32", value: 1024 }]);
  });
});

describe("exit status and streaming", () => {
  test("a trap: the report is complete and the exit status is 3", async () => {
    const run = await cli(
      await fixtureFile("arithmetic"),
      "--invoke",
      "boom",
      "--invoke",
      "stored",
    );
    assert.equal(run.code, EXIT_STEP_FAILED, run.stderr);
    assert.match(run.stdout, /invoke boom .* error: .*unreachable/);
    assert.match(run.stdout, /invoke stored .* 42$/m, "the steps after the trap ran");
    assert.match(run.stdout, /\n1 instance, \d+ steps, 1 failed step$/);
  });

  test("--invoke arguments: a signed hex i64 works, a bad one is a failed step named", async () => {
    const file = await fixtureFile("arithmetic");
    const good = await runJson(file, "--invoke", "triple=-0x10", "--invoke", "add=0xffffffff,2");
    assert.deepEqual(
      stepsNamed(good, "invoke").map((step: Json) => step.result[0].value),
      ["-48", 1],
    );
    const bad = await cli(file, "--invoke", "triple=--16", "--json");
    assert.equal(bad.code, EXIT_STEP_FAILED);
    const [step] = stepsNamed(JSON.parse(bad.stdout), "invoke");
    assert.equal(step.error, 'argument 1: "--16" is not a valid i64');
  });

  test("--json-lines: one object per step as it completes, then the summary", async () => {
    const file = example("tiny.wasm");
    const whole = await runJson(file, "--instances", "3", "--invoke", "greeting");
    const run = await cli(file, "--instances", "3", "--invoke", "greeting", "--json-lines");
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n").map((line) => JSON.parse(line));
    assert.equal(lines[0].type, "run");
    assert.deepEqual(lines[0].module, whole.module);
    const steps = lines.slice(1, -1);
    assert.ok(steps.every((line: Json) => line.type === "step"));
    assert.deepEqual(
      steps.map((line: Json) => [line.step, line.instance, line.slot, line.pick]),
      whole.steps.map((step: Json) => [step.step, step.instance, step.slot, step.pick]),
    );
    assert.deepEqual(lines.at(-1), {
      type: "summary",
      instances: 3,
      steps: whole.steps.length,
      failedSteps: 0,
    });
    assert.deepEqual(whole.summary, { instances: 3, steps: whole.steps.length, failedSteps: 0 });
  });

  test("a call that times out keeps what it wrote before, in its failed step", async () => {
    const run = await cli(
      await fixtureFile("wasiHang"),
      "--invoke",
      "hang",
      "--timeout",
      "1000",
      "--json",
    );
    assert.equal(run.code, EXIT_STEP_FAILED, run.stderr);
    const [step] = stepsNamed(JSON.parse(run.stdout), "invoke");
    assert.match(step.error, /timed out after 1000 ms/);
    assert.deepEqual(step.output, { stdout: "before the loop", stderr: "" });
  });
});

describe("--what-if-cow", () => {
  // imported-memory.wat: a 4-page imported memory, data at 0x1000 and 0x2000 (so the
  // variant's image is host pages 1-2, 0x1000-0x3000), `touch` writes the page at 0x3000.
  const IMAGE = { memory: 0, offset: 0x1000, length: 0x2000 };

  test("an imported memory: the same steps with it defined and imaged, and what that saves", async () => {
    const report = await runJson(
      example("imported-memory.wasm"),
      ...["--invoke", "touch", "--instances", "2", "--what-if-cow"],
    );
    assert.equal(report.module.cow, false);
    const whatIf = report.whatIfCow;
    assert.deepEqual(whatIf.changes, [
      "memory 0 defined in the module instead of imported from env.memory",
    ]);
    assert.deepEqual(whatIf.module.images, [IMAGE]);
    assert.equal(whatIf.summary.failedSteps, 0);
    // As built, V8 copies the two data pages at every instantiation; imaged, nothing is
    // private until `touch` writes the page after the image.
    const dirtyAfter = (steps: Json[], name: string) =>
      steps.filter((s: Json) => s.step === name).map((s: Json) => s.memories[0].privateDirtyBytes);
    const image = IMAGE.length / HOST_PAGE;
    assert.deepEqual(dirtyAfter(report.steps, "instantiate"), [
      image * HOST_PAGE,
      image * HOST_PAGE,
    ]);
    assert.deepEqual(dirtyAfter(whatIf.steps, "instantiate"), [0, 0]);
    assert.deepEqual(dirtyAfter(report.steps, "invoke"), [
      (image + 1) * HOST_PAGE,
      (image + 1) * HOST_PAGE,
    ]);
    assert.deepEqual(dirtyAfter(whatIf.steps, "invoke"), [HOST_PAGE, HOST_PAGE]);
    const { asBuilt, imaged } = whatIf.savings;
    assert.equal(asBuilt.instances, 2);
    assert.equal(imaged.instances, 2);
    assert.equal(asBuilt.privateDirtyAfterInstantiate, image * HOST_PAGE);
    assert.equal(imaged.privateDirtyAfterInstantiate, 0);
    assert.equal(asBuilt.privateDirtyBeforeReset, (image + 1) * HOST_PAGE);
    assert.equal(imaged.privateDirtyBeforeReset, HOST_PAGE);
    // The time of the variant's instantiation counts its acquire and map steps too.
    const instanceNs = (instance: number) =>
      whatIf.steps
        .filter(
          (s: Json) =>
            s.instance === instance && ["acquire", "map", "instantiate"].includes(s.step),
        )
        .reduce((sum: number, s: Json) => sum + s.ns, 0);
    assert.equal(imaged.instantiateNs, (instanceNs(1) + instanceNs(2)) / 2);
  });

  test("text: the variant's steps, then the comparison per instance", async () => {
    const run = await cli(example("pic.wasm"), "--what-if-cow");
    assert.equal(run.code, 0, run.stderr);
    const text = run.stdout;
    const section = text.slice(text.indexOf("\nwhat CoW would have saved: "));
    assert.ok(
      section.startsWith(
        [
          "",
          "what CoW would have saved: the same steps on a fresh pool, the module changed so",
          "  - data segment offsets read from global 0 (env.__memory_base) fixed at 0, the value the runner gives that import",
          "  memory 0: image at 0x0, 4,096 bytes",
        ].join("\n"),
      ),
      section,
    );
    assert.match(section, /\nper instance \(median of 1\) +as built +with an image\n/);
    assert.match(section, /\n {2}private dirty after instantiation +4,096 \(4 KiB\) +0 bytes\n/);
  });

  test("a module that has an image already: said so, exit 0", async () => {
    const report = await runJson(example("tiny.wasm"), "--what-if-cow");
    assert.deepEqual(report.whatIfCow, { refusal: "the module gets a memory image already" });
  });
});

describe("errors", () => {
  const usage: [string, string[], RegExp][] = [
    ["bad --reset", ["--reset", "bogus"], /^error: .*--reset.*"bogus"/],
    ["bad --init", ["--init", "lazy"], /^error: .*--init.*"lazy"/],
    ["--instances 0", ["--instances", "0"], /^error: .*--instances.*"0"/],
    ["unknown option", ["--frobnicate"], /^error: .*--frobnicate/],
    // Each number against its real range, named in the message.
    [
      "--timeout past Node's longest timer",
      ["--timeout", "2147483648"],
      /^error: --timeout needs an integer from 1 to 2147483647 \(Node's longest timer\), got "2147483648"$/,
    ],
    [
      "--reset BYTES past 2^53",
      ["--reset", "pagemap=99999999999999999999"],
      /^error: --reset pagemap=BYTES needs an integer from 0 to 9007199254740991 .*"99999999999999999999"$/,
    ],
    ["--reset BYTES not a number", ["--reset", "keep-resident=1e6"], /^error: --reset .*"1e6"$/],
    [
      "--slots 50000000",
      ["--slots", "50000000"],
      /^error: --slots needs an integer from 1 to 10000, got "50000000"$/,
    ],
    [
      "--max-unused-warm-slots past u32",
      ["--max-unused-warm-slots", "4294967296"],
      /^error: --max-unused-warm-slots needs an integer from 0 to 4294967295/,
    ],
    [
      "--max-output past 64 MiB",
      ["--max-output", "67108865"],
      /^error: --max-output needs an integer from 0 to 67108864/,
    ],
    [
      "--instances past 2^31",
      ["--instances", "2147483648"],
      /^error: --instances needs an integer from 1 to 2147483647/,
    ],
    [
      "--json with --json-lines",
      ["--json", "--json-lines"],
      /^error: --json and --json-lines exclude each other$/,
    ],
    [
      "--what-if-cow with --init eager",
      ["--what-if-cow", "--init", "eager"],
      /^error: --what-if-cow compares .*: V8 engine, --init cow$/,
    ],
  ];
  for (const [label, args, message] of usage) {
    test(`${label}: exit 2 with the error first`, async () => {
      const run = await cli(example("tiny.wasm"), ...args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
      assert.match(run.stderr.split("\n")[0]!, message);
    });
  }

  test("a missing file: exit 1, one line", async () => {
    const missing = path.join(dir, "missing.wasm");
    const run = await cli(missing);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, new RegExp(`^error: ${missing}: no such file$`));
  });

  test("a malformed file: exit 1, one line with the offset", async () => {
    // Version 2 instead of 1: the version field starts at byte 4.
    const file = path.join(dir, "version2.wasm");
    writeFileSync(file, Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
    const run = await cli(file);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^error: ${file}: [^\\n]*\\(at byte 0x4\\)$`));
  });
});

test("the built CLI runs modules with the bundled runner and addon", () => {
  const cliFile = path.join(root, "dist", "cli.js");
  for (const file of [cliFile, path.join(root, "dist", "runner.js")]) {
    assert.ok(existsSync(file), `${file} is missing: run \`npm run build\` (npm test does)`);
  }
  // From a folder where `--import tsx` cannot resolve, only the bundled runner can work.
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-dist-"));
  try {
    const run = spawnSync(
      process.execPath,
      [cliFile, "run", example("tiny.wasm"), "--invoke", "greeting", "--json"],
      { cwd: elsewhere, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.module.cow, true);
    assert.deepEqual(
      stepsNamed(report, "map").map((s: Json) => s.syscalls.mmap),
      [1],
    );
    assert.deepEqual(stepsNamed(report, "invoke")[0].result, [{ type: "i32", value: 1024 }]);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
