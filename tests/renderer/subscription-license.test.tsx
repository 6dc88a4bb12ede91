import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Session } from '@shared/contract/auth';
import type { SubscriptionLicense as License } from '@shared/contract/billing';
import { theme } from '../../src-renderer/src/app/theme';
import { SubscriptionLicense } from '../../src-renderer/src/features/subscriptions/components/SubscriptionLicense';
import { machinesSummary, shortFingerprint } from '../../src-renderer/src/features/subscriptions/license-format';
import { SessionContext } from '../../src-renderer/src/lib/auth';

const SESSION: Session = {
  business: { id: 'biz-1', name: 'Sunrise Yoga', currency: 'USD', timezone: 'America/New_York', locale: 'en-US' },
  user: { id: 'u1', name: 'Sam', email: 'sam@example.com', role: 'owner' },
};

const LICENSE: License = {
  key: 'ACME-2026-0001',
  status: 'valid',
  expiresOn: '2099-01-01',
  validatedOn: null,
  maxMachines: null,
  activeMachines: 1,
  machines: [{ id: 'm1', name: null, fingerprint: 'a'.repeat(64), activatedAt: '2026-03-11T02:00:00.000Z', deactivatedAt: null, lastSeenOn: null }],
};

function renderLicense(license: License, status: 'active' | 'past_due' = 'active') {
  return render(
    <MantineProvider theme={theme}>
      <SessionContext.Provider value={SESSION}>
        <SubscriptionLicense license={license} status={status} />
      </SessionContext.Provider>
    </MantineProvider>,
  );
}

describe('the subscription page’s License section', () => {
  it('a machine’s activation is the business’s day; no name and no last seen said in words; unlimited plans say so', () => {
    renderLicense(LICENSE);
    const row = screen.getByTestId('license-machine');
    // 02:00 UTC on the 11th is still the 10th in New York.
    expect(row.textContent).toContain('Mar 10, 2026');
    expect(row.textContent).toContain('No name');
    expect(row.textContent).toContain('Not yet');
    expect(within(row).getByTestId('license-machine-fingerprint').textContent).toBe('aaaaaaaa…aaaa');
    expect(screen.getByTestId('license-machines-count').textContent).toContain('1 (no limit on this plan)');
    expect(screen.getByTestId('license-validated').textContent).toContain('Never validated');
    expect(screen.queryByTestId('license-past-due')).toBeNull();
  });

  it('past due but still valid: says the key lasts through the retries; once expired, says when', () => {
    const { unmount } = renderLicense(LICENSE, 'past_due');
    expect(screen.getByTestId('license-past-due').textContent).toMatch(/stays valid through the payment retries/);
    unmount();
    renderLicense({ ...LICENSE, status: 'expired', expiresOn: '2026-02-01' }, 'past_due');
    expect(screen.getByTestId('license-status').textContent).toBe('Expired');
    expect(screen.getByTestId('license-expiry').textContent).toBe('Expired on Feb 1, 2026');
    expect(screen.queryByTestId('license-past-due')).toBeNull();
  });

  it('machinesSummary and shortFingerprint', () => {
    expect(machinesSummary({ activeMachines: 2, maxMachines: 3, machines: [{}, {}, {}] as License['machines'] })).toBe('2 of 3, 1 deactivated');
    expect(machinesSummary({ activeMachines: 0, maxMachines: 3, machines: [] })).toBe('0 of 3');
    expect(machinesSummary({ activeMachines: 0, maxMachines: null, machines: [] })).toBe('0 (no limit on this plan)');
    expect(shortFingerprint('laptop-2')).toBe('laptop-2');
    expect(shortFingerprint('0123456789abcdef')).toBe('0123456789abcdef');
    expect(shortFingerprint('0123456789abcdef0')).toBe('01234567…def0');
  });
});
