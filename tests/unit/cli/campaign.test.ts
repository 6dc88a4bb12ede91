import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '@shared/domain/customers';
import { TestSmtp } from '../../support/smtp';
import { withBilling } from './billing-fixtures';

let smtp: TestSmtp;
beforeEach(async () => {
  smtp = await new TestSmtp().start();
});
afterEach(async () => {
  await smtp.stop();
});

describe('recurra campaign, customer unsubscribe', () => {
  it('creates, sends once to the audience (never to the unsubscribed) and shows the spec shapes', async () => {
    const b = await withBilling();
    await b.json(['email', 'settings', '--host', '127.0.0.1', '--port', String(smtp.port), '--user', 'shop', '--from', 'hello@sunrise.example'], {
      ...b.asOwner,
      RECURRA_SMTP_PASSWORD: 's3cret smtp',
    });
    const make = async (name: string, segment: string) =>
      (await b.json<{ customer: Customer }>(['customer', 'create', '--name', name, '--email', `${name.toLowerCase()}@example.com`, '--segment', segment])).customer;
    await make('Ada', 'Retail');
    const ben = await make('Ben', 'Retail');
    await make('Cy', 'Wholesale');
    expect(await b.json(['customer', 'unsubscribe', ben.id])).toMatchObject({ customer: { id: ben.id, emailOptOutAt: expect.any(String) as string } });

    const body = path.join(b.dataDir, 'spring.md');
    fs.writeFileSync(body, 'Spring classes start Monday.\n');
    const created = await b.json<{ campaign: { id: string; name: string; audience: unknown } }>(['campaign', 'create', '--name', 'Spring', '--subject', 'Spring!', '--body', body, '--segment', 'Retail']);
    expect(created).toEqual({ campaign: { id: expect.any(String) as string, name: 'Spring', audience: { segment: 'Retail' } } });
    const id = created.campaign.id;
    expect(await b.json(['campaign', 'send', id])).toEqual({ campaign: { id, sent: 1, failed: 0, attributedRevenue: 0 } });
    expect(await b.json(['campaign', 'send', id])).toEqual({ campaign: { id, sent: 1, failed: 0, attributedRevenue: 0 } });
    expect(await b.json(['campaign', 'show', id])).toEqual({ campaign: { id, sent: 1, failed: 0, attributedRevenue: 0 } });
    expect(smtp.received.map((m) => m.subject)).toEqual(['Spring!']);
    expect(smtp.received[0]!.text).toContain('Spring classes start Monday.');
    const shown = await b.human(['campaign', 'show', id]);
    expect(shown.stdout).toContain('sent     Ada <ada@example.com>');

    expect(await b.refused(['campaign', 'create', '--name', 'X', '--subject', 'S', '--body', path.join(b.dataDir, 'missing.md')])).toMatchObject({ code: 1, error: { field: 'body' } });
    expect(await b.refused(['campaign', 'create', '--name', 'X', '--subject', 'S', '--body', body, '--view', 'No such view'])).toMatchObject({ code: 1, error: { field: 'view' } });
    expect(await b.refused(['campaign', 'create', '--name', 'X', '--subject', 'S', '--body', body, '--status', 'gone'])).toMatchObject({ code: 1 });
  });
});
