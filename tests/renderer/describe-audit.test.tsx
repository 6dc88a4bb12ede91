import { describe, expect, it } from 'vitest';
import { changedFields, describeAction, describeEntity } from '../../src-renderer/src/features/audit/describe-audit';

describe('the audit log in words', () => {
  it('phrases known actions for people and guesses the rest from the method name', () => {
    expect(describeAction('users.create')).toBe('Added a user');
    expect(describeAction('auth.loginFailed')).toBe('Failed to log in');
    expect(describeAction('customers.delete')).toBe('Customers: delete');
    expect(describeAction('subscriptions.changePlan')).toBe('Subscriptions: change plan');
    expect(describeAction('backup')).toBe('Backup');
  });

  it('names the record from its snapshot', () => {
    expect(describeEntity({ entity: 'user', before: null, after: { name: 'Sam Staff', email: 'sam@example.com' } })).toBe('User · Sam Staff');
    expect(describeEntity({ entity: 'user', before: { email: 'gone@example.com' }, after: null })).toBe('User · gone@example.com');
    expect(describeEntity({ entity: 'billing_run', before: null, after: null })).toBe('Billing run');
  });

  it('lists only the fields that changed, leaving out bookkeeping', () => {
    const before = { name: 'Sunrise Yoga', dunningDays: '[3,5,7]', updatedAt: '2026-01-01' };
    const after = { name: 'Sunset Pilates', dunningDays: '[3,5,7]', updatedAt: '2026-02-01', taxRatePpm: 82500 };
    expect(changedFields(before, after)).toEqual([
      { field: 'name', before: 'Sunrise Yoga', after: 'Sunset Pilates' },
      { field: 'taxRatePpm', before: '', after: '82500' },
    ]);
    expect(changedFields(null, null)).toEqual([]);
  });
});
