import type { WorkerEntry } from './executor';

/** The billing worker run from source under tsx (the browser host, tests); the app passes its bundled file. */
export function sourceWorkerEntry(nativeBinding?: string): WorkerEntry {
  return { url: new URL('./billing-worker-tsx.mjs', import.meta.url), nativeBinding };
}
