import { describe, expect, it } from 'vitest';
import type { SyncIndicator } from '@shared/contract/sync-auto';
import { ago, conflictsCsv, entityLabel, headerText, valueText } from '../../src-renderer/src/features/sync/sync-text';

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
