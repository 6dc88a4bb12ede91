import type { IpcRenderer, IpcRendererEvent } from 'electron';

/**
 * The whole surface the renderer gets: invoke a contract method, listen to an
 * event. Neither hands the page an Electron object: `invoke` returns the
 * answer, a listener gets the payload alone (never the IpcRendererEvent,
 * whose `sender` is the ipcRenderer). Validation, sessions, roles: all in main.
 */
export function createApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>) {
  return {
    invoke: (method: string, input: unknown): Promise<unknown> => ipc.invoke('rpc', method, input),
    on: (event: string, listener: (payload: unknown) => void): (() => void) => {
      const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
        if (name === event) listener(payload);
      };
      ipc.on('rpc:event', wrapped);
      return () => {
        ipc.removeListener('rpc:event', wrapped);
      };
    },
  };
}
