import type { EventName, EventPayload, Input, MethodName, Output, RpcErrorBody, RpcResult } from '@shared/contract';

// The typed client: the only reader of window.api. In Electron the preload
// provides window.api; in a plain browser the same contract goes over HTTP to
// the browser host (calls) and a WebSocket (events).

export interface Bridge {
  invoke(method: string, input: unknown): Promise<RpcResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    api?: Bridge;
  }
}

/** A refused call: `code`, a message for people, and the input field at fault. */
export class RpcError extends Error {
  readonly code: RpcErrorBody['code'];
  readonly field: string | undefined;
  constructor(body: RpcErrorBody) {
    super(body.message);
    this.name = 'RpcError';
    this.code = body.code;
    this.field = body.field;
  }
}

function hostBridge(): Bridge {
  const token = document.querySelector<HTMLMetaElement>('meta[name="recurra-host-token"]')?.content ?? '';
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  function openSocket() {
    const url = new URL('/events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(openSocket, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  }

  return {
    async invoke(method, input) {
      const response = await fetch('/rpc', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-recurra-token': token },
        body: JSON.stringify({ method, input }),
        credentials: 'same-origin',
      });
      if (!response.ok) {
        return { ok: false, error: { code: 'internal', message: `The app host refused the call (${response.status})` } };
      }
      return (await response.json()) as RpcResult<unknown>;
    },
    on(event, listener) {
      if (!socket) openSocket();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

let bridge: Bridge | undefined;
function getBridge(): Bridge {
  bridge ??= window.api ?? hostBridge();
  return bridge;
}

/** Test seam: renderer component tests pass an in-memory bridge. */
export function setBridge(next: Bridge | undefined): void {
  bridge = next;
}

export async function invoke<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const result = await getBridge().invoke(method, input);
  if (!result.ok) throw new RpcError(result.error);
  return result.data as Output<M>;
}

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return getBridge().on(event, listener as (payload: unknown) => void);
}

/**
 * Hands a file the user picked to main before a call that needs it (a backup
 * to restore). In the browser host it is uploaded; in the app, main shows its
 * own open dialog instead, so there is nothing to do.
 */
export async function uploadFile(file: File): Promise<void> {
  if (window.api) return;
  const token = document.querySelector<HTMLMetaElement>('meta[name="recurra-host-token"]')?.content ?? '';
  const response = await fetch('/upload', {
    method: 'POST',
    headers: { 'x-recurra-token': token, 'x-file-name': encodeURIComponent(file.name) },
    body: file,
    credentials: 'same-origin',
  });
  if (response.status === 413) {
    throw new RpcError({ code: 'validation', field: 'file', message: `${file.name} is larger than 2 GB, the largest file Recurra takes` });
  }
  if (!response.ok) throw new RpcError({ code: 'internal', message: `The file could not be sent (${response.status})` });
}

/** Whether the app picks files itself (Electron's dialogs) rather than the page. */
export function picksFilesInMain(): boolean {
  return Boolean(window.api);
}
