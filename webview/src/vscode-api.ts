// The webview's link to the host: typed messages out, and view state that survives
// hiding and reloading the tab (setState/getState; no retainContextWhenHidden).

import { useEffect, useState, type Dispatch, type SetStateAction } from "react";
import type { HostMessage, WebviewMessage } from "./protocol";

export interface PersistedState {
  tab: string;
  memory: number;
  page: number | null;
  segment: number | null;
  zoom: number;
  /** Each view's own settings (sort order, filters…), by key: see usePersistentState. */
  views?: Record<string, unknown>;
}

const api = acquireVsCodeApi<PersistedState>();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadState(): PersistedState | undefined {
  return api.getState();
}

/** Saves the shell's part of the state; the views' own parts are kept. */
export function saveState(state: Omit<PersistedState, "views">): void {
  const views = api.getState()?.views;
  api.setState(views ? { ...state, views } : state);
}

/** useState that survives hiding and reloading the tab, stored under `key`. */
export function usePersistentState<T>(key: string, initial: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => {
    const saved = api.getState()?.views?.[key];
    return saved === undefined ? initial : (saved as T);
  });
  useEffect(() => {
    const current = api.getState();
    if (current) api.setState({ ...current, views: { ...current.views, [key]: value } });
  }, [key, value]);
  return [value, setValue];
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
