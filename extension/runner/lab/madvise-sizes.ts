// madvise against the size of its range (Wasmtime PR #4040's open question: did a
// reset get slower with the range it was given, even where that memory is PROT_NONE?).
// Each row is one Wasmtime-shaped slot: the accessible part, then PROT_NONE up to 4 GiB
// and a 2 GiB guard region (Wasmtime's defaults on 64-bit hosts), with 0, 10 or 1,000
// pages dirtied (at most the accessible part's pages) before each timed call.

import type { MadviseRow } from "../../../common/lab-types";
import type { NativeAddon } from "../native-backend";
import { median } from "./distribution";

const KIB = 1024;
const GIB = 1024 ** 3;
export const MADVISE_ACCESSIBLE_SIZES = [
  64 * KIB,
  KIB * KIB,
  16 * KIB * KIB,
  256 * KIB * KIB,
  GIB,
  4 * GIB,
];
export const MADVISE_DIRTY_PAGES = [0, 10, 1000];
const SLOT = 4 * GIB;
const GUARD = 2 * GIB;
const REPEATS = 25;

export function measureMadviseSizes(addon: NativeAddon): MadviseRow[] {
  const page = addon.probe().hostPageSize;
  const rows: MadviseRow[] = [];
  for (const accessibleBytes of MADVISE_ACCESSIBLE_SIZES) {
    const protNoneBytes = SLOT - accessibleBytes + GUARD;
    const dirtyCounts = [
      ...new Set(MADVISE_DIRTY_PAGES.map((n) => Math.min(n, accessibleBytes / page))),
    ];
    for (const dirtyPages of dirtyCounts) {
      const times = addon.madviseCost(accessibleBytes, protNoneBytes, dirtyPages, REPEATS);
      rows.push({
        accessibleBytes,
        protNoneBytes,
        dirtyPages,
        accessibleNs: median(times.accessible),
        wholeNs: median(times.whole),
        protNoneNs: median(times.protNone),
        mprotectNs: median(times.mprotect),
      });
    }
  }
  return rows;
}
