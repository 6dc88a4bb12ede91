import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './api';

// window.api = { invoke, on } and nothing else (src-main/preload/api.ts).
contextBridge.exposeInMainWorld('api', createApi(ipcRenderer));
