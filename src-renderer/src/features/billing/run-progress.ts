import type { EventPayload } from '@shared/contract';
import type { RunSummary } from '@shared/domain/billing';

// What the "Run billing" indicator shows, from two sources: the billing-progress
// events main pushes for every run (the timer's too), and the answer to a run
// this window asked for. Events of one run arrive in order on one socket; the
// answer comes on another connection, so either may come first.

export type ProgressEvent = EventPayload<'billing-progress'>;

export interface LiveProgress {
  phase: 'idle' | 'running' | 'finished' | 'failed';
  asOf: string | null;
  processed: number;
  message: string | null;
}

export interface RunRequest {
  asOf: string;
  state: 'pending' | 'succeeded' | 'failed';
  result: RunSummary | null;
  error: string | null;
}

export const IDLE: LiveProgress = { phase: 'idle', asOf: null, processed: 0, message: null };

export function applyProgressEvent(live: LiveProgress, event: ProgressEvent): LiveProgress {
  switch (event.phase) {
    case 'started':
      return { phase: 'running', asOf: event.asOf, processed: 0, message: null };
    case 'running':
      // A step of a run whose start we saw; counts only go up.
      if (live.phase !== 'running') return { phase: 'running', asOf: event.asOf, processed: event.processed, message: null };
      return { ...live, processed: Math.max(live.processed, event.processed) };
    case 'finished':
      return { ...live, phase: 'finished', asOf: event.asOf };
    case 'failed':
      return { ...live, phase: 'failed', asOf: event.asOf, message: event.message };
  }
}

export type RunView =
  | { kind: 'idle' }
  | { kind: 'running'; asOf: string; processed: number; ours: boolean }
  | { kind: 'done'; result: RunSummary }
  | { kind: 'failed'; message: string };

/** Ours first while it runs; then any run in progress (the timer's); then how ours ended; then how the last run seen ended. */
export function runView(live: LiveProgress, request: RunRequest | null): RunView {
  if (request?.state === 'pending') {
    // The events may already say finished while the answer is on its way: keep their count.
    return { kind: 'running', asOf: request.asOf, processed: live.asOf === request.asOf ? live.processed : 0, ours: true };
  }
  if (live.phase === 'running' && live.asOf) return { kind: 'running', asOf: live.asOf, processed: live.processed, ours: false };
  if (request?.state === 'succeeded' && request.result) return { kind: 'done', result: request.result };
  if (request?.state === 'failed') return { kind: 'failed', message: request.error ?? 'Billing stopped with an error' };
  if (live.phase === 'failed') return { kind: 'failed', message: live.message ?? 'Billing stopped with an error' };
  return { kind: 'idle' };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 invoices issued · 1 payment collected · 1 payment failed". */
export function describeSummary(s: Pick<RunSummary, 'invoicesIssued' | 'paymentsSucceeded' | 'paymentsFailed' | 'subscriptionsCanceled'>): string {
  const parts = [`${plural(s.invoicesIssued, 'invoice')} issued`];
  if (s.paymentsSucceeded) parts.push(`${plural(s.paymentsSucceeded, 'payment')} collected`);
  if (s.paymentsFailed) parts.push(`${plural(s.paymentsFailed, 'payment')} failed`);
  if (s.subscriptionsCanceled) parts.push(`${plural(s.subscriptionsCanceled, 'subscription')} canceled`);
  return parts.join(' · ');
}
