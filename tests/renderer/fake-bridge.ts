import type { RpcErrorBody } from '@shared/contract';
import { setBridge, type Bridge } from '../../src-renderer/src/lib/ipc';

/** What a fake handler returns to make the call fail the way main would. */
export class Refusal {
  constructor(readonly body: RpcErrorBody) {}
}

type FakeHandler = (input: unknown) => unknown;

/** An in-memory stand-in for main: answers the methods given, records calls, emits events on demand. */
export function installFakeBridge(handlers: Record<string, FakeHandler>) {
  const calls: { method: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge: Bridge = {
    async invoke(method, input) {
      calls.push({ method, input });
      const handler = handlers[method];
      if (!handler) return { ok: false, error: { code: 'not_found', message: `The fake has no ${method}` } };
      const result = await handler(input);
      return result instanceof Refusal ? { ok: false, error: result.body } : { ok: true, data: result };
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  setBridge(bridge);
  return {
    calls,
    emit(event: string, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}
