// The host's answer to the webview's `readBytes`: every request gets one, with the
// bytes or with why not, so no promise in the webview waits forever.

import type { HostMessage, ReportSide, WebviewMessage } from "../../common/webview-protocol";

export interface ByteSources {
  /** Image bytes of one side's module, or null when the panel has no such side. */
  image(
    side: ReportSide,
  ): ((memory: number, offset: number, length: number) => Promise<Uint8Array>) | null;
  /** The live instance's memory, or null when no instance is live. */
  live: ((memory: number, offset: number, length: number) => Promise<Uint8Array>) | null;
}

export const NO_LIVE_INSTANCE = "no live instance: instantiate one in the Instantiation tab";

export async function answerReadBytes(
  request: Extract<WebviewMessage, { type: "readBytes" }>,
  sources: ByteSources,
): Promise<Extract<HostMessage, { type: "bytes" }>> {
  const { requestId, memory, offset, length } = request;
  const read = request.source === "live" ? sources.live : sources.image(request.side);
  if (!read) {
    const error =
      request.source === "live" ? NO_LIVE_INSTANCE : `this panel shows no ${request.side} module`;
    return { type: "bytes", requestId, bytes: null, error };
  }
  try {
    return { type: "bytes", requestId, bytes: await read(memory, offset, length), error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { type: "bytes", requestId, bytes: null, error: message };
  }
}
