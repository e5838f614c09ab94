// The webview's link to the host: typed messages out, and view state that survives
// hiding and reloading the tab (setState/getState; no retainContextWhenHidden).

import { useEffect, useState, type Dispatch, type SetStateAction } from "react";
import { PendingRequests } from "../../common/pending-requests";
import type { HostMessage, WebviewMessage } from "../../common/webview-protocol";

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

const byteReads = new PendingRequests<Uint8Array>();

onHostMessage((message) => {
  if (message.type !== "bytes") return;
  if (message.bytes) byteReads.resolve(message.requestId, message.bytes);
  else byteReads.reject(message.requestId, new Error(message.error ?? "no bytes"));
});

/** Asks the host for bytes (the host owns the data; the webview keeps none up front).
 *  The host answers every request, with the bytes or with why not. */
export function readBytes(
  request: Omit<Extract<WebviewMessage, { type: "readBytes" }>, "type" | "requestId">,
): Promise<Uint8Array> {
  const { id, answer } = byteReads.open();
  post({ type: "readBytes", requestId: id, ...request });
  return answer;
}
