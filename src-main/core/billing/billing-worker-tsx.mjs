// Starts the billing worker from its TypeScript source (the browser host, tests):
// Node 20 does not pass --import loaders to worker threads, so tsx is loaded here.
import { tsImport } from 'tsx/esm/api';

await tsImport('./billing-worker.ts', import.meta.url);
