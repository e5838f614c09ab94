// Why a memory's static page map has no image page to show (imported memory, no active
// segment, offsets the planner cannot place): a sentence for the notice above the map, so
// an empty map is never left unexplained.

import type { ImageJson, MemoryJson } from "./report-json";

/** The notice for a memory whose image has no page, or null when it has some. */
export function emptyMapText(
  memory: Pick<MemoryJson, "index" | "imported">,
  image: Pick<ImageJson, "length" | "activeSegments" | "explanation"> | null,
  passiveSegments: number,
): string | null {
  if (image && image.length !== null && image.length > 0) return null;
  const which = `memory ${memory.index}`;
  if (memory.imported)
    return `No image pages: ${which} is imported, so its pages belong to whoever provides it, and the module writes its data into it at instantiation. The Instantiation tab shows its pages after each step.`;
  if (!image || image.activeSegments === 0) {
    const passive =
      passiveSegments > 0
        ? ` Its ${passiveSegments === 1 ? "passive segment is" : "passive segments are"} copied by memory.init when the code asks, at run time.`
        : "";
    return `No image pages for ${which}: no active data segment writes it, so it starts all zeros.${passive}`;
  }
  if (image.explanation)
    return `No image pages for ${which}: ${image.explanation.replace(/\.$/, "")}. The Overview's advice says what would give it one; the Instantiation tab shows the pages an instance gets.`;
  return `No image pages for ${which}: its active segments hold no bytes.`;
}
