// The report of a component: its core modules found by the component reader, each
// decoded, validated and planned exactly as a plain module is, plus what the component
// adds up to. A malformed core module is reported with the offset in the component file.

import { createHash } from "node:crypto";
import type { ComponentReport } from "../../common/report-types";
import { readComponent, readCoreModule } from "./component-reader";
import { planImages } from "./image-planner";
import { reportOf, type InspectOptions } from "./inspect";

export function inspectComponent(bytes: Uint8Array, options: InspectOptions): ComponentReport {
  const info = readComponent(bytes);
  const modules = info.modules.map((module) => {
    const decoded = readCoreModule(module);
    const moduleOptions = { ...options, fileName: `${options.fileName}: ${module.pathText}` };
    const report = reportOf(decoded, planImages(decoded, moduleOptions), moduleOptions);
    return {
      path: module.pathText,
      componentPath: module.componentPath,
      index: module.index,
      name: module.name,
      offset: module.offset,
      length: module.length,
      report,
    };
  });
  // Only static images: the ones Wasmtime maps (a report also describes the image a
  // memory would get, with `static: false`).
  const staticImages = (m: (typeof modules)[number]) => m.report.images.filter((i) => i.static);
  const imageBytes = (m: (typeof modules)[number]): number =>
    staticImages(m).reduce((sum, image) => sum + (image.length ?? 0), 0);
  const largest = modules.reduce<(typeof modules)[number] | null>(
    (best, m) => (imageBytes(m) > (best ? imageBytes(best) : 0) ? m : best),
    null,
  );
  return {
    kind: "component",
    file: options.fileName,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    name: info.name,
    imports: info.imports,
    exports: info.exports,
    components: info.components.map((c) => ({
      path: c.pathText,
      offset: c.offset,
      length: c.length,
    })),
    modules,
    summary: {
      modules: modules.length,
      imageBytes: modules.reduce((sum, m) => sum + imageBytes(m), 0),
      nonzeroImageBytes: modules.reduce(
        (sum, m) =>
          sum +
          staticImages(m).reduce(
            (bytesSoFar, image) => bytesSoFar + image.nonzeroPages * m.report.plan.pageSize,
            0,
          ),
        0,
      ),
      largestImage: largest ? { path: largest.path, bytes: imageBytes(largest) } : null,
    },
  };
}
