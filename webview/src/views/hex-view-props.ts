// The contract of the hex view (webview/src/views/HexView.tsx): bytes of a range shown
// as offset / hex / ASCII rows, optionally next to a second copy (image vs live
// instance) with differing bytes highlighted (not by colour alone).

export interface HexViewProps {
  /** Accessible name, e.g. "Page 3 of memory 0". */
  label: string;
  /** Address of bytes[0] in linear memory. */
  baseAddress: number;
  /** The bytes to show (the image's, or null while loading or unavailable). */
  bytes: Uint8Array | null;
  /** A second copy to compare with (the live instance's), or null. */
  compareBytes?: Uint8Array | null;
  /** Titles of the two columns, e.g. "image" and "live instance". */
  titles?: [string, string];
  /** Shown instead of bytes when they cannot be had (no live instance, …). */
  unavailable?: string | null;
  /** Bytes per row (default 16). */
  width?: number;
}
