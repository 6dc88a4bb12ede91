import { callRpc, shot, signUpOwner } from './app-steps';
import { expect, test } from './fixtures';
import { TestSmtp } from '../support/smtp';

type Ok<T> = { ok: true; data: T };

test('email settings with a test message, an invoice emailed with its PDF, reminders, and the outbox; light and dark', async ({ app, page }) => {
  const smtp = await new TestSmtp().start();
  try {
    await signUpOwner(page, app.url);
    await page.goto(`${app.url}#/settings/email`);
    await expect(page.getByRole('tab', { name: 'Email', selected: true })).toBeVisible();
    await page.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
    await page.getByRole('textbox', { name: 'Port' }).fill(String(smtp.port));
    await page.getByRole('textbox', { name: 'User name' }).fill('shop');
    await page.getByRole('textbox', { name: 'Password' }).fill('s3cret smtp');
    await page.getByRole('textbox', { name: 'Send from' }).fill('billing@sunrise.example');
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await expect(page.getByText('Email settings saved')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Password' })).toHaveAttribute('placeholder', 'saved');
    await expect(page.getByRole('textbox', { name: 'Password' })).toHaveValue('');

    await page.getByRole('textbox', { name: 'To' }).fill('olivia@example.com');
    await page.getByRole('button', { name: 'Send test message' }).click();
    await expect(page.getByText('Test message sent')).toBeVisible();
    expect(smtp.received.map((m) => m.to && 'text' in m.to ? m.to.text : '')).toEqual(['olivia@example.com']);
    await shot(page, 'email-settings');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'email-settings-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // A refusal shows the server's own answer.
    smtp.mode = 'refuse-mail';
    await page.getByRole('button', { name: 'Send test message' }).click();
    await expect(page.getByText(/554.*Relaying denied/)).toBeVisible();
    smtp.mode = 'ok';

    await page.getByRole('tab', { name: 'Reminders' }).click();
    await page.getByRole('textbox', { name: 'Days' }).fill('-3, 1, 7, 14');
    await expect(page.getByText('Sent 3 days before the due date, 1 day after, 7 days after, 14 days after.')).toBeVisible();
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await expect(page.getByText('Reminders saved')).toBeVisible();
    await shot(page, 'email-reminders');

    // An invoice to email: a customer who pays by hand, billed on 2026-12-01.
    const plan = (await callRpc(page, 'plans.create', { name: 'Studio', interval: 'month', price: 4500 })) as Ok<{ id: string }>;
    const customer = (await callRpc(page, 'customers.create', { name: 'Ada Lovelace', email: 'ada@example.com', paymentMethod: 'manual' })) as Ok<{ id: string }>;
    await callRpc(page, 'subscriptions.create', { planId: plan.data.id, customerId: customer.data.id, startDate: '2026-12-01' });
    await callRpc(page, 'billing.run', { asOf: '2026-12-01' });
    const invoices = (await callRpc(page, 'invoices.list', { limit: 5 })) as Ok<{ rows: { id: string; number: string }[] }>;
    const invoice = invoices.data.rows[0]!;
    await page.goto(`${app.url}#/invoices/${invoice.id}`);
    await page.getByRole('button', { name: 'Email' }).click();
    await expect(page.getByText(`Invoice ${invoice.number} sent`)).toBeVisible();
    const mail = smtp.received.at(-1)!;
    expect(mail.attachments[0]!.content.subarray(0, 4).toString('latin1')).toBe('%PDF');

    // A refused one: failed with the server's answer, then "Send now" once the server takes it.
    smtp.refuse.add('ada@example.com');
    await page.getByRole('button', { name: 'Email' }).click();
    await expect(page.getByText(`Invoice ${invoice.number} was not sent`)).toBeVisible();
    await page.getByRole('link', { name: 'Outbox' }).click();
    await expect(page.getByTestId('outbox-row')).toHaveCount(2);
    await expect(page.getByText('No such user here').first()).toBeVisible();
    await expect(page.getByText(`Invoice ${invoice.number} was not sent`)).toBeHidden({ timeout: 20_000 });
    await shot(page, 'email-outbox');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'email-outbox-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    smtp.refuse.clear();
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect(page.getByText('Email sent', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send now' })).toHaveCount(0);
    expect(smtp.received).toHaveLength(3);
  } finally {
    await smtp.stop();
  }
});
