// Pages per value, for the legend: one pass over up to a million bytes.

export function countValues(pages: Uint8Array): Uint32Array {
  const tally = new Uint32Array(256);
  for (let i = 0; i < pages.length; i++) tally[pages[i]!]!++;
  return tally;
}
