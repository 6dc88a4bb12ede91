import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/core';
import { queueEmail, thisDevice } from '../../../src-main/core/email/outbox';
import { enableSync } from '../../../src-main/core/sync';
import { makeCore, signUp } from '../../support/core';

// Only the device an outbox row names delivers it. Emails queued before the
// business synced (device '') or under an earlier connection's device id move
// to the id a connect gives this PC, or they would never go out.

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

describe('the outbox when a business connects', () => {
  it("moves this PC's unsent emails to its new device id; sent ones and other PCs' stay as they were", async () => {
    const { core } = makeCore();
    cores.push(core);
    const { businessId } = await signUp(core);
    const db = core.businesses.get(businessId);
    const at = new Date('2026-12-06T10:00:00Z');
    const mail = (to: string) => ({ kind: 'test' as const, to, subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' });
    const before = queueEmail(db, mail('a@example.com'), at);
    const sent = queueEmail(db, mail('b@example.com'), at);
    db.sqlite.prepare("UPDATE email_outbox SET status = 'sent', sent_at = ? WHERE id = ?").run(at.toISOString(), sent);
    const other = queueEmail(db, mail('c@example.com'), at, 'otherPc');
    const deviceOf = (id: string) => db.sqlite.prepare('SELECT device_id FROM email_outbox WHERE id = ?').pluck().get(id);
    expect(deviceOf(before)).toBe('');

    enableSync(db, 'dev1');
    expect(thisDevice(db)).toBe('dev1');
    expect([deviceOf(before), deviceOf(sent), deviceOf(other)]).toEqual(['dev1', '', 'otherPc']);

    // A later connection (a new device id): what dev1 still had to send goes with this PC.
    const queuedOnDev1 = queueEmail(db, mail('d@example.com'), at);
    enableSync(db, 'dev2');
    expect([deviceOf(before), deviceOf(queuedOnDev1), deviceOf(sent), deviceOf(other)]).toEqual(['dev2', 'dev2', '', 'otherPc']);
  });
});
