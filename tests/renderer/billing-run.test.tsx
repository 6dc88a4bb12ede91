import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { RunSummary } from '@shared/domain/billing';
import { App } from '../../src-renderer/src/app/App';
import { createAppRouter } from '../../src-renderer/src/app/router';
import { applyProgressEvent, describeSummary, IDLE, runView, type LiveProgress, type ProgressEvent, type RunRequest } from '../../src-renderer/src/features/billing/run-progress';
import { useBillingRun } from '../../src-renderer/src/features/billing/stores/billing-run-store';
import { setBridge } from '../../src-renderer/src/lib/ipc';
import { queryClient } from '../../src-renderer/src/lib/query';
import { installFakeBridge, Refusal } from './fake-bridge';

const event = (phase: ProgressEvent['phase'], processed = 0, asOf = '2026-03-11', message: string | null = null): ProgressEvent => ({ runId: 'r1', asOf, processed, phase, message });
const SUMMARY: RunSummary = { asOf: '2026-03-11', invoicesIssued: 2, paymentsSucceeded: 1, paymentsFailed: 1, subscriptionsCanceled: 0 };
const replay = (events: ProgressEvent[], from: LiveProgress = IDLE) => events.reduce(applyProgressEvent, from);

describe('the run indicator, from billing-progress events and the run’s answer', () => {
  it('follows a run from start to finish; counts only go up', () => {
    const running = replay([event('started'), event('running', 40), event('running', 25)]);
    expect(running).toEqual({ phase: 'running', asOf: '2026-03-11', processed: 40, message: null });
    expect(replay([event('finished')], running).phase).toBe('finished');
    expect(replay([event('failed', 0, '2026-03-11', 'disk full')], running)).toMatchObject({ phase: 'failed', message: 'disk full' });
  });

  it('shows our run while it is pending, with the steps the events report', () => {
    const pending: RunRequest = { asOf: '2026-03-11', state: 'pending', result: null, error: null };
    expect(runView(IDLE, pending)).toEqual({ kind: 'running', asOf: '2026-03-11', processed: 0, ours: true });
    expect(runView(replay([event('started'), event('running', 12)]), pending)).toEqual({ kind: 'running', asOf: '2026-03-11', processed: 12, ours: true });
    // Events of another date are another run.
    expect(runView(replay([event('started', 0, '2026-02-01'), event('running', 9, '2026-02-01')]), pending)).toMatchObject({ processed: 0 });
    // The events said finished before the answer came: the count stays.
    expect(runView(replay([event('started'), event('running', 12), event('finished')]), pending)).toMatchObject({ kind: 'running', processed: 12 });
  });

  it('shows the answer once it comes, whether the last event came before or after it', () => {
    const done: RunRequest = { asOf: '2026-03-11', state: 'succeeded', result: SUMMARY, error: null };
    expect(runView(replay([event('started'), event('running', 3), event('finished')]), done)).toEqual({ kind: 'done', result: SUMMARY });
    // The answer overtook the events: the indicator runs until the finished event, then shows the result.
    const late = replay([event('started'), event('running', 3)]);
    expect(runView(late, done).kind).toBe('running');
    expect(runView(replay([event('finished')], late), done)).toEqual({ kind: 'done', result: SUMMARY });
  });

  it('shows a run the timer started, and a failure plainly', () => {
    expect(runView(replay([event('started')]), null)).toEqual({ kind: 'running', asOf: '2026-03-11', processed: 0, ours: false });
    expect(runView(replay([event('started'), event('failed', 0, '2026-03-11', 'The database is locked')]), null)).toEqual({ kind: 'failed', message: 'The database is locked' });
    expect(runView(IDLE, { asOf: '2026-03-11', state: 'failed', result: null, error: 'Not allowed' })).toEqual({ kind: 'failed', message: 'Not allowed' });
    expect(runView(IDLE, null)).toEqual({ kind: 'idle' });
  });

  it('sums a run up in words', () => {
    expect(describeSummary(SUMMARY)).toBe('2 invoices issued · 1 payment collected · 1 payment failed');
    expect(describeSummary({ invoicesIssued: 0, paymentsSucceeded: 0, paymentsFailed: 0, subscriptionsCanceled: 1 })).toBe('0 invoices issued · 1 subscription canceled');
  });
});

const BUSINESS = { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD' as const, timezone: 'UTC' };
const session = (role: Session['user']['role']): Session => ({ business: { ...BUSINESS, locale: 'en-US' }, user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role } });

function fakeMain(role: Session['user']['role'], run: (input: unknown) => unknown) {
  return installFakeBridge({
    'auth.session': () => session(role),
    'business.list': () => [BUSINESS],
    'prefs.get': () => ({ theme: 'auto', lastBusinessId: BUSINESS.id }),
    'billing.status': () => ({ running: false, lastRun: null, recentRuns: [] }),
    'billing.run': run,
    'plans.list': () => [],
  });
}

function renderAt(hash: string) {
  window.location.hash = hash;
  return render(<App router={createAppRouter()} />);
}

beforeEach(() => {
  queryClient.clear();
  useBillingRun.getState().reset();
});
afterEach(() => setBridge(undefined));

describe('Run billing now, in the top bar', () => {
  it('runs billing as of today, shows the steps while it runs and the result after', async () => {
    let finish: (summary: RunSummary) => void = () => {};
    const fake = fakeMain('staff', () => new Promise<RunSummary>((resolve) => (finish = resolve)));
    renderAt('#/plans');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Billing' }));
    const popover = await screen.findByTestId('billing-popover');
    expect(await within(popover).findByText('Billing has not run yet in this business.')).toBeTruthy();
    await user.click(await within(popover).findByRole('button', { name: 'Run billing now' }));

    const today = new Date().toISOString().slice(0, 10);
    expect(fake.calls.find((c) => c.method === 'billing.run')?.input).toEqual({ asOf: today });
    fake.emit('billing-progress', { runId: '', asOf: today, processed: 0, phase: 'started', message: null });
    fake.emit('billing-progress', { runId: 'r1', asOf: today, processed: 40, phase: 'running', message: null });
    await waitFor(() => expect(within(popover).getByTestId('billing-run-result').textContent).toMatch(/Billing up to .*… 40 steps done/));

    finish({ ...SUMMARY, asOf: today });
    fake.emit('billing-progress', { runId: 'r1', asOf: today, processed: 0, phase: 'finished', message: null });
    await waitFor(() => expect(within(popover).getByTestId('billing-run-result').textContent).toContain('2 invoices issued · 1 payment collected · 1 payment failed'));
  });

  it('says plainly when billing could not finish', async () => {
    fakeMain('owner', () => new Refusal({ code: 'internal', message: 'The business file is read-only' }));
    renderAt('#/plans');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Billing' }));
    await user.click(await screen.findByRole('button', { name: 'Run billing now' }));
    await waitFor(() => expect(screen.getByTestId('billing-run-result').textContent).toContain('Billing could not finish'));
    expect((await screen.findByRole('alert')).textContent).toContain('The business file is read-only');
  });

  it('offers a viewer the status but not the run', async () => {
    fakeMain('viewer', () => SUMMARY);
    renderAt('#/plans');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Billing' }));
    const popover = await screen.findByTestId('billing-popover');
    expect(await within(popover).findByText('Billing has not run yet in this business.')).toBeTruthy();
    expect(within(popover).queryByRole('button', { name: 'Run billing now' })).toBeNull();
  });
});
