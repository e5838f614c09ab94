#!/usr/bin/env node
// Draws the extension's 128×128 icon (media/icon.png) with Node alone: a rounded square in
// WebAssembly purple holding a 4×4 grid of memory pages — shared image pages (light), zero
// pages (dim) and pages an instance dirtied (orange). The PNG is written by hand: IHDR,
// one zlib-compressed IDAT of RGBA scanlines, IEND. Run: `node scripts/make-icon.mjs`.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const SIZE = 128;
const SUBSAMPLES = 4; // per axis: anti-aliased edges

const PURPLE = [0x65, 0x4f, 0xf0];
const SHARED = [0xec, 0xe9, 0xff];
const ZERO = [0x8a, 0x7b, 0xf4];
const DIRTY = [0xff, 0x9f, 0x1c];

// Row by row: S = shared image page, Z = zero page, D = dirtied (copied on write).
const PAGES = ["SSZZ", "SDZZ", "ZZSD", "ZZSS"];
const GRID = { origin: 22, cell: 21, gap: 1 };

/** Inside a rounded rectangle [x0, x1) × [y0, y1) with corner radius r. */
function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x >= x1 || y < y0 || y >= y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at a sample point, or null where the icon is transparent. */
function colourAt(x, y) {
  if (!inRoundedRect(x, y, 4, 4, 124, 124, 22)) return null;
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 4; col++) {
      const x0 = GRID.origin + col * GRID.cell + GRID.gap;
      const y0 = GRID.origin + row * GRID.cell + GRID.gap;
      if (
        inRoundedRect(x, y, x0, y0, x0 + GRID.cell - 2 * GRID.gap, y0 + GRID.cell - 2 * GRID.gap, 3)
      ) {
        return { S: SHARED, Z: ZERO, D: DIRTY }[PAGES[row][col]];
      }
    }
  }
  return PURPLE;
}

function pixels() {
  const raw = Buffer.alloc(SIZE * (1 + SIZE * 4)); // each scanline: filter byte 0, then RGBA
  for (let y = 0; y < SIZE; y++) {
    const line = y * (1 + SIZE * 4);
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const colour = colourAt(x + (sx + 0.5) / SUBSAMPLES, y + (sy + 0.5) / SUBSAMPLES);
          if (!colour) continue;
          covered++;
          for (let c = 0; c < 3; c++) sum[c] += colour[c];
        }
      }
      const at = line + 1 + x * 4;
      for (let c = 0; c < 3; c++) raw[at + c] = covered ? Math.round(sum[c] / covered) : 0;
      raw[at + 3] = Math.round((255 * covered) / SUBSAMPLES ** 2);
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods: 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels(), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../media/icon.png");
writeFileSync(target, png());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
