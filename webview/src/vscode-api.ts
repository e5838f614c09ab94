// The webview's link to the host: typed messages out, and view state that survives
// hiding and reloading the tab (setState/getState; no retainContextWhenHidden).

import type { HostMessage, WebviewMessage } from "./protocol";

export interface PersistedState {
  tab: string;
  memory: number;
  page: number | null;
  segment: number | null;
  zoom: number;
}

const api = acquireVsCodeApi<PersistedState>();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadState(): PersistedState | undefined {
  return api.getState();
}

export function saveState(state: PersistedState): void {
  api.setState(state);
}

export function onHostMessage(listener: (message: HostMessage) => void): () => void {
  const handler = (event: MessageEvent<HostMessage>): void => listener(event.data);
  window.addEventListener("message", handler);
  return () => window.removeEventListener("message", handler);
}

let nextRequest = 1;
const waiting = new Map<
  number,
  (result: { bytes: Uint8Array | null; error: string | null }) => void
>();

onHostMessage((message) => {
  if (message.type !== "bytes") return;
  waiting.get(message.requestId)?.({ bytes: message.bytes, error: message.error });
  waiting.delete(message.requestId);
});

/** Asks the host for bytes (the host owns the data; the webview keeps none up front). */
export function readBytes(
  request: Omit<Extract<WebviewMessage, { type: "readBytes" }>, "type" | "requestId">,
): Promise<Uint8Array> {
  const requestId = nextRequest++;
  return new Promise((resolve, reject) => {
    waiting.set(requestId, ({ bytes, error }) =>
      bytes ? resolve(bytes) : reject(new Error(error ?? "no bytes")),
    );
    post({ type: "readBytes", requestId, ...request });
  });
}
