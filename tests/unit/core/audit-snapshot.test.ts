import { afterEach, describe, expect, it } from 'vitest';
import { writeAudit } from '../../../src-main/core/audit/audit';
import { makeCore, signUp } from '../../support/core';

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('the audit row snapshot', () => {
  it('leaves out every secret key, at any depth, and keeps a value that only mentions one', async () => {
    const { core } = makeCore();
    close = () => core.close();
    const { businessId } = await signUp(core);
    const db = core.businesses.get(businessId);
    const at = new Date('2026-03-01T12:00:00Z');
    const actor = { userId: null, userEmail: null };
    writeAudit(db.orm, actor, at, {
      action: 'test.secrets',
      entity: 'user',
      entityId: 'u1',
      before: { name: 'Sam', passwordHash: 'scrypt$abc' },
      after: { name: 'Sam', note: 'the "password": field', nested: [{ totp_secret: 'JBSWY3DP', kept: 1 }], recoveryCodes: ['a1b2'] },
    });
    writeAudit(db.orm, actor, at, { action: 'test.plain', entity: 'sale', entityId: 's1', after: { number: 'R-000001', lines: [{ sku: 'TEA', quantity: 1 }] } });
    const rows = db.sqlite.prepare("SELECT action, before, after FROM audit_log WHERE action LIKE 'test.%' ORDER BY action").all() as { action: string; before: string | null; after: string }[];
    expect(rows).toEqual([
      { action: 'test.plain', before: null, after: '{"number":"R-000001","lines":[{"sku":"TEA","quantity":1}]}' },
      { action: 'test.secrets', before: '{"name":"Sam"}', after: '{"name":"Sam","note":"the \\"password\\": field","nested":[{"kept":1}]}' },
    ]);
  });
});
