// Starts the insights worker from its TypeScript source (the browser host, tests):
// Node 20 does not pass --import loaders to worker threads, so tsx is loaded here.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker-insights.ts', import.meta.url);
