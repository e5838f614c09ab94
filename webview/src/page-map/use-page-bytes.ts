// The bytes of the selected page, asked from the host (which owns them): the image's
// and, when an instance is live, the instance's, fetched again after every run step.

import { useEffect, useState } from "react";
import type { ReportSide } from "../../../common/webview-protocol";
import { readBytes } from "../vscode-api";

export interface PageBytesRequest {
  side: ReportSide;
  memory: number;
  address: number;
  length: number;
  /** Whether a live instance exists to read from. */
  live: boolean;
  /** Changes when the live bytes may have (a new step). */
  liveVersion: number;
}

export interface PageBytes {
  image: Uint8Array | null;
  imageError: string | null;
  live: Uint8Array | null;
  liveError: string | null;
}

const NOTHING: PageBytes = { image: null, imageError: null, live: null, liveError: null };

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export function usePageBytes(request: PageBytesRequest | null): PageBytes {
  const [bytes, setBytes] = useState<PageBytes>(NOTHING);
  const { side, memory, address, length, live, liveVersion } = request ?? {};
  useEffect(() => {
    setBytes(NOTHING);
    if (side === undefined || memory === undefined || address === undefined || !length) return;
    let current = true;
    const update = (change: Partial<PageBytes>): void => {
      if (current) setBytes((old) => ({ ...old, ...change }));
    };
    const range = { side, memory, offset: address, length };
    readBytes({ ...range, source: "image" }).then(
      (image) => update({ image }),
      (error: unknown) => update({ imageError: message(error) }),
    );
    if (live) {
      readBytes({ ...range, source: "live" }).then(
        (bytes) => update({ live: bytes }),
        (error: unknown) => update({ liveError: message(error) }),
      );
    }
    return () => {
      current = false;
    };
  }, [side, memory, address, length, live, liveVersion]);
  return bytes;
}
