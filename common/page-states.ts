// Page states as the native snapshot reports them (one byte per host page). Keep in
// sync with native/src/page_state.cc.

export const PAGE_STATES = [
  "notPresent",
  "zero",
  "imageClean",
  "imageDirty",
  "anonDirty",
  "swapped",
] as const;

export type PageStateName = (typeof PAGE_STATES)[number];

export type PageCounts = Record<PageStateName, number>;

/** Each state in a word or two, for compact lists ("absent 255, image dirty 1"). */
export const PAGE_STATE_WORDS: Readonly<Record<PageStateName, string>> = {
  notPresent: "absent",
  zero: "zero",
  imageClean: "clean",
  imageDirty: "image dirty",
  anonDirty: "anon dirty",
  swapped: "swapped",
};

export function countPageStates(states: Uint8Array): PageCounts {
  const tally = new Uint32Array(PAGE_STATES.length); // a small integer array: the JIT keeps it fast
  for (let i = 0; i < states.length; i++) tally[states[i]!]!++;
  return pageCountsOf(tally);
}

/** Counts by name from counts indexed like PAGE_STATES (the native snapshot's tally). */
export function pageCountsOf(tally: ArrayLike<number>): PageCounts {
  return {
    notPresent: tally[0]!,
    zero: tally[1]!,
    imageClean: tally[2]!,
    imageDirty: tally[3]!,
    anonDirty: tally[4]!,
    swapped: tally[5]!,
  };
}

/** Bytes of the pages present in memory (zero, image clean or dirty, anonymous dirty):
 *  what the stepper and the slot pool both call resident, from one snapshot's counts. */
export function residentBytes(pages: PageCounts, hostPageSize: number): number {
  return (pages.zero + pages.imageClean + pages.imageDirty + pages.anonDirty) * hostPageSize;
}
