import { create } from 'zustand';
import type { RunSummary } from '@shared/domain/billing';
import { applyProgressEvent, IDLE, type LiveProgress, type ProgressEvent, type RunRequest } from '../run-progress';

interface BillingRunState {
  live: LiveProgress;
  /** The last run this window asked for. */
  request: RunRequest | null;
  progress(event: ProgressEvent): void;
  requested(asOf: string): void;
  succeeded(result: RunSummary): void;
  failed(message: string): void;
  reset(): void;
}

/** UI state only: what the run indicator shows (the runs themselves are in main). */
export const useBillingRun = create<BillingRunState>()((set) => ({
  live: IDLE,
  request: null,
  progress: (event) => set((s) => ({ live: applyProgressEvent(s.live, event) })),
  // A new run starts from a clean slate: progress of an earlier run of the same day must not show as this one's.
  requested: (asOf) => set({ live: IDLE, request: { asOf, state: 'pending', result: null, error: null } }),
  succeeded: (result) => set((s) => ({ request: s.request && { ...s.request, state: 'succeeded', result } })),
  failed: (message) => set((s) => ({ request: s.request && { ...s.request, state: 'failed', error: message } })),
  reset: () => set({ live: IDLE, request: null }),
}));
