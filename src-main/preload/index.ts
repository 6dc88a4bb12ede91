import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

// The whole surface the renderer gets: invoke a contract method, listen to an
// event. Everything else (validation, sessions, roles) happens in main.
contextBridge.exposeInMainWorld('api', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke('rpc', method, input),
  on: (event: string, listener: (payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('rpc:event', wrapped);
    return () => ipcRenderer.removeListener('rpc:event', wrapped);
  },
});
