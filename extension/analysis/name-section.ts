// The `name` custom section: module, function, memory, global and data-segment names
// (subsections 0, 1, 6, 7 and 9 of the extended name section). Custom sections never
// make a module malformed, so a broken name section becomes a warning and whatever
// was read before the problem is kept.

import { BinaryCursor, DecodeError } from "./binary-cursor";
import type { Names } from "./module-types";

const SUBSECTIONS: Record<number, keyof Omit<Names, "module">> = {
  1: "functions",
  6: "memories",
  7: "globals",
  9: "data",
};

export function emptyNames(): Names {
  return {
    module: null,
    functions: new Map(),
    memories: new Map(),
    globals: new Map(),
    data: new Map(),
  };
}

/** Reads the payload [start, end) of a `name` section into `names`; returns a warning
 *  when the section is malformed. */
export function readNameSection(
  bytes: Uint8Array,
  start: number,
  end: number,
  names: Names,
): string | null {
  const cursor = new BinaryCursor(bytes, start, end);
  try {
    while (!cursor.atEnd) {
      const id = cursor.u8("name subsection id");
      const size = cursor.u32("name subsection size");
      const sub = new BinaryCursor(bytes, cursor.pos, cursor.pos + size);
      cursor.skip(size, "name subsection payload");
      if (id === 0) {
        names.module = sub.name("module name");
        continue;
      }
      const target = SUBSECTIONS[id];
      if (!target) continue; // locals, labels, types, fields…: not used here
      const count = sub.count(`${target} name map`, 2);
      for (let i = 0; i < count; i++) {
        const index = sub.u32(`${target} name index`);
        names[target].set(index, sub.name(`${target} name`));
      }
    }
    return null;
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return `name section ignored from byte 0x${error.offset.toString(16)}: ${error.message}`;
  }
}
