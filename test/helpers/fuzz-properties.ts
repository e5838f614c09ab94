// What must hold for every mutant, however hostile: the reader either decodes it or
// throws its typed DecodeError with an offset inside the input; whatever decodes is
// planned, reported (JSON, text, Markdown) and, when the planner gives it an image,
// materialised, without any other exception; and whatever V8 validates still validates
// after the copy-on-write rewrite, in both modes the runner uses (cow and eager). Where
// V8 lacks a feature, no child V8 gives a second opinion here (see `secondOpinion`).

import { DecodeError } from "../../extension/analysis/binary-cursor";
import { rewriteForCow } from "../../extension/analysis/cow-rewriter";
import {
  DEFAULT_DENSE_LIMIT,
  imagePageHashes,
  materializeImage,
  planImages,
} from "../../extension/analysis/image-planner";
import { reportOf } from "../../extension/analysis/inspect";
import { toJsonText } from "../../extension/analysis/json-text";
import { readModule } from "../../extension/analysis/module-reader";
import { pageHashes } from "../../common/layout-diff";
import type { WasmModule } from "../../extension/analysis/module-types";
import { renderMarkdownReport } from "../../extension/cli/markdown-report";
import { renderTextReport } from "../../extension/cli/text-report";

export interface FuzzFigures {
  cases: number;
  decoded: number;
  staticImages: number;
  v8Valid: number;
  rewritten: number;
}

export const noFigures = (): FuzzFigures => ({
  cases: 0,
  decoded: 0,
  staticImages: 0,
  v8Valid: 0,
  rewritten: 0,
});

/** Images up to this size are built byte for byte, as the runner does before mapping. */
const MATERIALISE_LIMIT = 16 << 20;

/** Throws (an assertion for the fuzz runner) when a property fails for `bytes`. */
export function checkMutant(bytes: Uint8Array, figures: FuzzFigures): void {
  figures.cases++;
  let module: WasmModule;
  try {
    module = readModule(bytes);
  } catch (error) {
    if (error instanceof DecodeError && error.offset >= 0 && error.offset <= bytes.length) return;
    throw error;
  }
  figures.decoded++;
  const options = {
    fileName: "mutant.wasm",
    pageSize: 4096,
    denseLimit: DEFAULT_DENSE_LIMIT,
    pageMap: true,
    // No child V8 per case (127 ms each): "could not run" is a state the report handles,
    // and the child itself is tested in test/unit/v8-validation.test.ts.
    secondOpinion: () => null,
  };
  const plan = planImages(module, options);
  const report = reportOf(module, plan, options);
  JSON.parse(toJsonText(report));
  renderTextReport(report);
  renderMarkdownReport(report);
  for (const memory of plan.memories) {
    if (!memory.static || !memory.image || memory.image.length > MATERIALISE_LIMIT) continue;
    figures.staticImages++;
    const image = materializeImage(module, memory.image);
    if (image.length !== memory.image.length) {
      throw new Error(
        `memory ${memory.memory}: an image of ${image.length} bytes, planned ${memory.image.length}`,
      );
    }
    const fromPieces = imagePageHashes(module, memory.image, options.pageSize);
    if (fromPieces.join() !== pageHashes(image, options.pageSize).join()) {
      throw new Error(
        `memory ${memory.memory}: page hashes from the pieces differ from the image's`,
      );
    }
  }
  if (report.v8.valid !== true) return;
  figures.v8Valid++;
  const imaged = new Set(
    plan.memories
      .filter((m) => m.static || m.reason?.code === "no-image-needed")
      .map((m) => m.memory),
  );
  for (const memories of [imaged, new Set<number>()]) {
    const rewrite = rewriteForCow(module, memories);
    if (!WebAssembly.validate(rewrite.bytes as Uint8Array<ArrayBuffer>)) {
      throw new Error(
        `V8 validates the module but not its rewrite with memories [${[...memories].join(", ")}] imaged`,
      );
    }
  }
  figures.rewritten++;
}
