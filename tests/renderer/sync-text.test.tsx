import { describe, expect, it } from 'vitest';
import type { SyncIndicator } from '@shared/contract/sync-auto';
import { ago, conflictsCsv, entityLabel, headerText, timeLeft, uploadText, valueText } from '../../src-renderer/src/features/sync/sync-text';

// What the header says of sync (spec/server.md: "Synced 2 min ago", "3 changes waiting to sync, last synced 2 days ago").

const NOW = Date.parse('2026-03-10T12:00:00Z');
const base: SyncIndicator = {
  connected: true,
  pending: 0,
  lastSyncAt: '2026-03-10T11:58:00Z',
  state: 'ok',
  problem: null,
  skewMs: 0,
  syncing: false,
  nextAttemptAt: null,
  auto: true,
};

describe('the header sync status', () => {
  it('shows nothing for a business that never connected', () => {
    expect(headerText({ ...base, connected: false }, NOW)).toBeNull();
  });

  it('says when it last synced', () => {
    expect(headerText(base, NOW)).toMatchObject({ label: 'Synced 2 min ago', tone: 'ok' });
    expect(ago('2026-03-10T11:59:40Z', NOW)).toBe('just now');
    expect(ago('2026-03-10T09:00:00Z', NOW)).toBe('3 h ago');
    expect(ago(null, NOW)).toBe('never');
  });

  it('offline: what waits and since when, with the service message', () => {
    const text = headerText({ ...base, state: 'offline', pending: 3, lastSyncAt: '2026-03-08T10:00:00Z', problem: 'Cannot reach the sync server.' }, NOW);
    expect(text).toMatchObject({ label: '3 changes waiting', short: '3 waiting', tone: 'waiting' });
    expect(text?.detail).toBe('3 changes waiting to sync, last synced 2 days ago. Cannot reach the sync server.');
  });

  it('a refusal (revoked, suspended) is a warning naming the reason', () => {
    const text = headerText({ ...base, state: 'refused', problem: 'The sync server has suspended this business.' }, NOW);
    expect(text).toMatchObject({ label: 'Sync stopped', tone: 'warning' });
    expect(text?.detail).toContain('suspended');
  });

  it('a PC clock far off is a warning; a few seconds is not', () => {
    expect(headerText({ ...base, skewMs: 2 * 3600_000 }, NOW)).toMatchObject({ label: 'Check the PC clock', tone: 'warning' });
    expect(headerText({ ...base, skewMs: 2 * 3600_000 }, NOW)?.detail).toContain('2 h ahead of');
    expect(headerText({ ...base, skewMs: -20 * 60_000 }, NOW)?.detail).toContain('20 min behind');
    expect(headerText({ ...base, skewMs: 4_000 }, NOW)?.tone).toBe('ok');
  });

  it('conflict values and entities read as text', () => {
    expect(valueText(null)).toBe('—');
    expect(valueText('Springfield')).toBe('Springfield');
    expect(valueText(1200)).toBe('1200');
    expect(entityLabel('customers')).toBe('Customer');
    expect(entityLabel('plan_tiers')).toBe('Plan tier');
    expect(entityLabel('subscription_history')).toBe('Subscription history');
  });

  it('conflicts as CSV: quoted where needed, formulas made harmless', () => {
    const csv = conflictsCsv([
      { entity: 'customers', id: 'c1', field: 'name', kept: '=HYPERLINK("x")', overwritten: 'Doe, Jane', at: '2026-03-10T11:00:00Z' },
      { entity: 'products', id: 'p1', field: 'price', kept: 1200, overwritten: null, at: '2026-03-10T10:00:00Z' },
    ]);
    expect(csv).toBe(
      'What,Id,Field,Kept,Overwritten,When\r\n' +
        `Customer,c1,name,"'=HYPERLINK(""x"")","Doe, Jane",2026-03-10T11:00:00Z\r\n` +
        'Product,p1,price,1200,—,2026-03-10T10:00:00Z\r\n',
    );
  });
});

describe('a big upload under way (Settings > Sync)', () => {
  const at = (uploaded: number, total: number, secondsLeft: number | null) => ({ phase: 'uploading' as const, uploaded, total, secondsLeft });

  it('says how many changes of how many, the share, and a rough time left', () => {
    expect(uploadText(at(0, 466_044, null))).toEqual({ label: 'Uploaded 0 of 466,044 changes (0 %)', percent: 0 });
    expect(uploadText(at(120_000, 466_044, 150))).toEqual({ label: 'Uploaded 120,000 of 466,044 changes (25 %) · about 3 min left', percent: 25 });
    expect(uploadText(at(466_000, 466_044, 4))?.label).toBe('Uploaded 466,000 of 466,044 changes (99 %) · less than a minute left');
    expect(timeLeft(4_800)).toBe('about 1 h 20 min left');
  });

  it('a total that grew with changes made meanwhile never shows more than 100 %', () => {
    expect(uploadText(at(1_010, 1_000, 0))).toMatchObject({ percent: 100, label: 'Uploaded 1,010 of 1,010 changes (100 %)' });
  });

  it('preparing moves without a figure; finished, failed and none show nothing', () => {
    expect(uploadText({ phase: 'preparing', uploaded: 0, total: 0, secondsLeft: null })).toMatchObject({ percent: null });
    expect(uploadText({ phase: 'finished', uploaded: 5, total: 5, secondsLeft: 0 })).toBeNull();
    expect(uploadText({ phase: 'failed', uploaded: 2, total: 5, secondsLeft: null })).toBeNull();
    expect(uploadText(null)).toBeNull();
  });
});
