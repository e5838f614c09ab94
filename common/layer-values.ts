// The values of a static page layer (one byte per page of a memory) and its shape.
// Kept free of Node imports: the webview bundle uses them too.

export const LAYER_OUTSIDE = 0; // not in the image: the memory starts with a zero page here
export const LAYER_IMAGE_ZERO = 1; // inside the image, all bytes zero
export const LAYER_IMAGE_DATA = 2; // inside the image, some non-zero byte

export interface StaticLayer {
  memory: number;
  pageSize: number;
  /** Pages of the memory's initial size (may exceed `pages.length` for huge memory64s). */
  totalPages: number;
  pages: Uint8Array;
}
