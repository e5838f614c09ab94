// The compare view's diff as the analysis worker computes it: the worker's own module
// (its report object, with bigints) against the other side as the host holds it (report
// summary, segments in columns, page layers and hashes), packed for the webview.

import { diffLayouts, type LayoutSide, type ReportLike } from "../../common/layout-diff";
import { packDiff, type PackedDiff } from "../../common/packed-diff";
import { segmentsOfColumns } from "../../common/segment-columns";
import type { DiffRequest } from "../../common/worker-protocol";

export function packedLayoutDiff(left: LayoutSide, right: DiffRequest["right"]): PackedDiff {
  const rightSide: LayoutSide = {
    // The summary carries no segments: the diff reads them from the columns.
    report: JSON.parse(right.summaryJson) as ReportLike,
    segmentRefs: segmentsOfColumns(right.segments),
    layers: right.layers,
    pageHashes: right.pageHashes,
  };
  return packDiff(diffLayouts(left, rightSide, { describe: false }));
}
