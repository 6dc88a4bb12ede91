import { EventEmitter } from 'node:events';
import type { IpcRenderer } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../src-main/preload/api';

// Security checklist item 20: do not expose Electron APIs to untrusted web
// content. The page gets window.api = { invoke, on } and nothing that leads
// back to ipcRenderer. Electron's binary cannot run here, so the preload's
// entry is loaded with a stand-in for the `electron` module.

const exposed: { key: string; api: unknown }[] = [];
const fakeIpc = Object.assign(new EventEmitter(), { invoke: vi.fn(async (...args: unknown[]) => ({ ok: true, data: args })) });
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
  ipcRenderer: fakeIpc,
}));

describe('20. The preload exposes no Electron API', () => {
  it('the entry exposes exactly one object, window.api, with two functions', async () => {
    await import('../../../src-main/preload/index');
    expect(exposed.map((e) => e.key)).toEqual(['api']);
    const api = exposed[0]!.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invoke sends on the one rpc channel and returns only the answer', async () => {
    const ipc = Object.assign(new EventEmitter(), { invoke: vi.fn(async () => ({ ok: true, data: 1 })) });
    const api = createApi(ipc as unknown as IpcRenderer);
    expect(await api.invoke('customers.list', { q: 'a' })).toEqual({ ok: true, data: 1 });
    expect(ipc.invoke).toHaveBeenCalledWith('rpc', 'customers.list', { q: 'a' });
  });

  it('a listener gets the payload alone (never the IpcRendererEvent), only for its event, until unsubscribed', () => {
    const ipc = Object.assign(new EventEmitter(), { invoke: vi.fn() });
    const api = createApi(ipc as unknown as IpcRenderer);
    const calls: unknown[][] = [];
    const off = api.on('data-changed', (...args: unknown[]) => calls.push(args));
    const ipcEvent = { sender: ipc, senderId: 0 };
    ipc.emit('rpc:event', ipcEvent, 'data-changed', { entities: ['customers'] });
    ipc.emit('rpc:event', ipcEvent, 'session-ended', {});
    expect(calls).toEqual([[{ entities: ['customers'] }]]);
    // Unsubscribing returns nothing: removeListener's return value is ipcRenderer itself.
    expect(off()).toBeUndefined();
    ipc.emit('rpc:event', ipcEvent, 'data-changed', { entities: ['plans'] });
    expect(calls).toHaveLength(1);
    expect(ipc.listenerCount('rpc:event')).toBe(0);
  });
});
