// A JavaScript component built at test time, as a new user would build one: the "hello"
// world below through componentize-js from npm, installed with its dependencies into
// .cache/npm-tools/ (git-ignored; nothing third-party is committed). Both the install and
// the component are cached, so a second run needs no network and no build.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { link, mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const COMPONENTIZE = "@bytecodealliance/componentize-js@0.23.0";
const TOOLS = path.resolve(process.cwd(), ".cache/npm-tools/componentize-js-0.23.0");

const WIT = `package local:hello;

world hello {
  export hello: func(name: string) -> string;
}
`;
// console.log goes to WASI 0.2's stdout: what the runner captures.
const SOURCE =
  "export function hello(name) {\n  console.log(`called with ${name}`);\n  return `Hello, ${name}!`;\n}\n";

/** The path of hello.component.wasm: `hello("world")` returns "Hello, world!" and writes
 *  "called with world" and a newline to stdout. Cached under a name of the sources' hash,
 *  so a changed source is built anew. */
export async function helloComponent(): Promise<string> {
  const key = createHash("sha256").update(WIT).update(SOURCE).digest("hex").slice(0, 12);
  const dir = path.join(TOOLS, `hello-${key}`);
  const output = path.join(dir, "hello.component.wasm");
  if (existsSync(output)) return output;
  const cli = path.join(
    TOOLS,
    "node_modules",
    "@bytecodealliance",
    "componentize-js",
    "src",
    "cli.js",
  );
  if (!existsSync(cli)) {
    await mkdir(TOOLS, { recursive: true });
    await run(
      "npm",
      ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", TOOLS, COMPONENTIZE],
      {
        maxBuffer: 16 << 20,
      },
    );
  }
  await mkdir(path.join(dir, "wit"), { recursive: true });
  await writeFile(path.join(dir, "wit", "hello.wit"), WIT);
  await writeFile(path.join(dir, "hello.js"), SOURCE);
  // Built under a name of this process's: an interrupted build never looks cached, and
  // test files building at once never write into one file.
  const partial = `${output}.${process.pid}.partial`;
  await run(
    process.execPath,
    [cli, path.join(dir, "hello.js"), "--wit", path.join(dir, "wit"), "-o", partial],
    {
      maxBuffer: 16 << 20,
    },
  );
  // The first build to finish is the one kept (a link fails where the name exists): two
  // builds differ in their bytes (the snapshot of the JavaScript engine), and a test that
  // reads the file twice (our report, then Wasmtime's) must read the same build twice.
  try {
    await link(partial, output);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await unlink(partial);
  return output;
}
