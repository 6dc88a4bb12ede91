import { schemaResolver } from '@mantine/form';
import { describe, expect, it } from 'vitest';
import { activityFormSchema, isHandPickedDate, toLogActivityInput } from '../../src-renderer/src/features/customers/activity-form';
import { checkBulkValue, toBulkChange } from '../../src-renderer/src/features/customers/bulk-change';
import { changedFields, EMPTY_CUSTOMER, rebaseForm, toUpdateInput, validateCustomerForm as validate } from '../../src-renderer/src/features/customers/customer-form';

describe('the customer form', () => {
  it("checks with the contract's rules and messages", () => {
    const errors = validate({ ...EMPTY_CUSTOMER, name: '', email: 'jane@acme', phone: 'call me' });
    expect(errors).toMatchObject({
      name: 'Enter a name',
      email: 'Enter a valid email address, like name@example.com',
      phone: 'Use digits, spaces and + ( ) - . only',
    });
    // a bad tag is reported on the Tags field, where the form shows it
    expect(validate({ ...EMPTY_CUSTOMER, name: 'Jane', email: 'jane@acme.example', tags: ['vip', 'x'.repeat(41)] })).toEqual({ tags: 'A tag is at most 40 characters' });
  });

  it('an edit sends only what changed (tags compared by value)', () => {
    const before = { ...EMPTY_CUSTOMER, name: 'Jane', email: 'jane@example.com', tags: ['vip'] };
    const after = { ...before, city: 'Springfield', tags: ['vip'] };
    expect(changedFields(before, after)).toEqual({ city: 'Springfield' });
    expect(toUpdateInput('c1', before, { ...after, tags: ['vip', 'local'] })).toEqual({ id: 'c1', city: 'Springfield', tags: ['vip', 'local'] });
  });

  it('changed elsewhere while open: untouched fields take the newer values, typed ones stay, and only they are sent', () => {
    const opened = { ...EMPTY_CUSTOMER, name: 'Jane', email: 'jane@example.com', phone: '555 0101', tags: ['vip'] };
    const typed = { ...opened, city: 'Springfield', company: 'Doe Ltd' };
    const newer = { ...opened, phone: '555 0199', company: 'Doe & Co', tags: ['vip', 'local'] };
    const { values, base } = rebaseForm(opened, typed, newer);
    expect(values).toEqual({ ...newer, city: 'Springfield', company: 'Doe Ltd' });
    expect(toUpdateInput('c1', base, values)).toEqual({ id: 'c1', city: 'Springfield', company: 'Doe Ltd' });
  });
});

describe('logging activity', () => {
  it('leaves the date out when none was picked, and needs what happened', () => {
    expect(toLogActivityInput('c1', { kind: 'call', title: '', body: 'Rang back', occurredOn: '' })).toEqual({ customerId: 'c1', kind: 'call', title: '', body: 'Rang back' });
    expect(toLogActivityInput('c1', { kind: 'note', title: 'x', body: 'y', occurredOn: '2026-03-01' })).toMatchObject({ occurredOn: '2026-03-01' });
    expect(schemaResolver(activityFormSchema, { sync: true })({ kind: 'note', title: '', body: ' ', occurredOn: '' })).toEqual({ body: 'Write what happened' });
  });

  it('shows a hand-picked date as that day (stored as midnight UTC), and system times as they are', () => {
    expect(isHandPickedDate('call', '2026-03-01T00:00:00.000Z')).toBe(true);
    expect(isHandPickedDate('system', '2026-03-01T00:00:00.000Z')).toBe(false);
    expect(isHandPickedDate('note', '2026-03-01T09:12:00.000Z')).toBe(false);
  });
});

describe('bulk changes', () => {
  it('checks the tag or segment typed with the contract rules', () => {
    expect(checkBulkValue('addTag', '')).toBe('A tag cannot be empty');
    expect(checkBulkValue('addTag', 'a,b')).toBe('A tag cannot contain a comma');
    expect(checkBulkValue('setSegment', '')).toBeNull(); // clears the segment
    expect(toBulkChange('deactivate', '')).toEqual({ action: 'setStatus', status: 'inactive' });
    expect(toBulkChange('addTag', ' vip ')).toEqual({ action: 'addTag', tag: 'vip' });
  });
});
